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
more clients fit on a small machine: ``--clients 10 30 --ws`` measures each count, and
``--browsers 2`` adds two Chromium pages to each round of websocket sessions.
After each count it prints the app processes' peak memory.

    .venv/bin/python tests/benchmarks/bench_many_readers.py [--clients 10 [30 ...]] [--ws]
        [--browsers 2] [--rows 300000] [--upload-rows 100000] [--workers 2] [--db PATH]

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


def session(url: str):
    """A websocket session with the Streamlit server at ``url``, as a browser opens one
    (``async with session(url) as ws``)."""
    import websockets

    return websockets.connect(
        url.replace("http://", "ws://") + "/_stcore/stream",
        subprotocols=["streamlit"],
        max_size=None,
        open_timeout=120,
    )


async def open_board_ws(url: str) -> tuple[float, int | None]:
    """A websocket session: seconds until the board's run is over (the first visit, then a
    switch to another store), and the day's n of the first run (None: failed)."""
    start = time.perf_counter()
    try:
        async with session(url) as ws:
            text, ok = await asyncio.wait_for(_run(ws, "lang=en"), 120)
            found = NUMBER.search(text.replace("\u2060", "").replace("\\", ""))
            _switched, ok2 = await asyncio.wait_for(_run(ws, "lang=en&store=SH03"), 120)
            if not (ok and ok2 and found):
                return time.perf_counter() - start, None
            return time.perf_counter() - start, int(found.group(1).replace(",", ""))
    except Exception:
        return time.perf_counter() - start, None


async def rounds(
    url: str, clients: int, ingest: subprocess.Popen, ws: bool = False, browsers: int = 0
) -> dict:
    """Rounds of ``clients`` boards (websocket sessions with ``ws``, else Chromium pages),
    with ``browsers`` Chromium pages beside the websocket sessions of each round."""
    if ws and not browsers:
        return await _rounds({"ws": (lambda: open_board_ws(url), clients)}, ingest)
    from playwright.async_api import async_playwright

    async with async_playwright() as p:
        browser = await p.chromium.launch(
            executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"]
        )
        try:
            kinds = {"chromium": (lambda: open_board(browser, url), browsers or clients)}
            if ws:
                kinds["ws"] = (lambda: open_board_ws(url), clients)
            return await _rounds(kinds, ingest)
        finally:
            await browser.close()


async def _rounds(kinds: dict, ingest: subprocess.Popen) -> dict:
    """Rounds of boards at once (``kinds``: name -> (open one, how many a round)) while
    the upload runs, then one more round after it; results per kind."""
    res = {k: {"times": [], "failed": 0, "after": []} for k in kinds}
    during = 0

    async def round_() -> dict[str, list]:
        tasks = {k: [one() for _ in range(n)] for k, (one, n) in kinds.items()}
        flat = await asyncio.gather(*(t for ts in tasks.values() for t in ts))
        out, i = {}, 0
        for k, ts in tasks.items():
            out[k], i = flat[i : i + len(ts)], i + len(ts)
        return out

    while ingest.poll() is None:
        for k, out in (await round_()).items():
            res[k]["times"] += [s for s, n in out if n is not None]
            res[k]["failed"] += sum(n is None for _, n in out)
        during += 1
    await asyncio.sleep(1.5)  # the data version is re-read at most every second
    for k, out in (await round_()).items():
        res[k]["after"] = out
    return {"rounds": during, "kinds": res}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--clients", type=int, nargs="+", default=[10])
    parser.add_argument("--ws", action="store_true", help="websocket sessions, not Chromium")
    parser.add_argument(
        "--browsers", type=int, default=0, help="with --ws: Chromium pages beside them a round"
    )
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
                before = {n for k in warm["kinds"].values() for _, n in k["after"]}
                start = time.perf_counter()
                ingest = subprocess.Popen(
                    [sys.executable, "-m", "cx", "ingest", str(export), "--db", str(path)],
                    cwd=ROOT,
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL,
                )
                res = asyncio.run(rounds(cluster.url, clients, ingest, args.ws, args.browsers))
                took = time.perf_counter() - start
                _report(total, args, clients, kind, took, res, before)
                print(f"  app processes' peak RSS so far: {_peak_rss(cluster)}")
                with db.connect(path) as con:  # undo it: the next count uploads it again
                    upload = con.execute("SELECT max(upload_id) FROM uploads").fetchall()[0][0]
                undo = subprocess.run(
                    [sys.executable, "-m", "cx", "undo", str(upload), "--db", str(path)],
                    cwd=ROOT,
                    capture_output=True,
                    text=True,
                )
                if undo.returncode:
                    print(f"  the undo failed ({undo.returncode}): {undo.stderr.strip()}")
                    break
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
    extra = f" and {args.browsers} Chromium pages" if args.ws and args.browsers else ""
    print(
        f"{total:,} answers, {args.workers} app processes behind nginx, {clients} {kind}"
        f"{extra} a round, an upload of {args.upload_rows:,} answers ({took:.1f} s,"
        f" {res['rounds']} rounds)"
    )
    for name, got in res["kinds"].items():
        times = sorted(got["times"])
        if times:
            p95 = times[min(len(times) - 1, int(0.95 * len(times)))]
            print(
                f"  {name}: board shown during the upload {len(times)} times,"
                f" p50 {statistics.median(times):.2f} s, p95 {p95:.2f} s, failed {got['failed']}"
            )
        else:
            print(f"  {name}: no board finished during the upload; failed {got['failed']}")
        after = got["after"]
        ok = [s for s, n in after if n is not None]
        seen = {n for _, n in after if n is not None}
        new = len(seen) == 1 and seen != before
        print(
            f"  {name} after the upload: {len(ok)} of {len(after)} shown"
            f" (p50 {statistics.median(ok) if ok else float('nan'):.2f} s); the latest day's"
            f" n before {sorted(before)}, after {sorted(seen)}:"
            f" {'every page shows the new answers' if new else 'CHECK'}"
        )


if __name__ == "__main__":
    main()
