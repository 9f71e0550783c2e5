"""Altair chart builders: DataFrame in, ``alt.Chart`` out (no streamlit), one module per area."""

import altair as alt
import pandas as pd

SEGMENT_COLORS = {"detractor": "#d9534f", "passive": "#f0ad4e", "promoter": "#2e8b57"}


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
