"""``fanzha train text``: build the training set from the shared data and fit.

The training set removes what would let a model read the source instead of the
message (see the PROVENANCE files): every text goes through
:func:`~fanzha.detectors.text.normalize.model_text` (masks, numbers and URLs
reduced to shape tokens, no greetings or speaker names), duplicates after that
are dropped, and the
"normal" rows of Telecom_Fraud_Texts_5 are left out because they mix
advertising with ham. Each (source, label) group is weighted down by its size
(see :func:`group_weights`) so that the 87,000 news fragments of the 800k
corpus do not drown the rest. Every fit also learns from SMS-length windows of
the dialogues' caller turns (:func:`dialogue_windows`) and, in ``train text``
and cross-validation, from the synthetic service notices, fraud messages and
ordinary calls (:mod:`~fanzha.detectors.text.synthetic`). Label fixes
(:mod:`~fanzha.detectors.text.label_fixes`) are applied first.
"""

from __future__ import annotations

import logging
import time
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from fanzha.detectors.text.corpus import LabelledText, load_shared_text
from fanzha.detectors.text.evaluation import (
    evade_rows,
    evasion_block,
    score_all,
    text_report,
)
from fanzha.detectors.text.label_fixes import apply_label_fixes
from fanzha.detectors.text.linear import LABELS
from fanzha.detectors.text.model_card import record_training
from fanzha.detectors.text.model_detector import ModelTextDetector
from fanzha.detectors.text.normalize import SHAPES, model_text, model_texts
from fanzha.detectors.text.notices import SOURCE as NOTICES
from fanzha.detectors.text.notices import notice_rows
from fanzha.detectors.text.synthetic import (
    DIALOGUE_SOURCE,
    FRAUD_SOURCE,
    dialogue_rows,
    fraud_rows,
)
from fanzha.registry import register_trainer
from fanzha.verdict import Verdict

logger = logging.getLogger(__name__)

EXCLUDED = {("telecom_fraud_texts_5", "normal")}
SYNTHETIC = {NOTICES, FRAUD_SOURCE, DIALOGUE_SOURCE}
"""Sources generated from templates: they take no weight share from real sources."""
GROUP_POWER = 0.75
WINDOW_MIN = 80
"""Fewest characters in a training window of a dialogue's caller turns."""
WINDOW_MAX = 300
_NO_SHAPES = str.maketrans("", "", SHAPES)


def training_rows(rows: Sequence[LabelledText]) -> list[LabelledText]:
    """Return ``rows`` fixed, without excluded groups, empty texts and duplicates.

    The label fixes of :mod:`~fanzha.detectors.text.label_fixes` come first.
    Duplicates are judged on the model's view of the text; a text seen with
    two labels is dropped altogether.
    """
    rows, _ = apply_label_fixes(rows)
    kept = list(_unique_rows(rows).values())
    logger.info("training set built rows=%s kept=%s", len(rows), len(kept))
    return kept


def _unique_rows(rows: Sequence[LabelledText]) -> dict[str, LabelledText]:
    """Map each model text to its row, as :func:`training_rows` keeps them."""
    candidates = [r for r in rows if (r.source, r.label) not in EXCLUDED]
    by_text: dict[str, list[LabelledText]] = {}
    keys = model_texts([r.text for r in candidates])
    for key, row in zip(keys, candidates, strict=True):
        if key:
            by_text.setdefault(key, []).append(row)
    return {
        key: group[0]
        for key, group in by_text.items()
        if len({r.label for r in group}) == 1
    }


def group_weights(rows: Sequence[LabelledText]) -> np.ndarray:
    """Weight each row by ``size(source, label) ** -GROUP_POWER / sources(label)``.

    A group's total weight then grows only as the fourth root of its size, so
    the 87,000 news fragments of one corpus weigh about three times as much as
    a few hundred fraud messages of another, not three hundred times; a label
    seen in several sources shares its weight among them. A row changed by a
    label fix is weighed in the group of its file's label.
    """
    groups = [(r.source, r.fixed_from or r.label) for r in rows]
    sizes = Counter(groups)
    # Synthetic rows take no share from the real sources of their label.
    per_label = Counter(label for source, label in sizes if source not in SYNTHETIC)
    weights = np.array(
        [sizes[group] ** -GROUP_POWER / max(per_label[group[1]], 1) for group in groups]
    )
    return weights / weights.mean()


def dialogue_windows(
    rows: Sequence[LabelledText],
    min_chars: int = WINDOW_MIN,
    max_chars: int = WINDOW_MAX,
) -> list[LabelledText]:
    """Return SMS-length windows of the dialogues' caller turns as extra rows.

    Consecutive caller turns are joined until a window holds ``min_chars``
    characters (cut at ``max_chars``); each window keeps its dialogue's label
    and source but not its scenario, which a few sentences seldom tell. A
    fraud script then also teaches what its sentences look like alone, as
    they arrive by SMS or chat. Windows whose model text is already among
    ``rows`` are left out.
    """
    windows = []
    for row in rows:
        text = ""
        for turn in row.caller_turns:
            text = (text + turn)[:max_chars]
            if len(text) >= min_chars:
                windows.append(LabelledText(text, row.label, None, row.source))
                text = ""
    seen = set(model_texts([r.text for r in rows]))
    return [w for key, w in _unique_rows(windows).items() if key not in seen]


def fit_rows(rows: Sequence[LabelledText], **params: Any) -> ModelTextDetector:
    """Fit a :class:`ModelTextDetector` on prepared rows and their dialogue windows."""
    return _fit(rows, dialogue_windows(rows), params)


def _fit(
    rows: Sequence[LabelledText],
    windows: Sequence[LabelledText],
    params: dict[str, Any],
) -> ModelTextDetector:
    rows = [*rows, *windows]
    return ModelTextDetector(**params).fit(
        [r.text for r in rows],
        [r.label for r in rows],
        scenarios=[r.scenario for r in rows],
        sample_weight=group_weights(rows),
    )


@register_trainer("text")
def train_text(data_dir: Path, out: Path) -> dict[str, Any]:
    """Train the default text model on ``data_dir/text`` and save it to ``out``."""
    started = time.perf_counter()
    shared = load_shared_text(data_dir)
    _, fixed = apply_label_fixes(shared)
    rows = training_rows([*shared, *synthetic_rows()])
    windows = dialogue_windows(rows)
    detector = _fit(rows, windows, {})
    detector.save(out)
    seconds = time.perf_counter() - started
    counts = Counter(f"{r.source}:{r.label}" for r in rows)
    per_window_group = Counter(f"{r.source}:{r.label}" for r in windows)
    summary = {
        "rows": len(rows),
        "label_fixes": dict(sorted(fixed.items())),
        "dialogue_windows": dict(sorted(per_window_group.items())),
        "seconds": round(seconds, 1),
        "out": str(out),
        "per_group": dict(sorted(counts.items())),
    }
    record_training(out, summary)
    logger.info(
        "text model trained rows=%s seconds=%.1f out=%s", len(rows), seconds, out
    )
    return summary


def campaign_key(text: str) -> str:
    """Return a key shared by near-duplicate campaign messages (first 12 chars).

    Shape tokens are left out, so a campaign sent with and without a link or a
    number stays one campaign.
    """
    return model_text(text).translate(_NO_SHAPES)[:12]


def cross_validate(
    rows: Sequence[LabelledText],
    folds: int = 5,
    seed: int = 0,
    only: int | None = None,
    evasion: bool = False,
    params: dict[str, Any] | None = None,
    notices: bool = True,
    fraud_templates: bool = True,
    normal_dialogues: bool = True,
) -> dict[str, Any]:
    """Return out-of-fold metrics, per source, over campaign-grouped folds.

    Every source is split; messages sharing a :func:`campaign_key` stay in one
    fold. ``only`` runs the first that many folds (for a quicker estimate);
    ``evasion`` also scores each test fold rewritten by the evasion generator;
    ``params`` go to each fold's :class:`ModelTextDetector`; ``notices``,
    ``fraud_templates`` and ``normal_dialogues`` add the synthetic service
    notices, fraud messages and ordinary calls to every training fold (never to
    a test fold).
    """
    rows = training_rows(rows)
    extra = extra_synthetic(rows, notices, fraud_templates, normal_dialogues)
    keys = sorted({campaign_key(r.text) for r in rows})
    rng = np.random.default_rng(seed)
    fold_of = dict(zip(keys, rng.integers(0, folds, len(keys)), strict=True))
    assigned = np.array([fold_of[campaign_key(r.text)] for r in rows])
    scored: list[LabelledText] = []
    verdicts: list[Verdict] = []
    evaded: list[Verdict] = []
    fraud_proba: list[float] = []
    for fold in range(only or folds):
        train = [r for r, f in zip(rows, assigned, strict=True) if f != fold]
        train.extend(extra)
        test = [r for r, f in zip(rows, assigned, strict=True) if f == fold]
        detector = fit_rows(train, **(params or {}))
        verdicts.extend(score_all(detector, [r.text for r in test]))
        fraud_proba.extend(detector.predict_proba([r.text for r in test])[:, 3])
        if evasion:
            evaded.extend(score_all(detector, evade_rows(test)))
        scored.extend(test)
        logger.info("fold scored fold=%s test=%s", fold, len(test))
    report = text_report(scored, verdicts, fraud_proba)
    if evasion:
        report["evasion"] = evasion_block(scored, report, evaded)
    return report


def synthetic_rows(
    notices: bool = True, fraud: bool = True, dialogues: bool = True
) -> list[LabelledText]:
    """Return the synthetic training rows: notices, fraud messages, ordinary calls."""
    makers = ((notice_rows, notices), (fraud_rows, fraud), (dialogue_rows, dialogues))
    return [row for make, wanted in makers if wanted for row in make()]


def extra_synthetic(
    rows: Sequence[LabelledText],
    notices: bool = True,
    fraud: bool = True,
    dialogues: bool = True,
) -> list[LabelledText]:
    """Return the synthetic rows whose model text no row of ``rows`` shares.

    Each kind is de-duplicated on its own, as :func:`training_rows` would.
    """
    seen = set(model_texts([r.text for r in rows]))
    makers = ((notice_rows, notices), (fraud_rows, fraud), (dialogue_rows, dialogues))
    return [
        row
        for make, wanted in makers
        if wanted
        for key, row in _unique_rows(make()).items()
        if key not in seen
    ]


def extra_notices(rows: Sequence[LabelledText]) -> list[LabelledText]:
    """Return the synthetic notices whose model text no real row shares."""
    return extra_synthetic(rows, fraud=False, dialogues=False)


def extra_fraud(rows: Sequence[LabelledText]) -> list[LabelledText]:
    """Return the synthetic fraud messages whose model text no real row shares."""
    return extra_synthetic(rows, notices=False, dialogues=False)


def extra_dialogues(rows: Sequence[LabelledText]) -> list[LabelledText]:
    """Return the synthetic ordinary calls whose model text no real row shares."""
    return extra_synthetic(rows, notices=False, fraud=False)


__all__ = [
    "LABELS",
    "cross_validate",
    "dialogue_windows",
    "extra_dialogues",
    "extra_fraud",
    "extra_notices",
    "extra_synthetic",
    "synthetic_rows",
    "train_text",
    "training_rows",
]
