"""What-if planner: slide project gains and the budget toward the NPS goal.

Session state, the interactive fragment and the rendering live in :mod:`cx.ui.planner`.
Projector view (``?view=projector``): the app's own CSS hides the sidebar and zooms the
page 2x, so every text is at least 24 px on a 1920x1080 projector; the odds, the best
plan and the Gantt share the first screen.
"""

import streamlit as st

from cx import queries
from cx.ui import load, t
from cx.ui import planner as plan_ui

st.title(t("plan.title"))
plan_ui.projector_from_url()
projector = st.toggle(t("plan.projector"), key="plan_projector")
plan_ui.projector_to_url(projector)
if projector:
    st.html(plan_ui.PROJECTOR_CSS)
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
