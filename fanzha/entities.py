"""Entity types and the normal form of each entity's value.

Two reports name the same phone number only if both normalise to the same E.164
string; the same holds for URLs, cards and the rest. Normalising at the edge is
what lets the store and the graph join records from different channels.
"""

from __future__ import annotations

import ipaddress
import re
from enum import StrEnum
from functools import lru_cache
from urllib.parse import quote, unquote, urlsplit, urlunsplit

import phonenumbers

from fanzha.errors import ValidationError


class EntityType(StrEnum):
    """The kinds of entity fanzha tracks."""

    phone = "phone"
    account = "account"
    device = "device"
    bank_card = "bank_card"
    url = "url"
    domain = "domain"
    ip = "ip"
    person = "person"
    qq = "qq"
    wechat = "wechat"


def entity_type(value: str) -> EntityType:
    """Return the ``EntityType`` called ``value`` or raise ``ValidationError``."""
    try:
        return EntityType(value)
    except ValueError:
        known = ", ".join(t.value for t in EntityType)
        raise ValidationError(
            f"unknown entity type {value!r}; use one of: {known}"
        ) from None


_CN_MOBILE = re.compile(r"(?:\+86)?1(?:[3-68]\d|7[0-8]|9\d)\d{8}")


def normalize_phone(raw: str, region: str = "CN") -> str:
    """Return the E.164 form of a phone number, e.g. ``+8613812345678``.

    Numbers without a country code are read in ``region``.

    >>> normalize_phone("138 1234 5678")
    '+8613812345678'
    """
    text = str(raw).strip()
    if region == "CN" and _CN_MOBILE.fullmatch(text):
        # The common case, without the general parser (about 100 times slower).
        return "+86" + text[-11:]
    try:
        number = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException:
        raise ValidationError(f"{raw!r} is not a phone number") from None
    if not phonenumbers.is_possible_number(number):
        raise ValidationError(f"{raw!r} is not a possible phone number in {region}")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def luhn_valid(card: str) -> bool:
    """Return whether a card number passes the Luhn checksum.

    >>> luhn_valid("4111 1111 1111 1111"), luhn_valid("4111 1111 1111 1112")
    (True, False)
    """
    digits = re.sub(r"[\s-]", "", card)
    if not digits.isdigit() or not 12 <= len(digits) <= 19:
        return False
    total = 0
    for i, char in enumerate(reversed(digits)):
        d = int(char)
        if i % 2 == 1:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return total % 10 == 0


def normalize_card(raw: str) -> str:
    """Return a bank card number as bare digits; raise if the checksum fails."""
    digits = re.sub(r"[\s-]", "", str(raw))
    if not luhn_valid(digits):
        raise ValidationError(f"{raw!r} is not a valid card number (Luhn check)")
    return digits


def canonical_url(raw: str) -> str:
    """Return the canonical form of a URL.

    Scheme and host are lower-cased, IDN hosts turned into punycode, default ports
    and fragments dropped, percent-escapes normalised.

    A URL without a scheme is read as ``http://``.

    >>> canonical_url("HTTP://Example.COM:80/a%7eb?q=1#top")
    'http://example.com/a~b?q=1'
    """
    text = str(raw).strip()
    if not text:
        raise ValidationError("URL is empty")
    if "://" not in text:
        text = "http://" + text
    parts = urlsplit(text)
    if not parts.hostname:
        raise ValidationError(f"{raw!r} has no host")
    host = _ascii_host(parts.hostname)
    netloc = (
        host
        if parts.port in (None, _default_port(parts.scheme))
        else (f"{host}:{parts.port}")
    )
    path = quote(unquote(parts.path), safe="/:@!$&'()*+,;=-._~%") or "/"
    return urlunsplit((parts.scheme.lower(), netloc, path, parts.query, ""))


def _default_port(scheme: str) -> int | None:
    return {"http": 80, "https": 443}.get(scheme.lower())


def _ascii_host(host: str) -> str:
    host = host.rstrip(".").lower()
    try:
        ipaddress.ip_address(host)
        return host
    except ValueError:
        pass
    try:
        return host.encode("idna").decode("ascii")
    except UnicodeError:
        raise ValidationError(f"host {host!r} is not a valid domain name") from None


@lru_cache(maxsize=1 << 18)
def normalize_entity(kind: str | EntityType, value: str) -> str:
    """Return the normal form of ``value`` for the entity type ``kind``.

    Results are cached: reports name the same entities again and again.
    """
    etype = entity_type(str(kind))
    text = str(value).strip()
    if not text:
        raise ValidationError(f"{etype.value} value is empty")
    if etype is EntityType.phone:
        return normalize_phone(text)
    if etype is EntityType.bank_card:
        return normalize_card(text)
    if etype is EntityType.url:
        return canonical_url(text)
    if etype is EntityType.domain:
        return _ascii_host(text)
    if etype is EntityType.ip:
        try:
            return str(ipaddress.ip_address(text))
        except ValueError:
            raise ValidationError(f"{text!r} is not an IP address") from None
    return text
