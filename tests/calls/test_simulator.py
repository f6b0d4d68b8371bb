from __future__ import annotations

import pandas as pd

from fanzha.calls import load_records
from fanzha.calls.simulator import CallSimulator, SimulationConfig

SMALL = SimulationConfig(n_users=300, days=7, seed=5)


def test_same_seed_gives_the_same_records():
    first = CallSimulator(SMALL).calls()
    second = CallSimulator(SMALL).calls()
    pd.testing.assert_frame_equal(first, second)
    other = CallSimulator(SimulationConfig(n_users=300, days=7, seed=6)).calls()
    assert len(other) != len(first) or not other.equals(first)


def test_ordinary_users_call_less_at_night_and_at_weekends():
    calls = CallSimulator(SMALL).calls()
    truth = CallSimulator(SMALL).truth()
    ordinary = set(truth.loc[truth["role"] == "ordinary", "number"])
    own = calls[calls["number"].isin(ordinary) & (calls["direction"] == "out")]
    night = (own["start_time"].dt.hour < 6).mean()
    per_day = own.groupby(own["start_time"].dt.day_of_week).size()
    assert night < 0.05
    assert per_day[[5, 6]].mean() < 0.85 * per_day[[0, 1, 2, 3, 4]].mean()


def test_gateway_sims_share_few_devices_and_robocallers_dial_in_order():
    sim = CallSimulator(SMALL)
    calls, truth = sim.calls(), sim.truth()
    role = truth.set_index("number")["role"]
    boxes = calls[calls["number"].map(role) == "simbox"]
    assert boxes["imei"].nunique() == SMALL.n_gateways * SMALL.ports_per_gateway
    assert boxes.groupby("imei")["imsi"].nunique().min() == SMALL.sims_per_gateway
    bot = calls[
        calls["number"] == truth.loc[truth["role"] == "robocall", "number"].iloc[0]
    ]
    steps = bot.sort_values("start_time")["other"].astype(int).diff().dropna()
    assert (steps == 1).mean() > 0.95


def test_written_parquet_loads_without_quarantine(tmp_path):
    summary = CallSimulator(SimulationConfig(n_users=100, days=2)).write_parquet(
        tmp_path
    )
    parts = sorted((tmp_path / "calls").glob("*.parquet"))
    assert summary["files"] == len(parts) == 4
    loaded = [load_records(p)[1] for p in parts]
    assert sum(r.rows_loaded for r in loaded) == summary["calls"]
    assert all(r.quarantined == [] for r in loaded)
    assert (tmp_path / "truth.parquet").is_file()
    for table in ("sms", "app", "billing"):
        assert load_records(tmp_path / f"{table}.parquet", table)[1].quarantined == []


def test_score_records_reads_a_simulated_folder_with_every_table(tmp_path):
    from fanzha.calls.pipeline import find_tables, score_records

    CallSimulator(SimulationConfig(n_users=100, days=2)).write_parquet(tmp_path)
    assert set(find_tables(tmp_path)) == {"calls", "sms", "app", "billing"}
    result = score_records(tmp_path)
    assert result.features["sms_in"].sum() > 0
    assert result.features["spend_mean"].gt(0).all()
    assert result.summary()["quarantined"] == 0
