"""The shipped page classifier (see MODEL_CARD.md)."""
