"""Dependencies of the route handlers: settings, store and the caller's role.

A caller sends its API key as ``Authorization: Bearer <key>`` or ``X-API-Key:
<key>``. Roles rank ``viewer`` < ``reporter`` < ``analyst`` < ``admin``; a route
that requires a role admits that role and every role above it, so ``admin`` may
do everything.

Dependencies that only read app state are ``async`` so that FastAPI runs them on
the event loop instead of handing each to a worker thread; only the key lookup,
which reads the store, runs in a thread.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Annotated

from fastapi import Depends, Path, Query, Request, Security
from fastapi.security import APIKeyHeader, HTTPAuthorizationCredentials, HTTPBearer

from fanzha.errors import AuthError, PermissionDeniedError
from fanzha.settings import Settings
from fanzha.storage import ROLES, Principal, Store

_bearer = HTTPBearer(auto_error=False, description="API key as a bearer token")
_header = APIKeyHeader(name="X-API-Key", auto_error=False, description="API key")

MAX_ID = 2**31 - 1
IdPath = Annotated[int, Path(ge=1, le=MAX_ID, description="row id")]
Limit = Annotated[int, Query(ge=1, le=500, description="most rows to return")]
Offset = Annotated[int, Query(ge=0, le=10_000_000, description="rows to skip")]


async def get_settings(request: Request) -> Settings:
    """Return the settings the app was created with."""
    settings: Settings = request.app.state.settings
    return settings


async def get_store(request: Request) -> Store:
    """Return the app's ``Store``."""
    store: Store = request.app.state.store
    return store


def authenticate(
    request: Request,
    bearer: Annotated[HTTPAuthorizationCredentials | None, Security(_bearer)],
    header_key: Annotated[str | None, Security(_header)],
    store: Annotated[Store, Depends(get_store)],
) -> Principal:
    """Return the caller behind the API key; ``AuthError`` if none or wrong."""
    raw = bearer.credentials if bearer is not None else header_key
    if not raw:
        raise AuthError(
            "an API key is required: send 'Authorization: Bearer <key>' or "
            "'X-API-Key: <key>' (create one with: fanzha keys create NAME --role ROLE)"
        )
    principal = store.authenticate(raw.strip())
    request.state.principal = principal
    return principal


def require_role(*roles: str) -> Callable[..., Awaitable[Principal]]:
    """Return a dependency admitting ``roles`` and every role above the lowest.

    The dependency returns the caller's ``Principal``. With no roles, any valid
    key is admitted.
    """
    unknown = [r for r in roles if r not in ROLES]
    if unknown:
        raise ValueError(f"unknown roles {unknown}; use {ROLES}")
    lowest = min(roles, key=ROLES.index) if roles else ROLES[0]

    async def dependency(
        principal: Annotated[Principal, Depends(authenticate)],
    ) -> Principal:
        if not principal.can(lowest):
            raise PermissionDeniedError(
                f"the key {principal.name!r} has role {principal.role}; this needs "
                f"{lowest} or above"
            )
        return principal

    return dependency


StoreDep = Annotated[Store, Depends(get_store)]
SettingsDep = Annotated[Settings, Depends(get_settings)]
Viewer = Annotated[Principal, Depends(require_role("viewer"))]
Reporter = Annotated[Principal, Depends(require_role("reporter"))]
Analyst = Annotated[Principal, Depends(require_role("analyst"))]
Admin = Annotated[Principal, Depends(require_role("admin"))]
