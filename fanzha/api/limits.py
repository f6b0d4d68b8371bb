"""ASGI middleware: refuse oversize bodies and NUL bytes, log one line per request."""

from __future__ import annotations

import logging
import time
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from fanzha.api.errors import error_response

logger = logging.getLogger(__name__)


class BodyLimitMiddleware:
    """Read the body first and refuse it with 413 once it passes ``max_bytes``.

    The declared ``Content-Length`` is checked before reading; the bytes that
    actually arrive are counted too, so a chunked or lying client is stopped as
    well. The checked body is then replayed to the application.
    """

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Check and forward one request."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status: dict[str, int] = {}

        async def send_logged(message: Message) -> None:
            if message["type"] == "http.response.start":
                status["code"] = message["status"]
            await send(message)

        refusal = self._check_head(scope)
        body = b"" if refusal else await self._read(receive)
        if body is None:
            refusal = self._too_large()
        if refusal is not None:
            await refusal(scope, receive, send_logged)
        else:
            await self.app(scope, _replay(body or b"", receive), send_logged)
        logger.info(
            "request method=%s path=%s status=%s ms=%.1f",
            scope["method"],
            scope["path"],
            status.get("code"),
            (time.perf_counter() - started) * 1000,
        )

    def _check_head(self, scope: Scope) -> Any:
        if b"%00" in scope.get("query_string", b"") or "\x00" in scope["path"]:
            return error_response(
                400, "bad_request", "the URL must not contain NUL characters"
            )
        declared = dict(scope["headers"]).get(b"content-length")
        if declared is None:
            return None
        if not declared.strip().isdigit():
            return error_response(
                400, "bad_request", "the Content-Length header is not a number"
            )
        return self._too_large() if int(declared) > self.max_bytes else None

    def _too_large(self) -> Any:
        return error_response(
            413,
            "payload_too_large",
            f"the request body is larger than {self.max_bytes} bytes; "
            "send fewer items per request",
        )

    async def _read(self, receive: Receive) -> bytes | None:
        """Return the whole body, or ``None`` once it passes the limit."""
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] != "http.request":
                break
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.max_bytes:
                return None
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        return b"".join(chunks)


def _replay(body: bytes, receive: Receive) -> Receive:
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return replay
