"""The store manager's 8:30 on a phone, in a real browser: a deep link to one store and
day answers the three questions on the first screen, and the queue it opens lists
nothing after that day. Shared helpers: tests/browser_support.py."""

from __future__ import annotations

import re

import pandas as pd
import pytest
from browser_support import (
    PHONE,
    cut_by_css,
    open_page,
    require_chromium,
    settle,
    wait_drawn,
)

from cx.i18n import t

require_chromium()

FIRST_SCREEN = PHONE["height"]


def _in_first_screen(locator) -> bool:
    box = locator.bounding_box()
    return box is not None and box["y"] >= 0 and box["y"] + box["height"] <= FIRST_SCREEN


SMALL_PHONE = {"width": 360, "height": 780}  # many Android phones


@pytest.mark.parametrize(
    "lang,screen", [("en", PHONE), ("zh", SMALL_PHONE), ("en", SMALL_PHONE)], ids=str
)
def test_a_phone_has_the_three_cards_and_the_queues_button_on_its_first_screen(
    server, browser, lang, screen
):
    """English runs longer than Chinese: the callbacks card's line took two lines and put
    the queue's button past the first screen of a 390x844 phone. On the data's last day
    (the manager's 8:30) the line says since when it counts, a line more: the page starts
    under Streamlit's header, not 6 rem down (the button's bottom sat at 852 px). On a
    360x780 phone the title in its desktop size (89 px tall) put the button's bottom at
    820 px, and the store picker cut its name through a character ("HZ01 杭州滨江服务中"):
    it ends in "…"."""
    page, _console = open_page(browser, f"{server}/?store=HZ01&lang={lang}", screen)
    metrics = page.locator("[data-testid='stMetric']")

    def seen(locator) -> bool:
        box = locator.bounding_box()
        return box is not None and box["y"] >= 0 and box["y"] + box["height"] <= screen["height"]

    for i in range(3):
        assert seen(metrics.nth(i)), metrics.nth(i).inner_text()
    assert seen(page.get_by_role("button", name=t("board.head.open_queue", lang)))
    picker = page.locator(".st-key-board_store input")
    if screen is SMALL_PHONE:
        assert picker.evaluate("e => e.scrollWidth > e.clientWidth")  # too long for its box
        assert picker.evaluate("e => getComputedStyle(e).textOverflow") == "ellipsis"
    page.close()


LANDSCAPE = {"width": 844, "height": 390}  # a 390 x 844 phone held sideways


def test_a_phone_held_sideways_shows_the_three_cards_figures_on_its_first_screen(server, browser):
    """Held sideways, a phone's page started 6 rem down under a desktop-sized title: the
    month-to-date card's figure ran past the first screen's 390 px (the carried note of a
    landscape header). Its title and top are a phone's, and each card's figure shows."""
    for lang in ("zh", "en"):
        page, _console = open_page(browser, f"{server}/?store=HZ01&lang={lang}", LANDSCAPE)
        metrics = page.locator("[data-testid='stMetric']")
        for i in range(3):
            box = metrics.nth(i).bounding_box()
            assert box and 0 <= box["y"] and box["y"] + box["height"] <= LANDSCAPE["height"], box
        # each card's title whole (the English ones ended "Callbacks due n…")
        titles = page.locator("[data-testid='stMetricLabel'] .stMarkdownEllipsis")
        for i in range(3):
            cut = titles.nth(i).evaluate("e => e.scrollWidth > e.clientWidth + 1")
            assert not cut, (lang, titles.nth(i).inner_text())
        page.close()


def test_a_cards_tap_relabels_the_forms_chosen_answer(browser, demo_template, tmp_path):
    """The form below the cards had chosen the answer a card then marked contacted: its
    picker went on reading 'overdue 6 days' until a reload. (A server of its own: the
    tap writes.)"""
    from browser_support import demo_database, running_server

    with running_server(demo_database(tmp_path, demo_template)) as base:
        page, _console = open_page(browser, f"{base}/?store=HZ01&tab=callbacks&lang=zh")
        pick = page.locator(".st-key-cb_pick input")
        chosen = pick.input_value()
        assert "已超时" in chosen, chosen
        rid = chosen.split(" ")[0]
        page.locator(f".st-key-cb_mark_contacted_{rid} button").click()
        page.wait_for_function(
            "() => document.querySelector('.st-key-cb_pick input')?.value.endsWith('已联系')",
            timeout=30_000,
            polling=100,
        )
        assert pick.input_value().startswith(rid)
        page.close()


def test_on_a_touch_phone_the_note_box_has_no_ctrl_enter_hint(server, browser):
    """A phone has no Ctrl key: the note box's 'press Ctrl+Enter to apply' meant nothing
    there and sat on the note's last characters. A touch screen leaves it out."""
    from browser_support import new_context

    context = new_context(browser, viewport=PHONE, is_mobile=True, has_touch=True)
    page = context.new_page()
    try:
        page.goto(f"{server}/?store=HZ01&tab=callbacks&lang=zh")
        settle(page)
        note = page.locator(".st-key-cb_note textarea")
        note.scroll_into_view_if_needed()
        note.fill("已致电，客户周五回店")
        hint = page.locator(".st-key-cb_note [data-testid='InputInstructions']")
        hint.wait_for(state="attached", timeout=10_000)
        assert not hint.is_visible()
    finally:
        context.close()


@pytest.mark.parametrize("size", [(820, 1180), (1024, 768)], ids=["tablet", "small-laptop"])
def test_on_a_tablet_the_months_card_shows_the_target_whole(server, browser, size):
    """With the sidebar open on a tablet the month's card read '74.5 / …': its target was
    cut. It wraps after the slash instead, both figures whole."""
    width, height = size
    url = f"{server}/?store=HZ01&date=2025-10-15&lang=zh"
    page, _console = open_page(browser, url, {"width": width, "height": height})
    assert page.get_by_test_id("stSidebar").is_visible()
    value = page.locator("[data-testid='stMetric']").nth(1).locator("[data-testid='stMetricValue']")
    assert value.inner_text().split() == ["74.5", "/", "77.0"]
    cut = cut_by_css(page)
    assert not [c for c in cut if "74.5" in c or "77.0" in c], cut
    page.close()


def test_phone_deep_link_answers_the_three_questions_without_scrolling(server, browser):
    page, console = open_page(browser, f"{server}/?store=HZ01&date=2025-10-15&lang=zh", PHONE)
    metrics = page.locator("[data-testid='stMetric']")
    labels = [
        metrics.nth(i).locator("[data-testid='stMetricLabel']").inner_text() for i in range(3)
    ]
    assert labels[0].startswith("10-15 当天 NPS"), labels
    assert labels[1].startswith("本月至今 / 目标"), labels
    assert labels[2].startswith("当日结束时该回访"), labels  # an earlier day: not "now"
    for i in range(3):
        assert _in_first_screen(metrics.nth(i)), f"{labels[i]} is below the first screen"
    assert metrics.nth(1).locator("[data-testid='stMetricValue']").inner_text() == "74.5 / 77.0"
    due = int(metrics.nth(2).locator("[data-testid='stMetricValue']").inner_text())
    button = page.get_by_role("button", name="打开回访队列")
    assert _in_first_screen(button)

    button.click()
    page.wait_for_url("**tab=callbacks**", timeout=30_000)
    clock = page.get_by_text("截至 2025-10-15 23:59").first
    clock.wait_for(timeout=30_000)
    # the tap brought the queue up (it starts below the three cards): the section bar at
    # the top of the screen, under Streamlit's header (60 px), the queue's clock on it
    page.wait_for_function(
        "() => { const r = document.querySelector('.st-key-board_tab')?.getBoundingClientRect();"
        " const h = document.querySelector('[data-testid=stHeader]')?.getBoundingClientRect();"
        " return r && h && r.top >= h.bottom && r.top < 160; }",
        timeout=10_000,
    )
    assert _in_first_screen(clock)
    # twenty more cards a tap (waiting for the run alone can look before it starts, and a
    # click on the export of the run before finds its file withdrawn)
    cards = page.locator("[class*='st-key-cb_card_']")
    first = cards.count()
    page.locator(".st-key-cb_more button").click()
    page.wait_for_function(
        "n => document.querySelectorAll(\"[class*='st-key-cb_card_']\").length > n",
        arg=first,
        timeout=30_000,
    )
    wait_drawn(page)
    assert (first, cards.count()) == (10, 30)
    metas = page.locator("[data-testid='stCaptionContainer']").all_inner_texts()
    stamps = [m.group(1) for t in metas if (m := re.match(r"(\d\d-\d\d) \d\d:\d\d · ", t))]
    assert len(stamps) == 30, metas
    assert max(stamps) <= "10-15", "the queue lists an answer after the board's day"
    whole = next(m for t in metas if (m := re.search(r"显示最紧急的 30 条，共 ([\d,]+) 条", t)))
    assert due > 0
    # The export is made when clicked: the queue as listed, phones masked.
    with page.expect_download(timeout=30_000) as got:
        page.get_by_role("button", name=t("board.cb.export", "zh")).click()
    exported = pd.read_csv(got.value.path(), encoding="utf-8-sig", dtype=str)
    assert len(exported) == int(whole.group(1).replace(",", ""))  # the whole queue
    phones = exported[t("board.cb.col.phone", "zh")].dropna()
    assert len(phones) and phones.str.contains(r"\*").all()
    assert not console.lines, console.lines
    page.close()


def test_reload_and_language_switch_keep_store_date_and_tab(server, browser):
    url = f"{server}/?store=HZ01&date=2025-10-07&tab=report&lang=zh"
    page, _console = open_page(browser, url, PHONE)
    page.reload()
    zh, en = t("board.report.download_md", "zh"), t("board.report.download_md", "en")
    page.get_by_text(zh).first.wait_for(timeout=60_000)  # the report tab, after a reload
    page.set_viewport_size({"width": 1366, "height": 900})
    page.get_by_text("English", exact=True).click()
    page.get_by_text(en).first.wait_for(timeout=30_000)  # still the report tab
    page.wait_for_url("**lang=en**", timeout=30_000)  # written as the run ends
    for part in ("store=HZ01", "date=2025-10-07", "tab=report", "lang=en"):
        assert part in page.url, page.url
    # the store chosen in the sidebar's filter reads whole, on two lines (it was cut,
    # "HZ01 杭州滨江服…")
    chip = page.get_by_test_id("stSidebar").locator("[data-tag]").first
    assert "HZ01" in chip.inner_text() and not cut_by_css(page), cut_by_css(page)
    # /board, named as the other pages are, is the board with the link's store, day, tab
    # and language (it had shown Streamlit's English 'Page not found' over the board),
    # one entry that Back leaves
    before = page.url
    page.goto(f"{server}/board?store=HZ01&date=2025-10-07&tab=report&lang=en")
    settle(page)
    assert "/board?store=HZ01&date=2025-10-07&tab=report&lang=en" in page.url, page.url
    page.get_by_text(en).first.wait_for(timeout=30_000)
    assert "Page not found" not in page.inner_text("body")
    page.go_back()
    page.wait_for_url(before, timeout=30_000)
    page.close()


def test_a_language_switch_relabels_the_callback_forms_chosen_answer_and_status(server, browser):
    """The browser kept showing the chosen option's old label after a switch: the
    answer's '已超时 …' and the status '待回访' stayed on the English page."""
    page, console = open_page(browser, f"{server}/?store=HZ01&lang=zh&tab=callbacks", PHONE)
    page.locator("[class*='st-key-cb_details_'] button").nth(1).click()
    chosen = "() => document.querySelector('.st-key-cb_pick input')?.value || ''"
    page.wait_for_function(f"({chosen})().includes(' 分 · ')", timeout=30_000)
    page.set_viewport_size({"width": 1366, "height": 900})  # the sidebar's switch in view
    page.get_by_text("English", exact=True).click()
    page.wait_for_function(f"({chosen})().includes(' · score ')", timeout=30_000)
    wait_drawn(page)
    picked = page.evaluate(chosen)
    assert "分" not in picked and "超时" not in picked, picked
    status = page.evaluate("document.querySelector('.st-key-cb_status input').value")
    english = [t(f"board.status.{s}", "en") for s in ("open", "contacted", "resolved")]
    assert status in [s[:1].upper() + s[1:] for s in english], status
    assert not console.lines, console.lines
    page.close()


def test_back_leaves_a_link_in_one_step_and_returns_from_another_page(server, browser):
    """A manager opens the board from a chat's link: the page's first run added its
    settings to the URL, which had made four history entries (Back pressed five times
    to return to the chat), and Back from the overview stayed on the overview. Now the
    link is one entry (its settings join it with the next run, replacing it); a changed
    tab is one more, which Back undoes; the overview is one more, which Back leaves for
    the board as it was; one more Back leaves."""
    from browser_support import DESKTOP, new_tab, settle

    page = new_tab(browser, DESKTOP)
    page.goto(f"{server}/?store=HZ01&lang=en")
    settle(page)
    page.get_by_text("Weekly report", exact=True).first.wait_for(timeout=60_000)
    wait_drawn(page)
    page.wait_for_timeout(1500)  # a second run of its own may add its settings: in place
    assert page.evaluate("history.length") == 2, "the link is one entry after the blank tab"
    page.get_by_text("Callback queue", exact=True).first.click()
    page.wait_for_url("**tab=callbacks**", timeout=30_000)
    assert "date=" in page.url
    assert page.evaluate("history.length") == 3, "the tab is one more entry"
    page.go_back()
    page.wait_for_url("**tab=board**", timeout=30_000)
    wait_drawn(page)
    page.get_by_role("link", name="CX overview").click()
    page.wait_for_url("**/overview**", timeout=30_000)
    wait_drawn(page)
    page.go_back()
    page.wait_for_url(lambda url: "/overview" not in url, timeout=30_000)
    page.get_by_text("Weekly report", exact=True).first.wait_for(timeout=60_000)
    assert "store=HZ01" in page.url and "tab=board" in page.url, page.url
    page.go_back()
    page.wait_for_url(lambda url: not url.startswith(server), timeout=30_000)
    page.close()


def test_back_from_a_board_the_quadrant_opened_returns_to_the_quadrants_region(server, browser):
    """/quadrant?regions=华东, a pick in 打开门店看板 opens SH01's board, Back: the address
    had become /quadrant?store=SH01&…&stores=SH01 (the switch wrote the board's store into
    the quadrant's entry, and the board's settings were one more entry) and the map showed
    SH01 alone. Now the pick is one entry and Back returns to the East region's map."""
    from urllib.parse import parse_qs, urlparse

    from browser_support import DESKTOP, new_tab, settle

    # the server's caches warm, as on a working morning: the board's run then ended
    # before the browser had left the quadrant, and its settings were one entry more
    for warm in ("quadrant?regions=华东&lang=zh", "?store=SH01&lang=zh&date=2025-10-31"):
        tab = new_tab(browser, DESKTOP)
        tab.goto(f"{server}/{warm}")
        settle(tab)
        wait_drawn(tab)
        tab.close()
    page = new_tab(browser, DESKTOP)
    page.goto(f"{server}/quadrant?regions=华东&lang=zh")
    settle(page)
    page.wait_for_timeout(1000)  # the first run's settings join the link's entry
    entries = page.evaluate("history.length")
    stores = page.locator(".st-key-quad_table [role='row']").count()
    pick = page.get_by_role("combobox", name=t("quad.pick", "zh"))
    pick.click()
    pick.press_sequentially("SH01")
    page.get_by_role("option").filter(has_text="SH01").first.click()
    page.wait_for_url(re.compile(r"/\?.*store=SH01"), timeout=30_000)
    settle(page)
    page.wait_for_timeout(1000)  # the board's settings: in place, not a new entry
    assert page.evaluate("history.length") == entries + 1, "the pick is one entry"
    query = parse_qs(urlparse(page.url).query)
    assert query["stores"] == ["SH01"] and "regions" not in query, page.url

    page.go_back()
    page.wait_for_url("**/quadrant**", timeout=30_000)
    page.get_by_role("heading", name=t("quad.title", "zh")).wait_for(timeout=60_000)
    wait_drawn(page)
    query = parse_qs(urlparse(page.url).query)
    assert query.get("regions") == ["华东"], page.url
    assert "store" not in query and "stores" not in query, page.url
    cuts = page.get_by_text(re.compile("^分界线：")).first.inner_text()
    assert "中位数" in cuts and "固定" not in cuts, cuts  # medians, not fixed lines
    assert stores > 4
    page.wait_for_function(  # the region's stores again, once the grid has drawn its rows
        "n => document.querySelectorAll(\".st-key-quad_table [role='row']\").length === n",
        arg=stores,
        timeout=30_000,
    )
    page.close()


def test_the_whole_ranking_is_drawn_when_its_expander_opens(server, browser):
    """The network's board sends its whole ranking only once it is asked for: no table
    while the expander is folded; opened, a table of every store, ranked from 1."""
    from browser_support import DESKTOP

    page, console = open_page(browser, f"{server}/?store=*&lang=en", DESKTOP)
    label = page.get_by_text(re.compile(r"^The whole ranking \(\d+ stores\)$"))
    n = int(re.search(r"\((\d+) stores\)", label.inner_text()).group(1))
    whole = page.locator("[data-testid='stExpander']").filter(has=label)
    table = whole.locator("[data-testid='stDataFrame']")
    assert table.count() == 0
    label.click()
    table.wait_for(timeout=30_000)
    wait_drawn(page)
    assert table.locator("[role='row']").count() > min(n, 10)  # the header and drawn rows
    assert not console.lines, console.lines


def test_a_cards_details_on_a_phone_brings_the_form_up(server, browser):
    """The follow-up form sits three screens below the first card on a phone: the card's
    'details' opens it on that answer and scrolls it up to the top of the screen."""
    page, console = open_page(browser, f"{server}/?store=HZ01&tab=callbacks&lang=zh", PHONE)
    page.get_by_role("button", name=t("board.cb.details", "zh")).first.click()
    page.wait_for_function(
        "() => { const r = document.querySelector('.st-key-cb_form')?.getBoundingClientRect();"
        " return r && r.top >= 0 && r.top < 200; }",
        timeout=15_000,
    )
    # the hint under the note being typed in is drawn in Chinese ("Press Ctrl+Enter to
    # apply" had shown on the Chinese form)
    page.locator(".st-key-cb_note textarea").type("已致电")
    hint = page.locator(".st-key-cb_note [data-testid='InputInstructions']")
    hint.wait_for(timeout=10_000)
    drawn = hint.evaluate(
        "e => [getComputedStyle(e).fontSize, getComputedStyle(e, '::after').content]"
    )
    assert drawn == ["0px", f'"{t("st.apply_area", "zh")}"'], drawn
    assert not console.lines, console.lines
    page.close()


def test_a_store_picked_in_the_regions_ranking_opens_its_board_from_the_top(server, browser):
    """A region manager's tap on a store in the ranking (far down a phone's page) opened
    that store's board where the ranking had been, 1,900 px down: a bare number, the
    store's name and cards off screen. It opens at the top, its three cards in view."""
    page, _console = open_page(
        browser, f"{server}/?store=region:华东&date=2025-10-15&lang=en", PHONE
    )
    link = page.locator("[data-testid='stPageLink'] a").filter(has_text="SH03").first
    # scrolled down as a reader scrolls (a wheel): the page's own scroll to its top, which
    # a board opened by a link repeats for 1.5 s until the reader scrolls, stops then (on
    # a busy host it had taken the page back up after a scroll no reader makes)
    page.mouse.move(PHONE["width"] // 2, PHONE["height"] // 2)
    page.mouse.wheel(0, 400)
    link.scroll_into_view_if_needed()
    assert page.evaluate("window.scrollY + (document.querySelector(\"[data-testid='stMain']\")"
                         "?.scrollTop || 0)") > 800  # fmt: skip
    link.click()
    page.wait_for_url("**store=SH03**", timeout=30_000)
    page.wait_for_function(
        "() => [...document.querySelectorAll(\"[data-testid='stMetricLabel']\")]"
        ".some(e => e.innerText.startsWith('NPS on 10-15'))",
        timeout=30_000,
    )
    metrics = page.locator("[data-testid='stMetric']")
    page.wait_for_function(
        "() => { const r = document.querySelector(\"[data-testid='stMetric']\")"
        "?.getBoundingClientRect(); return r && r.top >= 0 && r.bottom <= innerHeight; }",
        timeout=10_000,
    )
    assert _in_first_screen(metrics.first)
    page.close()


def _weekly_report(browser, server: str, **options):
    """(context, page): HZ01's weekly report in a context that may read the clipboard."""
    from browser_support import new_context

    context = new_context(browser, permissions=["clipboard-read", "clipboard-write"], **options)
    page = context.new_page()
    page.goto(f"{server}/?store=HZ01&date=2025-10-15&tab=report&lang=zh")
    settle(page)
    return context, page


def _copied(page, timeout: float = 10) -> str:
    """The clipboard's text once the copy button has written it (it writes after the click
    returns). Read from Python until it is there: ``wait_for_function`` does not await an
    async predicate, so a wait on ``readText()`` passed at once and the read that followed
    could race the button and find the clipboard empty."""
    import time

    end = time.monotonic() + timeout
    while True:
        text = page.evaluate("() => navigator.clipboard.readText()")
        if text or time.monotonic() > end:
            return text
        page.wait_for_timeout(100)


def _hover_until_shown(page, target, shown, tries: int = 5):
    """``shown`` once the pointer rests on ``target``, as a reader moves the mouse onto the
    text again when the button does not show: Streamlit adds the copy button when the
    pointer enters the text, and a block drawn again under a resting pointer has not
    seen it enter (once in a whole suite the button never came in 30 s)."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    for _ in range(tries - 1):
        page.mouse.move(0, 0)
        target.hover()
        try:
            shown.wait_for(timeout=3_000)
            return shown
        except PlaywrightTimeout:
            continue
    page.mouse.move(0, 0)
    target.hover()
    return shown


def test_the_weekly_reports_text_copies_whole_for_a_chat(server, browser):
    """A store manager sends the week to the region's WeChat group: the copy button of the
    report's text puts all of it on the clipboard, without Markdown's marks (pasted, the
    Markdown had read "| 本周 NPS | 72.0 |" and "138\\*\\*\\*\\*5678")."""
    context, page = _weekly_report(browser, server, viewport={"width": 1366, "height": 900})
    try:
        box = page.locator(".st-key-report_paste_box")
        box.locator("summary").click()
        code = box.locator("[data-testid='stCode']")
        _hover_until_shown(page, code, code.get_by_role("button").first).click()
        copied = _copied(page)
        assert copied.startswith("HZ01 ") and "周报（2025-10-13 至 2025-10-15）" in copied
        assert "【本周行动】" in copied.splitlines()
        assert copied.strip() == code.inner_text().strip()
        assert not any(x.startswith(("#", "|")) for x in copied.splitlines()), copied
        assert "\\" not in copied
    finally:
        context.close()


def test_on_a_phone_the_reports_copy_button_shows_where_the_text_was_tapped(server, browser):
    """On a phone the copy button shows once the text is tapped (Streamlit draws it on
    hover), at the text's top right: a week's text ran several screens, and the tap left
    the button screens above. The text scrolls in a box of its own height, so the button
    shows on the screen that was tapped, and copies the whole week."""
    context, page = _weekly_report(browser, server, viewport=PHONE, is_mobile=True, has_touch=True)
    try:
        box = page.locator(".st-key-report_paste_box")
        box.locator("summary").tap()
        code = box.locator("[data-testid='stCode']")
        code.wait_for(timeout=30_000)
        # read to its end, then tapped where it ends
        code.evaluate("c => c.scrollIntoView({block: 'end'})")
        page.wait_for_timeout(300)
        shown = code.bounding_box()
        code.tap(position={"x": shown["width"] / 2, "y": shown["height"] - 20})
        button = code.get_by_role("button").first
        button.wait_for(timeout=10_000)
        at = button.bounding_box()
        assert 0 <= at["y"] and at["y"] + at["height"] <= PHONE["height"], at  # in sight
        whole = code.evaluate("c => c.querySelector('code').textContent")
        assert code.evaluate("c => c.querySelector('pre').scrollHeight") > shown["height"]
        button.tap()
        copied = _copied(page)
        assert copied.strip() == whole.strip() and "【本周行动】" in copied.splitlines()
    finally:
        context.close()


def test_on_a_phone_the_whole_rankings_rank_and_store_stay_in_view_as_it_scrolls(server, browser):
    """The network's whole ranking is wider than a phone: scrolled sideways to each
    store's target and how far off it is, the ranks and store names stay drawn (they had
    scrolled away; two columns are pinned only while they take at most 60 % of the
    table's width, so the rank's column is narrow)."""
    from browser_support import scrolled_sideways

    page, _console = open_page(browser, f"{server}/?store=*&lang=zh", PHONE)
    try:
        page.locator(".st-key-rank_all summary").click()
        grid = page.locator(".st-key-rank_all [data-testid='stDataFrame']")
        grid.wait_for(timeout=30_000)
        page.wait_for_timeout(500)  # drawn on the grid's first frame
        assert scrolled_sideways(page, grid) == (True, True)  # kept, moved
    finally:
        page.close()
