from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.metrics import average_precision_score, f1_score, roc_auc_score

from fanzha.evaluation.metrics import (
    average_precision,
    classification_report,
    confusion_matrix,
    roc_auc,
)


def test_report_has_the_stable_keys():
    report = classification_report(
        ["fraud", "normal"], ["fraud", "fraud"], scores=[0.9, 0.6], positive=["fraud"]
    )
    assert set(report) == {"n", "macro_f1", "per_label", "auc", "ap"}
    assert report["n"] == 2
    assert set(report["per_label"]["fraud"]) == {"precision", "recall", "f1", "support"}


def test_when_no_scores_then_no_auc_key():
    report = classification_report(["a", "b"], ["a", "b"])
    assert "auc" not in report
    assert report["macro_f1"] == 1.0


def test_per_label_figures_by_hand():
    report = classification_report(["f", "f", "n", "n"], ["f", "n", "f", "n"])
    fraud = report["per_label"]["f"]
    assert fraud == {"precision": 0.5, "recall": 0.5, "f1": 0.5, "support": 2}


def test_label_never_true_does_not_count_in_macro_f1():
    report = classification_report(["a", "a"], ["a", "b"])
    assert report["per_label"]["b"]["support"] == 0
    assert report["macro_f1"] == pytest.approx(2 / 3)


labels = st.lists(st.sampled_from(["ad", "fraud", "normal"]), min_size=2, max_size=60)


@settings(max_examples=60, deadline=None)
@given(labels, st.randoms(use_true_random=False))
def test_macro_f1_matches_scikit_learn(y_true, rnd):
    y_pred = [rnd.choice(["ad", "fraud", "normal"]) for _ in y_true]
    ours = classification_report(y_true, y_pred)["macro_f1"]
    theirs = f1_score(
        y_true, y_pred, labels=sorted(set(y_true)), average="macro", zero_division=0
    )
    assert ours == pytest.approx(theirs)


@settings(max_examples=80, deadline=None)
@given(st.lists(st.tuples(st.booleans(), st.integers(0, 6)), min_size=2, max_size=80))
def test_auc_and_ap_match_scikit_learn_with_ties(pairs):
    truth = [int(t) for t, _ in pairs]
    scores = [s / 6 for _, s in pairs]
    if len(set(truth)) < 2:
        assert roc_auc(truth, scores) is None
        return
    assert roc_auc(truth, scores) == pytest.approx(roc_auc_score(truth, scores))
    assert average_precision(truth, scores) == pytest.approx(
        average_precision_score(truth, scores)
    )


def test_perfect_ranking_scores_one():
    assert roc_auc([0, 0, 1, 1], [0.1, 0.2, 0.8, 0.9]) == 1.0
    assert average_precision([0, 0, 1, 1], np.array([0.1, 0.2, 0.8, 0.9])) == 1.0


def test_confusion_matrix_counts_each_pair():
    matrix = confusion_matrix(["a", "a", "b"], ["a", "b", "b"], ["a", "b"])
    assert matrix == {"a": {"a": 1, "b": 1}, "b": {"a": 0, "b": 1}}


def test_mismatched_lengths_are_rejected():
    with pytest.raises(ValueError):
        classification_report(["a"], ["a", "b"])
