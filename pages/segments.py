"""Segment distributions: the 0-10 mix, the split by a dimension, detractor reasons,
the change from the previous period and score-gaming signals for review.

The page pattern: widgets, one cached view (:func:`cx.views.segments.view`), one render
(which loads the gaming review, :func:`cx.views.segments.review`, apart and last: a new
breakdown or reason reuses it, and the rest of the page shows while it is computed)."""

import streamlit as st

from cx.ui import filters, load, t
from cx.ui import segments as seg_ui
from cx.views import segments as seg_view

st.title(t("seg.title"))
dim, reason = seg_ui.choices()
v = load(seg_view.view, filters(), dim, reason)
seg_ui.render(v)
