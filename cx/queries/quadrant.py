"""SQL for the NPS x CSI quadrant: per-store NPS counts and CSI dimension sums over the
daily rollup, and the targets that can place the crosshairs."""

from __future__ import annotations

from typing import get_args

import duckdb
import pandas as pd

from cx import queries, rules, targets
from cx.enums import CSI_DIMS
from cx.queries import kept as kept_frames
from cx.queries import scalar
from cx.scope import Scope

_CSI_SUMS = ", ".join(
    f"CAST(coalesce(sum(r.csi_{d}_n), 0) AS BIGINT) AS csi_{d}_n,"
    f" coalesce(sum(r.csi_{d}_sum), 0) AS csi_{d}_sum,"
    f" coalesce(sum(r.csi_{d}_sumsq), 0) AS csi_{d}_sumsq"
    for d in CSI_DIMS
)

_COUNTS = ", ".join(f"CAST(sum(r.{c}) AS BIGINT) AS {c}" for c in ("n", "d", "pa", "p"))
_SUMS = f"{_COUNTS}, {_CSI_SUMS}"


def store_sums(con: duckdb.DuckDBPyConnection, flt: Scope) -> pd.DataFrame:
    """One row per store with answers in ``flt``: name, region, n, d, pa, p and, for each
    CSI dimension, ``csi_<dim>_n``, ``csi_<dim>_sum`` and ``csi_<dim>_sumsq``."""
    where, params = flt.where("r.day", "r.store_id")
    return queries.store_sums(con, _SUMS, where, params)


def store_sums_pair(
    con: duckdb.DuckDBPyConnection, flt: Scope, prev: Scope, kept: bool = True
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """:func:`store_sums` of ``flt`` and of ``prev`` (the period before), read together
    (:func:`cx.queries.store_sums_pair`), or as every write keeps them for the whole
    network's quarter and month to its latest day (:func:`keep`) unless ``kept`` is
    False."""
    if kept and not (flt.regions or flt.stores or prev.regions or prev.stores):
        args = (flt.start, flt.end, prev.start, prev.end)
        cur = kept_frames.get(con, "quadrant:sums", args, _sig())
        before = kept_frames.get(con, "quadrant:prev_sums", args, _sig())
        if cur is not None and before is not None:
            return cur, before
    return queries.store_sums_pair(con, _SUMS, flt, prev)


def _sig() -> str:
    return kept_frames.signature(
        "quadrant", (queries.store_sums, queries.store_sums_pair, rules.current_window), _SUMS
    )


@kept_frames.keeper
def keep(con: duckdb.DuckDBPyConnection) -> None:
    """The whole network's store sums of the quarter and of the month to the latest day
    with answers (where the page opens), with the period before each: the page then
    reads two small rows instead of summing a quarter and a half of every store."""
    last = con.execute("SELECT max(day) FROM daily_rollup").fetchall()[0][0]
    if last is None:
        return
    for kind in get_args(rules.PeriodKind):
        cur = Scope(*((),) * 2, *rules.current_window(last, kind))
        prev = Scope(*((),) * 2, *rules.previous_period(last, kind))
        sums, prev_sums = store_sums_pair(con, cur, prev, kept=False)
        args = (cur.start, cur.end, prev.start, prev.end)
        kept_frames.put(con, "quadrant:sums", args, _sig(), sums)
        kept_frames.put(con, "quadrant:prev_sums", args, _sig(), prev_sums)


def nps_target(con: duckdb.DuckDBPyConnection, flt: Scope) -> tuple[float | None, str]:
    """The NPS target for the months of ``flt.start`` .. ``flt.end`` by the one rule
    (:func:`cx.targets.resolve_nps_target` for each month, then the mean over the
    months that have one). Returns (target, source): the source of the last month
    with a target (see ``cx.targets.SOURCES``), or (None, 'none')."""
    found = []
    month = rules.month_start(flt.start)
    while month <= flt.end:
        got = targets.resolve_nps_target(con, flt, month, flt.end)  # no answer after it weighs
        if got["value"] is not None:
            found.append(got)
        month = rules.next_month(month)
    if not found:
        return None, "none"
    return sum(g["value"] for g in found) / len(found), found[-1]["source"]


def csi_target(con: duckdb.DuckDBPyConnection) -> float | None:
    """The network CSI target from ``metric_targets`` (metric 'csi', store '*'), if any."""
    value = scalar(con, "SELECT target FROM metric_targets WHERE metric = 'csi' AND store_id = '*'")
    return None if value is None else float(value)
