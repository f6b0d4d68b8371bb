"""Per-string statistics over a packed batch of strings."""

import math
from collections import Counter

import numpy as np
import pytest

from fanzha.links import packed
from fanzha.links.packed import PackedStrings, byte_table

TEXTS = ["example", "", "aaaabbcd", "paypal-login.top", "x", "例子.中国", ""]


def direct_entropy(text: str) -> float:
    data = text.encode("utf-8")
    counts = Counter(data).values()
    return -sum(c / len(data) * math.log2(c / len(data)) for c in counts)


@pytest.mark.parametrize("chunk", [1, 2, 3, 2048])
def test_entropy_matches_the_formula_across_block_boundaries(monkeypatch, chunk):
    monkeypatch.setattr(packed, "ENTROPY_CHUNK", chunk)
    found = PackedStrings(TEXTS).entropy()
    expected = [direct_entropy(t) if t else 0.0 for t in TEXTS]
    assert found == pytest.approx(expected, abs=1e-12)
    assert found[2] == 1.75  # counts 4, 2, 1, 1: exact in binary


def test_an_empty_batch_has_no_statistics():
    batch = PackedStrings([])
    assert batch.entropy().shape == (0,)
    assert batch.count(byte_table(b"a")).shape == (0,)


def test_runs_give_the_number_and_longest_run_per_string():
    number, longest = PackedStrings(["a12b345", "", "999"]).runs(
        byte_table(b"0123456789")
    )
    assert number.tolist() == [2, 0, 1]
    assert longest.tolist() == [3, 0, 3]
    counts = PackedStrings(["a.b.c", "abc"]).count(byte_table(b"."))
    assert np.array_equal(counts, [2, 0])
