"""A seeded simulator of carrier records with injected fraud and ground truth.

Roles: ``ordinary`` users calling their contacts with daily and weekly rhythms,
``busy`` ordinary users (couriers, sales) who call many strangers, human
``fraud`` callers, ``simbox`` SIMs behind GoIP / SIM-box gateways, and
``robocall`` auto-diallers. Calls are generated day by day in blocks of users and
stream to Parquet, so 100 million calls never sit in memory at once.

Examples
--------
>>> sim = CallSimulator(SimulationConfig(n_users=200, days=2, seed=1))
>>> calls = sim.calls()
>>> sorted(set(sim.truth()["role"]))
['busy', 'fraud', 'ordinary', 'robocall', 'simbox']
>>> bool((calls["duration_s"] >= 0).all())
True
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from fanzha.calls import behaviours as b
from fanzha.calls.extras import app_table, billing_table, sms_table

logger = logging.getLogger(__name__)

NUMBER_STRIDE = 105_667_693
"""Odd and not a multiple of 5, so coprime to 10**9: numbering is one-to-one."""


@dataclass(frozen=True)
class SimulationConfig:
    """Sizes and rates of a simulation; the same config and seed give the same data."""

    n_users: int = 1000
    busy_share: float = 0.01
    n_fraud: int = 10
    n_gateways: int = 2
    sims_per_gateway: int = 16
    ports_per_gateway: int = 4
    n_robocallers: int = 5
    days: int = 7
    start: str = "2024-05-06"
    seed: int = 0
    user_calls_per_day: float = 4.0
    busy_calls_per_day: float = 50.0
    fraud_calls_per_day: float = 60.0
    sim_calls_per_day: float = 120.0
    robocalls_per_day: float = 400.0
    users_per_block: int = 250_000


class CallSimulator:
    """Generate calls (and SMS, app usage, billing) for a :class:`SimulationConfig`."""

    def __init__(self, config: SimulationConfig | None = None) -> None:
        self.config = config or SimulationConfig()
        self._rng = np.random.default_rng(self.config.seed)
        self._build_roles()

    def _build_roles(self) -> None:
        cfg, rng = self.config, self._rng
        n_busy = int(round(cfg.n_users * cfg.busy_share))
        n_sims = cfg.n_gateways * cfg.sims_per_gateway
        sizes = {
            "ordinary": cfg.n_users - n_busy,
            "busy": n_busy,
            "fraud": cfg.n_fraud,
            "simbox": n_sims,
            "robocall": cfg.n_robocallers,
        }
        rates = {
            "ordinary": cfg.user_calls_per_day,
            "busy": cfg.busy_calls_per_day,
            "fraud": cfg.fraud_calls_per_day,
            "simbox": cfg.sim_calls_per_day,
            "robocall": cfg.robocalls_per_day,
        }
        self.roles: dict[str, b.Population] = {}
        offset = 0
        for role, size in sizes.items():
            self.roles[role] = _population(rng, offset, size, rates[role])
            offset += size

        # SIMs of one gateway share its site and its few port IMEIs.
        sims = self.roles["simbox"]
        self._gateway = np.repeat(np.arange(cfg.n_gateways), cfg.sims_per_gateway)
        sims.home_cell[:] = 900_000 + self._gateway
        self._ports = [
            990_000_000_000_000 + g * 1000 + np.arange(cfg.ports_per_gateway)
            for g in range(cfg.n_gateways)
        ]
        self._contacts = _circles(rng, sizes["ordinary"])
        self._cursor = 15_000_000_000 + rng.integers(0, 10**8, cfg.n_robocallers) * 10

    def truth(self) -> pd.DataFrame:
        """Return ``number, role, fraud, gateway``: the ground truth per number."""
        parts = []
        for role, pop in self.roles.items():
            gateway = (
                self._gateway if role == "simbox" else np.full(len(pop.number), -1)
            )
            parts.append(
                pd.DataFrame(
                    {"number": pop.number.astype(str), "role": role, "gateway": gateway}
                )
            )
        truth = pd.concat(parts, ignore_index=True)
        truth["fraud"] = truth["role"].isin(["fraud", "simbox", "robocall"])
        return truth

    def iter_calls(self) -> Iterator[pa.Table]:
        """Yield the calls in the record schema, one block of users per day."""
        # Each pass replays the same traffic: fresh generator, fresh dialling cursor.
        self._day_rng = np.random.default_rng([self.config.seed, 1])
        self._live_cursor = self._cursor.copy()
        day0 = int(pd.Timestamp(self.config.start).timestamp())
        for day in range(self.config.days):
            start = day0 + day * b.DAY
            weekend = pd.Timestamp(start, unit="s").day_of_week >= 5
            yield from self._ordinary_blocks(start, weekend)
            yield _to_arrow(self._special_day(start))

    def _ordinary_blocks(self, start: int, weekend: bool) -> Iterator[pa.Table]:
        users, size = self.roles["ordinary"], self.config.users_per_block
        for lo in range(0, len(users.number), size):
            block = np.arange(lo, min(lo + size, len(users.number)))
            rows, callee = b.ordinary_day(
                self._day_rng,
                _subset(users, block),
                self._contacts[block],
                users,
                start,
                weekend,
            )
            yield _to_arrow(b.concat([rows, b.mirror(rows, users, callee)]))

    def _special_day(self, start: int) -> b.Rows:
        rng, roles = self._day_rng, self.roles
        gateways = [
            b.gateway_day(
                rng, _subset(roles["simbox"], self._gateway == g), self._ports[g], start
            )
            for g in range(self.config.n_gateways)
        ]
        return b.concat(
            [
                b.busy_day(rng, roles["busy"], start),
                b.fraud_day(rng, roles["fraud"], start),
                *gateways,
                b.robocall_day(rng, roles["robocall"], self._live_cursor, start),
            ]
        )

    def calls(self) -> pd.DataFrame:
        """Return every call as one DataFrame (small simulations only)."""
        return pa.concat_tables(list(self.iter_calls())).to_pandas()

    def extras(self) -> dict[str, pd.DataFrame]:
        """Return the ``sms``, ``app`` and ``billing`` tables of every number."""
        truth = self.truth()
        rng = np.random.default_rng(self.config.seed + 1)
        return {
            "sms": sms_table(rng, truth, self.config.start, self.config.days),
            "app": app_table(rng, truth, self.config.start),
            "billing": billing_table(rng, truth, self.config.start),
        }

    def write_parquet(self, folder: str | Path, extras: bool = True) -> dict[str, Any]:
        """Stream the calls to ``folder/calls/part-*.parquet`` and write the truth.

        Returns a summary with the number of calls and files written.
        """
        root = Path(folder)
        (root / "calls").mkdir(parents=True, exist_ok=True)
        n_rows = n_files = 0
        for n_files, table in enumerate(self.iter_calls(), start=1):
            pq.write_table(table, root / "calls" / f"part-{n_files:05d}.parquet")
            n_rows += table.num_rows
        self.truth().to_parquet(root / "truth.parquet", index=False)
        if extras:
            for name, frame in self.extras().items():
                frame.to_parquet(root / f"{name}.parquet", index=False)
        logger.info(
            "simulation written calls=%d files=%d folder=%s", n_rows, n_files, root
        )
        return {
            "calls": n_rows,
            "files": n_files,
            "folder": str(root),
            "config": asdict(self.config),
        }


def _circles(rng: np.random.Generator, n: int, size: int = 25) -> np.ndarray:
    """Return 20 contacts per user, mostly from the user's circle of ``size``.

    Circles make calls returned; the last four contacts are random strangers.
    """
    if n == 0:
        return np.zeros((0, 20), dtype=np.int64)
    circle = np.arange(n)[:, None] // size * size
    contacts = np.minimum(circle + rng.integers(0, size, size=(n, 20)), n - 1)
    contacts[:, 16:] = rng.integers(0, n, size=(n, 4))
    return contacts


def _population(
    rng: np.random.Generator, offset: int, size: int, rate: float
) -> b.Population:
    index = offset + np.arange(size, dtype=np.int64)
    home = rng.integers(0, 5000, size=size)
    # A bijection of the index onto 10**9 numbers: neighbours get distant numbers.
    number = 13_000_000_000 + (index * NUMBER_STRIDE) % 10**9
    return b.Population(
        number,
        860_000_000_000_000 + index,
        460_000_000_000_000 + index,
        home,
        rng.integers(0, 5000, size=size),
        rate * rng.uniform(0.5, 1.5, size=size),
    )


def _subset(pop: b.Population, index: np.ndarray) -> b.Population:
    return b.Population(
        pop.number[index],
        pop.imei[index],
        pop.imsi[index],
        pop.home_cell[index],
        pop.work_cell[index],
        pop.rate[index],
    )


def _text(values: np.ndarray) -> pa.Array:
    return pc.cast(pa.array(values, pa.int64()), pa.string())


def _to_arrow(rows: b.Rows) -> pa.Table:
    direction = pc.take(pa.array(["in", "out"]), pa.array(rows.out.astype(np.int8)))
    return pa.table(
        {
            "number": _text(rows.number),
            "other": _text(rows.other),
            "direction": direction,
            "start_time": pa.array(rows.start * 1_000_000, pa.timestamp("us")),
            "duration_s": pa.array(rows.duration, pa.int64()),
            "cell_id": _text(rows.cell),
            "location": _text(rows.cell // 100),
            "imei": _text(rows.imei),
            "imsi": _text(rows.imsi),
        }
    )
