"""How each simulated role calls: one vectorised generator per role and day.

Every generator returns the rows of one day as integer columns (see ``Rows``);
the simulator turns them into the record schema. Numbers, IMEIs and IMSIs are
integers here and strings in the records.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

HOUR = 3600
DAY = 24 * HOUR
OUTSIDE_BASE = 17_000_000_000
"""Numbers outside the simulated carrier start here (the people being called)."""

# Share of a day's calls per hour for ordinary users: quiet nights, busy evenings.
USER_HOURS = np.array(
    [
        0.5,
        0.2,
        0.1,
        0.1,
        0.1,
        0.3,
        1,
        2.5,
        4,
        5,
        5,
        5,
        5.5,
        5,
        5,
        5,
        5,
        5.5,
        6,
        6.5,
        6,
        5,
        3,
        1.5,
    ]
)
USER_HOURS = USER_HOURS / USER_HOURS.sum()
WORK_HOURS = np.r_[np.zeros(9), np.ones(12), np.zeros(3)] / 12.0


@dataclass
class Rows:
    """One day's rows of one role, column by column (integers)."""

    number: np.ndarray
    other: np.ndarray
    out: np.ndarray
    start: np.ndarray
    duration: np.ndarray
    cell: np.ndarray
    imei: np.ndarray
    imsi: np.ndarray

    def __len__(self) -> int:
        return len(self.number)


def concat(parts: list[Rows]) -> Rows:
    """Join the rows of several roles into one block."""
    names = Rows.__dataclass_fields__
    return Rows(**{n: np.concatenate([getattr(p, n) for p in parts]) for n in names})


@dataclass
class Population:
    """The simulated subscribers of one role: numbers, devices, SIMs and cells."""

    number: np.ndarray
    imei: np.ndarray
    imsi: np.ndarray
    home_cell: np.ndarray
    work_cell: np.ndarray
    rate: np.ndarray
    """Mean calls per day of each subscriber."""


def _times(
    rng: np.random.Generator, day0: int, n: int, hours: np.ndarray
) -> np.ndarray:
    hour = rng.choice(24, size=n, p=hours)
    return day0 + hour * HOUR + rng.integers(0, HOUR, size=n)


def ordinary_day(
    rng: np.random.Generator,
    users: Population,
    contacts: np.ndarray,
    everyone: Population,
    day0: int,
    weekend: bool,
) -> tuple[Rows, np.ndarray]:
    """Calls of a block of ordinary ``users`` to their contacts on one day.

    ``contacts`` index ``everyone``. Returns the rows and, for each row, the index
    of the called user in ``everyone`` (to mirror the call as the callee's
    incoming record).
    """
    counts = rng.poisson(users.rate * (0.7 if weekend else 1.0))
    caller = np.repeat(np.arange(len(counts)), counts)
    n = len(caller)

    # Favourite contacts are called most: a geometric pick over the contact list.
    pick = np.minimum(rng.geometric(0.25, size=n) - 1, contacts.shape[1] - 1)
    callee = contacts[caller, pick]
    duration = np.maximum(rng.lognormal(4.2, 1.0, size=n).astype(np.int64), 0)
    at_home = rng.random(n) < (0.8 if weekend else 0.5)
    cell = np.where(at_home, users.home_cell[caller], users.work_cell[caller])
    rows = Rows(
        users.number[caller],
        everyone.number[callee],
        np.ones(n, bool),
        _times(rng, day0, n, USER_HOURS),
        duration,
        cell,
        users.imei[caller],
        users.imsi[caller],
    )
    return rows, callee


def mirror(rows: Rows, users: Population, callee: np.ndarray) -> Rows:
    """Return the incoming records that the called subscribers' side keeps."""
    return Rows(
        rows.other,
        rows.number,
        np.zeros(len(rows), bool),
        rows.start,
        rows.duration,
        users.home_cell[callee],
        users.imei[callee],
        users.imsi[callee],
    )


def busy_day(rng: np.random.Generator, users: Population, day0: int) -> Rows:
    """Couriers and sales staff: many short calls to strangers, on the move."""
    counts = rng.poisson(users.rate)
    caller = np.repeat(np.arange(len(counts)), counts)
    n = len(caller)
    other = OUTSIDE_BASE + rng.integers(0, 10**9, size=n)
    out = rng.random(n) < 0.6
    cell = users.home_cell[caller] + rng.integers(0, 40, size=n)
    duration = rng.lognormal(3.6, 0.8, size=n).astype(np.int64)
    return Rows(
        users.number[caller],
        other,
        out,
        _times(rng, day0, n, USER_HOURS),
        duration,
        cell,
        users.imei[caller],
        users.imsi[caller],
    )


def gateway_day(
    rng: np.random.Generator, sims: Population, ports: np.ndarray, day0: int
) -> Rows:
    """A GoIP / SIM-box gateway: many SIMs rotating over few devices, one site.

    ``ports`` holds the IMEIs of the gateway's ports; every call goes out on a
    random port, so each SIM is seen in several devices and each device hosts
    many SIMs. Calls are short, to strangers, in working hours.
    """
    counts = rng.poisson(sims.rate)
    sim = np.repeat(np.arange(len(counts)), counts)
    n = len(sim)
    duration = rng.exponential(14.0, size=n).astype(np.int64)
    return Rows(
        sims.number[sim],
        OUTSIDE_BASE + rng.integers(0, 10**9, size=n),
        np.ones(n, bool),
        _times(rng, day0, n, WORK_HOURS),
        duration,
        sims.home_cell[sim],
        rng.choice(ports, size=n),
        sims.imsi[sim],
    )


def robocall_day(
    rng: np.random.Generator, bots: Population, cursor: np.ndarray, day0: int
) -> Rows:
    """Robocallers: sequential dialling through a number range, uniform durations.

    ``cursor`` holds each robocaller's next number and is advanced in place.
    """
    counts = rng.poisson(bots.rate)
    bot = np.repeat(np.arange(len(counts)), counts)
    step = np.concatenate([np.arange(c) for c in counts]) if len(counts) else bot
    other = cursor[bot] + step
    cursor += counts

    # Calls are placed one after another through the working day.
    start = day0 + 9 * HOUR + (step * (12 * HOUR) // np.maximum(counts[bot], 1))
    duration = 25 + rng.integers(-2, 3, size=len(bot))
    return Rows(
        bots.number[bot],
        other,
        np.ones(len(bot), bool),
        start,
        duration,
        bots.home_cell[bot],
        bots.imei[bot],
        bots.imsi[bot],
    )


def fraud_day(rng: np.random.Generator, fraudsters: Population, day0: int) -> Rows:
    """Human fraud callers: many strangers, longer scripted calls, few callbacks."""
    counts = rng.poisson(fraudsters.rate)
    caller = np.repeat(np.arange(len(counts)), counts)
    n = len(caller)
    duration = rng.lognormal(4.0, 1.2, size=n).astype(np.int64)
    cell = fraudsters.home_cell[caller] + rng.integers(0, 3, size=n)
    return Rows(
        fraudsters.number[caller],
        OUTSIDE_BASE + rng.integers(0, 10**9, size=n),
        np.ones(n, bool),
        _times(rng, day0, n, WORK_HOURS),
        duration,
        cell,
        fraudsters.imei[caller],
        fraudsters.imsi[caller],
    )
