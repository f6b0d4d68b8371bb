"""Latency of ``POST /v1/score/text`` for single messages at a fixed request rate.

Usage: python bench/bench_text_api.py [--rps 200] [--seconds 10]

Starts ``fanzha``'s API (uvicorn, one worker) in a subprocess on loopback over a
fresh SQLite store, then sends one 100-character message per request at a fixed
rate from a thread pool and prints the latency percentiles in milliseconds.
"""

from __future__ import annotations

import argparse
import socket
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_text import messages  # noqa: E402

SERVER = """
import sys, uvicorn
from fanzha.api.app import create_app
from fanzha.settings import load_settings
from fanzha.storage import Store
folder, port = sys.argv[1], int(sys.argv[2])
store = Store(f"sqlite:///{folder}/bench.db")
app = create_app(load_settings(overrides={"data_dir": folder}, environ={}),
                 store=store, upgrade=False)
uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning")
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def api_key(folder: str) -> str:
    from fanzha.storage import Store

    store = Store(f"sqlite:///{folder}/bench.db")
    store.upgrade()
    key = store.create_api_key("bench", "viewer")[1]
    store.close()
    return str(key)


def wait_ready(client: httpx.Client) -> None:
    for _ in range(300):
        try:
            if client.post("/v1/score/text", json={"text": "预热"}).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.1)
    raise SystemExit("the API did not start")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rps", type=int, default=200)
    parser.add_argument("--seconds", type=float, default=10.0)
    args = parser.parse_args()
    folder, port = tempfile.mkdtemp(), free_port()
    headers = {"Authorization": f"Bearer {api_key(folder)}"}
    server = subprocess.Popen([sys.executable, "-c", SERVER, folder, str(port)])
    try:
        base = f"http://127.0.0.1:{port}"
        with httpx.Client(base_url=base, headers=headers, timeout=10) as client:
            wait_ready(client)
            latencies = run_load(client, args.rps, args.seconds)
    finally:
        server.terminate()
        server.wait(timeout=10)
    p50, p99 = np.percentile(latencies, [50, 99])
    print(
        f"{len(latencies)} requests at {args.rps}/s: p50 {p50:.1f} ms, p99 {p99:.1f} ms"
    )


def run_load(client: httpx.Client, rps: int, seconds: float) -> list[float]:
    texts = messages(int(rps * seconds))
    started = time.perf_counter()

    def one(i: int) -> float:
        delay = started + i / rps - time.perf_counter()
        if delay > 0:
            time.sleep(delay)
        sent = time.perf_counter()
        client.post("/v1/score/text", json={"text": texts[i]}).raise_for_status()
        return 1000 * (time.perf_counter() - sent)

    with ThreadPoolExecutor(max_workers=32) as pool:
        return list(pool.map(one, range(len(texts))))


if __name__ == "__main__":
    main()
