"""The README's first command in a real browser: a fresh server over no database builds
the demo with its progress on the page, its menu lists no page files meanwhile, and the
board is drawn from the demo once it is built."""

from __future__ import annotations

from browser_support import new_tab, require_chromium, running_server, settle

from cx import db, queries

require_chromium()

FILE_NAMES = ("app", "access", "board", "data", "heatmap", "overview", "planner", "upload")


def test_a_fresh_server_builds_the_demo_without_listing_its_page_files(tmp_path, browser):
    """A fresh server's first run lists pages/ by file name in the menu (Streamlit's old
    multipage mode) until the frame draws its own; the demo's build had kept that list on
    screen for its eight seconds ('app, access, board, …' in the Chinese menu)."""
    path = tmp_path / "fresh" / "cx.duckdb"
    path.parent.mkdir()
    with running_server(path) as base:
        page = new_tab(browser)
        try:
            page.goto(base + "/?lang=zh")
            building = page.get_by_test_id("stProgress")
            building.wait_for(timeout=60_000)
            shown = set()
            while building.is_visible():  # the whole build, looked at as it goes
                menu = page.get_by_test_id("stSidebarNav")
                if menu.count() and menu.first.is_visible():
                    shown |= {line.strip() for line in menu.first.inner_text().splitlines()}
                page.wait_for_timeout(250)
            assert not shown & set(FILE_NAMES), sorted(shown)
            settle(page, timeout=120)
            assert page.locator("[data-testid='stMain'] h1").first.inner_text() == "每日 NPS 看板"
            menu = {
                line.strip()
                for line in page.get_by_test_id("stSidebarNav").inner_text().splitlines()
            }
            assert "上传数据" in menu and not menu & set(FILE_NAMES), sorted(menu)
        finally:
            page.close()
    with db.connect(path) as con:
        assert queries.scalar(con, "SELECT count(*) FROM responses") > 250_000
        assert queries.scalar(con, "SELECT count(*) FROM stores") >= 40
