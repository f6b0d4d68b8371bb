"""``fanzha evaluate text`` on an invented canonical CSV."""

from __future__ import annotations

import pytest

from fanzha.detectors.text.evaluation import evaluate_text
from fanzha.errors import ValidationError
from fanzha.registry import evaluator

CSV = """text,label,scenario,source
我是公安局民警，你涉嫌洗钱，请把钱转入安全账户,fraud,impersonate_authority,a
您的手机银行已失效，请登入网址重新验证否则冻结,fraud,phishing,a
招聘兼职刷单，日结佣金，先垫付后返利,fraud,order_brushing,b
全场服装五折起，会员再享九折，欢迎光临,ad,,b
新店开业，满一百减二十，欢迎选购,ad,,b
明天下午开会，记得带上报表,normal,,a
,normal,,a
"""


@pytest.fixture
def report(tmp_path):
    path = tmp_path / "eval.csv"
    path.write_text(CSV, "utf-8")
    return evaluate_text(path)


def test_report_has_the_common_and_text_keys(report):
    for key in (
        "n",
        "macro_f1",
        "per_label",
        "auc",
        "ap",
        "fraud_recall",
        "scenario_macro_f1",
        "confusion_matrix",
        "per_source",
        "evasion",
    ):
        assert key in report
    assert report["n"] == 6
    assert set(report["per_source"]) == {"a", "b"}
    assert report["fraud_recall"] == pytest.approx(1.0)


def test_when_a_row_has_empty_text_then_it_is_reported_by_line(report):
    assert report["bad_rows"] == [{"line": 8, "reason": "record 8: text is empty"}]


def test_evasion_block_reports_the_f1_drop_in_points(report):
    drop = report["evasion"]["macro_f1_drop_points"]
    assert drop == pytest.approx(
        100 * (report["macro_f1"] - report["evasion"]["macro_f1"])
    )


def test_evaluator_is_registered_for_text():
    assert evaluator("text") is evaluate_text


def test_when_no_row_is_usable_then_a_clear_error(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text("text,label\n,fraud\n", "utf-8")
    with pytest.raises(ValidationError, match="no usable rows"):
        evaluate_text(path)
