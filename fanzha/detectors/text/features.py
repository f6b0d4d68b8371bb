"""Hashed character n-gram features of normalised text, computed with NumPy.

Character n-grams need no word segmenter, survive the spelling tricks that
:mod:`~fanzha.detectors.text.normalize` cannot undo, and hash into a fixed-size
vector, so the model's size does not grow with its vocabulary. Each text is a
binary bag of its 1- to ``max_n``-grams, L2-normalised so that long transcripts
and short SMS weigh alike.

The whole batch is hashed at once: the texts are joined into one array of code
points and every n-gram's hash is a rolling polynomial over that array, so no
Python code runs per n-gram. That is what lets one core featurise tens of
thousands of SMS per second.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import scipy.sparse as sp

_PRIME = np.uint64(0x100000001B3)
_MIX = np.uint64(0x9E3779B97F4A7C15)
_MASK = (1 << 64) - 1


def char_ngrams(text: str, max_n: int = 3, min_n: int = 1) -> list[str]:
    """Return the character n-grams of ``text``, shortest first.

    >>> char_ngrams("刷单啊", max_n=2)
    ['刷', '单', '啊', '刷单', '单啊']
    """
    grams: list[str] = []
    for n in range(min_n, max_n + 1):
        grams.extend(text[i : i + n] for i in range(len(text) - n + 1))
    return grams


class NgramHasher:
    """Map model text to a sparse matrix of hashed character n-grams.

    Model text is :func:`~fanzha.detectors.text.normalize.model_text`'s output.

    Parameters
    ----------
    n_features
        Number of hash buckets (columns); a power of two.
    max_n
        Longest n-gram, in characters.
    """

    def __init__(self, n_features: int = 2**18, max_n: int = 3) -> None:
        if n_features & (n_features - 1):
            raise ValueError("n_features must be a power of two")
        self.n_features = n_features
        self.max_n = max_n
        self._shift = np.uint64(64 - n_features.bit_length() + 1)

    def transform(self, texts: Sequence[str]) -> sp.csr_matrix:
        """Return the ``(len(texts), n_features)`` float32 feature matrix."""
        lengths = np.fromiter((len(t) for t in texts), dtype=np.int64, count=len(texts))
        codes = np.frombuffer("".join(texts).encode("utf-32-le"), dtype=np.uint32)
        codes = codes.astype(np.uint64) + np.uint64(1)
        row_of = np.repeat(np.arange(len(texts)), lengths)
        room = np.repeat(np.cumsum(lengths), lengths) - np.arange(len(codes))
        rows, cols = [], []
        rolling = codes
        for n in range(1, self.max_n + 1):
            if n > 1:
                rolling = rolling[:-1] * _PRIME + codes[n - 1 :]
            valid = room[: len(rolling)] >= n
            rows.append(row_of[: len(rolling)][valid])
            cols.append(self._bucket(rolling[valid], n))
        return self._matrix(np.concatenate(rows), np.concatenate(cols), len(texts))

    def _bucket(self, hashes: np.ndarray, n: int) -> np.ndarray:
        mixed = (hashes ^ np.uint64(n)) * _MIX
        return (mixed >> self._shift).astype(np.int64)

    def _matrix(self, rows: np.ndarray, cols: np.ndarray, n_rows: int) -> sp.csr_matrix:
        ones = np.ones(len(rows), dtype=np.float32)
        matrix = sp.csr_matrix((ones, (rows, cols)), shape=(n_rows, self.n_features))
        matrix.sum_duplicates()
        counts = np.diff(matrix.indptr)
        norms = np.repeat(1.0 / np.sqrt(np.maximum(counts, 1)), counts)
        matrix.data = norms.astype(np.float32)
        return matrix

    def bucket_of(self, gram: str) -> int:
        """Return the column of one n-gram (the same as :meth:`transform` uses)."""
        value = 0
        for char in gram:
            value = (value * int(_PRIME) + ord(char) + 1) & _MASK
        mixed = ((value ^ len(gram)) * int(_MIX)) & _MASK
        return mixed >> int(self._shift)
