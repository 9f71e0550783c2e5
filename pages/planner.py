"""What-if planner: slide project gains and the budget toward the NPS goal.

The page pattern: widgets (the store is the sidebar's when it names one), one cached
view of the data side (:func:`cx.views.planner.view`), one render; the plan being edited
lives in the session and its interactive fragment (:mod:`cx.ui.planner`), and in the
address (``?plan=``), so a reload or a link shows it.
Projector view (``?view=projector``): the app's own CSS hides the sidebar and zooms the
page 2x, so every text is at least 24 px on a 1920x1080 projector; the odds, the best
plan and the Gantt share the first screen; a button beside the toggle switches language.
"""

import streamlit as st

from cx.scope import Scope
from cx.ui import adopt_pickers, filters, language_button, load, t
from cx.ui import planner as plan_ui
from cx.views import planner as plan_view

st.title(t("plan.title"))
plan_ui.projector_from_url()
row = st.container(horizontal=True, vertical_alignment="center", gap="large")
projector = row.toggle(t("plan.projector"), key="plan_projector")
plan_ui.projector_to_url(projector)
if projector:
    st.html(plan_ui.PROJECTOR_CSS)
    st.html(plan_ui.PHONE_LEAVES_PROJECTOR, unsafe_allow_javascript=True)  # a phone: its own
    language_button(row, "plan_lang")  # the sidebar and its switch are hidden
adopt_pickers()  # a store picked here is the sidebar's (also when the page runs alone)
plan_ui.restore()  # the plan as it was left, after a visit to another page
plan_ui.plan_from_url()  # or as the address carries it: a reload, Back, a link
with st.expander(t("plan.setup"), expanded=not projector):
    preset, store, period = plan_ui.setup(filters())
v = load(plan_view.view, Scope.from_key(store), period, plan_ui.track_choice())
plan_ui.render(v, preset, projector)
