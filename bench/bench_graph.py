"""Benchmarks of the entity graph: gang discovery and a 6-hop money trace.

Each part times fanzha at the large size, then fanzha and a plain networkx
implementation of the same algorithm on one smaller graph in the same run, and
prints the ratio (networkx seconds / fanzha seconds). networkx comes with the
dev extra.

    python bench/bench_graph.py --reports 1000000 --mentions 8.5 \
        --transfers 10000000 --small-reports 20000 --small-transfers 200000
    python bench/bench_graph.py --only gangs --reports 1000000 --end-to-end

``--end-to-end`` also writes the large simulation to JSON Lines and times what
``fanzha gangs --reports FILE`` does with it: read, validate, group and rank.
"""

from __future__ import annotations

import argparse
import heapq
import resource
import tempfile
import time
from pathlib import Path

import networkx as nx
import numpy as np
import pandas as pd

from fanzha.graph.gangs import gang_labels
from fanzha.graph.service import find_gangs, read_reports_jsonl
from fanzha.graph.simulator import SimParams, simulate_reports, write_jsonl
from fanzha.graph.trace import TransferIndex, trace_funds

CPU: dict[str, float] = {}


def _timed(fn, *args, **kwargs):
    # Wall seconds are returned; CPU seconds of the last call are kept in CPU,
    # since a shared machine's wall time swings with the other processes.
    start, cpu = time.perf_counter(), time.process_time()
    out = fn(*args, **kwargs)
    CPU["last"] = time.process_time() - cpu
    return out, time.perf_counter() - start


def nx_gangs(inc) -> int:
    """Components, then Louvain on each big one: networkx's nearest equivalent."""
    graph = nx.Graph()
    offset = inc.n_reports
    graph.add_edges_from(
        zip(
            inc.report_index.tolist(), (inc.entity_index + offset).tolist(), strict=True
        )
    )
    groups = 0
    for comp in nx.connected_components(graph):
        if len(comp) > 4:
            groups += len(
                nx.community.louvain_communities(graph.subgraph(comp), seed=0)
            )
        else:
            groups += 1
    return groups


def bench_gangs(args: argparse.Namespace) -> None:
    big = SimParams(
        n_reports=args.reports,
        n_gangs=max(args.reports // 33, 2),
        mentions_mean=args.mentions,
    )
    sim, gen_s = _timed(simulate_reports, big)
    labels, ours = _timed(gang_labels, sim.incidence)
    print(
        f"gangs: reports={args.reports} edges={len(sim.incidence.report_index)} "
        f"groups={labels.max() + 1} fanzha_s={ours:.1f} cpu_s={CPU['last']:.1f} "
        f"(simulate {gen_s:.1f}s)",
        flush=True,
    )
    if args.end_to_end:
        bench_from_file(sim)

    small = SimParams(
        n_reports=args.small_reports,
        n_gangs=max(args.small_reports // 33, 2),
        mentions_mean=args.mentions,
    )
    sim = simulate_reports(small)
    _, ours_small = _timed(gang_labels, sim.incidence)
    ours_cpu = CPU["last"]
    _, nx_small = _timed(nx_gangs, sim.incidence)
    print(
        f"gangs small: reports={args.small_reports} "
        f"edges={len(sim.incidence.report_index)} fanzha_s={ours_small:.2f} "
        f"networkx_s={nx_small:.2f} ratio={nx_small / ours_small:.1f}x "
        f"cpu_ratio={CPU['last'] / ours_cpu:.1f}x",
        flush=True,
    )


def bench_from_file(sim) -> None:
    """Time what ``fanzha gangs --reports FILE`` does: read, validate, group, rank."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "reports.jsonl"
        write_jsonl(sim, path, Path(folder) / "truth.csv")
        (rows, bad), read_s = _timed(read_reports_jsonl, path)
        read_cpu = CPU["last"]
        result, find_s = _timed(find_gangs, rows, None, 2, bad)
    print(
        f"gangs from file: read_s={read_s:.1f} (cpu {read_cpu:.1f}) "
        f"validate_group_rank_s={find_s:.1f} (cpu {CPU['last']:.1f}) "
        f"total_s={read_s + find_s:.1f} gangs={len(result.gangs)}",
        flush=True,
    )


def random_transfers(n: int, seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    accounts = max(n // 10, 10)
    return pd.DataFrame(
        {
            "src": rng.integers(0, accounts, n),
            "dst": rng.integers(0, accounts, n),
            "amount": np.round(rng.lognormal(6, 1, n), 2),
            "at": np.sort(rng.uniform(0, 90 * 86400, n)),
            "transfer_id": np.arange(n).astype(str),
        }
    )


def nx_trace(frame: pd.DataFrame, start: str, max_hops: int, window: float) -> int:
    """The same first-in-first-out trace over a networkx MultiDiGraph."""
    graph = nx.MultiDiGraph()
    for row in frame.itertuples(index=False):
        graph.add_edge(
            row.src, row.dst, key=row.transfer_id, amount=row.amount, at=row.at
        )
    first = frame[frame["transfer_id"] == start].iloc[0]
    until, used = first["at"] + window, {start: first["amount"]}
    queue = [(first["at"], start, first["dst"], first["amount"], 1)]
    seen = 1
    while queue:
        at, _, account, left, hop = heapq.heappop(queue)
        if hop >= max_hops:
            continue
        outs = sorted(
            (d["at"], k, v, d["amount"])
            for _, v, k, d in graph.out_edges(account, keys=True, data=True)
            if at <= d["at"] <= until
        )
        for t, key, dst, amount in outs:
            part = min(left, amount - used.get(key, 0.0))
            if left <= 1e-9:
                break
            if part > 1e-9:
                used[key] = used.get(key, 0.0) + part
                left -= part
                seen += 1
                heapq.heappush(queue, (t, key, dst, part, hop + 1))
    return seen


def bench_trace(args: argparse.Namespace) -> None:
    window = args.window_days * 86400.0
    frame = random_transfers(args.transfers)
    index, build_s = _timed(TransferIndex, frame)
    starts = frame["transfer_id"].iloc[: len(frame) // 10 : len(frame) // 200]
    runs = [_timed(trace_funds, index, s, 6, window) for s in starts]
    times = [t for _, t in runs]
    deep = [t for tr, t in runs if tr.n_hops == 6]
    sizes = [len(tr.to_dict()["edges"]) for tr, _ in runs]
    print(
        f"trace: transfers={args.transfers} index_build_s={build_s:.1f} "
        f"traces={len(times)} reaching_6_hops={len(deep)} "
        f"median_s={np.median(times):.4f} max_s={max(times):.4f} "
        f"6hop_max_s={max(deep, default=float('nan')):.4f} "
        f"transfers_per_trace_median={int(np.median(sizes))}",
        flush=True,
    )

    small = random_transfers(args.small_transfers)
    start = small["transfer_id"].iloc[10]

    def ours() -> object:
        return trace_funds(TransferIndex(small), start, 6, window)

    _, ours_s = _timed(ours)
    _, theirs = _timed(nx_trace, small, start, 6, window)
    print(
        f"trace small (build + one trace): transfers={args.small_transfers} "
        f"fanzha_s={ours_s:.2f} networkx_s={theirs:.2f} "
        f"ratio={theirs / ours_s:.1f}x",
        flush=True,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--reports", type=int, default=200_000)
    parser.add_argument(
        "--mentions",
        type=float,
        default=8.5,
        help="mean extra mentions per report (edges ~ reports x (mentions + 1.3))",
    )
    parser.add_argument("--transfers", type=int, default=2_000_000)
    parser.add_argument("--small-reports", type=int, default=20_000)
    parser.add_argument("--small-transfers", type=int, default=200_000)
    parser.add_argument("--window-days", type=float, default=90.0)
    parser.add_argument("--only", choices=["gangs", "trace"], default=None)
    parser.add_argument(
        "--end-to-end",
        action="store_true",
        help="also time gangs from a JSON Lines file of the large simulation",
    )
    args = parser.parse_args()
    if args.only in (None, "gangs"):
        bench_gangs(args)
    if args.only in (None, "trace"):
        bench_trace(args)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak_rss_mb={peak:.0f}")


if __name__ == "__main__":
    main()
