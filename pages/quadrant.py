"""NPS x CSI quadrant: where each store stands this period, how it moved, which to open."""

import streamlit as st

from cx.ui import filters, load, t
from cx.ui import quadrant as page_ui
from cx.views import quadrant as quadrant_view

st.title(t("quad.title"))
st.caption(t("quad.intro"))
scope = filters()
kind, mode = page_ui.pickers()
page_ui.render(load(quadrant_view.view, scope, kind, mode), scope.key)
