"""The shipped text model on invented messages: labels, evasion, shortcuts."""

from __future__ import annotations

import pytest

from fanzha.detectors.text.lexicon import load_lexicon
from fanzha.detectors.text.linear import LABELS
from fanzha.detectors.text.model_detector import ModelTextDetector, load_default
from fanzha.errors import InputError
from fanzha.scenarios import scenario_ids

FRAUD = [
    "我是市公安局民警，你的银行卡涉嫌洗钱，请把资金转入安全账户配合调查",
    "尊敬的用户，您的手机银行已失效，请立即登入网址重新验证，逾期将冻结账户",
    "招聘兼职刷单，日结佣金，动动手指在家就能赚，先垫付后返利",
    "我是你领导，明天来我办公室一趟，现在先帮我转一笔钱给客户",
]
NOT_FRAUD = [
    ("明天下午开会，记得带上季度的报表", {"normal", "ad"}),
    ("全场服装五折起，会员再享九折，欢迎光临本店", {"ad"}),
]


@pytest.fixture(scope="module")
def detector() -> ModelTextDetector:
    return load_default()


@pytest.mark.parametrize("text", FRAUD)
def test_when_message_is_fraud_then_it_is_flagged(detector, text):
    verdict = detector.score(text)
    assert verdict.label == "fraud"
    assert verdict.risk > 0.5
    assert verdict.evidence


@pytest.mark.parametrize(("text", "allowed"), NOT_FRAUD)
def test_when_message_is_benign_then_it_is_not_fraud(detector, text, allowed):
    verdict = detector.score(text)
    assert verdict.label in allowed
    assert verdict.risk < 0.5


@pytest.mark.parametrize(
    ("plain", "evaded"),
    [
        (
            FRAUD[0],
            "我是市公安局民警，你的銀行卡涉嫌洗錢，請把資金轉入安全賬戶配合調查",
        ),
        (
            FRAUD[1],
            "尊敬的用戶，您的手机银行已失效，请立即登入網址重 新 验 证，逾期将冻结账户",
        ),
        (
            FRAUD[2],
            "招聘兼职shuadan，日结佣金，动·动·手·指在家就能赚，先垫付后fanli，加V❤",
        ),
        (
            FRAUD[1].replace("网址", "ｗｗｗ．ｃｍｂ．ｃｏｍ"),
            "尊敬的用户，您的手机银行已失效，"
            "请立即登入 www.cmb.com 重新验证，逾期将冻结账户🔥🔥",
        ),
    ],
)
def test_when_sms_uses_evasion_then_still_flagged(detector, plain, evaded):
    assert detector.score(plain).label == "fraud"
    assert detector.score(evaded).label == "fraud"


@pytest.mark.parametrize("text", [t for t, _ in NOT_FRAUD] + FRAUD)
@pytest.mark.parametrize(
    "edit",
    [
        lambda t: "您好，" + t,
        lambda t: "你好！" + t,
        lambda t: "NAME" + t,
        lambda t: t.replace("，", "PLACE，"),
        lambda t: "【" + t + "】",
    ],
    ids=["nin-hao", "ni-hao", "name", "place", "brackets"],
)
def test_when_greeting_or_mask_is_added_then_label_does_not_change(
    detector, text, edit
):
    assert detector.score(edit(text)).label == detector.score(text).label


@pytest.mark.parametrize("text", [t for t, _ in NOT_FRAUD] + FRAUD)
@pytest.mark.parametrize(
    ("masked", "written"),
    [
        ("DIGIT", "128"),
        ("xxx", "128"),
        ("URL", "http://t.cn/abc"),
        ("CELLPHONE", "13800138000"),
        ("xxxxxxxxxxx", "13800138000"),
    ],
)
def test_when_a_number_is_masked_then_proba_is_as_if_it_were_written(
    detector, text, masked, written
):
    masked_proba, written_proba = detector.predict_proba(
        [text + masked, text + written]
    )
    assert masked_proba.tolist() == written_proba.tolist()


@pytest.mark.parametrize(
    "text",
    [
        "百家乐，网上赌场，包赢，博彩",
        "代开各类发票，办理证件",
        "全场五折，新品上市，欢迎选购",
    ],
)
def test_when_spam_carries_no_link_or_number_then_it_is_not_called_normal(
    detector, text
):
    assert LABELS[int(detector.predict_proba([text])[0].argmax())] != "normal"


@pytest.mark.parametrize("scenario", scenario_ids())
def test_every_scenario_is_reachable_from_its_lexicon(detector, scenario):
    phrases = sorted(
        load_lexicon()[scenario], key=lambda p: -load_lexicon()[scenario][p]
    )
    verdict = detector.score("，".join(phrases[:4]))
    # Gambling promotions are labelled illegal (as in the FBS data) and keep
    # the gambling scenario; every other scenario comes with a fraud label.
    assert verdict.label == ("illegal" if scenario == "gambling" else "fraud")
    assert verdict.scenario == scenario


def test_when_scored_then_entities_are_extracted(detector):
    verdict = detector.score(
        "您的账户异常，请联系13812345678或登录 www.abc-pay.cn 处理"
    )
    kinds = {e["type"] for e in verdict.entities}
    assert {"phone", "url"} <= kinds


def test_when_message_is_a_megabyte_then_a_clear_error_is_raised(detector):
    with pytest.raises(InputError, match="split long transcripts"):
        detector.score("转" * 1_000_000)


def test_when_transcript_is_long_then_it_is_scored(detector):
    turns = "\n".join(["您好这里是银行客服", "你的账户存在风险需要转入安全账户"] * 200)
    assert detector.score(turns).label == "fraud"


def test_predict_proba_rows_sum_to_one(detector):
    proba = detector.predict_proba(FRAUD)
    assert proba.shape == (len(FRAUD), 4)
    assert proba.sum(axis=1) == pytest.approx([1.0] * len(FRAUD), abs=1e-6)


def test_when_fraud_bias_is_huge_then_every_message_is_fraud(detector):
    texts = [t for t, _ in NOT_FRAUD] + FRAUD
    before = [v.label for v in detector.score_batch(texts)]
    shipped, detector.fraud_bias = detector.fraud_bias, 50.0
    try:
        after = [v.label for v in detector.score_batch(texts)]
    finally:
        detector.fraud_bias = shipped
    assert after == ["fraud"] * len(texts)
    assert before[: len(NOT_FRAUD)] != ["fraud"] * len(NOT_FRAUD)


def test_verdict_risk_comes_from_the_same_scores_as_predict_proba(detector):
    texts = [t for t, _ in NOT_FRAUD] + FRAUD
    proba = detector.predict_proba(texts * 10)[: len(texts)]  # the batch path
    for verdict, row in zip(detector.score_batch(texts), proba, strict=True):
        if verdict.label != "fraud":  # fraud risk may be raised by the lexicon
            assert verdict.risk == pytest.approx(min(1.0, row[2] + row[3]), abs=1e-5)


def test_when_a_model_saved_without_offsets_is_loaded_then_they_are_zero(detector):
    state = detector.get_state()
    for key in ("illegal_bias", "lexicon_boost", "fraud_bias"):
        del state[key]
    old = ModelTextDetector()
    old.set_state(state)
    assert (old.illegal_bias, old.lexicon_boost, old.fraud_bias) == (0.0, 0.0, 0.0)


def test_when_short_ngrams_are_not_features_then_they_are_not_named_as_evidence():
    texts = [
        "请点击链接领取积分",
        "明天一起吃饭吧",
        "积分兑换现金请点击",
        "晚上吃饭",
    ] * 5
    labels = ["fraud", "normal", "fraud", "normal"] * 5
    detector = ModelTextDetector(n_features=2**12, min_n=3, shape_dropout=0).fit(
        texts, labels
    )
    assert detector.ngram_weights_
    assert min(map(len, detector.ngram_weights_)) == 3
