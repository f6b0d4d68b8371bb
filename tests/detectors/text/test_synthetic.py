"""Synthetic fraud messages: filled templates used as training rows only."""

from __future__ import annotations

import random
import re

import pytest

from fanzha.detectors.text.corpus import LabelledText
from fanzha.detectors.text.notices import notice_rows
from fanzha.detectors.text.synthetic import (
    DIALOGUE_SOURCE,
    FRAUD_SOURCE,
    dialogue_rows,
    fill,
    fraud_rows,
    load_template_file,
    move_signature,
)
from fanzha.detectors.text.training import (
    cross_validate,
    extra_dialogues,
    extra_fraud,
    extra_notices,
)
from fanzha.scenarios import scenario_ids


def test_fraud_rows_are_fraud_with_a_known_scenario_and_every_slot_filled():
    rows = fraud_rows(per_template=2)
    templates = load_template_file("fraud_templates.yaml")["templates"]

    assert len(rows) == 2 * sum(len(t) for t in templates.values())
    assert {(r.label, r.source) for r in rows} == {("fraud", FRAUD_SOURCE)}
    assert {r.scenario for r in rows} <= set(scenario_ids())
    assert not [r.text for r in rows if re.search(r"[{}]", r.text)]


def test_ordinary_calls_are_normal_and_carry_nothing_a_scam_needs():
    rows = dialogue_rows(per_template=2)
    assert {(r.label, r.source) for r in rows} == {("normal", DIALOGUE_SOURCE)}
    assert not [r.text for r in rows if re.search(r"[{}]", r.text)]
    # A transfer, a code or a link in a "normal" call would teach that scams are
    # normal.
    for marker in ("转账", "转到", "验证码", "http", "账户", "保密", "汇款"):
        assert not [r.text for r in rows if marker in r.text], marker


def test_every_scenario_without_training_text_has_templates():
    groups = set(load_template_file("fraud_templates.yaml")["templates"])
    lacking = {"order_brushing", "romance", "shopping", "game_trade", "gambling"}
    assert lacking | {"credit_repair", "mlm"} <= groups


def test_the_same_seed_gives_the_same_messages_and_another_seed_others():
    assert fraud_rows(2, seed=3) == fraud_rows(2, seed=3)
    assert fraud_rows(2, seed=3) != fraud_rows(2, seed=4)


def test_generated_slots_have_their_length_and_alphabet():
    text = fill("{d4}-{w3}", {}, random.Random(0))
    digits, letters = text.split("-")
    assert digits.isdigit() and len(digits) == 4
    assert letters.isalpha() and letters.islower() and len(letters) == 3


def test_an_unknown_slot_names_the_file():
    with pytest.raises(KeyError, match="mine.yaml: no slot named 'nope'"):
        fill("{nope}", {}, random.Random(0), "mine.yaml")


def test_a_signature_moves_to_the_end_about_half_the_time():
    rng = random.Random(0)
    moved = [move_signature("【快递】请补缴运费", rng) for _ in range(200)]
    last = sum(m.endswith("【快递】") for m in moved)
    assert 60 < last < 140
    assert set(moved) == {"【快递】请补缴运费", "请补缴运费【快递】"}


@pytest.mark.parametrize(
    ("make", "extra"),
    [
        (notice_rows, extra_notices),
        (fraud_rows, extra_fraud),
        (dialogue_rows, extra_dialogues),
    ],
)
def test_synthetic_rows_that_repeat_a_real_row_are_not_added(make, extra):
    real = make(per_template=1)[:3]
    added = extra(real)
    assert added
    assert not {r.text for r in added} & {r.text for r in real}


def test_cross_validation_trains_on_synthetic_rows_but_never_scores_them():
    # Notices and fraud messages both go into the training folds only.
    phrases = {
        "normal": "周末一起吃饭吧",
        "ad": "全场五折欢迎选购",
        "illegal": "代开发票办证",
        "fraud": "安全账户转账配合调查",
    }
    # A different last character per row keeps the rows apart after masking.
    rows = [
        LabelledText(phrase + chr(0x4E00 + 7 * i + j), label, None, "toy")
        for i in range(8)
        for j, (label, phrase) in enumerate(phrases.items())
    ]
    report = cross_validate(rows, folds=2)
    assert set(report["per_source"]) == {"toy"}
    assert report["n"] == len(rows)
