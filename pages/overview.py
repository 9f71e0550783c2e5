"""CX overview: outcome, perception and operational metrics against their targets."""

import streamlit as st

from cx.ui import filters, load, t
from cx.ui import overview as page_ui
from cx.views import overview as overview_view

st.title(t("ov.title"))
v = load(overview_view.view, filters(), page_ui.month_choice())
page_ui.render(v)
