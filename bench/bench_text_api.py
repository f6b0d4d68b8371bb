"""Latency of ``POST /v1/score/text`` for single messages at a fixed request rate.

Usage: python bench/bench_text_api.py [--rps 200] [--seconds 10]

Starts ``fanzha``'s API (uvicorn, one worker) in a subprocess on loopback over a
fresh SQLite store, then sends one 100-character message per request at a fixed
rate from one asyncio client and prints the latency percentiles in milliseconds.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

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
        latencies = run_load(base, headers, args.rps, args.seconds)
    finally:
        server.terminate()
        server.wait(timeout=10)
    p50, p99 = np.percentile(latencies, [50, 99])
    print(
        f"{len(latencies)} requests at {args.rps}/s: p50 {p50:.1f} ms, p99 {p99:.1f} ms"
    )


def run_load(
    base: str, headers: dict[str, str], rps: int, seconds: float
) -> list[float]:
    """Send one request every ``1/rps`` s (open loop) and return latencies in ms.

    The client is one asyncio loop writing prepared HTTP/1.1 requests on
    keep-alive connections: a thread pool, or a full HTTP client, on the same
    two cores as the server would add its own waits to the figures.
    """
    host, port = base.removeprefix("http://").split(":")
    requests = [_request(host, headers, text) for text in messages(int(rps * seconds))]
    return asyncio.run(_open_loop(host, int(port), requests, rps))


def _request(host: str, headers: dict[str, str], text: str) -> bytes:
    body = json.dumps({"text": text}).encode()
    lines = [
        "POST /v1/score/text HTTP/1.1",
        f"Host: {host}",
        "Content-Type: application/json",
        f"Content-Length: {len(body)}",
        *(f"{name}: {value}" for name, value in headers.items()),
    ]
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + body


async def _open_loop(
    host: str, port: int, requests: list[bytes], rps: int
) -> list[float]:
    # Connections kept alive, with when each was last used: the server closes
    # one that stays idle for 5 s, so older ones are dropped, not reused.
    idle: list[tuple[asyncio.StreamReader, asyncio.StreamWriter, float]] = []
    started = time.perf_counter()

    async def connection(now: float) -> tuple[Any, Any]:
        while idle:
            reader, writer, used = idle.pop()
            if now - used < 2.0:
                return reader, writer
            writer.close()
        return await asyncio.open_connection(host, port)

    async def one(i: int) -> float:
        await asyncio.sleep(max(0.0, started + i / rps - time.perf_counter()))
        sent = time.perf_counter()
        reader, writer = await connection(sent)
        writer.write(requests[i])
        head = await reader.readuntil(b"\r\n\r\n")
        if not head.startswith(b"HTTP/1.1 200"):
            raise SystemExit(f"request {i} failed: {head[:80]!r}")
        length = int(head.lower().split(b"content-length:")[1].split(b"\r\n")[0])
        await reader.readexactly(length)
        done = time.perf_counter()
        idle.append((reader, writer, done))
        return 1000 * (done - sent)

    latencies = await asyncio.gather(*(one(i) for i in range(len(requests))))
    for _, writer, _ in idle:
        writer.close()
    return list(latencies)


if __name__ == "__main__":
    main()
