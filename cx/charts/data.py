"""The Data page's chart: answers per month, stacked by region."""

from __future__ import annotations

import altair as alt
import pandas as pd

from cx import i18n


def month_label(month, lang: str) -> str:
    """A month written by the app in the reader's language (Vega's own names are English)."""
    return i18n.t("fmt.month", lang, month=month)


SPAN_SHOWN = 120
"""Months from the first to the last with answers the chart draws, empty ones too; a
longer span (a stray date years back) draws the months with answers only."""


def months_shown(months: pd.Series, lang: str) -> list[str]:
    """The chart's months, in order, as labels: every month from the first to the last,
    those without answers too (2025-10 had stood beside 2026-11, the twelve empty months
    between them not drawn), unless the span is over :data:`SPAN_SHOWN` months."""
    if months.empty:
        return []
    have = pd.to_datetime(months).dt.to_period("M")
    every = pd.period_range(have.min(), have.max(), freq="M")
    if len(every) > SPAN_SHOWN:
        every = pd.PeriodIndex(sorted(set(have)), freq="M")
    return [month_label(m.to_timestamp().date(), lang) for m in every]


def monthly_bars(monthly: pd.DataFrame, lang: str) -> alt.Chart:
    """Bars of ``n`` by month (``month``, ``region``, ``n``), coloured by region; the months
    without answers between are drawn empty (:func:`months_shown`)."""
    data = monthly.assign(label=monthly["month"].map(lambda m: month_label(m, lang)))
    month_t, region_t, n_t = (i18n.t(k, lang) for k in ("col.month", "col.region", "col.n"))
    shown = months_shown(monthly["month"], lang)
    return (
        alt.Chart(data)
        .mark_bar()
        .encode(
            x=alt.X(
                "label:O",
                title=month_t,
                sort=shown,
                scale=alt.Scale(domain=shown),
                axis=alt.Axis(labelAngle=0, labelOverlap=True),
            ),
            y=alt.Y("n:Q", title=n_t),
            # three regions a row: six in one ran past a phone's edge
            color=alt.Color(
                "region:N", title=region_t, legend=alt.Legend(orient="bottom", columns=3)
            ),
            tooltip=[
                alt.Tooltip("label:O", title=month_t),
                alt.Tooltip("region:N", title=region_t),
                alt.Tooltip("n:Q", title=n_t),
            ],
        )
    )
