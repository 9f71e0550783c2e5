"""The Data page's chart: answers per month, stacked by region."""

from __future__ import annotations

import altair as alt
import pandas as pd

from cx import i18n


def month_label(month, lang: str) -> str:
    """A month written by the app in the reader's language (Vega's own names are English)."""
    return i18n.t("fmt.month", lang, month=month)


def monthly_bars(monthly: pd.DataFrame, lang: str) -> alt.Chart:
    """Bars of ``n`` by month (``month``, ``region``, ``n``), coloured by region."""
    data = monthly.assign(label=monthly["month"].map(lambda m: month_label(m, lang)))
    month_t, region_t, n_t = (i18n.t(k, lang) for k in ("col.month", "col.region", "col.n"))
    return (
        alt.Chart(data)
        .mark_bar()
        .encode(
            x=alt.X(
                "label:O",
                title=month_t,
                sort=list(dict.fromkeys(data.sort_values("month")["label"])),
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
