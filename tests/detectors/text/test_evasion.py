"""The evasion generator changes how a message is written, never its label."""

from __future__ import annotations

import csv
import random

import pytest

from fanzha.detectors.text import evasion
from fanzha.detectors.text.normalize import normalize

TEXT = "加微信领取红包，联系13812345678，app下载"


@pytest.mark.parametrize("transform", evasion.TRANSFORMS, ids=lambda t: t.__name__)
def test_each_transformation_changes_the_text(transform):
    assert transform(TEXT, random.Random(0)) != TEXT


@pytest.mark.parametrize(
    "transform",
    [evasion.full_width, evasion.traditional, evasion.add_emoji, evasion.homoglyphs],
    ids=lambda t: t.__name__,
)
def test_when_transformation_is_reversible_then_normalize_undoes_it(transform):
    assert normalize(transform(TEXT, random.Random(0))).replace(" ", "") == normalize(
        TEXT
    ).replace(" ", "")


def test_when_file_is_evaded_then_labels_and_other_columns_are_kept(tmp_path):
    source = tmp_path / "in.csv"
    source.write_text(
        "text,label,scenario,source\n加微信刷单,fraud,order_brushing,s\n"
        "明天见,normal,,s\n",
        "utf-8",
    )
    target = tmp_path / "out.csv"
    assert evasion.evade_file(source, target, seed=3) == 2
    with open(target, encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert [r["label"] for r in rows] == ["fraud", "normal"]
    assert rows[0]["scenario"] == "order_brushing"
    assert rows[0]["text"] != "加微信刷单"


def test_same_seed_gives_the_same_rewrite():
    first = evasion.evade(TEXT, random.Random(7))
    assert evasion.evade(TEXT, random.Random(7)) == first
