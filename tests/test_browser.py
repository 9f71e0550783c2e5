"""In a real browser: the language a person picks lands in the URL (a link they share or
bookmark opens in that language).

Every page rendering in both languages at both widths, on its own host only, is
``tests/test_browser_walk.py``; the phone board is ``tests/test_browser_board.py``.
Drives Debian's Chromium (``/usr/bin/chromium``) with Playwright; ``.ci/run`` installs it.
Without Chromium the test is skipped locally and fails in CI (``CI=true``).
"""

from __future__ import annotations

from browser_support import new_tab, require_chromium

from cx.i18n import t

require_chromium()


def test_language_switch_writes_the_url(server, browser):
    page = new_tab(browser, {"width": 1400, "height": 900})
    page.goto(f"{server}/data")
    page.get_by_role("heading", name=t("data.title", "zh")).wait_for(timeout=60_000)
    page.get_by_text("English", exact=True).click()
    page.get_by_role("heading", name=t("data.title", "en")).wait_for(timeout=30_000)
    assert "lang=en" in page.url
    page.close()
