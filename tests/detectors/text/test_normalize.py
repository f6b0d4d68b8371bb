"""Evasion spellings normalise to the plain word; near misses stay as written."""

from __future__ import annotations

import pytest

from fanzha.detectors.text.normalize import (
    NUMBER_SHAPE,
    PHONE_SHAPE,
    SHAPES,
    URL_SHAPE,
    model_text,
    model_texts,
    normalize,
    numerals_to_digits,
)


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("加V信", "加微信"),
        ("加威❤", "加微信"),
        ("薇芯号", "微信号"),
        ("加➕vx", "加加微信"),
        ("ｖｘ１２３", "微信123"),
        ("刷 单 返 利", "刷单返利"),
        ("刷.单·返*利", "刷单返利"),
        ("刷\u200b单", "刷单"),
        ("刷🔥单", "刷单"),
        ("點擊鏈接領取紅包", "点击链接领取红包"),
        ("раураl", "paypal"),
        ("②⓪❸", "203"),
        ("shuadan", "刷单"),
    ],
)
def test_when_text_uses_an_evasion_then_normalize_undoes_it(written, expected):
    assert normalize(written) == expected


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("vxyz", "vxyz"),  # vx inside a longer Latin word is not WeChat
        ("因为信用好", "因为信用好"),  # 为信 is not a WeChat variant
        ("最佳选择", "最佳选择"),
        ("hello world", "hello world"),  # spaces between Latin words are kept
        ("一起吃饭", "一起吃饭"),  # fewer than four numerals stay Chinese
    ],
)
def test_when_text_only_resembles_an_evasion_then_it_is_kept(written, expected):
    assert numerals_to_digits(normalize(written)) == expected


def test_when_numerals_spell_a_phone_number_then_they_become_digits():
    assert numerals_to_digits("联系一三八零零一二三四五六") == "联系13800123456"


@pytest.mark.parametrize(
    "artefact", ["PLACE", "NAME", "XX", "您好，", "你好！", "【", "🔥", "x"]
)
def test_when_a_dataset_artefact_is_added_then_model_text_is_unchanged(artefact):
    plain = "您的账户已冻结请立即处理"
    assert model_text(artefact + plain) == model_text(plain)
    assert model_text(plain + artefact) == model_text(plain)


@pytest.mark.parametrize(
    ("masked", "written", "shape"),
    [
        ("DIGIT", "123", NUMBER_SHAPE),
        ("xxx", "50", NUMBER_SHAPE),
        ("xxxxxxxxxxx", "13800138000", PHONE_SHAPE),
        ("CELLPHONE", "02188886666", PHONE_SHAPE),
        ("CELLPHONE", "021-8888 6666", PHONE_SHAPE),
        ("CELLPHONE", "一三八零零一三八零零零", PHONE_SHAPE),
        ("xxx", "x x x", NUMBER_SHAPE),
        ("URL", "http://t.cn/abc", URL_SHAPE),
        ("URL", "www.icbc-safe.cn", URL_SHAPE),
    ],
)
def test_when_a_number_or_link_is_masked_then_model_text_is_as_if_written(
    masked, written, shape
):
    plain = "您的账户已冻结请点击"
    assert model_text(plain + masked) == model_text(plain + written)
    assert model_text(plain + masked) == model_text(plain) + shape


@pytest.mark.parametrize("near_miss", ["max", "taxi", "xbox"])
def test_when_a_word_merely_contains_x_then_no_number_shape_appears(near_miss):
    assert not set(model_text("去" + near_miss + "那里")) & set(SHAPES)


def test_when_dialogue_lines_carry_speaker_names_then_model_text_drops_them():
    assert model_text("客服：请提供验证码\n用户：好的") == "请提供验证码 好的"


@pytest.mark.parametrize(
    ("evaded", "plain"),
    [
        ("多买多餸", "多买多送"),  # a variant the traditional table folds first
        ("联系DIG·IT或U🔥RL", "联系DIGIT或URL"),  # a mask broken by evasion
        ("八月九日开业", "8月9日开业"),
        ("只要一零元", "只要10元"),
        ("t🔥al kB·ack", "talkback"),
    ],
)
def test_when_evasion_breaks_a_word_or_mask_then_model_text_is_as_if_plain(
    evaded, plain
):
    assert model_text(evaded) == model_text(plain)


def test_when_a_full_width_word_spells_a_mask_in_lower_case_then_it_stays_a_word():
    assert model_text("新ｐｈｏｎｅ到货") == "新phone到货"
    assert model_text("Ｕ Ｒ Ｌ") == URL_SHAPE


def test_batch_model_text_equals_one_by_one():
    texts = [
        "您好，【NAME银行】您的账户DIGIT已冻结 http://t.cn/x1",
        "加V❤：abc123，領取紅包℡",
        "ＤＩＧＩＴ刷🔥单，ｐｈｏｎｅ",
        "客服：请提供验证码\n用户：好的",
        "Σ微信 ⑩ 八月九日",
    ] * 5
    assert model_texts(texts) == [model_text(t) for t in texts]
    with_separator = [*texts, "a\x00b"]
    assert model_texts(with_separator) == [model_text(t) for t in with_separator]
