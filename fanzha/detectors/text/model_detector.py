"""The default trained text detector: hashed character n-grams, linear models.

Two linear classifiers read the same features (see
:class:`~fanzha.detectors.text.features.NgramHasher` over
:func:`~fanzha.detectors.text.normalize.model_text`): one for the label (normal,
ad, illegal, fraud) and one for the fraud scenario. The scenario lexicon adds the
scenarios that have no training text and can flag fraud on its own when several
strong phrases meet. A prediction is a sparse dot product, so one core scores
tens of thousands of SMS per second.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import scipy.sparse as sp

from fanzha.detectors.base import Detector
from fanzha.detectors.text import lexicon
from fanzha.detectors.text.features import NgramHasher
from fanzha.detectors.text.lexicon_detector import MAX_CHARS, check_text
from fanzha.detectors.text.linear import (
    LABELS,
    explain_ngrams,
    fit_linear,
    label_support,
    scoring_layout,
    softmax,
    top_ngrams,
)
from fanzha.detectors.text.normalize import SHAPES, model_texts, normalize
from fanzha.detectors.text.text_entities import extract_entities
from fanzha.errors import ValidationError
from fanzha.gcpause import gc_paused
from fanzha.registry import register_detector
from fanzha.verdict import Evidence, Verdict

logger = logging.getLogger(__name__)

LEXICON_SCENARIO_WEIGHT = 1.5
_COEFFICIENTS = (
    "label_coef_",
    "label_intercept_",
    "scenario_coef_",
    "scenario_intercept_",
)
_SHAPE_SET = frozenset(SHAPES)
_NO_SHAPES = str.maketrans("", "", SHAPES)
SHIPPED_MODEL = Path(__file__).resolve().parents[2] / "models" / "text"


@register_detector
class ModelTextDetector(Detector[str]):
    """Label a message normal, ad, illegal or fraud, with scenario and evidence.

    The risk is the model's probability that the message is fraud or illegal
    (higher means more suspicious), raised to the lexicon's risk when the
    lexicon alone flags fraud. The scenario is set for fraud, and for illegal
    messages that promote gambling (``gambling``).

    Parameters
    ----------
    n_features
        Hash buckets of the character n-gram features.
    max_n
        Longest character n-gram.
    alpha
        L2 regularisation of the linear models.
    normal_bias
        Added to the log-odds of ``normal`` before the label is chosen; negative
        values make the detector call fewer messages normal.
    lexicon_threshold
        Summed lexicon weight at which a message not labelled illegal is called
        fraud even when the model disagrees.
    fraud_bias
        Added to the log-odds of ``fraud``; positive values trade false alarms
        for recall (see ``docs/text.md``). Can be changed on a loaded model.
    illegal_bias
        Added to the log-odds of ``illegal``, like ``fraud_bias``.
    lexicon_boost
        Added to the log-odds of ``fraud`` per unit of summed lexicon weight,
        so that scenario phrases tip a message the model is unsure about.
    min_n
        Shortest character n-gram.
    skip
        Also use character pairs 2 to ``skip + 1`` apart (see ``NgramHasher``).
    shape_dropout
        Weight, relative to the original, of training copies of the messages
        with their URL, phone and number shape tokens removed; 0 adds none.

    Examples
    --------
    >>> texts = ["明天一起吃饭吧", "会议改到三点", "全场五折欢迎选购",
    ...          "新品上市优惠大促", "您涉嫌洗钱请转入安全账户", "点击链接重新验证网银"]
    >>> labels = ["normal", "normal", "ad", "ad", "fraud", "fraud"]
    >>> detector = ModelTextDetector(n_features=2**12).fit(texts, labels)
    >>> detector.score("您涉嫌洗钱，请把钱转入安全帐户").label
    'fraud'
    """

    name = "text-model"
    kind = "text"
    labels = LABELS
    version = "1"

    def __init__(
        self,
        n_features: int = 2**18,
        max_n: int = 3,
        alpha: float = 1e-6,
        normal_bias: float = -0.7,
        lexicon_threshold: float = 2.5,
        fraud_bias: float = 0.3,
        shape_dropout: float = 0.5,
        illegal_bias: float = 0.6,
        lexicon_boost: float = 0.0,
        min_n: int = 1,
        skip: int = 0,
    ) -> None:
        self.n_features = n_features
        self.max_n = max_n
        self.alpha = alpha
        self.normal_bias = normal_bias
        self.lexicon_threshold = lexicon_threshold
        self.fraud_bias = fraud_bias
        self.shape_dropout = shape_dropout
        self.illegal_bias = illegal_bias
        self.lexicon_boost = lexicon_boost
        self.min_n = min_n
        self.skip = skip

    def fit(
        self,
        items: Sequence[str],
        labels: Sequence[str],
        scenarios: Sequence[str | None] | None = None,
        sample_weight: Sequence[float] | np.ndarray | None = None,
    ) -> ModelTextDetector:
        """Learn the label and scenario models from messages.

        ``scenarios`` holds the fraud scenario of each message (None where
        unknown); ``sample_weight`` the weight of each message.
        """
        bad = [label for label in set(labels) if label not in LABELS]
        if bad:
            raise ValidationError(f"unknown labels {bad}; use {', '.join(LABELS)}")
        texts = model_texts([check_text(t) for t in items])
        weights = (
            np.ones(len(texts))
            if sample_weight is None
            else np.asarray(sample_weight, dtype=float)
        )
        texts, labels, scenarios, weights = self._with_shapeless_copies(
            texts, labels, scenarios, weights
        )
        self.hasher_ = NgramHasher(self.n_features, self.max_n, self.min_n, self.skip)
        features = self.hasher_.transform(texts)
        self.label_coef_, self.label_intercept_ = fit_linear(
            features, np.asarray(labels), LABELS, self.alpha, weights
        )
        self._fit_scenarios(features, labels, scenarios, weights)
        table = top_ngrams(texts, self.label_coef_, self.hasher_)
        # Shape tokens cannot be pointed at in the message: not named as evidence.
        self.ngram_weights_ = {
            g: w for g, w in table.items() if not any(c in SHAPES for c in g)
        }
        self._support_cache: dict[str, dict[str, float]] = {}
        logger.info("model fitted detector=%s items=%s", self.name, len(texts))
        return self

    def _with_shapeless_copies(
        self,
        texts: list[str],
        labels: Sequence[str],
        scenarios: Sequence[str | None] | None,
        weights: np.ndarray,
    ) -> tuple[list[str], list[str], list[str | None], np.ndarray]:
        # Spam in one source nearly always carries a link or a number, news in
        # another rarely does: copies without shape tokens keep "no contact"
        # from meaning "normal".
        scen: list[str | None] = (
            list(scenarios) if scenarios is not None else [None] * len(texts)
        )
        picked = [i for i, t in enumerate(texts) if set(t) & _SHAPE_SET]
        if not self.shape_dropout or not picked:
            return texts, list(labels), scen, weights
        return (
            texts + [texts[i].translate(_NO_SHAPES) for i in picked],
            list(labels) + [labels[i] for i in picked],
            scen + [scen[i] for i in picked],
            np.r_[weights, self.shape_dropout * weights[picked]],
        )

    def _fit_scenarios(
        self,
        features: sp.csr_matrix,
        labels: Sequence[str],
        scenarios: Sequence[str | None] | None,
        weights: np.ndarray,
    ) -> None:
        pairs = [
            (i, s)
            for i, s in enumerate(scenarios or [])
            if s is not None and labels[i] == "fraud"
        ]
        names = tuple(sorted({s for _, s in pairs}))
        self.scenario_names_: tuple[str, ...] = names
        if len(names) < 2:
            self.scenario_coef_: np.ndarray | None = None
            return
        rows = [i for i, _ in pairs]
        self.scenario_coef_, self.scenario_intercept_ = fit_linear(
            features[rows],
            np.asarray([s for _, s in pairs]),
            names,
            self.alpha,
            weights[rows],
        )

    def predict_proba(self, items: Sequence[str]) -> np.ndarray:
        """Return label probabilities, shape ``(len(items), 4)`` in ``LABELS`` order.

        The fast path: no evidence, no entities, no input checks beyond types.
        """
        self.check_fitted()
        # label_coef_ is column-major, so its transpose is the C-contiguous
        # (n_features, 4) matrix that NgramHasher.dot gathers rows from.
        logits = self.hasher_.dot(model_texts(items), self.label_coef_.T)
        return softmax(logits + self.label_intercept_)

    def score(self, item: str) -> Verdict:
        """Return the verdict for one message."""
        return self.score_batch([item])[0]

    def score_batch(self, items: Sequence[str]) -> list[Verdict]:
        """Return one verdict per message, with evidence and entities."""
        self.check_fitted()
        with gc_paused():
            return self._score_batch(items)

    def _score_batch(self, items: Sequence[str]) -> list[Verdict]:
        texts = [check_text(t, MAX_CHARS) for t in items]
        if not texts:
            return []
        cleaned = model_texts(texts)
        weights = [self.label_coef_.T]
        if self.scenario_coef_ is not None:
            weights.append(self.scenario_coef_.T)
        logits = self.hasher_.dots(cleaned, weights)
        proba = softmax(logits[0] + self.label_intercept_)
        scen = (
            softmax(logits[1] + self.scenario_intercept_) if len(logits) > 1 else None
        )
        return [
            self._verdict(
                texts[i], cleaned[i], proba[i], None if scen is None else scen[i]
            )
            for i in range(len(texts))
        ]

    def _verdict(
        self, text: str, cleaned: str, proba: np.ndarray, scen: np.ndarray | None
    ) -> Verdict:
        normalized = normalize(text)
        hits = lexicon.match(text, normalized)
        label = self._decide(proba, hits)
        risk = float(min(1.0, proba[3] + proba[2]))
        if label == "fraud":
            risk = max(risk, lexicon.lexicon_risk(hits))
        scenario = self._scenario(hits, scen) if label == "fraud" else None
        if label == "illegal" and any(h.scenario == "gambling" for h in hits):
            scenario = "gambling"  # gambling promotion: illegal, and its scenario
        evidence = lexicon.as_evidence(hits) + self._explain(text, cleaned, label)
        return Verdict(
            risk=risk,
            label=label,
            scenario=scenario,
            evidence=evidence,
            detector=self.name,
            model_version=self.model_version,
            entities=extract_entities(text, normalized),
        )

    def _decide(self, proba: np.ndarray, hits: list[lexicon.LexiconHit]) -> str:
        weight = sum(h.weight for h in hits)
        logits = np.log(np.maximum(proba, 1e-12))
        logits[0] += self.normal_bias
        logits[2] += self.illegal_bias
        logits[3] += self.fraud_bias + self.lexicon_boost * weight
        label = LABELS[int(np.argmax(logits))]
        strong = weight >= self.lexicon_threshold
        return "fraud" if strong and label != "illegal" else label

    def _scenario(self, hits: list[lexicon.LexiconHit], scen: np.ndarray | None) -> str:
        # The lexicon outweighs the model so scenarios without training text win
        # when their phrases are clearly present.
        totals = {
            s: LEXICON_SCENARIO_WEIGHT * (1.0 - np.exp(-w))
            for s, w in lexicon.scenario_totals(hits).items()
        }
        if scen is not None:
            for name, p in zip(self.scenario_names_, scen, strict=True):
                totals[name] = totals.get(name, 0.0) + float(p)
        return max(totals, key=lambda s: totals[s]) if totals else "other"

    def _explain(self, text: str, cleaned: str, label: str) -> list[Evidence]:
        return [
            Evidence(
                kind="feature",
                name=gram,
                weight=weight,
                value=label,
                span=_span(text, gram),
            )
            for gram, weight in explain_ngrams(cleaned, self._support(label))
        ]

    def _support(self, label: str) -> dict[str, float]:
        """Return :func:`label_support` of ``label``, computed once per model."""
        cache: dict[str, dict[str, float]] = vars(self).setdefault("_support_cache", {})
        if label not in cache:
            cache[label] = label_support(self.ngram_weights_, label)
        return cache[label]

    def get_state(self) -> dict[str, object]:
        """Return the state with coefficients as float16 (half the file size)."""
        state = dict(vars(self))
        state.pop("_support_cache", None)
        for key in _COEFFICIENTS:
            if state.get(key) is not None:
                state[key] = state[key].astype(np.float16)
        return state

    def set_state(self, state: dict[str, object]) -> None:
        """Restore the state saved by :meth:`get_state`, coefficients as float32."""
        defaults = {
            "fraud_bias": 0.0,
            "illegal_bias": 0.0,
            "lexicon_boost": 0.0,
            "min_n": 1,
            "skip": 0,
        }
        vars(self).update({**defaults, **state})
        self._support_cache = {}
        for key in _COEFFICIENTS:
            value = getattr(self, key, None)
            if value is not None:
                setattr(self, key, scoring_layout(np.asarray(value)))

    @classmethod
    def contract_sample(cls) -> tuple[list[str], list[str]]:
        """Return a few messages for the contract suite."""
        return (
            [
                "明天一起吃饭吧",
                "您的快递丢失，我们为您理赔，请加微信",
                "刷单日结，点赞返利",
                "会议改到三点",
                "全场五折，欢迎选购",
            ],
            ["normal", "fraud", "fraud", "normal", "ad"],
        )

    @classmethod
    def contract_bad_items(cls) -> list[object]:
        """Return items ``score`` must reject."""
        return ["", "   ", None, 42, "x" * (MAX_CHARS + 1)]


def _span(text: str, gram: str) -> tuple[int, int] | None:
    start = text.find(gram)
    return (start, start + len(gram)) if start >= 0 else None


def load_default(models_dir: str | Path | None = None) -> ModelTextDetector:
    """Return the trained model from ``models_dir/text`` or else the shipped one."""
    folder = Path(models_dir) / "text" if models_dir else SHIPPED_MODEL
    if not (folder / "detector.json").is_file():
        folder = SHIPPED_MODEL
    detector = ModelTextDetector.load(folder)
    assert isinstance(detector, ModelTextDetector)
    return detector
