"""Shared helpers of the browser tests (``tests/test_browser*.py``): a Streamlit server
over a small demo database, Debian's Chromium through Playwright, waiting until a run
settles, console capture, and what a person must never read on a page.

Not a test module (no ``test_`` prefix). The fixtures ``browser`` (one Chromium) and
``server`` (one read-only server over the small demo) live in ``tests/conftest.py``, one
each per test session (per worker), shared by every browser module.

Also runnable for screenshots: ``python tests/browser_support.py OUT_DIR`` starts a
server and writes every page at 1366x900 and 390x844 in both languages, and the
planner's projector view at 1920x1080.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlparse

import pytest

ROOT = Path(__file__).resolve().parent.parent
# the log of every server started in this process, shown beside a failed browser test
SERVER_LOGS: list[Path] = []
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

CHROMIUM = "/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else shutil.which("chromium")
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    # V8 without its optimising compiler: a tab here lives for a few page views, too short
    # for optimised code to pay back its compiling; Chromium's CPU per page view ~12 %
    # less (the same nine pages, alternated: 21.1-21.6 against 23.9-25.0 CPU seconds).
    "--js-flags=--no-opt",
]
DESKTOP = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}
PROJECTOR = {"width": 1920, "height": 1080}
LOCAL_HOSTS = {"127.0.0.1", "localhost", "data", "blob"}


def require_chromium() -> None:
    """Skip the calling module without Chromium (fail in CI), and without Playwright."""
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI") == "true":
            pytest.fail("chromium is required in CI (.ci/run installs it)", pytrace=False)
        pytest.skip("chromium not installed", allow_module_level=True)
    pytest.importorskip("playwright.sync_api")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def running_server(
    db_path: Path, extra_args: tuple[str, ...] = (), port: int | None = None
) -> Iterator[str]:
    """``streamlit run app.py`` over ``db_path`` on a free local port; yields its base URL.

    ``extra_args`` go to ``streamlit run`` (e.g. ``--secrets.files`` for sign-in).
    """
    port = port or _free_port()
    env = {**os.environ, "CX_DB": str(db_path), "PYTHONPATH": str(ROOT)}
    from cx.serve import app_command

    # the server's log goes to a file beside the database: a pipe nobody reads after the
    # start fills up (64 KiB) and then stops the server at its next warning
    log_path = db_path.parent / f"streamlit-{port}.log"
    log = log_path.open("w", encoding="utf-8")
    SERVER_LOGS.append(log_path)
    proc = subprocess.Popen(
        app_command(port, extra_args),
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=log,
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
        proc.wait(timeout=20)
        log.close()
        raise RuntimeError("streamlit did not start: " + log_path.read_text(encoding="utf-8"))
    try:
        yield base
    finally:
        proc.terminate()
        proc.wait(timeout=20)
        log.close()


def demo_database(folder: Path, template: Path | None = None) -> Path:
    """``folder/cx.duckdb``: a copy of ``template`` (the session's small demo, see
    ``tests/conftest.py``), or a fresh small demo when there is none (screenshots)."""
    path = folder / "cx.duckdb"
    if template is not None:
        shutil.copy(template, path)
        return path
    from cx import demo

    demo.build(path, scale=0.1, force=True)
    return path


def launch(playwright):
    """Debian's Chromium, headless, asking no outside host for anything."""
    return playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)


def shots_folder() -> Path | None:
    """``CX_SCREENSHOTS`` as a folder (created), or None: screenshots are optional."""
    target = os.environ.get("CX_SCREENSHOTS")
    if not target:
        return None
    path = Path(target)
    path.mkdir(parents=True, exist_ok=True)
    return path


# The run is over and drawn: the app's script state (the attribute Streamlit's own browser
# tests wait on), no skeleton or running indicator, and every chart has drawn its canvas.
_SETTLED_JS = """() => {
  const app = document.querySelector("[data-testid='stApp']");
  if (!app || app.dataset.testScriptState !== "notRunning"
      || app.dataset.testConnectionState !== "CONNECTED") return false;
  if (document.querySelector("[data-testid='stSkeleton'], [data-testid='stStatusWidget']"))
    return false;
  for (const chart of document.querySelectorAll("[data-testid='stVegaLiteChart']"))
    if (!chart.querySelector("canvas, svg")) return false;
  return true;
}"""


def wait_drawn(page, timeout: float = 60) -> None:
    """Wait until the run is over and drawn, and still is a moment later (a page that
    reruns itself, after adopting its URL, passes through a drawn state)."""
    page.wait_for_function(_SETTLED_JS, timeout=timeout * 1000, polling=100)
    page.wait_for_timeout(300)
    page.wait_for_function(_SETTLED_JS, timeout=timeout * 1000, polling=100)


def settle(page, timeout: float = 60) -> None:
    """Wait until the frame (sidebar language switch), a page title and the run are done."""
    # the frame ran (its language switch exists, even where the view hides the sidebar)
    page.get_by_text("语言 / Language").first.wait_for(state="attached", timeout=timeout * 1000)
    page.locator("[data-testid='stMain'] h1").first.wait_for(timeout=timeout * 1000)
    wait_drawn(page, timeout)


def settle_layout(page) -> None:
    """After a viewport change: let the layout and the charts (which follow their
    container's width) draw again."""
    page.wait_for_timeout(300)
    page.wait_for_function(_SETTLED_JS, timeout=30_000, polling=100)


def open_list(page, picker, where=None, timeout: float = 30) -> None:
    """Open ``picker``'s list as a reader does, scrolled into view first, then clicked
    (on ``where`` inside it, else on it), and wait for its first option. A click that had
    to scroll the sidebar itself gave the picker the focus and left its list closed (the
    region filter below the fold at 1366 x 900, once the sidebar said the data were the
    demo's); on a busy machine a list read right after the click was not open yet."""
    picker.scroll_into_view_if_needed()
    settle_layout(page)
    (where or picker).click()
    page.get_by_role("option").first.wait_for(timeout=timeout * 1000)


class Console:
    """Console messages and failed requests of one page (errors and warnings only)."""

    def __init__(self, page) -> None:
        self.lines: list[str] = []
        self.hosts: set[str] = set()  # every host the page asked for anything
        page.on(
            "request", lambda r: self.hosts.add(urlparse(r.url).hostname or r.url.split(":")[0])
        )
        page.on("console", self._console)
        page.on("pageerror", lambda exc: self.lines.append(f"pageerror: {exc}"))
        page.on(
            "response",
            lambda r: r.status >= 400 and self.lines.append(f"HTTP {r.status} {r.url}"),
        )

    def _console(self, msg) -> None:
        if msg.type in ("error", "warning"):
            self.lines.append(f"{msg.type}: {msg.text}")


# Every tab asks for reduced motion, as many people's systems do: Streamlit's fades and
# spinners then draw no animation frames (about 8 % of Chromium's CPU per page view).
CONTEXT_OPTIONS = {"reduced_motion": "reduce"}


# How long a page's load may take before a test fails: Playwright's 30 s ran out on a
# busy machine (a sign-in's page load, three workers and a busy loop on two cores), while
# every wait for a page's run allows 60.
NAVIGATION_TIMEOUT_MS = 60_000


def new_context(browser, **options):
    """A browser context (its own cookies and cache) with :data:`CONTEXT_OPTIONS`."""
    context = browser.new_context(**CONTEXT_OPTIONS, **options)
    context.set_default_navigation_timeout(NAVIGATION_TIMEOUT_MS)
    return context


def new_tab(browser, viewport: dict | None = None):
    """A tab in one context per browser that keeps a profile on disk, as a reader's
    browser does: its tabs share the HTTP cache and V8's cache of compiled scripts, so
    the app's scripts are fetched and compiled once, not for every page load (an
    incognito context keeps no compiled code: a page load there cost about 3.1 CPU
    seconds, here 2.3). It is a Chromium of its own, closed by :func:`close_tabs`; a test
    that needs its own cookies, such as a signed-in person, makes its own context.

    A tab closed by a test is blanked and handed to the next test, as if new
    (:func:`_give_back`): opening a tab in Chromium cost about a CPU second more than
    loading a page in one already open (six pages, alternated: 17-20 against 12-13 CPU
    seconds, the server's included)."""
    if browser not in _CONTEXTS:
        profile = tempfile.mkdtemp(prefix="cx-chromium-")
        context = browser.browser_type.launch_persistent_context(
            profile, executable_path=CHROMIUM, args=FLAGS, **CONTEXT_OPTIONS
        )
        context.set_default_navigation_timeout(NAVIGATION_TIMEOUT_MS)
        _CONTEXTS[browser] = (context, profile)
        _SPARE[browser] = []
    spare = _SPARE[browser]
    if spare:
        page = spare.pop()
        # in front, as a new tab is: Chromium answers the pointer and the keys of a tab
        # behind another only as it draws it (a wheel took a second, 20 of them 21 s)
        page.bring_to_front()
    else:
        page = _reusable(_CONTEXTS[browser][0].new_page(), spare)
    page.set_viewport_size(viewport or DESKTOP)
    return page


# The events a test or :class:`Console` listens to on a tab; Playwright's own listeners are
# on others (the tab's close and crash).
_TEST_EVENTS = (
    "console",
    "pageerror",
    "request",
    "requestfailed",
    "requestfinished",
    "response",
    "dialog",
    "download",
    "filechooser",
    "popup",
    "framenavigated",
    "load",
    "domcontentloaded",
    "websocket",
)


def _reusable(page, spare: list):
    """``page`` whose ``close()`` hands it back to ``spare`` (:func:`_give_back`)."""
    close = page.close
    history = page.context.new_cdp_session(page)

    def give_back(**_) -> None:
        if page.is_closed():
            return
        if not _give_back(page, history):
            close()
            return
        spare.append(page)

    page.close = give_back
    return page


def _give_back(page, history) -> bool:
    """Make ``page`` what a new tab is: its app session ended (the page left for
    about:blank), its history that one entry (a test counts ``history.length`` and goes
    Back to the blank tab), the pointer at the corner (no hover left on the next page)
    and no listener of the test left. False when the tab cannot be reset (then it closes)."""
    from playwright.sync_api import Error

    try:
        for event in _TEST_EVENTS:
            page._impl_obj.remove_all_listeners(event)
        page.mouse.move(0, 0)
        page.goto("about:blank")
        history.send("Page.resetNavigationHistory")
        return page.evaluate("history.length") == 1
    except Error:
        return False


def close_tabs(browser) -> None:
    """Close the context of :func:`new_tab`'s tabs for ``browser`` and remove its profile."""
    _SPARE.pop(browser, None)
    context, profile = _CONTEXTS.pop(browser, (None, None))
    if context is not None:
        context.close()
        shutil.rmtree(profile, ignore_errors=True)


_CONTEXTS: dict = {}
_SPARE: dict = {}  # tabs closed by a test, blanked, for the next new_tab


def open_page(browser, url: str, viewport: dict | None = None):
    """A new tab at ``url`` (settled) with its :class:`Console` attached."""
    page = new_tab(browser, viewport)
    console = Console(page)
    page.goto(url)
    settle(page)
    return page, console


# --------------------------------------------------------------------------- reading checks

# What a person must never read. Whole words, so "Nanjing" or "Nonexistent" pass.
BAD_WORDS = re.compile(r"(?<![A-Za-z])(nan|NaN|None|NaT|null|undefined)(?![A-Za-z])")
CUT = re.compile(r"\w…")  # a label cut by the chart or the layout: "Waiting, 90th per…"
RAW_KEY = re.compile(r"\b[a-z]+(?:\.[a-z0-9_]+){1,4}\b")

# Metric names kept as abbreviations in both languages, file formats and encodings.
TERMS = {"CSAT", "JSON", "XLSX", "xlsx", "Excel", "GB18030", "UTF-8", "UTF-16"}
# The sign-in configuration's file and section, named as they are typed.
TERMS |= {"secrets.toml", "[auth]"}
# A method named after its authors, explained in Chinese in the same sentence.
TERMS |= {"Benjamini–Hochberg"}

STREAMLIT_ENGLISH = {
    # The language switch names each language in itself.
    "语言 / Language",
    "English",
    # Streamlit's own widgets cannot be translated from Python (README lists them).
    "Browse files",
    "Drag and drop file here",
    "Drag and drop files here",
    "Limit 500MB per file",
    "Deploy",
    "Upload",
    "Press Enter to apply",
    "Press Enter to submit form",
    "Choose an option",
    "Choose options",
    "No results",
    "Running...",
    "Stop",
}


_TEXT_JS = """() => {
  const app = document.querySelector("[data-testid='stApp']");
  const skip = new Set();
  for (const el of app.querySelectorAll("[data-testid='stIconMaterial'], .stSkipLink, a[href='#main']"))
    skip.add(el.innerText);
  for (const el of app.querySelectorAll("span"))  // icons written as :material/name:
    if (getComputedStyle(el).fontFamily.includes("Material") && !el.children.length)
      skip.add(el.innerText);
  let text = app.innerText;
  for (const s of skip) if (s) text = text.split(s).join(" ");
  return text;
}"""


def shows(page, text, timeout: float = 60) -> None:
    """Wait until ``text`` (a string or a compiled pattern) is shown; a page that never
    shows it fails with what it showed instead (a click lost, an error, a page still
    running), for the log of a run that cannot be repeated."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    try:
        page.get_by_text(text).wait_for(timeout=timeout * 1000)
    except PlaywrightTimeout:
        raise AssertionError(
            f"{text!r} not shown in {timeout:.0f} s; the page showed: {visible_text(page)[:3000]}"
        ) from None


def visible_text(page) -> str:
    """The text of the main area and the sidebar as a person reads it (icon ligature names
    such as 'today' and the hidden 'skip to content' link left out)."""
    return page.evaluate(_TEXT_JS).replace("Skip to main content", " ")


_CUT_JS = """() => {
  const out = [];
  for (const el of document.querySelectorAll("[data-testid='stApp'] *")) {
    if (!el.innerText) continue;
    const r = el.getBoundingClientRect();  // hidden or off screen (a collapsed sidebar)
    if (r.width <= 0 || r.right <= 0 || r.left >= window.innerWidth) continue;
    const cs = getComputedStyle(el);
    if (cs.textOverflow === "ellipsis" && cs.overflow !== "visible"
        && el.scrollWidth > el.clientWidth + 1) out.push(el.innerText.slice(0, 60));
  }
  // a picker's chosen value is an input: cut without an ellipsis, and not in innerText
  for (const box of document.querySelectorAll("[data-testid='stSelectbox'] input")) {
    const r = box.getBoundingClientRect();
    if (r.width <= 0 || r.right <= 0 || r.left >= window.innerWidth) continue;
    if (box.scrollWidth > box.clientWidth + 1) out.push(box.value.slice(0, 60));
  }
  return out;
}"""


def cut_by_css(page) -> list[str]:
    """Texts the layout cuts with an ellipsis (CSS text-overflow), which innerText hides,
    and a picker's chosen value cut by its box (the planner's preset at 1366 px)."""
    return [f"cut label: {t!r}" for t in page.evaluate(_CUT_JS)]


_CHART_CUT_JS = """() => {
  const cut = [];
  for (const svg of document.querySelectorAll("[data-testid='stVegaLiteChart'] svg.marks")) {
    const box = svg.getBoundingClientRect();
    for (const text of svg.querySelectorAll("text")) {
      if ((text.getAttribute("transform") || "").includes("rotate")) continue;  // axis titles
      if (getComputedStyle(text).opacity === "0") continue;  // a tick label Vega hid: overlap
      const r = text.getBoundingClientRect();
      if (r.width > 0 && (r.right > box.right + 1 || r.left < box.left - 1))  // past a pixel
        cut.push(text.textContent);
    }
  }
  return cut;
}"""


def cut_at_chart_edge(page) -> list[str]:
    """Chart texts cut at their chart's edge (a label right of a bar on a phone): Vega draws
    each chart as an SVG as wide as its column that hides what lies outside it, which
    neither the page's text nor its CSS reveals. Rotated texts (vertical axis titles) are
    left out: their boxes hold the font's whole height, wider than what is drawn."""
    return [f"chart text cut at the edge: {t!r}" for t in page.evaluate(_CHART_CUT_JS)]


def full_screenshot(page, path: Path) -> None:
    """The whole page: Streamlit scrolls inside its main area, so the viewport grows to the
    content's height for the shot and shrinks back."""
    vp = page.viewport_size
    height = page.evaluate(
        "() => { const m = document.querySelector(\"[data-testid='stMain']\");"
        " return m ? m.scrollHeight : document.body.scrollHeight; }"
    )
    page.set_viewport_size({"width": vp["width"], "height": max(vp["height"], min(height, 12000))})
    page.wait_for_timeout(800)
    page.screenshot(path=str(path))
    page.set_viewport_size(vp)


def translation_keys() -> set[str]:
    from cx.i18n import table

    return set(table())


def reading_problems(text: str, lang: str, allowed_english: set[str] = frozenset()) -> list[str]:
    """What a person should not read in ``text``: nan/None, cut labels, raw keys, and in
    the Chinese UI English words outside data and the Streamlit exception list."""
    problems = []
    for m in BAD_WORDS.finditer(text):
        problems.append(f"missing value shown: {text[max(0, m.start() - 40) : m.end() + 20]!r}")
    for m in CUT.finditer(text):
        problems.append(f"cut label: {text[max(0, m.start() - 30) : m.end() + 5]!r}")
    keys = translation_keys()
    for m in RAW_KEY.finditer(text):
        if m.group(0) in keys:
            problems.append(f"raw translation key: {m.group(0)!r}")
    if lang == "zh":
        rest = text
        for phrase in sorted(STREAMLIT_ENGLISH | TERMS | set(allowed_english), key=len)[::-1]:
            rest = rest.replace(phrase, " ")
        rest = re.sub(r"\d+MB per file", " ", rest)  # the uploader's limit line
        rest = re.sub(r"(?:/[\w.-]+)+\.duckdb", " ", rest)  # a file path
        for m in re.finditer(r"(?<![A-Za-z0-9_])[A-Za-z]{4,}(?![A-Za-z0-9_])", rest):
            problems.append(
                f"English in the Chinese UI: {rest[max(0, m.start() - 30) : m.end() + 10]!r}"
            )
    return problems


# --------------------------------------------------------------------------- screenshots


def page_urls() -> list[tuple[str, str]]:
    """(name, path) of every page; the first page is served at /."""
    from cx.ui.pages import available

    return [(url, "" if i == 0 else url) for i, (*_rest, url) in enumerate(available())]


def screenshots(out: Path) -> None:
    """Every page at desktop and phone width in both languages, the projector view."""
    from playwright.sync_api import sync_playwright

    out.mkdir(parents=True, exist_ok=True)
    with running_server(demo_database(out)) as base, sync_playwright() as p:
        b = launch(p)
        jobs = [
            (f"{name}_{lang}_{size}", f"{base}/{path}?lang={lang}", vp)
            for name, path in page_urls()
            for lang in ("zh", "en")
            for size, vp in (("desktop", DESKTOP), ("phone", PHONE))
        ]
        jobs += [
            (f"planner_{lang}_projector", f"{base}/planner?lang={lang}&view=projector", PROJECTOR)
            for lang in ("zh", "en")
        ]
        jobs.append(("board_zh_phone_hz01", f"{base}/?lang=zh&store=HZ01&date=2025-10-15", PHONE))
        only = sys.argv[2:]
        for name, url, vp in jobs:
            if only and not any(name.startswith(o) for o in only):
                continue
            try:
                page, console = open_page(b, url, vp)
            except Exception as exc:  # a page that never settles is itself a finding
                print(name, "did not settle:", exc)
                continue
            page.screenshot(path=str(out / f"{name}_fold.png"))
            lang = "zh" if "_zh_" in name else "en"
            problems = reading_problems(visible_text(page), lang) + cut_by_css(page)
            problems += cut_at_chart_edge(page)
            full_screenshot(page, out / f"{name}.png")
            print(name, len(console.lines), "console;", len(problems), "reading problems")
            for line in (console.lines + problems)[:12]:
                print("   ", line[:200])
            page.close()
        close_tabs(b)
        b.close()


if __name__ == "__main__":
    screenshots(Path(sys.argv[1] if len(sys.argv) > 1 else "/tmp/cx-shots"))


def scrolled_sideways(page, grid, kept: int = 120) -> tuple[bool, bool]:
    """Scroll the table ``grid`` (a ``stDataFrame`` locator) to its right end and say
    whether its first ``kept`` px were drawn the same (a pinned column stays in view)
    and its last ``kept`` px otherwise (its figures moved). The grid is a canvas: the two
    strips are compared as screenshots, each taken once the grid has stopped drawing
    (rows arrive, and a row under the pointer is highlighted: the pointer is moved off)."""
    grid.scroll_into_view_if_needed()
    page.mouse.move(1, 1)
    scroller = grid.locator(".dvn-scroller")
    wide, shown = scroller.evaluate("s => [s.scrollWidth, s.clientWidth]")
    assert wide > shown + 2 * kept, (wide, shown)  # wider than the screen: it scrolls
    box = grid.bounding_box()
    left = {"x": box["x"], "y": box["y"], "width": kept, "height": box["height"]}
    right = {**left, "x": box["x"] + box["width"] - kept}

    def still() -> list[bytes]:
        """Both strips, once two looks 250 ms apart agree (at most 5 s)."""
        last = [page.screenshot(clip=c) for c in (left, right)]
        for _ in range(20):
            page.wait_for_timeout(250)
            now = [page.screenshot(clip=c) for c in (left, right)]
            if now == last:
                break
            last = now
        return last

    before = still()
    scroller.evaluate("s => { s.scrollLeft = s.scrollWidth; }")
    for _ in range(20):  # the grid redraws on a later frame (later on a busy machine)
        page.wait_for_timeout(250)
        if page.screenshot(clip=right) != before[1]:
            break
    after = still()
    return after[0] == before[0], after[1] != before[1]
