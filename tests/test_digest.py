"""The morning digest on the full demo (scale 1: the planted signals need real volumes):
it finds what was planted and little else, and the command line behaves."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

from cx import cli, db, digest
from cx.queries import board as qb
from cx.scope import Scope
from tests.support import export_with_a_stopped_store

ROOT = Path(__file__).resolve().parent.parent
DAY = date(2025, 10, 31)


@pytest.fixture(scope="module")
def full_db(full_demo) -> Path:
    """The demo at full scale (tests/conftest.py builds it once per session)."""
    return full_demo


@pytest.fixture(scope="module")
def result(full_db) -> dict:
    with db.connect(full_db) as con:
        return digest.build(con, DAY)


def _planted_advisor(full_db) -> str:
    """From the raw rows: the WH02 advisor whose October answers are >= 95 % tens."""
    with db.connect(full_db) as con:
        rows = con.execute(
            "SELECT advisor, avg((nps = 10)::INT), avg((duration_seconds < 20)::INT)"
            " FROM responses WHERE store_id = 'WH02' AND responded_at >= DATE '2025-10-01'"
            " GROUP BY advisor HAVING avg((nps = 10)::INT) >= 0.95"
        ).fetchall()
    assert len(rows) == 1, rows
    assert rows[0][2] > 0.5  # mostly under 20 seconds
    return rows[0][0]


def test_digest_finds_the_planted_signals_and_little_else(result, full_db):
    gaming = {(g["store_id"], g["advisor"]) for g in result["gaming"]}
    advisor = _planted_advisor(full_db)
    assert ("WH02", advisor) in gaming
    assert ("CD02", None) in gaming
    others = gaming - {("WH02", advisor), ("CD02", None)}
    assert len(others) <= 2, others
    drops = {d["store_id"] for d in result["drops"]}
    assert "NC01" in drops
    assert len(drops - {"NC01"}) <= 1, drops
    # the excellent story store is never suspected
    assert all(g["store_id"] != "HZ01" for g in result["gaming"])
    assert "HZ01" not in drops


def test_digest_drop_equals_the_raw_answers(result, full_db):
    nc01 = next(d for d in result["drops"] if d["store_id"] == "NC01")
    with db.connect(full_db) as con:
        (n, nps), (n_b, nps_b) = (
            con.execute(
                "SELECT count(*), 100.0 * (count(*) FILTER (WHERE nps >= 9)"
                " - count(*) FILTER (WHERE nps <= 6)) / count(*) FROM responses"
                " WHERE store_id = 'NC01' AND CAST(responded_at AS DATE) BETWEEN ? AND ?",
                [a, b],
            ).fetchall()[0]
            for a, b in ((date(2025, 10, 25), DAY), (date(2025, 8, 30), date(2025, 10, 24)))
        )
    assert (nc01["n"], nc01["n_before"]) == (n, n_b)
    assert nc01["nps"] == pytest.approx(nps, abs=0.05)
    assert nc01["nps_before"] == pytest.approx(nps_b, abs=0.05)
    assert nc01["change"] < -25  # the planted fall of about 35 points


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_month_end_pattern_names_the_months_it_counts(result, full_db, lang):
    """CD02's month-end tens read "(151/205)" under a review labelled 10-02 to 10-31;
    the counts were of August to October. The sentence names the months, and its counts
    are theirs."""
    cd02 = next(g for g in result["gaming"] if g["store_id"] == "CD02" and not g["advisor"])
    sig = next(s for s in cd02["signals"] if s["signal"] == "month_end")
    with db.connect(full_db) as con:
        x, n = con.execute(
            "SELECT count(*) FILTER (WHERE nps = 10), count(*) FROM responses"
            " WHERE store_id = 'CD02' AND CAST(responded_at AS DATE) BETWEEN ? AND ?"
            " AND day(responded_at) > day(last_day(responded_at)) - 3",
            [date(2025, 8, 1), DAY],
        ).fetchall()[0]
    assert (sig["x"], sig["n"]) == (x, n)
    text = digest.signal_text(sig, lang, digest.month_end_span(DAY))
    assert "2025-08 – 2025-10" in text and f"{x}/{n}" in text, text
    assert "2025-08 – 2025-10" in digest.markdown(result, lang)


def test_digest_json_and_markdown_from_the_command_line(full_db, capsys):
    assert (
        cli.main(["digest", "--date", "2025-10-31", "--format", "json", "--db", str(full_db)]) == 0
    )
    doc = json.loads(capsys.readouterr().out)
    assert doc["date"] == "2025-10-31"
    assert {"store_id", "advisor"} <= set(doc["gaming"][0])
    assert all("store_id" in d for d in doc["drops"])
    assert all({"store_id", "count"} <= set(o) for o in doc["overdue_callbacks"])
    assert doc["silent_stores"] == []  # every store of the demo answered on its last day
    assert any(g["advisor"] is None for g in doc["gaming"])  # the CD02 store-level flag
    # overdue callbacks: the board's own count per store
    from cx.queries import board as qb

    with db.connect(full_db) as con:
        board = qb.overdue_by_store(con, Scope(), datetime(2025, 10, 31, 23, 59, 59))
    counts = {r.store_id: int(r.overdue) for r in board.itertuples() if r.overdue > 0}
    assert {o["store_id"]: o["count"] for o in doc["overdue_callbacks"]} == counts

    assert cli.main(["digest", "--date", "2025-10-31", "--store", "NC01", "--lang", "en",
                     "--db", str(full_db)]) == 0  # fmt: skip
    text = capsys.readouterr().out
    assert text.startswith("# Morning digest 2025-10-31 · NC01")
    assert "NC01" in text.split("## Score patterns")[0]  # under drops
    assert "WH02" not in text  # another store's flags stay out of a store's digest


def test_a_day_without_answers_says_so_and_names_the_latest_day(full_db, capsys):
    """A nightly job passing a day after the uploads stopped printed a digest like any
    other ('none' drops and yesterday's overdue list): the digest now says the day has no
    answers and which day is the latest that has, in the mail and on the job's log; a
    day with answers says nothing of it."""
    args = ["digest", "--date", "2030-01-01", "--lang", "en", "--db", str(full_db)]
    assert cli.main(args) == 0
    out = capsys.readouterr()
    head = "# Morning digest 2030-01-01 · all stores\n\n"
    assert out.out.startswith(
        head + "**No answers on 2030-01-01 (the latest day with answers is 2025-10-31): the"
        " uploads may have stopped, and nothing below speaks for that day.**"
    ), out.out[:300]
    assert "no answers on 2030-01-01 (the latest day with answers: 2025-10-31)" in out.err
    assert cli.main([*args[:-2], "--format", "json", "--db", str(full_db)]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert (doc["answers"], doc["latest_day"]) == (0, "2025-10-31")
    assert (
        cli.main(["digest", "--date", "2025-10-31", "--format", "json", "--db", str(full_db)]) == 0
    )
    out = capsys.readouterr()
    with db.connect(full_db) as con:
        day_n = con.execute(
            "SELECT count(*) FROM responses WHERE CAST(responded_at AS DATE) = '2025-10-31'"
        ).fetchall()[0][0]
    assert json.loads(out.out)["answers"] == day_n > 0 and out.err == ""


def test_digest_refusals_are_one_line_with_status_2(full_db, tmp_path, capsys):
    """Status 2, nothing on stdout, one line on stderr: the first case through
    ``python -m cx`` itself, the others through the same ``cli.main`` in this process
    (a fresh interpreter each costs two seconds and shows nothing more)."""

    def run(*args):
        try:
            code = cli.main(["digest", *args])
        except SystemExit as exc:  # the argument parser's own refusals
            code = exc.code
        out = capsys.readouterr()
        return subprocess.CompletedProcess(args, code, out.out, out.err)

    missing = ("--date", "2025-10-31", "--db", str(tmp_path / "missing.duckdb"))
    command = [sys.executable, "-m", "cx", "digest", *missing]
    for out in (
        subprocess.run(command, cwd=ROOT, capture_output=True, text=True),
        run("--date", "2025-13-01", "--db", str(full_db)),
        run("--db", str(full_db)),  # no date
        run("--date", "2025-10-31", "--store", "NOPE", "--db", str(full_db)),
        run("--date", "2025-10-31", "--region", "火星", "--db", str(full_db)),
        run("--date", "2025-10-31", "--store", "NC01", "--region", "华中", "--db", str(full_db)),
        run(*missing),
    ):
        assert out.returncode == 2, (out.args, out.stderr)
        assert out.stdout == ""
        assert len(out.stderr.strip().splitlines()) == 1, out.stderr
        assert "Traceback" not in out.stderr
    assert not (tmp_path / "missing.duckdb").exists()


def test_board_shows_the_digest_items(full_db, tmp_path, monkeypatch):
    import shutil

    from streamlit.testing.v1 import AppTest

    path = tmp_path / "board.duckdb"
    shutil.copy(full_db, path)
    monkeypatch.setenv("CX_DB", str(path))
    with db.connect(path) as con:
        expected = digest.build(con, DAY)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.run()
    at.session_state["ui_lang"] = "en"
    at.session_state["board_date"] = DAY
    at.switch_page("pages/board.py").run()
    assert not at.exception, at.exception
    warnings = " ".join(w.value for w in at.warning)
    window = f"({DAY - timedelta(days=29)} to {DAY})"  # the review's 30 days, named
    months = "({} to {})".format(*digest.month_end_span(DAY).split(" – "))
    for g in expected["gaming"]:
        who = f"{g['store_id']} · {g['advisor']}" if g["advisor"] else g["store_id"]
        # a month-end pattern alone: the whole months it counts
        named = months if {x["signal"] for x in g["signals"]} == {"month_end"} else window
        assert f"Score pattern to review {named}: {who}" in warnings
    for d in expected["drops"]:
        assert d["store_id"] in warnings and "beyond noise" in warnings
    review = [w.value for w in at.warning if w.value.startswith("Score pattern to review")]
    assert len(review) == len(expected["gaming"])
    assert not any("HZ01" in w for w in review)


def test_the_chinese_digest_writes_chinese_punctuation(result):
    """Each Chinese line names its store or advisor with a full-width colon, as its
    other sentences do; the English one keeps ': '."""
    zh = digest.markdown(result, "zh")
    gaming = zh.split("## 分数异常")[1].split("## ")[0]
    rows = [x for x in gaming.splitlines() if x.startswith("- ")]
    assert rows and all("：" in x and ": " not in x for x in rows)
    en = digest.markdown(result, "en")
    gaming = en.split("## Score patterns")[1].split("## ")[0]
    rows = [x for x in gaming.splitlines() if x.startswith("- ")]
    assert rows and all(": " in x for x in rows)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_markdown_digests_counts_are_plain_for_the_scripts_that_read_it(result, lang):
    """'… against 29.4 over the 8 weeks before (1,236)': the README says the digest's
    numbers stay plain (no thousands separators), and its JSON's are."""
    import re

    text = digest.markdown(result, lang)
    assert not re.search(r"\d,\d{3}", text), re.findall(r".{30}\d,\d{3}.{10}", text)
    big = [d["n_before"] for d in result["drops"] if d["n_before"] >= 1000]
    assert big and all(str(n) in text for n in big)


@pytest.mark.parametrize(
    ("day", "morning"),
    [(date(2025, 10, 28), None), (DAY, datetime(2025, 11, 1, 8, 30))],
)
def test_the_digests_overdue_callbacks_are_the_boards_of_its_day(
    full_db, monkeypatch, day, morning
):
    """An earlier day's digest counts the follow-ups as they stood at its end (it had read
    today's states against that day's deadlines); the latest day's, run the morning after,
    counts them now, as the board a manager then opens does."""
    from cx import config, followups
    from cx.views import board as board_view

    if morning is not None:
        monkeypatch.setattr(config, "local_now", lambda: morning)
    with db.connect(full_db) as con:
        doc = digest.build(con, day)
        clock, stale = followups.queue_now(qb.latest_answer(con))
        latest = qb.latest_day(con, Scope())
        v = board_view.view(con, Scope(), day, followups.board_clock(day, clock, latest), stale)
    board = {r.store_id: int(r.overdue) for r in v.overdue.itertuples() if r.overdue > 0}
    assert board and {o["store_id"]: o["count"] for o in doc["overdue_callbacks"]} == board
    assert v.past is (morning is None)
    # and it says when it counted them, as the board does (it said nothing: the data's
    # last moment read as now)
    counted, at = ("day_end", f"{day} 23:59") if morning is None else ("now", "2025-11-01 08:30")
    assert (doc["overdue_counted"], doc["overdue_as_of"]) == (counted, at)
    said = {"day_end": f"按当日结束 {at} 计（回看往日）。", "now": f"截至 {at} 计。"}[counted]
    assert said in digest.markdown(doc, "zh").splitlines()


def test_a_digest_on_data_that_stopped_days_ago_says_it_counted_at_the_datas_end(full_db):
    """Run weeks after the data's last answer (a demo, uploads that stopped), the digest
    counts overdue callbacks at the data's last moment, as the board does, and says so."""
    with db.connect(full_db) as con:
        doc = digest.build(con, DAY)
    assert (doc["overdue_counted"], doc["overdue_as_of"]) == ("data_end", f"{DAY} 23:59")
    text = digest.markdown(doc, "en")
    assert f"As of {DAY} 23:59, the data's last day (the data stops there, not now)." in text


def test_names_from_the_data_are_text_in_the_digests_markdown(result):
    """The digest is Markdown a mail client draws: a store or advisor name cannot add a
    link or an image (one from another host would be fetched as the mail is read)."""
    import copy

    evil = "![pixel](http://evil.example/p.png) **NC**"
    doc = copy.deepcopy(result)
    for key in ("drops", "gaming", "overdue_callbacks"):
        assert doc[key], key  # each list is drawn with a name in it
        for item in doc[key]:
            item["store_name"] = evil
    doc["gaming"][0]["advisor"] = evil
    for lang in ("zh", "en"):
        text = digest.markdown(doc, lang)
        assert evil not in text
        assert not re.search(r"(?<!\\)\]\(|(?<!\\)\*\*NC", text)  # no link, no bold
        shown = len(doc["drops"]) + min(len(doc["overdue_callbacks"]), digest.OVERDUE_SHOWN)
        assert text.count("pixel") >= shown  # the names are there, as text


def test_a_store_name_with_a_terminals_escape_reaches_the_digest_as_text():
    """A store named with ESC[31m: the Markdown digest, printed on a terminal, passed the
    escape through (its Markdown marks were escaped, control characters were not)."""
    from cx.i18n import md_escape

    assert md_escape("\x1b[31mred\x07 store\tA") == "\\[31mred store\tA"  # [ escaped
    assert md_escape("店\x00名") == "店名"


def test_a_regions_digest_names_the_stores_whose_answers_stopped(empty_db, tmp_path, capsys):
    """A region's digest read 'none' everywhere while one of its stores had sent nothing
    for days: the other stores' answers made the day look whole. It names the stores
    without answers on the day that usually answer every day (answers on at least 5 of
    the 7 days up to their latest) and stopped within the month before, with their latest
    day, however long ago within it (it had dropped a store after four silent days); not a
    store that seldom answers, nor one that stopped long before, nor another region's."""
    from cx import ingest

    ingest.ingest_file(export_with_a_stopped_store(tmp_path / "export.csv"))
    with db.connect(empty_db) as con:  # from the rows: per store and day, the answers
        seen = con.execute(
            "SELECT store_id, CAST(responded_at AS DATE), count(*) FROM responses GROUP BY 1, 2"
        ).fetchall()
    per_store: dict[str, dict[date, int]] = {}
    for sid, d, n in seen:
        per_store.setdefault(sid, {})[d] = n

    def stopped(day: date) -> list[tuple]:
        """The rule, from the rows: no answers on the day; answers on 5 of the 7 days up to
        the latest, within 31 days; silent on a weekday the store answers on (2 of its 4
        weeks before, or as many whole weeks as it has), before the day when the day is the
        newest (perhaps loaded in part)."""
        newest = max(d for counts in per_store.values() for d in counts)
        until = day - timedelta(1) if day >= newest else day
        out = []
        for sid, counts in sorted(per_store.items()):
            if day in counts or not [d for d in counts if d <= day]:
                continue
            latest = max(d for d in counts if d <= day)
            run = {d: n for d, n in counts.items() if latest - timedelta(6) <= d <= latest}
            seen_ = [d for d in counts if latest - timedelta(27) <= d <= latest]
            weeks = ((max(seen_) - min(seen_)).days + 1) // 7
            usual = {
                w for w in range(7) if sum(d.weekday() == w for d in seen_) >= min(2, max(1, weeks))
            }
            gap = [latest + timedelta(k) for k in range(1, (until - latest).days + 1)]
            if (
                latest >= day - timedelta(31)
                and len(run) >= 5
                and {d.weekday() for d in gap} & usual
            ):
                out.append((sid, latest.isoformat(), len(run), sum(run.values())))
        return out

    day = date(2025, 10, 20)
    expected = stopped(day)
    assert [e[0] for e in expected] == ["BB02", "DD04"]  # the file's story, recomputed
    args = ["digest", "--date", "2025-10-20", "--lang", "en", "--db", str(empty_db)]
    assert cli.main([*args, "--region", "华东"]) == 0
    out = capsys.readouterr()
    sid, latest, days, n = expected[0]
    assert (
        "## Stores without answers on 2025-10-20 (their uploads may have stopped)\n\n"
        f"- {sid} {sid} 店: latest answers on {latest} ({n} answers on {days} of the 7 days"
        " up to it)\n" in out.out
    ), out.out
    section = out.out.split("## Stores without answers")[1].split("## NPS drops")[0]
    assert "CC03" not in section and "DD04" not in section and "EE05" not in section
    # a scheduler watching the job's log sees it too
    assert "Note: stores without answers on 2025-10-20 that usually have them (1): BB02" in (
        out.err
    )
    assert cli.main([*args, "--format", "json"]) == 0  # the network: both
    doc = json.loads(capsys.readouterr().out)
    got = [
        (s["store_id"], s["latest_day"], s["days_with_answers"], s["answers"])
        for s in doc["silent_stores"]
    ]
    assert got == expected
    # a day before the latest without answers (a holiday): nothing stopped
    assert cli.main(["digest", "--date", "2025-09-20", "--lang", "en", "--db", str(empty_db)]) == 0
    out = capsys.readouterr()
    assert "**No answers on 2025-09-20 in this scope (the data runs to 2025-10-20): nothing" in (
        out.out
    ), out.out
    assert "may have stopped" not in out.out
    assert out.err == "Note: no answers on 2025-09-20 (the data runs to 2025-10-20)\n"
    # on a Sunday FF06 (closed on Sundays) and GG07 (at weekends) are no stopped stores
    assert (
        cli.main(["digest", "--date", "2025-10-19", "--format", "json", "--db", str(empty_db)]) == 0
    )
    doc = json.loads(capsys.readouterr().out)
    got = [s["store_id"] for s in doc["silent_stores"]]
    assert got == [e[0] for e in stopped(date(2025, 10, 19))] == ["BB02", "DD04"]
    assert cli.main([*args, "--lang", "zh", "--store", "BB02"]) == 0  # its own digest:
    text = capsys.readouterr().out  # the day has no answers, said once
    assert "2025-10-20 没有答卷（有答卷的最近一天是 2025-10-08）" in text
    assert "没有答卷的门店" not in text
    assert cli.main([*args, "--lang", "zh", "--region", "华东"]) == 0
    out = capsys.readouterr()
    assert (
        f"- BB02 BB02 店：最近一天有答卷是 2025-10-08（到那天为止的 7 天中 {days} 天有答卷，"
        f"共 {n} 份）" in out.out
    )
    assert "注意：2025-10-20 没有答卷、平时每天都有的门店（1 家）：BB02" in out.err, out.err


def test_the_networks_stopped_stores_are_kept_by_every_write_as_the_rule_gives_them(
    empty_db, tmp_path
):
    """The network's board and digest read its stopped stores on its latest day from a
    frame every write keeps (the rule's query cost its board 13 ms at ten million
    answers): the frame is the rule's answer from the rollups, columns and types too, and
    the next upload keeps it for the new latest day; other days and scopes are worked
    out as before."""
    import pandas as pd

    from cx import ingest
    from cx.queries import kept

    ingest.ingest_file(export_with_a_stopped_store(tmp_path / "export.csv"))
    day, sig = date(2025, 10, 20), qb._silent_sig()
    with db.connect(empty_db) as con:
        frame = kept.get(con, "board:silent", (day,), sig)
        assert frame is not None
        worked_out = qb._silent_stores(con, Scope(), day, qb.SILENT_SINCE)
        pd.testing.assert_frame_equal(frame, worked_out)
        assert list(frame["store_id"]) == ["BB02", "DD04"]
        assert qb.silent_latest(con, Scope(), day) == (
            ("BB02", date(2025, 10, 8)),
            ("DD04", date(2025, 10, 18)),
        )
        # a region's, and the network's on another day, are worked out from the rollups
        assert list(qb.silent_stores(con, Scope(regions=("华东",)), day)["store_id"]) == ["BB02"]
        got = qb.silent_stores(con, Scope(), date(2025, 10, 10))
        assert list(got["store_id"]) == ["BB02", "EE05"]  # EE05 a month silent by then
    early = tmp_path / "early.csv"
    early.write_text(
        "问卷编号,门店编号,门店名称,区域,提交时间,推荐分\nE1,AA01,AA01 店,华东,2025-10-21 07:30,9\n",
        encoding="utf-8",
    )
    ingest.ingest_file(early)
    with db.connect(empty_db) as con:
        assert kept.get(con, "board:silent", (day,), sig) is None
        frame = kept.get(con, "board:silent", (date(2025, 10, 21),), sig)
        assert frame is not None
        pd.testing.assert_frame_equal(
            frame, qb._silent_stores(con, Scope(), date(2025, 10, 21), qb.SILENT_SINCE)
        )
        assert list(frame["store_id"]) == ["BB02", "DD04"]


def test_a_newest_day_loaded_in_part_names_no_store_for_it_alone(empty_db, tmp_path, capsys):
    """An export at 7:45 holds the new day's first two answers: every other store was
    named as stopped. On the newest day a store must have been silent before it."""
    from cx import ingest

    ingest.ingest_file(export_with_a_stopped_store(tmp_path / "export.csv"))
    early = tmp_path / "early.csv"
    early.write_text(
        "问卷编号,门店编号,门店名称,区域,提交时间,推荐分\n"
        "E1,AA01,AA01 店,华东,2025-10-21 07:30,9\nE2,AA01,AA01 店,华东,2025-10-21 07:45,10\n",
        encoding="utf-8",
    )
    ingest.ingest_file(early)
    args = ["digest", "--date", "2025-10-21", "--format", "json", "--db", str(empty_db)]
    assert cli.main(args) == 0
    doc = json.loads(capsys.readouterr().out)
    # FF06 and GG07 answered on 10-20 and are silent on 10-21 only; BB02, DD04 before
    assert [s["store_id"] for s in doc["silent_stores"]] == ["BB02", "DD04"]


def test_days_most_stores_closed_name_no_store_for_them(demo_db, capsys):
    """The Spring Festival: on the network's last two days most stores sent nothing and
    a few stayed open. Every closed store that answers daily was named as stopped, the
    region's and the network's boards full of them. A day on which fewer than half the
    usual number of stores answered is one the network closed and counts against no
    store; a store silent on ordinary days before it is still named. A manager who sees
    one store (too few to tell a closed day) still reads their own store's silence."""
    import pandas as pd

    from cx import access
    from cx.queries import kept

    with db.connect(demo_db) as con:
        open_ = [
            r[0]
            for r in con.execute(
                "SELECT store_id FROM daily_rollup WHERE day BETWEEN '2025-10-30' AND"
                " '2025-10-31' AND n > 0 AND store_id <> 'HZ01' GROUP BY 1"
                " HAVING count(*) = 2 ORDER BY sum(n) DESC LIMIT 5"
            ).fetchall()
        ]
        with db.transaction(con):
            con.execute(
                "DELETE FROM responses WHERE responded_at >= TIMESTAMP '2025-10-30 00:00:00'"
                " AND NOT list_contains(?, store_id)",
                [open_],
            )
            con.execute(  # closed on ordinary days first
                "DELETE FROM responses WHERE store_id = 'HZ01'"
                " AND responded_at >= TIMESTAMP '2025-10-27 00:00:00'"
            )
            db.refresh_rollups(con)
            kept.store(con)  # as every write keeps them
            db.bump_data_version(con)
        # the closed stores that answer daily, silent only since the closure: each was
        # named before
        closed_only = {
            r[0]
            for r in con.execute(
                "SELECT store_id FROM daily_rollup WHERE n > 0 AND day BETWEEN '2025-10-23'"
                " AND '2025-10-29' GROUP BY 1 HAVING count(*) >= 5 AND max(day) = '2025-10-29'"
            ).fetchall()
        }
        named = qb._silent_stores(con, Scope(), date(2025, 10, 31), qb.SILENT_SINCE)
    assert len(open_) == 5 and len(closed_only) > 20
    assert "HZ01" in set(named["store_id"])  # silent on ordinary days first
    assert not closed_only & set(named["store_id"])
    # whoever is named was silent on an ordinary day before the closure
    assert (named["latest"] < pd.Timestamp("2025-10-29")).all(), named
    args = ["digest", "--date", "2025-10-31", "--format", "json", "--db", str(demo_db)]
    assert cli.main(args) == 0
    doc = json.loads(capsys.readouterr().out)
    assert [s["store_id"] for s in doc["silent_stores"]] == list(named["store_id"])
    # HZ01's manager: one store seen, no day judged closed; its silence named
    with db.connect(demo_db) as con:
        manager = access.Person(
            email="m@x.com", roles=frozenset({"store"}), stores=frozenset({"HZ01"})
        )
        access.apply_scope(con, manager)
        got = qb._silent_stores(con, Scope(stores=("HZ01",)), date(2025, 10, 31), None)
        assert list(got["store_id"]) == ["HZ01"]


def test_a_digest_says_when_its_scope_holds_the_demos_answers(result, full_db, demo_db, tmp_path):
    """A scheduler's mail of the demo's figures read as a network's own: the digest says
    under its title that the answers of its scope include the demo's generated ones
    (JSON: ``demo_answers``, counted from the rows), and says nothing of it for a store
    whose answers are all uploaded."""
    from cx.i18n import t
    from tests.support import upload_a_new_store

    with db.connect(full_db) as con:
        demo_rows = con.execute("SELECT count(*) FROM responses WHERE upload_id = 0").fetchall()
    assert result["demo_answers"] == demo_rows[0][0] > 0
    for lang in ("zh", "en"):
        lines = digest.markdown(result, lang).splitlines()
        assert lines[2] == f"**{t('digest.demo', lang)}**", lines[:4]
    upload_a_new_store(demo_db, tmp_path, date(2025, 10, 30), DAY)
    with db.connect(demo_db) as con:
        own = digest.build(con, DAY, store="NEW9")
        network = digest.build(con, DAY)
    assert own["demo_answers"] == 0 and own["answers"] == 1
    assert t("digest.demo", "en") not in digest.markdown(own, "en")
    assert network["demo_answers"] > 0
