"""A lexical URL classifier: benign, phishing or malware, from the URL alone.

The URL is normalised (:func:`fanzha.links.urls.parse_url`) and described by
hashed character n-grams of its host and path and by tokens such as the
top-level domain, host labels, path words, length bins, IP or shortener hosts
and brand names on foreign domains (:mod:`fanzha.links.url_features`). One
logistic regression scores malicious versus benign, and a small LightGBM model
over dense shape features (:mod:`fanzha.links.url_shape`: lengths, ratios,
entropy, runs) adds its log-odds to that margin; a second regression, on the
malicious URLs, tells phishing from malware. Scoring is vectorised over a batch.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

import numpy as np
from numpy.typing import NDArray

from fanzha.detectors.base import Detector
from fanzha.errors import ValidationError
from fanzha.gcpause import gc_paused
from fanzha.links.brands import brands_in_host
from fanzha.links.linear import fit_logistic
from fanzha.links.url_features import (
    DEFAULT_BITS,
    TOKEN_VALUE,
    Coo,
    hash_tokens,
    linear_margins,
    url_coo,
    url_matrix,
    url_tokens,
)
from fanzha.links.url_shape import (
    fit_shape_booster,
    shape_features,
    shape_margins,
)
from fanzha.links.urls import ParsedUrl, parse_url
from fanzha.registry import register_detector
from fanzha.verdict import Evidence, Verdict

logger = logging.getLogger(__name__)

MALICIOUS = ("phishing", "malware")
KIND_SHIFT = 2  # the phishing/malware model uses 4x fewer columns


def parse_all(items: Sequence[object]) -> list[ParsedUrl]:
    """Parse every URL; raise ``ValidationError`` naming the first bad one."""
    parsed = []
    for index, item in enumerate(items):
        try:
            parsed.append(parse_url(item))
        except ValidationError as exc:
            raise ValidationError(str(exc), record=index) from exc
    return parsed


def _sigmoid(x: NDArray[np.float64]) -> NDArray[np.float64]:
    return 1.0 / (1.0 + np.exp(-np.clip(x, -40, 40)))


@register_detector
class UrlDetector(Detector[str]):
    """Classify URLs as benign, phishing or malware from their text.

    ``risk`` is the probability that the URL is malicious (phishing or malware);
    higher means more suspicious. A URL is labelled malicious when its risk
    reaches ``threshold_``, chosen at fit time so that about
    ``target_benign_flagged`` of held-out benign URLs are flagged.

    Examples
    --------
    >>> urls = ["https://www.example.com/about", "http://paypa1-verify.top/login",
    ...         "https://news.example.org/2024/story", "http://1.2.3.4/bins/x.arm7"]
    >>> detector = UrlDetector(calibration_share=0.0).fit(
    ...     urls * 3, ["benign", "phishing", "benign", "malware"] * 3)
    >>> detector.score("http://paypa1-verify.top/login").label
    'phishing'
    """

    name = "url-lexical"
    kind = "url"
    labels = ("benign", "phishing", "malware")
    version = "2"

    def __init__(
        self,
        bits: int = DEFAULT_BITS,
        c: float = 2.0,
        target_benign_flagged: float = 0.03,
        calibration_share: float = 0.1,
        seed: int = 0,
        shape: bool = True,
    ) -> None:
        self.bits = bits
        self.c = c
        self.target_benign_flagged = target_benign_flagged
        self.calibration_share = calibration_share
        self.seed = seed
        self.shape = shape

    def fit(self, items: Sequence[str], labels: Sequence[str]) -> UrlDetector:
        """Train both models and choose the threshold on a held-out share."""
        truth = np.asarray([_label(v, i) for i, v in enumerate(labels)], dtype=object)
        parsed = parse_all(items)
        fit_rows, held_rows = self._split(len(parsed))
        self.weights_, self.bias_ = self._train(parsed, truth, fit_rows)
        self.shape_model_ = self._train_shape(parsed, truth, fit_rows)
        self.kind_weights_, self.kind_bias_ = self._train_kind(parsed, truth, fit_rows)

        benign = [parsed[i] for i in held_rows if truth[i] == "benign"]
        if len(benign) < 20:
            benign = [parsed[i] for i in fit_rows if truth[i] == "benign"]
        risks = self._risks(benign) if benign else np.array([0.5])
        self.threshold_ = float(np.quantile(risks, 1.0 - self.target_benign_flagged))
        logger.info(
            "url model trained n=%d threshold=%.4f", len(parsed), self.threshold_
        )
        return self

    def _split(self, n: int) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
        order = np.random.default_rng(self.seed).permutation(n)
        held = int(n * self.calibration_share)
        return np.sort(order[held:]), np.sort(order[:held])

    def _train(
        self,
        parsed: list[ParsedUrl],
        truth: NDArray[np.object_],
        rows: NDArray[np.int64],
    ) -> tuple[NDArray[np.float32], float]:
        target = np.asarray([truth[i] != "benign" for i in rows], dtype=int)
        if target.min() == target.max():
            raise ValidationError("training needs both benign and malicious URLs")
        matrix = url_matrix([parsed[i] for i in rows], self.bits)
        return fit_logistic(matrix, target, self.c)

    def _train_shape(
        self,
        parsed: list[ParsedUrl],
        truth: NDArray[np.object_],
        rows: NDArray[np.int64],
    ) -> str | None:
        if not getattr(self, "shape", False):
            return None
        target = np.asarray([truth[i] != "benign" for i in rows], dtype=int)
        features = shape_features([parsed[i] for i in rows])
        return fit_shape_booster(features, target, self.seed)

    def _margins(self, parsed: list[ParsedUrl], coo: Coo) -> NDArray[np.float64]:
        """Return the log-odds that each URL is malicious (higher = worse)."""
        margin = linear_margins(coo, self.weights_, len(parsed)) + self.bias_
        shape = self._shape_margins(parsed)
        return margin if shape is None else margin + shape

    def _shape_margins(self, parsed: list[ParsedUrl]) -> NDArray[np.float64] | None:
        """Return the shape model's log-odds per URL; None without that model."""
        model = getattr(self, "shape_model_", None)  # absent in version-1 models
        return None if model is None else shape_margins(model, shape_features(parsed))

    def _train_kind(
        self,
        parsed: list[ParsedUrl],
        truth: NDArray[np.object_],
        rows: NDArray[np.int64],
    ) -> tuple[NDArray[np.float32], float]:
        bad = [i for i in rows if truth[i] != "benign"]
        target = np.asarray([truth[i] == "malware" for i in bad], dtype=int)
        if len(bad) == 0 or target.min() == target.max():
            prior = 1.0 if len(bad) and target[0] else -1.0
            return np.zeros(1 << (self.bits - KIND_SHIFT), dtype=np.float32), prior * 9
        matrix = url_matrix([parsed[i] for i in bad], self.bits - KIND_SHIFT)
        return fit_logistic(matrix, target, self.c)

    def _risks(self, parsed: list[ParsedUrl]) -> NDArray[np.float64]:
        return _sigmoid(self._margins(parsed, url_coo(parsed, self.bits)))

    def risks(self, items: Sequence[str]) -> NDArray[np.float64]:
        """Return the malicious probability of each URL (no verdict objects)."""
        self.check_fitted()
        if not items:
            return np.zeros(0)
        with gc_paused():
            return self._risks(parse_all(items))

    def score(self, item: str) -> Verdict:
        """Return the verdict for one URL."""
        return self.score_batch([item])[0]

    def score_batch(self, items: Sequence[str]) -> list[Verdict]:
        """Return one verdict per URL, computed for the whole batch at once."""
        self.check_fitted()
        if not items:
            return []
        with gc_paused():
            return self._score_batch(items)

    def _score_batch(self, items: Sequence[str]) -> list[Verdict]:
        parsed = parse_all(items)
        coo = url_coo(parsed, self.bits)
        margin = linear_margins(coo, self.weights_, len(parsed)) + self.bias_
        shape = self._shape_margins(parsed)
        risk = _sigmoid(margin if shape is None else margin + shape)
        malware = linear_margins(coo, self.kind_weights_, len(parsed), KIND_SHIFT)
        malware += self.kind_bias_
        shapes = [None] * len(parsed) if shape is None else shape.tolist()
        return [
            self._verdict(u, float(r), float(m), s)
            for u, r, m, s in zip(parsed, risk, malware, shapes, strict=True)
        ]

    def _verdict(
        self,
        url: ParsedUrl,
        risk: float,
        malware_margin: float,
        shape_margin: float | None = None,
    ) -> Verdict:
        flagged = risk >= self.threshold_
        label = (
            ("malware" if malware_margin > 0 else "phishing") if flagged else "benign"
        )
        scenario = "phishing" if label == "phishing" else None
        return Verdict(
            risk=risk,
            label=label,
            scenario=scenario,
            evidence=self._evidence(url, shape_margin),
            detector=self.name,
            model_version=self.model_version,
            item_id=url.raw[:200],
            entities=[
                {"type": "url", "value": url.raw[:2000]},
                {"type": "domain", "value": url.registered_domain},
            ],
        )

    def _evidence(
        self, url: ParsedUrl, shape_margin: float | None = None
    ) -> list[Evidence]:
        tokens = url_tokens(url)
        weights = self.weights_[hash_tokens(tokens, self.bits)] * TOKEN_VALUE
        pairs = sorted(
            zip(tokens, weights.tolist(), strict=True), key=lambda p: -abs(p[1])
        )[:6]
        evidence = [
            Evidence(kind="feature", name=t, weight=round(w, 4)) for t, w in pairs
        ]
        if shape_margin is not None:
            evidence.append(
                Evidence(
                    kind="feature",
                    name="url_shape",
                    weight=round(shape_margin, 4),
                    value="log-odds from lengths, ratios, entropy and runs",
                )
            )
        host = url.unicode_host if url.is_idn else url.host
        for brand in brands_in_host(host, url.registered_domain):
            evidence.append(
                Evidence(
                    kind="rule",
                    name="brand_on_foreign_domain",
                    weight=1.0,
                    value=brand.name,
                )
            )
        return evidence

    @classmethod
    def contract_sample(cls) -> tuple[list[str], list[str]]:
        """Return a few labelled URLs for the contract suite."""
        urls = [
            "https://www.example.com/news",
            "http://icbc-verify-login.top/index",
            "https://docs.example.org/guide",
            "http://203.0.113.9/bins/mips",
            "https://shop.example.net/cart",
            "http://alipay.secure-refund.cc/pay",
        ]
        labels = ["benign", "phishing", "benign", "malware", "benign", "phishing"]
        return urls * 3, labels * 3

    @classmethod
    def contract_bad_items(cls) -> list[object]:
        """Return items ``score`` must reject."""
        return [
            "",
            "   ",
            None,
            42,
            "http://",
            "http://exa mple.com/",
            "https://a..b/",
            "http://a.example:99999/",
            "x" * 70_000,
        ]


def _label(value: str, index: int) -> str:
    label = {"mal": "malware"}.get(
        str(value).strip().lower(), str(value).strip().lower()
    )
    if label not in UrlDetector.labels:
        raise ValidationError(
            f"label {value!r} is not benign, phishing or malware", record=index
        )
    return label
