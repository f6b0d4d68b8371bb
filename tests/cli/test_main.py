from __future__ import annotations

import json
import subprocess
import sys

import pytest

from fanzha.registry import register_evaluator


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "fanzha", *args],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_version_prints_the_package_version():
    import fanzha

    result = run_cli("--version")
    assert result.returncode == 0
    assert result.stdout.strip() == fanzha.__version__


def test_when_data_file_is_missing_then_one_line_error_and_exit_2(tmp_path):
    result = run_cli("evaluate", "text", "--data", str(tmp_path / "nope.csv"))
    assert result.returncode == 2
    assert "does not exist" in result.stderr
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) <= 2


def test_when_kind_is_unknown_then_known_kinds_are_listed(tmp_path):
    data = tmp_path / "d.csv"
    data.write_text("text,label\n")
    result = run_cli("evaluate", "no-such-kind", "--data", str(data))
    assert result.returncode == 2
    assert "unknown evaluation kind 'no-such-kind'" in result.stderr
    assert "Traceback" not in result.stderr


def test_when_format_is_wrong_then_usage_error():
    result = run_cli("kinds", "--format", "xml")
    assert result.returncode == 2
    assert "xml" in result.stderr


def test_settings_markdown_is_the_docs_page():
    from pathlib import Path

    result = run_cli("settings", "--format", "markdown")
    docs = Path(__file__).resolve().parents[2] / "docs" / "settings.md"
    assert result.stdout == docs.read_text("utf-8")


def test_evaluate_prints_one_json_object_with_common_keys(tmp_path, monkeypatch):
    from typer.testing import CliRunner

    from fanzha.cli.main import app

    @register_evaluator("test-echo")
    def _echo(data, model):
        return {"n": 1, "macro_f1": 1.0, "per_label": {}, "data": data.name}

    data = tmp_path / "x.csv"
    data.write_text("a\n")
    result = CliRunner().invoke(
        app, ["evaluate", "test-echo", "--data", str(data), "--format", "json"]
    )
    assert result.exit_code == 0, result.output
    assert json.loads(result.output) == {
        "n": 1,
        "macro_f1": 1.0,
        "per_label": {},
        "data": "x.csv",
    }


@pytest.mark.parametrize("command", ["evaluate", "train", "kinds", "settings", "score"])
def test_every_command_is_documented_in_help(command):
    result = run_cli(command, "--help")
    assert result.returncode == 0
    assert "Usage" in result.stdout


def test_error_text_with_brackets_is_printed_verbatim(monkeypatch, capsys):
    from fanzha.cli import main as cli
    from fanzha.errors import MissingDependencyError

    def boom():
        raise MissingDependencyError("pyspark", "spark")

    cli._load_command_modules()
    monkeypatch.setattr(cli, "app", boom)
    with pytest.raises(SystemExit) as exit_info:
        cli.main()
    assert exit_info.value.code == 2
    assert "pip install 'fanzha[spark]'" in capsys.readouterr().err
