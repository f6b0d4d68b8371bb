"""Raw records to the Sichuan layout, the input of the ``number-risk`` model.

The number-risk model was trained on ``sichuan_train.csv``: 55 aggregates per
number, computed by the 2020 Sichuan contest's public baseline from four tables
(calls, SMS, app traffic, monthly bills). This module computes the same
aggregates from fanzha's record tables (``docs/calls.md``), so the model scores
raw records as well as pre-aggregated files:

- calls: ``direction`` ``out`` is the contest's call type 1 and ``in`` type 2;
  ``location`` stands for its city and ``cell_id`` for its county; hour and
  day are those of ``start_time`` (day of the month).
- SMS: ``in`` is the contest's type 2 (received).
- app: ``app`` is its business name, ``flow_mb`` its flow, ``month`` its month.
- billing: ``spend`` per month is its ARPU.

A number with no row in a table gets missing values for that table's columns,
as in the contest data. Modes break ties towards the smaller value.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

CALL_COLUMNS = (
    "opposite_count opposite_unique voccalltype1 imeis voc_calltype1 "
    "city_name_call county_name_call phone2opposite_mean phone2opposite_median "
    "phone2opposite_max phone2oppo_sum_mean phone2oppo_sum_median "
    "phone2oppo_sum_max call_dur_mean call_dur_median call_dur_max call_dur_min "
    "city_name_nunique county_name_nunique calltype_id_unique voc_hour_mode "
    "voc_hour_mode_count voc_hour_nunique voc_day_mode voc_day_mode_count "
    "voc_day_nunique"
).split()
SMS_COLUMNS = (
    "sms_count sms_nunique sms_rate calltype_2 calltype_rate hour_mode "
    "hour_mode_count hour_nunique day_mode day_mode_count day_nunique"
).split()
APP_COLUMNS = (
    "busi_count flow_mean flow_median flow_min flow_max flow_var flow_sum "
    "month_ids flow_month"
).split()
BILL_COLUMNS = (
    "arpu_mean arpu_var arpu_max arpu_min arpu_median arpu_sum arpu_skew "
    "arpu_sem arpu_quantile"
).split()
COLUMNS = CALL_COLUMNS + SMS_COLUMNS + APP_COLUMNS + BILL_COLUMNS


def sichuan_features(tables: Mapping[str, pd.DataFrame]) -> pd.DataFrame:
    """Return one row per number (index ``number``) with the 55 Sichuan columns.

    ``tables`` are loaded record tables (``fanzha.calls.pipeline.load_tables``);
    any of ``calls``, ``sms``, ``app`` and ``billing`` may be absent.
    """
    parts = [
        _calls(tables["calls"]) if "calls" in tables else None,
        _sms(tables["sms"]) if "sms" in tables else None,
        _app(tables["app"]) if "app" in tables else None,
        _bills(tables["billing"]) if "billing" in tables else None,
    ]
    frames = [p for p in parts if p is not None]
    if not frames:
        return pd.DataFrame(columns=COLUMNS, index=pd.Index([], name="number"))
    joined = pd.concat(frames, axis=1, join="outer")
    joined.index.name = "number"
    return joined.reindex(columns=COLUMNS).astype(float)


def _calls(calls: pd.DataFrame) -> pd.DataFrame:
    by = calls.groupby("number")
    out = pd.DataFrame(
        {
            "opposite_count": by["other"].size(),
            "opposite_unique": by["other"].nunique(),
        }
    )
    made = calls[calls["direction"] == "out"].groupby("number")
    out["voccalltype1"] = made.size()
    out["imeis"] = _nunique(made, "imei")
    out["voc_calltype1"] = out["voccalltype1"] / out["opposite_count"]
    out["city_name_call"] = _nunique(made, "location")
    out["county_name_call"] = _nunique(made, "cell_id")

    pairs = calls.groupby(["number", "other"])["duration_s"].agg(["size", "sum"])
    per_pair = pairs.groupby(level="number")
    for stat in ("mean", "median", "max"):
        out[f"phone2opposite_{stat}"] = per_pair["size"].agg(stat)
        out[f"phone2oppo_sum_{stat}"] = per_pair["sum"].agg(stat)
    for stat in ("mean", "median", "max", "min"):
        out[f"call_dur_{stat}"] = by["duration_s"].agg(stat)
    out["city_name_nunique"] = _nunique(by, "location")
    out["county_name_nunique"] = _nunique(by, "cell_id")
    out["calltype_id_unique"] = by["direction"].nunique()
    when = pd.to_datetime(calls["start_time"])
    out = out.join(_mode(calls["number"], when.dt.hour, "voc_hour"))
    return out.join(_mode(calls["number"], when.dt.day, "voc_day"))


def _sms(sms: pd.DataFrame) -> pd.DataFrame:
    by = sms.groupby("number")
    out = pd.DataFrame(
        {"sms_count": by["other"].size(), "sms_nunique": by["other"].nunique()}
    )
    out["sms_rate"] = out["sms_count"] / out["sms_nunique"]
    out["calltype_2"] = sms[sms["direction"] == "in"].groupby("number").size()
    out["calltype_2"] = out["calltype_2"].fillna(0)
    out["calltype_rate"] = out["calltype_2"] / out["sms_count"]
    when = pd.to_datetime(sms["time"])
    out = out.join(_mode(sms["number"], when.dt.hour, "hour"))
    return out.join(_mode(sms["number"], when.dt.day, "day"))


def _app(app: pd.DataFrame) -> pd.DataFrame:
    by = app.groupby("number")
    out = pd.DataFrame({"busi_count": by["app"].nunique()})
    for stat in ("mean", "median", "min", "max", "var", "sum"):
        out[f"flow_{stat}"] = by["flow_mb"].agg(stat)
    out["month_ids"] = by["month"].nunique()
    out["flow_month"] = out["flow_sum"] / out["month_ids"]
    return out


def _bills(bills: pd.DataFrame) -> pd.DataFrame:
    by = bills.groupby("number")["spend"]
    out = pd.DataFrame(
        {f"arpu_{stat}": by.agg(stat) for stat in ("mean", "var", "max", "min")}
    )
    out["arpu_median"] = by.median()
    out["arpu_sum"] = by.sum()
    out["arpu_skew"] = by.skew()
    out["arpu_sem"] = by.sem()
    out["arpu_quantile"] = by.quantile(0.5)
    return out


def _nunique(grouped: pd.core.groupby.DataFrameGroupBy, column: str) -> pd.Series:
    if column not in grouped.obj.columns:
        return pd.Series(np.nan, index=list(grouped.groups), dtype=float)
    return grouped[column].nunique()


def _mode(numbers: pd.Series, values: pd.Series, prefix: str) -> pd.DataFrame:
    """Most frequent value per number (ties: the smaller), its count, distinct."""
    counts = (
        pd.DataFrame({"number": numbers.to_numpy(), "v": values.to_numpy()})
        .value_counts()
        .rename("n")
        .reset_index()
        .sort_values(["number", "n", "v"], ascending=[True, False, True])
    )
    first = counts.drop_duplicates("number").set_index("number")
    return pd.DataFrame(
        {
            f"{prefix}_mode": first["v"].astype(float),
            f"{prefix}_mode_count": first["n"].astype(float),
            f"{prefix}_nunique": counts.groupby("number").size().astype(float),
        }
    )
