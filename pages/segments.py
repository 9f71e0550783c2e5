"""Segment distributions: the 0-10 mix, the split by a dimension, detractor reasons,
the change from the previous period and score-gaming signals for review."""

import pandas as pd
import streamlit as st

from cx import enums, export, painpoints, privacy, stats
from cx.charts import segments as charts
from cx.queries import segments as q
from cx.ui import filters, fmt_num, fmt_pct, lang, load, t

ENUM_DIMS = {
    "service_type": enums.SERVICE_TYPES,
    "channel": enums.CHANNELS,
    "customer_tier": enums.CUSTOMER_TIERS,
    "key_touchpoint": enums.TOUCHPOINTS,
}


def group_label(dim: str, grp: str, name: object = None) -> str:
    if grp == "":
        return t("seg.blank")
    if dim in ENUM_DIMS:
        return enums.label(ENUM_DIMS[dim], grp, lang())
    return f"{grp} {name}" if isinstance(name, str) and name else grp


def rule_label(rule: str) -> str:
    if rule in (painpoints.ANSWER, painpoints.UNCLASSIFIED, painpoints.NO_COMMENT):
        return t(f"seg.rule.{rule}")
    return t("seg.rule.keyword", k=rule)


def shown(frame: pd.DataFrame, cols: list[str]) -> pd.DataFrame:
    return frame[cols].rename(columns={c: t(f"seg.col.{c}") for c in cols})


def seg_labels() -> dict[str, str]:
    return {s: enums.label(enums.SEGMENTS, s, lang()) for s in enums.SEGMENTS}


st.title(t("seg.title"))
flt = filters()
hist = load(q.histogram, flt)
tot = q.totals(hist)
if not tot["n"]:
    st.info(t("fmt.no_data"))
    st.stop()
st.caption(t("seg.period", start=flt.start, end=flt.end))

# --- overall mix
cols = st.columns(5)
cols[0].metric(t("seg.n"), fmt_num(tot["n"], 0))
cols[1].metric(
    t("seg.nps"),
    fmt_num(tot["nps"]),
    help=t("seg.nps_help", low=fmt_num(tot["low"]), high=fmt_num(tot["high"])),
)
for i, (seg, k) in enumerate((("promoter", "p"), ("passive", "pa"), ("detractor", "d"))):
    cols[2 + i].metric(t(f"seg.share.{seg}"), fmt_pct(tot[k] / tot["n"]))
st.subheader(t("seg.hist"))
labels = seg_labels() | {k: t(f"seg.{k}") for k in ("score", "n", "share", "segment")}
st.altair_chart(charts.histogram(hist, labels), width="stretch")

# --- split by a dimension
st.subheader(t("seg.split"))
dim = st.selectbox(
    t("seg.dim"), q.DIMENSIONS, format_func=lambda d: t(f"seg.dim.{d}"), key="seg_dim"
)
split = load(q.split, flt, dim)
split["group"] = [group_label(dim, g, n) for g, n in split[["grp", "name"]].itertuples(index=False)]
split["flag_text"] = ["" if f == "ok" else t(f"seg.flag.{f}") for f in split["flag"]]
st.caption(t("seg.split_note", low=stats.LOW_N, min=stats.MIN_N))
CAP = 40
top = split.nlargest(CAP, "n").index if len(split) > CAP else split.index
bars = split.loc[sorted(top)].assign(group_label=lambda f: f["group"])
bars["text"] = [
    f"NPS {fmt_num(r.nps)} [{fmt_num(r.low)}, {fmt_num(r.high)}] n={r.n} {r.flag_text}".strip()
    for r in bars.itertuples()
]
if len(split) > CAP:
    st.caption(t("seg.chart_capped", k=CAP, total=len(split)))
bar_labels = seg_labels() | {
    "group": t(f"seg.dim.{dim}"),
    "share": t("seg.share"),
    "n": t("seg.n"),
    "n_segment": t("seg.count"),
    "nps": t("seg.nps"),
    "low": t("seg.col.low"),
    "high": t("seg.col.high"),
    "segment": t("seg.segment"),
}
st.altair_chart(charts.split_bars(bars, bar_labels), width="stretch")
table = split.assign(
    nps=split["nps"].round(1),
    low=split["low"].round(1),
    high=split["high"].round(1),
    **{c: (100 * split[c]).round(1) for c in ("share_p", "share_pa", "share_d")},
    flag=split["flag_text"],
)
table = shown(table, ["group", "n", "nps", "low", "high", "share_p", "share_pa", "share_d", "flag"])
st.dataframe(table, hide_index=True, key="seg_split_table")
st.download_button(
    t("seg.export"), export.to_csv_bytes(table), f"split_{dim}.csv", "text/csv", key="seg_export"
)

# --- previous period
st.subheader(t("seg.compare"))
prev = q.previous_period(flt)
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
comp["group"] = [group_label(dim, g, n) for g, n in comp[["grp", "name"]].itertuples(index=False)]
comp["status"] = [t(f"seg.status.{s}") for s in comp["status"]]
comp = comp.round({"nps": 1, "nps_prev": 1, "change": 1, "p_value": 4})
st.dataframe(
    shown(comp, ["group", "n", "nps", "n_prev", "nps_prev", "change", "p_value", "status"]),
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
    st.dataframe(shown(rt, [*cols, "keywords"]), hide_index=True, key="seg_reason_table")
    with st.expander(t("seg.rules")):
        rules = painpoints.rule_table(lang()).rename(columns={"label": "reason"})
        st.dataframe(shown(rules, ["order", "reason", "zh", "en"]), hide_index=True)
    reason = st.selectbox(
        t("seg.pick_reason"),
        list(reasons["reason"]),
        format_func=lambda r: enums.label(enums.PAIN_POINTS, r, lang()),
        key="seg_reason",
    )
    rows, total = load(q.reason_comments, flt, reason)
    st.caption(t("seg.comments_count", total=total, shown=len(rows)))
    rows = privacy.mask_frame(rows.fillna({"comment": "", "advisor": ""})).assign(
        score=rows["nps"],
        pain_point=[
            enums.label(enums.PAIN_POINTS, p, lang()) if isinstance(p, str) else ""
            for p in rows["pain_point"]
        ],
        rule=[rule_label(r) for r in rows["rule"]],
    )
    cols = ["responded_at", "store_id", "advisor", "score", "pain_point", "comment", "rule"]
    st.dataframe(
        shown(rows, [*cols, "customer_name", "phone"]), hide_index=True, key="seg_comments"
    )

# --- score-gaming signals
st.subheader(t("seg.gaming"))
_n, p10, pdet = load(q.network_rates, flt)
alpha = 0.001
st.caption(t("seg.gaming_note", p10=fmt_pct(p10), pdet=fmt_pct(pdet), alpha=alpha))
for level in q.GAMING_LEVELS:
    res = load(q.gaming, flt, level)
    flagged = res[res["flag"]].copy()
    name = t(f"seg.gaming.{level}")
    st.markdown(f"**{t('seg.gaming_level', level=name, k=len(flagged), total=len(res))}**")
    if flagged.empty:
        st.caption(t("seg.gaming_none", level=name))
        continue
    flagged["group"] = [
        group_label(level, g, n) for g, n in flagged[["grp", "name"]].itertuples(index=False)
    ]
    for c in ("share10", "share_det"):
        flagged[c] = (100 * flagged[c]).round(1)
    flagged = flagged.round({"exp10": 1, "exp_det": 1})
    cols = [
        "group",
        "n",
        "n10",
        "share10",
        "exp10",
        "p_tens",
        "d",
        "share_det",
        "exp_det",
        "p_nodet",
    ]
    st.dataframe(
        shown(flagged, cols),
        hide_index=True,
        key=f"seg_gaming_{level}",
        column_config={
            t("seg.col.p_tens"): st.column_config.NumberColumn(format="%.1e"),
            t("seg.col.p_nodet"): st.column_config.NumberColumn(format="%.1e"),
        },
    )
