"""Columnar report-entity incidence: which report names which entity.

Gang discovery reads this form rather than one Python object per report, so a
million reports with ten million mentions fit in a few arrays. Build it from
validated :class:`~fanzha.graph.records.Report` objects with
:meth:`Incidence.from_reports`, or directly from arrays (the simulator does).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from fanzha.graph.records import EntityRef, Report

TYPE_WEIGHT: dict[str, float] = {
    "bank_card": 1.0,
    "account": 1.0,
    "device": 0.9,
    "phone": 0.8,
    "wechat": 0.8,
    "qq": 0.8,
    "url": 0.7,
    "domain": 0.5,
    "person": 0.4,
    "ip": 0.3,
}
"""How much sharing one entity of each type says about common operation."""


def sorted_unique(values: np.ndarray) -> np.ndarray:
    """Return the distinct values of an integer array, sorted.

    Same result as ``np.unique(values)``, whose hash-based path is an order of
    magnitude slower on millions of mostly distinct keys.
    """
    ordered = np.sort(values)
    keep = np.ones(len(ordered), dtype=bool)
    keep[1:] = ordered[1:] != ordered[:-1]
    return ordered[keep]


@dataclass
class Incidence:
    """Reports, entities and the mentions joining them.

    Attributes
    ----------
    report_ids
        Report id per report row, shape ``(n_reports,)``.
    loss, at
        Loss (currency units, >= 0) and time (seconds or steps) per report.
    entity_types, entity_values
        Type and normal form per entity row, shape ``(n_entities,)``.
    report_index, entity_index
        One pair per mention: the report row and the entity row it names.
    victims
        Victim id per report row, ``""`` when unknown.
    entity_links
        Pairs of entity rows joined by a relation that says "operated together"
        (a phone using a device, an account logging in from an IP), shape
        ``(k, 2)``.
    """

    report_ids: np.ndarray
    loss: np.ndarray
    at: np.ndarray
    entity_types: np.ndarray
    entity_values: np.ndarray
    report_index: np.ndarray
    entity_index: np.ndarray
    victims: np.ndarray
    entity_links: np.ndarray = field(
        default_factory=lambda: np.zeros((0, 2), dtype=np.int64)
    )

    @property
    def n_reports(self) -> int:
        """The number of reports."""
        return len(self.report_ids)

    @property
    def n_entities(self) -> int:
        """The number of distinct entities."""
        return len(self.entity_types)

    def entity(self, row: int) -> EntityRef:
        """Return the entity of row ``row``."""
        return EntityRef(str(self.entity_types[row]), str(self.entity_values[row]))

    def frequency(self) -> np.ndarray:
        """Return, per entity row, how many distinct reports name it."""
        key = self.report_index * self.n_entities + self.entity_index
        distinct = sorted_unique(key) % max(self.n_entities, 1)
        return np.bincount(distinct, minlength=self.n_entities)

    def specificity(
        self,
        freq: np.ndarray | None = None,
        type_weight: dict[str, float] | None = None,
    ) -> np.ndarray:
        """Return the weight of each entity as a link between reports.

        ``type weight / log2(1 + reports naming it)``: a bank card named by two
        reports weighs 1.0 / log2(3); a public IP named by 500 weighs 0.03.
        ``freq`` is ``frequency()`` when the caller has it already.
        """
        counts = self.frequency() if freq is None else freq
        return self.type_weights(type_weight) / np.log2(1.0 + np.maximum(counts, 1))

    def type_weights(self, type_weight: dict[str, float] | None = None) -> np.ndarray:
        """Return each entity's weight by its type alone (``TYPE_WEIGHT``)."""
        weights = type_weight or TYPE_WEIGHT
        kinds, inverse = np.unique(self.entity_types.astype(str), return_inverse=True)
        table = np.array([weights.get(str(k), 0.5) for k in kinds], dtype=float)
        return table[inverse] if len(kinds) else np.zeros(0)

    @classmethod
    def from_reports(
        cls,
        reports: Sequence[Report],
        links: Sequence[tuple[EntityRef, EntityRef]] = (),
    ) -> Incidence:
        """Build the incidence from validated reports (``clean_reports`` rows).

        ``links`` are entity pairs operated together (see ``entity_links``);
        their entities join the entity rows even when no report names them.
        """
        codes: dict[EntityRef, int] = {}
        report_index: list[int] = []
        entity_index: list[int] = []
        for row, report in enumerate(reports):
            for ref in report.entities:
                report_index.append(row)
                entity_index.append(codes.setdefault(ref, len(codes)))
        pairs = [
            (codes.setdefault(a, len(codes)), codes.setdefault(b, len(codes)))
            for a, b in links
        ]
        refs = list(codes)
        return cls(
            report_ids=np.array([r.report_id for r in reports], dtype=object),
            loss=np.array([r.loss for r in reports], dtype=float),
            at=np.array([r.at for r in reports], dtype=float),
            entity_types=np.array([r.type for r in refs], dtype=object),
            entity_values=np.array([r.value for r in refs], dtype=object),
            report_index=np.array(report_index, dtype=np.int64),
            entity_index=np.array(entity_index, dtype=np.int64),
            victims=np.array([r.victim or "" for r in reports], dtype=object),
            entity_links=np.array(pairs, dtype=np.int64).reshape(-1, 2),
        )
