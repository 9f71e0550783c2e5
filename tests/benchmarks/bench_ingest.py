"""Ingest speed: a 1,000,000-row export in UTF-8 and in GB18030, against DuckDB's bare read.

Prints the median of three runs: rows/s, peak memory (RSS of a fresh process per run) and the ratio to
``CREATE TABLE AS SELECT * FROM read_csv(...)`` of the UTF-8 file, measured in the same
run. Not a test: timings are printed, never asserted.

    .venv/bin/python tests/benchmarks/bench_ingest.py [--rows 1000000]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

COMMENTS = [
    "等了三个小时，没人告诉进度",
    "一次就修好了，顾问很专业",
    'Waited too long, "no" update',
    "还行",
]


def make_export(path: Path, rows: int, encoding: str) -> None:
    """A realistic export: canonical headers, ~25 columns, Chinese text, ~0.2 % rejects."""
    rng = np.random.default_rng(7)
    chunk = 200_000
    with path.open("w", encoding=encoding, newline="") as fh:
        for start in range(0, rows, chunk):
            n = min(chunk, rows - start)
            ids = np.arange(start, start + n)
            nps = rng.integers(0, 11, n).astype(object)
            nps[rng.random(n) < 0.002] = 12  # a few rejects
            frame = pd.DataFrame(
                {
                    "response_id": [f"B{i:08d}" for i in ids],
                    "store_id": [f"S{i % 60:03d}" for i in ids],
                    "store_name": [f"门店{i % 60:03d}" for i in ids],
                    "region": [["华东", "华南", "华北", "西南", "西北"][i % 5] for i in ids],
                    "responded_at": pd.Timestamp("2025-01-01")
                    + pd.to_timedelta(rng.integers(0, 300 * 86400, n), unit="s"),
                    "nps": nps,
                    "comment": rng.choice(COMMENTS, n),
                    "channel": rng.choice(["sms", "微信", "app"], n),
                    "service_type": rng.choice(["保养", "维修", "delivery"], n),
                    "advisor": rng.choice(["王磊", "李娜", "张伟"], n),
                    **{
                        f"csi_{d}": rng.integers(1, 11, n)
                        for d in ["initiation", "delivery", "facility", "advisor", "post_service"]
                    },
                    **{
                        f"tp_{t}": rng.integers(0, 11, n)
                        for t in ["appointment", "reception", "advisor", "waiting"]
                    },
                    "csat": rng.integers(1, 6, n),
                    "ces": rng.integers(1, 8, n),
                    "wait_minutes": rng.integers(5, 300, n),
                    "first_time_fix": rng.choice(["true", "false", "是"], n),
                    "phone": [f"138{i % 100000000:08d}" for i in ids],
                }
            )
            frame.to_csv(fh, index=False, header=start == 0)


CHILD = """
import json, resource, sys, time
sys.path.insert(0, {root!r})
mode, path, db = sys.argv[1:4]
import duckdb
from cx import ingest
start = time.perf_counter()  # imports excluded on both sides
if mode == "bare":
    con = duckdb.connect(db)
    con.execute("CREATE TABLE t AS SELECT * FROM read_csv(?)", [path])
    n = con.execute("SELECT count(*) FROM t").fetchall()[0][0]
    con.close()
else:
    res = ingest.ingest_file(path, db_path=db)
    n = res.added
seconds = time.perf_counter() - start
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({{"seconds": seconds, "rows": n, "peak_mb": peak}}))
"""


def run(mode: str, path: Path, db: Path, repeat: int = 3) -> dict:
    """Median seconds (and the largest peak) over ``repeat`` fresh processes and files."""
    results = []
    for _ in range(repeat):
        for leftover in (db, Path(str(db) + ".wal")):
            leftover.unlink(missing_ok=True)
        out = subprocess.run(
            [sys.executable, "-c", CHILD.format(root=str(ROOT)), mode, str(path), str(db)],
            capture_output=True,
            text=True,
            check=True,
        )
        results.append(json.loads(out.stdout.strip().splitlines()[-1]))
    results.sort(key=lambda r: r["seconds"])
    best = dict(results[len(results) // 2])
    best["peak_mb"] = max(r["peak_mb"] for r in results)
    return best


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1_000_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        tmpdir = Path(tmp)
        files = {}
        for enc in ("utf-8", "gb18030"):
            files[enc] = tmpdir / f"export_{enc}.csv"
            t0 = time.perf_counter()
            make_export(files[enc], args.rows, enc)
            size = files[enc].stat().st_size / 1e6
            print(f"built {enc} export: {size:.0f} MB in {time.perf_counter() - t0:.1f} s")
        bare = run("bare", files["utf-8"], tmpdir / "bare.duckdb")
        print(
            f"duckdb bare CTAS read_csv (utf-8): {bare['seconds']:.2f} s,"
            f" peak {bare['peak_mb']:.0f} MB"
        )
        for enc, target in (("utf-8", 3), ("gb18030", 4)):
            res = run("ingest", files[enc], tmpdir / f"cx_{enc}.duckdb")
            ratio = res["seconds"] / bare["seconds"]
            print(
                f"cx ingest {enc}: {res['seconds']:.2f} s, {args.rows / res['seconds']:,.0f} rows/s,"
                f" added {res['rows']:,}, peak {res['peak_mb']:.0f} MB,"
                f" ratio to bare {ratio:.2f} (target <= {target})"
            )


if __name__ == "__main__":
    main()
