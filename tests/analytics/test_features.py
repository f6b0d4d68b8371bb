from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from fanzha.analytics.base import FEATURES, render_sql, tidy
from fanzha.analytics.duckdb_backend import DuckDBBackend
from fanzha.analytics.pandas_backend import PandasBackend
from fanzha.calls.simulator import CallSimulator, SimulationConfig

BACKENDS = [DuckDBBackend, PandasBackend]


def _calls(rows: list[tuple]) -> pd.DataFrame:
    frame = pd.DataFrame(
        rows,
        columns=[
            "number",
            "other",
            "direction",
            "start_time",
            "duration_s",
            "imei",
            "imsi",
        ],
    )
    frame["start_time"] = pd.to_datetime(frame["start_time"])
    frame["cell_id"] = "c1"
    frame["location"] = "l1"
    return frame


TINY = _calls(
    [
        ("100", "5000", "out", "2024-05-06 09:00:00", 5, "e1", "s1"),
        ("100", "5001", "out", "2024-05-06 09:01:00", 5, "e1", "s1"),
        ("100", "5002", "out", "2024-05-06 10:00:00", 20, "e1", "s2"),
        ("100", "5000", "in", "2024-05-06 02:00:00", 60, "e1", "s1"),
        ("200", "100", "out", "2024-05-07 12:00:00", 40, "e2", "s3"),
    ]
)


@pytest.mark.parametrize("backend", BACKENDS)
def test_hand_computed_features(backend):
    features = backend().number_features({"calls": TINY}).set_index("number")
    one = features.loc["100"]
    assert (one["n_calls"], one["n_out"], one["n_in"]) == (4, 3, 1)
    assert one["distinct_callees"] == 3
    assert one["callback_rate"] == pytest.approx(1 / 3)
    assert one["short_call_share"] == pytest.approx(2 / 3)
    assert one["sequential_share"] == pytest.approx(1.0)
    assert one["night_share"] == pytest.approx(0.25)
    assert one["max_imsi_per_imei"] == 2
    assert one["n_imsi"] == 2
    assert one["hour_entropy"] == pytest.approx(
        -(2 / 3 * math.log2(2 / 3) + 1 / 3 * math.log2(1 / 3))
    )
    assert one["dur_mean"] == pytest.approx(10.0)
    assert features.loc["200", "sequential_share"] == 0.0


@pytest.mark.parametrize("backend", BACKENDS)
def test_daily_windows_count_new_callees_once(backend):
    repeat = _calls(
        [
            ("100", "5000", "out", "2024-05-06 09:00:00", 30, "e1", "s1"),
            ("100", "5000", "out", "2024-05-07 09:00:00", 30, "e1", "s1"),
            ("100", "5001", "out", "2024-05-07 10:00:00", 30, "e1", "s1"),
        ]
    )
    features = backend().number_features({"calls": repeat}, window_s=86_400)
    assert list(features["new_callees"]) == [1, 1]
    assert list(features["distinct_callees"]) == [1, 2]


def test_duckdb_and_pandas_agree_on_simulated_records():
    sim = CallSimulator(SimulationConfig(n_users=200, days=3, seed=2))
    tables = {"calls": sim.calls(), **sim.extras()}
    for window in (10**12, 86_400):
        sql = DuckDBBackend().number_features(tables, window_s=window)
        twin = PandasBackend().number_features(tables, window_s=window)
        assert list(sql.columns) == ["number", "window_id", *FEATURES]
        assert list(sql["number"]) == list(twin["number"])
        assert (sql.dtypes == twin.dtypes).all()
        np.testing.assert_allclose(
            sql.iloc[:, 1:].to_numpy(float),
            twin.iloc[:, 1:].to_numpy(float),
            rtol=1e-9,
            atol=1e-9,
        )


def test_duckdb_reads_parquet_parts(tmp_path):
    sim = CallSimulator(SimulationConfig(n_users=100, days=2))
    sim.write_parquet(tmp_path, extras=False)
    from_files = DuckDBBackend().number_features({"calls": tmp_path / "calls"})
    from_frame = DuckDBBackend().number_features({"calls": sim.calls()})
    pd.testing.assert_frame_equal(from_files, from_frame)


def test_window_must_be_positive():
    with pytest.raises(ValueError):
        render_sql(0, 10)


@pytest.mark.parametrize("backend", BACKENDS)
def test_no_valid_calls_give_no_rows(backend):
    features = backend().number_features({"calls": TINY.iloc[:0]})
    assert features.empty
    assert list(features.columns) == ["number", "window_id", *FEATURES]


def test_duckdb_writes_the_same_features_to_parquet(tmp_path):
    sim = CallSimulator(SimulationConfig(n_users=150, days=2, seed=3))
    sim.write_parquet(tmp_path / "sim", extras=False)
    backend = DuckDBBackend(threads=1)
    tables = {"calls": tmp_path / "sim" / "calls"}
    target = tmp_path / "features.parquet"
    rows = backend.write_features(tables, target, window_s=86_400)
    expected = backend.number_features(tables, window_s=86_400)
    written = tidy(pd.read_parquet(target))
    assert rows == len(expected) > 0
    pd.testing.assert_frame_equal(written, expected)


def test_one_duckdb_connection_computes_features_twice():
    backend = DuckDBBackend()
    first = backend.number_features({"calls": TINY})
    again = backend.number_features({"calls": TINY.iloc[:4]})
    assert list(first["n_calls"]) == [4, 1]
    assert list(again["n_calls"]) == [4]


def test_duckdb_spill_files_are_capped():
    backend = DuckDBBackend(max_temp_size="1GB")
    setting = backend._con.execute(
        "SELECT current_setting('max_temp_directory_size')"
    ).fetchone()[0]
    assert setting.replace(" ", "").upper().startswith(("1GB", "953.6MIB", "1.0GB"))
