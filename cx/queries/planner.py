"""SQL of the What-if planner: baselines, expected volume, pain points, tracking, scenarios.

Every function takes an open connection first and plain hashable arguments, so
``cx.ui.load`` can cache it. Which stores (and, where a function says so, which days):
a :class:`~cx.scope.Scope`. Counts come from ``daily_rollup``; only
the pain points of detractors are read from the raw ``responses``.
"""

from __future__ import annotations

from datetime import date, timedelta

import duckdb
import pandas as pd

from cx import config, db, rules, stats, targets
from cx.queries import df, no_followups, scalar
from cx.rules import month_end, month_start, previous_month
from cx.scope import Scope

LOOKBACK_DAYS = 28  # recent days whose mean daily volume sizes the plan month


def months(con: duckdb.DuckDBPyConnection, scope: Scope = Scope()) -> list[date]:  # noqa: B008 (frozen)
    """First days of the months with answers in the scope's stores, oldest first."""
    where, params = scope.where(None)
    out = df(
        con,
        f"SELECT DISTINCT CAST(date_trunc('month', day) AS DATE) AS m FROM daily_rollup"  # noqa: S608 - where from Scope (bound values)
        f" WHERE {where} AND n > 0 ORDER BY m",
        params,
    )
    return [pd.Timestamp(m).date() for m in out["m"]]


@no_followups
def last_full_month(con: duckdb.DuckDBPyConnection) -> date | None:
    """First day of the last month whose every day lies within the data's range.

    The data's last day closes a month when it is that month's last day; otherwise
    the month before is the last full one. None without data.
    """
    last = scalar(con, "SELECT max(day) FROM daily_rollup")
    if last is None:
        return None
    last = pd.Timestamp(last).date()
    return month_start(last) if last == month_end(last) else previous_month(last)


def baseline_counts(con: duckdb.DuckDBPyConnection, scope: Scope) -> dict:
    """Answers, detractors, passives, promoters and NPS (None without answers) of the
    scope's stores and days."""
    where, params = scope.where("day")
    row = con.execute(
        "SELECT CAST(coalesce(sum(n), 0) AS BIGINT), CAST(coalesce(sum(d), 0) AS BIGINT),"  # noqa: S608 - where from Scope
        " CAST(coalesce(sum(pa), 0) AS BIGINT), CAST(coalesce(sum(p), 0) AS BIGINT),"
        f" count(DISTINCT day) FROM daily_rollup WHERE {where}",
        params,
    ).fetchall()[0]
    n, d, pa, p, days = (int(x) for x in row)
    nps = stats.nps(d, pa, p)
    return {"n": n, "d": d, "pa": pa, "p": p, "nps": nps, "days_with_data": days}


def expected_answers(
    con: duckdb.DuckDBPyConnection,
    scope: Scope,
    end: date,
    plan_days: int,
    lookback: int = LOOKBACK_DAYS,
) -> int:
    """Answers expected in a plan of ``plan_days`` days: the mean daily volume over the
    ``lookback`` calendar days ending at ``end`` (days without answers count as 0) times
    ``plan_days``, rounded."""
    start = end - timedelta(days=lookback - 1)
    where, params = scope.days(start, end).where("day")
    total = scalar(con, f"SELECT coalesce(sum(n), 0) FROM daily_rollup WHERE {where}", params)  # noqa: S608 - where from Scope
    return round(float(total) / lookback * plan_days)


def detractors_by_pain(con: duckdb.DuckDBPyConnection, scope: Scope) -> pd.DataFrame:
    """Detractors (nps 0-6) per reason in the scope's stores and days, most first: the
    pain point, else what the comment says by the keyword rules, else other (the reason
    the segments page and the weekly report count; none is '')."""
    where, params = scope.where("responded_at", moment=True)
    return df(
        con,
        "SELECT coalesce(reason, pain_point, '') AS pain_point,"  # noqa: S608 - where from Scope
        " CAST(count(*) AS BIGINT) AS detractors"
        f" FROM responses WHERE {rules.DETRACTOR_SQL} AND {where} GROUP BY ALL"
        " ORDER BY detractors DESC, pain_point",
        params,
    )


def month_target(con: duckdb.DuckDBPyConnection, scope: Scope, month: date) -> float | None:
    """The NPS target of the scope for a month by the one rule every page uses
    (:func:`cx.targets.resolve_nps_target`: a store's row, else the '*' default)."""
    return targets.resolve_nps_target(con, scope, month)["value"]


def mtd_daily(con: duckdb.DuckDBPyConnection, scope: Scope, month: date) -> pd.DataFrame:
    """Month-to-date NPS after each day with answers of ``month``.

    Columns: day, day_no (1-based day of the month), n, d, p (that day), cum_n, mtd_nps.
    """
    first = month_start(month)
    where, params = scope.days(first, month_end(first)).where("day")
    out = df(
        con,
        "SELECT day, CAST(extract(day FROM day) AS INTEGER) AS day_no, n, d, p,"  # noqa: S608 - where from Scope
        " CAST(sum(n) OVER w AS BIGINT) AS cum_n, CAST(sum(d) OVER w AS BIGINT) AS cum_d,"
        " CAST(sum(p) OVER w AS BIGINT) AS cum_p"
        " FROM (SELECT day, CAST(sum(n) AS BIGINT) AS n, CAST(sum(d) AS BIGINT) AS d,"
        f" CAST(sum(p) AS BIGINT) AS p FROM daily_rollup WHERE {where} GROUP BY day"
        " HAVING sum(n) > 0)"
        " WINDOW w AS (ORDER BY day ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)"
        " ORDER BY day",
        params,
    )
    # the NPS definition lives in cx.stats; passives are what is left of the answers
    out["mtd_nps"] = [
        stats.nps(d, n - d - p, p)
        for n, d, p in zip(out["cum_n"], out["cum_d"], out["cum_p"], strict=True)
    ]
    return out.drop(columns=["cum_d", "cum_p"])


# --------------------------------------------------------------------------- scenarios


@no_followups
def scenarios(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Saved scenarios (name, saved_at, saved_by), newest first."""
    return df(
        con,
        "SELECT name, saved_at, saved_by FROM scenarios ORDER BY saved_at DESC, name",
    )


@no_followups
def scenario_payload(
    con: duckdb.DuckDBPyConnection, name: str, with_scope: bool = False
) -> str | tuple[str, str | None] | None:
    """The JSON text of a saved scenario (with ``with_scope``: and the store key it was
    planned on, None for the network's), or None."""
    rows = con.execute("SELECT payload, scope FROM scenarios WHERE name = ?", [name]).fetchall()
    if not rows:
        return None
    return (rows[0][0], rows[0][1]) if with_scope else rows[0][0]


def save_scenario(
    con: duckdb.DuckDBPyConnection,
    name: str,
    payload: str,
    user: str | None = None,
    scope: str | None = None,
) -> None:
    """Save (or overwrite) a scenario by name; bumps the data version in the same
    transaction. ``scope``: the planner's store key the plan was made on (who may read
    it: :data:`cx.access._SHADOW`); None is the network's."""
    name = name.strip()
    if not name:
        raise ValueError("a scenario needs a name")
    with db.transaction(con):
        con.execute(
            "INSERT OR REPLACE INTO scenarios (name, payload, saved_at, saved_by, scope)"
            " VALUES (?, ?, ?, ?, ?)",
            [name, payload, config.local_now(), user or config.current_user(), scope],
        )
        db.bump_data_version(con)


def delete_scenario(con: duckdb.DuckDBPyConnection, name: str) -> bool:
    """Remove the saved scenario ``name``; bumps the data version in the same transaction.
    False when no scenario had that name (another trainer removed it first). Who may:
    ``scenarios.save`` (:data:`cx.access.WRITES`), held by roles that read every store."""
    with db.transaction(con):
        gone = con.execute("DELETE FROM scenarios WHERE name = ? RETURNING name", [name]).fetchall()
        if gone:
            db.bump_data_version(con)
    return bool(gone)
