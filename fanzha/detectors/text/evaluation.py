"""``fanzha evaluate text``: score a canonical labelled CSV and report metrics.

The report holds the common keys (``n``, ``macro_f1``, ``per_label``, ``auc``,
``ap`` with fraud as the positive class) plus ``fraud_recall``,
``ads_flagged_fraud``, ``scenario_macro_f1`` (rows that carry a scenario),
``confusion_matrix``, ``per_source`` when a ``source`` column is present,
``evasion`` (the same rows rewritten by the evasion generator, and the F1 drop)
and ``bad_rows`` (rows that could not be scored, with their line numbers).
"""

from __future__ import annotations

import logging
import random
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from fanzha.detectors.text.corpus import LabelledText, read_labelled
from fanzha.detectors.text.evasion import evade
from fanzha.detectors.text.linear import LABELS
from fanzha.detectors.text.model_detector import ModelTextDetector, load_default
from fanzha.errors import ValidationError
from fanzha.evaluation.metrics import classification_report, confusion_matrix
from fanzha.registry import register_evaluator
from fanzha.verdict import Verdict

logger = logging.getLogger(__name__)
_BATCH = 2_000


@register_evaluator("text")
def evaluate_text(data: Path, model: Path | None = None) -> dict[str, Any]:
    """Score the canonical CSV ``data`` with ``model`` (default: shipped model)."""
    rows, problems = read_labelled(data)
    if not rows:
        raise ValidationError(
            f"{data} has no usable rows; {len(problems)} were bad",
            record=problems[0].line if problems else None,
        )
    detector = ModelTextDetector.load(model) if model else load_default()
    assert isinstance(detector, ModelTextDetector)
    texts = [r.text for r in rows]
    fraud_proba = detector.predict_proba(texts)[:, LABELS.index("fraud")]
    report = text_report(rows, score_all(detector, texts), list(fraud_proba))
    evaded = score_all(detector, evade_rows(rows))
    report["evasion"] = evasion_block(rows, report, evaded)
    report["bad_rows"] = [{"line": p.line, "reason": p.reason} for p in problems]
    logger.info(
        "text evaluated path=%s rows=%s bad=%s macro_f1=%.4f",
        data,
        len(rows),
        len(problems),
        report["macro_f1"],
    )
    return report


def score_all(detector: ModelTextDetector, texts: Sequence[str]) -> list[Verdict]:
    """Score ``texts`` in batches."""
    verdicts: list[Verdict] = []
    for start in range(0, len(texts), _BATCH):
        verdicts.extend(detector.score_batch(texts[start : start + _BATCH]))
    return verdicts


def text_report(
    rows: Sequence[LabelledText],
    verdicts: Sequence[Verdict],
    fraud_score: Sequence[float],
) -> dict[str, Any]:
    """Return every metric of the text evaluation for scored rows.

    ``fraud_score`` is each row's fraud probability, for ``auc`` and ``ap``.
    """
    truth = [r.label for r in rows]
    pred = [v.label for v in verdicts]
    report = classification_report(
        truth, pred, fraud_score, positive={"fraud"}, labels=LABELS
    )
    report["fraud_recall"] = report["per_label"]["fraud"]["recall"]
    report["ads_flagged_fraud"] = _share(truth, pred, "ad", "fraud")
    report["scenario_macro_f1"] = _scenario_f1(rows, verdicts)
    report["confusion_matrix"] = confusion_matrix(truth, pred, LABELS)
    sources = sorted({r.source for r in rows if r.source})
    if sources:
        report["per_source"] = {s: _source_block(rows, verdicts, s) for s in sources}
    return report


def _share(
    truth: Sequence[str], pred: Sequence[str], true: str, as_: str
) -> float | None:
    flagged = [p == as_ for t, p in zip(truth, pred, strict=True) if t == true]
    return float(np.mean(flagged)) if flagged else None


def _scenario_f1(
    rows: Sequence[LabelledText], verdicts: Sequence[Verdict]
) -> float | None:
    pairs = [
        (r.scenario, v.scenario or "none")
        for r, v in zip(rows, verdicts, strict=True)
        if r.scenario
    ]
    if not pairs:
        return None
    truth, pred = zip(*pairs, strict=True)
    return float(classification_report(truth, pred, labels=set(truth))["macro_f1"])


def _source_block(
    rows: Sequence[LabelledText], verdicts: Sequence[Verdict], source: str
) -> dict[str, Any]:
    picked = [(r, v) for r, v in zip(rows, verdicts, strict=True) if r.source == source]
    truth = [r.label for r, _ in picked]
    pred = [v.label for _, v in picked]
    table = classification_report(truth, pred, labels=sorted(set(truth)))
    return {
        "n": len(picked),
        "macro_f1": table["macro_f1"],
        "f1": {k: round(v["f1"], 4) for k, v in table["per_label"].items()},
        "fraud_recall": _share(truth, pred, "fraud", "fraud"),
        "ads_flagged_fraud": _share(truth, pred, "ad", "fraud"),
    }


def evasion_block(
    rows: Sequence[LabelledText], clean: dict[str, Any], verdicts: Sequence[Verdict]
) -> dict[str, Any]:
    """Return F1 on evaded rows and the drops in points, overall and per source."""
    evaded = text_report(rows, verdicts, [v.risk for v in verdicts])
    fraud = evaded["per_label"]["fraud"]["f1"]
    block: dict[str, Any] = {
        "macro_f1": evaded["macro_f1"],
        "macro_f1_drop_points": 100 * (clean["macro_f1"] - evaded["macro_f1"]),
        "fraud_f1": fraud,
        "fraud_f1_drop_points": 100 * (clean["per_label"]["fraud"]["f1"] - fraud),
    }
    if "per_source" in evaded:
        block["per_source"] = {
            name: {
                "f1": part["f1"],
                "macro_f1_drop_points": round(
                    100 * (clean["per_source"][name]["macro_f1"] - part["macro_f1"]), 2
                ),
            }
            for name, part in evaded["per_source"].items()
        }
    return block


def evade_rows(rows: Sequence[LabelledText]) -> list[str]:
    """Return each row's text rewritten by the evasion generator (seeded by row)."""
    return [evade(r.text, random.Random(i)) for i, r in enumerate(rows)]
