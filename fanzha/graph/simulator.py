"""Simulated victim reports from seeded gangs, with ground truth.

Each gang operates a pool of phone numbers, bank cards, devices, URLs and WeChat
accounts. Each victim report names a few entities of one gang, favouring the
gang's busiest ones (partial information), with noise:

- ``p_typo``: a mention is garbled into a valid but unrelated entity;
- ``p_decoy``: the report also names shared public infrastructure (a public IP,
  a popular domain, a customer-service number) from a small pool;
- ``p_cross``: the report also names an entity of another, random gang.

Generation is vectorised so that a million reports take seconds.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from fanzha.graph.incidence import Incidence

POOL_TYPES = ("phone", "bank_card", "device", "url", "wechat")
POOL_SIZES = {
    "phone": (3, 12),
    "bank_card": (2, 6),
    "device": (1, 4),
    "url": (1, 3),
    "wechat": (1, 3),
}
DECOY_TYPES = ("ip", "domain", "phone")


@dataclass(frozen=True)
class SimParams:
    """Size and noise of a simulation (defaults: the documented noise level)."""

    n_reports: int = 2000
    n_gangs: int = 60
    mentions_mean: float = 1.5
    p_typo: float = 0.05
    p_decoy: float = 0.3
    p_cross: float = 0.02
    n_decoys: int = 30
    seed: int = 0


@dataclass
class Simulation:
    """Simulated reports as an incidence, with the true gang of each report."""

    incidence: Incidence
    truth: np.ndarray


def simulate_reports(params: SimParams | None = None) -> Simulation:
    """Return simulated reports and their true gang labels."""
    p = params or SimParams()
    rng = np.random.default_rng(p.seed)
    gang = _gang_of_reports(rng, p)
    pool_type, pool_start, pool_len = _gang_pools(rng, p.n_gangs)

    # Mentions of the report's own gang, skewed towards its busiest entities.
    counts = 1 + rng.poisson(p.mentions_mean, p.n_reports)
    rep = np.repeat(np.arange(p.n_reports), counts)
    g = gang[rep]
    ent = pool_start[g] + (pool_len[g] * rng.random(len(rep)) ** 2).astype(np.int64)
    types = pool_type[ent]

    # Garbled mentions become fresh entities that only this report names.
    n_pool = len(pool_type)
    typo = rng.random(len(rep)) < p.p_typo
    ent[typo] = n_pool + np.arange(int(typo.sum()))
    extra_types = types[typo]

    rep, ent, all_types = _noise(
        rng,
        p,
        rep,
        ent,
        gang,
        pool_start,
        pool_len,
        np.concatenate([pool_type, extra_types]),
    )
    incidence = _incidence(rng, p, rep, ent, all_types)
    return Simulation(incidence, gang)


def _gang_of_reports(rng: np.random.Generator, p: SimParams) -> np.ndarray:
    # Heavy-tailed gang sizes: a few gangs cause most reports.
    weight = rng.pareto(1.5, p.n_gangs) + 1.0
    gang = rng.choice(p.n_gangs, size=p.n_reports, p=weight / weight.sum())
    return gang.astype(np.int64)


def _gang_pools(
    rng: np.random.Generator, n_gangs: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    sizes = np.column_stack(
        [rng.integers(lo, hi + 1, n_gangs) for lo, hi in POOL_SIZES.values()]
    )
    pool_len = sizes.sum(axis=1)
    pool_start = np.r_[0, np.cumsum(pool_len)[:-1]]
    pool_type = np.concatenate(
        [np.repeat(np.array(POOL_TYPES, dtype=object), row) for row in sizes]
    )
    return pool_type, pool_start, pool_len


def _noise(
    rng: np.random.Generator,
    p: SimParams,
    rep: np.ndarray,
    ent: np.ndarray,
    gang: np.ndarray,
    start: np.ndarray,
    length: np.ndarray,
    types: np.ndarray,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    # Decoys: public infrastructure named by reports of every gang.
    decoy_rep = np.flatnonzero(rng.random(p.n_reports) < p.p_decoy)
    decoy_ent = len(types) + rng.integers(0, p.n_decoys, len(decoy_rep))
    decoy_types = np.array(DECOY_TYPES, dtype=object)[np.arange(p.n_decoys) % 3]

    # Cross-gang confusion: an entity of another gang.
    cross_rep = np.flatnonzero(rng.random(p.n_reports) < p.p_cross)
    other = (
        gang[cross_rep] + rng.integers(1, max(p.n_gangs, 2), len(cross_rep))
    ) % p.n_gangs
    cross_ent = start[other] + rng.integers(0, length[other])
    return (
        np.concatenate([rep, decoy_rep, cross_rep]),
        np.concatenate([ent, decoy_ent, cross_ent]),
        np.concatenate([types, decoy_types]),
    )


def _incidence(
    rng: np.random.Generator,
    p: SimParams,
    rep: np.ndarray,
    ent: np.ndarray,
    types: np.ndarray,
) -> Incidence:
    # Keep only entities that some report names, renumbered densely.
    used, ent_index = np.unique(ent, return_inverse=True)
    kinds = types[used]
    return Incidence(
        report_ids=np.array([f"r{i}" for i in range(p.n_reports)], dtype=object),
        loss=np.round(rng.lognormal(8.0, 1.2, p.n_reports), 2),
        at=np.sort(rng.uniform(1.70e9, 1.73e9, p.n_reports)),
        entity_types=kinds,
        entity_values=np.array(
            [_value(str(k), int(i)) for k, i in zip(kinds, used, strict=True)],
            dtype=object,
        ),
        report_index=rep.astype(np.int64),
        entity_index=ent_index.astype(np.int64),
        victims=np.array([f"victim-{i}" for i in range(p.n_reports)], dtype=object),
    )


def _value(kind: str, i: int) -> str:
    if kind == "phone":
        return f"+86139{i:08d}"
    if kind == "bank_card":
        return _luhn_complete(f"622202{i:09d}")
    if kind == "device":
        return f"dev-{i:010x}"
    if kind == "url":
        return f"http://pay{i}.top/"
    if kind == "ip":
        return f"203.0.{i // 256 % 256}.{i % 256}"
    if kind == "domain":
        return f"public{i}.example.com"
    return f"wx_{i}"


def _luhn_complete(body: str) -> str:
    total = 0
    for pos, char in enumerate(reversed(body)):
        d = int(char)
        if pos % 2 == 0:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return body + str((10 - total % 10) % 10)


def to_records(
    incidence: Incidence, start: int = 0, stop: int | None = None
) -> list[dict[str, Any]]:
    """Return reports ``start`` to ``stop`` as dicts for ``clean_reports``."""
    return _Records(incidence).rows(start, stop)


class _Records:
    """Reports of an incidence turned back into dicts, a slice at a time."""

    def __init__(self, incidence: Incidence) -> None:
        self.inc = incidence
        self.order = np.argsort(incidence.report_index, kind="stable")
        self.bounds = np.searchsorted(
            incidence.report_index[self.order],
            np.arange(incidence.n_reports + 1),
            side="left",
        )
        self.types = incidence.entity_types.astype(str).tolist()
        self.values = incidence.entity_values.astype(str).tolist()

    def rows(self, start: int = 0, stop: int | None = None) -> list[dict[str, Any]]:
        inc = self.inc
        stop = inc.n_reports if stop is None else min(stop, inc.n_reports)
        records = []
        for row in range(start, stop):
            mentions = self.order[self.bounds[row] : self.bounds[row + 1]]
            records.append(
                {
                    "report_id": str(inc.report_ids[row]),
                    "entities": [
                        {"type": self.types[e], "value": self.values[e]}
                        for e in inc.entity_index[mentions].tolist()
                    ],
                    "loss": float(inc.loss[row]),
                    "at": float(inc.at[row]),
                    "victim": str(inc.victims[row]),
                }
            )
        return records


def write_jsonl(
    sim: Simulation,
    out: Path,
    truth: Path,
    chunk: int = 20_000,
    on_chunk: Callable[[int], None] | None = None,
) -> dict[str, Any]:
    """Write the reports to ``out`` (JSON Lines) and ``report_id,gang`` to ``truth``.

    Reports are written ``chunk`` at a time, so memory stays bounded;
    ``on_chunk`` is called with the number of reports written so far.
    """
    inc = sim.incidence
    records = _Records(inc)
    with open(out, "w", encoding="utf-8") as fh:
        for start in range(0, inc.n_reports, chunk):
            for record in records.rows(start, start + chunk):
                fh.write(json.dumps(record, ensure_ascii=False) + "\n")
            if on_chunk is not None:
                on_chunk(min(start + chunk, inc.n_reports))
    with open(truth, "w", encoding="utf-8") as fh:
        fh.write("report_id,gang\n")
        fh.writelines(
            f"{rid},{gang}\n"
            for rid, gang in zip(inc.report_ids, sim.truth, strict=True)
        )
    return {
        "reports": inc.n_reports,
        "mentions": len(inc.report_index),
        "gangs": int(len(np.unique(sim.truth))),
        "out": str(out),
        "truth": str(truth),
    }
