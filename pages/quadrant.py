"""NPS x CSI quadrant: where each store stands this period, how it moved, which to open."""

from pathlib import Path

import streamlit as st

from cx import analysis, rules
from cx.charts import quadrant as charts
from cx.queries import quadrant as q
from cx.scope import Scope
from cx.ui import filters, fmt_num, lang, load, t

BOARD = "pages/board.py"
BOARD_READY = (Path(__file__).resolve().parent.parent / BOARD).exists()


def _picked() -> None:
    st.session_state["quad_goto"] = st.session_state.get("quad_store")
    st.session_state["quad_store"] = None


st.title(t("quad.title"))
st.caption(t("quad.intro"))
flt = filters()
if flt.end is None:
    st.info(t("fmt.no_data"))
    st.stop()

left, right = st.columns(2)
kind = left.radio(
    t("quad.period"),
    ["quarter", "month"],
    format_func={k: t(f"quad.period.{k}") for k in ("quarter", "month")}.get,
    horizontal=True,
    key="quad_period",
)
mode = right.radio(
    t("quad.cross"),
    ["median", "fixed", "targets"],
    format_func={k: t(f"quad.cross.{k}") for k in ("median", "fixed", "targets")}.get,
    horizontal=True,
    key="quad_cross",
)
cur = rules.current_window(flt.end, kind)
prev = rules.previous_period(flt.end, kind)
cur_f = Scope(flt.regions, flt.stores, *cur)
prev_f = Scope(flt.regions, flt.stores, *prev)
st.caption(
    t(
        "quad.window",
        label=rules.period_label(cur[0], kind),
        start=cur[0],
        end=cur[1],
        prev=rules.period_label(prev[0], kind),
        pstart=prev[0],
        pend=prev[1],
    )
)
scores = analysis.store_scores(load(q.store_sums, cur_f))
if scores.empty:
    st.info(t("quad.no_data"))
    st.stop()
prev_scores = analysis.store_scores(load(q.store_sums, prev_f))

nps_target, nps_source = load(q.nps_target, cur_f) if mode == "targets" else (None, "none")
csi_target = load(q.csi_target) if mode == "targets" else None
nps_cut, csi_cut, how = analysis.choose_cuts(mode, scores, nps_target, nps_source, csi_target)
csi_src = t("quad.csi_src.table" if csi_target is not None else "quad.csi_src.default")
st.caption(
    t(
        "quad.cuts",
        nps=fmt_num(nps_cut, 1),
        csi=fmt_num(csi_cut, 0),
        how=t(f"quad.how.{how}", csi_src=csi_src),
    )
)
scores = analysis.add_zones(scores, nps_cut, csi_cut)
prev_scores = analysis.add_zones(prev_scores, nps_cut, csi_cut)
moves = analysis.movements(scores, prev_scores)

# On a phone the map keeps a readable size and scrolls sideways in its own box (the app's
# own style on its keyed container; nothing of Streamlit's restyled).
st.html(
    "<style>.st-key-quad_scroll{overflow-x:auto}"
    ".st-key-quad_scroll [data-testid='stVegaLiteChart']{min-width:600px}</style>"
)
chart_col, table_col = st.columns([3, 2])
with chart_col, st.container(key="quad_scroll"):
    chart = charts.bubble_chart(scores, moves, nps_cut, csi_cut, lang())
    event = st.altair_chart(
        chart, width="stretch", key="quad_chart", on_select="rerun", selection_mode="store"
    )
    st.caption(t("quad.legend.prev"))
with table_col:
    st.subheader(t("quad.table"))
    rows = analysis.quadrant_rows(scores, prev_scores, lang())
    shown = rows.drop(columns="store_id")
    table = st.dataframe(
        shown.rename(columns={c: t(f"quad.col.{c}") for c in shown.columns}),
        hide_index=True,
        key="quad_table",
        on_select="rerun",
        selection_mode="single-row",
        height=480,
    )

st.caption(t("quad.on_line_note"))
st.subheader(t("quad.zones_header"))
for col, zone in zip(st.columns(4), analysis.ZONES, strict=True):
    col.markdown(f"**{t(f'quad.zone.{zone}')}**  \n{t(f'quad.advice.{zone}')}")

names = dict(zip(rows["store_id"], rows["store"], strict=True))
st.selectbox(
    t("quad.pick"),
    list(names),
    index=None,
    format_func=names.get,
    placeholder=t("quad.pick_placeholder"),
    key="quad_store",
    on_change=_picked,
)
goto = st.session_state.pop("quad_goto", None)
picked_rows = table.selection.rows if table is not None else []
if goto is None and picked_rows:
    goto = rows.iloc[picked_rows[0]]["store_id"]
picked_points = (event.selection.get("store") or []) if event is not None else []
if goto is None and picked_points:
    goto = picked_points[0].get("store_id")
if goto:
    if BOARD_READY:
        st.switch_page(BOARD, query_params={"store": goto})
    st.info(t("quad.board_missing", store=names.get(goto, goto)))
