"""Masking of personal data in logs and in every output that leaves the analyst.

Phone numbers keep their first three and last two digits, bank cards their last
four, ID numbers their first two and last one; everything else becomes ``*``.
"""

from __future__ import annotations

import re

import phonenumbers

_COUNTRY_CODES = frozenset(phonenumbers.COUNTRY_CODE_TO_REGION_CODE)
_PHONE = re.compile(r"(?<!\d)(\+?\d[\d\- ]{6,16}\d)(?!\d)")
_CARD = re.compile(r"(?<!\d)(\d[\d ]{11,22}\d)(?!\d)")
_ID_NUMBER = re.compile(r"(?<![0-9A-Za-z])(\d{17}[\dXx])(?![0-9A-Za-z])")


def _keep(digits: str, head: int, tail: int) -> str:
    if len(digits) <= head + tail:
        return "*" * len(digits)
    return (
        digits[:head] + "*" * (len(digits) - head - tail) + digits[len(digits) - tail :]
    )


def mask_phone(value: str) -> str:
    """Mask a phone number, keeping the country code, three digits and the last two.

    >>> mask_phone("13812345678"), mask_phone("+8613812345678")
    ('138******78', '+86138******78')
    """
    digits = re.sub(r"\D", "", value)
    if not value.startswith("+"):
        return _keep(digits, 3, 2)
    code = _country_code_length(digits)
    return "+" + digits[:code] + _keep(digits[code:], 3, 2)


def _country_code_length(digits: str) -> int:
    for size in (1, 2, 3):
        if int(digits[:size] or 0) in _COUNTRY_CODES:
            return size
    return 0


def mask_card(value: str) -> str:
    """Mask a bank card number, keeping the last four digits.

    >>> mask_card("6222 0212 3456 7890")
    '************7890'
    """
    digits = re.sub(r"\D", "", value)
    return _keep(digits, 0, 4)


def mask_id_number(value: str) -> str:
    """Mask a resident ID number, keeping the first two and last characters.

    >>> mask_id_number("11010519491231002X")
    '11***************X'
    """
    return _keep(value, 2, 1)


def mask_text(text: str) -> str:
    """Mask every ID number, card number and phone number found in free text.

    >>> mask_text("call 13812345678 or pay 6222021234567890")
    'call 138******78 or pay ************7890'
    """
    text = _ID_NUMBER.sub(lambda m: mask_id_number(m.group(1)), text)
    text = _CARD.sub(
        lambda m: (
            mask_card(m.group(1))
            if len(re.sub(r"\D", "", m.group(1))) >= 13
            else m.group(1)
        ),
        text,
    )
    return _PHONE.sub(lambda m: mask_phone(m.group(1)), text)


def mask_value(entity_type: str, value: str) -> str:
    """Mask ``value`` as the given entity type would be shown outside fanzha."""
    if entity_type == "phone":
        return mask_phone(value)
    if entity_type == "bank_card":
        return mask_card(value)
    if entity_type == "person":
        return mask_id_number(value) if len(value) >= 15 else value[:1] + "*"
    return value
