"""The template library: known fraud (and known good) pages, searched by MinHash.

Each page is reduced to a MinHash signature of its shingles (title words, meta
keywords, runs of tags, runs of text words; see :mod:`fanzha.links.shingles`).
Locality-sensitive hashing over bands of the signature finds candidate
templates in constant time, and every match names the template, its campaign,
brand and scenario, and the distance ``1 - estimated Jaccard similarity`` (0 is
the same page, 1 shares nothing). Reviewers confirm or reject entries; a
rejected entry stays in the library as a known-good (white) sample so the same
page is not raised again.
"""

from __future__ import annotations

import logging
import pickle
import zlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

from fanzha.errors import NotFoundError, ValidationError

logger = logging.getLogger(__name__)

_PRIME = np.uint64((1 << 61) - 1)
_MAX32 = np.uint64((1 << 32) - 1)
REVIEW_STATES = ("pending", "approved", "rejected")


@dataclass
class Template:
    """One library entry: a known page with what reviewers know about it."""

    template_id: str
    label: str
    campaign: str | None = None
    brand: str | None = None
    scenario: str | None = None
    review_status: str = "pending"
    meta: dict[str, object] = field(default_factory=dict)


@dataclass(frozen=True)
class TemplateMatch:
    """A library template near a queried page; ``distance`` is 1 - Jaccard."""

    template_id: str
    distance: float
    label: str
    campaign: str | None
    brand: str | None
    scenario: str | None
    review_status: str


class MinHasher:
    """MinHash signatures of ``num_perm`` affine permutations of CRC-32 hashes."""

    def __init__(self, num_perm: int = 64, seed: int = 7) -> None:
        rng = np.random.default_rng(seed)
        self.num_perm = num_perm
        self.a = rng.integers(1, 1 << 61, size=num_perm, dtype=np.uint64)
        self.b = rng.integers(0, 1 << 61, size=num_perm, dtype=np.uint64)

    def signature(self, shingles: Iterable[str]) -> NDArray[np.uint32]:
        """Return the signature of a shingle set (all-max for an empty set)."""
        values = np.fromiter(
            (zlib.crc32(s.encode("utf-8", "replace")) for s in shingles),
            dtype=np.uint64,
        )
        if values.size == 0:
            return np.full(self.num_perm, 0xFFFFFFFF, dtype=np.uint32)
        with np.errstate(over="ignore"):
            mixed = (values[:, None] * self.a[None, :] + self.b[None, :]) % _PRIME
        return (mixed & _MAX32).min(axis=0).astype(np.uint32)


class TemplateLibrary:
    """Known pages with LSH search; lookups cost about the same at any size.

    Parameters
    ----------
    num_perm
        Length of each MinHash signature.
    bands
        Number of LSH bands; ``num_perm / bands`` rows per band. With 64 and 16,
        pages with Jaccard similarity above about 0.5 are almost always found.

    Examples
    --------
    >>> library = TemplateLibrary()
    >>> library.add("kit-1", {"t:bank", "t:login", "g:html head title body"},
    ...             label="phishing", campaign="c1", brand="ICBC")
    >>> [m.template_id for m in library.query({"t:bank", "t:login",
    ...                                         "g:html head title body"})]
    ['kit-1']
    """

    def __init__(self, num_perm: int = 64, bands: int = 16) -> None:
        if num_perm % bands:
            raise ValidationError("num_perm must be a multiple of bands")
        self.hasher = MinHasher(num_perm)
        self.bands = bands
        self.templates: dict[str, Template] = {}
        # Signatures are rows of one matrix so candidates are scored at once.
        self._matrix = np.zeros((64, num_perm), dtype=np.uint32)
        self._ids: list[str | None] = []
        self._rows: dict[str, int] = {}
        self._buckets: list[dict[bytes, list[int]]] = [{} for _ in range(bands)]

    def __len__(self) -> int:
        return len(self.templates)

    def _band_keys(self, signature: NDArray[np.uint32]) -> list[bytes]:
        rows = len(signature) // self.bands
        return [
            signature[i * rows : (i + 1) * rows].tobytes() for i in range(self.bands)
        ]

    def add(
        self,
        template_id: str,
        shingles: Iterable[str],
        label: str = "phishing",
        campaign: str | None = None,
        brand: str | None = None,
        scenario: str | None = None,
        review_status: str = "pending",
    ) -> None:
        """Add (or replace) a template built from a page's shingles."""
        self.add_signature(
            template_id,
            self.hasher.signature(shingles),
            label,
            campaign,
            brand,
            scenario,
            review_status,
        )

    def add_signature(
        self,
        template_id: str,
        signature: NDArray[np.uint32],
        label: str = "phishing",
        campaign: str | None = None,
        brand: str | None = None,
        scenario: str | None = None,
        review_status: str = "pending",
    ) -> None:
        """Add (or replace) a template from a signature made by this library."""
        if len(signature) != self.hasher.num_perm:
            raise ValidationError(
                f"the signature has {len(signature)} values; this library uses "
                f"{self.hasher.num_perm}"
            )
        if template_id in self.templates:
            self.remove(template_id)
        self.templates[template_id] = Template(
            template_id, label, campaign, brand, scenario, review_status
        )
        row = len(self._ids)
        if row >= len(self._matrix):
            self._matrix = np.concatenate([self._matrix, np.zeros_like(self._matrix)])
        self._matrix[row] = signature
        self._ids.append(template_id)
        self._rows[template_id] = row
        for bucket, key in zip(self._buckets, self._band_keys(signature), strict=True):
            bucket.setdefault(key, []).append(row)

    def remove(self, template_id: str) -> None:
        """Drop a template; raise ``NotFoundError`` if it is not in the library."""
        if template_id not in self.templates:
            raise NotFoundError(f"template {template_id!r} is not in the library")
        row = self._rows.pop(template_id)
        self._ids[row] = None
        for bucket, key in zip(
            self._buckets, self._band_keys(self._matrix[row]), strict=True
        ):
            bucket[key].remove(row)
            if not bucket[key]:
                del bucket[key]
        del self.templates[template_id]

    def query(
        self, shingles: Iterable[str], k: int = 5, max_distance: float = 0.6
    ) -> list[TemplateMatch]:
        """Return up to ``k`` templates within ``max_distance``, nearest first."""
        signature = self.hasher.signature(shingles)
        candidates: set[int] = set()
        for bucket, key in zip(self._buckets, self._band_keys(signature), strict=True):
            candidates.update(bucket.get(key, ()))
        if not candidates:
            return []

        rows = np.fromiter(candidates, dtype=np.int64, count=len(candidates))
        distance = 1.0 - (self._matrix[rows] == signature).mean(axis=1)
        keep = distance <= max_distance
        rows, distance = rows[keep], distance[keep]
        if len(rows) > k:
            top = np.argpartition(distance, k - 1)[:k]
            rows, distance = rows[top], distance[top]
        scored = sorted(
            (float(d), str(self._ids[r])) for d, r in zip(distance, rows, strict=True)
        )
        return [self._match(cid, dist) for dist, cid in scored]

    def signature_of(self, template_id: str) -> NDArray[np.uint32]:
        """Return the stored MinHash signature of a template."""
        if template_id not in self._rows:
            raise NotFoundError(f"template {template_id!r} is not in the library")
        return self._matrix[self._rows[template_id]].copy()

    def _match(self, template_id: str, distance: float) -> TemplateMatch:
        t = self.templates[template_id]
        return TemplateMatch(
            template_id,
            round(distance, 4),
            t.label,
            t.campaign,
            t.brand,
            t.scenario,
            t.review_status,
        )

    def review(self, template_id: str, status: str) -> Template:
        """Set a template's review status: ``approved`` or ``rejected``.

        A rejected template is kept as a known-good sample (label ``benign``) so
        pages like it are recognised as such.
        """
        if status not in REVIEW_STATES:
            raise ValidationError(f"review status must be one of {REVIEW_STATES}")
        if template_id not in self.templates:
            raise NotFoundError(f"template {template_id!r} is not in the library")
        template = self.templates[template_id]
        template.review_status = status
        if status == "rejected":
            template.label = "benign"
        logger.info("template reviewed id=%s status=%s", template_id, status)
        return template

    def save(self, path: str | Path) -> Path:
        """Write the library to one file (a pickle; load only your own files)."""
        target = Path(path)
        target.parent.mkdir(parents=True, exist_ok=True)
        state = {
            "num_perm": self.hasher.num_perm,
            "bands": self.bands,
            "templates": self.templates,
            "signatures": {t: self.signature_of(t) for t in self.templates},
        }
        target.write_bytes(pickle.dumps(state, protocol=pickle.HIGHEST_PROTOCOL))
        return target

    @classmethod
    def load(cls, path: str | Path) -> TemplateLibrary:
        """Read a library written by :meth:`save`."""
        state = pickle.loads(Path(path).read_bytes())  # noqa: S301 - own files
        library = cls(state["num_perm"], state["bands"])
        for tid, template in state["templates"].items():
            library.add_signature(tid, state["signatures"][tid], template.label)
            library.templates[tid] = template
        return library
