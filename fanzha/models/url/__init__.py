"""The shipped URL classifier (see MODEL_CARD.md)."""
