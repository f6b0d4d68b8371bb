from __future__ import annotations

import json
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from fanzha.api.app import create_app
from fanzha.calls.simulator import CallSimulator, SimulationConfig
from fanzha.cli import main as cli
from fanzha.detectors.calls.behaviour import feature_row
from fanzha.settings import load_settings
from fanzha.storage import Store

cli._load_command_modules()
runner = CliRunner()


@pytest.fixture
def db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.delenv("FANZHA_DATABASE_URL", raising=False)
    return f"sqlite:///{tmp_path / 'calls.db'}"


@pytest.fixture
def records(tmp_path: Path) -> Path:
    """Simulated calls with one robocaller, plus a few bad rows."""
    sim = CallSimulator(
        SimulationConfig(
            n_users=300, days=3, n_gateways=1, n_robocallers=1, n_fraud=2, seed=8
        )
    )
    calls = sim.calls()
    calls["start_time"] = calls["start_time"].astype(str)
    path = tmp_path / "calls.csv"
    calls.to_csv(path, index=False)
    with open(path, "a", encoding="utf-8") as fh:
        fh.write("13000000001,13000000002,out,not-a-time,30,c,l,i,s\n")
        fh.write("13000000001,13000000002,out,2024-05-06 10:00:00,-1,c,l,i,s\n")
    return path


def _run(*args: str) -> str:
    result = runner.invoke(cli.app, list(args))
    assert result.exit_code == 0, result.output
    return result.output


def test_score_numbers_flags_gateway_and_robocaller_and_stores_them(
    records, db, tmp_path
):
    out = json.loads(
        _run(
            "score",
            "numbers",
            str(records),
            "--database-url",
            db,
            "--quarantine",
            str(tmp_path / "bad.csv"),
            "--format",
            "json",
        )
    )
    load = out["loads"][0]
    assert load["reasons"] == {
        "unparseable time in start_time": 1,
        "negative duration in duration_s": 1,
    }
    assert load["rows_loaded"] == load["rows_read"] - 2
    detectors = {row["detector"] for row in out["flagged_numbers"]}
    assert detectors == {"number-simbox", "number-robocall"}
    assert out["stored"] == out["flagged"] >= 17
    assert all("*" in row["number"] for row in out["flagged_numbers"])
    assert (tmp_path / "bad-calls.csv").is_file()

    store = Store(db)
    assert store.list_verdicts(kind="calls", label="fraud")["total"] == out["stored"]


def test_risk_model_scores_every_number_of_the_records(records, db):
    out = json.loads(
        _run(
            "score",
            "numbers",
            str(records),
            "--risk-model",
            "--store-all",
            "--database-url",
            db,
            "--format",
            "json",
        )
    )
    store = Store(db)
    risk = store.list_verdicts(kind="calls", detector="number-risk")
    assert risk["total"] == out["numbers"] >= 300  # one per number
    assert all(0.0 <= v["risk"] <= 1.0 for v in risk["items"])
    # The records cover days, not the months the model was trained on.
    (warning,) = out["warnings"]
    assert "days" in warning and "recalibrate" in warning


def test_without_the_risk_model_no_history_warning_is_given(records, db):
    out = json.loads(
        _run("score", "numbers", str(records), "--database-url", db, "-f", "json")
    )
    assert "warnings" not in out


def test_stored_verdicts_are_read_through_the_api(records, db, tmp_path):
    _run("score", "numbers", str(records), "--database-url", db)
    store = Store(db)
    key = store.create_api_key("viewer-key", "viewer")[1]
    verdict = store.list_verdicts(kind="calls", detector="number-robocall")["items"][0]
    number = verdict["item_ref"]
    settings = load_settings(overrides={"data_dir": str(tmp_path)}, environ={})
    with TestClient(create_app(settings, store=store, upgrade=False)) as client:
        headers = {"Authorization": f"Bearer {key}"}
        page = client.get(f"/v1/numbers/{number}/verdicts", headers=headers).json()
        assert page["total"] >= 1
        assert "number-robocall" in {item["detector"] for item in page["items"]}

        row = feature_row("13000000009", max_imsi_per_imei=12, n_out=400)
        scored = client.post(
            "/v1/numbers/score", headers=headers, json={"rows": [row]}
        ).json()
        assert [v["label"] for v in scored["verdicts"]] == ["fraud", "normal"]
        missing = client.post(
            "/v1/numbers/score", headers=headers, json={"rows": [{"n_out": 3}]}
        )
        assert missing.status_code == 400 or missing.status_code == 422
        assert client.get(f"/v1/numbers/{number}/verdicts").status_code == 401


def test_simulate_calls_writes_parquet(tmp_path):
    out = json.loads(
        _run(
            "simulate",
            "calls",
            str(tmp_path / "sim"),
            "--users",
            "50",
            "--days",
            "1",
            "--format",
            "json",
        )
    )
    assert out["files"] == 2
    assert (tmp_path / "sim" / "truth.parquet").is_file()
