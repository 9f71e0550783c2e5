"""Rendering pieces of the daily NPS board (URL arrival, alerts, KPI strip, month to date,
trend, regional ranking, target editor, callback queue, weekly report); the page wires
them together."""

import contextlib
import re
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

import numpy as np
import pandas as pd
import streamlit as st

from cx import access as cx_access
from cx import followups, i18n, privacy, queries, report, stats, targets
from cx.charts import board as charts
from cx.enums import PAIN_POINTS, label
from cx.queries import board as q
from cx.queries import planner as qp
from cx.scope import NETWORK, REGION_PREFIX, Scope
from cx.ui import (
    STORE_FROM_LINK,
    StoreList,
    adopt_pickers,
    all_stores_key,
    can,
    dataframe,
    esc,
    fmt_num,
    fmt_pct,
    keep_within,
    kept_spec,
    lang,
    load,
    person,
    refusable,
    relabelled,
    reseed,
    sample_warning,
    show_picker,
    store_list,
    t,
    t_plain,
    url_set,
    write,
)
from cx.views import board as board_view
from cx.views.board import BoardView, Trend

Labeler = Callable[[str], str]


# --------------------------------------------------------------------------- helpers


def bound_t(lang: str) -> Callable[..., str]:
    """t() bound to this run's language: AppTest calls format_func outside the run."""

    def tl(key: str, **fmt: object) -> str:
        return i18n.t(key, lang, **fmt)

    return tl


def selection_options(stores: StoreList) -> list[str]:
    """The board's choices (:attr:`cx.scope.Scope.key` strings) for this person: the
    network (when they see more than one store), the regions they may see whole, and their
    stores."""
    who = person()
    ids = list(stores.ids)
    if who.network:
        return [NETWORK] + [REGION_PREFIX + r for r in stores.regions] + ids
    regions = [r for r in who.regions if r in set(stores.regions)]
    every = [NETWORK] if len(ids) > 1 else []
    return every + [REGION_PREFIX + r for r in regions] + ids


def file_key(key: str) -> str:
    """A scope key as a download's file name says it: 'all', 'region-华东', 'HZ01_SH03'
    (a browser turned '*' and ':' into '_': 'callbacks___20251031.csv'). All of a
    region manager's or a store manager's stores are named by their regions or stores
    ('region-华南'), not 'all': their files had the network's names."""
    who = person()
    if NETWORK in key and who.stores is not None:
        mine = [REGION_PREFIX + r for r in who.regions] or sorted(who.stores)[:5] or ["none"]
        key = key.replace(NETWORK, ",".join(mine))
    return key.replace(NETWORK, "all").replace(":", "-").replace(",", "_")


def selection_labeler(labels: Mapping[str, str], lang: str, every_key: str) -> Labeler:
    """The label of a board scope key (all stores, a region, one store, or several);
    ``labels``: a store's id -> its label (:attr:`cx.ui.StoreList.labels`); ``every_key``:
    the text of all stores (:func:`cx.ui.all_stores_key` on the page)."""
    tl = bound_t(lang)
    every = tl(every_key)

    def one(kind: str, v: str | None) -> str:
        if kind == "network":
            return every
        if kind == "region":
            return tl("board.region", region=v)
        return labels.get(v, v)

    def sel_label(value: str) -> str:
        hit = labels.get(value)
        if hit is not None:  # one store: the picker's and the ranking's thousands of rows
            return hit
        sc = Scope.from_key(value)
        if sc.kind != "stores":
            return one(sc.kind, sc.store or sc.region)
        if sc.regions and sc.stores:  # the stores within the regions: what is counted
            # (it read "区域：华东 + SH03" over SH03's figures alone)
            return tl(
                "board.stores_within",
                stores=" + ".join(one("store", x) for x in sc.stores),
                regions=tl("fmt.sep_list").join(sc.regions),
            )
        parts = [one("region", r) for r in sc.regions] + [one("store", x) for x in sc.stores]
        return " + ".join(parts)

    return sel_label


def rng(a: date, b: date) -> str:
    return f"{a:%Y-%m-%d}" if a == b else t("board.range", start=f"{a:%m-%d}", end=f"{b:%m-%d}")


def _stamp(at: datetime) -> str:
    return f"{at:%Y-%m-%d %H:%M}"


def _month(month: date) -> str:
    return f"{month:%Y-%m}"


def _text(value: object) -> str:
    return value if isinstance(value, str) else ""


def _p_text(p: float) -> str:
    """A p-value as a person reads it: 'p = 0.024', or 'p < 0.001' (never 1.6e-05)."""
    return "< 0.001" if p < 0.001 else f"= {p:.3f}"


def _interval(low: float | None, high: float | None) -> str:
    return t("board.kpi.interval", low=fmt_num(low), high=fmt_num(high))


def _milestones(tgt: dict | None) -> dict:
    return tgt["milestones"] if tgt else {}


# --------------------------------------------------------------------------- URL


TABS = ("board", "callbacks", "report")
"""The board's sections; the chosen one is ``?tab=`` in the URL."""
_KEEP = "_board_keep"  # the last shown date/tab/period, for coming back to the page


def _url_params(first: date | None, last: date | None) -> tuple:
    """(URL parameter, widget key, parse, valid) of the board's own settings in the URL
    (``?store=`` is the sidebar's scope: :func:`cx.ui.adopt_pickers`)."""
    return (
        ("date", "board_date", date.fromisoformat, lambda v: first and first <= v <= last),
        ("tab", "board_tab", str, lambda v: v in TABS),
        ("period", "board_period", str, lambda v: v in report.PERIODS),
    )


def arrive_from_url() -> None:
    """?date= / ?tab= / ?period= go into the widgets once per new value; a setting missing
    from the URL comes back from the last visit of this session (another page and back
    keeps date and tab; the store is the sidebar's, kept anyway)."""
    adopt_pickers()  # ?store= (a page run alone, as AppTest does, has no sidebar run)
    first, last = load(queries.date_bounds)
    kept = st.session_state.get(_KEEP, {})
    for param, key, parse, valid in _url_params(first, last):
        raw = st.query_params.get(param)
        if raw and raw != st.session_state.get(f"_board_qp_{param}"):
            st.session_state[f"_board_qp_{param}"] = raw
            try:
                value = parse(raw)
            except ValueError:
                value = None
            if param == "date" and first and value is None:  # '15.10.2025': not a
                # date at all (it was said to be outside the data's days)
                shown = st.session_state.get(key, last)
                st.warning(t("board.date_unreadable", date=raw, shown=shown))
            elif param == "date" and first and not valid(value):
                # said, as a store the link names and the person may not see is (the
                # latest day had replaced 2030-01-01 without a word)
                st.warning(t("board.date_outside", date=raw, first=first, last=last))
            if value is not None and valid(value):
                st.session_state[key] = value
                if param == "tab" and value != TABS[0]:  # a bookmarked queue or report:
                    st.session_state["_tab_scroll"] = True  # opened on it, not the headline
        elif key not in st.session_state and key in kept and valid(kept[key]):
            st.session_state[key] = kept[key]


def mirror_to_url(sel: str, day: date, tab: str, period: str) -> None:
    """Write the shown store, date, tab and period into the URL (and remember them, as
    seen and for the next visit of the page)."""
    shown = {"store": sel, "date": day.isoformat(), "tab": tab, "period": period}
    for param, value in shown.items():
        url_set(param, value)
        st.session_state[f"_board_qp_{param}"] = value
    st.session_state[_KEEP] = {"board_date": day, "board_tab": tab, "board_period": period}


@dataclass(frozen=True)
class Picked:
    """The board's store and date pickers: the scope (the sidebar's stores), its key and
    label, the data's first and last day, the scope's latest day and the chosen day."""

    scope: Scope
    sel: str
    label: Labeler
    first: date
    last: date
    latest: date
    day: date


def pickers(scope: Scope, lang: str) -> Picked | None:
    """The store (the sidebar's scope, ``cx.ui.filters()`` after :func:`arrive_from_url`:
    picking here is picking there) and the date, in one row that stays a row on a phone;
    None when the scope has no answers."""
    stores = store_list()
    options = selection_options(stores)
    label = selection_labeler(stores.labels, lang, all_stores_key())
    first, last = load(queries.date_bounds)
    sel = scope.places().key
    if sel not in options:
        if scope.kind == "stores":
            options = [sel, *options]  # the sidebar's several regions / stores, as one entry
        elif options:
            sel = options[0]  # e.g. a one-store manager with no store picked: their store
    if not options:  # no store has answers: no picker reading "No options to select"
        return None
    show_picker("board_store", sel)
    row = st.container(horizontal=True, gap="small", wrap=False)
    sel = row.selectbox(t("board.store"), options, format_func=label, key=relabelled("board_store"))
    scope = Scope.from_key(sel)
    latest = load(q.latest_day, scope)
    if latest is None or first is None:
        return None
    if st.session_state.get("board_date") is None:
        st.session_state["board_date"] = latest
    keep_within("board_date", first, last)
    day = row.date_input(
        t("board.date"), min_value=first, max_value=last, key="board_date", width=136
    )
    return Picked(scope, sel, label, first, last, latest, day)


def queue_clock(day: date, latest: date) -> tuple[datetime, bool]:
    """The callback queue's clock for the board of ``day`` (``latest``: the scope's latest
    day with answers) and whether the data is stale (:func:`cx.followups.queue_now`,
    :func:`cx.followups.board_clock`); the board's view is cached on it."""
    clock, stale = followups.queue_now(load(q.latest_answer))
    return followups.board_clock(day, clock, latest), stale


def open_callbacks() -> None:
    """on_click of the headline's button: show the callback queue, scrolled into view (on
    a phone it starts below the headline's three cards, and the tap looked lost)."""
    st.session_state["board_tab"] = "callbacks"
    st.session_state["_cb_scroll"] = True


def _repeated_scroll(step: str, ms: int = 2000) -> str:
    """The app's own script, no data in it: the JavaScript statement ``step`` (a scroll),
    again every 200 ms for ``ms``, until the reader scrolls, taps or types: on a busy
    phone what it scrolls to was not drawn yet at the first try, or what is drawn above
    it afterwards pushed it back down (a browser test saw both)."""
    return (
        f"<script>(() => {{ let left = false; const until = Date.now() + {ms};"
        " for (const e of ['wheel', 'touchstart', 'keydown', 'mousedown'])"
        "  window.addEventListener(e, () => { left = true; }, {once: true, capture: true});"
        f" const bring = () => {{ if (left) return; {step}"
        "  if (Date.now() < until) setTimeout(bring, 200); };"
        " setTimeout(bring, 50); })()</script>"
    )


def scroll_script(key: str) -> str:
    """Bring the element of the app's widget or container ``key`` (a fixed name of this
    module's) to the top of the window, below Streamlit's header (:func:`_repeated_scroll`)."""
    return _repeated_scroll(
        f"const el = document.querySelector('.st-key-{key}');"
        " if (el) { el.style.scrollMarginTop = '4.5rem'; el.scrollIntoView({block: 'start'}); }"
    )


# After the headline's button opened the queue: its section bar (the queue under it).
SCROLL_TO_QUEUE = scroll_script("board_tab")
# After a link to another store's board within the page: the page's top (the title).
SCROLL_TO_TOP = _repeated_scroll(
    "window.scrollTo(0, 0); for (const el of document.querySelectorAll("
    "'[data-testid=stMain], [data-testid=stAppViewContainer]')) el.scrollTop = 0;",
    1500,
)
# After a card's 'details': the form below the cards, opened on that answer (a screen or
# three further down; the tap looked like it did nothing).
SCROLL_TO_FORM = scroll_script("cb_form")


def section_picker(lang: str) -> str:
    """The board's sections as one row of buttons (a tab bar that survives a reload and a
    language switch: the value is a fixed key, the label is translated)."""
    tl = bound_t(lang)
    if st.session_state.get("board_tab") not in TABS:
        st.session_state["board_tab"] = TABS[0]
    tab = st.segmented_control(
        t("board.tab.label"),
        TABS,
        format_func=lambda k: tl(f"board.tab.{k}"),
        key=relabelled("board_tab"),
        label_visibility="collapsed",
        required=True,
    )
    return tab or TABS[0]


# --------------------------------------------------------------------------- headline


# The month's card holds the longest figure ("77.5 / 77.0"): in a narrow column (a
# tablet with the sidebar open) it read "77.5 / …", the target cut. There it wraps after
# the slash, both figures whole at their size.
HEAD_CSS = (
    "<style>.st-key-board_head_mtd [data-testid='stMetricValue'],"
    ".st-key-board_head_mtd [data-testid='stMetricValue'] *"
    "{white-space:normal;overflow:visible;text-overflow:clip}</style>"
)


def stopped(v: BoardView, p: Picked) -> None:
    """Above a store's board (or a region's, or stores picked together): its answers stop
    before the rest of the data the person sees
    (the region's and network's boards name it among their alerts, by the same rule:
    :func:`cx.queries.board.silent_stores`). Its board opens on its own latest day, where
    the month's pace read as if the month were still running, and nothing said the days
    after were missing."""
    last = p.last  # of every store the person sees (cx.access)
    if p.latest >= last:
        return
    # however long ago (the alerts name a month's; a store silent 33 days said nothing)
    if not load(q.silent_stores, v.scope, last, None).empty:
        key = "board.store_stopped" if v.kind == "store" else "board.scope_stopped"
        st.warning(t(key, latest=p.latest, last=last))


def headline(v: BoardView) -> None:
    """The manager's three questions on the first phone screen: how the day went, where
    the month stands against its target, and how many callbacks are due, with one tap
    to the list."""
    day_fig, comparison, m, target, day = v.day_kpis["cur"], v.comparison, v.mtd, v.target, v.day
    st.html(HEAD_CSS)
    c1, c2, c3 = st.columns(3)
    with c1.container(border=True):
        delta = None  # none beside 'too few to compare' (it showed '-200.0' there)
        if (
            comparison is not None
            and comparison["diff"] is not None
            and comparison["verdict"] != "not_compared"
            and day_fig["n"]
        ):
            delta = f"{comparison['diff']:+.1f}"
        st.metric(
            t("board.head.day", day=f"{day:%m-%d}"),
            fmt_num(day_fig["nps"]),
            delta=delta,
            delta_color="normal" if comparison and comparison["verdict"] == "real" else "off",
            help=t("board.help.nps"),
        )
        notes = [t("fmt.n", n=day_fig["n"])]
        if comparison is not None and day_fig["n"]:
            notes.append(
                t(
                    "board.head.vs",
                    name=t(f"board.cmp.{comparison['key']}"),
                    verdict=t(f"board.verdict.{comparison['verdict']}"),
                )
            )
        st.caption(" · ".join(notes))
    with c2.container(border=True, key="board_head_mtd"):
        value = fmt_num(m["nps"], against=target)
        if target is not None:
            value = t("board.head.mtd_value", nps=value, target=fmt_num(target, against=m["nps"]))
        st.metric(t("board.head.mtd"), value, help=t("fmt.n", n=m["n"]))
        st.caption(_pace_line(m, target))
    with c3.container(border=True):
        due = v.due
        # whose 'now': an earlier day's end (said in the help: the date picker shows the
        # day, and a third line pushed the queue's button off a phone's first screen), or
        # the data's last day (said on the line: nothing else on the board says it)
        at = f"{v.now:%m-%d %H:%M}"
        helped = t("board.help.due") + (" " + t("board.head.due_asof", now=at) if v.past else "")
        label = t("board.head.due_then" if v.past else "board.head.due")
        st.metric(label, f"{due.total:,}", help=helped)
        line = t(
            "board.head.due_line", overdue=due.overdue, dets=due.dets, today=due.today,
            open=due.open,
        )  # fmt: skip
        if v.stale and not v.past:
            line += " · " + t("board.head.due_stale", now=at)
        st.caption(line)
        st.button(
            t("board.head.open_queue"),
            key="board_open_queue",
            on_click=open_callbacks,
            type="primary",
            width="stretch",
        )


def _below_start(m: dict) -> bool:
    """The month so far below last month's level: 'progress -167%' read as nonsense."""
    return m["progress"] is not None and m["nps"] < m["start"]


def _no_climb(m: dict, target: float | None) -> bool:
    """A target at or below last month's level: no way to climb, no share of it."""
    return m["progress"] is not None and target is not None and target <= m["start"]


def _progress(m: dict, target: float | None) -> str:
    """'50% of the way from last month's 72.0'; below it, by how much; a target at or
    below it, said so (the share of a climb down read '-67%' or 'below' for a month
    above last month's 80 against a target of 77)."""
    if m["start"] is None or pd.isna(m["start"]):  # a store's first month: no start to
        return t("board.head.progress_no_start")  # measure from ('no data of the way')
    if m["nps"] is None or pd.isna(m["nps"]):  # no answers in the month yet (a store whose
        # answers stopped, on a later date): its board had failed on 'None >= 1'
        return t("board.head.progress_no_answers")
    start = fmt_num(m["start"])
    if _below_start(m):
        return t("board.head.progress_below", start=start, diff=f"{m['nps'] - m['start']:+.1f}")
    if _no_climb(m, target):
        return t("board.head.progress_no_climb", start=start)
    if m["progress"] >= 1:  # "已完成 430%" read as a measure of something
        return t("board.head.progress_reached", start=start)
    return t("board.head.progress", pct=fmt_pct(m["progress"], 0), start=start)


def _pace_line(m: dict, target: float | None) -> str:
    """'progress 50% · 16 days left, NPS 79.1 needed · chance 35%' (or why not)."""
    if target is None:
        return t("board.mtd.no_target")
    parts = [_progress(m, target)]
    ended = _ended(m, target)
    if ended is not None:  # the month's last day: say how it ended
        parts.append(t("board.head.month_hit" if ended else "board.head.month_missed"))
        return " · ".join(parts)
    if m["status"] in ("already_secured", "out_of_reach"):
        parts.append(t(f"board.pace.{m['status']}"))
    elif m["required"] is not None:
        parts.append(t("board.head.needed", days=m["days_left"], nps=fmt_num(m["required"])))
    parts.append(t("board.head.chance", pct=_chance(m)))
    return " · ".join(parts)


def _ended(m: dict, target: float | None) -> bool | None:
    """On the month's last day (no days left), whether the month ended on target: the
    chance of it is then 0 % or 100 %, no chance at all ('chance 0%' beside 'no days
    left'). None on any other day, without a target, or without answers."""
    if m["days_left"] != 0 or target is None or m["nps"] is None:
        return None
    return bool(m["nps"] >= target)


def _thin(m: dict) -> bool:
    """The month to date has answers, but too few to read the month's chance from: the
    chance takes the rest of the month to answer as the month so far, and early in a
    month that was a day or two's answers (HZ01's 23 answers on the 1st read 'chance
    0%'; a store's 4 to 17 in the first three days went 41%, 2%, 0%, then 52%)."""
    return m["prob"] is not None and 0 < m["n"] < stats.LOW_N


def _chance(m: dict) -> str:
    """The month's chance of ending on target as the board shows it (:func:`_thin`)."""
    return t("board.chance_thin", low=stats.LOW_N) if _thin(m) else fmt_pct(m["prob"], 0)


# --------------------------------------------------------------------------- board tab


ALERTS_SHOWN = 5  # overdue-callback alerts shown before the rest fold away


def alerts(v: BoardView, sel_label: Labeler) -> None:
    """Significant 7-day drops and overdue callbacks per store, the digest's score
    patterns for review (the same items as ``python -m cx digest``), or 'no alerts'; on a
    store's own board its drop only."""
    from cx import digest
    from cx.ui import lang

    st.subheader(t("board.alerts.header"))
    # a store whose answers stopped, first: the others' answers make the day look whole
    # (a store's own board opens on its own latest day)
    # (a day without answers anywhere in the scope says so itself: every store had been named)
    quiet = v.scope.kind == "store" or not v.day_kpis["cur"]["n"]
    silent = None if quiet else load(q.silent_stores, v.scope, v.day)
    if silent is not None:
        for r in silent.head(ALERTS_SHOWN).to_dict("records"):
            st.warning(
                t(
                    "board.alerts.silent",
                    store=sel_label(r["store_id"]),
                    date=v.day,
                    latest=f"{r['latest']:%Y-%m-%d}",
                    days=r["days"],
                )
            )
        if len(silent) > ALERTS_SHOWN:
            rest = silent["store_id"].iloc[ALERTS_SHOWN:].tolist()
            st.warning(
                t(
                    "board.alerts.silent_more",
                    n=len(rest),
                    date=v.day,
                    stores=t_plain("fmt.sep_list").join(rest),
                )
            )
    for r in v.drops.to_dict("records"):
        st.warning(
            t(
                "board.alerts.drop",
                store=sel_label(r["store_id"]),
                now=fmt_num(r["nps_last7"]),
                n=r["n_last7"],
                before=fmt_num(r["nps_prev56"]),
                n0=r["n_prev56"],
                drop=fmt_num(-r["diff"]),  # a fall: "down 38.8", not "down -38.8"
                p=_p_text(r["q_value"]),
            )
        )
    if v.kind == "store":
        return
    for r in v.overdue.head(ALERTS_SHOWN).to_dict("records"):
        st.warning(t("board.alerts.overdue", store=sel_label(r["store_id"]), k=r["overdue"]))
    if len(v.overdue) > ALERTS_SHOWN:  # a network-wide view: the rest folded, not hidden,
        # in one table (a line each drew two thousand elements on every run of a network),
        # made and sent only while it is open, as the whole ranking is
        rest = v.overdue.iloc[ALERTS_SHOWN:]
        more = st.expander(
            t("board.alerts.more", n=len(rest)), key="overdue_more", on_change="rerun"
        )
        if more.open:
            dataframe(
                pd.DataFrame(
                    {
                        t_plain("board.rank.col.store"): list(
                            map(sel_label, rest["store_id"].tolist())
                        ),
                        t_plain("board.alerts.col.overdue"): rest["overdue"].to_numpy(),
                    }
                ),
                where=more,
                hide_index=True,
                key="board_overdue_more",
                download=f"overdue_by_store_{file_key(v.scope.key)}_{v.day}",
            )
    flags = load(board_view.gaming_flags, v.scope, v.day)  # its own load: see there
    # the review's own window (the segments page reviews the dates picked there)
    start, end = board_view.gaming_window(v.day)
    months = digest.month_end_span(end)
    for f in flags:
        what = "; ".join(digest.signal_text(x, lang(), months) for x in f["signals"])
        who = f"{f['store_id']} · {f['advisor']}" if f["advisor"] else f["store_id"]
        # a month-end pattern alone counts whole months: named by them (it read "(10-02 to
        # 10-31)" before "… each month 2025-08 – 2025-10")
        span = (f"{start}", f"{end}")
        if all(x["signal"] == "month_end" for x in f["signals"]):
            span = tuple(months.split(" – "))
        st.warning(t("digest.board_review", start=span[0], end=span[-1], who=who, what=what))
    if v.drops.empty and v.overdue.empty and not flags and (silent is None or silent.empty):
        st.success(t("board.alerts.none"))


def kpi_strip(k: dict, period: str) -> None:
    """The period's n, NPS and segment shares, its interval or sample warning, and the
    comparison lines."""
    cur = k["cur"]
    shown_range = rng(*k["range"])
    st.subheader(t("board.kpi.header", period=t(f"board.period.{period}"), range=shown_range))
    # A row that wraps instead of cutting: each figure is as wide as its value needs.
    row = st.container(horizontal=True, gap="medium")
    row.metric(t("board.kpi.n"), f"{cur['n']:,}", width="content")
    row.metric(t("board.kpi.nps"), fmt_num(cur["nps"]), width="content", help=t("board.help.nps"))
    for name, c, s in (
        ("promoters", "p", "share_p"),
        ("passives", "pa", "share_pa"),
        ("detractors", "d", "share_d"),
    ):
        row.metric(
            t(f"board.kpi.{name}"),
            f"{cur[c]:,} ({fmt_pct(cur[s])})" if cur["n"] else t("fmt.no_data"),
            width="content",
        )
    if cur["n"] == 0:
        st.info(t("board.no_answers", range=shown_range))
    else:
        st.caption(_interval(cur["low"], cur["high"]))
        sample_warning(cur["flag"])
    for key, c in k["comparisons"].items():
        diff = i18n.GAP if c["diff"] is None else f"{c['diff']:+.1f}"
        pv = (
            ""
            if c["p_value"] is None or c["verdict"] == "not_compared"
            else t("board.cmp.p", p=_p_text(c["p_value"]))
        )
        st.markdown(
            t(
                "board.cmp.line",
                name=t(f"board.cmp.{key}"),
                range=rng(c["start"], c["end"]),
                nps=fmt_num(c["nps"]),
                n=c["n"],
                diff=diff,
                verdict=t(f"board.verdict.{c['verdict']}"),
                p=pv,
            )
        )


def month_to_date(v: BoardView) -> None:
    """The month's NPS against its target: progress, days left, the NPS still required,
    the chance to reach it, overdue callbacks, and the notes line."""
    m, month, target, tgt = v.mtd, v.month, v.target, v.tgt
    st.subheader(t("board.mtd.header", month=_month(month)))
    row = st.container(horizontal=True, gap="medium")
    nps = fmt_num(m["nps"], against=target)  # 71.95 beside a target of 72.0, not 72.0
    row.metric(t("board.mtd.nps"), nps, help=t("fmt.n", n=m["n"]), width="content")
    row.metric(
        t("board.mtd.target"),
        fmt_num(target, against=m["nps"]) if target is not None else t("board.mtd.no_target"),
        width="content",
    )
    row.metric(
        t("board.mtd.progress"),
        t("board.mtd.progress_below")
        if _below_start(m)
        else i18n.GAP
        if _no_climb(m, target)
        else fmt_pct(m["progress"], 0),
        width="content",
        help=t("board.help.progress"),
    )
    row.metric(t("board.mtd.days_left"), m["days_left"], width="content")
    req = m["required"]
    if m["status"] in ("already_secured", "out_of_reach"):
        req_text = t(f"board.pace.{m['status']}")
    elif m["days_left"] == 0:  # the month's last day: nothing is left to need (not 'no data')
        req_text = t("board.mtd.no_days_left")
    else:
        req_text = fmt_num(req)
    row.metric(t("board.mtd.required"), req_text, width="content")
    ended = _ended(m, target)
    if ended is not None:  # the last day: how the month ended, not a chance of 0 or 100 %
        odds = t("board.mtd.month_hit" if ended else "board.mtd.month_missed")
    elif m["days_left"] == 0:  # no answers to end on: no 'chance 0%' either
        odds = t("fmt.no_data")
    else:
        odds = i18n.GAP if _thin(m) else fmt_pct(m["prob"], 0)
    row.metric(
        t("board.mtd.prob"),
        odds,
        width="content",
        help=t("board.help.prob_ended" if ended is not None else "board.help.prob"),
    )
    days = followups.QUEUE_WINDOW_DAYS
    row.metric(
        t("board.mtd.overdue", days=days),
        f"{v.overdue_total:,}",
        width="content",
        help=t("board.help.overdue", days=days),
    )
    notes = [t("fmt.n", n=m["n"])]
    if m["n"]:
        notes.append(_interval(m["low"], m["high"]))
    if _thin(m) and ended is None:  # the last day's outcome is read, however few answers
        notes.append(t("board.chance_thin_line", low=stats.LOW_N))
    if m["progress"] is not None:
        notes.append(
            t(
                "board.mtd.progress_line",
                nps=nps,
                target=fmt_num(target, against=m["nps"]),  # as the figure above: 54.4
                progress=_progress(m, target),
            )
        )
    if tgt:  # where the target came from (cx.targets.resolve_nps_target)
        notes.append(t(f"target.source.{tgt['source']}", k=tgt["stores"]))
    if req is not None:
        notes.append(
            t(
                "board.mtd.required_help",
                n=fmt_num(m["n_left"], 0),
                per_day=fmt_num(m["per_day"]),
                days=m["days_left"],
            )
        )
    st.caption(" · ".join(notes))


def plan_picker() -> str:
    """A saved what-if plan whose weekly milestones the trend shows (key ``board_plan``;
    '' none: the target's own milestones show). Nothing to pick without saved plans."""
    names = list(load(qp.scenarios)["name"])
    if not names:
        return ""
    if st.session_state.get("board_plan") not in ["", *names]:
        st.session_state["board_plan"] = ""
    none = t_plain("board.trend.plan_none")
    return st.selectbox(
        t("board.trend.plan"),
        ["", *names],
        key=relabelled("board_plan"),
        format_func=lambda n: n or none,
        width=320,
    )


def trend(tr: Trend | None) -> None:
    """Daily and rolling NPS since the previous month began, with targets and milestones."""
    if tr is None:
        st.info(t("board.trend.none"))
        return

    def make() -> dict:
        labels = {x: t_plain(f"board.trend.{x}") for x in charts.LABELS if x != "nps"}
        return charts.trend_spec(
            tr.rolled, list(tr.targets), list(tr.milestones), labels | {"nps": "NPS"}
        )

    st.vega_lite_chart(spec=kept_spec((tr.token, lang()), make), width="stretch")


# Stores the ranking shows as links at most: the best and the worst half each. A network of
# 2,000 stores drew 6,000 elements a rerun; the whole ranking is then one table below.
RANKING_LINKS = 20
RANK_COLUMNS = ("rank", "store", "nps", "low", "high", "n", "target", "vs_target")


def ranking(ranked: pd.DataFrame, sel_label: Labeler, file: str = "ranking") -> None:
    """Stores ranked by month-to-date NPS (cx.report.ranking), each a link to its own board;
    beyond :data:`RANKING_LINKS` stores, the best and the worst as links (side by side,
    one above the other on a phone) and every store in one table."""
    st.subheader(t("board.rank.header"))
    table = len(ranked) > RANKING_LINKS  # the whole ranking below
    linked, gap = ranking_links(ranked)
    links = ranking_labels(linked, sel_label)
    if gap:
        half = RANKING_LINKS // 2
        best, worst = st.columns(2)
        for where, part in ((best, links[:half]), (worst, links[half:])):
            for store_id, label in part:
                _rank_link(where, store_id, label)
        st.caption(t("board.rank.gap", n=gap))
    else:
        for store_id, label in links:
            _rank_link(st, store_id, label)
    if not ranked["ranked"].all():
        st.caption(t("board.rank.unranked", n=stats.MIN_N))
    if table:
        # made and sent only while open: a network's 1,912 rows were converted and sent on
        # every rerun of every manager's board, a tenth of its server time, folded away
        whole = st.expander(t("board.rank.all", n=len(ranked)), key="rank_all", on_change="rerun")
        if whole.open:
            with whole:
                table, formats = _ranking_table(ranked, sel_label)
                rank = table.columns[0]
                dataframe(
                    table,
                    hide_index=True,
                    key="rank_table",
                    download=file,  # whose stores and which day
                    # the rank and the store kept in view: the rank narrow, or the two
                    # were more than Streamlit pins at a phone's width (60 % of it)
                    pin=2,
                    column_config={rank: {"width": 60}, **formats},
                )


def ranking_labels(linked: pd.DataFrame, sel_label: Labeler) -> list[tuple[str, str]]:
    """(store_id, link label) per linked store: its rank, name and NPS, and on a second,
    grey line its interval and n. One element a store: a link beside a caption in a row
    of their own were three, 60 of the network's board's 136 elements, and Streamlit's
    own work for each element is most of a rerun (a label does not wrap on a phone, its
    lines do)."""
    cols = ("store_id", "ranked", "rank", "nps", "low", "high", "n", "flag", "target")
    out = []
    for row_values in zip(*(linked[c].tolist() for c in cols), strict=True):
        r = dict(zip(cols, row_values, strict=True))
        store = sel_label(r["store_id"])
        if r["ranked"]:
            # beside its target, with the decimals that tell the two apart (81.996 against
            # 82 read "82.0 · target 82.0 (-0.0)")
            against = None if pd.isna(r["target"]) else r["target"]
            nps = fmt_num(r["nps"], against=against)
            text = t("board.rank.link", rank=int(r["rank"]), store=store, nps=nps)
            detail = t(
                "board.rank.detail",
                low=fmt_num(r["low"]),
                high=fmt_num(r["high"]),
                n=r["n"],
                flag=t("board.rank.low") if r["flag"] == "low" else "",
            )
            if not pd.isna(r["target"]):  # its own target beside it, and how far off
                d = i18n.digits_apart(r["nps"], r["target"], 1)
                detail += t(
                    "board.rank.vs_target",
                    target=fmt_num(r["target"], against=r["nps"]),
                    diff=i18n.fixed(r["nps"] - r["target"], d, sign=True),
                )
            text = f"{text}  \n:gray[{detail}]"
        else:
            text = t("board.rank.unranked_row", store=store, n=r["n"])
        out.append((r["store_id"], text))
    return out


def _rank_link(where, store_id: str, label: str) -> None:
    where.page_link(
        "pages/board.py", label=label, query_params={"store": store_id}, width="content"
    )


def ranking_links(ranked: pd.DataFrame) -> tuple[pd.DataFrame, int]:
    """The stores shown as links, and how many ranked stores are left out between the
    best and the worst: every store up to :data:`RANKING_LINKS`; beyond, the ranked ones
    only (all of them, or the best and the worst half each)."""
    if len(ranked) <= RANKING_LINKS:
        return ranked, 0
    scored = np.flatnonzero(ranked["ranked"].to_numpy(dtype=bool))  # positions, one take
    gap = max(0, len(scored) - RANKING_LINKS)
    half = RANKING_LINKS // 2
    return ranked.iloc[np.r_[scored[:half], scored[-half:]] if gap else scored], gap


def _ranking_table(ranked: pd.DataFrame, sel_label: Labeler) -> tuple[pd.DataFrame, dict]:
    """The whole ranking as one table: rank, store, NPS, its interval, n, the store's own
    target and NPS less it; and the formats of the last two, written as the links above
    write them (whole targets had read "74" beside the links' "target 74.0", and the gap
    "3.9" beside "+3.9")."""
    cols = {c: t_plain(f"board.rank.col.{c}") for c in RANK_COLUMNS}
    # a store's NPS, its target and the gap with the decimals that tell NPS and target
    # apart, row by row (81.996 against 82 read 82.0, 82.0 and -0.0)
    digits = [
        i18n.digits_apart(v, g, 1) for v, g in zip(ranked["nps"], ranked["target"], strict=True)
    ]

    def rounded(values: pd.Series) -> list[float]:
        return [round(v, d) for v, d in zip(values.tolist(), digits, strict=True)]

    gap = ranked["nps"] - ranked["target"]
    places = max(digits, default=1)
    formats = {
        cols["target"]: st.column_config.NumberColumn(format=f"%.{places}f"),
        cols["vs_target"]: st.column_config.NumberColumn(format=f"%+.{places}f"),
    }
    table = pd.DataFrame(
        {
            cols["rank"]: ranked["rank"],
            cols["store"]: list(map(sel_label, ranked["store_id"].tolist())),
            cols["nps"]: rounded(ranked["nps"]),
            cols["low"]: ranked["low"].round(1),
            cols["high"]: ranked["high"].round(1),
            cols["n"]: ranked["n"],
            cols["target"]: rounded(ranked["target"]),
            cols["vs_target"]: [g + 0.0 for g in rounded(gap)],  # + 0.0: never "-0.0"
        }
    )
    return table, formats


def target_editor(v: BoardView) -> None:
    """Expander to set the month's NPS target and milestones (a store's, or the default);
    shown only to a person who may set that target."""
    own, kind, month, target, tgt = v.own_target, v.kind, v.month, v.target, v.tgt
    if not can("targets.edit") or not person().sees_target(own):
        return
    # made and sent only while open, as the whole ranking is: a form nobody is using
    # cost every rerun of every manager's board its elements
    box = st.expander(t("board.target.header"), key="board_target_open", on_change="rerun")
    if not box.open:
        return
    with box:
        if kind in ("region", "stores"):
            st.info(t("board.target.region"))
            return
        if kind == "network":
            st.caption(t("board.target.for_all"))
        # forgotten while the section was closed, it read -100.0, its lowest value
        if reseed("_board_target_for", (own, month), ("board_target", "board_milestones")):
            st.session_state["board_target"] = target
            st.session_state["board_milestones"] = targets.format_milestones(_milestones(tgt))
        value = st.number_input(
            t("board.target.value", month=_month(month)),
            -100.0,
            100.0,
            step=0.5,
            key="board_target",
        )
        ms = st.text_input(t("board.target.milestones"), key="board_milestones")
        if st.button(t("board.target.save"), key="board_target_save"):
            try:
                if value is None:
                    raise ValueError(t("board.target.missing"))
                write(targets.set_target, own, month, value, targets.parse_milestones(ms))
                st.session_state.pop("_board_target_for", None)
                st.rerun()
            except targets.MilestoneError as exc:  # in the reader's language
                st.error(t("board.target.bad", error=t(exc.key, part=exc.part)))
            except ValueError as exc:
                st.error(t("board.target.bad", error=exc))


# --------------------------------------------------------------------------- callbacks tab


# The queue table's first columns: whom to call by when, within a phone's width (the
# status had been the seventh column, off its screen); the export keeps the file's order.
TABLE_FIRST = ("time_left", "status", "nps", "segment", "phone")
CARDS_SHOWN = 10  # callback cards shown first
CARDS_MORE = 20  # and added by each "show more" (a phone draws 500 cards in about 5 s)


def _to_latest(latest: date) -> None:
    st.session_state["board_date"] = latest


def callback_controls(lang: str) -> tuple:
    """The queue's notes slot and its controls (cards or table, closed ones too, only
    detractors): (slot, view_as, show_closed, only_detractors)."""
    notes = st.container()
    tl = bound_t(lang)
    f = st.container(horizontal=True, vertical_alignment="center")
    if st.session_state.get("cb_view") not in ("cards", "table"):  # set, not a default:
        st.session_state["cb_view"] = "cards"  # a switch of language sets it again
    view_as = f.segmented_control(
        t("board.cb.view"),
        ("cards", "table"),
        format_func=lambda k: tl(f"board.cb.view.{k}"),
        key=relabelled("cb_view"),
        required=True,
        label_visibility="collapsed",
    )
    closed = f.checkbox(t("board.cb.show_closed"), key="cb_show_closed")
    only_det = f.checkbox(t("board.cb.only_detractors"), key="cb_only_det")
    return notes, view_as, bool(closed), bool(only_det)


def callback_queue(v: BoardView, notes, view_as: str, latest: date, lang: str) -> None:
    """The callback queue as of the board's date: a card per customer (phones) or a table,
    CSV export, and the form to act on one answer (not when looking back at an earlier
    day: that view shows the follow-ups as they stood then)."""
    now, past = v.now, v.past
    with notes:
        if v.stale and not past:
            st.caption(t("board.cb.stale", latest=_stamp(v.latest_answer), now=_stamp(now)))
        st.caption(t("board.cb.clock", now=_stamp(now), days=followups.QUEUE_WINDOW_DAYS))
        if not past:
            undo_button()
        if past:
            st.info(t("board.cb.past", now=_stamp(now)))
            st.button(
                t("board.cb.to_latest", day=f"{latest:%Y-%m-%d}"),
                key="cb_to_latest",
                on_click=_to_latest,
                args=(latest,),
            )
    listed = v.queue  # the most urgent QUEUE_LISTED, worst first
    total, overdue, still_open = v.queue_size
    if not total:
        st.info(t("board.cb.empty"))
    else:
        # the headline's 'to call' is the open ones; the queue lists the contacted too
        # without the closed ones listed, the rest are the contacted only
        key = "board.cb.counts" if v.show_closed else "board.cb.counts_contacted"
        st.markdown(t(key, n=total, open=still_open, rest=total - still_open, overdue=overdue))
        if view_as == "table":  # in the cards' order: still to call first, detractors first
            shown = followups.display_queue(listed, lang)
            first = [t(f"board.cb.col.{c}") for c in TABLE_FIRST]
            order = [*first, *(c for c in shown.columns if c not in first)]
            dataframe(shown, hide_index=True, height=360, key="cb_table", column_order=order)
        else:
            _cards(listed, lang, actions=not past and can("callbacks.edit"))
        if len(listed) < total:
            st.caption(t("board.cb.listed", k=len(listed), n=total))
        who = cx_access.reader_key(person())  # read in the run: the click comes outside it
        st.download_button(
            t("board.cb.export"),
            lambda: board_view.queue_csv(v, who, lang),  # the whole queue, when clicked
            file_name=f"callbacks_{file_key(v.scope.key)}_{now:%Y%m%d}.csv",
            mime="text/csv",
            key="cb_export",
            # no rerun: a rerun begun by the click withdrew the file being asked for,
            # and a slow server then gave no file at all (a browser test saw it)
            on_click="ignore",
        )
        if not past and can("callbacks.edit"):
            _followup_form(listed, lang)
    if "_cb_flash" in st.session_state:  # the form is not drawn (it is drawn first)
        st.success(st.session_state.pop("_cb_flash")[1])
    if "_cb_toast" in st.session_state:  # an undo: nothing to tap beneath it now
        st.toast(st.session_state.pop("_cb_toast"))
    if st.session_state.pop("_cb_scroll", False):
        st.html(SCROLL_TO_QUEUE, unsafe_allow_javascript=True)
    if st.session_state.pop("_cb_scroll_form", False):
        st.html(SCROLL_TO_FORM, unsafe_allow_javascript=True)


DOUBLE_TAP = 2.5
"""Seconds after a card's tap in which a tap on another card is taken for the second
tap of a double tap: the tapped card leaves its place and the next one moves under the
finger (a slow double tap marked two customers, the second unnoticed)."""


@refusable
def _mark(response_id: str, status: str, lang: str, card: dict) -> None:
    """on_click of a card's status button; ``card``: the score, time and (masked) phone
    the card shows, which the confirmation names the customer by (a card shows no id).
    The next run offers to undo it (:func:`_undo`): 'unreachable' sits beside
    'contacted' on a phone, and a mis-tap closed the callback, five taps from being open
    again. Another card's tap within :data:`DOUBLE_TAP` seconds saves nothing and says
    so (tapped again, it saves); the same card's tap again changes nothing."""
    last = st.session_state.get("_cb_last_tap")
    if last is not None and time.monotonic() - last["at"] < DOUBLE_TAP:
        st.session_state["_cb_undo"] = last["undo"]  # the first tap's undo stays offered
        if last["undo"][0] != response_id:
            st.session_state["_cb_last_tap"] = None  # tapped again, it is meant
            st.session_state["_cb_not_saved"] = t("board.cb.double_tap", **card)
            return
    before = load(followups.current, response_id)
    if write(followups.set_followup, response_id, status) is None:
        return  # as it was already (a tap that reached the card it had just marked)
    after = load(followups.current, response_id)  # what the undo may take back, and when
    saved = t(
        "board.cb.saved_card",
        **card,
        status=i18n.t(f"board.status.{status}", lang),
        user=cx_access.who_shown(person().who, lang),
    )
    undo = (response_id, before, after, card, status, saved)
    st.session_state["_cb_undo"] = undo
    st.session_state["_cb_last_tap"] = {"at": time.monotonic(), "undo": undo}


@refusable
def _undo(response_id: str, before: dict, after: dict, card: dict | None = None) -> None:
    """on_click of 'undo': the follow-up as it was before the card's tap (logged too),
    unless it changed since the tap (a colleague resolved it meanwhile: kept, and said)."""
    st.session_state["_cb_last_tap"] = None  # a card tapped next is meant
    if not write(followups.undo_tap, response_id, before, after):
        st.session_state["_cb_toast"] = t("board.cb.undo_changed")
    elif card is not None:  # said, as the tap was (the tap's 'Saved' toast was all there was)
        status = t(f"board.status.{before['status']}")  # cx.followups.current: always one
        st.session_state["_cb_toast"] = t("board.cb.undone", **card, status=status)


def undo_button() -> None:
    """Right after a card's tap, the run after it: what was saved, and one tap to undo
    it, in the page where the reader looks (a toast there lay over the button for its
    first four seconds, when a mis-tap is undone); a tap taken for a double tap, said."""
    if "_cb_not_saved" in st.session_state:
        st.warning(st.session_state.pop("_cb_not_saved"))
    last = st.session_state.pop("_cb_undo", None)
    if last is None:
        return
    response_id, before, after, card, status, saved = last
    st.success(saved)
    st.button(
        t("board.cb.undo", **card, status=t(f"board.status.{status}")),
        key="cb_undo",
        icon=":material/undo:",
        on_click=_undo,
        args=(response_id, before, after, card),
    )


def _saved(response_id: str, status: str, lang: str) -> str:
    """'Saved: R… → contacted (by …)' after a follow-up was written, in ``lang``."""
    return t(
        "board.cb.saved",
        id=response_id,
        status=i18n.t(f"board.status.{status}", lang),
        user=cx_access.who_shown(person().who, lang),
    )


def _pick(response_id: str) -> None:
    """on_click of a card's 'details': the form below opens on this answer, scrolled
    into view."""
    st.session_state["cb_pick"] = response_id
    st.session_state["_cb_scroll_form"] = True


CARD_COMMENT, FORM_COMMENT = 200, 2000  # characters of a comment a card and the form show


def _clip(text: str, most: int) -> str:
    """``text`` cut to ``most`` characters, ending in "…" where it was cut."""
    return text if len(text) <= most else text[: most - 1].rstrip() + "…"


def _cards(queue: pd.DataFrame, lang: str, actions: bool = True) -> None:
    """One card per customer, in the order given (worst first): score, segment,
    due in / overdue by, masked phone, advisor, reason, and buttons to mark it contacted
    or unreachable."""
    total = len(queue)
    limit = min(total, st.session_state.get("cb_cards", CARDS_SHOWN))
    queue = queue.head(limit).reset_index(drop=True)
    shown = followups.display_queue(queue, lang)
    cols = {c: t(f"board.cb.col.{c}") for c in ("phone", "advisor", "pain_point", "comment")}
    for i, r in enumerate(queue.to_dict("records")):
        d = shown.iloc[i]
        rid = r["response_id"]
        due = followups.due_text(r["hours_left"], r["status"], lang)
        card = {
            "score": int(r["nps"]),
            "at": f"{r['responded_at']:%m-%d %H:%M}",
            "phone": d[cols["phone"]],
        }
        with st.container(border=True, key=f"cb_card_{rid}"):
            head = t(
                "board.cb.card_head",
                score=card["score"],
                segment=t(f"board.cb.segment.{r['segment']}"),  # one customer: singular
                due=due if r["status"] == "open" else t(f"board.status.{r['status']}"),
            )
            (st.error if r["overdue"] else st.info)(head, icon=None)
            st.caption(
                t(
                    "board.cb.card_meta",
                    at=card["at"],
                    store=r["store_id"],
                    phone=card["phone"],
                    advisor=d[cols["advisor"]],
                )
            )
            reason = d[cols["pain_point"]]  # '—' without one: a comment is not a reason
            if d[cols["comment"]] != i18n.GAP:  # a 30,000-character one had made its card
                # 14,000 px tall, every card below it out of reach: the form has more
                reason = f"{reason} · {_clip(d[cols['comment']], CARD_COMMENT)}"
            st.text(t_plain("board.cb.card_reason", reason=reason))
            if not actions:
                continue
            b = st.container(horizontal=True)
            # one tap for a call still to make; a called or closed answer changes in the
            # form (a tap had reopened a resolved one, or marked a contacted one unreachable)
            quick = ("contacted", "unreachable") if r["status"] == "open" else ()
            for status in quick:
                b.button(
                    t("board.cb.mark", status=t(f"board.status.{status}")),
                    key=f"cb_mark_{status}_{rid}",
                    on_click=_mark,
                    args=(rid, status, lang, card),
                )
            b.button(t("board.cb.details"), key=f"cb_details_{rid}", on_click=_pick, args=(rid,))
    if total > limit:
        st.caption(t("board.cb.shown", k=limit, n=total))
        more = min(CARDS_MORE, total - limit)
        st.button(t("board.cb.more", k=more), key="cb_more", on_click=_more, args=(limit + more,))


def _more(shown: int) -> None:
    """on_click of 'show more': the next cards of the queue (the count stays for the
    session, as the queue's other choices do)."""
    st.session_state["cb_cards"] = shown


def _reveal(response_id: str, lang: str) -> None:
    """An explicit, audited look at one customer's contact details (to call them back),
    for those who may (``pii.reveal``: within their stores, :func:`cx.access.perform`)."""
    if st.button(t("reveal.button"), key=f"cb_reveal_{response_id}"):
        st.session_state["_cb_revealed"] = (response_id, write(privacy.contact, response_id))
    shown = st.session_state.get("_cb_revealed")
    if shown and shown[0] == response_id:
        details = shown[1]
        colon = "：" if lang == "zh" else ": "  # 姓名：…, as the page's other Chinese labels
        st.text(
            " · ".join(
                f"{t_plain('reveal.' + k)}{colon}{v}" for k, v in details.items() if v is not None
            )
            or t_plain("fmt.no_data")
        )


def _followup_form(queue: pd.DataFrame, lang: str) -> None:
    """Pick an answer from the queue and set its status, owner, root cause and note (in
    the container ``cb_form``, which a card's 'details' scrolls to)."""
    with st.container(key="cb_form"):
        _followup_fields(queue, lang)


def _capital(text: str) -> str:
    """A status on its own (a picker's option) begins with a capital: 'Open', not 'open'
    (the same word in a sentence stays lower case)."""
    return text[:1].upper() + text[1:]


FORM_KEYS = ("cb_status", "cb_root", "cb_owner", "cb_note")  # the callback form's boxes
_FORM_KEPT = "_cb_form_kept"  # their answer, its label and values as last drawn
# What was typed into the form and not saved, per answer. The boxes are set from the
# database whenever their answer or its stored state changes: a note typed and then the
# same card's 'contacted' tapped, or the answer hidden by 'detractors only', lost it.
DRAFT_KEYS = ("cb_owner", "cb_note", "cb_root")  # the status is the card's tap's to set
_DRAFTS = "_cb_drafts"  # {response_id: {box: as typed}}
_SEEDED = "_cb_seeded"  # (response_id, {box: as set from the database}) of the last setting


def _keep_draft() -> None:
    """Before the form's boxes are set again: what was typed for the answer they were last
    set for, where it differs from what they were set to, is kept for that answer."""
    ss = st.session_state
    seeded = ss.get(_SEEDED)
    if seeded is None or any(k not in ss for k in DRAFT_KEYS):
        return  # nothing set yet, or boxes Streamlit forgot (another tab: _FORM_KEPT)
    rid, values = seeded
    typed = {k: ss[k] for k in DRAFT_KEYS if ss[k] != values.get(k)}
    drafts = ss.setdefault(_DRAFTS, {})
    if typed:
        drafts[rid] = typed
    else:
        drafts.pop(rid, None)


def _put_draft(rid: str, stored: dict) -> None:
    """The boxes of answer ``rid``, just set to ``stored``: what was typed for it and not
    saved put back over them (a draft that no longer differs is dropped)."""
    drafts = st.session_state.get(_DRAFTS) or {}
    typed = {k: v for k, v in (drafts.get(rid) or {}).items() if v != stored.get(k)}
    if not typed:
        drafts.pop(rid, None)
    for key, value in typed.items():
        st.session_state[key] = value


def _followup_fields(queue: pd.DataFrame, lang: str) -> None:
    tl = bound_t(lang)
    st.subheader(t("board.cb.act"))
    rows = queue.set_index("response_id")
    if "_cb_flash" in st.session_state:  # where the eye is: above the form, not below it
        saved, said = st.session_state.pop("_cb_flash")
        if saved not in rows.index:  # closed and out of the list: the form moved on
            said += " " + tl("board.cb.left_queue")
        st.success(said)
    labels = {  # made once per run: Streamlit labels every option on every rerun
        r["response_id"]: tl(
            "board.cb.pick_label",
            id=r["response_id"],
            score=r["nps"],
            at=f"{r['responded_at']:%m-%d %H:%M}",
            # overdue or due only while still to call (as the cards say)
            left=followups.time_left_text(r["hours_left"], lang)
            if r["status"] == "open"
            else tl(f"board.status.{r['status']}"),
        )
        for r in queue[["response_id", "nps", "responded_at", "hours_left", "status"]].to_dict(
            "records"
        )
    }
    # the chosen answer's label changes with its state (a card's tap: 'overdue 6 days' ->
    # 'contacted'); the browser keeps showing a chosen option's old label unless its value
    # is sent again, as after a switch of language (cx.ui.relabelled)
    kept = st.session_state.get(_FORM_KEPT)
    if "cb_pick" not in st.session_state and kept and kept["pick"] in labels:
        st.session_state["cb_pick"] = kept["pick"]  # another tab and back: the same answer
    chosen = st.session_state.get("cb_pick")
    if kept and chosen == kept["pick"] and labels.get(chosen, kept["label"]) != kept["label"]:
        st.session_state["cb_pick"] = chosen
    pick = st.selectbox(
        t("board.cb.pick"), list(labels), key=relabelled("cb_pick"), format_func=labels.get
    )
    row = rows.loc[pick]
    marker = (pick, str(row["updated_at"]))
    # forgotten on another tab, the form had the same answer with an empty owner and
    # note and 'open', which Save wrote over the stored ones: they come back as typed
    forgotten = any(k not in st.session_state for k in FORM_KEYS)
    if reseed("_cb_loaded", marker, FORM_KEYS):
        stored = {
            "cb_root": _text(row["root_cause"]),
            "cb_owner": privacy.shown_text(_text(row["owner"])),  # phones masked
            "cb_note": privacy.shown_text(_text(row["note"])),
        }
        if forgotten and kept and kept["marker"] == marker:
            for key, value in kept["values"].items():
                st.session_state[key] = value
        else:
            _keep_draft()
            st.session_state["cb_status"] = row["status"]
            st.session_state.update(stored)
            _put_draft(pick, stored)
        st.session_state[_SEEDED] = (pick, stored)
    if isinstance(row["comment"], str):  # its own name masked too, as on its card
        comment = privacy.mask_comment(row["comment"], row.get("customer_name"))
        st.caption(esc(_clip(comment, FORM_COMMENT)))
        if len(comment) > FORM_COMMENT:
            st.caption(t("board.cb.comment_cut", n=len(comment), shown=FORM_COMMENT))
    if can("pii.reveal"):
        _reveal(pick, lang)
    a1, a2 = st.columns(2)
    status = a1.selectbox(
        t("board.cb.status"),
        followups.STATUSES,
        format_func=lambda s: _capital(tl(f"board.status.{s}")),
        key=relabelled("cb_status"),
    )
    owner = a2.text_input(t("board.cb.owner"), key="cb_owner")
    root = st.selectbox(
        t("board.cb.root"),
        ["", *PAIN_POINTS],
        key=relabelled("cb_root"),
        format_func=lambda s: label(PAIN_POINTS, s, lang) if s else tl("board.cb.root_none"),
    )
    note = st.text_area(t("board.cb.note"), key="cb_note")
    seeded = st.session_state.get(_SEEDED)
    if (  # said while what was put back, or typed over it since, differs from the stored
        seeded is not None
        and seeded[0] == pick
        and pick in (st.session_state.get(_DRAFTS) or {})
        and any(st.session_state.get(k) != seeded[1].get(k) for k in DRAFT_KEYS)
    ):
        st.caption(t("board.cb.draft_kept"))
    st.session_state[_FORM_KEPT] = {
        "pick": pick,
        "label": labels[pick],
        "marker": marker,
        "values": {k: st.session_state.get(k) for k in FORM_KEYS},
    }
    if isinstance(row["updated_by"], str):
        by = cx_access.who_shown(row["updated_by"], lang)
        st.caption(t("board.cb.last_change", by=by, at=_stamp(row["updated_at"])))
    if st.button(t("board.cb.save"), key="cb_save", type="primary"):
        if status == "resolved" and not root:
            st.error(t("board.cb.need_root"))
        else:
            owner = privacy.kept_text(row["owner"], owner)  # the stars left: as stored
            note = privacy.kept_text(row["note"], note)
            (st.session_state.get(_DRAFTS) or {}).pop(pick, None)  # saved: no longer a draft
            # the boxes as saved are what they were set to: what is typed after a save
            # (one that changed nothing sets nothing again) is a draft of this answer
            st.session_state[_SEEDED] = (pick, {k: st.session_state.get(k) for k in DRAFT_KEYS})
            if write(followups.set_followup, pick, status, owner, note, root or None) is None:
                st.session_state["_cb_flash"] = (pick, t("board.cb.unchanged", id=pick))
            else:
                st.session_state["_cb_flash"] = (pick, _saved(pick, status, lang))
            st.rerun()


# --------------------------------------------------------------------------- report tab


def report_controls(p: Picked) -> tuple[str, date]:
    """The weekly report's period: calendar week of the board's date by default (following
    that date when it changes) or 7 days from a chosen day: (mode, picked day)."""
    first, day = p.first, p.day
    last = min(p.last, day)  # the board is as of its day: no report starts after it
    _report_from_url(day, first, last)
    mode = st.radio(
        t("report.mode"),
        report.REPORT_MODES,
        format_func={m: t(f"report.mode.{m}") for m in report.REPORT_MODES}.get,
        horizontal=True,
        key=relabelled("report_mode"),
    )
    moved = st.session_state.get("_report_for") != (day, mode)  # the board's date: follow
    if reseed("_report_for", (day, mode), ("report_start",)):
        pick = report.week_start(day) if mode == "week" else day - timedelta(days=6)
        if not moved:  # forgotten on another tab (it came back as today's date, clamped
            # to the data's last day): the one the address holds
            held = str(st.session_state.get(f"_board_qp_{REPORT_PARAM}") or "")
            with contextlib.suppress(ValueError):
                pick = date.fromisoformat(held.partition(":")[2])
        st.session_state["report_start"] = min(max(first, pick), last)
    keep_within("report_start", first, last)
    picked = st.date_input(
        t(f"report.pick.{mode}"), min_value=first, max_value=last, key="report_start"
    )
    # a week other than the board's own, or 7 days from a chosen day, is in the address: a
    # reload, or the link sent to a colleague, showed the board date's week again
    default = min(max(first, report.week_start(day)), last)
    chosen = None if (mode, picked) == ("week", default) else f"{mode}:{picked.isoformat()}"
    url_set(REPORT_PARAM, chosen)
    st.session_state[f"_board_qp_{REPORT_PARAM}"] = chosen
    return mode, picked


REPORT_PARAM = "report"  # ?report=week:2025-10-13 or days7:2025-10-07


def _report_from_url(day: date, first: date, last: date) -> None:
    """``?report=MODE:START`` picks the report's mode and start once per new value, before
    the widgets draw, and holds them against following the board's date."""
    raw = st.query_params.get(REPORT_PARAM)
    if not raw or raw == st.session_state.get(f"_board_qp_{REPORT_PARAM}"):
        return
    st.session_state[f"_board_qp_{REPORT_PARAM}"] = raw
    mode, _, start = str(raw).partition(":")
    try:
        picked = date.fromisoformat(start)
    except ValueError:
        return
    if mode in report.REPORT_MODES and first <= picked <= last:
        st.session_state["report_mode"] = mode
        st.session_state["report_start"] = picked
        st.session_state["_report_for"] = (day, mode)


def weekly_report(v: BoardView, title: str, lang: str) -> None:
    """The weekly report: Markdown, CSV and plain-text downloads, the text to copy, then
    the report itself."""
    if v.report is None:
        return
    summary, start, sel = v.report.summary, v.report.start, v.scope.key
    md = report.report_markdown(summary, title, lang)
    # a chat or an e-mail shows Markdown's marks as typed: the report as plain text too,
    # to download or to copy from the box (a code block: shown as text, with a copy button)
    text = report.report_text(summary, title, lang)
    row = st.container(horizontal=True)  # side by side (half the page apart in columns)
    # the files list every item (made when clicked, not on every rerun of the tab); the
    # page and the text to copy the first 20 of each list
    for kind, data, mime in (
        (
            "md",
            lambda: report.report_markdown(summary, title, lang, listed=None).encode("utf-8"),
            "text/markdown",
        ),
        ("csv", report.report_csv(summary, title, lang), "text/csv"),
        (
            "txt",
            lambda: report.report_txt(report.report_text(summary, title, lang, listed=None)),
            "text/plain",
        ),
    ):
        row.download_button(
            t(f"board.report.download_{kind}"),
            data,
            file_name=f"weekly_{file_key(sel)}_{start}.{kind}",
            mime=mime,
            key=f"report_{kind}",
            on_click="ignore",
        )
    if summary.get("stores") is not None and len(summary["stores"]):  # a region's, the network's
        row.download_button(
            t("board.report.download_stores"),
            lambda: report.stores_csv(summary, lang),
            file_name=f"weekly_{file_key(sel)}_{start}_stores.csv",
            mime="text/csv",
            key="report_stores_csv",
            on_click="ignore",
        )
    with st.expander(t("board.report.paste"), key="report_paste_box"):
        st.caption(t("board.report.paste_help"))
        # a box of its own height, the text scrolling inside: the copy button, at its top
        # right, stays in sight (on a phone it shows once the text is tapped, and a
        # week's text is several screens long: the tap had left it screens above)
        st.code(text, language=None, wrap_lines=True, height=PASTE_HEIGHT)
    st.markdown(on_page(md))


PASTE_HEIGHT = 320
"""The height (px) of the weekly report's text to copy: a phone's screen shows all of it
(the box and its copy button) below the section's title."""


def on_page(md: str) -> str:
    """The report's Markdown as the tab shows it: every heading two levels down, its
    dates kept whole (non-breaking hyphens). The file's title is the document's own
    heading; under the board's title it wrapped over four lines of a phone's screen,
    a date split after '2025-10-'."""
    return _HEADING.sub(lambda m: "##" + m[1] + " " + _DATE.sub("\\1\u2011\\2\u2011\\3", m[2]), md)


_HEADING = re.compile(r"^(#{1,4}) (.*)$", re.MULTILINE)
_DATE = re.compile(r"(\d{4})-(\d\d)-(\d\d)")


# --------------------------------------------------------------------------- the page


@dataclass
class Controls:
    """The board's widgets of this run: the view's options and the slots to render into."""

    tab: str
    period: str = "day"
    plan: str = ""
    show_closed: bool = False
    only_detractors: bool = False
    report_mode: str = "week"
    report_pick: date | None = None
    view_as: str = "cards"
    slots: dict = field(default_factory=dict)

    @property
    def options(self) -> tuple:
        """The view's options after (scope, day, clock, stale), in its order."""
        return (
            self.tab,
            self.period,
            self.plan,
            self.show_closed,
            self.only_detractors,
            self.report_mode,
            self.report_pick,
        )


def controls(p: Picked, lang: str) -> Controls:
    """Every widget of the board after the pickers, in the page's order, with empty slots
    where the view's figures go: the headline, the section picker, and the section's own
    widgets (period; a plan for the trend; the queue's controls; the report's period)."""
    tl = bound_t(lang)
    slots = {"headline": st.container()}
    c = Controls(tab=section_picker(lang))
    if c.tab == "board":
        c.period = st.selectbox(
            t("board.period"),
            report.PERIODS,
            format_func=lambda x: tl(f"board.period.{x}"),
            key=relabelled("board_period"),
            width=210,
        )
        slots["top"] = st.container()  # alerts, KPI strip, month to date
        slots["trend"] = st.container()
        with slots["trend"]:
            st.subheader(t("board.trend.header"))
            c.plan = plan_picker()
        slots["bottom"] = st.container()  # ranking, target editor
    else:
        c.period = st.session_state.get("board_period", report.PERIODS[0])
    if c.tab == "callbacks":
        slots["notes"], c.view_as, c.show_closed, c.only_detractors = callback_controls(lang)
    if c.tab == "report":
        c.report_mode, c.report_pick = report_controls(p)
    else:  # another section: the report's week leaves the address with it
        url_set(REPORT_PARAM, None)
    c.slots = slots
    return c


def render(v: BoardView, c: Controls, p: Picked, lang: str) -> None:
    """The board's figures into the slots of :func:`controls`; the URL follows."""
    # this run's store came by ?store= (read once: left set, it took a later tap's
    # scroll to the form back to the top)
    from_link = st.session_state.pop(STORE_FROM_LINK, False)
    with c.slots["headline"]:
        if v.kind != "network":
            stopped(v, p)
        headline(v)
    if v.tab == "board":
        with c.slots["top"]:
            # a store's own board: its drop beyond noise only (its callbacks are in the
            # headline, score patterns are for its region's and the network's boards)
            if v.kind != "store" or (v.drops is not None and not v.drops.empty):
                alerts(v, p.label)
            kpi_strip(v.kpis, v.period)
            month_to_date(v)
        with c.slots["trend"]:
            trend(v.trend)
        with c.slots["bottom"]:
            if v.kind != "store":
                ranking(v.ranked, p.label, f"ranking_{file_key(v.scope.key)}_{v.day}")
            target_editor(v)
    if v.tab == "callbacks":
        callback_queue(v, c.slots["notes"], c.view_as, p.latest, lang)
    if v.tab == "report":
        weekly_report(v, p.label(p.sel), lang)
    if st.session_state.pop("_tab_scroll", False) and v.tab != TABS[0]:
        st.html(SCROLL_TO_QUEUE, unsafe_allow_javascript=True)  # the section bar on top
    elif from_link:  # another store's board by a link
        # within the page (the ranking's): from the top (a region manager's tap opened it
        # 1,900 px down, where the ranking had been)
        st.html(SCROLL_TO_TOP, unsafe_allow_javascript=True)
    mirror_to_url(p.sel, v.day, v.tab, v.period)
