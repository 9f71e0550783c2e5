"""A warm rerun's server CPU, measured on a real Streamlit server: the board (the network's
and one store's) beside a bare page (a title and nothing else), each served by its own
``streamlit run`` process on loopback with the project's settings and driven by a
websocket session that speaks Streamlit's protocol as a browser does.

``bench_board.py`` measures the same reruns under AppTest, whose own work (rebuilding
the element tree from every message, a mock per run) counts in its process CPU; here
the process is the server only: the script's run, turning each element into a message
and sending it. CPU is read from ``/proc`` (user + system, all threads) over batches of
reruns, so a thread that ends within a batch is counted too.

Run: .venv/bin/python tests/benchmarks/bench_rerun_server.py [--db PATH] [--reruns 10]
    [--batches 7]
``--db``: a copy of an existing database (e.g. the 10M demo); without it the full demo
is built. Prints numbers; asserts nothing.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_many_readers import _run, session  # noqa: E402 - the same websocket client

TICK = os.sysconf("SC_CLK_TCK")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _cpu_seconds(pid: int) -> float:
    """User + system CPU of the process, all its threads, dead ones included."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICK


def _serve(script: Path, env: dict) -> tuple[subprocess.Popen, str]:
    port = _free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(script), "--server.port", str(port)],
        cwd=ROOT,  # the project's .streamlit/config.toml, for the bare page too
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.time() + 120
    while time.time() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return proc, url
        except OSError:
            time.sleep(0.2)
    proc.kill()
    raise SystemExit(f"the server on port {port} did not start")


async def _measure(url: str, pid: int, query: str, reruns: int, batches: int) -> dict:
    async with session(url) as ws:
        t0 = time.perf_counter()
        if not (await _run(ws, query))[1]:
            raise SystemExit(f"{query or 'the bare page'}: the first run failed")
        first = time.perf_counter() - t0
        for _ in range(3):  # caches warm
            await _run(ws, query)
        cpu, wall = [], []
        for _ in range(batches):
            c0, t0 = _cpu_seconds(pid), time.perf_counter()
            for _ in range(reruns):
                await _run(ws, query)
            wall.append((time.perf_counter() - t0) / reruns)
            cpu.append((_cpu_seconds(pid) - c0) / reruns)
    return {"first": first, "cpu": cpu, "wall": wall}


def _line(name: str, res: dict) -> str:
    cpu = statistics.median(res["cpu"]) * 1000
    return (
        f"{name}: first run {res['first'] * 1000:,.0f} ms; warm rerun CPU median {cpu:.0f} ms"
        f" (batches {', '.join(f'{c * 1000:.0f}' for c in sorted(res['cpu']))}),"
        f" wall {statistics.median(res['wall']) * 1000:.0f} ms"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", help="an existing database (a copy is used)")
    parser.add_argument("--reruns", type=int, default=10, help="reruns a batch")
    parser.add_argument("--batches", type=int, default=7)
    parser.add_argument("--store", default="HZ01", help="the one store's board")
    args = parser.parse_args()
    from cx import demo

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.duckdb"
        if args.db:
            shutil.copy(args.db, path)
        else:
            demo.build(path)
        bare = Path(tmp) / "bare.py"
        bare.write_text("import streamlit as st\n\nst.title('bare')\n", encoding="utf-8")
        env = {**os.environ, "CX_DB": str(path)}
        results = {}
        for name, script, query in (
            ("bare page", bare, ""),
            ("the network's board", ROOT / "app.py", "lang=en"),
            (f"{args.store}'s board", ROOT / "app.py", f"lang=en&store={args.store}"),
        ):
            proc, url = _serve(script, env)
            try:
                results[name] = asyncio.run(
                    _measure(url, proc.pid, query, args.reruns, args.batches)
                )
            finally:
                proc.terminate()
                proc.wait(30)
            print(_line(name, results[name]), flush=True)
        base = statistics.median(results["bare page"]["cpu"])
        for name, res in results.items():
            if name != "bare page":
                cpu = statistics.median(res["cpu"])
                print(
                    f"{name}: {cpu * 1000:.0f} ms = {cpu / base:.2f}x the bare page"
                    f" + {(cpu - base) * 1000:.0f} ms (goal: at most"
                    f" {(1.25 * base + 0.05) * 1000:.0f} ms)"
                )


if __name__ == "__main__":
    main()
