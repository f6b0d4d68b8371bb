"""No request body, however odd, makes the API answer 500."""

from __future__ import annotations

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

FIELDS = [
    "description",
    "loss_amount",
    "entities",
    "type",
    "value",
    "role",
    "title",
    "severity",
    "entity",
    "verdict_id",
    "alert_ids",
    "report_ids",
    "reason",
    "evidence",
    "confidence",
    "expires_at",
    "occurred_at",
    "status",
    "reports",
]
SCALARS = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=False)
    | st.text(max_size=30)
    | st.sampled_from(
        [
            "phone",
            "url",
            "13800138000",
            "http://a.example",
            "\ud800",
            "high",
            "2026-01-01T00:00:00Z",
            "9999-12-31T23:59:59+14:00",
        ]
    )
)
JSON_VALUES = st.recursive(
    SCALARS,
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(
            st.sampled_from(FIELDS) | st.text(max_size=5), inner, max_size=5
        )
    ),
    max_leaves=12,
)
TARGETS = [
    ("POST", "/v1/reports"),
    ("POST", "/v1/reports/batch"),
    ("POST", "/v1/alerts"),
    ("POST", "/v1/cases"),
    ("POST", "/v1/blacklist"),
    ("POST", "/v1/blacklist/1/mark"),
    ("PATCH", "/v1/alerts/1"),
    ("PATCH", "/v1/cases/1"),
]


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(target=st.sampled_from(TARGETS), body=JSON_VALUES)
def test_when_body_is_arbitrary_json_then_never_a_server_error(api, target, body):
    method, path = target
    content = json.dumps(body).encode()
    response = api.client.request(
        method,
        path,
        content=content,
        headers={**api.headers(), "Content-Type": "application/json"},
    )

    assert response.status_code < 500, response.text
    if response.status_code >= 400:
        assert set(response.json()["error"]) == {"code", "message", "details"}
