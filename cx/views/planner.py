"""The What-if planner's view: the data side of the planner for one store and month.

What the planner reads from the database, computed once per (scope, month, tracked
month): the months with answers, the "my store" plan (the classic projects on the
store's own baseline, volume, goal and pain-point mix), the pain-point conversion table
at every share the slider offers, and this month's tracking against the planned path.
The plan being edited (its table, sliders and toggles) lives in the session and is
simulated by :mod:`cx.planner` in the page's fragment; it is not data.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import duckdb
import pandas as pd

from cx import planner as P
from cx import rules
from cx.queries import board as board_q
from cx.queries import no_followups
from cx.queries import planner as q
from cx.scope import Scope

CONVERT_SHARES = tuple(range(0, 101, 5))
"""The shares (percent) of a pain point's detractors the conversion slider offers."""
MY_STORE_BUDGET = 45000


@dataclass(frozen=True)
class Convert:
    """Detractors by pain point in the month and the NPS gain from converting a share."""

    n: int
    d: int
    rows: dict[int, tuple[dict, ...]]  # share -> cx.planner.pain_point_table rows


@dataclass(frozen=True)
class Tracking:
    """A month's actual month-to-date NPS against the planned path from the month before."""

    month: date
    prev: date
    start: float
    goal: float
    days: int
    path: pd.DataFrame  # day, nps
    actual: pd.DataFrame  # cx.queries.planner.mtd_daily
    day_no: int
    mtd: float
    cum_n: int
    planned_now: float
    need: float | None
    day28: dict | None  # cx.planner.day28_check on day 28, once the month is that far
    mtd28: float | None
    done: bool
    # the store's answers stop before the month's end while the data runs on: (its latest
    # day, the data's last), as its board says it (cx.queries.board.silent_stores)
    stopped: tuple[date, date] | None = None
    # the goal is the month's target (cx.targets); else last month's NPS rounded plus 5
    targeted: bool = True

    @property
    def hit(self) -> bool:
        return self.mtd >= self.goal


@dataclass(frozen=True)
class PlannerView:
    scope: Scope
    store: str | None
    months: tuple[date, ...]  # months with answers, newest first
    period: date | None  # the month the plan starts from
    # (Baseline, projects, the goal is the plan month's target) of the "my store" preset;
    # None without data
    my_store: tuple | None
    convert: Convert | None
    track_month: date | None
    tracking: Tracking | None


def goal(con: duckdb.DuckDBPyConnection, scope: Scope, month: date, start_nps: float) -> float:
    """The month's NPS target of the scope, else the start rounded plus 5 (at most 100)."""
    target = q.month_target(con, scope, month)
    return target if target is not None else min(100.0, round(start_nps) + 5.0)


def _month(scope: Scope, month: date) -> Scope:
    return scope.places().days(month, rules.month_end(month))


def my_store(
    con: duckdb.DuckDBPyConnection, scope: Scope, period: date, counts: dict, pains: pd.DataFrame
) -> tuple | None:
    """The classic projects on the scope's own baseline, volume, goal and pain-point mix
    (``counts`` and ``pains``: ``period``'s :func:`cx.queries.planner.baseline_counts` and
    :func:`cx.queries.planner.detractors_by_pain`), and whether the goal is the plan
    month's own target (else the baseline rounded plus 5: the page says which)."""
    if not counts["n"]:
        return None
    plan_month = rules.next_month(period)
    days = rules.month_end(plan_month).day
    n_exp = max(1, q.expected_answers(con, scope.places(), rules.month_end(period), days))
    total = int(pains["detractors"].sum())
    mix = {r.pain_point: r.detractors / total for r in pains.itertuples() if r.pain_point}
    base = P.Baseline(
        nps=counts["nps"], d=counts["d"], pa=counts["pa"], p=counts["p"], n_expected=n_exp,
        goal=goal(con, scope, plan_month, counts["nps"]), budget=MY_STORE_BUDGET, days=days,
        pain_mix=mix if total else None,
    )  # fmt: skip
    targeted = q.month_target(con, scope, plan_month) is not None
    return base, tuple(P.fit_days(P.get_preset("classic_30day")[1], days)), targeted


def convert(counts: dict, pains: pd.DataFrame) -> Convert | None:
    """A period's detractors turned passive per pain point (``counts`` and ``pains`` as
    :func:`my_store` takes them)."""
    if not counts["n"] or pains.empty:
        return None
    by_pain = dict(zip(pains["pain_point"], pains["detractors"], strict=True))
    rows = {s: tuple(P.pain_point_table(by_pain, counts["n"], s / 100)) for s in CONVERT_SHARES}
    return Convert(counts["n"], counts["d"], rows)


def tracking(con: duckdb.DuckDBPyConnection, scope: Scope, month: date) -> Tracking | None:
    """``month``'s tracking; None without a start (no answers the month before) or answers."""
    prev = rules.previous_month(month)
    start = q.baseline_counts(con, _month(scope, prev))["nps"]
    actual = q.mtd_daily(con, scope.places(), month)
    if start is None or actual.empty:
        return None
    gl = goal(con, scope, month, start)
    days = rules.month_end(month).day
    path = pd.DataFrame(P.planned_path(start, gl, days), columns=["day", "nps"])
    last = actual.iloc[-1]
    day_no = int(last["day_no"])
    planned_now = float(path.loc[path["day"] == day_no, "nps"].iloc[0])
    n_left = round(last["cum_n"] / day_no * (days - day_no))
    need = P.required_nps_remaining(gl, last["mtd_nps"], int(last["cum_n"]), n_left)
    day28 = mtd28 = None
    upto = actual[actual["day_no"] <= 28]
    if not upto.empty and day_no >= 28:
        row = upto.iloc[-1]
        day28 = P.day28_check(gl, row["mtd_nps"], int(row["cum_n"]), row["cum_n"] / 28, days)
        mtd28 = float(row["mtd_nps"])
    # a store whose answers stop on the 5th of a month the data has whole read as a month
    # still running ("day 5 at 100.0, the rest need 6.4", the trainer walk)
    data_last = board_q.latest_day(con, Scope())
    until = min(rules.month_end(month), data_last) if data_last else None
    stopped = None
    if until is not None and until.day > day_no:
        silent = board_q.silent_stores(con, scope.places(), until, within=None)
        if not silent.empty:
            stopped = (pd.Timestamp(silent["latest"].iloc[0]).date(), data_last)
    return Tracking(
        month=month, prev=prev, start=float(start), goal=float(gl), days=days, path=path,
        actual=actual, day_no=day_no, mtd=float(last["mtd_nps"]), cum_n=int(last["cum_n"]),
        planned_now=planned_now, need=need, day28=day28, mtd28=mtd28, done=day_no == days,
        stopped=stopped, targeted=q.month_target(con, scope, month) is not None,
    )  # fmt: skip


@no_followups
def months(con: duckdb.DuckDBPyConnection, scope: Scope) -> tuple[date, ...]:
    """The months with answers in the scope's stores, newest first."""
    return tuple(q.months(con, scope.places())[::-1])


@no_followups
def view(
    con: duckdb.DuckDBPyConnection,
    scope: Scope,
    period: date | None = None,
    track_month: date | None = None,
) -> PlannerView:
    """The planner's data for ``scope`` (the planner's store), planning from ``period``
    and tracking ``track_month`` (each: the last full month with answers when not given
    or not one of the scope's months)."""
    scope = scope.places()
    got = months(con, scope)
    full = q.last_full_month(con)
    default = (full if full in got else got[0]) if got else None
    period = period if period in got else default
    track_month = track_month if track_month in got else default
    counts = pains = None
    if period:  # the period's counts and pain points, read once for both parts
        counts = q.baseline_counts(con, _month(scope, period))
        pains = q.detractors_by_pain(con, _month(scope, period))
    return PlannerView(
        scope=scope,
        store=scope.store,
        months=got,
        period=period,
        my_store=my_store(con, scope, period, counts, pains) if period else None,
        convert=convert(counts, pains) if period else None,
        track_month=track_month,
        tracking=tracking(con, scope, track_month) if track_month else None,
    )
