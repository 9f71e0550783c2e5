"""Charts of the What-if planner: waterfall, outcome distribution, Gantt, tracking, priority.

Data in, ``alt.Chart`` out; no streamlit. Every text a person reads is passed in
by the caller (already translated).
"""

from __future__ import annotations

from collections.abc import Sequence

import altair as alt
import numpy as np
import pandas as pd

from cx.charts import text_width
from cx.i18n import digits_apart, fixed

GOAL_COLOR = "#d9534f"
UP_COLOR = "#2e8b57"
DOWN_COLOR = "#d9534f"
TOTAL_COLOR = "#1f5fa8"
BASE_COLOR = "#7f7f7f"
PLAN_COLOR = "#1f5fa8"
ACTUAL_COLOR = "#e07b00"
PHASE_COLORS = {"diagnosis": "#7f7f7f", "projects": "#1f5fa8", "sprint": "#e07b00"}
"""One colour per Gantt phase, whatever the language (the legend lists them in plan order)."""
WATERFALL_STEP = 34
"""Pixels per waterfall bar (the chart's height follows the number of steps)."""
PROJECTOR_FONT = 26
"""Chart text size (px) in the projector view (charts are left out of its 2x zoom)."""
QUADRANT_COLORS = {
    "quick_win": "#2e8b57",
    "strategic": "#1f5fa8",
    "defer": "#9e9e9e",
    "reconsider": "#d9534f",
}


def for_projector(chart: alt.TopLevelMixin) -> alt.TopLevelMixin:
    """Chart text large enough for the back of a classroom (with the view's 2x zoom) and
    never rotated or cut: axis labels and titles, legends and marks' default text."""
    f = PROJECTOR_FONT
    return (
        chart.configure_axis(labelFontSize=f, titleFontSize=f, labelAngle=0, labelLimit=0)
        .configure_legend(labelFontSize=f, titleFontSize=f, labelLimit=0, symbolSize=f * 12)
        .configure_text(fontSize=f)
        .configure_scale(bandPaddingInner=0.25)
    )


def waterfall_frame(
    base_nps: float, steps: Sequence[tuple[str, float]], base_label: str, total_label: str
) -> pd.DataFrame:
    """Bars of a waterfall: baseline, one per (label, gain) step, then the total.

    Columns: order, label, kind (base / up / down / total), start, end, value.
    The total is capped at 100 like the projected NPS.
    """
    rows = [
        {
            "order": 0,
            "label": base_label,
            "kind": "base",
            "start": 0.0,
            "end": base_nps,
            "value": base_nps,
        }
    ]
    level = float(base_nps)
    for i, (label, gain) in enumerate(steps, start=1):
        top = level + float(gain)
        rows.append(
            {
                "order": i,
                "label": label,
                "kind": "up" if gain >= 0 else "down",
                "start": level,
                "end": top,
                "value": float(gain),
            }
        )
        level = top
    total = min(100.0, level)
    rows.append(
        {
            "order": len(rows),
            "label": total_label,
            "kind": "total",
            "start": 0.0,
            "end": total,
            "value": total,
        }
    )
    return pd.DataFrame(rows)


def waterfall(
    frame: pd.DataFrame, goal: float, y_title: str, goal_label: str, step: int = WATERFALL_STEP
) -> alt.Chart:
    """Waterfall from :func:`waterfall_frame` with the goal as a dashed line."""
    moves = frame["kind"].isin(["up", "down"])
    low = min(float(frame["end"].min()), float(goal))
    if moves.any():
        low = min(low, float(frame.loc[moves, "start"].min()))
    floor = max(-100.0, float(np.floor(low - 3.0)))
    top = max(float(frame["end"].max()), float(goal))
    # room right of the last bar for its value: a fifth of the range at least (a point
    # had cut '+0.8' and '77.0' at the projector's 24 px)
    ceiling = min(100.0, float(np.ceil(top + max(1.0, 0.2 * (top - floor)))))
    data = frame.assign(
        lo=frame["start"].where(frame["kind"].isin(["up", "down"]), floor),
        text=[
            f"{v:+.1f}"
            if k in ("up", "down")
            # the projection beside the goal's line with the decimals that tell them
            # apart: 76.95 under a goal of 77 had read "77.0" on the line
            else fixed(v, digits_apart(v, goal, 1) if k == "total" else 1)
            for k, v in zip(frame["kind"], frame["value"], strict=True)
        ],
    )
    order = list(data.sort_values("order")["label"])
    # Horizontal: the steps' names read level on the left, whole, in both languages.
    y = alt.Y("label:N", sort=order, title=None, axis=alt.Axis(labelLimit=0, labelOverlap=False))
    scale = alt.Scale(domain=[floor, ceiling], clamp=True)
    bars = (
        alt.Chart(data)
        .mark_bar()
        .encode(
            y=y,
            # whole points, each under its tick: "69.0" and "70.0" pulled flush to the
            # edge ran into each other at the projector's 24 px
            x=alt.X(
                "lo:Q",
                title=y_title,
                scale=scale,
                axis=alt.Axis(format="d", tickMinStep=1, labelFlush=False),
            ),
            x2=alt.X2("end:Q"),
            color=alt.Color(
                "kind:N",
                scale=alt.Scale(
                    domain=["base", "up", "down", "total"],
                    range=[BASE_COLOR, UP_COLOR, DOWN_COLOR, TOTAL_COLOR],
                ),
                legend=None,
            ),
            tooltip=[alt.Tooltip("label:N", title=" "), alt.Tooltip("text:N", title=y_title)],
        )
    )
    labels = alt.Chart(data).encode(y=y, x=alt.X("end:Q", scale=scale), text=alt.Text("text:N"))
    # each value over a white halo: the goal's dashed line ran through a value next to it
    halo = labels.mark_text(
        dx=4, align="left", fontWeight="bold", stroke="white", strokeWidth=4, strokeJoin="round"
    )
    labels = labels.mark_text(dx=4, align="left", fontWeight="bold")
    goal_df = pd.DataFrame({"goal": [goal], "text": [f"{goal_label} {goal:.1f}"]})
    rule = (
        alt.Chart(goal_df)
        .mark_rule(color=GOAL_COLOR, strokeDash=[6, 4], size=2)
        .encode(x=alt.X("goal:Q", scale=scale))
    )
    # the goal's name above the plot (in the first row it sat on the baseline's value),
    # on the roomier side of its line (right of a goal near the chart's end, it ran past
    # the edge)
    right = goal > (floor + ceiling) / 2
    rule_text = (
        alt.Chart(goal_df)
        .mark_text(
            color=GOAL_COLOR,
            align="right" if right else "left",
            dx=-4 if right else 4,
            dy=-4,
            baseline="bottom",
            fontWeight="bold",
        )
        .encode(x=alt.X("goal:Q", scale=scale), y=alt.YValue(0), text=alt.Text("text:N"))
    )
    return (bars + rule + halo + labels + rule_text).properties(height=step * len(data) + 10)


def outcome_histogram(
    samples: np.ndarray,
    goal: float,
    x_title: str,
    y_title: str,
    goal_label: str,
    hit_labels=None,
    height: int = 300,
) -> alt.Chart:
    """Distribution of simulated month-end NPS, binned in Python (one bar per 0.5 point),
    bars at or above the goal coloured; the goal as a rule, named above the plot (inside
    it, the name sat on the tallest bar). ``height``: the projector's is taller (its 24 px
    axes and legend had left the bars 130 px)."""
    values = np.asarray(samples, dtype=float)
    hit, miss = hit_labels or ("≥ goal", "< goal")
    if values.size == 0:
        return alt.Chart(pd.DataFrame({"x": []})).mark_bar()
    width = 0.5
    lo = np.floor(values.min() / width) * width
    hi = np.ceil(values.max() / width) * width + width
    edges = np.arange(lo, hi + width / 2, width)
    counts, edges = np.histogram(values, bins=edges)
    frame = pd.DataFrame(
        {"x0": edges[:-1], "x1": edges[1:], "share": counts / values.size, "count": counts}
    )
    frame = frame[frame["count"] > 0]
    frame["side"] = np.where(frame["x0"] >= goal - 1e-9, hit, miss)
    frame["zero"] = 0.0
    bars = (
        alt.Chart(frame)
        .mark_bar()
        .encode(
            # whole points, each under its tick, as the waterfall's beside it (a 1366 px
            # projector read "68.0", "70.0"), and never one twice on a narrow axis
            x=alt.X(
                "x0:Q",
                title=x_title,
                scale=alt.Scale(zero=False),
                axis=alt.Axis(format="d", tickMinStep=1, labelFlush=False),
            ),
            x2=alt.X2("x1:Q"),
            y=alt.Y(
                "share:Q", title=y_title, axis=alt.Axis(format="%"), scale=alt.Scale(nice=True)
            ),
            y2=alt.Y2("zero:Q"),
            color=alt.Color(
                "side:N",
                scale=alt.Scale(domain=[hit, miss], range=[UP_COLOR, "#b0b0b0"]),
                legend=alt.Legend(title=None, orient="top"),
            ),
            tooltip=[
                alt.Tooltip("x0:Q", title=x_title, format=".1f"),
                alt.Tooltip("share:Q", title=y_title, format=".1%"),
            ],
        )
    )
    goal_df = pd.DataFrame({"goal": [goal], "text": [f"{goal_label} {goal:.1f}"]})
    rule = alt.Chart(goal_df).mark_rule(color=GOAL_COLOR, size=2).encode(x=alt.X("goal:Q"))
    text = (
        alt.Chart(goal_df)
        .mark_text(
            color=GOAL_COLOR, align="left", dx=4, dy=-4, baseline="bottom", fontWeight="bold"
        )
        .encode(x=alt.X("goal:Q"), y=alt.YValue(0), text=alt.Text("text:N"))
    )
    return (bars + rule + text).properties(height=height)


NARROW_GANTT = 600  # a Gantt's days narrower than this (px): its milestones on two lines


def gantt_chart(
    rows: Sequence[dict],
    marks: Sequence[tuple[int, float]],
    days: int,
    x_title: str,
    step: int = 36,
    names_over_bars: bool = True,
) -> alt.Chart:
    """Gantt of :func:`cx.planner.gantt` rows (days 1-based inclusive) with milestone rules
    labelled by their NPS target; ``step``: each row's height.

    Each task's name sits over its bar at the chart's left, not on an axis beside the
    bars: on a phone the names took half the width and pushed the phases' legend past
    the edge (a name longer than the chart is cut with an ellipsis). The projector's
    wide screen has the room for them beside the bars (``names_over_bars`` False), and
    not the height for a row twice as tall."""
    frame = pd.DataFrame(list(rows))
    frame["order"] = range(len(frame))
    frame["x0"] = frame["start"] - 0.5
    frame["x1"] = frame["end"] + 0.5
    # the days as the tooltip says them, under the axis's own title ('8–21'; it had shown
    # its raw fields: 'task … | phase_label … | start 8 | end 21')
    frame["span"] = [
        f"{a}–{b}" if a != b else f"{a}" for a, b in zip(frame["start"], frame["end"], strict=True)
    ]
    scale = alt.Scale(domain=[0.5, days + 0.5], nice=False)
    order = list(frame["task"])
    firsts = frame.drop_duplicates("phase")
    phases, keys = list(firsts["phase_label"]), list(firsts["phase"])
    # a row's name sits on its bar's top, the room between rows above the name: at the
    # band's top edge the name sat midway between the bar above and its own (a 1920 px
    # screen read each name as the row above's)
    thick, low = round(step * 0.35), round(step * 0.28)  # the bar: its height, below middle
    if names_over_bars:
        row = alt.Y("task:N", sort=order, title=None, axis=None, scale=alt.Scale(paddingInner=0))
        bar = alt.MarkDef(type="bar", cornerRadius=3, height=thick, yOffset=low)
    else:
        axis = alt.Axis(labelLimit=0, labelOverlap=False)
        row, bar = (
            alt.Y("task:N", sort=order, title=None, axis=axis),
            alt.MarkDef("bar", cornerRadius=3),
        )
    bars = alt.Chart(frame, mark=bar).encode(
        # whole days only (a 15-day plan's axis ticked 0.5, 1.5, …)
        x=alt.X("x0:Q", title=x_title, scale=scale, axis=alt.Axis(tickMinStep=1, format="d")),
        x2=alt.X2("x1:Q"),
        y=row,
        color=alt.Color(
            "phase_label:N",
            title=None,
            # plan order and one colour per phase in both languages (not alphabetical)
            scale=alt.Scale(domain=phases, range=[PHASE_COLORS[p] for p in keys]),
            # one under the other: in a row, the phases' names ran past a phone's edge; on
            # the projector's wide screen beside the chart, where there is room
            legend=alt.Legend(
                orient="top" if names_over_bars else "right", labelLimit=0, direction="vertical"
            ),
        ),
        tooltip=[
            alt.Tooltip("task:N", title=" "),
            alt.Tooltip("phase_label:N", title="  "),  # a second blank: keyed by title
            alt.Tooltip("span:N", title=x_title),
        ],
    )
    layers = [bars]
    if names_over_bars:
        layers.append(
            alt.Chart(frame)
            # in the bar's row, its bottom (under its letters' descent) on the bar's top
            .mark_text(
                align="left",
                baseline="bottom",
                dy=low - (thick + 1) // 2,
                limit=alt.expr("width"),
            )
            .encode(x=alt.value(0), y=row, text="task:N")
        )
    # "NPS 74.0   76.0   77.0": bare red numbers over dashed lines did not say they are
    # the path's NPS; the word once (on every one, two ran into each other on a projector)
    texts = [("NPS " if i == 0 else "") + f"{v:.1f}" for i, (_, v) in enumerate(marks)]
    ms = pd.DataFrame({"day": [d for d, _ in marks], "text": texts})
    rules = alt.Chart(ms).mark_rule(color=GOAL_COLOR, strokeDash=[4, 3]).encode(x=alt.X("day:Q"))
    # on the projector every other label a line higher where the days are narrow: beside
    # the phases' legend a 1366 px projector leaves them a third of the width, and its
    # 24 px "NPS 74.0" ran into "76.0" (a wide chart keeps them on one line, and its
    # first screen; a phone's small labels fit)
    lifted = alt.expr(f"width < {NARROW_GANTT} ? -40 : -4") if not names_over_bars else -4
    texts = [
        alt.Chart(ms.iloc[part::2])
        .mark_text(
            color=GOAL_COLOR, y=0, baseline="bottom", fontWeight="bold", dy=lifted if part else -4
        )
        .encode(x=alt.X("day:Q"), text=alt.Text("text:N"))
        for part in (0, 1)
    ]
    # the width fits the page; the height is the rows' (with "fit", Streamlit's default,
    # the legend and the axis took their room from the rows, which then overlapped)
    return alt.layer(*layers, rules, *texts).properties(
        height=step * len(frame), autosize=alt.AutoSizeParams(type="fit-x", contains="padding")
    )


def tracking_chart(
    planned: pd.DataFrame,
    actual: pd.DataFrame,
    goal: float,
    x_title: str,
    y_title: str,
    plan_label: str,
    actual_label: str,
    goal_label: str,
    digits: int = 1,
) -> alt.Chart:
    """Planned path (``planned``: day, nps) under the actual month-to-date NPS
    (``actual``: day_no, mtd_nps, cum_n), with the goal line; its NPS figures with
    ``digits`` decimals, the page's beside the goal (a month at 71.95 against 72 read
    "72.00" on the page's card, "72.0" on the goal line)."""
    plan = planned.rename(columns={"nps": "value"}).assign(series=plan_label, n=np.nan)
    act = actual[["day_no", "mtd_nps", "cum_n"]].rename(
        columns={"day_no": "day", "mtd_nps": "value", "cum_n": "n"}
    )
    act = act.assign(series=actual_label)
    data = pd.concat([plan[["day", "value", "n", "series"]], act], ignore_index=True)
    values = data["value"].dropna()
    lo = float(np.floor(min(values.min(), goal) - 2)) if not values.empty else goal - 5
    hi = float(np.ceil(max(values.max(), goal) + 2)) if not values.empty else goal + 5
    scale = alt.Scale(domain=[max(-100.0, lo), min(100.0, hi)])
    # the month's days and no more (a nice axis ran to 34 or 35 for a 31-day month)
    days = alt.Scale(domain=[float(data["day"].min()), float(data["day"].max())], nice=False)
    # a legend of line pieces: the dashed plan's symbol, a dashed circle, read as a blob
    legend = alt.Legend(orient="top", symbolType="stroke", symbolStrokeWidth=2)
    color = alt.Color(
        "series:N",
        title=None,
        scale=alt.Scale(domain=[plan_label, actual_label], range=[PLAN_COLOR, ACTUAL_COLOR]),
        legend=legend,
    )
    base = (
        alt.Chart(data)
        .mark_line(point=True)
        .encode(
            x=alt.X("day:Q", title=x_title, scale=days),
            y=alt.Y("value:Q", title=y_title, scale=scale),
            color=color,
            strokeDash=alt.StrokeDash(
                "series:N",
                scale=alt.Scale(domain=[plan_label, actual_label], range=[[6, 4], [1, 0]]),
                legend=legend,  # merged with the colour's (no conflict)
            ),
        )
    )
    tips = [
        alt.Tooltip("series:N", title=" "),  # 'series' and 'day' had read as such
        alt.Tooltip("day:Q", title=x_title),
        alt.Tooltip("value:Q", format=f".{digits}f", title=y_title),
    ]
    # the answers so far on the actual line only (the planned path's points read 'n null')
    lines = alt.layer(
        base.transform_filter(alt.datum.series == plan_label).encode(tooltip=tips),
        base.transform_filter(alt.datum.series == actual_label).encode(
            tooltip=[*tips, alt.Tooltip("n:Q", title="n")]
        ),
    )
    goal_df = pd.DataFrame({"goal": [goal], "text": [f"{goal_label} {fixed(goal, digits)}"]})
    rule = alt.Chart(goal_df).mark_rule(color=GOAL_COLOR, size=1.5).encode(y=alt.Y("goal:Q"))
    text = (
        alt.Chart(goal_df)
        .mark_text(color=GOAL_COLOR, align="left", dx=4, dy=-6, fontWeight="bold")
        .encode(y=alt.Y("goal:Q"), x=alt.XValue(0), text=alt.Text("text:N"))
    )
    return (lines + rule + text).properties(height=320)


def _two_lines(name: str) -> list[str]:
    """``name`` as two lines, broken at the space or opening bracket nearest its middle
    (a Chinese name without one: at its middle)."""
    cuts = [i for i, ch in enumerate(name) if ch in " （(" and 0 < i < len(name)]
    at = min(cuts, key=lambda i: abs(2 * i - len(name))) if cuts else len(name) // 2
    return [name[:at].strip(), name[at:].strip()] if 0 < at < len(name) else [name]


def priority_matrix(
    frame: pd.DataFrame,
    cost_cut: float,
    gain_cut: float,
    quadrant_labels: dict[str, str],
    x_title: str,
    y_title: str,
) -> alt.Chart:
    """Impact x cost matrix: ``frame`` has label, cost, gain, quadrant (key); the cuts as
    rules and the four quadrant names in their corners (low cost on the left, high
    impact on top)."""
    data = frame.assign(quadrant_label=frame["quadrant"].map(quadrant_labels))
    # projects at the same cost and gain (a copy of a row, two of the same kind) are one
    # point: their names one under the other there, and in its tooltip (each name had
    # been drawn over the other, unreadable)
    spots = data.groupby(["cost", "gain"], sort=False, dropna=False)["label"].agg(list)
    data = data.drop_duplicates(["cost", "gain"])
    names_at = [
        [str(n) for n in spots[spot]] for spot in zip(data["cost"], data["gain"], strict=True)
    ]
    data = data.assign(label=[" / ".join(names) for names in names_at])
    cost_max = max(float(data["cost"].max()) if not data.empty else 0.0, cost_cut) * 1.15 or 1.0
    gain_max = max(float(data["gain"].max()) if not data.empty else 0.0, gain_cut) * 1.2 or 1.0
    gain_min = min(0.0, float(data["gain"].min()) if not data.empty else 0.0)
    xs = alt.Scale(domain=[0, cost_max], nice=False)
    ys = alt.Scale(domain=[gain_min, gain_max], nice=False)
    keys = list(QUADRANT_COLORS)
    color = alt.Color(
        "quadrant_label:N",
        title=None,
        scale=alt.Scale(
            domain=[quadrant_labels[k] for k in keys], range=[QUADRANT_COLORS[k] for k in keys]
        ),
        legend=alt.Legend(orient="top", columns=2),  # four in a row ran past a phone's edge
    )
    points = (
        alt.Chart(data)
        .mark_circle(size=220, opacity=0.85)
        .encode(
            x=alt.X("cost:Q", title=x_title, scale=xs, axis=alt.Axis(format=",.0f")),
            y=alt.Y("gain:Q", title=y_title, scale=ys),
            color=color,
            tooltip=[  # blank titles told apart: a tooltip keys its fields by title
                alt.Tooltip("label:N", title=" "),
                alt.Tooltip("cost:Q", format=",.0f", title=x_title),
                alt.Tooltip("gain:Q", format=".1f", title=y_title),
                alt.Tooltip("quadrant_label:N", title="  "),
            ],
        )
    )
    # each name beside its point, towards the middle (right of a costly one, it ran past
    # the chart's edge); a name longer than the room to the edge (a phone's narrow chart,
    # a point mid-way) on two lines
    data = data.assign(
        label=["\n".join(n) for n in names_at],
        lines=["\n".join(line for n in names for line in _two_lines(n)) for names in names_at],
        w=[max(text_width(n, 12) for n in names) for names in names_at],
    )
    room = {"left": "width - scale('x', datum.cost)", "right": "scale('x', datum.cost)"}
    names = [
        alt.Chart(part)
        .mark_text(
            align=align,
            dx=10 if align == "left" else -10,
            fontSize=12,
            lineBreak="\n",
            text=alt.expr(f"datum.w > {room[align]} - 12 ? datum.lines : datum.label"),
        )
        .encode(x=alt.X("cost:Q", scale=xs), y=alt.Y("gain:Q", scale=ys))
        for align, part in (
            ("left", data[data["cost"] <= cost_max / 2]),
            ("right", data[data["cost"] > cost_max / 2]),
        )
    ]
    cuts = pd.DataFrame({"cost": [cost_cut], "gain": [gain_cut]})
    vrule = alt.Chart(cuts).mark_rule(color="#888", strokeDash=[4, 3]).encode(x=alt.X("cost:Q"))
    hrule = alt.Chart(cuts).mark_rule(color="#888", strokeDash=[4, 3]).encode(y=alt.Y("gain:Q"))
    corner_marks = []
    for key, x, y, align, dy in (
        ("quick_win", 0.0, gain_max, "left", 12),
        ("strategic", cost_max, gain_max, "right", 12),
        ("defer", 0.0, gain_min, "left", -12),
        ("reconsider", cost_max, gain_min, "right", -12),
    ):
        spot = pd.DataFrame({"x": [x], "y": [y], "text": [quadrant_labels[key]]})
        corner_marks.append(
            alt.Chart(spot)
            .mark_text(
                align=align,
                dx=6 if align == "left" else -6,
                dy=dy,
                fontSize=14,
                fontWeight="bold",
                color=QUADRANT_COLORS[key],
                opacity=0.6,
            )
            .encode(x=alt.X("x:Q", scale=xs), y=alt.Y("y:Q", scale=ys), text=alt.Text("text:N"))
        )
    layers = [vrule, hrule, *corner_marks, points, *names]
    return alt.layer(*layers).properties(height=360)
