from __future__ import annotations

from fanzha.graph.entity_graph import EntityGraph
from fanzha.graph.records import EntityRef
from fanzha.graph.store_source import StoreFeed
from fanzha.storage import EntityRef as StoredRef
from fanzha.storage import RelationIn, ReportIn, Store
from fanzha.verdict import Verdict


def _acct(value):
    return {"type": "account", "value": value}


def test_relations_going_back_in_time_are_quarantined_in_later_batches():
    graph = EntityGraph()
    graph.add_relations(
        [
            {
                "id": "1",
                "kind": "transfer",
                "src": _acct("A"),
                "dst": _acct("B"),
                "amount": 5,
                "at": 10,
            }
        ]
    )
    later = graph.add_relations(
        [
            {
                "id": "2",
                "kind": "transfer",
                "src": _acct("B"),
                "dst": _acct("C"),
                "amount": 5,
                "at": 4,
            },
            {
                "id": "3",
                "kind": "transfer",
                "src": _acct("B"),
                "dst": _acct("C"),
                "amount": 5,
                "at": 12,
            },
        ]
    )
    assert [r.relation_id for r in later.rows] == ["3"]
    assert later.quarantine[0].record == "2"
    assert "back in time" in later.quarantine[0].reason


def test_unknown_relation_kinds_and_negative_amounts_are_quarantined():
    graph = EntityGraph()
    result = graph.add_relations(
        [
            {
                "id": "1",
                "kind": "teleport",
                "src": _acct("A"),
                "dst": _acct("B"),
                "at": 1,
            },
            {
                "id": "2",
                "kind": "transfer",
                "src": _acct("A"),
                "dst": _acct("B"),
                "amount": -1,
                "at": 1,
            },
            {
                "id": "3",
                "kind": "call",
                "src": {"type": "phone", "value": "13812345678"},
                "dst": {"type": "phone", "value": "13912345678"},
                "amount": 30,
                "at": 1,
            },
        ]
    )
    assert [q.record for q in result.quarantine] == ["1", "2"]
    assert graph.transfers().empty and len(graph.relations) == 1


def test_neighbourhood_lists_reports_and_relations_of_an_entity():
    graph = EntityGraph()
    graph.add_reports(
        [
            {
                "report_id": "r1",
                "loss": 5,
                "entities": [{"type": "account", "value": "A"}],
            }
        ]
    )
    graph.add_relations(
        [
            {
                "id": "1",
                "kind": "transfer",
                "src": _acct("A"),
                "dst": _acct("B"),
                "amount": 5,
                "at": 1,
            }
        ]
    )
    hood = graph.neighbourhood(EntityRef("account", "A"))
    assert [r["report_id"] for r in hood["reports"]] == ["r1"]
    assert hood["relations"][0]["dst"] == {
        "type": "account",
        "value": "B",
        "risk": None,
    }


def test_store_feed_appends_only_what_is_new():
    store = Store("sqlite://")
    store.upgrade()
    phone = {"type": "phone", "value": "138 1234 5678"}
    store.add_report(ReportIn(loss_amount=10, entities=[phone]), actor="t")
    feed = StoreFeed(store)
    assert feed.sync() == {
        "reports": 1,
        "relations": 0,
        "verdicts": 0,
        "quarantined": 0,
    }

    store.add_report(ReportIn(loss_amount=20, entities=[phone]), actor="t")
    store.add_relations(
        [RelationIn(src=_acct("A1"), dst=_acct("A2"), kind="transfer", amount=5.0)],
        actor="t",
    )
    assert feed.sync() == {
        "reports": 1,
        "relations": 1,
        "verdicts": 0,
        "quarantined": 0,
    }
    assert len(feed.graph.reports) == 2
    assert feed.graph.transfers()["src"].tolist() == ["A1"]


def _verdict(risk, detector="number-risk"):
    return Verdict(
        risk=risk, label="fraud", detector=detector, model_version="t", item_id="x"
    )


def test_store_feed_attaches_entity_verdicts_once_each():
    store = Store("sqlite://")
    store.upgrade()
    phone = StoredRef(type="phone", value="13812345678")
    store.add_report(ReportIn(loss_amount=10, entities=[phone.model_dump()]), actor="t")
    feed = StoreFeed(store)
    feed.sync()
    store.add_verdicts([_verdict(0.4)], kind="calls", entities=[phone])
    store.add_verdicts([_verdict(0.9, "text-model")], kind="text", entities=[None])
    assert feed.sync()["verdicts"] == 1
    assert feed.graph.risk_of(EntityRef("phone", "+8613812345678")) == 0.4
    store.add_verdicts([_verdict(0.8)], kind="calls", entities=[phone])
    assert feed.sync()["verdicts"] == 1
    assert feed.sync()["verdicts"] == 0
    assert feed.graph.risk_of(EntityRef("phone", "+8613812345678")) == 0.8


def test_verdicts_keep_the_latest_per_detector_and_bad_ones_are_quarantined():
    graph = EntityGraph()
    a = _acct("A")
    result = graph.add_verdicts(
        [
            {"entity": a, "detector": "graph-mule", "risk": 0.9, "label": "mule"},
            {"entity": a, "detector": "graph-mule", "risk": 0.2, "label": "normal"},
            {"entity": a, "detector": "other", "risk": 0.3, "label": "normal"},
            {"id": "v4", "entity": a, "detector": "x", "risk": 1.5, "label": "?"},
            {"id": "v5", "entity": a, "risk": 0.5, "label": "fraud"},
            {"id": "v6", "entity": "A", "detector": "x", "risk": 0.5, "label": "?"},
        ]
    )
    assert [q.record for q in result.quarantine] == ["v4", "v5", "v6"]
    assert graph.risk_of(EntityRef("account", "A")) == 0.3
    assert graph.risk_of(EntityRef("account", "B")) is None
    hood = graph.neighbourhood(EntityRef("account", "A"))
    assert hood["risk"] == 0.3
    assert {v["detector"] for v in hood["verdicts"]} == {"graph-mule", "other"}
