from __future__ import annotations

import math

import pandas as pd
import pytest

from fanzha.calls.sichuan_layout import COLUMNS, sichuan_features


def _tables() -> dict[str, pd.DataFrame]:
    calls = pd.DataFrame(
        {
            "number": ["A", "A", "A", "A", "B"],
            "other": ["x", "x", "y", "z", "x"],
            "direction": ["out", "out", "in", "out", "in"],
            "start_time": pd.to_datetime(
                [
                    "2024-05-06 09:00",
                    "2024-05-06 09:30",
                    "2024-05-07 22:00",
                    "2024-05-07 22:10",
                    "2024-05-08 08:00",
                ]
            ),
            "duration_s": [10, 30, 60, 20, 5],
            "cell_id": ["c1", "c2", "c1", "c1", "c9"],
            "location": ["L1", "L1", "L2", "L1", "L9"],
            "imei": ["i1", "i2", "i1", "i1", "i9"],
        }
    )
    sms = pd.DataFrame(
        {
            "number": ["A", "A", "A"],
            "other": ["p", "p", "q"],
            "direction": ["in", "out", "in"],
            "time": pd.to_datetime(
                ["2024-05-06 01:00", "2024-05-06 01:05", "2024-05-09 13:00"]
            ),
        }
    )
    app = pd.DataFrame(
        {
            "number": ["A", "A", "A"],
            "app": ["qq", "qq", "taobao"],
            "month": ["2024-04", "2024-05", "2024-05"],
            "flow_mb": [10.0, 20.0, 30.0],
        }
    )
    billing = pd.DataFrame(
        {"number": ["A", "A", "B"], "month": ["2024-04", "2024-05", "2024-05"]}
        | {"spend": [40.0, 60.0, 18.0]}
    )
    return {"calls": calls, "sms": sms, "app": app, "billing": billing}


def test_calls_become_the_contest_aggregates():
    row = sichuan_features(_tables()).loc["A"]
    assert list(sichuan_features(_tables()).columns) == COLUMNS
    assert (row["opposite_count"], row["opposite_unique"]) == (4, 3)
    assert (row["voccalltype1"], row["voc_calltype1"]) == (3, 0.75)
    assert (row["imeis"], row["city_name_call"], row["county_name_call"]) == (2, 1, 2)
    # Per callee: x twice (40 s), y and z once (60 s, 20 s).
    assert row["phone2opposite_max"] == 2 and row["phone2opposite_median"] == 1
    assert row["phone2oppo_sum_mean"] == pytest.approx(40.0)
    assert (row["call_dur_min"], row["call_dur_max"]) == (10, 60)
    assert row["calltype_id_unique"] == 2
    # Hours 9, 9, 22, 22: a tie, broken towards the smaller hour.
    assert (row["voc_hour_mode"], row["voc_hour_mode_count"]) == (9, 2)
    assert (row["voc_day_mode"], row["voc_day_nunique"]) == (6, 2)


def test_sms_app_and_bills_become_the_contest_aggregates():
    row = sichuan_features(_tables()).loc["A"]
    assert (row["sms_count"], row["sms_nunique"], row["sms_rate"]) == (3, 2, 1.5)
    assert row["calltype_2"] == 2 and row["calltype_rate"] == pytest.approx(2 / 3)
    assert (row["hour_mode"], row["hour_mode_count"], row["day_mode"]) == (1, 2, 6)
    assert (row["busi_count"], row["month_ids"], row["flow_sum"]) == (2, 2, 60)
    assert row["flow_month"] == 30
    assert (row["arpu_mean"], row["arpu_sum"], row["arpu_quantile"]) == (50, 100, 50)


def test_a_number_missing_from_a_table_gets_missing_values():
    row = sichuan_features(_tables()).loc["B"]
    assert math.isnan(row["sms_count"]) and math.isnan(row["flow_sum"])
    assert row["arpu_mean"] == 18 and math.isnan(row["arpu_var"])
    assert math.isnan(row["voccalltype1"])  # no outgoing call


def test_records_are_scored_by_the_number_risk_model(tmp_path):
    from fanzha.calls.pipeline import score_records

    folder = tmp_path / "records"
    folder.mkdir()
    numbers = {"A": "13800000001", "B": "13800000002"}
    for name, frame in _tables().items():
        frame.assign(number=frame["number"].map(numbers)).to_csv(
            folder / f"{name}.csv", index=False
        )
    result = score_records(folder, risk_model=True)
    risk = {v.item_id: v for v in result.verdicts if v.detector == "number-risk"}
    assert set(risk) == set(numbers.values())
    assert all(0.0 <= v.risk <= 1.0 and v.evidence for v in risk.values())


def test_a_long_enough_history_draws_no_warning():
    from fanzha.calls.pipeline import RISK_MODEL_MIN_DAYS, _short_history_warning

    start = pd.Timestamp("2024-01-01")
    calls = pd.DataFrame(
        {"start_time": [start, start + pd.Timedelta(days=RISK_MODEL_MIN_DAYS)]}
    )
    assert _short_history_warning({"calls": calls}) == []
    assert _short_history_warning({"calls": calls.iloc[:1]})
    assert _short_history_warning({}) == []
