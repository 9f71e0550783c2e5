"""How long a command-line ingest (and its undo) holds the database file, and how long a
reader waits meanwhile.

A realistic UTF-8 export (``bench_ingest.make_export``: ~25 columns, Chinese text, ~0.2 %
rejects, new ids) is loaded into a copy of the full demo with ``python -m cx ingest`` in a
fresh process, then undone with ``python -m cx undo``. The child records every
``cx.db.connect`` it opens (how long each held the file); a reader thread here opens the
file over and over as a page does (``cx.db.connect`` with the snapshot fallback, schema
checked once, one count) and records each wait and which reads the snapshot answered. ``--tree`` runs the child against another checkout of ``cx`` (e.g. ``git archive
HEAD cx | tar -x -C /tmp/old``) to compare with an earlier version. Not a test: timings are
printed, never asserted.

    .venv/bin/python tests/benchmarks/bench_ingest_lock.py [--rows 300000 1000000] [--tree DIR]
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_ingest import make_export  # noqa: E402

from cx import db, demo  # noqa: E402

CHILD = """
import contextlib, json, sys, time
sys.path.insert(0, {root!r})
from cx import cli, db
holds = []
real = db.connect

@contextlib.contextmanager
def timed(*args, **kwargs):
    with real(*args, **kwargs) as con:
        start = time.perf_counter()
        try:
            yield con
        finally:
            holds.append(time.perf_counter() - start)

db.connect = timed
start = time.perf_counter()
status = cli.main(sys.argv[1:])
print(json.dumps({{"status": status, "seconds": time.perf_counter() - start, "holds": holds}}))
"""


def child(tree: Path, *args: str) -> dict:
    out = subprocess.run(
        [sys.executable, "-c", CHILD.format(root=str(tree)), *args],
        capture_output=True,
        text=True,
        cwd=tree,
    )
    if not out.stdout.strip():
        raise SystemExit(out.stderr)
    lines = out.stdout.strip().splitlines()
    return {"out": lines[:-1], **json.loads(lines[-1])}


def reader(
    path: Path, done: threading.Event, waits: list[float], refused: list[float], fallbacks: list
) -> None:
    """Open the file as a page does (the readers' snapshot when the file is held), count,
    close, every 50 ms; each open's wait (a refusal after 2 s), and which reads came from
    the snapshot."""
    while not done.is_set():
        start = time.perf_counter()
        try:
            with db.connect(path, timeout=2, fallback_after=db.FALLBACK_AFTER) as con:
                waited = time.perf_counter() - start
                con.execute("SELECT count(*) FROM uploads").fetchall()
                if db.is_read_only(con):
                    fallbacks.append(waited)
            waits.append(waited)
        except db.DatabaseBusy:
            refused.append(time.perf_counter() - start)
        time.sleep(0.05)


def measure(tree: Path, base: Path, export: Path, work: Path) -> dict:
    copy = work / "target.duckdb"
    shutil.copy(base, copy)
    with db.connect(copy) as con:  # as after the last long write: the readers' copy is there
        db.publish_snapshot(con)
    out: dict = {}
    for step, args in (
        ("ingest", ["ingest", str(export), "--db", str(copy)]),
        ("undo", None),
    ):
        if args is None:
            with db.connect(copy) as con:
                upload = con.execute("SELECT max(upload_id) FROM uploads").fetchall()[0][0]
            args = ["undo", str(upload), "--db", str(copy)]
        waits: list[float] = []
        refused: list[float] = []
        fallbacks: list[float] = []
        done = threading.Event()
        thread = threading.Thread(target=reader, args=(copy, done, waits, refused, fallbacks))
        thread.start()
        time.sleep(0.2)
        try:
            res = child(tree, *args)
        finally:
            done.set()
            thread.join()
        res["reader_longest_wait"] = max(waits, default=0.0)
        res["reader_opens"] = len(waits)
        res["reader_refused"] = len(refused)
        res["reader_snapshot"] = len(fallbacks)
        out[step] = res
    for leftover in (copy, db.snapshot_path(copy), Path(f"{db.snapshot_path(copy)}.version")):
        leftover.unlink(missing_ok=True)
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, nargs="+", default=[300_000, 1_000_000])
    parser.add_argument("--tree", type=Path, action="append", help="a checkout of cx to run")
    parser.add_argument("--demo", type=Path, help="the full demo database (built if absent)")
    args = parser.parse_args()
    trees = args.tree or [ROOT]
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        base = args.demo or work / "full.duckdb"
        if not base.exists():
            demo.build(base, force=True)
        with db.connect(base) as con:
            answers = con.execute("SELECT count(*) FROM responses").fetchall()[0][0]
        print(f"full demo: {answers:,} answers")
        for rows in args.rows:
            export = work / f"export_{rows}.csv"
            make_export(export, rows, "utf-8")
            print(f"export: {rows:,} rows, {export.stat().st_size / 1e6:.0f} MB (UTF-8)")
            for tree in trees:
                got = measure(tree, base, export, work)
                for step, res in got.items():
                    holds = res["holds"]
                    print(
                        f"  {tree}: {step} {res['seconds']:.1f} s (exit {res['status']});"
                        f" file held {len(holds)}x, longest {max(holds, default=0):.2f} s,"
                        f" in all {sum(holds):.2f} s; reader: {res['reader_opens']} opens,"
                        f" longest wait {res['reader_longest_wait']:.2f} s,"
                        f" refused after 2 s {res['reader_refused']}x,"
                        f" read the snapshot {res['reader_snapshot']}x"
                    )
                    for line in res["out"]:
                        if line.startswith(("upload #", "dry run")) or " undone:" in line:
                            print(f"    {line}")
            export.unlink()


if __name__ == "__main__":
    main()
