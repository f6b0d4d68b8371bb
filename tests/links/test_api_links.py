"""The links routes over an empty SQLite store, with small models trained here."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from fanzha.api.app import create_app
from fanzha.detectors.links.page_detector import PageDetector
from fanzha.detectors.links.url_detector import UrlDetector
from fanzha.settings import load_settings
from fanzha.storage.testing import copy_sqlite_store, sqlite_template

KIT = (
    "<html><head><title>积分兑换中心</title></head><body><div><h1>积分兑换</h1>"
    "<p>您的积分即将清零 请立即兑换现金 填写银行卡信息完成兑换</p><form action=s.php>"
    "<input name=card><input type=password></form></div></body></html>"
)


@pytest.fixture(scope="module")
def models(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("models")
    UrlDetector(calibration_share=0.0).fit(*UrlDetector.contract_sample()).save(
        root / "url"
    )
    PageDetector().fit(*PageDetector.contract_sample()).save(root / "page")
    return root


@pytest.fixture
def client(tmp_path: Path, models: Path) -> Iterator[tuple[TestClient, dict[str, str]]]:
    store = copy_sqlite_store(sqlite_template(tmp_path / "tpl"), tmp_path)
    settings = load_settings(
        overrides={"data_dir": str(tmp_path), "models_dir": str(models)}, environ={}
    )
    key = store.create_api_key("analyst-key", "analyst")[1]
    with TestClient(create_app(settings, store=store, upgrade=False)) as test_client:
        yield test_client, {"Authorization": f"Bearer {key}"}
    store.close()


def test_score_one_url_and_a_batch_with_a_bad_url(client):
    api, headers = client
    one = api.post(
        "/v1/score/url",
        json={"url": "http://icbc-verify-login.top/index"},
        headers=headers,
    )
    assert one.status_code == 200
    assert one.json()["verdict"]["detector"] == "url-lexical"
    batch = api.post(
        "/v1/score/url",
        json={"urls": ["https://www.example.com/", "http://"]},
        headers=headers,
    )
    body = batch.json()
    assert body["verdicts"][1] is None
    assert body["errors"][0]["index"] == 1


def test_score_url_needs_exactly_one_of_url_or_urls(client):
    api, headers = client
    assert api.post("/v1/score/url", json={}, headers=headers).status_code in (400, 422)


def test_bad_single_url_is_a_client_error(client):
    api, headers = client
    response = api.post("/v1/score/url", json={"url": "http://"}, headers=headers)
    assert 400 <= response.status_code < 500


def test_template_added_then_page_matches_and_review_is_stored(client):
    api, headers = client
    added = api.post(
        "/v1/links/templates",
        headers=headers,
        json={
            "template_id": "kit-1",
            "html": KIT,
            "campaign": "points",
            "scenario": "phishing",
        },
    )
    assert added.status_code == 200, added.text
    scored = api.post(
        "/v1/score/page", json={"html": KIT.replace("立即", "马上")}, headers=headers
    ).json()
    assert scored["template_matches"][0]["template_id"] == "kit-1"
    assert scored["verdict"]["label"] == "phishing"
    assert any(e["kind"] == "similar" for e in scored["verdict"]["evidence"])
    review = api.post(
        "/v1/links/templates/kit-1/review", json={"status": "rejected"}, headers=headers
    )
    assert review.json()["label"] == "benign"


def test_routes_need_a_key(client):
    api, _ = client
    assert (
        api.post("/v1/score/url", json={"url": "https://example.com/"}).status_code
        == 401
    )


def test_templates_and_reviews_survive_a_restart(tmp_path, models):
    store = copy_sqlite_store(sqlite_template(tmp_path / "tpl"), tmp_path)
    settings = load_settings(
        overrides={"data_dir": str(tmp_path), "models_dir": str(models)}, environ={}
    )
    headers = {"Authorization": f"Bearer {store.create_api_key('a', 'analyst')[1]}"}
    with TestClient(create_app(settings, store=store, upgrade=False)) as first:
        body = {"template_id": "kit-2", "html": KIT, "campaign": "points"}
        assert first.post("/v1/links/templates", json=body, headers=headers).is_success
    with TestClient(create_app(settings, store=store, upgrade=False)) as second:
        found = second.post(
            "/v1/links/templates/search", json={"html": KIT}, headers=headers
        ).json()["matches"]
        assert [m["template_id"] for m in found] == ["kit-2"]
        assert found[0]["campaign"] == "points"
        review = second.post(
            "/v1/links/templates/kit-2/review",
            json={"status": "rejected"},
            headers=headers,
        )
        assert review.status_code == 200, review.text
    samples = store.list_samples(kind="page")["items"]
    assert [s["review_status"] for s in samples] == ["rejected"]
    with TestClient(create_app(settings, store=store, upgrade=False)) as third:
        found = third.post(
            "/v1/links/templates/search", json={"html": KIT}, headers=headers
        ).json()["matches"]
        assert found[0]["label"] == "benign"
    store.close()


def test_campaigns_route_groups_urls_and_names_bad_ones(client):
    api, headers = client
    urls = [
        "http://icbc-verify.top/a/login.php",
        "http://",
        "http://x.icbc-verify.top/b",
        "https://news.example.org/2024/05/story",
    ]
    response = api.post("/v1/links/campaigns", json={"urls": urls}, headers=headers)
    assert response.status_code == 200, response.text
    body = response.json()
    assert [c["members"] for c in body["campaigns"]] == [[0, 2]]
    assert body["campaigns"][0]["summary"]["size"] == 2
    assert [e["index"] for e in body["errors"]] == [1]
    empty = api.post("/v1/links/campaigns", json={"urls": []}, headers=headers)
    assert empty.status_code in (400, 422)
