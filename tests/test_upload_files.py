"""Files that used to corrupt or hang an upload: mixed encodings, Excel through the page's
path, Excel bombs, broken CSV structure, too many columns. Each ends in one sentence
(English and Chinese) and, where nothing should change, unchanged row counts."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import time
import zipfile
from datetime import datetime
from pathlib import Path

import openpyxl
import pytest

from cx import db, ingest, queries

ROOT = Path(__file__).resolve().parent.parent
HEADER = "response_id,store_id,responded_at,nps,comment\n"


def counts(path: Path) -> tuple[int, int, int, int]:
    with db.connect(path) as con:
        return tuple(
            queries.scalar(con, f"SELECT count(*) FROM {t}")
            for t in ("responses", "uploads", "rejects", "stores")
        )


def refused(path: Path, source, name: str | None = None) -> ingest.UnusableFile:
    before = counts(path)
    with pytest.raises(ingest.UnusableFile) as err:
        ingest.ingest_file(source, name)
    assert "\n" not in str(err.value) and "\n" not in err.value.message_zh
    assert err.value.message_zh != str(err.value)
    assert counts(path) == before
    return err.value


# ----------------------------------------------------------------------------- encodings


def test_utf8_export_with_one_gb18030_row_appended_is_refused_not_mojibake(demo_db, tmp_path):
    body = "".join(f"U{i},HZ01,2025-10-0{1 + i % 9} 10:00,9,服务很好{i}\n" for i in range(200))
    path = tmp_path / "mixed.csv"
    path.write_bytes(
        (HEADER + body).encode("utf-8") + "G1,HZ01,2025-10-02,3,等太久\n".encode("gb18030")
    )
    err = refused(demo_db, path)
    assert "Line 202 is not UTF-8" in str(err)  # header + 200 UTF-8 rows, then the bad one
    assert "line 2 is" in str(err)  # the first UTF-8 text line
    assert "UTF-8" in str(err) and "GB18030" in str(err)  # the encodings tried
    assert "第 202 行" in err.message_zh


def test_gb18030_export_with_one_utf8_row_appended_is_refused(empty_db, tmp_path):
    body = "".join(f"G{i},S1,2025-10-01,9,等了三个小时{i}\n" for i in range(50))
    path = tmp_path / "mixed2.csv"
    path.write_bytes((HEADER + body).encode("gb18030") + "U1,S1,2025-10-01,9,服务很好\n".encode())
    err = refused(empty_db, path)
    assert "Line 2 is not UTF-8" in str(err) and "line 52 is" in str(err)


def test_utf8_with_bom_and_a_stray_byte_names_the_line(empty_db, tmp_path):
    path = tmp_path / "bom.csv"
    path.write_bytes(
        ("\ufeff" + HEADER + "B1,S1,2025-10-01,9,好\n").encode() + b"B2,S1,2025-10-01,9,\xff\n"
    )
    assert "Line 3 is not UTF-8" in str(refused(empty_db, path))


def test_truncated_utf16_names_the_line(empty_db, tmp_path):
    path = tmp_path / "u16.csv"
    path.write_bytes((HEADER + "W1,S1,2025-10-01,9,好\n").encode("utf-16") + b"\x00\xd8")
    err = refused(empty_db, path)
    assert re.search(r"Line \d+ is not valid utf-16", str(err))


def test_one_encoding_start_to_end_still_loads(empty_db, tmp_path):
    body = "".join(f"C{i},S1,2025-10-01,9,服务很好{i}\n" for i in range(20))
    for enc in ("utf-8", "gb18030"):
        path = tmp_path / f"{enc}.csv"
        path.write_bytes((HEADER + body).replace("C", enc[0]).encode(enc))
        res = ingest.ingest_file(path)
        assert res.info.encoding == enc and res.added == 20
    with db.connect(empty_db) as con:
        comments = {r[0] for r in con.execute("SELECT comment FROM responses").fetchall()}
    assert comments == {f"服务很好{i}" for i in range(20)}  # never mojibake


def test_an_export_with_old_mac_line_endings_loads(empty_db, tmp_path):
    """Lines ended by a lone CR (an old Mac's text, some survey tools' exports): refused
    as "the header row opens a quote that never closes", in a file without a quote."""
    path = tmp_path / "cr.csv"
    lines = ["response_id,store_id,responded_at,nps,comment", "CR1,S1,2025-10-01 10:00,9,好",
             "CR2,S1,2025-10-01 11:00,13,score", "CR3,S1,2025-10-01 12:00,3,慢"]  # fmt: skip
    path.write_bytes(("\r".join(lines) + "\r").encode("gb18030"))
    res = ingest.ingest_file(path)
    assert (res.committed, res.added, res.rejected) == (True, 2, 1)
    with db.connect(empty_db) as con:
        got = con.execute("SELECT response_id, nps, comment FROM responses ORDER BY 1").fetchall()
        bad = con.execute("SELECT line_no, raw_line FROM rejects").fetchall()
    assert got == [("CR1", 9, "好"), ("CR3", 3, "慢")]
    assert bad == [(3, "CR2,S1,2025-10-01 11:00,13,score")]  # its line, as the file counts


# ----------------------------------------------------------------------------- excel


def _workbook(path: Path, rows: int = 3) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["问卷编号", "门店代码", "提交时间", "推荐分", "原因"])
    for i in range(rows):
        ws.append([f"X{i}", "S1", datetime(2025, 10, 15, 9, 30), 9, "好"])
    wb.create_sheet("second").append(["nothing", "here"])
    wb.save(path)
    return path


def _rewrite(src: Path, dst: Path, member: str, change) -> Path:
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename == member:
                data = change(data)
            zout.writestr(item.filename, data)
    return dst


def test_xlsx_bytes_from_the_page_load_like_the_command_line(empty_db, tmp_path):
    path = _workbook(tmp_path / "export.xlsx")
    res = ingest.ingest_file(path.read_bytes(), "export.xlsx")  # the Upload page's call
    assert res.info.kind == "xlsx" and res.added == 3
    assert counts(empty_db)[0] == 3
    again = ingest.ingest_file(path)  # the command line's call: the same file, recognised
    assert again.duplicate_of == res.upload_id


def test_sheet_claiming_a1_xfd1048576_is_refused_fast(empty_db, tmp_path):
    small = _workbook(tmp_path / "small.xlsx")
    bomb = _rewrite(
        small,
        tmp_path / "claims.xlsx",
        "xl/worksheets/sheet1.xml",
        lambda x: re.sub(rb'<dimension ref="[^"]*"', b'<dimension ref="A1:XFD1048576"', x),
    )
    assert bomb.stat().st_size < 10_000
    start = time.monotonic()
    err = refused(empty_db, bomb)
    assert time.monotonic() - start < 5
    assert "16384 columns" in str(err) and "16384" in err.message_zh


def test_sheet_claiming_a_million_rows_reads_only_the_rows_it_has(empty_db, tmp_path):
    small = _workbook(tmp_path / "small.xlsx")
    tall = _rewrite(
        small,
        tmp_path / "tall.xlsx",
        "xl/worksheets/sheet1.xml",
        lambda x: re.sub(rb'<dimension ref="[^"]*"', b'<dimension ref="A1:E1048576"', x),
    )
    start = time.monotonic()
    res = ingest.ingest_file(tall)
    assert time.monotonic() - start < 5
    assert res.added == 3


def _zip_bomb(path: Path, megabytes: int) -> Path:
    """A workbook whose first sheet inflates to ``megabytes`` MB of repeated rows."""
    src = _workbook(path.with_name("base.xlsx"))
    row = b'<row><c t="inlineStr"><is><t>x</t></is></c></row>' * 2000
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            if item.filename != "xl/worksheets/sheet1.xml":
                zout.writestr(item.filename, zin.read(item.filename))
                continue
            with zout.open(item.filename, "w", force_zip64=True) as fh:
                fh.write(
                    b'<?xml version="1.0"?><worksheet xmlns="http://schemas.'
                    b'openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
                )
                for _ in range((megabytes << 20) // len(row)):
                    fh.write(row)
                fh.write(b"</sheetData></worksheet>")
    return path


def test_zip_bomb_is_refused_in_seconds_without_memory(empty_db, tmp_path):
    bomb = _zip_bomb(tmp_path / "bomb.xlsx", 400)
    assert bomb.stat().st_size < 3 << 20
    script = (
        "import json, resource, sys, time\n"
        "from cx import ingest\n"
        "base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss\n"
        "start = time.monotonic()\n"
        "try:\n"
        "    ingest.ingest_file(sys.argv[1], db_path=sys.argv[2])\n"
        "    msg = 'accepted'\n"
        "except ingest.UnusableFile as exc:\n"
        "    msg = str(exc)\n"
        "peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss\n"
        "print(json.dumps([time.monotonic() - start, (peak - base) / 1024, msg]))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", script, str(bomb), str(empty_db)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )
    seconds, grown_mb, message = json.loads(out.stdout)
    assert "zip bomb" in message
    assert seconds < 5 and grown_mb < 200
    assert counts(empty_db)[0] == 0


def test_xlsx_over_the_unpacked_limit_is_refused(empty_db, tmp_path, monkeypatch):
    monkeypatch.setenv("CX_XLSX_MAX_MB", "1")
    path = _workbook(tmp_path / "wide.xlsx", rows=20_000)
    assert "CX_XLSX_MAX_MB" in str(refused(empty_db, path))


@pytest.mark.parametrize("setting", ["0", "-5", "lots"])
def test_a_limit_set_below_one_or_not_a_number_keeps_the_default(
    empty_db, tmp_path, monkeypatch, caplog, setting
):
    """CX_MAX_UPLOAD_MB=0 refused every file, however small ("the file is 0 MB; the limit
    is 0 MB"): a limit below one, or not a number, is the default, said in the log."""
    from cx import config

    monkeypatch.setenv("CX_MAX_UPLOAD_MB", setting)
    monkeypatch.setenv("CX_MAX_COLUMNS", setting)
    path = tmp_path / "small.csv"
    path.write_text(HEADER + "L1,HZ01,2025-10-01 09:00,9,ok\n", encoding="utf-8")
    with caplog.at_level("WARNING", logger="cx.config"):
        assert ingest.ingest_file(path).added == 1
    assert (config.max_upload_mb(), config.max_columns()) == (2048, 500)
    assert f"CX_MAX_UPLOAD_MB '{setting}' is not a whole number of at least 1" in caplog.text
    # a day's allowance may be none at all: 0 days ahead stands
    monkeypatch.setenv("CX_DATE_AHEAD_DAYS", "0")
    assert config.date_window_ahead_days() == 0


def test_a_zip_that_is_not_a_workbook_is_refused(empty_db, tmp_path):
    path = tmp_path / "notes.xlsx"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("readme.txt", "hello")
    assert "not an Excel workbook" in str(refused(empty_db, path))


# ----------------------------------------------------------------------------- csv structure


def test_unterminated_quote_in_the_header_row(empty_db, tmp_path):
    path = tmp_path / "quote.csv"
    rows = "".join(f"Q{i},S1,2025-10-01,9,好\n" for i in range(50))
    path.write_text('response_id,"store_id,responded_at,nps,comment\n' + rows, encoding="utf-8")
    err = refused(empty_db, path)
    assert "line 1" in str(err) and "quote" in str(err)


def test_unterminated_quote_in_the_first_data_row(empty_db, tmp_path):
    path = tmp_path / "quote2.csv"
    rows = "".join(f"Q{i},S1,2025-10-01,9,好\n" for i in range(50))
    path.write_text(HEADER + 'Q0,S1,2025-10-01,9,"never closed\n' + rows, encoding="utf-8")
    before = counts(empty_db)
    try:
        res = ingest.ingest_file(path)
    except ingest.UnusableFile as exc:
        assert "quote" in str(exc) and "\n" not in str(exc)
        assert counts(empty_db) == before
    else:  # read: the broken record is a reject with its line, nothing silently lost
        assert res.rejected >= 1 and 2 in set(res.rejects["line_no"])


def test_ten_thousand_columns_are_refused_before_parsing(empty_db, tmp_path):
    path = tmp_path / "wide.csv"
    header = ",".join(
        ["response_id", "store_id", "responded_at", "nps"] + [f"x{i}" for i in range(10_000)]
    )
    path.write_text(header + "\n" + "A,S1,2025-10-01,9" + ",1" * 10_000 + "\n", encoding="utf-8")
    start = time.monotonic()
    err = refused(empty_db, path)
    assert time.monotonic() - start < 5
    assert "10004 columns" in str(err) and "500" in str(err)


def test_a_file_without_line_breaks_is_refused_quickly(empty_db, tmp_path):
    path = tmp_path / "one_line.csv"
    with path.open("wb") as fh:
        fh.write(b"response_id,store_id,responded_at,nps")
        for _ in range(80):
            fh.write(b",x" * (1 << 19))
    start = time.monotonic()
    err = refused(empty_db, path)
    assert time.monotonic() - start < 10
    assert "Line 1 is longer than 64 MB" in str(err)


def test_a_damaged_sheet_or_truncated_workbook_is_one_sentence(empty_db, tmp_path):
    good = _workbook(tmp_path / "good.xlsx")
    broken = _rewrite(
        good,
        tmp_path / "broken.xlsx",
        "xl/worksheets/sheet1.xml",
        lambda x: x[: len(x) // 2] + b"<row r='9'><c r='A9' t='s'><v>99999</v></c>",
    )
    assert "damaged" in str(refused(empty_db, broken))
    cut = tmp_path / "cut.xlsx"
    cut.write_bytes(good.read_bytes()[:1500])
    assert "damaged" in str(refused(empty_db, cut))


@pytest.mark.parametrize("kind", ["csv", "csv_multiline", "xlsx"])
def test_a_title_and_a_group_row_above_the_header_are_not_read(empty_db, tmp_path, kind):
    """A survey tool's export starts with a title line and, in Excel, a merged group row
    above the header: the title had been read as the only header (one column, matched to
    csat by its 满意度), and nothing could be mapped. The header is found below them, the
    answers are read, and a bad row is named by its own line and shows its own text (an
    .xlsx, or a CSV with a comment over two lines, showed the record before it: another
    customer's row)."""
    rows = [
        ["客户满意度调查导出"],
        ["基本信息", "", "", "评分", ""],
        ["问卷编号", "门店编号", "提交时间", "推荐分", "评论"],
        ["T1", "HZ01", "2025-10-06 10:00", "9", "好"],
        ["T2", "HZ01", "2025-10-06 11:00", "11", "打分错"],
        ["T3", "SH03", "2025-10-06 12:00", "3", "慢"],
    ]
    path = tmp_path / f"titled.{kind.split('_')[0]}"
    if kind == "csv_multiline":
        rows[3][4] = '"好\n很好"'  # T1's comment over two lines: T2 on line 6
    if kind.startswith("csv"):
        path.write_text("\n".join(",".join(r) for r in rows) + "\n", encoding="utf-8")
    else:
        wb = openpyxl.Workbook()
        ws = wb.active
        for r in rows:
            ws.append(r)
        ws.merge_cells("A1:E1")
        ws.merge_cells("A2:C2")
        wb.save(path)
    info = ingest.inspect(path)
    assert (info.header_line, info.title_lines) == (3, 2)
    assert info.mapping.columns[3] == "nps" and "csat" not in info.mapping.columns.values()
    info.cleanup()
    res = ingest.ingest_file(path)
    assert (res.added, res.rejected) == (2, 1)
    assert list(res.rejects["line_no"]) == [6 if kind == "csv_multiline" else 5]
    assert res.rejects["raw_line"].iloc[0].startswith("T2"), res.rejects["raw_line"].iloc[0]


def test_a_workbook_whose_answers_are_on_another_sheet_says_which_sheet_was_read(
    empty_db, tmp_path
):
    """A notes sheet first and the answers on the second: 'No nps column' only."""
    wb = openpyxl.Workbook()
    wb.active.title = "说明"
    wb.active.append(["本表为导出说明"])
    data = wb.create_sheet("数据")
    data.append(["问卷编号", "门店代码", "提交时间", "推荐分"])
    data.append(["S1", "HZ01", "2025-10-15 09:30", 9])
    path = tmp_path / "two_sheets.xlsx"
    wb.save(path)
    err = refused(empty_db, path)
    assert "No nps column" in str(err)
    assert "Only the first sheet, “说明”, is read (the workbook also has 数据)" in str(err)
    assert "只读取第一张工作表“说明”（工作簿里还有：数据）" in err.message_zh


def _formula_workbook(path: Path, nps: str = "=4+5", comment: str = "好") -> Path:
    """An export whose nps (D) and comment (E) cells may be formulas: openpyxl writes a
    ``=…`` string as a formula with no saved value, as scripts' workbooks have them."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["问卷编号", "门店代码", "提交时间", "推荐分", "原因"])
    for i in range(3):
        ws.append([f"X{i}", "S1", datetime(2025, 10, 15, 9, 30), nps, comment])
    wb.save(path)
    return path


def stored_answers(path: Path) -> list[tuple]:
    with db.connect(path) as con:
        return con.execute(
            "SELECT response_id, nps, comment FROM responses ORDER BY response_id"
        ).fetchall()


def test_formulas_without_saved_values_are_refused_not_read_as_empty(
    empty_db, tmp_path, capsys, monkeypatch
):
    """openpyxl read a formula cell without a saved value as empty, without a word: the
    nps column read empty rejected every row as 'nps missing', and a comment column read
    empty on a re-export emptied the stored comments. Refused, with the count and the
    first cell, on the command line and for the page's bytes; nothing is written."""
    ingest.ingest_file(_formula_workbook(tmp_path / "first.xlsx", nps=9))
    kept = stored_answers(empty_db)
    assert kept == [(f"X{i}", 9, "好") for i in range(3)]
    scores = _formula_workbook(tmp_path / "scores.xlsx")
    for source in (scores, scores.read_bytes()):
        err = refused(empty_db, source, "scores.xlsx")
        assert str(err) == (
            "3 cells of the first sheet hold formulas without saved values (the first is D2),"
            " so they would read as empty; open the file in Excel or WPS, save it, and upload"
            " it again (or export CSV)."
        )
        assert err.message_zh == (
            "第一张工作表有 3 个公式单元格没有保存计算结果（第一个是 D2），会被读成空值；"
            "请在 Excel 或 WPS 中打开并保存后重新上传，或导出 CSV。"
        )
    reexport = _formula_workbook(tmp_path / "again.xlsx", nps=9, comment='=""&"好"')
    assert "(the first is E2)" in str(refused(empty_db, reexport))
    wb = openpyxl.load_workbook(reexport)
    for row in (3, 4):
        wb.active[f"E{row}"] = "好"
    wb.save(reexport)
    err = refused(empty_db, reexport)
    assert str(err).startswith("1 cell of the first sheet holds a formula without a saved")
    assert "（E2）" in err.message_zh
    assert stored_answers(empty_db) == kept  # the comments were not emptied

    from cx import cli

    monkeypatch.setenv("CX_DB", str(empty_db))
    for lang, said in (("zh_CN.UTF-8", "第一张工作表有 3 个公式单元格"), ("C.UTF-8", "3 cells")):
        monkeypatch.setenv("LANG", lang)
        monkeypatch.delenv("CX_LANG", raising=False)
        monkeypatch.delenv("LC_ALL", raising=False)
        capsys.readouterr()
        assert cli.main(["ingest", str(scores)]) == 2
        assert capsys.readouterr().err.strip().startswith(f"{scores}: {said}")
    assert stored_answers(empty_db) == kept


def test_formulas_with_saved_values_read_as_before(empty_db, tmp_path):
    """What Excel and WPS save: each formula with its value (an empty text result as an
    empty ``<v>`` with ``t="str"``). The values are read; nothing is refused."""
    src = _formula_workbook(tmp_path / "bare.xlsx", comment='=IF(D2>5,"","slow")')

    def with_values(xml: bytes) -> bytes:
        xml, scores = re.subn(rb'(<c r="D\d+")><f>([^<]*)</f><v ?/>', rb"\1><f>\2</f><v>9</v>", xml)
        xml, texts = re.subn(
            rb'(<c r="E\d+")><f>([^<]*)</f><v ?/>', rb'\1 t="str"><f>\2</f><v></v>', xml
        )
        assert (scores, texts) == (3, 3)
        return xml

    saved = _rewrite(src, tmp_path / "saved.xlsx", "xl/worksheets/sheet1.xml", with_values)
    res = ingest.ingest_file(saved)
    assert (res.added, res.rejected) == (3, 0)
    assert stored_answers(empty_db) == [(f"X{i}", 9, None) for i in range(3)]


def test_formulas_on_another_sheet_than_the_first_are_not_its_concern(empty_db, tmp_path):
    """Only the first sheet is read, so only its formulas count: a sheet of sums behind
    the answers is no reason to refuse them. The first sheet is the first in the
    workbook's own list, whatever its part is called: put the sums first, and they are."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "答卷"
    ws.append(["问卷编号", "门店代码", "提交时间", "推荐分"])
    for i in range(3):
        ws.append([f"X{i}", "S1", datetime(2025, 10, 15, 9, 30), 9])
    wb.create_sheet("汇总").append(["平均", "=AVERAGE(答卷!D2:D4)"])
    path = tmp_path / "with_sums.xlsx"
    wb.save(path)
    swapped = _rewrite(
        path,
        tmp_path / "sums_first.xlsx",
        "xl/workbook.xml",
        lambda x: re.sub(rb"(<sheet [^>]*/>)(<sheet [^>]*/>)", rb"\2\1", x),
    )
    err = refused(empty_db, swapped)
    assert str(err).startswith(
        "1 cell of the first sheet holds a formula without a saved value (B1)"
    )
    res = ingest.ingest_file(path)
    assert (res.added, res.rejected) == (3, 0)


@pytest.mark.parametrize(
    ("name", "data", "said", "said_zh"),
    [
        (
            "问卷导出.xls",
            bytes.fromhex("D0CF11E0A1B11AE1") + bytes(range(256)) * 40,
            "old Excel workbook (.xls); save it in Excel as .xlsx",
            "旧版 Excel 工作簿（.xls）",
        ),
        (
            "问卷星导出.xls",
            "\ufeff<html><head><meta charset='utf-8'></head><body><table><tr><td>序号</td>"
            "<td>推荐意愿</td></tr></table></body></html>".encode(),
            "a web page (HTML or XML)",
            "文件是网页",
        ),
    ],
)
def test_an_old_or_web_page_excel_export_says_what_it_is_and_what_to_do(
    empty_db, tmp_path, name, data, said, said_zh
):
    """An Excel 97-2003 workbook was refused as "binary data", and a survey tool's
    "Excel" export that is an HTML table was read as a CSV of markup ("no NPS column"):
    both are named for what they are, with what to do, and nothing is written."""
    path = tmp_path / name
    path.write_bytes(data)
    for source in (path, data):  # the command line's path, the page's bytes
        err = refused(empty_db, source, name if isinstance(source, bytes) else None)
        assert said in str(err) and said_zh in err.message_zh
        assert "binary" not in str(err) and "column" not in str(err)
