"""Charts of the segment distributions page: DataFrame in, ``alt.Chart`` out (no streamlit).

Texts arrive already translated (``labels``), so the builders stay language-free.
"""

from __future__ import annotations

import altair as alt
import pandas as pd

from cx.charts import SEGMENT_COLORS

_SEGMENTS = ("detractor", "passive", "promoter")


def _segment_scale(labels: dict[str, str]) -> alt.Scale:
    return alt.Scale(
        domain=[labels[s] for s in _SEGMENTS], range=[SEGMENT_COLORS[s] for s in _SEGMENTS]
    )


# A count axis in whole answers, grouped by thousands (a few answers had ticks at 0.5, 1.5 …)
WHOLE_ANSWERS = alt.Axis(tickMinStep=1, format=",d")


def histogram(hist: pd.DataFrame, labels: dict[str, str]) -> alt.Chart:
    """Bars of answers per score 0-10 coloured by segment.

    ``hist``: score, n, share, segment. ``labels``: segment keys -> names, plus
    'score', 'n', 'share', 'segment' axis titles.
    """
    data = hist.assign(seg_label=hist["segment"].map(labels))
    return (
        alt.Chart(data)
        .mark_bar()
        .encode(
            x=alt.X("score:O", title=labels["score"], axis=alt.Axis(labelAngle=0)),
            y=alt.Y("n:Q", title=labels["n"], axis=WHOLE_ANSWERS),
            color=alt.Color(
                "seg_label:N",
                title=labels["segment"],
                scale=_segment_scale(labels),
                legend=alt.Legend(orient="top"),
            ),
            tooltip=[
                alt.Tooltip("score:O", title=labels["score"]),
                alt.Tooltip("n:Q", title=labels["n"], format=","),
                alt.Tooltip("share:Q", title=labels["share"], format=".1%"),
                alt.Tooltip("seg_label:N", title=labels["segment"]),
            ],
        )
        .properties(height=260)
    )


def split_bars(table: pd.DataFrame, labels: dict[str, str]) -> alt.LayerChart:
    """100 % stacked bars per group with NPS, interval and n as a label and in the tooltip.

    ``table``: group_label, text (the label shown right of the bar: NPS [low, high] n),
    n, d, pa, p, share_d, share_pa, share_p, nps, low, high. ``labels``: segment names
    and the titles 'group', 'share', 'n', 'nps', 'low', 'high', 'segment'.
    """
    order = list(table["group_label"])
    rows = []
    for seg, short in (("detractor", "d"), ("passive", "pa"), ("promoter", "p")):
        part = table[["group_label", "text", "n", "nps", "low", "high"]].copy()
        part["segment"] = labels[seg]
        part["order"] = _SEGMENTS.index(seg)
        part["count"] = table[short]
        part["share"] = table[f"share_{short}"]
        rows.append(part)
    long = pd.concat(rows, ignore_index=True)
    # a store's id and name whole where there is room (Streamlit's theme cuts axis labels
    # at 100 px: "WX01 无锡新吴…"); a phone keeps the 100 px, or the legend above the
    # plot, which starts where the labels end, ran past its edge
    limit = alt.ExprRef(f"containerSize()[0] < {_WIDE_LABELS} ? 100 : 160")
    y = alt.Y("group_label:N", title=labels["group"], sort=order, axis=alt.Axis(labelLimit=limit))
    tooltip = [
        alt.Tooltip("group_label:N", title=labels["group"]),
        alt.Tooltip("segment:N", title=labels["segment"]),
        alt.Tooltip("share:Q", title=labels["share"], format=".1%"),
        alt.Tooltip("count:Q", title=labels["n_segment"], format=","),
        alt.Tooltip("nps:Q", title=labels["nps"], format=".1f"),
        alt.Tooltip("low:Q", title=labels["low"], format=".1f"),
        alt.Tooltip("high:Q", title=labels["high"], format=".1f"),
        alt.Tooltip("n:Q", title=labels["n"], format=","),
    ]
    bars = (
        alt.Chart(long)
        .mark_bar()
        .encode(
            y=y,
            x=alt.X(
                "share:Q",
                title=labels["share"],
                stack="normalize",
                axis=alt.Axis(format="%", values=[0, 0.25, 0.5, 0.75, 1]),
                # room right of the bars for the label; a plot too narrow for it (a
                # phone) gives the bars the whole width and leaves the figures to the
                # table below the chart, instead of cutting them at the edge
                scale=alt.Scale(domainMin=0, domainMax=alt.ExprRef(f"{_ROOMY} ? 1.6 : 1")),
            ),
            color=alt.Color(
                "segment:N",
                title=labels["segment"],
                scale=_segment_scale(labels),
                # the three names in a row, without a title above them: a phone's plot
                # starts past the store names, and "Promoters" had run past its edge
                legend=alt.Legend(
                    orient="top", title=None, symbolSize=60, labelFontSize=11, columnPadding=8
                ),
            ),
            order=alt.Order("order:Q"),
            tooltip=tooltip,
        )
    )
    text = (
        alt.Chart(table)
        .mark_text(align="left", dx=4, fontSize=alt.ExprRef(f"{_ROOMY} ? 11 : 0"))
        .encode(y=y, x=alt.datum(1.0), text="text:N")
    )
    # A fixed height (a step height makes Vega drop Streamlit's fit-y and log a warning in
    # the console). Streamlit fits the whole chart into it, legend and axis included: 28 px
    # a row plus SPLIT_FRAME_PX for them (with 24 px a row alone, four groups were drawn
    # on one line).
    return alt.layer(bars, text).properties(height=28 * max(1, len(order)) + SPLIT_FRAME_PX)


_WIDE_LABELS = 700  # 160 px of names still leaves the plot the 500 px of _ROOMY
"""px: a split chart at least this wide names its groups in up to 160 px, else 100."""

_ROOMY = "width >= 500"
"""A Vega expression: the split chart's plot is wide enough for the label right of its
bars ("NPS 61.0 [55.0, 66.4] n=5,447": ~190 px, three eighths of the plot at 1.6)."""

SPLIT_FRAME_PX = 130
"""The split chart's height beside its rows: the legend above and the share axis below."""


def pareto(reasons: pd.DataFrame, labels: dict[str, str]) -> alt.LayerChart:
    """Bars = detractors per reason (largest first), line = cumulative share on a second axis.

    ``reasons``: reason_label, n, share, cum_share, in Pareto order. ``labels``:
    'reason', 'n', 'share', 'cum_share'.
    """
    order = list(reasons["reason_label"])
    x = alt.X(
        "reason_label:N",
        title=labels["reason"],
        sort=order,
        # slanted, every bar named and never cut: level labels dropped all but two of six
        # on a phone and half of them in English on a desktop (broken over two lines, the
        # slanted lines ran into each other on a phone)
        axis=alt.Axis(labelAngle=-40, labelAlign="right", labelLimit=0, labelOverlap=False),
    )
    tooltip = [
        alt.Tooltip("reason_label:N", title=labels["reason"]),
        alt.Tooltip("n:Q", title=labels["n"], format=","),
        alt.Tooltip("share:Q", title=labels["share"], format=".1%"),
        alt.Tooltip("cum_share:Q", title=labels["cum_share"], format=".1%"),
    ]
    base = alt.Chart(reasons).encode(x=x, tooltip=tooltip)
    # the gridlines are the share's (0-100 %), not the counts': drawn at the counts' ticks
    # they missed the share's, and the line's 100 % stood above the top one, as if past it
    bars = base.mark_bar(color=SEGMENT_COLORS["detractor"]).encode(
        y=alt.Y("n:Q", title=labels["n"], axis=alt.Axis(**WHOLE_ANSWERS.to_dict(), grid=False))
    )
    share_text = base.mark_text(dy=-6).encode(
        y=alt.Y("n:Q"), text=alt.Text("share:Q", format=".0%")
    )
    line = base.mark_line(point=alt.OverlayMarkDef(color="#333333"), color="#333333").encode(
        y=alt.Y(
            "cum_share:Q",
            title=labels["cum_share"],
            axis=alt.Axis(format="%", orient="right", grid=True, tickCount=5),
            scale=alt.Scale(domain=[0, 1]),
        )
    )
    return (
        alt.layer(alt.layer(bars, share_text), line)
        .resolve_scale(y="independent")
        .properties(height=420)  # the slanted names take up to 140 px of it
    )
