from __future__ import annotations

import random
import re

import pytest

from fanzha.links.brands import (
    brands_in_host,
    brands_in_text,
    foreign_brands,
    load_brands,
    may_name_brand,
    skeleton,
    trie_pattern,
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


def test_trie_pattern_finds_what_the_longest_first_alternation_finds():
    words = ["pay", "paypal", "payt", "alipay", "ali", "bank", "bankofchina", "110-gov"]
    naive = re.compile("|".join(re.escape(w) for w in sorted(words, key=len)[::-1]))
    trie = re.compile(trie_pattern(words))
    rng = random.Random(3)
    pieces = [*words, "a", "l", "-", ".", "x", "0", "ban", "payp"]
    for _ in range(2000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 8)))
        assert trie.findall(text) == naive.findall(text), text


@pytest.mark.parametrize(
    "host",
    [
        "icbc-verify.top",
        "paypa1-secure.example.com",
        "login.jd.account-check.net",
        "www.10086-jifen.xyz",
        "аррӏе.com",
        "news.example.org",
        "shop10086x.example.org",
        "a1ipay.example.cn",
    ],
)
def test_when_may_name_brand_says_no_then_no_brand_is_found(host):
    [maybe] = may_name_brand([host]).tolist()
    found = brands_in_host(host, "example.net")
    assert maybe or found == []


def test_may_name_brand_rules_out_plain_hosts_in_a_batch():
    hosts = ["news.example.org", "icbc-verify.top", "docs.example.io", "аррӏе.com"]
    assert may_name_brand(hosts).tolist() == [False, True, False, True]
    assert may_name_brand([]).tolist() == []


def test_skeleton_of_ascii_host_undoes_digit_and_symbol_swaps():
    assert skeleton("PAYPA1-4PP13-$3CUR3@5H0P8") == "paypal-apple-secureashopb"
    assert skeleton("7") == "t"
