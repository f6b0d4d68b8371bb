"""Building the training set: shortcuts removed, duplicates dropped, groups weighted."""

from __future__ import annotations

import pytest

from fanzha.detectors.text.corpus import LabelledText, load_shared_text
from fanzha.detectors.text.normalize import model_text
from fanzha.detectors.text.training import (
    dialogue_windows,
    group_weights,
    training_rows,
)
from fanzha.registry import trainer


def _row(text: str, label: str, source: str = "s") -> LabelledText:
    return LabelledText(text, label, None, source)


def test_when_texts_differ_only_by_masks_then_one_row_is_kept():
    rows = training_rows(
        [_row("您好，账户DIGIT已冻结", "fraud"), _row("账户xxx已冻结", "fraud")]
    )
    assert len(rows) == 1


def test_when_a_text_carries_two_labels_then_it_is_dropped():
    rows = training_rows(
        [_row("今晚加班", "normal"), _row("今晚加班！", "ad"), _row("全场五折", "ad")]
    )
    assert [r.text for r in rows] == ["全场五折"]


def test_mixed_normal_rows_of_telecom_fraud_texts_are_left_out():
    rows = training_rows(
        [
            _row("话费优惠", "normal", "telecom_fraud_texts_5"),
            _row("你涉嫌洗钱", "fraud", "telecom_fraud_texts_5"),
        ]
    )
    assert [r.label for r in rows] == ["fraud"]


def test_a_big_group_weighs_only_the_fourth_root_of_its_size_more():
    rows = [_row(f"n{i}", "normal", "big") for i in range(160)] + [
        _row(f"f{i}", "fraud", "small") for i in range(10)
    ]
    weights = group_weights(rows)
    assert weights[:160].sum() / weights[160:].sum() == pytest.approx(2.0)
    assert weights[0] < weights[160]


def test_trainer_is_registered_for_text():
    assert trainer("text").__name__ == "train_text"


@pytest.mark.shared_data
def test_shared_training_text_carries_no_masks_or_greetings(shared_data):
    rows = load_shared_text(shared_data)[::50]
    texts = [model_text(r.text) for r in rows]
    for token in ("DIGIT", "digit", "PLACE", "place", "您好", "你好", "xx"):
        assert not any(token in t for t in texts), token
    assert not any(ch.isdigit() for t in texts for ch in t)


def _dialogue(label: str, turns: tuple[str, ...]) -> LabelledText:
    return LabelledText("\n".join(turns), label, None, "calls", 1, turns)


def test_caller_turns_are_cut_into_windows_of_at_least_the_minimum():
    turns = ("您好这里是银行客服", "您的账户存在风险", "请把钱转到安全账户", "好的再见")
    windows = dialogue_windows([_dialogue("fraud", turns)], min_chars=12)

    assert [w.text for w in windows] == [
        "您好这里是银行客服您的账户存在风险",
        "请把钱转到安全账户好的再见",
    ]
    assert {(w.label, w.source, w.caller_turns) for w in windows} == {
        ("fraud", "calls", ())
    }


def test_windows_are_cut_at_the_maximum_and_messages_give_none():
    long_turn = ("转账" * 100,)
    windows = dialogue_windows(
        [_dialogue("fraud", long_turn), _row("全场五折", "ad")],
        min_chars=10,
        max_chars=30,
    )
    assert [len(w.text) for w in windows] == [30]


def test_a_window_seen_with_two_labels_is_left_out():
    turn = ("请问您需要办理什么业务呢我们马上为您处理",)
    windows = dialogue_windows(
        [_dialogue("fraud", turn), _dialogue("normal", turn)], min_chars=5
    )
    assert windows == []
