"""SQL of the CX overview: monthly metric inputs per scope, targets, quantile-test counts.

(Named ``cx_overview`` rather than ``overview``: a submodule ``cx.queries.overview``
would replace the existing function ``cx.queries.overview`` used by the Data page.)

A scope is a :class:`cx.scope.Scope` whose regions / stores say which stores count
(its dates are ignored: the overview works in calendar months). Counts, sums and sums
of squares come from ``daily_rollup``; the waiting median / p90, the repeat-fault count
and the pooled-quantile split for Mood's test come from raw ``responses``. The columns
of both are the metric registry's declared inputs (:mod:`cx.metrics`). The whole
network's raw inputs per month are also kept in ``monthly_raw`` by every write
(:func:`store_monthly_raw`): at ten million answers reading them from the answers took
a quarter of a second.
"""

from __future__ import annotations

import json
import math
from datetime import date

import duckdb
import numpy as np
import pandas as pd

from cx import db, metrics, targets
from cx.queries import board, df
from cx.queries import kept as kept_frames
from cx.rules import add_months
from cx.scope import Scope


def rollup_sums() -> list[str]:
    """The rollup columns summed into a month's inputs: every input the metric registry
    declares (:data:`cx.metrics.INPUTS`), read at call time so a metric registered at run
    time reaches the overview."""
    return metrics.rollup_names()


def _scope(scope: Scope, store_expr: str = "store_id") -> tuple[str, list]:
    return Scope(scope.regions, scope.stores).where(store_expr=store_expr)


def months(con: duckdb.DuckDBPyConnection) -> list[date]:
    """Every month with answers (any store), newest first: the months every write keeps
    (``monthly_rollup``), or for a reader limited to some stores (who sees none of them)
    their rollup's."""
    if _kept(con):
        sql = "SELECT month FROM monthly_rollup ORDER BY month DESC"
    else:
        sql = f"SELECT DISTINCT {_ROLL_MONTH} AS month FROM daily_rollup ORDER BY month DESC"  # noqa: S608 (a constant)
    out = df(con, sql)
    return [m.date() if hasattr(m, "date") else m for m in out["month"]]


_ROLL_MONTH = "CAST(date_trunc('month', day) AS DATE)"


_STORES = "overview:stores"
_STORES_SQL = (
    f"SELECT {_ROLL_MONTH} AS month, count(DISTINCT store_id) AS stores"  # noqa: S608 (a constant)
    " FROM daily_rollup GROUP BY 1 ORDER BY 1"
)


def _stores_sig() -> str:
    return kept_frames.signature(_STORES, (keep_stores,), _STORES_SQL)


@kept_frames.keeper
def keep_stores(con: duckdb.DuckDBPyConnection) -> None:
    """How many stores have answers in each month, the whole network's (the overview's
    "4 of 44 stores so far": 5 ms a view at ten million answers), kept by every write."""
    kept_frames.put(con, _STORES, (), _stores_sig(), df(con, _STORES_SQL))


def stores_with_answers(
    con: duckdb.DuckDBPyConnection, scope: Scope, month: date, before: date, kept: bool = True
) -> tuple[int, int]:
    """How many of ``scope``'s stores have answers in ``month`` and in ``before`` (first
    days of months); the whole network's as every write keeps them, unless ``kept`` is
    False."""
    if kept and not (scope.regions or scope.stores):
        frame = kept_frames.get(con, _STORES, (), _stores_sig())
        if frame is not None:
            per = dict(zip(pd.to_datetime(frame["month"]).dt.date, frame["stores"], strict=True))
            return int(per.get(month, 0)), int(per.get(before, 0))
    where, params = _scope(scope)
    return con.execute(
        "SELECT count(DISTINCT store_id) FILTER (WHERE day >= ? AND day < ?),"  # noqa: S608 (the scope's bound filter)
        " count(DISTINCT store_id) FILTER (WHERE day >= ? AND day < ?)"
        f" FROM daily_rollup r WHERE day >= ? AND day < ? AND {where}",
        [month, add_months(month, 1), before, month, before, add_months(month, 1), *params],
    ).fetchall()[0]


def months_of(con: duckdb.DuckDBPyConnection, scope: Scope) -> list[date]:
    """The months with answers of ``scope``'s stores, newest first (:func:`months` for the
    whole network): a store's overview opened on the network's newest month, which it had
    no answer in, every card 'no data' beside its October."""
    if not (scope.regions or scope.stores):
        return months(con)
    where, params = _scope(scope)
    out = df(
        con,
        f"SELECT DISTINCT {_ROLL_MONTH} AS month FROM daily_rollup r WHERE {where}"  # noqa: S608 (a constant and the scope's bound filter)
        " ORDER BY month DESC",
        params,
    )
    return [m.date() if hasattr(m, "date") else m for m in out["month"]]


def _kept(con: duckdb.DuckDBPyConnection) -> bool:
    """Whether the network's monthly tables are current and this reader sees them (a
    reader limited to some stores sees no row of them, cx.access)."""
    value, any_month = con.execute(
        "SELECT (SELECT value FROM meta WHERE key = ?), EXISTS (SELECT 1 FROM monthly_rollup)",
        [_MONTHLY_RAW_KEY],
    ).fetchall()[0]  # one query, not two: 1.4 -> 0.7 ms, twice an overview
    return value == _raw_signature() and bool(any_month)


def monthly_inputs(
    con: duckdb.DuckDBPyConnection, scope: Scope, first: date, last: date
) -> pd.DataFrame:
    """One row per month from ``first`` to ``last`` (inclusive, first days of months).

    Columns: month, every rollup input of the registry (:func:`rollup_sums`) summed over
    the scope (0 for a month without answers), and every raw input of the registry
    (:data:`cx.metrics.RAW_INPUTS`) over the month's answers: wait_median and wait_p90
    (NULL without waiting times), unresolved (answers whose pain_point is 'unresolved')
    and pain_n (the month's answers when any of them carries a pain point, else 0: an
    export without the column is no data, not 0 %).
    """
    where, params = _scope(scope)
    raw_where, raw_params = _scope(scope)
    names = rollup_sums()  # identifiers declared by the registry (cx.metrics.Input checks them)
    sums = ", ".join(f"coalesce(sum(r.{c}), 0) AS {c}" for c in names)
    cols = ", ".join(f"coalesce(roll.{c}, 0) AS {c}" for c in names)
    raw = metrics.raw_inputs()  # names checked by cx.metrics.RawInput; values bound
    # raw inputs are named apart from rollup inputs (cx.metrics checks it): unqualified
    raw_cols = ", ".join(
        r.name if r.keep_null else f"coalesce({r.name}, 0) AS {r.name}" for r in raw
    )
    end = add_months(last, 1)

    days = (
        f"SELECT {_ROLL_MONTH} AS month, {sums} FROM daily_rollup r"  # noqa: S608 (registry names)
        f" WHERE day >= ? AND day < ? AND {where} GROUP BY 1"
    )

    if not (scope.regions or scope.stores) and _kept(con):
        # the network's months as every write keeps them; a reader limited to some stores
        # sees none of them (cx.access) and reads its own rollup and answers below
        out = _kept_months(con, first, last, names, raw)
        if out is not None:
            return out
    by_month, raw_values = _raw_by_month()
    answers = f"{by_month} WHERE responded_at >= ? AND responded_at < ? AND {raw_where} GROUP BY 1"
    out = df(
        con,
        "WITH cal AS (SELECT CAST(m AS DATE) AS month FROM"  # noqa: S608 (allow-listed identifiers; values bound)
        " range(CAST(? AS DATE), CAST(? AS DATE), INTERVAL 1 MONTH) t(m)),"
        f" roll AS ({days}), raw AS ({answers})"
        f" SELECT cal.month, {cols}, {raw_cols}"
        " FROM cal LEFT JOIN roll USING (month) LEFT JOIN raw USING (month) ORDER BY cal.month",
        [first, end, first, end, *params, *raw_values, first, end, *raw_params],
    )
    out["month"] = [m.date() if hasattr(m, "date") else m for m in out["month"]]
    return out


def _kept_months(
    con: duckdb.DuckDBPyConnection,
    first: date,
    last: date,
    names: list[str],
    raw: list[metrics.RawInput],
) -> pd.DataFrame | None:
    """:func:`monthly_inputs` of the whole network from ``monthly_rollup`` and
    ``monthly_raw``, the months without answers filled in here rather than by a calendar
    joined in SQL (planning that query of 60 columns took 6 of its 7 ms): the same
    frame, types included. None when a month with answers has no raw inputs kept."""
    end = add_months(last, 1)
    bound = [first, end]
    roll = df(
        con,
        f"SELECT month, {', '.join(names)} FROM monthly_rollup"  # noqa: S608 (registry names)
        " WHERE month >= ? AND month < ?",
        bound,
    )
    kept_raw = df(
        con,
        f"SELECT month, {', '.join(r.name for r in raw)} FROM monthly_raw"  # noqa: S608 (registry names)
        " WHERE month >= ? AND month < ?",
        bound,
    )
    for part in (roll, kept_raw):
        part["month"] = [m.date() if hasattr(m, "date") else m for m in part["month"]]
    answered = set(roll.loc[roll["n"] > 0, "month"])
    if not answered <= set(kept_raw["month"]):
        return None
    months = []
    at = first
    while at < end:
        months.append(at)
        at = add_months(at, 1)
    # each column filled in numpy and the frame made once (pandas' reindex and fill of 60
    # columns cost more than the SQL they replace)
    keep_null = {r.name for r in raw if r.keep_null}
    out: dict[str, object] = {"month": months}
    for part in (roll, kept_raw):
        rows = np.array([months.index(m) for m in part["month"]], dtype=np.intp)
        whole = len(rows) == len(months)
        for col in part.columns.drop("month"):
            values = part[col].to_numpy()
            null = col in keep_null  # else SQL's coalesce(x, 0), of the column's own type
            if not null and values.dtype.kind == "f":
                values = np.where(np.isnan(values), 0.0, values)
            if whole:
                out[col] = values[np.argsort(rows)]
                continue
            filled = np.full(len(months), np.nan if null else 0, float if null else values.dtype)
            filled[rows] = values
            out[col] = filled
    return pd.DataFrame(out)


_MONTHLY_RAW_KEY = "monthly_raw"  # meta: the raw inputs monthly_raw holds (their signature)


def _raw_signature() -> str:
    """The declared raw inputs as stored and the rollup's columns: what ``monthly_raw``'s
    and ``monthly_rollup``'s columns mean."""
    raw = [[r.name, r.sql, list(r.params)] for r in metrics.raw_inputs()]
    return json.dumps({"raw": raw, "rollup": rollup_sums()})


def _monthly_raw_current(con: duckdb.DuckDBPyConnection) -> bool:
    return db.meta_value(con, _MONTHLY_RAW_KEY) == _raw_signature()


_MONTH = "CAST(date_trunc('month', responded_at) AS DATE)"


def _raw_by_month() -> tuple[str, list]:
    """``SELECT month, <raw inputs> FROM responses`` (to be filtered and grouped by the
    month) and its bound values: the registry's raw inputs (:data:`cx.metrics.RAW_INPUTS`)."""
    raw = metrics.raw_inputs()
    select = ", ".join(r.select() for r in raw)
    sql = f"SELECT {_MONTH} AS month, {select} FROM responses"  # noqa: S608 (registry code)
    return sql, [v for r in raw for v in r.params]


def store_monthly_raw(con: duckdb.DuckDBPyConnection, months: str | None = None) -> None:
    """Keep ``monthly_raw``: the whole network's raw monthly inputs
    (:data:`cx.metrics.RAW_INPUTS`), one row per month with answers. ``months`` is a
    query of first days of months whose answers changed (None: every month, as after a
    change of the declared inputs). Called by every write inside its transaction."""
    rows, values = _raw_by_month()
    summed = ", ".join(f"sum({c}) AS {c}" for c in rollup_sums())  # registry names
    by_day = f"SELECT {_ROLL_MONTH} AS month, {summed} FROM daily_rollup"  # noqa: S608 (registry names)
    if months is None or not _monthly_raw_current(con):
        con.execute(f"CREATE OR REPLACE TABLE monthly_raw AS {rows} GROUP BY 1 ORDER BY 1", values)
        con.execute(
            f"CREATE OR REPLACE TABLE monthly_waits AS {_WAITS} GROUP BY 1, 2 ORDER BY 1, 2"
        )
        con.execute(f"CREATE OR REPLACE TABLE monthly_rollup AS {by_day} GROUP BY 1 ORDER BY 1")
        db.set_meta(con, _MONTHLY_RAW_KEY, _raw_signature())
        return
    changed = [m for (m,) in con.execute(f"SELECT DISTINCT * FROM ({months})").fetchall()]  # noqa: S608 (the caller's query)
    if not changed:
        return
    # one pass each; the range first, so DuckDB skips the row groups of other days
    within = f" AND responded_at >= ? AND responded_at < ? AND {_MONTH} IN (SELECT unnest(?))"
    bounds = [min(changed), add_months(max(changed), 1), changed]
    day_within = f" WHERE day >= ? AND day < ? AND {_ROLL_MONTH} IN (SELECT unnest(?))"
    for table, select, bind in (
        ("monthly_raw", f"{rows} WHERE TRUE{within} GROUP BY 1", values),
        ("monthly_waits", f"{_WAITS}{within} GROUP BY 1, 2", []),
        ("monthly_rollup", f"{by_day}{day_within} GROUP BY 1", []),
    ):
        con.execute(f"DELETE FROM {table} WHERE month IN (SELECT unnest(?))", [changed])  # noqa: S608 (names above)
        con.execute(f"INSERT INTO {table} BY NAME {select}", [*bind, *bounds])


# How many answers waited each length of time, per month (the whole network): the overview's
# quantile test pools two months' waits, and a month holds ~700 distinct waits against
# ~900,000 answers at ten million (its exact quantiles from these counts: _quantile_cont).
_WAITS = (
    f"SELECT {_MONTH} AS month, wait_minutes AS wait, count(*) AS n FROM responses"  # noqa: S608 (fixed)
    " WHERE wait_minutes IS NOT NULL"
)


def quantile_split(con: duckdb.DuckDBPyConnection, scope: Scope, month: date) -> pd.DataFrame:
    """Counts for Mood's quantile test of waiting times, ``month`` vs the month before.

    The median and 90th percentile are taken over both months pooled; one row per
    month (column ``cur`` True for ``month``) with n, above50 and above90 (answers
    waiting longer than the pooled median / p90).
    """
    qs = [metrics.WAIT_QUANTILES["wait_median"], metrics.WAIT_QUANTILES["wait_p90"]]
    prev = add_months(month, -1)
    if not (scope.regions or scope.stores):
        # the network's waits as every write keeps them (none for a reader limited to
        # some stores, cx.access: their own answers below)
        kept = con.execute(
            "SELECT month = ? AS cur, wait, n FROM monthly_waits WHERE month IN (?, ?)",
            [month, prev, month],
        ).fetchall()
        if kept:
            return _split_counts(kept, qs)
    where, params = _scope(scope)
    end = add_months(month, 1)
    sql = (
        "WITH r AS (SELECT responded_at >= CAST(? AS TIMESTAMP) AS cur, wait_minutes AS w"  # noqa: S608 (allow-listed identifiers; values bound)
        f" FROM responses WHERE responded_at >= ? AND responded_at < ? AND {where}"
        " AND wait_minutes IS NOT NULL),"
        " q AS (SELECT quantile_cont(w, ?) AS q50, quantile_cont(w, ?) AS q90 FROM r)"
        " SELECT cur, count(*) AS n, count(*) FILTER (WHERE w > q50) AS above50,"
        " count(*) FILTER (WHERE w > q90) AS above90 FROM r, q GROUP BY cur ORDER BY cur"
    )
    return df(con, sql, [month, prev, end, *params, *qs])


def _quantile_cont(values: np.ndarray, counts: np.ndarray, q: float) -> float:
    """DuckDB's ``quantile_cont(w, q)`` of the waits ``values`` (sorted, distinct) each
    taken ``counts`` times: the same order statistics and the same interpolation
    (``lo + (hi - lo) d`` at position (N - 1) q, as DuckDB 2.0 does), so the same double;
    a test holds it to DuckDB's own."""
    cum = np.cumsum(counts)
    pos = float(int(cum[-1]) - 1) * q
    low, high = math.floor(pos), math.ceil(pos)
    lo = float(values[np.searchsorted(cum, low, side="right")])
    if high == low:
        return lo
    hi = float(values[np.searchsorted(cum, high, side="right")])
    d = pos - low
    return lo + (hi - lo) * d


def _split_counts(rows: list[tuple], qs: list[float]) -> pd.DataFrame:
    """:func:`quantile_split`'s frame from (cur, wait, n) rows of ``monthly_waits``."""
    cur = np.array([r[0] for r in rows], dtype=bool)
    wait = np.array([r[1] for r in rows], dtype=float)
    n = np.array([r[2] for r in rows], dtype="int64")
    values, at = np.unique(wait, return_inverse=True)
    pooled = np.zeros(len(values), dtype="int64")
    np.add.at(pooled, at, n)
    q50, q90 = (_quantile_cont(values, pooled, q) for q in qs)
    out = []
    for flag in (False, True):
        mine = cur == flag
        if mine.any():
            w, k = wait[mine], n[mine]
            out.append((flag, int(k.sum()), int(k[w > q50].sum()), int(k[w > q90].sum())))
    frame = pd.DataFrame(out, columns=["cur", "n", "above50", "above90"])
    return frame.astype({"cur": bool, "n": "int64", "above50": "int64", "above90": "int64"})


def nps_target(con: duckdb.DuckDBPyConnection, scope: Scope, month: date) -> float | None:
    """The month's NPS target for the scope by the one rule every page uses
    (:func:`cx.targets.resolve_nps_target`); None when there is none."""
    return nps_target_source(con, scope, month)[0]


def nps_target_source(
    con: duckdb.DuckDBPyConnection, scope: Scope, month: date, last: date | None = None
) -> tuple[float | None, str, int]:
    """(target, source, stores) of :func:`cx.targets.resolve_nps_target`: the month's NPS
    target for the scope, where it came from and how many store targets it averages
    (the whole network's of the months the board shows as every write keeps them, when
    ``last`` is the latest day with answers)."""
    got = None
    if last is not None and not (scope.regions or scope.stores):
        got = board.kept_targets(con, last).get(month)
    if got is None:
        got = targets.resolve_nps_target(con, scope, month)
    return got["value"], got["source"], int(got["stores"])


def metric_targets(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Every stored metric target (metric, store_id, target, updated_at, updated_by)."""
    return df(
        con,
        "SELECT metric, store_id, target, updated_at, updated_by FROM metric_targets"
        " ORDER BY metric, store_id",
    )


def store_names(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    """store_id -> name, for captions."""
    out = df(con, "SELECT store_id, coalesce(store_name, store_id) AS name FROM stores")
    return dict(zip(out["store_id"], out["name"], strict=True))
