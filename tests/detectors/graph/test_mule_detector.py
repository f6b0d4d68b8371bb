from __future__ import annotations

import pandas as pd
import pytest

from fanzha.detectors.graph.mule_detector import MuleAccountDetector
from fanzha.detectors.graph.mule_samples import sample_items
from fanzha.errors import ValidationError


@pytest.fixture(scope="module")
def fitted():
    items, labels = sample_items(n=10, seed=1)
    return MuleAccountDetector().fit(items, labels)


def test_when_account_forwards_victims_money_then_flagged_as_mule(fitted):
    items, labels = sample_items(n=6, seed=99)
    verdicts = fitted.score_batch(items)
    assert [v.label for v in verdicts] == labels
    mule = next(v for v, lb in zip(verdicts, labels, strict=True) if lb == "mule")
    assert mule.evidence and mule.entities == [
        {"type": "account", "value": mule.item_id}
    ]


def test_when_transfers_do_not_touch_the_account_then_rejected(fitted):
    item = {
        "account": "nobody",
        "transactions": [{"src": "a", "dst": "b", "amount": 5, "at": 1}],
    }
    with pytest.raises(ValidationError, match="no transaction involves"):
        fitted.score(item)


def test_score_graph_scores_every_account(fitted):
    items, _ = sample_items(n=3, seed=5)
    frame = pd.DataFrame([t for item in items for t in item["transactions"]])
    risks = fitted.score_graph(frame, [i["account"] for i in items])
    assert list(risks.index) == [i["account"] for i in items]
    assert risks["mule-0"] > risks["person-0"]


def test_graph_verdicts_list_only_accounts_over_the_threshold_riskiest_first(fitted):
    items, _ = sample_items(n=3, seed=5)
    frame = pd.DataFrame([t for item in items for t in item["transactions"]])
    verdicts = fitted.graph_verdicts(frame)
    risks = [v.risk for v in verdicts]
    assert risks == sorted(risks, reverse=True)
    assert all(v.label == "mule" for v in verdicts)
    assert {"mule-0", "mule-1", "mule-2"} <= {v.item_id for v in verdicts}
