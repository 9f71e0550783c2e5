"""CX overview: outcome, perception and operational metrics against their targets."""

import streamlit as st

from cx import metric_targets, metrics, overview, rules, stats, ui
from cx.charts import overview as charts
from cx.queries import cx_overview as q
from cx.scope import Scope
from cx.ui import lang, load, t

L = lang()
st.title(t("ov.title"))
flt = ui.filters()
scope = Scope(flt.regions, flt.stores)
months = load(q.months)
if not months:
    st.info(t("ov.empty"))
    st.stop()

if st.session_state.get("ov_month") not in months:
    end = rules.month_start(flt.end) if flt.end else None
    st.session_state["ov_month"] = end if end in months else months[0]
month = st.selectbox(t("ov.month"), months, format_func=lambda m: f"{m:%Y-%m}", key="ov_month")
prev = rules.previous_month(month)

monthly = load(q.monthly_inputs, scope, rules.add_months(month, -11), month)
split = load(q.quantile_split, scope, month)
targets = metric_targets.resolve(
    load(q.metric_targets), flt.stores, load(q.nps_target, scope, month)
)
cards = {c.key: c for c in overview.compute(monthly, month, targets, split)}
spark = overview.series(monthly)

if flt.stores:
    scope_text = t("ov.scope.stores", stores=", ".join(flt.stores))
elif flt.regions:
    scope_text = t("ov.scope.regions", regions=", ".join(flt.regions))
else:
    scope_text = t("ov.scope.all")
st.caption(
    t(
        "ov.caption",
        scope=scope_text,
        month=f"{month:%Y-%m}",
        prev=f"{prev:%Y-%m}",
        min_n=stats.MIN_N,
    )
)


CARDS_PER_ROW = 3


def show_card(card: overview.MetricCard) -> None:
    m = metrics.get(card.key)
    with st.container(border=True):
        st.metric(m.label(L), overview.value_text(card, L), help=m.formula(L))
        st.markdown(f"{overview.badge(card.state, L)} {overview.meta_text(card, L)}")
        st.markdown(overview.change_text(card.key, card.change, L))
        frame, spec = charts.sparkline_spec(
            spark[spark["metric"] == card.key],
            target=metrics.to_display(card.key, card.target),
            state=card.state,
            month_title=t("ov.spark.month"),
            value_title=m.label(L),
            digits=m.digits,
        )
        st.vega_lite_chart(frame, spec, width="stretch")


for layer in metrics.LAYER_ORDER:
    st.subheader(t(f"ov.layer.{layer}"))
    layer_metrics = metrics.by_layer(layer)
    # Rows of at most three cards: five in a row cut the names ("Waiting, 90th per…").
    for i in range(0, len(layer_metrics), CARDS_PER_ROW):
        row = layer_metrics[i : i + CARDS_PER_ROW]
        for col, m in zip(st.columns(CARDS_PER_ROW), row, strict=False):
            with col:
                show_card(cards[m.key])

tps = overview.touchpoints(monthly, month)
st.subheader(t("ov.tp.title"))
st.markdown(overview.touchpoint_line(tps, L))
st.caption(t("ov.tp.caption"))

st.subheader(t("ov.moved.title"))
moved = overview.what_moved(list(cards.values()), tps, L)
st.markdown("\n".join(f"- {s}" for s in moved) if moved else t("ov.moved.none"))


# --------------------------------------------------------------------------- targets
def _save(metric: str, store: str) -> None:
    value = st.session_state.get("ov_target_value")
    if value is None:
        st.session_state["_ov_msg"] = ("warning", t("ov.targets.empty_value"))
        return
    try:
        ui.write(metric_targets.save, metric, store, metrics.from_display(metric, value))
    except ValueError as exc:
        st.session_state["_ov_msg"] = ("error", t("ov.targets.invalid", reason=str(exc)))
        return
    text = metrics.fmt(metric, metrics.from_display(metric, value))
    msg = t("ov.targets.saved", metric=metrics.get(metric).label(L), target=text)
    st.session_state["_ov_msg"] = ("success", msg)


def _reset(metric: str, store: str) -> None:
    ui.write(metric_targets.reset, metric, store)
    msg = t("ov.targets.was_reset", metric=metrics.get(metric).label(L))
    st.session_state["_ov_msg"] = ("success", msg)


if ui.can("targets.edit") and ui.person().sees_target(metric_targets.scope_store(flt.stores)):
    with st.expander(t("ov.targets.title"), expanded=False):
        editable = [k for k, m in metrics.METRICS.items() if m.editable]
        key = st.selectbox(
            t("ov.targets.metric"),
            editable,
            format_func=lambda k: metrics.get(k).label(L),
            key="ov_target_metric",
        )
        m = metrics.get(key)
        store = metric_targets.scope_store(flt.stores)
        marker = (key, store, targets[key])
        if st.session_state.get("_ov_target_for") != marker:
            st.session_state["ov_target_value"] = metrics.to_display(key, targets[key])
            st.session_state["_ov_target_for"] = marker
        lo, hi = (metrics.to_display(key, v) for v in m.target_range)
        step = {"share": 0.5, "ces": 0.05, "score10": 0.05}.get(m.unit, 5.0)
        st.number_input(
            t("ov.targets.value", unit=metrics.UNITS[m.unit][0 if L == "zh" else 1]),
            min_value=lo,
            max_value=hi,
            step=step,
            format=f"%.{m.digits}f",
            key="ov_target_value",
        )
        st.caption(
            t("ov.targets.direction_hib" if m.higher_is_better else "ov.targets.direction_lib")
        )
        st.caption(
            t("ov.targets.scope_store", store=store) if store != "*" else t("ov.targets.scope_all")
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
