"""The CJI heatmap's view: stores x touchpoints with the weights in use, one store by week,
and which touchpoint the answers say matters most (importance against the weights)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date

import duckdb
import pandas as pd

from cx import analysis, rules
from cx.enums import TP_KEYS
from cx.frames import store_labels
from cx.queries import heatmap as q
from cx.queries import no_followups
from cx.queries.heatmap import weekly_start
from cx.scope import Scope

ORDERS = ("cji_desc", "cji_asc", "store")
CALLED = ("stronger", "weaker")
"""Verdicts that say the data disagrees with a weight (the interval excludes it)."""


@dataclass(frozen=True)
class HeatmapView:
    window: tuple[date, date] | None  # the filter's dates (None: no data at all)
    prev_window: tuple[date, date] | None  # the period before (cx.rules.previous_window)
    ranked: pd.DataFrame | None = None  # analysis.cji_table, ranked, plus 'store' label
    stores: tuple[tuple[str, str], ...] = ()  # (store_id, label) for the weekly picker
    store: str | None = None  # the store the weekly view shows
    weekly: pd.DataFrame | None = None  # its cji_table by week, plus 'label'
    ipa: pd.DataFrame | None = None  # analysis.ipa_table + low, high, verdict
    imp_cut: float | None = None
    perf_cut: float | None = None
    r2: float | None = None
    corr_n: float | None = None  # complete answers the importance is computed from
    called: tuple[str, ...] = ()  # touchpoints whose interval excludes their weight
    # Names this view as worked out once (kept with it by the page's cache): the page makes
    # its charts and its ranking once per token and language (cx.ui.kept).
    token: str = field(default_factory=lambda: uuid.uuid4().hex, compare=False)

    @property
    def empty(self) -> bool:
        return self.ranked is None or self.ranked.empty

    @property
    def has_ipa(self) -> bool:
        return self.ipa is not None and not self.ipa["importance"].isna().all()


# Complete answers the importance map needs: ten for each touchpoint it weighs. Fewer,
# and the seven weights fit the answers whatever they hold: eight answers of one store over
# two days explained "100 % (R² = 1.00)" and were said to differ from the assumed weights.
IPA_MIN_N = 10 * len(TP_KEYS)


@no_followups
def view(
    con: duckdb.DuckDBPyConnection,
    scope: Scope,
    weights: tuple[float, ...],
    order: str = "cji_desc",
    store: str | None = None,
) -> HeatmapView:
    """The heatmap of ``scope`` with ``weights`` (fractions in :data:`cx.enums.TP_KEYS`
    order, summing to 1), ranked by ``order``; the weekly view of ``store`` (the first
    store when it is not in the scope)."""
    if order not in ORDERS:
        raise ValueError(f"unknown order {order!r}")
    if scope.start is None or scope.end is None:
        return HeatmapView(None, None)
    w = dict(zip(TP_KEYS, weights, strict=True))
    prev = rules.previous_window(scope.start, scope.end)
    sums, prev_sums = q.store_sums_pair(con, scope, Scope(scope.regions, scope.stores, *prev))
    if sums.empty:
        return HeatmapView((scope.start, scope.end), prev)
    table = analysis.cji_table(sums, w, prev_sums)
    table["store"] = store_labels(table["store_id"], table["store_name"])
    stores = tuple(zip(table["store_id"], table["store"], strict=True))
    if store not in table["store_id"].values:
        store = stores[0][0]

    first = weekly_start(scope.start, scope.end)
    weeks = q.store_weeks(con, Scope(start=first, end=scope.end), store)  # whole weeks
    weekly = None
    if not weeks.empty:
        weekly = analysis.cji_table(weeks, w, key="week")
        weekly["label"] = [f"{d:%Y-%m-%d}" for d in weekly["week"]]

    # the key drivers from one pass over the window's complete answers (the moments per
    # random group give the correlations and each weight's 95 % bootstrap interval; kept
    # for the network's default dates); a touchpoint is called stronger or weaker than
    # its assumed weight only when the interval excludes the weight
    drivers = q.drivers(con, scope)
    imp = pd.Series(drivers["importance"].to_numpy(), index=list(drivers["touchpoint"]))
    r2, corr_n = drivers["r2"].iloc[0], int(drivers["corr_n"].iloc[0])
    ipa, imp_cut, perf_cut, called = None, None, None, ()
    if corr_n >= IPA_MIN_N:  # fewer: seven weights fit a handful of answers whatever (R² = 1)
        ipa, imp_cut, perf_cut = analysis.ipa_table(imp, analysis.network_performance(sums), w)
        boot = drivers[["touchpoint", "low", "high"]]
        verdict = analysis.weight_verdicts(boot, w)
        ipa = ipa.assign(low=list(boot["low"]), high=list(boot["high"]), verdict=list(verdict))
        called = tuple(tp for tp, v in zip(ipa["touchpoint"], verdict, strict=True) if v in CALLED)
    return HeatmapView(
        (scope.start, scope.end),
        prev,
        analysis.rank_by_cji(table, order),
        stores,
        store,
        weekly,
        ipa,
        imp_cut,
        perf_cut,
        r2,
        corr_n,
        called,
    )
