"""Data: what the database holds — rows, dates, stores, regions, last uploads, rejects."""

import altair as alt
import streamlit as st

from cx import access, config, queries
from cx.privacy import mask_raw_lines
from cx.ui import csv_download, data_version, fmt_num, lang, load, require, t, uploads_table
from cx.ui.upload import dashed

require("audit.view")
st.title(t("data.title"))
info = load(queries.overview)
if not info["rows"]:
    st.info(t("data.empty"))
# A row that wraps instead of cutting ("2024-10-01 – 202…"): each figure as wide as needed.
row = st.container(horizontal=True, gap="large")
cols = [row] * 5
cols[0].metric(t("data.rows"), fmt_num(info["rows"], 0), width="content")
first, last = info["first"], info["last"]
cols[1].metric(  # first day large, last day below: fits a phone's width
    t("data.range"),
    f"{first:%Y-%m-%d}" if first else "—",
    f"→ {last:%Y-%m-%d}" if first else None,
    delta_color="off",
    delta_arrow="off",
    width="content",
)
cols[2].metric(t("data.stores"), fmt_num(info["stores"], 0), width="content")
cols[3].metric(t("data.regions"), fmt_num(info["regions"], 0), width="content")
cols[4].metric(t("data.rejects"), fmt_num(info["rejects"], 0), width="content")
st.caption(t("data.file", path=config.db_path(), version=data_version()))

monthly = load(queries.monthly_counts)
if not monthly.empty:
    st.subheader(t("data.by_month"))
    # Months written by the app in the reader's language (Vega's own names are English).
    fmt = "%Y年%m月" if lang() == "zh" else "%Y-%m"
    monthly = monthly.assign(label=monthly["month"].map(lambda m: f"{m:{fmt}}"))
    chart = (
        alt.Chart(monthly)
        .mark_bar()
        .encode(
            x=alt.X(
                "label:O",
                title=t("col.month"),
                sort=list(dict.fromkeys(monthly.sort_values("month")["label"])),
                axis=alt.Axis(labelAngle=0, labelOverlap=True),
            ),
            y=alt.Y("n:Q", title=t("col.n")),
            color=alt.Color("region:N", title=t("col.region"), legend=alt.Legend(orient="bottom")),
            tooltip=[
                alt.Tooltip("label:O", title=t("col.month")),
                alt.Tooltip("region:N", title=t("col.region")),
                alt.Tooltip("n:Q", title=t("col.n")),
            ],
        )
    )
    st.altair_chart(chart, width="stretch")

left, right = st.columns(2)
with left:
    st.subheader(t("data.stores_table"))
    stores = load(queries.stores)
    st.dataframe(
        dashed(stores.rename(columns={c: t(f"col.{c}") for c in stores.columns})),
        hide_index=True,
        height=320,
        key="data_stores",
    )
with right:
    st.subheader(t("data.last_uploads"))
    uploads_table(load(queries.uploads, 20), key="data_uploads", height=320)

st.subheader(t("data.rejects_table"))
rej = mask_raw_lines(load(queries.rejects, None))
reason_col = "reason_zh" if lang() == "zh" else "reason"
shown = rej[["upload_id", "file_name", "line_no", reason_col, "raw_line"]].rename(
    columns={reason_col: "reason"}
)
st.dataframe(
    dashed(shown.rename(columns={c: t(f"col.{c}") for c in shown.columns})),
    hide_index=True,
    key="data_rejects",
)
csv_download(shown, "data.rejects_download", "rejects.csv", "data_rejects_download")

st.subheader(t("audit.title"))
st.caption(t("audit.caption"))
log = load(access.audit_log)
log_shown = log.rename(columns={c: t(f"audit.col.{c}") for c in log.columns})
st.dataframe(dashed(log_shown), hide_index=True, key="data_audit")
csv_download(log_shown, "audit.download", "audit_log.csv", "data_audit_download")
