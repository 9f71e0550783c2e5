"""Sign-in in a real browser against a real OpenID Connect provider on loopback.

``oidc-provider-mock`` runs in this process; the app runs with ``[auth]`` pointing at
it (a secrets file passed with ``--secrets.files``). The provider's sign-in form takes
any subject and issues it as the ``email`` claim, which is how the app identifies a
person. Checked: a store manager of HZ01 sees only HZ01 (network view, ``?store=SH03``,
region picker); an analyst uploads an export; a person without a grant sees only the
"ask your admin" page; and data-borne Markdown makes no request to any other host.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from urllib.parse import urlparse

import pytest
from browser_support import (
    CONTEXT_OPTIONS,
    _free_port,
    demo_database,
    new_context,
    open_list,
    require_chromium,
    running_server,
    settle,
    shows,
    visible_text,
    wait_drawn,
)
from playwright.sync_api import Error as PlaywrightError

from cx import access, db
from cx.i18n import t

require_chromium()
oidc = pytest.importorskip("oidc_provider_mock")

# Streamlit's icon and emoji codes, and a right-to-left override that turned the rest of
# a sentence, its figures too, backwards: as text, without the override.
EVIL_STORE = "![x](http://evil.example/a.png) :material/warning: :100:\u202e"
EVIL_COMMENT = "**bold** [l](http://evil.example) :+1:"
EVIL_HEADER = ":red[x]"


@pytest.fixture(scope="module")
def provider():
    with oidc.run_server_in_thread(port=0) as server:
        yield f"http://127.0.0.1:{server.server_port}"


@pytest.fixture(scope="module")
def signed_server(tmp_path_factory, provider, demo_template):
    folder = tmp_path_factory.mktemp("auth")
    path = demo_database(folder, demo_template)
    with db.connect(path) as con:
        access.grant(con, "manager@hz01.example", "store", ["HZ01"])
        access.grant(con, "analyst@cx.example", "analyst")
        # Text from an export that must stay text on every page.
        con.execute("UPDATE stores SET store_name = ? WHERE store_id = 'HZ01'", [EVIL_STORE])
        con.execute(
            "UPDATE responses SET comment = ?, advisor = ? WHERE response_id IN"
            " (SELECT response_id FROM responses WHERE store_id = 'HZ01' AND nps <= 6"
            "  ORDER BY responded_at DESC LIMIT 20)",
            [EVIL_COMMENT, EVIL_HEADER],
        )
        db.bump_data_version(con)
    port = _free_port()
    secrets = folder / "secrets.toml"
    secrets.write_text(
        "[auth]\n"
        f'redirect_uri = "http://127.0.0.1:{port}/oauth2callback"\n'
        'cookie_secret = "a-long-random-string-for-tests-only"\n'
        'client_id = "cx-dashboard"\n'
        'client_secret = "cx-dashboard-secret"\n'
        f'server_metadata_url = "{provider}/.well-known/openid-configuration"\n',
        encoding="utf-8",
    )
    with running_server(path, ("--secrets.files", str(secrets)), port=port) as base:
        yield base, path


def authorize(page, email: str) -> None:
    """On the sign-in page: the company account's button, then the provider's form as
    ``email``."""
    page.get_by_role("button", name="Sign in with your company account").click()
    page.locator("input[name='sub']").fill(email)
    page.get_by_role("button", name="Authorize").click()


def back_at_app(page, base: str) -> None:
    """Wait until the provider has sent the page back to the app and past the app's
    sign-in callback, whose address is the app's too (a page opened while the callback
    still runs would cut it short)."""
    page.wait_for_url(
        lambda url: url.startswith(base) and "/oauth2callback" not in url, timeout=60_000
    )


def sign_in(browser, base: str, email: str, path: str = "/?lang=en"):
    """A fresh browser context signed in as ``email``; returns (context, page, requests)."""
    context = new_context(browser, viewport={"width": 1366, "height": 900})
    page = context.new_page()
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto(base + path)
    authorize(page, email)
    back_at_app(page, base)
    try:
        page.goto(base + path)
    except PlaywrightError as exc:
        # the app opens the page asked for itself once signed in: on a busy machine its
        # navigation was still under way and took this one's place, to the same page
        if f'interrupted by another navigation to "{base + path}"' not in str(exc):
            raise
        page.wait_for_load_state()
    settle(page)
    requests.clear()  # the provider's own page is not the app's
    return context, page, requests


def read(page) -> str:
    """The page's text as a person reads it (the word joiners that keep data from turning
    into links are invisible)."""
    return visible_text(page).replace("\u2060", "")


def listed(page, picker) -> list[str]:
    """The options ``picker`` lists once clicked open, read when the list has come (on a
    busy machine the sidebar's list was read before it opened: empty)."""
    open_list(page, picker)
    offered = page.get_by_role("option").all_inner_texts()
    page.keyboard.press("Escape")
    return offered


def foreign(requests: list[str], base: str) -> list[str]:
    own = urlparse(base).netloc
    return [
        u for u in requests if urlparse(u).scheme in ("http", "https") and urlparse(u).netloc != own
    ]


def test_a_fresh_servers_sign_in_page_lists_no_page_files(request, signed_server, browser):
    """The first test of the module: no session of this server has opened a page yet.
    Streamlit then listed pages/ by file name beside the sign-in button (app, access,
    data, …)."""
    mine = [item for item in request.session.items if item.module is request.module]
    assert mine[0] is request.node, "runs first in its module (before any sign-in)"
    base, _ = signed_server
    page = browser.new_page(**CONTEXT_OPTIONS)
    try:
        page.goto(base + "/?lang=en")
        settle(page)
        assert "Please sign in" in read(page)
        assert page.get_by_test_id("stSidebarNav").count() == 0
        assert not page.locator("a[href$='/access'], a[href$='/data']").count()
    finally:
        page.close()


def test_store_manager_sees_only_their_store(signed_server, browser):
    base, _ = signed_server
    context, page, requests = sign_in(browser, base, "manager@hz01.example")
    try:
        text = read(page)
        assert "manager@hz01.example" in text
        assert "SH03" not in text and "SZ05" not in text
        # The store picker offers HZ01 (its name shown literally) and nothing of another store.
        options = listed(page, page.get_by_test_id("stSelectbox").first)
        assert any("HZ01" in o for o in options)
        assert not any(s in o for o in options for s in ("SH03", "BJ01", "SZ05"))
        # its name as typed, but for the right-to-left override, which would turn it round
        assert any(EVIL_STORE.replace("\u202e", "") in o for o in options), options
        assert not any("\u202e" in o for o in options)
        # A store outside the scope in the URL shows nothing of it and says so.
        page.goto(base + "/?lang=en&store=SH03")
        settle(page)
        text = read(page)
        assert "You have no access to: SH03" in text
        # The region picker in the sidebar lists only the manager's region's stores.
        stores_filter = page.get_by_test_id("stSidebar").get_by_test_id("stMultiSelect").nth(1)
        offered = listed(page, stores_filter)
        assert offered and all("HZ01" in o for o in offered)
        # Pages the role may not open are not in the navigation; a link to one says whose
        # page it is (it was Streamlit's English 'Page not found' modal)
        nav = page.get_by_test_id("stSidebarNav").inner_text()
        assert "Upload" not in nav and "Access" not in nav
        page.goto(base + "/data?lang=en")
        settle(page)
        text = read(page)
        assert "This page is for these roles: Admin, Analyst." in text, text[:500]
        assert "Page not found" not in text and "Rejected" not in text
        assert "Data" not in page.get_by_test_id("stSidebarNav").inner_text()
        # Markdown and directives from data stay text on every section and page: no
        # request leaves the host. Walked as the manager would, by the board's sections
        # and the sidebar (one page load, not eight).
        page.goto(base + "/?store=HZ01&lang=en")
        settle(page)
        for section in ("", "callbacks", "report", "overview", "segments", "quadrant", "heatmap",
                        "planner"):  # fmt: skip
            if section in ("callbacks", "report"):
                page.locator(".st-key-board_tab button").filter(
                    has_text=t(f"board.tab.{section}", "en")
                ).click()
                page.wait_for_url(f"**tab={section}**", timeout=30_000)
            elif section:
                title = page.locator("[data-testid='stMain'] h1").first.inner_text()
                page.get_by_test_id("stSidebarNav").locator("a").filter(
                    has_text=t(f"page.{section}", "en")
                ).click()
                page.wait_for_url(f"**/{section}**", timeout=30_000)
                page.wait_for_function(  # the page's own title: its run has drawn
                    "t => document.querySelector(\"[data-testid='stMain'] h1\")?.innerText !== t",
                    arg=title,
                    timeout=30_000,
                )
            settle(page)
            bad = page.locator("img[src*='evil'], a[href*='evil']:not([href^='#'])")
            assert bad.count() == 0, (section, bad.first.evaluate("e => e.parentElement.outerHTML"))
            marked = page.locator("[data-testid='stMain'] [data-testid='stMarkdownContainer']")
            icons = marked.locator("span[aria-label='warning icon']")
            assert icons.count() == 0, (
                section,
                icons.first.evaluate("e => e.parentElement.outerHTML"),
            )
            said = "".join(marked.all_inner_texts())
            assert not {"💯", "👍", "\u202e"} & set(said), section
        assert not foreign(requests, base), foreign(requests, base)
    finally:
        context.close()


def test_signing_in_keeps_the_language_the_sign_in_page_was_read_in(signed_server, browser):
    """The provider sends the browser back to the bare address: the page after sign-in
    had come up in Chinese for someone who signed in from the English page."""
    base, _ = signed_server
    context = new_context(browser, viewport={"width": 1366, "height": 900})
    page = context.new_page()
    try:
        page.goto(base + "/?lang=en")
        authorize(page, "manager@hz01.example")
        back_at_app(page, base)
        settle(page)
        page.wait_for_url(lambda url: "lang=" in url, timeout=30_000)  # written at run end
        assert "lang=en" in page.url
        assert page.locator("[data-testid='stMain'] h1").first.inner_text() == "Daily NPS board"
    finally:
        context.close()


def test_signing_in_opens_the_page_the_link_asked_for(signed_server, browser):
    """A link to a page (the quadrant, filtered to a store) met the sign-in page; after
    signing in, Streamlit sends the browser to the bare address, and the board came up
    instead of the page the link named, without its filter."""
    base, _ = signed_server
    context = new_context(browser, viewport={"width": 1366, "height": 900})
    page = context.new_page()
    try:
        page.goto(base + "/quadrant?lang=en&stores=HZ01")
        authorize(page, "manager@hz01.example")
        page.wait_for_url(lambda url: urlparse(url).path == "/quadrant", timeout=30_000)
        settle(page)
        assert "stores=HZ01" in page.url
        title = page.locator("[data-testid='stMain'] h1").first.inner_text()
        assert title == t("quad.title", "en")
        # once there, the kept address is forgotten: the bare address is the board again
        page.goto(base + "/?lang=en")
        settle(page)
        assert urlparse(page.url).path == "/"
        assert page.locator("[data-testid='stMain'] h1").first.inner_text() == "Daily NPS board"
    finally:
        context.close()


def test_the_sign_in_page_opened_at_the_other_loopback_name_says_so(signed_server, browser):
    """redirect_uri names 127.0.0.1; the page opened at localhost (the address Streamlit's
    own start line prints): signing in ended on the sign-in page again, without a word."""
    base, _ = signed_server
    other = base.replace("127.0.0.1", "localhost")
    context = new_context(browser, viewport={"width": 1366, "height": 900})
    page = context.new_page()
    try:
        page.goto(other + "/?lang=en")
        settle(page)
        said = t("access.signin.other_name", "en", here="localhost", there="127.0.0.1")
        shows(page, said)
        page.goto(base + "/?lang=en")
        settle(page)
        assert "different sites" not in read(page)
    finally:
        context.close()


def test_analyst_uploads_an_export(signed_server, browser, tmp_path):
    base, path = signed_server
    context, page, requests = sign_in(browser, base, "analyst@cx.example", "/upload?lang=en")
    try:
        export = tmp_path / "export.csv"
        export.write_text(
            f"response_id,store_id,responded_at,nps,comment,{EVIL_HEADER}\n"
            "AUTH-1,HZ01,2025-10-30 09:00,9,fine,x\n"
            f'AUTH-2,HZ01,2025-10-30 10:00,3,"{EVIL_COMMENT} 138-0013-8000",y\n',
            encoding="utf-8",
        )
        page.get_by_test_id("stFileUploaderDropzoneInput").set_input_files(str(export))
        settle(page)
        page.get_by_text("Column mapping").click()
        wait_drawn(page)
        text = read(page)
        assert EVIL_HEADER in text  # the unknown header is shown literally
        page.get_by_role("button", name="Commit to the database").click()
        shows(page, re.compile(r"Upload #\d+ committed: \d+ rows read, 2 added"))
        settle(page)
        with db.connect(path) as con:
            rows = con.execute(
                "SELECT count(*) FROM responses WHERE response_id IN ('AUTH-1', 'AUTH-2')"
            ).fetchall()[0][0]
            who = con.execute(
                "SELECT uploaded_by FROM uploads ORDER BY upload_id DESC LIMIT 1"
            ).fetchall()[0][0]
            log = access.audit_log(con)
        assert rows == 2
        assert who == "analyst@cx.example"
        assert "upload" in set(log.loc[log["who"] == "analyst@cx.example", "action"])
        assert not foreign(requests, base), foreign(requests, base)
    finally:
        context.close()


def test_an_admins_grant_form_starts_empty_after_each_grant(signed_server, browser):
    """After a grant the page cleared its form's values on the server only: the browser
    kept the last grant's picks and sent them with the next one, and a store grant saved
    the region grant's region beside its store. Each grant now leaves the form empty in
    the browser, and the store grant holds its store alone."""
    base, path = signed_server
    with db.connect(path) as con:
        access.grant(con, "admin@cx.example", "admin")
    context, page, _requests = sign_in(browser, base, "admin@cx.example", "/access?lang=en")
    form = page.locator(".st-key-access_grant_form, [data-testid='stForm']").first

    def grant(email: str, role: str, picker: str, pick: str) -> None:
        page.locator(".st-key-access_email input").fill(email)
        page.locator(".st-key-access_role").click()
        page.get_by_role("option", name=t(f"access.role.{role}", "en"), exact=True).click()
        page.locator(f".st-key-{picker}").click()
        page.get_by_role("option", name=pick, exact=True).click()
        page.keyboard.press("Escape")
        form.get_by_role("button", name=t("access.grant", "en")).click()
        said = t(
            "access.granted",
            "en",
            email=email,
            role=t(f"access.role.{role}", "en").lower(),  # "the region role", in a sentence
            places=t("access.places", "en", places=pick),
        )
        # this grant's sentence: the last grant's may still be on screen until the run ends
        done = page.get_by_test_id("stAlertContentSuccess").filter(has_text=f"({pick})")
        done.wait_for(timeout=30_000)
        settle(page)
        assert done.inner_text().replace("\u2060", "") == said

    try:
        grant("r@x.example", "region", "access_regions", "华东")
        assert page.locator(".st-key-access_email input").input_value() == ""
        for picker in ("access_regions", "access_stores"):  # no chip left in either
            assert not page.locator(f".st-key-{picker} [data-baseweb='tag']").count()
        grant("s@x.example", "store", "access_stores", "HZ01")
    finally:
        context.close()
    with db.connect(path) as con:
        rows = access.grants(con, "s@x.example")[["role", "store_id", "region"]]
    assert rows.astype(object).where(rows.notna(), None).values.tolist() == [
        ["store", "HZ01", None]
    ]


def test_no_grant_sees_only_ask_your_admin(signed_server, browser):
    base, _ = signed_server
    context, page, _ = sign_in(browser, base, "stranger@elsewhere.example")
    try:
        text = read(page)
        assert "No access" in text and "Ask your admin" in text
        assert "HZ01" not in text
        assert page.get_by_test_id("stSidebarNav").count() == 0
        page.goto(base + "/segments?lang=en")
        settle(page)
        assert "No access" in read(page)
    finally:
        context.close()


def test_signed_out_visitor_sees_only_sign_in(signed_server, browser):
    base, _ = signed_server
    page = browser.new_page(**CONTEXT_OPTIONS)
    try:
        page.goto(base + "/overview?lang=en")
        settle(page)
        text = read(page)
        assert "Please sign in" in text and "HZ01" not in text
    finally:
        page.close()


def test_an_error_shows_a_sentence_not_a_traceback(tmp_path, browser):
    broken = tmp_path / "cx.duckdb"
    broken.write_bytes(b"this is not a database" * 100)
    shutil.copy(broken, tmp_path / "copy.bin")
    with running_server(broken) as base:
        page = browser.new_page(**CONTEXT_OPTIONS)
        try:
            page.goto(base + "/?lang=en")
            wait_drawn(page)
            text = read(page)
            assert "Traceback" not in text and ".py" not in text and str(Path.cwd()) not in text
            assert text.strip()  # a sentence, not a blank page
        finally:
            page.close()
