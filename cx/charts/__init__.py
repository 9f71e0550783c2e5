"""Altair chart builders: DataFrame in, ``alt.Chart`` out (no streamlit), one module per area."""

import math

import altair as alt
import numpy as np
import pandas as pd

# A chart carries every row it is given (the pages bound what they draw: the heatmap of a
# 2,000-store network has 16,000 cells); Altair's default stops at 5,000 rows.
alt.data_transformers.disable_max_rows()

SEGMENT_COLORS = {"detractor": "#d9534f", "passive": "#f0ad4e", "promoter": "#2e8b57"}


def to_spec(chart: alt.TopLevelMixin) -> dict:
    """The Vega-Lite dict of ``chart`` for ``st.vega_lite_chart``, without Altair's
    JSON-schema validation.

    ``st.altair_chart`` validates the whole spec on every render, which costs more than
    the planner's model and its 10,000 Monte Carlo draws together; the builders are
    validated once in the tests instead. The default theme's fixed 300 px view size is
    dropped (the page stretches charts).
    """
    spec = chart.to_dict(validate=False)
    view = spec.get("config", {}).get("view", {})
    view.pop("continuousWidth", None)
    view.pop("continuousHeight", None)
    _no_field_tooltips(spec)
    # a mark's ARIA description is its raw fields, which a screen reader read out
    # ("date: 09-01; NPS: 54.2091092448; roll_high: 73.568668533; …"): marks are left
    # out of it, the axes and legends stay (each chart's figures are in its table)
    spec.setdefault("config", {}).setdefault("mark", {})["aria"] = False
    return spec


def _no_field_tooltips(part: dict) -> None:
    """Every mark of ``part`` without a tooltip of its own shows none: in the page the
    heatmap's cut lines showed their raw fields on hover ("x 8.0200528403 | y
    14.2857142857 | x2 …"), as did the planner's names and rules."""
    for key in ("layer", "hconcat", "vconcat", "concat"):
        for child in part.get(key, ()):
            _no_field_tooltips(child)
    mark = part.get("mark")
    if mark is None or "tooltip" in part.get("encoding", {}):
        return
    if isinstance(mark, str):
        part["mark"] = {"type": mark, "tooltip": None}
    elif "tooltip" not in mark:
        mark["tooltip"] = None


def crosshair(
    x_cut: float,
    y_cut: float,
    x_domain: tuple[float, float],
    y_domain: tuple[float, float],
    xs: alt.Scale,
    ys: alt.Scale,
) -> alt.Chart:
    """The two dashed cut lines of a four-quadrant map, as one rule layer."""
    (x0, x1), (y0, y1) = x_domain, y_domain
    cuts = pd.DataFrame({"x": [x_cut, x0], "x2": [x_cut, x1], "y": [y0, y_cut], "y2": [y1, y_cut]})
    return (
        alt.Chart(cuts)
        .mark_rule(strokeDash=[6, 4], color="#555")
        .encode(x=alt.X("x:Q", scale=xs), x2="x2", y=alt.Y("y:Q", scale=ys), y2="y2")
    )


# --------------------------------------------------------------------------- point labels

SIDES = ("top", "bottom", "right", "left", "top_right", "top_left", "bottom_right", "bottom_left")
"""Where a point's label may go, in the order tried: the four sides, then the corners (a
store between two others, its sides taken by their labels, had gone unnamed on a
region's quadrant of 14 stores)."""


def label_offset(radius: float) -> float:
    """A point's radius as its label keeps clear of it: at least 4 px (a plain point),
    rounded up to 3 px steps, so a map's labels need a few text layers, not one a point."""
    return max(4.0, 3.0 * math.ceil(radius / 3.0))


def _side_mark(side: str, r: float = 4.0) -> dict:
    """mark_text settings that put a label on that side of a point of radius ``r``: 8 px
    from its edge above, 9 below, 5 beside (a plain point's 12, 13 and 9 from its centre)."""
    if side == "top":
        return {"dy": -(r + 8)}
    if side == "bottom":
        return {"dy": r + 9}
    if side == "right":
        return {"dx": r + 5, "align": "left"}
    if side == "left":
        return {"dx": -(r + 5), "align": "right"}
    # a corner: the label's near corner just off the point's edge on the diagonal
    vertical, horizontal = side.split("_")
    d = round(0.71 * r) + 3
    return {
        "dx": d if horizontal == "right" else -d,
        "dy": -(d + 5) if vertical == "top" else d + 6,
        "align": "left" if horizontal == "right" else "right",
    }


def text_width(text: str, font_size: float) -> float:
    """Rough width in pixels: a Chinese character is about one font size wide, a Latin
    one about 0.62 of it."""
    return sum(font_size if ord(ch) > 0x2E80 else 0.62 * font_size for ch in str(text))


def label_sides(
    px: list[float],
    py: list[float],
    texts: list[str],
    font_size: float = 10,
    avoid: list[tuple[float, float, str, float]] = (),
    order: list[int] | None = None,
    only_free: bool = False,
    radius: list[float] | None = None,
    marks: list[tuple[float, float, float]] = (),
) -> list[str | None]:
    """Which side of its point (pixel position) each label goes so labels do not overlap
    each other or the points: greedily, in ``order`` (indices; top to bottom when None),
    the first of :data:`SIDES` that is free, else the one overlapping least, or None
    with ``only_free`` (the label is left off; so is every label not in ``order``).
    ``avoid``: other texts already drawn, as (x, y, text, font size) centred on x, y.
    ``radius``: each point's drawn radius in pixels (a bubble sized by its answers); the
    label keeps clear of it (:func:`label_offset`). ``marks``: other marks drawn, as (x,
    y, radius), that no label may cover (a store's previous-period dot and its arrow's
    head: a store's label sat on its own previous dot). Each side is tried against every box
    at once (numpy): 2,000 points take milliseconds (a Python pair loop took 19 s for a
    network's quadrant)."""
    h = font_size + 2
    x = np.asarray(px, dtype=float)
    y = np.asarray(py, dtype=float)
    n = len(texts)
    r = np.array([label_offset(v) for v in radius]) if radius is not None else np.full(n, 4.0)
    if order is None:
        order = sorted(range(n), key=lambda i: (py[i], px[i]))
    boxes = np.empty((n + len(avoid) + len(marks) + len(order), 4))
    boxes[:n] = np.column_stack([x - r, y - r, x + r, y + r])
    for k, (ax, ay, text, size) in enumerate(avoid, start=n):
        w = text_width(text, size)
        boxes[k] = (ax - w / 2, ay - size / 2 - 1, ax + w / 2, ay + size / 2 + 1)
    for k, (mx, my, mr) in enumerate(marks, start=n + len(avoid)):
        boxes[k] = (mx - mr, my - mr, mx + mr, my + mr)
    count = n + len(avoid) + len(marks)

    def box(side: str, x: float, y: float, w: float, r: float) -> tuple[float, float, float, float]:
        d = _side_mark(side, r)
        cy = y + d.get("dy", 0)
        if side in ("top", "bottom"):
            return (x - w / 2, cy - h / 2, x + w / 2, cy + h / 2)
        if d["align"] == "left":
            return (x + d["dx"], cy - h / 2, x + d["dx"] + w, cy + h / 2)
        return (x + d["dx"] - w, cy - h / 2, x + d["dx"], cy + h / 2)

    out: list[str | None] = [None if only_free else SIDES[0]] * n
    for i in order:
        w = text_width(texts[i], font_size)
        cand = np.array([box(side, x[i], y[i], w, r[i]) for side in SIDES])  # 4 x 4
        placed = boxes[:count]
        ow = np.minimum(cand[:, None, 2], placed[None, :, 2]) - np.maximum(
            cand[:, None, 0], placed[None, :, 0]
        )
        oh = np.minimum(cand[:, None, 3], placed[None, :, 3]) - np.maximum(
            cand[:, None, 1], placed[None, :, 1]
        )
        area = np.where((ow > 0) & (oh > 0), ow * oh, 0.0)
        area[:, i] = 0.0  # its own point
        costs = area.sum(axis=1)
        free = np.flatnonzero(costs == 0)
        if len(free):
            pick = int(free[0])
        elif only_free:
            continue
        else:
            pick = int(np.argmin(costs))
        out[i] = SIDES[pick]
        boxes[count] = cand[pick]
        count += 1
    return out


def side_labels(
    data: pd.DataFrame,
    x: alt.X,
    y: alt.Y,
    text: str,
    sides: list[str],
    radius: list[float] | None = None,
    **mark,
) -> list[alt.Chart]:
    """One text layer per side and point radius (Vega-Lite has no per-datum offset for
    text); ``radius`` as given to :func:`label_sides`."""
    offsets = [label_offset(v) for v in radius] if radius is not None else [4.0] * len(data)
    frame = data.assign(_side=sides, _r=offsets)
    return [
        alt.Chart(frame[(frame["_side"] == side) & (frame["_r"] == r)].drop(columns="_r"))
        .mark_text(**mark, **_side_mark(side, r))
        .encode(x=x, y=y, text=text)
        for side in SIDES
        for r in sorted(set(offsets))
        if ((frame["_side"] == side) & (frame["_r"] == r)).any()
    ]
