"""CJI touchpoint heatmap: stores x touchpoints, editable weights, weekly view, what to fix first."""

import streamlit as st

from cx.ui import filters, load, t
from cx.ui import heatmap as page_ui
from cx.views import heatmap as heatmap_view

st.title(t("heat.title"))
st.caption(t("heat.intro"))
c = page_ui.choices()
flt = filters()
v = load(heatmap_view.view, flt, c.weights, c.order, c.store)
page_ui.render(v, c, flt)
