"""Touchpoint heatmaps (stores x touchpoints, one store's weeks x touchpoints), the
importance-performance map and the importance-vs-weights comparison."""

from __future__ import annotations

import math

import altair as alt
import pandas as pd

from cx import i18n
from cx.charts import crosshair, label_sides, side_labels, text_width
from cx.charts.quadrant import ZONE_COLOURS
from cx.enums import TP_KEYS, TP_LABELS, label

IPA_COLOURS = {
    "concentrate": ZONE_COLOURS["disaster"],
    "keep_up": ZONE_COLOURS["dream"],
    "low_priority": "#9e9e9e",
    "overkill": ZONE_COLOURS["surprise"],
}


def _fmt_chg(v: float) -> str:
    if v is None or math.isnan(v):
        return i18n.GAP
    text = f"{v:+.2f}"
    return "0.00" if text in ("+0.00", "-0.00") else text  # no sign on a change that rounds away


def long_cells(table: pd.DataFrame, row_key: str, row_label: str, lang: str) -> pd.DataFrame:
    """Long frame of heatmap cells (one per row x touchpoint, plus the CJI column)."""
    cji_name = i18n.t("heat.cji", lang)
    recs = []
    for r in table.to_dict("records"):
        for tp in TP_KEYS:
            mean = r[tp]
            recs.append(
                {
                    "row": r[row_label],
                    "key": r[row_key],
                    "col": label(TP_LABELS, tp, lang),
                    "mean": mean,
                    "n": int(r[f"{tp}_n"]),
                    "change": _fmt_chg(r.get(f"{tp}_chg", math.nan)),
                    "mark": "▼" if r.get("weakest") == tp else "",
                    "text": "" if pd.isna(mean) else f"{mean:.2f}",
                }
            )
        recs.append(
            {
                "row": r[row_label],
                "key": r[row_key],
                "col": cji_name,
                "mean": r["cji"],
                "n": int(r["tp_n"]),
                "change": _fmt_chg(r.get("cji_chg", math.nan)),
                "mark": "",
                "text": "" if pd.isna(r["cji"]) else f"{r['cji']:.2f}",
            }
        )
    return pd.DataFrame(recs)


MIN_WIDTH = 520
"""Narrowest a heatmap is drawn (px): the store names and eight columns of readable
numbers (its colour legend is under the grid, not beside it: at 1366 px beside a ranking
the grid's column is 536 px wide, and with the legend at its side it scrolled); narrower
screens scroll it sideways inside its box (see :data:`SCROLL_CSS`)."""
SCROLL_CSS = (
    "<style>"
    ".st-key-heat_scroll,.st-key-heat_scroll_weekly{overflow-x:auto}"
    ".st-key-heat_scroll [data-testid='stVegaLiteChart'],"
    f".st-key-heat_scroll_weekly [data-testid='stVegaLiteChart']{{min-width:{MIN_WIDTH}px}}"
    "</style>"
)


GRID_ROWS = 40
"""The most stores the heatmap grid draws (the first in the page's order): a network's
2,000 stores made a 16,000-cell grid of 3 MB, taller than any screen; the ranking beside
it lists every store."""


# The colour scale spans at least this many points of a 0-10 score: a view's scores closer
# together than that are told apart by their figures, not by red against green.
MIN_SPAN = 1.0
# The shares of the scale, at its red end and its green end, whose colours are dark enough
# for white figures: where white reads better than black on the scheme's colours (their
# luminance below 0.18, by WCAG's contrast; 18 % at both ends had put white on mid-green,
# 2.6:1 where black gave 8:1).
DARK_LOW, DARK_HIGH = 0.11, 0.06


def heatmap(
    table: pd.DataFrame, row_key: str, row_label: str, lang: str, row_title: str
) -> alt.LayerChart:
    """Rows of ``table`` in their order x touchpoints and CJI; colour = mean score."""
    cells = long_cells(table, row_key, row_label, lang)
    cols = [label(TP_LABELS, tp, lang) for tp in TP_KEYS] + [i18n.t("heat.cji", lang)]
    rows = list(dict.fromkeys(cells["row"]))
    vals = cells["mean"].dropna()
    lo, hi = (float(vals.min()), float(vals.max())) if len(vals) else (0.0, 10.0)
    if hi - lo < MIN_SPAN:  # one store's 8.57-8.66 had run from red to green
        mid = (lo + hi) / 2
        lo, hi = mid - MIN_SPAN / 2, mid + MIN_SPAN / 2
    enc_x = alt.X(
        "col:N",
        sort=cols,
        title=None,
        axis=alt.Axis(orient="top", labelAngle=-35, labelOverlap=False, labelLimit=0),
    )
    enc_y = alt.Y(
        "row:N", sort=rows, title=row_title, axis=alt.Axis(labelLimit=0, labelOverlap=False)
    )
    base = alt.Chart(cells)
    tooltip = [
        alt.Tooltip("row:N", title=row_title),
        alt.Tooltip("col:N", title=i18n.t("heat.col.touchpoint", lang)),
        alt.Tooltip("mean:Q", title=i18n.t("heat.col.mean", lang), format=".2f"),
        alt.Tooltip("n:Q", title=i18n.t("heat.col.rated", lang)),
    ]
    changes = [c for c in table.columns if str(c).endswith("_chg")]
    if changes and table[changes].notna().to_numpy().any():  # the weekly view has none: its
        # every cell had read "Change —"
        tooltip.append(alt.Tooltip("change:N", title=i18n.t("heat.col.change", lang)))
    rect = base.mark_rect().encode(
        x=enc_x,
        y=enc_y,
        color=alt.Color(
            "mean:Q",
            scale=alt.Scale(scheme="redyellowgreen", domain=[lo, hi]),
            title=i18n.t("heat.col.mean", lang),
            legend=alt.Legend(orient="bottom", direction="horizontal"),
        ),
        tooltip=tooltip,
    )
    weakest = (
        base.transform_filter(alt.datum.mark != "")
        .mark_rect(fill=None, stroke="black", strokeWidth=2)
        .encode(x=enc_x, y=enc_y, tooltip=tooltip)
    )
    # white on the darkest reds and greens, where black was hard to read (the cells that
    # matter most: a store's weakest, its best)
    dark = (
        f"datum.mean < {lo + DARK_LOW * (hi - lo)!r} || datum.mean > {hi - DARK_HIGH * (hi - lo)!r}"
    )
    text = (
        base.mark_text(fontSize=11)
        .encode(
            x=enc_x,
            y=enc_y,
            text=alt.Text("label:N"),
            color=alt.condition(dark, alt.value("white"), alt.value("black")),
            tooltip=tooltip,
        )
        .transform_calculate(label="datum.mark == '' ? datum.text : '▼ ' + datum.text")
    )
    # The height is the rows' alone, the names on top come on it (fit the width only, as
    # the planner's Gantt): fitted into the height, the slanted names had taken nearly
    # all of a one-store grid's 120 px and left its row 3 px tall.
    return alt.layer(rect, weakest, text).properties(
        height=ROW_HEIGHT * max(len(rows), 1),
        autosize=alt.AutoSizeParams(type="fit-x", contains="padding"),
    )


ROW_HEIGHT = 22  # px a row of the grid


IPA_WIDTH, IPA_HEIGHT = 480, 380  # width: half a wide page, for placing the names


def ipa_chart(ipa: pd.DataFrame, imp_cut: float, perf_cut: float, lang: str) -> alt.LayerChart:
    """Importance (y, %) against performance (x, mean score), four named quadrants."""
    data = ipa.dropna(subset=["importance", "performance"]).copy()
    data["name"] = [label(TP_LABELS, tp, lang) for tp in data["touchpoint"]]
    data["zone_name"] = [i18n.t(f"heat.ipa.{z}", lang) for z in data["zone"]]
    x0, x1 = float(data["performance"].min()), float(data["performance"].max())
    y0, y1 = float(data["importance"].min()), float(data["importance"].max())
    # room above and below the points for the corners' names: at 0.15 of the range
    # the top point's name sat on "重点改进" (the quadrant the top points fall in)
    px, py = max((x1 - x0) * 0.15, 0.05), max((y1 - y0) * 0.3, 0.5)
    x0, x1 = min(x0, perf_cut) - px, max(x1, perf_cut) + px
    y0, y1 = min(y0, imp_cut) - py, max(y1, imp_cut) + py
    xs = alt.Scale(domain=[x0, x1], nice=False, zero=False)
    ys = alt.Scale(domain=[y0, y1], nice=False, zero=False)
    # the quadrants' names in their corners, each starting from its own side (a name
    # centred in from the side ran past the chart's edge on a narrow chart)
    ix, iy = 0.02 * (x1 - x0), 0.05 * (y1 - y0)
    corners = pd.DataFrame(
        [
            ("concentrate", x0 + ix, y1 - iy, "left"),
            ("keep_up", x1 - ix, y1 - iy, "right"),
            ("low_priority", x0 + ix, y0 + iy, "left"),
            ("overkill", x1 - ix, y0 + iy, "right"),
        ],
        columns=["zone", "x", "y", "align"],
    )
    corners["name"] = [i18n.t(f"heat.ipa.{z}", lang) for z in corners["zone"]]
    corners["colour"] = corners["zone"].map(IPA_COLOURS)
    names_layers = [
        alt.Chart(corners[corners["align"] == side])
        .mark_text(fontWeight="bold", fontSize=13, opacity=0.6, align=side)
        .encode(
            x=alt.X("x:Q", scale=xs),
            y=alt.Y("y:Q", scale=ys),
            text="name:N",
            color=alt.Color("colour:N", scale=None),
        )
        for side in ("left", "right")
    ]
    cross = crosshair(perf_cut, imp_cut, (x0, x1), (y0, y1), xs, ys)
    layers = [*names_layers, cross]
    data["colour"] = data["zone"].map(IPA_COLOURS)
    tips = [
        alt.Tooltip("name:N", title=i18n.t("heat.col.touchpoint", lang)),
        alt.Tooltip("importance:Q", title=i18n.t("heat.col.importance", lang), format=".1f"),
        alt.Tooltip("weight:Q", title=i18n.t("heat.col.weight", lang), format=".1f"),
        alt.Tooltip("performance:Q", title=i18n.t("heat.col.performance", lang), format=".2f"),
        alt.Tooltip("zone_name:N", title=i18n.t("heat.col.zone", lang)),
    ]
    pts = (
        alt.Chart(data)
        .mark_circle(size=160)
        .encode(
            x=alt.X("performance:Q", scale=xs, title=i18n.t("heat.col.performance", lang)),
            y=alt.Y("importance:Q", scale=ys, title=i18n.t("heat.col.importance", lang)),
            color=alt.Color("colour:N", scale=None),
            tooltip=tips,
        )
    )

    # names beside their points, each on a side where it overlaps no other name
    def px(x: float, y: float) -> tuple[float, float]:
        return (x - x0) / (x1 - x0) * IPA_WIDTH, (y1 - y) / (y1 - y0) * IPA_HEIGHT

    at = [px(p, i) for p, i in zip(data["performance"], data["importance"], strict=True)]
    sides = label_sides(
        [a for a, _ in at],
        [b for _, b in at],
        list(data["name"]),
        font_size=11,
        avoid=[  # each name's centre: half its width in from where it starts
            (at_x + (1 if side == "left" else -1) * text_width(name, 13) / 2, at_y, name, 13)
            for (at_x, at_y), name, side in zip(
                (px(x, y) for x, y in zip(corners["x"], corners["y"], strict=True)),
                corners["name"],
                corners["align"],
                strict=True,
            )
        ],
    )
    names = side_labels(
        data,
        alt.X("performance:Q", scale=xs),
        alt.Y("importance:Q", scale=ys),
        "name:N",
        sides,
        fontSize=11,
    )
    return alt.layer(*layers, pts, *names).properties(height=IPA_HEIGHT)


def compare_chart(ipa: pd.DataFrame, lang: str) -> alt.Chart:
    """Grouped bars: importance from the data beside the heatmap's weight, per touchpoint."""
    recs = []
    for r in ipa.to_dict("records"):
        name = label(TP_LABELS, r["touchpoint"], lang)
        recs.append(
            {"tp": name, "kind": i18n.t("heat.kind.importance", lang), "pct": r["importance"]}
        )
        recs.append({"tp": name, "kind": i18n.t("heat.kind.weight", lang), "pct": r["weight"]})
    data = pd.DataFrame(recs)
    return (
        alt.Chart(data)
        .mark_bar()
        .encode(
            y=alt.Y("tp:N", sort=None, title=None, axis=alt.Axis(labelLimit=0)),
            yOffset="kind:N",
            x=alt.X("pct:Q", title="%"),
            color=alt.Color(
                "kind:N",
                title=i18n.t("heat.col.kind", lang),
                # one under the other: side by side they ran past a phone's edge
                legend=alt.Legend(orient="bottom", direction="vertical"),
            ),
            tooltip=[
                alt.Tooltip("tp:N", title=i18n.t("heat.col.touchpoint", lang)),
                alt.Tooltip("kind:N", title=i18n.t("heat.col.kind", lang)),
                alt.Tooltip("pct:Q", title="%", format=".1f"),
            ],
        )
        .properties(height=380)
    )
