"""The FastAPI application: ``/healthz``, ``/v1/...`` routes, docs and the console."""

from __future__ import annotations

import gc
import importlib
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

import fanzha.console
from fanzha import __version__
from fanzha.api.errors import ERROR_RESPONSES, install_error_handlers
from fanzha.api.limits import BodyLimitMiddleware
from fanzha.api.routes import ROUTE_MODULES
from fanzha.errors import MissingDependencyError
from fanzha.settings import Settings, load_settings
from fanzha.storage import Store

logger = logging.getLogger(__name__)

DESCRIPTION = (
    "REST API of fanzha (反诈). Authenticate with an API key in "
    "`Authorization: Bearer <key>` or `X-API-Key`. Every error has the body "
    '`{"error": {"code", "message", "details"}}`.'
)


def create_app(
    settings: Settings | None = None, store: Store | None = None, upgrade: bool = True
) -> FastAPI:
    """Build the API (and console) over a store.

    Parameters
    ----------
    settings
        Resolved settings; default: ``load_settings()`` (environment and config).
    store
        The store to serve; default: one at ``settings.resolved_database_url``.
    upgrade
        Apply pending migrations before serving.
    """
    settings = settings or load_settings()
    store = store or Store(settings.resolved_database_url)
    if upgrade:
        store.upgrade()

    app = FastAPI(
        title="fanzha", version=__version__, description=DESCRIPTION, lifespan=_lifespan
    )
    app.state.settings = settings
    app.state.store = store
    install_error_handlers(app)
    app.add_middleware(BodyLimitMiddleware, max_bytes=int(settings.max_body_bytes))
    app.add_api_route("/healthz", _healthz, methods=["GET"], tags=["system"])
    _mount_routes(app)

    if hasattr(fanzha.console, "mount_console"):
        fanzha.console.mount_console(app)
    return app


@asynccontextmanager
async def _lifespan(app: FastAPI) -> AsyncIterator[None]:
    # What is alive once the server starts (modules, routes) lives as long as
    # the process; frozen, the collector stops walking it on every full
    # collection, which otherwise stalls a request for tens of milliseconds.
    gc.collect()
    gc.freeze()
    yield


def _mount_routes(app: FastAPI) -> None:
    for name in ROUTE_MODULES:
        try:
            module = importlib.import_module(name)
        except MissingDependencyError as exc:
            logger.warning("routes skipped module=%s reason=%s", name, exc)
            continue
        app.include_router(module.router, prefix="/v1", responses=ERROR_RESPONSES)


def _healthz(request: Request) -> JSONResponse:
    """Report the version and whether the store answers with a current schema."""
    store: Store = request.app.state.store
    status = store.status()
    body = {
        "status": "ok" if status["ok"] else "degraded",
        "version": __version__,
        "store": status,
    }
    return JSONResponse(body, status_code=200 if status["ok"] else 503)
