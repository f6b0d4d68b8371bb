"""Score hand-written scam messages and count how many the text model calls fraud.

Usage: python bench/text_probes.py [--model DIR] [--verbose] [FILE ...]

The files in ``bench/probes/`` hold one message per line, written for this
project (no data set rows) in the styles the shared data lacks: task and
order-brushing scams, e-commerce "compensation", romance investment, credit
repair, game trading, gambling lures. ``scams_a`` and ``scams_b`` were used to
find gaps in the scenario lexicon and to write phrases for them, so their
figures are coverage, not accuracy; ``scams_c`` was written after those
phrases and has not been used to change anything: it is the check. All three
are small and by one hand: read the figures as a sanity check, not as recall
on real traffic. ``scams_d_regional`` (Taiwan and Hong Kong wording, written
before the synthetic fraud templates but read, misses included, while writing
them) and ``scams_e_check`` (written after the templates, used for nothing
else: the check) came with the templates of 2026-12-04. ``normal_chat`` and
``normal_calls`` hold ordinary personal messages and short call transcripts,
``normal_calls_long`` long personal calls (read while the synthetic ordinary
calls were written) and ``normal_calls_check`` more of them written after
(the check): there the share called fraud is the false-alarm rate (lower is
better).

For each file it prints the share called fraud (higher is better for scam
files), the share whose lexicon weight reaches 1.0 / 2.0 / 2.5, and, with
``--verbose``, each scam not called fraud (each normal message called fraud)
with its label, risk and scenario.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from fanzha.detectors.text import lexicon
from fanzha.detectors.text.model_detector import ModelTextDetector, load_default

PROBES = Path(__file__).resolve().parent / "probes"
NORMAL_PREFIX = "normal_"
"""Files named so hold ordinary messages: fraud calls there are false alarms."""


def read_probe(path: Path) -> list[str]:
    """Return the non-empty lines of a probe file."""
    lines = path.read_text("utf-8").splitlines()
    return [line.strip() for line in lines if line.strip()]


def probe_report(detector: Any, messages: list[str]) -> dict[str, Any]:
    """Return the share called fraud and the lexicon weight shares."""
    verdicts = detector.score_batch(messages)
    weights = [sum(h.weight for h in lexicon.match(m)) for m in messages]
    n = len(messages)
    return {
        "n": n,
        "called_fraud": sum(v.label == "fraud" for v in verdicts) / n,
        "lexicon_at_least": {
            str(t): sum(w >= t for w in weights) / n for t in (1.0, 2.0, 2.5)
        },
        "missed": [
            (v.label, round(v.risk, 2), v.scenario, m)
            for v, m in zip(verdicts, messages, strict=True)
            if v.label != "fraud"
        ],
        "called": [
            (v.label, round(v.risk, 2), v.scenario, m)
            for v, m in zip(verdicts, messages, strict=True)
            if v.label == "fraud"
        ],
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("files", nargs="*", type=Path)
    parser.add_argument("--model", type=Path, default=None)
    parser.add_argument("--verbose", action="store_true")
    args = parser.parse_args()
    detector = ModelTextDetector.load(args.model) if args.model else load_default()
    for path in args.files or sorted(PROBES.glob("*.txt")):
        report = probe_report(detector, read_probe(path))
        shares = ", ".join(
            f">={t}: {s:.0%}" for t, s in report["lexicon_at_least"].items()
        )
        normal = path.name.startswith(NORMAL_PREFIX)
        print(
            f"{path.name}: {report['called_fraud']:.0%} of {report['n']} called "
            f"fraud{' (false alarms)' if normal else ''}; lexicon weight {shares}"
        )
        if args.verbose:
            shown = report["called"] if normal else report["missed"]
            for label, risk, scenario, message in shown:
                print(f"  {label:8s} {risk:.2f} {scenario or '-':24s} {message}")


if __name__ == "__main__":
    main()
