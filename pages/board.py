"""Daily NPS board: today's figures with honest changes, the month's pace, the trend,
the regional ranking and alerts, the callback queue and the weekly report.

The page pattern: widgets (the store is the sidebar's scope; the date is the board's
own "as of" day), one cached view (:func:`cx.views.board.view`), one render."""

import streamlit as st

from cx.ui import board as board_ui
from cx.ui import filters, lang, load, nothing_chosen, t
from cx.views import board as board_view

L = lang()
st.title(t("board.title"))
board_ui.arrive_from_url()  # ?store= / ?date= / ?tab= / ?period=
picked = board_ui.pickers(filters(), L)
if picked is None:
    nothing_chosen("board.no_data")
    st.stop()
controls = board_ui.controls(picked, L)
clock, stale = board_ui.queue_clock(picked.day, picked.latest)
v = load(board_view.view, picked.scope, picked.day, clock, stale, *controls.options)
board_ui.render(v, controls, picked, L)
