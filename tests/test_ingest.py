"""Ingest: every rule of the data contract, on small files written by the tests."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta
from pathlib import Path

import duckdb
import openpyxl
import pandas as pd
import pytest

from cx import commit, db, export, i18n, ingest, queries, source, validate

SAMPLES = Path(__file__).resolve().parent / "fixtures"  # the sample exports, in the repo


@pytest.fixture(autouse=True)
def _duckdbs_own_threads(monkeypatch):
    """Files read with DuckDB's default threads, as a deployment reads them (the rest of
    the suite runs one thread a connection: tests/conftest.py)."""
    monkeypatch.delenv("CX_THREADS", raising=False)


HEADER = "response_id,store_id,store_name,region,responded_at,nps,comment,channel"
ROWS = [
    "A1,S1,一号店,华东,2025-10-01 09:00,10,很好,wechat",
    "A2,S1,一号店,华东,2025-10-01 10:00,8,还行,sms",
    "A3,S2,二号店,华南,2025-10-02 11:00,3,等了三个小时,app",
]


def write(tmp_path: Path, text: str, name: str = "in.csv", encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


# what a date's reject says to write instead
DATE_HINT = " (write it as 2025-11-03 14:05, 2025/11/3 14:05 or 2025年11月3日, in local time)"
DATE_HINT_ZH = "（请写成 2025-11-03 14:05、2025/11/3 14:05 或 2025年11月3日，用当地时间）"


def csv_text(rows=ROWS, header=HEADER, sep=",", newline="\n") -> str:
    lines = [header.replace(",", sep)] + [r.replace(",", sep) for r in rows]
    return newline.join(lines) + newline


def reasons_by_id(res, column: str = "reason") -> dict[str, str]:
    """An ingest's rejects as {the first two characters of the raw line (the test rows'
    ids): reason}."""
    return dict(zip(res.rejects["raw_line"].str[:2], res.rejects[column], strict=True))


def rows(path: Path, sql: str = "SELECT * FROM responses ORDER BY response_id", params=None):
    with db.connect(path) as con:
        return queries.df(con, sql, params)


def version(path: Path) -> int:
    with db.connect(path) as con:
        return db.data_version(con)


# ----------------------------------------------------------------------------- samples


def test_gb18030_sample_loads_40_and_rejects_2_with_reasons(empty_db):
    res = ingest.ingest_file(SAMPLES / "survey_export_gb18030.csv")
    assert res.info.encoding == "gb18030"
    assert (res.added, res.rejected, res.ignored) == (40, 2, 2)
    reasons = sorted(res.rejects["reason"])
    assert reasons == ["nps 12 is outside 0-10", "store_id missing"]
    raw = dict(zip(res.rejects["reason"], res.rejects["raw_line"], strict=True))
    assert "Q-BAD-1" in raw["nps 12 is outside 0-10"]
    lines = (SAMPLES / "survey_export_gb18030.csv").read_bytes().decode("gb18030").splitlines()
    for line_no, text in zip(res.rejects["line_no"], res.rejects["raw_line"], strict=True):
        assert lines[line_no - 1] == text  # the line number points at the raw line
    got = rows(empty_db)
    assert len(got) == 40
    assert got["nps"].between(0, 10).all()
    assert set(got["store_id"]) == {"SZ05", "WH02", "XA01"}
    stored = rows(empty_db, "SELECT reason FROM rejects ORDER BY line_no")
    assert sorted(stored["reason"]) == reasons


def test_english_sample_loads_all_30(empty_db):
    res = ingest.ingest_file(SAMPLES / "survey_export_en.csv")
    assert (res.added, res.rejected) == (30, 0)
    got = rows(empty_db)
    src = pd.read_csv(SAMPLES / "survey_export_en.csv")
    assert sorted(got["response_id"]) == sorted(src["response_id"])
    merged = got.merge(src, on="response_id", suffixes=("", "_src"))
    assert (merged["nps"] == merged["nps_src"]).all()
    assert (merged["wait_minutes"] == merged["wait_minutes_src"]).all()


# ----------------------------------------------------------------------------- encodings


@pytest.mark.parametrize(
    ("encoding", "expected"),
    [
        ("utf-8", "utf-8"),
        ("utf-8-sig", "utf-8-sig"),
        ("gb18030", "gb18030"),
        ("gbk", "gb18030"),
        ("utf-16", "utf-16"),
        ("utf-16-le", "utf-16-le"),
    ],
)
def test_encodings_are_detected_and_give_the_same_rows(empty_db, tmp_path, encoding, expected):
    path = write(tmp_path, csv_text(), encoding=encoding)
    res = ingest.ingest_file(path)
    assert res.info.encoding == expected
    got = rows(empty_db)
    assert list(got["comment"]) == ["很好", "还行", "等了三个小时"]
    assert list(got["store_id"]) == ["S1", "S1", "S2"]


@pytest.mark.parametrize("sep", [",", ";", "\t"])
def test_delimiters(empty_db, tmp_path, sep):
    res = ingest.ingest_file(write(tmp_path, csv_text(sep=sep)))
    assert res.info.delimiter == sep
    assert res.added == 3


def test_crlf_and_quoted_newlines_commas_quotes(empty_db, tmp_path):
    text = (
        HEADER + "\r\n"
        'A1,S1,一号店,华东,2025-10-01 09:00,10,"第一行\r\n第二行, 有逗号 ""引号""",wechat\r\n'
        "A2,S1,一号店,华东,2025-10-01 10:00,99,bad,sms\r\n"
    )
    res = ingest.ingest_file(write(tmp_path, text))
    assert (res.added, res.rejected) == (1, 1)
    assert rows(empty_db)["comment"][0] == '第一行\r\n第二行, 有逗号 "引号"'
    assert res.rejects["line_no"].tolist() == [4]  # the record after a 2-line record
    assert res.rejects["raw_line"][0].startswith("A2,")


def test_a_row_missing_its_last_cells_loads_as_if_they_were_empty(empty_db, tmp_path):
    """Exports cut the empty cells at the end of a row; with a comment holding a line
    break elsewhere in the file, the row still loads (its cells empty), exactly as the
    same file with every cell written out, and the line numbers of rejects stay right."""
    head = "response_id,store_id,responded_at,nps,comment,channel"
    cut = (
        head + "\n"
        'B1,S1,2025-10-01 09:00,9,"两行\n评论",wechat\n'
        "B2,S1,2025-10-01 10:00,3\n"
        "B3,S1,2025-10-01 11:00,99,bad,sms\n"
    )
    whole = cut.replace("10:00,3\n", "10:00,3,,\n")
    loaded = []
    for name, text in (("cut.csv", cut), ("whole.csv", whole)):
        res = ingest.ingest_file(write(tmp_path, text, name), db_path=tmp_path / f"{name}.duckdb")
        assert (res.added, res.rejected) == (2, 1)
        assert res.rejects["line_no"].tolist() == [5]  # after the record of two lines
        frame = rows(tmp_path / f"{name}.duckdb")
        loaded.append(frame[["response_id", "nps", "comment", "channel"]])
    pd.testing.assert_frame_equal(loaded[0], loaded[1])
    assert loaded[0]["comment"].tolist()[0] == "两行\n评论"
    assert loaded[0]["channel"].tolist()[0] == "wechat"
    assert loaded[0][["comment", "channel"]].iloc[1].isna().all()


# ----------------------------------------------------------------------------- headers


def test_headers_case_and_space_insensitive_aliases_and_keywords(empty_db, tmp_path):
    header = (
        "Response ID,门店代码,大区,提交答卷时间,"
        "您向亲友推荐我们服务中心的可能性有多大？(0-10分),请说明原因,渠道,序号"
    )
    row = "B1,S9,西南,2025/10/15 14:03:22,9分,好,微信,1"
    res = ingest.ingest_file(write(tmp_path, header + "\n" + row + "\n"))
    m = res.info.mapping
    assert m.columns[0] == "response_id" and m.how[0] == "exact"
    assert m.columns[1] == "store_id" and m.how[1] == "alias"
    assert m.columns[4] == "nps" and m.how[4] == "keyword"
    assert m.columns[5] == "comment"
    assert 7 in m.unmatched  # 序号 is left for the user
    got = rows(empty_db).iloc[0]
    assert (got["response_id"], got["nps"], got["channel"]) == ("B1", 9, "wechat")
    assert rows(empty_db, "SELECT region FROM stores")["region"][0] == "西南"


def test_two_headers_fitting_a_keyword_are_ambiguous_not_guessed(tmp_path):
    header = "response_id,store_id,responded_at,您会推荐我们吗,您会推荐朋友吗"
    info = ingest.inspect(write(tmp_path, header + "\nX,S,2025-10-01,9,8\n"))
    assert "nps" in info.mapping.ambiguous
    assert "nps" in info.mapping.missing_required
    # refused with the two headers named (it said "no header … containing 推荐", beside two)
    with pytest.raises(ingest.UnusableFile) as refused:
        ingest.ingest_file(write(tmp_path, header + "\nX,S,2025-10-01,9,8\n"))
    assert str(refused.value) == (
        "Ambiguous: nps could come from 您会推荐我们吗, 您会推荐朋友吗; pick one by hand on"
        " the Upload page, or rename all but one."
    )
    assert refused.value.message_zh.startswith(
        "有歧义：nps（推荐分）可能来自 您会推荐我们吗、您会推荐朋友吗；"
    )


def test_two_headers_naming_one_column_read_the_leftmost_and_list_both(tmp_path):
    header = "response_id,store_id,responded_at,推荐意愿,NPS评分,满意度"
    info = ingest.inspect(write(tmp_path, header + "\nX,S,2025-10-01,9,8,5\n"))
    assert info.mapping.columns[3] == "nps" and 4 not in info.mapping.columns
    assert info.mapping.doubled == {"nps": [3, 4]}
    # one header per column: nothing doubled
    alone = ingest.inspect(write(tmp_path, "response_id,store_id,responded_at,推荐意愿\n"))
    assert alone.mapping.doubled == {}


def test_no_nps_column_is_unusable_and_changes_nothing(empty_db, tmp_path):
    before = version(empty_db)
    path = write(tmp_path, "response_id,store_id,responded_at,score_x\nA,S,2025-10-01,9\n")
    with pytest.raises(ingest.UnusableFile, match="No nps column"):
        ingest.ingest_file(path)
    assert version(empty_db) == before
    assert rows(empty_db, "SELECT count(*) AS n FROM uploads")["n"][0] == 0


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "empty"),
        (b"   \n\n", "empty"),
        (bytes(range(256)) * 40, "binary"),
        (b"\x89PNG\r\n\x1a\n" + bytes(2000), "binary"),
        ((HEADER + "\n").encode(), "no answer rows"),
        (b"a,b\n\x80\xff\x81\x20" * 50, "not UTF-8"),
    ],
)
def test_unusable_files_say_why_in_one_line_and_change_nothing(
    empty_db, tmp_path, content, message
):
    path = tmp_path / "bad.csv"
    path.write_bytes(content)
    before = version(empty_db)
    with pytest.raises(ingest.UnusableFile) as err:
        ingest.ingest_file(path)
    assert message in str(err.value)
    assert "\n" not in str(err.value)
    assert err.value.message_zh
    assert version(empty_db) == before


@pytest.mark.parametrize(
    "content",
    [b"", b"   \n\n", bytes(range(256)) * 40, (HEADER + "\n").encode()],
    ids=["empty", "blank", "binary", "header_only"],
)
def test_an_empty_header_only_or_binary_file_is_told_what_to_do(empty_db, tmp_path, content):
    """These three refusals said only what was wrong (the file is empty); the others say
    what to do too: export the answers again, as CSV or XLSX."""
    path = tmp_path / "bad.csv"
    path.write_bytes(content)
    with pytest.raises(ingest.UnusableFile) as err:
        ingest.ingest_file(path)
    assert "export" in str(err.value) and "请" in err.value.message_zh
    assert "导出" in err.value.message_zh.split("请", 1)[1]


# ----------------------------------------------------------------------------- values


@pytest.mark.parametrize(
    "stamp",
    ["2025-10-15", "2025/10/15", "2025-10-15 14:03", "2025/10/15 14:03:22", "2025年10月15日"],
)
def test_date_formats(empty_db, tmp_path, stamp):
    text = f"response_id,store_id,responded_at,nps\nD1,S1,{stamp},7\n"
    ingest.ingest_file(write(tmp_path, text))
    assert rows(empty_db)["responded_at"][0].date() == date(2025, 10, 15)


def test_date_formats_tried_in_the_files_order_give_the_same_times(empty_db, tmp_path):
    """The file's own way of writing dates is tried first (a format tried in vain costs
    time on every row); no text fits two formats, so every time is the one any order
    gives, a mixed file's too, and a text no format fits is rejected as before."""
    shown = {
        "%Y-%m-%d %H:%M:%S": "2025-10-15 14:03:22",
        "%Y-%m-%d %H:%M": "2025-10-15 14:03",
        "%Y-%m-%d": "2025-10-15",
        "%Y-%m-%dT%H:%M:%S": "2025-10-15T14:03:22",
        "%Y-%m-%dT%H:%M": "2025-10-15T14:03",
        "%Y-%m-%d %H:%M:%S.%f": "2025-10-15 14:03:22.250",
        "%Y-%m-%dT%H:%M:%S.%f": "2025-10-15T14:03:22.250",
        "%Y/%m/%d %H:%M:%S": "2025/10/15 14:03:22",
        "%Y/%m/%d %H:%M": "2025/10/15 14:03",
        "%Y/%m/%d": "2025/10/15",
        "%Y年%m月%d日 %H:%M:%S": "2025年10月15日 14:03:22",
        "%Y年%m月%d日 %H:%M": "2025年10月15日 14:03",
        "%Y年%m月%d日": "2025年10月15日",
        "%Y.%m.%d": "2025.10.15",
    }
    assert list(shown) == validate.TIMESTAMP_FORMATS  # one text of every format
    mostly = ["2025/10/14 09:00"] * 5  # the file's own way, first in its order
    cells = [*mostly, *shown.values(), "15.10.2025", "2025-13-01"]
    body = "".join(
        f"T{k:02d},S1,{c},{c.split(' ')[0].split('T')[0]},7\n" for k, c in enumerate(cells)
    )
    file = write(tmp_path, "response_id,store_id,responded_at,service_date,nps\n" + body)
    info = ingest.inspect(file)
    with ingest._workspace() as con:
        source.parse(con, info)
        orders = validate.format_order(con, info)
        assert orders["responded_at"][0] == "%Y/%m/%d %H:%M"
        assert orders["service_date"][0] == "%Y/%m/%d"
        assert sorted(orders["responded_at"]) == sorted(validate.TIMESTAMP_FORMATS)
        sniffed = con.execute(*validate.typed_sql(info, orders)).df()
        listed = con.execute(*validate.typed_sql(info)).df()
    pd.testing.assert_frame_equal(sniffed, listed)
    res = ingest.ingest_file(file)
    got = rows(empty_db).set_index("response_id")
    assert res.rejected == 2  # no format fits the last two
    wanted = [datetime(2025, 10, 14, 9)] * len(mostly)
    wanted += [datetime.strptime(c, f) for f, c in shown.items()]
    for k, want in enumerate(wanted):
        assert got.loc[f"T{k:02d}", "responded_at"] == want
        assert got.loc[f"T{k:02d}", "service_date"].date() == want.date()


def test_times_with_a_zone_in_12_hours_or_as_excel_serials_are_read_as_local_times(
    empty_db, tmp_path, monkeypatch
):
    """A survey tool's UTC time, Excel's Chinese '下午2:05' and a date cell that lost its
    format (a serial number) are the times they mean, in the stores' zone; what none of
    the ways fits is still rejected."""
    want = datetime(2025, 11, 3, 14, 5)
    cells = {
        "Z1": ("2025-11-03T06:05:00Z", want),
        "Z2": ("2025-11-03 14:05:00 +08:00", want),
        "Z3": ("2025-11-03T07:05:00.250+09:00", datetime(2025, 11, 3, 6, 5, 0, 250000)),
        "Z4": ("2025-11-03 06:05 UTC", want),
        "H1": ("2025/11/3 下午2:05", want),
        "H2": ("2025-11-03 2:05:09 pm", datetime(2025, 11, 3, 14, 5, 9)),
        "H3": ("2025年11月3日 上午 9:05", datetime(2025, 11, 3, 9, 5)),
        "H4": ("2025/11/3 12:05 AM", datetime(2025, 11, 3, 0, 5)),
        "H5": ("2025/11/3 2:05PM", want),  # no space before PM, as some tools write
        "Z5": ("2025/11/03 06:05Z", want),
        "Z6": ("2025/11/03T06:05:00Z", want),
        "X1": ("45964.5", datetime(2025, 11, 3, 12)),
        "X2": ("45964", datetime(2025, 11, 3)),
    }
    bad = {"B1": "4596", "B2": "2025-11-03 14:05 PM", "B3": "2025-11-03 25:05 +08:00"}
    body = "".join(f"{k},S1,{c},45963,7\n" for k, (c, _) in cells.items())
    body += "".join(f"{k},S1,{c},,7\n" for k, c in bad.items())
    file = write(tmp_path, "response_id,store_id,responded_at,service_date,nps\n" + body)
    res = ingest.ingest_file(file)
    got = rows(empty_db).set_index("response_id")
    assert {k: got.loc[k, "responded_at"] for k in cells} == {k: w for k, (_, w) in cells.items()}
    assert set(got["service_date"].dt.date) == {date(2025, 11, 2)}  # the serial 45963
    reasons = reasons_by_id(res)
    assert reasons == {k: f"responded_at '{c}' is not a date" + DATE_HINT for k, c in bad.items()}

    # the same UTC time where the stores keep London's time (GMT in November)
    monkeypatch.setenv("CX_TIMEZONE", "Europe/London")
    info = ingest.inspect(
        write(
            tmp_path,
            "response_id,store_id,responded_at,nps\nL1,S1,2025-11-03T06:05:00Z,7\n",
            name="london.csv",
        )
    )
    with ingest._workspace() as con:
        source.parse(con, info)
        read = con.execute(*validate.typed_sql(info)).df()
    assert read["responded_at"].tolist() == [pd.Timestamp(2025, 11, 3, 6, 5)]

    # a name the system knows but DuckDB does not ('localtime') gives the default zone:
    # it had stopped every upload holding a bad date cell
    monkeypatch.setenv("CX_TIMEZONE", "localtime")
    res = ingest.ingest_file(
        write(
            tmp_path,
            "response_id,store_id,responded_at,nps\nT1,S1,garbage,7\nT2,S1,2025-11-03T06:05:00Z,7\n",
            name="local.csv",
        )
    )
    assert (res.added, res.rejected) == (1, 1)
    assert rows(empty_db).set_index("response_id").loc["T2", "responded_at"] == want


def test_a_file_of_12_hour_times_tries_those_first_and_reads_the_same(empty_db, tmp_path):
    """A file whose times no house format reads (12-hour here) had each value tried
    against the fourteen house formats first (4x the time); its sample now puts the other
    ways first, which changes no value."""
    cells = [f"2025/10/{d} {h}:05 {'PM' if d % 2 else 'AM'}" for d in range(1, 29) for h in (1, 12)]
    cells += ["2025-10-15 14:05", "not a time"]  # a house format and nothing, among them
    body = "".join(f"P{k:03d},S1,{c},7\n" for k, c in enumerate(cells))
    info = ingest.inspect(write(tmp_path, "response_id,store_id,responded_at,nps\n" + body))
    with ingest._workspace() as con:
        source.parse(con, info)
        orders = validate.format_order(con, info)
        sniffed = con.execute(*validate.typed_sql(info, orders)).df()
        listed = con.execute(*validate.typed_sql(info)).df()
    assert orders["responded_at"][0] == validate.OTHERS_FIRST
    pd.testing.assert_frame_equal(sniffed, listed)
    assert sniffed["responded_at"].notna().sum() == len(cells) - 1
    assert sniffed.loc[0, "responded_at"] == pd.Timestamp(2025, 10, 1, 13, 5)  # 1:05 PM


def test_a_date_cell_of_an_excel_sheet_that_lost_its_format_is_its_date(empty_db, tmp_path):
    """openpyxl hands a General-formatted date cell over as its serial number."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["response_id", "store_id", "responded_at", "nps"])
    ws.append(["S1", "HZ01", 45964.5, 9])
    ws.append(["S2", "HZ01", datetime(2025, 11, 3, 12), 9])  # a date cell as Excel keeps one
    wb.save(tmp_path / "lost.xlsx")
    res = ingest.ingest_file(tmp_path / "lost.xlsx")
    assert (res.added, res.rejected) == (2, 0)
    assert set(rows(empty_db)["responded_at"]) == {pd.Timestamp(2025, 11, 3, 12)}


def test_nps_values_accepted_and_rejected_with_reasons(empty_db, tmp_path):
    values = {
        "N1": ("9", None),
        "N2": ("9.0", None),
        "N3": ("9分", None),
        "N4": ("11", "nps 11 is outside 0-10"),
        "N5": ("-1", "nps -1 is outside 0-10"),
        "N6": ("8.5", "nps 8.5 is not a whole number"),
        "N7": ("", "nps missing"),
        "N8": ("很好", "nps '很好' is not a number"),
    }
    body = "".join(f"{k},S1,2025-10-01,{v}\n" for k, (v, _) in values.items())
    res = ingest.ingest_file(write(tmp_path, "response_id,store_id,responded_at,nps\n" + body))
    assert sorted(rows(empty_db)["nps"]) == [9, 9, 9]
    got = reasons_by_id(res)
    assert got == {k: why for k, (_, why) in values.items() if why}


def test_required_and_range_checks(empty_db, tmp_path):
    text = (
        "response_id,store_id,responded_at,service_date,nps,csat,ces,tp_waiting,wait_minutes\n"
        "R1,S1,2025-10-15,2025-10-16,9,,,,\n"
        "R2,,2025-10-15,,9,,,,\n"
        "R3,S1,,,9,,,,\n"
        "R4,S1,2025-10-15,,9,6,,,\n"
        "R5,S1,2025-10-15,,9,,0,,\n"
        "R6,S1,2025-10-15,,9,,,10.5,\n"
        "R7,S1,2025-10-15,,9,,,,-5\n"
        "R8,S1,not a date,,9,,,,\n"
        "R9,S1,2025-10-15,2025-10-14,9,4,2,7.5,30\n"
    )
    res = ingest.ingest_file(write(tmp_path, text))
    assert rows(empty_db)["response_id"].tolist() == ["R9"]
    got = reasons_by_id(res)
    assert got == {
        "R1": "service_date 2025-10-16 is after responded_at 2025-10-15",
        "R2": "store_id missing",
        "R3": "responded_at missing",
        "R4": "csat 6 is outside 1-5",
        "R5": "ces 0 is outside 1-7",
        "R6": "tp_waiting 10.5 is outside 0-10",
        "R7": "wait_minutes -5 is outside >= 0",
        "R8": "responded_at 'not a date' is not a date" + DATE_HINT,
    }
    zh = reasons_by_id(res, "reason_zh")
    assert zh["R2"] == "门店编号为空"


def test_a_row_wrong_in_several_columns_names_each_once(empty_db, tmp_path):
    """The analyst fixes an export in one pass: every wrong column of a row is named, each
    by its first problem (nps -1.5 is not whole before it is out of range)."""
    text = (
        "response_id,store_id,responded_at,nps,csat,comment\n"
        "M1,,2025-10-15,-1.5,6,ok\n"
        "M2,S1,2025-10-15,-1.5,,ok\n"
        "M3,S1,2025-10-15,9,3,ok\n"
    )
    res = ingest.ingest_file(write(tmp_path, text))
    assert rows(empty_db)["response_id"].tolist() == ["M3"]
    got = reasons_by_id(res)
    assert got == {
        "M1": "store_id missing; nps -1.5 is not a whole number; csat 6 is outside 1-5",
        "M2": "nps -1.5 is not a whole number",
    }
    zh = reasons_by_id(res, "reason_zh")
    assert zh["M1"] == "门店编号为空；推荐分 -1.5 不是整数；满意度 6 超出 1-5"


def test_enums_in_english_or_chinese_and_booleans(empty_db, tmp_path):
    text = (
        "response_id,store_id,responded_at,nps,key_touchpoint,pain_point,channel,"
        "service_type,first_time_fix\n"
        "E1,S1,2025-10-01,3,维修等待时间,等待时间过长,微信,保养,否\n"
        "E2,S1,2025-10-01,9,repair_quality,,App,repair,yes\n"
        "E3,S1,2025-10-01,9,teleport,,sms,other,1\n"
        "E4,S1,2025-10-01,9,,,,交付,maybe\n"
    )
    res = ingest.ingest_file(write(tmp_path, text))
    got = rows(empty_db).set_index("response_id")
    assert got.loc["E1", ["key_touchpoint", "pain_point", "channel", "service_type"]].tolist() == [
        "waiting",
        "waiting",
        "wechat",
        "maintenance",
    ]
    assert not got.loc["E1", "first_time_fix"]
    assert got.loc["E2", "channel"] == "app" and got.loc["E2", "first_time_fix"]
    assert sorted(r.split(" (one of")[0] for r in res.rejects["reason"]) == [
        "first_time_fix 'maybe' is not a known value",
        "key_touchpoint 'teleport' is not a known value",
    ]


def test_a_touchpoint_by_the_short_name_a_survey_offers_is_read(empty_db, tmp_path):
    """Survey tools offer 接待, 前台, 等待, 交车 … where the app's names are long (到店接待体验):
    such answers had been rejected as unknown values."""
    short = {"预约": "appointment", "接待": "reception", "前台": "reception", "等待": "waiting",
             "顾问": "advisor", "一次修好": "repair_quality", "价格": "price_transparency",
             "交车": "delivery", "问题解决": "resolution"}  # fmt: skip
    body = "".join(f"K{k},S1,2025-10-01,3,{name}\n" for k, name in enumerate(short))
    res = ingest.ingest_file(
        write(tmp_path, "response_id,store_id,responded_at,nps,key_touchpoint\n" + body)
    )
    assert res.rejected == 0
    got = rows(empty_db).set_index("response_id")["key_touchpoint"]
    assert [got[f"K{k}"] for k in range(len(short))] == list(short.values())


def test_blank_lines_totals_row_and_empty_columns_are_ignored(empty_db, tmp_path):
    text = (
        "response_id,store_id,responded_at,nps,empty_col\n"
        "\n"
        "T1,S1,2025-10-01,9,\n"
        ",,,,\n"
        "T2,S1,2025-10-01,3,\n"
        "合计,,,2,\n"
        "平均,,,6.0,\n"
        " Average ,,,6.0,\n"
    )
    res = ingest.ingest_file(write(tmp_path, text))
    assert (res.added, res.rejected, res.ignored) == (2, 0, 4)
    assert res.info.empty_columns == [4]


def test_a_summary_row_as_exports_label_it_is_ignored_and_an_answer_never(empty_db, tmp_path):
    """Exports label their totals "合计：" or "合计(3)": those were rejected as answers
    without a store or a date. And an answer whose id read 合计, every cell filled in,
    was dropped as a totals row, counted among the ignored: a summary row is one that
    fails as an answer."""
    text = (
        "response_id,store_id,responded_at,nps\n"
        "合计,S1,2025-10-01 09:00,9\n"  # an answer, first in the file
        "T1,S1,2025-10-01,3\n"
        "合计：,,,12\n"
        "合计(2),,,6\n"
        "总计（共 2 条）,,,\n"
        ",Total (2 responses):,,6.0\n"
        "平均分:,,,6.0\n"
        "合计：共 2 条,,,\n"
        "合　计,,,\n"  # a full-width space inside
        "合计 2 条,,,\n"
        "合计多,,,6\n"  # not a summary's label: rejected, said
        "合计,S1,2025-10-02 09:00,11\n"  # an answer with a wrong score: rejected, said
        "合计,S1,2025-13-45 10:00,9\n"  # a time of its own, if wrong: rejected, said
        "U21,合计,,9\n"  # an id of its own: an answer, its time missing
    )
    res = ingest.ingest_file(write(tmp_path, text))
    assert (res.added, res.rejected, res.ignored) == (2, 4, 8), res
    reasons = res.rejects["reason"].tolist()
    assert reasons[1] == "nps 11 is outside 0-10" and reasons[3] == "responded_at missing", reasons
    got = rows(empty_db).set_index("response_id")
    assert sorted(got.index) == ["T1", "合计"] and got.loc["合计", "nps"] == 9


def test_values_are_data_never_code(empty_db, tmp_path):
    evil = "x'); DROP TABLE responses;--"
    text = f'response_id,store_id,responded_at,nps,comment\nV1,"{evil}",2025-10-01,9,=1+2\n'
    ingest.ingest_file(write(tmp_path, text))
    got = rows(empty_db)
    assert got["store_id"][0] == evil
    assert got["comment"][0] == "=1+2"
    out = export.to_csv_bytes(got[["store_id", "comment"]]).decode("utf-8-sig")
    assert "'=1+2" in out and "\n=1+2" not in out


def test_text_is_stored_trimmed_so_a_customer_written_with_spaces_is_one_customer(
    empty_db, tmp_path
):
    """Text cells are stored trimmed and a blank one as missing; the gaming review's
    repeat count keys customers on the stored values (``cx.queries.signals``)."""
    from cx.queries import signals as qs

    text = (
        "response_id,store_id,responded_at,nps,advisor,phone,customer_id\n"
        "W1,S1,2025-10-01,9, 王 ,13800001111 ,\n"
        "W2,S1,2025-10-02,9,王,  13800001111,C7\n"
        "W3,S1,2025-10-03,9,王,   , C9 \n"
        "W4,S1,2025-10-04,9,王,,C9\n"
        "W5,S1,2025-10-05,9,王,  ,\n"
    )
    ingest.ingest_file(write(tmp_path, text))
    got = rows(empty_db).set_index("response_id")
    assert got["phone"].tolist()[:2] == ["13800001111"] * 2
    assert got["phone"][2:].isna().all() and pd.isna(got.loc["W1", "customer_id"])
    assert got["customer_id"]["W3":].tolist()[:2] == ["C9", "C9"]
    assert set(got["advisor"]) == {"王"}
    with db.connect(empty_db) as con:
        counts = qs.advisor_counts(con, date(2025, 10, 1), date(2025, 10, 5))
    # four answers with a phone or an id; the phone and C9 each come back once
    assert counts[["advisor", "key_n", "rep"]].values.tolist() == [["王", 4, 2]]


# ----------------------------------------------------------------------------- upserts


def test_repeated_id_in_one_file_last_wins(empty_db, tmp_path):
    text = (
        "response_id,store_id,responded_at,nps\n"
        "D1,S1,2025-10-01,2\nD1,S1,2025-10-01,5\nD1,S1,2025-10-01,9\nD2,S1,2025-10-01,7\n"
    )
    res = ingest.ingest_file(write(tmp_path, text))
    assert (res.added, res.collapsed) == (2, 2)
    assert rows(empty_db).set_index("response_id").loc["D1", "nps"] == 9
    assert "collapsed 2" in res.summary()


def test_a_repeated_id_whose_last_row_is_rejected_keeps_its_valid_row_and_says_so(
    empty_db, tmp_path
):
    """DUP-1 on line 2 (nps 9) and line 3 (nps 11): line 2 is written, line 3 rejected,
    which nothing said (a reader took the rejected last row for the correction that
    wins). The rejected row with the id of a written one is said, with what to do."""
    text = (
        "response_id,store_id,responded_at,nps\n"
        "DUP-1,S1,2025-10-01 10:00,9\nDUP-1,S1,2025-10-01 10:00,11\nD2,S1,2025-10-01,12\n"
    )
    res = ingest.ingest_file(write(tmp_path, text), dry_run=True)
    assert (res.added, res.rejected, res.collapsed, res.repeats_rejected) == (1, 2, 0, 1)
    assert res.preview["nps"].tolist() == [9]
    assert ("info", "ingest.note.repeats_rejected", {"n": 1}) in res.notes("en")
    said = i18n.t("ingest.note.repeats_rejected", "en", n=1)
    assert "The row that passes the checks is the one written" in said


def test_the_same_file_mapped_otherwise_is_read_again(empty_db, tmp_path):
    """A column the headers did not name (QQ7), uploaded unmapped, then again with it
    mapped by hand to csat: the second was refused as 'identical to upload #1' and csat
    stayed empty (the README walk). The same bytes through another mapping are read
    again; through the same one they are the same file."""
    path = write(
        tmp_path, "response_id,store_id,responded_at,nps,QQ7\nQ1,S1,2025-10-01 09:00,9,5\n"
    )
    first = ingest.ingest_file(path)
    assert ingest.ingest_file(path).duplicate_of == first.upload_id
    by_hand = {0: "response_id", 1: "store_id", 2: "responded_at", 3: "nps", 4: "csat"}
    second = ingest.ingest_file(path, mapping=by_hand)
    assert second.duplicate_of is None and (second.added, second.replaced) == (0, 1)
    assert rows(empty_db).set_index("response_id").loc["Q1", "csat"] == 5
    assert ingest.ingest_file(path, mapping=by_hand).duplicate_of == second.upload_id


def test_a_file_whose_rows_were_rejected_is_read_again_under_todays_rules(
    empty_db, tmp_path, monkeypatch
):
    """A row dated too far ahead is rejected; the same bytes through the same mapping
    stayed 'identical to upload #1' after CX_DATE_AHEAD_DAYS was raised (or a day later),
    so the row went in only after an undo. An upload that rejected rows is read again:
    under the same rules nothing is written, under the new ones the row is added."""
    ahead = (datetime.now() + timedelta(days=3)).strftime("%Y-%m-%d 09:00")
    path = write(
        tmp_path,
        f"response_id,store_id,responded_at,nps\nN1,S1,2025-10-01 09:00,9\nF1,S1,{ahead},7\n",
    )
    first = ingest.ingest_file(path)
    assert (first.added, first.rejected) == (1, 1)
    v = version(empty_db)
    again = ingest.ingest_file(path)
    assert again.duplicate_of is None and again.same_as == first.upload_id
    assert not again.committed and (again.added, again.unchanged, again.rejected) == (0, 1, 1)
    assert version(empty_db) == v
    monkeypatch.setenv("CX_DATE_AHEAD_DAYS", "5")
    later = ingest.ingest_file(path)
    assert later.committed and (later.added, later.unchanged, later.rejected) == (1, 1, 0)
    assert sorted(rows(empty_db)["response_id"]) == ["F1", "N1"]
    # read without a reject, it is the same file from now on
    assert ingest.ingest_file(path).duplicate_of == later.upload_id


def test_same_file_twice_changes_nothing(empty_db, tmp_path):
    path = write(tmp_path, csv_text())
    first = ingest.ingest_file(path)
    v = version(empty_db)
    again = ingest.ingest_file(path)
    assert again.duplicate_of == first.upload_id
    assert version(empty_db) == v
    assert len(rows(empty_db)) == 3
    # the same rows under another file name are recognised as unchanged
    other = ingest.ingest_file(write(tmp_path, csv_text(newline="\r\n"), name="copy.csv"))
    assert (other.added, other.replaced, other.unchanged) == (0, 0, 3)
    assert version(empty_db) == v


@pytest.mark.parametrize("rebuild_from", [commit.REBUILD_FROM, 1])
def test_replace_then_undo_restores_exactly(empty_db, tmp_path, monkeypatch, rebuild_from):
    """Both ways rows leave the keyed table: deleted, or (many of them) the table rebuilt
    without them (forced here with a threshold of one row)."""
    monkeypatch.setattr(commit, "REBUILD_FROM", rebuild_from)
    first = ingest.ingest_file(write(tmp_path, csv_text(), name="a.csv"))
    before = rows(empty_db)
    before_stores = rows(empty_db, "SELECT * FROM stores ORDER BY store_id")
    changed = [
        "A1,S1,一号店（新）,华东,2025-10-01 09:00,4,改了,wechat",
        "A9,S3,三号店,西北,2025-10-03 09:00,9,新的,sms",
    ]
    second = ingest.ingest_file(write(tmp_path, csv_text(rows=changed), name="b.csv"))
    assert (second.added, second.replaced) == (1, 1)
    assert rows(empty_db).set_index("response_id").loc["A1", "nps"] == 4
    with db.connect(empty_db) as con:
        with pytest.raises(duckdb.ConstraintException):  # still the table's key
            con.execute("INSERT INTO responses (response_id, store_id) VALUES ('A1', 'S1')")
        with pytest.raises(ingest.UndoRefused, match=f"undo #{second.upload_id} first"):
            ingest.undo(con, first.upload_id)
        ingest.undo(con, second.upload_id)
    after = rows(empty_db)
    pd.testing.assert_frame_equal(after, before)
    pd.testing.assert_frame_equal(
        rows(empty_db, "SELECT * FROM stores ORDER BY store_id"), before_stores
    )
    with db.connect(empty_db) as con:
        with pytest.raises(ingest.UndoRefused, match="already undone"):
            ingest.undo(con, second.upload_id)
        with pytest.raises(ingest.UndoRefused, match="no upload"):
            ingest.undo(con, 999)


def test_an_upload_that_a_later_one_delivered_again_is_not_undone_under_it(empty_db, tmp_path):
    """#1 adds A1 and A2; #2 (a colleague's re-save) has A1 unchanged and a new A3.
    Undoing #1 would take A1 from #2, which is still in effect, and #2's file given again
    would then be 'identical, nothing to do' with A1 gone: it is refused, both languages,
    nothing changes. Undone in order (#2, then #1), every row goes."""
    first = ingest.ingest_file(write(tmp_path, csv_text(rows=ROWS[:2]), name="a.csv"))
    kept = [ROWS[0], "A3,S3,三号店,西北,2025-10-03 09:00,9,新的,sms"]
    second = ingest.ingest_file(write(tmp_path, csv_text(rows=kept), name="b.csv"))
    assert (first.added, second.added, second.unchanged) == (2, 1, 1)
    before = rows(empty_db)
    with db.connect(empty_db) as con:
        with pytest.raises(ingest.UndoRefused) as refused:
            ingest.undo(con, first.upload_id)
    assert str(refused.value) == (
        f"Upload #{second.upload_id}, still in effect, holds 1 row of upload #{first.upload_id}"
        f" (it delivered them again unchanged); undo #{second.upload_id} first, or they would"
        " go with this undo."
    )
    assert f"请先撤销 #{second.upload_id}" in refused.value.message_zh
    pd.testing.assert_frame_equal(rows(empty_db), before)
    with db.connect(empty_db) as con:
        ingest.undo(con, second.upload_id)
        ingest.undo(con, first.upload_id)
    assert rows(empty_db).empty


def test_a_comment_longer_than_the_readers_line_is_loaded_whole(empty_db, tmp_path):
    """A 7 MB comment (a pasted chat log) is over DuckDB's 2 MB line: it was refused
    as 'opens a quote that never closes'. It loads whole, with the rows around it."""
    long = "等了很久" * 600_000
    text = csv_text(rows=[ROWS[0], f'A2,S1,一号店,华东,2025-10-01 10:00,8,"{long}",sms', ROWS[2]])
    res = ingest.ingest_file(write(tmp_path, text, name="long.csv"))
    assert (res.added, res.rejected) == (3, 0)
    kept = rows(empty_db, "SELECT response_id, comment FROM responses ORDER BY response_id")
    assert kept["comment"].tolist()[1] == long


def test_full_width_digits_from_a_chinese_input_method_are_numbers(empty_db, tmp_path):
    """'１０' and '９分' (full-width, as a Chinese input method types them) were rejected
    as 'not a number'; '十' stays a reject, as the contract says."""
    text = csv_text(
        rows=[
            "W1,S1,一号店,华东,2025-10-01 09:00,１０,好,sms",
            "W2,S1,一号店,华东,2025-10-01 10:00,９分,好,sms",
            "W3,S1,一号店,华东,2025-10-01 11:00,十,好,sms",
        ]
    )
    res = ingest.ingest_file(write(tmp_path, text, name="wide.csv"))
    assert (res.added, res.rejected) == (2, 1)
    got = rows(empty_db, "SELECT response_id, nps FROM responses ORDER BY response_id")
    assert got.values.tolist() == [["W1", 10], ["W2", 9]]
    assert res.rejects["reason"].tolist() == ["nps '十' is not a number"]


def test_full_width_durations_and_yes_no_are_read(empty_db, tmp_path):
    """The contract's full-width digits held for scores but not for the time an answer
    took ('１２０', '１２０秒', '２：３０' read "not a time in seconds") nor for a
    first-time fix typed '１' ("not a known value")."""
    text = (
        "response_id,store_id,responded_at,nps,duration_seconds,first_time_fix\n"
        "F1,S1,2025-10-01 09:00,9,１２０,１\n"
        "F2,S1,2025-10-01 10:00,9,９５秒,０\n"
        "F3,S1,2025-10-01 11:00,9,２：３０,1\n"
        "F4,S1,2025-10-01 12:00,9,两分钟,是\n"
    )
    res = ingest.ingest_file(write(tmp_path, text, name="wide.csv"))
    assert (res.added, res.rejected) == (3, 1)
    got = rows(empty_db, "SELECT response_id, duration_seconds, first_time_fix FROM responses")
    assert sorted(got.values.tolist()) == [["F1", 120, True], ["F2", 95, False], ["F3", 150, True]]
    assert res.rejects["reason"].tolist() == [
        "duration_seconds '两分钟' is not a time in seconds (120, 120秒, 2分0秒, 0:02:00)"
    ]


def test_a_two_digit_year_is_not_a_date_and_no_century_is_guessed(empty_db, tmp_path):
    """'3/12/26' was read as the year 3 and rejected as "0003-12-26 is before 2000-01-01",
    a year the analyst never wrote; it is not a date, said with how to write one, as
    '12/03/2026' is (a service date too)."""
    body = (
        "response_id,store_id,responded_at,service_date,nps\n"
        "Y1,S1,3/12/26,,9\n"
        "Y2,S1,12/03/2026,,9\n"
        "Y3,S1,25-10-30 14:03,,9\n"
        "Y4,S1,2025-10-30 14:03,25/10/29,9\n"
        "Y5,S1,2025-10-30 14:03,2025/10/29,9\n"
    )
    res = ingest.ingest_file(write(tmp_path, body), dry_run=True)
    assert reasons_by_id(res) == {
        "Y1": "responded_at '3/12/26' is not a date" + DATE_HINT,
        "Y2": "responded_at '12/03/2026' is not a date" + DATE_HINT,
        "Y3": "responded_at '25-10-30 14:03' is not a date" + DATE_HINT,
        "Y4": "service_date '25/10/29' is not a date" + DATE_HINT,
    }
    assert reasons_by_id(res, "reason_zh")["Y1"] == "提交时间“3/12/26”不是日期" + DATE_HINT_ZH
    assert res.added == 1
    assert rows(empty_db, "SELECT count(*) AS n FROM responses")["n"][0] == 0  # dry run


def test_full_width_digits_in_a_date_are_read_as_the_same_date(empty_db, tmp_path):
    """A date typed with a Chinese input method's full-width digits ('２０２５/１０/３０',
    '２０２５年１０月３０日', '２０２５－１０－３０　１４：０３') was rejected as not a date,
    where its score in the same characters was read; the other rows keep their format."""
    text = csv_text(
        rows=[
            "D1,S1,一号店,华东,2025-10-01 09:00,9,好,sms",
            "D2,S1,一号店,华东,２０２５/１０/３０,8,好,sms",
            "D3,S1,一号店,华东,２０２５年１０月３０日,7,好,sms",
            "D4,S1,一号店,华东,２０２５－１０－３０　１４：０３,6,好,sms",
            "D5,S1,一号店,华东,２０２５/１３/３０,6,好,sms",
        ]
    )
    res = ingest.ingest_file(write(tmp_path, text, name="wide_dates.csv"))
    assert (res.added, res.rejected) == (4, 1)
    got = rows(empty_db, "SELECT response_id, responded_at FROM responses ORDER BY 1")
    assert [str(x) for x in got["responded_at"]] == [
        "2025-10-01 09:00:00",
        "2025-10-30 00:00:00",
        "2025-10-30 00:00:00",
        "2025-10-30 14:03:00",
    ]
    assert res.rejects["reason"].str.contains("not a date").tolist() == [True]


def test_header_rows_again_are_ignored_not_rejected(empty_db, tmp_path):
    """Qualtrics puts the questions' texts and a row of {"ImportId": …} under its header;
    exports pasted together repeat the header. Those rows are ignored like a totals row
    (they were rejected as answers: 'nps 'How likely…' is not a number')."""
    text = (
        "ResponseId,StoreCode,RecordedDate,NPS\n"
        'Response ID,Store,Recorded Date,"How likely are you to recommend us?"\n'
        '"{""ImportId"":""_recordId""}","{""ImportId"":""QID2""}",'
        '"{""ImportId"":""recordedDate""}","{""ImportId"":""QID1""}"\n'
        "R1,S1,2025-10-01 09:00,9\n"
        "ResponseId,StoreCode,RecordedDate,NPS\n"
        "R2,S1,2025-10-01 10:00,3\n"
    )
    res = ingest.ingest_file(write(tmp_path, text, name="qualtrics.csv"))
    assert (res.rows_read, res.added, res.ignored, res.rejected) == (2, 2, 3, 0)
    assert rows(empty_db, "SELECT response_id FROM responses ORDER BY 1")[
        "response_id"
    ].tolist() == [
        "R1",
        "R2",
    ]


def test_a_mapped_headers_row_again_is_ignored_its_text_bound_not_written_into_sql(
    empty_db, tmp_path
):
    """The id column mapped on the Upload page under a header of the file's own (here with
    a quote and a comment's dashes): its header row, pasted again, is ignored as the
    known headers are; the header is a bound value of the check, never SQL."""
    header = "单号'); --"
    text = (
        f"{header},门店编号,提交时间,推荐分\n"
        "A1,HZ01,2025-10-01 10:00,9\n"
        f"{header},门店编号,提交时间,推荐分\n"
        "A2,HZ01,2025-10-01 11:00,3\n"
    )
    mapping = {0: "response_id", 1: "store_id", 2: "responded_at", 3: "nps"}
    res = ingest.ingest_file(write(tmp_path, text, name="mapped.csv"), mapping=mapping)
    assert (res.rows_read, res.added, res.ignored, res.rejected) == (2, 2, 1, 0)
    got = rows(empty_db, "SELECT response_id FROM responses ORDER BY 1")
    assert got["response_id"].tolist() == ["A1", "A2"]


def test_rollups_follow_ingest_and_undo(empty_db, tmp_path):
    def check():
        got = rows(empty_db, "SELECT store_id, day, n, d, pa, p FROM daily_rollup ORDER BY 1, 2")
        want = rows(
            empty_db,
            "SELECT store_id, CAST(responded_at AS DATE) AS day, count(*) AS n,"
            " count(*) FILTER (nps <= 6) AS d, count(*) FILTER (nps BETWEEN 7 AND 8) AS pa,"
            " count(*) FILTER (nps >= 9) AS p FROM responses GROUP BY ALL ORDER BY 1, 2",
        )
        pd.testing.assert_frame_equal(got, want, check_dtype=False)

    ingest.ingest_file(write(tmp_path, csv_text(), name="a.csv"))
    check()
    moved = ["A3,S1,一号店,华东,2025-10-05 11:00,10,改到别的日子,app"]
    res = ingest.ingest_file(write(tmp_path, csv_text(rows=moved), name="b.csv"))
    check()
    with db.connect(empty_db) as con:
        ingest.undo(con, res.upload_id)
    check()


def test_dry_run_writes_nothing(empty_db, tmp_path):
    v = version(empty_db)
    res = ingest.ingest_file(write(tmp_path, csv_text()), dry_run=True)
    assert res.added == 3 and not res.committed
    assert version(empty_db) == v and rows(empty_db).empty


def test_a_dry_run_against_no_database_creates_no_file(tmp_path, monkeypatch):
    """``ingest --dry-run`` with CX_DB naming a file not made yet ('write nothing') had
    created an empty database there; it counts against an empty one of its own, leaves
    none behind, and a real run then makes the file."""
    target = tmp_path / "new" / "cx.duckdb"
    target.parent.mkdir()
    monkeypatch.setenv("CX_DB", str(target))
    res = ingest.ingest_file(write(tmp_path, csv_text()), dry_run=True)
    assert (res.added, res.replaced, res.committed) == (3, 0, False)
    assert list(target.parent.iterdir()) == []
    assert not list(ingest.temp_folder().glob("dry-*"))
    assert ingest.ingest_file(write(tmp_path, csv_text(), "again.csv")).added == 3
    assert target.exists()


def test_saved_mapping_is_reused_for_the_same_header(empty_db, tmp_path):
    header = "id,shop,when,q7"
    path = write(tmp_path, f"{header}\nM1,S1,2025-10-01,8\n")
    manual = {0: "response_id", 1: "store_id", 2: "responded_at", 3: "nps"}
    with db.connect(empty_db) as con:
        info = ingest.inspect(path, con=con)
        assert "nps" in info.mapping.missing_required
        info.mapping = ingest.map_headers(info.headers, manual)
        ingest.save_mapping(con, info)
        again = ingest.inspect(write(tmp_path, f"{header}\nM2,S1,2025-10-02,9\n", "n.csv"), con=con)
    assert again.saved_mapping_used
    assert again.mapping.columns == manual
    res = ingest.ingest_file(tmp_path / "n.csv")
    assert res.added == 1


def _everything(path: Path) -> tuple:
    """Every table's row count, the data version and the table list: what a write changes."""
    with db.connect(path) as con:
        tables = [r[0] for r in con.execute("SELECT table_name FROM duckdb_tables()").fetchall()]
        counts = {t: con.execute(f'SELECT count(*) FROM "{t}"').fetchall()[0][0] for t in tables}
    return sorted(tables), counts, version(path)


CRAFTED = [
    {0: "response_id", 1: "store_id", 4: "responded_at", 5: "nps) ; DROP TABLE responses; --"},
    {0: "response_id", 1: "store_id", 4: "responded_at", 5: "nps", 6: 'comment" ; --'},
    {0: "response_id", 1: "store_id", 4: "responded_at", "5) ; DROP TABLE responses; --": "nps"},
    {0: "response_id", 1: "store_id", 4: "responded_at", 5: "nps", 99: "comment"},
]


@pytest.mark.parametrize("mapping", CRAFTED)
def test_a_mapping_naming_no_canonical_column_is_refused_and_changes_nothing(
    empty_db, tmp_path, mapping
):
    ingest.ingest_file(write(tmp_path, csv_text(), "first.csv"))  # something to lose
    before = _everything(empty_db)
    with pytest.raises(ingest.UnusableFile) as err:
        ingest.ingest_file(write(tmp_path, csv_text(ROWS[:1])), mapping=mapping)
    assert "nothing was changed" in str(err.value) and "\n" not in str(err.value)
    assert "没有做任何更改" in err.value.message_zh
    assert _everything(empty_db) == before
    assert len(rows(empty_db)) == 3


def test_a_tampered_saved_mapping_is_refused_and_changes_nothing(empty_db, tmp_path):
    path = write(tmp_path, csv_text())
    pairs = [[h, h] for h in HEADER.split(",")]
    pairs[5][1] = "nps) ; DROP TABLE responses; --"
    with db.connect(empty_db) as con:
        sig = ingest.inspect(path).signature
        con.execute(
            "INSERT INTO column_mappings VALUES (?, ?, ?)",
            [sig, json.dumps(pairs), datetime(2025, 10, 1)],
        )
    before = _everything(empty_db)
    with pytest.raises(ingest.UnusableFile, match="not in the data contract"):
        ingest.ingest_file(path)
    assert _everything(empty_db) == before


def test_a_hand_built_mapping_is_checked_where_the_sql_is_built(empty_db, tmp_path):
    before = _everything(empty_db)
    info = ingest.inspect(write(tmp_path, csv_text()))
    info.mapping.columns[5] = "nps) ; DROP TABLE responses; --"
    info.mapping.columns[7] = "nps"  # required columns still all there
    with pytest.raises(ingest.UnusableFile, match="not in the data contract"):
        ingest.ingest_file(None, info=info)
    info.cleanup()
    assert _everything(empty_db) == before


def test_xlsx_first_sheet(empty_db, tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["问卷编号", "门店代码", "提交时间", "推荐分", "原因"])
    ws.append(["X1", "S1", datetime(2025, 10, 15, 9, 30), 10, "好"])
    ws.append([None, None, None, None, None])
    ws.append(["X2", "S1", "2025/10/16", 12, "超范围"])
    ws.append(["X3", "S2", "2025年10月17日", 6.0, "多行\n评论"])
    wb.create_sheet("ignored").append(["nothing", "here"])
    path = tmp_path / "export.xlsx"
    wb.save(path)
    res = ingest.ingest_file(path)
    assert res.info.kind == "xlsx"
    assert (res.added, res.rejected) == (2, 1)
    assert res.rejects["line_no"].tolist() == [4]  # the sheet's row number
    got = rows(empty_db).set_index("response_id")
    assert got.loc["X1", "responded_at"] == pd.Timestamp("2025-10-15 09:30")
    assert got.loc["X3", "comment"] == "多行\n评论"


def test_missing_database_is_created_empty(tmp_path):
    path = tmp_path / "new" / "cx.duckdb"
    res = ingest.ingest_file(write(tmp_path, csv_text()), db_path=path)
    assert res.added == 3
    assert len(rows(path)) == 3


def test_gb18030_bytes_after_a_plain_ascii_start_are_still_read(empty_db, tmp_path):
    """Encoding is guessed from the first megabyte; DuckDB's reader catches the rest."""
    head = "response_id,store_id,responded_at,nps,comment\n"
    plain = "".join(f"P{i:06d},S1,2025-10-01,9,fine thanks {i:010d}\n" for i in range(30_000))
    late = "Z1,S1,2025-10-02,3,等了三个小时\n"
    path = tmp_path / "late.csv"
    path.write_bytes((head + plain).encode("ascii") + late.encode("gb18030"))
    assert path.stat().st_size > 1 << 20
    res = ingest.ingest_file(path)
    assert res.info.encoding == "gb18030"
    assert (res.added, res.rejected) == (30_001, 0)
    got = rows(empty_db, "SELECT comment FROM responses WHERE response_id = 'Z1'")
    assert got["comment"][0] == "等了三个小时"


def test_every_kind_of_reason_reads_in_english_and_chinese(empty_db, tmp_path):
    """One row per rule of the validation table; each failing column's first failing rule
    names a reason, a Chinese one the column's Chinese name, an unknown value the values
    accepted."""
    header = (
        "response_id,store_id,responded_at,service_date,nps,csat,wait_minutes,"
        "duration_seconds,key_touchpoint,first_time_fix,csi_advisor,ces"
    )
    cases = {
        "Z1,,2025-10-01,,9": ("store_id missing", "门店编号为空"),
        "Z2,S1,2025-10-01,,很好": ("nps '很好' is not a number", "推荐分“很好”不是数字"),
        "Z3,S1,2025-10-01,,8.5": ("nps 8.5 is not a whole number", "推荐分 8.5 不是整数"),
        "Z4,S1,2025-10-01,,11": ("nps 11 is outside 0-10", "推荐分 11 超出 0-10"),
        "Z5,S1,,,9": ("responded_at missing", "提交时间为空"),
        "Z6,S1,x,,9": (
            "responded_at 'x' is not a date" + DATE_HINT,
            "提交时间“x”不是日期" + DATE_HINT_ZH,
        ),
        "Z7,S1,2025-10-15,2025-10-16,9": (
            "service_date 2025-10-16 is after responded_at 2025-10-15",
            "服务日期 2025-10-16 晚于提交时间 2025-10-15",
        ),
        "Z8,S1,2025-10-15,1999-01-01,9": (
            "service_date 1999-01-01 is before 2000-01-01, the earliest date accepted",
            "服务日期 1999-01-01 早于可接受的最早日期 2000-01-01",
        ),
        "Z9,S1,2025-10-15,soon,9": (
            "service_date 'soon' is not a date" + DATE_HINT,
            "服务日期“soon”不是日期" + DATE_HINT_ZH,
        ),
        "Z10,S1,2025-10-15,,9,6": ("csat 6 is outside 1-5", "满意度 6 超出 1-5"),
        "Z11,S1,2025-10-15,,9,4.5": ("csat 4.5 is not a whole number", "满意度 4.5 不是整数"),
        "Z12,S1,2025-10-15,,9,x": ("csat 'x' is not a number", "满意度“x”不是数字"),
        "Z13,S1,2025-10-15,,9,,-5": (
            "wait_minutes -5 is outside >= 0",
            "等待时长 -5 超出 >= 0",
        ),
        "Z14,S1,2025-10-15,,9,,,很快": (
            "duration_seconds '很快' is not a time in seconds (120, 120秒, 2分0秒, 0:02:00)",
            "答题时长“很快”不是以秒计的时间（120、120秒、2分0秒、0:02:00）",
        ),
        "Z15,S1,2025-10-15,,9,,,99999999999": (
            "duration_seconds 99999999999 is too large",
            "答题时长 99999999999 过大",
        ),
        "Z16,S1,2025-10-15,,9,,,,teleport": (
            "key_touchpoint 'teleport' is not a known value (one of: appointment, reception,"
            " waiting, advisor, repair_quality, price_transparency, delivery, resolution, other)",
            "关键触点“teleport”不是可识别的取值（可用：预约便捷性、到店接待体验、维修等待时间、"
            "服务顾问沟通、维修质量/一次修好、费用透明度、交车流程、问题解决彻底性、其他）",
        ),
        "Z17,S1,2025-10-15,,9,,,,,maybe": (
            "first_time_fix 'maybe' is not a known value (one of: yes, no, 1, 0)",
            "一次修复“maybe”不是可识别的取值（可用：是、否、1、0）",
        ),
        "Z18,S1,2025-10-15,,9,,,,,,0,0": (  # two columns wrong: both named, in the rules' order
            "csi_advisor 0 is outside 1-10; ces 0 is outside 1-7",
            "CSI顾问 0 超出 1-10；费力度 0 超出 1-7",
        ),
    }
    text = header + "\n" + "".join(row + "," * (11 - row.count(",")) + "\n" for row in cases)
    text += "Z19,S1,2025-10-15,,9,5,0,2分30秒,预约便捷性,是,10,1\n"
    res = ingest.ingest_file(write(tmp_path, text))
    assert (res.added, res.rejected) == (1, len(cases))
    got = {
        raw.rstrip(","): (en, zh)
        for raw, en, zh in res.rejects[["raw_line", "reason", "reason_zh"]].itertuples(index=False)
    }
    assert got == cases
    row = rows(empty_db).iloc[0]
    assert (row["response_id"], row["duration_seconds"], row["key_touchpoint"]) == (
        "Z19",
        150,
        "appointment",
    )
    assert bool(row["first_time_fix"]) and row["csat"] == 5 and row["wait_minutes"] == 0


def test_the_benchs_next_period_export_adds_the_latest_answers_after_the_last_day(
    demo_db, tmp_path
):
    """``python -m cx bench`` times the upload of the next period: the latest answers
    moved past the last day, new ids. Every row must be added, none refused, all after
    the last stored answer, with the latest answers' scores and stores."""
    from cx import bench

    export_path = tmp_path / "later.csv"
    latest = "SELECT store_id, nps FROM responses ORDER BY responded_at DESC, response_id LIMIT 500"
    with db.connect(demo_db) as con:
        last = queries.scalar(con, "SELECT max(responded_at) FROM responses")
        want = queries.df(con, latest).sort_values(["store_id", "nps"], ignore_index=True)
        bench.make_later_export(con, export_path, 500)
    res = ingest.ingest_file(export_path, db_path=demo_db)
    assert (res.added, res.replaced, res.rejected) == (500, 0, 0)
    with db.connect(demo_db) as con:
        got = queries.df(
            con,
            "SELECT store_id, nps, responded_at, service_date FROM responses WHERE upload_id = ?",
            [res.upload_id],
        )
    assert got["responded_at"].min() > last
    serviced = got.dropna(subset=["service_date"])
    assert len(serviced) and (serviced["service_date"] <= serviced["responded_at"]).all()
    have = got[["store_id", "nps"]].sort_values(["store_id", "nps"], ignore_index=True)
    pd.testing.assert_frame_equal(have, want, check_dtype=False)


def test_a_name_a_person_typed_becomes_a_safe_part_of_a_file_name():
    """A scenario named '十月计划: 杭州/HZ01 <final>?' went into its download's name as
    typed (the browser cleaned it); a path in a name must not climb out of a folder."""
    assert export.file_stem("十月计划: 杭州/HZ01 <final>?") == "十月计划_杭州_HZ01_final"
    assert export.file_stem("../../etc/passwd") == "etc_passwd"
    assert export.file_stem("", "plan") == export.file_stem(None, "plan") == "plan"
    assert export.file_stem("问卷导出-10月_v2") == "问卷导出-10月_v2"  # kept as it is
    assert len(export.file_stem("长" * 100)) == 60


def test_a_re_export_with_fewer_columns_keeps_the_others_and_says_what_it_left(empty_db, tmp_path):
    """A re-export of the same answers with fewer columns had emptied every column it
    lacks on the 161 answers it replaced (wait times, ratings, pain points) under
    'replaced 161', the one real change among them; a corrected day without one of its
    answers left that answer counted; new store codes named as existing stores (HZ001
    for HZ01) made new stores. Each is kept or said."""
    full = write(
        tmp_path,
        "response_id,store_id,store_name,responded_at,nps,channel,wait_minutes,csat\n"
        "A1,S1,一号店,2025-10-01 09:00,10,wechat,30,5\n"
        "A2,S1,一号店,2025-10-01 10:00,8,sms,45,4\n"
        "A3,S1,一号店,2025-10-01 11:00,3,app,180,1\n",
        "full.csv",
    )
    ingest.ingest_file(full, db_path=empty_db)
    short = write(  # no wait_minutes, csat or channel; A2's score corrected; A3 left out
        tmp_path,
        "response_id,store_id,responded_at,nps\n"
        "A1,S1,2025-10-01 09:00,10\nA2,S1,2025-10-01 10:00,9\n",
        "short.csv",
    )
    res = ingest.ingest_file(short, db_path=empty_db, dry_run=True)
    assert (res.added, res.replaced, res.unchanged) == (0, 1, 1)  # A1 as it was
    assert res.kept_rows == 2 and set(res.kept_columns) == {"channel", "wait_minutes", "csat"}
    assert res.left_out == 1  # A3, same store and day
    keys = [(level, k) for level, k, _ in res.notes("en")]
    assert keys == [("info", "ingest.note.kept"), ("info", "ingest.note.left_out")]
    res = ingest.ingest_file(short, db_path=empty_db)
    got = rows(empty_db, "SELECT response_id, nps, channel, wait_minutes, csat FROM responses"
               " ORDER BY 1")  # fmt: skip
    assert got.values.tolist() == [
        ["A1", 10, "wechat", 30.0, 5],
        ["A2", 9, "sms", 45.0, 4],
        ["A3", 3, "app", 180.0, 1],
    ]
    # an empty cell in a column the file has still empties it
    blank = write(
        tmp_path,
        "response_id,store_id,responded_at,nps,csat\nA1,S1,2025-10-01 09:00,10,\n",
        "blank.csv",
    )
    ingest.ingest_file(blank, db_path=empty_db)
    with db.connect(empty_db) as con:
        assert con.execute(
            "SELECT csat, wait_minutes FROM responses WHERE response_id = 'A1'"
        ).fetchall() == [(None, 30.0)]
    # store codes new to the data, one named as an existing store
    typo = write(
        tmp_path,
        "response_id,store_id,store_name,responded_at,nps\n"
        "B1,S001,一号店,2025-10-02 09:00,9\nB2,S9,九号店,2025-10-02 09:00,9\n",
        "typo.csv",
    )
    res = ingest.ingest_file(typo, db_path=empty_db, dry_run=True)
    assert res.new_stores == ("S001", "S9") and res.named_like == (("S001", "S1"),)
    # the same code in another case is said too, and every store of the same name
    case = write(
        tmp_path, "response_id,store_id,responded_at,nps\nC1,s1,2025-10-02,9\n", "case.csv"
    )
    assert ingest.ingest_file(case, db_path=empty_db, dry_run=True).named_like == (("s1", "S1"),)
    assert res.left_out == 0 and not res.kept_columns  # nothing replaced, new days
    [(level, key, said)] = res.notes("en")
    assert (level, key) == ("warning", "ingest.note.new_stores")
    from cx.i18n import t

    assert t("ingest.note.new_stores", "en", **said) == (
        "Stores new to the data: S001 (looks like S1: the same name, or the same code in"
        " another case), S9. Are the store codes right?"
    )
    # a phone or a plate in the store column (an export mapped wrong) is named masked,
    # as a phone is wherever it is shown (it was printed whole here and by `ingest`)
    wrong = write(
        tmp_path,
        "response_id,store_id,responded_at,nps\nD1,13912345678,2025-10-02,9\n"
        "D2,浙A12345,2025-10-02,9\n",
        "wrong.csv",
    )
    [(_, _, said)] = ingest.ingest_file(wrong, db_path=empty_db, dry_run=True).notes("en")
    assert said["stores"] == "139****5678, 浙A1**45", said


def test_columns_that_feed_nothing_are_named_five_and_counted_beyond(empty_db, tmp_path):
    """The Upload page names the columns of values it does not import: the first five,
    then how many more, as moved stores are named; an empty column is not one of them."""
    extra = [f"Q{i}" for i in range(7)]
    head = "response_id,store_id,responded_at,nps," + ",".join(extra) + ",blank\n"
    path = write(tmp_path, head + "U1,S1,2025-10-01,9," + ",".join("1" * 7) + ",\n")
    res = ingest.ingest_file(path, dry_run=True)
    assert res.unmatched() == extra
    assert res.unmatched_named("en") == "Q0, Q1, Q2, Q3, Q4 and 2 more columns"
    assert res.unmatched_named("zh") == "Q0、Q1、Q2、Q3、Q4及另外 2 列"


def test_a_commit_of_a_preview_older_than_the_data_writes_nothing(empty_db, tmp_path):
    """``expect``: the plan of the preview a person saw. Data changed since so that the
    commit would do something else (a colleague's corrections, which the file would put
    back): nothing is written and the result is the new preview; as expected: written."""
    head = "response_id,store_id,responded_at,nps\n"
    base = write(tmp_path, head + "E1,HZ01,2025-10-20 10:00,5\nE2,HZ01,2025-10-21 10:00,5\n")
    fix = write(tmp_path, head + "E1,HZ01,2025-10-20 10:00,9\n", name="fix.csv")
    again = write(tmp_path, head + "E1,HZ01,2025-10-20 10:00,5\nE3,HZ01,2025-10-22 10:00,8\n", name="again.csv")  # fmt: skip
    ingest.ingest_file(base, db_path=empty_db)
    seen = ingest.ingest_file(again, db_path=empty_db, dry_run=True)
    assert (seen.added, seen.replaced, seen.unchanged) == (1, 0, 1)
    ingest.ingest_file(fix, db_path=empty_db)
    late = ingest.ingest_file(again, db_path=empty_db, expect=seen.plan())
    assert late.changed and not late.committed and late.upload_id is None
    assert (late.added, late.replaced, late.reverted) == (1, 1, 1)
    with db.connect(empty_db) as con:
        assert con.execute("SELECT nps FROM responses WHERE response_id = 'E1'").fetchall() == [
            (9,)
        ]
        assert queries.scalar(con, "SELECT count(*) FROM responses WHERE response_id = 'E3'") == 0
        assert queries.scalar(con, "SELECT count(*) FROM uploads") == 2
    done = ingest.ingest_file(again, db_path=empty_db, expect=late.plan())
    assert done.committed and not done.changed and (done.added, done.replaced) == (1, 1)
