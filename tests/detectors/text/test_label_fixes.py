"""Label fixes: fraud scripts that a spam corpus labels as advertising."""

from __future__ import annotations

import re

import pytest

from fanzha.detectors.text.corpus import LabelledText
from fanzha.detectors.text.label_fixes import (
    LabelFix,
    apply_label_fixes,
    label_fixes,
    parse_fix,
)
from fanzha.detectors.text.training import training_rows
from fanzha.errors import ValidationError
from fanzha.scenarios import scenario_ids

SPAM = "sms_800k_subset"
POINTS = "尊敬的用户：您的话费积分已满足兑换xxx元现金礼包，请登陆 wap.xxxx.com 领取"
COURT = "北京市人民法院通知您：公司把您的领奖合同传到本院，请速联系"


def test_packaged_fixes_name_known_labels_and_scenarios():
    fixes = label_fixes()
    assert fixes
    for fix in fixes:
        assert fix.to in {"normal", "ad", "illegal", "fraud"}
        assert fix.scenario is None or fix.scenario in scenario_ids()


def test_a_fraud_script_labelled_ad_in_the_spam_corpus_becomes_fraud():
    rows = [
        LabelledText(POINTS, "ad", None, SPAM),
        LabelledText(COURT, "ad", None, SPAM),
        LabelledText("羊年工厂特价，橱衣联购送大礼，感恩抽大奖", "ad", None, SPAM),
    ]
    fixed, counts = apply_label_fixes(rows)

    assert [(r.label, r.scenario) for r in fixed] == [
        ("fraud", "phishing"),
        ("fraud", "impersonate_authority"),
        ("ad", None),
    ]
    assert counts == {"points_redemption": 1, "fake_court": 1}
    assert fixed[0].text == POINTS and fixed[0].source == SPAM


def test_fixes_touch_only_their_source_and_label():
    rows = [
        LabelledText(POINTS, "ad", None, "fbs_sms"),
        LabelledText(COURT, "normal", None, SPAM),
    ]
    fixed, counts = apply_label_fixes(rows)
    assert fixed == rows
    assert not counts


def test_training_rows_apply_the_fixes():
    rows = training_rows([LabelledText(POINTS, "ad", None, SPAM)])
    assert [(r.label, r.scenario) for r in rows] == [("fraud", "phishing")]


def test_a_fix_without_patterns_is_a_clear_error():
    with pytest.raises(ValidationError, match="needs name, source, label, to"):
        parse_fix({"name": "broken", "source": SPAM, "label": "ad", "to": "fraud"})


def test_a_custom_fix_list_replaces_the_packaged_one():
    fix = LabelFix("mine", "src", "normal", "ad", None, re.compile("特价"))
    fixed, counts = apply_label_fixes(
        [LabelledText("今日特价", "normal", None, "src")], [fix]
    )
    assert fixed[0].label == "ad" and counts == {"mine": 1}


def test_a_fixed_row_keeps_the_weight_of_the_group_it_came_from():
    from fanzha.detectors.text.training import group_weights

    ads = [LabelledText(f"特价{i}", "ad", None, SPAM) for i in range(8)]
    fixed, _ = apply_label_fixes([*ads, LabelledText(POINTS, "ad", None, SPAM)])
    fraud = [LabelledText(f"诈骗{i}", "fraud", None, "other_source") for i in range(4)]
    weights = group_weights([*fixed, *fraud])

    assert fixed[-1].label == "fraud" and fixed[-1].fixed_from == "ad"
    assert weights[8] == pytest.approx(weights[0])
    # The fraud label still has one source: the real one keeps its full share.
    assert weights[9] == pytest.approx(4**-0.75 / 9**-0.75 * weights[0])
