"""cx-dashboard: the frame — page config, language, demo data on first start, filters, pages."""

from pathlib import Path

import streamlit as st

from cx import ui
from cx.ui.pages import available

# A local icon: a ":material/...:" page icon makes the browser fetch the SVG from Google.
ICON = Path(__file__).resolve().parent / "cx" / "ui" / "icon.png"
st.set_page_config(page_title="CX", page_icon=str(ICON), layout="wide")

ui.frame_started()  # the run's URL changes go out together when it ends
try:
    ui.keep_back_button()  # first: in place before they do
    ui.lang()
    stale_menu = ui.hide_stale_menu()  # a fresh server's first run: until our own menu
    ui.ensure_database()
    ui.language_switch()  # also on the sign-in and 'ask your admin' pages
    ui.streamlit_words()  # Streamlit's own English, redrawn in the reader's language
    person = ui.gate()
    ui.demo_note(person)

    sections: dict[str, list] = {}
    allowed = {p[1] for p in available(person)}
    for section, path, title, icon, url in available():
        if path in allowed:
            sections.setdefault(ui.t(section), []).append(
                st.Page(path, title=ui.t(title), icon=icon, url_path=ui.page_url(path, url))
            )
        else:  # not in the menu; a link to it says whose page it is (not 'Page not found')
            sections.setdefault(ui.t(section), []).append(
                st.Page(
                    ui.not_yours(title, path), title=ui.t(title), url_path=url, visibility="hidden"
                )
            )
    next(iter(sections.values())).append(ui.board_alias())  # /board: the board at /
    page = st.navigation(sections)
    ui.menu_drawn(stale_menu)
    # the browser's tab and bookmark name the page in the reader's language (every tab
    # had read "CX cockpit")
    st.set_page_config(page_title=f"{page.title} · CX")
    ui.sidebar_filters()
    ui.run_page(page)
finally:
    ui.flush_url()
    ui.release_all()  # the run is over (or stopped early): the file is free for others
