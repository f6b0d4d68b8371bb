"""The console's page registry: how features plug pages into the shell."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from fanzha.console.pages import (
    PAGES_DIR,
    ConsolePage,
    console_page,
    console_pages,
    register_page,
    unregister_page,
)


@pytest.fixture
def feature_page(tmp_path: Path) -> Iterator[ConsolePage]:
    script = tmp_path / "watchlist.js"
    script.write_text('fanzha.registerPage({id: "watchlist", title: "Watchlist"});')
    page = register_page(
        ConsolePage(
            "watchlist", "Watchlist", "watchlist.js", nav_order=25, directory=tmp_path
        )
    )
    yield page
    unregister_page("watchlist")


def test_builtin_pages_are_registered_with_scripts_in_the_package():
    ids = ["dashboard", "score-text", "verdicts"]
    builtin = [page for page in console_pages() if page.id in ids]

    assert [page.id for page in builtin] == ids
    for page in builtin:
        assert page.script_path.parent == PAGES_DIR
        assert page.script_path.is_file()


def test_when_a_feature_registers_a_page_then_it_is_served_without_shell_edits(
    client, feature_page
):
    pages = client.get("/console/pages.json").json()
    script = client.get("/console/pages/watchlist.js")

    listed = [p["id"] for p in pages]
    assert listed.index("watchlist") == listed.index("score-text") + 1  # 20 < 25 < 30
    page = pages[listed.index("watchlist")]
    assert (page["title"], page["nav_order"]) == ("Watchlist", 25)
    assert script.status_code == 200
    assert "registerPage" in script.text


def test_when_a_page_is_unregistered_then_it_leaves_navigation(client, feature_page):
    unregister_page("watchlist")

    assert console_page("watchlist") is None
    assert client.get("/console/pages/watchlist.js").status_code == 404
    assert "watchlist" not in [
        p["id"] for p in client.get("/console/pages.json").json()
    ]


def test_registering_the_same_id_again_replaces_the_page(feature_page):
    folder = feature_page.directory
    register_page(ConsolePage("watchlist", "Gang map", "watchlist.js", 5, folder))

    assert console_page("watchlist").title == "Gang map"
    assert [p.id for p in console_pages()].count("watchlist") == 1


def test_when_the_script_is_missing_then_registration_fails_at_import_time(tmp_path):
    with pytest.raises(FileNotFoundError, match="nothere.js"):
        register_page(ConsolePage("ghost", "Ghost", "nothere.js", directory=tmp_path))

    assert console_page("ghost") is None


@pytest.mark.parametrize(
    ("page_id", "script"),
    [
        ("Dashboard", "x.js"),  # upper case
        ("../etc", "x.js"),  # path characters
        ("", "x.js"),
        ("9lives", "x.js"),  # must start with a letter
        ("a" * 41, "x.js"),
        ("ok", "x.py"),  # not JavaScript
    ],
)
def test_when_a_page_is_malformed_then_it_is_refused(page_id, script):
    with pytest.raises(ValueError):
        ConsolePage(page_id, "Title", script)


@pytest.mark.parametrize("page_id", ["a", "url-pages", "text_scoring", "a" * 40])
def test_well_formed_page_ids_are_accepted(page_id):
    assert ConsolePage(page_id, "Title", "x.js").script_url.endswith(f"/{page_id}.js")
