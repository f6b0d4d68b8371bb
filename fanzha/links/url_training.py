"""Training, evaluation and honest split measurements of the URL classifier.

``fanzha train url`` fits :class:`~fanzha.detectors.links.url_detector.UrlDetector`
on the shared URL sets (DeepURLBench, ESDAUNG and the PhishTank dump of 2020; the
ISCX benign list is left out because its collection process gives the classes
away). ``fanzha evaluate url`` scores a canonical file with the shipped or a given
model.
``python -m fanzha.links.url_training splits`` reproduces the figures of the
model card: trained before a date and tested after, and across sources.
"""

from __future__ import annotations

import json
import logging
import sys
import time
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from fanzha.detectors.links.url_detector import UrlDetector, parse_all
from fanzha.errors import ValidationError
from fanzha.evaluation.metrics import classification_report, confusion_matrix
from fanzha.links.datasets import read_url_table, shared_url_sets
from fanzha.registry import register_evaluator, register_trainer

logger = logging.getLogger(__name__)

TRAIN_CAP = 200_000
TEMPORAL_CUT = "2022-01-01"


def shipped_url_model() -> Path:
    """Return the folder of the URL model shipped inside the package."""
    return Path(str(resources.files("fanzha.models.url")))


def load_url_model(model: Path | None = None) -> UrlDetector:
    """Load ``model`` or, by default, the shipped URL model."""
    detector = UrlDetector.load(model or shipped_url_model())
    assert isinstance(detector, UrlDetector)
    return detector


def _sample(frame: pd.DataFrame, cap: int, seed: int = 0) -> pd.DataFrame:
    return frame.sample(cap, random_state=seed) if len(frame) > cap else frame


def _fit(frame: pd.DataFrame, cap: int = TRAIN_CAP) -> UrlDetector:
    urls, labels, bad = _usable(frame["url"].tolist(), frame["label"].tolist())
    if bad:
        logger.warning("training urls quarantined n=%d first=%s", len(bad), bad[0])
    kept = _sample(pd.DataFrame({"url": urls, "label": labels}), cap)
    return UrlDetector().fit(kept["url"].tolist(), kept["label"].tolist())


@register_trainer("url")
def train_url(data_dir: Path, out: Path) -> dict[str, Any]:
    """Train the URL model on the shared sets and write it to ``out``."""
    started = time.perf_counter()
    sets = shared_url_sets(data_dir)
    frame = pd.concat(
        [
            sets["deepurlbench"][["url", "label"]],
            sets["esdaung"],
            sets["phishtank_2020"],
        ]
    )
    frame = frame.drop_duplicates("url")
    detector = _fit(frame)
    detector.save(out)
    summary = {
        "n_available": len(frame),
        "n_trained": min(len(frame), TRAIN_CAP),
        "threshold": detector.threshold_,
        "seconds": round(time.perf_counter() - started, 1),
        "out": str(out),
    }
    logger.info("url model written out=%s", out)
    return summary


@register_evaluator("url")
def evaluate_url(data: Path, model: Path | None) -> dict[str, Any]:
    """Score a canonical URL file; ``auc``/``ap`` are malicious versus benign."""
    table = read_url_table(data)
    detector = load_url_model(model)
    urls, labels, bad = _usable(table.urls, table.labels)
    report = url_report(detector, urls, labels)
    report["quarantined"] = len(table.quarantined) + len(bad)
    report["quarantine_sample"] = [
        {"line": line, "reason": reason}
        for line, reason in (table.quarantined + bad)[:20]
    ]
    return report


def _usable(
    urls: list[str], labels: list[str]
) -> tuple[list[str], list[str], list[tuple[int, str]]]:
    keep_urls, keep_labels, bad = [], [], []
    for index, (url, label) in enumerate(zip(urls, labels, strict=True)):
        try:
            parse_all([url])
        except ValidationError as exc:
            bad.append((index + 2, str(exc)))
            continue
        keep_urls.append(url)
        keep_labels.append(label)
    return keep_urls, keep_labels, bad


def url_report(
    detector: UrlDetector, urls: list[str], labels: list[str], chunk: int = 20_000
) -> dict[str, Any]:
    """Return the common evaluation keys plus ``benign_flagged`` and the threshold."""
    verdicts = []
    for start in range(0, len(urls), chunk):
        verdicts.extend(detector.score_batch(urls[start : start + chunk]))
    predicted = [v.label for v in verdicts]
    risks = [v.risk for v in verdicts]
    report = classification_report(
        labels,
        predicted,
        risks,
        positive=("phishing", "malware"),
        labels=UrlDetector.labels,
    )
    report["confusion"] = confusion_matrix(labels, predicted, UrlDetector.labels)
    benign = [
        p != "benign" for p, t in zip(predicted, labels, strict=True) if t == "benign"
    ]
    bad = [
        p != "benign" for p, t in zip(predicted, labels, strict=True) if t != "benign"
    ]
    report["benign_flagged"] = float(np.mean(benign)) if benign else None
    report["malicious_recall"] = float(np.mean(bad)) if bad else None
    report["threshold"] = detector.threshold_
    return report


def split_report(
    data_dir: Path, cap: int = TRAIN_CAP, only: str = ""
) -> dict[str, Any]:
    """Train on one part and test on another, for the model card's figures.

    ``only`` keeps the splits whose name contains it (all by default).
    """
    sets = shared_url_sets(data_dir)
    deep, esd = sets["deepurlbench"], sets["esdaung"]
    before = deep[deep["first_seen"] < TEMPORAL_CUT]
    after = _sample(deep[deep["first_seen"] >= TEMPORAL_CUT], 40_000)
    with_2020 = pd.concat([deep[["url", "label"]], sets["phishtank_2020"]])
    results: dict[str, Any] = {}
    plans = [
        (f"temporal_deepurlbench_before_{TEMPORAL_CUT}", before, after),
        ("cross_deepurlbench_to_esdaung", deep, esd),
        ("cross_deepurlbench+phishtank_2020_to_esdaung", with_2020, esd),
        ("cross_esdaung_to_deepurlbench", esd, _sample(deep, 40_000)),
    ]
    for name, train, test in plans:
        if only not in name:
            continue
        train = train[~train["url"].isin(set(test["url"]))]
        detector = _fit(train, cap)
        urls, labels, _ = _usable(test["url"].tolist(), test["label"].tolist())
        report = url_report(detector, urls, labels)
        results[name] = {
            k: report[k]
            for k in (
                "n",
                "auc",
                "ap",
                "benign_flagged",
                "malicious_recall",
                "threshold",
            )
        }
        results[name]["n_train"] = min(len(train), cap)
        logger.info("url split %s auc=%s", name, report["auc"])
    return results


if __name__ == "__main__":  # pragma: no cover - a measurement entry point
    if sys.argv[1:2] == ["splits"]:
        folder = Path(sys.argv[2]) if len(sys.argv) > 2 else Path("../shared/data")
        only = sys.argv[3] if len(sys.argv) > 3 else ""
        print(json.dumps(split_report(folder, only=only), indent=2))
