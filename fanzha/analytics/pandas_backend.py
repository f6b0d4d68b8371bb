"""The in-memory twin: the same number features computed with pandas.

It follows ``sql/number_features.sql`` step for step, so tests can run without a
SQL engine and the benchmark has a plain baseline. It holds everything in memory:
use it for small data only.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from fanzha.analytics.base import (
    FEATURES,
    WHOLE_PERIOD,
    AnalyticsBackend,
    Source,
    tidy,
)
from fanzha.calls.schema import TABLES
from fanzha.errors import UnknownKindError

KEYS = ["number", "window_id"]


def _frame(source: Source | None, table: str) -> pd.DataFrame:
    if source is None:
        return pd.DataFrame(columns=list(TABLES[table].names))
    if isinstance(source, pd.DataFrame):
        return source
    from fanzha.analytics.base import parquet_paths

    return pd.concat(
        [pd.read_parquet(p) for p in parquet_paths(source)], ignore_index=True
    )


def _window(times: pd.Series, window_s: int) -> np.ndarray:
    seconds = pd.to_datetime(times).to_numpy().astype("datetime64[s]").astype(np.int64)
    return np.floor(seconds / window_s).astype(np.int64)


def _ratio(num: pd.Series, den: pd.Series) -> pd.Series:
    return (num / den.where(den > 0)).fillna(0.0)


class PandasBackend(AnalyticsBackend):
    """Compute number features with pandas, in memory.

    Examples
    --------
    >>> from fanzha.calls.simulator import CallSimulator, SimulationConfig
    >>> calls = CallSimulator(SimulationConfig(n_users=100, days=1)).calls()
    >>> features = PandasBackend().number_features({"calls": calls})
    >>> int(features["n_calls"].sum()) == len(calls)
    True
    """

    name = "pandas"

    def number_features(
        self,
        tables: Mapping[str, Source],
        window_s: int = WHOLE_PERIOD,
        short_s: int = 10,
    ) -> pd.DataFrame:
        """Return one row per number and window, as the SQL back-ends do."""
        if "calls" not in tables:
            raise UnknownKindError("number features need a 'calls' table")
        c = _frame(tables["calls"], "calls").copy()
        if c.empty:
            return tidy(pd.DataFrame(columns=["number", "window_id", *FEATURES]))
        c["window_id"] = _window(c["start_time"], window_s)
        c["hr"] = pd.to_datetime(c["start_time"]).dt.hour
        out = c[c["direction"] == "out"]

        features = _base(c, out, short_s)
        features = features.join(_entropy(out)).join(_contacts(c, out, window_s))
        features = features.join(_sharing(c)).join(_sequential(out)).join(_repeats(out))
        features = features.reset_index()
        features = _add_sms(features, _frame(tables.get("sms"), "sms"), window_s)
        features = _add_per_number(
            features,
            _frame(tables.get("app"), "app"),
            _frame(tables.get("billing"), "billing"),
        )
        return tidy(_finish(features))


def _base(c: pd.DataFrame, out: pd.DataFrame, short_s: int) -> pd.DataFrame:
    flags = pd.DataFrame(
        {
            "n_out": c["direction"] == "out",
            "n_night": c["hr"] < 6,
            "day": pd.to_datetime(c["start_time"]).dt.normalize(),
        }
    )
    flags[KEYS] = c[KEYS]
    groups = c.groupby(KEYS)
    base = flags.groupby(KEYS)[["n_out", "n_night"]].sum()
    base["n_calls"] = groups.size()
    base["active_days"] = flags.groupby(KEYS)["day"].nunique()
    for column, name in (
        ("hr", "active_hours"),
        ("cell_id", "n_cells"),
        ("location", "n_locations"),
        ("imei", "n_imei"),
        ("imsi", "n_imsi"),
    ):
        base[name] = groups[column].nunique()
    base["distinct_callers"] = (
        c[c["direction"] == "in"].groupby(KEYS)["other"].nunique()
    )
    base["n_in"] = base["n_calls"] - base["n_out"]

    # Duration statistics look at outgoing calls only.
    durations = out.groupby(KEYS)["duration_s"]
    base["distinct_callees"] = out.groupby(KEYS)["other"].nunique()
    base["n_short_out"] = (
        (out["duration_s"] < short_s).groupby([out["number"], out["window_id"]]).sum()
    )
    base["dur_mean"] = durations.mean()
    base["dur_std"] = durations.std(ddof=0)
    base["dur_max"] = durations.max()
    return base


def _entropy(out: pd.DataFrame) -> pd.Series:
    counts = out.groupby([*KEYS, "hr"]).size()
    share = counts / counts.groupby(level=KEYS).transform("sum")
    bits = -(share * np.log(share)).groupby(level=KEYS).sum() / np.log(2.0)
    return bits.rename("hour_entropy")


def _contacts(c: pd.DataFrame, out: pd.DataFrame, window_s: int) -> pd.DataFrame:
    pairs = (
        c.assign(has_in=c["direction"] == "in")
        .groupby(["number", "other"])
        .agg(first_window=("window_id", "min"), has_in=("has_in", "max"))
    )
    rows = out.join(pairs, on=["number", "other"])
    new = rows[rows["first_window"] == rows["window_id"]]
    back = rows[rows["has_in"]]
    return pd.DataFrame(
        {
            "new_callees": new.groupby(KEYS)["other"].nunique(),
            "called_back": back.groupby(KEYS)["other"].nunique(),
        }
    )


def _sharing(c: pd.DataFrame) -> pd.Series:
    used = c.dropna(subset=["imei"])
    load = used.groupby(["window_id", "imei"])["imsi"].nunique().rename("imsis")
    pairs = used[[*KEYS, "imei"]].drop_duplicates().join(load, on=["window_id", "imei"])
    return pairs.groupby(KEYS)["imsis"].max().rename("max_imsi_per_imei")


def _sequential(out: pd.DataFrame) -> pd.Series:
    rows = out.sort_values([*KEYS, "start_time", "other"])
    dialled = pd.to_numeric(
        rows["other"].astype(str).str.replace("+", "", regex=False), errors="coerce"
    )
    gap = dialled - dialled.groupby([rows["number"], rows["window_id"]]).shift(1)
    hits = gap.between(1, 10).astype(int)
    return (
        hits.groupby([rows["number"], rows["window_id"]]).sum().rename("n_sequential")
    )


def _repeats(out: pd.DataFrame) -> pd.DataFrame:
    durations = out["duration_s"].astype(float)
    pairs = (
        out.assign(d1=durations, d2=durations * durations)
        .groupby([*KEYS, "other"])
        .agg(k=("d1", "size"), d1=("d1", "sum"), d2=("d2", "sum"))
    )
    sums = pairs[pairs["k"] >= 3].groupby(level=KEYS)[["k", "d1", "d2"]].sum()
    mean = sums["d1"] / sums["k"]
    spread = np.sqrt(np.maximum(sums["d2"] / sums["k"] - mean * mean, 0.0))
    return pd.DataFrame(
        {
            "n_repeat": sums["k"],
            "repeat_dur_cv": (spread / mean.where(mean > 0)).fillna(0.0),
        }
    )


def _add_sms(features: pd.DataFrame, sms: pd.DataFrame, window_s: int) -> pd.DataFrame:
    if sms.empty:
        return features
    sms = sms.assign(
        window_id=_window(sms["time"], window_s),
        sms_out=sms["direction"] == "out",
        sms_in=sms["direction"] == "in",
    )
    groups = sms.groupby(KEYS)
    table = groups[["sms_out", "sms_in"]].sum()
    table["sms_distinct"] = groups["other"].nunique()
    table = table.reset_index()
    return features.merge(table, on=KEYS, how="left")


def _add_per_number(
    features: pd.DataFrame, app: pd.DataFrame, billing: pd.DataFrame
) -> pd.DataFrame:
    if not app.empty:
        usage = app.groupby("number").agg(
            app_flow_mb=("flow_mb", "sum"),
            app_count=("app", "nunique"),
            app_months=("month", "nunique"),
        )
        features = features.join(usage, on="number")
    if not billing.empty:
        bills = billing.groupby("number")["spend"].agg(["mean", "min", "max"])
        features = features.join(bills.add_prefix("spend_"), on="number")
    return features


def _finish(f: pd.DataFrame) -> pd.DataFrame:
    for column in (
        "sms_out",
        "sms_in",
        "sms_distinct",
        "app_flow_mb",
        "app_count",
        "app_months",
        "spend_mean",
        "spend_min",
        "spend_max",
        "new_callees",
        "called_back",
        "max_imsi_per_imei",
        "n_sequential",
        "n_repeat",
        "repeat_dur_cv",
        "distinct_callees",
        "distinct_callers",
        "n_short_out",
        "dur_mean",
        "dur_std",
        "dur_max",
        "hour_entropy",
    ):
        f[column] = f[column].fillna(0) if column in f else 0
    f["out_ratio"] = f["n_out"] / f["n_calls"]
    f["new_callee_share"] = _ratio(f["new_callees"], f["distinct_callees"])
    f["callback_rate"] = _ratio(f["called_back"], f["distinct_callees"])
    f["calls_per_callee"] = _ratio(f["n_out"], f["distinct_callees"])
    f["short_call_share"] = _ratio(f["n_short_out"], f["n_out"])
    f["dur_cv"] = _ratio(f["dur_std"], f["dur_mean"])
    f["night_share"] = f["n_night"] / f["n_calls"]
    f["out_per_day"] = f["n_out"] / f["active_days"]
    f["repeat_call_share"] = _ratio(f["n_repeat"], f["n_out"])
    f["sequential_share"] = _ratio(f["n_sequential"], f["n_out"] - 1)
    f["sms_out_ratio"] = _ratio(f["sms_out"], f["sms_out"] + f["sms_in"])
    for column in (
        "n_in",
        "distinct_callees",
        "distinct_callers",
        "new_callees",
        "max_imsi_per_imei",
        "dur_max",
        "sms_out",
        "sms_in",
        "sms_distinct",
        "app_count",
        "app_months",
    ):
        f[column] = f[column].astype("int64")
    return f
