"""Linear models over hashed n-grams: fitting, probabilities and explanations.

Coefficients are kept as float32 rounded through float16, so the saved model is
half the size and a loaded model scores exactly as the one that was saved.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence

import numpy as np
import scipy.sparse as sp
from scipy.special import expit

from fanzha.detectors.text.features import NgramHasher, char_ngrams

LABELS: tuple[str, ...] = ("normal", "ad", "illegal", "fraud")
_ABSENT = -30.0
_EXPLAIN_SAMPLE = 40_000
_KEEP_GRAMS = 4_000


def fit_linear(
    features: sp.csr_matrix,
    y: np.ndarray,
    classes: Sequence[str],
    alpha: float,
    weights: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """Fit one-vs-rest logistic models; return ``(coef, intercept)`` per class.

    ``coef`` has one row per entry of ``classes``; a class absent from ``y``
    gets zero weights and a very negative intercept.
    """
    from sklearn.linear_model import SGDClassifier

    model = SGDClassifier(
        loss="log_loss", alpha=alpha, max_iter=20, tol=None, random_state=0
    )
    model.fit(features, y, sample_weight=weights)
    coef = np.zeros((len(classes), features.shape[1]), dtype=np.float32)
    intercept = np.full(len(classes), _ABSENT, dtype=np.float32)
    seen = list(model.classes_)
    rows = model.coef_ if len(seen) > 2 else np.vstack([-model.coef_, model.coef_])
    bias = (
        model.intercept_
        if len(seen) > 2
        else np.r_[-model.intercept_, model.intercept_]
    )
    for row, name in enumerate(seen):
        coef[classes.index(name)] = rows[row]
        intercept[classes.index(name)] = bias[row]
    return scoring_layout(_half(coef)), _half(intercept)


def _half(values: np.ndarray) -> np.ndarray:
    return values.astype(np.float16).astype(np.float32)


def scoring_layout(coef: np.ndarray) -> np.ndarray:
    """Return ``coef`` as float32 in column-major order.

    ``features @ coef.T`` then reads ``coef.T`` in place; with a row-major
    ``coef`` scipy copies the whole matrix on every call, which dominated the
    time to score a single message.
    """
    return np.asfortranarray(coef, dtype=np.float32)


def softmax(logits: np.ndarray) -> np.ndarray:
    """Normalise one-vs-rest log-odds into class probabilities (rows sum to 1)."""
    # expit saturates at 0 and 1 without overflow warnings for extreme log-odds.
    odds = expit(np.asarray(logits, dtype=np.float64))
    return odds / np.maximum(odds.sum(axis=1, keepdims=True), 1e-12)


def top_ngrams(
    texts: Sequence[str], coef: np.ndarray, hasher: NgramHasher
) -> dict[str, tuple[float, ...]]:
    """Return the most decisive n-grams (2 or ``min_n`` to ``max_n``) and weights.

    Only these n-grams are named as evidence; hashing alone cannot name them.
    """
    counts: Counter[str] = Counter()
    step = max(1, len(texts) // _EXPLAIN_SAMPLE)
    shortest = max(2, hasher.min_n)  # shorter n-grams have no weights to show
    for text in texts[::step]:
        counts.update(set(char_ngrams(text, hasher.max_n, min_n=shortest)))
    grams = sorted(g for g, c in counts.items() if c >= 3)  # stable across runs
    if not grams:
        return {}
    buckets = [hasher.bucket_of(g) for g in grams]
    weights = coef[:, buckets].T
    lift = np.abs(weights[:, 1:] - weights[:, :1]).max(axis=1)
    keep = np.argsort(-lift, kind="stable")[:_KEEP_GRAMS]
    return {grams[i]: tuple(round(float(w), 3) for w in weights[i]) for i in keep}


def label_support(
    table: Mapping[str, tuple[float, ...]], label: str
) -> dict[str, float]:
    """Return the n-grams of ``table`` that support ``label``, with their support.

    Support is an n-gram's weight for ``label`` minus its weight for the
    strongest other class; only n-grams with positive support are kept.
    """
    index = LABELS.index(label)
    support = {}
    for gram, weights in table.items():
        lift = weights[index] - max(w for i, w in enumerate(weights) if i != index)
        if lift > 0:
            support[gram] = lift
    return support


def explain_ngrams(
    cleaned: str, support: Mapping[str, float], top: int = 5
) -> list[tuple[str, float]]:
    """Return up to ``top`` n-grams of ``cleaned`` with the most support.

    ``support`` is :func:`label_support` of the decided label. Ties keep the
    order of the n-grams in the text (shortest first); n-grams inside an
    already chosen one are skipped.
    """
    grams = dict.fromkeys(char_ngrams(cleaned, 3, min_n=2))
    scored = [(g, support[g]) for g in grams if g in support]
    chosen: list[tuple[str, float]] = []
    for gram, lift in sorted(scored, key=lambda x: -x[1]):
        if not any(gram in c for c, _ in chosen):
            chosen.append((gram, round(lift, 3)))
        if len(chosen) == top:
            break
    return chosen
