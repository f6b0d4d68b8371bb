"""``fanzha train money`` and ``fanzha evaluate money`` on AMLSim-layout graphs.

Training reads either one AMLSim folder or every AMLSim folder under
``<data>/money/amlsim``; each graph's features are computed on that graph alone
(amounts relative to its own median), then the rows are pooled. Evaluation
scores every account of one graph with the shipped (or a given) model.
"""

from __future__ import annotations

import logging
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from fanzha.errors import NotFoundError
from fanzha.evaluation.metrics import classification_report
from fanzha.graph.amlsim import read_amlsim
from fanzha.graph.flow_features import flow_features
from fanzha.registry import register_evaluator, register_trainer

logger = logging.getLogger(__name__)


def shipped_model_path() -> Path:
    """The folder of the mule model that ships inside the package."""
    return Path(str(resources.files("fanzha") / "models" / "money"))


def load_mule_model(model: Path | None = None) -> Any:
    """Load the mule detector from ``model`` or the shipped folder."""
    from fanzha.detectors.graph.mule_detector import MuleAccountDetector

    folder = model or shipped_model_path()
    if not (folder / "detector.json").is_file():
        raise NotFoundError(
            f"no mule model at {folder}; run 'fanzha train money' or pass --model"
        )
    return MuleAccountDetector.load(folder)


def amlsim_folders(data: Path) -> list[Path]:
    """Return ``data`` if it is an AMLSim folder, else the ones below it."""
    if (data / "transactions.csv").is_file():
        return [data]
    root = data / "money" / "amlsim" if (data / "money").is_dir() else data
    found = sorted(p.parent for p in root.glob("*/transactions.csv"))
    if not found:
        raise NotFoundError(
            f"no AMLSim folder (with transactions.csv) under {data}; "
            "pass the shared data folder or one AMLSim folder"
        )
    return found


@register_trainer("money")
def train_money(data: Path, out: Path) -> dict[str, Any]:
    """Train the mule model on the AMLSim graphs found in ``data``; save to ``out``."""
    from fanzha.detectors.graph.mule_detector import MuleAccountDetector

    frames, truths = [], []
    folders = amlsim_folders(data)
    for folder in folders:
        graph = read_amlsim(folder)
        frames.append(
            flow_features(graph.transfers, pd.Index(graph.accounts["account"]))
        )
        truths.append(graph.accounts["laundering"].to_numpy().astype(bool))

    detector = MuleAccountDetector().fit_frame(
        pd.concat(frames), np.concatenate(truths)
    )
    detector.save(out)
    return {
        "model": str(out),
        "graphs": [f.name for f in folders],
        "accounts": int(sum(len(t) for t in truths)),
        "mules": int(sum(t.sum() for t in truths)),
        "threshold": detector.threshold_,
    }


@register_evaluator("money")
def evaluate_money(data: Path, model: Path | None) -> dict[str, Any]:
    """Score every account of one AMLSim graph; report auc, ap and per-label keys."""
    detector = load_mule_model(model)
    graph = read_amlsim(amlsim_folders(data)[0])
    if "laundering" not in graph.accounts:
        raise NotFoundError(f"{data}/nodes.csv has no isFraud column to evaluate on")
    risks = detector.score_graph(graph.transfers, list(graph.accounts["account"]))

    truth = ["mule" if v else "normal" for v in graph.accounts["laundering"]]
    pred = ["mule" if r >= detector.threshold_ else "normal" for r in risks]
    report = classification_report(
        truth, pred, scores=risks.tolist(), positive=["mule"], labels=["normal", "mule"]
    )
    report["quarantined"] = len(graph.quarantine)
    report["model_version"] = detector.model_version
    logger.info(
        "money evaluated accounts=%d auc=%s ap=%s",
        report["n"],
        report.get("auc"),
        report.get("ap"),
    )
    return report
