"""``POST /v1/score/text``: one message or a batch, bad items named by index."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from fanzha.api.app import create_app
from fanzha.settings import load_settings
from fanzha.storage.testing import copy_sqlite_store, sqlite_template

FRAUD = "我是公安局民警，你涉嫌洗钱，请把钱转入安全账户，联系13812345678"


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    folder = tmp_path_factory.mktemp("api")
    store = copy_sqlite_store(sqlite_template(folder), folder)
    key = store.create_api_key("viewer-key", "viewer")[1]
    settings = load_settings(
        overrides={"data_dir": str(folder), "max_batch": 5}, environ={}
    )
    with TestClient(create_app(settings, store=store, upgrade=False)) as test_client:
        test_client.headers["Authorization"] = f"Bearer {key}"
        yield test_client
    store.close()


def test_when_one_message_is_posted_then_one_verdict_comes_back(client):
    response = client.post("/v1/score/text", json={"text": FRAUD})
    assert response.status_code == 200
    verdict = response.json()["verdict"]
    assert verdict["label"] == "fraud"
    assert verdict["scenario"] == "impersonate_authority"
    assert {"type": "phone", "value": "+86*******5678"} in verdict["entities"] or any(
        e["value"].endswith("78") and "*" in e["value"] for e in verdict["entities"]
    )


def test_when_a_batch_has_a_bad_item_then_the_rest_is_scored(client):
    items = [{"text": FRAUD, "id": "a"}, {"text": "  ", "id": "b"}, "明天下午开会"]
    body = client.post("/v1/score/text", json={"items": items}).json()
    assert body["verdicts"][0]["item_id"] == "a"
    assert body["verdicts"][1] is None
    assert body["verdicts"][2]["label"] != "fraud"
    assert body["errors"][0]["index"] == 1


@pytest.mark.parametrize(
    "payload",
    [
        {},
        {"text": FRAUD, "items": [FRAUD]},
        {"text": ""},
        {"items": [FRAUD] * 6},
        {"text": 42},
    ],
    ids=["neither", "both", "empty", "over-max-batch", "not-a-string"],
)
def test_when_request_is_bad_then_a_client_error(client, payload):
    response = client.post("/v1/score/text", json=payload)
    assert 400 <= response.status_code < 500


def test_when_no_key_is_sent_then_unauthorised(client):
    response = client.post(
        "/v1/score/text", json={"text": FRAUD}, headers={"Authorization": ""}
    )
    assert response.status_code == 401
