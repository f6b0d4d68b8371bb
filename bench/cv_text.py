"""Cross-validate the default text model on the shared data, per source.

Usage: python bench/cv_text.py [--folds 5] [--only N] [--evasion] [--record DIR]
       [--min-n 1] [--skip 0] [--no-notices] [--no-fraud-templates]
       [--no-dialogues]

Every source is split into campaign-grouped folds (messages sharing their first
12 normalised characters stay together); each fold is scored by a model trained
on all sources' other folds. ``--record`` stores the figures beside a model so
that its MODEL_CARD.md shows them. ``--min-n`` and ``--skip`` train the fold
models with those :class:`~fanzha.detectors.text.model_detector.ModelTextDetector`
options (defaults: the shipped model's). ``--no-notices`` leaves the synthetic
service notices (:mod:`fanzha.detectors.text.notices`) out of the training folds,
``--no-fraud-templates`` the synthetic fraud messages
(:func:`fanzha.detectors.text.synthetic.fraud_rows`), ``--no-dialogues`` the
synthetic ordinary calls (:func:`~fanzha.detectors.text.synthetic.dialogue_rows`).
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

from fanzha.detectors.text.corpus import load_shared_text
from fanzha.detectors.text.model_card import record_metrics
from fanzha.detectors.text.training import cross_validate

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--data-dir", type=Path, default=SHARED)
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--only", type=int, default=None)
    parser.add_argument("--record", type=Path, default=None)
    parser.add_argument("--evasion", action="store_true")
    parser.add_argument("--min-n", type=int, default=1)
    parser.add_argument("--skip", type=int, default=0)
    parser.add_argument("--no-notices", action="store_true")
    parser.add_argument("--no-fraud-templates", action="store_true")
    parser.add_argument("--no-dialogues", action="store_true")
    args = parser.parse_args()
    options = {"min_n": args.min_n, "skip": args.skip}
    started = time.perf_counter()
    report = cross_validate(
        load_shared_text(args.data_dir),
        args.folds,
        only=args.only,
        evasion=args.evasion,
        params=options,
        notices=not args.no_notices,
        fraud_templates=not args.no_fraud_templates,
        normal_dialogues=not args.no_dialogues,
    )
    summary = {
        "protocol": f"{args.folds}-fold campaign-grouped CV over all shared sources"
        + (f", first {args.only} folds" if args.only else ""),
        "options": options,
        "synthetic_notices": not args.no_notices,
        "synthetic_fraud": not args.no_fraud_templates,
        "synthetic_dialogues": not args.no_dialogues,
        "macro_f1": round(report["macro_f1"], 4),
        "auc": report["auc"],
        "ap": report["ap"],
        "fraud_recall": round(report["fraud_recall"], 4),
        "scenario_macro_f1": report["scenario_macro_f1"],
        "per_source": report["per_source"],
        "evasion": report.get("evasion"),
        "seconds": round(time.perf_counter() - started, 1),
    }
    print(json.dumps(summary, ensure_ascii=False, indent=2))
    if args.record:
        record_metrics(args.record, summary)


if __name__ == "__main__":
    main()
