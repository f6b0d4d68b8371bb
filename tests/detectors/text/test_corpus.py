"""Reading labelled CSVs: bad rows are named by line, good rows are kept."""

from __future__ import annotations

import json

import pytest

from fanzha.detectors.text.corpus import read_dialogues, read_labelled
from fanzha.errors import UnsupportedFormatError, ValidationError


def _write(path, content: bytes):
    path.write_bytes(content)
    return path


def test_when_rows_are_bad_then_each_is_reported_and_the_rest_kept(tmp_path):
    path = _write(
        tmp_path / "a.csv",
        (
            "text,label,scenario,source\n"
            "明天见,normal,,mine\n"
            ",fraud,,mine\n"
            "中奖了,spam,,mine\n"
        ).encode()
        + b"\xff\xfe,fraud,,mine\n"
        + "刷单返利,fraud,order_brushing,mine\n".encode(),
    )
    rows, problems = read_labelled(path)
    assert [r.text for r in rows] == ["明天见", "刷单返利"]
    assert rows[1].scenario == "order_brushing"
    assert [p.line for p in problems] == [3, 4, 5]
    assert "empty" in problems[0].reason
    assert "spam" in problems[1].reason
    assert "UTF-8" in problems[2].reason


def test_when_a_quoted_text_spans_lines_then_line_numbers_stay_right(tmp_path):
    path = _write(
        tmp_path / "a.csv", '"text",label\n"第一行\n第二行",normal\n,normal\n'.encode()
    )
    rows, problems = read_labelled(path)
    assert len(rows) == 1
    assert problems[0].line == 4


@pytest.mark.parametrize("header", ["message,label", "text,scenario", "label"])
def test_when_a_required_column_is_missing_then_the_error_names_it(tmp_path, header):
    path = _write(tmp_path / "a.csv", f"{header}\nx,y\n".encode())
    with pytest.raises(ValidationError, match="lacks the column"):
        read_labelled(path)


def test_when_file_is_not_csv_then_unsupported_format(tmp_path):
    with pytest.raises(UnsupportedFormatError):
        read_labelled(_write(tmp_path / "a.xlsx", b"x"))


def test_when_dialogues_are_read_then_turns_alternate_without_speaker_names(tmp_path):
    record = {
        "left": ["这里是银行客服", "请提供验证码"],
        "right": ["什么事"],
        "fraud_type": "银行诈骗",
    }
    (tmp_path / "fraud_dialogues-1.jsonl").write_text(
        json.dumps(record, ensure_ascii=False)
    )
    (rows,) = read_dialogues(tmp_path)
    assert rows.text == "这里是银行客服\n什么事\n请提供验证码"
    assert (rows.label, rows.scenario) == ("fraud", "phishing")
    assert rows.caller_turns == ("这里是银行客服", "请提供验证码")


def test_when_labels_and_scenarios_differ_in_case_then_they_are_read(tmp_path):
    path = _write(
        tmp_path / "a.csv",
        "\ufefftext,label,scenario,source\r\n刷单返利,Fraud,Order_Brushing,x\r\n"
        "全场五折,AD,,x\r\n".encode(),
    )
    rows, problems = read_labelled(path)
    assert problems == []
    assert [(r.label, r.scenario) for r in rows] == [
        ("fraud", "order_brushing"),
        ("ad", None),
    ]
