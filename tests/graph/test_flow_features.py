from __future__ import annotations

import pandas as pd
import pytest

from fanzha.graph.flow_features import FEATURES, flow_features


def _tx(rows):
    return pd.DataFrame(rows, columns=["src", "dst", "amount", "at"])


def test_pass_through_account_forwards_what_it_receives():
    tx = _tx(
        [
            ("p1", "M", 300, 1),
            ("p2", "M", 300, 2),
            ("M", "boss", 280, 3),
            ("M", "boss2", 290, 4),
            ("x", "y", 300, 1),
            ("y", "z", 100, 1),
        ]
    )
    feats = flow_features(tx)
    assert list(feats.columns) == list(FEATURES)
    assert feats.loc["M", "pass_through"] == pytest.approx(570 / 600)
    assert feats.loc["M", "in_parties"] == 2
    assert feats.loc["M", "forward_share"] == 1.0
    assert feats.loc["M", "in_out_delay"] == 1.5
    assert feats.loc["p1", "pass_through"] == 0.0


def test_small_transfers_are_measured_against_the_graph_median():
    tx = _tx(
        [("a", "b", 400, 1), ("b", "c", 400, 2), ("c", "d", 400, 3), ("d", "e", 20, 4)]
    )
    feats = flow_features(tx)
    assert feats.loc["d", "small_count"] == 1
    assert feats.loc["e", "small_count"] == 1
    assert feats.loc["a", "small_count"] == 0
    assert feats.loc["c", "nbr_small_count"] == 1


def test_cycles_and_repeats_are_counted():
    tx = _tx(
        [
            ("a", "b", 100, 1),
            ("b", "c", 100, 2),
            ("c", "a", 100, 3),
            ("a", "b", 100, 4),
            ("b", "a", 50, 5),
        ]
    )
    feats = flow_features(tx)
    assert feats.loc["a", "triangles"] == 1
    assert feats.loc["a", "reciprocal"] == 1
    assert feats.loc["a", "max_pair_count"] == 2


def test_counterparties_that_deal_with_each_other_close_triads():
    # a pays b and c, and c pays b: one triangle whatever the directions;
    # d only pays a, whose counterparties include the triangle.
    tx = _tx(
        [
            ("a", "b", 300, 1),
            ("a", "c", 300, 2),
            ("c", "b", 300, 3),
            ("d", "a", 300, 4),
            ("x", "y", 300, 1),
        ]
    )
    feats = flow_features(tx)
    assert feats.loc["a", "triads"] == 1
    assert feats.loc["a", "clustering"] == pytest.approx(1 / 3)
    assert feats.loc["b", "clustering"] == 1.0
    assert feats.loc["d", "triads"] == 0
    assert feats.loc["d", "nbr_clustering_max"] == pytest.approx(1 / 3)
    assert feats.loc["x", ["triads", "clustering", "nbr_clustering_max"]].sum() == 0


def test_accounts_without_transfers_get_zero_flows():
    feats = flow_features(_tx([("a", "b", 100, 1)]), pd.Index(["a", "b", "ghost"]))
    flows = [
        "in_count",
        "out_count",
        "in_log_sum",
        "out_log_sum",
        "small_count",
        "pass_through",
        "triangles",
        "triads",
        "clustering",
        "nbr_small_count",
        "repeat_share",
    ]
    assert feats.loc["ghost", flows].abs().sum() == 0
    assert feats.loc["b", "in_count"] == 1


def test_when_ring_member_sent_nothing_small_then_its_ties_to_the_ring_count():
    # r1 -> r2 -> r3 move small sums; m trades ordinary sums with r1 and r3
    # (money in from the ring, out to it); o trades with one ring member only.
    tx = _tx(
        [
            ("r1", "r2", 20, 5),
            ("r2", "r3", 20, 6),
            ("r3", "m", 400, 7),
            ("m", "r1", 400, 8),
            ("o", "r2", 400, 2),
            ("x", "y", 400, 1),
            ("y", "z", 400, 2),
        ]
    )
    feats = flow_features(tx)
    assert feats.loc["m", "small_count"] == 0
    assert feats.loc["m", "group_ties"] == 2
    assert feats.loc["m", "group_bridges"] == 1
    assert feats.loc["o", "group_ties"] == 1
    assert feats.loc["o", "group_bridges"] == 0
    assert feats.loc["y", ["group_ties", "group_bridges"]].sum() == 0


def test_when_only_one_account_is_asked_then_its_neighbours_still_count():
    tx = _tx([("a", "b", 400, 1), ("b", "a", 400, 2), ("c", "b", 20, 3)])
    whole = flow_features(tx)
    alone = flow_features(tx, pd.Index(["b"]))
    assert list(alone.index) == ["b"]
    assert alone.loc["b", "reciprocal"] == 1
    pd.testing.assert_series_equal(alone.loc["b"], whole.loc["b"])
