"""SQL for the honest signals (:mod:`cx.signals`): gaming-review counts per advisor and
store, month-end counts, and NPS counts for the drop alerts. The review counts read raw
``responses`` (the patterns live in single answers: time taken, comment, phone), the
month-end and NPS counts the daily rollup; values bound.

``stores`` is a tuple of store ids (empty: every store).
"""

from __future__ import annotations

import json
from datetime import date, datetime, time, timedelta

import duckdb
import pandas as pd

from cx import db, rules, signals
from cx.queries import df, text_df

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


def _counts(
    con: duckdb.DuckDBPyConnection, keys: str, start: date, end: date, stores: tuple[str, ...]
) -> pd.DataFrame:
    """The review counts grouped by ``keys`` (store_id, or store_id and advisor; '' for
    answers without an advisor) over ``start`` .. ``end``.

    key_n: answers with a customer key (phone, else customer id; ``cx.db.WHO_SQL``).
    rep: those whose customer had already answered in the group within the window, and
    rep_store: within the store. Each answer carries when its customer last answered for
    the store and for the store's advisor (``cx.db.REPEAT_COLUMNS``, kept by every
    write), so both are filters over the window's answers: a distinct count of ten
    million phones cost 1.4 s, the filter 50 ms.
    """
    where, params = _scope(stores)
    select = keys.replace("advisor", "coalesce(advisor, '') AS advisor")
    sql = (
        f"SELECT {select}, {_COUNTS},"  # noqa: S608 (fixed fragments; values bound)
        f" CAST(count({db.WHO_SQL}) AS BIGINT) AS key_n,"
        " CAST(count(*) FILTER (WHERE prev_advisor_at >= ?) AS BIGINT) AS rep,"
        " CAST(count(*) FILTER (WHERE prev_store_at >= ?) AS BIGINT) AS rep_store"
        f" FROM responses WHERE responded_at >= ? AND responded_at < ? AND {where}"
        f" GROUP BY ALL ORDER BY {keys}"
    )
    start_at = datetime.combine(start, time())
    return df(con, sql, [signals.FAST_SECONDS, start_at, start_at, *_window(start, end), *params])


def advisor_counts(
    con: duckdb.DuckDBPyConnection, start: date, end: date, stores: tuple[str, ...] = ()
) -> pd.DataFrame:
    """Per store and advisor ('' for answers without one): n, dur_n, fast, tens, silent,
    key_n, rep (within the advisor's answers), rep_store (within the store's) over
    ``start`` .. ``end``."""
    return _counts(con, "store_id, advisor", start, end, stores)


def store_counts(
    con: duckdb.DuckDBPyConnection, start: date, end: date, stores: tuple[str, ...] = ()
) -> pd.DataFrame:
    """The same counts per store (rep within the store)."""
    out = _counts(con, "store_id", start, end, stores)
    return out.drop(columns="rep").rename(columns={"rep_store": "rep"})


def _per_store(advisors: pd.DataFrame) -> pd.DataFrame:
    """:func:`store_counts` from :func:`advisor_counts` of the same window."""
    sums = ["n", "dur_n", "fast", "tens", "silent", "key_n", "rep_store"]
    out = advisors.groupby("store_id", sort=True, as_index=False)[sums].sum()
    return out.rename(columns={"rep_store": "rep"})


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
    (rest_n, rest_tens), from the daily rollup."""
    months = month_end_months(end)
    where, params = _scope(stores)
    me = "day(day) > day(last_day(day)) - ?"
    sql = (
        "SELECT store_id,"  # noqa: S608 (fixed fragments; values bound)
        f" CAST(coalesce(sum(n) FILTER (WHERE {me}), 0) AS BIGINT) AS me_n,"
        f" CAST(coalesce(sum(n10) FILTER (WHERE {me}), 0) AS BIGINT) AS me_tens,"
        f" CAST(coalesce(sum(n) FILTER (WHERE NOT ({me})), 0) AS BIGINT) AS rest_n,"
        f" CAST(coalesce(sum(n10) FILTER (WHERE NOT ({me})), 0) AS BIGINT) AS rest_tens"
        f" FROM daily_rollup WHERE day BETWEEN ? AND ? AND {where}"
        " GROUP BY store_id HAVING sum(n) > 0 ORDER BY store_id"
    )
    days = signals.MONTH_END_DAYS
    return df(con, sql, [days, days, days, days, months[0][0], months[-1][1], *params])


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


def gaming_tests(
    con: duckdb.DuckDBPyConnection, start: date, end: date, stores: tuple[str, ...] = ()
) -> pd.DataFrame:
    """Every gaming test over ``start`` .. ``end`` with its p-value (before the
    false-discovery control, :func:`cx.signals.review`). Each test is about one store
    (an advisor against the rest of the store, the store against its own history), so the
    tests of some stores are those rows of the tests of all."""
    hist_end = start - timedelta(days=1)
    hist_start = start - timedelta(days=signals.HISTORY_DAYS)
    advisors = advisor_counts(con, start, end, stores)
    return signals.gaming_tests(
        advisors.drop(columns="rep_store"),
        _per_store(advisors),
        store_counts(con, hist_start, hist_end, stores),
        month_end_counts(con, end, stores),
    )


def gaming_review(
    con: duckdb.DuckDBPyConnection,
    end: date,
    stores: tuple[str, ...] = (),
    start: date | None = None,
    q: float = signals.FDR,
) -> pd.DataFrame:
    """Every gaming test over ``start`` .. ``end`` (default: the
    ``signals.WINDOW_DAYS`` days up to ``end``) with q-values and flags. The tests of
    the dates the pages open on are read from ``gaming_window`` (:func:`store_gaming`)."""
    start = start or end - timedelta(days=signals.WINDOW_DAYS - 1)
    tests = stored_gaming(con, start, end, stores)
    if tests is None:
        tests = gaming_tests(con, start, end, stores)
    return signals.review(tests, q)


_GAMING_KEY = "gaming_window"  # meta: what gaming_window holds (_gaming_held)


def gaming_windows(first: date, last: date) -> list[tuple[date, date]]:
    """The review windows kept in ``gaming_window`` for answers from ``first`` to
    ``last``: the dates the pages open on (the segments page,
    :func:`cx.rules.default_period`) and the board's review of the last
    ``signals.WINDOW_DAYS`` days (a region's or the network's flags)."""
    board = (last - timedelta(days=signals.WINDOW_DAYS - 1), last)
    return list(dict.fromkeys([rules.default_period(first, last), board]))


def _gaming_held(windows: list[tuple[date, date]]) -> str:
    """What ``gaming_window`` holds, as meta records it: its windows and the settings the
    tests are run with (a new version that changes them computes from the answers until
    its first write)."""
    settings = [
        signals.FAST_SECONDS,
        signals.HISTORY_DAYS,
        signals.MONTH_END_DAYS,
        signals.MONTH_END_MONTHS,
        signals.MIN_N,
        list(signals.ADVISOR_SIGNALS),
        list(signals.STORE_SIGNALS),
        signals.TEST_COLUMNS,
    ]
    return json.dumps({"windows": [[str(a), str(b)] for a, b in windows], "settings": settings})


def store_gaming(con: duckdb.DuckDBPyConnection) -> None:
    """Keep ``gaming_window``: every store's gaming tests over each of
    :func:`gaming_windows`. Called by every write inside its transaction once the rollups
    and repeat columns are current, so the segments page and a network's board read a few
    thousand rows instead of two scans of raw answers and thousands of exact tests (at ten
    million answers 170 and 160 ms, after every upload)."""
    con.execute("DELETE FROM gaming_window")
    con.execute("DELETE FROM gaming_flags")
    db.set_meta(con, _GAMING_KEY, None)
    first, last = con.execute("SELECT min(day), max(day) FROM daily_rollup").fetchall()[0]
    if last is None:
        return
    windows = gaming_windows(first, last)
    for start, end in windows:
        tests = gaming_tests(con, start, end).reset_index(drop=True)
        rows = tests.assign(ord=range(len(tests)), start_day=start, end_day=end)
        con.register("cx_gaming_df", rows)
        try:
            con.execute("INSERT INTO gaming_window BY NAME SELECT * FROM cx_gaming_df")
        finally:
            con.unregister("cx_gaming_df")
        # the whole network's flags over the window (its board shows them)
        flags = signals.gaming_flags(signals.review(tests))
        con.execute("INSERT INTO gaming_flags VALUES (?, ?, ?)", [start, end, json.dumps(flags)])
    db.set_meta(con, _GAMING_KEY, _gaming_held(windows))


def kept_flags(con: duckdb.DuckDBPyConnection, start: date, end: date) -> list[dict] | None:
    """The whole network's gaming flags over ``start`` .. ``end`` as every write keeps
    them (:func:`store_gaming`: ``signals.gaming_flags`` of the window's review), or None
    when they are not kept (other dates or settings, or a reader limited to some stores:
    cx.access shows them no row)."""
    windows = _held_windows(con)
    if windows is None or (start, end) not in windows:
        return None
    rows = con.execute(
        "SELECT flags FROM gaming_flags WHERE start_day = ? AND end_day = ?", [start, end]
    ).fetchall()
    return json.loads(rows[0][0]) if rows else None


def _held_windows(con: duckdb.DuckDBPyConnection) -> list[tuple[date, date]] | None:
    """The windows ``gaming_window`` holds with the current settings (None: none)."""
    held = db.meta_value(con, _GAMING_KEY)
    if held is None:
        return None
    try:
        windows = [
            (date.fromisoformat(a), date.fromisoformat(b)) for a, b in json.loads(held)["windows"]
        ]
    except (ValueError, TypeError, KeyError):  # written by an earlier version
        return None
    return windows if held == _gaming_held(windows) else None


def stored_count(con: duckdb.DuckDBPyConnection, start: date, end: date) -> int:
    """How many tests :func:`store_gaming` keeps over ``start`` .. ``end`` (the rows this
    reader may see)."""
    return con.execute(
        "SELECT count(*) FROM gaming_window WHERE start_day = ? AND end_day = ?", [start, end]
    ).fetchall()[0][0]


def stored_gaming(
    con: duckdb.DuckDBPyConnection, start: date, end: date, stores: tuple[str, ...] = ()
) -> pd.DataFrame | None:
    """The stored tests (:func:`store_gaming`) of ``stores`` (empty: all) when
    ``start`` .. ``end`` is a window kept with the current settings; else None."""
    windows = _held_windows(con)
    if windows is None or (start, end) not in windows:
        return None
    where, params = _scope(stores)
    cols = ", ".join(signals.TEST_COLUMNS)
    out = text_df(
        con,
        f"SELECT {cols} FROM gaming_window WHERE start_day = ? AND end_day = ? AND {where}"  # noqa: S608 (fixed fragments; values bound)
        " ORDER BY ord",
        [start, end, *params],
    )
    advisor = out["advisor"].astype(object)  # None for a store's own tests, as computed
    out["advisor"] = advisor.where(advisor.notna(), None)
    return out


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
