"""One JSON error body for every error the API returns.

Every error, whatever raised it, leaves as::

    {"error": {"code": "invalid", "message": "...", "details": [...]}}

``code`` is stable and machine-readable, ``message`` is a sentence for people,
``details`` lists the fields at fault (``{"field", "message", "type"}``) where
there are any.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from starlette.exceptions import HTTPException as StarletteHTTPException

from fanzha import errors

logger = logging.getLogger(__name__)

# Most specific class first: the first match decides the status.
STATUS_BY_ERROR: tuple[tuple[type[errors.FanzhaError], int], ...] = (
    (errors.ValidationError, 422),
    (errors.UnknownKindError, 422),
    (errors.UnsupportedFormatError, 415),
    (errors.InputError, 400),
    (errors.NotFoundError, 404),
    (errors.ConflictError, 409),
    (errors.PermissionDeniedError, 403),
    (errors.AuthError, 401),
    (errors.MissingDependencyError, 501),
    (errors.ModelError, 503),
    (errors.StorageError, 503),
    (errors.FanzhaError, 400),
)

CODE_BY_STATUS = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    406: "not_acceptable",
    409: "conflict",
    413: "payload_too_large",
    415: "unsupported_media_type",
    422: "invalid",
    429: "too_many_requests",
}


class ErrorDetail(BaseModel):
    """One field at fault."""

    field: str
    message: str
    type: str | None = None


class ErrorInfo(BaseModel):
    """What went wrong: a stable code, a sentence and the fields at fault."""

    code: str
    message: str
    details: list[ErrorDetail] = []


class ErrorBody(BaseModel):
    """The body of every error response."""

    error: ErrorInfo


ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    status: {"model": ErrorBody, "description": description}
    for status, description in {
        400: "Malformed JSON or URL",
        401: "Missing, unknown or revoked API key",
        403: "The key's role may not do this",
        404: "Not found",
        409: "Clashes with the current state",
        413: "Body larger than max_body_bytes",
        422: "Invalid field (wrong type, unknown field, invalid entity)",
    }.items()
}
"""OpenAPI description of the error answers every ``/v1`` route may give."""


def error_body(
    code: str, message: str, details: list[dict[str, Any]] | None = None
) -> dict[str, Any]:
    """Return the canonical error body."""
    return {"error": {"code": code, "message": message, "details": details or []}}


def error_response(
    status: int,
    code: str,
    message: str,
    details: list[dict[str, Any]] | None = None,
    headers: Mapping[str, str] | None = None,
) -> JSONResponse:
    """Return a ``JSONResponse`` carrying the canonical error body."""
    return JSONResponse(error_body(code, message, details), status, headers=headers)


def status_of(exc: errors.FanzhaError) -> int:
    """Return the HTTP status of a fanzha error class."""
    return next(status for cls, status in STATUS_BY_ERROR if isinstance(exc, cls))


async def _fanzha_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, errors.FanzhaError)
    status = status_of(exc)
    record = getattr(exc, "record", None)
    details = (
        [{"field": str(record), "message": str(exc), "type": exc.code}]
        if (record is not None)
        else []
    )
    headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
    if status >= 500:
        logger.error("request failed path=%s error=%s", request.url.path, exc)
    return error_response(status, exc.code, str(exc), details, headers)


async def _validation_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    problems = list(exc.errors())
    if any(p.get("type") == "json_invalid" for p in problems):
        where = problems[0].get("ctx", {}).get("error", "")
        return error_response(
            400, "malformed_json", f"the request body is not valid JSON: {where}"
        )
    details = [_detail(p) for p in problems]
    summary = "; ".join(f"{d['field']}: {d['message']}" for d in details[:3])
    return error_response(422, "invalid", f"the request is invalid: {summary}", details)


def _detail(problem: dict[str, Any]) -> dict[str, Any]:
    loc = [str(part) for part in problem.get("loc", ())]
    if loc and loc[0] in {"body", "query", "path", "header"} and len(loc) > 1:
        loc = loc[1:] if loc[0] == "body" else loc
    message = str(problem.get("msg", "invalid value")).removeprefix("Value error, ")
    if problem.get("type") == "extra_forbidden":
        message = "unknown field; remove it"
    return {"field": ".".join(loc), "message": message, "type": problem.get("type")}


async def _http_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    code = CODE_BY_STATUS.get(exc.status_code, "http_error")
    message = exc.detail if isinstance(exc.detail, str) else code.replace("_", " ")
    if exc.status_code == 404 and message == "Not Found":
        message = f"nothing at {request.url.path}; see /docs for the routes"
    if exc.status_code == 400 and "parsing the body" in message:
        code, message = "malformed_json", "the request body could not be parsed as JSON"
    return error_response(exc.status_code, code, message, headers=exc.headers)


async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
    logger.exception("unexpected error path=%s", request.url.path, exc_info=exc)
    return error_response(
        500, "internal", "the server failed unexpectedly; see its log and report a bug"
    )


def install_error_handlers(app: FastAPI) -> None:
    """Route every exception through the canonical error body."""
    app.add_exception_handler(errors.FanzhaError, _fanzha_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(Exception, _unexpected)
