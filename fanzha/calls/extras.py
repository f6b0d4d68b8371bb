"""Simulated SMS, app usage and billing per number, shaped by its role.

Fraud roles send many SMS and receive few, use almost no mobile data and pay
small, flat bills; ordinary users receive notifications, browse and pay more.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

# Per role: SMS sent and received per day, MB per month, bill in yuan.
PROFILES: dict[str, tuple[float, float, float, float]] = {
    "ordinary": (0.5, 3.0, 3000.0, 60.0),
    "busy": (2.0, 3.0, 2000.0, 80.0),
    "fraud": (8.0, 0.2, 50.0, 30.0),
    "simbox": (1.0, 0.1, 1.0, 20.0),
    "robocall": (0.0, 0.1, 1.0, 25.0),
}
APPS = ("wechat", "alipay", "douyin", "taobao", "qq", "maps")


def _months(start: str, n: int = 3) -> list[str]:
    first = pd.Timestamp(start).to_period("M")
    return [str(first - i) for i in range(n)][::-1]


def _profile(truth: pd.DataFrame, column: int) -> np.ndarray:
    return truth["role"].map(lambda r: PROFILES[r][column]).to_numpy(float)


def sms_table(
    rng: np.random.Generator, truth: pd.DataFrame, start: str, days: int
) -> pd.DataFrame:
    """Return SMS records (``number, other, direction, time``) for ``days`` days."""
    frames = []
    for column, direction in ((0, "out"), (1, "in")):
        counts = rng.poisson(_profile(truth, column) * days)
        owner = np.repeat(truth["number"].to_numpy(), counts)
        n = len(owner)
        seconds = rng.integers(0, days * 86_400, size=n)
        frames.append(
            pd.DataFrame(
                {
                    "number": owner,
                    "other": (10_000_000 + rng.integers(0, 10**6, size=n)).astype(str),
                    "direction": direction,
                    "time": pd.Timestamp(start) + pd.to_timedelta(seconds, unit="s"),
                }
            )
        )
    return pd.concat(frames, ignore_index=True)


def app_table(
    rng: np.random.Generator, truth: pd.DataFrame, start: str
) -> pd.DataFrame:
    """Return monthly app usage (``number, app, month, flow_mb``) for three months."""
    months = _months(start)
    mb = _profile(truth, 2)
    rows: list[tuple[str, str, str, float]] = []
    for i, number in enumerate(truth["number"].to_numpy()):
        used = rng.choice(len(APPS), size=rng.integers(1, len(APPS) + 1), replace=False)
        for month in months:
            share = rng.dirichlet(np.ones(len(used)))
            rows.extend(
                (number, APPS[a], month, float(mb[i] * s * rng.uniform(0.5, 1.5)))
                for a, s in zip(used, share, strict=True)
            )
    return pd.DataFrame(rows, columns=["number", "app", "month", "flow_mb"])


def billing_table(
    rng: np.random.Generator, truth: pd.DataFrame, start: str
) -> pd.DataFrame:
    """Return monthly bills (``number, month, spend``) for three months."""
    months = _months(start)
    spend = _profile(truth, 3)
    n = len(truth)
    frames = [
        pd.DataFrame(
            {
                "number": truth["number"].to_numpy(),
                "month": month,
                "spend": np.round(spend * rng.uniform(0.6, 1.4, n), 2),
            }
        )
        for month in months
    ]
    return pd.concat(frames, ignore_index=True)
