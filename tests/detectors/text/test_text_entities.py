"""Entities in message text, with near misses that must not be found."""

from __future__ import annotations

import pytest

from fanzha.detectors.text.text_entities import extract_entities


def _values(text: str, kind: str) -> list[object]:
    return [e["value"] for e in extract_entities(text) if e["type"] == kind]


@pytest.mark.parametrize(
    ("text", "kind", "expected"),
    [
        ("致电13812345678", "phone", ["+8613812345678"]),
        ("致电138-1234-5678", "phone", ["+8613812345678"]),
        ("致电①③⑧①②③④⑤⑥⑦⑧", "phone", ["+8613812345678"]),
        ("致电一三八一二三四五六七八", "phone", ["+8613812345678"]),
        ("热线010-12345678", "phone", ["+861012345678"]),
        ("登录 www.abc-bank.cn/login", "url", ["http://www.abc-bank.cn/login"]),
        ("点击https://T.CN/AbC", "url", ["https://t.cn/abc"]),
        ("加QQ：12345678", "qq", ["12345678"]),
        ("加扣扣 12345678", "qq", ["12345678"]),
        ("加V信: zhang_san88", "wechat", ["zhang_san88"]),
        ("卡号 4111 1111 1111 1111", "bank_card", ["4111111111111111"]),
        ("先交500元保证金", "amount", [500.0]),
        ("贷款3.5万", "amount", [35000.0]),
    ],
)
def test_when_text_holds_an_entity_then_it_is_extracted(text, kind, expected):
    assert _values(text, kind) == expected


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("卡号 4111 1111 1111 1112", "bank_card"),  # fails the Luhn check
        ("编号12345678901", "phone"),  # 11 digits but not a mobile prefix
        ("QQ音乐很好听", "qq"),  # no number after QQ
        ("微信支付成功", "wechat"),  # no id after 微信
        ("版本1.5", "url"),
    ],
)
def test_when_text_only_resembles_an_entity_then_nothing_is_extracted(text, kind):
    assert _values(text, kind) == []


def test_when_the_same_number_appears_twice_then_it_is_reported_once():
    assert _values("13812345678 或 138 1234 5678", "phone") == ["+8613812345678"]
