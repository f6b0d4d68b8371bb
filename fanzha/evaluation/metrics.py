"""Classification metrics shared by every ``fanzha evaluate`` kind.

Every evaluator returns the same keys: ``n``, ``macro_f1`` and ``per_label``
(label -> precision, recall, f1, support) and, where the kind has a
malicious-versus-rest score, ``auc`` and ``ap``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np


def per_label_scores(
    y_true: Sequence[str], y_pred: Sequence[str], labels: Iterable[str] | None = None
) -> dict[str, dict[str, float]]:
    """Return precision, recall, f1 and support for each label.

    Labels default to every value seen in ``y_true`` or ``y_pred``. A label never
    predicted has precision 0; one never present has recall 0.
    """
    true = np.asarray(y_true, dtype=object)
    pred = np.asarray(y_pred, dtype=object)
    names = sorted(set(labels) if labels is not None else set(true) | set(pred))
    table: dict[str, dict[str, float]] = {}
    for name in names:
        tp = float(np.sum((true == name) & (pred == name)))
        predicted = float(np.sum(pred == name))
        support = float(np.sum(true == name))
        precision = tp / predicted if predicted else 0.0
        recall = tp / support if support else 0.0
        f1 = _harmonic(precision, recall)
        table[name] = {
            "precision": precision,
            "recall": recall,
            "f1": f1,
            "support": int(support),
        }
    return table


def _harmonic(precision: float, recall: float) -> float:
    total = precision + recall
    return 2 * precision * recall / total if total else 0.0


def roc_auc(y_true: Sequence[int], scores: Sequence[float]) -> float | None:
    """Area under the ROC curve (ties count half); None if one class is absent."""
    truth = np.asarray(y_true, dtype=bool)
    values = np.asarray(scores, dtype=float)
    n_pos, n_neg = int(truth.sum()), int((~truth).sum())
    if n_pos == 0 or n_neg == 0:
        return None

    # Mann-Whitney U from average ranks handles ties exactly.
    order = np.argsort(values, kind="mergesort")
    ranks = np.empty(len(values), dtype=float)
    sorted_values = values[order]
    _, first, counts = np.unique(sorted_values, return_index=True, return_counts=True)
    average = first + (counts + 1) / 2.0
    ranks[order] = np.repeat(average, counts)
    u = ranks[truth].sum() - n_pos * (n_pos + 1) / 2.0
    return float(u / (n_pos * n_neg))


def average_precision(y_true: Sequence[int], scores: Sequence[float]) -> float | None:
    """Average precision (area under the step precision-recall curve)."""
    truth = np.asarray(y_true, dtype=bool)
    values = np.asarray(scores, dtype=float)
    n_pos = int(truth.sum())
    if n_pos == 0:
        return None

    # Walk thresholds from high to low, one step per distinct score.
    order = np.argsort(-values, kind="mergesort")
    hits = truth[order].astype(float)
    tp = np.cumsum(hits)
    fp = np.cumsum(1.0 - hits)
    last = np.r_[np.diff(values[order]) != 0, True]
    tp, fp = tp[last], fp[last]
    precision = tp / (tp + fp)
    recall = tp / n_pos
    steps = np.diff(np.r_[0.0, recall])
    return float(np.sum(steps * precision))


def classification_report(
    y_true: Sequence[str],
    y_pred: Sequence[str],
    scores: Sequence[float] | None = None,
    positive: Iterable[str] = (),
    labels: Iterable[str] | None = None,
) -> dict[str, Any]:
    """Return the common evaluation keys.

    Parameters
    ----------
    y_true, y_pred
        True and predicted labels, one per item.
    scores
        Malicious-versus-rest scores, higher meaning more suspicious; when given
        together with ``positive`` the report gains ``auc`` and ``ap``.
    positive
        The labels that count as malicious for ``auc`` and ``ap``.
    labels
        Labels to report; by default every label seen.
    """
    if len(y_true) != len(y_pred):
        raise ValueError("y_true and y_pred differ in length")
    table = per_label_scores(y_true, y_pred, labels)
    present = [v["f1"] for v in table.values() if v["support"] > 0]
    report: dict[str, Any] = {
        "n": len(y_true),
        "macro_f1": float(np.mean(present)) if present else 0.0,
        "per_label": table,
    }
    positives = set(positive)
    if scores is not None and positives:
        binary = [int(label in positives) for label in y_true]
        report["auc"] = roc_auc(binary, scores)
        report["ap"] = average_precision(binary, scores)
    return report


def confusion_matrix(
    y_true: Sequence[str], y_pred: Sequence[str], labels: Sequence[str]
) -> dict[str, dict[str, int]]:
    """Return ``{true label: {predicted label: count}}`` over ``labels``."""
    matrix = {t: dict.fromkeys(labels, 0) for t in labels}
    for truth, pred in zip(y_true, y_pred, strict=True):
        if truth in matrix and pred in matrix[truth]:
            matrix[truth][pred] += 1
    return matrix
