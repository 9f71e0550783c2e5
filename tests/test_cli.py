"""The command line, a kill in the middle of an upload, and two writers at the same time."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import pytest
from support import another_program_holds, big_export, run_cli

from cx import access, cli, db, ingest, queries

ROOT = Path(__file__).resolve().parent.parent
GOOD = "response_id,store_id,responded_at,nps\nC1,S1,2025-10-01,9\nC2,S1,2025-10-01,11\n"


def cli_here(capsys, monkeypatch, *args: str, db_path: Path, lang: str | None = None):
    """:func:`support.run_cli` through ``cli.main`` in this process: the same environment
    (``CX_DB``, and ``LANG`` when given), exit status and output, without a fresh
    interpreter (0.8 CPU seconds each). Each command also runs once as ``python -m cx``
    in this module."""
    monkeypatch.setenv("CX_DB", str(db_path))
    if lang is not None:
        monkeypatch.setenv("LANG", lang)
        monkeypatch.delenv("CX_LANG", raising=False)
        monkeypatch.delenv("LC_ALL", raising=False)
    capsys.readouterr()
    try:
        code = cli.main(list(args))
    except SystemExit as exc:  # the argument parser's own refusals
        code = exc.code
    out = capsys.readouterr()
    return subprocess.CompletedProcess(args, code, out.out, out.err)


def count(path: Path, table: str = "responses") -> int:
    with db.connect(path) as con:
        return queries.scalar(con, f"SELECT count(*) FROM {table}")


def test_ingest_exit_codes_and_output(tmp_path, capsys, monkeypatch):
    path = tmp_path / "cx.duckdb"
    good = tmp_path / "good.csv"
    good.write_text(GOOD, encoding="utf-8")
    out = run_cli("ingest", str(good), "--db", str(path), db_path=tmp_path / "other.duckdb")
    assert out.returncode == 0, out.stderr
    assert "added 1" in out.stdout and "rejected 1" in out.stdout
    assert "line 3: nps 11 is outside 0-10" in out.stdout
    assert count(path) == 1  # --db beats CX_DB
    assert not (tmp_path / "other.duckdb").exists()

    bad = tmp_path / "bad.csv"
    bad.write_text("response_id,store_id,responded_at\nA,S,2025-10-01\n", encoding="utf-8")
    out = cli_here(capsys, monkeypatch, "ingest", str(bad), "--db", str(path), db_path=path)
    assert out.returncode == 2
    assert out.stderr.strip().count("\n") == 0 and "No nps column" in out.stderr
    assert count(path) == 1
    # a survey tool's own names: the sentence lists the headers it found, to map or rename
    other = tmp_path / "survey.csv"
    other.write_text("ResponseId,StoreCode,EndDate,NPS\nR1,S1,2025-10-01,9\n", "utf-8")
    out = cli_here(capsys, monkeypatch, "ingest", str(other), "--db", str(path), db_path=path)
    assert out.returncode == 2 and out.stderr.strip().endswith(
        "Required column responded_at not found in the header row (line 1: ResponseId,"
        " StoreCode, EndDate, NPS); name it so, or map it on the Upload page."
    ), out.stderr
    # every missing column at once (腾讯问卷's names: it had named response_id only, and
    # the analyst fixed the file and ran it again once for each)
    tencent = tmp_path / "tencent.csv"
    tencent.write_text("编号,用户标识,结束答题时间,推荐分\n1,u1,2025-10-01 10:00,9\n", "utf-8")
    out = cli_here(capsys, monkeypatch, "ingest", str(tencent), db_path=path)
    assert out.returncode == 2 and (
        "Required columns response_id, store_id, responded_at not found" in out.stderr
    ), out.stderr
    assert "name them so, or map them on the Upload page." in out.stderr


def test_the_command_line_speaks_the_locales_language(tmp_path, capsys, monkeypatch):
    """LANG=zh_CN: every line in Chinese, the rejects' reasons too, numbers plain for
    scripts; any other locale: English. The first and the last two runs are ``python -m
    cx`` with the locale in its environment, the others ``cli.main`` here with the same
    environment (:func:`cli_here`)."""
    path = tmp_path / "cx.duckdb"
    good = tmp_path / "good.csv"
    good.write_text(GOOD, encoding="utf-8")
    out = run_cli("ingest", str(good), "--dry-run", db_path=path, lang="zh_CN.UTF-8")
    assert out.returncode == 0, out.stderr
    assert out.stdout.startswith("试运行（未写入，以下为提交后的结果）：good.csv：读取 2，新增 1，")
    assert "拒绝 1" in out.stdout and "第 3 行：推荐分 11 超出 0-10" in out.stdout
    assert "另有" not in out.stdout  # its one reject printed: nothing more to count
    here = {"db_path": path, "lang": "zh_CN.UTF-8"}
    out = cli_here(capsys, monkeypatch, "ingest", str(good), **here)
    assert out.stdout.startswith("上传 #") and "新增 1" in out.stdout
    with db.connect(path) as con:
        upload_id = queries.scalar(con, "SELECT max(upload_id) FROM uploads")
    out = cli_here(capsys, monkeypatch, "undo", str(upload_id), **here)
    assert out.stdout.strip() == f"上传 #{upload_id} 已撤销：移除它新增的 1 行，恢复它替换的 0 行"
    out = cli_here(capsys, monkeypatch, "access", "list", **here)
    assert out.stdout.startswith("没有任何授权")
    out = run_cli("access", "list", db_path=path, lang="C.UTF-8")
    assert out.stdout.startswith("no grants")
    out = run_cli("digest", "--date", "2025-13-01", db_path=path, lang="zh_CN.UTF-8")
    assert (
        out.returncode == 2 and out.stderr.strip() == "--date '2025-13-01' 不是日期（YYYY-MM-DD）"
    )
    # an argument refused as typed, argparse's own words too (they had stayed English:
    # "argument role: invalid choice: 'bogus' (choose from …)"), and its help's headings
    for args, said in (
        (("undo", "abc"), "python -m cx undo: 参数 upload_id：'abc' 不是上传编号"),
        (
            ("uploads", "--limit", "0"),
            "python -m cx uploads: 参数 --limit：'0' 不是 1 或更大的整数",
        ),
        (
            ("access", "grant", "a@b.cc", "bogus"),
            "python -m cx access grant: 参数 role：无效的选项",
        ),
    ):
        out = cli_here(capsys, monkeypatch, *args, **here)
        assert out.returncode == 2 and out.stderr.startswith(said), out.stderr
    out = cli_here(capsys, monkeypatch, "undo", "--help", **here)
    assert out.stdout.startswith("用法：") and "显示本帮助并退出" in out.stdout, out.stdout
    # its headings end as Chinese ones do ("位置参数:" had argparse's ASCII colon)
    headings = [line for line in out.stdout.splitlines() if line and not line[0].isspace()]
    assert headings[-2:] == ["位置参数：", "选项："], out.stdout
    out = cli_here(capsys, monkeypatch, "undo", "abc", db_path=path, lang="C.UTF-8")
    assert (
        out.stderr.strip() == "python -m cx undo: argument upload_id: not an upload number: 'abc'"
    )


def test_dry_run_and_undo_from_the_command_line(tmp_path, capsys, monkeypatch):
    path = tmp_path / "cx.duckdb"
    good = tmp_path / "good.csv"
    good.write_text(GOOD, encoding="utf-8")
    out = run_cli("ingest", str(good), "--dry-run", "--show", "0", db_path=path)
    assert out.returncode == 0 and out.stdout.startswith("dry run")
    assert out.stdout.rstrip().endswith(  # the rejects it did not print, counted
        "and 1 more rejected (--show N prints more; the Upload page downloads all)"
    )
    assert count(path) == 0
    assert cli.main(["ingest", str(good), "--db", str(path)]) == 0
    with db.connect(path) as con:
        upload_id = queries.scalar(con, "SELECT max(upload_id) FROM uploads")
    # the same rows saved again (other bytes): nothing written, and said so (it read
    # 'dry run' although none was asked for)
    again = tmp_path / "again.csv"
    again.write_bytes(GOOD.replace("\n", "\r\n").encode("utf-8"))
    out = cli_here(capsys, monkeypatch, "ingest", str(again), db_path=path)
    assert out.returncode == 0 and out.stdout.startswith("nothing to write (every row is already")
    assert "dry run" not in out.stdout
    with db.connect(path) as con:
        assert queries.scalar(con, "SELECT max(upload_id) FROM uploads") == upload_id
    out = run_cli("undo", str(upload_id), db_path=path)
    assert out.returncode == 0 and "1 added row removed," in out.stdout  # not "1 rows"
    assert count(path) == 0
    out = cli_here(capsys, monkeypatch, "undo", str(upload_id), db_path=path)
    assert out.returncode == 2 and "already undone" in out.stderr
    assert cli.main(["undo", "4242", "--db", str(path)]) == 2


def test_demo_command_builds_a_small_database(tmp_path):
    path = tmp_path / "demo.duckdb"
    out = run_cli("demo", "--db", str(path), "--scale", "0.02", db_path=path)
    assert out.returncode == 0, out.stderr
    assert count(path) > 1000
    assert count(path, "stores") >= 40
    # the targets' stamp is the app's clock, as the demo upload's (it was DuckDB's UTC,
    # eight hours behind the upload's in Shanghai)
    with db.connect(path) as con:
        gap = con.execute(
            "SELECT max(abs(epoch(t.updated_at) - epoch(u.uploaded_at))) FROM targets t,"
            " uploads u WHERE u.upload_id = 0"
        ).fetchall()[0][0]
    assert gap < 600, gap


def test_uploads_lists_the_numbers_undo_takes_as_printed(tmp_path, capsys):
    """Undo needs an upload's number, which only an ingest's own line had shown, and
    '#2' as printed there was refused."""
    path = tmp_path / "cx.duckdb"
    good = tmp_path / "good\x1b[31m.csv"  # a terminal escape in a file name stays inert
    good.write_text(GOOD, encoding="utf-8")
    assert cli.main(["ingest", str(good), "--db", str(path)]) == 0
    capsys.readouterr()
    assert cli.main(["uploads", "--db", str(path)]) == 0
    [line] = capsys.readouterr().out.splitlines()
    number, state, _when, name, counts, who = line.split("\t")
    assert (state, name, counts, who) == (
        "in effect",
        "good?[31m.csv",
        "read 2, added 1, replaced 0, unchanged 0, rejected 1",
        "cli:tester",  # as the audit log writes who ran a command
    )
    assert cli.main(["undo", number, "--db", str(path)]) == 0  # as printed: '#1'
    assert number.startswith("#") and count(path) == 0
    # the upload and its undo are in the audit log, as the Upload page's are
    with db.connect(path) as con:
        log = access.audit_log(con).iloc[::-1]  # oldest first
    assert log[["who", "action"]].values.tolist() == [
        ["cli:tester", "upload"],
        ["cli:tester", "undo"],
    ]
    assert log["target"].tolist()[0].startswith(number + " ")
    assert log["detail"].tolist() == [
        "added=1 replaced=0 rejected=1 unchanged=0 read=2",  # every row read accounted for
        "removed=1 restored=0",
    ]
    capsys.readouterr()
    assert cli.main(["uploads", "--db", str(path)]) == 0
    assert capsys.readouterr().out.split("\t")[1] == "undone"
    with pytest.raises(SystemExit):
        cli.main(["undo", "#x", "--db", str(path)])
    assert "not an upload number: '#x'" in capsys.readouterr().err
    for zero in ("0", "-3"):  # '--limit 0' had listed one upload
        with pytest.raises(SystemExit):
            cli.main(["uploads", "--limit", zero, "--db", str(path)])
        assert f"'{zero}' is not a whole number of 1 or more" in capsys.readouterr().err
    typo = tmp_path / "cx.duckbd"  # a mistyped --db: said, and no empty file made
    assert cli.main(["uploads", "--db", str(typo)]) == 2
    assert capsys.readouterr().err.strip() == f"no database at {typo}" and not typo.exists()


def test_demo_over_an_existing_database_refuses_unless_forced(tmp_path, capsys):
    """A 'demo' typed against the live file had replaced every upload and grant without
    a word; it now says what the file holds and leaves it, unless --force."""
    path = tmp_path / "cx.duckdb"
    good = tmp_path / "good.csv"
    good.write_text(GOOD, encoding="utf-8")
    assert cli.main(["ingest", str(good), "--db", str(path)]) == 0
    assert cli.main(["access", "grant", "a@x.example", "admin", "--db", str(path)]) == 0
    capsys.readouterr()
    before = path.read_bytes()
    assert cli.main(["demo", "--db", str(path), "--scale", "0.01"]) == 2
    said = capsys.readouterr().err.strip()
    assert said == (
        f"{path} already exists (1 answer, 1 upload, 1 access grant); demo would replace"
        " it with the demo data and lose them. Add --force to replace it."
    )
    assert path.read_bytes() == before
    assert cli.main(["demo", "--db", str(path), "--scale", "0.01", "--force"]) == 0
    assert count(path) > 1000 and count(path, "access_grants") == 0


def test_killed_in_the_middle_of_an_upload_leaves_the_database_as_before(demo_db, tmp_path):
    big = big_export(tmp_path)
    with db.connect(demo_db) as con:
        before = queries.df(con, "SELECT count(*) AS n, sum(nps) AS s FROM responses")
        version = db.data_version(con)
    script = textwrap.dedent(
        f"""
        import sys, time
        sys.path.insert(0, {str(ROOT)!r})
        from cx import ingest
        def progress(share, stage):
            if stage == "rollups":  # inside the transaction, rows already inserted
                print("INSIDE", flush=True)
                time.sleep(60)
        ingest.ingest_file({str(big)!r}, db_path={str(demo_db)!r}, progress=progress)
        """
    )
    proc = subprocess.Popen(
        [sys.executable, "-c", script], stdout=subprocess.PIPE, text=True, cwd=ROOT
    )
    line = proc.stdout.readline()
    assert line.strip() == "INSIDE"
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    with db.connect(demo_db) as con:
        after = queries.df(con, "SELECT count(*) AS n, sum(nps) AS s FROM responses")
        assert db.data_version(con) == version
        assert queries.scalar(con, "SELECT count(*) FROM uploads WHERE file_name = 'big.csv'") == 0
    assert after.equals(before)


def test_app_and_cli_writing_at_the_same_time_wait_for_each_other(empty_db, tmp_path):
    """The app's upload waits while ``python -m cx ingest`` holds the file in its
    transaction, says so once, and writes after it: both uploads in, nothing lost. (The
    command line pauses inside its transaction until the app has asked: a fixed sleep had
    the app start before or after the command line held the file, and the test passed
    either way.)"""
    big = big_export(tmp_path, 40_000)
    small = tmp_path / "small.csv"
    small.write_text(GOOD, encoding="utf-8")
    asked = tmp_path / "asked"
    script = textwrap.dedent(
        f"""
        import sys, time
        from pathlib import Path
        sys.path.insert(0, {str(ROOT)!r})
        from cx import cli, db
        refresh = db.refresh_rollups
        def paused(*args, **kwargs):  # inside the transaction, the answers inserted
            print("INSIDE", flush=True)
            end = time.monotonic() + 60
            while not Path({str(asked)!r}).exists() and time.monotonic() < end:
                time.sleep(0.05)
            time.sleep(0.5)  # the app is waiting for the file
            return refresh(*args, **kwargs)
        db.refresh_rollups = paused
        sys.exit(cli.main(["ingest", {str(big)!r}, "--db", {str(empty_db)!r}]))
        """
    )
    proc = subprocess.Popen(
        [sys.executable, "-c", script],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout.readline().strip() == "INSIDE"
    waited = []

    def waiting(seconds: float) -> None:
        waited.append(seconds)
        asked.touch()

    timer = threading.Timer(5, asked.touch)  # in case the app never had to wait
    timer.start()
    try:
        res = ingest.ingest_file(small, db_path=empty_db, on_wait=waiting)
    finally:
        timer.cancel()
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == 0, err
    assert "added 40000" in out, out
    assert res.added == 1
    assert len(waited) == 1, waited  # it waited, and said so once
    assert count(empty_db) == 40_000 + 1
    assert count(empty_db, "uploads") == 2


def test_a_busy_database_gives_a_clear_message_after_the_bounded_wait(empty_db, monkeypatch):
    with another_program_holds(empty_db, 30):
        monkeypatch.setenv("CX_LOCK_TIMEOUT", "1")
        told = []
        start = time.monotonic()
        with pytest.raises(db.DatabaseBusy, match="busy"):
            with db.connect(empty_db, on_wait=told.append):
                pass
        assert 0.9 < time.monotonic() - start < 10
        assert len(told) == 1
        out = run_cli(
            "ingest", str(ROOT / "tests" / "fixtures" / "survey_export_en.csv"), db_path=empty_db
        )
        assert out.returncode == 3 and "busy" in out.stderr


def test_a_reader_never_sees_half_an_upload(empty_db, tmp_path):
    """While a big upload commits in another thread, every read sees 0 or all of it."""
    big = big_export(tmp_path, 30_000)
    seen: list[int] = []
    stop = threading.Event()

    def reader():
        while not stop.is_set():
            try:
                with db.connect(empty_db, timeout=30) as con:
                    seen.append(queries.scalar(con, "SELECT count(*) FROM responses"))
            except db.DatabaseBusy:
                pass
            time.sleep(0.01)

    thread = threading.Thread(target=reader)
    thread.start()
    try:
        ingest.ingest_file(big, db_path=empty_db)
    finally:
        stop.set()
        thread.join()
    assert seen and set(seen) <= {0, 30_000}


def test_an_export_replacing_another_stores_answers_is_said(tmp_path, capsys, monkeypatch):
    """Row numbers as ids (each export 1, 2, 3 …): the command line says, as the Upload
    page does, that the rows replaced another store's answers, before and after."""
    path = tmp_path / "cx.duckdb"
    head = "response_id,store_id,responded_at,nps\n"
    hz, sh = tmp_path / "hz.csv", tmp_path / "sh.csv"
    hz.write_text(head + "1,HZ01,2025-10-30 10:00,9\n2,HZ01,2025-10-30 11:00,9\n", "utf-8")
    sh.write_text(head + "1,SH03,2025-10-30 10:00,3\n2,SH03,2025-10-30 11:00,3\n", "utf-8")
    first = cli_here(capsys, monkeypatch, "ingest", str(hz), db_path=path, lang="en_US.UTF-8")
    assert first.returncode == 0 and "another store" not in first.stdout
    dry = cli_here(capsys, monkeypatch, "ingest", str(sh), "--dry-run", db_path=path)
    assert "Note: 2 rows would replace answers of another store (HZ01)" in dry.stdout
    done = cli_here(capsys, monkeypatch, "ingest", str(sh), db_path=path)
    assert "Note: 2 rows replaced answers of another store (HZ01)" in done.stdout


def test_two_columns_named_as_the_same_answer_are_said(tmp_path, capsys, monkeypatch):
    """推荐意愿 and NPS评分 both name nps: the leftmost is read, and the command line
    says so (it read one of them without a word)."""
    path = tmp_path / "cx.duckdb"
    both = tmp_path / "both.csv"
    both.write_text(
        "response_id,store_id,responded_at,推荐意愿,NPS评分\nD1,HZ01,2025-10-30 10:00,9,3\n",
        "utf-8",
    )
    out = cli_here(capsys, monkeypatch, "ingest", str(both), db_path=path, lang="zh_CN.UTF-8")
    assert out.returncode == 0
    assert "推荐意愿、NPS评分 都是 nps，读的是最左边的“推荐意愿”" in out.stdout
    with db.connect(path) as con:
        assert queries.scalar(con, "SELECT nps FROM responses") == 9


def test_answers_moved_from_many_stores_name_three_and_count_the_rest(
    tmp_path, capsys, monkeypatch
):
    """29 rows from 22 stores read '(BJ01, BJ03, HK01)', as if those were all."""
    path = tmp_path / "cx.duckdb"
    head = "response_id,store_id,responded_at,nps\n"
    first, second = tmp_path / "first.csv", tmp_path / "second.csv"
    first.write_text(head + "".join(f"{i},S{i},2025-10-30 10:00,9\n" for i in range(5)), "utf-8")
    second.write_text(head + "".join(f"{i},HZ01,2025-10-30 10:00,3\n" for i in range(5)), "utf-8")
    assert cli_here(capsys, monkeypatch, "ingest", str(first), db_path=path).returncode == 0
    dry = cli_here(capsys, monkeypatch, "ingest", str(second), "--dry-run", db_path=path)
    assert "another store (S0, S1, S2 and 2 more stores)" in dry.stdout, dry.stdout
    zh = cli_here(capsys, monkeypatch, "ingest", str(second), db_path=path, lang="zh_CN.UTF-8")
    assert "（S0、S1、S2及另外 2 家门店）" in zh.stdout, zh.stdout


def test_an_older_export_after_a_corrected_one_is_named_before_and_after_it_writes(
    tmp_path, capsys, monkeypatch
):
    """Week 42's export, then week 43's correcting one of its answers, then week 42's
    again as exported anew (other bytes, so not 'identical'): the correction would go
    without a word. The dry run asks whether it is an older export and names the upload
    that corrected the answers; the written upload says to undo it if so. A correction
    that is not put back, and a first upload, say nothing of it."""
    path = tmp_path / "cx.duckdb"
    head = "response_id,store_id,responded_at,nps\n"
    w42, w43, again = (tmp_path / n for n in ("w42.csv", "w43.csv", "w42_again.csv"))
    w42.write_text(head + "A1,HZ01,2025-10-13 10:00,3\nA2,HZ01,2025-10-14 10:00,9\n", "utf-8")
    w43.write_text(head + "A1,HZ01,2025-10-13 10:00,6\nA3,HZ01,2025-10-20 10:00,9\n", "utf-8")
    again.write_text(head + "A2,HZ01,2025-10-14 10:00,9\r\nA1,HZ01,2025-10-13 10:00,3\r\n", "utf-8")
    first = cli_here(capsys, monkeypatch, "ingest", str(w42), db_path=path)
    second = cli_here(capsys, monkeypatch, "ingest", str(w43), db_path=path)
    assert "older export" not in first.stdout + second.stdout
    dry = cli_here(capsys, monkeypatch, "ingest", str(again), "--dry-run", db_path=path)
    assert (
        "Note: 1 row would put answers back as they were before upload #2 w43.csv corrected"
        " them; is this an older export?"
    ) in dry.stdout, dry.stdout
    zh = cli_here(capsys, monkeypatch, "ingest", str(again), db_path=path, lang="zh_CN.UTF-8")
    assert (
        "注意：1 行把答卷改回了上传 #2 w43.csv 更正之前的样子；若这是一份较早的导出，请撤销本次上传。"
        in (zh.stdout)
    ), zh.stdout
    with db.connect(path) as con:
        assert queries.scalar(con, "SELECT nps FROM responses WHERE response_id = 'A1'") == 3


def test_without_user_in_the_environment_the_account_is_recorded(monkeypatch):
    """cron, systemd and containers often set no USER: the command line recorded
    'cli:analyst' for whoever ran it; the README promises the OS user."""
    import pwd

    from cx import config

    for name in ("CX_USER", "USER", "LOGNAME", "LNAME", "USERNAME"):
        monkeypatch.delenv(name, raising=False)
    assert config.current_user() == pwd.getpwuid(os.getuid()).pw_name
    assert cli._operator().email == f"cli:{pwd.getpwuid(os.getuid()).pw_name}"
    monkeypatch.setenv("CX_USER", "nightly-job")
    assert config.current_user() == "nightly-job"


def test_a_mistyped_database_path_is_said_and_no_file_is_made(tmp_path, capsys, monkeypatch):
    """`access list`, `access revoke`, `undo` and a refused `ingest` at a mistyped --db had
    each made an empty database there (`access list` then said 'no grants', exit 0). The
    first grant of a new installation still makes its file, and says so."""
    ghost = tmp_path / "typo" / "cx.duckdb"
    (tmp_path / "typo").mkdir()
    for args in (("undo", "1"), ("access", "list"), ("access", "revoke", "a@b.example")):
        out = cli_here(capsys, monkeypatch, *args, db_path=ghost, lang="en_US.UTF-8")
        assert (out.returncode, out.stderr.strip()) == (2, f"no database at {ghost}"), args
    refused = tmp_path / "nothere.csv"
    out = cli_here(capsys, monkeypatch, "ingest", str(refused), db_path=ghost)
    assert out.returncode == 2 and not ghost.exists() and not list(ghost.parent.iterdir())
    out = cli_here(capsys, monkeypatch, "access", "grant", "boss@x.example", "admin", db_path=ghost)
    assert out.returncode == 0 and ghost.exists()
    assert out.stderr.startswith(f"no database at {ghost} yet: an empty one is made")


def test_refusals_speak_chinese_in_one_line_and_options_are_checked(tmp_path, capsys, monkeypatch):
    """Under a Chinese locale the grant, revoke and digest refusals were English; argparse's
    refusals printed their usage block first; `--show -1` printed two reasons and '4 more';
    `demo --rows 100` stopped on an IndexError."""
    path = tmp_path / "cx.duckdb"
    cli_here(capsys, monkeypatch, "access", "grant", "boss@x.example", "admin", db_path=path)
    zh = "zh_CN.UTF-8"
    said = {
        ("access", "grant", "s@x.example", "store"): "门店角色至少要选一家门店。",
        ("access", "revoke", "nobody@x.example"): "nobody@x.example 没有授权。",
        ("access", "revoke", "boss@x.example"): "boss@x.example 是最后一位管理员：",
        ("digest", "--date", "2025-10-31", "--store", "XX99"): "没有门店“XX99”",
    }
    for args, start in said.items():
        out = cli_here(capsys, monkeypatch, *args, db_path=path, lang=zh)
        assert out.returncode == 2 and out.stderr.startswith(start), (args, out.stderr)
        assert len(out.stderr.strip().splitlines()) == 1, out.stderr
    for args, words in (
        (
            ("ingest", "x.csv", "--show", "-1"),
            "argument --show: '-1' is not a whole number of 0 or more",
        ),
        (("demo", "--rows", "100"), "argument --rows: '100': the demo needs 10,000 rows or more"),
        (("undo",), "the following arguments are required: upload_id"),
    ):
        out = cli_here(capsys, monkeypatch, *args, db_path=path, lang="en_US.UTF-8")
        assert out.returncode == 2 and out.stderr.strip().splitlines() == [
            f"python -m cx {args[0]}: {words}"
        ], out.stderr


def test_undoing_the_demo_removes_it_whole(tmp_path, capsys, monkeypatch):
    """`undo 0` took the demo's answers and left its 117,772 follow-ups, their logs and its
    targets behind; it removes the demo as the Upload page does."""
    from cx import demo

    path = tmp_path / "cx.duckdb"
    demo.build(path, rows=10_000)
    out = cli_here(capsys, monkeypatch, "undo", "#0", db_path=path, lang="en_US.UTF-8")
    assert out.returncode == 0 and out.stdout.startswith("demo data removed: ")
    for table in ("responses", "followups", "followup_log", "targets"):
        assert count(path, table) == 0, table
    out = cli_here(capsys, monkeypatch, "undo", "0", db_path=path, lang="en_US.UTF-8")
    assert (out.returncode, out.stderr.strip()) == (2, "the database holds no demo data")


def test_a_file_name_with_a_terminals_escape_prints_on_one_line(tmp_path, capsys, monkeypatch):
    path = tmp_path / "cx.duckdb"
    name = tmp_path / "we\tek\x1b[31mRED\n.csv"
    name.write_text(GOOD, encoding="utf-8")
    out = cli_here(capsys, monkeypatch, "ingest", str(name), db_path=path, lang="en_US.UTF-8")
    first = out.stdout.splitlines()[0]
    assert "\x1b" not in out.stdout and "we?ek?[31mRED?.csv: read 2" in first, out.stdout


def test_a_rejects_quoted_value_and_a_listings_cells_print_as_text(tmp_path, capsys, monkeypatch):
    """A reject's reason quotes the file's value: terminal escapes in it cleared the line
    and printed a summary of their own. `uploads` wrote a file named '=HYPERLINK(…)' into
    its tab-separated cell as it was, where the Data page's CSV writes "'=…"."""
    path = tmp_path / "cx.duckdb"
    export = tmp_path / "=HYPERLINK(x).csv"
    export.write_text(
        "response_id,store_id,responded_at,nps\n"
        "U1,S1,2025-10-01,9\nU2,S1,2025-10-01,\x1b[2Kupload #99: all rows added\x1b[8m\n",
        encoding="utf-8",
    )
    out = cli_here(capsys, monkeypatch, "ingest", str(export), db_path=path, lang="en_US.UTF-8")
    assert out.returncode == 0 and "\x1b" not in out.stdout, out.stdout
    assert "'?[2Kupload #99: all rows added?[8m'" in out.stdout, out.stdout
    out = cli_here(capsys, monkeypatch, "uploads", db_path=path, lang="en_US.UTF-8")
    cells = out.stdout.splitlines()[0].split("\t")
    assert "'=HYPERLINK(x).csv" in cells, cells


def test_ingest_notes_new_store_codes_and_columns_kept(tmp_path, capsys, monkeypatch):
    """As the Upload page says them: stores new to the data (named as an existing one),
    columns a re-export lacks kept on the answers it replaces."""
    path = tmp_path / "cx.duckdb"
    first = tmp_path / "first.csv"
    first.write_text(
        "response_id,store_id,store_name,responded_at,nps,csat\nU1,S1,一号店,2025-10-01,9,5\n",
        encoding="utf-8",
    )
    out = cli_here(capsys, monkeypatch, "ingest", str(first), db_path=path, lang="en_US.UTF-8")
    assert "Stores new to the data" not in out.stdout  # the first stores of a database
    again = tmp_path / "again.csv"
    again.write_text(
        "response_id,store_id,store_name,responded_at,nps\n"
        "U1,S1,一号店,2025-10-01,10\nU2,S01,一号店,2025-10-01,9\n",
        encoding="utf-8",
    )
    out = cli_here(capsys, monkeypatch, "ingest", str(again), db_path=path, lang="zh_CN.UTF-8")
    assert (
        "注意：数据里没有过的门店：S01（像已有的 S1：同名，或编号只差大小写）。门店编号是否写错？"
        in out.stdout
    )
    assert "注意：文件没有 csat 列：文件中已存在的 1 份答卷在这些列保留原有的值" in out.stdout, (
        out.stdout
    )
    with db.connect(path) as con:
        assert con.execute(
            "SELECT nps, csat FROM responses WHERE response_id = 'U1'"
        ).fetchall() == [(10, 5)]


def test_help_speaks_the_locales_language(tmp_path, capsys, monkeypatch):
    """`--help` was English under LANG=zh_CN.UTF-8, where every other line is Chinese."""
    from cx.i18n import t

    for lang, code in (("zh_CN.UTF-8", "zh"), ("en_US.UTF-8", "en")):
        out = cli_here(capsys, monkeypatch, "--help", db_path=tmp_path / "x.duckdb", lang=lang)
        assert out.returncode == 0
        for key in ("cli.help.tools", "cli.help.ingest", "cli.help.undo"):
            assert t(key, code) in out.stdout, (code, key, out.stdout)
        out = cli_here(capsys, monkeypatch, "ingest", "--help", db_path=tmp_path / "x.duckdb",
                       lang=lang)  # fmt: skip
        assert t("cli.help.dry_run", code) in out.stdout


def test_bench_refuses_a_missing_database_and_a_demo_too_small(tmp_path, capsys, monkeypatch):
    """`bench --db` at a typo built a million-answer demo there (13 s, 164 MB); `bench
    --rows 5000` ended in a 26-line traceback."""
    ghost = tmp_path / "typo.duckdb"
    out = cli_here(capsys, monkeypatch, "bench", "--db", str(ghost), db_path=ghost)
    assert (out.returncode, out.stderr.strip()) == (2, f"no database at {ghost}")
    assert not ghost.exists()
    out = cli_here(capsys, monkeypatch, "bench", "--rows", "5000", db_path=ghost)
    assert out.returncode == 2 and len(out.stderr.strip().splitlines()) == 1, out.stderr
    # --repeat 0 (the median of no runs) ended in a traceback; argparse's usage block
    # came before a wrong number's line
    out = cli_here(capsys, monkeypatch, "bench", "--repeat", "0", db_path=ghost)
    assert (out.returncode, out.stderr) == (
        2,
        "python -m cx bench: argument --repeat: '0' is not a whole number of 1 or more\n",
    )


def test_columns_not_read_are_named(tmp_path, capsys, monkeypatch):
    """'commment' and 'wait_mins' were dropped without a word (exit 0): their values are
    never stored. The command names them, in the locale's language."""
    path = tmp_path / "cx.duckdb"
    export = tmp_path / "x.csv"
    export.write_text(
        "response_id,store_id,responded_at,nps,commment,wait_mins\nU1,S1,2025-10-01,9,hi,5\n",
        encoding="utf-8",
    )
    out = cli_here(capsys, monkeypatch, "ingest", str(export), db_path=path, lang="en_US.UTF-8")
    assert out.returncode == 0
    assert "Note: 2 columns not read (no field of the data): commment, wait_mins;" in out.stdout
    out = cli_here(
        capsys, monkeypatch, "ingest", str(export), "--dry-run", db_path=path, lang="zh_CN.UTF-8"
    )
    assert "注意：2 列未读取（不对应任何字段）：commment、wait_mins；" in out.stdout


def test_a_folder_named_for_an_export_is_said_to_be_a_folder(tmp_path, capsys):
    """`ingest exports/` read "File not found" of a folder that is there."""
    folder = tmp_path / "exports"
    folder.mkdir()
    assert cli.main(["ingest", str(folder), "--db", str(tmp_path / "cx.duckdb")]) == 2
    err = capsys.readouterr().err
    assert f"{folder} is a folder: name the export files in it (e.g. {folder}/*.csv)." in err
    assert not (tmp_path / "cx.duckdb").exists()  # refused before a database was made
