"""An ingest holds the database file only to look up a saved mapping and an earlier upload
of the same bytes, and for its compare and commit: while the export is read and checked,
page loads (readers in other processes) get in."""

from __future__ import annotations

import contextlib
import json
import subprocess
import sys
import time
from pathlib import Path

import pytest
from support import big_export

from cx import db, ingest, queries

ROOT = Path(__file__).resolve().parent.parent
READER_TIMEOUT = 1.0  # seconds a reader waits before DatabaseBusy


def count(path: Path, sql: str = "SELECT count(*) FROM responses") -> int:
    with db.connect(path) as con:
        return queries.scalar(con, sql)


@pytest.fixture
def events(monkeypatch) -> list[tuple[str, str]]:
    """Every database connection opened and closed, and every progress stage, in order."""
    seen: list[tuple[str, str]] = []
    real = db.connect

    @contextlib.contextmanager
    def watched(*args, **kwargs):
        with real(*args, **kwargs) as con:
            seen.append(("open", ""))
            try:
                yield con
            finally:
                seen.append(("close", ""))

    monkeypatch.setattr(db, "connect", watched)
    return seen


def stages_while_open(events: list[tuple[str, str]]) -> dict[str, bool]:
    """Each progress stage -> whether a database connection was open when it began."""
    depth, out = 0, {}
    for kind, stage in events:
        depth += {"open": 1, "close": -1}.get(kind, 0)
        if kind == "stage":
            out[stage] = depth > 0
    return out


@pytest.mark.parametrize("dry_run", [False, True])
def test_the_file_is_closed_while_the_export_is_parsed_and_checked(
    demo_db, tmp_path, events, dry_run
):
    path = tmp_path / "in.csv"
    path.write_text(
        "response_id,store_id,responded_at,nps\nL1,HZ01,2025-10-01 09:00,9\n"
        "L2,HZ01,2025-10-01 10:00,11\n",
        encoding="utf-8",
    )
    before = count(demo_db)
    events.clear()
    res = ingest.ingest_file(
        path,
        db_path=demo_db,
        dry_run=dry_run,
        progress=lambda _share, stage: events.append(("stage", stage)),
    )
    assert (res.added, res.rejected) == (1, 1)
    assert res.rejects["reason"].tolist() == ["nps 11 is outside 0-10"]
    opened = [kind for kind, _ in events if kind == "open"]
    assert len(opened) == 2  # a moment before, the compare (and commit) after
    held = stages_while_open(events)
    assert held["parse"] is False and held["validate"] is False and held["explain"] is False
    assert held["compare"] is True  # against the rows the database holds
    if dry_run:
        assert "write" not in held
        assert count(demo_db) == before
    else:
        assert held["write"] is True and held["rollups"] is True
        assert count(demo_db) == before + 1


def test_a_file_already_uploaded_is_not_read_again(demo_db, tmp_path, events):
    big = big_export(tmp_path, 2_000)
    first = ingest.ingest_file(big, db_path=demo_db)
    events.clear()
    again = ingest.ingest_file(
        big, db_path=demo_db, progress=lambda _s, st: events.append(("stage", st))
    )
    assert again.duplicate_of == first.upload_id
    assert [kind for kind, _ in events] == ["open", "close"]  # no parse, no second open


INGEST = """
import contextlib, json, sys, time
sys.path.insert(0, {root!r})
from cx import cli, db
real_open, real_connect, opened = db.open_connection, db.connect, []

def open_connection(*args, **kwargs):  # the file is held from here (the schema check too)
    con = real_open(*args, **kwargs)
    opened.append(time.time())
    return con

@contextlib.contextmanager
def timed(*args, **kwargs):
    try:
        with real_connect(*args, **kwargs) as con:
            yield con
    finally:
        if opened:
            print(json.dumps({{"hold": [opened.pop(), time.time()]}}), flush=True)

db.open_connection, db.connect = open_connection, timed
status = cli.main(["ingest", {csv!r}, "--db", {db!r}])
print(json.dumps({{"status": status}}), flush=True)
"""

READER = """
import json, sys, time
from pathlib import Path
sys.path.insert(0, {root!r})
from cx import db
stop = Path({stop!r})
print("READY", flush=True)
while not stop.exists():
    start = time.time()
    try:
        with db.connect({db!r}, timeout={timeout}) as con:
            got = time.time()
            con.execute("SELECT count(*) FROM responses").fetchall()
        print(json.dumps({{"start": start, "got": got, "ok": True}}), flush=True)
    except db.DatabaseBusy:
        print(json.dumps({{"start": start, "end": time.time(), "ok": False}}), flush=True)
    time.sleep(0.02)
"""


def test_a_reader_gets_in_while_a_command_line_ingest_reads_a_big_export(demo_db, tmp_path):
    big = big_export(tmp_path, 150_000)
    stop = tmp_path / "stop"
    reader = subprocess.Popen(
        [
            sys.executable,
            "-c",
            READER.format(root=str(ROOT), stop=str(stop), db=str(demo_db), timeout=READER_TIMEOUT),
        ],
        stdout=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )
    try:
        assert reader.stdout.readline().strip() == "READY"
        started = time.time()
        out = subprocess.run(
            [sys.executable, "-c", INGEST.format(root=str(ROOT), csv=str(big), db=str(demo_db))],
            capture_output=True,
            text=True,
            cwd=ROOT,
            timeout=300,
        )
        finished = time.time()
    finally:
        stop.touch()
        lines, _ = reader.communicate(timeout=60)
    records = [json.loads(line) for line in out.stdout.splitlines() if line.startswith("{")]
    assert records[-1] == {"status": 0}, out.stderr
    holds = [r["hold"] for r in records if "hold" in r]
    attempts = [json.loads(line) for line in lines.splitlines() if line.startswith("{")]
    during = [a for a in attempts if started <= a["start"] <= finished]
    refused = [a for a in during if not a["ok"]]
    waits = [a["got"] - a["start"] for a in during if a["ok"]]
    gap = (holds[0][1], holds[-1][0])  # decoding, parsing, checking: the file is free
    in_gap = [a for a in during if a["ok"] and gap[0] <= a["got"] <= gap[1]]
    print(
        f"\ningest {finished - started:.1f} s; file held {len(holds)}x:"
        f" {', '.join(f'{end - start:.2f} s' for start, end in holds)};"
        f" parse and checks {gap[1] - gap[0]:.2f} s with the file free;"
        f" reader: {len(during)} opens, longest wait {max(waits, default=0):.2f} s,"
        f" {len(in_gap)} while the export was checked, refused {len(refused)}x"
    )
    assert len(holds) == 2
    assert in_gap  # readers got in while the export was read and checked
    for a in refused:  # a refusal only while the ingest held the file (compare, commit)
        assert any(a["start"] < end and a["end"] > start for start, end in holds), a
    assert "added 150000" in out.stdout
