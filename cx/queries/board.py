"""SQL of the daily NPS board: counts per period, daily series, ranking, alerts,
the callback queue and the weekly report's data.

Which stores: a :class:`~cx.scope.Scope` (``Scope.where(None, ...)``: its dates are not
used, every query here sets its own day ranges).
Counts come from ``daily_rollup``; the callback queue and the report's reasons read
raw ``responses`` joined with ``followups`` (a bounded window only).
All arguments are hashable (tuples, dates, strings) so ``cx.ui.load`` can cache them.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date, datetime, timedelta

import duckdb
import numpy as np
import pandas as pd

from cx import followups, report, rules, stats, targets
from cx.queries import df, no_followups, scalar
from cx.queries import kept as kept_frames
from cx.scope import Scope

Range = tuple[str, date, date]  # (key, first day, last day), both inclusive


@no_followups
def latest_day(con: duckdb.DuckDBPyConnection, scope: Scope) -> date | None:
    """The latest day with answers for the scope."""
    where, params = scope.where(None)
    return scalar(con, f"SELECT max(day) FROM daily_rollup WHERE n > 0 AND {where}", params)  # noqa: S608 (fixed fragment)


SILENT_DAYS = 7
"""The days up to a store's latest answers that tell whether it usually answers daily
(:func:`silent_stores`)."""
SILENT_LEAST = 5
"""Days with answers among those :data:`SILENT_DAYS` that make a store one that usually
answers."""
SILENT_SINCE = 31
"""How long ago a store's latest answers may lie and it still be named as silent."""
WEEKDAY_WEEKS = 4
"""The weeks up to a store's latest answers that tell on which weekdays it answers."""
WEEKDAY_LEAST = 2
"""Of those weeks, the ones with answers on a weekday that make it one the store answers on
(a store with fewer whole weeks of answers: as many as it has, at least one)."""
CLOSED_SHARE = 0.5
"""A day on which fewer than this share of the usual number of stores had answers is one
the network closed (the Spring Festival, a national holiday): no store's silence on it
is held against the store (:func:`silent_stores`)."""
CLOSED_USUAL_DAYS = 28
"""The days before a day whose median number of stores with answers is its usual number."""
CLOSED_LEAST_STORES = 10
"""The usual number of stores with answers below which no day is judged closed: a reader
who sees one store (or a few) would find every day of its silence a closed one."""


@no_followups
def silent_stores(
    con: duckdb.DuckDBPyConnection, scope: Scope, day: date, within: int | None = SILENT_SINCE
) -> pd.DataFrame:
    """The stores of ``scope`` without answers on ``day`` that usually answer every day
    (answers on at least :data:`SILENT_LEAST` of the :data:`SILENT_DAYS` days up to their
    latest) and whose latest answers lie within ``within`` days before it (None: any
    time): their uploads may have stopped, while the scope's other stores make the day
    look whole. A day on which most stores had no answers (:data:`CLOSED_SHARE` of the
    usual number, among at least :data:`CLOSED_LEAST_STORES` the reader sees) is one the
    network closed and counts against no store: the Spring Festival's first days named
    nearly every store. A store stays named however many days it has been silent (it had dropped
    out after four days), once one of its silent days is a weekday it answers on (on
    :data:`WEEKDAY_LEAST` of the :data:`WEEKDAY_WEEKS` weeks before): a store closed on
    Sundays, or at weekends, was named every Sunday, in every calendar week's report. On
    the scope's newest day, which may be loaded only in part (an export at 7:45 holds the
    day's first answers), the store must have been silent on such a day before it: two
    early answers had every other store named. Columns store_id, latest (its latest day
    with answers), days (of the 7 days up to it, with answers), n (answers in those days);
    by store_id. The whole network's on its latest day comes from the frame every
    write keeps (:func:`keep_silent`)."""
    if scope.kind == "network" and within == SILENT_SINCE:
        kept = kept_frames.get(con, _SILENT, (day,), _silent_sig())
        if kept is not None:
            return kept
    return _silent_stores(con, scope, day, within)


_SILENT = "board:silent"


def _silent_sig() -> str:
    return kept_frames.signature(_SILENT, (_silent_stores, keep_silent), _NO_SILENT)


@kept_frames.keeper
def keep_silent(con: duckdb.DuckDBPyConnection) -> None:
    """The whole network's :func:`silent_stores` on its latest day with answers (the
    board's and the digest's day; its rule's query 5-13 ms a view at ten million
    answers), kept by every write of answers."""
    day = latest_day(con, Scope())
    if day is not None:
        frame = _silent_stores(con, Scope(), day, SILENT_SINCE)
        kept_frames.put(con, _SILENT, (day,), _silent_sig(), frame)


def _silent_stores(
    con: duckdb.DuckDBPyConnection, scope: Scope, day: date, within: int | None
) -> pd.DataFrame:
    """:func:`silent_stores`' rule, from the rollups."""
    where, params = scope.where(None)
    first = day - timedelta(days=within) if within is not None else date(1, 1, 1)
    # the stores without answers on the day, first: most days there are none, and the
    # rule's query costs 7-13 ms at ten million answers even then (this one 1-2 ms)
    quiet = (
        f"SELECT store_id FROM daily_rollup WHERE n > 0 AND day BETWEEN ? AND ? AND {where}"  # noqa: S608 (fixed fragment; values bound)
        " GROUP BY store_id HAVING max(day) < ? LIMIT 1"
    )
    if not con.execute(quiet, [first, day, *params, day]).fetchall():
        return df(con, _NO_SILENT, [])
    newest = latest_day(con, scope)
    until = day - timedelta(days=1) if newest is not None and day >= newest else day
    sql = (
        "WITH last AS (SELECT store_id, max(day) AS latest FROM daily_rollup"  # noqa: S608 (fixed fragment; values bound)
        f" WHERE n > 0 AND day BETWEEN ? AND ? AND {where} GROUP BY store_id"
        " HAVING max(day) < ?),"
        # the days the network closed: a day's stores with answers against the median of
        # the days before it (every store the reader sees, whatever the scope)
        " cal AS (SELECT CAST(g.d AS DATE) AS day FROM (SELECT min(latest) AS lo FROM last) b,"
        " unnest(generate_series(CAST(b.lo + 1 - ? AS TIMESTAMP), CAST(? AS TIMESTAMP),"
        " INTERVAL 1 DAY)) AS g(d)),"
        " answering AS (SELECT day, count(*) AS k FROM daily_rollup WHERE n > 0"
        " AND day BETWEEN (SELECT min(day) FROM cal) AND ? GROUP BY day),"
        " closed AS (SELECT day FROM (SELECT c.day, coalesce(a.k, 0) AS k,"
        " median(coalesce(a.k, 0)) OVER (ORDER BY c.day"
        f" ROWS BETWEEN {int(CLOSED_USUAL_DAYS)} PRECEDING AND 1 PRECEDING) AS norm"
        " FROM cal c LEFT JOIN answering a USING (day)) WHERE norm >= ? AND k < norm * ?),"
        " seen AS (SELECT r.store_id, r.day FROM last l JOIN daily_rollup r"
        " ON r.store_id = l.store_id AND r.n > 0 AND r.day BETWEEN l.latest - ? AND l.latest),"
        " weeks AS (SELECT store_id, (max(day) - min(day) + 1) // 7 AS w FROM seen GROUP BY 1),"
        " usual AS (SELECT s.store_id, dayofweek(s.day) AS dow FROM seen s JOIN weeks w"
        " USING (store_id) GROUP BY s.store_id, dow, w.w"
        " HAVING count(*) >= least(?, greatest(1, w.w))),"
        " missed AS (SELECT DISTINCT l.store_id FROM last l,"
        " unnest(generate_series(CAST(l.latest + 1 AS TIMESTAMP), CAST(? AS TIMESTAMP),"
        " INTERVAL 1 DAY)) AS g(d)"
        " JOIN usual u ON u.store_id = l.store_id AND u.dow = dayofweek(g.d)"
        " WHERE CAST(g.d AS DATE) NOT IN (SELECT day FROM closed))"
        " SELECT l.store_id, l.latest, count(*) AS days, sum(r.n)::BIGINT AS n"
        " FROM last l JOIN daily_rollup r ON r.store_id = l.store_id AND r.n > 0"
        " AND r.day BETWEEN l.latest - ? AND l.latest"
        " WHERE l.store_id IN (SELECT store_id FROM missed)"
        " GROUP BY l.store_id, l.latest HAVING count(*) >= ? ORDER BY l.store_id"
    )
    return df(
        con,
        sql,
        [
            first,
            day,
            *params,
            day,
            CLOSED_USUAL_DAYS,
            until,
            until,
            CLOSED_LEAST_STORES,
            CLOSED_SHARE,
            7 * WEEKDAY_WEEKS - 1,
            WEEKDAY_LEAST,
            until,
            SILENT_DAYS - 1,
            SILENT_LEAST,
        ],
    )


# silent_stores' columns when no store is silent, typed as its query types them
_NO_SILENT = (
    "SELECT NULL::VARCHAR AS store_id, NULL::DATE AS latest, 0::BIGINT AS days,"
    " 0::BIGINT AS n WHERE FALSE"
)


def silent_latest(
    con: duckdb.DuckDBPyConnection, scope: Scope, day: date
) -> tuple[tuple[str, date], ...]:
    """(store_id, latest day) of :func:`silent_stores`, for a sentence that names them."""
    silent = silent_stores(con, scope, day)
    return tuple(
        (sid, pd.Timestamp(latest).date())
        for sid, latest in zip(silent["store_id"], silent["latest"], strict=True)
    )


def answers_on(con: duckdb.DuckDBPyConnection, scope: Scope, day: date) -> int:
    """How many answers ``scope``'s stores have on ``day``."""
    where, params = scope.where(None)
    sql = f"SELECT coalesce(sum(n), 0) FROM daily_rollup WHERE day = ? AND {where}"  # noqa: S608 (fixed fragment)
    return int(scalar(con, sql, [day, *params]))


@no_followups
def store_targets(con: duckdb.DuckDBPyConnection, scope: Scope, month: date) -> dict[str, float]:
    """Each store's NPS target of ``month`` by the store rule (its own row, else the
    ``'*'`` default, as :func:`cx.targets.get_target`); stores without one left out."""
    where, params = scope.where(None, "s.store_id")
    sql = (
        "SELECT s.store_id, CASE WHEN o.store_id IS NOT NULL THEN o.nps_target"  # noqa: S608 (fixed fragment; values bound)
        " ELSE a.nps_target END FROM stores s"
        " LEFT JOIN targets o ON o.store_id = s.store_id AND o.month = ?"
        " LEFT JOIN targets a ON a.store_id = ? AND a.month = ?"
        f" WHERE {where}"
    )
    month = rules.month_start(month)
    rows = con.execute(sql, [month, targets.DEFAULT, month, *params]).fetchall()
    return {sid: float(v) for sid, v in rows if v is not None}


def first_day(con: duckdb.DuckDBPyConnection, scope: Scope) -> date | None:
    """The first day with answers for the scope."""
    where, params = scope.where(None)
    return scalar(con, f"SELECT min(day) FROM daily_rollup WHERE n > 0 AND {where}", params)  # noqa: S608 (fixed fragment)


@no_followups
def latest_answer(con: duckdb.DuckDBPyConnection) -> datetime | None:
    """The latest ``responded_at`` in the database (the queue's clock uses it)."""
    return scalar(con, "SELECT max(responded_at) FROM responses")


def range_counts(
    con: duckdb.DuckDBPyConnection, scope: Scope, ranges: tuple[Range, ...]
) -> dict[str, tuple[int, int, int]]:
    """(d, pa, p) summed over each named day range: the rollup summed per day over all
    the ranges in one pass (:func:`daily_series`), the ranges summed from those days
    (:func:`sum_ranges`; one aggregate filtered per range and count cost DuckDB 10-15 ms
    for the board's 18, on 61 days)."""
    if not ranges:
        return {}
    lo = min(r[1] for r in ranges)
    hi = max(r[2] for r in ranges)
    return sum_ranges(daily_series(con, scope, lo, hi), ranges)


def sum_ranges(days: pd.DataFrame, ranges: tuple[Range, ...]) -> dict[str, tuple[int, int, int]]:
    """(d, pa, p) summed over each named day range from :func:`daily_series`' rows (which
    must cover the ranges: the board reads its days once for its KPIs and its trend)."""
    at = days["date"].to_numpy(dtype="datetime64[D]")
    counts = days[["d", "pa", "p"]].to_numpy(dtype="int64")
    out = {}
    for key, start, end in ranges:
        inside = (at >= np.datetime64(start, "D")) & (at <= np.datetime64(end, "D"))
        out[key] = tuple(int(v) for v in counts[inside].sum(axis=0))
    return out


def daily_series(
    con: duckdb.DuckDBPyConnection, scope: Scope, start: date, end: date
) -> pd.DataFrame:
    """One row per day with answers: date, d, pa, p, n."""
    where, params = scope.where(None)
    return df(
        con,
        "SELECT day AS date, sum(d)::BIGINT AS d, sum(pa)::BIGINT AS pa, sum(p)::BIGINT AS p,"  # noqa: S608 (fixed fragments and code-constant keys; values bound)
        " sum(n)::BIGINT AS n FROM daily_rollup"
        f" WHERE day BETWEEN ? AND ? AND {where} GROUP BY day ORDER BY day",
        [start, end] + params,
    )


def store_counts(
    con: duckdb.DuckDBPyConnection, scope: Scope, ranges: tuple[Range, ...], kept: bool = True
) -> pd.DataFrame:
    """Per store of the scope: id, name, region and ``<key>_d/_pa/_p`` per range.

    Every store of the scope appears (zero counts when it had no answers). The rollup is
    summed per store first, then joined to the stores (a network's 1,912: 25-35 -> 17-22
    ms at ten million answers), each range's sums as CASE sums rather than FILTERs. The
    whole network's on its latest day are read as every write keeps them (:func:`keep`),
    unless ``kept`` is False.
    """
    if kept and not (scope.regions or scope.stores):
        got = kept_frames.get(con, "board:store_counts", ranges, _store_counts_sig())
        if got is not None:
            return got
    where, params = scope.where(None, "s.store_id")
    # the scope's rows only, summed: a store's own board had summed every store's (7.6 ms
    # at ten million answers for one store, 1.5 ms its own)
    inner, inner_params = scope.where(None)
    names = [f"{key}_{col}" for key, _s, _e in ranges for col in ("d", "pa", "p")]
    sums, bind = [], []
    for key, start, end in ranges:
        for col in ("d", "pa", "p"):
            sums.append(f"sum(CASE WHEN day BETWEEN ? AND ? THEN {col} ELSE 0 END) AS {key}_{col}")
            bind += [start, end]
    lo = min(r[1] for r in ranges)
    hi = max(r[2] for r in ranges)
    return df(
        con,
        "SELECT s.store_id, coalesce(s.store_name, s.store_id) AS store_name, s.region,"  # noqa: S608 (fixed fragments and code-constant keys; values bound)
        f" {', '.join(f'coalesce(a.{n}, 0)::BIGINT AS {n}' for n in names)}"
        f" FROM stores s LEFT JOIN (SELECT store_id, {', '.join(sums)} FROM daily_rollup"
        f" WHERE day BETWEEN ? AND ? AND {inner} GROUP BY store_id) a ON a.store_id = s.store_id"
        f" WHERE {where} ORDER BY s.store_id",
        bind + [lo, hi] + inner_params + params,
    )


def _store_counts_sig() -> str:
    return kept_frames.signature("board:store_counts", (store_counts, report.store_ranges))


@kept_frames.keeper
def keep(con: duckdb.DuckDBPyConnection) -> None:
    """The whole network's per-store counts of its board on the latest day with answers
    (the ranking and the drop alerts of 1,912 stores: 27 ms a view at 10M answers), its
    drop alerts (:func:`store_drops`) and its ranking (:func:`keep_ranking`)."""
    day = latest_day(con, Scope())
    if day is not None:
        ranges = report.store_ranges(day)
        got = store_counts(con, Scope(), ranges, kept=False)
        kept_frames.put(con, "board:store_counts", ranges, _store_counts_sig(), got)
        kept_frames.put(con, _DROPS, ranges, _drops_sig(), report.drop_alerts(got))
        keep_ranking(con, day, got)


_DROPS = "board:drops"
_RANKED = "board:ranked"


def _drops_sig() -> str:
    from cx import signals

    return kept_frames.signature(
        _DROPS, (report.drop_alerts, signals.drop_frame, signals.drop_tests, keep)
    )


def _ranked_sig() -> str:
    return kept_frames.signature(
        _RANKED, (report.ranking, store_targets, keep_ranking, stats.nps_interval_arrays)
    )


def store_drops(
    con: duckdb.DuckDBPyConnection,
    scope: Scope,
    ranges: tuple[Range, ...],
    per_store: pd.DataFrame | Callable[[], pd.DataFrame],
) -> pd.DataFrame:
    """:func:`cx.report.drop_alerts` of ``per_store`` (:func:`store_counts` of
    ``ranges``, or a function giving them, called only when needed); the whole network's
    on its latest day as every write keeps them (the test of each of 1,912 stores: 5 ms
    a view at ten million answers)."""
    if not (scope.regions or scope.stores):
        got = kept_frames.get(con, _DROPS, ranges, _drops_sig())
        if got is not None:
            return got
    return report.drop_alerts(per_store() if callable(per_store) else per_store)


def store_ranking(
    con: duckdb.DuckDBPyConnection,
    scope: Scope,
    month: date,
    ranges: tuple[Range, ...],
    per_store: pd.DataFrame | Callable[[], pd.DataFrame],
) -> pd.DataFrame:
    """:func:`cx.report.ranking` of ``per_store`` (as :func:`store_drops` takes it), each
    store beside its own target of ``month``; the whole network's on its latest day as
    every write of answers and every target saved keep it (:func:`keep_ranking`: 8 ms a
    view at ten million answers)."""
    if not (scope.regions or scope.stores):
        got = kept_frames.get(con, _RANKED, (month, *ranges), _ranked_sig())
        if got is not None:
            return got
    frame = per_store() if callable(per_store) else per_store
    return report.ranking(frame, targets=store_targets(con, scope, month))


def keep_ranking(
    con: duckdb.DuckDBPyConnection, day: date | None = None, per_store: pd.DataFrame | None = None
) -> None:
    """The whole network's :func:`store_ranking` on its latest day with answers (``day``,
    whose :func:`store_counts` are ``per_store``, when the caller has them), the old one
    dropped: every write of answers keeps it, and every target saved
    (:func:`cx.targets.set_target`), since each store's target stands beside it."""
    con.execute("DELETE FROM kept_frames WHERE name = ?", [_RANKED])
    day = day if day is not None else latest_day(con, Scope())
    if day is None:
        return
    ranges = report.store_ranges(day)
    month = rules.month_start(day)
    if per_store is None:
        per_store = store_counts(con, Scope(), ranges)
    frame = report.ranking(per_store, targets=store_targets(con, Scope(), month))
    kept_frames.put(con, _RANKED, (month, *ranges), _ranked_sig(), frame)


# --------------------------------------------------------------------------- follow-ups


def _deadline_sql(at: str, score: str) -> str:
    """When an answer's callback is due: its time ``at`` plus its segment's hours (three
    bound parameters, :func:`_deadline_params`); ``at`` and ``score`` are column names."""
    return f"{at} + to_hours(CAST({rules.segment_case_sql(score, ('?', '?', '?'))} AS BIGINT))"


_DEADLINE = _deadline_sql("r.responded_at", "r.nps")


_EPOCH = datetime(1970, 1, 1)


_HOUR_US = 3_600_000_000


def _deadline_params() -> list[int]:
    h = followups.DEADLINE_HOURS
    return [h["detractor"], h["passive"], h["promoter"]]


# A follow-up's state (``followups``' columns), and where the log keeps each of them;
# the answer's store, time and score are the follow-up's own (``c``).
_STATE = "response_id, status, owner, note, root_cause, updated_at, updated_by"
_LOGGED = {
    "response_id": "l.response_id",
    "status": "l.status",
    "owner": "l.owner",
    "note": "l.note",
    "root_cause": "l.root_cause",
    "updated_at": "l.changed_at AS updated_at",
    "updated_by": "l.changed_by AS updated_by",
    "store_id": "c.store_id",
    "answered_at": "c.answered_at",
    "nps": "c.nps",
}


def _followups_as_of(days: str, changed_since: bool, columns: str = _STATE) -> str:
    """The follow-up state, as it stood at ``now``, of the answers ``days`` picks (a
    condition on ``followups``: the window's answer times and stores): the latest change
    logged at or before then (none: the answer was still open). ``followups`` holds each
    answer's latest logged change (every write puts both), so a follow-up last changed by
    then is read as it is, and the log is read, when ``changed_since``, only for those
    changed after it (yesterday's board at 8:30: this morning's callbacks). ``columns``:
    the state's (:data:`_STATE`, read from the log for those) and any of the answer's
    that ``followups`` keeps (its store, time and score, :func:`cx.db.answers_sql`).
    Bound: the condition's values and ``now``; with ``changed_since`` then the
    condition's values, ``now``, ``now`` again and the earliest first change
    (``followups.first_at``) of those changed since: the log is written in time order, so
    only its row groups from then on are read. Ordering the whole log per answer took
    0.9-1.4 s for the network at 10 million answers (4 million changes logged); reading
    the log of those changed since took 56 ms, from their first change on 6 ms."""
    then = f"SELECT {columns} FROM followups WHERE {days} AND updated_at <= ?"  # noqa: S608 (fixed fragments; values bound)
    if not changed_since:
        return f"({then})"
    logged = ", ".join(_LOGGED[c] for c in columns.split(", "))
    return (
        f"({then} UNION ALL SELECT * FROM (SELECT {logged} FROM followup_log l"  # noqa: S608 (fixed fragments; values bound)
        f" JOIN (SELECT * FROM followups WHERE {days} AND updated_at > ?) c USING (response_id)"
        " WHERE l.changed_at <= ? AND l.changed_at >= ?"
        " QUALIFY row_number() OVER (PARTITION BY l.response_id"
        " ORDER BY l.changed_at DESC, l.rowid DESC) = 1))"
    )


def _past_state(
    con: duckdb.DuckDBPyConnection,
    scope: Scope,
    now: datetime,
    window_days: int,
    columns: str = _STATE,
) -> tuple[str, list]:
    """:func:`_followups_as_of` for the follow-ups of the answers in ``scope``'s window up
    to ``now``, and its parameters: the log is read only when one of them changed after
    ``now``, from the earliest first change of those on (a file whose follow-ups lack
    it, none written since schema 16: from the start)."""
    stores, of = scope.where(None, "store_id")
    days = f"answered_at > ? AND answered_at <= ? AND {stores}"  # the answers' own
    mine = [now - timedelta(days=window_days), now, *of, now]
    changed, first, dated = con.execute(
        f"SELECT count(*), min(first_at), count(first_at) FROM followups"  # noqa: S608 (fixed fragments; values bound)
        f" WHERE {days} AND updated_at > ?",
        mine,
    ).fetchall()[0]
    state = _followups_as_of(days, bool(changed), columns)
    if not changed:
        return state, mine
    return state, [*mine, *mine, now, first if dated == changed else datetime.min]


LOOKUP_MAX = 1500
"""A queue of at most this many answers reads its follow-ups by key (the table's index:
6 ms for a store's 400 answers at 4 million follow-ups); a longer one reads the follow-ups
of its days (``followups.answered_at``, kept equal to the answer's time by every write:
the network's 357,000 answers at 10 million joined all 4 million follow-ups in 125 ms,
those of their days in 16 ms)."""


def _queue_rows(
    con: duckdb.DuckDBPyConnection,
    scope: Scope,
    now: datetime,
    window_days: int,
    include_closed: bool,
    past: bool,
    only_detractors: bool = False,
) -> tuple[str, list]:
    """The FROM and WHERE of the callback queue (answers ``r`` with their follow-up state
    ``f``; detractors only with ``only_detractors``), and its parameters: one definition
    for the listed queue and its counts."""
    where, params = scope.where(None, "r.store_id")
    window = f" WHERE r.responded_at > ? AND r.responded_at <= ? AND {where}"
    window_params = [now - timedelta(days=window_days), now, *params]
    closed = "" if include_closed else " AND coalesce(f.status, 'open') NOT IN (?, ?)"
    closed_params = [] if include_closed else list(followups.CLOSED)
    if past:
        state, state_params = _past_state(con, scope, now, window_days)
    else:
        ids = con.execute(
            f"SELECT r.response_id FROM responses r{window} LIMIT ?",  # noqa: S608 (fixed fragments; values bound)
            [*window_params, LOOKUP_MAX + 1],
        ).fetchall()
        if len(ids) <= LOOKUP_MAX:  # a constant IN list: DuckDB looks each key up
            keys = ", ".join("?" for _ in ids) or "NULL"
            state = f"(SELECT * FROM followups WHERE response_id IN ({keys}))"  # noqa: S608 (placeholders)
            state_params = [i for (i,) in ids]
        else:  # the follow-ups of the window's answers, by when they were answered
            state = "(SELECT * FROM followups WHERE answered_at > ? AND answered_at <= ?)"
            state_params = window_params[:2]
    only = f" AND {rules.segment_case_sql('r.nps')} = 'detractor'" if only_detractors else ""
    sql = f" FROM responses r LEFT JOIN {state} f USING (response_id){window}{closed}{only}"
    return sql, state_params + window_params + closed_params


def callback_queue(
    con: duckdb.DuckDBPyConnection,
    scope: Scope,
    now: datetime,
    window_days: int = followups.QUEUE_WINDOW_DAYS,
    include_closed: bool = False,
    past: bool = False,
    only_detractors: bool = False,
    limit: int | None = None,
) -> pd.DataFrame:
    """Answers of the last ``window_days`` up to ``now`` with their follow-up state.

    ``now`` is the board's "as of" moment: no answer after it is listed. The follow-up
    state is the current one, or with ``past`` (a board looking back at an earlier day)
    the state it had at ``now`` (the latest change in ``followup_log`` by then). Open and
    contacted ones (all, with ``include_closed``; detractors only with
    ``only_detractors``), most urgent first, in the order the page's cards, its table and
    its export share: the open ones first (a contacted or closed callback is under way or
    done: contacted detractors sat above overdue open passives), then contacted, then
    closed; within each detractors first, then by deadline. With ``limit``, the ``limit``
    most urgent (a network's queue at 10 million answers held 331,000).
    Columns: response_id, store_id, responded_at, nps, segment, key_touchpoint,
    pain_point, reason, reason_rule (a detractor's reason, :mod:`cx.painpoints`), comment,
    customer_name (personal data: masked where shown, and its own name masked inside the
    comment, :func:`cx.privacy.mask_frame`), advisor, phone, status, owner, note, root_cause, updated_at,
    updated_by, deadline, hours_left (negative = past the deadline), overdue
    (:func:`cx.followups.is_overdue`: past the deadline and still open).
    """
    rows, params = _queue_rows(con, scope, now, window_days, include_closed, past, only_detractors)
    segment = rules.segment_case_sql("r.nps")
    status = "coalesce(f.status, 'open')"
    stage = f"CASE {status} WHEN 'open' THEN 0 WHEN 'contacted' THEN 1 ELSE 2 END"
    order = f"{stage}, {segment} <> 'detractor', deadline, r.responded_at, r.response_id"
    tail: list = []
    if limit is not None:
        order += " LIMIT ?"
        tail = [limit]
    out = df(
        con,
        "SELECT r.response_id, r.store_id, r.responded_at, r.nps,"
        f" {segment} AS segment, r.key_touchpoint, r.pain_point,"
        " r.reason, r.reason_rule, r.comment, r.customer_name,"
        f" r.advisor, r.phone, {status} AS status, f.owner, f.note,"
        f" f.root_cause, f.updated_at, f.updated_by, {_DEADLINE} AS deadline"
        f"{rows} ORDER BY {order}",
        _deadline_params() + params + tail,
    )
    hours = (out["deadline"] - pd.Timestamp(now)).dt.total_seconds() / 3600.0
    out["hours_left"] = hours.astype(float)
    out["overdue"] = followups.is_overdue(out["status"], out["hours_left"])
    return out


def queue_size(
    con: duckdb.DuckDBPyConnection,
    scope: Scope,
    now: datetime,
    window_days: int = followups.QUEUE_WINDOW_DAYS,
    include_closed: bool = False,
    past: bool = False,
    only_detractors: bool = False,
) -> tuple[int, int, int]:
    """How many answers :func:`callback_queue` holds with the same arguments, how many
    of them are overdue and how many are still open (not yet contacted), counted in the
    database."""
    rows, params = _queue_rows(con, scope, now, window_days, include_closed, past, only_detractors)
    overdue = followups.overdue_sql("s.status", "s.deadline", "?")
    n, late, still_open = con.execute(
        f"SELECT count(*), count(*) FILTER (WHERE {overdue}),"  # noqa: S608 (fixed fragments; values bound)
        " count(*) FILTER (WHERE s.status = 'open') FROM ("
        f" SELECT coalesce(f.status, 'open') AS status, {_DEADLINE} AS deadline{rows}) s",
        [now, *_deadline_params(), *params],
    ).fetchall()[0]
    return int(n), int(late), int(still_open)


def queue_counts(
    con: duckdb.DuckDBPyConnection,
    scope: Scope,
    now: datetime,
    window_days: int = followups.QUEUE_WINDOW_DAYS,
    past: bool = False,
) -> pd.DataFrame:
    """Per store with answers in the open queue (:func:`callback_queue`'s rows, counted in
    the database: a network's queue is too long to load for four numbers): ``open``
    callbacks, ``overdue`` detractor callbacks, ``overdue_all`` of every segment
    (:func:`cx.followups.overdue_sql`) and ``due_today`` (open, due within 24 hours).

    The window's answers are counted as if all were open, less the answers whose
    follow-up is no longer open (each follow-up keeps its answer's time, store and
    score, cx.db.answers_sql), without joining the two: every column counts open
    callbacks only. A store is listed while it has an answer that is neither resolved
    nor unreachable. With ``past`` the follow-ups are as they stood at ``now``
    (:func:`_past_state`). A network's 330,000 answers at 10 million: 55 -> 30 -> 17 ms
    as things stand; as they stood, 46-66 ms joining the answers to their state, this
    29-32 ms (when the log is read, its scan adds about 100 ms)."""
    where, params = scope.where(None, "store_id")
    hours = _deadline_params()
    window = [now - timedelta(days=window_days), now]

    # Each row's deadline in microseconds since 1970, compared with now's: integer sums
    # and comparisons (a timestamp plus an interval, per filter, cost 12 of the 25 ms of
    # a network's 357,000 answers).
    counts = (
        "count(*) AS listed, count(*) FILTER (WHERE due < ?) AS overdue_all,"
        f" count(*) FILTER (WHERE due < ? AND {rules.DETRACTOR_SQL}) AS overdue,"
        " count(*) FILTER (WHERE due >= ? AND due < ?) AS due_today"
    )

    def rows(at: str) -> str:
        per_segment = rules.segment_case_sql("nps", ("?", "?", "?"))  # its hours, bound
        return f"epoch_us({at}) + {per_segment} AS due, nps"

    now_us = (now - _EPOCH) // timedelta(microseconds=1)
    bind = [now_us, now_us, now_us, now_us + 24 * _HOUR_US]
    hours_us = [h * _HOUR_US for h in hours]
    closed = list(followups.CLOSED)
    if past:
        state, state_params = _past_state(
            con, scope, now, window_days, "status, store_id, answered_at, nps"
        )
        not_open = f"{state} WHERE status <> 'open'"
    else:
        not_open = (
            f"followups WHERE answered_at > ? AND answered_at <= ? AND status <> 'open' AND {where}"
        )
        state_params = [*window, *params]
    # The two counts joined by store, not stacked and grouped again, and a detractor told
    # by its score, not by its segment's name: a network's at ten million answers, 20-23
    # -> 16-17 ms.
    cols = ("open", "overdue", "overdue_all", "due_today")
    net = ", ".join(
        f"coalesce(a.{n}, 0) - coalesce(b.{n}, 0) AS {c}"
        for c, n in zip(cols, ("listed", *cols[1:]), strict=True)
    )
    return df(
        con,
        f"SELECT coalesce(a.store_id, b.store_id) AS store_id, {net} FROM ("  # noqa: S608 (fixed fragments; values bound)
        f"SELECT store_id, {counts} FROM (SELECT store_id, {rows('responded_at')}"
        " FROM responses WHERE responded_at > ? AND responded_at <= ?"
        f" AND {where}) GROUP BY store_id) a FULL JOIN (SELECT store_id, {counts},"
        f" count(*) FILTER (WHERE status NOT IN ({', '.join('?' for _ in closed)}))"
        f" AS contacted FROM (SELECT store_id, status, {rows('answered_at')}"
        f" FROM {not_open}) GROUP BY store_id) b ON a.store_id = b.store_id"
        " WHERE coalesce(a.listed, 0) - coalesce(b.listed, 0) + coalesce(b.contacted, 0) > 0"
        " ORDER BY 1",
        [*bind, *hours_us, *window, *params, *bind, *closed, *hours_us, *state_params],
    )  # BIGINT counts, never NULL: int64 columns as they come (recast, 1.5 ms more)


def overdue_by_store(
    con: duckdb.DuckDBPyConnection,
    scope: Scope,
    now: datetime,
    window_days: int = followups.QUEUE_WINDOW_DAYS,
    past: bool = False,
    counts: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Per store with work left as of ``now``: ``open`` callbacks in the queue, ``overdue``
    detractor callbacks and ``overdue_all`` callbacks of every segment (the queue's rule:
    past the deadline and still open), most overdue detractors first; stores with no
    overdue detractor are left out. ``counts``: :func:`queue_counts` when already read."""
    if counts is None:
        counts = queue_counts(con, scope, now, window_days, past)
    per = counts.loc[counts["overdue"].to_numpy() > 0, list(_OVERDUE_COLUMNS)]
    # numpy's sort on the two keys: pandas' took 1.9 ms for a network's 1,839 stores (1.2)
    order = np.lexsort((per["store_id"].to_numpy(), -per["overdue"].to_numpy()))
    return per.take(order).reset_index(drop=True)


_OVERDUE_COLUMNS = {"store_id": "str", "open": "int64", "overdue": "int64", "overdue_all": "int64"}


def target_for(
    con: duckdb.DuckDBPyConnection, scope: Scope, month: date, until: date | None = None
) -> dict | None:
    """The month's NPS target of the scope by the one rule
    (:func:`cx.targets.resolve_nps_target`, as of ``until``): ``{"nps_target",
    "milestones", "is_default", "source", "stores"}``, or None when there is none."""
    return _target(targets.resolve_nps_target(con, scope, month, until))


def _target(got: dict) -> dict | None:
    if got["value"] is None:
        return None
    return {
        "nps_target": got["value"],
        "milestones": got["milestones"],
        "is_default": got["source"] == "default",
        "source": got["source"],
        "stores": got["stores"],
    }


def targets_for(
    con: duckdb.DuckDBPyConnection, scope: Scope, months: tuple[date, ...], until: date
) -> dict[date, dict | None]:
    """:func:`target_for` for several months as of ``until`` (one query for all; the
    whole network's of its latest month and the one before as every write keeps them
    for its latest day, :func:`keep_targets`)."""
    starts = tuple(rules.month_start(m) for m in months)
    got = None
    if scope.kind == "network":
        kept = kept_frames.get(con, _TARGETS, (*starts, until), _targets_sig())
        got = _kept_targets(kept)
    if got is None:
        got = targets.resolve_nps_targets(con, scope, months, until)
    return {m: _target(got[rules.month_start(m)]) for m in months}


_TARGETS = "board:targets"
NETWORK_BOARD_FRAMES = (_DROPS, _RANKED, _TARGETS)
"""The kept frames the network's board tab reads (:func:`cx.queries.kept.together`)."""


def kept_targets(con: duckdb.DuckDBPyConnection, day: date) -> dict[date, dict]:
    """The whole network's :func:`cx.targets.resolve_nps_targets` of ``day``'s month and
    the month before as every write keeps them when ``day`` is the latest day with
    answers (:func:`keep_targets`; nothing comes after it, so the same as without an
    end), else empty. The overview's card reads it: 6-8 ms at ten million answers."""
    month = rules.month_start(day)
    args = (rules.previous_month(month), month, day)
    return _kept_targets(kept_frames.get(con, _TARGETS, args, _targets_sig())) or {}


def _targets_sig() -> str:
    return kept_frames.signature(
        _TARGETS, (targets.resolve_nps_targets, keep_targets, _kept_targets)
    )


@kept_frames.keeper
def keep_targets(con: duckdb.DuckDBPyConnection) -> None:
    """The whole network's NPS target of its latest month and the month before (the
    board's headline and trend: the stores' targets weighted by their answers, 10-16 ms a
    view at ten million answers), kept by every write of answers and every target saved
    (:func:`cx.targets.set_target`), the old frame replaced."""
    con.execute("DELETE FROM kept_frames WHERE name = ?", [_TARGETS])
    day = latest_day(con, Scope())
    if day is None:
        return
    month = rules.month_start(day)
    months = (rules.previous_month(month), month)
    got = targets.resolve_nps_targets(con, Scope(), months, day)
    frame = pd.DataFrame(
        {
            "month": list(months),
            "value": [got[m]["value"] for m in months],
            "source": [got[m]["source"] for m in months],
            "milestones": [
                json.dumps({str(k): v for k, v in got[m]["milestones"].items()}) for m in months
            ],
            "stores": [int(got[m]["stores"]) for m in months],
        }
    )
    kept_frames.put(con, _TARGETS, (*months, day), _targets_sig(), frame)


def _kept_targets(frame: pd.DataFrame | None) -> dict[date, dict] | None:
    """:func:`cx.targets.resolve_nps_targets`'s answer back from its kept frame."""
    if frame is None:
        return None
    out = {}
    for r in frame.to_dict("records"):
        value = r["value"]
        out[pd.Timestamp(r["month"]).date()] = {
            "value": None if value is None or value != value else float(value),
            "source": r["source"],
            "milestones": {int(k): float(v) for k, v in json.loads(r["milestones"]).items()},
            "stores": int(r["stores"]),
        }
    return out


def last_month_level(con: duckdb.DuckDBPyConnection, scope: Scope, day: date) -> tuple:
    """(d, pa, p) of the whole month before ``day``'s month."""
    prev = rules.previous_month(day)
    return range_counts(con, scope, (("m", prev, rules.month_end(prev)),))["m"]


# --------------------------------------------------------------------------- weekly report


def week_report_data(
    con: duckdb.DuckDBPyConnection,
    scope: Scope,
    start: date,
    now: datetime,
    end: date | None = None,
    states_at: datetime | None = None,
) -> dict:
    """What the weekly report needs for ``start`` .. ``end`` (default: the 7 days from
    ``start``), its follow-ups as they stood at ``states_at`` (default ``now``;
    :data:`cx.followups.AS_THEY_ARE` for the states of now, as the latest day's queue
    shows them whatever its ``now``).

    counts (this week / the 7 days before it / the month to ``end`` / the month before /
    the 28 days to ``end`` for the pace), the detractors' top reasons, detractor
    callbacks done on time / late / not done, the open actions (detractors of the week
    not yet resolved or unreachable), the follow-ups closed during the week (``done``)
    and, for more than one store, each store's week and the week before (``by_store``,
    :func:`store_counts`).
    """
    end = end or start + timedelta(days=6)
    at = states_at or now
    prev = (start - timedelta(days=7), start - timedelta(days=1))
    month = rules.month_start(end)
    last_month = rules.previous_month(end)
    counts = range_counts(
        con,
        scope,
        (
            ("week", start, end),
            ("prev", *prev),
            ("mtd", month, end),
            ("last_month", last_month, rules.month_end(last_month)),
            ("recent", end - timedelta(days=27), end),
        ),
    )
    where, params = scope.where(None, "r.store_id")
    reasons = df(
        con,
        # each detractor's reason as the segments page counts it: its pain point, else what
        # its comment says by the keyword rules (cx.painpoints), else other
        "SELECT coalesce(r.reason, r.pain_point, '') AS reason, count(*) AS n FROM responses r"  # noqa: S608 (fixed fragments and code-constant keys; values bound)
        f" WHERE {rules.detractor_sql('r.nps')} AND CAST(r.responded_at AS DATE) BETWEEN ? AND ?"
        f" AND {where} GROUP BY ALL ORDER BY n DESC, reason",
        [start, end] + params,
    )
    # the week's detractors first, then only their follow-up log rows (aggregating the
    # whole log on every board render cost 865 ms at 4M log rows; this way 9 ms), each
    # follow-up as it stood at ``states_at`` (the report of an earlier day had counted this
    # morning's callbacks, and disagreed with that day's queue): as it is when last
    # changed by then, else its last logged change by then (none: still open). Their log
    # rows by then are read once (``log``): the three reads of the whole log, one for each
    # use, took 440-590 ms of a network's report at ten million answers.
    dets = df(
        con,
        "WITH d AS (SELECT r.response_id, r.store_id, r.responded_at, r.nps, r.pain_point,"  # noqa: S608 (fixed fragments and code-constant keys; values bound)
        " r.reason, r.reason_rule, r.advisor FROM responses r"
        f" WHERE {rules.detractor_sql('r.nps')} AND CAST(r.responded_at AS DATE) BETWEEN ? AND ?"
        f" AND {where}),"
        " log AS MATERIALIZED (SELECT l.response_id, l.status, l.owner, l.note, l.changed_at,"
        " l.rowid AS seq FROM followup_log l WHERE l.changed_at <= ?"
        " AND l.response_id IN (SELECT response_id FROM d)),"
        # a callback counts from its first done change since it was last reopened (a
        # card's tap undone, back to open, had still counted as a callback made)
        " reopened AS (SELECT response_id, max(changed_at) AS at FROM log"
        " WHERE status = 'open' GROUP BY response_id),"
        " done AS (SELECT l.response_id, min(l.changed_at) AS done_at,"
        " min(l.changed_at) FILTER (WHERE l.status IN (?, ?)) AS reached_at FROM log l"
        " LEFT JOIN reopened o USING (response_id)"
        " WHERE l.status IN (?, ?, ?) AND (o.at IS NULL OR l.changed_at > o.at)"
        " GROUP BY l.response_id),"
        " f AS (SELECT response_id, status, owner, note FROM followups"
        " WHERE response_id IN (SELECT response_id FROM d) AND updated_at <= ?"
        " UNION ALL SELECT * FROM (SELECT l.response_id, l.status, l.owner, l.note"
        " FROM log l WHERE l.response_id IN (SELECT response_id"
        " FROM followups WHERE response_id IN (SELECT response_id FROM d) AND updated_at > ?)"
        " QUALIFY row_number() OVER (PARTITION BY l.response_id"
        " ORDER BY l.changed_at DESC, l.seq DESC) = 1))"
        " SELECT d.response_id, d.store_id, d.responded_at, d.nps, d.pain_point, d.reason,"
        " d.reason_rule, d.advisor,"
        " coalesce(f.status, 'open') AS status, f.owner, f.note,"
        " d.responded_at + to_hours(CAST(? AS BIGINT)) AS deadline, done.done_at,"
        " done.reached_at"
        " FROM d LEFT JOIN f USING (response_id)"
        " LEFT JOIN done USING (response_id)"
        " ORDER BY d.responded_at, d.response_id",
        [start, end, *params, at, *followups.REACHED, *followups.DONE, at, at]
        + [followups.DEADLINE_HOURS["detractor"]],
    )
    # the week's days as moments: the log is written in time order, so DuckDB skips the
    # row groups of other weeks, which a cast to a date hides from it
    days, day_params = Scope(start=start, end=end).where("l.changed_at", moment=True)
    done = df(
        con,
        "SELECT l.response_id, r.store_id, r.nps, l.status, l.owner, l.root_cause, l.note,"  # noqa: S608 (fixed fragments and code-constant keys; values bound)
        " l.changed_at FROM followup_log l JOIN responses r USING (response_id)"
        f" WHERE l.status IN (?, ?, ?) AND {days}"
        f" AND l.changed_at <= ? AND {where}"
        # not one undone by then (reopened after it)
        " AND NOT EXISTS (SELECT 1 FROM followup_log o WHERE o.response_id = l.response_id"
        " AND o.status = 'open' AND o.changed_at > l.changed_at AND o.changed_at <= ?)"
        " ORDER BY l.changed_at, l.response_id",
        [*followups.DONE, *day_params, at, *params, at],
    )
    out = {
        "start": start,
        "end": end,
        "now": now,
        "week": counts["week"],
        "prev": counts["prev"],
        "mtd": counts["mtd"],
        "last_month": counts["last_month"],
        "recent": counts["recent"],
        "reasons": reasons,
        "detractors": dets,
        "done": done,
    }
    if scope.kind != "store":  # each store's week: which one the week went wrong in
        out["by_store"] = store_counts(con, scope, (("week", start, end), ("prev", *prev)))
    return out
