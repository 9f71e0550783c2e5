"""The NPS x CSI quadrant's view: the period, each store's scores and zone this period and
the last, the crosshairs and how they were chosen."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date

import duckdb
import pandas as pd

from cx import analysis, rules
from cx.queries import no_followups
from cx.queries import quadrant as q
from cx.scope import Scope

PERIODS = ("quarter", "month")
CROSSHAIRS = ("median", "fixed", "targets")


@dataclass(frozen=True)
class QuadrantView:
    kind: str  # 'quarter' or 'month'
    window: tuple[date, date] | None  # the period to the filter's end (None: no data at all)
    prev_window: tuple[date, date] | None
    label: str = ""  # '2025Q4' / '2025-10'
    prev_label: str = ""
    scores: pd.DataFrame | None = None  # analysis.store_scores + add_zones, this period
    prev_scores: pd.DataFrame | None = None  # the same, the period before (same cuts)
    moves: pd.DataFrame | None = None  # store_id, csi0, nps0, csi1, nps1
    nps_cut: float | None = None
    csi_cut: float | None = None
    how: str = ""  # analysis.choose_cuts' 'how'
    csi_target_set: bool = False  # the CSI line is a stored target (else the default)
    # Names this view as worked out once (kept with it by the page's cache): the page makes
    # its map and its table once per token and language (cx.ui.kept), not every rerun.
    token: str = field(default_factory=lambda: uuid.uuid4().hex, compare=False)

    @property
    def empty(self) -> bool:
        """No answers for the scope in the period (or no data at all)."""
        return self.scores is None or self.scores.empty


@no_followups
def view(con: duckdb.DuckDBPyConnection, scope: Scope, kind: str, mode: str) -> QuadrantView:
    """The quadrant of ``scope``'s stores for the ``kind`` ('quarter' / 'month') holding the
    scope's end date, with crosshairs by ``mode`` ('median', 'fixed', 'targets')."""
    if kind not in PERIODS or mode not in CROSSHAIRS:
        raise ValueError(f"unknown period {kind!r} or crosshairs {mode!r}")
    if scope.end is None:
        return QuadrantView(kind, None, None)
    cur = rules.current_window(scope.end, kind)
    prev = rules.previous_period(scope.end, kind)
    cur_s = Scope(scope.regions, scope.stores, *cur)
    prev_s = Scope(scope.regions, scope.stores, *prev)
    head = QuadrantView(
        kind, cur, prev, rules.period_label(cur[0], kind), rules.period_label(prev[0], kind)
    )
    cur_sums, prev_sums = q.store_sums_pair(con, cur_s, prev_s)
    scores = analysis.store_scores(cur_sums)
    if scores.empty:
        return head
    prev_scores = analysis.store_scores(prev_sums)
    nps_target, nps_source = q.nps_target(con, cur_s) if mode == "targets" else (None, "none")
    csi_target = q.csi_target(con) if mode == "targets" else None
    nps_cut, csi_cut, how = analysis.choose_cuts(mode, scores, nps_target, nps_source, csi_target)
    scores = analysis.add_zones(scores, nps_cut, csi_cut)
    prev_scores = analysis.add_zones(prev_scores, nps_cut, csi_cut)
    return QuadrantView(
        kind,
        cur,
        prev,
        head.label,
        head.prev_label,
        scores,
        prev_scores,
        analysis.movements(scores, prev_scores),
        nps_cut,
        csi_cut,
        how,
        csi_target is not None,
    )
