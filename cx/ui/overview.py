"""The overview page's Streamlit pieces: the month picker, the metric cards with their
sparklines, touchpoints, what moved and the target editor (from
:class:`cx.views.overview.OverviewView`)."""

from __future__ import annotations

from datetime import date

import streamlit as st

from cx import i18n, metric_targets, metrics, overview, report, stats, ui
from cx.charts import overview as charts
from cx.ui import (
    all_stores_key,
    choice,
    hold_choice,
    lang,
    no_answers,
    relabelled,
    store_list,
    t,
    url_set,
)
from cx.views.overview import OverviewView

CARDS_PER_ROW = 3
"""Rows of at most three cards: five in a row cut the names ("Waiting, 90th per…")."""


_LINKED = "_ov_linked_month"  # a month a link just asked for, until it is checked


def month_choice() -> object:
    """The month the person picked (key ``ov_month``), read before the picker is drawn;
    ``?month=2025-09`` picks it once per new value (a reload or a shared link keeps it),
    and again when the picker has lost its value: Streamlit drops it on a run of another
    page, so Back from the segments page to ``/overview?month=2025-09`` showed the newest
    month and took the month out of the address."""
    raw = st.query_params.get("month")
    lost = bool(raw) and "ov_month" not in st.session_state
    if lost or raw != st.session_state.get("_ov_qp_month"):
        st.session_state["_ov_qp_month"] = raw
        try:
            st.session_state["ov_month"] = date.fromisoformat(f"{raw}-01")
        except (TypeError, ValueError):
            pass  # none, or not a month: the picker keeps what it holds
        st.session_state[_LINKED] = raw  # checked against the months held (_month_picker)
    return choice("ov_month")


def _month_picker(v: OverviewView) -> None:
    linked = st.session_state.pop(_LINKED, None)
    if linked and linked not in {f"{m:%Y-%m}" for m in v.months}:  # said, not replaced in
        # silence (?month=2031-01 opened the newest month without a word)
        first, last = min(v.months), max(v.months)
        st.warning(
            t("ov.month_outside", month=linked, first=f"{first:%Y-%m}", last=f"{last:%Y-%m}")
        )
    hold_choice("ov_month", v.month)
    st.selectbox(
        t("ov.month"), v.months, format_func=lambda m: f"{m:%Y-%m}", key=relabelled("ov_month")
    )
    # the month in the URL while it is one the person picked (the default stays out of it,
    # so the link follows the newest month)
    picked = choice("ov_month")
    value = f"{picked:%Y-%m}" if picked else None
    url_set("month", value)
    st.session_state["_ov_qp_month"] = value


def _card(v: OverviewView, card: overview.MetricCard) -> None:
    L = lang()
    m = metrics.get(card.key)
    with st.container(border=True):
        st.metric(m.label(L), overview.value_text(card, L), help=m.formula(L))
        st.markdown(f"{overview.badge(card.state, L)} {overview.meta_text(card, L)}")
        if m.target_from_store_targets and card.target is not None:
            source, stores = v.nps_target_source  # as the board says it (one rule)
            # the stores' targets are weighted by the whole month here, not up to a day
            key = "ov.target.stores" if source == "stores" else f"target.source.{source}"
            st.caption(t(key, k=stores))
        missing = card.value is None
        st.markdown(overview.change_text(card.key, card.change, L, now_missing=missing))
        spec = ui.kept_spec((v.token, card.key, L), lambda: _sparkline(v, card))
        st.vega_lite_chart(spec=spec, width="stretch")


def _sparkline(v: OverviewView, card: overview.MetricCard) -> dict:
    """A card's sparkline as one spec with its rows as a named dataset, made once per view
    and language (:func:`cx.ui.kept_spec`): a rerun filtered the months of each of the
    dozen cards, built its frame and converted it again (half an overview rerun)."""
    m = metrics.get(card.key)
    frame, spec = charts.sparkline_spec(
        v.spark[v.spark["metric"] == card.key],
        target=metrics.to_display(card.key, card.target),
        state=card.state,
        month_title=t("ov.spark.month"),
        value_title=m.label(lang()),
        digits=m.digits,
    )
    return spec | {"data": {"name": "spark"}, "datasets": {"spark": frame}}


@ui.refusable
def _save(metric: str, store: str) -> None:
    L = lang()
    value = st.session_state.get("ov_target_value")
    if value is None:
        st.session_state["_ov_msg"] = ("warning", t("ov.targets.empty_value"))
        return
    try:
        ui.write(metric_targets.save, metric, store, metrics.from_display(metric, value))
    except ValueError as exc:
        st.session_state["_ov_msg"] = ("error", t("ov.targets.invalid", reason=str(exc)))
        return
    text = overview.with_unit(metric, metrics.fmt(metric, metrics.from_display(metric, value)), L)
    msg = t("ov.targets.saved", metric=metrics.get(metric).label(L), target=text)
    st.session_state["_ov_msg"] = ("success", msg)


@ui.refusable
def _reset(metric: str, store: str) -> None:
    ui.write(metric_targets.reset, metric, store)
    msg = t("ov.targets.was_reset", metric=metrics.get(metric).label(lang()))
    st.session_state["_ov_msg"] = ("success", msg)


_METRIC_KEPT = "_ov_target_metric_kept"  # the target editor's metric, as last drawn


def _target_editor(v: OverviewView) -> None:
    """The editor of the scope's targets, for a person who may set the target it changes."""
    store = v.target_store
    if not (ui.can("targets.edit") and ui.person().sees_target(store)):
        return
    L = lang()
    targets = dict(v.targets)
    ss = st.session_state
    with st.expander(t("ov.targets.title"), key="ov_targets_box"):  # open across languages
        # another page and back: Streamlit forgets the picker, and it came back on the
        # first metric, not the one being set
        if "ov_target_metric" not in ss and ss.get(_METRIC_KEPT) in v.editable:
            ss["ov_target_metric"] = ss[_METRIC_KEPT]
        key = ss[_METRIC_KEPT] = st.selectbox(
            t("ov.targets.metric"),
            list(v.editable),
            format_func=lambda k: metrics.get(k).label(L),
            key=relabelled("ov_target_metric"),
        )
        m = metrics.get(key)
        marker = (key, store, targets[key])
        if ui.reseed("_ov_target_for", marker, ("ov_target_value",)):  # (another page and
            # back, it read its lowest value)
            st.session_state["ov_target_value"] = metrics.to_display(key, targets[key])
        lo, hi = (metrics.to_display(key, x) for x in m.target_range)
        st.number_input(
            t("ov.targets.value", unit=i18n.t(f"metric.unit.{m.unit}", L)),
            min_value=lo,
            max_value=hi,
            step=overview.target_step(m.unit),
            format=f"%.{m.digits}f",
            key="ov_target_value",
        )
        st.caption(
            t("ov.targets.direction_hib" if m.higher_is_better else "ov.targets.direction_lib")
        )
        st.caption(
            t("ov.targets.scope_store", store=store)
            if store != metric_targets.ALL
            else t("ov.targets.scope_all")
        )
        left, right = st.columns(2)
        left.button(t("ov.targets.save"), key="ov_target_save", on_click=_save, args=(key, store))
        right.button(
            t("ov.targets.reset"), key="ov_target_reset", on_click=_reset, args=(key, store)
        )
        if "_ov_msg" in st.session_state:
            kind, text = st.session_state.pop("_ov_msg")
            getattr(st, kind)(text)
        st.caption(t("ov.targets.nps_note"))


def render(v: OverviewView) -> None:
    """Everything below the page's title."""
    if v.empty:
        st.info(no_answers("ov.empty", "ov.empty_scoped"))
        return
    L = lang()
    _month_picker(v)
    first = v.prev not in v.months  # the data's first month: nothing before it
    st.caption(
        t(
            "ov.caption_first" if first else "ov.caption",
            scope=t(_scope_key(v.scope_key), **_scope_words(dict(v.scope_fmt))),
            month=f"{v.month:%Y-%m}",
            prev=f"{v.prev:%Y-%m}",
            min_n=stats.MIN_N,
        )
    )
    if v.silent:  # stores whose answers stop before the month's last day with data
        st.warning(t("ov.silent", month=f"{v.month:%Y-%m}", stores=report.silent_text(v.silent, L)))
    if v.stores_so_far is not None:
        n, m = v.stores_so_far
        st.warning(
            t("ov.stores_so_far", month=f"{v.month:%Y-%m}", prev=f"{v.prev:%Y-%m}", n=n, m=m)
        )
    if v.dates_apart is not None:
        start, end, first, last = v.dates_apart
        st.info(
            t(
                "ov.dates_apart",
                month=f"{v.month:%Y-%m}",
                start=f"{start:%m-%d}",
                end=f"{end:%m-%d}",
                first=f"{first:%Y-%m-%d}",
                last=f"{last:%Y-%m-%d}",
            )  # fmt: skip
        )
    for layer in metrics.LAYER_ORDER:
        st.subheader(t(f"ov.layer.{layer}"))
        layer_metrics = metrics.by_layer(layer)
        for i in range(0, len(layer_metrics), CARDS_PER_ROW):
            row = layer_metrics[i : i + CARDS_PER_ROW]
            for col, m in zip(st.columns(CARDS_PER_ROW), row, strict=False):
                with col:
                    _card(v, v.card(m.key))

    st.subheader(t("ov.tp.title"))
    st.markdown(overview.touchpoint_line(list(v.touchpoints), L))
    st.caption(t("ov.tp.caption"))

    st.subheader(t("ov.moved.title"))
    moved = [overview.moved_sentence(item, L) for item in v.moved]
    none = t("ov.moved.none_first" if first else "ov.moved.none")
    st.markdown("\n".join(f"- {s}" for s in moved) if moved else none)
    _target_editor(v)


def _scope_key(key: str) -> str:
    """'All my stores' for a person who sees some stores only ('All stores' read as the
    network's)."""
    return all_stores_key() if key == "ov.scope.all" else key


def _scope_words(fmt: dict[str, str]) -> dict[str, str]:
    """The scope's stores by name as well as id ('Stores: HZ01' said little)."""
    if "stores" in fmt:
        labels = store_list()
        fmt = fmt | {"stores": ", ".join(labels.label(x) for x in fmt["stores"].split(", "))}
    return fmt
