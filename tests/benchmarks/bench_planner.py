"""Time of one slider move on the What-if planner (target < 300 ms).

Run: .venv/bin/python tests/benchmarks/bench_planner.py

1. The recompute the planner fragment does after a slider move, without Streamlit:
   the model (summarise, 10,000 Monte Carlo draws, exact best plan and cheapest set,
   credibility, customers, priority quadrants, milestones, pace, day-28 check, JSON)
   plus building the four charts and their Vega-Lite specs (``cx.charts.to_spec``, which
   the page hands to st.vega_lite_chart). This is what a browser waits for, plus the websocket round trip.
2. An upper bound: AppTest re-running the WHOLE page after a slider move (AppTest does
   not run fragments on their own, so this includes the tracking and pain-point parts
   and the page's cached data loads) over the 10 %-scale demo data.

Timings are printed, never asserted.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

DRAWS, SEED = 10_000, 20251001  # as in cx/ui/planner.py


def recompute(gain: float) -> None:
    """What plan_panel computes after one gain slider move."""
    import pandas as pd

    from cx import planner as P
    from cx.charts import planner as charts
    from cx.charts import to_spec

    base, projects = P.get_preset("classic_30day")
    projects[1] = replace(projects[1], gain=gain, low=None, high=None)
    s = P.summarise(base, projects)
    sim = P.simulate(base, projects, draws=DRAWS, seed=SEED)
    P.probability_words(sim["prob"], "zh")
    P.best_plan(projects, base.budget)
    P.cheapest_plan_to_goal(projects, base.goal - base.nps)
    for proj in projects:
        P.gain_in_customers(proj.gain, base.n_expected)
        P.is_credible(proj, base)
    quads = P.priority_table(projects)
    marks = P.milestones(base.nps, base.goal, base.days)
    path = dict(P.planned_path(base.nps, base.goal, base.days))
    for day in (7, 14, 21, 28):
        P.required_nps_remaining(base.goal, path[day], 20 * day, base.n_expected - 20 * day)
    P.day28_check(base.goal, 76, 560, 20, base.days)
    P.scenario_to_json(base, projects, "bench")
    frame = charts.waterfall_frame(
        base.nps, [(p.name, p.gain) for p in projects if p.enabled], "base", "total"
    )
    built = [
        charts.waterfall(frame, base.goal, "NPS", "goal"),
        charts.outcome_histogram(sim["samples"], base.goal, "x", "y", "goal"),
        charts.gantt_chart(P.gantt(projects, base.days, "zh"), marks, base.days, "day"),
        charts.priority_matrix(
            pd.DataFrame(
                {
                    "label": [p.name for p in projects],
                    "cost": [p.cost for p in projects],
                    "gain": [p.gain for p in projects],
                    "quadrant": [q["quadrant"] for q in quads],
                }
            ),
            12500,
            1.35,
            {"quick_win": "a", "strategic": "b", "defer": "c", "reconsider": "d"},
            "cost",
            "gain",
        ),
    ]
    for chart in built:
        to_spec(chart)  # what the page hands to st.vega_lite_chart
    assert s["projected"] > 0


def main() -> None:
    recompute(1.2)  # warm imports
    print(f"load average: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs (timings inflate)")
    times = []
    for i in range(30):
        start = time.perf_counter()
        recompute(1.0 + 0.1 * (i % 10))
        times.append(time.perf_counter() - start)
    print(
        f"slider-move recompute incl. {DRAWS:,} Monte Carlo draws and 4 charts:"
        f" median {1000 * statistics.median(times):.0f} ms, min {1000 * min(times):.0f} ms,"
        f" max {1000 * max(times):.0f} ms"
        " (target < 300 ms)"
    )

    from cx import planner as P

    base, projects = P.get_preset("classic_30day")
    start = time.perf_counter()
    for _ in range(20):
        P.simulate(base, projects, draws=DRAWS, seed=SEED)
    print(f"  of which simulate(): {1000 * (time.perf_counter() - start) / 20:.1f} ms")

    from cx import demo

    tmp = Path(tempfile.mkdtemp(prefix="bench_planner_"))
    path = tmp / "cx.duckdb"
    demo.build(path, scale=0.1, force=True)
    os.environ["CX_DB"] = str(path)
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.run()
    at.switch_page("pages/planner.py").run()
    if at.exception:
        raise SystemExit(f"page raised: {at.exception}")
    runs = []
    for i in range(8):
        start = time.perf_counter()
        at.slider(key="plan_gain_1").set_value(1.0 + 0.2 * (i % 5)).run()
        runs.append(time.perf_counter() - start)
        if at.exception:
            raise SystemExit(f"page raised: {at.exception}")
    print(
        "AppTest, whole page rerun after a slider move (upper bound, no fragment):"
        f" median {1000 * statistics.median(runs):.0f} ms, max {1000 * max(runs):.0f} ms"
    )


if __name__ == "__main__":
    main()
