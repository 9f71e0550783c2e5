"""In a real browser: an Excel export uploads through the Upload page (every .xlsx was
refused there while the command line worked), the preview counts what the file holds,
the commit stores its rows, and no traceback or request to another host appears.

Server and browser come from ``browser_support`` (Debian's Chromium through Playwright).
"""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from browser_support import (
    LOCAL_HOSTS,
    demo_database,
    new_context,
    open_page,
    require_chromium,
    running_server,
    settle,
    wait_drawn,
)
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from cx import db, demo, queries, templates
from cx.i18n import t

require_chromium()


@pytest.fixture(scope="module")
def served(tmp_path_factory, demo_template):
    """(base URL, database path) of a server over a small demo database."""
    path = demo_database(tmp_path_factory.mktemp("browser_upload"), demo_template)
    with running_server(path) as base:
        yield base, path


def _workbook(folder) -> tuple:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["问卷编号", "门店代码", "提交时间", "推荐分", "原因", "所用时间", "来源"])
    ws.append(["XB1", "HZ01", datetime(2025, 10, 20, 9, 30), 10, "很好", "95秒", "微信"])
    ws.append(["XB2", "HZ01", datetime(2025, 10, 20, 10, 5), 4, "等太久", "120秒", "短信"])
    ws.append(["XB3", "HZ01", datetime(2025, 10, 20, 11, 0), 12, "超范围", "60秒", "微信"])
    wb.create_sheet("notes").append(["not", "read"])
    path = folder / "问卷导出.xlsx"
    wb.save(path)
    return path


def test_an_xlsx_uploads_through_the_upload_page(served, browser, tmp_path):
    base, db_path = served
    workbook = _workbook(tmp_path)
    page, console = open_page(browser, f"{base}/upload?lang=en")
    hosts: set[str] = set()
    page.on("request", lambda r: hosts.add(r.url.split("/")[2].split(":")[0]))
    page.locator("input[type='file']").first.set_input_files(str(workbook))
    page.get_by_text(t("up.preview", "en")).wait_for(timeout=60_000)
    settle(page)
    main = page.locator("[data-testid='stMain']")
    text = main.inner_text()
    assert "xlsx" in text  # the detected kind, not a refusal
    assert t("up.unusable", "en", reason="").strip() not in text
    metrics = {
        m.locator("[data-testid='stMetricLabel']").inner_text().strip(): m.locator(
            "[data-testid='stMetricValue']"
        )
        .inner_text()
        .strip()
        for m in main.locator("[data-testid='stMetric']").all()
    }
    assert metrics[t("up.count.add", "en")] == "2"
    assert metrics[t("up.count.reject", "en")] == "1"
    # the rejected rows' download is made when clicked: every one, with its reason
    with page.expect_download(timeout=30_000) as got:
        page.get_by_role("button", name=t("up.rejects_dl", "en")).click()
    rejected = pd.read_csv(got.value.path(), encoding="utf-8-sig", dtype=str)
    # headed as the page's tables and the Data page's download are, in the reader's language
    assert list(rejected.columns) == [
        t(f"col.{c}", "en") for c in ("line_no", "reason", "raw_line")
    ]
    assert rejected[[t("col.line_no", "en"), t("col.reason", "en")]].values.tolist() == [
        ["4", "nps 12 is outside 0-10"]
    ]

    page.get_by_role("button", name=t("up.commit", "en")).click()
    page.get_by_text(re.compile(r"Upload #\d+ committed: \d+ rows read, 2 added")).wait_for(
        timeout=60_000
    )
    assert page.locator("[data-testid='stException']").count() == 0
    # the Data page's download, made when clicked, holds the committed upload's reject
    page.goto(f"{base}/data?lang=en")
    settle(page)
    with page.expect_download(timeout=30_000) as got:
        page.get_by_role("button", name=t("data.rejects_download", "en")).click()
    kept = pd.read_csv(got.value.path(), encoding="utf-8-sig", dtype=str)
    mine = kept[kept[t("col.file_name", "en")] == "问卷导出.xlsx"]
    assert mine[[t("col.line_no", "en"), t("col.reason", "en")]].values.tolist() == [
        ["4", "nps 12 is outside 0-10"]
    ]
    assert hosts <= LOCAL_HOSTS, hosts
    page.close()

    with db.connect(db_path) as con:
        got = queries.df(
            con,
            "SELECT response_id, nps, comment, duration_seconds, channel FROM responses"
            " WHERE response_id LIKE 'XB%' ORDER BY 1",
        )
        kind = queries.scalar(
            con, "SELECT encoding FROM uploads WHERE file_name = ?", ["问卷导出.xlsx"]
        )
        reasons = queries.df(con, "SELECT line_no, reason FROM rejects WHERE raw_line LIKE 'XB3%'")
    assert got.to_dict("records") == [
        {
            "response_id": "XB1",
            "nps": 10,
            "comment": "很好",
            "duration_seconds": 95,
            "channel": "wechat",
        },
        {
            "response_id": "XB2",
            "nps": 4,
            "comment": "等太久",
            "duration_seconds": 120,
            "channel": "sms",
        },
    ]
    assert kind == "xlsx"
    assert reasons.to_dict("records") == [{"line_no": 4, "reason": "nps 12 is outside 0-10"}]
    assert not [line for line in console.lines if "pageerror" in line]


# The ranking's grid (the heatmap page's first) and its rows in view, each {"row": its index, "cells": {column index: text}}
# (the header first): the grid draws on a canvas and keeps an accessible table of the
# rows and columns in view, each cell with its row's and its column's index.
_ROWS_JS = """() => {
  const grid = document.querySelector("[data-testid='stDataFrame']");  // the page's first
  if (!grid) return null;  // the page drawing again
  return [...grid.querySelectorAll("[role='row']")].map(r => ({row: r.getAttribute("aria-rowindex"),
    cells: Object.fromEntries([...r.querySelectorAll("[role='columnheader'], [role='gridcell']")]
      .map(c => [c.getAttribute("aria-colindex"), c.textContent]))}));
}"""


def _rows(page) -> list[dict]:
    """:data:`_ROWS_JS` once the grid is drawn (a run of the page draws it again)."""
    return page.wait_for_function(_ROWS_JS, timeout=30_000, polling=100).json_value()


def _published() -> None:
    """Wait until the readers' copy of this process's last upload is in place (another
    process makes it after the upload). A server that found the file held by the upload
    reads the copy for the next two seconds, and until the new copy is in place that is
    the data before the upload: a loaded run's ranking lacked the store just uploaded.
    A person who opens a page in that moment sees the data as they were (README); these
    tests read what the upload added."""
    db.wait_for_publishers()


def _column(header: dict, name: str) -> str:
    return next(i for i, text in header["cells"].items() if text.endswith(name))


def test_a_ranking_column_with_a_gap_sorts_by_value(served, browser, tmp_path):
    """A store that opened within the heatmap's window has no change to show: its cell
    says '—', and a click on the column's header still sorts the changes by value (the
    column had become text: -0.02 sorted before -0.22, and 0.05 after both)."""
    from cx.ingest import ingest_file

    base, db_path = served
    with db.connect(db_path) as con:
        last = queries.scalar(con, "SELECT max(responded_at) FROM responses")
    tps = ["tp_appointment", "tp_reception", "tp_advisor", "tp_waiting"]
    tps += ["tp_repair_quality", "tp_delivery", "tp_follow_up"]
    export = tmp_path / "new_store.csv"
    lines = ["response_id,store_id,responded_at,nps," + ",".join(tps)]
    for i in range(30):  # the window's last day only: no earlier period
        lines.append(f"GAP{i},NEW1,{last:%Y-%m-%d} 09:{i:02d},{i % 11}," + ",".join(["8"] * 7))
    export.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert ingest_file(export, db_path=db_path).added == 30
    _published()

    page, console = open_page(browser, f"{base}/heatmap?lang=en")
    grid = page.locator("[data-testid='stDataFrame']").first  # the ranking
    grid.scroll_into_view_if_needed()
    wait_drawn(page)
    header = _rows(page)[0]
    assert _column(header, "Rank"), header  # the ranking's grid
    change, store = _column(header, "Change"), _column(header, "Store")

    # the header row is drawn on a canvas: step along it until the change column sorts
    # (a click on another header sorts by that one; one on a header's menu icon opens
    # its menu, which Escape closes), the grid measured before each click, each click's
    # sort waited for (a busy machine drew it after the next click, on the same header,
    # had sorted the column the other way)
    def click_header(x: int) -> dict:
        before = _rows(page)[0]
        box = grid.bounding_box()
        page.mouse.click(box["x"] + x, box["y"] + 17)
        page.keyboard.press("Escape")
        for _ in range(20):  # a click that sorts nothing changes nothing: 2 s
            page.wait_for_timeout(100)
            after = _rows(page)[0]
            if after != before:
                return after
        return after

    for x in range(10, int(grid.bounding_box()["width"]), 20):
        header = click_header(x)
        if header["cells"].get(change) != "Change":  # sorted by it
            break
    for _ in range(2):  # smallest first: the first click's order, else the next one's
        if header["cells"].get(change, "").startswith("↑"):
            break
        header = click_header(x)
    assert header["cells"].get(change, "").startswith("↑"), header
    # the grid holds the rows in view: scroll through it, each row kept by its index, until
    # its scroller is at the bottom and three looks in a row there bring no new row (a turn
    # the grid has not drawn yet brings none: stopping at the first such turn had read
    # only the negative half, and on a busy machine three such turns can come before the
    # bottom)
    scroller = grid.locator(".dvn-scroller")
    at_bottom = "s => s.scrollTop + s.clientHeight >= s.scrollHeight - 1"
    rows: dict[int, dict] = {}
    stalled = 0
    for _ in range(80):
        seen = len(rows)
        rows |= {int(r["row"]): r["cells"] for r in _rows(page)[1:] if r["row"]}
        stalled = stalled + 1 if len(rows) == seen else 0
        if stalled >= 3 and scroller.evaluate(at_bottom):
            break
        box = grid.bounding_box()
        page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
        page.mouse.wheel(0, 500)
        page.wait_for_timeout(300)
    cells = [rows[i][change] for i in sorted(rows)]
    values = [float(c.replace(",", "")) for c in cells if c not in ("", "—")]
    assert min(values) < 0 < max(values)  # both signs: as text they sort wrongly
    assert values == sorted(values), cells
    gap = [r[change] for r in rows.values() if r[store] == "NEW1"]  # no name: its id once
    assert gap == [""], gap  # the new store's change: none (drawn as '—' on the canvas)
    assert not [line for line in console.lines if "pageerror" in line]
    page.close()


# What a drop box draws: its button's word and its limit line, each an element whose own
# text is drawn at size 0 and a text of ours after it (cx.ui.uploader), else its own text.
_BOX_JS = """(key) => {
  const box = document.querySelector(`.st-key-${key} [data-testid='stFileUploaderDropzone']`);
  const drawn = e => getComputedStyle(e).fontSize === "0px"
    ? JSON.parse(getComputedStyle(e, "::after").content) : e.textContent;
  return [drawn(box.querySelector("button [data-testid='stMarkdownContainer'] p")),
          drawn(box.querySelector("[data-testid='stFileUploaderDropzoneInstructions'] span"))];
}"""


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_drop_boxes_speak_the_readers_language(served, browser, lang):
    """Streamlit's drop box writes "Upload" and "500MB per file • CSV, ..." in English on
    a Chinese page; the Upload page's and the planner's boxes say both in the reader's
    language, and the Upload page's label names the button as its box draws it."""
    base, _db_path = served
    # a context of its own, with no download from this site before (in the shared one,
    # where the module's other pages had downloaded, the template's download once never
    # came on a busy machine; so did it once here, when a template was made on the click)
    context = new_context(browser, viewport={"width": 1366, "height": 900})
    try:
        _drop_boxes_speak(context, base, lang)
    finally:
        context.close()


def _drop_boxes_speak(context, base: str, lang: str) -> None:
    import streamlit as st

    mb = st.get_option("server.maxUploadSize")
    sep = t("fmt.sep_list", lang)
    for path, key, types in (("upload", "up_file", ["CSV", "TXT", "TSV", "XLSX"]),
                             ("planner", "plan_json_ul", ["JSON"])):  # fmt: skip
        page = context.new_page()
        page.goto(f"{base}/{path}?lang={lang}")
        settle(page)
        page.locator(f".st-key-{key} [data-testid='stFileUploaderDropzone']").wait_for()
        button, limit = page.evaluate(_BOX_JS, key)
        assert button == t("up.box.button", lang)
        assert limit == t("up.box.limit", lang, mb=mb, types=sep.join(types))
        if path == "upload":
            label = page.locator(f".st-key-{key} [data-testid='stWidgetLabel']").inner_text()
            assert (f"“{button}”按钮" if lang == "zh" else f"its {button} button") in label
            # the template in the reader's language, downloaded when its button is clicked
            page.locator(".st-key-up_template_box summary").click()
            try:
                with page.expect_download(timeout=30_000) as got:
                    page.locator(f".st-key-up_tpl_{lang} button").click()
            except PlaywrightTimeout:  # say what the button said, if anything
                said = page.get_by_test_id("stDownloadButtonError").all_inner_texts()
                raise AssertionError(f"no download; the button said {said}") from None
            assert got.value.suggested_filename == f"cx_template_{lang}.csv"
            assert Path(got.value.path()).read_bytes() == templates.template_csv(lang)
            # an old Excel workbook: the browser takes it (Streamlit refused it in English
            # only) and the page says what to do in the reader's language
            page.locator(f".st-key-{key} input[type='file']").set_input_files(
                files=[{"name": "旧表.xls", "mimeType": "application/vnd.ms-excel",
                        "buffer": bytes.fromhex("D0CF11E0A1B11AE1") + bytes(512)}]
            )  # fmt: skip
            said = "旧版 Excel 工作簿（.xls）" if lang == "zh" else "old Excel workbook (.xls)"
            page.get_by_test_id("stAlertContentError").filter(has_text=said).wait_for()
        page.close()


def test_removing_the_demo_asks_inside_the_open_section(served, browser):
    """'Remove the demo data' closed its own section: the question and its Yes and Cancel
    buttons were inside it, out of sight, and the click seemed to do nothing. (Cancel:
    the demo stays for the other tests.)"""
    base, db_path = served
    page, _console = open_page(browser, f"{base}/upload?lang=en")
    box = page.locator("[data-testid='stExpander']").filter(has_text=t("up.demo_title", "en"))
    box.locator("summary").click()
    box.get_by_role("button", name=t("up.demo_remove", "en")).click()
    wait_drawn(page)
    yes = page.get_by_role("button", name=t("up.demo_yes", "en"))
    yes.wait_for(state="visible", timeout=30_000)
    assert yes.is_visible() and box.locator("details").get_attribute("open") is not None
    page.get_by_role("button", name=t("up.cancel", "en")).click()
    wait_drawn(page)
    with db.connect(db_path) as con:
        assert demo.demo_rows(con)  # cancelled: the demo is there
    page.close()


def test_a_new_stores_trend_of_three_days_labels_each_day_once(served, browser, tmp_path):
    """A store with three days of answers (a new store's first upload) had its trend's
    axis read "11-04 11-04 11-04 11-04 11-05 …": ticks every six hours, each with its
    day. Read in the drawn chart: each day once. (Last in the module: the store joins
    the network's pages.)"""
    from cx import ingest

    path = tmp_path / "new_store.csv"
    path.write_text(
        "response_id,store_id,responded_at,nps\n"
        "NS1,NEW3,2025-10-29 09:00,10\nNS2,NEW3,2025-10-30 09:00,9\n"
        "NS3,NEW3,2025-10-31 09:00,2\nNS4,NEW3,2025-10-31 10:00,8\n",
        encoding="utf-8",
    )
    base, db_path = served
    assert ingest.ingest_file(path, db_path=db_path).added == 4
    _published()
    page, _console = open_page(browser, f"{base}/?store=NEW3&lang=en")
    trend = page.locator("[data-testid='stMain'] [data-testid='stVegaLiteChart']").first
    trend.locator("g.role-axis-label text").first.wait_for(timeout=60_000)
    wait_drawn(page)
    labels = [x.text_content() for x in trend.locator("g.role-axis-label text").all()]
    days = [x for x in labels if re.fullmatch(r"\d\d-\d\d", x or "")]
    assert days == ["10-29", "10-30", "10-31"], labels
    page.close()
