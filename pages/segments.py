"""Segment distributions: the 0-10 mix, the split by a dimension, detractor reasons,
the change from the previous period and score-gaming signals for review.

The page pattern: widgets, cached views (:func:`cx.views.segments.view`, and the gaming
review apart, :func:`cx.views.segments.review`: a new breakdown or reason reuses it), one
render."""

import streamlit as st

from cx.ui import filters, load, t
from cx.ui import segments as seg_ui
from cx.views import segments as seg_view

st.title(t("seg.title"))
dim, reason = seg_ui.choices()
scope = filters()
v = load(seg_view.view, scope, dim, reason)
seg_ui.render(v, load(seg_view.review, scope))
