"""The NPS x CSI bubble chart: shaded zones, crosshairs, whiskers, movement arrows."""

from __future__ import annotations

import math

import altair as alt
import numpy as np
import pandas as pd

from cx import i18n
from cx.charts import crosshair, label_sides, side_labels
from cx.frames import store_labels

ZONE_COLOURS = {
    "dream": "#2e7d32",
    "surprise": "#1565c0",
    "danger": "#ef6c00",
    "disaster": "#c62828",
}
WIDTH, HEIGHT = 720, 480  # used for the arrowheads' angle; the chart stretches to its column
MIN_WIDTH = 480
"""Narrowest the map is drawn (px); narrower screens scroll it sideways in its box."""
PLOT_WIDTH, PLOT_HEIGHT = 440, 325
"""The plot's size (px) the store ids are placed for: about the narrowest map's, and a
1366 px screen's column (the chart's 480 px of height also hold the x axis and the
region legend). Placed for 720 x 480, ids overlapped there; a wider map only spreads
them further apart."""
BUBBLE_AREA = (40, 900)  # a bubble's area in px² from no answers to the most
NAMED_MAX = 60
"""A map of up to this many stores names each (where its label fits: the others show on
hover and in the table) and draws its whiskers and arrow; a bigger one (a network's
2,000 stores) does so for this many, those farthest from the crosshairs: every whisker
and arrow of 2,000 stores is a thicket, and their labels took 19 s to place."""
SCROLL_CSS = (
    "<style>.st-key-quad_scroll{overflow-x:auto}"
    f".st-key-quad_scroll [data-testid='stVegaLiteChart']{{min-width:{MIN_WIDTH}px}}</style>"
)


ZONE_SHARE = 1 / 6  # of the axis, at least, on each side of a cut line: room for a zone's name


def _domain(values: list[float], cut: float, pad_share: float, floor: float, ceil: float):
    """The axis from the values and the cut line, padded, with each side of the cut at
    least :data:`ZONE_SHARE` of it: stores all on one side of a fixed or target line had
    put the line at the edge, through the other zones' names."""
    vals = [v for v in values if v is not None and not math.isnan(v)] + [cut]
    lo, hi = min(vals), max(vals)
    pad = max((hi - lo) * pad_share, 1.0)
    lo, hi = lo - pad, hi + pad
    share = ZONE_SHARE  # cut - lo >= share * (hi - lo), solved for lo; then for hi
    lo = min(lo, (cut - share * hi) / (1 - share))
    hi = max(hi, (cut - share * lo) / (1 - share))
    return max(floor, lo), min(ceil, hi)


def bubble_radius(n: pd.Series, n_max: float) -> list[float]:
    """Each bubble's drawn radius in pixels: its area on the size scale (linear from 0
    answers to ``n_max``) plus half its 2 px ring."""
    lo, hi = BUBBLE_AREA
    return [math.sqrt((lo + (hi - lo) * float(v) / n_max) / math.pi) + 1.0 for v in n]


# A region's colour (Streamlit's own categorical colours, which the map had taken), by
# its place among every region the reader sees: the same region keeps its colour from
# one view to the next (with two regions picked they took the network's first two).
REGION_COLORS = (
    "#0068c9", "#83c9ff", "#ff2b2b", "#ffabab", "#29b09d",
    "#7defa1", "#ff8700", "#ffd16a", "#6d3fc0", "#d5dae5",
)  # fmt: skip


def region_colors(shown: list[str], regions: tuple[str, ...]) -> list[str]:
    """The colours of the regions ``shown``, by their place in ``regions`` (all the reader
    sees; one not among them takes a place after them)."""
    at = {r: i for i, r in enumerate(regions)}
    extra = iter(range(len(regions), len(regions) + len(shown)))
    return [REGION_COLORS[(at[r] if r in at else next(extra)) % len(REGION_COLORS)] for r in shown]


def bubble_chart(
    scores: pd.DataFrame,
    moves: pd.DataFrame,
    nps_cut: float,
    csi_cut: float,
    lang: str,
    regions: tuple[str, ...] = (),
) -> alt.LayerChart:
    """``scores``: store_id, store_name, region, n, nps, nps_low, nps_high, csi, zone.
    ``moves``: store_id, csi0, nps0, csi1, nps1. ``regions``: every region the reader
    sees, in order, which fixes each region's colour. Returns the layered chart with a
    point selection named ``store`` (field store_id) for picking a store."""
    tr = lambda key: i18n.t(key, lang)  # noqa: E731
    data = scores.dropna(subset=["nps", "csi"]).copy()
    data["label"] = store_labels(data["store_id"], data["store_name"])
    if "on_line" not in data:
        data["on_line"] = False
    data["on_line"] = data["on_line"].astype(bool)
    data["zone_name"] = [
        i18n.t("quad.zone.on_line", lang, zone=tr(f"quad.zone.{z}")) if on else tr(f"quad.zone.{z}")
        for z, on in zip(data["zone"], data["on_line"], strict=True)
    ]
    if "csi_low" not in data:
        data["csi_low"] = data["csi_high"] = math.nan
    data["csi_interval"] = [
        "–" if pd.isna(lo) else f"{lo:.0f} – {hi:.0f}"
        for lo, hi in zip(data["csi_low"], data["csi_high"], strict=True)
    ]
    data["interval"] = [
        f"{lo:.1f} – {hi:.1f}" for lo, hi in zip(data["nps_low"], data["nps_high"], strict=True)
    ]
    xs = list(data["csi"]) + list(data["csi_low"]) + list(data["csi_high"])
    xs += list(moves.get("csi0", []))
    ys = list(data["nps_low"]) + list(data["nps_high"]) + list(moves.get("nps0", []))
    x0, x1 = _domain(xs, csi_cut, 0.06, 0.0, 1000.0)
    y0, y1 = _domain(ys, nps_cut, 0.04, -100.0, 100.0)
    xs_ = alt.Scale(domain=[x0, x1], nice=False, zero=False)
    ys_ = alt.Scale(domain=[y0, y1], nice=False, zero=False)
    x_title, y_title = tr("quad.axis.csi"), tr("quad.axis.nps")

    zones = pd.DataFrame(
        [
            ("dream", csi_cut, x1, nps_cut, y1),
            ("surprise", x0, csi_cut, nps_cut, y1),
            ("danger", csi_cut, x1, y0, nps_cut),
            ("disaster", x0, csi_cut, y0, nps_cut),
        ],
        columns=["zone", "x", "x2", "y", "y2"],
    )
    zones["name"] = [tr(f"quad.zone.{z}") for z in zones["zone"]]
    zones["colour"] = zones["zone"].map(ZONE_COLOURS)
    # labels sit just inside the outer corner of each zone (one text layer)
    inset_x, inset_y = 0.07 * (x1 - x0), 0.04 * (y1 - y0)
    zones["lx"] = [
        x1 - inset_x if z in ("dream", "danger") else x0 + inset_x for z in zones["zone"]
    ]
    zones["ly"] = [
        y1 - inset_y if z in ("dream", "surprise") else y0 + inset_y for z in zones["zone"]
    ]

    shade = (
        alt.Chart(zones)
        # fill/stroke opacities, not opacity, in every layer: Vega-Lite gives a layered
        # chart's legend symbols the first layer's opacity (this 0.08 made the region
        # legend all but invisible)
        .mark_rect(fillOpacity=0.08)
        .encode(
            x=alt.X("x:Q", scale=xs_, title=x_title),
            x2="x2",
            y=alt.Y("y:Q", scale=ys_, title=y_title),
            y2="y2",
            color=alt.Color("colour:N", scale=None),
        )
    )
    at_corner = {"x": alt.X("lx:Q", scale=xs_), "y": alt.Y("ly:Q", scale=ys_), "text": "name:N"}
    # a white halo under each name: over a bubble in its corner (the network's best store
    # sits in Dream's) the name was green on blue
    halo = (
        alt.Chart(zones)
        .mark_text(fontSize=14, fontWeight="bold", stroke="white", strokeWidth=4, fill="white")
        .encode(**at_corner)
    )
    labels = (
        alt.Chart(zones)
        .mark_text(fontSize=14, fontWeight="bold", fillOpacity=0.85)
        .encode(**at_corner, color=alt.Color("colour:N", scale=None))
    )
    cross = crosshair(csi_cut, nps_cut, (x0, x1), (y0, y1), xs_, ys_)

    layers: list[alt.Chart] = [shade, cross]
    # the stores named on the map: all of a small one, the outliers of a big one
    span_x, span_y = max(x1 - x0, 1e-9), max(y1 - y0, 1e-9)
    far = ((data["csi"] - csi_cut) / span_x) ** 2 + ((data["nps"] - nps_cut) / span_y) ** 2
    named_ids = set(data.loc[far.sort_values(ascending=False).index[:NAMED_MAX], "store_id"])
    data["named"] = data["store_id"].isin(named_ids)
    moves = moves[moves["store_id"].isin(named_ids)] if not moves.empty else moves
    arrows = pd.DataFrame(columns=["csi0", "nps0", "xm", "ym"])  # drawn: labels keep off
    if not moves.empty:
        mv = moves.copy()
        dx = (mv["csi1"] - mv["csi0"]) / (x1 - x0) * WIDTH
        dy = (mv["nps1"] - mv["nps0"]) / (y1 - y0) * HEIGHT
        mv["angle"] = [math.degrees(math.atan2(a, b)) % 360 for a, b in zip(dx, dy, strict=True)]
        mv["xm"] = (mv["csi0"] + mv["csi1"]) / 2
        mv["ym"] = (mv["nps0"] + mv["nps1"]) / 2
        mv = mv[(dx.abs() + dy.abs()) > 4]  # no arrow for a store that did not move
        arrows = mv
        base = alt.Chart(mv)
        layers += [
            base.mark_rule(color="#777", strokeWidth=1.2).encode(
                x=alt.X("csi0:Q", scale=xs_), y=alt.Y("nps0:Q", scale=ys_), x2="csi1", y2="nps1"
            ),
            base.mark_point(shape="circle", filled=False, color="#777", size=30).encode(
                x=alt.X("csi0:Q", scale=xs_), y=alt.Y("nps0:Q", scale=ys_)
            ),
            base.mark_point(shape="triangle-up", filled=True, color="#555", size=45).encode(
                x=alt.X("xm:Q", scale=xs_),
                y=alt.Y("ym:Q", scale=ys_),
                angle=alt.Angle("angle:Q", scale=alt.Scale(domain=[0, 360], range=[0, 360])),
            ),
        ]
    pick = alt.selection_point(name="store", fields=["store_id"], on="click")
    # one region legend for the bubbles and their whiskers: opaque circles with a thick
    # ring (the whiskers' thin half-transparent rules made it faint); below the map, where
    # the map's own width holds it (on the right it ran under the store table)
    shown = sorted(data["region"].dropna().unique().tolist())
    region_scale = alt.Scale(domain=shown, range=region_colors(shown, regions))
    region = alt.Color(
        "region:N",
        title=tr("quad.col.region"),
        scale=region_scale,
        legend=alt.Legend(
            orient="bottom",
            direction="horizontal",
            symbolType="circle",
            symbolStrokeWidth=3,
            symbolOpacity=1,
            symbolSize=140,
            labelFontSize=12,
            titleFontSize=12,
        ),
    )
    # each layer carries only the columns it draws (a network's bubbles: 2.0 -> 0.4 MB)
    whiskers = ["region", "csi", "nps", "nps_low", "nps_high", "csi_low", "csi_high"]
    shown = data.loc[data["named"], whiskers]
    tips = ["label", "zone_name", "interval", "csi_interval"]
    points = data[["store_id", "region", "n", "nps", "csi", "on_line", *tips]]
    n_max = max(float(data["n"].max()), 1.0) if len(data) else 1.0
    whisker = (
        alt.Chart(shown)
        .mark_rule(strokeOpacity=0.6)
        .encode(
            x=alt.X("csi:Q", scale=xs_),
            y=alt.Y("nps_low:Q", scale=ys_),
            y2="nps_high",
            color=region,
        )
    )
    csi_whisker = (
        alt.Chart(shown.dropna(subset=["csi_low", "csi_high"]))
        .mark_rule(strokeOpacity=0.6)
        .encode(
            x=alt.X("csi_low:Q", scale=xs_),
            x2="csi_high",
            y=alt.Y("nps:Q", scale=ys_),
            color=region,
        )
    )
    bubbles = (
        alt.Chart(points)
        .mark_point(shape="circle", strokeWidth=2)
        .encode(
            x=alt.X("csi:Q", scale=xs_),
            y=alt.Y("nps:Q", scale=ys_),
            size=alt.Size(
                "n:Q",
                title=tr("quad.col.n"),
                scale=alt.Scale(domain=[0, n_max], range=list(BUBBLE_AREA)),
                legend=None,  # the page's caption says so; the tooltip gives each store's n
            ),
            color=region,
            # a store on the line (an interval crosses a cut) is drawn hollow
            fill=alt.condition(
                "datum.on_line",
                alt.value("transparent"),
                # the legend's colours: without its scale the fill took the default ones
                alt.Color("region:N", legend=None, scale=region_scale),
            ),
            opacity=alt.condition("datum.on_line", alt.value(0.95), alt.value(0.85)),
            tooltip=[
                alt.Tooltip("label:N", title=tr("quad.col.store")),
                alt.Tooltip("zone_name:N", title=tr("quad.col.zone")),
                alt.Tooltip("nps:Q", title="NPS", format=".1f"),
                alt.Tooltip("interval:N", title=tr("quad.tip.interval")),
                alt.Tooltip("csi:Q", title="CSI", format=".0f"),
                alt.Tooltip("csi_interval:N", title=tr("quad.tip.csi_interval")),
                alt.Tooltip("n:Q", title=tr("quad.col.n")),
            ],
        )
        .add_params(pick)
    )

    # store ids beside their bubbles, each on a side where it overlaps no other label nor
    # its own bubble (a big store's id sat on it)
    radius = bubble_radius(data["n"], n_max)

    def px(x: float, y: float) -> tuple[float, float]:
        return (x - x0) / (x1 - x0) * PLOT_WIDTH, (y1 - y) / (y1 - y0) * PLOT_HEIGHT

    at = [px(c, n) for c, n in zip(data["csi"], data["nps"], strict=True)]
    named = data["named"].to_numpy()
    sides = label_sides(
        [a for a, _ in at],
        [b for _, b in at],
        list(data["store_id"]),
        avoid=[
            (*px(x, y), name, 14)
            for x, y, name in zip(zones["lx"], zones["ly"], zones["name"], strict=True)
        ],
        # the outliers first; a label that fits on no side is left off (hover names it)
        order=[int(k) for k in np.argsort(-far.to_numpy(), kind="stable") if named[k]],
        only_free=True,
        radius=radius,
        # the previous period's dots (a ring of 30 px²) and the arrows' heads
        marks=[(*px(a, b), 4.0) for a, b in zip(arrows["csi0"], arrows["nps0"], strict=True)]
        + [(*px(a, b), 5.0) for a, b in zip(arrows["xm"], arrows["ym"], strict=True)],
    )
    text = side_labels(
        data[["store_id", "csi", "nps"]],
        alt.X("csi:Q", scale=xs_),
        alt.Y("nps:Q", scale=ys_),
        "store_id:N",
        sides,
        radius=radius,
        fontSize=10,
        color="#333",
    )
    # the zones' names over the bubbles (a store in Dream's corner hid "Dream"), the
    # stores' ids over both
    layers += [whisker, csi_whisker, bubbles, halo, labels, *text]
    return alt.layer(*layers).properties(height=HEIGHT)
