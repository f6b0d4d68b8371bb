"""Synthetic service notices: the transactional SMS no shared data set holds.

Bank debits, one-time codes, parcel pick-ups and bills are most of what an SMS
gateway carries, yet the shared training text has none labelled normal (the
800k corpus's normal rows are news fragments and all its bracketed senders are
adverts). :func:`notice_rows` fills the templates of
``data/service_notices.yaml`` with seeded slot values and returns them as
normal training rows of source :data:`SOURCE`. They are training data only:
cross-validation adds them to the training folds and never scores them.
"""

from __future__ import annotations

from typing import Any

from fanzha.detectors.text.corpus import LabelledText
from fanzha.detectors.text.synthetic import (
    PER_TEMPLATE,
    load_template_file,
    template_rows,
)

SOURCE = "synthetic_notices"
FILE = "service_notices.yaml"


def load_templates() -> dict[str, Any]:
    """Return the parsed ``service_notices.yaml`` (``slots`` and ``templates``)."""
    return load_template_file(FILE)


def notice_rows(per_template: int = PER_TEMPLATE, seed: int = 0) -> list[LabelledText]:
    """Return ``per_template`` filled messages for every template, label normal."""
    return template_rows(FILE, "normal", SOURCE, per_template, seed)


__all__ = ["SOURCE", "load_templates", "notice_rows"]
