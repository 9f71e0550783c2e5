"""The Data page's view: every figure equals a count straight from the tables."""

from __future__ import annotations

import pandas as pd

from cx import db, ingest
from cx.views import data as data_view

EXPORT = (
    "response_id,store_id,responded_at,nps,phone\n"
    "D1,HZ01,2025-10-30 10:00,9,13800138000\n"
    "D2,HZ01,2025-10-30 11:00,11,13900139000\n"  # nps outside 0-10: rejected
    "D3,HZ02,2025-10-30 12:00,3,13700137000\n"
)


def test_view_figures_equal_counts_from_the_tables(demo_db, tmp_path):
    path = tmp_path / "export.csv"
    path.write_text(EXPORT, encoding="utf-8")
    res = ingest.ingest_file(path, db_path=demo_db)
    assert res.rejected == 1
    with db.connect(demo_db) as con:
        v = data_view.view(con)
        rows, first, last = con.execute(
            "SELECT count(*), min(responded_at), max(responded_at) FROM responses"
        ).fetchall()[0]
        stores, regions = con.execute(
            "SELECT count(*), count(DISTINCT region) FROM stores"
        ).fetchall()[0]
        per_month = con.execute(
            "SELECT date_trunc('month', r.responded_at) AS m, coalesce(s.region, '?'), count(*)"
            " FROM responses r LEFT JOIN stores s USING (store_id) GROUP BY ALL ORDER BY 1, 2"
        ).fetchall()
        version = con.execute(
            "SELECT CAST(value AS BIGINT) FROM meta WHERE key = 'data_version'"
        ).fetchall()[0][0]
    assert (v.rows, v.first, v.last) == (rows, first, last)
    assert (v.stores_n, v.regions, v.rejects_n) == (stores, regions, 1)
    assert v.version == version and not v.empty
    got = [(m.to_pydatetime(), r, int(n)) for m, r, n in v.monthly.itertuples(index=False)]
    assert got == [(m, r, n) for m, r, n in per_month]
    assert sum(v.stores["n"]) == rows
    assert v.uploads["upload_id"].iloc[0] == res.upload_id  # newest first
    # the rejected line is listed with its reason, its phone masked
    assert list(v.rejects["line_no"]) == [3]
    assert "11" in v.rejects["reason"].iloc[0]
    assert "13900139000" not in v.rejects["raw_line"].iloc[0]
    assert "139****9000" in v.rejects["raw_line"].iloc[0]
    # the page lists the reason in the reader's language, as stored for each
    for lang, column in (("en", "reason"), ("zh", "reason_zh")):
        shown = data_view.rejects_in(v.rejects, lang)
        assert list(shown.columns) == [
            "upload_id", "file_name", "line_no", "reason", "stored", "raw_line",
        ]  # fmt: skip
        assert shown["reason"].iloc[0] == v.rejects[column].iloc[0]
    assert v.rejects["reason"].iloc[0] != v.rejects["reason_zh"].iloc[0]


def test_view_of_an_empty_database(empty_db):
    with db.connect(empty_db) as con:
        v = data_view.view(con)
    assert v.empty and v.first is None and v.monthly.empty and v.rejects.empty


def test_monthly_chart_names_months_in_the_reader_s_language(demo_db):
    from datetime import date

    from cx.charts import data as charts

    assert charts.month_label(date(2025, 3, 1), "zh") == "2025年3月"
    assert charts.month_label(date(2025, 3, 1), "en") == "2025-03"
    with db.connect(demo_db) as con:
        monthly = data_view.view(con).monthly
    chart = charts.monthly_bars(monthly, "zh").to_dict()
    labels = {row["label"] for row in next(iter(chart["datasets"].values()))}
    assert labels == {f"{m.year}年{m.month}月" for m in monthly["month"]}


def test_the_monthly_chart_draws_the_empty_months_between(demo_db):
    """An upload dated a year after the rest: 2025-10 stood beside 2026-11, the twelve
    empty months between not drawn; a stray date decades back draws months with answers."""
    from cx.charts import data as charts

    monthly = pd.DataFrame(
        {
            "month": pd.to_datetime(["2025-09-01", "2025-10-01", "2026-11-01"]),
            "region": ["华东"] * 3,
            "n": [5, 6, 1],
        }
    )
    axis = charts.monthly_bars(monthly, "en").to_dict()["encoding"]["x"]
    every = [f"{y}-{m:02d}" for y, m in [(2025, 9), (2025, 10), (2025, 11), (2025, 12)]]
    every += [f"2026-{m:02d}" for m in range(1, 12)]
    assert axis["scale"]["domain"] == every and axis["sort"] == every
    stray = pd.concat([monthly, monthly.head(1).assign(month=pd.Timestamp("2001-01-01"))])
    axis = charts.monthly_bars(stray, "en").to_dict()["encoding"]["x"]
    assert axis["scale"]["domain"] == ["2001-01", "2025-09", "2025-10", "2026-11"]


def test_the_page_lists_the_newest_rejects_and_the_download_holds_every_one(
    demo_db, tmp_path, monkeypatch
):
    """A file of many bad rows: the page lists the first ``REJECTS_LISTED`` (the newest
    upload's first, in line order) and counts them all; the download, made when clicked,
    holds every one, phones masked, in the page's columns."""
    from cx import access

    monkeypatch.setattr(data_view, "REJECTS_LISTED", 2)
    first = tmp_path / "first.csv"
    first.write_text(
        "response_id,store_id,responded_at,nps,phone\n"
        "F1,HZ01,2025-10-30 10:00,11,13900139001\n"
        "F2,HZ01,2025-10-30 11:00,12,13900139002\n"
        "F3,HZ01,2025-10-30 12:00,9,13900139003\n",
        encoding="utf-8",
    )
    later = tmp_path / "later.csv"
    later.write_text(
        "response_id,store_id,responded_at,nps,phone\n"
        "L1,HZ01,2025-10-30 13:00,13,13900139004\n"
        "L2,HZ01,2025-10-30 14:00,9,13900139005\n",
        encoding="utf-8",
    )
    a = ingest.ingest_file(first, db_path=demo_db)
    b = ingest.ingest_file(later, db_path=demo_db)
    with db.connect(demo_db) as con:
        v = data_view.view(con)
    assert v.rejects_n == 3
    listed = list(zip(v.rejects["upload_id"], v.rejects["line_no"], strict=True))
    assert listed == [(b.upload_id, 2), (a.upload_id, 2)]
    columns = {"line_no": "Line", "reason": "Reason"}
    got = data_view.rejects_csv(access.scope_key(access.open_person()), None, "en", columns)
    text = got.decode("utf-8-sig")
    lines = text.strip().splitlines()
    assert lines[0] == "upload_id,file_name,Line,Reason,stored,raw_line"
    assert len(lines) == 4 and "13 is outside" in lines[1] and "11 is outside" in lines[2]
    assert "139****9004" in text and "13900139004" not in text
    one = data_view.rejects_csv(access.scope_key(access.open_person()), a.upload_id)
    assert one.decode("utf-8-sig").count("first.csv") == 2


def test_a_rejected_row_fixed_and_uploaded_again_is_said_to_be_stored(demo_db, tmp_path):
    """The Data page listed BAD-1 as rejected after a later upload had stored it, fixed,
    with nothing to tell it from BAD-2, still missing."""
    from cx import access

    bad = tmp_path / "bad.csv"
    bad.write_text(
        "问卷编号;门店编号;提交时间;推荐分\n"  # another delimiter and header: read by its own
        "BAD-1;HZ01;2025-10-30 10:00;11\nBAD-2;HZ01;2025-10-30 11:00;12\n",
        encoding="utf-8",
    )
    fixed = tmp_path / "fixed.csv"
    fixed.write_text("response_id,store_id,responded_at,nps\nBAD-1,HZ01,2025-10-30 10:00,9\n")
    ingest.ingest_file(bad, db_path=demo_db)
    with db.connect(demo_db) as con:
        assert data_view.view(con).rejects["stored"].tolist() == [False, False]
    ingest.ingest_file(fixed, db_path=demo_db)
    with db.connect(demo_db) as con:
        v = data_view.view(con)
    assert dict(zip(v.rejects["line_no"], v.rejects["stored"], strict=True)) == {2: True, 3: False}
    shown = data_view.rejects_in(v.rejects, "zh")
    assert shown["stored"].tolist() == ["已由后续上传写入", ""]
    got = data_view.rejects_csv(access.scope_key(access.open_person()), None, "en")
    rows = got.decode("utf-8-sig").strip().splitlines()
    assert ",stored by a later upload,BAD-1;" in rows[1] and ",,BAD-2;" in rows[2]
