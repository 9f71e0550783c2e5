"""In a real browser: the language a person picks lands in the URL (a link they share or
bookmark opens in that language).

Every page rendering in both languages at both widths, on its own host only, is
``tests/test_browser_walk.py``; the phone board is ``tests/test_browser_board.py``.
Drives Debian's Chromium (``/usr/bin/chromium``) with Playwright; ``.ci/run`` installs it.
Without Chromium the test is skipped locally and fails in CI (``CI=true``).
"""

from __future__ import annotations

import pytest
from browser_support import (
    DESKTOP,
    PHONE,
    PROJECTOR,
    new_context,
    new_tab,
    open_list,
    open_page,
    require_chromium,
    settle,
    wait_drawn,
)

from cx.i18n import t

require_chromium()


def test_language_switch_writes_the_url_and_the_browser_keeps_it(server, browser):
    """A fresh browser opens in Chinese; the switch writes ?lang=en, and the browser
    remembers it: an address without ?lang= opens in English next time."""
    context = new_context(browser, viewport={"width": 1400, "height": 900})
    page = context.new_page()
    try:
        page.goto(f"{server}/data")
        page.get_by_role("heading", name=t("data.title", "zh")).wait_for(timeout=60_000)
        page.get_by_text("English", exact=True).click()
        page.get_by_role("heading", name=t("data.title", "en")).wait_for(timeout=30_000)
        page.wait_for_url("**lang=en**", timeout=30_000)  # written as the run ends
        page.goto(f"{server}/data")  # a new session, no ?lang=
        page.get_by_role("heading", name=t("data.title", "en")).wait_for(timeout=60_000)
    finally:
        context.close()


# the sidebar over the page: 'true' or 'false' (collapsed, it moves off the screen's left)
_SIDEBAR_OPEN = (
    "() => String(document.querySelector('[data-testid=stSidebar]')"
    "?.getBoundingClientRect().right > 0)"
)


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_a_language_picked_in_the_sidebar_on_a_phone_closes_it(server, browser, viewport):
    """On a phone the open sidebar covers the board: after a language was picked there it
    stayed open (and Streamlit kept it open on the next visit), the numbers behind it.
    Picked on a phone it closes, as a page picked there does; a desktop keeps it."""
    # a context of its own: the browser keeps a sidebar opened or closed by hand for the
    # site, and the other tests' tabs would open with it so
    context = new_context(browser, viewport=viewport)
    page = context.new_page()
    try:
        page.goto(f"{server}/?store=HZ01&lang=zh")
        settle(page)
        if viewport is PHONE:
            page.get_by_test_id("stExpandSidebarButton").click()
            page.wait_for_function(f"() => ({_SIDEBAR_OPEN})() === 'true'", timeout=10_000)
        page.get_by_test_id("stSidebar").get_by_text("English", exact=True).click()
        page.wait_for_url("**lang=en**", timeout=30_000)
        wait_drawn(page)
        want = "false" if viewport is PHONE else "true"
        page.wait_for_function(f"() => ({_SIDEBAR_OPEN})() === '{want}'", timeout=10_000)
    finally:
        context.close()


# The radios of a page's main area: (its label, [(an option's label, checked)]).
_RADIOS = """() => [...document.querySelectorAll("[data-testid=stMain] [data-testid=stRadio]")]
  .map((r) => [r.querySelector("[data-testid=stWidgetLabel]").innerText.trim(),
               [...r.querySelectorAll("label")].filter((l) => l.querySelector("input"))
                 .map((l) => [l.innerText.trim(), l.querySelector("input").checked])])"""


def test_a_language_switch_keeps_the_quadrants_radios_checked(server, browser):
    """Chinese to English on the quadrant: the period and crosshair radios showed no
    option checked (the browser held '月', a label the English options lack), though the
    page kept using the period picked."""

    page = new_tab(browser, {"width": 1366, "height": 900})
    page.goto(f"{server}/quadrant?lang=zh")
    settle(page)
    page.locator("[data-testid=stMain] label").filter(has_text="月").first.click()
    page.wait_for_function(
        "() => [...document.querySelectorAll('[data-testid=stMain] label')]"
        ".some((l) => l.innerText.trim() === '月' && l.querySelector('input')?.checked)",
        timeout=30_000,
    )
    wait_drawn(page)
    page.get_by_text("English", exact=True).click()
    page.get_by_role("heading", name=t("quad.title", "en")).wait_for(timeout=30_000)
    wait_drawn(page)
    radios = dict(page.evaluate(_RADIOS))
    checked = {label: [o for o, on in options if on] for label, options in radios.items()}
    assert checked == {
        t("quad.period", "en"): [t("quad.period.month", "en")],
        t("quad.cross", "en"): [t("quad.cross.median", "en")],
    }, radios
    window = page.get_by_text("Current period").first.inner_text()
    assert "compared with" in window and "2025-09-01" in window, window  # still a month
    page.close()


def test_back_from_another_page_returns_to_the_overviews_month(server, browser):
    """/overview, 2025-09 picked (the address gets &month=2025-09), 客群分布 in the
    sidebar, Back: the overview showed 2025-10 and its address had no month."""

    page = new_tab(browser, {"width": 1366, "height": 900})
    page.goto(f"{server}/overview?lang=zh")
    settle(page)
    month = page.get_by_role("combobox", name=t("ov.month", "zh"))
    month.click()
    page.get_by_role("option", name="2025-09", exact=True).click()
    page.wait_for_url("**month=2025-09**", timeout=30_000)
    wait_drawn(page)
    page.locator("[data-testid=stSidebarNav] a").filter(has_text=t("page.segments", "zh")).click()
    page.wait_for_url("**/segments**", timeout=30_000)
    page.get_by_role("heading", name=t("seg.title", "zh")).wait_for(timeout=60_000)
    wait_drawn(page)
    page.go_back()
    page.wait_for_url("**/overview**", timeout=30_000)
    page.get_by_role("heading", name=t("ov.title", "zh")).wait_for(timeout=60_000)
    wait_drawn(page)
    page.wait_for_timeout(500)  # a run that dropped the month would write the URL now
    assert month.input_value() == "2025-09"
    assert "month=2025-09" in page.url, page.url
    page.close()


def test_a_one_store_heatmap_draws_its_row_full_height(server, browser):
    """A store manager's grid is one row under the slanted touchpoint names, and the app
    fits a chart's axes into its height: the names had taken nearly all of it and the
    row was drawn about 3 px tall. Counted in the drawn pixels: the rows of the chart
    where coloured cells fill much of the width."""
    import io

    from PIL import Image

    page = new_tab(browser, {"width": 1366, "height": 900})
    page.goto(f"{server}/heatmap?stores=HZ01&lang=en")
    grid = page.locator(".st-key-heat_scroll [data-testid='stVegaLiteChart']")
    grid.locator("canvas, svg").first.wait_for(timeout=60_000)
    wait_drawn(page)  # the run over and every chart drawn, the layout settled
    image = Image.open(io.BytesIO(grid.screenshot())).convert("RGB")
    width, height = image.size
    pixels = image.load()

    def coloured(x: int, y: int) -> bool:
        r, g, b = pixels[x, y]
        return max(r, g, b) - min(r, g, b) > 40  # a cell's colour, not text or grey

    # a row of cells is coloured over more than half the width (every other pixel read);
    # the colour legend under the grid, about a third, is not counted
    rows = sum(
        1 for y in range(height) if sum(coloured(x, y) for x in range(0, width, 2)) > width / 4
    )
    assert rows >= 18, f"the store's row is {rows} px tall"
    page.close()


def test_the_networks_heatmap_fits_its_column_beside_the_ranking_at_1366(server, browser):
    """A laptop's 1366 px with the sidebar open: the grid of every store, CJI column
    included, is drawn whole beside the ranking, not scrolled (its legend beside it had
    made it 620 px in a 536 px column, the CJI column out of sight)."""
    page = new_tab(browser, {"width": 1366, "height": 900})
    page.goto(f"{server}/heatmap?lang=zh")
    grid = page.locator(".st-key-heat_scroll [data-testid='stVegaLiteChart']")
    grid.locator("canvas, svg").first.wait_for(timeout=60_000)
    wait_drawn(page)
    scroll, box = page.evaluate(
        "() => { const e = document.querySelector('.st-key-heat_scroll');"
        " return [e.scrollWidth, e.clientWidth]; }"
    )
    assert scroll <= box, f"the grid is {scroll} px wide in a {box} px column"
    page.close()


def test_a_tables_download_is_the_apps_own_every_row_formulas_inert(server, browser):
    """The grid's own CSV download wrote a comment starting with '=' as a formula: it is
    off (the grid's toolbar keeps search and full screen), and the download under the
    segments page's comments is the app's, with every detractor of the reason the
    caption counts, not only those listed."""
    import io
    import re

    import pandas as pd

    page = new_tab(browser, {"width": 1366, "height": 900})
    try:
        page.goto(f"{server}/segments?lang=en")
        button = page.locator(".st-key-seg_comments_csv button")
        button.wait_for(timeout=60_000)
        grid = button.locator("xpath=preceding::*[@data-testid='stDataFrame'][1]")
        grid.scroll_into_view_if_needed()
        grid.hover()
        toolbar = grid.locator("xpath=ancestor::*[@data-testid='stElementContainer'][1]")
        tools = toolbar.locator("[data-testid='stElementToolbar'] button")
        tools.first.wait_for(timeout=10_000)
        labels = tools.evaluate_all("bs => bs.map(b => b.getAttribute('aria-label'))")
        assert "Search" in labels and not [x for x in labels if "Download" in (x or "")], labels
        caption = page.get_by_text(re.compile(r"^\d[\d,]* in all, the latest \d+ shown")).first
        total, shown = (
            int(x.replace(",", "")) for x in re.findall(r"\d[\d,]*", caption.inner_text())[:2]
        )
        assert button.inner_text().strip().endswith(t("table.download", "en"))
        with page.expect_download(timeout=30_000) as got:
            button.click()
        rows = pd.read_csv(
            io.BytesIO(got.value.path().read_bytes()), encoding="utf-8-sig", dtype=str
        )
        assert len(rows) == total >= shown
        assert not rows.apply(lambda c: c.str.match(r"[=+@]", na=False)).any().any()
    finally:
        page.close()


def test_a_section_opened_stays_open_across_a_language_switch(server, browser):
    """The overview's metric targets, opened in Chinese, closed when the page switched to
    English: its heading is translated, and Streamlit took it for a new section."""
    page = new_tab(browser, {"width": 1366, "height": 900})
    try:
        page.goto(f"{server}/overview?lang=zh")
        page.get_by_text(t("ov.targets.title", "zh"), exact=True).click()
        box = page.locator(".st-key-ov_targets_box details")
        box.locator("[data-testid='stExpanderDetails']").wait_for(timeout=60_000)
        page.get_by_text("English", exact=True).click()
        page.get_by_text(t("ov.targets.title", "en"), exact=True).wait_for(timeout=30_000)
        page.wait_for_timeout(500)  # the run has drawn
        assert box.get_attribute("open") is not None
    finally:
        page.close()


def test_the_quadrants_choices_are_in_its_address_and_back_undoes_a_pick(server, browser):
    """The period and crosshairs were not in the address: a link could not name them, and
    Back after picking 'Month' left the month. The page's first run writes them into its
    entry, a pick is one entry more, Back shows the quarter again, and the address of the
    month opens the month in a new tab."""
    import re
    from urllib.parse import parse_qs, urlparse

    def checked(page) -> dict:
        radios = dict(page.evaluate(_RADIOS))
        return {label: [o for o, on in options if on] for label, options in radios.items()}

    quarter = {
        t("quad.period", "en"): [t("quad.period.quarter", "en")],
        t("quad.cross", "en"): [t("quad.cross.median", "en")],
    }
    month = quarter | {t("quad.period", "en"): [t("quad.period.month", "en")]}
    page = new_tab(browser, {"width": 1366, "height": 900})
    other = new_tab(browser, {"width": 1366, "height": 900})
    try:
        page.goto(f"{server}/quadrant?lang=en")
        settle(page)
        page.wait_for_url(re.compile(r"span=quarter"), timeout=30_000)
        query = parse_qs(urlparse(page.url).query)
        assert (query["span"], query["lines"]) == (["quarter"], ["median"]), page.url
        entries = page.evaluate("history.length")
        page.locator("[data-testid=stMain] label").filter(has_text="Month").first.click()
        page.wait_for_url(re.compile(r"span=month"), timeout=30_000)
        wait_drawn(page)
        assert page.evaluate("history.length") == entries + 1, "a pick is one entry"
        link = page.url
        page.go_back()
        page.wait_for_url(re.compile(r"span=quarter"), timeout=30_000)
        wait_drawn(page)
        assert checked(page) == quarter
        other.goto(link)
        settle(other)
        wait_drawn(other)
        assert checked(other) == month
    finally:
        page.close()
        other.close()


# The bulk option of the open multiselect list: its own text, the size it is drawn at,
# and the text drawn after it (a style's, or "none").
_SELECT_ALL_JS = """() => {
  const e = document.querySelector("[role=option][data-key=__select_all__] [data-item-hl]");
  if (!e) return null;
  const after = getComputedStyle(e, "::after").content;
  return [e.textContent, getComputedStyle(e).fontSize, after === "none" ? null : JSON.parse(after)];
}"""


def test_the_multiselects_select_all_speaks_the_readers_language(server, browser):
    """Streamlit writes its multiselects' "Select all" in English only; on a Chinese page
    the sidebar's region list draws 全选 instead (a style of the app's), and choosing it
    still chooses every region. An English page keeps Streamlit's own words."""
    page, _console = open_page(browser, f"{server}/overview?lang=zh")
    try:
        regions = page.locator("[data-testid=stSidebar] [data-testid=stMultiSelect]").first
        open_list(page, regions)
        drawn = page.wait_for_function(_SELECT_ALL_JS, timeout=30_000).json_value()
        assert drawn[1] == "0px" and drawn[2] == t("st.select_all", "zh"), drawn
        page.locator("[role=option][data-key=__select_all__]").click()
        page.keyboard.press("Escape")
        wait_drawn(page)
        chosen = regions.locator("[data-tag]").all_inner_texts()
        listed = page.evaluate(
            "() => [...document.querySelectorAll('[role=option]')].length"
        )  # the list closed
        assert len(chosen) >= 5 and listed == 0, (chosen, listed)
        page.get_by_text("English", exact=True).click()
        page.get_by_role("heading", name=t("ov.title", "en")).wait_for(timeout=30_000)
        wait_drawn(page)
        for _ in range(2):  # two regions off: the list offers "Select all" for two or more
            regions.locator("[data-tag] button").first.click()
            wait_drawn(page)
        open_list(page, regions, regions.locator("input"))  # beside the tags, not on one's ✕
        drawn = page.wait_for_function(_SELECT_ALL_JS, timeout=30_000).json_value()
        assert drawn[0] == "Select all" and drawn[1] != "0px" and drawn[2] is None, drawn
    finally:
        page.close()


@pytest.mark.parametrize(
    "path,table,chart,needed",
    [
        (
            "/quadrant?lang=en",
            ".st-key-quad_table",
            "quad_scroll",
            ["NPS (95 % interval)", "Answers"],
        ),
        (  # the ranking: the first table below the split's chart
            "/heatmap?lang=en",
            ".st-key-heat_split [data-testid=stDataFrame] >> nth=0",
            "heat_scroll",
            ["Weakest touchpoint", "Answers"],
        ),
    ],
    ids=["quadrant", "heatmap"],
)
def test_a_charts_table_shows_its_figures_at_1366_and_sits_beside_it_at_1920(
    server, browser, path, table, chart, needed
):
    """Beside the chart at 1366 px with the sidebar open, the table had ~350 px: the
    quadrant's list showed its stores and a cut zone, the heatmap's ranking the weakest
    touchpoint as "W…", and their figures lay off to the right. There it sits below the
    chart, every column in view; a 1920 px screen keeps it beside."""
    headers = f"{table} >> [role=columnheader]"  # the grid's columns drawn in view
    for screen, beside in ((DESKTOP, False), (PROJECTOR, True)):
        page, _console = open_page(browser, server + path, screen)
        page.locator(headers).first.wait_for(state="attached", timeout=30_000)
        shown = page.locator(headers).evaluate_all("hs => hs.map(h => h.textContent)")
        if not beside:
            assert all(h in shown for h in needed), shown
        box = page.locator(table).bounding_box()
        plot = page.locator(f".st-key-{chart}").bounding_box()
        assert (box["x"] >= plot["x"] + plot["width"]) is beside, (box, plot)
        assert (box["y"] >= plot["y"] + plot["height"]) is not beside, (box, plot)
        page.close()
