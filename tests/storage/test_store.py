from __future__ import annotations

import hashlib

import pytest
from pydantic import ValidationError as PydanticValidationError
from sqlalchemy import select

from fanzha.errors import AuthError, ConflictError, NotFoundError, ValidationError
from fanzha.storage import (
    AlertIn,
    BlacklistIn,
    CaseIn,
    EntityRef,
    RelationIn,
    ReportIn,
    SampleIn,
)
from fanzha.storage.workflow_models import ApiKey
from fanzha.verdict import Evidence, Verdict


def _report(*entities: tuple[str, str], loss: float | None = None) -> ReportIn:
    return ReportIn(
        description="caller claimed to be a courier",
        loss_amount=loss,
        entities=[{"type": t, "value": v} for t, v in entities],
    )


def _verdict(label: str = "fraud", risk: float = 0.9, item: str = "sms-1") -> Verdict:
    return Verdict(
        risk=risk,
        label=label,
        scenario="phishing" if label == "fraud" else None,
        evidence=[Evidence(kind="keyword", name="安全账户", weight=1.4, span=(3, 7))],
        detector="text-lexicon",
        model_version="text-lexicon@1",
        item_id=item,
    )


def test_when_two_reports_name_one_phone_in_two_spellings_then_one_entity(store):
    first = store.add_report(_report(("phone", "138 0013 8000")))
    second = store.add_report(
        _report(("phone", "+86 13800138000"), ("url", "HTTP://X.Example/a"))
    )

    assert first["entities"][0]["entity_id"] == second["entities"][0]["entity_id"]
    assert second["entities"][0]["value"] == "+8613800138000"
    assert second["entities"][1]["value"] == "http://x.example/a"
    assert store.list_entities()["total"] == 2
    assert store.list_reports(entity_id=first["entities"][0]["entity_id"])["total"] == 2


@pytest.mark.parametrize(
    ("entity", "field"),
    [
        ({"type": "phone", "value": "12"}, ("entities", 0, "value")),
        (
            {"type": "bank_card", "value": "6222020000000000017"},
            ("entities", 0, "value"),
        ),
        ({"type": "spaceship", "value": "x"}, ("entities", 0, "type")),
        ({"type": "url", "value": "http://"}, ("entities", 0, "value")),
    ],
)
def test_when_report_names_an_invalid_entity_then_error_names_the_field(entity, field):
    with pytest.raises(PydanticValidationError) as caught:
        ReportIn(entities=[entity])
    assert caught.value.errors()[0]["loc"] == field


def test_when_valid_card_is_a_near_miss_of_an_invalid_one_then_accepted():
    report = ReportIn(
        entities=[{"type": "bank_card", "value": "6222 0200 0000 0000 018"}]
    )
    assert report.entities[0].value == "6222020000000000018"


def test_when_verdicts_stored_then_filters_find_them_with_entity(store):
    refs = [EntityRef(type="phone", value="13800138000"), None]
    ids = store.add_verdicts(
        [_verdict(), _verdict("normal", 0.1, "sms-2")], kind="text", entities=refs
    )

    assert len(ids) == 2
    fraud = store.list_verdicts(detector="text-lexicon", label="fraud")["items"]
    assert [v["id"] for v in fraud] == [ids[0]]
    assert fraud[0]["evidence"][0]["name"] == "安全账户"
    assert fraud[0]["entity_id"] == store.find_entity("phone", "13800138000")["id"]
    assert store.list_verdicts(kind="calls")["total"] == 0
    assert store.list_verdicts(min_risk=0.5)["total"] == 1


def test_when_entity_refs_do_not_align_with_verdicts_then_refused(store):
    with pytest.raises(ValidationError, match="one ref"):
        store.add_verdicts([_verdict()], kind="text", entities=[])
    assert store.list_verdicts()["total"] == 0


ALLOWED = [
    (["marked"], "marked"),
    (["recycled"], "recycled"),
    (["marked", "appealed"], "appealed"),
    (["marked", "appealed", "marked"], "marked"),
    (["marked", "appealed", "recycled"], "recycled"),
    (["marked", "recycled"], "recycled"),
]
REFUSED = [
    ([], "appealed"),
    (["marked"], "marked"),
    (["recycled"], "marked"),
    (["recycled"], "appealed"),
    (["marked", "appealed"], "appealed"),
    ([], "reported"),
]


def _blacklisted(store, value: str = "13800138000") -> dict:
    entry = BlacklistIn(
        entity={"type": "phone", "value": value}, reason="3 reports", confidence=0.8
    )
    return store.report_to_blacklist(entry, actor="alice")


@pytest.mark.parametrize(("steps", "final"), ALLOWED)
def test_when_lifecycle_step_is_allowed_then_entry_moves(store, steps, final):
    entry = _blacklisted(store)
    for step in steps:
        entry = store.transition_blacklist(entry["id"], step, actor="bob")
    assert entry["status"] == final


@pytest.mark.parametrize(("steps", "wrong"), REFUSED)
def test_when_lifecycle_step_is_wrong_then_conflict_and_status_kept(
    store, steps, wrong
):
    entry = _blacklisted(store)
    for step in steps:
        entry = store.transition_blacklist(entry["id"], step)
    with pytest.raises(ConflictError, match="cannot become"):
        store.transition_blacklist(entry["id"], wrong)
    assert store.get_blacklist_entry(entry["id"])["status"] == entry["status"]


def test_when_entity_already_open_on_blacklist_then_second_report_conflicts(store):
    entry = _blacklisted(store)
    with pytest.raises(ConflictError, match="already on the blacklist"):
        _blacklisted(store, "+86 138 0013 8000")

    store.transition_blacklist(entry["id"], "recycled")
    again = _blacklisted(store)
    assert again["id"] != entry["id"]
    assert store.check_blacklist("phone", "13800138000")["id"] == again["id"]


def test_when_key_created_then_only_its_hash_is_stored(store):
    record, raw = store.create_api_key("bank-a", "reporter")

    with store.session() as session:
        row = session.scalar(select(ApiKey).where(ApiKey.name == "bank-a"))
        stored = [str(getattr(row, c.key)) for c in ApiKey.__table__.columns]
    assert raw not in stored
    assert row.key_hash == hashlib.sha256(raw.encode()).hexdigest()
    assert "key_hash" not in record
    assert store.authenticate(raw).role == "reporter"


def test_when_key_wrong_or_revoked_then_authentication_fails(store):
    _, raw = store.create_api_key("bank-b", "viewer")
    with pytest.raises(AuthError):
        store.authenticate(raw + "x")

    store.revoke_api_key("bank-b")
    with pytest.raises(AuthError, match="revoked"):
        store.authenticate(raw)


def test_when_key_name_taken_or_role_unknown_then_refused(store):
    store.create_api_key("ops", "admin")
    with pytest.raises(ConflictError):
        store.create_api_key("ops", "viewer")
    with pytest.raises(ValidationError, match="unknown role"):
        store.create_api_key("other", "root")


def test_when_writes_happen_then_audit_keeps_actor_before_and_after(store):
    entry = _blacklisted(store)
    store.transition_blacklist(entry["id"], "marked", "confirmed", actor="bob")

    rows = store.list_audit(object_type="blacklist_entry")["items"]
    assert [r["action"] for r in rows] == ["blacklist.marked", "blacklist.report"]
    marked, reported = rows
    assert (marked["actor"], reported["actor"]) == ("bob", "alice")
    assert marked["before"]["status"] == "reported"
    assert marked["after"]["status"] == "marked"
    assert marked["after"]["reason"] == "confirmed"
    assert reported["before"] is None


def test_when_case_links_unknown_alert_then_nothing_is_stored(store):
    report = store.add_report(_report(("qq", "10001")))
    with pytest.raises(NotFoundError, match="alert 999"):
        store.create_case(
            CaseIn(title="gang", alert_ids=[999], report_ids=[report["id"]])
        )
    assert store.list_cases()["total"] == 0


def test_when_case_created_then_it_lists_its_alerts_and_reports(store):
    report = store.add_report(_report(("qq", "10001")))
    alert = store.create_alert(
        AlertIn(
            title="burst of calls",
            severity="high",
            entity={"type": "qq", "value": "10001"},
        )
    )
    case = store.create_case(
        CaseIn(
            title="gang",
            alert_ids=[alert["id"], alert["id"]],
            report_ids=[report["id"]],
        )
    )
    assert (case["alert_ids"], case["report_ids"]) == ([alert["id"]], [report["id"]])
    assert store.get_case(case["id"])["status"] == "open"


def test_when_stats_asked_then_counts_and_30_days_of_reports(store):
    store.add_report(_report(("phone", "13800138000"), loss=100))
    store.add_verdicts([_verdict(), _verdict("normal", 0.2)], kind="text")

    stats = store.stats()
    assert stats["counts"]["reports"] == 1
    assert stats["counts"]["entities"] == 1
    assert stats["verdicts_by_label"] == {"fraud": 1, "normal": 1}
    assert len(stats["reports_per_day"]) == 30
    assert stats["reports_per_day"][-1]["count"] == 1
    assert sum(d["count"] for d in stats["reports_per_day"]) == 1


def test_when_relations_added_then_graph_helper_can_read_them(store):
    edge = RelationIn(
        src={"type": "bank_card", "value": "6222020000000000018"},
        dst={"type": "bank_card", "value": "6222020000000000026"},
        kind="transfer",
        amount=5000.0,
    )
    ids = store.add_relations([edge, edge.model_copy(update={"kind": "call"})])
    src = store.find_entity("bank_card", "6222020000000000018")
    assert store.list_relations(kind="transfer")["items"][0]["id"] == ids[0]
    assert store.list_relations(entity_id=src["id"])["total"] == 2


def test_when_samples_and_quarantine_written_then_listed(store):
    ids = store.add_samples(
        [
            SampleIn(
                kind="url",
                label="phishing",
                brand="ICBC",
                content={"url": "http://a.example"},
            )
        ]
    )
    store.review_sample(ids[0], "approved")
    assert store.list_samples(review_status="approved")["items"][0]["brand"] == "ICBC"

    store.quarantine(
        "upload.csv", 7, "phone '12' is not a phone number", "12,fraud\x00"
    )
    row = store.list_quarantine(source="upload.csv")["items"][0]
    assert (row["line"], row["raw"]) == (7, "12,fraud\\x00")
