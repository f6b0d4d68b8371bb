"""Synthetic service notices: generated as training rows, never scored as tests."""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path

import pytest

from fanzha.detectors.text.model_detector import load_default
from fanzha.detectors.text.notices import SOURCE, load_templates, notice_rows

PROBE = Path(__file__).parents[2] / "fixtures" / "text" / "service_notices_probe.csv"


def test_notices_are_normal_rows_with_every_slot_filled():
    rows = notice_rows(per_template=3)
    templates = sum(len(t) for t in load_templates()["templates"].values())

    assert len(rows) == 3 * templates
    assert {(r.label, r.source) for r in rows} == {("normal", SOURCE)}
    assert not [r.text for r in rows if "{" in r.text or "}" in r.text]


def test_the_same_seed_gives_the_same_notices_and_another_seed_others():
    assert notice_rows(2, seed=1) == notice_rows(2, seed=1)
    assert notice_rows(2, seed=1) != notice_rows(2, seed=2)


def test_templates_carry_nothing_a_fraud_message_needs():
    # A link or a call to act in a "normal" template would teach the model
    # that phishing is normal.
    texts = [t for ts in load_templates()["templates"].values() for t in ts]
    for marker in ("http", "www", "点击", "链接", "回复", "加微信"):
        assert not [t for t in texts if marker in t], marker


def test_shipped_model_calls_held_out_service_notices_normal():
    # The probe messages were written apart from the templates (other senders,
    # other wording); 38 of 40 were normal when the notices were added,
    # 17 of 40 before.
    with PROBE.open(encoding="utf-8", newline="") as handle:
        texts = [row["text"] for row in csv.DictReader(handle)]
    labels = Counter(v.label for v in load_default().score_batch(texts))
    assert labels["normal"] >= 0.9 * len(texts), labels
    assert labels["fraud"] <= 1, labels


@pytest.mark.parametrize("per_template", [0, 1])
def test_per_template_sets_the_count(per_template):
    templates = sum(len(t) for t in load_templates()["templates"].values())
    assert len(notice_rows(per_template)) == per_template * templates


def test_signatures_come_first_in_some_notices_and_last_in_others():
    texts = [r.text for r in notice_rows(per_template=4)]
    first = sum(t.startswith("【") for t in texts)
    last = sum(t.endswith("】") for t in texts)
    assert first > len(texts) // 4
    assert last > len(texts) // 4
