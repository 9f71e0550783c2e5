"""Readers never wait for a long write: an upload's commit, an undo and the demo publish a
snapshot of the committed file, and a reader of another process that finds the file held
reads that snapshot (the last committed state) instead of waiting."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest
from support import another_program_holds

from cx import db, demo, ingest, snapshot, ui

ROOT = Path(__file__).resolve().parent.parent

EXPORT = (
    "response_id,store_id,responded_at,nps\n"
    "SNAP-1,HZ01,2025-10-30 09:00,9\n"
    "SNAP-2,HZ01,2025-10-30 10:00,3\n"
)


def _counts(path) -> tuple[int, int]:
    """(answers, data version) of a file, read without this app's settings."""
    with duckdb.connect(str(path), read_only=True) as con:
        rows = con.execute("SELECT count(*) FROM responses").fetchall()[0][0]
        return rows, db.data_version(con)


def _upload(tmp_path, path) -> ingest.Result:
    """An upload, and its readers' copy once another process has published it."""
    export = tmp_path / "export.csv"
    export.write_text(EXPORT, encoding="utf-8")
    result = ingest.ingest_file(export, db_path=path)
    db.wait_for_publishers()
    return result


def test_an_upload_and_its_undo_publish_the_committed_file(demo_db, tmp_path):
    """Published by another process once the write has let the file go."""
    snap = db.snapshot_path(demo_db)
    assert not snap.exists()  # a copied file: nothing published for it yet
    result = _upload(tmp_path, demo_db)
    assert result.added == 2
    assert _counts(snap) == _counts(demo_db)
    assert db.published_version(demo_db) == _counts(demo_db)[1]
    with db.connect(demo_db) as con:
        ingest.undo(con, result.upload_id, user="tester")
    db.wait_for_publishers()
    assert _counts(snap) == _counts(demo_db)
    assert db.published_version(demo_db) == _counts(demo_db)[1]


def test_a_reader_reads_the_snapshot_while_another_process_holds_the_file(demo_db, tmp_path):
    _upload(tmp_path, demo_db)
    committed = _counts(demo_db)
    with another_program_holds(demo_db):
        with db.connect(demo_db, timeout=1, fallback_after=0.1) as con:
            rows = con.execute("SELECT count(*) FROM responses").fetchall()[0][0]
            assert (rows, db.data_version(con)) == committed
            assert db.is_read_only(con)
        with pytest.raises(db.DatabaseBusy):  # a writer still waits, bounded, and says so
            with db.connect(demo_db, timeout=0.5):
                pass


def test_a_read_running_in_the_process_never_fails_a_committed_upload(
    demo_db, tmp_path, monkeypatch
):
    """DuckDB refuses a checkpoint while another connection's read that began before the
    commit runs. An upload's commit then stands and says so; the readers' copy stays the
    previous one, whole, until the next long write publishes first."""
    monkeypatch.setattr(db, "CHECKPOINT_WAITS", (0.01, 0.01))
    with db.connect(demo_db) as con:
        db.publish_snapshot(con)
    before = _counts(demo_db)
    page = db.open_connection(demo_db)  # a page of this process, mid-read
    try:
        page.execute("BEGIN TRANSACTION")
        assert page.execute("SELECT count(*) FROM responses").fetchall()[0][0] == before[0]
        assert _upload(tmp_path, demo_db).added == 2
        page.execute("COMMIT")
    finally:
        db.close(page)
    assert _counts(demo_db)[0] == before[0] + 2
    assert _counts(db.snapshot_path(demo_db)) == before  # not published, not half
    assert db.published_version(demo_db) == before[1]
    with db.connect(demo_db) as con:  # the next long write publishes the file first
        with db.transaction(con, publish=True):
            db.bump_data_version(con)
    db.wait_for_publishers()
    assert _counts(db.snapshot_path(demo_db)) == _counts(demo_db)


def test_once_one_reader_found_a_writer_the_next_go_to_the_snapshot_at_once(
    demo_db, tmp_path, monkeypatch
):
    """An upload holds the file for its whole run: the first reader to find it held waits
    the fallback delay, the readers after it open the snapshot without waiting again, and
    once the writer is done they read the file itself."""
    _upload(tmp_path, demo_db)
    naps: list[float] = []

    class Clock:
        monotonic = staticmethod(time.monotonic)

        @staticmethod
        def sleep(seconds: float) -> None:
            naps.append(seconds)
            time.sleep(seconds)

    monkeypatch.setattr(db, "time", Clock)
    monkeypatch.setattr(db, "_WRITER_SEEN", {})
    with another_program_holds(demo_db):
        started = time.monotonic()
        with db.connect(demo_db, timeout=5, fallback_after=0.2) as con:
            assert db.is_read_only(con)
            waited = time.monotonic() - started
        # the first one waited the fallback delay for the writer to finish (its naps and
        # its attempts to open the file: on a busy machine an attempt takes tens of ms)
        assert naps and waited >= 0.2
        naps.clear()
        for _ in range(3):
            with db.connect(demo_db, timeout=5, fallback_after=0.2) as con:
                assert db.is_read_only(con)
                assert con.execute("SELECT count(*) FROM responses").fetchall()[0][0] > 0
        assert naps == []
    with db.connect(demo_db, timeout=5, fallback_after=0.2) as con:
        assert not db.is_read_only(con)  # the writer is gone: the file itself
    assert naps == []


def test_without_a_snapshot_a_reader_still_waits_and_says_so(demo_db):
    with another_program_holds(demo_db), pytest.raises(db.DatabaseBusy):
        with db.connect(demo_db, timeout=0.5, fallback_after=0.1):
            pass


def test_a_long_write_first_publishes_short_writes_made_since(demo_db, tmp_path, monkeypatch):
    """A callback saved after the last publish is in the snapshot readers fall back on
    while the next upload commits (not only after it)."""
    _upload(tmp_path, demo_db)
    with db.connect(demo_db) as con, db.transaction(con):  # a short write: no publish
        con.execute("UPDATE stores SET store_name = 'Renamed' WHERE store_id = 'HZ01'")
        db.bump_data_version(con)
    short = _counts(demo_db)[1]
    assert db.published_version(demo_db) == short - 1
    seen = []
    real = db.publish_snapshot

    def watch(c):  # the first publish of the long write, before its BEGIN
        seen.append(db.data_version(c))
        return real(c)

    monkeypatch.setattr(db, "publish_snapshot", watch)
    with db.connect(demo_db) as con, db.transaction(con, publish=True):
        con.execute("DELETE FROM responses WHERE response_id = 'SNAP-1'")
        db.bump_data_version(con)
    assert seen == [short]  # and after the commit, from another process:
    db.wait_for_publishers()
    assert db.published_version(demo_db) == short + 1
    with duckdb.connect(str(db.snapshot_path(demo_db)), read_only=True) as snap:
        name = snap.execute("SELECT store_name FROM stores WHERE store_id = 'HZ01'").fetchall()
    assert name == [("Renamed",)]


def test_a_deployment_publishes_a_missing_or_older_snapshot_before_it_starts(demo_db):
    """A copied or restored file has no readers' copy: ensure_snapshot publishes one (then
    leaves a current one alone, and brings an older one up to date)."""
    assert not db.snapshot_path(demo_db).exists()
    assert db.ensure_snapshot(demo_db)
    assert _counts(db.snapshot_path(demo_db)) == _counts(demo_db)
    stamp = db.snapshot_path(demo_db).stat().st_mtime_ns
    assert db.ensure_snapshot(demo_db)
    assert db.snapshot_path(demo_db).stat().st_mtime_ns == stamp  # current: not copied again
    with db.connect(demo_db) as con, db.transaction(con):  # a short write: no publish
        con.execute("UPDATE stores SET store_name = 'Renamed' WHERE store_id = 'HZ01'")
        db.bump_data_version(con)
    assert db.ensure_snapshot(demo_db)
    assert _counts(db.snapshot_path(demo_db)) == _counts(demo_db)
    with another_program_holds(demo_db), db.connect(demo_db, fallback_after=0.1) as con:
        assert con.execute("SELECT store_name FROM stores WHERE store_id = 'HZ01'").fetchall() == [
            ("Renamed",)
        ]
    assert not db.ensure_snapshot(demo_db.parent / "missing.duckdb")


def test_the_demo_publishes_its_file(tmp_path):
    path = tmp_path / "cx.duckdb"
    demo.build(path, scale=0.02, force=True)
    assert _counts(db.snapshot_path(path)) == _counts(path)


def test_a_page_reads_the_snapshot_while_another_program_commits(app, demo_db, tmp_path):
    """The Data page, opened while another program holds the file, shows the committed
    figures at once instead of the busy message."""
    _upload(tmp_path, demo_db)
    rows = _counts(demo_db)[0]
    app.session_state["ui_lang"] = "en"
    with another_program_holds(demo_db):
        ui.invalidate()
        app.switch_page("pages/data.py").run()
        assert not app.exception, app.exception
        assert not app.error, [e.value for e in app.error]
        shown = {m.label: m.value for m in app.metric}
        assert shown["Answers"] == f"{rows:,}"


def test_after_an_upgrade_a_store_manager_reads_the_readers_copy_of_the_new_schema(demo_db):
    """A file and its readers' copy written by the previous version (schema 5, no
    monthly_raw); the new version migrates the file on start. The copy must follow: a
    store manager's pages read it while an upload holds the file."""
    from cx import access
    from cx.queries import cx_overview
    from cx.scope import Scope

    with db.connect(demo_db) as con, db.transaction(con):
        con.execute("DROP TABLE monthly_raw")
        con.execute("DELETE FROM meta WHERE key = 'monthly_raw'")
        con.execute("UPDATE meta SET value = '5' WHERE key = 'schema_version'")
        version = db.bump_data_version(con)
    db.forget_checks()
    assert db.publish_copy(demo_db, demo_db, version)  # the old version's copy
    assert db.ensure_snapshot(demo_db)  # a deployment starting: migrates, then publishes
    with duckdb.connect(str(db.snapshot_path(demo_db)), read_only=True) as snap:
        assert db.schema_version(snap) == db.SCHEMA_VERSION
    manager = access.Person(email="m@x.com", roles=frozenset({"store"}), stores=frozenset({"HZ01"}))
    with another_program_holds(demo_db), db.connect(demo_db, fallback_after=0.1) as con:
        assert db.is_read_only(con)  # the readers' copy
        access.apply_scope(con, manager)
        months = cx_overview.monthly_inputs(con, Scope(), *_months(con))
        assert months["n"].sum() > 0


def _months(con):
    last = con.execute("SELECT max(day) FROM daily_rollup").fetchall()[0][0]
    return last.replace(day=1).replace(year=last.year - 1), last.replace(day=1)


def test_a_readers_copy_of_an_earlier_schema_is_not_read(demo_db):
    """Until the new version has published its copy, a reader waits for the file rather
    than reading a copy of the earlier schema (which it would refuse)."""
    with db.connect(demo_db) as con, db.transaction(con):
        con.execute("UPDATE meta SET value = '5' WHERE key = 'schema_version'")
        version = db.bump_data_version(con)
    assert db.publish_copy(demo_db, demo_db, version)
    with db.connect(demo_db) as con, db.transaction(con):
        con.execute(
            "UPDATE meta SET value = ? WHERE key = 'schema_version'", [str(db.SCHEMA_VERSION)]
        )
    with another_program_holds(demo_db), pytest.raises(db.DatabaseBusy):
        with db.connect(demo_db, timeout=0.6, fallback_after=0.1):
            pass


def _another_program_can_open(path) -> bool:
    """Whether another process could open the database for writing right now."""
    probe = subprocess.run(
        [
            sys.executable,
            "-c",
            "import duckdb, sys; duckdb.connect(sys.argv[1]).close()",
            str(path),
        ],
        capture_output=True,
        text=True,
    )
    return probe.returncode == 0


def test_a_write_keeps_the_file_to_itself_while_it_publishes_the_readers_copy(demo_db):
    """POSIX record locks belong to a process, and closing any descriptor of a file drops
    them: copying the database file here let another program open it in the middle of a
    write, and that program's commit overwrote this one's (an upload lost). The copy is
    made by another process, and opening the file again here does not read it."""
    with db.connect(demo_db) as con:
        assert not _another_program_can_open(demo_db)
        with db.transaction(con, publish=True):  # publishes first: there is no copy yet
            assert db.snapshot_path(demo_db).exists()
            assert not _another_program_can_open(demo_db)
            with db.connect(demo_db) as again:  # a second page of this process
                again.execute("SELECT count(*) FROM responses").fetchall()
            assert not _another_program_can_open(demo_db)
            db.bump_data_version(con)
        assert not _another_program_can_open(demo_db)
    assert _another_program_can_open(demo_db)


def test_an_upload_while_the_command_line_uploads_loses_nothing(empty_db, tmp_path):
    """The command line starts a big upload; the app uploads one answer while it reads
    its file. Both are kept, whichever commits first (the app's used to vanish when the
    command line opened the file during the app's write)."""
    from support import big_export, cli_ingest_started

    big = big_export(tmp_path, 40_000)
    small = tmp_path / "small.csv"
    small.write_text("response_id,store_id,responded_at,nps\nC1,S1,2025-10-01,9\n", "utf-8")
    for pause in (0.0, 0.4, 0.6, 0.8):
        path = tmp_path / f"db{pause}.duckdb"
        with db.connect(path):
            pass
        cli = cli_ingest_started(big, path)
        time.sleep(pause)
        assert ingest.ingest_file(small, db_path=path).added == 1
        _, err = cli.communicate(timeout=120)
        assert cli.returncode == 0, err
        with db.connect(path) as con:
            assert con.execute("SELECT count(*) FROM responses").fetchall()[0][0] == 40_001
            assert con.execute("SELECT count(*) FROM uploads").fetchall()[0][0] == 2


def _short_write_elsewhere(path, name: str) -> None:
    """Another program renames HZ01 and bumps the data version (its close checkpoints)."""
    subprocess.run(
        [
            sys.executable,
            "-c",
            "import duckdb, sys; c = duckdb.connect(sys.argv[1]);"
            " c.execute(\"UPDATE stores SET store_name = ? WHERE store_id = 'HZ01'\", [sys.argv[2]]);"
            ' c.execute("UPDATE meta SET value = CAST(CAST(value AS BIGINT) + 1 AS VARCHAR)'
            " WHERE key = 'data_version'\"); c.close()",
            str(path),
            name,
        ],
        check=True,
    )


def _published_name(path) -> str:
    with duckdb.connect(str(db.snapshot_path(path)), read_only=True) as snap:
        return snap.execute("SELECT store_name FROM stores WHERE store_id = 'HZ01'").fetchall()[0][
            0
        ]


def test_a_copy_another_program_wrote_into_is_made_again(demo_db, monkeypatch):
    """The readers' copy is made while nothing holds the file, so another program may
    write meanwhile: a copy made across that write could mix two states and is never
    put in place, even though it is newer than the published one; the next copy is. It
    is recorded as the version the long write committed: the copy holds that or later."""
    assert db.ensure_snapshot(demo_db)
    published = db.published_version(demo_db)
    _short_write_elsewhere(demo_db, "Written before")  # the published copy is behind
    committed = _counts(demo_db)[1]
    copies = []

    def copy_then_someone_writes(source, part):
        snapshot._copy_elsewhere(source, part)
        if not copies:
            _short_write_elsewhere(source, "Written meanwhile")
        copies.append(part)

    monkeypatch.setattr(snapshot, "PUBLISH_TRIES", 1)
    assert not snapshot.publish_when_still(demo_db, committed, copy=copy_then_someone_writes)
    assert db.published_version(demo_db) == published  # the copy before: still in place
    assert _published_name(demo_db) not in ("Written before", "Written meanwhile")
    assert not list(demo_db.parent.glob(".*.part"))
    monkeypatch.setattr(snapshot, "PUBLISH_TRIES", 3)
    assert snapshot.publish_when_still(demo_db, committed, copy=copy_then_someone_writes)
    assert db.published_version(demo_db) == committed == published + 1
    assert _counts(db.snapshot_path(demo_db))[1] == committed + 1
    assert _published_name(demo_db) == "Written meanwhile"


def test_an_older_copy_never_replaces_a_newer_one(demo_db, tmp_path):
    """Two copies made at about the same time (one in the background after a write, one
    at the start of the next): the newer stays in place, whichever comes last."""
    older = tmp_path / "older.duckdb"
    snapshot._copy_elsewhere(demo_db, older)
    _short_write_elsewhere(demo_db, "Newer")
    assert db.ensure_snapshot(demo_db)
    newer = db.published_version(demo_db)
    part = snapshot._part_path(demo_db)
    snapshot._copy_elsewhere(older, part)
    with duckdb.connect(str(part), read_only=True) as con:
        version = db.data_version(con)
    assert version == newer - 1
    assert not snapshot._put_in_place(part, demo_db, version, only_newer=True)
    assert db.published_version(demo_db) == newer
    assert _published_name(demo_db) == "Newer"
    assert not part.exists()


def test_a_killed_publishers_half_copy_is_removed(demo_db):
    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()
    half = snapshot._part_path(demo_db, gone.pid)
    half.write_bytes(b"\0" * 4096)
    mine = snapshot._part_path(demo_db, os.getppid())  # a process that is still running
    mine.write_bytes(b"\0" * 4096)
    assert snapshot.publish_when_still(demo_db, _counts(demo_db)[1])
    assert not half.exists()
    assert mine.exists()
    mine.unlink()


def test_the_command_line_upload_publishes_after_it_has_exited(demo_db, tmp_path):
    """The command line returns once the upload is committed; the copy for readers is
    made by a process of its own that goes on after it."""
    from support import run_cli

    assert db.ensure_snapshot(demo_db)
    export = tmp_path / "export.csv"
    export.write_text(EXPORT, encoding="utf-8")
    done = run_cli("ingest", str(export), db_path=demo_db)
    assert done.returncode == 0, done.stderr
    committed = _counts(demo_db)
    deadline = time.monotonic() + 60
    while db.published_version(demo_db) != committed[1] and time.monotonic() < deadline:
        time.sleep(0.1)
    assert _counts(db.snapshot_path(demo_db)) == committed
