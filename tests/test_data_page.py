"""AppTest of the Data page: the figures on screen equal counts from the tables, the
rejected rows are listed masked and downloadable, the audit log shows, English texts."""

from __future__ import annotations

import json

from cx import db, ingest, ui

PAGE = "pages/data.py"


def _frame(at, column: str):
    """The page's dataframe holding ``column`` (st.dataframe without selection has no key)."""
    hits = [d.value for d in at.dataframe if column in d.value.columns]
    assert len(hits) == 1, [list(d.value.columns) for d in at.dataframe]
    return hits[0]


def _metrics(at) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def test_figures_equal_counts_from_the_tables(app, con):
    rows, stores, regions = con.execute(
        "SELECT (SELECT count(*) FROM responses), (SELECT count(*) FROM stores),"
        " (SELECT count(DISTINCT region) FROM stores)"
    ).fetchall()[0]
    first = con.execute("SELECT min(responded_at) FROM responses").fetchall()[0][0]
    shown = _metrics(app)
    assert shown["答卷数"] == f"{rows:,}"
    assert shown["门店数"] == str(stores) and shown["区域数"] == str(regions)
    assert shown["时间范围"] == f"{first:%Y-%m-%d}"
    assert shown["被拒行（未撤销的上传）"] == "0"
    assert len(app.get("vega_lite_chart")) == 1  # answers per month
    table = _frame(app, "城市")
    assert len(table) == stores and table["答卷数"].sum() == rows
    # counts as whole numbers (thousands separated by the grid), not text or 7852.0
    (grid,) = [d for d in app.dataframe if "城市" in d.value.columns]
    assert table["答卷数"].dtype.kind == "i"
    assert json.loads(grid.proto.columns)["答卷数"]["type_config"]["format"] == "%,d"


def test_the_sidebars_filters_leave_the_whole_database_and_the_page_says_so(app, con):
    """With HZ01 in the sidebar the page still showed every answer, without a word."""
    rows = con.execute("SELECT count(*) FROM responses").fetchall()[0][0]
    app.session_state["flt_stores"] = ["HZ01"]
    app.run()
    assert not app.exception, app.exception
    assert _metrics(app)["答卷数"] == f"{rows:,}"
    assert "整个数据库：所有门店、所有日期；侧栏的区域、门店和日期筛选在本页不起作用。" in [
        c.value for c in app.caption
    ]


def test_rejected_rows_are_listed_masked_and_downloadable(app, demo_db, tmp_path):
    path = tmp_path / "export.csv"
    path.write_text(
        "response_id,store_id,responded_at,nps,phone\n"
        "D1,HZ01,2025-10-30 10:00,9,13800138000\n"
        "D2,HZ01,2025-10-30 11:00,11,13900139000\n",
        encoding="utf-8",
    )
    ingest.ingest_file(path, db_path=demo_db)
    ui.invalidate()  # written from outside the app: forget the cached data version
    app.session_state["ui_lang"] = "en"
    app.run()
    assert not app.exception, app.exception
    assert _metrics(app)["Rejected rows (uploads in effect)"] == "1"
    rejects = _frame(app, "Raw line")
    assert list(rejects["Line"]) == [3]
    assert "139****9000" in rejects["Raw line"].iloc[0]
    assert "13900139000" not in rejects.to_csv()
    uploads = _frame(app, "Added")
    assert uploads["File"].iloc[0] == "export.csv"
    assert uploads["Source"].tolist() == ["command line", "demo"]
    assert uploads["File"].iloc[1] == "demo data"
    assert not app.get("download_button")[0].proto.disabled
    assert app.get("download_button")[0].proto.ignore_rerun  # made when clicked, no rerun
    # the reason in the reader's language, as the upload stored it in both
    with db.connect(demo_db) as con:
        reason, reason_zh = con.execute("SELECT reason, reason_zh FROM rejects").fetchall()[0]
    assert reason != reason_zh
    assert rejects["Reason"].iloc[0] == reason
    # the reason wide, as in the upload's preview (at 1366 px it was cut before its hint)
    table = next(d for d in app.dataframe if "Raw line" in d.value.columns)
    widths = {k: v.get("width") for k, v in json.loads(table.proto.columns).items()}
    assert widths["Reason"] == "large" and widths["Raw line"] == "medium", widths
    app.session_state["ui_lang"] = "zh"
    app.run()
    assert not app.exception, app.exception
    assert _frame(app, "原始内容")["原因"].iloc[0] == reason_zh


def test_lists_without_rows_say_so_in_the_readers_language(app):
    """The demo has no rejected row and no change in its audit log: each list says so in
    a sentence of the reader's language (an empty table said "empty" in English in the
    Chinese page), while the stores and the demo's upload are tables."""
    assert not app.exception, app.exception
    captions = [c.value for c in app.caption]
    assert "没有被拒行。" in captions and "还没有操作记录。" in captions
    assert {"原始内容", "详情"}.isdisjoint(c for d in app.dataframe for c in d.value.columns)
    assert len(_frame(app, "城市")) == 44
    uploads = _frame(app, "新增")  # the demo's own upload, named in the reader's language
    assert uploads[["文件", "来源"]].values.tolist() == [["演示数据", "演示"]]
    app.session_state["ui_lang"] = "en"
    app.run()
    captions = [c.value for c in app.caption]
    assert "No rejected rows." in captions and "No changes recorded yet." in captions


def test_empty_database_says_so(empty_db):
    from pathlib import Path

    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(Path(__file__).resolve().parent.parent / "app.py"))
    at.run()
    at.switch_page(PAGE).run()
    assert not at.exception, at.exception
    assert any(i.value == "还没有数据。" for i in at.info)
    assert _metrics(at)["答卷数"] == "0"
    captions = {c.value for c in at.caption}  # every list says it is empty, no table does
    assert {"还没有门店。", "还没有上传。", "没有被拒行。", "还没有操作记录。"} <= captions
    assert not at.dataframe
    with db.connect(empty_db) as con:
        assert con.execute("SELECT count(*) FROM responses").fetchall()[0][0] == 0


def test_a_long_list_of_rejects_says_how_many_it_shows(app, demo_db, tmp_path, monkeypatch):
    from cx.views import data as data_view

    monkeypatch.setattr(data_view, "REJECTS_LISTED", 1)
    path = tmp_path / "export.csv"
    path.write_text(
        "response_id,store_id,responded_at,nps\n"
        "D1,HZ01,2025-10-30 10:00,11\n"
        "D2,HZ01,2025-10-30 11:00,12\n",
        encoding="utf-8",
    )
    ingest.ingest_file(path, db_path=demo_db)
    ui.invalidate()
    app.session_state["ui_lang"] = "en"
    app.run()
    assert not app.exception, app.exception
    assert _metrics(app)["Rejected rows (uploads in effect)"] == "2"
    assert list(_frame(app, "Raw line")["Line"]) == [2]
    captions = [c.value for c in app.caption]
    assert "The latest 1 of 2 rejected rows are listed; the download holds all of them." in captions
    assert not app.get("download_button")[0].proto.disabled
