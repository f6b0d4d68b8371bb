"""Logistic regression on hashed sparse features, fitted on the used columns only.

liblinear's cost grows with the number of columns, and a hashed feature space
has ``2**bits`` of them of which a training set uses a fraction. Fitting on the
used columns and scattering the weights back gives the same model, faster.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray
from scipy import sparse


def fit_logistic(
    matrix: sparse.csr_matrix, target: NDArray[np.int_], c: float, max_iter: int = 300
) -> tuple[NDArray[np.float32], float]:
    """Return ``(weights over all columns, intercept)`` of an L2 logistic regression."""
    from sklearn.linear_model import LogisticRegression

    used = np.unique(matrix.indices)
    compact = matrix[:, used]
    model = LogisticRegression(C=c, solver="liblinear", max_iter=max_iter)
    model.fit(compact, target)
    weights = np.zeros(matrix.shape[1], dtype=np.float32)
    weights[used] = model.coef_.ravel()
    return weights, float(model.intercept_[0])
