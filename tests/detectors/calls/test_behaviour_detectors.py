from __future__ import annotations

import pandas as pd
import pytest

from fanzha.analytics.duckdb_backend import DuckDBBackend
from fanzha.calls.pipeline import CALLMINE_COLUMNS, score_records
from fanzha.calls.simulator import CallSimulator, SimulationConfig
from fanzha.detectors.calls.behaviour import feature_row
from fanzha.detectors.calls.robocall_detector import RobocallDetector
from fanzha.detectors.calls.simbox_detector import SimboxDetector

# Large enough that 0.1 % of ordinary numbers is about 10 numbers.
CONFIG = SimulationConfig(
    n_users=10_000, days=7, n_gateways=4, n_robocallers=20, seed=11
)


@pytest.fixture(scope="module")
def simulated() -> pd.DataFrame:
    sim = CallSimulator(CONFIG)
    features = DuckDBBackend().number_features({"calls": sim.calls()})
    return features.merge(sim.truth(), on="number")


def _flags(detector, features: pd.DataFrame) -> pd.Series:
    verdicts = detector.score_batch(features.to_dict("records"))
    return pd.Series([v.label == "fraud" for v in verdicts], index=features.index)


@pytest.mark.parametrize(
    ("detector", "role"), [(SimboxDetector, "simbox"), (RobocallDetector, "robocall")]
)
def test_simulated_targets_recall_and_false_positive_rate(simulated, detector, role):
    flags = _flags(detector.shipped(), simulated)
    recall = flags[simulated["role"] == role].mean()
    ordinary = flags[simulated["role"].isin(["ordinary", "busy"])].mean()
    assert recall >= 0.95
    assert ordinary <= 0.001


def test_every_hit_names_its_rule_and_the_values(simulated):
    sims = simulated[simulated["role"] == "simbox"].head(3).to_dict("records")
    for verdict in SimboxDetector.shipped().score_batch(sims):
        assert verdict.evidence
        for hit in verdict.evidence:
            assert hit.kind == "rule"
            assert hit.name in {r.name for r in SimboxDetector.shipped().rules}
            assert "=" in str(hit.value) and ">=" in str(hit.value)


@pytest.mark.parametrize(
    ("values", "label"),
    [
        (dict(max_imsi_per_imei=5, n_out=20), "fraud"),
        (dict(max_imsi_per_imei=4, n_out=20), "normal"),
        (dict(max_imsi_per_imei=8, n_out=19), "normal"),
        (dict(out_per_day=60, short_call_share=0.3, new_callee_share=0.9), "fraud"),
        (dict(out_per_day=59, short_call_share=0.3, new_callee_share=0.9), "normal"),
        (
            dict(
                out_per_day=60,
                short_call_share=0.3,
                new_callee_share=0.9,
                callback_rate=0.2,
            ),
            "normal",
        ),
    ],
)
def test_simbox_rules_at_their_limits(values, label):
    assert SimboxDetector.shipped().score(feature_row("1", **values)).label == label


@pytest.mark.parametrize(
    ("values", "label"),
    [
        (dict(sequential_share=0.5, n_out=30), "fraud"),
        (dict(sequential_share=0.49, n_out=300), "normal"),
        (dict(dur_cv=0.1, out_per_day=50), "fraud"),
        (dict(dur_cv=0.1, out_per_day=50, callback_rate=0.5), "normal"),
        (
            dict(
                repeat_call_share=0.9, repeat_dur_cv=0.2, distinct_callees=10, n_out=100
            ),
            "fraud",
        ),
        (
            dict(
                repeat_call_share=0.9, repeat_dur_cv=0.9, distinct_callees=10, n_out=100
            ),
            "normal",
        ),
    ],
)
def test_robocall_rules_at_their_limits(values, label):
    assert RobocallDetector.shipped().score(feature_row("1", **values)).label == label


@pytest.mark.shared_data
def test_callmine_group_call_cluster_is_found(shared_data):
    records = shared_data / "cdr" / "callmine_sample" / "sample_raw_data.csv"
    result = score_records(
        records, rename=CALLMINE_COLUMNS, defaults={"direction": "out"}
    )
    flagged = sorted(int(v.item_id) for v in result.flagged())
    assert flagged == list(range(250, 260))
    assert {e.name for v in result.flagged() for e in v.evidence} == {"group_calling"}
