"""What-if planner: slide project gains and the budget toward the NPS goal.

Session state, the interactive fragment and the rendering live in :mod:`cx.ui.planner`.
Projector view hides the sidebar with CSS (best effort: Streamlit offers no API for it)
and shows large numbers.
"""

import streamlit as st

from cx import queries
from cx.ui import load, t
from cx.ui import planner as plan_ui

st.title(t("plan.title"))
projector = st.toggle(t("plan.projector"), key="plan_projector")
if projector:
    st.markdown(
        "<style>section[data-testid='stSidebar'],div[data-testid='stSidebarCollapsedControl']"
        "{display:none}</style>",
        unsafe_allow_html=True,
    )
    st.caption(t("plan.projector_hint"))
stores = load(queries.stores)
store_ids = list(stores["store_id"])
with st.expander(t("plan.setup"), expanded=not projector):
    c1, c2, c3 = st.columns(3)
    preset = c1.selectbox(
        t("plan.preset"),
        plan_ui.PRESETS,
        key="plan_preset",
        format_func={k: t(f"plan.preset.{k}") for k in plan_ui.PRESETS}.get,
    )
    plan_ui.default_store(store_ids)
    names = dict(zip(stores["store_id"], stores["store_name"], strict=True))
    store = c2.selectbox(
        t("plan.store"), store_ids, key="plan_store", format_func=lambda s: f"{s} {names[s]}"
    )
    periods = plan_ui.store_months(store)
    plan_ui.default_month("plan_period", periods)
    period = c3.selectbox(
        t("plan.period"), periods, key="plan_period", format_func=lambda m: f"{m:%Y-%m}"
    )
plan_ui.sync_plan(preset, store, period)

plan_ui.plan_panel(projector)
if not projector:
    plan_ui.pain_panel(store, period)
    plan_ui.tracking(store)
