"""A transparent text detector built from the scenario lexicon.

It sums the weights of the lexicon phrases found in a message (after undoing
evasion spellings, see :mod:`fanzha.detectors.text.normalize`) and maps the
total to a risk with ``1 - exp(-total)``. ``fit`` only tunes the decision
threshold.
It is the reference implementation of the detector contract and the fallback
when no trained text model is installed.
"""

from __future__ import annotations

from collections.abc import Sequence

from fanzha.detectors.base import Detector
from fanzha.detectors.text import lexicon
from fanzha.errors import ValidationError
from fanzha.registry import register_detector
from fanzha.verdict import Evidence, Verdict

MAX_CHARS = 100_000


load_lexicon = lexicon.load_lexicon


def check_text(text: object, max_chars: int = MAX_CHARS) -> str:
    """Return ``text`` if it is a usable message, else raise ``ValidationError``."""
    if not isinstance(text, str):
        raise ValidationError(f"text must be a string, got {type(text).__name__}")
    if not text.strip():
        raise ValidationError("text is empty; send the message body")
    if len(text) > max_chars:
        raise ValidationError(
            f"text has {len(text)} characters, more than the limit of {max_chars}; "
            "split long transcripts into parts"
        )
    return text


@register_detector
class LexiconTextDetector(Detector[str]):
    """Flag fraud text by weighted scenario phrases.

    The risk is ``1 - exp(-sum of matched weights)``: 0 with no phrase found,
    higher means more suspicious. The scenario is the one whose phrases weigh
    most.

    Examples
    --------
    >>> detector = LexiconTextDetector()
    >>> detector = detector.fit(["你好", "请转入安全账户"], ["normal", "fraud"])
    >>> verdict = detector.score("您涉嫌洗钱，请把钱转入安全账户")
    >>> verdict.label, verdict.scenario
    ('fraud', 'impersonate_authority')
    """

    name = "text-lexicon"
    kind = "text"
    labels = ("normal", "fraud")
    version = "1"

    def __init__(self, threshold: float = 0.5) -> None:
        self.threshold = threshold

    def fit(self, items: Sequence[str], labels: Sequence[str]) -> LexiconTextDetector:
        """Pick the risk threshold that maximises F1 of fraud on the data."""
        risks = [self._match(check_text(t))[0] for t in items]
        truth = [label == "fraud" for label in labels]
        candidates = sorted(set(risks) | {self.threshold})
        self.threshold_ = max(candidates, key=lambda c: _f1_at(c, risks, truth))
        return self

    def score(self, item: str) -> Verdict:
        """Return the verdict for one message."""
        self.check_fitted()
        text = check_text(item)
        risk, scenario, evidence = self._match(text)
        fraud = risk >= self.threshold_ and risk > 0
        return Verdict(
            risk=risk,
            label="fraud" if fraud else "normal",
            scenario=scenario if fraud else None,
            evidence=evidence,
            detector=self.name,
            model_version=self.model_version,
        )

    def _match(self, text: str) -> tuple[float, str | None, list[Evidence]]:
        hits = lexicon.match(text)
        totals = lexicon.scenario_totals(hits)
        scenario = max(totals, key=lambda s: totals[s]) if totals else None
        return lexicon.lexicon_risk(hits), scenario, lexicon.as_evidence(hits)

    @classmethod
    def contract_sample(cls) -> tuple[list[str], list[str]]:
        """Return a few messages for the contract suite."""
        return (
            [
                "明天一起吃饭吧",
                "您的快递丢失，我们为您理赔",
                "刷单日结，点赞返利",
                "会议改到三点",
            ],
            ["normal", "fraud", "fraud", "normal"],
        )

    @classmethod
    def contract_bad_items(cls) -> list[object]:
        """Return items ``score`` must reject."""
        return ["", "   ", None, 42, "x" * (MAX_CHARS + 1)]


def _f1_at(threshold: float, risks: list[float], truth: list[bool]) -> float:
    pred = [r >= threshold and r > 0 for r in risks]
    tp = sum(p and t for p, t in zip(pred, truth, strict=True))
    fp = sum(p and not t for p, t in zip(pred, truth, strict=True))
    fn = sum(t and not p for p, t in zip(pred, truth, strict=True))
    return 2 * tp / (2 * tp + fp + fn) if tp else 0.0
