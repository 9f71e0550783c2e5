"""SQL for the CJI touchpoint heatmap: touchpoint sums and counts per store (and per
store-week) over the daily rollup, and the correlation matrix of the touchpoint scores
with the 0-10 answer over raw responses (aggregated in DuckDB, never pulled whole)."""

from __future__ import annotations

import duckdb
import pandas as pd

from cx.enums import TP_KEYS
from cx.queries import df
from cx.scope import Scope

_TP_SUMS = ", ".join(
    f"CAST(coalesce(sum(r.tp_{tp}_n), 0) AS BIGINT) AS tp_{tp}_n,"
    f" coalesce(sum(r.tp_{tp}_sum), 0) AS tp_{tp}_sum,"
    f" coalesce(sum(r.tp_{tp}_sumsq), 0) AS tp_{tp}_sumsq"
    for tp in TP_KEYS
)


def store_sums(con: duckdb.DuckDBPyConnection, flt: Scope) -> pd.DataFrame:
    """One row per store with answers in ``flt``: name, region, n and, for each
    touchpoint, ``tp_<tp>_n``, ``tp_<tp>_sum`` and ``tp_<tp>_sumsq``."""
    where, params = flt.where("r.day", "r.store_id")
    sql = (
        "SELECT r.store_id, coalesce(any_value(s.store_name), r.store_id) AS store_name,"  # noqa: S608 (identifiers from cx.enums)
        " coalesce(any_value(s.region), '?') AS region, CAST(sum(r.n) AS BIGINT) AS n,"
        f" {_TP_SUMS}"  # column names from cx.enums.TP_KEYS only
        " FROM daily_rollup r LEFT JOIN stores s ON s.store_id = r.store_id"
        f" WHERE {where} GROUP BY r.store_id HAVING sum(r.n) > 0 ORDER BY r.store_id"
    )
    return df(con, sql, params)


def store_weeks(con: duckdb.DuckDBPyConnection, flt: Scope, store_id: str) -> pd.DataFrame:
    """One store's touchpoint sums per ISO week (Monday) within ``flt``'s dates."""
    where, params = Scope(start=flt.start, end=flt.end).where("r.day", "r.store_id")
    sql = (
        "SELECT CAST(date_trunc('week', r.day) AS DATE) AS week, CAST(sum(r.n) AS BIGINT) AS n,"  # noqa: S608 (identifiers from cx.enums)
        f" {_TP_SUMS}"  # column names from cx.enums.TP_KEYS only
        f" FROM daily_rollup r WHERE r.store_id = ? AND {where}"
        " GROUP BY ALL ORDER BY week"
    )
    return df(con, sql, [store_id, *params])


CORR_VARS = ["nps", *TP_KEYS]


BOOT_GROUPS = 200
"""Random groups (by a hash of the answer id) the driver bootstrap resamples."""


def touchpoint_moments(
    con: duckdb.DuckDBPyConnection, flt: Scope, groups: int = BOOT_GROUPS
) -> pd.DataFrame:
    """Sums and cross-product sums of the 0-10 answer and the touchpoint scores over the
    complete answers in ``flt``, per random group of answers (``hash(response_id) %
    groups``): columns g, n, ``s|<v>`` and ``x|<a>|<b>`` (a <= b in :data:`CORR_VARS`
    order). Resampling the groups bootstraps the key-driver weights without pulling the
    answers into pandas."""
    where, params = flt.where("CAST(responded_at AS DATE)", "store_id")
    complete = " AND ".join(f"tp_{tp} IS NOT NULL" for tp in TP_KEYS)
    cols = {v: ("nps" if v == "nps" else f"tp_{v}") for v in CORR_VARS}
    sums = ", ".join(f'sum(CAST({cols[v]} AS DOUBLE)) AS "s|{v}"' for v in CORR_VARS)
    prods = ", ".join(
        f'sum(CAST({cols[a]} AS DOUBLE) * {cols[b]}) AS "x|{a}|{b}"'
        for i, a in enumerate(CORR_VARS)
        for b in CORR_VARS[i:]
    )
    sql = (
        f"SELECT hash(response_id) % ? AS g, count(*) AS n, {sums}, {prods} FROM responses"  # noqa: S608 (identifiers from cx.enums)
        f" WHERE nps IS NOT NULL AND {complete} AND {where} GROUP BY g ORDER BY g"
    )
    return df(con, sql, [groups, *params])
