"""Label fixes for the shared training text, read from ``data/label_fixes.yaml``.

A public corpus labelled for another task carries rows whose label is wrong for
ours: the 800k SMS corpus marks spam versus ham, so a few fraud scripts in it
arrive as ``ad``. Each fix names a source and a label, narrow regular
expressions over the raw text, and the label and scenario to give instead.
Training and cross-validation apply the fixes; ``fanzha evaluate text`` reads
a file's labels as they are. A fixed row keeps the training weight of the group
it came from (:func:`~fanzha.detectors.text.training.group_weights`), so a few
fixes correct those rows without giving their new label a source of its own.
"""

from __future__ import annotations

import dataclasses
import logging
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import yaml

from fanzha.detectors.text.corpus import LabelledText
from fanzha.errors import ValidationError

logger = logging.getLogger(__name__)

FILE = "label_fixes.yaml"


@dataclass(frozen=True)
class LabelFix:
    """Rows of ``source`` labelled ``label`` whose text matches ``pattern``."""

    name: str
    source: str
    label: str
    to: str
    scenario: str | None
    pattern: re.Pattern[str]

    def applies(self, row: LabelledText) -> bool:
        """Return whether this fix relabels ``row``."""
        return (
            row.source == self.source
            and row.label == self.label
            and self.pattern.search(row.text) is not None
        )


@lru_cache(maxsize=1)
def label_fixes() -> tuple[LabelFix, ...]:
    """Return the fixes of the packaged ``label_fixes.yaml``, in file order."""
    text = (
        resources.files("fanzha.detectors.text.data").joinpath(FILE).read_text("utf-8")
    )
    return tuple(parse_fix(entry) for entry in yaml.safe_load(text)["fixes"])


def parse_fix(entry: dict[str, object]) -> LabelFix:
    """Return the :class:`LabelFix` of one ``fixes`` entry of the YAML file."""
    try:
        patterns = [str(p) for p in entry["patterns"]]  # type: ignore[attr-defined]
        pattern = re.compile("|".join(f"(?:{p})" for p in patterns))
        return LabelFix(
            name=str(entry["name"]),
            source=str(entry["source"]),
            label=str(entry["label"]),
            to=str(entry["to"]),
            scenario=str(entry["scenario"]) if entry.get("scenario") else None,
            pattern=pattern,
        )
    except (KeyError, TypeError, re.error) as exc:
        raise ValidationError(
            f"{FILE}: fix {entry.get('name')!r} is incomplete or has a bad "
            f"pattern ({exc}); each fix needs name, source, label, to, patterns"
        ) from exc


def apply_label_fixes(
    rows: Sequence[LabelledText], fixes: Sequence[LabelFix] | None = None
) -> tuple[list[LabelledText], Counter[str]]:
    """Return ``rows`` with the first matching fix applied, and counts per fix."""
    fixes = label_fixes() if fixes is None else fixes
    fixed: list[LabelledText] = []
    counts: Counter[str] = Counter()
    for row in rows:
        fix = next((f for f in fixes if f.applies(row)), None)
        if fix is not None:
            row = dataclasses.replace(
                row, label=fix.to, scenario=fix.scenario, fixed_from=row.label
            )
            counts[fix.name] += 1
        fixed.append(row)
    if counts:
        logger.info("label fixes applied %s", dict(counts))
    return fixed, counts
