"""SQL for the honest signals (:mod:`cx.signals`): gaming-review counts per advisor and
store, month-end counts, and NPS counts for the drop alerts. Raw ``responses`` (the
patterns live in single answers: time taken, comment, phone); values bound.

``stores`` is a tuple of store ids (empty: every store).
"""

from __future__ import annotations

from datetime import date, timedelta

import duckdb
import pandas as pd

from cx import rules, signals
from cx.queries import df

_COUNTS = (
    "CAST(count(*) AS BIGINT) AS n,"
    " CAST(count(duration_seconds) AS BIGINT) AS dur_n,"
    " CAST(count(*) FILTER (WHERE duration_seconds < ?) AS BIGINT) AS fast,"
    " CAST(count(*) FILTER (WHERE nps = 10) AS BIGINT) AS tens,"
    " CAST(count(*) FILTER (WHERE nps = 10 AND coalesce(trim(comment), '') = '') AS BIGINT)"
    " AS silent"
)


def _scope(stores: tuple[str, ...]) -> tuple[str, list]:
    if not stores:
        return "TRUE", []
    return f"store_id IN ({', '.join('?' for _ in stores)})", list(stores)


def _window(start: date, end: date) -> list:
    return [start, end + timedelta(days=1)]


def _grouped(
    con: duckdb.DuckDBPyConnection, keys: str, start: date, end: date, stores: tuple[str, ...]
) -> pd.DataFrame:
    """The review counts grouped by ``keys`` (a fixed fragment) over ``start`` .. ``end``.

    rep / key_n: answers from a customer (phone, else customer id) already seen in the
    group in the window / answers with such a key. The ingest and the demo store text
    trimmed, a blank as NULL (``cx.validate``), so the key is the stored values as they
    are: trimming ten million phones again cost more than the grouping itself.
    """
    where, params = _scope(stores)
    sql = (
        "WITH w AS (SELECT store_id, coalesce(advisor, '') AS advisor, nps, comment,"  # noqa: S608 (fixed fragments; values bound)
        " duration_seconds, coalesce(phone, customer_id)"
        f" AS who FROM responses WHERE responded_at >= ? AND responded_at < ? AND {where}),"
        f" c AS (SELECT {keys}, {_COUNTS} FROM w GROUP BY ALL),"
        f" k AS (SELECT {keys}, CAST(sum(m) AS BIGINT) AS key_n, CAST(sum(m - 1) AS BIGINT) AS rep"
        f" FROM (SELECT {keys}, who, count(*) AS m FROM w WHERE who IS NOT NULL GROUP BY ALL)"
        " GROUP BY ALL)"
        f" SELECT c.*, coalesce(k.key_n, 0) AS key_n, coalesce(k.rep, 0) AS rep"
        f" FROM c LEFT JOIN k USING ({keys}) ORDER BY {keys}"
    )
    return df(con, sql, [*_window(start, end), *params, signals.FAST_SECONDS])


def advisor_counts(
    con: duckdb.DuckDBPyConnection, start: date, end: date, stores: tuple[str, ...] = ()
) -> pd.DataFrame:
    """Per store and advisor ('' for answers without one): n, dur_n, fast, tens, silent,
    key_n, rep over ``start`` .. ``end``."""
    return _grouped(con, "store_id, advisor", start, end, stores)


def store_counts(
    con: duckdb.DuckDBPyConnection, start: date, end: date, stores: tuple[str, ...] = ()
) -> pd.DataFrame:
    """The same counts per store."""
    return _grouped(con, "store_id", start, end, stores)


def month_end_months(end: date, k: int = signals.MONTH_END_MONTHS) -> list[tuple[date, date]]:
    """The ``k`` latest calendar months whose last day is on or before ``end``."""
    cur = rules.month_start(end) if rules.month_end(end) == end else rules.previous_month(end)
    months: list[tuple[date, date]] = []
    for _ in range(k):
        months.append((cur, rules.month_end(cur)))
        cur = rules.previous_month(cur)
    return months[::-1]


def month_end_counts(
    con: duckdb.DuckDBPyConnection, end: date, stores: tuple[str, ...] = ()
) -> pd.DataFrame:
    """Per store over :func:`month_end_months`: answers and 10s in the last
    ``signals.MONTH_END_DAYS`` days of each month (me_n, me_tens) and on its other days
    (rest_n, rest_tens)."""
    months = month_end_months(end)
    where, params = _scope(stores)
    me = "day(responded_at) > day(last_day(responded_at)) - ?"
    sql = (
        "SELECT store_id,"  # noqa: S608 (fixed fragments; values bound)
        f" CAST(count(*) FILTER (WHERE {me}) AS BIGINT) AS me_n,"
        f" CAST(count(*) FILTER (WHERE {me} AND nps = 10) AS BIGINT) AS me_tens,"
        f" CAST(count(*) FILTER (WHERE NOT ({me})) AS BIGINT) AS rest_n,"
        f" CAST(count(*) FILTER (WHERE NOT ({me}) AND nps = 10) AS BIGINT) AS rest_tens"
        f" FROM responses WHERE responded_at >= ? AND responded_at < ? AND {where}"
        " GROUP BY store_id ORDER BY store_id"
    )
    days = signals.MONTH_END_DAYS
    return df(con, sql, [days, days, days, days, *_window(months[0][0], months[-1][1]), *params])


def nps_counts(
    con: duckdb.DuckDBPyConnection, start: date, end: date, stores: tuple[str, ...] = ()
) -> pd.DataFrame:
    """Per store with answers: d, pa, p over ``start`` .. ``end`` (from the daily rollup)."""
    where, params = _scope(stores)
    return df(
        con,
        "SELECT store_id, CAST(sum(d) AS BIGINT) AS d, CAST(sum(pa) AS BIGINT) AS pa,"  # noqa: S608 (fixed fragment; values bound)
        f" CAST(sum(p) AS BIGINT) AS p FROM daily_rollup WHERE day BETWEEN ? AND ? AND {where}"
        " GROUP BY store_id HAVING sum(n) > 0 ORDER BY store_id",
        [start, end, *params],
    )


def gaming_review(
    con: duckdb.DuckDBPyConnection,
    end: date,
    stores: tuple[str, ...] = (),
    start: date | None = None,
    q: float = signals.FDR,
) -> pd.DataFrame:
    """Every gaming test over ``start`` .. ``end`` (default: the
    ``signals.WINDOW_DAYS`` days up to ``end``) with q-values and flags."""
    start = start or end - timedelta(days=signals.WINDOW_DAYS - 1)
    hist_end = start - timedelta(days=1)
    hist_start = start - timedelta(days=signals.HISTORY_DAYS)
    tests = signals.gaming_tests(
        advisor_counts(con, start, end, stores),
        store_counts(con, start, end, stores),
        store_counts(con, hist_start, hist_end, stores),
        month_end_counts(con, end, stores),
    )
    return signals.review(tests, q)


def drop_review(
    con: duckdb.DuckDBPyConnection, day: date, stores: tuple[str, ...] = (), q: float = signals.FDR
) -> pd.DataFrame:
    """Drop alerts for ``day``: the ``signals.DROP_DAYS`` days up to it against the
    ``signals.DROP_BASE_DAYS`` days before them, per store (see ``cx.signals.drop_tests``)."""
    start = day - timedelta(days=signals.DROP_DAYS - 1)
    base_end = start - timedelta(days=1)
    base_start = base_end - timedelta(days=signals.DROP_BASE_DAYS - 1)
    return signals.drop_tests(
        nps_counts(con, start, day, stores), nps_counts(con, base_start, base_end, stores), q
    )
