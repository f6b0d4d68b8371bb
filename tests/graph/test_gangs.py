from __future__ import annotations

import numpy as np
import pytest
from sklearn.metrics import adjusted_rand_score

from fanzha.graph.gangs import GangParams, discover, gang_labels
from fanzha.graph.incidence import Incidence
from fanzha.graph.records import clean_reports
from fanzha.graph.service import find_gangs
from fanzha.graph.simulator import SimParams, simulate_reports

CARD_A = "4111111111111111"
CARD_B = "5500005555555559"


def _incidence(reports):
    return Incidence.from_reports(clean_reports(reports).rows)


def _rep(rid, *entities, loss=100.0, at=0.0):
    return {
        "report_id": rid,
        "loss": loss,
        "at": at,
        "victim": f"v-{rid}",
        "entities": [{"type": t, "value": v} for t, v in entities],
    }


def test_when_reports_share_a_card_then_they_form_one_gang():
    labels = gang_labels(
        _incidence(
            [
                _rep("a", ("bank_card", CARD_A)),
                _rep("b", ("bank_card", CARD_A)),
                _rep("c", ("bank_card", CARD_B)),
            ]
        )
    )
    assert labels[0] == labels[1] != labels[2]


def test_when_a_public_ip_spans_many_groups_then_it_does_not_merge_them():
    # Ten two-report gangs, each tied by its own card; every report also
    # names the same public IP.
    cards = [
        "4111111111111111",
        "5500005555555559",
        "4012888888881881",
        "378282246310005",
        "6011111111111117",
        "3530111333300000",
        "5105105105105100",
        "4222222222222",
        "6011000990139424",
        "371449635398431",
    ]
    reports = [
        _rep(f"{i}-{k}", ("bank_card", card), ("ip", "8.8.8.8"))
        for i, card in enumerate(cards)
        for k in range(2)
    ]
    labels, public = discover(_incidence(reports))
    assert adjusted_rand_score(np.repeat(np.arange(10), 2), labels) == 1.0
    assert public.sum() == 1


def test_when_reports_share_nothing_then_each_stands_alone():
    labels = gang_labels(
        _incidence(
            [_rep("a", ("phone", "13812345678")), _rep("b", ("phone", "13912345678"))]
        )
    )
    assert labels[0] != labels[1]


@pytest.mark.parametrize("seed", [0, 4])
def test_simulated_gangs_are_recovered_at_the_documented_noise(seed):
    sim = simulate_reports(SimParams(seed=seed))
    labels = gang_labels(sim.incidence)
    assert adjusted_rand_score(sim.truth, labels) >= 0.9


def test_same_input_and_seed_give_the_same_gangs():
    sim = simulate_reports(SimParams(n_reports=500, n_gangs=20))
    first = gang_labels(sim.incidence, GangParams(seed=3))
    again = gang_labels(sim.incidence, GangParams(seed=3))
    assert np.array_equal(first, again)


def test_leidenalg_engine_agrees_with_the_default():
    sim = simulate_reports(SimParams(n_reports=500, n_gangs=20))
    ours = gang_labels(sim.incidence)
    other = gang_labels(sim.incidence, GangParams(engine="leidenalg"))
    assert adjusted_rand_score(ours, other) > 0.9


def test_gangs_are_ranked_by_total_loss_with_masked_numbers():
    result = find_gangs(
        [
            _rep("a", ("phone", "13812345678"), loss=10),
            _rep("b", ("phone", "13812345678"), loss=10),
            _rep("c", ("bank_card", CARD_A), loss=500, at=5),
            _rep("d", ("bank_card", CARD_A), loss=700, at=2),
        ]
    )
    first, second = result.to_dict()["gangs"]
    assert first["total_loss"] == 1200 and first["rank"] == 1
    assert [t["report_id"] for t in first["timeline"]] == ["d", "c"]
    assert first["entities"]["bank_card"][0]["value"] != CARD_A
    assert second["entities"]["phone"][0]["value"] == "+86138******78"
    assert second["n_victims"] == 2


def test_bad_reports_are_quarantined_and_the_rest_grouped():
    result = find_gangs(
        [
            _rep("a", ("bank_card", CARD_A)),
            _rep("b", ("bank_card", CARD_A)),
            _rep("bad", ("bank_card", "4111111111111112")),
            {**_rep("neg", ("bank_card", CARD_A)), "loss": -3},
        ]
    )
    assert result.n_reports == 2
    assert {q.record for q in result.quarantine} == {"bad", "neg"}
    assert result.gangs[0].reports == ["a", "b"]


def test_when_two_phones_use_one_device_then_their_reports_join():
    from fanzha.graph.entity_graph import EntityGraph

    graph = EntityGraph()
    graph.add_reports(
        [
            _rep("a", ("phone", "13812345678")),
            _rep("b", ("phone", "13912345678")),
            _rep("c", ("phone", "13712345678")),
        ]
    )
    device = {"type": "device", "value": "imei-86000001"}
    graph.add_relations(
        [
            {
                "id": str(i),
                "kind": "uses_device",
                "at": i,
                "src": {"type": "phone", "value": phone},
                "dst": device,
            }
            for i, phone in enumerate(["13812345678", "13912345678"])
        ]
    )
    labels = gang_labels(graph.incidence())
    assert labels[0] == labels[1] != labels[2]
