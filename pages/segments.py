"""Segment distributions: the 0-10 mix, the split by a dimension, detractor reasons,
the change from the previous period and score-gaming signals for review."""

import streamlit as st

from cx import enums, export, painpoints, stats
from cx import segments as shape
from cx.charts import segments as charts
from cx.queries import segments as q
from cx.ui import filters, lang, load, t
from cx.ui import segments as view

st.title(t("seg.title"))
flt = filters()
hist = load(q.histogram, flt)
tot = shape.totals(hist)
if not tot["n"]:
    st.info(t("fmt.no_data"))
    st.stop()
st.caption(t("seg.period", start=flt.start, end=flt.end))

# --- overall mix
view.overall_mix(tot, hist)

# --- split by a dimension
st.subheader(t("seg.split"))
dim = st.selectbox(
    t("seg.dim"), q.DIMENSIONS, format_func=lambda d: t(f"seg.dim.{d}"), key="seg_dim"
)
split = load(q.split, flt, dim)
split["group"] = view.group_labels(dim, split)
split["flag_text"] = ["" if f == "ok" else t(f"seg.flag.{f}") for f in split["flag"]]
st.caption(t("seg.split_note", low=stats.LOW_N, min=stats.MIN_N))
view.split_chart(split, dim)
table = split.assign(
    nps=split["nps"].round(1),
    low=split["low"].round(1),
    high=split["high"].round(1),
    **{c: (100 * split[c]).round(1) for c in ("share_p", "share_pa", "share_d")},
    flag=split["flag_text"],
)
table = view.shown(
    table, ["group", "n", "nps", "low", "high", "share_p", "share_pa", "share_d", "flag"]
)
st.dataframe(table, hide_index=True, key="seg_split_table")
st.download_button(
    t("seg.export"), export.to_csv_bytes(table), f"split_{dim}.csv", "text/csv", key="seg_export"
)

# --- previous period
st.subheader(t("seg.compare"))
prev = shape.previous_period(flt)
comp = load(q.comparison, flt, dim)
st.caption(
    t(
        "seg.compare_note",
        start=flt.start,
        end=flt.end,
        pstart=prev.start,
        pend=prev.end,
        min=stats.MIN_N,
    )
)
comp["group"] = view.group_labels(dim, comp)
comp["status"] = [t(f"seg.status.{s}") for s in comp["status"]]
comp = comp.round({"nps": 1, "nps_prev": 1, "change": 1, "p_value": 4})
st.dataframe(
    view.shown(comp, ["group", "n", "nps", "n_prev", "nps_prev", "change", "p_value", "status"]),
    hide_index=True,
    key="seg_compare_table",
)

# --- detractor reasons
st.subheader(t("seg.reasons"))
st.caption(t("seg.reasons_note"))
reasons = load(q.detractor_reasons, flt)
if reasons.empty:
    st.info(t("fmt.no_data"))
else:
    reasons["reason_label"] = [enums.label(enums.PAIN_POINTS, r, lang()) for r in reasons["reason"]]
    pareto_labels = {k: t(f"seg.{k}") for k in ("reason", "n", "share", "cum_share")}
    st.altair_chart(charts.pareto(reasons, pareto_labels), width="stretch")
    rt = reasons.assign(
        reason=reasons["reason_label"],
        share=(100 * reasons["share"]).round(1),
        cum_share=(100 * reasons["cum_share"]).round(1),
    )
    cols = ["reason", "n", "share", "cum_share", "n_answer", "n_keyword", "n_unclassified"]
    st.dataframe(view.shown(rt, [*cols, "keywords"]), hide_index=True, key="seg_reason_table")
    with st.expander(t("seg.rules")):
        rules = painpoints.rule_table(lang()).rename(columns={"label": "reason"})
        st.dataframe(view.shown(rules, ["order", "reason", "zh", "en"]), hide_index=True)
    reason = st.selectbox(
        t("seg.pick_reason"),
        list(reasons["reason"]),
        format_func=lambda r: enums.label(enums.PAIN_POINTS, r, lang()),
        key="seg_reason",
    )
    view.comments(*load(q.reason_comments, flt, reason))

# --- score-gaming signals
st.subheader(t("seg.gaming"))
store_names = load(q.store_names)
view.gaming_review(load(q.gaming_review, flt), store_names)
