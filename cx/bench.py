"""``python -m cx bench [--rows N]``: every page's data cold and warm, beside peers, in one run.

What it measures (medians of ``--repeat`` runs, milliseconds):

* **calls**: each page is run once through Streamlit's AppTest with ``cx.ui._cached``
  recorded, so the bench replays exactly the query functions and arguments the page
  asks for (the board: store HZ01 and the whole network, its latest day; the other
  pages: the whole network, their default dates).
* **cold**: a fresh process replays the page's calls through ``cx.ui.load`` (imports
  excluded): schema check, connections, scope, queries.
* **warm**: the same calls through ``cx.ui.load`` after Streamlit's cache was cleared
  (what a page costs right after an upload bumped the data version); **cached**: again
  without clearing (a rerun); **one con**: the query functions on one open connection.
* **pandas**: the page's columns read from a Parquet copy of ``responses``, then a
  store x day NPS group-by in pandas (a peer for the scan work, not the page's maths).
* **bare scan**: ``SELECT store_id, count(*), avg(nps) FROM responses GROUP BY 1`` on one
  open connection, measured beside every page.
* **ingest**: a 1,000,000-row export (a sample of the database's own answers over its
  whole history, new ids; UTF-8 and GB18030) into a copy of the N-row database, against
  DuckDB's bare ``CREATE TABLE AS SELECT * FROM read_csv(...)`` of the same UTF-8 file;
  the next period as an analyst uploads it (the latest answers moved past the last day,
  new ids) against its own bare read (each bare read the median of three); and how
  long a reader (``cx.ui.load`` of the stores, cache cleared) waits while the first
  ingest runs; and how long after each ingest's end the readers' copy of its commit is
  in place (made by another process once the ingest let the file go).
* **page runs**: each page run whole through AppTest (data, charts, tables): the first
  run after every cache was cleared, a rerun, and the bytes its elements send.
* **peak memory** of the process (RSS).

Prints a Markdown table; asserts nothing. Streamlit is imported only inside the
functions that replay the app's loads.
"""

from __future__ import annotations

import contextlib
import json
import os
import pickle
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from datetime import datetime, timedelta
from datetime import time as dtime
from pathlib import Path

from cx import db, demo, rules

ROOT = Path(__file__).resolve().parent.parent
MORNING = "board, network, the morning after"
PAGES = ("board", "board, network", MORNING, "overview", "segments", "heatmap", "quadrant")
PAGES += ("planner",)
# The board twice: a store's (HZ01) and the whole network's (a region's or the national
# manager's, the heaviest); the other pages run for the whole network. The demo's data
# is old, so its board's clock is the end of its last day; MORNING is the network's
# board as a manager opens it at 8:30 the day after the last answers (the clock real
# time, the board's day yesterday, the latest with answers: its callbacks worked as of
# now, cx.followups.as_of), cached on the minute as today's board is.
BOARD_STORES = {"board": "HZ01", "board, network": "*", MORNING: "*"}
BARE = "SELECT store_id, count(*), avg(nps) FROM responses GROUP BY 1"
# the answer columns each page's queries read (for the pandas peer)
PAGE_COLUMNS = {
    "board": ["store_id", "responded_at", "nps", "pain_point", "comment", "advisor"],
    "board, network": ["store_id", "responded_at", "nps", "pain_point", "comment", "advisor"],
    MORNING: ["store_id", "responded_at", "nps", "pain_point", "comment", "advisor"],
    "overview": ["store_id", "responded_at", "nps", "wait_minutes", "csat", "ces"]
    + ["first_time_fix"],
    "segments": ["store_id", "responded_at", "nps", "pain_point", "comment", "advisor"]
    + ["service_type", "vehicle_model", "channel", "customer_tier", "duration_seconds"],
    "heatmap": ["store_id", "responded_at", "nps"]
    + [f"tp_{t}" for t in ("appointment", "reception", "waiting", "advisor")],
    "quadrant": ["store_id", "responded_at", "nps", "csi_initiation", "csi_advisor"],
    "planner": ["store_id", "responded_at", "nps", "pain_point"],
}


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:,.0f}"


def _median(func, repeat: int, runs: list[float] | None = None) -> float:
    """The median seconds of ``repeat`` calls; each run's seconds appended to ``runs``."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
    if runs is not None:
        runs.extend(times)
    return statistics.median(times)


def _peak_mb() -> float:
    """This process's peak RSS (VmHWM: ru_maxrss would carry a parent's across exec)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


# --------------------------------------------------------------------------- recording


@contextlib.contextmanager
def _morning_after(on: bool) -> Iterator[None]:
    """The queue's clock at 8:30 the day after the latest answer (when ``on``)."""
    import pandas as pd

    from cx import followups

    real = followups.queue_now

    def morning(latest, real_now=None):
        when = pd.Timestamp(latest).to_pydatetime() if latest is not None else datetime.now()
        return real(latest, datetime.combine(when.date() + timedelta(days=1), dtime(8, 30)))

    if on:
        followups.queue_now = morning
    try:
        yield
    finally:
        followups.queue_now = real


def record_calls(path: Path) -> dict[str, list[tuple[str, str, tuple]]]:
    """Run every page once (AppTest) and return the loads each asked for, in order."""
    os.environ["CX_DB"] = str(path)
    from streamlit.testing.v1 import AppTest

    from cx import ui

    original = ui._cached
    seen: list[tuple[str, str, tuple]] = []

    def spy(key):
        _path, _version, _scope, module, name, args = key
        seen.append((module, name, args))
        return original(key)

    ui._cached = spy
    calls: dict[str, list[tuple[str, str, tuple]]] = {}
    try:
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=600)
        at.run()
        for page in PAGES:
            seen.clear()
            ui.invalidate()
            original.clear()
            ui._store_list.clear()  # kept per data version: read again after an upload
            _open(at, page)
            calls[page] = list(dict.fromkeys(seen))  # each distinct load once
    finally:
        ui._cached = original
    return calls


def _open(at, page: str) -> None:
    """Switch the AppTest ``at`` to ``page`` (one of :data:`PAGES`) as the bench has it."""
    if page in BOARD_STORES:
        at.session_state["board_store"] = BOARD_STORES[page]
    else:  # the analysis pages for the whole network (the board's pick is a filter)
        at.session_state["flt_regions"] = []
        at.session_state["flt_stores"] = []
    file = "board" if page in BOARD_STORES else page
    with _morning_after(page == MORNING):
        at.switch_page(f"pages/{file}.py").run()
    if at.exception:
        raise RuntimeError(f"page {page}: {at.exception}")


def _sent_bytes(node) -> int:
    """The size of what a page run sends the browser: every element's message (a chart's
    datasets and a table's rows included), summed over the AppTest element tree."""
    proto = getattr(node, "proto", None)
    own = proto.ByteSize() if proto is not None and hasattr(proto, "ByteSize") else 0
    children = getattr(node, "children", {})
    return own + sum(_sent_bytes(c) for c in children.values())


def page_runs(path: Path, repeat: int) -> dict[str, tuple[float, float, int]]:
    """Each page run whole through AppTest (data, charts, tables, every element): the
    first run after the caches were cleared, a rerun, and the bytes the page sends.
    The data bench above times loads only; a chart built in Python (the quadrant's
    labels: 15 s at 2,000 stores once) shows here."""
    os.environ["CX_DB"] = str(path)
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    from cx import ui

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=600)
    at.run()
    out = {}
    for page in PAGES:

        def first(page=page):
            ui.invalidate()
            st.cache_data.clear()
            st.cache_resource.clear()
            ui._KEPT.clear()
            _open(at, page)

        t_first = _median(first, repeat)
        t_rerun = _median(lambda page=page: _open(at, page), repeat)
        out[page] = (t_first, t_rerun, _sent_bytes(at._tree))
    ui.release_all(every=True)
    return out


def replay(calls: list[tuple[str, str, tuple]]) -> None:
    """The page's loads through ``cx.ui.load`` (cache, scope, connection as the app), as
    one page run makes them (:func:`cx.ui.as_one_run`)."""
    import importlib

    from cx import ui

    with ui.as_one_run():
        for module, name, args in calls:
            ui.load(getattr(importlib.import_module(module), name), *args)


def replay_one_connection(con, calls) -> None:
    import importlib

    for module, name, args in calls:
        getattr(importlib.import_module(module), name)(con, *args)


_COLD_CHILD = """
import pickle, sys, time, json
sys.path.insert(0, {root!r})
import logging; logging.disable(logging.WARNING)
from cx import bench, ui
calls = pickle.load(open(sys.argv[1], "rb"))
start = time.perf_counter()
bench.replay(calls)
print(json.dumps({{"seconds": time.perf_counter() - start}}))
"""


def cold(calls, path: Path, tmp: Path) -> float:
    """Seconds a fresh process takes for the page's loads (imports excluded)."""
    file = tmp / "calls.pickle"
    file.write_bytes(pickle.dumps(calls))
    env = {**os.environ, "CX_DB": str(path)}
    out = subprocess.run(
        [sys.executable, "-c", _COLD_CHILD.format(root=str(ROOT)), str(file)],
        capture_output=True,
        text=True,
        check=False,
        env=env,
    )
    if out.returncode:
        raise RuntimeError(f"the cold process failed: {out.stderr[-800:]}")
    return _json_line(out)["seconds"]


def _json_line(out: subprocess.CompletedProcess) -> dict:
    """The child's result line (other lines are what the app printed on the way)."""
    at = out.stdout.rfind('{"seconds"')  # after DuckDB's progress bar, if it drew one
    if at >= 0:
        return json.loads(out.stdout[at:].splitlines()[0])
    raise RuntimeError(f"no result from the child: {out.stdout[-500:]} {out.stderr[-500:]}")


# --------------------------------------------------------------------------- peers


def pandas_peer(parquet: Path, page: str) -> None:
    import pandas as pd

    frame = pd.read_parquet(parquet, columns=PAGE_COLUMNS[page])
    day = frame["responded_at"].dt.floor("D")
    promoter = frame["nps"] >= rules.PROMOTER_MIN
    score = promoter.astype(int) - (frame["nps"] <= rules.DETRACTOR_MAX).astype(int)
    frame.assign(day=day, score=score).groupby(["store_id", "day"])["score"].agg(["mean", "size"])


# --------------------------------------------------------------------------- ingest


def make_export(con, target: Path, rows: int) -> None:
    """``rows`` answers of the database as a canonical UTF-8 export with new ids."""
    cols = [c for c in db.RESPONSE_COLUMNS if c not in ("response_id",)]
    con.execute(
        f"COPY (SELECT 'B' || response_id AS response_id, {', '.join(cols)}"  # noqa: S608 - contract columns
        " FROM responses USING SAMPLE reservoir(?) REPEATABLE (14))"
        f" TO '{target.as_posix()}' (HEADER, DELIMITER ',')".replace("?", str(int(rows)))
    )


def make_later_export(con, target: Path, rows: int) -> None:
    """The next period as an analyst uploads it: the latest ``rows`` answers moved past the
    last day by the days they span, with new ids (canonical UTF-8)."""
    first, last = con.execute(
        "SELECT min(responded_at), max(responded_at) FROM (SELECT responded_at FROM responses"
        " ORDER BY responded_at DESC LIMIT ?)",
        [rows],
    ).fetchall()[0]
    span = (last.date() - first.date()).days + 1
    moved = {
        "responded_at": f"responded_at + to_days({span})",
        "service_date": f"service_date + {span}",
    }
    cols = [f"{moved.get(c, c)} AS {c}" for c in db.RESPONSE_COLUMNS if c != "response_id"]
    con.execute(
        f"COPY (SELECT 'L' || response_id AS response_id, {', '.join(cols)} FROM responses"  # noqa: S608 - contract columns, whole numbers
        f" ORDER BY responded_at DESC LIMIT {int(rows)})"
        f" TO '{target.as_posix()}' (HEADER, DELIMITER ',')"
    )


def to_gb18030(source: Path, target: Path) -> None:
    with (
        source.open(encoding="utf-8", newline="") as src,
        target.open("w", encoding="gb18030", newline="") as out,
    ):
        while chunk := src.read(1 << 24):
            out.write(chunk)


_INGEST_CHILD = """
import json, sys, time
sys.path.insert(0, {root!r})
mode, path, target = sys.argv[1:4]
import duckdb
from cx import ingest
start = time.perf_counter()
if mode == "bare":
    con = duckdb.connect(target)
    con.execute("CREATE TABLE t AS SELECT * FROM read_csv(?)", [path])
    con.close()
else:
    ingest.ingest_file(path, db_path=target)
from cx.bench import _peak_mb
print(json.dumps({{"seconds": time.perf_counter() - start, "peak_mb": _peak_mb()}}))
"""


def _child(mode: str, csv: Path, target: Path) -> dict:
    out = subprocess.run(
        [sys.executable, "-c", _INGEST_CHILD.format(root=str(ROOT)), mode, str(csv), str(target)],
        capture_output=True,
        text=True,
        check=True,
    )
    return _json_line(out)


def ingest_runs(path: Path, tmp: Path, rows: int) -> dict:
    """Ingest of a ``rows``-row export into a copy of the database, against a bare read,
    and how long a reader waits meanwhile."""
    csv = tmp / "export_utf8.csv"
    later = tmp / "export_later.csv"
    with db.connect(path) as con:
        make_export(con, csv, rows)
        make_later_export(con, later, rows)
    gb = tmp / "export_gb18030.csv"
    to_gb18030(csv, gb)
    out = {}
    bare_db = tmp / "bare.duckdb"
    for name, file in (("bare", csv), ("bare_later", later)):
        # the median of three: one bare read of the same file took 2.6 to 7.4 s within
        # an hour on a 2-core host, and every ratio below divides by it
        reads = []
        for _ in range(3):
            bare_db.unlink(missing_ok=True)
            reads.append(_child("bare", file, bare_db))
            bare_db.unlink(missing_ok=True)
        out[name] = sorted(reads, key=lambda r: r["seconds"])[1]
    for enc, file in (("utf-8", csv), ("gb18030", gb), ("later", later)):
        copy = tmp / f"ingest_{enc}.duckdb"
        shutil.copy(path, copy)
        db.ensure_snapshot(copy)  # as a deployment has it (python -m cx serve publishes it)
        waits: list[float] = []
        done = threading.Event()
        reader = threading.Thread(target=_reader, args=(copy, done, waits), daemon=True)
        if enc == "utf-8":
            reader.start()
        out[enc] = _child("ingest", file, copy)
        out[enc]["published_after"] = _published_after(copy)
        done.set()
        if enc == "utf-8":
            reader.join()
            out["reader_waits"] = waits
        for leftover in (
            copy,
            *(
                Path(f"{copy}{s}")
                for s in (".wal", ".snapshot", ".snapshot.version", ".snapshot.lock")
            ),
        ):
            leftover.unlink(missing_ok=True)
    return out


def _published_after(path: Path, timeout: float = 600) -> float | None:
    """Seconds from the ingest's end until the readers' copy of its commit is in place
    (made by another process once the ingest let the file go: :func:`cx.db.publish_later`)."""
    start = time.perf_counter()
    con = db.open_connection(path, read_only=True)
    try:
        version = db.data_version(con)
    finally:
        db.close(con)
    while time.perf_counter() - start < timeout:
        if db.published_version(path) == version:
            return time.perf_counter() - start
        time.sleep(0.05)
    return None


def _reader(path: Path, done: threading.Event, waits: list[float]) -> None:
    """A reader during the ingest, as a page reads (turning to the readers' snapshot when
    the file is held: :data:`cx.db.FALLBACK_AFTER`): open, read a count, close; each wait."""
    time.sleep(0.5)
    while not done.is_set():
        start = time.perf_counter()
        try:
            with db.connect(path, timeout=600, fallback_after=db.FALLBACK_AFTER) as con:
                con.execute("SELECT count(*) FROM daily_rollup").fetchall()
        except db.Problem:
            pass
        waits.append(time.perf_counter() - start)
        time.sleep(0.2)


# --------------------------------------------------------------------------- main


def run(rows: int, path: Path | None, repeat: int, ingest_rows: int, tmp: Path) -> str:
    lines = []
    if path is None or not path.exists():
        path = path or tmp / "bench.duckdb"
        start = time.perf_counter()
        demo.build(path, rows=rows, force=True)
        lines.append(
            f"demo --rows {rows:,}: {time.perf_counter() - start:.1f} s,"
            f" peak RSS {_peak_mb():,.0f} MB"
        )
    with db.connect(path) as con:
        n, stores = con.execute(
            "SELECT count(*), count(DISTINCT store_id) FROM responses"
        ).fetchall()[0]
    parquet = tmp / "responses.parquet"
    with db.connect(path) as con:
        con.execute(f"COPY responses TO '{parquet.as_posix()}' (FORMAT parquet)")
    calls = record_calls(path)
    from streamlit import config as st_config

    from cx import access, ui

    st_config.set_option("global.appTest", False)  # replay as the server does (kept file)

    table = [
        "| page | loads | cold, fresh process | warm (cache cleared) | cached rerun"
        " | one open connection | pandas peer | bare scan | warm / bare | pandas / warm |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    warm_runs: dict[str, list[float]] = {}
    for page in PAGES:
        page_calls = calls[page]
        ui.release_all(every=True)  # the file is free for the fresh process (as an idle app's is)
        t_cold = cold(page_calls, path, tmp)

        def warm(page_calls=page_calls):
            ui._cached.clear()
            ui.invalidate()
            replay(page_calls)

        t_warm = _median(warm, repeat, warm_runs.setdefault(page, []))
        t_cached = _median(lambda page_calls=page_calls: replay(page_calls), repeat)
        ui.release_all(every=True)  # as at the end of a page run
        # one connection held open (the loads above open and close their own)
        one_con = db.open_connection(path)
        access.apply_scope(one_con, access.open_person())
        bare_con = db.open_connection(path)
        t_one = _median(lambda c=page_calls, con=one_con: replay_one_connection(con, c), repeat)
        t_bare = _median(lambda con=bare_con: con.execute(BARE).fetchall(), repeat)
        db.close(one_con)
        db.close(bare_con)
        t_pd = _median(lambda page=page: pandas_peer(parquet, page), max(1, repeat // 2))
        table.append(
            f"| {page} | {len(page_calls)} | {_ms(t_cold)} | {_ms(t_warm)} | {_ms(t_cached)}"
            f" | {_ms(t_one)} | {_ms(t_pd)} | {_ms(t_bare)} | {t_warm / t_bare:.1f}x"
            f" | {t_pd / t_warm:.1f}x |"
        )
    lines.append(f"{n:,} answers, {stores:,} stores; medians of {repeat}; milliseconds")
    lines.append("")
    lines.extend(table)
    lines.append("")
    lines.append(
        "Warm runs one by one (the first after a page's fresh process opens the file again): "
        + "; ".join(f"{p} {', '.join(_ms(t) for t in ts)}" for p, ts in warm_runs.items())
        + "."
    )
    lines.append("")
    lines.append(
        "| page run whole (AppTest: data, charts, tables) | first, caches cleared | rerun"
        " | sent, KB |"
    )
    lines.append("|---|---|---|---|")
    for page, (t_first, t_rerun, sent) in page_runs(path, repeat).items():
        lines.append(f"| {page} | {_ms(t_first)} | {_ms(t_rerun)} | {sent / 1024:,.0f} |")
    if ingest_rows:
        res = ingest_runs(path, tmp, ingest_rows)
        bare = res["bare"]["seconds"]
        lines.append("")
        lines.append(
            f"| ingest of {ingest_rows:,} answers into the {n:,}-answer database | seconds"
            " | ratio to a bare DuckDB read | peak RSS MB | readers' copy in place after, s |"
        )
        lines.append("|---|---|---|---|---|")
        lines.append(
            "| bare DuckDB: a table from read_csv, UTF-8"
            f" | {bare:.1f} | 1.0 | {res['bare']['peak_mb']:,.0f} | |"
        )

        def after(r: dict) -> str:
            return "never" if r["published_after"] is None else f"{r['published_after']:.1f}"

        for enc in ("utf-8", "gb18030"):
            r = res[enc]
            lines.append(
                f"| `cx ingest` {enc} | {r['seconds']:.1f} | {r['seconds'] / bare:.1f}"
                f" | {r['peak_mb']:,.0f} | {after(r)} |"
            )
        r, bare_later = res["later"], res["bare_later"]
        lines.append(
            "| the next period (the latest answers moved past the last day), bare read"
            f" | {bare_later['seconds']:.1f} | 1.0 | {bare_later['peak_mb']:,.0f} | |"
        )
        lines.append(
            f"| `cx ingest` UTF-8, the next period | {r['seconds']:.1f}"
            f" | {r['seconds'] / bare_later['seconds']:.1f} | {r['peak_mb']:,.0f}"
            f" | {after(r)} |"
        )
        waits = sorted(res["reader_waits"])
        if waits:
            lines.append("")
            lines.append(
                f"A page's reader during the UTF-8 ingest ({len(waits)} reads): median"
                f" {_ms(statistics.median(waits))} ms, longest {_ms(waits[-1])} ms."
            )
    lines.append("")
    lines.append(f"Peak RSS of the bench process: {_peak_mb():,.0f} MB; {os.cpu_count()} cores.")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    from cx.cli import OneLineParser, whole_number

    p = OneLineParser(prog="python -m cx bench")
    number = whole_number(0, "cli.arg.whole")
    p.add_argument("--rows", type=number, default=1_000_000, help="answers in the demo database")
    p.add_argument("--db", help="an existing database to measure instead of building one")
    p.add_argument(  # --repeat 0 ended in a traceback: the median of no runs
        "--repeat", type=whole_number(1, "cli.arg.whole"), default=7
    )
    p.add_argument("--ingest-rows", type=number, default=1_000_000, help="0 skips the ingest")
    args = p.parse_args(argv)
    if args.db and not Path(args.db).exists():  # a typo had built a million-answer demo there
        print(f"no database at {args.db}", file=sys.stderr)
        return 2
    if args.rows < 10_000 and not args.db:  # the demo's stories need that many
        print(f"--rows {args.rows}: the demo needs 10000 rows or more", file=sys.stderr)
        return 2
    import logging

    logging.disable(logging.WARNING)  # AppTest's 'no runtime' notes
    with tempfile.TemporaryDirectory() as tmp:
        print(
            run(
                args.rows,
                Path(args.db) if args.db else None,
                args.repeat,
                args.ingest_rows,
                Path(tmp),
            )
        )
    return 0
