"""Data: what the database holds — rows, dates, stores, regions, last uploads, rejects."""

import streamlit as st

from cx.ui import data as page_ui
from cx.ui import load, require, t
from cx.views import data as data_view

require("audit.view")
st.title(t("data.title"))
st.caption(t("data.whole"))  # the sidebar's filters are there, but not for this page
page_ui.render(load(data_view.view))
