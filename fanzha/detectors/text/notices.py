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

import random
import re
from functools import cache
from importlib import resources
from typing import Any

import yaml

from fanzha.detectors.text.corpus import LabelledText

SOURCE = "synthetic_notices"
PER_TEMPLATE = 40
"""Messages generated from each template by default."""

_SLOT = re.compile(r"\{(\w+)\}")
_SIGNATURE = re.compile(r"【[^】]{1,20}】")
_DIGITS = {"d1": 1, "d2": 2, "d3": 3, "d4": 4, "d6": 6}


@cache
def load_templates() -> dict[str, Any]:
    """Return the parsed ``service_notices.yaml`` (``slots`` and ``templates``)."""
    source = resources.files("fanzha.detectors.text.data")
    text = source.joinpath("service_notices.yaml").read_text("utf-8")
    data: dict[str, Any] = yaml.safe_load(text)
    return data


def notice_rows(per_template: int = PER_TEMPLATE, seed: int = 0) -> list[LabelledText]:
    """Return ``per_template`` filled messages for every template, label normal."""
    data = load_templates()
    rng = random.Random(seed)
    rows = []
    for templates in data["templates"].values():
        for template in templates:
            for _ in range(per_template):
                text = _move_signature(_fill(template, data["slots"], rng), rng)
                rows.append(LabelledText(text, "normal", None, SOURCE))
    return rows


def _fill(template: str, slots: dict[str, list[str]], rng: random.Random) -> str:
    # Slot values may hold slots of their own ({amount} -> "{d3}.{d2}").
    for _ in range(3):
        template = _SLOT.sub(lambda m: _value(m.group(1), slots, rng), template)
    return template


def _move_signature(text: str, rng: random.Random) -> str:
    # Senders sign first or last (【银行】您... or ...。【银行】); half the
    # messages move the signature so neither place becomes a cue for normal.
    match = _SIGNATURE.match(text)
    if match is None or rng.random() < 0.5:
        return text
    return text[match.end() :] + match.group(0)


def _value(name: str, slots: dict[str, list[str]], rng: random.Random) -> str:
    if name in _DIGITS:
        return "".join(rng.choice("0123456789") for _ in range(_DIGITS[name]))
    if name == "month":
        return str(rng.randint(1, 12))
    if name == "day":
        return str(rng.randint(1, 28))
    if name == "hour":
        return f"{rng.randint(0, 23):02d}"
    if name == "minute":
        return f"{rng.randint(0, 59):02d}"
    if name not in slots:
        raise KeyError(f"service_notices.yaml: no slot named {name!r}")
    return str(rng.choice(slots[name]))


__all__ = ["SOURCE", "load_templates", "notice_rows"]
