from __future__ import annotations

import pytest

from fanzha.graph.records import EntityRef, clean_reports, clean_transfers

CARD = "6222 0200 0000 0000 006"


def _report(**changes):
    base = {
        "report_id": "r1",
        "loss": 100.0,
        "at": 10.0,
        "entities": [{"type": "phone", "value": "138 1234 5678"}],
    }
    return {**base, **changes}


def test_when_report_is_valid_then_entities_are_normalised():
    result = clean_reports([_report()])
    assert result.quarantine == []
    assert result.rows[0].entities == [EntityRef("phone", "+8613812345678")]


@pytest.mark.parametrize(
    ("entity", "reason"),
    [
        ({"type": "spaceship", "value": "x"}, "unknown entity type"),
        ({"type": "bank_card", "value": "4111 1111 1111 1112"}, "Luhn"),
        ({"type": "phone", "value": "12"}, "phone"),
    ],
)
def test_when_one_entity_is_bad_then_it_is_quarantined_and_the_rest_kept(
    entity, reason
):
    good = {"type": "bank_card", "value": "4111 1111 1111 1111"}
    result = clean_reports([_report(entities=[good, entity])])
    assert [e.type for e in result.rows[0].entities] == ["bank_card"]
    assert len(result.quarantine) == 1
    assert result.quarantine[0].record == "r1"
    assert reason in result.quarantine[0].reason


@pytest.mark.parametrize(
    "bad",
    [
        _report(loss=-1),
        _report(entities=[{"type": "ip", "value": "999.1.1.1"}]),
        _report(at="yesterday"),
    ],
)
def test_when_report_is_unusable_then_quarantined_and_neighbours_processed(bad):
    result = clean_reports([bad, _report(report_id="r2")])
    assert [r.report_id for r in result.rows] == ["r2"]
    assert result.quarantine[-1].record == "r1"


@pytest.mark.parametrize(
    ("row", "reason"),
    [
        ({"src": "A", "dst": "B", "amount": -5, "at": 1}, "positive"),
        ({"src": "A", "dst": "B", "amount": 0, "at": 1}, "positive"),
        ({"src": "A", "dst": "", "amount": 5, "at": 1}, "src and dst"),
        ({"src": "A", "dst": "B", "amount": "ten", "at": 1}, "not a number"),
        ({"src": "A", "dst": "B", "amount": 5, "at": 0}, "back in time"),
    ],
)
def test_when_transfer_is_bad_then_quarantined_with_its_line(row, reason):
    good = {"src": "A", "dst": "B", "amount": 5, "at": 3}
    result = clean_transfers([good, row], not_before=2)
    assert len(result.rows) == 1
    assert result.quarantine[0].record == "line-2"
    assert reason in result.quarantine[0].reason


def test_iso_times_are_read_as_epoch_seconds():
    result = clean_transfers(
        [{"src": "A", "dst": "B", "amount": 1, "at": "2026-01-01T00:00:00+00:00"}]
    )
    assert result.rows[0].at == pytest.approx(1767225600.0)
