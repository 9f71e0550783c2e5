"""Upload page end to end: upload, map a column by hand, commit, undo, rejects, templates."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest

from cx import db, queries
from cx.i18n import t
from cx.ui import upload as upload_ui

FIXTURES = Path(__file__).resolve().parent / "fixtures"

# An export whose nps question cannot be matched automatically ("Q7").
HAND = (
    "问卷编号,门店代码,提交时间,Q7,原因\n"
    "H1,HZ01,2025/11/1 9:00,10,很好\n"
    "H2,HZ01,2025/11/1 9:30,4,等了很久\n"
    "H3,HZ01,2025/11/1 9:45,12,超范围\n"
)


def count(path: Path, sql: str = "SELECT count(*) FROM responses") -> int:
    with db.connect(path) as con:
        return queries.scalar(con, sql)


def metrics(at) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def undone_on_page(at, upload_id: int) -> list[str]:
    """Undo ``upload_id`` with the page's button and its confirmation; what it says."""
    at.button(key=f"up_undo_{upload_id}").click().run()
    at.button(key="up_undo_yes").click().run()
    assert not at.exception, at.exception
    return [s.value for s in at.success]


def open_upload(app):
    app.switch_page("pages/upload.py").run()
    assert not app.exception
    return app


def test_upload_map_commit_undo(app, demo_db):
    before = count(demo_db)
    at = open_upload(app)
    at.file_uploader(key="up_file").set_value(("hand.csv", HAND.encode("gb18030"), "text/csv"))
    at.run()
    assert not at.exception
    assert any("GB18030" in m.value for m in at.markdown)
    # a small file's size in bytes (it read '0 KB')
    size = f"{len(HAND.encode('gb18030'))} B"
    assert any("GB18030" in m.value and size in m.value for m in at.markdown)
    warnings = " ".join(w.value for w in at.warning)
    assert "nps" in warnings  # required column still missing: the user must map it
    # named as the Chinese template and the reject reasons name it; the pickers are above
    assert "推荐分 · nps" in warnings and "上面" in warnings
    assert at.selectbox(key="up_map_3").format_func("nps") == "推荐分 · nps"
    assert not at.button or "up_commit" not in [b.key for b in at.button]

    how = at.selectbox(key="up_map_3").label.rsplit(" · ", 1)[1]
    assert how != t("up.how.manual", "zh")
    at.selectbox(key="up_map_3").select("nps").run()
    assert not at.exception
    # the label says the column was picked by hand (it had kept saying how it was not)
    assert at.selectbox(key="up_map_3").label.endswith(" · " + t("up.how.manual", "zh"))
    shown = metrics(at)
    assert shown[t("up.count.add", "zh")] == "2"
    assert shown[t("up.count.reject", "zh")] == "1"
    # the six counts share a laptop's row: "ignored" says what it counts in its help
    ignored = next(m for m in at.metric if m.label == "忽略")
    assert ignored.value == "0" and "合计" in ignored.help
    tables = [d.value for d in at.dataframe]
    reasons = next(tb for tb in tables if t("col.reason", "zh") in tb.columns)
    assert reasons[t("col.reason", "zh")].tolist() == ["推荐分 12 超出 0-10"]
    assert reasons[t("col.line_no", "zh")].tolist() == [4]
    # the rows as written, headed as the Chinese template names the columns
    preview = next(tb for tb in tables if "推荐分 · nps" in tb.columns)
    assert preview["问卷编号 · response_id"].tolist() == ["H1", "H2"]
    assert preview["推荐分 · nps"].tolist() == [10, 4]
    assert t("up.preview_rows", "zh", k=2) in [c.value for c in at.caption]

    at.button(key="up_commit").click().run()
    assert not at.exception
    assert any("#" in s.value for s in at.success)
    assert count(demo_db) == before + 2
    with db.connect(demo_db) as con:
        upload_id = queries.scalar(con, "SELECT max(upload_id) FROM uploads")
        saved = queries.scalar(con, "SELECT count(*) FROM column_mappings")
    assert saved == 1
    # the picker still holds the file: it says it was written, not that committing it
    # would change nothing
    assert not at.info
    assert t("up.written_pick_next", "zh", id=upload_id) in [c.value for c in at.caption]
    headings = [h.value for h in at.subheader]
    assert "已写入" in headings and t("up.preview", "zh") not in headings  # not 'before writing'

    at.button(key=f"up_undo_{upload_id}").click().run()
    assert not at.exception
    assert count(demo_db) == before + 2  # undo asks first
    assert any(f"#{upload_id}" in w.value for w in at.warning)
    at.button(key="up_undo_yes").click().run()
    assert not at.exception
    assert count(demo_db) == before
    assert count(demo_db, "SELECT count(*) FROM uploads WHERE status = 'undone'") == 1


def test_the_commit_message_counts_every_row_read(app, demo_db):
    """After a commit the message accounts for every row read: the rows already there,
    a repeated response_id merged and a totals row left out are said too (a merged repeat
    had gone unsaid: 10 of 11 rows read were accounted for)."""
    head = "response_id,store_id,responded_at,nps\n"
    first = head + "M1,HZ01,2025-10-30 10:00,9\nM2,HZ01,2025-10-30 11:00,3\n"
    again = first + (
        "M3,HZ01,2025-10-30 12:00,9\nM3,HZ01,2025-10-30 12:00,10\n"
        "M4,HZ01,2025-10-30 13:00,12\n合计,,,\n"
    )
    at = open_upload(app)
    for name, text in (("first.csv", first), ("again.csv", again)):
        at.file_uploader(key="up_file").set_value((name, text.encode("utf-8"), "text/csv")).run()
        at.button(key="up_commit").click().run()
        assert not at.exception, at.exception
    with db.connect(demo_db) as con:
        upload_id = queries.scalar(con, "SELECT max(upload_id) FROM uploads")
    assert [s.value for s in at.success] == [
        f"上传 #{upload_id} 已写入：读取 5 行，新增 1，替换 0，拒绝 1，未变 2，"
        "重复编号合并 1（保留通过检查的最后一行）；另有 1 行合计、平均、各格皆空或重复表头的行未计入。"
    ]


def test_a_repeated_id_whose_last_row_is_rejected_is_said_as_it_is_written(app, demo_db):
    """DUP-1 three times, its last row invalid (nps 11): "the last one wins" was said, and
    the last valid row (nps 8) was written. The sentence says which row is kept."""
    text = (
        "response_id,store_id,responded_at,nps\n"
        "DUP-1,HZ01,2025-10-30 10:00,9\n"
        "DUP-1,HZ01,2025-10-30 10:00,8\n"
        "DUP-1,HZ01,2025-10-30 10:00,11\n"
    )
    at = open_upload(app)
    at.file_uploader(key="up_file").set_value(("dup.csv", text.encode(), "text/csv")).run()
    assert not at.exception, at.exception
    said = [i.value for i in at.info]
    assert t("up.collapsed", "zh", n=1) in said
    assert any("保留通过检查的最后一行" in i for i in said), said
    assert not any("最后一行为准" in i for i in said), said
    assert t("ingest.note.repeats_rejected", "zh", n=1) in said  # the rejected one: no correction
    shown = metrics(at)
    assert (shown[t("up.count.add", "zh")], shown[t("up.count.reject", "zh")]) == ("1", "1")
    at.button(key="up_commit").click().run()
    assert not at.exception, at.exception
    assert count(demo_db, "SELECT nps FROM responses WHERE response_id = 'DUP-1'") == 8
    # (the page in English: AppTest keeps the mapping pickers' Chinese labels)
    english = t("up.collapsed", "en", n=1)
    assert "the last row that passes the checks is kept" in english
    assert "the last one wins" not in english


def test_stored_answers_of_the_files_stores_and_days_are_said_to_stay(app, demo_db):
    """A regional export's stores and days hold other exports' answers too: the note said
    "to remove them, undo the upload that brought them", inviting the undo of a
    legitimate upload. It says they stay, and the undo only for a file meant to replace
    them."""
    with db.connect(demo_db) as con:
        day, n = con.execute(
            "SELECT CAST(max(responded_at) AS DATE), count(*) FROM responses WHERE store_id ="
            " 'HZ01' GROUP BY CAST(responded_at AS DATE) ORDER BY 1 DESC LIMIT 1"
        ).fetchall()[0]
    text = f"response_id,store_id,responded_at,nps\nLO-1,HZ01,{day} 10:00,9\n"
    at = open_upload(app)
    at.file_uploader(key="up_file").set_value(("region.csv", text.encode(), "text/csv")).run()
    assert not at.exception, at.exception
    said = [i.value for i in at.info if "撤销" in i.value]
    assert said == [t("ingest.note.left_out", "zh", n=n)]
    assert "照常保留" in said[0] and "不删除任何答卷" in said[0]
    assert "只有这个文件本应取代它们时" in said[0] and "要去掉" not in said[0]
    english = t("ingest.note.left_out", "en", n=n)
    assert "stay as they are" in english and "Only if this file was meant to replace" in english
    assert "to remove them" not in english


def test_saved_mapping_applies_to_the_next_export_of_the_same_shape(app, demo_db):
    at = open_upload(app)
    at.file_uploader(key="up_file").set_value(("hand.csv", HAND.encode(), "text/csv")).run()
    at.selectbox(key="up_map_3").select("nps").run()
    at.button(key="up_commit").click().run()
    nxt = HAND.replace("H1", "H7").replace("H2", "H8").replace("H3", "H9")
    at.file_uploader(key="up_file").set_value(("next.csv", nxt.encode(), "text/csv")).run()
    assert not at.exception
    assert at.selectbox(key="up_map_3").value == "nps"
    assert any(t("up.saved_mapping", "zh") == i.value for i in at.info)
    # committed with the same mapping: the mapping is not saved again, nor audited again
    at.button(key="up_commit").click().run()
    assert not at.exception, at.exception
    assert count(demo_db, "SELECT count(*) FROM responses WHERE response_id = 'H7'") == 1
    saved = "SELECT count(*) FROM audit_log WHERE action = 'mapping'"
    assert count(demo_db, saved) == 1


def test_unusable_file_is_explained_and_changes_nothing(app, demo_db):
    with db.connect(demo_db) as con:
        version = db.data_version(con)
    at = open_upload(app)
    at.file_uploader(key="up_file").set_value(("junk.csv", bytes(range(256)) * 20, "text/csv"))
    at.run()
    assert not at.exception
    assert "二进制" in at.error[0].value
    with db.connect(demo_db) as con:
        assert db.data_version(con) == version
    # English: one sentence, the reason after a colon (it read "This file cannot be used.
    # The file is ..."); a name it starts with keeps its capital
    at.session_state["ui_lang"] = "en"
    at.run()
    assert at.error[0].value.startswith("This file cannot be used: the file is not a text")
    assert upload_ui.after_colon("Excel refused it.") == "Excel refused it."
    assert upload_ui.after_colon("CSV rows") == "CSV rows"


def test_an_xls_is_taken_by_the_picker_and_refused_in_the_readers_language(app, demo_db):
    """The picker takes an .xls (Streamlit's browser refused it in English only, naming
    none of what to do); the page says what it is and how to save it, and writes nothing.
    The drop box lists only the formats that load."""
    with db.connect(demo_db) as con:
        version = db.data_version(con)
    at = open_upload(app)
    xls = bytes.fromhex("D0CF11E0A1B11AE1") + bytes(64)
    picker = at.file_uploader(key="up_file")
    assert ".xls" in picker.allowed_type and ".xlsx" in picker.allowed_type
    assert "（CSV、TXT、TSV 或 XLSX，" in picker.label  # what loads, not .xls
    at.file_uploader(key="up_file").set_value(("旧表.xls", xls, "application/vnd.ms-excel"))
    at.run()
    assert not at.exception
    assert "旧版 Excel 工作簿（.xls）；请在 Excel 中另存为 .xlsx" in at.error[0].value
    with db.connect(demo_db) as con:
        assert db.data_version(con) == version


@pytest.mark.parametrize(("bom", "shown"), [(b"\xef\xbb\xbf", "UTF-8 (BOM)"), (b"", "UTF-8")])
def test_the_encoding_is_named_as_people_name_it(app, bom, shown):
    """'utf-8-sig' is Python's name; Excel's 'CSV UTF-8' is UTF-8 with a byte-order mark."""
    at = open_upload(app)
    at.file_uploader(key="up_file").set_value(("bom.csv", bom + HAND.encode(), "text/csv"))
    at.run()
    assert any(f"**{shown}**" in m.value for m in at.markdown), [m.value for m in at.markdown]


def test_a_file_of_only_rejected_rows_says_none_would_be_written(app, demo_db):
    """Every row rejected: the preview says in a sentence that no row would be written
    (an empty table said "empty" in English on the Chinese page); the rejects are listed."""
    bad = "response_id,store_id,responded_at,nps\nB1,HZ01,2025-10-30 10:00,11\nB2,HZ01,x,5\n"
    at = open_upload(app)
    at.file_uploader(key="up_file").set_value(("bad.csv", bad.encode(), "text/csv")).run()
    assert not at.exception, at.exception
    assert metrics(at)[t("up.count.reject", "zh")] == "2"
    assert t("up.no_preview", "zh") in [c.value for c in at.caption]
    tables = [d.value for d in at.dataframe]
    assert [len(tb) for tb in tables if t("col.reason", "zh") in tb.columns] == [2]
    assert all(len(tb) for tb in tables)  # no empty table drawn
    # the button says what it would do, and is not the page's primary action
    button = at.button(key="up_commit")
    assert button.label == t("up.commit_rejects", "zh") and button.proto.type == "secondary"


@pytest.mark.parametrize(("lang", "shown"), [("zh", "维修等待时间"), ("en", "Waiting time")])
def test_the_preview_shows_an_enums_values_by_their_labels(app, lang, shown):
    """The file said 维修等待时间; the preview showed the stored key 'waiting'."""
    text = "response_id,store_id,responded_at,nps,key_touchpoint\nK1,HZ01,2025-11-01 09:00,9,维修等待时间\n"
    at = open_upload(app)
    at.session_state["ui_lang"] = lang
    at.file_uploader(key="up_file").set_value(("k.csv", text.encode(), "text/csv")).run()
    assert not at.exception
    column = "关键触点 · key_touchpoint" if lang == "zh" else "key_touchpoint"
    preview = next(d.value for d in at.dataframe if column in d.value.columns)
    assert preview[column].tolist() == [shown]


def test_same_file_twice_says_so(app, demo_db):
    data = (FIXTURES / "survey_export_en.csv").read_bytes()
    at = open_upload(app)
    at.file_uploader(key="up_file").set_value(("en.csv", data, "text/csv")).run()
    assert metrics(at)[t("up.count.add", "zh")] == "30"
    at.button(key="up_commit").click().run()
    n = count(demo_db)
    at.file_uploader(key="up_file").set_value(("en.csv", data, "text/csv")).run()
    assert any("完全相同" in i.value for i in at.info)
    assert count(demo_db) == n


def test_a_file_with_rejects_picked_again_is_checked_again_and_writes_nothing_twice(app, demo_db):
    """A file whose upload rejected rows is read again (a row dated too far ahead may pass
    later): right after its commit the page still says it was written; picked again, its
    preview says why it is checked again and that nothing would change, with no button
    to "keep the rejects" (kept already); the same rows under another name likewise."""
    text = HAND.replace("Q7", "nps").encode("gb18030")
    at = open_upload(app)
    at.file_uploader(key="up_file").set_value(("hand.csv", text, "text/csv")).run()
    at.button(key="up_commit").click().run()
    assert not at.exception, at.exception
    n, upload_id = count(demo_db), count(demo_db, "SELECT max(upload_id) FROM uploads")
    assert t("up.written_pick_next", "zh", id=upload_id) in [c.value for c in at.caption]
    assert "up_commit" not in [b.key for b in at.button]
    at.file_uploader(key="up_file").set_value(None).run()
    at.file_uploader(key="up_file").set_value(("hand.csv", text, "text/csv")).run()
    assert not at.exception, at.exception
    assert t("up.read_again", "zh", id=upload_id) in [c.value for c in at.caption]
    shown = metrics(at)
    assert (shown[t("up.count.add", "zh")], shown[t("up.count.same", "zh")]) == ("0", "2")
    assert shown[t("up.count.reject", "zh")] == "1"
    assert t("up.nothing_new_rejects_kept", "zh") in [i.value for i in at.info]
    assert "up_commit" not in [b.key for b in at.button]
    # the same rows and rejects under another file's bytes (CRLF lines): the same
    at.file_uploader(key="up_file").set_value(None).run()
    crlf = HAND.replace("Q7", "nps").replace("\n", "\r\n").encode("gb18030")
    at.file_uploader(key="up_file").set_value(("again.csv", crlf, "text/csv")).run()
    assert t("up.nothing_new_rejects_kept", "zh") in [i.value for i in at.info]
    assert "up_commit" not in [b.key for b in at.button]
    assert count(demo_db) == n
    assert count(demo_db, "SELECT max(upload_id) FROM uploads") == upload_id


def test_a_second_click_during_the_commit_says_the_upload_was_written(
    app, demo_db, tmp_path, monkeypatch
):
    """A double click on Commit: the second click stops the first click's run, after its
    commit perhaps, and the second run found the file already uploaded: the page said
    "no change, nothing written" about upload that had just been written."""
    from cx import ingest, ui

    data = (FIXTURES / "survey_export_en.csv").read_bytes()
    at = open_upload(app)
    at.file_uploader(key="up_file").set_value(("en.csv", data, "text/csv")).run()
    n = count(demo_db)
    # the first click's run: its commit made, its run stopped before it said so
    at.session_state["up_committing"] = at.session_state["up_info_key"]
    (tmp_path / "en.csv").write_bytes(data)
    first = ingest.ingest_file(tmp_path / "en.csv", db_path=demo_db)
    assert first.committed and count(demo_db) == n + 30
    db.wait_for_publishers()  # its readers' copy in place, as the app's own commit leaves it
    # the second click's run starts at once: it still holds the preview its page drew (the
    # data version it read is trusted for a second), so its Commit button is there to click
    monkeypatch.setattr(ui, "VERSION_TTL", 3600)
    at.button(key="up_commit").click().run()
    assert not at.exception, at.exception
    said = [x.value for x in at.success]
    assert any(f"#{first.upload_id}" in x and "30" in x for x in said), said
    assert not any(t("up.done_nothing", "zh") in x.value for x in at.get("alert")), said
    assert count(demo_db) == n + 30  # written once
    assert "up_committing" not in at.session_state  # the commit is over


def test_templates_download_and_load_back(app, tmp_path):
    from cx import ingest, templates

    at = open_upload(app)
    assert {b.key for b in at.get("download_button")} >= {"up_tpl_en", "up_tpl_zh"}
    for lang in ("en", "zh"):
        path = tmp_path / f"tpl_{lang}.csv"
        path.write_bytes(templates.template_csv(lang))
        # uploaded as downloaded, its two example answers are refused as examples (they
        # had added a detractor at HZ01 that nobody gave, with a callback to make)
        res = ingest.ingest_file(path, dry_run=True)
        assert (res.added, res.rejected) == (0, 2)
        assert all("example row of the template" in r for r in res.rejects["reason"])
        assert not res.info.mapping.unmatched
        # the examples given real ids: every value of theirs reads
        text = templates.template_csv(lang).decode("utf-8-sig").replace("EXAMPLE-", "")
        path.write_text(text, encoding="utf-8")
        res = ingest.ingest_file(path, dry_run=True)
        assert (res.added, res.rejected) == (2, 0)
    # the Chinese template writes a choice as a Chinese reader does (保养, 微信, 是); both
    # load as the same answers
    zh = templates.template_csv("zh").decode("utf-8-sig")
    assert all(word in zh for word in ("保养", "微信", "是", "维修质量/一次修好"))
    stored = []
    for lang in ("en", "zh"):
        path = tmp_path / f"tpl_{lang}.csv"
        ingest.ingest_file(path, db_path=tmp_path / f"{lang}.duckdb")
        with db.connect(tmp_path / f"{lang}.duckdb") as con:
            stored.append(
                con.execute("SELECT * EXCLUDE (upload_id) FROM responses ORDER BY 1").df()
            )
    pd.testing.assert_frame_equal(stored[0], stored[1])


def test_english_labels(app):
    app.session_state["ui_lang"] = "en"
    at = open_upload(app)
    assert at.title[0].value == "Upload survey exports"


def test_phones_are_masked_in_preview_and_rejects(app):
    from cx.privacy import mask_text

    assert mask_text("Q1,SZ05,13800130000,x") == "Q1,SZ05,138****0000,x"
    data = (FIXTURES / "survey_export_gb18030.csv").read_bytes()
    at = open_upload(app)
    at.file_uploader(key="up_file").set_value(("cn.csv", data, "text/csv")).run()
    assert not at.exception
    shown = "".join(d.value.to_csv() for d in at.dataframe)
    assert "138****" in shown
    assert not re.search(r"1\d{10}", shown), "an unmasked phone number is shown"


def test_the_file_pickers_label_says_what_its_english_box_says(app):
    """Streamlit's drop box reads "Upload" and "500MB per file • CSV, ..." in any language:
    the label tells a Chinese reader the same, with the limit the server uses."""
    import streamlit as st

    limit = st.get_option("server.maxUploadSize")
    at = open_upload(app)
    label = at.file_uploader(key="up_file").label
    assert "拖到下面的框里" in label and "“上传”按钮" in label and f"{limit} MB" in label
    at.session_state["ui_lang"] = "en"
    at.run()
    label = at.file_uploader(key="up_file").label
    assert label.startswith("Choose an export") and f"up to {limit} MB" in label


@pytest.mark.parametrize(
    ("n", "shown"),
    [(0, "0 B"), (176, "176 B"), (999, "999 B"), (1000, "1 KB"), (38_900, "39 KB"),
     (263_500_000, "263.5 MB")],
)  # fmt: skip
def test_a_files_size_reads_as_people_write_it(n, shown):
    """In thousands, as Streamlit's file chip above it says the size: in 1,024s a file
    read '19.0 MB' under a chip reading '19.9MB'."""
    from cx.ui.upload import file_size

    assert file_size(n) == shown


def test_an_undo_a_later_upload_blocks_is_refused_before_it_is_asked(app, demo_db, tmp_path):
    """Upload #1 adds two answers, #2 changes one of them: undoing #1 is refused at once
    with the upload to undo first (not after a confirmation, which then left the page
    half drawn), and nothing changes. Undoing #2 then says what it did as its question
    did: the rows it added removed (0), the rows it replaced back (1)."""
    from cx import ingest, ui

    first, second = tmp_path / "first.csv", tmp_path / "second.csv"
    head = "response_id,store_id,responded_at,nps\n"
    first.write_text(head + "U1,HZ01,2025-11-01 09:00,9\nU2,HZ01,2025-11-01 10:00,3\n")
    second.write_text(head + "U2,HZ01,2025-11-01 10:00,8\n")
    one = ingest.ingest_file(first, db_path=demo_db)
    two = ingest.ingest_file(second, db_path=demo_db)
    assert (two.added, two.replaced) == (0, 1)
    ui.invalidate()  # what VERSION_TTL does a second later
    at = open_upload(app)
    at.session_state["ui_lang"] = "en"
    at.run()
    before = count(demo_db)
    at.button(key=f"up_undo_{one.upload_id}").click().run()
    assert not at.exception
    errors = [e.value for e in at.error]
    assert errors == [
        f"Cannot undo: Upload #{two.upload_id} later changed 1 row of upload"
        f" #{one.upload_id}; undo #{two.upload_id} first."
    ]
    assert "up_undo_yes" not in [b.key for b in at.button]  # not asked
    assert f"up_undo_{two.upload_id}" in [b.key for b in at.button]  # the page is whole
    assert count(demo_db) == before
    assert undone_on_page(at, two.upload_id) == [
        f"Upload #{two.upload_id} undone: the rows it added were removed (0) and the rows"
        " it replaced are back (1)."
    ]
    assert count(demo_db, "SELECT nps FROM responses WHERE response_id = 'U2'") == 3


def test_the_history_accounts_for_every_row_read(app, demo_db, tmp_path):
    """A file of 4 rows, one repeating an id and one out of range: the history says
    read 4 = added 2 + rejected 1 + merged 1 (the merged row was in no record once), with
    the status in its second column, and the Data page's table says the same."""
    from cx import ingest, ui

    csv = tmp_path / "repeats.csv"
    csv.write_text(
        "response_id,store_id,responded_at,nps\n"
        "W1,HZ01,2025-11-01 09:00,9\nW2,HZ01,2025-11-01 10:00,3\n"
        "W2,HZ01,2025-11-01 10:00,4\nW3,HZ01,2025-11-01 11:00,12\n"
    )
    res = ingest.ingest_file(csv, db_path=demo_db)
    assert (res.rows_read, res.added, res.rejected, res.collapsed) == (4, 2, 1, 1)
    ui.invalidate()  # what VERSION_TTL does a second later
    at = open_upload(app)
    for page in ("upload", "data"):
        at.switch_page(f"pages/{page}.py").run()
        assert not at.exception
        (table,) = [d.value for d in at.dataframe if t("col.collapsed", "zh") in d.value.columns]
        row = table[table[t("col.upload_id", "zh")] == res.upload_id].iloc[0]
        counts = {c: row[t(f"col.{c}", "zh")] for c in ("rows_read", "added", "replaced")}
        counts |= {c: row[t(f"col.{c}", "zh")] for c in ("unchanged", "rejected")}
        counts |= {c: row[t(f"col.{c}", "zh")] for c in ("ignored", "collapsed")}
        assert counts == {
            "rows_read": 4,
            "added": 2,
            "replaced": 0,
            "unchanged": 0,
            "rejected": 1,
            "ignored": 0,
            "collapsed": 1,
        }
        assert list(table.columns)[1] == t("col.status", "zh")


def test_a_preview_of_more_rejects_than_it_lists_says_how_many(app):
    """Eleven rows out of range: the preview lists ten and says so (it listed ten beside a
    tile reading 11, without a word)."""
    rows = "".join(f"R{i},HZ01,2025-11-01 09:{i:02d},{11 + i}\n" for i in range(11))
    at = open_upload(app)
    csv = "response_id,store_id,responded_at,nps\n" + rows
    at.file_uploader(key="up_file").set_value(("bad.csv", csv.encode(), "text/csv")).run()
    assert not at.exception
    assert metrics(at)[t("up.count.reject", "zh")] == "11"
    assert "列出前 10 行，共 11 行被拒；下载包含全部。" in [c.value for c in at.caption]


def test_after_a_commit_the_rejects_download_is_of_that_upload(app, demo_db, tmp_path):
    """The preview's own rejects button goes with the commit; the one left, under the
    history, stayed on the upload picked before (#1): 'rejects_1.csv' right after
    committing #2 with rejects of its own."""
    from cx import ingest, ui

    first = tmp_path / "first.csv"
    first.write_text(
        "response_id,store_id,responded_at,nps\nF1,HZ01,2025-10-01,9\nF2,HZ01,2025-10-01,11\n",
        encoding="utf-8",
    )
    earlier = ingest.ingest_file(first, db_path=demo_db).upload_id
    ui.invalidate()  # written from outside the app: what VERSION_TTL does a second later
    at = open_upload(app)
    assert at.selectbox(key="up_hist_pick").value == earlier
    second = "response_id,store_id,responded_at,nps\nS1,HZ01,2025-10-02,8\nS2,HZ01,2025-10-02,-3\n"
    at.file_uploader(key="up_file").set_value(("second.csv", second.encode(), "text/csv"))
    at.run()
    at.button(key="up_commit").click().run()
    assert not at.exception, at.exception
    newest = count(demo_db, "SELECT max(upload_id) FROM uploads")
    assert newest != earlier
    assert at.selectbox(key="up_hist_pick").value == newest


def test_ids_that_are_another_stores_answers_are_warned_of_before_the_commit(app, demo_db):
    """A survey tool numbers each export's rows 1, 2, 3 …: taken as the id, SH03's export
    replaced HZ01's answers with the same numbers without a word. The preview says how
    many rows are another store's answers now, and whose; a row of the same store is not."""
    head = "response_id,store_id,responded_at,nps\n"
    hz = head + "".join(f"{i},HZ01,2025-10-30 1{i}:00,9\n" for i in range(1, 4))
    sh = head + "".join(f"{i},SH03,2025-10-30 1{i}:00,3\n" for i in range(1, 3))
    sh += "3,HZ01,2025-10-30 13:00,7\n"  # HZ01's own, corrected: not another store's
    at = open_upload(app)
    at.file_uploader(key="up_file").set_value(("hz.csv", hz.encode(), "text/csv")).run()
    at.button(key="up_commit").click().run()
    assert not [w for w in at.warning if "HZ01" in w.value]
    at.file_uploader(key="up_file").set_value(("sh.csv", sh.encode(), "text/csv")).run()
    assert not at.exception, at.exception
    said = t("up.moved", "zh", n=2, stores="HZ01")
    assert said in [w.value for w in at.warning]
    with db.connect(demo_db) as con:  # only said: nothing written before the commit
        stores = con.execute("SELECT store_id FROM responses WHERE response_id IN ('1','2')")
        assert sorted(r[0] for r in stores.fetchall()) == ["HZ01", "HZ01"]


def test_a_title_line_above_the_header_is_said_and_not_read(app, demo_db):
    """The title line of a survey tool's export was the page's only header: one column,
    and nothing to map. The page reads the header below it and says where it is."""
    text = "客户满意度调查导出\n问卷编号,门店编号,提交时间,推荐分\nTL1,HZ01,2025-10-30 10:00,9\n"
    at = open_upload(app)
    at.file_uploader(key="up_file").set_value(("titled.csv", text.encode(), "text/csv")).run()
    assert not at.exception, at.exception
    assert t("up.title_lines", "zh", line=2) in [c.value for c in at.caption]
    assert metrics(at)[t("up.count.add", "zh")] == "1"


def test_a_workbook_whose_answers_are_on_its_second_sheet_says_which_sheet_is_read(
    app, demo_db, tmp_path
):
    """A notes sheet first ("说明": a note and an export date) and the answers on the
    second: the page offered the note's cells as headers, called the note a title and
    asked for the required columns to be mapped. It says what the command line says."""
    import openpyxl

    wb = openpyxl.Workbook()
    wb.active.title = "说明"
    wb.active.append(["本文件由问卷系统导出"])
    wb.active.append(["导出时间", "2026-12-07"])
    answers = wb.create_sheet("答卷数据")
    answers.append(["问卷编号", "门店编号", "提交时间", "推荐分"])
    answers.append(["WB1", "HZ01", "2025-10-30 10:00", 9])
    path = tmp_path / "two_sheets.xlsx"
    wb.save(path)
    at = open_upload(app)
    picked = ("two_sheets.xlsx", path.read_bytes(), "application/octet-stream")
    at.file_uploader(key="up_file").set_value(picked).run()
    assert not at.exception, at.exception
    warnings = [w.value for w in at.warning]
    said = "只读取第一张工作表“说明”（工作簿里还有：答卷数据）：请把答卷放在第一张表"
    assert any(said in w for w in warnings), warnings
    assert not any("请在上面的列对应中" in w for w in warnings), warnings
    assert t("up.title_lines", "zh", line=2) not in [c.value for c in at.caption]
    at.session_state["ui_lang"] = "en"
    at.run()
    warnings = [w.value for w in at.warning]
    said = "Only the first sheet, “说明”, is read (the workbook also has 答卷数据): put the"
    assert any(said in w for w in warnings), warnings


def test_a_workbook_of_formulas_without_saved_values_is_refused_on_the_page(app, demo_db, tmp_path):
    """A script's workbook holds its scores as formulas without saved values: the page
    read them as empty ('nps missing' on every row). It says why the file is not read
    and what to do, in the reader's language, and writes nothing."""
    import openpyxl

    wb = openpyxl.Workbook()
    wb.active.append(["问卷编号", "门店编号", "提交时间", "推荐分"])
    for i in range(2):
        wb.active.append([f"F{i}", "HZ01", "2025-10-30 10:00", "=4+5"])
    path = tmp_path / "scripted.xlsx"
    wb.save(path)
    with db.connect(demo_db) as con:
        version = db.data_version(con)
    at = open_upload(app)
    picked = ("scripted.xlsx", path.read_bytes(), "application/octet-stream")
    at.file_uploader(key="up_file").set_value(picked).run()
    assert not at.exception, at.exception
    said = (
        "第一张工作表有 2 个公式单元格没有保存计算结果（第一个是 D2），会被读成空值；"
        "请在 Excel 或 WPS 中打开并保存后重新上传，或导出 CSV。"
    )
    assert [e.value for e in at.error] == [t("up.unusable", "zh", reason=said)]
    assert not at.metric and "up_commit" not in [b.key for b in at.button]
    at.session_state["ui_lang"] = "en"
    at.run()
    errors = [e.value for e in at.error]
    assert errors == [
        "This file cannot be used: 2 cells of the first sheet hold formulas without saved"
        " values (the first is D2), so they would read as empty; open the file in Excel or"
        " WPS, save it, and upload it again (or export CSV)."
    ], errors
    with db.connect(demo_db) as con:
        assert db.data_version(con) == version


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_column_of_values_that_feeds_nothing_is_said_above_the_counts(app, demo_db, lang):
    """A column of csat values under a header nothing knows (QQ7) went in as nothing: only
    the folded mapping said 'not matched' (the store manager walk). The page says which
    columns are not imported; mapped by hand, the sentence goes. An empty column and the
    known ones are not named."""
    text = "问卷编号,门店编号,提交时间,推荐分,QQ7,空列\nQQ1,HZ01,2025-10-30 10:00,9,5,\n"
    at = open_upload(app)
    at.session_state["ui_lang"] = lang
    at.file_uploader(key="up_file").set_value(("qq.csv", text.encode(), "text/csv")).run()
    assert not at.exception, at.exception
    said = t("up.unmatched", lang, columns="QQ7")
    assert said in [i.value for i in at.info], [i.value for i in at.info]
    if lang == "zh":  # picked by hand (AppTest formats a pick in the first run's language)
        at.selectbox(key="up_map_4").select("csat").run()
        assert not [i for i in at.info if i.value.startswith(said[:6])]


def test_two_columns_naming_nps_are_said_and_the_other_can_be_picked(app, demo_db):
    """推荐意愿 and NPS评分 in one export: the leftmost was read without a word. The
    mapping opens with a warning naming both and the one read; picking the other reads it."""
    text = "问卷编号,门店编号,提交时间,推荐意愿,NPS评分\nDB1,HZ01,2025-10-30 10:00,9,3\n"
    at = open_upload(app)
    at.file_uploader(key="up_file").set_value(("both.csv", text.encode(), "text/csv")).run()
    assert not at.exception, at.exception
    said = t("up.doubled", "zh", col="推荐分 · nps", headers="推荐意愿、NPS评分", first="推荐意愿")
    assert said in [w.value for w in at.warning]
    mapping = next(e for e in at.expander if e.label == t("up.mapping", "zh"))
    assert mapping.proto.expanded
    # the other's box says it is the same column, not read (it said "not matched")
    also = t("up.how.doubled", "zh", col="推荐分 · nps")
    assert at.selectbox(key="up_map_4").label == f"NPS评分 · {also}"
    at.selectbox(key="up_map_3").select("").run()
    at.selectbox(key="up_map_4").select("nps").run()
    assert said not in [w.value for w in at.warning]  # picked: no longer "the leftmost is read"
    at.button(key="up_commit").click().run()
    assert not at.exception, at.exception
    with db.connect(demo_db) as con:
        assert con.execute("SELECT nps FROM responses WHERE response_id = 'DB1'").fetchone() == (3,)


def test_an_undo_says_the_callbacks_that_went_with_another_customers_answers(
    app, demo_db, tmp_path
):
    """An upload whose id replaced another store's called-back answer with another
    customer's, then called back itself: its undo on the page says the callback made since
    went with that answer and the original store's is back."""
    from cx import followups, ingest, ui

    with db.connect(demo_db) as con:
        rid, note = con.execute(
            "SELECT f.response_id, f.note FROM followups f JOIN responses r USING (response_id)"
            " WHERE f.status = 'contacted' AND f.note IS NOT NULL AND r.store_id <> 'HZ01'"
            " ORDER BY 1 LIMIT 1"
        ).fetchall()[0]
    week = tmp_path / "week.csv"
    week.write_text(
        f"response_id,store_id,responded_at,nps,phone\n{rid},HZ01,2025-10-30 09:00,2,13900000000\n"
    )
    res = ingest.ingest_file(week, db_path=demo_db)
    with db.connect(demo_db) as con:
        followups.set_followup(con, rid, "contacted", "王店长", "已致电", user="m@x.com")
    ui.invalidate()
    at = open_upload(app)
    at.session_state["ui_lang"] = "en"
    at.run()
    assert undone_on_page(at, res.upload_id) == [
        f"Upload #{res.upload_id} undone: the rows it added were removed (0) and the rows it"
        " replaced are back (1). 1 callback made since on the answers it had moved to another"
        " store went with them; the original store's callbacks are back."
    ]
    with db.connect(demo_db) as con:
        back = con.execute("SELECT note FROM followups WHERE response_id = ?", [rid]).fetchall()
    assert back == [(note,)]


def test_an_older_export_after_a_corrected_one_is_asked_about_before_it_is_written(
    app, demo_db, tmp_path
):
    """The preview of an export that would put back answers a later upload corrected asks
    whether it is an older export, naming that upload, before anything is written."""
    from cx import ingest, ui

    head = "response_id,store_id,responded_at,nps\n"
    w42, w43 = tmp_path / "w42.csv", tmp_path / "w43.csv"
    w42.write_text(head + "A1,HZ01,2025-10-13 10:00,3\nA2,HZ01,2025-10-14 10:00,9\n")
    w43.write_text(head + "A1,HZ01,2025-10-13 10:00,6\n")
    ingest.ingest_file(w42, db_path=demo_db)
    corrected = ingest.ingest_file(w43, db_path=demo_db)
    ui.invalidate()
    at = open_upload(app)
    at.session_state["ui_lang"] = "en"
    at.run()
    again = (
        head
        + "A1,HZ01,2025-10-13 10:00,3\nA2,HZ01,2025-10-14 10:00,9\nA4,HZ01,2025-10-15 10:00,8\n"
    )
    at.file_uploader(key="up_file").set_value(("w42_again.csv", again.encode(), "text/csv")).run()
    assert not at.exception
    assert [w.value for w in at.warning] == [
        # the upload's name is data, its Markdown escaped (# shows as #)
        f"1 row would put answers back as they were before upload \\#{corrected.upload_id}"
        " w43.csv corrected them: is this an older export? If so, do not commit, or those"
        " corrections are lost."
    ]
    assert count(demo_db, "SELECT nps FROM responses WHERE response_id = 'A1'") == 6


def test_an_upload_in_effect_without_an_undo_button_is_said_where_to_undo(app, demo_db, tmp_path):
    """Eleven uploads in effect: the page offers ten undo buttons, and the eleventh (the
    oldest) had no button and no word, where the README says any upload can be undone."""
    from cx import ingest, ui

    ids = []
    for i in range(11):
        path = tmp_path / f"u{i}.csv"
        path.write_text(
            f"response_id,store_id,responded_at,nps\nU{i},HZ01,2025-10-20 09:00,9\n",
            encoding="utf-8",
        )
        ids.append(ingest.ingest_file(path, db_path=demo_db).upload_id)
    ui.invalidate()  # written outside the app: read again now
    at = open_upload(app)
    buttons = [b.key for b in at.button if b.key and b.key.startswith("up_undo_")]
    assert buttons[:10] == [f"up_undo_{i}" for i in reversed(ids[1:])]
    assert f"up_undo_{ids[0]}" not in buttons
    said = next(c.value for c in at.caption if "python -m cx undo" in c.value)
    assert f"#{ids[0]}" in said


def test_the_undo_question_counts_what_the_undo_will_do_after_the_demo_went(app, demo_db, tmp_path):
    """An upload replaced a demo answer; the demo was removed since, and with it the demo
    answer kept to put back. The question read "added 0, replaced come back 1" (the
    upload's own counts), and the undo then took 1 out and put none back."""
    from cx import demo, ingest, ui

    with db.connect(demo_db) as con:
        rid, store = con.execute(
            "SELECT response_id, store_id FROM responses WHERE upload_id = ? LIMIT 1",
            [demo.DEMO_UPLOAD_ID],
        ).fetchall()[0]
    path = tmp_path / "fix.csv"
    path.write_text(
        f"response_id,store_id,responded_at,nps\n{rid},{store},2025-10-20 09:00,3\n",
        encoding="utf-8",
    )
    res = ingest.ingest_file(path, db_path=demo_db)
    assert (res.added, res.replaced) == (0, 1)
    with db.connect(demo_db) as con:
        demo.remove_demo(con)
    ui.invalidate()  # written outside the app: read again now
    at = open_upload(app)
    at.session_state["ui_lang"] = "en"
    at.run()
    at.button(key=f"up_undo_{res.upload_id}").click().run()
    asked = next(w.value for w in at.warning if f"Undo upload #{res.upload_id}?" in w.value)
    assert "removed (1)" in asked and "come back (0)" in asked, asked
    at.button(key="up_undo_yes").click().run()
    assert not at.exception, at.exception
    done = next(s.value for s in at.success if f"#{res.upload_id}" in s.value)
    assert "removed (1)" in done and "back (0)" in done, done
    assert count(demo_db, f"SELECT count(*) FROM responses WHERE response_id = '{rid}'") == 0


def test_the_preview_says_new_store_codes_and_kept_columns(app, demo_db):
    """HZ001 for HZ01: four new stores named as the old ones were made without a word; a
    re-export without the wait times kept them, and says so, where it had emptied them."""
    at = open_upload(app)
    at.session_state["ui_lang"] = "en"
    at.run()
    with db.connect(demo_db) as con:
        ((rid, name, waits),) = con.execute(
            "SELECT r.response_id, s.store_name, r.wait_minutes FROM responses r"
            " JOIN stores s USING (store_id) WHERE r.store_id = 'HZ01'"
            " AND r.wait_minutes IS NOT NULL ORDER BY r.responded_at DESC LIMIT 1"
        ).fetchall()
        when = con.execute(
            "SELECT strftime(responded_at, '%Y-%m-%d %H:%M:%S') FROM responses WHERE"
            " response_id = ?",
            [rid],
        ).fetchall()[0][0]
    text = (
        "response_id,store_id,store_name,responded_at,nps\n"
        f"NEW1,HZ001,{name},2025-10-31 09:00,9\n{rid},HZ01,{name},{when},10\n"
    )
    at.file_uploader(key="up_file").set_value(("typo.csv", text.encode(), "text/csv")).run()
    assert not at.exception, at.exception
    warned = [w.value for w in at.warning]
    assert (
        "Stores new to the data: HZ001 (looks like HZ01: the same name, or the same code"
        " in another case). Are the store codes right?" in warned
    ), warned
    infos = " ".join(i.value for i in at.info)
    assert "The file has no " in infos and "wait\\_minutes" in infos, infos
    assert count(demo_db, "SELECT count(*) FROM stores WHERE store_id = 'HZ001'") == 0
    assert waits is not None


def test_a_preview_older_than_a_colleagues_corrections_is_not_committed(app, demo_db, tmp_path):
    """Tab B previewed an export (5 unchanged, 1 new); a colleague then committed corrections
    of those 5; B's click wrote the preview's file over them, "replaced 5", with no word: the
    corrections were gone. The click now writes nothing, says why and shows the new preview
    (with its warning that the file would undo the corrections); a second click writes it."""
    from cx import ingest, ui

    head = "response_id,store_id,responded_at,nps,comment\n"
    rows = "".join(f"PX-{k},HZ01,2025-10-2{k} 10:00,5,原始\n" for k in range(1, 6))
    fixed = "".join(f"PX-{k},HZ01,2025-10-2{k} 10:00,9,已更正\n" for k in range(1, 6))
    (tmp_path / "base.csv").write_text(head + rows, encoding="utf-8")
    (tmp_path / "fix.csv").write_text(head + fixed, encoding="utf-8")
    ingest.ingest_file(tmp_path / "base.csv", db_path=demo_db)
    ui.invalidate()
    at = open_upload(app)  # in Chinese: AppTest keeps a picker's first labels
    again = (head + rows + "PX-6,HZ01,2025-10-27 11:00,8,新\n").encode()
    at.file_uploader(key="up_file").set_value(("old_plus_one.csv", again, "text/csv")).run()
    add, replace = t("up.count.add", "zh"), t("up.count.replace", "zh")
    assert metrics(at)[add] == "1" and metrics(at)[replace] == "0"
    corrected = ingest.ingest_file(tmp_path / "fix.csv", db_path=demo_db)  # the colleague
    assert corrected.replaced == 5
    uploads = count(demo_db, "SELECT count(*) FROM uploads")
    at.button(key="up_commit").click().run()
    assert not at.exception, at.exception
    said = t("up.changed_since_preview", "zh")
    assert said in [w.value for w in at.warning]
    assert count(demo_db, "SELECT count(*) FROM responses WHERE comment = '已更正'") == 5
    assert count(demo_db, "SELECT count(*) FROM uploads") == uploads  # nothing written
    assert count(demo_db, "SELECT count(*) FROM responses WHERE response_id = 'PX-6'") == 0
    # the preview now says what a commit would do, and asks about the corrections
    assert metrics(at)[replace] == "5"
    assert any("这是不是一份较早的导出" in w.value for w in at.warning), [
        w.value for w in at.warning
    ]
    at.button(key="up_commit").click().run()  # seen, and committed as it now reads
    assert not at.exception, at.exception
    assert said not in [w.value for w in at.warning]
    assert count(demo_db, "SELECT count(*) FROM responses WHERE response_id = 'PX-6'") == 1
