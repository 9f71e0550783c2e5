"""The board's trend chart: daily NPS points, the 7-day rolling NPS with its band,
the monthly target line and the plan's weekly milestones.

DataFrame in, Vega-Lite spec out; no streamlit. Few axis ticks and a bottom legend so
the chart stays readable on a phone-width screen.

The board draws this chart on every rerun. Building a layered Altair chart and turning
it into a spec costs about as much as the rest of a warm board run, so the chart's shape
(:func:`trend_chart`, over named datasets, validated in the tests) is built once per
language and look and cached as JSON; :func:`trend_spec` adds this run's rows.
"""

from __future__ import annotations

import functools
import json
from datetime import date

import altair as alt
import pandas as pd

from cx.charts import to_spec

BLUE, GREY, GREEN, ORANGE = "#1f77b4", "#9aa5b1", "#2ca02c", "#ff7f0e"


LABELS = ("date", "nps", "daily", "rolling", "band", "target", "milestone", "n")


def trend_frames(
    series: pd.DataFrame,
    target_segments: list[tuple[date, date, float]],
    milestones: list[tuple[date, float]],
    labels: dict[str, str],
) -> dict[str, pd.DataFrame]:
    """The chart's rows as named datasets: ``trend`` (``series`` with the count and the
    legend labels), and ``targets`` / ``milestones`` when there are any."""
    data = series.copy()
    data["date"] = pd.to_datetime(data["date"])
    data["n"] = data[["d", "pa", "p"]].sum(axis=1)
    data["daily_label"] = labels["daily"]
    data["rolling_label"] = labels["rolling"]
    frames = {"trend": data}
    if target_segments:
        tdf = pd.DataFrame(target_segments, columns=["start", "end", "target"])
        tdf["start"], tdf["end"] = pd.to_datetime(tdf["start"]), pd.to_datetime(tdf["end"])
        tdf["series"] = labels["target"]
        frames["targets"] = tdf
    if milestones:
        mdf = pd.DataFrame(milestones, columns=["date", "target"])
        mdf["date"] = pd.to_datetime(mdf["date"])
        mdf["series"] = labels["milestone"]
        frames["milestones"] = mdf
    return frames


def trend_spec(
    series: pd.DataFrame,
    target_segments: list[tuple[date, date, float]],
    milestones: list[tuple[date, float]],
    labels: dict[str, str],
    height: int = 280,
) -> dict:
    """The layered trend chart for ``st.vega_lite_chart(spec=...)``: the cached shape of
    :func:`trend_chart` with this run's rows as its datasets.

    ``series``: the output of ``cx.stats.rolling_nps`` (date, nps, nps_roll, roll_low,
    roll_high, roll_n, d, pa, p). ``target_segments``: (first day, last day, target)
    per month. ``milestones``: (date, NPS). ``labels``: texts for :data:`LABELS`.
    """
    frames = trend_frames(series, target_segments, milestones, labels)
    shape = _trend_shape(
        tuple(labels[k] for k in LABELS), "targets" in frames, "milestones" in frames, height
    )
    return json.loads(shape) | {"datasets": frames}


@functools.lru_cache(maxsize=64)
def _trend_shape(texts: tuple[str, ...], targets: bool, milestones: bool, height: int) -> str:
    labels = dict(zip(LABELS, texts, strict=True))
    return json.dumps(to_spec(trend_chart(labels, targets, milestones, height)))


def trend_chart(
    labels: dict[str, str], targets: bool, milestones: bool, height: int = 280
) -> alt.LayerChart:
    """The chart over the named datasets of :func:`trend_frames` (no rows of its own).
    The legend lists only what is drawn (no 'weekly milestone' entry without
    milestones)."""
    # a day's label at its midnight only: a store with three days of answers had ticks
    # every six hours, each labelled with its day ("11-04 11-04 11-04 11-04 11-05 …")
    x = alt.X(
        "date:T",
        title=None,
        axis=alt.Axis(
            format="%m-%d",
            tickCount=6,
            labelAngle=0,
            labelExpr="hours(datum.value) === 0 && minutes(datum.value) === 0 ? datum.label : ''",
        ),
    )
    y_scale = alt.Scale(zero=False, nice=True)
    y_title = labels["nps"]
    shown = [("daily", GREY), ("rolling", BLUE)]
    shown += [("target", GREEN)] if targets else []
    shown += [("milestone", ORANGE)] if milestones else []
    color = alt.Color(
        "series:N",
        title=None,
        scale=alt.Scale(domain=[labels[k] for k, _ in shown], range=[c for _, c in shown]),
        legend=alt.Legend(orient="bottom", direction="horizontal", columns=2),
    )
    base = alt.Chart(alt.NamedData("trend")).encode(x=x)
    band = base.mark_area(opacity=0.18, color=BLUE).encode(
        y=alt.Y("roll_low:Q", title=y_title, scale=y_scale),
        y2="roll_high:Q",
        tooltip=[
            alt.Tooltip("date:T", title=labels["date"], format="%Y-%m-%d"),
            alt.Tooltip("roll_low:Q", title=labels["band"] + " ↓", format=".1f"),
            alt.Tooltip("roll_high:Q", title=labels["band"] + " ↑", format=".1f"),
        ],
    )
    points = (
        base.transform_filter("datum.n > 0")
        .transform_calculate(series="datum.daily_label")
        .mark_circle(size=28, opacity=0.7)
        .encode(
            y=alt.Y("nps:Q", scale=y_scale),
            color=color,
            tooltip=[
                alt.Tooltip("date:T", title=labels["date"], format="%Y-%m-%d"),
                alt.Tooltip("nps:Q", title=labels["daily"], format=".1f"),
                alt.Tooltip("n:Q", title=labels["n"]),
            ],
        )
    )
    line = (
        base.transform_calculate(series="datum.rolling_label")
        .mark_line(strokeWidth=2.5)
        .encode(
            y=alt.Y("nps_roll:Q", scale=y_scale),
            color=color,
            tooltip=[
                alt.Tooltip("date:T", title=labels["date"], format="%Y-%m-%d"),
                alt.Tooltip("nps_roll:Q", title=labels["rolling"], format=".1f"),
                alt.Tooltip("roll_n:Q", title=labels["n"]),
            ],
        )
    )
    layers = [band, points, line]
    if targets:
        layers.append(
            alt.Chart(alt.NamedData("targets"))
            .mark_rule(strokeDash=[6, 4], strokeWidth=2)
            .encode(
                x="start:T",
                x2="end:T",
                y=alt.Y("target:Q", scale=y_scale),
                color=color,
                tooltip=[alt.Tooltip("target:Q", title=labels["target"], format=".1f")],
            )
        )
    if milestones:
        layers.append(
            alt.Chart(alt.NamedData("milestones"))
            .mark_point(shape="diamond", size=110, filled=True)
            .encode(
                x="date:T",
                y=alt.Y("target:Q", scale=y_scale),
                color=color,
                tooltip=[
                    alt.Tooltip("date:T", title=labels["date"], format="%Y-%m-%d"),
                    alt.Tooltip("target:Q", title=labels["milestone"], format=".1f"),
                ],
            )
        )
    return alt.layer(*layers).properties(height=height)
