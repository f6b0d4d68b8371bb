"""Evidence n-grams: which character n-grams a verdict names, and in what order."""

from __future__ import annotations

import os
import subprocess
import sys

from fanzha.detectors.text.linear import LABELS, explain_ngrams, label_support

FRAUD = LABELS.index("fraud")


def _weights(fraud: float, other: float) -> tuple[float, ...]:
    return tuple(fraud if i == FRAUD else other for i in range(len(LABELS)))


TABLE = {
    "刷单": _weights(2.0, 0.5),
    "返利": _weights(1.0, 0.0),
    "日结": _weights(1.0, 0.0),
    "吃饭": _weights(-1.0, 0.5),
    "刷单返": _weights(3.0, 0.0),
}


def test_support_is_the_lead_over_the_strongest_other_label_and_positive():
    support = label_support(TABLE, "fraud")
    assert support == {"刷单": 1.5, "返利": 1.0, "日结": 1.0, "刷单返": 3.0}
    normal = {"吃饭": (2.0, 0.5, 0.0, -1.0), "开会": (1.0, 1.0, 0.0, 0.0)}
    assert label_support(normal, "normal") == {"吃饭": 1.5}


def test_strongest_first_and_no_gram_inside_a_chosen_one():
    chosen = explain_ngrams("刷单返利日结吃饭", label_support(TABLE, "fraud"))
    assert chosen == [("刷单返", 3.0), ("返利", 1.0), ("日结", 1.0)]


def test_ties_follow_the_text_not_the_process():
    support = label_support(TABLE, "fraud")
    assert explain_ngrams("日结返利", support, top=1) == [("日结", 1.0)]
    assert explain_ngrams("返利日结", support, top=1) == [("返利", 1.0)]


def test_the_shipped_model_names_the_same_evidence_in_every_process():
    # Two n-grams of this message tie; when they were taken from a set, their
    # order followed the process's string hashing and changed between runs.
    code = (
        "from fanzha.detectors.text.model_detector import load_default;"
        "v = load_default().score('脑子里过电式的想着我爸妈我爱的人还有我的哈妮');"
        "print([(e.name, e.weight) for e in v.evidence])"
    )
    runs = {
        subprocess.run(
            [sys.executable, "-c", code],
            capture_output=True,
            text=True,
            check=True,
            env={**os.environ, "PYTHONHASHSEED": seed},
        ).stdout
        for seed in ("11", "12", "13", "14", "15", "16")
    }
    assert len(runs) == 1
    assert "(" in runs.pop()
