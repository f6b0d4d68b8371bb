from __future__ import annotations

import pandas as pd
import pytest

from fanzha.errors import NotFoundError
from fanzha.graph.trace import TransferIndex, trace_funds

ROWS = [
    ("V", "A", 1000, 0, "t0"),
    ("A", "B", 600, 1, "t1"),
    ("A", "C", 500, 2, "t2"),
    ("B", "D", 600, 3, "t3"),
    ("C", "D", 400, 4, "t4"),
    ("D", "E", 900, 5, "t5"),
    ("A", "X", 50, -1, "before"),
    ("E", "F", 900, 500, "late"),
]


@pytest.fixture
def index():
    frame = pd.DataFrame(ROWS, columns=["src", "dst", "amount", "at", "transfer_id"])
    return TransferIndex(frame)


def test_money_is_followed_through_splits_and_merges(index):
    trace = trace_funds(index, "t0", window=100).to_dict()
    traced = {e["id"]: e["traced"] for e in trace["edges"]}
    assert traced == {"t0": 1000, "t1": 600, "t2": 400, "t3": 600, "t4": 400, "t5": 900}
    assert trace["terminals"] == {
        "E": {"amount": 900, "reason": "stayed"},
        "D": {"amount": 100, "reason": "stayed"},
    }


def test_transfers_before_the_money_arrived_are_not_followed(index):
    trace = trace_funds(index, "t0", window=100).to_dict()
    assert "before" not in {e["id"] for e in trace["edges"]}


def test_transfers_after_the_window_are_not_followed(index):
    assert "late" not in {
        e["id"] for e in trace_funds(index, "t0", window=100).to_dict()["edges"]
    }
    assert "late" in {
        e["id"] for e in trace_funds(index, "t0", window=1000).to_dict()["edges"]
    }


def test_hop_limit_stops_the_trace_and_names_where(index):
    trace = trace_funds(index, "t0", max_hops=2, window=100).to_dict()
    assert trace["hops"] == 2
    assert trace["terminals"]["B"] == {"amount": 600, "reason": "hop_limit"}


def test_unknown_transfer_is_a_clear_error(index):
    with pytest.raises(NotFoundError, match="not in the graph"):
        trace_funds(index, "nope")
