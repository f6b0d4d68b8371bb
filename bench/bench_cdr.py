"""Benchmark: number features from call records on DuckDB, pandas and local Spark.

Simulates N calls to Parquet parts, then times each engine in its own process
(so peak memory is the engine's own):

- DuckDB on all N calls (bounded by --memory-limit), writing the features
  straight to Parquet so that they never pass through pandas; the work is split
  into buckets of numbers sized to the memory limit (``--buckets`` to force a
  count, 1 for one pass);
- DuckDB and pandas on the same first M calls (the pandas twin holds everything in
  memory), giving a same-run ratio;
- optionally local Spark on all N calls.

    python bench/bench_cdr.py --calls 10000000 --pandas-calls 2000000 --spark
    python bench/bench_cdr.py --data ./sim --pandas-calls 10000000 --threads 2

Prints one JSON object: wall and CPU seconds, peak RSS (MB), the load average
when each stage ended (the machine is shared: compare CPU seconds when it is
busy) and the ratios.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

DAY = 86_400
CALLS_PER_USER_DAY = 8.0  # 4 calls a day, each kept by both parties


def simulate(folder: Path, calls: int, days: int) -> dict:
    from fanzha.calls.simulator import CallSimulator, SimulationConfig

    users = max(int(calls / (CALLS_PER_USER_DAY * days)), 100)
    config = SimulationConfig(
        n_users=users, days=days, n_gateways=20, n_robocallers=50, n_fraud=200
    )
    start = time.perf_counter()
    summary = CallSimulator(config).write_parquet(folder, extras=False)
    summary["seconds"] = time.perf_counter() - start
    return summary


def first_parts(folder: Path, limit: int) -> list[str]:
    import pyarrow.parquet as pq

    chosen, total = [], 0
    for part in sorted((folder / "calls").glob("*.parquet")):
        if total >= limit:
            break
        chosen.append(str(part))
        total += pq.ParquetFile(part).metadata.num_rows
    return chosen


def run_stage(engine: str, files: list[str], window: int, options: dict) -> dict:
    from fanzha.analytics.duckdb_backend import DuckDBBackend, buckets_for
    from fanzha.analytics.pandas_backend import PandasBackend

    backend: Any
    if engine == "spark":
        from fanzha.analytics.spark_backend import SparkBackend

        backend = SparkBackend("local[2]", {"spark.driver.memory": "6g"})
    elif engine.startswith("duckdb"):
        backend = DuckDBBackend(
            memory_limit=options["memory"],
            threads=options["threads"],
            temp_dir=options["temp_dir"] or tempfile.gettempdir(),
        )
    else:
        backend = PandasBackend()
    extra: dict = {}
    cpu, start = cpu_seconds(), time.perf_counter()
    if engine == "duckdb-parquet":
        out = Path(tempfile.mkdtemp(prefix="fanzha-features-")) / "features.parquet"
        calls = sum(_rows(f) for f in files)
        workers = options["threads"] or os.cpu_count() or 1
        buckets = options["buckets"] or buckets_for(calls, options["memory"], workers)
        rows = backend.write_features(
            {"calls": files}, out, window_s=window, buckets=buckets
        )
        extra = {"calls": calls, "buckets": buckets}
        shutil.rmtree(out.parent)
    else:
        rows = len(backend.number_features({"calls": files}, window_s=window))
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    if engine == "spark":  # the work runs in the JVM, a child process
        extra = {"jvm_cpu_seconds": descendants_cpu_seconds()}
    return {
        "engine": engine,
        "seconds": seconds,
        "cpu_seconds": cpu_seconds() - cpu,
        "rows_out": rows,
        "peak_rss_mb": peak,
        "load_average": os.getloadavg(),
        **extra,
    }


def _rows(path: str) -> int:
    import pyarrow.parquet as pq

    return int(pq.ParquetFile(path).metadata.num_rows)


def cpu_seconds() -> float:
    """User plus system CPU time of this process (all its threads), in seconds."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def descendants_cpu_seconds() -> float:
    """User plus system CPU time of this process's live descendants (Linux)."""
    tick = os.sysconf("SC_CLK_TCK")
    stats = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        # After the name: state, ppid, ..., utime (12th) and stime (13th).
        stats[int(stat.parent.name)] = (
            int(fields[1]),
            int(fields[11]) + int(fields[12]),
        )
    family, total, grew = {os.getpid()}, 0, True
    while grew:
        grew = False
        for pid, (parent, _) in stats.items():
            if parent in family and pid not in family:
                family.add(pid)
                total += stats[pid][1]
                grew = True
    return total / tick


def in_subprocess(engine: str, files: list[str], window: int, options: dict) -> dict:
    spec = json.dumps(
        {"engine": engine, "files": files, "window": window, "options": options}
    )
    out = subprocess.run(
        [sys.executable, __file__, "--stage", spec],
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--calls", type=int, default=10_000_000)
    parser.add_argument("--pandas-calls", type=int, default=2_000_000)
    parser.add_argument("--days", type=int, default=7)
    parser.add_argument("--window", type=int, default=DAY, help="window in seconds")
    parser.add_argument("--memory-limit", default="6GB")
    parser.add_argument("--threads", type=int, help="DuckDB threads (default: all)")
    parser.add_argument(
        "--buckets", type=int, help="number buckets for DuckDB on all calls"
    )
    parser.add_argument("--temp-dir", help="DuckDB spill and bucket files")
    parser.add_argument("--spark", action="store_true")
    parser.add_argument("--data", type=Path, help="reuse a simulated folder")
    parser.add_argument("--keep", action="store_true", help="keep the simulated data")
    parser.add_argument("--stage", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.stage:
        spec = json.loads(args.stage)
        print(
            json.dumps(
                run_stage(
                    spec["engine"], spec["files"], spec["window"], spec["options"]
                )
            )
        )
        return

    folder = args.data or Path(tempfile.mkdtemp(prefix="fanzha-bench-"))
    sim = (
        {"folder": str(folder)}
        if args.data
        else simulate(folder, args.calls, args.days)
    )
    everything = first_parts(folder, 10**12)
    some = first_parts(folder, args.pandas_calls)
    options = {
        "memory": args.memory_limit,
        "threads": args.threads,
        "buckets": args.buckets,
        "temp_dir": args.temp_dir,
    }
    stage = (args.window, options)
    results = {
        "simulation": {k: v for k, v in sim.items() if k != "config"},
        "duckdb_all": in_subprocess("duckdb-parquet", everything, *stage),
        "duckdb_sample": in_subprocess("duckdb", some, *stage),
        "pandas_sample": in_subprocess("pandas", some, *stage),
    }
    if args.spark:
        results["spark_all"] = in_subprocess("spark", everything, *stage)
    pandas_s = results["pandas_sample"]["seconds"]
    results["ratio_duckdb_sample_to_pandas_sample"] = (
        results["duckdb_sample"]["seconds"] / pandas_s
    )
    results["ratio_duckdb_all_to_pandas_sample"] = (
        results["duckdb_all"]["seconds"] / pandas_s
    )
    pandas_cpu = results["pandas_sample"]["cpu_seconds"]
    for name in ("duckdb_sample", "duckdb_all"):
        results[f"cpu_ratio_{name}_to_pandas_sample"] = (
            results[name]["cpu_seconds"] / pandas_cpu
        )
    print(json.dumps(results, indent=2))
    if not (args.data or args.keep):
        shutil.rmtree(folder)


if __name__ == "__main__":
    main()
