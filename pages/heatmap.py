"""CJI touchpoint heatmap: stores x touchpoints, editable weights, weekly view, what to fix first."""

from datetime import timedelta

import pandas as pd
import streamlit as st

from cx import analysis, rules, stats
from cx.charts import heatmap as charts
from cx.enums import TP_KEYS, TP_LABELS, label
from cx.queries import heatmap as q
from cx.scope import Scope
from cx.ui import filters, fmt_num, fmt_pct, lang, load, t

DEFAULT = {tp: stats.CJI_WEIGHTS[tp] for tp in TP_KEYS}
VALID = "heat_weights_valid"  # last weights that summed to 100 % (fractions)


def _reset() -> None:
    st.session_state[VALID] = dict(DEFAULT)
    for tp in TP_KEYS:
        st.session_state[f"heat_w_{tp}"] = round(100 * DEFAULT[tp], 1)


st.title(t("heat.title"))
st.caption(t("heat.intro"))
flt = filters()
if flt.start is None or flt.end is None:
    st.info(t("fmt.no_data"))
    st.stop()
prev = rules.previous_window(flt.start, flt.end)
st.caption(t("heat.window", start=flt.start, end=flt.end, pstart=prev[0], pend=prev[1]))

# ---- weights (percent inputs; the last valid set stays in use while they do not add up)
valid = st.session_state.setdefault(VALID, dict(DEFAULT))
st.markdown(f"**{t('heat.weights')}**")
inputs = {}
weight_cols = st.columns(len(TP_KEYS) + 1, vertical_alignment="bottom")
for col, tp in zip(weight_cols, TP_KEYS, strict=False):
    st.session_state.setdefault(f"heat_w_{tp}", round(100 * valid[tp], 1))
    inputs[tp] = col.number_input(
        label(TP_LABELS, tp, lang()), min_value=0.0, max_value=100.0, step=1.0, key=f"heat_w_{tp}"
    )
weight_cols[-1].button(t("heat.reset"), key="heat_reset", on_click=_reset)
checked = analysis.weights_from_percent(inputs)
total = sum(inputs.values())
if checked is None:
    st.error(t("heat.weights_bad", total=fmt_num(total, 1)))
else:
    st.session_state[VALID] = valid = checked
    st.caption(t("heat.weights_sum", total=fmt_num(total, 1)))

sums = load(q.store_sums, flt)
if sums.empty:
    st.info(t("heat.no_data"))
    st.stop()
prev_sums = load(q.store_sums, Scope(flt.regions, flt.stores, *prev))
table = analysis.cji_table(sums, valid, prev_sums)
table["store"] = table["store_id"] + " " + table["store_name"].astype(str)

order = st.radio(
    t("heat.sort"),
    ["cji_desc", "cji_asc", "store"],
    format_func={k: t(f"heat.sort.{k}") for k in ("cji_desc", "cji_asc", "store")}.get,
    horizontal=True,
    key="heat_sort",
)
ranked = analysis.rank_by_cji(table, order)
# On a phone the grid keeps readable cells and scrolls sideways inside its own box (the
# app's own style: a minimum width for the heatmaps, nothing of Streamlit's restyled).
st.html(charts.SCROLL_CSS)
left, right = st.columns([3, 2])
with left, st.container(key="heat_scroll"):
    chart = charts.heatmap(ranked, "store_id", "store", lang(), t("heat.col.store"))
    st.altair_chart(chart, width="stretch", key="heat_chart")
    st.caption(t("heat.weakest_note"))
with right:
    st.subheader(t("heat.ranking"))
    shown = ranked[["rank", "store", "cji", "cji_chg", "weakest", "tp_n"]].copy()
    shown["rank"] = [fmt_num(r, 0) if r == r else "—" for r in shown["rank"]]
    shown["cji"] = [fmt_num(v, 2) for v in shown["cji"]]
    shown["cji_chg"] = [fmt_num(v, 2) if v == v else "—" for v in shown["cji_chg"]]
    shown["weakest"] = [label(TP_LABELS, w, lang()) for w in shown["weakest"]]
    cols = {"rank": "rank", "store": "store", "cji": "cji", "cji_chg": "cji_chg"}
    cols |= {"weakest": "weakest", "tp_n": "n"}
    shown = shown.rename(columns={k: t(f"heat.col.{v}") for k, v in cols.items()})
    st.dataframe(shown, hide_index=True, key="heat_ranking", height=min(720, 38 + 35 * len(shown)))

# ---- one store by week
st.subheader(t("heat.weekly"))
names = dict(zip(table["store_id"], table["store"], strict=True))
store = st.selectbox(t("heat.weekly_store"), list(names), format_func=names.get, key="heat_store")
first = rules.week_start(min(flt.start, flt.end - timedelta(weeks=13) + timedelta(days=1)))
weeks = load(q.store_weeks, Scope(start=first, end=flt.end), store)  # whole weeks
if weeks.empty:
    st.info(t("heat.no_data"))
else:
    wt = analysis.cji_table(weeks, valid, key="week")
    wt["label"] = [f"{w:%Y-%m-%d}" for w in wt["week"]]
    with st.container(key="heat_scroll_weekly"):
        st.altair_chart(
            charts.heatmap(wt, "week", "label", lang(), t("heat.col.week")),
            width="stretch",
            key="heat_weekly",
        )
st.caption(t("heat.weekly_note"))

# ---- which touchpoint to fix first
st.subheader(t("heat.ipa"))
corr = load(q.touchpoint_corr, flt)
imp, r2 = analysis.importance(analysis.corr_matrix(corr, q.CORR_VARS))
ipa, imp_cut, perf_cut = analysis.ipa_table(imp, analysis.network_performance(sums), valid)
if ipa["importance"].isna().all():
    st.info(t("heat.ipa_none"))
    st.stop()
a, b = st.columns(2)
a.altair_chart(charts.ipa_chart(ipa, imp_cut, perf_cut, lang()), width="stretch", key="heat_ipa")
b.altair_chart(charts.compare_chart(ipa, lang()), width="stretch", key="heat_compare")
st.caption(
    t(
        "heat.ipa_note",
        n=fmt_num(corr["n"], 0),
        r2=fmt_num(r2, 2),
        r2pct=fmt_pct(r2, 0),
        imp=fmt_num(imp_cut, 1),
        perf=fmt_num(perf_cut, 2),
    )
)
# each weight's 95 % bootstrap interval; a touchpoint is called stronger or weaker than
# its assumed weight only when the interval excludes the weight
boot = analysis.bootstrap_importance(load(q.touchpoint_moments, flt), q.CORR_VARS)
verdict = analysis.weight_verdicts(boot, valid)
ipa = ipa.assign(
    interval=[
        "" if pd.isna(lo) else f"{lo:.1f} – {hi:.1f}"
        for lo, hi in zip(boot["low"], boot["high"], strict=True)
    ],
    verdict=[t(f"heat.verdict.{v}") if v else t("fmt.no_data") for v in verdict],
)
called = [r for r, v in zip(ipa.itertuples(), verdict, strict=True) if v in ("stronger", "weaker")]
if not called:
    st.success(t("heat.agree"))
else:
    tps = ", ".join(
        f"{label(TP_LABELS, r.touchpoint, lang())} {r.verdict} ({r.interval} % / {r.weight:.0f} %)"
        for r in called
    )
    st.warning(t("heat.disagree", tps=tps))
st.caption(t("heat.boot_note"))
ipa_shown = ipa.assign(
    touchpoint=[label(TP_LABELS, tp, lang()) for tp in ipa["touchpoint"]],
    zone=[t(f"heat.ipa.{z}") if z else t("fmt.no_data") for z in ipa["zone"]],
).round({"importance": 1, "performance": 2, "weight": 1, "gap": 1})
st.dataframe(
    ipa_shown.rename(columns={c: t(f"heat.col.{c}") for c in ipa_shown.columns}),
    hide_index=True,
    key="heat_ipa_table",
)
