"""The CX overview's view: one month's metric cards against their targets, the 12-month
sparklines, the touchpoints, what moved, and what the target editor needs."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date

import duckdb
import pandas as pd

from cx import metric_targets, metrics, overview, rules
from cx.overview import MetricCard, TouchpointCard
from cx.queries import board as qb
from cx.queries import cx_overview as q
from cx.queries import date_bounds as q_bounds
from cx.queries import no_followups
from cx.scope import Scope

SPARK_MONTHS = 12
"""Months in each sparkline (the shown month and the eleven before it)."""


@dataclass(frozen=True)
class OverviewView:
    months: tuple[date, ...]  # every month with answers, newest first (empty: no data)
    month: date | None = None  # the month shown
    prev: date | None = None  # the month it is compared with
    scope_key: str = "ov.scope.all"  # text naming the scope, and its values
    scope_fmt: tuple[tuple[str, str], ...] = ()
    cards: tuple[MetricCard, ...] = ()  # one per registry metric, registry order
    spark: pd.DataFrame | None = None  # month, metric, value (display units)
    touchpoints: tuple[TouchpointCard, ...] = ()
    moved: tuple[MetricCard | TouchpointCard, ...] = ()  # the largest real changes
    targets: tuple[tuple[str, float | None], ...] = ()  # metric -> target in use
    target_store: str = metric_targets.ALL  # where a target set here is saved
    editable: tuple[str, ...] = ()  # metrics whose target the editor may change
    # the days the month counts and the sidebar's dates, when these leave some of those
    # days out or take the month in from outside (the page says it counts the month whole)
    dates_apart: tuple[date, date, date, date] | None = None
    # (stores with answers in the month, stores that had some in the month before) when the
    # month has fewer: its first days loaded for some stores read as the whole network's
    stores_so_far: tuple[int, int] | None = None
    # (store_id, latest day) of the stores whose answers stop before the month's last day
    # with data: the month's figures lack their days (a store's October read whole)
    silent: tuple[tuple[str, date], ...] = ()
    # where the NPS target came from (cx.targets.SOURCES) and how many store targets it
    # averages: a network's target made of one store's read as the network's own
    nps_target_source: tuple[str, int] = ("none", 0)
    # Names this view as worked out once (kept with it by the page's cache): the page makes
    # each card's sparkline once per token and language (cx.ui.kept_spec).
    token: str = field(default_factory=lambda: uuid.uuid4().hex, compare=False)

    @property
    def empty(self) -> bool:
        return not self.months

    def card(self, key: str) -> MetricCard:
        return next(c for c in self.cards if c.key == key)


@no_followups
def view(con: duckdb.DuckDBPyConnection, scope: Scope, month: date | None = None) -> OverviewView:
    """The overview of ``scope``'s stores for ``month`` (when it has answers; else the
    month of the scope's end date, else the newest). The scope's dates pick the default
    month only: the overview works in calendar months."""
    stores = Scope(scope.regions, scope.stores)
    # the scope's own months: the network's newest is none of a store's that stopped
    months = tuple(q.months_of(con, stores)) or tuple(q.months(con))
    if not months:
        return OverviewView(())
    month = overview.pick_month(list(months), month, scope.end)
    bounds = q_bounds(con)  # the data's first and last day
    monthly = q.monthly_inputs(con, stores, rules.add_months(month, 1 - SPARK_MONTHS), month)
    split = q.quantile_split(con, stores, month)
    nps_target, nps_source, nps_stores = q.nps_target_source(con, stores, month, bounds[1])
    targets = metric_targets.resolve(q.metric_targets(con), scope.stores, nps_target)
    cards = overview.compute(monthly, month, targets, split)
    tps = overview.touchpoints(monthly, month)
    key, fmt = overview.scope_text(scope.regions, scope.stores)
    return OverviewView(
        months,
        month,
        rules.previous_month(month),
        key,
        tuple(fmt.items()),
        tuple(cards),
        overview.series(monthly),
        tuple(tps),
        tuple(overview.moved(cards, tps)),
        tuple(targets.items()),
        metric_targets.scope_store(scope.stores),
        tuple(k for k, m in metrics.METRICS.items() if m.editable),
        _dates_apart(month, scope, bounds),
        _stores_so_far(con, stores, month),
        silent=_silent(con, stores, month, bounds[1]),
        nps_target_source=(nps_source, nps_stores),
    )


def _stores_so_far(
    con: duckdb.DuckDBPyConnection, scope: Scope, month: date
) -> tuple[int, int] | None:
    """(stores of ``scope`` with answers in ``month``, in the month before) when fewer
    have some in ``month``: a new month's first uploads came for 4 of 44 stores, and the
    overview compared them, as "all stores", with October's 44."""
    now, before = q.stores_with_answers(con, scope, month, rules.previous_month(month))
    return (now, before) if now < before else None


def _silent(con: duckdb.DuckDBPyConnection, scope: Scope, month: date, last: date | None) -> tuple:
    """The stores of ``scope`` whose answers stop before ``month``'s last day with data
    (:func:`cx.queries.board.silent_stores` on the data's ``last`` day), with their latest."""
    if last is None or last < month:
        return ()
    end = min(rules.month_end(month), last)
    return tuple(pair for pair in qb.silent_latest(con, scope, last) if pair[1] < end)


def _dates_apart(
    month: date, scope: Scope, bounds: tuple[date | None, date | None]
) -> tuple[date, date, date, date] | None:
    """(first, last day the month counts, the sidebar's first, last day) when the sidebar's
    dates do not cover the month's days with answers (``bounds``: the data's first and
    last day): the overview counts the month whole (a region manager reading 1-15 October
    in the sidebar read the whole of October under "2025-10", beside a quadrant counting
    1-15)."""
    if scope.start is None or scope.end is None:
        return None
    first, last = bounds
    if first is None or last is None:
        return None
    start, end = max(month, first), min(rules.month_end(month), last)
    if scope.start <= start and scope.end >= end:
        return None
    return (start, end, scope.start, scope.end)
