"""The Upload page over a session: a file is read once and kept across reruns, Excel
works, undo and removing the demo ask first, a busy database is one sentence, and a
first start can be empty."""

from __future__ import annotations

import io
from datetime import datetime
from pathlib import Path

import openpyxl
from support import another_program_holds

from cx import db, decode, demo, ingest, queries
from cx.i18n import t

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
APP_PAGE = "pages/upload.py"  # where the app fixture opens (tests/conftest.py)
HAND = (
    "问卷编号,门店代码,提交时间,Q7,原因\n"
    "H1,HZ01,2025/10/1 9:00,10,很好\n"
    "H2,HZ01,2025/10/1 9:30,4,等了很久\n"
)


def count(path: Path, sql: str = "SELECT count(*) FROM responses") -> int:
    with db.connect(path) as con:
        return queries.scalar(con, sql)


def open_upload(app):
    app.switch_page("pages/upload.py").run()
    assert not app.exception
    return app


def test_a_file_is_read_once_across_mapping_changes_preview_and_commit(app, demo_db, monkeypatch):
    calls = {"inspect": 0, "transcode": 0}
    real_inspect, real_transcode = ingest.inspect, decode.transcode

    def inspect(*args, **kwargs):
        calls["inspect"] += 1
        return real_inspect(*args, **kwargs)

    def transcode(*args, **kwargs):
        calls["transcode"] += 1
        return real_transcode(*args, **kwargs)

    monkeypatch.setattr(ingest, "inspect", inspect)
    monkeypatch.setattr(decode, "transcode", transcode)
    before = count(demo_db)
    at = open_upload(app)
    at.file_uploader(key="up_file").set_value(("hand.csv", HAND.encode("gb18030"), "text/csv"))
    at.run()
    at.selectbox(key="up_map_3").select("nps").run()
    at.selectbox(key="up_map_4").select("").run()  # a mapping change: no new read
    at.selectbox(key="up_map_4").select("comment").run()
    at.run()
    assert not at.exception
    assert {m.label: m.value for m in at.metric}[t("up.count.add", "zh")] == "2"
    at.button(key="up_commit").click().run()
    assert not at.exception
    assert count(demo_db) == before + 2
    assert calls == {"inspect": 1, "transcode": 1}
    with db.connect(demo_db) as con:
        comments = sorted(
            r[0]
            for r in con.execute(
                "SELECT comment FROM responses WHERE response_id IN ('H1', 'H2')"
            ).fetchall()
        )
    assert comments == ["很好", "等了很久"]


def test_an_xlsx_uploads_through_the_page(app, demo_db):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["问卷编号", "门店代码", "提交时间", "推荐分", "原因"])
    ws.append(["XL1", "HZ01", datetime(2025, 10, 15, 9, 30), 10, "好"])
    ws.append(["XL2", "HZ01", datetime(2025, 10, 15, 9, 45), 12, "超范围"])
    buf = io.BytesIO()
    wb.save(buf)
    before = count(demo_db)
    at = open_upload(app)
    at.file_uploader(key="up_file").set_value(
        ("export.xlsx", buf.getvalue(), "application/octet-stream")
    )
    at.run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    shown = {m.label: m.value for m in at.metric}
    assert (shown[t("up.count.add", "zh")], shown[t("up.count.reject", "zh")]) == ("1", "1")
    at.button(key="up_commit").click().run()
    assert count(demo_db) == before + 1


def test_undo_can_be_cancelled(app, demo_db):
    at = open_upload(app)
    at.file_uploader(key="up_file").set_value(
        ("en.csv", (FIXTURES / "survey_export_en.csv").read_bytes(), "text/csv")
    )
    at.run()
    at.button(key="up_commit").click().run()
    n = count(demo_db)
    upload_id = count(demo_db, "SELECT max(upload_id) FROM uploads")
    at.button(key=f"up_undo_{upload_id}").click().run()
    at.button(key="up_undo_yes_cancel").click().run()
    assert not at.exception
    assert count(demo_db) == n
    assert not [b for b in at.button if b.key == "up_undo_yes"]


def test_removing_the_demo_asks_first_and_keeps_uploaded_rows(app, demo_db):
    at = open_upload(app)
    at.file_uploader(key="up_file").set_value(
        ("en.csv", (FIXTURES / "survey_export_en.csv").read_bytes(), "text/csv")
    )
    at.run()
    at.button(key="up_commit").click().run()
    demo_n = count(
        demo_db, f"SELECT count(*) FROM responses WHERE upload_id = {demo.DEMO_UPLOAD_ID}"
    )
    uploaded = count(demo_db) - demo_n
    assert demo_n > 1000 and uploaded == 30
    # the section's button is made only while the section is open
    assert "up_demo_remove" not in [b.key for b in at.button]
    at.session_state["up_demo_box"] = True  # as the reader's click on its title
    at.run()
    at.button(key="up_demo_remove").click().run()
    assert count(demo_db) == demo_n + uploaded  # nothing yet: it asks first
    # the run that asks sends the section open: the question and its buttons are in
    # sight even where the browser draws the section anew
    assert at.expander(key="up_demo_box").proto.expanded
    assert [b.key for b in at.button if b.key == "up_demo_yes"] == ["up_demo_yes"]
    at.button(key="up_demo_yes").click().run()
    assert not at.exception
    assert count(demo_db) == uploaded
    assert (
        count(
            demo_db,
            "SELECT count(*) FROM stores WHERE store_id NOT IN (SELECT store_id FROM responses)",
        )
        == 0
    )
    assert count(demo_db, "SELECT count(*) FROM targets WHERE updated_by = 'demo'") == 0
    assert count(demo_db, "SELECT count(*) FROM followups") == 0
    with db.connect(demo_db) as con:
        rollup = queries.scalar(con, "SELECT sum(n) FROM daily_rollup")
    assert rollup == uploaded
    assert t("up.demo_removed", "zh", n=f"{demo_n:,}", stores=0).split("，")[0] in [
        s.value.split("，")[0] for s in at.success
    ]
    assert not [b for b in at.button if b.key == "up_demo_remove"]  # gone with the demo


def test_a_busy_database_is_one_sentence_on_the_upload_page(app, demo_db, monkeypatch):
    at = open_upload(app)
    with another_program_holds(demo_db):
        monkeypatch.setenv("CX_LOCK_TIMEOUT", "1")
        at.file_uploader(key="up_file").set_value(("hand.csv", HAND.encode(), "text/csv"))
        at.run()
        assert not at.exception
        assert any("正忙" in e.value or "占用" in e.value for e in at.error), [
            e.value for e in at.error
        ]


def test_a_first_start_can_be_empty(tmp_path, monkeypatch):
    from streamlit.testing.v1 import AppTest

    path = tmp_path / "fresh" / "cx.duckdb"
    monkeypatch.setenv("CX_DB", str(path))
    monkeypatch.setenv("CX_START_EMPTY", "1")
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.run()
    assert not at.exception, at.exception
    assert path.exists()
    assert count(path) == 0
    assert count(path, "SELECT count(*) FROM stores") == 0


def test_an_undo_a_later_upload_depends_on_is_refused_with_the_reason(app, demo_db, tmp_path):
    at = open_upload(app)
    first = HAND.replace("Q7", "推荐分")
    at.file_uploader(key="up_file").set_value(("a.csv", first.encode(), "text/csv")).run()
    at.button(key="up_commit").click().run()
    second = first.replace(",10,很好", ",3,改了")
    at.file_uploader(key="up_file").set_value(("b.csv", second.encode(), "text/csv")).run()
    at.button(key="up_commit").click().run()
    with db.connect(demo_db) as con:
        ids = sorted(
            r[0]
            for r in con.execute(
                "SELECT upload_id FROM uploads WHERE file_name IN ('a.csv', 'b.csv')"
            ).fetchall()
        )
    n = count(demo_db)
    at.button(key=f"up_undo_{ids[0]}").click().run()  # refused at once, not asked first
    assert not at.exception
    assert "up_undo_yes" not in [b.key for b in at.button]
    assert any(e.value.startswith("不能撤销") and f"#{ids[1]}" in e.value for e in at.error)
    assert count(demo_db) == n
