"""Hashed n-gram features: the matrix and the matrix-free product agree."""

from __future__ import annotations

import numpy as np

from fanzha.detectors.text.features import NgramHasher


def test_when_ngrams_repeat_then_each_counts_once_and_the_row_has_unit_norm():
    row = NgramHasher(2**16).transform(["刷单刷单"]).toarray()[0]
    # 6 distinct n-grams: 刷, 单, 刷单, 单刷, 刷单刷, 单刷单.
    assert sorted(np.round(row[row > 0], 4)) == [0.4082] * 6


def test_dot_equals_the_matrix_product():
    hasher = NgramHasher(2**12)
    texts = ["全场五折欢迎选购", "", "a", "您涉嫌洗钱请转入安全账户安全账户"]
    weights = np.random.default_rng(0).normal(size=(2**12, 4)).astype(np.float32)
    expected = hasher.transform(texts) @ weights
    np.testing.assert_allclose(hasher.dot(texts, weights), expected, rtol=1e-5)
