"""Ten managers open the board at once while an upload commits: p50 / p95 until the board
shows its numbers, failed pages, and whether every page then shows the new answers.

Starts ``python -m cx serve``'s cluster (``--workers`` app processes behind nginx on
loopback) over a demo database, opens ``--clients`` boards at once, round after round,
while ``python -m cx ingest`` loads an export of ``--upload-rows`` new answers; after
the upload, one more round checks that every page shows the new answers.

Clients are headless Chromium pages (each its own browser context, so its own cookie and
process: the real path), or with ``--ws`` websocket sessions that speak Streamlit's
protocol through nginx as the browser does (``/_stcore/stream``: a run of the board,
then a switch of store, each timed until the server says the run finished), so 30 or
more clients fit on a small machine: ``--clients 10 30 --ws`` measures each count.
After each count it prints the app processes' peak memory.

    .venv/bin/python tests/benchmarks/bench_many_readers.py [--clients 10 [30 ...]] [--ws]
        [--rows 300000] [--upload-rows 100000] [--workers 2] [--db PATH]

Prints numbers; asserts nothing.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
CHROMIUM = "/usr/bin/chromium"
NUMBER = re.compile(r"n = ([\d,]+)")


async def open_board(browser, url: str) -> tuple[float, int | None]:
    """Seconds until the board shows its first metric, and the day's n (None: failed)."""
    context = await browser.new_context()
    page = await context.new_page()
    start = time.perf_counter()
    try:
        await page.goto(f"{url}/?lang=en", timeout=120_000)
        await page.wait_for_selector("[data-testid='stMetric']", timeout=120_000)
        seconds = time.perf_counter() - start
        found = NUMBER.search(await page.inner_text("body"))  # the latest day's n
        return seconds, int(found.group(1).replace(",", "")) if found else 0
    except Exception:
        return time.perf_counter() - start, None
    finally:
        await context.close()


async def _run(ws, query: str) -> tuple[str, bool]:
    """Ask for a run of the board with ``query``; the text of its elements, and whether it
    finished without an exception, once the server says the run is over."""
    from streamlit.proto.BackMsg_pb2 import BackMsg
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    msg = BackMsg()
    msg.rerun_script.query_string = query
    await ws.send(msg.SerializeToString())
    texts: list[str] = []
    ok = True
    while True:
        fwd = ForwardMsg.FromString(await ws.recv())
        kind = fwd.WhichOneof("type")
        if kind == "delta" and fwd.delta.WhichOneof("type") == "new_element":
            element = fwd.delta.new_element
            which = element.WhichOneof("type")
            if which == "exception":
                ok = False
            elif which == "markdown":
                texts.append(element.markdown.body)
            elif which == "metric":
                texts += [element.metric.label, element.metric.body]
        elif kind == "script_finished":
            if fwd.script_finished != ForwardMsg.FINISHED_EARLY_FOR_RERUN:
                return "\n".join(texts), ok


async def open_board_ws(url: str) -> tuple[float, int | None]:
    """A websocket session: seconds until the board's run is over (the first visit, then a
    switch to another store), and the day's n of the first run (None: failed)."""
    import websockets

    start = time.perf_counter()
    try:
        async with websockets.connect(
            url.replace("http://", "ws://") + "/_stcore/stream",
            subprotocols=["streamlit"],
            max_size=None,
            open_timeout=120,
        ) as ws:
            text, ok = await asyncio.wait_for(_run(ws, "lang=en"), 120)
            found = NUMBER.search(text.replace("\u2060", "").replace("\\", ""))
            _switched, ok2 = await asyncio.wait_for(_run(ws, "lang=en&store=SH03"), 120)
            if not (ok and ok2 and found):
                return time.perf_counter() - start, None
            return time.perf_counter() - start, int(found.group(1).replace(",", ""))
    except Exception:
        return time.perf_counter() - start, None


async def rounds(url: str, clients: int, ingest: subprocess.Popen, ws: bool = False) -> dict:
    if ws:
        return await _rounds(lambda: open_board_ws(url), clients, ingest)
    from playwright.async_api import async_playwright

    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        try:
            return await _rounds(lambda: open_board(browser, url), clients, ingest)
        finally:
            await browser.close()


async def _rounds(one, clients: int, ingest: subprocess.Popen) -> dict:
    """Rounds of ``clients`` boards at once (``one()`` opens one) while the upload runs,
    then one more round after it."""
    times: list[float] = []
    failed = 0
    during = 0
    while ingest.poll() is None:
        out = await asyncio.gather(*(one() for _ in range(clients)))
        times += [s for s, n in out if n is not None]
        failed += sum(n is None for _, n in out)
        during += 1
    await asyncio.sleep(1.5)  # the data version is re-read at most every second
    after = await asyncio.gather(*(one() for _ in range(clients)))
    return {"times": times, "failed": failed, "rounds": during, "after": after}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--clients", type=int, nargs="+", default=[10])
    parser.add_argument("--ws", action="store_true", help="websocket sessions, not Chromium")
    parser.add_argument("--rows", type=int, default=300_000)
    parser.add_argument("--upload-rows", type=int, default=100_000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--db", help="an existing database (a copy is used)")
    args = parser.parse_args()
    import shutil

    from cx import bench, db, demo, serve

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        path = folder / "cx.duckdb"
        if args.db:
            shutil.copy(args.db, path)
        else:
            demo.build(path, rows=args.rows, force=True)
        export = folder / "export.csv"
        with db.connect(path) as con:
            bench.make_export(con, export, args.upload_rows)
            total = con.execute("SELECT count(*) FROM responses").fetchall()[0][0]
        os.environ["CX_DB"] = str(path)
        run = folder / "serve"
        run.mkdir()
        cluster = serve.Cluster(args.workers, "127.0.0.1", serve.free_port(), run).start()
        kind = "websocket sessions" if args.ws else "Chromium pages"
        try:
            for clients in args.clients:
                # warm the caches as the morning's first visitors would; the n before
                quiet = subprocess.Popen(["sleep", "0.1"])
                warm = asyncio.run(rounds(cluster.url, 2, quiet, args.ws))
                before = {n for _, n in warm["after"]}
                start = time.perf_counter()
                ingest = subprocess.Popen(
                    [sys.executable, "-m", "cx", "ingest", str(export), "--db", str(path)],
                    cwd=ROOT,
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL,
                )
                res = asyncio.run(rounds(cluster.url, clients, ingest, args.ws))
                took = time.perf_counter() - start
                _report(total, args, clients, kind, took, res, before)
                print(f"  app processes' peak RSS so far: {_peak_rss(cluster)}")
                with db.connect(path) as con:  # undo it: the next count uploads it again
                    upload = con.execute("SELECT max(upload_id) FROM uploads").fetchall()[0][0]
                subprocess.run(
                    [sys.executable, "-m", "cx", "undo", str(upload), "--db", str(path)],
                    cwd=ROOT,
                    capture_output=True,
                    check=True,
                )
        finally:
            cluster.stop()


def _peak_rss(cluster) -> str:
    """Each app process's peak resident memory (Linux ``VmHWM``), in MB."""
    out = []
    for proc in cluster.procs[: len(cluster.backends)]:  # the app processes; nginx last
        try:
            status = Path(f"/proc/{proc.pid}/status").read_text()
        except OSError:
            out.append("?")
            continue
        kb = next(int(x.split()[1]) for x in status.splitlines() if x.startswith("VmHWM:"))
        out.append(f"{kb / 1024:,.0f} MB")
    return ", ".join(out)


def _report(total, args, clients, kind, took, res, before) -> None:
    times = sorted(res["times"])
    print(
        f"{total:,} answers, {args.workers} app processes behind nginx, {clients} {kind}"
        f" a round, an upload of {args.upload_rows:,} answers ({took:.1f} s)"
    )
    if times:
        p95 = times[min(len(times) - 1, int(0.95 * len(times)))]
        print(
            f"  board shown during the upload: {len(times)} in {res['rounds']} rounds,"
            f" p50 {statistics.median(times):.2f} s, p95 {p95:.2f} s, failed {res['failed']}"
        )
    else:
        print(f"  no board finished during the upload; failed {res['failed']}")
    after = res["after"]
    ok = [s for s, n in after if n is not None]
    seen = {n for _, n in after if n is not None}
    new = len(seen) == 1 and seen != before
    print(
        f"  after the upload: {len(ok)} of {len(after)} shown"
        f" (p50 {statistics.median(ok) if ok else float('nan'):.2f} s); the latest day's n"
        f" before {sorted(before)}, after {sorted(seen)}:"
        f" {'every page shows the new answers' if new else 'CHECK'}"
    )


if __name__ == "__main__":
    main()
