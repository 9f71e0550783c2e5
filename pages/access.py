"""Access (admins): who sees which stores and may do what; grant and revoke."""

import streamlit as st

from cx.ui import access as page_ui
from cx.ui import load, require, t
from cx.views import access as access_view

page_ui.flash_own_revoke()  # an admin who revoked their own role: said before the refusal
require("access.manage")
st.title(t("access.title"))
st.caption(t("access.caption"))
page_ui.render(load(access_view.view))
