"""Ten managers open the board at once while an upload commits: p50 / p95 until the board
shows its numbers, failed pages, and whether every page then shows the new answers.

Starts ``python -m cx serve``'s cluster (``--workers`` app processes behind nginx on
loopback) over a demo database, opens ``--clients`` headless Chromium pages at once
(each its own browser context, so its own cookie and process), round after round,
while ``python -m cx ingest`` loads an export of ``--upload-rows`` new answers; after
the upload, one more round checks that every page shows the new answers.

    .venv/bin/python tests/benchmarks/bench_many_readers.py [--clients 10] [--rows 300000]
        [--upload-rows 100000] [--workers 2]

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


async def rounds(url: str, clients: int, ingest: subprocess.Popen) -> dict:
    from playwright.async_api import async_playwright

    times: list[float] = []
    failed = 0
    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        during = 0
        while ingest.poll() is None:
            out = await asyncio.gather(*(open_board(browser, url) for _ in range(clients)))
            times += [s for s, n in out if n is not None]
            failed += sum(n is None for _, n in out)
            during += 1
        await asyncio.sleep(1.5)  # the data version is re-read at most every second
        after = await asyncio.gather(*(open_board(browser, url) for _ in range(clients)))
        await browser.close()
    return {"times": times, "failed": failed, "rounds": during, "after": after}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--clients", type=int, default=10)
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
        try:
            # warm the processes' caches as the first visitors of the morning would
            warm = asyncio.run(rounds(cluster.url, 2, subprocess.Popen(["sleep", "0.1"])))
            before = {n for _, n in warm["after"]}
            start = time.perf_counter()
            ingest = subprocess.Popen(
                [sys.executable, "-m", "cx", "ingest", str(export), "--db", str(path)],
                cwd=ROOT,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            res = asyncio.run(rounds(cluster.url, args.clients, ingest))
            took = time.perf_counter() - start
        finally:
            cluster.stop()
        times = sorted(res["times"])
        print(
            f"{total:,} answers, {args.workers} app processes behind nginx, {args.clients}"
            f" clients a round, an upload of {args.upload_rows:,} answers ({took:.1f} s)"
        )
        if times:
            p95 = times[min(len(times) - 1, int(0.95 * len(times)))]
            print(
                f"board shown during the upload: {len(times)} pages in {res['rounds']} rounds,"
                f" p50 {statistics.median(times):.2f} s, p95 {p95:.2f} s,"
                f" failed {res['failed']}"
            )
        after = res["after"]
        ok = [s for s, n in after if n is not None]
        seen = {n for _, n in after if n is not None}
        print(
            f"after the upload: {len(ok)} of {len(after)} pages shown"
            f" (p50 {statistics.median(ok) if ok else float('nan'):.2f} s); the latest day's n"
            f" before {sorted(before)}, after {sorted(seen)}:"
            f" {'every page shows the new answers' if len(seen) == 1 and seen != before else 'CHECK'}"
        )


if __name__ == "__main__":
    main()
