"""Render time of the Segment distributions page over the full-size demo data.

Run: .venv/bin/python tests/benchmarks/bench_segments.py
Builds the demo database (scale 1.0) into a temporary file, opens the page with AppTest
and prints the first (cold) render and the renders after it (cached loaders), for the
default 90-day filters and for each breakdown. Timings are printed, never asserted.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))


def main() -> None:
    from cx import demo, queries
    from cx.db import connect

    tmp = Path(tempfile.mkdtemp(prefix="bench_segments_"))
    path = tmp / "cx.duckdb"
    t0 = time.perf_counter()
    demo.build(path, force=True)
    os.environ["CX_DB"] = str(path)
    with connect(path) as con:
        rows = queries.scalar(con, "SELECT count(*) FROM responses")
    print(f"demo data: {rows:,} responses, built in {time.perf_counter() - t0:.1f} s")

    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.switch_page("pages/segments.py")

    def run() -> float:
        start = time.perf_counter()
        at.run()
        took = time.perf_counter() - start
        if at.exception:
            raise SystemExit(f"page raised: {at.exception}")
        return took

    print(f"first load (cold caches): {run():.3f} s")
    warm = [run() for _ in range(5)]
    print(f"after first load: median {statistics.median(warm):.3f} s, max {max(warm):.3f} s")
    from cx.queries import segments as q

    for dim in q.DIMENSIONS:
        dates = at.session_state["flt_dates"] if "flt_dates" in at.session_state else None
        at.selectbox(key="seg_dim").select(dim)
        if dates:
            at.session_state["flt_dates"] = dates
        cold = run()
        again = statistics.median(run() for _ in range(3))
        print(f"breakdown {dim:15s} first {cold:.3f} s, then {again:.3f} s")
    for i, label in enumerate(at.selectbox(key="seg_reason").options[:3]):
        at.selectbox(key="seg_reason").select_index(i)
        cold = run()
        print(f"comments of {label}: first {cold:.3f} s, then {run():.3f} s")
    path.unlink(missing_ok=True)


if __name__ == "__main__":
    main()
