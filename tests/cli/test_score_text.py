"""``fanzha score text``: one message or a file; bad rows named, the rest scored."""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass

import pytest

from fanzha.cli.main import main

FRAUD = "我是公安局民警，你涉嫌洗钱，请把钱转入安全账户"


@dataclass
class Result:
    returncode: int
    stdout: str
    stderr: str


@pytest.fixture
def run_cli(capsys, monkeypatch):
    """Run ``fanzha score text ARGS`` in this process (a subprocess is too slow)."""

    def run(*args: str) -> Result:
        monkeypatch.setattr(sys, "argv", ["fanzha", "score", "text", *args])
        code = 0
        try:
            main()
        except SystemExit as exc:
            code = int(exc.code or 0)
        out = capsys.readouterr()
        return Result(code, out.out, out.err)

    return run


def test_when_one_message_is_given_then_its_verdict_is_printed(run_cli):
    result = run_cli(FRAUD, "--format", "json")
    assert result.returncode == 0, result.stderr
    body = json.loads(result.stdout)
    assert body["label"] == "fraud"
    assert body["evidence"]


def test_when_csv_has_bad_rows_then_they_are_named_and_the_rest_scored(
    run_cli, tmp_path
):
    path = tmp_path / "sms.csv"
    path.write_bytes(
        f"id,text\n1,{FRAUD}\n2,\n3,明天见\n".encode()
        + b"4,\xff\xfe\n"
        + "5,全场五折\n".encode()
    )
    result = run_cli("--file", str(path), "--format", "json")
    assert result.returncode == 0, result.stderr
    body = json.loads(result.stdout)
    assert [v["line"] for v in body["verdicts"]] == [2, 4, 6]
    assert [b["line"] for b in body["bad_rows"]] == [3, 5]
    assert "line 5: invalid UTF-8" in result.stderr


def test_when_jsonl_has_a_broken_line_then_it_is_named(run_cli, tmp_path):
    path = tmp_path / "sms.jsonl"
    path.write_text(
        json.dumps({"text": FRAUD}, ensure_ascii=False)
        + "\n{oops\n"
        + json.dumps({"text": "明天见"}, ensure_ascii=False)
        + "\n",
        "utf-8",
    )
    body = json.loads(run_cli("--file", str(path), "--format", "json").stdout)
    assert [v["line"] for v in body["verdicts"]] == [1, 3]
    assert body["bad_rows"][0]["line"] == 2


def test_when_parquet_is_given_then_every_row_is_scored(run_cli, tmp_path):
    pa = pytest.importorskip("pyarrow")
    import pyarrow.parquet as pq

    path = tmp_path / "sms.parquet"
    pq.write_table(pa.table({"text": [FRAUD, "明天见"]}), path)
    body = json.loads(run_cli("--file", str(path), "--format", "json").stdout)
    assert [v["label"] for v in body["verdicts"]][0] == "fraud"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ([], "either a MESSAGE or --file"),
        (["--file", "nope.csv"], "does not exist"),
        (["--file", "x.txt"], "does not exist"),
    ],
)
def test_when_arguments_are_wrong_then_one_line_error(run_cli, args, message):
    result = run_cli(*args)
    assert result.returncode == 2
    assert message in result.stderr


def test_when_csv_lacks_a_text_column_then_a_clear_error(run_cli, tmp_path):
    path = tmp_path / "sms.csv"
    path.write_text("message\nhello\n", "utf-8")
    result = run_cli("--file", str(path))
    assert result.returncode == 2
    assert "no 'text' column" in result.stderr


def test_table_output_lists_masked_entities(run_cli):
    result = run_cli(FRAUD + "，联系13812345678")
    assert result.returncode == 0
    assert "138******78" in result.stdout
    assert "13812345678" not in result.stdout
