"""Charts of the CX overview: a small 12-month sparkline per metric."""

from __future__ import annotations

import functools
import json
import math

import altair as alt
import pandas as pd

from cx.charts import to_spec

HEIGHT = 56
STATE_COLORS = {
    "green": "#2e8b57",
    "amber": "#e69500",
    "red": "#d9534f",
    "no_data": "#9e9e9e",
    "no_target": "#5b7db1",
}


def _frame(data: pd.DataFrame, target: float | None) -> pd.DataFrame:
    """month, value (NaN = no answers) and target, set on the first row only, so the
    rule is drawn once from the chart's single data set (Streamlit keeps one per chart)."""
    out = pd.DataFrame(
        {
            "month": pd.to_datetime(pd.Series(list(data["month"]))).dt.strftime("%Y-%m"),
            "value": pd.to_numeric(pd.Series(list(data["value"]), dtype=object)).astype(float),
        }
    )
    out["target"] = math.nan
    if target is not None and len(out):
        out.loc[0, "target"] = float(target)
    return out


Domain = tuple[tuple[str, ...], tuple[float, float]]


def _domains(frame: pd.DataFrame) -> Domain:
    """Fixed x (the months, in order) and y domains from the data: Vega then never computes an extent
    over an empty or all-missing column (which logs 'Infinite extent' warnings in the
    browser, a dozen per sparkline while Streamlit attaches the data)."""
    x = tuple(frame["month"].dropna())
    ys = pd.concat([frame["value"], frame["target"]]).dropna()
    if ys.empty:
        y = (0.0, 1.0)
    else:
        lo, hi = float(ys.min()), float(ys.max())
        pad = (hi - lo) * 0.1 or max(abs(hi) * 0.05, 0.5)
        y = (lo - pad, hi + pad)
    return x, y


def _layers(
    has_target: bool,
    state: str,
    month_title: str,
    value_title: str,
    digits: int,
    domain: Domain = ((), (0.0, 1.0)),
):
    fmt = f",.{digits}f"
    color = STATE_COLORS.get(state, "#607d8b")
    x_scale = alt.Scale(domain=list(domain[0]))
    y_scale = alt.Scale(domain=list(domain[1]), zero=False)
    line = (
        alt.Chart()
        .mark_line(point=alt.OverlayMarkDef(color=color, size=18), color=color, strokeWidth=1.5)
        .encode(
            x=alt.X("month:O", axis=None, title=month_title, scale=x_scale),
            y=alt.Y("value:Q", axis=None, scale=y_scale, title=value_title),
            tooltip=[
                alt.Tooltip("month:O", title=month_title),
                alt.Tooltip("value:Q", title=value_title, format=fmt),
            ],
        )
    )
    if not has_target:
        return [line]
    rule = (
        alt.Chart()
        .mark_rule(strokeDash=[3, 3], color="#9e9e9e")
        .encode(y=alt.Y("target:Q", axis=None, scale=y_scale))
    )
    return [rule, line]


def sparkline(
    data: pd.DataFrame,
    target: float | None = None,
    state: str = "no_target",
    month_title: str = "Month",
    value_title: str = "Value",
    digits: int = 1,
    height: int = HEIGHT,
) -> alt.LayerChart:
    """A small line with points of ``value`` by ``month`` (display units), coloured by
    the metric's state, with the target as a dashed grey rule. A month without answers
    has no point.

    The axis is not flipped for lower-is-better metrics (a value reads as itself); the
    target rule and the state colour say which side is good.
    """
    frame = _frame(data, target)
    layers = _layers(target is not None, state, month_title, value_title, digits, _domains(frame))
    return alt.layer(*layers, data=frame).properties(height=height)


@functools.lru_cache(maxsize=256)
def _spec(
    has_target: bool, state: str, month_title: str, value_title: str, digits: int, domain: Domain
) -> str:
    layers = _layers(has_target, state, month_title, value_title, digits, domain)
    chart = alt.layer(*layers, data=alt.Data(values=[])).properties(height=HEIGHT)
    spec = to_spec(chart)
    spec.pop("data")  # the layers inherit the data passed beside the spec
    return json.dumps(spec)


def sparkline_spec(
    data: pd.DataFrame,
    target: float | None = None,
    state: str = "no_target",
    month_title: str = "Month",
    value_title: str = "Value",
    digits: int = 1,
) -> tuple[pd.DataFrame, dict]:
    """:func:`sparkline` as (data, Vega-Lite spec) for ``st.vega_lite_chart(data, spec)``.

    A page shows a dozen sparklines; building and schema-validating a dozen Altair
    charts on every render costs several hundred milliseconds, so the spec (which does
    not depend on the values) is built once per look and reused; the unit tests check
    it is the same chart as :func:`sparkline`, validated.
    """
    frame = _frame(data, target)
    spec = json.loads(
        _spec(target is not None, state, month_title, value_title, digits, _domains(frame))
    )
    return frame, spec
