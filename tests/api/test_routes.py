"""The /v1 routes: reads, writes, roles and the audit trail behind every write."""

from __future__ import annotations

import pytest

from fanzha import __version__
from fanzha.verdict import Verdict

PHONE = {"type": "phone", "value": "138 0013 8000"}


def _report(api, role: str = "reporter", **extra) -> dict:
    body = {
        "description": "冒充客服退款",
        "loss_amount": 1200,
        "entities": [PHONE],
        **extra,
    }
    response = api.client.post("/v1/reports", headers=api.headers(role), json=body)
    assert response.status_code == 201, response.text
    return response.json()


def test_when_health_checked_without_key_then_version_and_store_status(api):
    body = api.client.get("/healthz").json()
    assert body["version"] == __version__
    assert body["store"]["ok"] is True
    assert body["store"]["revision"] == body["store"]["head"]


def test_when_docs_asked_then_openapi_lists_the_v1_routes(api):
    spec = api.client.get("/openapi.json").json()
    assert {"/v1/reports", "/v1/blacklist/{entry_id}/mark", "/v1/stats"} <= set(
        spec["paths"]
    )
    assert api.client.get("/docs").status_code == 200


@pytest.mark.parametrize("header", ["Authorization", "X-API-Key"])
def test_when_key_sent_in_either_header_then_me_names_it(api, header):
    key = api.keys["analyst"]
    value = f"Bearer {key}" if header == "Authorization" else key
    response = api.client.get("/v1/me", headers={header: value})
    assert response.json() == {"name": "analyst-key", "role": "analyst"}


def test_when_report_posted_then_readable_and_audited_with_key_name(api):
    report = _report(api)
    assert report["entities"][0]["value"] == "+8613800138000"
    assert report["entities"][0]["display"] != "+8613800138000"

    got = api.client.get(f"/v1/reports/{report['id']}", headers=api.headers("viewer"))
    assert got.json() == report
    listed = api.client.get("/v1/reports", headers=api.headers("viewer")).json()
    assert [r["id"] for r in listed["items"]] == [report["id"]]

    audit = api.client.get("/v1/audit?object_type=report", headers=api.headers()).json()
    row = audit["items"][0]
    assert (row["actor"], row["action"], row["object_id"]) == (
        "reporter-key",
        "report.create",
        str(report["id"]),
    )
    assert row["before"] is None
    assert row["after"]["loss_amount"] == 1200


def test_when_blacklist_walks_its_lifecycle_then_each_step_audited(api):
    created = api.client.post(
        "/v1/blacklist",
        headers=api.headers("reporter"),
        json={"entity": PHONE, "reason": "3 victims", "confidence": 0.9},
    )
    assert created.status_code == 201
    entry_id = created.json()["id"]
    steps = [
        ("mark", "analyst", "marked"),
        ("appeal", "reporter", "appealed"),
        ("mark", "analyst", "marked"),
        ("recycle", "analyst", "recycled"),
    ]
    for step, role, status in steps:
        response = api.client.post(
            f"/v1/blacklist/{entry_id}/{step}",
            headers=api.headers(role),
            json={"reason": step},
        )
        assert response.json()["status"] == status

    rows = api.client.get(
        "/v1/audit?object_type=blacklist_entry", headers=api.headers()
    ).json()["items"]
    assert [r["action"] for r in rows] == [
        "blacklist.recycled",
        "blacklist.marked",
        "blacklist.appealed",
        "blacklist.marked",
        "blacklist.report",
    ]
    assert rows[0]["before"]["status"] == "marked"
    assert rows[0]["after"]["status"] == "recycled"


def test_when_lifecycle_step_is_wrong_then_409_and_entry_unchanged(api):
    entry = api.client.post(
        "/v1/blacklist", headers=api.headers(), json={"entity": PHONE}
    ).json()
    response = api.client.post(
        f"/v1/blacklist/{entry['id']}/appeal", headers=api.headers()
    )
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "conflict"
    check = api.client.get("/v1/blacklist/check", params=PHONE, headers=api.headers())
    assert check.json()["status"] == "reported"

    again = api.client.post(
        "/v1/blacklist", headers=api.headers(), json={"entity": PHONE}
    )
    assert again.status_code == 409


@pytest.mark.parametrize(
    ("role", "status"),
    [("viewer", 403), ("reporter", 403), ("analyst", 200), ("admin", 200)],
)
def test_when_marking_then_only_analyst_and_above_may(api, role, status):
    entry = api.client.post(
        "/v1/blacklist", headers=api.headers(), json={"entity": PHONE}
    ).json()
    response = api.client.post(
        f"/v1/blacklist/{entry['id']}/mark", headers=api.headers(role)
    )
    assert response.status_code == status


def test_when_alert_and_case_created_then_linked_and_updatable(api):
    report = _report(api)
    alert = api.client.post(
        "/v1/alerts",
        headers=api.headers("analyst"),
        json={
            "title": "many reports on one number",
            "severity": "high",
            "entity": PHONE,
        },
    ).json()
    case = api.client.post(
        "/v1/cases",
        headers=api.headers("analyst"),
        json={
            "title": "refund gang",
            "alert_ids": [alert["id"]],
            "report_ids": [report["id"]],
        },
    ).json()
    assert (case["alert_ids"], case["report_ids"]) == ([alert["id"]], [report["id"]])

    closed = api.client.patch(
        f"/v1/alerts/{alert['id']}",
        headers=api.headers("analyst"),
        json={"status": "closed"},
    )
    assert closed.json()["status"] == "closed"
    bad = api.client.patch(
        f"/v1/cases/{case['id']}",
        headers=api.headers("analyst"),
        json={"status": "archived"},
    )
    assert bad.status_code == 422
    missing = api.client.post(
        "/v1/cases",
        headers=api.headers("analyst"),
        json={"title": "x", "alert_ids": [9999]},
    )
    assert missing.status_code == 404


def test_when_verdicts_stored_by_a_feature_then_api_filters_them(api):
    verdict = Verdict(risk=0.95, label="fraud", detector="calls-cdr", model_version="1")
    api.store.add_verdicts([verdict], kind="calls", entities=None)
    api.store.add_verdicts(
        [verdict.model_copy(update={"detector": "text-lexicon"})], kind="text"
    )

    got = api.client.get(
        "/v1/verdicts", params={"kind": "calls"}, headers=api.headers("viewer")
    ).json()
    assert [v["detector"] for v in got["items"]] == ["calls-cdr"]
    assert got["total"] == 1


def test_when_stats_asked_then_counts_labels_and_daily_reports(api):
    _report(api)
    stats = api.client.get("/v1/stats", headers=api.headers("viewer")).json()
    assert stats["counts"]["reports"] == 1
    assert stats["counts"]["entities"] == 1
    assert len(stats["reports_per_day"]) == 30
    assert stats["reports_per_day"][-1]["count"] == 1


def test_when_entity_looked_up_by_raw_value_then_found_with_blacklist_state(api):
    _report(api)
    found = api.client.get(
        "/v1/entities/lookup",
        params={"type": "phone", "value": "+86 138-0013-8000"},
        headers=api.headers("viewer"),
    )
    assert found.json()["value"] == "+8613800138000"
    assert found.json()["blacklist"] is None
    near_miss = api.client.get(
        "/v1/entities/lookup",
        params={"type": "phone", "value": "13800138001"},
        headers=api.headers("viewer"),
    )
    assert near_miss.status_code == 404


def test_when_batch_mixes_valid_and_invalid_reports_then_valid_ones_survive(api):
    good = {"description": "ok", "entities": [PHONE]}
    batch = [
        good,
        {"entities": [{"type": "phone", "value": "12"}]},
        "not a report",
        {**good, "extra": 1},
        good,
    ]

    response = api.client.post(
        "/v1/reports/batch", headers=api.headers("reporter"), json={"reports": batch}
    )

    assert response.status_code == 200, response.text
    body = response.json()
    assert len(body["stored"]) == 2
    assert [r["index"] for r in body["rejected"]] == [1, 2, 3]
    assert body["rejected"][0]["errors"][0]["field"] == "entities.0.value"
    quarantined = api.store.list_quarantine(source="api:reporter-key")["items"]
    assert sorted(q["line"] for q in quarantined) == [1, 2, 3]
    assert api.store.stats()["counts"]["reports"] == 2


def test_when_batch_holds_undecodable_text_then_it_is_quarantined_escaped(api):
    body = b'{"reports": [{"entities": [{"type": "account", "value": "\\udfff"}]}]}'
    response = api.client.post(
        "/v1/reports/batch",
        content=body,
        headers={**api.headers(), "Content-Type": "application/json"},
    )
    assert response.status_code == 200, response.text
    assert response.json()["stored"] == []
    row = api.store.list_quarantine()["items"][0]
    assert "\\udfff" in row["raw"]


def test_when_store_not_migrated_then_health_degraded_and_routes_say_503(tmp_path):
    from fastapi.testclient import TestClient

    from fanzha.api.app import create_app
    from fanzha.settings import load_settings
    from fanzha.storage import Store

    store = Store(f"sqlite:///{tmp_path / 'empty.db'}")
    app = create_app(load_settings(environ={}), store=store, upgrade=False)
    client = TestClient(app)

    health = client.get("/healthz")
    assert health.status_code == 503
    assert health.json()["status"] == "degraded"
    me = client.get("/v1/me", headers={"X-API-Key": "fz_anything"})
    assert me.status_code == 503
    assert "fanzha db upgrade" in me.json()["error"]["message"]


def test_when_route_asks_for_unknown_role_then_refused_at_import():
    from fanzha.api.deps import require_role

    with pytest.raises(ValueError, match="unknown roles"):
        require_role("superuser")
