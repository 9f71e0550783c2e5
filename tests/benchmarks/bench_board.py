"""Render time of the daily NPS board for one store over the full-size demo data.

Run: .venv/bin/python tests/benchmarks/bench_board.py   (prints timings; asserts nothing)
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))


def main() -> None:
    from cx import demo

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.duckdb"
        t0 = time.perf_counter()
        demo.build(path)
        print(f"demo build (full size): {time.perf_counter() - t0:.2f} s")
        os.environ["CX_DB"] = str(path)
        from streamlit.testing.v1 import AppTest

        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
        t0 = time.perf_counter()
        at.run()
        print(f"first load (all stores, cold caches): {time.perf_counter() - t0:.2f} s")
        at.session_state["board_store"] = "HZ01"
        t0 = time.perf_counter()
        at.run()
        print(f"first load of HZ01: {time.perf_counter() - t0:.2f} s")
        assert not at.exception, at.exception
        times = []
        for _ in range(10):
            t0 = time.perf_counter()
            at.run()
            times.append(time.perf_counter() - t0)
        times.sort()
        print(
            f"HZ01 board render after the first load: median {times[len(times) // 2]:.3f} s,"
            f" best {times[0]:.3f} s, worst {times[-1]:.3f} s (10 runs)"
        )


if __name__ == "__main__":
    main()
