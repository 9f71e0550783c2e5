"""In a real browser: every page renders in both languages, a phone-width board is usable,
the language lands in the URL, and no request leaves the app's own host.

Drives Debian's Chromium (``/usr/bin/chromium``) with Playwright; ``.ci/run`` installs it.
Without Chromium the test is skipped locally and fails in CI (``CI=true``).
Set ``CX_SCREENSHOTS=/some/dir`` to keep the screenshots.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlparse

import pytest

from cx.i18n import t
from cx.ui.pages import available

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

if not Path(CHROMIUM).exists():
    if os.environ.get("CI") == "true":
        pytest.fail("chromium is required in CI (.ci/run installs it)", pytrace=False)
    pytest.skip("chromium not installed", allow_module_level=True)

playwright = pytest.importorskip("playwright.sync_api")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    from cx import demo

    db_path = tmp_path_factory.mktemp("browser") / "cx.duckdb"
    demo.build(db_path, scale=0.1, force=True)
    port = _free_port()
    env = {**os.environ, "CX_DB": str(db_path), "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            "app.py",
            "--server.port",
            str(port),
            "--server.address",
            "127.0.0.1",
            "--server.headless",
            "true",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if urllib.request.urlopen(f"{base}/_stcore/health", timeout=2).status == 200:
                break
        except OSError:
            time.sleep(0.3)
    else:
        proc.kill()
        pytest.fail("streamlit did not start: " + (proc.stderr.read() if proc.stderr else ""))
    yield base
    proc.terminate()
    proc.wait(timeout=20)


@pytest.fixture(scope="module")
def browser():
    with playwright.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield b
        b.close()


def _shots() -> Path | None:
    target = os.environ.get("CX_SCREENSHOTS")
    if not target:
        return None
    path = Path(target)
    path.mkdir(parents=True, exist_ok=True)
    return path


def _settle(page) -> None:
    """Wait until the frame (sidebar language switch), a page title and the run are done."""
    page.get_by_text("语言 / Language").wait_for(timeout=60_000)
    page.locator("[data-testid='stMain'] h1").first.wait_for(timeout=60_000)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if page.locator("[data-testid='stStatusWidget']").count() == 0:
            break
        page.wait_for_timeout(250)
    page.wait_for_timeout(1500)  # charts and tables settle


def _visit(browser, url: str, width: int = 1400, shot: str | None = None):
    page = browser.new_page(viewport={"width": width, "height": 1000})
    hosts: set[str] = set()
    page.on("request", lambda r: hosts.add(urlparse(r.url).hostname or r.url.split(":")[0]))
    page.goto(url)
    _settle(page)
    errors = page.locator("[data-testid='stException']").count()
    errors += page.get_by_text("Page not found").count()
    title = page.locator("[data-testid='stMain'] h1").first.inner_text()
    folder = _shots()
    if folder and shot:
        page.screenshot(path=str(folder / f"{shot}.png"), full_page=True)
    page.close()
    return hosts, errors, title


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_page_renders_and_stays_on_its_host(server, browser, lang):
    han = re.compile(r"[\u4e00-\u9fff]")
    for i, (_section, _path, _title_key, _icon, url_path) in enumerate(available()):
        where = "" if i == 0 else url_path  # the first page is the default, served at /
        hosts, errors, title = _visit(
            browser, f"{server}/{where}?lang={lang}", shot=f"{url_path}_{lang}"
        )
        assert errors == 0, f"{url_path} ({lang}) shows an exception"
        assert hosts <= {"127.0.0.1", "localhost", "data", "blob"}, hosts
        assert bool(han.search(title)) == (lang == "zh"), f"{url_path}: {title!r}"


def test_board_at_phone_width(server, browser):
    if not (ROOT / "pages" / "board.py").exists():
        pytest.skip("board page not present")
    _hosts, errors, _title = _visit(browser, f"{server}/?lang=zh&store=HZ01", 390, "board_phone")
    assert errors == 0


def test_language_switch_writes_the_url(server, browser):
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    page.goto(f"{server}/data")
    page.get_by_role("heading", name=t("data.title", "zh")).wait_for(timeout=60_000)
    page.get_by_text("English", exact=True).click()
    page.get_by_role("heading", name=t("data.title", "en")).wait_for(timeout=30_000)
    assert "lang=en" in page.url
    page.close()
