"""The shipped models load from the package; bounded checks on the shared data."""

from __future__ import annotations

import pytest

from fanzha.links.page_training import load_page_model
from fanzha.links.url_training import load_url_model
from fanzha.verdict import Verdict


def test_shipped_url_model_loads_and_ranks_an_obvious_case():
    detector = load_url_model()
    safe, bad = detector.score_batch(
        [
            "https://www.wikipedia.org/",
            "http://paypal-account-verify.example.top/webscr",
        ]
    )
    assert isinstance(safe, Verdict)
    assert bad.risk > safe.risk
    assert 0.0 < detector.threshold_ < 1.0


def test_shipped_page_model_loads_and_scores():
    detector = load_page_model()
    verdict = detector.score("<title>Sign in</title><form><input type=password></form>")
    assert verdict.detector == "page-content"


@pytest.mark.shared_data
def test_small_model_trained_on_one_source_ranks_another(shared_data):
    from fanzha.detectors.links.url_detector import UrlDetector
    from fanzha.evaluation.metrics import roc_auc
    from fanzha.links.datasets import shared_url_sets

    sets = shared_url_sets(shared_data)
    train = sets["deepurlbench"].sample(4_000, random_state=0)
    test = sets["esdaung"].sample(2_000, random_state=0)
    detector = UrlDetector().fit(train["url"].tolist(), train["label"].tolist())
    risks = detector.risks(test["url"].tolist())
    auc = roc_auc([int(v != "benign") for v in test["label"]], risks.tolist())
    assert auc is not None and auc > 0.8


@pytest.mark.shared_data
def test_phishtank_2020_is_read_as_phishing_only(shared_data):
    from fanzha.links.datasets import shared_url_sets

    dump = shared_url_sets(shared_data)["phishtank_2020"]
    assert len(dump) > 10_000
    assert set(dump["label"]) == {"phishing"}
    assert dump["url"].is_unique
    assert dump["url"].str.startswith("http").mean() > 0.99


@pytest.mark.shared_data
def test_setfit_archive_is_read_without_unpacking(shared_data):
    from itertools import islice

    from fanzha.links.page_training import setfit_pages

    rows = list(islice(setfit_pages(shared_data), 20))
    assert len(rows) == 20
    assert {label for _, label, _ in rows} <= {"benign", "phishing"}
