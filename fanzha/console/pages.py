"""Pages of the web console, registered the way a plugin registers a detector.

A page is one JavaScript file that calls ``fanzha.registerPage({id, title,
render(el, api)})`` in the browser. Python only records where the file lives and
where the page sits in the navigation; the shell fetches ``/console/pages.json``,
loads each script and builds the navigation from it. A feature adds a page by
calling :func:`register_page` from a module listed in
``fanzha.plugins.DEFAULT_PLUGINS``, without touching the shell.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

STATIC_DIR = Path(__file__).resolve().parent / "static"
"""Folder of the console's own HTML, CSS, JavaScript and vendored libraries."""

PAGES_DIR = STATIC_DIR / "pages"
"""Default folder of page scripts."""

_PAGE_ID = re.compile(r"^[a-z][a-z0-9_-]{0,39}$")

_PAGES: dict[str, ConsolePage] = {}


@dataclass(frozen=True)
class ConsolePage:
    """One page of the console.

    Parameters
    ----------
    id
        Short lowercase name, used in the address (``/#/<id>``) and as the
        ``id`` the script passes to ``fanzha.registerPage``.
    title
        The label shown in the navigation.
    script
        File name of the page's JavaScript, relative to ``directory``.
    nav_order
        Position in the navigation; lower comes first.
    directory
        Folder holding ``script``; by default the console's ``static/pages``.
        A feature package may ship its page script in its own folder.
    """

    id: str
    title: str
    script: str
    nav_order: int = 100
    directory: Path = field(default=PAGES_DIR)

    def __post_init__(self) -> None:
        if not _PAGE_ID.match(self.id):
            raise ValueError(
                f"console page id {self.id!r} must be 1-40 lowercase letters, "
                "digits, '-' or '_', starting with a letter"
            )
        if not self.script.endswith(".js"):
            raise ValueError(f"console page {self.id!r}: script must be a .js file")

    @property
    def script_path(self) -> Path:
        """Absolute path of the page's JavaScript file."""
        return self.directory / self.script

    @property
    def script_url(self) -> str:
        """Address under which the console serves the script."""
        return f"/console/pages/{self.id}.js"

    def as_json(self) -> dict[str, Any]:
        """The page as listed in ``/console/pages.json``."""
        return {
            "id": self.id,
            "title": self.title,
            "script": self.script_url,
            "nav_order": self.nav_order,
        }


def register_page(page: ConsolePage) -> ConsolePage:
    """Add ``page`` to the console, replacing any page with the same id.

    Raises
    ------
    FileNotFoundError
        If the page's script does not exist, so a typo fails at import time
        rather than as a blank page in the browser.
    """
    if not page.script_path.is_file():
        raise FileNotFoundError(
            f"console page {page.id!r}: script {page.script_path} does not exist"
        )
    _PAGES[page.id] = page
    return page


def unregister_page(page_id: str) -> None:
    """Remove the page called ``page_id``; unknown ids are ignored."""
    _PAGES.pop(page_id, None)


def console_pages() -> list[ConsolePage]:
    """Every registered page in navigation order, after loading the plugins."""
    from fanzha.plugins import load_plugins

    load_plugins()
    return sorted(_PAGES.values(), key=lambda p: (p.nav_order, p.title, p.id))


def console_page(page_id: str) -> ConsolePage | None:
    """The registered page called ``page_id``, or None."""
    from fanzha.plugins import load_plugins

    load_plugins()
    return _PAGES.get(page_id)


register_page(ConsolePage("dashboard", "Dashboard", "dashboard.js", nav_order=0))
register_page(ConsolePage("score-text", "Score text", "score_text.js", nav_order=20))
register_page(ConsolePage("verdicts", "Verdicts", "verdicts.js", nav_order=30))
