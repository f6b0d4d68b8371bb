"""Train and evaluate the number-risk model on the Sichuan layout.

``fanzha train number`` runs stratified 5-fold cross-validation on
``cdr/sichuan_train.csv`` (the decision threshold of each fold is chosen from
out-of-fold predictions inside that fold's training part only), then fits the
final model on every row and writes it with its cross-validated figures.
``fanzha evaluate number --data FILE.csv`` scores a labelled file in the same
layout with the shipped (or a given) model.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from fanzha.detectors.calls.number_risk_detector import ID_COLUMNS, NumberRiskDetector
from fanzha.errors import ModelError, ValidationError
from fanzha.evaluation.metrics import classification_report, roc_auc
from fanzha.registry import register_evaluator, register_trainer

logger = logging.getLogger(__name__)

SHIPPED_MODEL = Path(__file__).resolve().parents[2] / "models" / "number"
TRAIN_FILE = Path("cdr") / "sichuan_train.csv"
FOLDS = 5
SEED = 0


def read_sichuan(path: Path) -> tuple[list[dict[str, Any]], list[str] | None]:
    """Read a Sichuan-layout CSV into feature rows and labels (None if unlabelled).

    ``label`` is 1 for fraud and 0 for normal; a row with another label is an
    error naming its line.
    """
    frame = pd.read_csv(path)
    labels = None
    if "label" in frame.columns:
        frame["label"] = pd.to_numeric(frame["label"], errors="coerce")
        bad = ~frame["label"].isin([0, 1])
        if bad.any():
            line = int(np.flatnonzero(bad.to_numpy())[0]) + 2
            raise ValidationError(f"{path.name}: label must be 0 or 1", record=line)
        labels = ["fraud" if v == 1 else "normal" for v in frame["label"]]
    rows = frame.drop(columns=["label"], errors="ignore").to_dict("records")
    return rows, labels


def best_threshold(truth: np.ndarray, risks: np.ndarray) -> float:
    """Return the risk threshold in [0.2, 0.8] with the best macro-F1."""
    candidates = np.round(np.linspace(0.2, 0.8, 61), 3)
    scores = [_macro_f1(truth, risks >= c) for c in candidates]
    return float(candidates[int(np.argmax(scores))])


def _macro_f1(truth: np.ndarray, pred: np.ndarray) -> float:
    f1s = []
    for positive in (True, False):
        tp = np.sum((pred == positive) & (truth == positive))
        fp = np.sum((pred == positive) & (truth != positive))
        fn = np.sum((pred != positive) & (truth == positive))
        f1s.append(2 * tp / (2 * tp + fp + fn) if tp else 0.0)
    return float(np.mean(f1s))


def _folds(
    labels: Sequence[str], k: int, seed: int
) -> list[tuple[np.ndarray, np.ndarray]]:
    from sklearn.model_selection import StratifiedKFold

    index = np.arange(len(labels))
    return list(
        StratifiedKFold(k, shuffle=True, random_state=seed).split(index, labels)
    )


def out_of_fold(
    rows: list[dict[str, Any]], labels: list[str], k: int, seed: int
) -> np.ndarray:
    """Return out-of-fold fraud probabilities from ``k``-fold cross-validation."""
    risks = np.zeros(len(rows))
    for train, test in _folds(labels, k, seed):
        model = NumberRiskDetector().fit(
            [rows[i] for i in train], [labels[i] for i in train]
        )
        risks[test] = model.predict_risk([rows[i] for i in test])
    return risks


def cross_validate(rows: list[dict[str, Any]], labels: list[str]) -> dict[str, Any]:
    """Return 5-fold AUC and macro-F1, thresholds chosen inside each fold."""
    truth = np.array([label == "fraud" for label in labels])
    aucs, f1s, thresholds = [], [], []
    for fold, (train, test) in enumerate(_folds(labels, FOLDS, SEED)):
        sub_rows, sub_labels = [rows[i] for i in train], [labels[i] for i in train]
        inner = out_of_fold(sub_rows, sub_labels, 4, SEED + 1)
        threshold = best_threshold(truth[train], inner)
        model = NumberRiskDetector(threshold=threshold).fit(sub_rows, sub_labels)
        risks = model.predict_risk([rows[i] for i in test])
        aucs.append(roc_auc(truth[test].astype(int).tolist(), risks.tolist()) or 0.0)
        f1s.append(_macro_f1(truth[test], risks >= threshold))
        thresholds.append(threshold)
        logger.info(
            "cv fold=%d auc=%.4f macro_f1=%.4f threshold=%.2f",
            fold,
            aucs[-1],
            f1s[-1],
            threshold,
        )
    return {
        "folds": FOLDS,
        "auc_mean": float(np.mean(aucs)),
        "auc_std": float(np.std(aucs)),
        "macro_f1_mean": float(np.mean(f1s)),
        "macro_f1_std": float(np.std(f1s)),
        "thresholds": thresholds,
    }


@register_trainer("number")
def train_number(data_dir: Path, out: Path) -> dict[str, Any]:
    """Cross-validate, then fit on all of ``sichuan_train.csv`` and save to ``out``."""
    rows, labels = read_sichuan(data_dir / TRAIN_FILE)
    if labels is None:
        raise ValidationError(f"{TRAIN_FILE} has no label column")
    cv = cross_validate(rows, labels)

    # The shipped threshold comes from out-of-fold predictions on the whole file.
    truth = np.array([label == "fraud" for label in labels])
    threshold = best_threshold(truth, out_of_fold(rows, labels, FOLDS, SEED))
    model = NumberRiskDetector(threshold=threshold).fit(rows, labels)
    model.save(out)
    summary = {
        "rows": len(rows),
        "threshold": threshold,
        "cv": cv,
        "features": len(model.feature_names_),
    }
    (out / "metrics.json").write_text(json.dumps(summary, indent=2), "utf-8")
    logger.info("number model trained rows=%d threshold=%.2f", len(rows), threshold)
    return summary


@register_evaluator("number")
def evaluate_number(data: Path, model_dir: Path | None) -> dict[str, Any]:
    """Score a labelled Sichuan-layout CSV; fraud is the positive class."""
    rows, labels = read_sichuan(data)
    if labels is None:
        raise ValidationError(f"{data.name} has no label column; evaluate needs labels")
    model = load_number_model(model_dir)
    missing = [n for n in model.feature_names_ if n not in rows[0]] if rows else []
    if missing:
        logger.warning(
            "evaluate number: %d feature columns missing, scored as NaN: %s",
            len(missing),
            ", ".join(missing[:10]),
        )
    # Evidence is not needed for metrics; plain predictions are far faster.
    risks = model.predict_risk(rows)
    predicted = ["fraud" if r >= model.threshold_ else "normal" for r in risks]
    report = classification_report(
        labels,
        predicted,
        scores=risks.tolist(),
        positive=["fraud"],
        labels=["fraud", "normal"],
    )
    report["missing_features"] = missing
    return report


def load_number_model(model_dir: Path | None = None) -> NumberRiskDetector:
    """Load a trained number-risk model; default: the one shipped with fanzha."""
    folder = model_dir or SHIPPED_MODEL
    model = NumberRiskDetector.load(folder)
    if not isinstance(model, NumberRiskDetector):
        raise ModelError(f"{folder} does not hold a number-risk model")
    return model


__all__ = ["ID_COLUMNS", "evaluate_number", "load_number_model", "train_number"]
