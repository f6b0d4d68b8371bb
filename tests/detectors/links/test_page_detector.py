from __future__ import annotations

import pytest

from fanzha.detectors.links.page_detector import PageDetector
from fanzha.errors import ValidationError
from fanzha.links.pages import parse_page

PHISH = [
    "<title>账户安全验证</title><p>您的账户存在异常 请立即验证身份</p>"
    "<form action='a.php'>"
    "<input name=card><input type=password></form>",
    "<title>Verify your account</title><p>Your account is suspended. "
    "Confirm your password</p><form action='post.php'><input name=email>"
    "<input type=password></form>",
    "<title>积分兑换中心</title><p>积分即将清零 立即兑换 填写银行卡和密码</p>"
    "<form action=''>"
    "<input name=card><input type=password></form>",
    "<title>Sign in</title><p>Unusual sign-in activity. Verify your password now</p>"
    "<form action='next.php'><input type=password></form>",
]
BENIGN = [
    "<title>城市图书馆</title><p>本周开放时间与新书推荐 欢迎读者借阅</p>"
    "<a href='/books'>书目</a>",
    "<title>Garden club</title>"
    "<p>Our next meeting is about roses and spring pruning</p>",
    "<title>天气预报</title><p>明天多云转晴 气温十五到二十二度</p>",
    "<title>Team blog</title><p>Release notes for the new version of our editor</p>",
]


@pytest.fixture(scope="module")
def detector() -> PageDetector:
    return PageDetector().fit(
        (PHISH + BENIGN) * 3, (["phishing"] * 4 + ["benign"] * 4) * 3
    )


def test_unseen_phishing_page_scores_above_unseen_benign_page(detector):
    phish = detector.score(
        "<title>账户验证</title><p>请立即验证身份 输入密码</p>"
        "<form action='v.php'><input type=password></form>"
    )
    benign = detector.score(
        "<title>社区公告</title><p>本周末小区绿化维护 请注意出行</p>"
    )
    assert phish.risk > benign.risk


def test_when_page_claims_brand_on_foreign_domain_then_rule_raises_risk(detector):
    html = (
        "<title>中国工商银行</title><p>网上银行</p><form><input type=password></form>"
    )
    page = parse_page(html, url="http://icbc-online.example.top/")
    verdict = detector.score(page)
    assert verdict.label == "phishing"
    assert verdict.risk >= 0.9
    assert any(
        e.value == "中国工商银行 ICBC" for e in verdict.evidence if e.kind == "rule"
    )


def test_when_same_page_is_on_the_official_domain_then_no_brand_rule(detector):
    html = (
        "<title>中国工商银行</title><p>网上银行</p><form><input type=password></form>"
    )
    verdict = detector.score(parse_page(html, url="https://mybank.icbc.com.cn/"))
    assert not [e for e in verdict.evidence if e.kind == "rule"]


def test_threshold_comes_from_held_out_folds(detector):
    assert 0.0 < detector.threshold_ < 1.0


def test_bad_label_is_refused():
    with pytest.raises(ValidationError, match="record 1"):
        PageDetector().fit(PHISH[:2], ["phishing", "spam"])


GARDEN = "<title>Garden club</title><p>Our next meeting is about roses</p>"


def _names(verdict) -> set[str]:
    return {e.name for e in verdict.evidence}


def test_when_the_url_model_is_confident_then_a_harmless_looking_page_is_flagged(
    detector,
):
    page = parse_page(GARDEN, url="http://10086-jifen.xyz/points/duihuan.php")
    verdict = detector.score(page)
    assert verdict.label == "phishing"
    assert verdict.risk >= 0.9
    assert {"url_model", "url_risk"} <= _names(verdict)


def test_when_the_url_looks_ordinary_then_only_its_risk_is_shown(detector):
    verdict = detector.score(parse_page(GARDEN, url="https://www.python.org/about/"))
    assert verdict.label == "benign"
    assert "url_risk" in _names(verdict)
    assert "url_model" not in _names(verdict)


def test_when_the_url_rule_is_off_then_the_url_does_not_flag_the_page(detector):
    detector.url_cut = None
    try:
        page = parse_page(GARDEN, url="http://10086-jifen.xyz/points/duihuan.php")
        assert detector.score(page).label == "benign"
    finally:
        detector.url_cut = 0.8


def test_when_no_url_is_known_then_no_url_evidence(detector):
    assert "url_risk" not in _names(detector.score(GARDEN))


def test_when_a_url_scorer_is_given_then_it_decides_the_url_rule(detector):
    page = parse_page(GARDEN, url="https://www.python.org/about/")
    seen: list[list[str]] = []

    def confident(urls: list[str]) -> list[float]:
        seen.append(urls)
        return [0.97] * len(urls)

    verdict = detector.score(page, url_scorer=confident)
    assert seen == [["https://www.python.org/about/"]]
    assert verdict.label == "phishing"
    assert {"url_model", "url_risk"} <= _names(verdict)
    calm = detector.score(page, url_scorer=lambda urls: [0.01] * len(urls))
    assert "url_model" not in _names(calm)


def test_page_service_scores_the_url_with_the_url_model_it_is_given(
    monkeypatch,
):
    from fanzha.links import service

    asked: list[str] = []
    real = service.url_model

    def spy(path: str = ""):
        asked.append(path)
        return real("")

    monkeypatch.setattr(service, "url_model", spy)
    service.score_page(GARDEN, url="https://www.python.org/", url_model_path="/m/url")
    assert asked == ["/m/url"]
