"""Hashed n-gram features: the matrix, the matrix-free product, the options."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from fanzha.detectors.text.features import NgramHasher, char_ngrams
from fanzha.detectors.text.model_detector import ModelTextDetector


def test_when_ngrams_repeat_then_each_counts_once_and_the_row_has_unit_norm() -> None:
    row = NgramHasher(2**16).transform(["刷单刷单"]).toarray()[0]
    # 6 distinct n-grams: 刷, 单, 刷单, 单刷, 刷单刷, 单刷单.
    assert sorted(np.round(row[row > 0], 4)) == [0.4082] * 6


def test_dot_equals_the_matrix_product() -> None:
    hasher = NgramHasher(2**12)
    texts = ["全场五折欢迎选购", "", "a", "您涉嫌洗钱请转入安全账户安全账户"]
    weights = np.random.default_rng(0).normal(size=(2**12, 4)).astype(np.float32)
    expected = hasher.transform(texts) @ weights
    np.testing.assert_allclose(hasher.dot(texts, weights), expected, rtol=1e-5)


def _reference_row(hasher: NgramHasher, text: str) -> np.ndarray:
    """The default features spelled out: 1- to max_n-grams, binary, unit norm."""
    grams = set(char_ngrams(text, hasher.max_n))
    row = np.zeros(hasher.n_features, dtype=np.float32)
    scale = np.float32(1.0 / np.sqrt(max(len(grams), 1)))
    for gram in grams:  # distinct n-grams that share a bucket add up
        row[hasher.bucket_of(gram)] += scale
    return row


def test_default_options_give_exactly_the_plain_ngram_features() -> None:
    texts = ["全场五折欢迎选购", "", "a", "刷单刷单", "您涉嫌洗钱请转入安全账户"]
    plain = NgramHasher(2**16).transform(texts)
    explicit = NgramHasher(2**16, max_n=3, min_n=1, skip=0).transform(texts)
    for name in ("indptr", "indices", "data"):
        assert getattr(plain, name).tobytes() == getattr(explicit, name).tobytes()
    for i, text in enumerate(texts):
        np.testing.assert_array_equal(
            plain[i].toarray()[0], _reference_row(NgramHasher(2**16), text)
        )


def test_when_a_character_is_inserted_then_skip_pairs_still_match() -> None:
    plain, skipping = NgramHasher(2**16), NgramHasher(2**16, skip=1)
    # 刷X单: 3 + 2 + 1 n-grams, and the pair 刷_单 with skip=1.
    assert plain.transform(["刷X单"]).nnz == 6
    assert skipping.transform(["刷X单"]).nnz == 7
    shared = skipping.transform(["刷X单", "刷Y单"]).toarray() > 0
    only_skip = shared[0] & shared[1] & ~(plain.transform(["刷X单"]).toarray()[0] > 0)
    assert only_skip.sum() == 1  # the 刷_单 pair, absent without skip
    # A pair needs both ends inside one text: no pair spans two texts.
    assert skipping.transform(["刷X", "单"]).nnz == plain.transform(["刷X", "单"]).nnz


def test_skip_two_adds_pairs_three_apart_and_min_n_drops_short_grams() -> None:
    # abcd: 4 + 3 + 2 n-grams; skip=2 adds a_c, b_d (gap 2) and a_d (gap 3).
    assert NgramHasher(2**16, skip=2).transform(["abcd"]).nnz == 9 + 3
    assert NgramHasher(2**16, min_n=2).transform(["abcd"]).nnz == 3 + 2
    row = NgramHasher(2**16, skip=2).transform(["abcd"]).toarray()[0]
    np.testing.assert_allclose(np.linalg.norm(row), 1.0, rtol=1e-6)


def test_skip_features_keep_dot_equal_to_the_matrix_product() -> None:
    hasher = NgramHasher(2**12, min_n=2, skip=2)
    texts = ["全场五折欢迎选购", "", "a", "ab", "您涉嫌洗钱请转入安全账户安全账户"]
    weights = np.random.default_rng(1).normal(size=(2**12, 4)).astype(np.float32)
    expected = hasher.transform(texts) @ weights
    np.testing.assert_allclose(hasher.dot(texts, weights), expected, rtol=1e-5)


@pytest.mark.parametrize(
    "options", [{"min_n": 0}, {"min_n": 4}, {"skip": -1}, {"n_features": 1000}]
)
def test_bad_options_are_refused(options: dict[str, int]) -> None:
    with pytest.raises(ValueError):
        NgramHasher(**options)


def test_a_model_trained_with_skip_pairs_keeps_them_when_saved(tmp_path: Path) -> None:
    texts = ["刷单日结佣金", "全场五折欢迎选购", "明天一起吃饭", "首充送彩金"] * 3
    labels = ["fraud", "ad", "normal", "illegal"] * 3
    model = ModelTextDetector(n_features=2**12, min_n=1, skip=2).fit(texts, labels)
    assert (model.hasher_.min_n, model.hasher_.skip) == (1, 2)
    loaded = ModelTextDetector.load(model.save(tmp_path / "m"))
    assert isinstance(loaded, ModelTextDetector)
    assert (loaded.min_n, loaded.skip, loaded.hasher_.skip) == (1, 2, 2)
    np.testing.assert_allclose(
        loaded.predict_proba(texts), model.predict_proba(texts), atol=1e-2
    )
