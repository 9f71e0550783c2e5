"""Database files that used to crash, be written into or fail each other: SQLite, another
program's DuckDB file, a truncated file, a newer schema, a read-only file or folder,
two visitors writing at once. Each ends in one sentence and an untouched file."""

from __future__ import annotations

import hashlib
import os
import shutil
import sqlite3
import subprocess
import sys
import threading
from pathlib import Path

import duckdb
import pytest
from support import run_cli

from cx import db, followups, ingest, queries

ROOT = Path(__file__).resolve().parent.parent
GOOD = "response_id,store_id,responded_at,nps\nF1,HZ01,2025-10-01,9\nF2,HZ01,2025-10-01,3\n"


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def cli(*args: str, db_path: Path, lang: str = "C.UTF-8") -> subprocess.CompletedProcess:
    return run_cli(*args, db_path=db_path, lang=lang)


def one_sentence(out: subprocess.CompletedProcess, code: int, *words: str) -> None:
    assert out.returncode == code, out.stderr
    assert "Traceback" not in out.stderr
    assert out.stderr.strip().count("\n") == 0, out.stderr
    for word in words:
        assert word in out.stderr, out.stderr


@pytest.fixture
def good_csv(tmp_path) -> Path:
    path = tmp_path / "good.csv"
    path.write_text(GOOD, encoding="utf-8")
    return path


# ----------------------------------------------------------------------------- foreign files


def test_a_sqlite_file_is_refused_untouched(tmp_path, good_csv):
    path = tmp_path / "other.db"
    con = sqlite3.connect(path)
    con.execute("CREATE TABLE notes (x)")
    con.commit()
    con.close()
    before = sha(path)
    one_sentence(cli("ingest", str(good_csv), db_path=path), 2, "SQLite", "nothing was written")
    zh = cli("ingest", str(good_csv), db_path=path, lang="zh_CN.UTF-8")
    one_sentence(zh, 2, "SQLite", "没有写入")
    assert sha(path) == before


def test_another_programs_duckdb_file_gets_no_tables_added(tmp_path, good_csv):
    path = tmp_path / "warehouse.duckdb"
    with duckdb.connect(str(path)) as con:
        con.execute("CREATE TABLE orders (id INTEGER)")
        con.execute("INSERT INTO orders VALUES (1), (2)")
    before = sha(path)
    one_sentence(cli("ingest", str(good_csv), db_path=path), 2, "another program", "orders")
    with pytest.raises(db.DatabaseRefused):
        with db.connect(path):
            pass
    with duckdb.connect(str(path), read_only=True) as con:
        tables = con.execute("SELECT table_name FROM information_schema.tables").fetchall()
    assert tables == [("orders",)]  # not 13 more
    assert sha(path) == before


@pytest.mark.parametrize("keep", [5000, 0.5])
def test_a_truncated_database_is_refused_untouched(demo_db, tmp_path, good_csv, keep):
    data = demo_db.read_bytes()
    path = tmp_path / "cut.duckdb"
    path.write_bytes(data[: int(keep if keep > 1 else len(data) * keep)])
    before = sha(path)
    one_sentence(cli("ingest", str(good_csv), db_path=path), 2, "damaged or truncated")
    assert sha(path) == before


def test_garbage_and_empty_files_are_refused(tmp_path, good_csv):
    for name, data in (("junk.duckdb", b"hello world" * 100), ("empty.duckdb", b"")):
        path = tmp_path / name
        path.write_bytes(data)
        one_sentence(cli("ingest", str(good_csv), db_path=path), 2, "damaged")
        assert path.read_bytes() == data


def test_a_newer_schema_is_refused_and_rows_stay(demo_db, good_csv):
    with db.connect(demo_db) as con:
        con.execute(
            "UPDATE meta SET value = ? WHERE key = 'schema_version'", [str(db.SCHEMA_VERSION + 1)]
        )
    with duckdb.connect(str(demo_db), read_only=True) as con:
        n = con.execute("SELECT count(*) FROM responses").fetchall()[0][0]
    one_sentence(
        cli("ingest", str(good_csv), db_path=demo_db),
        2,
        "newer version",
        f"schema {db.SCHEMA_VERSION + 1}",
    )
    with duckdb.connect(str(demo_db), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM responses").fetchall()[0][0] == n


# ----------------------------------------------------------------------------- read-only


@pytest.fixture
def read_only():
    """Make a file or folder unwritable for this process (chattr +i when running as root)."""
    done: list[Path] = []

    def make(path: Path) -> None:
        if os.geteuid() == 0:
            out = subprocess.run(["chattr", "+i", str(path)], capture_output=True)
            if out.returncode:
                pytest.skip("cannot make a file read-only for root here")
        else:
            path.chmod(0o555 if path.is_dir() else 0o444)
        done.append(path)

    yield make
    for path in done:
        if os.geteuid() == 0:
            subprocess.run(["chattr", "-i", str(path)], capture_output=True)
        else:
            path.chmod(0o755 if path.is_dir() else 0o644)


def _responses(path: Path) -> int:
    with duckdb.connect(str(path), read_only=True) as con:
        return con.execute("SELECT count(*) FROM responses").fetchall()[0][0]


@pytest.mark.parametrize("what", ["file", "folder"])
def test_a_read_only_database_is_read_and_refuses_writes_in_one_sentence(
    demo_db, good_csv, tmp_path, read_only, what
):
    folder = tmp_path / "ro"
    folder.mkdir()
    path = folder / "cx.duckdb"
    shutil.copy(demo_db, path)
    n = _responses(path)
    read_only(path if what == "file" else folder)
    with db.connect(path) as con:  # reading needs no write
        assert queries.scalar(con, "SELECT count(*) FROM responses") == n
        with pytest.raises(db.ReadOnlyDatabase, match="read-only"):
            followups.set_followup(con, "x", "open")
    with pytest.raises(db.ReadOnlyDatabase):
        ingest.ingest_file(good_csv, db_path=path)
    one_sentence(cli("ingest", str(good_csv), db_path=path), 2, "read-only")
    assert _responses(path) == n


def test_a_missing_database_in_a_read_only_folder_is_one_sentence(tmp_path, good_csv, read_only):
    folder = tmp_path / "locked"
    folder.mkdir()
    read_only(folder)
    one_sentence(cli("ingest", str(good_csv), db_path=folder / "cx.duckdb"), 2, "cannot be created")


def test_the_app_runs_read_only_and_says_so(demo_db, read_only):
    from streamlit.testing.v1 import AppTest

    from cx.i18n import t

    read_only(demo_db)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.run()
    assert not at.exception, at.exception
    assert t("data.read_only_mode", "zh") in [w.value for w in at.sidebar.warning]
    at.switch_page("pages/data.py").run()
    assert not at.exception
    assert at.metric  # the numbers are read


# ----------------------------------------------------------------------------- one process


def test_two_visitors_writing_at_once_never_fail_each_other(demo_db, tmp_path):
    """An upload and callback saves from two threads of one app process (5 of 5 failed
    with "Conflict on update!" before writes took turns)."""
    with db.connect(demo_db) as con:
        ids = [
            r[0]
            for r in con.execute(
                "SELECT response_id FROM responses WHERE nps <= 6 LIMIT 40"
            ).fetchall()
        ]
    errors: list[BaseException] = []
    files = []
    for k in range(5):
        path = tmp_path / f"up{k}.csv"
        rows = "".join(
            f"W{k}_{i},HZ01,2025-10-{1 + i % 28:02d} 10:00,{i % 11}\n" for i in range(3000)
        )
        path.write_text("response_id,store_id,responded_at,nps\n" + rows, encoding="utf-8")
        files.append(path)

    def uploads():
        try:
            for path in files:
                ingest.ingest_file(path, db_path=demo_db)
        except BaseException as exc:
            errors.append(exc)

    def callbacks():
        try:
            for rid in ids:
                with db.connect(demo_db) as con:
                    followups.set_followup(con, rid, "contacted", owner="A", user="v2")
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=uploads), threading.Thread(target=callbacks)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert not errors, errors
    with db.connect(demo_db) as con:
        assert (
            queries.scalar(con, "SELECT count(*) FROM responses WHERE response_id LIKE 'W%'")
            == 15_000
        )
        done = queries.scalar(
            con, "SELECT count(*) FROM followups WHERE status = 'contacted' AND updated_by = 'v2'"
        )
    assert done == len(ids)


def test_the_app_on_a_truncated_database_says_so_in_one_sentence(demo_db):
    from streamlit.testing.v1 import AppTest

    from cx.i18n import t

    data = demo_db.read_bytes()
    demo_db.write_bytes(data[: len(data) // 2])
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.run()
    assert not at.exception, at.exception
    shown = [e.value for e in at.error]
    assert any("已损坏或不完整" in e for e in shown), shown
    assert t("app.error", "zh") not in shown  # not the generic "something went wrong"
    assert demo_db.read_bytes() == data[: len(data) // 2]


def test_the_demo_command_never_replaces_another_programs_file(tmp_path):
    path = tmp_path / "notes.sqlite"
    con = sqlite3.connect(path)
    con.execute("CREATE TABLE notes (x)")
    con.commit()
    con.close()
    before = sha(path)
    one_sentence(cli("demo", "--scale", "0.01", db_path=path), 2, "SQLite")
    assert sha(path) == before


def test_the_app_over_a_foreign_file_says_so_and_writes_nothing(tmp_path, monkeypatch):
    from streamlit.testing.v1 import AppTest

    path = tmp_path / "warehouse.duckdb"
    with duckdb.connect(str(path)) as con:
        con.execute("CREATE TABLE orders (id INTEGER)")
    before = sha(path)
    monkeypatch.setenv("CX_DB", str(path))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.run()
    assert not at.exception, at.exception
    assert any("其他程序的 DuckDB 数据库" in e.value for e in at.error), [e.value for e in at.error]
    assert sha(path) == before


def test_the_upload_page_on_a_read_only_database_previews_but_offers_no_write(demo_db, read_only):
    from streamlit.testing.v1 import AppTest

    from cx.i18n import t

    n = _responses(demo_db)
    read_only(demo_db)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.run()
    at.switch_page("pages/upload.py").run()
    assert not at.exception, at.exception
    at.file_uploader(key="up_file").set_value(("good.csv", GOOD.encode(), "text/csv")).run()
    assert not at.exception, at.exception
    assert {m.label: m.value for m in at.metric}[t("up.count.add", "zh")] == "2"
    assert t("data.read_only_mode", "zh") in [i.value for i in at.info]
    keys = {b.key for b in at.button}
    assert "up_commit" not in keys and not any(str(k).startswith("up_undo_") for k in keys)
    assert _responses(demo_db) == n


def _other_program_writes(path: Path) -> subprocess.CompletedProcess:
    code = "import duckdb, sys; c = duckdb.connect(sys.argv[1]); c.execute('CHECKPOINT')"
    return subprocess.run(
        [sys.executable, "-c", code, str(path)], capture_output=True, text=True, timeout=60
    )


def test_the_file_is_another_programs_once_its_last_connection_here_closes(
    demo_db, tmp_path, monkeypatch
):
    """The process's connections to a file share it: it stays held while one is open and
    is free for the command-line writer as soon as the last closes. What a query cannot
    keep in memory goes to the process's own temp folder, not beside the app's files."""
    monkeypatch.setenv("CX_TMP", str(tmp_path / "tmp"))
    first, second = db.open_connection(demo_db), db.open_connection(demo_db)
    try:
        spill = second.execute("SELECT current_setting('temp_directory')").fetchall()[0][0]
        assert Path(spill) == tmp_path / "tmp" / f"p{os.getpid()}" / "duck"
        db.close(first)
        assert second.execute("SELECT count(*) FROM responses").fetchall()[0][0] > 0
        held = _other_program_writes(demo_db)
        assert held.returncode != 0 and "lock" in held.stderr.lower(), held.stderr
    finally:
        db.close(second)
    free = _other_program_writes(demo_db)
    assert free.returncode == 0, free.stderr
    with db.connect(demo_db) as con:  # and this process opens it again afterwards
        assert con.execute("SELECT count(*) FROM responses").fetchall()[0][0] > 0


def test_a_file_open_here_with_other_settings_is_not_called_damaged(demo_db):
    """DuckDB refuses a second connection to a file this process has open with other
    settings (read-only beside read-write): that is said as it is, not as a damaged file."""
    held = db.open_connection(demo_db, read_only=False)
    try:
        with pytest.raises(db.DatabaseBusy) as refused:
            db.open_connection(demo_db, read_only=True)
        assert "already has the database cx.duckdb open with other settings" in str(refused.value)
        assert "damaged" not in str(refused.value)
        assert "文件本身没有问题" in refused.value.text("zh")
    finally:
        db.close(held)
    with db.connect(demo_db) as con:  # and the file is read as ever afterwards
        assert con.execute("SELECT count(*) FROM responses").fetchall()[0][0] > 0


@pytest.mark.parametrize(("setting", "threads"), [("1", 1), ("2", 2), ("", None), ("lots", None)])
def test_cx_threads_sets_each_connections_threads(empty_db, monkeypatch, setting, threads):
    """``CX_THREADS`` gives every connection the app opens (the database's, an upload's
    workspace) that many DuckDB threads; unset or not a whole number, DuckDB's default."""
    monkeypatch.setenv("CX_THREADS", setting)
    default = duckdb.connect().execute("SELECT current_setting('threads')").fetchall()[0][0]
    with db.connect(empty_db) as con:
        opened = con.execute("SELECT current_setting('threads')").fetchall()[0][0]
    with ingest._workspace() as work:
        working = work.execute("SELECT current_setting('threads')").fetchall()[0][0]
    assert opened == working == (threads or default)
