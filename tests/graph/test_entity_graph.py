from __future__ import annotations

from fanzha.graph.entity_graph import EntityGraph
from fanzha.graph.records import EntityRef
from fanzha.graph.store_source import StoreFeed
from fanzha.storage import RelationIn, ReportIn, Store


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
    assert hood["relations"][0]["dst"] == {"type": "account", "value": "B"}


def test_store_feed_appends_only_what_is_new():
    store = Store("sqlite://")
    store.upgrade()
    phone = {"type": "phone", "value": "138 1234 5678"}
    store.add_report(ReportIn(loss_amount=10, entities=[phone]), actor="t")
    feed = StoreFeed(store)
    assert feed.sync() == {"reports": 1, "relations": 0, "quarantined": 0}

    store.add_report(ReportIn(loss_amount=20, entities=[phone]), actor="t")
    store.add_relations(
        [RelationIn(src=_acct("A1"), dst=_acct("A2"), kind="transfer", amount=5.0)],
        actor="t",
    )
    assert feed.sync() == {"reports": 1, "relations": 1, "quarantined": 0}
    assert len(feed.graph.reports) == 2
    assert feed.graph.transfers()["src"].tolist() == ["A1"]
