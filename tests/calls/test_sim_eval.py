from __future__ import annotations

import json

import pandas as pd
import pytest
from typer.testing import CliRunner

from fanzha.calls.sim_eval import evaluate_calls
from fanzha.calls.simulator import CallSimulator, SimulationConfig
from fanzha.cli.main import app
from fanzha.errors import ValidationError

CONFIG = SimulationConfig(n_users=2000, days=7, n_gateways=2, n_robocallers=5, seed=2)


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    root = tmp_path_factory.mktemp("sim")
    CallSimulator(CONFIG).write_parquet(root, extras=False)
    return root


def test_cli_reports_recall_per_injected_role(folder):
    result = CliRunner().invoke(
        app, ["evaluate", "calls", "--data", str(folder), "--format", "json"]
    )
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["simbox_recall"] >= 0.95
    assert report["robocall_recall"] >= 0.95
    assert report["ordinary_flagged"] <= 0.001
    assert sum(r["n"] for r in report["per_role"].values()) == report["n"]
    assert (
        report["per_role"]["simbox"]["n"] == CONFIG.n_gateways * CONFIG.sims_per_gateway
    )


def test_recall_falls_when_the_truth_names_other_numbers(folder, tmp_path):
    truth = pd.read_parquet(folder / "truth.parquet")
    ordinary = truth.index[truth["role"] == "ordinary"][:40]
    simbox = truth.index[truth["role"] == "simbox"]
    truth.loc[simbox, "role"] = "ordinary"
    truth.loc[ordinary, "role"] = "simbox"
    for item in folder.iterdir():
        (tmp_path / item.name).symlink_to(item)
    (tmp_path / "truth.parquet").unlink()
    truth.to_parquet(tmp_path / "truth.parquet", index=False)
    report = evaluate_calls(tmp_path, None)
    assert report["simbox_recall"] == 0.0
    assert report["ordinary_flagged"] > 0.001


def test_a_folder_without_truth_is_a_clear_error(tmp_path):
    with pytest.raises(ValidationError, match="truth.parquet"):
        evaluate_calls(tmp_path, None)
    with pytest.raises(ValidationError, match="drop --model"):
        evaluate_calls(tmp_path, tmp_path)
