from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from fanzha.cli import main as cli
from fanzha.storage import Store

cli._load_command_modules()
runner = CliRunner()


@pytest.fixture
def db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.delenv("FANZHA_DATABASE_URL", raising=False)
    monkeypatch.delenv("FANZHA_DEMO_KEY", raising=False)
    return f"sqlite:///{tmp_path / 'cli.db'}"


def _run(*args: str) -> str:
    result = runner.invoke(cli.app, list(args))
    assert result.exit_code == 0, result.output
    return result.output


def test_when_db_upgrade_runs_then_store_is_current(db):
    assert "revision 0001" in _run("db", "upgrade", "--database-url", db)
    status = json.loads(_run("db", "current", "--database-url", db, "--format", "json"))
    assert status["ok"] is True


def test_when_key_created_then_printed_once_and_works(db):
    out = json.loads(
        _run(
            "keys",
            "create",
            "bank-a",
            "--role",
            "reporter",
            "--database-url",
            db,
            "--format",
            "json",
        )
    )
    assert Store(db).authenticate(out["key"]).role == "reporter"

    listed = _run("keys", "list", "--database-url", db, "--format", "json")
    assert out["key"] not in listed
    assert json.loads(listed)[0]["name"] == "bank-a"

    _run("keys", "revoke", "bank-a", "--database-url", db)
    assert json.loads(_run("keys", "list", "--database-url", db, "--format", "json"))[
        0
    ]["revoked_at"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["keys", "create", "x", "--role", "root"], "unknown role"),
        (["keys", "revoke", "nobody"], "no API key named"),
        (["db", "current", "--database-url", "mysql://u@h/db"], "not supported"),
    ],
)
def test_when_user_errs_then_one_line_and_exit_2(
    db, args, message, monkeypatch, capsys
):
    if "--database-url" not in args:
        args = [*args, "--database-url", db]
    monkeypatch.setattr(sys, "argv", ["fanzha", *args])
    with pytest.raises(SystemExit) as caught:
        cli.main()
    assert caught.value.code == 2
    err = capsys.readouterr().err
    assert message in err
    assert "Traceback" not in err


def test_when_demo_loaded_twice_then_data_and_key_are_not_duplicated(db):
    first = json.loads(_run("demo", "--database-url", db, "--format", "json"))
    second = json.loads(_run("demo", "--database-url", db, "--format", "json"))

    assert first["loaded"] is True and second["loaded"] is False
    assert first["counts"] == second["counts"]
    assert first["counts"]["reports"] >= 3 and first["counts"]["cases"] == 1
    assert Store(db).authenticate("fz-demo-admin").role == "admin"


def test_when_serve_runs_with_demo_then_address_printed_and_app_served(db, monkeypatch):
    served = {}

    def fake_run(app, host, port, log_level):
        served.update(app=app, host=host, port=port)

    monkeypatch.setattr("uvicorn.run", fake_run)
    out = _run("serve", "--port", "8765", "--demo", "--database-url", db)

    assert "http://127.0.0.1:8765/" in out
    assert "fz-demo-admin" in out
    assert (served["host"], served["port"]) == ("127.0.0.1", 8765)
    assert served["app"].state.store.stats()["counts"]["alerts"] >= 1
