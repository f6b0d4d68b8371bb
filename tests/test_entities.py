from __future__ import annotations

import phonenumbers
import pytest
from hypothesis import given
from hypothesis import strategies as st

from fanzha.entities import (
    EntityType,
    canonical_url,
    entity_type,
    luhn_valid,
    normalize_entity,
    normalize_phone,
)
from fanzha.errors import ValidationError


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("13812345678", "+8613812345678"),
        ("138-1234-5678", "+8613812345678"),
        ("+86 138 1234 5678", "+8613812345678"),
        ("008613812345678", "+8613812345678"),
        ("+1 (202) 555-0143", "+12025550143"),
        ("010 6552 9988", "+861065529988"),
    ],
)
def test_phone_numbers_normalise_to_e164(raw, expected):
    assert normalize_phone(raw) == expected


def _general_parser(raw: str) -> str | None:
    try:
        number = phonenumbers.parse(raw, "CN")
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_possible_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


@pytest.mark.parametrize(
    "raw", ["17902007876", "17951123456", "+8617902007876", "14912345678"]
)
def test_carrier_prefixes_go_through_the_general_parser(raw):
    # 1790x and 17951 are IP-call prefixes that the general parser strips.
    try:
        ours: str | None = normalize_phone(raw)
    except ValidationError:
        ours = None
    assert ours == _general_parser(raw)


@given(
    prefix=st.sampled_from(["", "+86"]),
    digits=st.from_regex(r"1[0-9]{10}", fullmatch=True),
)
def test_mobile_fast_path_agrees_with_the_general_parser(prefix, digits):
    raw = prefix + digits
    try:
        ours: str | None = normalize_phone(raw)
    except ValidationError:
        ours = None
    assert ours == _general_parser(raw)


@pytest.mark.parametrize("raw", ["", "abc", "12", "1381234567890123456"])
def test_when_phone_is_malformed_then_validation_error(raw):
    with pytest.raises(ValidationError):
        normalize_phone(raw)


@pytest.mark.parametrize(
    ("card", "valid"),
    [
        ("4111111111111111", True),
        ("4111 1111 1111 1111", True),
        ("6222021234567894", True),
        ("4111111111111112", False),  # near miss: one digit off the checksum
        ("411111111111", False),
        ("4111-1111-1111-111a", False),
    ],
)
def test_luhn_check_accepts_only_valid_cards(card, valid):
    assert luhn_valid(card) is valid


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("example.com", "http://example.com/"),
        ("HTTPS://WWW.Example.com:443/Path", "https://www.example.com/Path"),
        ("http://example.com:8080/x#frag", "http://example.com:8080/x"),
        ("http://例子.中国/", "http://xn--fsqu00a.xn--fiqs8s/"),
        ("http://1.2.3.4/login", "http://1.2.3.4/login"),
        ("http://a.com/%7euser", "http://a.com/~user"),
    ],
)
def test_urls_are_canonicalised(raw, expected):
    assert canonical_url(raw) == expected


@pytest.mark.parametrize("raw", ["", "http://", "   "])
def test_when_url_has_no_host_then_validation_error(raw):
    with pytest.raises(ValidationError):
        canonical_url(raw)


def test_unknown_entity_type_lists_the_known_ones():
    with pytest.raises(ValidationError, match="bank_card"):
        entity_type("spaceship")


@pytest.mark.parametrize(
    ("kind", "raw", "expected"),
    [
        (EntityType.phone, "13812345678", "+8613812345678"),
        ("bank_card", "4111 1111 1111 1111", "4111111111111111"),
        ("domain", "Bücher.DE", "xn--bcher-kva.de"),
        ("ip", "::ffff:1.2.3.4", "::ffff:102:304"),
        ("account", " alice ", "alice"),
    ],
)
def test_normalize_entity_dispatches_by_type(kind, raw, expected):
    assert normalize_entity(kind, raw) == expected


def test_invalid_card_entity_is_rejected():
    with pytest.raises(ValidationError, match="Luhn"):
        normalize_entity("bank_card", "4111111111111112")
