from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from fanzha.api.app import create_app
from fanzha.settings import load_settings
from fanzha.storage import RelationIn, ReportIn, Store

CARD = "4111111111111111"


@pytest.fixture
def client(tmp_path) -> Iterator[tuple[TestClient, dict[str, str], Store]]:
    store = Store(f"sqlite:///{tmp_path / 'g.db'}")
    store.upgrade()
    key = store.create_api_key("analyst-key", "analyst")[1]
    viewer = store.create_api_key("viewer-key", "viewer")[1]
    settings = load_settings(overrides={"data_dir": str(tmp_path)}, environ={})
    with TestClient(create_app(settings, store=store, upgrade=False)) as test_client:
        yield test_client, {"analyst": key, "viewer": viewer}, store
    store.close()


def _auth(key):
    return {"Authorization": f"Bearer {key}"}


def _seed(store):
    card = {"type": "bank_card", "value": CARD}
    for loss in (100, 250):
        store.add_report(ReportIn(loss_amount=loss, entities=[card]), actor="t")
    acct = [{"type": "account", "value": v} for v in ("V", "A", "B")]
    store.add_relations(
        [
            RelationIn(
                src=acct[0],
                dst=acct[1],
                kind="transfer",
                amount=90,
                at="2026-01-01T00:00:00Z",
            ),
            RelationIn(
                src=acct[1],
                dst=acct[2],
                kind="transfer",
                amount=90,
                at="2026-01-01T01:00:00Z",
            ),
        ],
        actor="t",
    )


def test_gangs_route_lists_and_draws_a_gang(client):
    test_client, keys, store = client
    _seed(store)
    listing = test_client.get("/v1/graph/gangs", headers=_auth(keys["analyst"]))
    assert listing.status_code == 200, listing.text
    gang = listing.json()["gangs"][0]
    assert gang["total_loss"] == 350
    assert gang["entities"]["bank_card"][0]["value"] != CARD

    one = test_client.get(
        f"/v1/graph/gangs/{gang['gang_id']}", headers=_auth(keys["analyst"])
    )
    assert one.status_code == 200
    assert {n["kind"] for n in one.json()["graph"]["nodes"]} == {"report", "bank_card"}
    case = test_client.post(
        f"/v1/graph/gangs/{gang['gang_id']}/case", headers=_auth(keys["analyst"])
    )
    assert case.status_code == 201, case.text
    assert sorted(case.json()["report_ids"]) == [1, 2]
    missing = test_client.get(
        "/v1/graph/gangs/gang-nope", headers=_auth(keys["analyst"])
    )
    assert missing.status_code == 404


def test_trace_and_neighbourhood_routes(client):
    test_client, keys, store = client
    _seed(store)
    trace = test_client.get(
        "/v1/graph/trace", params={"transfer_id": "1"}, headers=_auth(keys["analyst"])
    )
    assert trace.status_code == 200, trace.text
    assert trace.json()["terminals"] == {"B": {"amount": 90.0, "reason": "stayed"}}

    hood = test_client.get(
        "/v1/graph/neighbourhood",
        params={"type": "account", "value": "A"},
        headers=_auth(keys["analyst"]),
    )
    assert len(hood.json()["relations"]) == 2


def test_graph_routes_need_the_analyst_role(client):
    test_client, keys, _ = client
    response = test_client.get("/v1/graph/gangs", headers=_auth(keys["viewer"]))
    assert response.status_code == 403


def test_mule_scoring_stores_verdicts_for_risky_accounts(client):
    test_client, keys, store = client
    _seed(store)
    response = test_client.post(
        "/v1/graph/mules/score",
        params={"min_risk": 0.0},
        headers=_auth(keys["analyst"]),
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["flagged"] == 3
    assert {v["item_id"] for v in body["verdicts"]} == {"V", "A", "B"}
    stored = store.list_verdicts(kind="graph")
    assert stored["total"] == 3


def test_gangs_are_recomputed_only_when_reports_arrive(client, monkeypatch):
    from fanzha.api.routes import graph as graph_routes

    test_client, keys, store = client
    _seed(store)
    calls = []
    real = graph_routes._discover
    monkeypatch.setattr(
        graph_routes, "_discover", lambda *a: calls.append(1) or real(*a)
    )
    first = test_client.get("/v1/graph/gangs", headers=_auth(keys["analyst"])).json()
    again = test_client.get("/v1/graph/gangs", headers=_auth(keys["analyst"])).json()
    assert again == first and len(calls) == 1

    card = {"type": "bank_card", "value": CARD}
    store.add_report(ReportIn(loss_amount=50, entities=[card]), actor="t")
    after = test_client.get("/v1/graph/gangs", headers=_auth(keys["analyst"])).json()
    assert len(calls) == 2 and after["gangs"][0]["total_loss"] == 400


def test_gangs_show_the_verdict_risk_of_their_entities(client):
    from fanzha.storage import EntityRef as StoredRef
    from fanzha.verdict import Verdict

    test_client, keys, store = client
    _seed(store)
    first = test_client.get("/v1/graph/gangs", headers=_auth(keys["analyst"]))
    card = first.json()["gangs"][0]
    assert card["flagged"] == 0 and card["entities"]["bank_card"][0]["risk"] is None
    verdict = Verdict(
        risk=0.95, label="fraud", detector="t", model_version="1", item_id=CARD
    )
    store.add_verdicts(
        [verdict],
        kind="graph",
        entities=[StoredRef(type="bank_card", value=CARD)],
    )
    later = test_client.get("/v1/graph/gangs", headers=_auth(keys["analyst"]))
    gang = later.json()["gangs"][0]
    assert gang["flagged"] == 1 and gang["max_risk"] == 0.95
    assert gang["entities"]["bank_card"][0]["risk"] == 0.95
