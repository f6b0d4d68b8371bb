from __future__ import annotations

import logging

import pytest

from fanzha.pii import mask_card, mask_id_number, mask_phone, mask_text, mask_value


@pytest.mark.parametrize(
    ("text", "hidden"),
    [
        ("请拨打13812345678联系", "13812345678"),
        ("卡号 6222 0212 3456 7894 转账", "6222 0212 3456 7894"),
        ("身份证11010519491231002X已登记", "11010519491231002X"),
        ("+8613812345678 called", "+8613812345678"),
    ],
)
def test_mask_text_hides_personal_numbers(text, hidden):
    masked = mask_text(text)
    assert hidden not in masked
    assert "*" in masked


@pytest.mark.parametrize("text", ["订单号2024", "验证码 123456", "金额 500 元"])
def test_mask_text_leaves_short_numbers_alone(text):
    assert mask_text(text) == text


def test_masks_keep_enough_to_tell_numbers_apart():
    assert mask_phone("+8613812345678") == "+86138******78"
    assert mask_card("4111111111111111") == "************1111"
    assert mask_id_number("110105194912310021") == "11***************1"


def test_mask_value_by_entity_type():
    assert mask_value("phone", "13812345678") == "138******78"
    assert mask_value("url", "http://a.com/") == "http://a.com/"


def test_masked_value_in_a_log_line_does_not_leak(caplog):
    logger = logging.getLogger("fanzha.test")
    with caplog.at_level(logging.INFO):
        logger.info("number flagged number=%s", mask_phone("13812345678"))
    assert "13812345678" not in caplog.text
