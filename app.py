"""cx-dashboard: the frame — page config, language, demo data on first start, filters, pages."""

from pathlib import Path

import streamlit as st

from cx import ui
from cx.ui.pages import available

# A local icon: a ":material/...:" page icon makes the browser fetch the SVG from Google.
ICON = Path(__file__).resolve().parent / "cx" / "ui" / "icon.png"
st.set_page_config(page_title="CX cockpit", page_icon=str(ICON), layout="wide")

ui.frame_started()  # the run's URL changes go out together when it ends
try:
    ui.keep_back_button()  # first: in place before they do
    ui.lang()
    ui.ensure_database()
    ui.language_switch()  # also on the sign-in and 'ask your admin' pages
    person = ui.gate()

    sections: dict[str, list] = {}
    for section, path, title, icon, url in available(person):
        sections.setdefault(ui.t(section), []).append(
            st.Page(path, title=ui.t(title), icon=icon, url_path=url)
        )
    page = st.navigation(sections)
    ui.sidebar_filters()
    ui.run_page(page)
finally:
    ui.flush_url()
    ui.release_all()  # the run is over (or stopped early): the file is free for others
