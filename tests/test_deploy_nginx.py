"""Many readers, one writer: two app processes behind nginx on loopback (``python -m cx
serve``), the board read through nginx, an upload through the command line (the writer),
and the new store on the board of both processes and through nginx."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest
from browser_support import demo_database, open_page, require_chromium, visible_text

from cx import db, serve

ROOT = Path(__file__).resolve().parent.parent

pytestmark = [pytest.mark.slow, pytest.mark.browser]
require_chromium()
if not Path(serve.NGINX).exists():
    pytest.skip("nginx is not installed (Debian package nginx)", allow_module_level=True)

CSV = "response_id,store_id,store_name,region,city,responded_at,nps,comment\n" + "".join(
    f"DEPLOY{i:03d},ZZ01,部署测试中心,华东,杭州,2025-10-31 10:{i:02d}:00,{9 if i % 3 else 4},好\n"
    for i in range(30)
)


@pytest.fixture(scope="module")
def cluster(tmp_path_factory, demo_template):
    folder = tmp_path_factory.mktemp("deploy")
    path = demo_database(folder, demo_template)
    before = os.environ.get("CX_DB")
    os.environ["CX_DB"] = str(path)
    run = folder / "serve"
    run.mkdir()
    c = serve.Cluster(2, "127.0.0.1", serve.free_port(), run)
    try:
        c.start()
        yield c, path
    finally:
        c.stop()
        if before is None:
            os.environ.pop("CX_DB", None)
        else:
            os.environ["CX_DB"] = before
        shutil.rmtree(run, ignore_errors=True)


def answers_on_last_day(browser, base: str) -> int:
    """The board (all stores, its latest day) as a person opens it: that day's n."""
    page, _console = open_page(browser, f"{base}/?lang=en")
    page.wait_for_selector("[data-testid='stMetric']", timeout=60_000)
    text = visible_text(page)
    page.close()
    found = re.search(r"NPS on 10-31\s+[-\d.]+.*?n = (\d+)", text, re.S)
    assert found, text[:2000]
    return int(found.group(1))


def test_an_upload_by_the_writer_shows_in_both_processes_and_through_nginx(
    cluster,
    browser,
    tmp_path,
    monkeypatch,
):
    c, path = cluster
    monkeypatch.setenv("CX_DB", str(path))
    # the copied file had no readers' copy: the deployment published one before starting,
    # so readers need not wait for the upload's first publish
    with duckdb.connect(str(path), read_only=True) as con:
        assert db.published_version(path) == db.data_version(con)
    before = answers_on_last_day(browser, c.url)  # read through nginx
    export = tmp_path / "new_store.csv"
    export.write_text(CSV, encoding="utf-8")
    out = subprocess.run(
        [sys.executable, "-m", "cx", "ingest", str(export), "--db", str(path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert out.returncode == 0, out.stderr
    time.sleep(1.5)  # the data version is re-read at most every second
    for base in [f"http://127.0.0.1:{port}" for port in c.backends] + [c.url]:
        assert answers_on_last_day(browser, base) == before + 30, base
    # nginx logs each request's path, never its query: an address carries a planner's plan
    # and the sidebar's choices
    logged = (c.folder / "access.log").read_text(encoding="utf-8")
    assert '"GET / HTTP/1.1" 200' in logged, logged[:2000]
    assert "lang=" not in logged and "?" not in logged, logged[:2000]
