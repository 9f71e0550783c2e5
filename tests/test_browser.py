"""In a real browser: every page renders in both languages, a phone-width board is usable,
the language lands in the URL, and no request leaves the app's own host.

Drives Debian's Chromium (``/usr/bin/chromium``) with Playwright; ``.ci/run`` installs it.
Without Chromium the test is skipped locally and fails in CI (``CI=true``).
Set ``CX_SCREENSHOTS=/some/dir`` to keep the screenshots.
"""

from __future__ import annotations

import re
from urllib.parse import urlparse

import pytest
from browser_support import (  # noqa: F401  (pytest fixtures)
    LOCAL_HOSTS,
    ROOT,
    browser,
    require_chromium,
    server,
    settle,
    shots_folder,
)

from cx.i18n import t
from cx.ui.pages import available

require_chromium()


def _visit(browser, url: str, width: int = 1400, shot: str | None = None):
    page = browser.new_page(viewport={"width": width, "height": 1000})
    hosts: set[str] = set()
    page.on("request", lambda r: hosts.add(urlparse(r.url).hostname or r.url.split(":")[0]))
    page.goto(url)
    settle(page)
    errors = page.locator("[data-testid='stException']").count()
    errors += page.get_by_text("Page not found").count()
    title = page.locator("[data-testid='stMain'] h1").first.inner_text()
    folder = shots_folder()
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
        assert hosts <= LOCAL_HOSTS, hosts
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
