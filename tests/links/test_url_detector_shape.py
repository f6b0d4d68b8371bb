"""The URL detector adds the shape booster's log-odds to its linear margin."""

from __future__ import annotations

import numpy as np

from fanzha.detectors.links.url_detector import UrlDetector, parse_all
from fanzha.links.url_features import linear_margins, url_coo
from fanzha.links.url_shape import shape_features, shape_margins


def _sample() -> tuple[list[str], list[str]]:
    urls, labels = UrlDetector.contract_sample()
    extra = [f"https://site{i}.example.com/about/team" for i in range(60)]
    extra += [f"http://{i}9912-login.verify-{i}.top/{i}77123.php" for i in range(60)]
    return urls + extra, labels + ["benign"] * 60 + ["phishing"] * 60


def test_risk_is_the_sigmoid_of_linear_plus_shape_margins(tmp_path) -> None:
    urls, labels = _sample()
    detector = UrlDetector(calibration_share=0.0).fit(urls, labels)
    assert detector.shape_model_ is not None
    parsed = parse_all(urls)
    margin = linear_margins(url_coo(parsed), detector.weights_, len(parsed))
    margin += detector.bias_ + shape_margins(
        detector.shape_model_, shape_features(parsed)
    )
    expected = 1.0 / (1.0 + np.exp(-margin))
    assert np.allclose(detector.risks(urls), expected)
    loaded = UrlDetector.load(detector.save(tmp_path / "m"))
    assert np.allclose(loaded.risks(urls), expected)


def test_shape_can_be_left_out_and_old_models_still_score() -> None:
    urls, labels = _sample()
    plain = UrlDetector(calibration_share=0.0, shape=False).fit(urls, labels)
    assert plain.shape_model_ is None
    del plain.shape_model_  # a version-1 artifact has no shape model at all
    parsed = parse_all(urls)
    margin = linear_margins(url_coo(parsed), plain.weights_, len(parsed)) + plain.bias_
    assert np.allclose(plain.risks(urls), 1.0 / (1.0 + np.exp(-margin)))
