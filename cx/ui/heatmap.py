"""The heatmap page's Streamlit pieces: the weights, sort and store widgets, the heatmaps,
the ranking and the importance map (from :class:`cx.views.heatmap.HeatmapView`).

The widgets are drawn by :func:`render` in the page's order, below texts that come from
the view; :func:`choices` reads their current values (Streamlit puts a widget's new value
in the session state before the rerun) so the page can ask the view for them first.
"""

from __future__ import annotations

import contextlib
import math
from typing import NamedTuple

import pandas as pd
import streamlit as st
from streamlit.errors import StreamlitWidgetAlreadyInstantiatedError

from cx import analysis, export, stats
from cx.charts import heatmap as charts
from cx.enums import TP_KEYS, TP_LABELS, label
from cx.scope import Scope
from cx.ui import (
    WEIGHTS_PARAM,
    across_pages,
    beside_or_below,
    chart,
    choice,
    dataframe,
    fmt_num,
    fmt_pct,
    hold_choice,
    kept,
    lang,
    nothing_chosen,
    relabelled,
    swipe_hint,
    t,
    t_plain,
    url_choice,
    url_set,
)
from cx.ui.board import file_key
from cx.views.heatmap import IPA_MIN_N, ORDERS, HeatmapView

DEFAULT = {tp: stats.CJI_WEIGHTS[tp] for tp in TP_KEYS}
VALID = "heat_weights_valid"  # last weights that summed to 100 % (fractions)
_URL_SEEN = "heat_weights_url_seen"  # the ?weights= this session wrote or read last
_URL_BAD = "heat_weights_url_bad"  # a ?weights= that could not be read, to say so


class Choices(NamedTuple):
    weights: tuple[float, ...]  # in use: the inputs when they sum to 100 %, else the last valid
    total: float  # the inputs' sum (percent)
    ok: bool  # the inputs sum to 100 %
    order: str
    store: str | None


def _weight_key(tp: str) -> str:
    return f"heat_w_{tp}"


def weights_text(percent: dict[str, float]) -> str:
    """Percent weights in :data:`cx.enums.TP_KEYS` order as the address carries them:
    ``10-15-20-15-25-10-5``."""
    return "-".join(f"{percent[tp]:g}" for tp in TP_KEYS)


def weights_from_text(text: str) -> dict[str, float] | None:
    """:func:`weights_text` read back: seven percentages from 0 to 100 that make 100, or
    None."""
    parts = text.split("-")
    if len(parts) != len(TP_KEYS):
        return None
    try:
        percent = {tp: float(part) for tp, part in zip(TP_KEYS, parts, strict=True)}
    except ValueError:
        return None
    if not all(math.isfinite(v) and 0 <= v <= 100 for v in percent.values()):
        return None
    return percent if analysis.weights_from_percent(percent) is not None else None


def _weights_from_url() -> None:
    """``?weights=`` (:func:`weights_text`): a reload, Back or a link an analyst sent
    shows the weights it carries, once per new value, set before the inputs draw. A value
    that cannot be read is said in one sentence (:func:`render`) and the weights stay."""
    ss = st.session_state
    raw = st.query_params.get(WEIGHTS_PARAM)
    if not raw or raw == ss.get(_URL_SEEN):
        return
    ss[_URL_SEEN] = raw
    percent = weights_from_text(raw)
    if percent is None:
        ss[_URL_BAD] = True
        return
    ss[VALID] = analysis.weights_from_percent(percent)
    for tp in TP_KEYS:
        with contextlib.suppress(StreamlitWidgetAlreadyInstantiatedError):  # drawn already
            ss[_weight_key(tp)] = percent[tp]


def choices() -> Choices:
    """The widgets' current values; the last valid weights stay in use while the inputs do
    not add up to 100 %. The weights in use go to the address (``?weights=``)."""
    _weights_from_url()
    valid = st.session_state.setdefault(VALID, dict(DEFAULT))
    inputs = {
        tp: st.session_state.get(_weight_key(tp), round(100 * valid[tp], 1)) for tp in TP_KEYS
    }
    checked = analysis.weights_from_percent(inputs)
    if checked is not None:
        st.session_state[VALID] = valid = checked
    text = st.session_state[_URL_SEEN] = weights_text({tp: 100 * valid[tp] for tp in TP_KEYS})
    url_set(WEIGHTS_PARAM, text)
    url_choice("heat_sort", ORDERS)  # ?order=cji_asc: a link's order
    order = st.session_state.get("heat_sort", ORDERS[0])
    return Choices(
        tuple(valid[tp] for tp in TP_KEYS),
        sum(inputs.values()),
        checked is not None,
        order if order in ORDERS else ORDERS[0],
        choice("heat_store"),
    )


def _reset() -> None:
    st.session_state[VALID] = dict(DEFAULT)
    for tp in TP_KEYS:
        st.session_state[_weight_key(tp)] = round(100 * DEFAULT[tp], 1)


WEIGHT_WIDTH = 124  # px: the narrowest with its steppers; two to a 390 px phone's line


def _weights(c: Choices) -> None:
    """Percent inputs per touchpoint (keys ``heat_w_<tp>``) and a reset button."""
    valid = st.session_state.get(VALID, DEFAULT)
    st.markdown(f"**{t('heat.weights')}**")
    # One row of narrow inputs that wraps: on a phone two a line (columns stacked all
    # seven, a screen of inputs before the heatmap), on a desktop two lines.
    row = st.container(horizontal=True, gap="small", vertical_alignment="bottom")
    for tp in TP_KEYS:
        st.session_state.setdefault(_weight_key(tp), round(100 * valid[tp], 1))
        row.number_input(
            label(TP_LABELS, tp, lang()),
            min_value=0.0,
            max_value=100.0,
            step=1.0,
            format="%.1f",
            key=_weight_key(tp),
            width=WEIGHT_WIDTH,
        )
    row.button(t("heat.reset"), key="heat_reset", on_click=_reset)
    if c.ok:
        st.caption(t("heat.weights_sum", total=fmt_num(c.total, 1)))
    else:
        st.error(t("heat.weights_bad", total=fmt_num(c.total, 1)))


def _file(name: str, flt: Scope) -> str:
    """A download's name with whose stores and which days it holds, as the segments and
    quadrant pages name theirs (the network's and one store's ranking had the same name,
    and the second download replaced the first)."""
    return f"{name}_{file_key(flt.key)}_{flt.start}_{flt.end}"


def _ranking(v: HeatmapView, flt: Scope) -> None:
    """The ranking as numbers, so a click on a column's header sorts by value (as text,
    -0.10 came after 0.05), a gap (unranked, no earlier period) shown as '—'."""
    shown, names, csv = kept(("heat_ranking", v.token, lang()), lambda: _ranking_frame(v.ranked))
    two = st.column_config.NumberColumn(format="%.2f")  # 9.10, not 9.1
    config = {names[c]: two for c in ("cji", "cji_chg")}
    config[names["tp_n"]] = st.column_config.NumberColumn(
        format="%,d", help=t_plain("heat.col.cji_n_help")
    )
    # the rank narrow, so it and the store stay in view as a phone scrolls (see
    # cx.ui.board.ranking)
    config[names["rank"]] = {"width": 60}
    dataframe(
        shown,
        hide_index=True,
        key="heat_ranking",
        pin=2,  # the rank and the store
        download=_file("cji_ranking", flt),
        download_data=lambda: export.to_csv_bytes(csv),
        height=min(720, 38 + 35 * len(shown)),
        column_config=config,
    )


def _ranking_frame(ranked: pd.DataFrame) -> tuple[pd.DataFrame, dict[str, str], pd.DataFrame]:
    """The ranking as shown (headed in the reader's language), its headers by column, and
    the ranking as its download writes it: worked out once per view and language (a
    network's 1,912 stores). The download keeps the store's name clean and its low-sample
    flag in a column of its own, as the quadrant's and the segments' downloads do (the
    flag in the name cell split one store in two for a spreadsheet's filter or lookup)."""
    # answers: every answer of the store, as every other page counts them (the most
    # ratings of one touchpoint, which the ranking's cut of 10 reads, had been shown)
    # and the CJI's own n beside them, its best-rated touchpoint's, as the overview's CJI
    # card counts it (872 answers here read against the card's 823)
    shown = ranked[["rank", "store", "cji", "cji_chg", "weakest", "n", "tp_n"]].copy()
    shown["tp_n"] = shown["tp_n"].astype("Int64")
    shown["rank"] = shown["rank"].astype("Float64").round(0).astype("Int64")
    shown["cji"] = shown["cji"].astype(float).round(2)
    shown["cji_chg"] = shown["cji_chg"].astype(float).round(2) + 0.0  # -0.0 read "-0.00"
    shown["weakest"] = [label(TP_LABELS, w, lang()) for w in shown["weakest"]]
    # a CJI on 10-29 ratings is ranked but flagged, as the board flags an NPS on few answers
    low = stats.sample_flags(ranked["tp_n"]) == "low"
    csv = shown.assign(flag=[t_plain("heat.flag.low_n", n=stats.LOW_N) if x else "" for x in low])
    shown.loc[low, "store"] = shown.loc[low, "store"] + t_plain("board.rank.low")
    cols = {"rank": "rank", "store": "store", "cji": "cji", "cji_chg": "cji_chg"}
    cols |= {"weakest": "weakest", "n": "n", "tp_n": "cji_n"}
    names = {k: t(f"heat.col.{v}") for k, v in cols.items()}
    csv = csv.rename(columns=names | {"flag": t("heat.col.flag")})
    return shown.rename(columns=names), names, csv


def _weekly(v: HeatmapView) -> None:
    st.subheader(t("heat.weekly"))
    names = dict(v.stores)
    hold_choice("heat_store", v.store)
    st.selectbox(
        t("heat.weekly_store"), list(names), format_func=names.get, key=relabelled("heat_store")
    )
    if v.weekly is None:
        st.info(t("heat.no_data"))
    else:
        swipe_hint("heatmap_weekly")  # as over the grid above: it scrolls on a phone
        with st.container(key="heat_scroll_weekly"):
            chart(
                st,
                charts.heatmap,
                v.weekly,
                "week",
                "label",
                lang(),
                t("heat.col.week"),
                key="heat_weekly",
            )
    st.caption(t("heat.weekly_note"))


def _importance(v: HeatmapView, flt: Scope) -> None:
    st.subheader(t("heat.ipa"))
    if not v.has_ipa:
        if v.corr_n:  # some complete answers, too few to weigh seven touchpoints
            st.info(t("heat.ipa_few", n=fmt_num(v.corr_n, 0), min=fmt_num(IPA_MIN_N, 0)))
        else:
            st.info(t("heat.ipa_none"))
        return
    a, b = st.columns(2)
    chart(a, charts.ipa_chart, v.ipa, v.imp_cut, v.perf_cut, lang(), key="heat_ipa")
    chart(b, charts.compare_chart, v.ipa, lang(), key="heat_compare")
    st.caption(
        t(
            "heat.ipa_note",
            n=fmt_num(v.corr_n, 0),
            r2=fmt_num(v.r2, 2),
            r2pct=fmt_pct(v.r2, 0),
            imp=fmt_num(v.imp_cut, 1),
            perf=fmt_num(v.perf_cut, 2),
        )
    )
    ipa = v.ipa.assign(
        interval=[
            "" if pd.isna(lo) else f"{lo:.1f} – {hi:.1f}"
            for lo, hi in zip(v.ipa["low"], v.ipa["high"], strict=True)
        ],
        verdict=[t(f"heat.verdict.{x}") if x else t("fmt.no_data") for x in v.ipa["verdict"]],
    ).drop(columns=["low", "high"])
    if not v.called:
        st.success(t("heat.agree"))
    else:
        called = ipa.set_index("touchpoint").loc[list(v.called)]
        tps = t_plain("fmt.sep_list").join(  # 、 between Chinese items
            f"{label(TP_LABELS, tp, lang())} {r.verdict} ({r.interval} % / {r.weight:.0f} %)"
            for tp, r in zip(called.index, called.itertuples(), strict=True)
        )
        st.warning(t("heat.disagree", tps=tps))
    st.caption(t("heat.boot_note"))
    ipa_shown = ipa.assign(
        touchpoint=[label(TP_LABELS, tp, lang()) for tp in ipa["touchpoint"]],
        zone=[t(f"heat.ipa.{z}") if z else t("fmt.no_data") for z in ipa["zone"]],
    ).round({"importance": 1, "performance": 2, "weight": 1, "gap": 1})
    dataframe(
        ipa_shown.rename(columns={c: t(f"heat.col.{c}") for c in ipa_shown.columns}),
        hide_index=True,
        key="heat_ipa_table",
        pin=1,  # the touchpoint
        download=_file("touchpoint_priorities", flt),
    )


def render(v: HeatmapView, c: Choices, flt: Scope) -> None:
    """Everything below the page's title, widgets included."""
    if v.window is None:
        nothing_chosen()
        return
    (start, end), (pstart, pend) = v.window, v.prev_window
    st.caption(t("heat.window", start=start, end=end, pstart=pstart, pend=pend))
    if st.session_state.pop(_URL_BAD, False):
        st.warning(t("heat.weights_url_bad"))
    _weights(c)
    if v.empty:
        st.info(t("heat.no_data"))
        return
    st.radio(
        t("heat.sort"),
        list(ORDERS),
        format_func={k: t(f"heat.sort.{k}") for k in ORDERS}.get,
        horizontal=True,
        key=relabelled(across_pages("heat_sort")),
    )
    # On a phone the grid keeps readable cells and scrolls sideways inside its own box.
    st.html(charts.SCROLL_CSS)
    with beside_or_below("heat_split"):
        left, right = st.columns([3, 2])
    with left:
        swipe_hint("heatmap")
    with left, st.container(key="heat_scroll"):
        chart(
            st, charts.heatmap, v.ranked.head(charts.GRID_ROWS), "store_id", "store", lang(),
            t("heat.col.store"), token=(v.token, lang()), key="heat_chart",
        )  # fmt: skip
        st.caption(t("heat.weakest_note"))
        if len(v.ranked) > charts.GRID_ROWS:
            st.caption(t("heat.grid_first", shown=charts.GRID_ROWS, total=len(v.ranked)))
    with right:
        st.subheader(t("heat.ranking"))
        _ranking(v, flt)
    _weekly(v)
    _importance(v, flt)
