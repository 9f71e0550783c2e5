"""The Data page's Streamlit pieces: figures, the monthly chart, stores, uploads, rejects,
audit log (from :class:`cx.views.data.DataView`)."""

from __future__ import annotations

import streamlit as st

from cx import access as cx_access
from cx import config
from cx.charts import data as charts
from cx.ui import (
    GAP,
    chart,
    csv_download,
    fmt_num,
    lang,
    person,
    t,
    t_plain,
    table,
    uploads_table,
)
from cx.views import data as data_view
from cx.views.data import DataView


def _figures(v: DataView) -> None:
    # A row that wraps instead of cutting ("2024-10-01 – 202…"): each figure as wide as needed.
    row = st.container(horizontal=True, gap="medium")
    row.metric(t("data.rows"), fmt_num(v.rows, 0), width="content")
    row.metric(  # first day large, last day below: fits a phone's width
        t("data.range"),
        f"{v.first:%Y-%m-%d}" if v.first else GAP,
        f"→ {v.last:%Y-%m-%d}" if v.first else None,
        delta_color="off",
        delta_arrow="off",
        width="content",
    )
    row.metric(t("data.stores"), fmt_num(v.stores_n, 0), width="content")
    row.metric(t("data.regions"), fmt_num(v.regions, 0), width="content")
    row.metric(t("data.rejects"), fmt_num(v.rejects_n, 0), width="content")
    st.caption(t("data.file", path=config.db_path(), version=v.version))


def render(v: DataView) -> None:
    """The whole page below its title."""
    if v.empty:
        st.info(t("data.empty"))
    _figures(v)
    if not v.monthly.empty:
        st.subheader(t("data.by_month"))
        chart(st, charts.monthly_bars, v.monthly, lang())

    st.subheader(t("data.stores_table"))
    table(
        v.stores.rename(columns={c: t(f"col.{c}") for c in v.stores.columns}),
        "data.no_stores",
        hide_index=True,
        height=320,
        key="data_stores",
        download="stores",
    )
    # the page's width: half of it cut the counts and the status at 1366 px
    st.subheader(t("data.last_uploads"))
    uploads_table(
        v.uploads,
        key="data_uploads",
        height=min(320, 38 + 35 * len(v.uploads)),
        download="uploads",
    )

    st.subheader(t("data.rejects_table"))
    shown = data_view.rejects_in(v.rejects, lang())
    columns = {c: t_plain(f"col.{c}") for c in data_view.SHOWN_REJECT_COLUMNS}
    table(
        shown.rename(columns=columns),
        "data.no_rejects",
        hide_index=True,
        key="data_rejects",
        # the reason wide enough for its hint, as in the upload's preview (at 1366 px it
        # was cut before "请检查年份和月、日的顺序")
        column_config={
            columns["reason"]: st.column_config.TextColumn(width="large"),
            columns["raw_line"]: st.column_config.TextColumn(width="medium"),
        },
    )
    if v.rejects_n > len(shown):
        st.caption(t("data.rejects_listed", k=fmt_num(len(shown), 0), n=fmt_num(v.rejects_n, 0)))
    who, reader = cx_access.reader_key(person()), lang()  # the click comes outside the run
    st.download_button(
        t("data.rejects_download"),
        lambda: data_view.rejects_csv(who, None, reader, columns),  # every one, when clicked
        file_name=f"rejects_{config.local_now():%Y%m%d}.csv",
        mime="text/csv",
        key="data_rejects_download",
        help=t("up.rejects_help"),
        disabled=not v.rejects_n,
        on_click="ignore",  # no rerun to withdraw the file the click asks for
    )

    st.subheader(t("audit.title"))
    st.caption(t("audit.caption"))
    log_shown = cx_access.audit_shown(v.audit, reader)  # the reader's language
    log_shown = log_shown.rename(columns={c: t(f"audit.col.{c}") for c in v.audit.columns})
    table(log_shown, "audit.none", hide_index=True, key="data_audit")
    day = f"{config.local_now():%Y%m%d}"
    csv_download(log_shown, "audit.download", f"audit_log_{day}.csv", "data_audit_download")
