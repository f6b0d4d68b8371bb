from __future__ import annotations

import numpy as np

from fanzha.entities import luhn_valid, normalize_phone
from fanzha.graph.records import clean_reports
from fanzha.graph.simulator import SimParams, simulate_reports, to_records


def test_same_seed_gives_the_same_reports():
    a = simulate_reports(SimParams(n_reports=300, seed=5))
    b = simulate_reports(SimParams(n_reports=300, seed=5))
    assert np.array_equal(a.truth, b.truth)
    assert np.array_equal(a.incidence.entity_index, b.incidence.entity_index)


def test_simulated_values_are_valid_and_already_normal():
    sim = simulate_reports(SimParams(n_reports=300))
    inc = sim.incidence
    cards = inc.entity_values[inc.entity_types == "bank_card"]
    phones = inc.entity_values[inc.entity_types == "phone"]
    assert all(luhn_valid(c) for c in cards)
    assert all(normalize_phone(p) == p for p in phones[:50])
    cleaned = clean_reports(to_records(inc))
    assert cleaned.quarantine == [] and len(cleaned.rows) == 300


def test_decoys_are_named_across_many_gangs():
    sim = simulate_reports(SimParams(n_reports=2000, p_decoy=0.5))
    inc = sim.incidence
    ips = np.flatnonzero(inc.entity_types == "ip")
    gangs_per_ip = [
        len(set(sim.truth[inc.report_index[inc.entity_index == e]])) for e in ips
    ]
    assert min(gangs_per_ip) >= 5
