from __future__ import annotations

import fanzha.storage
from fanzha.demo import DEMO_KEY, load_demo


def test_when_demo_loads_twice_on_either_backend_then_once_only(store, monkeypatch):
    monkeypatch.delenv("FANZHA_DEMO_KEY", raising=False)
    first = load_demo(store)
    second = load_demo(store)

    assert (first["loaded"], second["loaded"]) == (True, False)
    assert first["counts"] == second["counts"]
    assert store.authenticate(DEMO_KEY).role == "admin"
    statuses = {e["status"] for e in store.list_blacklist()["items"]}
    assert statuses == {"reported", "marked", "recycled"}
    assert sum(d["count"] for d in store.stats()["reports_per_day"]) == 7


def test_demo_reports_hold_one_gang_for_the_console(store):
    from fanzha.graph.gangs import GangParams
    from fanzha.graph.service import find_gangs
    from fanzha.graph.store_source import StoreFeed

    load_demo(store)
    feed = StoreFeed(store)
    feed.sync()
    result = find_gangs(list(feed.graph.reports.values()), GangParams(), 2)
    assert [len(g.reports) for g in result.gangs] == [3]
    assert result.gangs[0].total_loss == 48000 + 20000 + 15000


def test_when_demo_key_is_set_in_environment_then_that_key_is_used(store, monkeypatch):
    monkeypatch.setenv("FANZHA_DEMO_KEY", "my-own-demo-key")
    assert load_demo(store)["key"] == "my-own-demo-key"
    assert store.authenticate("my-own-demo-key").name == "demo-admin"


def test_storage_all_is_sorted_and_importable():
    assert fanzha.storage.__all__ == sorted(fanzha.storage.__all__)
    assert all(getattr(fanzha.storage, n) is not None for n in fanzha.storage.__all__)
