"""The daily NPS board's view: everything the board shows for one scope and one day.

The board is "as of" one day (``day``): its KPI period, month-to-date pace, trend, alerts
and callback queue follow from that day, not from the sidebar's date range (only the
sidebar's stores are the board's scope). The callback queue's clock (``clock``, ``stale``:
:func:`cx.followups.queue_now`) is passed in so the cached view keys on it: real time to
the minute, or the end of the latest answer's day for a stale database (then the key, and
the cached view, stay the same from minute to minute).
"""

from __future__ import annotations

import functools
import uuid
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

import duckdb
import pandas as pd

from cx import (
    access,
    demo,
    export,
    followups,
    i18n,
    planner,
    report,
    rules,
    signals,
    stats,
    targets,
)
from cx.queries import board as q
from cx.queries import followups_by_store, no_followups
from cx.queries import kept as kept_frames
from cx.queries import planner as qp
from cx.queries import segments as seg_q
from cx.scope import Scope

CMP_KEY = "yesterday"
"""The headline's day figure is compared with this comparison of the day KPIs."""

QUEUE_LISTED = 500
"""Callback-queue answers the view loads and the page lists at most, worst first: the
network's queue held 331,000 answers at 10 million (1.2 s and 84 MB in the cache on
every run), which no one reads on a page; the export makes the whole queue when clicked
(:func:`queue_csv`)."""


@dataclass(frozen=True)
class Due:
    """The headline's callback card: overdue, overdue detractors, due within 24 h, open."""

    overdue: int
    dets: int
    today: int
    open: int

    @property
    def total(self) -> int:
        return self.overdue + self.today


@dataclass(frozen=True)
class Trend:
    rolled: pd.DataFrame  # date, daily and rolling NPS (cx.stats.rolling_nps) since last month
    targets: tuple[tuple[date, date, float], ...]  # (month start, month end, target)
    milestones: tuple[tuple[date, float], ...]  # a picked plan's, else the target's
    # Names this trend as worked out once (kept with it by the page's cache): the page draws
    # its chart once per token and language (cx.ui.kept_spec).
    token: str = field(default_factory=lambda: uuid.uuid4().hex, compare=False)


@dataclass(frozen=True)
class Report:
    start: date
    end: date
    summary: dict  # cx.report.weekly_summary


@dataclass(frozen=True)
class BoardView:
    scope: Scope
    kind: str  # Scope.kind: network, region, store, stores
    day: date
    month: date
    tab: str
    period: str
    tgt: dict | None  # the month's target (cx.queries.board.target_for)
    latest_answer: datetime | None
    now: datetime  # the queue's "as of" moment
    stale: bool
    past: bool  # an earlier day: follow-ups as they stood then, read only
    day_kpis: dict  # cx.report.kpis of the day
    comparison: dict | None  # the day against CMP_KEY, with its "key"
    due: Due
    overdue: pd.DataFrame  # per store with overdue detractor callbacks
    overdue_total: int
    # the board tab (None elsewhere)
    kpis: dict | None = None
    drops: pd.DataFrame | None = None
    ranked: pd.DataFrame | None = None
    trend: Trend | None = None
    # the callbacks tab: at most QUEUE_LISTED answers, worst first; the whole queue's
    # size and overdue answers; the filters it was read with (for the export)
    queue: pd.DataFrame | None = None
    queue_size: tuple[int, int, int] = (0, 0, 0)  # listed, overdue, still open
    show_closed: bool = False
    only_detractors: bool = False
    # the report tab
    report: Report | None = None

    @property
    def target(self) -> float | None:
        return self.tgt["nps_target"] if self.tgt else None

    @property
    def mtd(self) -> dict:
        return self.day_kpis["mtd"]

    @property
    def own_target(self) -> str:
        """The target row the board's editor changes: the store's, else the default."""
        return self.scope.store if self.kind == "store" else targets.DEFAULT


def _due(counts: pd.DataFrame) -> Due:
    """The queue's totals from :func:`cx.queries.board.queue_counts`."""
    return Due(
        overdue=int(counts["overdue_all"].sum()),
        dets=int(counts["overdue"].sum()),
        today=int(counts["due_today"].sum()),
        open=int(counts["open"].sum()),
    )


def _plan_milestones(con: duckdb.DuckDBPyConnection, plan: str, month: date) -> tuple:
    """The weekly milestones of a saved what-if plan, placed on the board's month."""
    payload = qp.scenario_payload(con, plan) if plan else None
    if not payload:
        return ()
    _name, base, _projects = planner.scenario_from_json(payload)
    last = report.month_end(month).day
    return tuple(
        (month.replace(day=min(day, last)), nps)
        for day, nps in planner.milestones(base.nps, base.goal, base.days)
    )


def trend_start(month: date) -> date:
    """The first day the trend reads: a week before the previous month (its rolling NPS)."""
    return rules.previous_month(month) - timedelta(days=6)


def trend(
    con: duckdb.DuckDBPyConnection,
    scope: Scope,
    day: date,
    month: date,
    tmonths: dict[date, dict | None],
    plan: str = "",
    days: pd.DataFrame | None = None,
) -> Trend | None:
    """Daily and rolling NPS since the previous month began, with the months' targets
    (``tmonths``: :func:`cx.queries.board.targets_for` of the previous month and
    ``month``) and the milestones (a picked plan's, else the target's); None without
    answers. ``days``: :func:`cx.queries.board.daily_series` from at most
    :func:`trend_start` to ``day``, when the caller has read it."""
    prev_month = rules.previous_month(month)
    start = trend_start(month)
    if days is None:
        series = q.daily_series(con, scope, start, day)
    else:
        series = days[days["date"] >= pd.Timestamp(start)].reset_index(drop=True)
    if series.empty:
        return None
    rolled = stats.rolling_nps(series[["date", "d", "pa", "p"]])
    rolled = rolled[pd.to_datetime(rolled["date"]) >= pd.Timestamp(prev_month)]
    tgt = tmonths.get(month)
    # the targets over the days the trend has: a new store's three days had been pressed
    # against the right edge under the target of a month without its answers
    first = pd.Timestamp(rolled["date"].min()).date() if len(rolled) else prev_month
    segs = tuple(
        (max(mo, first), report.month_end(mo), v["nps_target"])
        for mo, v in tmonths.items()
        if v and report.month_end(mo) >= first
    )
    miles = _plan_milestones(con, plan, month) or tuple(
        targets.milestone_dates(month, tgt["milestones"] if tgt else {})
    )
    return Trend(rolled.reset_index(drop=True), segs, miles)


def gaming_window(day: date) -> tuple[date, date]:
    """The days :func:`gaming_flags` reviews: the review's window ending on ``day``."""
    return day - timedelta(days=signals.WINDOW_DAYS - 1), day


@no_followups
def gaming_flags(con: duckdb.DuckDBPyConnection, scope: Scope, day: date) -> tuple[dict, ...]:
    """The score-gaming flags of a network's or region's stores over the review's window
    up to ``day`` (:func:`cx.signals.gaming_flags`; a store's board shows none). Loaded
    apart from :func:`view`: it depends on the stores and the day only, so another
    period, tab or plan reuses it (at 10 million answers it is 165 ms)."""
    scope = scope.places()
    if scope.kind == "store":
        return ()
    # the segments page's review of the same stores, over the window ending on the day (the
    # network's as every write keeps it for the latest day)
    window = Scope(scope.regions, scope.stores, *gaming_window(day))
    return tuple(seg_q.gaming_summary(con, window)[1])


def _silent_at(con: duckdb.DuckDBPyConnection, scope: Scope, end: date) -> tuple:
    """(store_id, latest day) of the stores of a region or the network whose answers stop
    before ``end`` while the others' reach it (:func:`cx.queries.board.silent_stores`):
    the report's figures lack their days, and a manager forwards it as whole."""
    if scope.kind == "store" or not q.answers_on(con, scope, end):
        return ()
    return q.silent_latest(con, scope, end)


@followups_by_store
def view(
    con: duckdb.DuckDBPyConnection,
    scope: Scope,
    day: date,
    clock: datetime,
    stale: bool = False,
    tab: str = "board",
    period: str = "day",
    plan: str = "",
    show_closed: bool = False,
    only_detractors: bool = False,
    report_mode: str = "week",
    report_pick: date | None = None,
) -> BoardView:
    """The board for ``scope``'s stores as of ``day``, with what ``tab`` shows."""
    scope = scope.places()
    # the network's board tab reads its kept frames in one query
    frames = q.NETWORK_BOARD_FRAMES if scope.kind == "network" and tab == "board" else ()
    with kept_frames.together(con, frames):
        month = rules.month_start(day)
        # the trend's too; a region's or the network's weighs its stores' targets by their
        # answers as of the day, as its month to date counts them
        both = q.targets_for(con, scope, (rules.previous_month(month), month), day)
        tgt = both[month]
        target = tgt["nps_target"] if tgt else None
        latest_answer = q.latest_answer(con)
        now, past = followups.moment(day, clock, q.latest_day(con, scope))
        window = followups.QUEUE_WINDOW_DAYS
        counts = q.queue_counts(con, scope, now, window, past)
        overdue = q.overdue_by_store(con, scope, now, window, past, counts=counts)
        # the days the KPIs (and on the board tab the trend) need, summed per day in one read
        k_ranges = report.board_ranges(day, "day")
        p_ranges = report.board_ranges(day, period) if tab == "board" else ()
        ranges = k_ranges + p_ranges
        first = min(r[1] for r in ranges)
        if tab == "board":
            first = min(first, trend_start(month))
        days = q.daily_series(con, scope, first, max(r[2] for r in ranges))
        k_day = report.kpis(q.sum_ranges(days, k_ranges), day, "day", target)
        cmp_ = k_day["comparisons"].get(CMP_KEY)
        parts: dict = {}
        if tab == "board":
            parts["kpis"] = report.kpis(q.sum_ranges(days, p_ranges), day, period, target)
            ranges = report.store_ranges(day)
            # the stores' counts only when a drop or ranking is not kept: the network's both
            # are, and its 1,912 stores' counts were read for nothing
            per_store = functools.cache(lambda: q.store_counts(con, scope, ranges))
            # a store's own drop too: its manager is the one to act on it (its board had no
            # alerts, while its region's named its 7 days 38.8 below the 8 weeks before)
            parts["drops"] = q.store_drops(con, scope, ranges, per_store)
            if scope.kind != "store":
                # each store beside its own target: a store ranked fourth was 7.5 below its own
                parts["ranked"] = q.store_ranking(con, scope, month, ranges, per_store)
            parts["trend"] = trend(con, scope, day, month, both, plan, days)
        elif tab == "callbacks":
            args = (con, scope, now, window, show_closed, past, only_detractors)
            parts["queue"] = q.callback_queue(*args, limit=QUEUE_LISTED)
            parts["queue_size"] = q.queue_size(*args)
            parts["show_closed"], parts["only_detractors"] = show_closed, only_detractors
        elif tab == "report" and report_pick is not None:
            start, end = report.report_period(report_mode, report_pick, day)
            end_target = q.target_for(con, scope, rules.month_start(end), end) or {}
            # the latest day's callbacks are worked as of now (the queue beside it): its
            # report reads them as they are, an earlier day's as they stood then
            states_at = now if past else followups.AS_THEY_ARE
            data = q.week_report_data(con, scope, start, now, end, states_at)
            data["silent"] = _silent_at(con, scope, end)
            data["demo"] = demo.demo_rows(con, scope.days(start, end))
            summary = report.weekly_summary(data, end_target.get("nps_target"))
            parts["report"] = Report(start, end, summary)
        return BoardView(
            scope=scope,
            kind=scope.kind,
            day=day,
            month=month,
            tab=tab,
            period=period,
            tgt=tgt,
            latest_answer=latest_answer,
            now=now,
            stale=stale,
            past=past,
            day_kpis=k_day,
            comparison=(cmp_ | {"key": CMP_KEY}) if cmp_ is not None else None,
            due=_due(counts),
            overdue=overdue,
            overdue_total=int(overdue["overdue"].sum()),
            **parts,
        )


def no_access(who: access.Person, lang: str) -> str:
    """The app's sentence for a person who sees no store, in ``lang``: no grant (the 'No
    access' page's), or regions without a store (the warning atop every page)."""
    if not who.has_access:
        return i18n.t("access.none.text", lang, email=who.email or "")
    sep = i18n.t("fmt.sep_list", lang)
    return i18n.t("access.no_stores", lang, regions=sep.join(who.regions))


def queue_csv(v: BoardView, scope_key: tuple, lang: str) -> bytes:
    """The whole callback queue of ``v`` (its scope, moment and filters) as the page's
    CSV export (:func:`cx.followups.display_queue`: personal data masked; formulas
    neutralised), read when the button is clicked, on its own connection limited to the
    stores of the person whose :func:`cx.access.reader_key` (or
    :func:`cx.access.scope_key`) is ``scope_key``. A person who sees no store by then
    (their grant revoked while the page stood open) gets the app's sentence for it in
    the file instead of a header alone, which read as an empty queue."""
    with access.scoped_reader(scope_key) as (who, con):
        if who.sees_no_store():
            return export.to_csv_bytes(pd.DataFrame(columns=[no_access(who, lang)]))
        queue = q.callback_queue(
            con,
            v.scope,
            v.now,
            followups.QUEUE_WINDOW_DAYS,
            v.show_closed,
            v.past,
            v.only_detractors,
        )
    return export.to_csv_bytes(followups.display_queue(queue, lang, gap=""))
