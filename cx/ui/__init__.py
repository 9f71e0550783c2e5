"""The only part of ``cx`` that imports streamlit: language, shared filters, cached loaders.

Pages call :func:`t` for every text, :func:`filters` for the sidebar's choice,
:func:`load` to run a ``cx.queries`` function through a cache keyed on the data
version, and :func:`write` for anything that changes the database.
"""

from __future__ import annotations

import atexit
import contextlib
import functools
import hashlib
import importlib
import json
import logging
import pickle
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from types import MappingProxyType, SimpleNamespace
from typing import Any
from urllib.parse import unquote, urlencode, urlparse

import numpy as np
import pandas as pd
import streamlit as st
from streamlit import dataframe_util
from streamlit.errors import StreamlitWidgetAlreadyInstantiatedError
from streamlit.runtime.scriptrunner_utils.script_run_context import get_script_run_ctx

from cx import access as cx_access  # cx.ui.access is the Access page's pieces
from cx import config, db, demo, export, i18n, ingest, queries, rules, stats
from cx.frames import store_label
from cx.scope import NETWORK, REGION_PREFIX, Scope

_LOG = logging.getLogger("cx")
_VERSION: dict[str, tuple[float, tuple[int, int]]] = {}
VERSION_TTL = 1.0  # seconds a read data version is trusted before asking the file again


# --------------------------------------------------------------------------- language


def _leave_legacy_page_mode() -> None:
    """Make sure the frame (app.py) runs, even for a deep link into a fresh server.

    Streamlit keeps a process-wide flag that a ``pages/`` folder exists and, until some
    session has called ``st.navigation``, runs a deep-linked ``pages/x.py`` on its own
    (the old multipage mode): no language switch, no filters. AppTest resets the flag
    before every run. Clearing it and rerunning sends the run through ``app.py`` and
    its ``st.navigation``, which resolves the same URL path. Not under AppTest: it
    resets the flag before every run, and a rerun there would swallow button clicks.
    """
    from streamlit import config as st_config
    from streamlit.runtime.pages_manager import PagesManager

    if PagesManager.uses_pages_directory and not st_config.get_option("global.appTest"):
        PagesManager.uses_pages_directory = False
        st.session_state[_STALE_MENU] = True  # the old mode's menu is on screen
        st.rerun()


_STALE_MENU = "_cx_stale_menu"


def hide_stale_menu() -> Any:
    """On the run after :func:`_leave_legacy_page_mode`: hide the menu the old multipage
    mode drew (pages/ by file name: 'app, access, board, …') until the frame's own
    ``st.navigation`` replaces it; returns the placeholder to empty then (None on every
    other run). The first start's demo build (eight seconds) and a new app process behind
    nginx (two) had shown that list. The mark stays until the frame's menu is drawn
    (:func:`menu_drawn`): a run that began before it was (a rerun during the build)
    had dropped the style and shown the list again."""
    if not st.session_state.get(_STALE_MENU, False):
        return None
    holder = st.empty()
    holder.markdown(
        "<style>[data-testid='stSidebarNav']{display:none}</style>",
        unsafe_allow_html=True,  # the app's own constant style, no data
    )
    return holder


def menu_drawn(holder: Any) -> None:
    """The frame's own menu is in place: the old mode's is gone for good."""
    if holder is not None:
        holder.empty()
        st.session_state.pop(_STALE_MENU, None)


def lang() -> str:
    """The chosen language ('zh' or 'en'): the switch, else the ``?lang=`` URL parameter.
    Worked out once per run (every text asks: a network's board asks hundreds of times,
    and each look into the session state takes its lock): the switch's callback runs
    before the run, so the language cannot change within one."""
    return _per_run("_cx_lang", _lang)


# The browser remembers the last language chosen: signing in (the provider sends the
# browser back to the bare address) and a bookmark without ?lang= open in it. Its value
# is one of i18n.LANGS, written by the app's own script (remember_lang).
LANG_COOKIE = "cx_lang"


def _lang() -> str:
    _leave_legacy_page_mode()
    chosen = st.session_state.get("ui_lang")
    if chosen is None:
        asked = st.query_params.get("lang") or _cookie(LANG_COOKIE)
        chosen = st.session_state["ui_lang"] = i18n.normalise_lang(asked)
    _hold_pickers()
    _relabel(chosen)
    return chosen


def _cookie(name: str) -> str | None:
    """A cookie the browser sent when the session began (none outside a browser)."""
    try:
        return st.context.cookies.get(name)
    except Exception:  # no browser behind the session (AppTest, a bare script run)
        return None


def _per_run(name: str, make: Callable[[], Any]) -> Any:
    """``make()``, worked out once per page run and kept on the run's context (none
    outside a run, unless in :func:`as_one_run`: made every time)."""
    ctx = _run_context()
    if ctx is None:
        return make()
    memo = getattr(ctx, name, None)
    if memo is not None and memo[0] is ctx.cursors:  # a dict made anew for every run
        return memo[1]
    value = make()
    setattr(ctx, name, (ctx.cursors, value))
    return value


_OUTSIDE = threading.local()  # as_one_run's stand-in for a run's context


def _run_context() -> Any:
    """The page run's context: Streamlit's, or :func:`as_one_run`'s outside a run."""
    ctx = get_script_run_ctx(suppress_warning=True)
    return ctx if ctx is not None else getattr(_OUTSIDE, "run", None)


@contextlib.contextmanager
def as_one_run() -> Iterator[None]:
    """Loads made outside Streamlit (``python -m cx bench``) share what a page run's
    share: who the person is, worked out once, and the run's readers
    (:func:`_reading`), closed at the end as the frame closes them."""
    _OUTSIDE.run = SimpleNamespace(cursors={})
    try:
        yield
    finally:
        _OUTSIDE.run = None
        _close_readers()


def t(key: str, **fmt: object) -> str:
    """Translate ``key`` into the current language, ready for Markdown.

    Streamlit renders most texts (titles, captions, messages, labels) as Markdown, so
    every value put into the text is escaped: a store name, comment, owner or header
    that holds an image link or ``:red[x]`` shows those characters and
    never makes the browser fetch or colour anything. Nested :func:`t` results and
    numbers pass unchanged; :func:`esc` escapes data shown without a text key.
    """
    return i18n.t_markdown(key, lang(), **fmt)


def t_plain(key: str, **fmt: object) -> str:
    """Translate ``key`` for an element that shows plain text (``st.text``, options)."""
    return i18n.t(key, lang(), **fmt)


def esc(value: object) -> str:
    """Data (a store name, a comment) escaped for a Markdown element."""
    return i18n.md_escape(value)


# The element of a fixed script takes no room (the page's first element would otherwise
# sit a gap lower).
_HIDDEN = "[data-testid=stElementContainer]:has(> [data-testid=stHtml] > #{id}) {{display: none}}"


def fixed_script(sid: str, body: str) -> str:
    """An app's own fixed script (no data in it) for ``st.html(...,
    unsafe_allow_javascript=True)``, its element taking no room on the page."""
    return f'<style>{_HIDDEN.format(id=sid)}</style><script id="{sid}">{body}</script>'


# The app's own fixed script, no data in it. Streamlit adds a browser history entry for
# every change of the URL's parameters, and a page's first run adds its settings to the
# URL one by one (the store's filter, the date, the tab, the period): a manager opening
# a link from a chat pressed Back five times to return, and Back from the overview to the
# board stayed on the overview. A change that only adds parameters to the same page, or
# only drops some, now replaces the entry; a changed value (another day, another tab)
# and another page still add one, so Back undoes what the person did. Arriving on a page
# is one entry with what the app then writes into its URL before the person touches
# anything (a press of a pointer or a key): the quadrant's "open a store's board" came
# with the quadrant's filters, which the board's store replaced, and that was a second
# entry, the board on the region, where Back from the board landed. From a warm cache the
# board's run can end before the browser has changed page, and its parameters arrive on
# the page being left, a new entry the page change then follows: when a page change
# comes after such an entry with nothing pressed between, it takes that entry's place.
# The planner's projector view switched on or off (``view``) is a step of its own: it only
# adds or drops a parameter, and Back from the projector had undone the goal set before
# it, leaving the projector on. A switch of language changes the entry in place: the
# language is the reader's, kept
# by the session, so Back to the entry before it showed the same page again in the new
# language (a Back that did nothing), where it now undoes the step before the switch.
HISTORY_SCRIPT = fixed_script(
    "cx-history",
    """(() => {
  if (window.__cxHistory) return;
  window.__cxHistory = true;
  const push = history.pushState.bind(history);
  const within = (a, b) => [...a.keys()].every((k) => b.get(k) === a.get(k));
  let arriving = false, ahead = false;
  for (const kind of ["pointerdown", "keydown"])
    addEventListener(kind, () => { arriving = false; ahead = false; }, true);
  const changed = (a, b) => new Set([...a.keys(), ...b.keys()].filter((k) => a.get(k) !== b.get(k)));
  history.pushState = (state, title, url) => {
    if (url !== undefined && url !== null) {
      const next = new URL(url, location.href);
      const now = new URL(location.href);
      const moved = changed(now.searchParams, next.searchParams);
      if (next.pathname === now.pathname && moved.size === 1 && moved.has("lang")) {
        return history.replaceState(state, title, url);
      }
      if (next.pathname !== now.pathname) {
        arriving = true;
        if (ahead) {
          ahead = false;
          return history.replaceState(state, title, url);
        }
      } else if (!arriving && (moved.has("view")
          || (!within(now.searchParams, next.searchParams)
              && !within(next.searchParams, now.searchParams)))) {
        ahead = true;
      } else if (arriving
          || within(now.searchParams, next.searchParams)
          || within(next.searchParams, now.searchParams)) {
        return history.replaceState(state, title, url);
      }
    }
    return push(state, title, url);
  };
})()""",
)


_URL = "_cx_url"  # the run's URL changes, on the run's context (see url_set)


def frame_started() -> None:
    """The app's frame (``app.py``) runs this run: :func:`url_set` gathers the run's URL
    changes for :func:`flush_url`, which the frame calls when the run ends."""
    ctx = get_script_run_ctx(suppress_warning=True)
    if ctx is not None:
        setattr(ctx, _URL, (ctx.cursors, {}))


def _url_pending() -> dict | None:
    ctx = get_script_run_ctx(suppress_warning=True)
    memo = getattr(ctx, _URL, None) if ctx is not None else None
    return memo[1] if memo is not None and memo[0] is ctx.cursors else None


def url_set(key: str, value: str | None) -> None:
    """Put ``key=value`` in the URL (None: take ``key`` out). Under the app's frame the
    run's changes go out together when it ends (:func:`flush_url`): one history entry for
    what one action changed (a store's filter, date and tab had made three). A page run
    alone writes at once."""
    pending = _url_pending()
    if pending is not None:
        pending[key] = value
    elif value is None:
        if key in st.query_params:
            del st.query_params[key]
    elif st.query_params.get(key) != value:
        st.query_params[key] = value


# Pickers whose choice the address carries (:func:`url_choice`): a link, a reload or Back
# shows the view they chose.
URL_PICKERS = {
    "seg_dim": "split",
    "quad_period": "span",
    "quad_cross": "lines",
    "heat_sort": "order",
}
"""The pickers whose choice the address carries, and its parameter: a page's own, taken out
of the address of every other page."""
# Parameters a page writes on every one of its runs (the planner's plan and projector
# view, the heatmap's weights): the address of any other page's run loses them (a write
# the planner's fragment sent as a person clicked away had left the plan on the next
# page's address).
PLAN_PARAM, VIEW_PARAM, WEIGHTS_PARAM = "plan", "view", "weights"
PAGE_PARAMS = (PLAN_PARAM, VIEW_PARAM, WEIGHTS_PARAM)
_URL_PICKERS = "_cx_url_pickers"  # run context: {picker key: its parameter} drawn this run
_URL_SEEN = "_cx_url_seen_"  # session key prefix: the parameter's value the last run wrote


def url_choice(key: str, options: Sequence[str]) -> None:
    """Before picker ``key`` (of ``options``) is read: its parameter (:data:`URL_PICKERS`)
    picks its value when the address names a value of ``options`` it did not name in the
    last run (a link, a reload, Back), or when the picker lost its value; without the
    parameter (another page's link) the picker keeps what it holds. When the run ends
    the address carries the picker's value (:func:`flush_url`), its default too: Back to
    the page as it first drew shows that again."""
    param = URL_PICKERS[key]
    ss = st.session_state
    raw = st.query_params.get(param)
    if raw in options and (key not in ss or raw != ss.get(_URL_SEEN + key)):
        with contextlib.suppress(StreamlitWidgetAlreadyInstantiatedError):  # drawn already
            ss[key] = raw
    elif raw is not None and raw not in options:  # a link's typo ('lines=target'): said,
        # as a bad date or bad weights are (it had been dropped without a word)
        st.warning(t("url.bad_choice", param=param, value=raw, options=" · ".join(options)))
    _per_run(_URL_PICKERS, dict)[key] = param


def _follow_pickers(pending: dict) -> None:
    """The run's :func:`url_choice` pickers' values into the URL changes ``pending``, and
    the other pages' taken out."""
    ss = st.session_state
    drawn = _per_run(_URL_PICKERS, dict)
    for key, param in URL_PICKERS.items():
        value = ss.get(key) if key in drawn else None
        pending[param] = None if value is None else str(value)
        if value is not None:
            ss[_URL_SEEN + key] = pending[param]


def flush_url() -> None:
    """Send the run's URL changes (:func:`url_set`) as one, if they change it.

    A browser tab's first run puts them in place with a fixed script of its own
    (``history.replaceState``, no new entry) instead of through Streamlit, which adds a
    history entry: sent that way they came before :data:`HISTORY_SCRIPT` was in place
    often enough (a loaded CI host) to add one. Its query string is ``urlencode``'s:
    letters, digits and %-escapes only."""
    ss = st.session_state
    pending = _url_pending()
    if pending is None:
        return
    _follow_pickers(pending)
    for param in PAGE_PARAMS:  # a run that did not write them takes them out
        pending.setdefault(param, None)
    now = st.query_params.to_dict()
    new = {k: v for k, v in now.items() if pending.get(k, v) is not None}
    new |= {k: v for k, v in pending.items() if v is not None}
    pending.clear()
    if new == now:
        ss["_cx_url_ready"] = True
        return
    if ss.get("_cx_url_ready"):
        st.query_params.from_dict(new)
        return
    ss["_cx_url_ready"] = True
    query = json.dumps(urlencode(new, doseq=True))
    st.html(
        fixed_script(
            "cx-first-url",
            f"history.replaceState(history.state, '', location.pathname + '?' + {query})",
        ),
        unsafe_allow_javascript=True,
    )


# A phone's page starts under Streamlit's header (3.75 rem), not 6 rem down: the board's
# three cards and the queue's button fit the first screen of a 390x844 phone on the
# data's last day too (its "as of …, the data's last day" took a line, and the button's
# bottom sat at 852 px).
# On a touch screen a table's toolbar (its columns, search, full screen) stays drawn
# (on a phone, all the time), 44 px above the table, over the line before it (the planner's
# milestones lost their last): a table keeps the toolbar's height free above it there.
PHONE_CSS = (
    # a phone held sideways (844 x 390) too: its page had started 6 rem down under a
    # desktop-sized title, and the day's NPS figure fell below its first screen
    "<style>@media (max-width: 640px), (max-height: 500px){"
    "[data-testid='stMainBlockContainer']{padding-top:4rem}"
    # a page's title in a phone's size: at 2.75 rem it took 89 px of a 360 x 780
    # phone's first screen, and the board's queue button fell below it
    "[data-testid='stMain'] h1{font-size:1.875rem;padding:0.25rem 0 0.5rem}"
    # a card's title whole, on two lines if need be: three cards abreast on a phone held
    # sideways cut the English ones ("Callbacks due n…", "Month to date / …")
    "[data-testid='stMetricLabel'] .stMarkdownEllipsis p{white-space:normal;"
    "text-overflow:clip;overflow:visible}}"
    "@media (hover: none){"
    "[data-testid='stElementContainer']:has([data-testid='stDataFrame']){margin-top:2.75rem}"
    # a note box's "Press Ctrl+Enter to apply": a phone has no Ctrl, and the hint sat on
    # the note's last characters (the box applies when left, as Save leaves it)
    "[data-testid='stTextArea'] [data-testid='InputInstructions']{display:none}}"
    # a picker's choice too long for its box ends in "…", not cut through a character
    # (the board's store picker on a 360 px phone read "HZ01 杭州滨江服务中")
    "[data-testid='stSelectbox'] input{text-overflow:ellipsis}"
    # a chosen store in the sidebar's filter on two lines rather than cut ("HZ01 杭州滨江服…")
    "[data-testid='stMultiSelect'] [data-tag]{height:auto;min-height:28px}"
    # at most two lines a chip: a longer name had pushed the box into scrolling itself,
    # its first chip out of sight
    "[data-testid='stMultiSelect'] [data-tag]>span{white-space:normal;overflow:hidden;"
    "overflow-wrap:anywhere;line-height:1.3;margin:2px 0;display:-webkit-box;"
    "-webkit-box-orient:vertical;-webkit-line-clamp:2}"
    "</style>"
)


SIDE_BY_SIDE = 1180
"""The narrowest container (px) a chart and its table sit side by side in: the table's
first five columns need ~700 px beside a map of at least 480."""


def beside_or_below(key: str, width: int = SIDE_BY_SIDE) -> Any:
    """A container for two columns (a chart and its table) that draws the second below
    the first when the container is narrower than ``width`` px (a CSS container query):
    beside a chart at 1366 px with the sidebar open, a table's column is ~350 px, and the
    quadrant's list showed its stores and a cut zone, the figures off to the right; the
    heatmap's ranking, a store's weakest touchpoint as "W…". Use as
    ``with beside_or_below("x", 1180): a, b = st.columns(...)``."""
    row = f".st-key-{key}>[data-testid='stLayoutWrapper']>[data-testid='stHorizontalBlock']"
    st.html(
        f"<style>.st-key-{key}{{container-type:inline-size}}"
        f"@container (max-width: {width - 1}px){{{row}{{flex-wrap:wrap}}"
        f"{row}>[data-testid='stColumn']{{flex:1 1 100%!important;width:100%!important;"
        "min-width:100%!important}}</style>"
    )
    return st.container(key=key)


def keep_back_button() -> None:
    """Install :data:`HISTORY_SCRIPT` (once per browser tab; every run sends it, a tab
    opened on any page gets it), and the phone's page margin (:data:`PHONE_CSS`)."""
    st.html(HISTORY_SCRIPT + PHONE_CSS, unsafe_allow_javascript=True)


# Pickers whose options are shown in the reader's language. Streamlit 1.67 keeps a
# picker's value in the browser as the chosen option's label (a radio's, selectbox's,
# multiselect's or segmented control's value on the wire is its formatted option), so a
# switch of language left the browser holding a label no option had any more: the
# quadrant's and heatmap's radios showed nothing checked, the segments' breakdown still
# read 'Store' on the Chinese page, the overview's target metric 推荐者占比 on the English
# one, a callback's answer '已超时 3 天'. Setting such a picker's value again in the run
# of a new language sends the new label with it (:func:`relabelled`, :func:`_relabel`).
_RELABEL = "_cx_relabel"  # session key: the keys of the pickers drawn with translated labels
_LABELS_LANG = "_cx_labels_lang"  # session key: the language of the last run's labels


def relabelled(key: str) -> str:
    """``key``, the key of a picker whose option labels are in the reader's language
    (``format_func`` translating a stable key): after a switch of language its value is
    set again before it draws, so the browser shows the chosen option in the new
    language (:func:`_relabel`). Use it as the widget's key: ``key=relabelled("x")``."""
    keys = st.session_state.get(_RELABEL)
    if keys is None:
        keys = st.session_state[_RELABEL] = set()
    keys.add(key)
    return key


def _relabel(current: str) -> None:
    """In the first run in language ``current`` after another: every picker drawn with
    translated labels (:func:`relabelled`) gets its value set again, so it is sent to the
    browser with its label in ``current``. Runs before any widget of the run draws (the
    language is the first thing a run asks), while the values still read as the last
    run's widgets left them. Nothing outside a run (AppTest asks a ``format_func`` there)."""
    if get_script_run_ctx(suppress_warning=True) is None:
        return
    ss = st.session_state
    before = ss.get(_LABELS_LANG)
    ss[_LABELS_LANG] = current
    if before is None or before == current:
        return
    for key in sorted(ss.get(_RELABEL, ())):
        if key in ss:
            with contextlib.suppress(StreamlitWidgetAlreadyInstantiatedError):  # drawn this run
                ss[key] = ss[key]


# A picker's value is dropped from the session by a run of another page (Streamlit keeps
# the state of the widgets a run draws): the segments' breakdown, the heatmap's order and
# the quadrant's period and crosshairs were back at their defaults after a look at the
# board. Such a picker's last value is held apart (:func:`across_pages`) and put back at
# the start of the next run that lacks it (:func:`_hold_pickers`).
_HELD = "_cx_held"  # session key: {picker key: its last value}


def across_pages(key: str) -> str:
    """``key``, the key of a picker whose choice outlives a visit to another page (see
    :data:`_HELD`). Use it as the widget's key: ``key=across_pages("x")``."""
    ss = st.session_state
    if key in ss:
        ss.setdefault(_HELD, {})[key] = ss[key]
    return key


def _hold_pickers() -> None:
    """At the start of a run, before anything reads a picker: a held picker whose value a
    run of another page dropped gets it back; one still in the session is held anew."""
    if get_script_run_ctx(suppress_warning=True) is None:
        return
    ss = st.session_state
    for key, value in (ss.get(_HELD) or {}).items():
        if key in ss:
            ss[_HELD][key] = ss[key]
        else:
            with contextlib.suppress(StreamlitWidgetAlreadyInstantiatedError):
                ss[key] = value


LANG_NAMES = {"zh": "中文", "en": "English"}  # each language named in itself


def _lang_changed() -> None:
    st.session_state["ui_lang"] = i18n.normalise_lang(st.session_state.get("lang"))
    st.session_state[_CLOSE_SIDEBAR] = True


_CLOSE_SIDEBAR = "_cx_close_sidebar"  # the language was picked in the sidebar this run
# On a phone the sidebar covers the page: a language picked there closes it, as a page
# picked there does (it stayed open over the board, and Streamlit kept it open the next
# morning too). A fixed script of the app's own; a wider window keeps its sidebar.
CLOSE_SIDEBAR_SCRIPT = fixed_script(
    "cx-close-sidebar",
    "if (window.matchMedia('(max-width: 640px)').matches) {"
    " const b = document.querySelector(\"[data-testid='stSidebarCollapseButton'] button\");"
    " if (b) b.click(); }",
)


def _switch_to(chosen: str) -> None:
    st.session_state["ui_lang"] = st.session_state["lang"] = chosen  # the sidebar's too


def language_button(where: Any, key: str) -> None:
    """A button to the other language, named in itself, for a view that hides the sidebar
    and its switch (the planner's projector view)."""
    other = next(x for x in i18n.LANGS if x != lang())
    where.button(LANG_NAMES[other], key=key, on_click=_switch_to, args=(other,))


def language_switch() -> None:
    """Sidebar radio 中文 / English (key ``lang``), mirrored into the URL as ``?lang=``."""
    current = lang()
    # the value through the session only (a default index beside it, when the projector's
    # button or a link set the language, logged Streamlit's "created with a default value
    # but also had its value set via the Session State API")
    if st.session_state.get("lang") != current:
        st.session_state["lang"] = current
    st.sidebar.radio(
        "语言 / Language",
        options=list(i18n.LANGS),
        format_func=LANG_NAMES.__getitem__,
        horizontal=True,
        key="lang",
        on_change=_lang_changed,
    )
    url_set("lang", current)
    remember_lang(current)
    if st.session_state.pop(_CLOSE_SIDEBAR, False):
        st.html(CLOSE_SIDEBAR_SCRIPT, unsafe_allow_javascript=True)


def remember_lang(current: str) -> None:
    """Keep ``current`` in the browser (:data:`LANG_COOKIE`) when it is not what the
    browser holds, with a fixed script of the app's own (the value: one of i18n.LANGS)."""
    held = st.session_state.get("_cx_lang_cookie", _cookie(LANG_COOKIE))
    if current not in i18n.LANGS or held == current:
        return
    st.session_state["_cx_lang_cookie"] = current
    st.html(
        fixed_script(
            "cx-lang",
            f'document.cookie = "{LANG_COOKIE}={current}; path=/; max-age=31536000; SameSite=Lax"',
        ),
        unsafe_allow_javascript=True,
    )


# --------------------------------------------------------------------------- database


_STARTED: set[str] = set()


def ensure_database() -> None:
    """Build the demo database on first start (or an empty one with ``CX_START_EMPTY=1``),
    clean a killed upload's temp files once per process, and say when the file is
    read-only (pages still read; writes say why they cannot)."""
    path = config.db_path()
    if "temp" not in _STARTED:
        _STARTED.add("temp")
        ingest.clean_temp_folders()
    if not path.exists() and db.writable(path):
        if config.start_empty():
            with connection(writing=True):
                pass  # the schema, no rows
        else:
            bar = st.progress(0.0, text=t("app.building_demo"))

            def tell(share: float, stage: str) -> None:
                bar.progress(
                    share, text=t("app.building_demo_stage", stage=t(f"app.demo_stage.{stage}"))
                )

            demo.build(path, progress=tell)
            bar.empty()
        invalidate()
    elif path.exists() and not db.writable(path):
        st.sidebar.warning(t("data.read_only_mode"))


def demo_note(who: cx_access.Person) -> None:
    """On every page, in the sidebar: the answers the person sees include the demo's
    generated ones, and who removes them. Nothing on the pages said so: a deployment
    started before its first upload showed made-up customers' figures as its own, and
    beside its first uploads mixed both."""
    if load(demo.demo_rows):
        if who.can("upload"):
            note = t("app.demo_note.upload", page=t("page.upload"), section=t("up.demo_title"))
        else:
            note = t("app.demo_note.ask")
        st.sidebar.info(note)


def invalidate() -> None:
    """Forget the cached data version, who the person is and the stores they see (call
    after a write)."""
    _VERSION.clear()
    _close_readers()  # a write may have replaced the file: the next load opens it again
    _forget_run_memos()


def _versions() -> tuple[int, int]:
    """The database's data and base versions (:func:`cx.db.data_versions`), re-read at
    most every :data:`VERSION_TTL` seconds."""
    key = str(config.db_path())
    hit = _VERSION.get(key)
    now = time.monotonic()
    if hit and now - hit[0] < VERSION_TTL:
        return hit[1]
    with _reading() as con:
        value = db.data_versions(con)
    _VERSION[key] = (now, value)
    return value


def data_version() -> int:
    """The database's data version: every write changes it."""
    return _versions()[0]


def base_version() -> int:
    """The data version of the last write that was not a callback saved: what reads no
    follow-ups keys on it (:func:`cx.queries.no_followups`)."""
    return _versions()[1]


# A connection held open while loads come in bursts (a page's 6-13 loads, several
# visitors), closed after KEEP_IDLE seconds without a load. While it is open, DuckDB
# hands every new connection of this process to the same open database: 0.6 ms instead
# of 45-80 ms to open the file and read its catalog (1M answers, 2 busy cores), which
# was most of a page's data time (with the file attached to the process's one DuckDB
# database, cx.db._attached, an open of the 10M file takes about 5 ms). Closing it when
# idle gives the file back to the command-line writer (DuckDB lets one process hold
# it). A run's loads of one scope share a connection (_reading), so a person's scope
# (temporary views) never reaches another person's load. A page run through app.py
# gives both back when it ends (run_page).
# Under AppTest there is no idle timer: the test harness gives the file back after every
# run (a test opens the file directly between runs, which must find it free), as the
# frame does.
KEEP_IDLE = 1.0
_KEEP_LOCK = threading.Lock()
_KEEPER: dict[str, Any] = {}  # path -> {"con", "ident", "users", "last"}


def _file_ident(path: Any) -> tuple[int, int] | None:
    try:
        st_ = path.stat()
    except OSError:
        return None
    return (st_.st_dev, st_.st_ino)


def _hold(path: Any) -> bool:
    """Keep the file open for the next loads; False when it cannot be opened at once."""
    from streamlit import config as st_config

    key = str(path)
    ident = _file_ident(path)
    with _KEEP_LOCK:
        keep = _KEEPER.get(key)
        if keep and keep["ident"] != ident and keep["users"] == 0:
            _close(key)  # the file was replaced (a demo rebuild, a restore)
            keep = None
        if keep is None:
            if ident is None:
                return False
            try:
                con = db.open_connection(path, timeout=0)
            except Exception:  # busy, refused, damaged: the ordinary path says why
                return False
            keep = _KEEPER[key] = {"con": con, "ident": ident, "users": 0, "last": 0.0}
            if not st_config.get_option("global.appTest"):
                _start_reaper()
        keep["users"] += 1
        return True


def _release(path: Any) -> None:
    with _KEEP_LOCK:
        keep = _KEEPER.get(str(path))
        if keep:
            keep["users"] -= 1
            keep["last"] = time.monotonic()


def _close(key: str) -> None:
    keep = _KEEPER.pop(key, None)
    if keep:
        with contextlib.suppress(Exception):
            db.close(keep["con"])


def release_all(every: bool = False) -> None:
    """Close this run's readers (:func:`_reading`; ``every``: every run's, when none can
    be under way) and every kept connection that no load is using (the file is free
    again)."""
    _close_readers(every)
    with _KEEP_LOCK:
        for key in [k for k, v in _KEEPER.items() if v["users"] == 0]:
            _close(key)


_REAPER: list[threading.Thread] = []
_STOPPING = False


@atexit.register
def _at_exit() -> None:
    global _STOPPING
    _STOPPING = True
    _close_readers(every=True)
    with _KEEP_LOCK:
        for key in list(_KEEPER):
            _close(key)


def _start_reaper() -> None:
    if _REAPER and _REAPER[0].is_alive():
        return

    def reap() -> None:
        while not _STOPPING:
            time.sleep(KEEP_IDLE / 4)
            _close_readers()  # of runs whose thread ended without closing them
            now = time.monotonic()
            with _KEEP_LOCK:
                for key in [
                    k for k, v in _KEEPER.items() if v["users"] == 0 and now - v["last"] > KEEP_IDLE
                ]:
                    _close(key)

    thread = threading.Thread(target=reap, name="cx-keeper", daemon=True)
    _REAPER[:] = [thread]
    thread.start()


@contextlib.contextmanager
def connection(writing: bool = False) -> Iterator[Any]:
    """A short-lived connection; waits with a message while another program writes.

    A reading connection (``writing=False``) reads the readers' snapshot when another
    program holds the file for longer than a moment (:mod:`cx.db`), so a page never
    waits for an upload's commit.
    """
    path = config.db_path()
    held = _hold(path)
    fallback = None if writing else db.FALLBACK_AFTER
    try:
        with (
            _problems_said(),
            db.connect(
                path, on_wait=lambda _s: st.toast(t("app.busy")), fallback_after=fallback
            ) as con,
        ):
            yield con
    finally:
        if held:
            _release(path)


@contextlib.contextmanager
def _problems_said() -> Iterator[None]:
    """A busy, refused or damaged file met while opening or reading: one sentence on the
    page, and the page stops there."""
    try:
        yield
    except db.DatabaseBusy as exc:
        st.error(t("app.busy_failed", detail=exc.text(lang())))
        st.stop()
    except db.Problem as exc:  # refused file, read-only, full disk: one sentence
        st.error(esc(exc.text(lang())))  # it names the file: text, not Markdown
        st.stop()
    except Exception as exc:  # a query meeting a damaged block: the same sentence
        problem = db.explain(exc, config.db_path())
        if problem is None:
            raise
        st.error(esc(problem.text(lang())))
        st.stop()


# The readers of runs under way (the thread's ident -> the run's mark, its readers).
_READERS: dict[int, tuple[Any, dict]] = {}
_READERS_LOCK = threading.Lock()


@contextlib.contextmanager
def _reading(scope: tuple = ("network",)) -> Iterator[Any]:
    """A reading connection limited to ``scope`` (:func:`cx.access.scope_key`) for one
    load. Within a page run the run's loads of one scope share one connection, opened at
    the first and closed when the run ends (:func:`release_all`) or writes
    (:func:`invalidate`): a connection of its own for each of a network board's eight
    loads cost 0.6 ms apiece. Each scope has its own, so one person's temporary views
    never reach another's loads. Outside a run, and in a fragment's run (which ends
    without the frame, so nothing would close a shared one), each load opens its own."""
    run = _run_context()
    if run is None or getattr(run, "fragment_ids_this_run", None):
        with connection() as con:
            yield cx_access.apply_scope(con, cx_access.person_for_scope(scope))
        return
    me = threading.get_ident()
    with _READERS_LOCK:
        mine = _READERS.get(me)
        if mine is not None and mine[0] is not run.cursors:  # an earlier run's, left open
            _READERS.pop(me)
            _close_stacks(mine[1])
            mine = None
        if mine is None:
            mine = _READERS[me] = (run.cursors, {})
    readers = mine[1]
    key = (str(config.db_path()), scope)
    if key not in readers:
        stack = contextlib.ExitStack()
        con = stack.enter_context(connection())  # its sentence, when it cannot open
        try:
            cx_access.apply_scope(con, cx_access.person_for_scope(scope))
        except BaseException:
            stack.close()
            raise
        readers[key] = (con, stack)
    with _problems_said():
        yield readers[key][0]


def _close_readers(every: bool = False) -> None:
    """Close this thread's run's readers (:func:`_reading`), and those of runs whose
    thread has ended; ``every``: all (when no run can be under way: a test between runs)."""
    alive = {t.ident for t in threading.enumerate()}
    me = threading.get_ident()
    with _READERS_LOCK:
        done = [k for k in _READERS if every or k == me or k not in alive]
        stacks = [_READERS.pop(k)[1] for k in done]
    for readers in stacks:
        _close_stacks(readers)


def _close_stacks(readers: dict) -> None:
    for _con, stack in readers.values():
        with contextlib.suppress(Exception):
            stack.close()


def _named(ref: tuple[str, str]) -> Callable[..., Any]:
    return getattr(importlib.import_module(ref[0]), ref[1])


def _cached(key: tuple) -> Any:
    """``key``: (the file, its data version, the reader's scope key, the function's module
    and name, its arguments). Cached under the key's text: Streamlit's hashing of the tuple
    itself (a scope, dates) took 0.4 ms a load, hit or miss; its ``repr`` takes 0.01 ms
    and names the same values (``tests/test_scale_connections.py`` checks that no
    argument's text is an object's address)."""
    return _cached_text(repr(key), key)


@st.cache_data(show_spinner=False, max_entries=512)
def _cached_text(text: str, _key: tuple) -> Any:
    """The cached work of :func:`_cached` (``_key`` is not hashed: ``text`` names it).
    Two arguments only: Streamlit looks up each positional argument's name in the
    signature on every call, hit or miss (0.1 ms each)."""
    _path, _version, scope, module, name, args = _key
    func = _named((module, name))
    if getattr(func, "no_followups", False) and config.check_loads():
        with connection() as con:  # its own: the hidden tables stay with this load
            cx_access.apply_scope(con, cx_access.person_for_scope(scope))
            queries.hide_followups(con)
            return func(con, *args)
    with _reading(scope) as con:
        return func(con, *args)


_cached.clear = _cached_text.clear  # type: ignore[attr-defined]


def load(func: Callable[..., Any], *args: Any) -> Any:
    """``func(con, *args)`` through a cache keyed on the data version (args must hash),
    or on the base version for a function that reads no follow-ups
    (:func:`cx.queries.no_followups`).

    The connection is limited to the signed-in person's stores (:mod:`cx.access`), so
    whatever the arguments ask for, only rows the person may see come back.
    """
    scope = cx_access.scope_key(person())
    if getattr(func, "no_followups", False):
        version: Any = base_version()
    elif getattr(func, "followups_by_store", False) and args and isinstance(args[0], Scope):
        version = (base_version(), _followup_version(args[0]))
    else:
        version = data_version()
    return _cached((str(config.db_path()), version, scope, func.__module__, func.__name__, args))


_FOLLOWUP_VERSIONS: dict[str, tuple[int, dict[str, int]]] = {}  # file -> (data version, ...)


def _followup_version(scope: Scope) -> int:
    """The latest follow-up version of ``scope``'s stores (:func:`cx.queries.
    followups_by_store`): the network's is the data version (any store's callback
    counts); the stores' versions are read once per data version and process, whole (a
    cache key, never shown: a person's own loads are cut to their stores as ever)."""
    places = scope.places()
    if not places.stores and not places.regions:
        return data_version()
    key, version = str(config.db_path()), data_version()
    hit = _FOLLOWUP_VERSIONS.get(key)
    if hit is None or hit[0] != version:
        with _reading() as con:
            hit = (version, queries.followup_versions(con))
        _FOLLOWUP_VERSIONS[key] = hit
    stores = set(places.stores)
    if places.regions:
        frame = store_list().frame
        stores |= set(frame.loc[frame["region"].isin(places.regions), "store_id"])
    return max((hit[1].get(s, 0) for s in stores), default=0)


def _make_spec(
    build: tuple[str, str], args: tuple, then: tuple[str, str] | None
) -> tuple[str, dict[str, bytes]]:
    """The chart's spec without its rows (JSON) and its rows as Arrow, per dataset: a
    cache hit unpickles bytes and the rows go to the browser as they are (a spec with
    row dicts was copied out of the cache and converted to Arrow again on every rerun)."""
    from cx.charts import to_spec

    chart = _named(build)(*args)
    return _split_spec(to_spec(_named(then)(chart) if then else chart))


def _chart_spec(
    build: tuple[str, str], args: tuple, then: tuple[str, str] | None
) -> tuple[str, dict[str, bytes]]:
    """:func:`_make_spec`, cached on its arguments: named by a digest of their text
    (:func:`_arg_bytes`, 0.1 ms; Streamlit's hashing of a chart's frames took 2-3.5 ms
    each, however few their rows: 12 ms of a planner rerun's five charts)."""
    digest = hashlib.blake2b(_arg_bytes((build, args, then)), digest_size=16)
    return _chart_spec_named(digest.hexdigest(), build, args, then)


def _arg_bytes(value: Any) -> bytes:
    """Bytes that differ whenever ``value``'s content does: a frame as its JSON (values,
    index, columns) and dtypes, an array as its raw bytes, plain values as their repr,
    anything else pickled. A frame's pickle is not enough: it records the frame's memory
    layout, so the same values built column by column named another cache entry (the
    segments page computed its charts again on every rerun)."""
    if isinstance(value, pd.DataFrame | pd.Series):
        dtypes = value.dtypes if isinstance(value, pd.DataFrame) else [value.dtype]
        text = value.to_json(orient="split", date_format="iso", double_precision=15)
        return b"F" + text.encode() + repr([str(d) for d in dtypes]).encode()
    if isinstance(value, np.ndarray):
        return b"A" + repr((value.dtype.str, value.shape)).encode() + value.tobytes()
    if isinstance(value, tuple | list):
        parts = [_arg_bytes(v) for v in value]
        return b"T(" + b"".join(len(p).to_bytes(8, "big") + p for p in parts) + b")"
    if isinstance(value, dict):
        return b"D" + _arg_bytes(list(value.items()))
    if value is None or isinstance(value, str | int | float | bool | date):
        return b"V" + repr(value).encode()
    return b"P" + pickle.dumps(value, protocol=5)


@st.cache_data(show_spinner=False, max_entries=256)
def _chart_spec_named(
    digest: str, _build: tuple[str, str], _args: tuple, _then: tuple[str, str] | None
) -> tuple[str, dict[str, bytes]]:
    """The cached work of :func:`_chart_spec` (only ``digest`` is hashed: Streamlit
    leaves out the parameters whose names start with an underscore)."""
    return _make_spec(_build, _args, _then)


_KEPT: OrderedDict[tuple, Any] = OrderedDict()
_KEPT_LOCK = threading.Lock()
KEPT = 256  # values kept: most a few kB (a sparkline, a trend), a network's quadrant map 0.6 MB


def kept(key: tuple, make: Callable[[], Any]) -> Any:
    """``make()``, made once per ``key`` and kept (the latest :data:`KEPT` keys): what a
    page works out from a cached view on every rerun, keyed by the view's token (made
    with it, so a new view is a new key) and whatever else it depends on (the language).
    No hashing of the view's frames: Streamlit's cache hashed a network's 1,912-row
    frames on every rerun. The value is shared: never change it."""
    with _KEPT_LOCK:
        if key in _KEPT:
            _KEPT.move_to_end(key)
            return _KEPT[key]
    value = make()
    with _KEPT_LOCK:
        _KEPT[key] = value
        while len(_KEPT) > KEPT:
            _KEPT.popitem(last=False)
    return value


def _split_spec(spec: dict) -> tuple[str, dict[str, bytes]]:
    """A Vega-Lite spec as its shape (JSON, without rows) and its rows as Arrow."""
    datasets = {
        str(name): dataframe_util.convert_anything_to_arrow_bytes(rows)
        for name, rows in spec.pop("datasets", {}).items()
    }
    return json.dumps(spec), datasets


def _joined_spec(parts: tuple[str, dict[str, bytes]]) -> dict:
    """:func:`_split_spec` undone, as a new dict (Streamlit takes the datasets out of it)."""
    shape, datasets = parts
    return json.loads(shape) | {"datasets": dict(datasets)}


def kept_spec(key: tuple, make: Callable[[], dict]) -> dict:
    """``make()``, a Vega-Lite spec whose rows are its ``datasets`` (frames), made once per
    ``key`` and kept with its rows turned into Arrow (:func:`kept`): a rerun draws the
    same chart without building its frames or converting them again (the board's trend:
    a tenth of a rerun's server time)."""
    return _joined_spec(kept(("spec", *key), lambda: _split_spec(make())))


def chart(
    where: Any,
    build: Callable[..., Any],
    *args: Any,
    then: Callable | None = None,
    token: tuple | None = None,
    **options: Any,
) -> Any:
    """Draw the Altair chart ``build(*args)`` (a builder in :mod:`cx.charts`), passed
    through ``then`` if given (e.g. the planner's projector look), in ``where`` (``st``
    or a column), stretched to its width; ``options`` go to ``st.vega_lite_chart`` (key,
    on_select, ...), whose result is returned.

    The Vega-Lite spec is made once per distinct arguments and kept: a rerun that
    changes nothing the chart shows builds no Altair objects, and none is validated on
    the render path (:func:`cx.charts.to_spec`; the tests validate every chart drawn).
    ``token`` (a view's token and whatever else the arguments depend on) names the
    arguments instead of hashing them (:func:`kept`): for charts of a network's stores.
    """
    ref = (build.__module__, build.__name__)
    after = (then.__module__, then.__name__) if then else None
    if token is None:
        parts = _chart_spec(ref, args, after)
    else:
        parts = kept(("chart", ref, after, *token), lambda: _make_spec(ref, args, after))
    return where.vega_lite_chart(spec=_joined_spec(parts), width="stretch", **options)


class Refused(Exception):
    """A write :func:`cx.access.perform` refused: its sentence is on the page already;
    the page goes no further (:func:`run_page`), a callback ends (:func:`refusable`)."""


def write(func: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """Run a registered writing function ``func(con, ...)`` as the signed-in person.

    :func:`cx.access.perform` checks the person's role and scope, passes them as the
    ``user`` and records the change in the audit log. A refusal is shown as one
    sentence and raises :class:`Refused`: the page stops there, with its frame (title,
    language, filters) drawn; a widget's callback that writes is :func:`refusable`.
    """
    try:
        with connection(writing=True) as con:
            out = cx_access.perform(con, person(), func, *args, **kwargs)
    except cx_access.Forbidden as exc:
        st.error(t(exc.key, **exc.fmt))
        raise Refused(exc.key) from None
    invalidate()
    return out


def refusable(callback: Callable[..., None]) -> Callable[..., None]:
    """A widget's ``on_click``/``on_change`` that writes: a refused write ends it and the
    page is drawn as usual below the sentence (``st.stop()`` in a callback had ended the
    whole run: the page was blank but for it, with no title, language or filters)."""

    @functools.wraps(callback)
    def run(*args: Any, **kwargs: Any) -> None:
        with contextlib.suppress(Refused):
            callback(*args, **kwargs)

    return run


# --------------------------------------------------------------------------- sign-in


def auth_configured() -> bool:
    """Whether ``[auth]`` is set in ``.streamlit/secrets.toml`` (else: open mode)."""
    if secrets_unreadable():  # configured, perhaps, and unreadable: never open mode
        return True
    try:
        return "auth" in st.secrets
    except Exception:  # no secrets file at all
        return False


def secrets_unreadable() -> str | None:
    """'secrets.toml: <the parser's complaint>' when a secrets file Streamlit reads exists
    but is not TOML. Streamlit then reads no secrets at all, and one typo in the file had
    run the app in open mode, where everyone who reaches it is an admin. Its file name
    only: a visitor reads it."""
    return _per_run("_cx_secrets_bad", _secrets_unreadable)


def _secrets_unreadable() -> str | None:
    from streamlit import config as st_config

    for name in st_config.get_option("secrets.files") or []:
        problem = config.toml_problem(Path(name))
        if problem is not None:
            return f"{Path(name).name}: {problem}"
    return None


# What Streamlit's sign-in needs in [auth] (its default provider, the one st.login()
# uses): without one of them a visitor met a redacted error and the reason was only in
# the server's log.
AUTH_KEYS = ("redirect_uri", "cookie_secret", "client_id", "client_secret", "server_metadata_url")


def auth_missing() -> list[str]:
    """The keys of :data:`AUTH_KEYS` that ``[auth]`` lacks (none: sign-in can start)."""
    try:
        section = st.secrets["auth"]
    except Exception:  # no secrets file, or no [auth]: open mode, nothing missing
        return []
    return [key for key in AUTH_KEYS if not section.get(key)]


@st.cache_data(show_spinner=False, max_entries=256)
def _resolve(path: str, version: int, email: str) -> cx_access.Person:
    with _reading() as con:
        return cx_access.resolve(con, email)


def person() -> cx_access.Person:
    """Who is using this session: open mode without ``[auth]``, else the signed-in email's
    grants (a person with no grant has no roles). Worked out once per page run (every
    load and every capability asks: the secrets file parsed, the grants' cache keyed,
    0.5-1 ms a time) and again after a write of this run (:func:`invalidate`)."""
    return _per_run("_cx_person", _person)


def _forget_run_memos() -> None:
    """After a write: who the person is and the stores they see are worked out again."""
    ctx = get_script_run_ctx(suppress_warning=True)
    if ctx is not None:
        ctx._cx_person = ctx._cx_stores = None  # type: ignore[attr-defined]


def _person() -> cx_access.Person:
    if not auth_configured():
        return cx_access.open_person()
    if not st.user.get("is_logged_in"):
        return cx_access.Person(email=None)
    email = cx_access.normalise_email(str(st.user.get("email") or ""))
    if not email or st.user.get("email_verified") is False:
        return cx_access.Person(email=None)  # no e-mail, or one the provider has not verified
    return _resolve(str(config.db_path()), base_version(), email)  # grants: no follow-ups


def can(capability: str) -> bool:
    """Whether the person may do this (pages use it to hide what they may not use)."""
    return person().can(capability)


# The board is the default page, served at /; the default page still reserves a name,
# which Streamlit's router does not serve: /board met its English 'Page not found' over
# the board. It reserves this one, and /board is the board again, a hidden page.
DEFAULT_URL = "start"


def page_url(path: str, url: str) -> str:
    """The url_path a page is registered under (the board's reserved one, else its own)."""
    return DEFAULT_URL if path == BOARD_PAGE else url


def board_alias() -> Any:
    """/board, named as the other pages are (/overview, …): the board itself, there (a
    redirect to / added a history entry that Back went to, and it went to / again)."""
    return st.Page(BOARD_PAGE, title=t("page.board"), url_path="board", visibility="hidden")


def _no_pages() -> None:
    """Before a page that shows no page (sign-in, 'ask your admin'): a navigation of its
    own, hidden. Until some session of a fresh server had called st.navigation,
    Streamlit listed the files of pages/ there, under their file names (app, access,
    board, data, …), to the morning's first visitor. Every page is in it, so a link to
    one (/overview) is not 'Page not found'."""
    from cx.ui.pages import available

    st.navigation(
        [
            st.Page(path, url_path=page_url(path, url), default=i == 0)
            for i, (_, path, _, _, url) in enumerate(available())
        ]
        + [board_alias()],
        position="hidden",
    )


def not_yours(title_key: str, path: str) -> Callable[[], None]:
    """The page a link to ``path`` opens for someone whose roles do not include it: its
    title and one sentence naming the roles it is for (a store manager following a link
    to /data had met Streamlit's English 'Page not found', an analyst on /access the
    board without a word)."""
    from cx.ui.pages import needs

    def page() -> None:
        st.title(t(title_key))
        roles = [r for r in cx_access.ROLES if r in cx_access.CAPABILITIES[needs(path)]]
        names = [t_plain(f"access.role.{r}") for r in roles]  # as the Access page names them
        st.info(t("access.not_yours", roles=("、" if lang() == "zh" else ", ").join(names)))

    return page


# Streamlit's sign-in always sends the browser back to the app's bare address, so a
# link to a page (/quadrant?stores=HZ01 from a colleague's message) ended on the board.
# The sign-in page keeps the address it was opened at in a cookie of the app's own for
# half an hour; the first run after signing in, at the bare address, goes there.
NEXT_COOKIE = "cx_next"
REMEMBER_NEXT_SCRIPT = fixed_script(
    "cx-next",
    f'document.cookie = "{NEXT_COOKIE}=" + encodeURIComponent(location.pathname + location.search)'
    ' + "; path=/; max-age=1800; SameSite=Lax"',
)


def signed_in_next(asked: str | None, at_bare_address: bool) -> str | None:
    """Where the first run after signing in goes: the address the sign-in page kept
    (``asked``, as the cookie holds it), when this run is at the bare address the
    provider sends back to and that address asked for more. Only a path of this site
    (one leading slash), so a cookie set elsewhere cannot send anyone off it."""
    if not asked or not at_bare_address:
        return None
    target = unquote(asked)
    if not target.startswith("/") or target.startswith("//") or "\\" in target:
        return None
    if any(ord(c) < 32 for c in target) or len(target) > 2000:
        return None
    path, _, query = target.partition("?")
    from streamlit import config as st_config

    base = "/" + (st_config.get_option("server.baseUrlPath") or "").strip("/")
    if path.rstrip("/") == base.rstrip("/") and not query:
        return None  # the bare address itself: nothing more was asked
    return target


def next_script(target: str | None) -> str:
    """The script of the first signed-in run: the kept address forgotten, and the page
    sent to ``target`` (:func:`signed_in_next`) when there is one. Its '<' written as
    its escape: an address holding '</script>' had ended the script there and begun one
    of its own (the sign-in page keeps '<' encoded; a cookie set by hand need not)."""
    address = json.dumps(target).replace("<", "\\u003c")
    go = f"location.replace({address});" if target else ""
    return fixed_script(
        "cx-next-go", f'document.cookie = "{NEXT_COOKIE}=; path=/; max-age=0; SameSite=Lax";{go}'
    )


def _after_sign_in() -> None:
    """The session's first signed-in run: forget the kept address, and go to it when
    :func:`signed_in_next` says so (this run stops: the board is not drawn first)."""
    ss = st.session_state
    asked = _cookie(NEXT_COOKIE)
    if ss.get("_cx_next_done") or not asked:
        return
    ss["_cx_next_done"] = True
    target = signed_in_next(asked, not st.query_params.to_dict())
    st.html(next_script(target), unsafe_allow_javascript=True)
    if target:
        st.stop()


def other_loopback_name() -> tuple[str, str] | None:
    """(the name this page was opened at, the one sign-in returns to) when both name this
    machine and differ: to a browser ``localhost`` and ``127.0.0.1`` are different sites,
    the sign-in cookie set at one is not sent back to the other, and signing in ended on
    this page again without a word (Streamlit's own start line names localhost)."""
    try:
        back = urlparse(str(st.secrets["auth"]["redirect_uri"])).hostname
        here = urlparse("//" + str(st.context.headers.get("Host") or "")).hostname
    except Exception:  # no secrets, no browser behind the session
        return None
    if back in config.LOOPBACK and here in config.LOOPBACK and back != here:
        return here, back
    return None


def gate() -> cx_access.Person:
    """Sign-in and access: the sign-in page, or the 'ask your admin' page, or the person.

    Open mode shows a banner saying everyone who reaches the app is an admin.
    """
    broken = secrets_unreadable()
    if broken:  # nobody gets in until it is fixed (not open mode, where all are admins)
        st.title(t("access.signin.title"))
        st.error(t("access.secrets_unreadable", problem=broken))
        _no_pages()
        st.stop()
    if not auth_configured():
        st.sidebar.warning(t("access.open_mode"))
        _places_left_out()
        return cx_access.open_person()
    missing = auth_missing()
    if missing:
        st.title(t("access.signin.title"))
        st.error(t("access.signin.incomplete", keys=", ".join(missing)))
        _no_pages()
        st.stop()
    if not st.user.get("is_logged_in"):
        st.title(t("access.signin.title"))
        st.write(t("access.signin.text"))
        other = other_loopback_name()
        if other:
            st.warning(t("access.signin.other_name", here=other[0], there=other[1]))
        if st.button(t("access.signin.button"), key="signin", type="primary"):
            st.login()
        st.html(REMEMBER_NEXT_SCRIPT, unsafe_allow_javascript=True)
        _no_pages()
        st.stop()
    who = person()
    if not who.has_access:
        st.title(t("access.none.title"))
        st.markdown(t("access.none.text", email=who.email or str(st.user.get("email") or "")))
        if st.button(t("access.signout"), key="signout_noaccess"):
            st.logout()
        _no_pages()
        st.stop()
    _after_sign_in()
    st.sidebar.caption(t("access.signed_in", email=who.email or ""))
    if st.sidebar.button(t("access.signout"), key="signout"):
        st.logout()
    _places_left_out()
    if who.stores is not None and not who.stores:  # e.g. a region with no store in the data
        st.warning(t("access.no_stores", regions=t_plain("fmt.sep_list").join(who.regions)))
    return who


def no_answers(key: str, scoped: str) -> str:
    """The sentence ``key`` says when there are no answers to show, or, for a person
    limited to some stores, ``scoped``: the database is not empty, their stores have
    none (a region manager of a region without stores read 'the database holds no
    answers yet' beside 296,439 answers)."""
    return t(scoped if person().stores is not None else key)


def nothing_chosen(chosen: str = "filter.none_chosen") -> None:
    """One sentence where a page has no answers to show: none at all yet (in the
    database, or in the person's stores: :func:`no_answers`, which says what to do), or
    none in what was chosen (``chosen``; by default the sidebar's stores and dates: widen
    them). The pages had said 'no data', a table cell's word, for both."""
    first, _last = load(queries.date_bounds)
    if first is None:
        st.info(no_answers("filter.no_data", "filter.no_data_scoped"))
    else:
        st.info(t(chosen))


def _places_left_out() -> None:
    """Say which stores and regions asked for in the URL (the board's ?store=, the
    filters' ?stores= and ?regions=) the pages leave out: a region outside the scope,
    or a store no data holds, was dropped without a word."""
    _stores_as_known()
    asked = [Scope.from_key(key) for key in st.query_params.get_all("store")]
    stores = [x for s in asked for x in s.stores] + st.query_params.get("stores", "").split(",")
    regions = [r for s in asked for r in s.regions]
    # the filter's regions narrow to the person's stores in them, as the sidebar offers
    # them (a store manager's own region is no region board: not said to be outside)
    mine = set(store_list().regions)
    regions += [r for r in st.query_params.get("regions", "").split(",") if r not in mine]
    out_of_scope(stores, [REGION_PREFIX + r for r in regions if r])
    # stores named with regions count within those regions only: one outside them was
    # dropped without a word (?store=region:华南,SH03 showed 华南 alone)
    pairs = [(s.regions, s.stores) for s in asked if s.regions and s.stores]
    picked = [r for r in st.query_params.get("regions", "").split(",") if r]
    named = [x for x in st.query_params.get("stores", "").split(",") if x]
    if picked and named:
        pairs.append((tuple(picked), tuple(named)))
    frame = store_list().frame
    region_of = dict(zip(frame["store_id"], frame["region"], strict=True))
    apart = [
        x for within, ids in pairs for x in ids if x in region_of and region_of[x] not in within
    ]
    if apart:
        st.warning(
            t(
                "url.outside_regions",
                stores=", ".join(dict.fromkeys(apart)),
                regions=t_plain("fmt.sep_list").join(dict.fromkeys(r for w, _ in pairs for r in w)),
            )
        )


def _stores_as_known() -> None:
    """A store in the URL (``?store=``, ``?stores=``) written in another case, or with
    spaces around it, is the one store the person sees by that name: a link retyped as
    ``?store=hz01`` had opened the network's board, which a manager read as their own.
    A region is matched the same way, its prefix too (``?store=Region:华东``)."""
    known = store_list().ids
    if not known:
        return
    ids = set(known)
    folded: dict[str, list[str]] = {}
    for store_id in known:
        folded.setdefault(store_id.casefold(), []).append(store_id)

    regions: dict[str, list[str]] = {}
    for region in store_list().regions:
        regions.setdefault(region.casefold(), []).append(region)

    def as_known(part: str) -> str:
        if part in ids:
            return part
        bare = part.strip()
        if bare[: len(REGION_PREFIX)].casefold() == REGION_PREFIX:  # Region:华东, region: east
            name = bare[len(REGION_PREFIX) :].strip()
            hits = regions.get(name.casefold(), [])
            return REGION_PREFIX + (hits[0] if len(hits) == 1 else name)
        hits = folded.get(bare.casefold(), [])
        return hits[0] if len(hits) == 1 else part

    for key in ("store", "stores"):
        raw = st.query_params.get(key)
        if raw:
            fixed_ = ",".join(as_known(part) for part in raw.split(","))
            if fixed_ != raw:
                st.query_params[key] = fixed_


def all_stores_key() -> str:
    """The text key of 'all stores' for this person: the network's people see every store,
    anyone else 'all my stores' ('All stores' on a region manager's board and report read
    as the network's). The sidebar, the board and the overview say it the same way."""
    return "filter.all_stores" if person().stores is None else "filter.all_my_stores"


def out_of_scope(
    store_ids: list[str] | tuple[str, ...], region_keys: list[str] | tuple[str, ...] = ()
) -> list[str]:
    """The requested stores and regions (``region:X``; URL, widget) the person may not
    see, after saying so."""
    who = person()
    outside = [s for s in store_ids if s and not who.sees(s)]
    outside += [
        t_plain("access.region", region=k[len(REGION_PREFIX) :])
        for k in region_keys
        if not who.sees_target(k)
    ]
    if outside:
        st.warning(t("access.outside", stores=", ".join(outside)))
    # one the person may see that the data does not hold (a typo, a closed store): the
    # board had opened on the whole network without a word
    known = store_list()
    unknown = [s for s in store_ids if s and who.sees(s) and s not in known.labels]
    unknown += [
        t_plain("access.region", region=k[len(REGION_PREFIX) :])
        for k in region_keys
        if who.sees_target(k) and k[len(REGION_PREFIX) :] not in known.regions
    ]
    if unknown:
        st.warning(t("access.unknown", places=", ".join(unknown)))
    return outside


# --------------------------------------------------------------------------- filters


@dataclass(frozen=True)
class StoreList:
    """The stores the person sees (:func:`cx.queries.store_list`), as the pickers show
    them. Kept per data version and scope: a national network's 2,000 stores were read,
    indexed and labelled again by every picker on every rerun."""

    frame: pd.DataFrame  # store_id, store_name, region, city; shared: never changed
    ids: tuple[str, ...]
    labels: Mapping[str, str]  # store_id -> "HZ01 杭州西湖店"
    regions: tuple[str, ...]  # sorted, without blanks

    def label(self, store_id: str) -> str:
        """A picker's text for ``store_id`` (the id itself for a store it does not know)."""
        return self.labels.get(store_id, store_id)


def store_list() -> StoreList:
    """The stores this person sees, worked out once per run and kept per data version."""
    key = (str(config.db_path()), base_version(), cx_access.scope_key(person()))
    return _per_run("_cx_stores", lambda: _store_list(key))


@st.cache_resource(show_spinner=False, max_entries=32)
def _store_list(key: tuple) -> StoreList:
    frame = _cached((*key, queries.store_list.__module__, queries.store_list.__name__, ()))
    ids = tuple(frame["store_id"].tolist())
    names = frame["store_name"].tolist()
    return StoreList(
        frame=frame,
        ids=ids,
        labels=MappingProxyType({s: store_label(s, n) for s, n in zip(ids, names, strict=True)}),
        regions=tuple(sorted(frame["region"].dropna().unique().tolist())),
    )


# The board's and the planner's store pickers are the sidebar's store filter: a pick there
# (or the board's ?store=) becomes flt_regions / flt_stores before the sidebar draws, and
# the page shows the sidebar's scope in its picker (show_picker). Dates stay apart: the
# sidebar's are a range for the analysis pages, the board's is the one day it is "as of"
# (its week, month and pace follow from it) and the planner plans a month.
PICKERS = ("board_store", "plan_store")


STORE_FROM_LINK = "_cx_store_from_link"  # session key: this run's store came by ?store=
_STORE_DROPPED = "_cx_store_dropped"  # session key: a ?store= some refused parts left


def adopt_pickers() -> None:
    """A new ``?store=`` (the board's link) or a store picked on the board or the planner
    since the page last showed it becomes the sidebar's regions and stores. Runs before the
    sidebar's widgets (and again, doing nothing new, from the page: AppTest runs a page
    alone after its first run)."""
    ss = st.session_state
    raw = st.query_params.get("store")
    dropped = ss.get(_STORE_DROPPED)
    if raw != dropped:  # the run after the drop: the address holds what was kept
        ss.pop(_STORE_DROPPED, None)
    if raw and raw != ss.get("_board_qp_store") and raw != dropped:
        ss["_board_qp_store"] = raw
        ss[STORE_FROM_LINK] = True
        _set_scope(Scope.from_key(raw))
        _drop_refused(raw)
    for key in PICKERS:
        value = ss.get(key)
        if isinstance(value, str) and value != ss.get(f"_shown_{key}"):
            ss[f"_shown_{key}"] = value
            _set_scope(Scope.from_key(value))
    _keep_filters()


def _drop_refused(raw: str) -> None:
    """Take the stores and regions of a link's ``?store=`` (``raw``) the person may not
    see out of the address, once the frame has said so (:func:`_places_left_out`): the
    board writes the store it shows in their place, but the planner and the other pages
    write none, and /planner?store=SH03 kept SH03 there over HZ01's own numbers (a
    reload or a bookmark warned again). The ones they may see stay."""
    who = person()
    parts = raw.split(",")
    kept = [
        part for part in parts if part.strip() in ("", NETWORK) or who.sees_target(part.strip())
    ]
    if len(kept) == len(parts):
        return
    value = ",".join(kept) if any(p.strip() for p in kept) else None
    url_set("store", value)
    if value is not None:  # the address's new value is no new link, and under the frame
        # this run's address still holds ``raw`` until it ends (the page adopts again)
        st.session_state["_board_qp_store"] = value
        st.session_state[_STORE_DROPPED] = raw


def _keep_filters() -> None:
    """Keep the sidebar's values through a run that does not draw the sidebar (AppTest runs
    a page alone after its first run, and Streamlit drops the state of a widget not drawn
    in a run). Where the sidebar already drew them this run, they are kept anyway."""
    for key in ("flt_regions", "flt_stores", "flt_dates"):
        if key in st.session_state:
            try:
                st.session_state[key] = st.session_state[key]
            except StreamlitWidgetAlreadyInstantiatedError:
                pass


def _set_scope(scope: Scope) -> None:
    """The sidebar's regions and stores become ``scope``'s (unknown names dropped)."""
    stores = store_list()
    known_regions, known_stores = set(stores.regions), set(stores.ids)
    st.session_state["flt_regions"] = [r for r in scope.regions if r in known_regions]
    st.session_state["flt_stores"] = [s for s in scope.stores if s in known_stores]


def show_picker(key: str, value: str) -> None:
    """Before a page's store picker draws: it shows ``value`` (the sidebar's scope), and a
    later change of it is a new pick (:func:`adopt_pickers`)."""
    st.session_state[key] = value
    st.session_state[f"_shown_{key}"] = value


BOARD_PAGE = "pages/board.py"


def open_board(store_id: str) -> None:
    """Go to the board of ``store_id`` (a page's "open a store's board"), one history
    entry: Back returns to this page as it was.

    ``st.switch_page(..., query_params={"store": ...})`` first writes its parameters into
    the URL of the page it leaves: the quadrant's entry became ``/quadrant?store=SH01``
    (or lost its region), and Back from the board showed the quadrant on SH01 alone. The
    store goes to the board as its picker's new value instead (:func:`adopt_pickers`
    makes it the sidebar's scope there), the switch leaves this page's parameters as they
    are, and the board's own replace them as it arrives (:data:`HISTORY_SCRIPT`)."""
    st.session_state["board_store"] = store_id
    st.session_state.pop("_shown_board_store", None)  # a new pick, even of the same store
    # the address as the browser shows it: with the page's pickers (url_choice), which a
    # tab's first run put there with a script of its own, unknown to st.query_params
    shown = st.query_params.to_dict()
    _follow_pickers(shown)
    st.switch_page(BOARD_PAGE, query_params={k: v for k, v in shown.items() if v is not None})


def sidebar_filters() -> Scope:
    """Region, store(s) and date range in the sidebar; kept in session state across pages."""
    stores = store_list()
    first, last = load(queries.date_bounds)
    _filters_from_url(first, last)
    adopt_pickers()
    st.sidebar.subheader(t("filter.header"))
    # no store to pick (an empty database, a grant for a store without answers yet): no
    # pickers, which would read Streamlit's own English "No options to select" in either
    # language; the sentence below says why
    if stores.ids:
        picked_regions = st.sidebar.multiselect(
            t("filter.region"), stores.regions, key="flt_regions", placeholder=t("filter.all")
        )
        options = stores.ids
        if picked_regions:
            frame = stores.frame
            options = frame.loc[frame["region"].isin(picked_regions), "store_id"].tolist()
        if "flt_stores" in st.session_state:
            known = set(options)
            kept = st.session_state["flt_stores"]
            st.session_state["flt_stores"] = [s for s in kept if s in known]
        st.sidebar.multiselect(
            t("filter.stores"),
            options,
            format_func=stores.label,
            key=relabelled("flt_stores"),
            placeholder=t(all_stores_key()),
        )
    if first and last:
        if "flt_dates" not in st.session_state:
            st.session_state["flt_dates"] = default_dates(first, last)
        keep_within("flt_dates", first, last)
        st.sidebar.date_input(t("filter.dates"), min_value=first, max_value=last, key="flt_dates")
    else:
        # the page says why (no answers yet, and where to load them): here, once only
        st.sidebar.info(t("filter.nothing_to_filter"))
    bad = st.session_state.pop(_URL_DATES_BAD, None)
    if bad is not None:
        st.warning(t("filter.url_dates_bad", start=bad[0], end=bad[1], first=bad[2], last=bad[3]))
    _filters_to_url(first, last)
    return filters()


def reseed(marker_key: str, marker: Any, keys: Sequence[str]) -> bool:
    """Whether the boxes ``keys`` are to be set from their stored values before they
    draw: their subject ``marker`` (an answer, a month and store, a metric) changed since
    they were last set, or Streamlit forgot one of them. Streamlit drops a widget's value
    when a run does not draw it (another tab, a closed section, another page): a box set
    only when its subject changed came back at its lowest or empty value, and Save
    stored that. Records ``marker``."""
    ss = st.session_state
    if ss.get(marker_key) == marker and all(k in ss for k in keys):
        return False
    ss[marker_key] = marker
    return True


def keep_within(key: str, first: date, last: date) -> None:
    """Before the date input ``key`` draws between ``first`` and ``last``: its day, or each
    end of its range, moved inside them. The data's days change under an open session:
    an undo, or the demo's removal, took the last days away, and a day picked or shown
    on one of them stopped every page of that session (Streamlit refuses a value past
    its bounds)."""
    value = st.session_state.get(key)
    if isinstance(value, date):
        st.session_state[key] = min(max(value, first), last)
    elif isinstance(value, tuple | list) and all(isinstance(d, date) for d in value):
        st.session_state[key] = tuple(min(max(d, first), last) for d in value)


# The sidebar's filters in the URL, so a link or a bookmark opens the same view:
# ?regions=华东,华南&stores=HZ01,HZ02&from=2025-08-01&to=2025-10-31 (absent = the default).
_URL_FILTERS = ("regions", "stores", "from", "to")


def _url_filter_values(first: date | None, last: date | None) -> dict[str, str]:
    """The filters' current session state as URL values ('' where it is the default)."""
    out = {
        "regions": ",".join(st.session_state.get("flt_regions") or ()),
        "stores": ",".join(st.session_state.get("flt_stores") or ()),
        "from": "",
        "to": "",
    }
    picked = st.session_state.get("flt_dates")
    if isinstance(picked, date):
        picked = (picked, picked)
    if picked and first and last and tuple(picked) != default_dates(first, last):
        out["from"] = picked[0].isoformat()
        out["to"] = (picked[1] if len(picked) > 1 else picked[0]).isoformat()
    return out


def _filters_from_url(first: date | None, last: date | None) -> None:
    """Arrival: URL filter values go into the widgets' state once per new value."""
    wanted = {k: st.query_params.get(k, "") for k in _URL_FILTERS}
    if not any(wanted.values()) or wanted == st.session_state.get("_flt_url"):
        return
    st.session_state["_flt_url"] = wanted
    st.session_state["flt_regions"] = [r for r in wanted["regions"].split(",") if r]
    st.session_state["flt_stores"] = [x for x in wanted["stores"].split(",") if x]
    if not (wanted["from"] or wanted["to"]) or not (first and last):
        return
    try:
        start = date.fromisoformat(wanted["from"]) if wanted["from"] else None
        end = date.fromisoformat(wanted["to"]) if wanted["to"] else start
    except ValueError:  # not YYYY-MM-DD
        start = end = None
    if start and end:
        start, end = max(start, first), min(end, last)
        if start <= end:
            st.session_state["flt_dates"] = (start, end)
            return
    # dates that cannot be read or hold no answer: said (above the page), not dropped
    # silently for the default range with its full numbers
    st.session_state[_URL_DATES_BAD] = (wanted["from"] or "?", wanted["to"] or "?", first, last)


_URL_DATES_BAD = "_flt_url_dates_bad"  # a link's dates the filter could not take


def _filters_to_url(first: date | None, last: date | None) -> None:
    """Mirror the filters into the URL (and drop what is back at its default)."""
    values = _url_filter_values(first, last)
    st.session_state["_flt_url"] = values
    for key, value in values.items():
        url_set(key, value or None)


def default_dates(first: date, last: date) -> tuple[date, date]:
    """The last 90 days with data (:func:`cx.rules.default_period`)."""
    return rules.default_period(first, last)


def filters() -> Scope:
    """The shared filters, read from the sidebar widgets' session state.

    Pages call this rather than receiving the value from ``app.py``, so a page run on
    its own (as AppTest does after the first run) sees the same filters.
    """
    regions = tuple(st.session_state.get("flt_regions") or ())
    stores = tuple(st.session_state.get("flt_stores") or ())
    who = person()
    if not regions and not stores and not who.regions and who.stores and len(who.stores) == 1:
        # one store's manager: "all my stores" is that store, named (and its targets are
        # theirs to set on the overview, as on the board)
        stores = tuple(who.stores)
    if regions and who.stores is not None:
        # a region the person sees only some stores of (a store manager's own): those
        # stores by name, so a page's caption names them, not the region whose figures
        # it does not show ("Region: 华东" over HZ01's figures)
        if not all(who.sees_target(REGION_PREFIX + r) for r in regions):
            frame = store_list().frame
            within = frame.loc[frame["region"].isin(regions), "store_id"].tolist()
            if within:
                stores = tuple(s for s in stores if s in within) or tuple(within)
                regions = ()
    picked = st.session_state.get("flt_dates")
    if picked is None:
        first, last = load(queries.date_bounds)
        picked = default_dates(first, last) if first and last else ()
    if isinstance(picked, date):
        picked = (picked, picked)
    picked = tuple(picked)
    start = picked[0] if picked else None
    end = picked[1] if len(picked) > 1 else start
    return Scope(regions, stores, start, end)


# --------------------------------------------------------------------------- shared widgets


_DEFAULTED = "_cx_default_"  # session key prefix: the value a view chose for a picker


def choice(key: str) -> Any:
    """Picker ``key``'s value as its page's load argument: None while it holds the value
    the view chose when it was asked for none (:func:`hold_choice`). A page's first run
    asks with None and the picker then holds the view's choice; without this the next
    run asked with that value, a new cache key, and computed the whole view again (the
    overview, segments, heatmap and planner: 37-73 ms each at 10 million answers)."""
    value = st.session_state.get(key)
    held = st.session_state.get(_DEFAULTED + key, _DEFAULTED)
    return None if value == held else value


def hold_choice(key: str, shown: Any) -> None:
    """Before drawing picker ``key``: make it show ``shown``, the view's value, and
    remember that as the view's own choice when the page asked for none (:func:`choice`).
    A picker nobody moved follows the view's choice as the data and the filters change."""
    if choice(key) is None:
        st.session_state[_DEFAULTED + key] = shown
    if st.session_state.get(key) != shown:
        st.session_state[key] = shown


UPLOAD_COLUMNS = [  # the status first: an undone upload reads so without scrolling
    "upload_id",
    "status",
    "file_name",
    "uploaded_at",
    "rows_read",
    "added",
    "replaced",
    "unchanged",
    "rejected",
    "ignored",
    "collapsed",
    "source",
]
"""An upload's columns as its history shows them: every row read is accounted for (added,
replaced, already there unchanged, rejected, ignored as blank or a totals line, merged
into a later row repeating its id)."""


def table(frame, empty_key: str, **options: Any) -> None:
    """``frame`` as a table (``st.dataframe`` with ``options``), or, without rows, the
    sentence ``empty_key`` in the reader's language: an empty table says "empty" in
    English whatever the language (Streamlit draws it in the grid)."""
    if frame.empty:
        st.caption(t(empty_key))
        return
    dataframe(frame, **options)


GAP = i18n.GAP  # a table's empty cell (Streamlit's grid would say 'None')


def _whole_as_whole(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` for its download with each column of whole numbers held as decimals
    written as whole numbers: the planner's file wrote a cost of 15,000 as '15000.0'. A
    column with a fraction anywhere keeps its decimals."""
    whole = [
        c
        for c in frame.columns
        if pd.api.types.is_float_dtype(frame[c])
        and frame[c].notna().any()
        and bool((frame[c].dropna() % 1 == 0).all())
        and bool((frame[c].dropna().abs() < 2**53).all())
    ]
    return frame.astype(dict.fromkeys(whole, "Int64")) if whole else frame


def _checks_as_words(frame: pd.DataFrame, words: tuple[str, str]) -> pd.DataFrame:
    """``frame`` for its download with each true/false column (a checkbox on the page)
    as ``words`` (yes, no in the reader's language): the Chinese planner's file read
    True/False."""
    flags = [c for c in frame.columns if pd.api.types.is_bool_dtype(frame[c])]
    if not flags:
        return frame
    return frame.assign(**{c: frame[c].map({True: words[0], False: words[1]}) for c in flags})


def dataframe(
    frame,
    where: Any = None,
    download: str | None = None,
    download_data: Callable[[], bytes] | None = None,
    pin: int = 0,
    **options: Any,
) -> Any:
    """``st.dataframe(frame, **options)`` (in ``where``, a container, if given) with each
    number shown as :func:`number_formats` says (a caller's ``column_config`` of a column
    is laid over it: its own format wins, a width alone keeps the column's format) and
    every missing cell as :data:`GAP`; returns what ``st.dataframe`` returns (a
    selection). A column with a gap keeps its numbers, so a click on its header sorts it
    by value (made text, -0.10 sorted after 0.05). ``pin``: how many leading columns
    (what names a row: a store, a project, a group) stay in view while the others scroll
    sideways, as a table wider than a phone or a projector's 1366 px does.

    The grid's own CSV download and copy are off (``client.disableDataExport``: they wrote
    a comment starting with '=' as a formula); ``download`` (a file name's stem) adds the
    table's download under it, made when clicked: ``download_data()`` if given, else the
    table as shown (personal data as masked on the page, formulas neutralised)."""
    formats = number_formats(frame)
    for name, own in (options.pop("column_config", None) or {}).items():
        made = formats.get(name)
        formats[name] = made | own if isinstance(made, dict) and isinstance(own, dict) else own
    for name in list(frame.columns)[:pin]:
        own = formats.get(name)
        formats[name] = {**(own if isinstance(own, dict) else {"label": own}), "pinned": True}
    words = (t_plain("fmt.yes"), t_plain("fmt.no"))  # the click comes outside the run
    options.setdefault("placeholder", GAP)
    place = where or st
    shown = place.dataframe(frame, column_config=formats, **options)
    if download is not None:
        place.download_button(
            t("table.download"),
            download_data
            or (lambda: export.to_csv_bytes(_whole_as_whole(_checks_as_words(frame, words)))),
            file_name=f"{download}_{config.local_now():%Y%m%d}.csv",
            mime="text/csv",
            key=f"{options.get('key') or download}_csv",
            icon=":material/download:",
            type="tertiary",
            disabled=len(frame) == 0,
            on_click="ignore",  # a download changes nothing: no rerun
        )
    return shown


UPLOAD_SOURCES = ("app", "cli", "demo")
"""Where an upload came from (``uploads.source``): the Upload page, the command line, the
demo build."""


def uploads_table(
    history, key: str, height: int | str = "auto", download: str | None = None
) -> None:
    """The upload history (from ``queries.uploads``) with translated headers, status and
    source (the demo's own upload named in the reader's language)."""
    demo = history["source"] == "demo"
    shown = history.assign(
        status=history["status"].map(lambda s: t(f"up.status.{s}")),
        source=[t(f"up.source.{s}") if s in UPLOAD_SOURCES else s for s in history["source"]],
        file_name=history["file_name"].where(~demo, t("up.source.demo_file")),
    )
    table(
        shown[UPLOAD_COLUMNS].rename(columns={c: t(f"col.{c}") for c in UPLOAD_COLUMNS}),
        "up.no_uploads",
        hide_index=True,
        height=height,
        key=key,
        download=download,
        pin=1,  # the upload's number in view while its counts scroll sideways on a phone
    )


def _css_string(text: str) -> str:
    """``text`` as a CSS string literal (our own texts only, never data)."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\A ") + '"'


def _redrawn(words: Iterable[tuple[str, str]], size: str = "14px") -> str:
    """A style drawing each (selector, text)'s element's own text at size 0 and ``text``
    (one of our texts, never data) after it: how the app speaks where Streamlit draws
    English only."""
    return (
        "<style>"
        + "".join(
            f"{sel}{{font-size:0}}{sel}::after{{content:{_css_string(text)};font-size:{size}}}"
            for sel, text in words
        )
        + "</style>"
    )


# Streamlit's own words a style can redraw (the bulk options of every multiselect's list,
# found by the keys Streamlit gives them): (selector, text key)
_STREAMLIT_WORDS = (
    ("[role=option][data-key=__select_all__] [data-item-hl]", "st.select_all"),
    ("[role=option][data-key=__select_matches__] [data-item-hl]", "st.select_matches"),
    # the hint under a text box being typed in (the callback form's owner and note)
    ("[data-testid=stTextArea] [data-testid=InputInstructions]", "st.apply_area"),
    ("[data-testid=stTextInput] [data-testid=InputInstructions]", "st.apply_input"),
    ("[data-testid=stNumberInput] [data-testid=InputInstructions]", "st.apply_input"),
)


def streamlit_words() -> None:
    """On a Chinese page, the words Streamlit writes in English that a style can redraw
    (:data:`_STREAMLIT_WORDS`); an English page keeps Streamlit's own."""
    if lang() != "en":
        st.html(_redrawn((sel, t(key)) for sel, key in _STREAMLIT_WORDS))


def uploader(
    label: str, types: list[str], key: str, also: tuple[str, ...] = (), **kwargs: Any
) -> Any:
    """``st.file_uploader`` whose drop box speaks the reader's language: Streamlit writes
    its button ("Upload") and its limit line ("500MB per file • CSV, ...") in English
    only, so a style of this uploader's own (by its key) draws them from the texts
    instead. The label names the button as the box shows it. ``also``: types taken but
    not listed, which the page refuses in a sentence of its own (Streamlit's browser
    refuses an unlisted type in English)."""
    mb = st.get_option("server.maxUploadSize")
    say = functools.partial(i18n.t, lang=lang())  # plain text: a style, not Markdown
    shown = say("fmt.sep_list").join(x.upper() for x in types)
    box = f".st-key-{key} [data-testid=stFileUploaderDropzone]"
    words = (
        (f"{box} button [data-testid=stMarkdownContainer] p", say("up.box.button")),
        (f"{box} [data-testid=stFileUploaderDropzoneInstructions] span",
         say("up.box.limit", mb=mb, types=shown)),
    )  # fmt: skip
    st.html(_redrawn(words))
    return st.file_uploader(label, type=[*types, *also], key=key, **kwargs)


# A phone's window (under 641 px) shows the line; a wider one hides it.
SWIPE_HINT_CSS = (
    "<style>@media (min-width: 641px){[class*='st-key-swipe_hint_']{display:none}}</style>"
)


def swipe_hint(name: str) -> None:
    """On a phone, a line saying the chart below keeps a readable size and scrolls
    sideways in its own box (which nothing else shows until one tries); hidden on wider
    windows, where the chart fits."""
    st.html(SWIPE_HINT_CSS)
    with st.container(key=f"swipe_hint_{name}"):
        st.caption(t("chart.swipe"))


def sample_warning(flag: str) -> None:
    """The sentence under a figure on few answers (``flag``: :func:`cx.stats.sample_flag`'s
    'low' or 'too_few'; nothing for 'ok'), the same on every page that shows one."""
    if flag == "too_few":
        st.warning(t("board.kpi.too_few", n=stats.MIN_N))
    elif flag == "low":
        st.warning(t("board.kpi.low_n", n=stats.LOW_N))


def csv_download(frame, label_key: str, file_name: str, key: str) -> None:
    """A download button for ``frame`` as CSV (UTF-8 BOM, formulas neutralised); greyed
    out when there is nothing to download."""
    st.download_button(
        t(label_key),
        export.to_csv_bytes(frame),
        file_name=file_name,
        mime="text/csv",
        key=key,
        disabled=frame.empty,
        on_click="ignore",  # a download changes nothing: no rerun
    )


# --------------------------------------------------------------------------- formatting


def number_formats(frame, most: int = 3) -> dict:
    """``column_config`` for ``st.dataframe(frame)``: thousands separated as on the cards
    (35,634, not 35634), and each column of fractions shown with as many decimals as its
    most precise value (up to ``most``; columns finer than that, such as p-values, are left
    as they are). Streamlit's grid drops a float's trailing zeros, so a column of NPS
    figures read 51 beside 50.3. A column of days (every time midnight: a DATE read into
    pandas) is shown as days: the upload's preview read '2025-10-31 00:00:00' for a
    service date."""
    out = {}
    for col in frame.columns:
        values = frame[col]
        if values.dtype.kind in "iu":
            out[str(col)] = st.column_config.NumberColumn(format="%,d")
        elif values.dtype.kind == "f" and (places := _places(values, most)) is not None:
            out[str(col)] = st.column_config.NumberColumn(format=f"%,.{places}f")
        elif values.dtype.kind == "M" and _days_only(values):
            out[str(col)] = st.column_config.DateColumn(format="YYYY-MM-DD")
    return out


def _days_only(values) -> bool:
    """Whether every one of ``values`` (datetimes; missing ones aside) is at midnight."""
    held = values.dropna()
    return bool(len(held)) and bool((held == held.dt.normalize()).all())


def _places(values, most: int) -> int | None:
    """The decimals of the most precise of ``values`` (floats; missing ones aside), up to
    ``most``; None when finer than that or when there are no values."""
    arr = values.dropna().to_numpy(dtype=float)
    if not arr.size:
        return None
    exact = (k for k in range(most + 1) if np.allclose(arr, np.round(arr, k), rtol=0, atol=1e-9))
    return next(exact, None)


def fmt_num(value: float | None, digits: int = 1, against: float | None = None) -> str:
    """A number with ``digits`` decimals, or the translated 'no data'; beside a target
    (``against``), with as many more as tell the two apart (:func:`cx.i18n.digits_apart`)."""
    if value is None or value != value:  # None or NaN
        return t("fmt.no_data")
    return f"{value:,.{i18n.digits_apart(value, against, digits)}f}"


def fmt_pct(share: float | None, digits: int = 1) -> str:
    """A share (0-1) as a percentage."""
    if share is None or share != share:
        return t("fmt.no_data")
    return f"{100 * share:.{digits}f}%"


# --------------------------------------------------------------------------- errors


def run_page(page: Any) -> None:
    """Run the chosen page; an unexpected error shows one sentence, the log keeps the rest.

    Under AppTest the error propagates, so page tests see it.
    """
    from streamlit import config as st_config

    try:
        page.run()
    except Refused:  # said already (:func:`write`); the page stops there
        pass
    except Exception:
        if st_config.get_option("global.appTest"):
            raise
        _LOG.exception("page %s failed", getattr(page, "url_path", "?"))
        st.error(t("app.error"))
    finally:
        st.session_state.pop(STORE_FROM_LINK, None)  # this run's only (the board reads it)
        release_all()  # the run's loads are done: the file is free for other programs


def require(capability: str) -> cx_access.Person:
    """Stop the page with one sentence unless the person holds ``capability``."""
    who = person()
    if not who.can(capability):
        st.error(t("access.denied.role"))
        st.stop()
    return who
