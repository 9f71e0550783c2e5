"""Render time of the daily NPS board for one store over the full-size demo data, and a
warm rerun's CPU beside a bare page's (a title and nothing else) in the same process.

Run: .venv/bin/python tests/benchmarks/bench_board.py [--db PATH]   (prints timings;
asserts nothing). ``--db``: measure a copy of an existing database (e.g. the 10M demo of
``python -m cx demo --rows 10000000``) instead of building the full demo; the network's
board (every store) is measured too.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", help="an existing database (a copy is used)")
    args = parser.parse_args()
    from cx import demo

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.duckdb"
        t0 = time.perf_counter()
        if args.db:
            shutil.copy(args.db, path)
        else:
            demo.build(path)
            print(f"demo build (full size): {time.perf_counter() - t0:.2f} s")
        os.environ["CX_DB"] = str(path)
        from streamlit.testing.v1 import AppTest

        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
        t0 = time.perf_counter()
        at.run()
        print(f"first load (all stores, cold caches): {time.perf_counter() - t0:.2f} s")
        times, cpu = reruns(at, 10)
        print(
            f"every store's board, warm rerun: median {times[len(times) // 2]:.3f} s;"
            f" CPU median {cpu * 1000:.0f} ms"
        )
        at.session_state["board_store"] = "HZ01"
        t0 = time.perf_counter()
        at.run()
        print(f"first load of HZ01: {time.perf_counter() - t0:.2f} s")
        assert not at.exception, at.exception
        times, cpu = reruns(at, 10)
        print(
            f"HZ01 board render after the first load: median {times[len(times) // 2]:.3f} s,"
            f" best {times[0]:.3f} s, worst {times[-1]:.3f} s (10 runs);"
            f" CPU median {cpu * 1000:.0f} ms"
        )
        bare_file = Path(tmp) / "bare.py"
        bare_file.write_text("import streamlit as st\n\nst.title('bare')\n", encoding="utf-8")
        bare = AppTest.from_file(str(bare_file)).run()
        _times, bare_cpu = reruns(bare, 10)
        print(
            f"bare page rerun CPU median {bare_cpu * 1000:.0f} ms; the board's warm rerun is"
            f" {cpu * 1000:.0f} ms = {cpu / bare_cpu:.2f}x + {(cpu - bare_cpu) * 1000:.0f} ms"
        )


def reruns(at, n: int) -> tuple[list[float], float]:
    """``n`` reruns: sorted wall times, and the median process CPU of one (all threads:
    AppTest runs the script in its own)."""
    times, cpu = [], []
    for _ in range(n):
        t0, c0 = time.perf_counter(), time.process_time()
        at.run()
        times.append(time.perf_counter() - t0)
        cpu.append(time.process_time() - c0)
    times.sort()
    cpu.sort()
    return times, cpu[n // 2]


if __name__ == "__main__":
    main()
