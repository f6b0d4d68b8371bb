from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from fanzha.analytics.base import FEATURES, render_sql, tidy
from fanzha.analytics.duckdb_backend import (
    BYTES_PER_CALL,
    CALLS_PER_BUCKET,
    DuckDBBackend,
    buckets_for,
    memory_bytes,
)
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


@pytest.mark.parametrize(("buckets", "threads"), [(2, 1), (5, 2)])
def test_features_split_by_number_bucket_match_one_pass(tmp_path, buckets, threads):
    sim = CallSimulator(SimulationConfig(n_users=300, days=3, n_gateways=3, seed=5))
    sim.write_parquet(tmp_path / "sim")
    tables = {
        "calls": tmp_path / "sim" / "calls",
        **{name: tmp_path / "sim" / f"{name}.parquet" for name in sim.extras()},
    }
    backend = DuckDBBackend(threads=threads, temp_dir=tmp_path)
    whole, split = tmp_path / "whole.parquet", tmp_path / "split.parquet"
    assert backend.write_features(tables, whole, window_s=86_400, buckets=1) > 0
    rows = backend.write_features(tables, split, window_s=86_400, buckets=buckets)
    expected, got = tidy(pd.read_parquet(whole)), tidy(pd.read_parquet(split))
    assert rows == len(expected) == len(got)
    assert list(got["number"]) == list(expected["number"])
    assert (got.dtypes == expected.dtypes).all()
    np.testing.assert_allclose(
        got.iloc[:, 1:].to_numpy(float),
        expected.iloc[:, 1:].to_numpy(float),
        rtol=1e-9,
        atol=1e-9,
    )
    # SIM-box SIMs share port IMEIs across buckets: the IMEI load is global.
    assert got["max_imsi_per_imei"].max() > 1
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith("fanzha-")] == []
    # The connection is left as it was: same threads, features computable again.
    setting = backend._con.execute("SELECT current_setting('threads')").fetchone()
    assert setting[0] == threads
    assert len(backend.number_features(tables, window_s=86_400)) == rows


def test_split_features_equal_the_pandas_twin(tmp_path):
    sim = CallSimulator(SimulationConfig(n_users=200, days=2, seed=6))
    calls = sim.calls()
    target = tmp_path / "features.parquet"
    DuckDBBackend(threads=1).write_features({"calls": calls}, target, buckets=3)
    twin = PandasBackend().number_features({"calls": calls})
    got = tidy(pd.read_parquet(target))
    assert list(got["number"]) == list(twin["number"])
    np.testing.assert_allclose(
        got.iloc[:, 1:].to_numpy(float),
        twin.iloc[:, 1:].to_numpy(float),
        rtol=1e-9,
        atol=1e-9,
    )


def test_empty_calls_split_in_buckets_give_an_empty_file(tmp_path):
    target = tmp_path / "features.parquet"
    rows = DuckDBBackend().write_features({"calls": TINY.iloc[:0]}, target, buckets=3)
    assert rows == 0
    assert list(pd.read_parquet(target).columns) == ["number", "window_id", *FEATURES]


@pytest.mark.parametrize(
    ("limit", "expected"),
    [
        ("4GB", 4 * 10**9),
        ("512MB", 512 * 10**6),
        ("2GiB", 2 * 1024**3),
        ("1.5 GB", 15 * 10**8),
    ],
)
def test_memory_limits_parse(limit, expected):
    assert memory_bytes(limit) == expected


def test_bucket_count_follows_calls_and_memory():
    assert buckets_for(0, "4GB") == 1
    assert buckets_for(1_000_000, "4GB") == 1
    # Past what fits, buckets of at most CALLS_PER_BUCKET calls...
    assert buckets_for(100_000_000, "6GB") == 100_000_000 // CALLS_PER_BUCKET
    # ...and fewer calls per bucket when memory is tight.
    tight = buckets_for(100_000_000, "200MB")
    assert tight == math.ceil(100_000_000 / (200 * 10**6 // BYTES_PER_CALL))
    assert tight > 100_000_000 // CALLS_PER_BUCKET
    with pytest.raises(ValueError):
        memory_bytes("lots")


@pytest.mark.parametrize("backend", BACKENDS)
def test_handset_load_counts_sims_of_every_number(backend):
    calls = _calls(
        [
            ("300", "5000", "out", "2024-05-06 09:00:00", 30, "e9", None),
            ("301", "5001", "out", "2024-05-06 09:00:00", 30, "e9", "s9"),
            ("302", "5002", "out", "2024-05-06 09:00:00", 30, "e8", None),
            ("303", "5003", "out", "2024-05-06 09:00:00", 30, None, "s7"),
            ("304", "5004", "out", "2024-05-06 09:00:00", 30, "e7", "s5"),
            ("305", "5005", "out", "2024-05-06 09:00:00", 30, "e7", "s6"),
        ]
    )
    features = backend().number_features({"calls": calls}).set_index("number")
    loads = features["max_imsi_per_imei"].to_dict()
    assert loads == {"300": 1, "301": 1, "302": 0, "303": 0, "304": 2, "305": 2}
