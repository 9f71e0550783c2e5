"""Benchmark: render time of the CX overview page over the full-size demo data.

Builds the full demo database (``cx.demo.build``) into a temporary folder, opens the
page once per scope (the first load fills the caches), then times further renders
(AppTest runs of the page script, so Streamlit's own work is included). Prints the
numbers; asserts nothing.

    .venv/bin/python tests/benchmarks/bench_overview.py [--runs 5]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "cx.duckdb"
        os.environ["CX_DB"] = str(path)
        os.environ.setdefault("CX_USER", "bench")
        from cx import db, demo

        start = time.perf_counter()
        demo.build(path, force=True)
        with db.connect(path) as con:
            rows = con.execute("SELECT count(*) FROM responses").fetchall()[0][0]
            region = con.execute("SELECT min(region) FROM stores").fetchall()[0][0]
        print(f"demo data: {rows:,} answers, built in {time.perf_counter() - start:.1f} s")

        from streamlit.testing.v1 import AppTest

        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=300)
        at.run()
        start = time.perf_counter()
        at.switch_page("pages/overview.py").run()
        assert not at.exception, at.exception
        print(f"first load (all stores, empty caches): {time.perf_counter() - start:.3f} s")

        scopes = [
            ("all stores", [], []),
            ("HZ01", [], ["HZ01"]),
            (f"region {region}", [region], []),
        ]
        for name, regions, stores in scopes:
            times = []
            for i in range(args.runs + 1):
                at.session_state["flt_regions"] = regions
                at.session_state["flt_stores"] = stores
                start = time.perf_counter()
                at.run()
                elapsed = time.perf_counter() - start
                assert not at.exception, at.exception
                if i:  # the first run of a scope fills its caches
                    times.append(elapsed)
            print(
                f"render after first load, {name}: median {statistics.median(times):.3f} s,"
                f" max {max(times):.3f} s over {len(times)} runs"
            )

        # another month: its queries and sparklines are not cached yet
        from datetime import date

        at.session_state["flt_regions"] = []
        at.session_state["flt_stores"] = ["HZ01"]
        at.selectbox(key="ov_month").set_value(date(2025, 9, 1))
        start = time.perf_counter()
        at.run()
        assert not at.exception, at.exception
        print(
            f"HZ01, switching to 2025-09 (cold for that month): {time.perf_counter() - start:.3f} s"
        )


if __name__ == "__main__":
    main()
