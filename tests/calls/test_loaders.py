from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from fanzha.calls import load_records
from fanzha.calls import loaders as loaders_module
from fanzha.errors import UnknownKindError, UnsupportedFormatError, ValidationError

HEADER = "number,other,direction,start_time,duration_s,imei\n"
GOOD = "13800000001,13900000002,out,2024-05-01 10:00:00,30,860000000000001\n"


def _write(tmp_path: Path, body: str, name: str = "calls.csv") -> Path:
    path = tmp_path / name
    path.write_text(HEADER + GOOD + body, "utf-8")
    return path


@pytest.mark.parametrize(
    ("row", "reason"),
    [
        (
            "13800000001,13900000003,out,yesterday-ish,30,1\n",
            "unparseable time in start_time",
        ),
        (
            "13800000001,13900000003,out,2024-05-01 10:00:00,-5,1\n",
            "negative duration in duration_s",
        ),
        (
            "13800000001,13900000003,out,2024-05-01 10:00:00,ten,1\n",
            "non-numeric duration in duration_s",
        ),
        (
            "138-0000-0001,13900000003,out,2024-05-01 10:00:00,5,1\n",
            "malformed number in number",
        ),
        (
            "13800000001,+86abc,out,2024-05-01 10:00:00,5,1\n",
            "malformed number in other",
        ),
        (
            "13800000001,13900000003,up,2024-05-01 10:00:00,5,1\n",
            "invalid direction (use out or in) in direction",
        ),
        ("13800000001,,out,2024-05-01 10:00:00,5,1\n", "missing value in other"),
        (
            "13800000001,13900000003,out,2024-05-01 10:00:00\n",
            "expected 6 fields, got 4",
        ),
        (GOOD, "duplicate of line 2"),
    ],
)
def test_when_row_is_bad_then_quarantined_with_line_and_good_rows_kept(
    tmp_path, row, reason
):
    frame, report = load_records(_write(tmp_path, row))
    assert len(frame) == 1
    assert [(q.line, q.reason) for q in report.quarantined] == [(3, reason)]
    assert report.rows_read == 2 and report.rows_loaded == 1


def test_near_miss_rows_are_accepted(tmp_path):
    body = (
        "+8613800000001,13900000003,IN,2024-05-01T10:00:00,0,\n"
        "13800000001,13900000002,out,2024-05-01 10:00:01,30,\n"
    )
    frame, report = load_records(_write(tmp_path, body))
    assert report.quarantined == []
    assert list(frame["direction"]) == ["out", "in", "out"]
    assert frame["duration_s"].dtype == "int64"
    assert frame["imei"].isna().sum() == 2


def test_when_required_column_missing_then_error_names_it(tmp_path):
    path = tmp_path / "calls.csv"
    path.write_text("number,other,start_time\n1,2,2024-05-01 10:00:00\n", "utf-8")
    with pytest.raises(ValidationError, match="direction, duration_s"):
        load_records(path)


def test_missing_optional_columns_are_reported(tmp_path):
    _, report = load_records(_write(tmp_path, ""))
    assert report.missing_optional == ["cell_id", "location", "imsi"]


def test_duplicates_are_found_across_chunks(tmp_path, monkeypatch):
    monkeypatch.setattr(loaders_module, "CHUNK_ROWS", 1)
    frame, report = load_records(_write(tmp_path, GOOD + GOOD))
    assert len(frame) == 1
    assert report.counts() == {"duplicate": 2}


def test_parquet_rows_are_validated_by_row_number(tmp_path):
    frame = pd.DataFrame(
        {
            "number": ["13800000001", "x"],
            "other": ["139", "139"],
            "direction": ["out", "out"],
            "start_time": pd.to_datetime(["2024-05-01", "2024-05-02"]),
            "duration_s": [3, 4],
        }
    )
    frame.to_parquet(tmp_path / "calls.parquet")
    loaded, report = load_records(tmp_path / "calls.parquet")
    assert len(loaded) == 1
    assert [(q.line, q.reason) for q in report.quarantined] == [
        (2, "malformed number in number")
    ]


def test_quarantine_file_masks_numbers(tmp_path):
    _, report = load_records(_write(tmp_path, "13800000009,13900000003,out,x,1,1\n"))
    written = pd.read_csv(report.write_quarantine(tmp_path / "q.csv"), dtype=str)
    assert list(written["line"]) == ["3"]
    assert written["number"][0] == "138******09"


@pytest.mark.parametrize(
    ("table", "text"),
    [
        (
            "sms",
            "number,other,direction,time\n1,2,in,2024-05-01 10:00:00\n1,2,in,nope\n",
        ),
        ("app", "number,app,month,flow_mb\n1,wechat,2024-05,3.5\n1,qq,2024-13,1\n"),
        ("billing", "number,month,spend\n1,2024-05,50\n1,2024-06,-3\n"),
    ],
)
def test_other_tables_quarantine_their_bad_rows(tmp_path, table, text):
    path = tmp_path / f"{table}.csv"
    path.write_text(text, "utf-8")
    frame, report = load_records(path, table)
    assert len(frame) == 1
    assert [q.line for q in report.quarantined] == [3]


def test_unknown_table_and_format_are_refused(tmp_path):
    with pytest.raises(UnknownKindError):
        load_records(_write(tmp_path, ""), "voicemail")
    path = tmp_path / "calls.json"
    path.write_text("{}", "utf-8")
    with pytest.raises(UnsupportedFormatError):
        load_records(path)
