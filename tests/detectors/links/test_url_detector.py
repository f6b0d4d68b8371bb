from __future__ import annotations

import pytest

from fanzha.detectors.links.url_detector import UrlDetector
from fanzha.errors import ValidationError

BENIGN = [
    "https://www.example.com/about-us",
    "https://news.example.org/2024/05/city-council",
    "https://shop.example.net/products/blue-kettle",
    "https://docs.example.io/guide/install",
    "https://www.example.edu/faculty/physics",
    "https://blog.example.co.uk/recipes/soup",
    "https://example.com/careers",
    "https://maps.example.org/place/park",
]
PHISHING = [
    "http://icbc-verify-account.top/login.php",
    "http://secure-alipay-refund.xyz/pay/index",
    "http://paypa1-login-confirm.cc/webscr?cmd=login",
    "http://10086-jifen-duihuan.top/points",
    "http://account-update-bank.icu/signin/verify",
    "http://apple-id-unlock.buzz/verify.php",
    "http://wallet-validate-kyc.top/restore",
    "http://jd-refund-claim.xyz/claim/index.php",
]
MALWARE = [
    "http://198.51.100.23/bins/mips",
    "http://203.0.113.77:8080/i.sh",
    "http://198.51.100.9/x86.exe",
    "http://203.0.113.5/mozi.arm7",
]


@pytest.fixture(scope="module")
def detector() -> UrlDetector:
    urls = BENIGN + PHISHING + MALWARE
    labels = (
        ["benign"] * len(BENIGN)
        + ["phishing"] * len(PHISHING)
        + ["malware"] * len(MALWARE)
    )
    return UrlDetector(calibration_share=0.0, target_benign_flagged=0.0).fit(
        urls * 2, labels * 2
    )


@pytest.mark.parametrize(
    ("url", "label"),
    [
        ("http://icbc-verify-login.top/login.php", "phishing"),
        ("http://198.51.100.44/bins/arm7", "malware"),
    ],
)
def test_unseen_malicious_urls_get_the_expected_label(detector, url, label):
    assert detector.score(url).label == label


def test_unseen_benign_url_is_less_risky_than_unseen_phishing(detector):
    benign = detector.score("https://www.example.org/about-us").risk
    assert benign < detector.score("http://icbc-verify-login.top/login.php").risk


def test_source_conventions_do_not_change_the_risk(detector):
    risks = {
        round(detector.score(u).risk, 9)
        for u in [
            "http://www.example.com/careers/",
            "https://example.com/careers",
            "example.com/careers",
            "HTTP://WWW.EXAMPLE.COM:80/Careers",
        ]
    }
    assert len(risks) == 1


def test_brand_on_foreign_domain_is_named_in_evidence(detector):
    verdict = detector.score("http://alipay-secure.example.top/refund")
    rules = [e for e in verdict.evidence if e.name == "brand_on_foreign_domain"]
    assert rules and rules[0].value == "支付宝 Alipay"


def test_official_domain_gets_no_brand_rule(detector):
    verdict = detector.score("https://www.alipay.com/")
    assert not [e for e in verdict.evidence if e.kind == "rule"]


def test_batch_error_names_the_bad_record(detector):
    with pytest.raises(ValidationError, match="record 1"):
        detector.score_batch(["https://example.com/", "http://"])


def test_unknown_training_label_is_refused():
    with pytest.raises(ValidationError, match="record 1"):
        UrlDetector().fit(
            ["https://a.example.com/", "https://b.example.com/"], ["benign", "spam"]
        )


def test_risks_match_verdicts(detector):
    urls = PHISHING[:3] + BENIGN[:3]
    assert detector.risks(urls).tolist() == pytest.approx(
        [v.risk for v in detector.score_batch(urls)]
    )
