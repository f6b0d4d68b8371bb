"""Entities found in message text: phones, URLs, QQ and WeChat ids, cards, amounts.

Extraction runs on :func:`~fanzha.detectors.text.normalize.normalize`'d text with
Chinese numerals turned into digits, so ``①③⑧...`` or ``一三八...`` still yield a
phone number. Values are normalised with :mod:`fanzha.entities` (E.164 phones,
canonical URLs, Luhn-checked cards) so that the graph joins them across
channels. Amounts are not graph entities; they come back as ``amount`` in yuan.
"""

from __future__ import annotations

import re
from typing import Any

from fanzha.detectors.text.normalize import normalize, numerals_to_digits
from fanzha.entities import EntityType, canonical_url, luhn_valid, normalize_phone
from fanzha.errors import ValidationError

_MOBILE = re.compile(r"(?<!\d)(?:\+?86[- ]?)?(1[3-9]\d[- ]?\d{4}[- ]?\d{4})(?!\d)")
_LANDLINE = re.compile(r"(?<!\d)(0\d{2,3}-\d{7,8}|400-?\d{3}-?\d{4})(?!\d)")
_URL = re.compile(
    r"(?:https?://|www\.)[a-z0-9\-._~:/?#@!$&'()*+,;=%]+"
    r"|(?<![a-z0-9@.])[a-z0-9-]+(?:\.[a-z0-9-]+)*\.(?:com|cn|net|cc|top|vip|xyz|me|info)"
    r"(?:/[a-z0-9\-._~/?#=&%]*)?"
)
_QQ = re.compile(r"(?:qq|扣扣|企鹅)(?:号码|号)?[:：\s]*([1-9]\d{4,10})(?!\d)")
_WECHAT = re.compile(
    r"(?:微信|微信号)[:：\s]*([a-z][a-z0-9_-]{5,19}|1[3-9]\d{9}|\d{5,11})"
)
_CARD = re.compile(
    r"(?<!\d)(\d{4}[ -]?\d{4}[ -]?\d{4}[ -]?\d{4}(?:[ -]?\d{1,3})?)(?!\d)"
)
_AMOUNT = re.compile(r"(?:¥|￥|rmb)?\s*(\d+(?:\.\d+)?)\s*(万元|万|千元|元|块钱|块)")
_UNITS = {
    "万元": 10_000.0,
    "万": 10_000.0,
    "千元": 1_000.0,
    "元": 1.0,
    "块钱": 1.0,
    "块": 1.0,
}


def extract_entities(text: str, normalized: str | None = None) -> list[dict[str, Any]]:
    """Return the entities found in ``text``, each ``{"type", "value", "raw"}``.

    ``value`` is the normal form (E.164 phone, canonical URL, card digits,
    amount in yuan as a float); the same value is reported once. Pass
    ``normalized`` (``normalize(text)``) when it is already at hand.

    Examples
    --------
    >>> [e["value"] for e in extract_entities("加V信abc_1234，转5000元到 www.x-pay.cn")]
    ['http://www.x-pay.cn/', 'abc_1234', 5000.0]
    """
    found = numerals_to_digits(
        normalized if normalized is not None else normalize(text)
    )
    entities: list[dict[str, Any]] = []
    for extract in (_urls, _phones, _qq, _wechat, _cards, _amounts):
        entities.extend(extract(found))
    return _unique(entities)


def _entity(kind: str, value: Any, raw: str) -> dict[str, Any]:
    return {"type": kind, "value": value, "raw": raw}


def _urls(text: str) -> list[dict[str, Any]]:
    out = []
    for m in _URL.finditer(text):
        try:
            out.append(
                _entity(EntityType.url.value, canonical_url(m.group(0)), m.group(0))
            )
        except ValidationError:
            continue
    return out


def _phones(text: str) -> list[dict[str, Any]]:
    out = []
    for pattern in (_MOBILE, _LANDLINE):
        for m in pattern.finditer(text):
            try:
                value = normalize_phone(m.group(1))
            except ValidationError:
                continue
            out.append(_entity(EntityType.phone.value, value, m.group(1)))
    return out


def _qq(text: str) -> list[dict[str, Any]]:
    return [
        _entity(EntityType.qq.value, m.group(1), m.group(1)) for m in _QQ.finditer(text)
    ]


def _wechat(text: str) -> list[dict[str, Any]]:
    return [
        _entity(EntityType.wechat.value, m.group(1), m.group(1))
        for m in _WECHAT.finditer(text)
    ]


def _cards(text: str) -> list[dict[str, Any]]:
    out = []
    for m in _CARD.finditer(text):
        digits = re.sub(r"\D", "", m.group(1))
        if 16 <= len(digits) <= 19 and luhn_valid(digits):
            out.append(_entity(EntityType.bank_card.value, digits, m.group(1)))
    return out


def _amounts(text: str) -> list[dict[str, Any]]:
    return [
        _entity("amount", float(m.group(1)) * _UNITS[m.group(2)], m.group(0).strip())
        for m in _AMOUNT.finditer(text)
    ]


def _unique(entities: list[dict[str, Any]]) -> list[dict[str, Any]]:
    seen: set[tuple[str, Any]] = set()
    out = []
    for entity in entities:
        key = (entity["type"], entity["value"])
        if key not in seen:
            seen.add(key)
            out.append(entity)
    return out
