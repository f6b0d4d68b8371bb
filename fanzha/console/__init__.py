"""The web console: a static single-page shell served by the API process.

The console holds no server-side logic. It is plain HTML, CSS and JavaScript
(Chart.js vendored, no CDN, no build step) that signs in with an API key and
talks to the REST API under ``/v1`` like any other client. The key lives in the
browser's ``sessionStorage`` and travels only in the ``Authorization`` header.

:func:`mount_console` adds these routes to a FastAPI app:

- ``GET /``: the HTML shell;
- ``GET /console/static/...``: the shell's CSS, JavaScript and vendored files;
- ``GET /console/pages.json``: the registered pages, in navigation order;
- ``GET /console/pages/<id>.js``: each page's script.

Pages plug in through :func:`fanzha.console.pages.register_page`.
"""

from __future__ import annotations

import logging

from fastapi import FastAPI, HTTPException
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles

from fanzha.console.pages import (
    STATIC_DIR,
    ConsolePage,
    console_page,
    console_pages,
    register_page,
)

__all__ = ["ConsolePage", "console_pages", "mount_console", "register_page"]

logger = logging.getLogger(__name__)

CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; "
    "img-src 'self' data:; connect-src 'self'; object-src 'none'; "
    "base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
)
"""Lets the shell load only what this server serves: no CDN, no inline code."""

_SHELL_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "Cache-Control": "no-cache",
    "Referrer-Policy": "no-referrer",
    "X-Content-Type-Options": "nosniff",
}


def mount_console(app: FastAPI) -> None:
    """Serve the console at ``/`` of ``app``.

    Parameters
    ----------
    app
        The FastAPI application that also serves the REST API under ``/v1``.
    """
    app.add_api_route("/", _shell, methods=["GET"], include_in_schema=False)
    app.add_api_route(
        "/console/pages.json", _pages_json, methods=["GET"], include_in_schema=False
    )
    app.add_api_route(
        "/console/pages/{page_id}.js",
        _page_script,
        methods=["GET"],
        include_in_schema=False,
    )
    app.mount(
        "/console/static", StaticFiles(directory=STATIC_DIR), name="console-static"
    )
    logger.info("console mounted path=/ static=%s", STATIC_DIR)


async def _shell() -> HTMLResponse:
    html = (STATIC_DIR / "index.html").read_text(encoding="utf-8")
    return HTMLResponse(html, headers=_SHELL_HEADERS)


async def _pages_json() -> JSONResponse:
    pages = [page.as_json() for page in console_pages()]
    return JSONResponse(pages, headers={"Cache-Control": "no-cache"})


async def _page_script(page_id: str) -> Response:
    page = console_page(page_id)
    if page is None:
        raise HTTPException(404, f"no console page called {page_id!r}")
    return FileResponse(
        page.script_path,
        media_type="text/javascript",
        headers={"Cache-Control": "no-cache"},
    )
