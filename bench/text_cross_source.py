"""Leave one source out: how the text model does on a source it never saw.

Usage: python bench/text_cross_source.py [--data-dir DIR] [--source NAME ...]
       [--param KEY=VALUE ...] [--no-fraud-templates] [--no-dialogues]

For each source with fraud rows (by default every such source), the model is
trained with the shipped settings on all *other* sources and the synthetic
service notices, fraud messages and ordinary calls (``training_rows`` and
``fit_rows``, as ``bench/cv_text.py`` does; ``--no-fraud-templates`` and
``--no-dialogues`` leave the last two out) and scores the held-out source. It
is the nearest the shared data comes to "real data from other sources, styles
and regions": in-source cross-validation overstates what the model does there.

The held-out rows are de-duplicated on the model text (a text seen with two
labels is dropped) and rows whose model text also occurs in the training set
are dropped. Groups that training leaves out (Telecom_Fraud_Texts_5's
``normal`` rows, which mix ads with ham) are still scored: neither ads nor
ham are fraud, so a fraud verdict on them is a false alarm.

Per held-out source it prints ``fraud_recall``, ``fraud_precision`` and
``fraud_f1`` (higher is better), ``non_fraud_flagged_fraud`` (share of the
source's other rows called fraud; lower is better, overall and per label),
``auc`` (fraud versus rest from P(fraud); 1 is perfect, 0.5 chance, None when
the source has no other rows), ``recall_at_1pct_flagged`` (fraud recall at the
P(fraud) cut that flags 1 % of the other rows, chosen on the held-out labels:
ranking, not the shipped offsets), what missed fraud was called, and the recall
per scenario. ``--param`` passes
:class:`~fanzha.detectors.text.model_detector.ModelTextDetector` options
(for example ``--param alpha=3e-6 --param lexicon_boost=0.5``).
"""

from __future__ import annotations

import argparse
import json
import logging
import time
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from fanzha.detectors.text.corpus import LabelledText, load_shared_text
from fanzha.detectors.text.evaluation import score_all
from fanzha.detectors.text.linear import LABELS
from fanzha.detectors.text.model_detector import ModelTextDetector
from fanzha.detectors.text.normalize import model_text
from fanzha.detectors.text.training import fit_rows, synthetic_rows, training_rows
from fanzha.evaluation.metrics import per_label_scores, roc_auc

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data"
logger = logging.getLogger("text_cross_source")


def fraud_sources(rows: Sequence[LabelledText]) -> list[str]:
    """Return the sources that have fraud rows, sorted."""
    return sorted({r.source for r in rows if r.label == "fraud"})


def split(
    rows: Sequence[LabelledText],
    source: str,
    fraud_templates: bool = True,
    dialogues: bool = True,
) -> tuple[list[LabelledText], list[LabelledText], int]:
    """Return the training rows, the held-out rows and how many were dropped.

    Training rows are ``training_rows`` of every other source; held-out rows
    are ``source``'s rows, one per model text, without texts seen with two
    labels or seen in training.
    """
    others = [r for r in rows if r.source != source]
    synthetic = synthetic_rows(fraud=fraud_templates, dialogues=dialogues)
    train = training_rows([*others, *synthetic])
    seen = {model_text(r.text) for r in train}
    by_text: dict[str, list[LabelledText]] = {}
    own = [r for r in rows if r.source == source]
    for row in own:
        key = model_text(row.text)
        if key and key not in seen:
            by_text.setdefault(key, []).append(row)
    test = [g[0] for g in by_text.values() if len({r.label for r in g}) == 1]
    return train, test, len(own) - len(test)


def held_out_block(
    detector: ModelTextDetector, test: Sequence[LabelledText]
) -> dict[str, Any]:
    """Return the fraud figures of ``detector`` on the held-out rows ``test``."""
    texts = [r.text for r in test]
    pred = [v.label for v in score_all(detector, texts)]
    fraud_p = detector.predict_proba(texts)[:, LABELS.index("fraud")]
    truth = [r.label == "fraud" for r in test]
    return {
        "n": len(test),
        "labels": dict(sorted(Counter(r.label for r in test).items())),
        **fraud_scores(test, pred),
        "non_fraud_flagged_fraud": flagged_shares(test, pred),
        "auc": _round(roc_auc([int(t) for t in truth], list(fraud_p))),
        "recall_at_1pct_flagged": recall_at(truth, fraud_p, 0.01),
        "missed_fraud_called": dict(
            Counter(p for r, p in zip(test, pred, strict=True) if _missed(r, p))
        ),
        "fraud_recall_by_scenario": scenario_recall(test, pred),
    }


def fraud_scores(test: Sequence[LabelledText], pred: Sequence[str]) -> dict[str, Any]:
    """Return fraud recall, precision and F1 (higher is better; None if undefined)."""
    fraud = per_label_scores([r.label for r in test], pred, ["fraud"])["fraud"]
    flagged = any(p == "fraud" for p in pred)
    present = fraud["support"] > 0
    return {
        "fraud_recall": _round(fraud["recall"]) if present else None,
        "fraud_precision": _round(fraud["precision"]) if flagged else None,
        "fraud_f1": _round(fraud["f1"]) if present else None,
    }


def flagged_shares(test: Sequence[LabelledText], pred: Sequence[str]) -> dict[str, Any]:
    """Return the share of non-fraud rows called fraud, overall and per label.

    Lower is better; ``None`` overall when the source has no non-fraud rows.
    """
    calls: dict[str, list[bool]] = {}
    for row, label in zip(test, pred, strict=True):
        if row.label != "fraud":
            calls.setdefault(row.label, []).append(label == "fraud")
    every = [c for part in calls.values() for c in part]
    return {
        "all": _round(sum(every) / len(every)) if every else None,
        **{k: _round(sum(v) / len(v)) for k, v in sorted(calls.items())},
    }


def scenario_recall(test: Sequence[LabelledText], pred: Sequence[str]) -> dict:
    """Return fraud recall per labelled scenario, with the number of rows."""
    parts: dict[str, list[bool]] = {}
    for row, label in zip(test, pred, strict=True):
        if row.label == "fraud":
            parts.setdefault(row.scenario or "none", []).append(label == "fraud")
    return {k: [_round(sum(v) / len(v)), len(v)] for k, v in sorted(parts.items())}


def recall_at(
    truth: Sequence[bool], fraud_p: np.ndarray, false_alarms: float
) -> float | None:
    """Return fraud recall at the P(fraud) cut that flags ``false_alarms`` of the rest.

    The cut is chosen on the held-out labels themselves (an oracle), so this
    says how well the model ranks the source, not what the shipped offsets do.
    """
    truth_a = np.asarray(truth, dtype=bool)
    if truth_a.all() or not truth_a.any():
        return None
    cut = np.quantile(fraud_p[~truth_a], 1.0 - false_alarms)
    return _round(float(np.mean(fraud_p[truth_a] > cut)))


def _missed(row: LabelledText, label: str) -> bool:
    return row.label == "fraud" and label != "fraud"


def _round(value: float | None) -> float | None:
    return None if value is None else round(float(value), 4)


def parse_params(pairs: Sequence[str]) -> dict[str, float | int]:
    """Return ``KEY=VALUE`` pairs as detector options (ints where integral)."""
    params: dict[str, float | int] = {}
    for pair in pairs:
        key, _, value = pair.partition("=")
        number = float(value)
        params[key] = int(number) if value.lstrip("-").isdigit() else number
    return params


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--data-dir", type=Path, default=SHARED)
    parser.add_argument("--source", action="append", default=None)
    parser.add_argument("--param", action="append", default=[])
    parser.add_argument("--no-fraud-templates", action="store_true")
    parser.add_argument("--no-dialogues", action="store_true")
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s")
    params = parse_params(args.param)
    rows = load_shared_text(args.data_dir)
    report: dict[str, Any] = {}
    started = time.perf_counter()
    for source in args.source or fraud_sources(rows):
        begun = time.perf_counter()
        train, test, dropped = split(
            rows, source, not args.no_fraud_templates, not args.no_dialogues
        )
        detector = fit_rows(train, **params)
        block = held_out_block(detector, test)
        block["dropped_duplicates"] = dropped
        block["train_rows"] = len(train)
        block["seconds"] = round(time.perf_counter() - begun, 1)
        report[source] = block
        logger.info("held out source=%s recall=%s", source, block["fraud_recall"])
    summary = {
        "protocol": "leave one source out: train on the other shared sources",
        "options": params,
        "synthetic_fraud": not args.no_fraud_templates,
        "synthetic_dialogues": not args.no_dialogues,
        "held_out": report,
        "seconds": round(time.perf_counter() - started, 1),
    }
    print(json.dumps(summary, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
