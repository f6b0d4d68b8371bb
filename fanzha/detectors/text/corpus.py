"""Reading labelled text: the canonical CSV and the shared training sets.

The canonical CSV has the header ``text,label,scenario,source`` (``scenario``
and ``source`` optional). :func:`read_labelled` reads it row by row: a row with
invalid UTF-8, empty text or an unknown label becomes a :class:`RowProblem` that
names its line, and the rows beside it are still returned.
"""

from __future__ import annotations

import csv
import json
import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from fanzha.errors import UnsupportedFormatError, ValidationError
from fanzha.scenarios import scenario_ids

logger = logging.getLogger(__name__)

LABELS = ("normal", "ad", "illegal", "fraud")
REQUIRED = ("text", "label")
_BAD_BYTES = re.compile("[\udc80-\udcff]")

# TeleAntiFraud's fraud types, mapped to the scenario ids of fanzha.scenarios.
DIALOGUE_SCENARIOS = {
    "投资诈骗": "investment",
    "银行诈骗": "phishing",
    "钓鱼诈骗": "phishing",
    "客服诈骗": "impersonate_service",
    "邮件诈骗": "impersonate_service",
    "身份盗窃": "other",
    "彩票诈骗": "other",
    "绑架诈骗": "other",
}
SHARED_FILES = ("telecom_fraud_texts_5.csv", "sms_800k_subset.csv", "fbs_sms_dev.csv")


@dataclass(frozen=True)
class LabelledText:
    """One labelled message; ``line`` is its line number in the file it came from.

    ``caller_turns`` holds a dialogue's caller turns in order (empty for a
    message), from which training cuts SMS-length windows. ``fixed_from`` is
    the file's own label when a label fix changed it (see
    :mod:`~fanzha.detectors.text.label_fixes`).
    """

    text: str
    label: str
    scenario: str | None = None
    source: str = ""
    line: int = 0
    caller_turns: tuple[str, ...] = ()
    fixed_from: str | None = None


@dataclass(frozen=True)
class RowProblem:
    """A row that could not be used, with its line number and the reason."""

    line: int
    reason: str


def read_labelled(path: Path) -> tuple[list[LabelledText], list[RowProblem]]:
    """Read a canonical labelled CSV; return the good rows and the bad ones.

    Raises ``ValidationError`` when the header lacks ``text`` or ``label`` and
    ``UnsupportedFormatError`` when the file is not a CSV.
    """
    if path.suffix.lower() != ".csv":
        raise UnsupportedFormatError(
            f"{path} is not a .csv file; labelled text must be a canonical CSV "
            "with the header text,label,scenario,source"
        )
    rows: list[LabelledText] = []
    problems: list[RowProblem] = []
    for line, record in _csv_records(path):
        try:
            rows.append(_parse_row(record, line))
        except ValidationError as exc:
            problems.append(RowProblem(line, str(exc)))
    for problem in problems:
        logger.warning(
            "row rejected path=%s line=%s reason=%s", path, problem.line, problem.reason
        )
    return rows, problems


def _csv_records(path: Path) -> Iterator[tuple[int, dict[str, str]]]:
    with open(path, encoding="utf-8", errors="surrogateescape", newline="") as fh:
        reader = csv.DictReader(fh)
        header = [h.strip().lstrip("\ufeff") for h in reader.fieldnames or []]
        missing = [c for c in REQUIRED if c not in header]
        if missing:
            raise ValidationError(
                f"{path} lacks the column(s) {', '.join(missing)}; the header must "
                "be text,label,scenario,source",
                record=1,
            )
        reader.fieldnames = header
        line = 2
        for record in reader:
            yield line, record
            line = reader.line_num + 1


def _parse_row(record: dict[str, str], line: int) -> LabelledText:
    values = {k: (v or "").strip() for k, v in record.items() if k}
    if any(_BAD_BYTES.search(v) for v in values.values()):
        raise ValidationError(
            "invalid UTF-8 bytes; re-encode the file as UTF-8", record=line
        )
    if not values.get("text"):
        raise ValidationError("text is empty", record=line)
    label = values.get("label", "").lower()  # "Fraud" and "AD" are meant too
    if label not in LABELS:
        raise ValidationError(
            f"label {label!r} is not one of {', '.join(LABELS)}", record=line
        )
    scenario = values.get("scenario", "").lower() or None
    if scenario is not None and scenario not in scenario_ids():
        raise ValidationError(f"unknown scenario {scenario!r}", record=line)
    return LabelledText(values["text"], label, scenario, values.get("source", ""), line)


def read_dialogues(folder: Path) -> list[LabelledText]:
    """Read TeleAntiFraud dialogues as texts: turns joined, no speaker names.

    Caller and callee turns alternate, one per line. Speaker roles are left out
    so that a model cannot learn them instead of what is said.
    """
    rows: list[LabelledText] = []
    for path in sorted(folder.glob("*_dialogues-*.jsonl")):
        fraud = path.name.startswith("fraud")
        for number, line in enumerate(path.read_text("utf-8").splitlines(), 1):
            if not line.strip():
                continue
            record = json.loads(line)
            text = "\n".join(
                _interleave(record.get("left", []), record.get("right", []))
            )
            scenario = (
                DIALOGUE_SCENARIOS.get(record.get("fraud_type", "")) if fraud else None
            )
            rows.append(
                LabelledText(
                    text,
                    "fraud" if fraud else "normal",
                    scenario,
                    "teleantifraud",
                    number,
                    tuple(str(t) for t in record.get("left", [])),
                )
            )
    return rows


def _interleave(left: list[str], right: list[str]) -> Iterator[str]:
    for i in range(max(len(left), len(right))):
        yield from (turns[i] for turns in (left, right) if i < len(turns))


def load_shared_text(data_dir: Path) -> list[LabelledText]:
    """Read every text training set under ``data_dir/text``, de-duplicated.

    Raises ``ValidationError`` when a file is missing or has bad rows.
    """
    folder = data_dir / "text"
    rows: list[LabelledText] = []
    for name in SHARED_FILES:
        path = folder / name
        if not path.is_file():
            raise ValidationError(f"{path} is missing; pass the shared data folder")
        good, bad = read_labelled(path)
        if bad:
            raise ValidationError(
                f"{len(bad)} bad rows, first: {bad[0].reason}", record=str(path)
            )
        rows.extend(good)
    dialogues = folder / "dialogues" / "teleantifraud"
    if dialogues.is_dir():
        rows.extend(read_dialogues(dialogues))
    return rows
