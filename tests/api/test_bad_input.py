"""Every bad request gets the right 4xx and the one canonical error body."""

from __future__ import annotations

import json

import pytest

JSON = {"Content-Type": "application/json"}
PHONE = {"type": "phone", "value": "13800138000"}
GOOD_REPORT = {"description": "refund scam", "entities": [PHONE]}


def _body(value: object) -> bytes:
    return value if isinstance(value, bytes) else json.dumps(value).encode()


# (case id, method, path, body, key role or None or "wrong", status, code, field)
CASES = [
    (
        "malformed json",
        "POST",
        "/v1/reports",
        b'{"entities": [',
        "admin",
        400,
        "malformed_json",
        None,
    ),
    (
        "deeply nested json",
        "POST",
        "/v1/reports",
        b"[" * 15_000,
        "admin",
        400,
        "malformed_json",
        None,
    ),
    (
        "body not an object",
        "POST",
        "/v1/reports",
        b"[1, 2]",
        "admin",
        422,
        "invalid",
        "body",
    ),
    (
        "wrong type",
        "POST",
        "/v1/reports",
        {**GOOD_REPORT, "loss_amount": "lots"},
        "admin",
        422,
        "invalid",
        "loss_amount",
    ),
    (
        "unknown field",
        "POST",
        "/v1/reports",
        {**GOOD_REPORT, "victim_age": 70},
        "admin",
        422,
        "invalid",
        "victim_age",
    ),
    (
        "unknown nested field",
        "POST",
        "/v1/reports",
        {"entities": [{**PHONE, "colour": "red"}]},
        "admin",
        422,
        "invalid",
        "entities.0.colour",
    ),
    (
        "invalid phone",
        "POST",
        "/v1/reports",
        {"entities": [PHONE, {"type": "phone", "value": "12"}]},
        "admin",
        422,
        "invalid",
        "entities.1.value",
    ),
    (
        "card failing luhn",
        "POST",
        "/v1/reports",
        {"entities": [{"type": "bank_card", "value": "6222020000000000017"}]},
        "admin",
        422,
        "invalid",
        "entities.0.value",
    ),
    (
        "no entities",
        "POST",
        "/v1/reports",
        {"entities": []},
        "admin",
        422,
        "invalid",
        "entities",
    ),
    (
        "nan loss",
        "POST",
        "/v1/reports",
        b'{"loss_amount": NaN, "entities": [{"type": "qq", "value": "1"}]}',
        "admin",
        422,
        "invalid",
        "loss_amount",
    ),
    (
        "nul character",
        "POST",
        "/v1/reports",
        {"description": "a\u0000b", "entities": [PHONE]},
        "admin",
        422,
        "invalid",
        "body",
    ),
    (
        "lone surrogate",
        "POST",
        "/v1/reports",
        b'{"description": "\\ud800", "entities": [{"type": "qq", "value": "1"}]}',
        "admin",
        422,
        "invalid",
        "description",
    ),
    (
        "unknown scenario",
        "POST",
        "/v1/reports",
        {**GOOD_REPORT, "scenario": "aliens"},
        "admin",
        422,
        "invalid",
        "scenario",
    ),
    (
        "oversize body",
        "POST",
        "/v1/reports",
        {**GOOD_REPORT, "description": "x" * 30_000},
        "admin",
        413,
        "payload_too_large",
        None,
    ),
    (
        "missing key",
        "POST",
        "/v1/reports",
        GOOD_REPORT,
        None,
        401,
        "unauthorized",
        None,
    ),
    (
        "wrong key",
        "POST",
        "/v1/reports",
        GOOD_REPORT,
        "wrong",
        401,
        "unauthorized",
        None,
    ),
    (
        "role too low to write",
        "POST",
        "/v1/reports",
        GOOD_REPORT,
        "viewer",
        403,
        "forbidden",
        None,
    ),
    (
        "role too low for audit",
        "GET",
        "/v1/audit",
        None,
        "analyst",
        403,
        "forbidden",
        None,
    ),
    (
        "id too large",
        "GET",
        "/v1/reports/99999999999",
        None,
        "admin",
        422,
        "invalid",
        "path.report_id",
    ),
    (
        "id not a number",
        "GET",
        "/v1/reports/abc",
        None,
        "admin",
        422,
        "invalid",
        "path.report_id",
    ),
    (
        "limit out of range",
        "GET",
        "/v1/reports?limit=100000",
        None,
        "admin",
        422,
        "invalid",
        "query.limit",
    ),
    (
        "nul in query",
        "GET",
        "/v1/entities/lookup?type=url&value=%00",
        None,
        "admin",
        400,
        "bad_request",
        None,
    ),
    (
        "missing report",
        "GET",
        "/v1/reports/424242",
        None,
        "admin",
        404,
        "not_found",
        None,
    ),
    ("unknown route", "GET", "/v1/nothing-here", None, "admin", 404, "not_found", None),
    (
        "wrong method",
        "DELETE",
        "/v1/reports",
        None,
        "admin",
        405,
        "method_not_allowed",
        None,
    ),
    (
        "bad blacklist status filter",
        "GET",
        "/v1/blacklist?status=gone",
        None,
        "admin",
        422,
        "invalid",
        "query.status",
    ),
]


@pytest.mark.parametrize(
    ("method", "path", "body", "role", "status", "code", "field"),
    [pytest.param(*case[1:], id=case[0]) for case in CASES],
)
def test_when_request_is_bad_then_right_status_and_canonical_body(
    api, method, path, body, role, status, code, field
):
    headers = dict(JSON)
    if role == "wrong":
        headers["X-API-Key"] = "fz_not-a-real-key"
    elif role is not None:
        headers.update(api.headers(role))

    response = api.client.request(
        method, path, headers=headers, content=None if body is None else _body(body)
    )

    assert response.status_code == status, response.text
    error = response.json()["error"]
    assert set(response.json()) == {"error"}
    assert set(error) == {"code", "message", "details"}
    assert error["code"] == code
    assert error["message"]
    if field is not None:
        assert field in [d["field"] for d in error["details"]]


def test_when_bad_requests_arrive_then_nothing_is_stored(api):
    for case in CASES:
        if case[1] == "POST" and case[4] == "admin":
            api.client.post(
                case[2], headers={**JSON, **api.headers()}, content=_body(case[3])
            )
    assert api.store.stats()["counts"]["reports"] == 0


def test_when_body_streams_past_limit_without_length_then_413(api):
    def chunks():
        for _ in range(30):
            yield b" " * 1000

    response = api.client.post(
        "/v1/reports", headers={**JSON, **api.headers()}, content=chunks()
    )
    assert response.status_code == 413
    assert response.json()["error"]["code"] == "payload_too_large"


def test_when_body_is_just_under_limit_then_accepted(api):
    limit = api.client.app.state.settings.max_body_bytes
    report = {**GOOD_REPORT, "description": ""}
    room = limit - len(json.dumps(report))
    report["description"] = "x" * min(room, 20_000)
    response = api.client.post("/v1/reports", headers=api.headers(), json=report)
    assert response.status_code == 201, response.text


def test_when_key_is_revoked_then_401(api):
    api.store.revoke_api_key("viewer-key")
    response = api.client.get("/v1/me", headers=api.headers("viewer"))
    assert response.status_code == 401
    assert "revoked" in response.json()["error"]["message"]
