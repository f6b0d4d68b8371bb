"""Gang discovery accuracy on simulated reports: adjusted Rand index by noise level.

Each row simulates seeded reports (``fanzha.graph.simulator``), finds gangs with the
default parameters and prints the adjusted Rand index against the true gangs
(1.0 is a perfect match, 0 is what random grouping scores). The rows are the
table of ``docs/graph.md``::

    python bench/gang_accuracy.py              # the documented table
    python bench/gang_accuracy.py --quick      # the rows up to 5,000 reports
    python bench/gang_accuracy.py --format json
"""

from __future__ import annotations

import argparse
import json
import time
from dataclasses import asdict, dataclass, replace

import numpy as np
from sklearn.metrics import adjusted_rand_score

from fanzha.graph.gangs import gang_labels
from fanzha.graph.simulator import SimParams, simulate_reports


@dataclass(frozen=True)
class Case:
    """One table row: a name for the noise level and the simulation's parameters."""

    noise: str
    params: SimParams


def cases(quick: bool) -> list[Case]:
    """Return the documented rows; ``quick`` keeps those up to 5,000 reports."""
    small = SimParams(n_reports=2000, n_gangs=60)
    mid = SimParams(n_reports=20_000, n_gangs=600)
    rows = [Case("default", replace(small, seed=seed)) for seed in (0, 2, 4)]
    rows.append(Case("default", SimParams(n_reports=5000, n_gangs=150)))
    rows.append(Case("few gangs, one dominant", SimParams(n_reports=2000, n_gangs=20)))
    if quick:
        return rows
    rows += [
        Case("default", mid),
        Case("default", SimParams(n_reports=100_000, n_gangs=3000)),
        Case("decoys 50 %, garbled 10 %", replace(mid, p_decoy=0.5, p_typo=0.1)),
        Case("cross-gang 5 %", replace(mid, p_cross=0.05)),
    ]
    return rows


def measure(case: Case) -> dict[str, object]:
    """Simulate, find gangs and score one row."""
    sim = simulate_reports(case.params)
    start = time.perf_counter()
    labels = gang_labels(sim.incidence)
    seconds = time.perf_counter() - start
    ari = adjusted_rand_score(sim.truth, labels)
    largest = np.bincount(sim.truth).max() / len(sim.truth)
    return {
        "noise": case.noise,
        **asdict(case.params),
        "largest_gang_share": round(float(largest), 2),
        "ari": round(float(ari), 3),
        "seconds": round(seconds, 2),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--format", choices=["table", "json"], default="table")
    args = parser.parse_args()
    rows = []
    for case in cases(args.quick):
        row = measure(case)
        rows.append(row)
        if args.format == "table":
            print(
                f"{row['n_reports']:>7,} reports / {row['n_gangs']:>5,} gangs"
                f"  seed {row['seed']}  {case.noise:<28} largest gang"
                f" {row['largest_gang_share']:.0%}  ARI {row['ari']:.3f}"
                f"  ({row['seconds']} s)",
                flush=True,
            )
    if args.format == "json":
        print(json.dumps(rows, indent=2))


if __name__ == "__main__":
    main()
