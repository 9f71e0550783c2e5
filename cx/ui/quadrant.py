"""The quadrant page's Streamlit pieces: period and crosshair pickers, the bubble chart,
the store table, the zones' advice and opening a store's board."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import streamlit as st

from cx import analysis, export, i18n
from cx.charts import quadrant as charts
from cx.scope import NETWORK
from cx.ui import (
    BOARD_PAGE,
    across_pages,
    beside_or_below,
    chart,
    dataframe,
    fmt_num,
    kept,
    lang,
    nothing_chosen,
    open_board,
    relabelled,
    store_list,
    swipe_hint,
    t,
    url_choice,
)
from cx.ui.board import file_key
from cx.views.quadrant import CROSSHAIRS, PERIODS, QuadrantView

BOARD_READY = (Path(__file__).resolve().parents[2] / BOARD_PAGE).exists()


def pickers() -> tuple[str, str]:
    """The period (key ``quad_period``, ``?span=``) and crosshair (key ``quad_cross``,
    ``?lines=``) radios."""
    url_choice("quad_period", PERIODS)
    url_choice("quad_cross", CROSSHAIRS)
    left, right = st.columns(2)
    kind = left.radio(
        t("quad.period"),
        list(PERIODS),
        format_func={k: t(f"quad.period.{k}") for k in PERIODS}.get,
        horizontal=True,
        key=relabelled(across_pages("quad_period")),
    )
    mode = right.radio(
        t("quad.cross"),
        list(CROSSHAIRS),
        format_func={k: t(f"quad.cross.{k}") for k in CROSSHAIRS}.get,
        horizontal=True,
        key=relabelled(across_pages("quad_cross")),
    )
    return kind, mode


def _picked() -> None:
    st.session_state["quad_goto"] = st.session_state.get("quad_store")
    st.session_state["quad_store"] = None


def _table(v: QuadrantView) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The store list's rows (with store_id) and the frame shown (headed in the reader's
    language): worked out once per view and language (1,912 stores: 35-60 ms a rerun)."""
    rows = analysis.quadrant_rows(v.scores, v.prev_scores, lang())
    shown = rows[LIST_COLUMNS]
    return rows, shown.rename(columns={c: t(f"quad.col.{c}") for c in shown.columns})


LIST_COLUMNS = ["store", "zone", "nps", "csi", "n", "prev_zone", "nps_tier", "csi_tier", "csi_n",
                "region", "flag"]  # fmt: skip
"""The store list's columns, what a manager reads first first (the region had come
before the figures): beside the map on a wide screen it shows five or six of them; below
it (:func:`cx.ui.beside_or_below`), at 1366 px with the sidebar open, every one."""


def download_frame(
    rows: pd.DataFrame, scores: pd.DataFrame, lang_: str, cuts: tuple[float, float]
) -> pd.DataFrame:
    """The store list as its download writes it: NPS and CSI and their 95 % intervals as
    numbers, each in a column of its own (the list shows '77.5 (73.9 – 80.7)', which a
    spreadsheet can neither sort nor sum), and the crosshairs (NPS, CSI: ``cuts``) its
    zones were read against, as the page's caption writes them (a store's zone moved from
    one file to the next with nothing in either to say why), headed in ``lang_``."""
    nums = scores.set_index("store_id").reindex(columns=list(NUMBER_COLUMNS))
    nums = nums.round(NUMBER_COLUMNS).astype(  # CSI 947, not 947.0
        {c: "Int64" for c, digits in NUMBER_COLUMNS.items() if digits == 0}
    )
    out = rows.drop(columns=["nps", "csi"]).join(nums, on="store_id")
    out["nps_cut"], out["csi_cut"] = round(cuts[0], 1), round(cuts[1])
    cols = ["store", "region", "zone", "prev_zone", *NUMBER_COLUMNS, "n", "csi_n", "nps_tier",
            "csi_tier", "flag", "nps_cut", "csi_cut"]  # fmt: skip
    names = {c: i18n.t(f"quad.col.{c}", lang_) for c in cols}
    names["nps"] = i18n.t("quad.col.nps_value", lang_)  # the figure alone
    return out[cols].rename(columns=names)


NUMBER_COLUMNS = {"nps": 1, "nps_low": 1, "nps_high": 1, "csi": 0, "csi_low": 0, "csi_high": 0}
"""The store list's figures in its download, with their decimals."""


def render(v: QuadrantView, scope_key: str = NETWORK) -> None:
    """Everything below the pickers."""
    if v.window is None:
        nothing_chosen()
        return
    (start, end), (pstart, pend) = v.window, v.prev_window
    st.caption(
        t(
            "quad.window",
            label=v.label,
            start=start,
            end=end,
            prev=v.prev_label,
            pstart=pstart,
            pend=pend,
        )
    )
    if v.empty:
        st.info(t("quad.no_data"))
        return
    csi_src = (
        t("quad.csi_src.table")
        if v.csi_target_set
        else t("quad.csi_src.default", target=fmt_num(analysis.DEFAULT_CSI_TARGET, 0))
    )
    st.caption(
        t(
            "quad.cuts",
            nps=fmt_num(v.nps_cut, 1),
            csi=fmt_num(v.csi_cut, 0),
            how=t(f"quad.how.{v.how}", csi_src=csi_src, n=len(analysis.median_stores(v.scores))),
        )
    )
    # On a phone the map keeps a readable size and scrolls sideways in its own box.
    st.html(charts.SCROLL_CSS)
    with beside_or_below("quad_split"):
        chart_col, table_col = st.columns([3, 2])
    with chart_col:
        swipe_hint("quadrant")
    with chart_col, st.container(key="quad_scroll"):
        regions = tuple(sorted(store_list().frame["region"].dropna().unique().tolist()))
        event = chart(
            st, charts.bubble_chart, v.scores, v.moves, v.nps_cut, v.csi_cut, lang(), regions,
            token=(v.token, lang(), regions), key="quad_chart", on_select="rerun",
            selection_mode="store",
        )  # fmt: skip
        st.caption(t("quad.legend.prev"))
        drawn = int(v.scores[["nps", "csi"]].notna().all(axis=1).sum())
        if drawn > charts.NAMED_MAX:
            st.caption(t("quad.named_few", total=drawn, named=charts.NAMED_MAX))
    with table_col:
        st.subheader(t("quad.table"))
        rows, shown = kept(("quad_rows", v.token, lang()), lambda: _table(v))
        reader = lang()  # the click comes outside the run
        table = dataframe(
            shown,
            hide_index=True,
            key="quad_table",
            pin=1,  # the store
            on_select="rerun",
            selection_mode="single-row",
            height=min(480, 38 + 35 * len(shown)),  # one store: no screen of empty rows
            download=f"quadrant_{file_key(scope_key)}_{v.window[0]}_{v.window[1]}",
            download_data=lambda: export.to_csv_bytes(
                download_frame(rows, v.scores, reader, (v.nps_cut, v.csi_cut))
            ),
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
        key=relabelled("quad_store"),
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
            open_board(goto)
        st.info(t("quad.board_missing", store=names.get(goto, goto)))
