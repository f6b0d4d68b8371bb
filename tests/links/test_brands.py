from __future__ import annotations

import pytest

from fanzha.links.brands import (
    brands_in_host,
    brands_in_text,
    foreign_brands,
    load_brands,
    skeleton,
)


def _names(brands):
    return [b.name for b in brands]


@pytest.mark.parametrize(
    ("host", "registered", "brand"),
    [
        ("icbc-verify.top", "icbc-verify.top", "中国工商银行 ICBC"),
        ("alipay.refund-center.cc", "refund-center.cc", "支付宝 Alipay"),
        ("paypa1-secure.example.com", "example.com", "PayPal"),
        ("www.10086-jifen.xyz", "10086-jifen.xyz", "中国移动 China Mobile"),
        ("login.jd.account-check.net", "account-check.net", "京东 JD"),
    ],
)
def test_when_host_claims_brand_on_foreign_domain_then_brand_named(
    host, registered, brand
):
    assert brand in _names(brands_in_host(host, registered))


@pytest.mark.parametrize(
    ("host", "registered"),
    [
        ("www.icbc.com.cn", "icbc.com.cn"),
        ("mybank.icbc.com.cn", "icbc.com.cn"),
        ("www.paypal.com", "paypal.com"),
        ("shop10086x.example.org", "example.org"),
        ("www.jdsports.com", "jdsports.com"),
        ("service.10086.cn", "10086.cn"),
    ],
)
def test_when_host_is_official_or_only_resembles_then_no_claim(host, registered):
    assert brands_in_host(host, registered) == []


def test_when_idn_host_uses_cyrillic_letters_then_skeleton_maps_to_ascii():
    assert skeleton("аррӏе") == "apple"
    assert "Apple" in _names(brands_in_host("аррӏе.com", "xn--80ak6aa92e.com"))


def test_page_text_names_brand_and_foreign_check_uses_official_domains():
    text = "中国工商银行 网上银行登录"
    assert "中国工商银行 ICBC" in _names(brands_in_text(text))
    assert foreign_brands(text, "icbc.com.cn") == []
    assert "中国工商银行 ICBC" in _names(foreign_brands(text, "icbc-login.top"))


def test_brand_list_covers_chinese_banks_payment_carriers_and_government():
    domains = {d for b in load_brands() for d in b.domains}
    for needed in (
        "icbc.com.cn",
        "ccb.com",
        "alipay.com",
        "10086.cn",
        "gov.cn",
        "jd.com",
        "paypal.com",
    ):
        assert needed in domains
