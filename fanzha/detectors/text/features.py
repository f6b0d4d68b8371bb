"""Hashed character n-gram features of normalised text, computed with NumPy.

Character n-grams need no word segmenter, survive the spelling tricks that
:mod:`~fanzha.detectors.text.normalize` cannot undo, and hash into a fixed-size
vector, so the model's size does not grow with its vocabulary. Each text is a
binary bag of its ``min_n``- to ``max_n``-grams (and, optionally, of pairs of
characters a few places apart), divided by the square root of the number of
distinct features in it so that long transcripts and short SMS weigh alike.

The whole batch is hashed at once: the texts are joined into one array of code
points and every n-gram's hash is a rolling polynomial over that array, so no
Python code runs per n-gram. :meth:`NgramHasher.dot` multiplies by a weight
matrix without building the sparse matrix at all: duplicates are dropped by
sorting one integer key per n-gram, and each text's weights are summed in one
``reduceat``. That is what lets one core score tens of thousands of SMS per second.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import scipy.sparse as sp

_PRIME = np.uint64(0x100000001B3)
_MIX = np.uint64(0x9E3779B97F4A7C15)
_MASK = (1 << 64) - 1
# Code of the characters a skip pair leaves out: past every code point + 1, so
# 刷_单 hashes as a 3-gram no text holds (a small tag XOR-ed into the hash, as
# for n, would collide with pairs whose last characters differ in that bit).
_WILDCARD = 0x110001


def char_ngrams(text: str, max_n: int = 3, min_n: int = 1) -> list[str]:
    """Return the character n-grams of ``text``, shortest first.

    >>> char_ngrams("刷单啊", max_n=2)
    ['刷', '单', '啊', '刷单', '单啊']
    """
    grams: list[str] = []
    for n in range(min_n, max_n + 1):
        grams += [text[i : i + n] for i in range(len(text) - n + 1)]
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
    min_n
        Shortest n-gram, in characters.
    skip
        Also hash the pairs of characters 2 to ``skip + 1`` apart (``刷X单``
        gives ``刷_单``), which survive a character inserted to dodge filters;
        0 adds none.
    """

    min_n = 1  # models saved before min_n and skip existed read these
    skip = 0

    def __init__(
        self, n_features: int = 2**18, max_n: int = 3, min_n: int = 1, skip: int = 0
    ) -> None:
        if n_features & (n_features - 1):
            raise ValueError("n_features must be a power of two")
        if not 1 <= min_n <= max_n:
            raise ValueError("need 1 <= min_n <= max_n")
        if skip < 0:
            raise ValueError("skip must be 0 or more")
        self.n_features = n_features
        self.max_n = max_n
        self.min_n = min_n
        self.skip = skip
        self._shift = np.uint64(64 - n_features.bit_length() + 1)

    def transform(self, texts: Sequence[str]) -> sp.csr_matrix:
        """Return the ``(len(texts), n_features)`` float32 feature matrix."""
        rows, cols, scale = self._occurrences(texts)
        row = np.concatenate(rows)
        matrix = sp.csr_matrix(
            (scale[row].astype(np.float32), (row, np.concatenate(cols))),
            shape=(len(texts), self.n_features),
        )
        matrix.sum_duplicates()  # distinct n-grams that share a bucket
        return matrix

    def dot(self, texts: Sequence[str], weights: np.ndarray) -> np.ndarray:
        """Return ``transform(texts) @ weights`` without building the matrix.

        ``weights`` has shape ``(n_features, k)``, C-contiguous for speed (the
        transpose of a column-major ``(k, n_features)`` coefficient matrix).
        Each n-gram's row of ``weights`` is gathered and summed per text.
        """
        return self.dots(texts, [weights])[0]

    def dots(
        self, texts: Sequence[str], weights: Sequence[np.ndarray]
    ) -> list[np.ndarray]:
        """Return :meth:`dot` for several weight matrices, hashing the texts once."""
        rows, cols, scale = self._occurrences(texts)
        outs = []
        for matrix in weights:
            out = np.zeros((len(texts), matrix.shape[1]), dtype=np.float32)
            for row, col in zip(rows, cols, strict=True):
                if len(row):  # rows are sorted: sum each text's run at once
                    starts = np.flatnonzero(_changes(row))
                    out[row[starts]] += np.add.reduceat(matrix[col], starts, axis=0)
            outs.append(out * scale[:, None].astype(np.float32))
        return outs

    def _occurrences(
        self, texts: Sequence[str]
    ) -> tuple[list[np.ndarray], list[np.ndarray], np.ndarray]:
        """Return the distinct n-grams of each text, and each text's scale.

        Rows and columns come as one pair of arrays per ``n`` (then one per
        skip gap), sorted by row, each (row, bucket) once. The scale of a text
        is 1 / sqrt(the number of its distinct features), 1 for none.
        """
        lengths = np.fromiter((len(t) for t in texts), dtype=np.int64, count=len(texts))
        codes = np.frombuffer("".join(texts).encode("utf-32-le"), dtype=np.uint32)
        codes = codes.astype(np.uint64) + np.uint64(1)
        row_of = np.repeat(np.arange(len(texts)), lengths)
        room = np.repeat(np.cumsum(lengths), lengths) - np.arange(len(codes))
        rows: list[np.ndarray] = []
        cols: list[np.ndarray] = []
        bits = self.n_features.bit_length() - 1
        rolling = codes
        for n in range(1, self.max_n + 1):
            if n > 1:
                rolling = rolling[:-1] * _PRIME + codes[n - 1 :]
            if n >= self.min_n:
                self._add(rows, cols, rolling, row_of, room, n, bits)
        for gap in range(2, self.skip + 2):
            scale, offset = _skip_constants(gap)
            pairs = codes[:-gap] * scale + offset + codes[gap:]
            self._add(rows, cols, pairs, row_of, room, gap + 1, bits)
        distinct = np.bincount(np.concatenate(rows), minlength=len(texts))
        return rows, cols, 1.0 / np.sqrt(np.maximum(distinct, 1))

    def _add(
        self,
        rows: list[np.ndarray],
        cols: list[np.ndarray],
        hashes: np.ndarray,
        row_of: np.ndarray,
        room: np.ndarray,
        n: int,
        bits: int,
    ) -> None:
        """Append the distinct (text, bucket) pairs of ``hashes``, ``n``-char spans."""
        valid = room[: len(hashes)] >= n
        keys = (row_of[: len(hashes)][valid] << bits) | self._bucket(hashes[valid], n)
        keys.sort()  # a binary bag: each (text, bucket) once
        keys = keys[_changes(keys)]
        rows.append(keys >> bits)
        cols.append(keys & (self.n_features - 1))

    def _bucket(self, hashes: np.ndarray, n: int) -> np.ndarray:
        mixed = (hashes ^ np.uint64(n)) * _MIX
        return (mixed >> self._shift).astype(np.int64)

    def bucket_of(self, gram: str) -> int:
        """Return the column of one n-gram (the same as :meth:`transform` uses)."""
        value = 0
        for char in gram:
            value = (value * int(_PRIME) + ord(char) + 1) & _MASK
        mixed = ((value ^ len(gram)) * int(_MIX)) & _MASK
        return mixed >> int(self._shift)


def _skip_constants(gap: int) -> tuple[np.uint64, np.uint64]:
    """Return the constants that hash a pair of characters ``gap`` apart.

    ``first * scale + offset + last`` is the rolling hash of the
    ``gap + 1``-gram whose inner characters are all :data:`_WILDCARD`.
    """
    prime = int(_PRIME)
    offset = 0
    for _ in range(gap - 1):
        offset = (offset + _WILDCARD) * prime & _MASK
    return np.uint64(pow(prime, gap, 1 << 64)), np.uint64(offset)


def _changes(values: np.ndarray) -> np.ndarray:
    """Return a mask of the entries of sorted ``values`` that differ from the last."""
    mask = np.empty(len(values), dtype=bool)
    if len(values):
        mask[0] = True
        np.not_equal(values[1:], values[:-1], out=mask[1:])
    return mask
