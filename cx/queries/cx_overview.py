"""SQL of the CX overview: monthly metric inputs per scope, targets, quantile-test counts.

(Named ``cx_overview`` rather than ``overview``: a submodule ``cx.queries.overview``
would replace the existing function ``cx.queries.overview`` used by the Data page.)

A scope is a :class:`cx.scope.Scope` whose regions / stores say which stores count
(its dates are ignored: the overview works in calendar months). Counts, sums and sums
of squares come from ``daily_rollup``; the waiting median / p90, the repeat-fault count
and the pooled-quantile split for Mood's test come from raw ``responses``. The columns
of both are the metric registry's declared inputs (:mod:`cx.metrics`).
"""

from __future__ import annotations

from datetime import date

import duckdb
import pandas as pd

from cx import metrics, targets
from cx.queries import df
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
    """Every month with answers (any store), newest first."""
    out = df(
        con,
        "SELECT DISTINCT CAST(date_trunc('month', day) AS DATE) AS month FROM daily_rollup"
        " ORDER BY month DESC",
    )
    return [m.date() if hasattr(m, "date") else m for m in out["month"]]


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
    raw_sel = ", ".join(r.select() for r in raw)
    raw_values = [v for r in raw for v in r.params]
    # raw inputs are named apart from rollup inputs (cx.metrics checks it): unqualified
    raw_cols = ", ".join(
        r.name if r.keep_null else f"coalesce({r.name}, 0) AS {r.name}" for r in raw
    )
    end = add_months(last, 1)
    sql = (
        "WITH cal AS (SELECT CAST(m AS DATE) AS month FROM"  # noqa: S608 (allow-listed identifiers; values bound)
        " range(CAST(? AS DATE), CAST(? AS DATE), INTERVAL 1 MONTH) t(m)),"
        f" roll AS (SELECT CAST(date_trunc('month', day) AS DATE) AS month, {sums}"
        f" FROM daily_rollup r WHERE day >= ? AND day < ? AND {where} GROUP BY 1),"
        f" raw AS (SELECT CAST(date_trunc('month', responded_at) AS DATE) AS month, {raw_sel}"
        f" FROM responses WHERE responded_at >= ? AND responded_at < ? AND {raw_where}"
        " GROUP BY 1)"
        f" SELECT cal.month, {cols}, {raw_cols}"
        " FROM cal LEFT JOIN roll USING (month) LEFT JOIN raw USING (month) ORDER BY cal.month"
    )
    values = [first, end, first, end, *params, *raw_values, first, end, *raw_params]
    out = df(con, sql, values)
    out["month"] = [m.date() if hasattr(m, "date") else m for m in out["month"]]
    return out


def quantile_split(con: duckdb.DuckDBPyConnection, scope: Scope, month: date) -> pd.DataFrame:
    """Counts for Mood's quantile test of waiting times, ``month`` vs the month before.

    The median and 90th percentile are taken over both months pooled; one row per
    month (column ``cur`` True for ``month``) with n, above50 and above90 (answers
    waiting longer than the pooled median / p90).
    """
    where, params = _scope(scope)
    prev = add_months(month, -1)
    end = add_months(month, 1)
    sql = (
        "WITH r AS (SELECT responded_at >= CAST(? AS TIMESTAMP) AS cur, wait_minutes AS w"  # noqa: S608 (allow-listed identifiers; values bound)
        f" FROM responses WHERE responded_at >= ? AND responded_at < ? AND {where}"
        " AND wait_minutes IS NOT NULL),"
        " q AS (SELECT quantile_cont(w, ?) AS q50, quantile_cont(w, ?) AS q90 FROM r)"
        " SELECT cur, count(*) AS n, count(*) FILTER (WHERE w > q50) AS above50,"
        " count(*) FILTER (WHERE w > q90) AS above90 FROM r, q GROUP BY cur ORDER BY cur"
    )
    qs = [metrics.WAIT_QUANTILES["wait_median"], metrics.WAIT_QUANTILES["wait_p90"]]
    return df(con, sql, [month, prev, end, *params, *qs])


def nps_target(con: duckdb.DuckDBPyConnection, scope: Scope, month: date) -> float | None:
    """The month's NPS target for the scope by the one rule every page uses
    (:func:`cx.targets.resolve_nps_target`); None when there is none."""
    return targets.resolve_nps_target(con, scope, month)["value"]


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
