"""A batch of short strings as one byte array, for per-string statistics in NumPy.

URL features count characters, runs and byte entropy for tens of thousands of
strings at once; packing their UTF-8 bytes end to end lets each statistic run
as a handful of array operations instead of a Python loop per string.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from numpy.typing import NDArray

ENTROPY_CHUNK = 2048
"""Strings per block when counting byte values (a 4 MB table per block)."""


def byte_table(chars: bytes) -> NDArray[np.bool_]:
    """Return a 256-entry mask that is True at the values of ``chars``."""
    table = np.zeros(256, dtype=bool)
    table[np.frombuffer(chars, dtype=np.uint8)] = True
    return table


class PackedStrings:
    """The UTF-8 bytes of a batch of strings laid end to end, with their rows."""

    def __init__(self, texts: Sequence[str]) -> None:
        encoded = [t.encode("utf-8", "surrogatepass") for t in texts]
        self.n = len(encoded)
        self.lengths = np.fromiter(map(len, encoded), dtype=np.int64, count=self.n)
        self.starts = np.cumsum(self.lengths) - self.lengths
        self.data = np.frombuffer(b"".join(encoded), dtype=np.uint8)
        self.rows = np.repeat(np.arange(self.n, dtype=np.int64), self.lengths)
        first = np.zeros(len(self.data), dtype=bool)
        first[self.starts[self.lengths > 0]] = True
        self.first = first

    def count(self, table: NDArray[np.bool_]) -> NDArray[np.float64]:
        """Return, per string, how many bytes are in ``table``."""
        hits = np.bincount(self.rows[table[self.data]], minlength=self.n)
        return hits.astype(np.float64)

    def ratio(self, table: NDArray[np.bool_]) -> NDArray[np.float64]:
        """Return, per string, the share of its bytes in ``table`` (0 if empty)."""
        ratio: NDArray[np.float64] = self.count(table) / np.maximum(self.lengths, 1)
        return ratio

    def runs(self, table: NDArray[np.bool_]) -> tuple[NDArray[np.float64], ...]:
        """Return, per string, the number and longest length of runs in ``table``."""
        inside = table[self.data]
        after = np.concatenate(([False], inside[:-1])) & ~self.first
        begins = inside & ~after
        run_of = np.cumsum(begins) - 1
        lengths = np.bincount(run_of[inside], minlength=int(begins.sum()))
        run_rows = self.rows[begins]
        number = np.bincount(run_rows, minlength=self.n)
        longest = np.zeros(self.n, dtype=np.float64)
        if len(lengths):  # runs come in row order: reduce each row's block
            firsts = np.cumsum(number) - number
            has = number > 0
            longest[has] = np.maximum.reduceat(lengths, firsts[has])
        return number.astype(np.float64), longest

    def entropy(self) -> NDArray[np.float64]:
        """Return the Shannon entropy in bits of the bytes of each string.

        Byte values are counted per block of strings with ``bincount`` (no
        sort); each string's terms are summed in byte-value order.
        """
        rows: list[NDArray[np.int64]] = []
        terms: list[NDArray[np.float64]] = []
        for first in range(0, self.n, ENTROPY_CHUNK):
            last = min(first + ENTROPY_CHUNK, self.n)
            begin = self.starts[first]
            end = self.starts[last - 1] + self.lengths[last - 1]
            codes = (self.rows[begin:end] - first) * 256 + self.data[begin:end]
            counts = np.bincount(codes, minlength=(last - first) * 256)
            found = np.flatnonzero(counts)
            row = (found >> 8) + first
            share = counts[found] / self.lengths[row]
            rows.append(row)
            terms.append(-share * np.log2(share))
        if not rows:
            return np.zeros(0)
        bits = np.bincount(
            np.concatenate(rows), weights=np.concatenate(terms), minlength=self.n
        )
        return bits.astype(np.float64)
