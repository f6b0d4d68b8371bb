"""Training, evaluation and grouped split measurements of the page classifier.

Training reads ``shared/data/url/pages_setfit/html_pages.tar.xz`` without
unpacking it. Phishing kits repeat: thousands of pages share a few hundred
titles, so the measured split keeps every title cluster on one side
(``python -m fanzha.links.page_training splits``); a random split would score
memorised templates.
"""

from __future__ import annotations

import json
import logging
import sys
import tarfile
import time
from collections.abc import Iterator
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np

from fanzha.detectors.links.page_detector import PageDetector
from fanzha.errors import ValidationError
from fanzha.evaluation.metrics import classification_report, confusion_matrix
from fanzha.links.datasets import read_page_index
from fanzha.links.pages import PageInfo, parse_page
from fanzha.links.shingles import cluster_fold, title_cluster
from fanzha.registry import register_evaluator, register_trainer

logger = logging.getLogger(__name__)

SETFIT = Path("url") / "pages_setfit" / "html_pages.tar.xz"
MAX_FILE_BYTES = 25_000_000


def shipped_page_model() -> Path:
    """Return the folder of the page model shipped inside the package."""
    return Path(str(resources.files("fanzha.models.page")))


def load_page_model(model: Path | None = None) -> PageDetector:
    """Load ``model`` or, by default, the shipped page model."""
    detector = PageDetector.load(model or shipped_page_model())
    assert isinstance(detector, PageDetector)
    return detector


def setfit_pages(data_dir: Path) -> Iterator[tuple[str, str, PageInfo]]:
    """Yield ``(member name, label, parsed page)`` from the SetFit archive."""
    with tarfile.open(data_dir / SETFIT, "r:xz") as archive:
        for member in archive:
            if not member.isfile() or not member.name.endswith(".html"):
                continue
            handle = archive.extractfile(member)
            data = handle.read() if handle else b""
            label = "benign" if "/not_phish/" in member.name else "phishing"
            try:
                yield member.name, label, parse_page(data)
            except ValidationError as exc:
                logger.warning("page skipped file=%s reason=%s", member.name, exc)


def in_test_fold(cluster: str, folds: int = 5) -> bool:
    """Return whether a title cluster falls in the held-out fold (stable hash)."""
    return cluster_fold(cluster, folds) == 0


@register_trainer("pages")
def train_pages(data_dir: Path, out: Path) -> dict[str, Any]:
    """Train the page model on every SetFit page and write it to ``out``."""
    started = time.perf_counter()
    rows = list(setfit_pages(data_dir))
    detector = PageDetector().fit([r[2] for r in rows], [r[1] for r in rows])
    detector.save(out)
    return {
        "n_trained": len(rows),
        "threshold": detector.threshold_,
        "seconds": round(time.perf_counter() - started, 1),
        "out": str(out),
    }


def split_report(data_dir: Path) -> dict[str, Any]:
    """Train on four fifths of the title clusters, test on the rest."""
    rows = list(setfit_pages(data_dir))
    test = [in_test_fold(title_cluster(r[2])) for r in rows]
    train_rows = [r for r, t in zip(rows, test, strict=True) if not t]
    test_rows = [r for r, t in zip(rows, test, strict=True) if t]
    detector = PageDetector().fit(
        [r[2] for r in train_rows], [r[1] for r in train_rows]
    )
    report = page_report(detector, [r[2] for r in test_rows], [r[1] for r in test_rows])
    report["n_train"] = len(train_rows)
    report["clusters_test"] = len({title_cluster(r[2]) for r in test_rows})
    return report


def page_report(
    detector: PageDetector, pages: list[PageInfo], labels: list[str]
) -> dict[str, Any]:
    """Return the common keys, recall and benign share flagged, and the threshold."""
    verdicts = detector.score_batch(pages)
    predicted = [v.label for v in verdicts]
    risks = np.asarray([v.risk for v in verdicts])
    truth = np.asarray([label != "benign" for label in labels])
    report = classification_report(
        labels,
        predicted,
        risks.tolist(),
        positive=("phishing", "malware"),
        labels=PageDetector.labels,
    )
    report["confusion"] = confusion_matrix(labels, predicted, PageDetector.labels)
    flagged = np.asarray([p != "benign" for p in predicted])
    report["recall"] = float(flagged[truth].mean()) if truth.any() else None
    report["benign_flagged"] = float(flagged[~truth].mean()) if (~truth).any() else None
    if truth.any() and (~truth).any():
        cut = float(np.quantile(risks[~truth], 0.98))
        report["recall_at_2pct_benign_flagged"] = float((risks[truth] > cut).mean())
    report["threshold"] = detector.threshold_
    return report


@register_evaluator("pages")
def evaluate_pages(data: Path, model: Path | None) -> dict[str, Any]:
    """Score a canonical page folder (``index.csv`` with ``file,label[,url]``)."""
    rows, bad = read_page_index(data)
    detector = load_page_model(model)
    pages, labels = [], []
    for line, row in enumerate(rows, start=2):
        try:
            pages.append(_read_page(data, row))
            labels.append(row["label"])
        except ValidationError as exc:
            bad.append((line, str(exc)))
    report = page_report(detector, pages, labels)
    report["quarantined"] = len(bad)
    report["quarantine_sample"] = [{"line": n, "reason": r} for n, r in bad[:20]]
    return report


def _read_page(folder: Path, row: dict[str, str]) -> PageInfo:
    path = (folder / row["file"]).resolve()
    if not path.is_file():
        raise ValidationError(f"page file {row['file']!r} does not exist")
    with open(path, "rb") as handle:
        data = handle.read(MAX_FILE_BYTES)
    return parse_page(data, url=row.get("url") or None)


if __name__ == "__main__":  # pragma: no cover - a measurement entry point
    if sys.argv[1:2] == ["splits"]:
        folder = Path(sys.argv[2]) if len(sys.argv) > 2 else Path("../shared/data")
        print(json.dumps(split_report(folder), indent=2, default=str))
