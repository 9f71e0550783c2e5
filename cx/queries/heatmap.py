"""SQL for the CJI touchpoint heatmap: touchpoint sums and counts per store (and per
store-week) over the daily rollup, and the moments behind the correlations of the
touchpoint scores with the 0-10 answer over the driver rollup (both kept by every write,
so the page reads no answer). The whole network's store sums over the dates the page
opens on, and the key drivers fitted to them, are kept by every write too
(:func:`keep`, :mod:`cx.queries.kept`)."""

from __future__ import annotations

import math
from datetime import date, timedelta

import duckdb
import pandas as pd

from cx import analysis, metrics, queries, rules, stats
from cx.enums import TP_KEYS
from cx.queries import df
from cx.queries import kept as kept_frames
from cx.scope import Scope

_TP_SUMS = ", ".join(  # the means need no sums of squares (a third of the columns read)
    f"CAST(coalesce(sum(r.tp_{tp}_n), 0) AS BIGINT) AS tp_{tp}_n,"
    f" coalesce(sum(r.tp_{tp}_sum), 0) AS tp_{tp}_sum"
    for tp in TP_KEYS
)

_SUMS = f"CAST(sum(r.n) AS BIGINT) AS n, {_TP_SUMS}"


def store_sums(con: duckdb.DuckDBPyConnection, flt: Scope) -> pd.DataFrame:
    """One row per store with answers in ``flt``: name, region, n and, for each
    touchpoint, ``tp_<tp>_n`` and ``tp_<tp>_sum``."""
    where, params = flt.where("r.day", "r.store_id")
    return queries.store_sums(con, _SUMS, where, params)


def store_sums_pair(
    con: duckdb.DuckDBPyConnection, flt: Scope, prev: Scope, kept: bool = True
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """:func:`store_sums` of ``flt`` and of ``prev`` (its previous window), read together
    (:func:`cx.queries.store_sums_pair`), or as every write keeps them for the whole
    network over the dates the page opens on (unless ``kept`` is False)."""
    if kept and flt.start is not None and flt.end is not None:
        before = rules.previous_window(flt.start, flt.end)
        if (prev.start, prev.end) == before and (prev.regions, prev.stores) == ((), ()):
            cur, old = _kept(con, "sums", flt), _kept(con, "prev_sums", flt)
            if cur is not None and old is not None:
                return cur, old
    return queries.store_sums_pair(con, _SUMS, flt, prev)


WEEKLY_WEEKS = 13
"""The weekly view shows at least this many whole weeks up to the filter's end."""


def weekly_start(start: date, end: date, weeks: int = WEEKLY_WEEKS) -> date:
    """The Monday the weekly view starts on: the filter's start, or ``weeks`` weeks before
    its end when that is earlier, so a short filter still shows a trend of whole weeks."""
    return rules.week_start(min(start, end - timedelta(weeks=weeks) + timedelta(days=1)))


def store_weeks(
    con: duckdb.DuckDBPyConnection, flt: Scope, store_id: str, kept: bool = True
) -> pd.DataFrame:
    """One store's touchpoint sums per ISO week (Monday) within ``flt``'s dates; as every
    write keeps them for the store the network's heatmap opens on over the weeks of the
    dates the pages open on (:func:`keep`), unless ``kept`` is False."""
    if kept and flt.start is not None and flt.end is not None:
        frame = kept_frames.get(con, "heatmap:weeks", (flt.start, flt.end, store_id), _sig())
        if frame is not None:
            return frame
    where, params = Scope(start=flt.start, end=flt.end).where("r.day", "r.store_id")
    sql = (
        "SELECT CAST(date_trunc('week', r.day) AS DATE) AS week, CAST(sum(r.n) AS BIGINT) AS n,"  # noqa: S608 (identifiers from cx.enums)
        f" {_TP_SUMS}"  # column names from cx.enums.TP_KEYS only
        f" FROM daily_rollup r WHERE r.store_id = ? AND {where}"
        " GROUP BY ALL ORDER BY week"
    )
    return df(con, sql, [store_id, *params])


CORR_VARS = list(metrics.DRIVER_VARS)


BOOT_GROUPS = 200
"""Random groups of store-days (by a hash of store and day) the driver bootstrap resamples."""


def touchpoint_moments(
    con: duckdb.DuckDBPyConnection, flt: Scope, groups: int = BOOT_GROUPS
) -> pd.DataFrame:
    """Sums and cross-product sums of the 0-10 answer and the touchpoint scores over the
    complete answers in ``flt``, per random group of store-days (``hash(store_id, day) %
    groups``), from ``driver_rollup``: columns g, n, ``s|<v>`` and ``x|<a>|<b>`` (a <= b
    in :data:`CORR_VARS` order). Resampling the groups bootstraps the key-driver weights
    (answers of one store and day move together, as they are alike) without reading the
    answers."""
    where, params = flt.where("day", "store_id")
    return df(con, _moments_sql(where, groups), params)


def drivers(con: duckdb.DuckDBPyConnection, flt: Scope, kept: bool = True) -> pd.DataFrame:
    """The key drivers of the complete answers in ``flt``, from their moments
    (:func:`touchpoint_moments`): per touchpoint (in :data:`CORR_VARS` order) its
    importance, % of R^2 (:func:`cx.analysis.importance`), and the 95 % bootstrap interval
    of it (low, high: :func:`cx.analysis.bootstrap_importance`), with the model's r2 and
    the answers it rests on (corr_n) on every row. The whole network's over the dates
    the page opens on are read as every write keeps them (unless ``kept`` is False): the
    regression and the bootstrap's 400 draws are done once a write, not once a visit."""
    if kept:
        got = _kept(con, "drivers", flt)
        if got is not None:
            return got
    moments = touchpoint_moments(con, flt)
    corr, corr_n = analysis.moments_corr(moments, CORR_VARS)
    imp, r2 = analysis.importance(corr)
    boot = analysis.bootstrap_importance(moments, CORR_VARS)
    return pd.DataFrame(
        {
            "touchpoint": boot["touchpoint"],
            "importance": imp.reindex(boot["touchpoint"]).to_numpy(dtype=float),
            "low": boot["low"],
            "high": boot["high"],
            "r2": float(r2) if r2 is not None else math.nan,
            "corr_n": corr_n,
        }
    )


def _moments_sql(where: str, groups: int) -> str:
    sums = ", ".join(f'sum(s_{v}) AS "s|{v}"' for v in CORR_VARS)
    prods = ", ".join(
        f'sum(x_{a}__{b}) AS "x|{a}|{b}"' for i, a in enumerate(CORR_VARS) for b in CORR_VARS[i:]
    )
    # the group count is written into the SQL (an int of ours): bound, DuckDB evaluated
    # the modulo as an expression per row, twice the query's time
    return (
        f"SELECT hash(store_id, day) % {int(groups)} AS g, CAST(sum(n) AS BIGINT) AS n,"  # noqa: S608 (identifiers from cx.metrics, an int)
        f" {sums}, {prods} FROM driver_rollup WHERE n > 0 AND {where} GROUP BY g ORDER BY g"
    )


# --------------------------------------------------------------------------- kept frames


def _sig() -> str:
    return kept_frames.signature(
        "heatmap",
        (
            queries.store_sums,
            queries.store_sums_pair,
            store_weeks,
            weekly_start,
            rules.week_start,
            drivers,
            analysis.moments_corr,
            analysis.importance,
            analysis.pseudo_sample,
            analysis.bootstrap_importance,
            analysis._corr_from_moments,
            analysis._corr_many,
            analysis._johnson_many,
            stats.relative_weights,
        ),
        _SUMS,
        _moments_sql("?", BOOT_GROUPS),
    )


def _kept(con: duckdb.DuckDBPyConnection, part: str, flt: Scope) -> pd.DataFrame | None:
    """A frame :func:`keep` kept for ``flt`` (the whole network over its dates), or None:
    another scope or other dates, or a reader limited to some stores."""
    if flt.regions or flt.stores or flt.start is None or flt.end is None:
        return None
    return kept_frames.get(con, f"heatmap:{part}", (flt.start, flt.end), _sig())


@kept_frames.keeper
def keep(con: duckdb.DuckDBPyConnection) -> None:
    """The whole network's store sums over the dates the pages open on
    (:func:`cx.rules.default_period`) and the window before, and the key drivers of those
    dates: the page then reads three small rows instead of summing 90 + 90 days of every
    store and the driver rollup (10M answers: the view 207 -> 90 ms), and of fitting the
    drivers and drawing their bootstrap on every visit (153-174 -> 75-87 ms). Also the
    weeks of the store its weekly view opens on (the first of the stores' sums), which
    read fifteen columns of the whole network's rollup rows to keep one store's (8-11 ms
    of the view's 61-67)."""
    dates = kept_frames.default_dates(con)
    if dates is None:
        return
    start, end = dates
    flt = Scope(start=start, end=end)
    prev = Scope(start=rules.previous_window(start, end)[0], end=start - timedelta(days=1))
    sums, prev_sums = store_sums_pair(con, flt, prev, kept=False)
    parts = {
        "sums": sums,
        "prev_sums": prev_sums,
        "drivers": drivers(con, flt, kept=False),
    }
    for part, frame in parts.items():
        kept_frames.put(con, f"heatmap:{part}", (start, end), _sig(), frame)
    if not sums.empty:
        weeks = Scope(start=weekly_start(start, end), end=end)
        store = str(sums["store_id"].iloc[0])
        frame = store_weeks(con, weeks, store, kept=False)
        kept_frames.put(con, "heatmap:weeks", (weeks.start, weeks.end, store), _sig(), frame)
