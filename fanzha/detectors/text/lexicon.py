"""The scenario lexicon: phrases that signal a fraud scenario, with weights.

The phrases live in ``data/scenario_lexicon.yaml`` for analysts to read and
extend. Matching runs on :func:`~fanzha.detectors.text.normalize.normalize`'d
text, so ``刷 单`` or ``刷單`` still hit ``刷单``. A phrase written with ``…``
between its parts (``密码器…失效``) matches when the parts appear in that order
with at most :data:`GAP` characters between each pair.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from dataclasses import dataclass
from functools import cache
from importlib import resources

import yaml

from fanzha.detectors.text.normalize import normalize
from fanzha.verdict import Evidence

GAP = 20
"""Most characters allowed between the parts of a ``…`` phrase."""
_ELLIPSIS = "…"
# Spellings that differ by region or era after normalisation, folded for the
# lexicon only (the model keeps its input): Taiwan and Hong Kong write 帳戶,
# which the character table leaves as 帐户, mainland text 账户.
_FOLD = str.maketrans({"帐": "账"})


@dataclass(frozen=True)
class LexiconHit:
    """One phrase found in a message: its scenario, weight and span."""

    phrase: str
    scenario: str
    weight: float
    span: tuple[int, int] | None


@cache
def load_lexicon() -> dict[str, dict[str, float]]:
    """Return ``{scenario id: {phrase: weight}}`` from the shipped YAML file."""
    source = resources.files("fanzha.detectors.text.data")
    text = source.joinpath("scenario_lexicon.yaml").read_text("utf-8")
    data = yaml.safe_load(text)
    return {
        k: {_normalize_phrase(str(p)): float(w) for p, w in v.items()}
        for k, v in data.items()
    }


def _normalize_phrase(phrase: str) -> str:
    parts = [normalize(part).translate(_FOLD) for part in phrase.split(_ELLIPSIS)]
    return _ELLIPSIS.join(part for part in parts if part)


def _gap_regex(phrase: str) -> re.Pattern[str]:
    parts = [re.escape(part) for part in phrase.split(_ELLIPSIS)]
    return re.compile(f".{{0,{GAP}}}?".join(parts), re.DOTALL)


@dataclass(frozen=True)
class _Matcher:
    plain: re.Pattern[str]
    gapped: tuple[tuple[str, str, re.Pattern[str]], ...]
    table: dict[str, tuple[str, float]]


@cache
def _matcher() -> _Matcher:
    table: dict[str, tuple[str, float]] = {}
    for scenario, phrases in load_lexicon().items():
        for phrase, weight in phrases.items():
            if phrase not in table or table[phrase][1] < weight:
                table[phrase] = (scenario, weight)
    plain = sorted((p for p in table if _ELLIPSIS not in p), key=len, reverse=True)
    gapped = tuple(
        (p, p.split(_ELLIPSIS)[0], _gap_regex(p)) for p in table if _ELLIPSIS in p
    )
    return _Matcher(re.compile("|".join(re.escape(p) for p in plain)), gapped, table)


def match(text: str, normalized: str | None = None) -> list[LexiconHit]:
    """Return every lexicon phrase found in ``text``, each once.

    ``span`` gives the phrase's offsets in ``text`` when it appears there as
    written, and is None when it only appears after normalisation.
    """
    matcher = _matcher()
    found = (normalized if normalized is not None else normalize(text)).translate(_FOLD)
    hits: dict[str, LexiconHit] = {}
    for m in matcher.plain.finditer(found):
        phrase = m.group(0)
        if phrase not in hits:
            start = text.find(phrase)
            span = (start, start + len(phrase)) if start >= 0 else None
            hits[phrase] = _hit(matcher, phrase, span)
    for phrase, first, regex in matcher.gapped:
        if first in found and regex.search(found):
            written = regex.search(text)
            hits[phrase] = _hit(matcher, phrase, written.span() if written else None)
    return list(hits.values())


def _hit(matcher: _Matcher, phrase: str, span: tuple[int, int] | None) -> LexiconHit:
    scenario, weight = matcher.table[phrase]
    return LexiconHit(phrase, scenario, weight, span)


def scenario_totals(hits: list[LexiconHit]) -> dict[str, float]:
    """Sum the weights of ``hits`` per scenario."""
    totals: dict[str, float] = defaultdict(float)
    for hit in hits:
        totals[hit.scenario] += hit.weight
    return dict(totals)


def lexicon_risk(hits: list[LexiconHit]) -> float:
    """Map the summed weight of ``hits`` to a risk: ``1 - exp(-total)``."""
    return 1.0 - math.exp(-sum(h.weight for h in hits))


def as_evidence(hits: list[LexiconHit]) -> list[Evidence]:
    """Turn lexicon hits into keyword evidence (value: the scenario id)."""
    return [
        Evidence(
            kind="keyword",
            name=h.phrase,
            weight=h.weight,
            value=h.scenario,
            span=h.span,
        )
        for h in hits
    ]
