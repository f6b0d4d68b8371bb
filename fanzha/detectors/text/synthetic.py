"""Synthetic training messages filled from templates: a filler and fraud rows.

Three packaged files hold templates with ``{slots}``: ``service_notices.yaml``
(normal notices, :mod:`~fanzha.detectors.text.notices`),
``fraud_templates.yaml`` (fraud scripts of the scenarios and regional wording
the shared data lacks, :func:`fraud_rows`) and ``normal_dialogues.yaml``
(ordinary calls between people who know each other, :func:`dialogue_rows`).
A slot is filled from the file's ``slots`` lists or is generated: ``d1``-``d6``
digits, ``w2``-``w5`` lower-case letters, ``month``, ``day``, ``hour``,
``minute``. Everything is seeded. The
rows are training data only: cross-validation adds them to the training folds
and never scores them.
"""

from __future__ import annotations

import random
import re
from functools import cache
from importlib import resources
from typing import Any

import yaml

from fanzha.detectors.text.corpus import LabelledText

FRAUD_SOURCE = "synthetic_fraud"
DIALOGUE_SOURCE = "synthetic_dialogues"
PER_TEMPLATE = 40
"""Messages generated from each service-notice template by default."""
FRAUD_PER_TEMPLATE = 15
"""Messages generated from each fraud template by default. With 15, in-source
cross-validation stayed where it was without them; 40 flagged more FBS ads
(docs/text.md)."""
DIALOGUE_PER_TEMPLATE = 30
"""Ordinary calls generated from each dialogue template by default."""

_SLOT = re.compile(r"\{(\w+)\}")
_SIGNATURE = re.compile(r"【[^】]{1,20}】")
_GENERATED = re.compile(r"([dw])([1-6])")
_LETTERS = "abcdefghijklmnopqrstuvwxyz"


@cache
def load_template_file(name: str) -> dict[str, Any]:
    """Return a parsed template file of the package (``slots`` and ``templates``)."""
    source = resources.files("fanzha.detectors.text.data")
    data: dict[str, Any] = yaml.safe_load(source.joinpath(name).read_text("utf-8"))
    return data


def fill_templates(name: str, per_template: int, seed: int) -> list[tuple[str, str]]:
    """Return ``(group, message)`` pairs, ``per_template`` for each template."""
    data = load_template_file(name)
    rng = random.Random(seed)
    filled = []
    for group, templates in data["templates"].items():
        for template in templates:
            for _ in range(per_template):
                text = fill(template, data["slots"], rng, name)
                filled.append((group, move_signature(text, rng)))
    return filled


def template_rows(
    name: str, label: str, source: str, per_template: int, seed: int = 0
) -> list[LabelledText]:
    """Return the filled templates of file ``name`` as rows of ``label``.

    Fraud rows take their scenario from their template group; others have none.
    """
    return [
        LabelledText(text, label, group if label == "fraud" else None, source)
        for group, text in fill_templates(name, per_template, seed)
    ]


def fraud_rows(
    per_template: int = FRAUD_PER_TEMPLATE, seed: int = 0
) -> list[LabelledText]:
    """Return filled fraud templates, label fraud, scenario from their group."""
    return template_rows(
        "fraud_templates.yaml", "fraud", FRAUD_SOURCE, per_template, seed
    )


def dialogue_rows(
    per_template: int = DIALOGUE_PER_TEMPLATE, seed: int = 0
) -> list[LabelledText]:
    """Return filled ordinary calls between people who know each other, normal."""
    return template_rows(
        "normal_dialogues.yaml", "normal", DIALOGUE_SOURCE, per_template, seed
    )


def fill(
    template: str, slots: dict[str, list[str]], rng: random.Random, name: str = ""
) -> str:
    """Return ``template`` with every slot filled (slot values may hold slots)."""
    for _ in range(3):
        template = _SLOT.sub(lambda m: _value(m.group(1), slots, rng, name), template)
    return template


def move_signature(text: str, rng: random.Random) -> str:
    """Move a leading 【sender】 to the end of ``text`` half of the time.

    Senders sign first or last, so neither place becomes a cue for a label.
    """
    match = _SIGNATURE.match(text)
    if match is None or rng.random() < 0.5:
        return text
    return text[match.end() :] + match.group(0)


def _value(
    name: str, slots: dict[str, list[str]], rng: random.Random, file: str
) -> str:
    generated = _GENERATED.fullmatch(name)
    if generated is not None:
        alphabet = "0123456789" if generated.group(1) == "d" else _LETTERS
        return "".join(rng.choice(alphabet) for _ in range(int(generated.group(2))))
    if name == "month":
        return str(rng.randint(1, 12))
    if name == "day":
        return str(rng.randint(1, 28))
    if name == "hour":
        return f"{rng.randint(0, 23):02d}"
    if name == "minute":
        return f"{rng.randint(0, 59):02d}"
    if name not in slots:
        raise KeyError(f"{file}: no slot named {name!r}")
    return str(rng.choice(slots[name]))


__all__ = [
    "DIALOGUE_PER_TEMPLATE",
    "DIALOGUE_SOURCE",
    "FRAUD_PER_TEMPLATE",
    "FRAUD_SOURCE",
    "fill",
    "dialogue_rows",
    "fill_templates",
    "fraud_rows",
    "load_template_file",
    "move_signature",
    "template_rows",
]
