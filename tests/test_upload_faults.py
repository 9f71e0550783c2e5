"""Faults around an upload: a full disk, a killed ingest's temp files, the same rejects
again in another encoding, implausible dates, a nested scenario file, the command line's
language. Each ends in one sentence and unchanged rows where nothing should change."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from datetime import datetime, timedelta
from pathlib import Path

import duckdb
import pandas as pd
import pytest
from support import big_export

from cx import db, ingest, queries

ROOT = Path(__file__).resolve().parent.parent


def count(path: Path, sql: str = "SELECT count(*) FROM responses") -> int:
    with db.connect(path) as con:
        return queries.scalar(con, sql)


def test_a_full_disk_is_one_sentence_and_changes_nothing(empty_db, tmp_path):
    """The file-size limit of the process stands in for a full disk (EFBIG like ENOSPC)."""
    big = big_export(tmp_path)
    limit = empty_db.stat().st_size + (256 << 10)
    script = textwrap.dedent(
        f"""
        import resource, signal, sys
        sys.path.insert(0, {str(ROOT)!r})
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, ({limit}, {limit}))
        from cx import cli
        sys.exit(cli.main(["ingest", {str(big)!r}, "--db", {str(empty_db)!r}]))
        """
    )
    out = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, cwd=ROOT, timeout=120
    )
    assert out.returncode == 2, out.stderr
    assert "Traceback" not in out.stderr and out.stderr.strip().count("\n") == 0
    assert "disk is full" in out.stderr
    assert count(empty_db) == 0
    assert count(empty_db, "SELECT count(*) FROM uploads") == 0


def test_a_killed_ingest_leaves_no_temp_file_after_the_next_start(empty_db, tmp_path, monkeypatch):
    monkeypatch.setenv("CX_TMP", str(tmp_path / "tmp"))
    big = tmp_path / "big_gb.csv"
    big.write_bytes(big_export(tmp_path, 30_000).read_text(encoding="utf-8").encode("gb18030"))
    script = textwrap.dedent(
        f"""
        import sys, time
        sys.path.insert(0, {str(ROOT)!r})
        from cx import ingest
        def progress(share, stage):
            if stage == "validate":  # the UTF-8 copy exists now
                print("INSIDE", flush=True)
                time.sleep(60)
        ingest.ingest_file({str(big)!r}, db_path={str(empty_db)!r}, progress=progress)
        """
    )
    env = {**os.environ, "CX_TMP": str(tmp_path / "tmp")}
    proc = subprocess.Popen(
        [sys.executable, "-c", script], stdout=subprocess.PIPE, text=True, cwd=ROOT, env=env
    )
    assert proc.stdout.readline().strip() == "INSIDE"
    leftovers = list((tmp_path / "tmp").rglob("*.csv"))
    assert leftovers  # the transcoded copy, in the one temp folder
    proc.kill()
    proc.wait(timeout=30)
    assert all(p.exists() for p in leftovers)
    from cx import cli

    assert cli.main(["ingest", str(tmp_path / "nothing.csv"), "--db", str(empty_db)]) == 2
    assert not any(p.exists() for p in leftovers)
    assert count(empty_db) == 0


def test_the_same_rejects_in_another_encoding_are_not_stored_twice(empty_db, tmp_path):
    text = (
        "问卷编号,门店代码,提交时间,推荐分,原因\n"
        "R1,S1,2025-10-01,9,很好\nR2,S1,2025-10-01,12,超范围\nR3,,2025-10-01,5,没有门店\n"
    )
    first = tmp_path / "utf8.csv"
    first.write_bytes(text.encode("utf-8"))
    again = tmp_path / "gb.csv"
    again.write_bytes(text.encode("gb18030"))
    res = ingest.ingest_file(first)
    assert (res.added, res.rejected) == (1, 2)
    ingest.ingest_file(again)
    assert count(empty_db, "SELECT count(*) FROM rejects") == 2
    assert count(empty_db, "SELECT count(*) FROM uploads") == 1
    # one new reject beside the old ones: only the new one is kept
    third = tmp_path / "more.csv"
    third.write_bytes((text + "R4,S1,2025-10-01,-1,负数\n").encode("utf-8"))
    ingest.ingest_file(third)
    assert count(empty_db, "SELECT count(*) FROM rejects") == 3


def test_an_uploads_undo_hands_its_rejects_to_the_next_upload_in_effect_that_had_them(
    empty_db, tmp_path
):
    """Upload 2 (a TSV) repeated two of upload 1's bad rows beside rows of its own, upload
    3 one of them: each bad row is listed once, under the first. Undoing upload 1 (allowed:
    the others hold none of its answers) had taken its bad rows off the Data page while
    upload 2, still in effect, held them; they now stay listed, under upload 2, and the
    one upload 3 repeated moves on to it when upload 2 is undone too. Each upload's own
    download holds every row its file rejected (upload 2's had held 1 of 3), undone too."""
    from cx.views import data as data_view

    header = "问卷编号,门店代码,提交时间,推荐分\n"
    files = {
        "a.csv": header + "R1,S1,2025-10-01,9\nR2,S1,2025-10-01,12\nR3,,2025-10-01,5\n",
        "b.tsv": (
            header + "R5,S1,2025-10-02,8\nR2,S1,2025-10-01,12\nR3,,2025-10-01,5\n"
            "R6,S1,2025-10-02,-1\n"
        ).replace(",", "\t"),
        "c.csv": header + "R7,S1,2025-10-03,7\nR2,S1,2025-10-01,12\n",
    }
    for name, text in files.items():
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        assert ingest.ingest_file(path).committed

    def listed() -> list[tuple[int, int, str]]:
        with db.connect(empty_db) as con:
            got = data_view.view(con)
        assert got.rejects_n == len(got.rejects)
        rows = got.rejects[["upload_id", "line_no", "reason"]].itertuples(index=False)
        return sorted((int(u), int(n), r.split(" ")[0]) for u, n, r in rows)

    first = listed()
    assert [(u, n) for u, n, _r in first] == [(1, 3), (1, 4), (2, 5)]
    with db.connect(empty_db) as con:  # its own download holds every row its file rejected
        assert queries.rejects(con, 2)["line_no"].tolist() == [3, 4, 5]
        assert queries.rejects(con, 3)["line_no"].tolist() == [3]
    # a fourth repeats one of upload 1's and is undone at once: its download still has it
    fourth = tmp_path / "d.csv"
    fourth.write_text(header + "R8,S1,2025-10-04,9\nR3,,2025-10-01,5\n", encoding="utf-8")
    assert ingest.ingest_file(fourth).committed
    with db.connect(empty_db) as con:
        ingest.undo(con, 4)
        assert queries.rejects(con, 4)["line_no"].tolist() == [3]
    assert listed() == first
    with db.connect(empty_db) as con:
        ingest.undo(con, 1)
    assert [(u, n) for u, n, _r in listed()] == [(2, 3), (2, 4), (2, 5)]
    assert [r for _u, _n, r in listed()] == [r for _u, _n, r in first]
    with db.connect(empty_db) as con:
        raw = queries.rejects(con, 2)["raw_line"].tolist()
        assert raw[0] == "R2\tS1\t2025-10-01\t12"  # its own line, as its file had it
        ingest.undo(con, 2)
    assert [(u, n) for u, n, _r in listed()] == [(3, 3)]
    with db.connect(empty_db) as con:
        ingest.undo(con, 3)
        # undone, each upload's download still holds every row its file rejected
        lines = {i: queries.rejects(con, i)["line_no"].tolist() for i in (1, 2, 3)}
        assert lines == {1: [3, 4], 2: [3, 4, 5], 3: [3]}
    assert listed() == []


def test_the_same_rejects_with_another_delimiter_or_quoting_are_not_stored_twice(
    empty_db, tmp_path
):
    """The same export saved as a TSV, or with semicolons and every cell quoted, had kept
    its rejects again, in an upload that added nothing: the Data page listed each reject
    twice. Its rows are the same cells: nothing is written. A row rejected for the first
    time in such a file is kept."""
    rows = [["R1", "S1", "2025-10-01", "9"], ["R2", "S1", "2025-10-01", "12"]]
    rows += [["R3", "", "2025-10-01", "5"]]
    header = ["问卷编号", "门店代码", "提交时间", "推荐分"]

    def saved(name: str, sep: str, quote: bool, extra: list[list[str]] = ()) -> Path:
        cell = (lambda c: f'"{c}"') if quote else str
        lines = [sep.join(cell(c) for c in row) for row in [header, *rows, *extra]]
        path = tmp_path / name
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        return path

    res = ingest.ingest_file(saved("export.csv", ",", False))
    assert (res.added, res.rejected) == (1, 2)
    for again in (saved("export.tsv", "\t", False), saved("export_q.csv", ";", True)):
        res = ingest.ingest_file(again)
        assert (res.added, res.rejected, res.committed) == (0, 2, False)
        assert count(empty_db, "SELECT count(*) FROM rejects") == 2
    assert count(empty_db, "SELECT count(*) FROM uploads") == 1
    # one row rejected for the first time beside the same two: only it is kept
    res = ingest.ingest_file(saved("more.tsv", "\t", False, [["R4", "S1", "2025-10-01", "-1"]]))
    assert res.committed
    assert count(empty_db, "SELECT count(*) FROM rejects") == 3
    assert (
        count(empty_db, "SELECT raw_line FROM rejects WHERE upload_id = 2")
        == "R4\tS1\t2025-10-01\t-1"
    )


# ----------------------------------------------------------------------------- dates


def test_dates_outside_the_plausible_window_are_rejected_with_a_reason(empty_db, tmp_path):
    soon = datetime.now() + timedelta(hours=12)
    text = (
        "response_id,store_id,responded_at,nps\n"
        "D1,S1,9999-12-31,9\n"
        "D2,S1,1999-12-31 23:00,9\n"
        f"D3,S1,{soon:%Y-%m-%d %H:%M},9\n"
        "D4,S1,2000-01-01,9\n"
        f"D5,S1,{datetime.now() + timedelta(days=3):%Y-%m-%d},9\n"
    )
    path = tmp_path / "dates.csv"
    path.write_text(text, encoding="utf-8")
    res = ingest.ingest_file(path)
    assert (res.added, res.rejected) == (2, 3)
    why = dict(zip(res.rejects["raw_line"].str[:2], res.rejects["reason"], strict=True))
    assert set(why) == {"D1", "D2", "D5"}
    # in the analyst's words: what is wrong and what to check, not the settings' names
    # how far ahead in days, not the upload's minute: the same row again later is the
    # same reject, kept once
    assert why["D1"] == (
        "responded_at 9999-12-31 00:00 is in the future (more than 1 day after the upload):"
        " check the year and the order of day and month"
    )
    assert (
        why["D2"]
        == "responded_at 1999-12-31 23:00 is before 2000-01-01, the earliest date accepted"
    )
    assert "in the future" in why["D5"]
    assert not any("CX_DATE" in reason for reason in why.values())
    zh = dict(zip(res.rejects["raw_line"].str[:2], res.rejects["reason_zh"], strict=True))
    assert (
        zh["D1"]
        == "提交时间 9999-12-31 00:00 在未来（比上传时间晚 1 天以上）：请检查年份和月、日的顺序"
    )
    assert zh["D2"] == "提交时间 1999-12-31 23:00 早于可接受的最早日期 2000-01-01"
    with db.connect(empty_db) as con:
        last = queries.scalar(con, "SELECT max(responded_at) FROM responses")
    assert last.year < 9999  # the pages' date range stays real


def test_the_date_window_is_a_setting(empty_db, tmp_path, monkeypatch):
    monkeypatch.setenv("CX_DATE_FROM", "2025-01-01")
    path = tmp_path / "old.csv"
    path.write_text(
        "response_id,store_id,responded_at,nps\nO1,S1,2024-12-31,9\nO2,S1,2025-01-02,9\n",
        encoding="utf-8",
    )
    res = ingest.ingest_file(path)
    assert (res.added, res.rejected) == (1, 1)
    assert "2025-01-01" in res.rejects["reason"][0]


# ----------------------------------------------------------------------------- scenario json


@pytest.mark.parametrize(
    "text",
    ["[" * 200_000 + "]" * 200_000, '{"a":' * 100_000 + "1" + "}" * 100_000, " " * 2_000_000],
)
def test_a_nested_or_huge_scenario_file_is_one_sentence(text):
    from cx import planner

    with pytest.raises(ValueError) as err:
        planner.scenario_from_json(text)
    assert "\n" not in str(err.value)
    assert "nested" in str(err.value) or "larger" in str(err.value)


# ----------------------------------------------------------------------------- language


def test_the_command_line_speaks_chinese_when_the_locale_does(empty_db, tmp_path):
    bad = tmp_path / "no_nps.csv"
    bad.write_text("response_id,store_id,responded_at\nA,S1,2025-10-01\n", encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(ROOT), "CX_LANG": "zh"}
    out = subprocess.run(
        [sys.executable, "-m", "cx", "ingest", str(bad), "--db", str(empty_db)],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=60,
    )
    assert out.returncode == 2
    assert "没有推荐分列" in out.stderr and out.stderr.strip().count("\n") == 0


# ----------------------------------------------------------------------------- large undo


def test_undo_of_a_large_upload_restores_exactly(empty_db, tmp_path):
    """A large undo rebuilds the table instead of deleting row by row (42 s -> 3 s for
    300,000 rows); what it leaves must be exactly the state before the upload."""

    def snapshot():
        with db.connect(empty_db) as con:
            return (
                queries.df(con, "SELECT * FROM responses ORDER BY response_id"),
                queries.df(con, "SELECT * FROM stores ORDER BY store_id"),
                queries.df(con, "SELECT * FROM daily_rollup ORDER BY store_id, day"),
            )

    base = tmp_path / "base.csv"
    base.write_text(
        "response_id,store_id,responded_at,nps,comment\n"
        + "".join(
            f"A{i},S{i % 7},2025-10-{1 + i % 28:02d} 09:00,{i % 11},a{i}\n" for i in range(5000)
        ),
        encoding="utf-8",
    )
    ingest.ingest_file(base)
    before = snapshot()
    big = tmp_path / "big.csv"
    big.write_text(
        "response_id,store_id,responded_at,nps,comment\n"
        + "".join(
            f"A{i},S{i % 7},2025-10-{1 + i % 28:02d} 09:00,{(i + 3) % 11},b{i}\n"
            for i in range(100)
        )
        + "".join(
            f"B{i},T{i % 5},2025-09-{1 + i % 28:02d} 09:00,{i % 11},b{i}\n"
            for i in range(ingest.REBUILD_FROM + 1000)
        ),
        encoding="utf-8",
    )
    res = ingest.ingest_file(big)
    assert (res.added, res.replaced) == (ingest.REBUILD_FROM + 1000, 100)
    with db.connect(empty_db) as con:
        out = ingest.undo(con, res.upload_id)
    assert out == {
        "removed": ingest.REBUILD_FROM + 1100,
        "restored": 100,
        "added": ingest.REBUILD_FROM + 1000,
        "callbacks": 0,  # none made on answers it had replaced with another customer's
    }
    after = snapshot()
    for was, now in zip(before, after, strict=True):
        pd.testing.assert_frame_equal(was, now)
    with db.connect(empty_db) as con:  # the key still holds: a repeated id is refused
        with pytest.raises(duckdb.ConstraintException):
            con.execute("INSERT INTO responses (response_id, store_id) VALUES ('A1', 'S1')")


def test_a_large_undo_gets_the_memory_its_rebuild_needs_and_gives_it_back(
    demo_db, tmp_path, monkeypatch
):
    """A rebuilt table commits its whole key index at once, in memory DuckDB cannot
    spill: under a tight limit (at 10 million answers, the default 1 GB) the undo failed
    and left the process unable to use the file. The write raises the limit for its
    own transaction, and the configured limit holds again afterwards."""
    from cx import bench

    export = tmp_path / "more.csv"
    with db.connect(demo_db) as con:
        before = count(demo_db)
        bench.make_export(con, export, ingest.REBUILD_FROM + 10_000)
    res = ingest.ingest_file(export, db_path=demo_db)
    assert res.added == ingest.REBUILD_FROM + 10_000
    monkeypatch.setenv("CX_MEMORY_LIMIT", "16MB")  # too little for this rebuild's commit
    with db.connect(demo_db) as con:
        out = ingest.undo(con, res.upload_id)
        limit = queries.scalar(con, "SELECT current_setting('memory_limit')")
    assert out["removed"] == res.added
    assert count(demo_db) == before
    assert limit == "15.2 MiB"  # 16 MB again
