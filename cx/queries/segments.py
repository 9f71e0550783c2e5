"""Segment distributions: the SQL behind the page.

The whole network's histogram and splits by the breakdowns with few groups come from
``daily_splits`` (kept by every write, :func:`store_splits`); the other breakdowns, a
region's or some stores' counts and the listed comments read raw ``responses`` (the
store-day rollup holds no per-score counts and no breakdown columns), and detractors'
reasons are the ones each was given when written. Every function taking a connection is cached by
``cx.ui.load`` (its arguments are hashable: a :class:`~cx.scope.Scope` and strings);
the pure shaping of the frames (``histogram_frame``, ``totals``, ``group_table``,
``compare_periods``, ``previous_period``) lives in :mod:`cx.segments`; the score-gaming
review is :mod:`cx.signals`.

Breakdown columns come only from :data:`DIMENSIONS` and are quoted with
:func:`cx.queries.quote_ident`; all values are bound parameters.
"""

from __future__ import annotations

import math
from datetime import datetime, time, timedelta

import duckdb
import pandas as pd

from cx import config, painpoints, privacy, rules, signals
from cx import segments as shape
from cx.queries import df, quote_ident
from cx.queries import kept as kept_frames
from cx.scope import Scope

DIMENSIONS: tuple[str, ...] = (
    "vehicle_model",
    "service_type",
    "channel",
    "customer_tier",
    "advisor",
    "key_touchpoint",
    "region",
    "store",
)
"""The breakdowns a user may pick (the allow-list)."""

# dimension -> (table alias, column); region lives in stores, the rest in responses.
_COLUMNS: dict[str, tuple[str, str]] = {
    "vehicle_model": ("r", "vehicle_model"),
    "service_type": ("r", "service_type"),
    "channel": ("r", "channel"),
    "customer_tier": ("r", "customer_tier"),
    "advisor": ("r", "advisor"),
    "key_touchpoint": ("r", "key_touchpoint"),
    "region": ("s", "region"),
    "store": ("r", "store_id"),
}
_ALLOWED = {col for _, col in _COLUMNS.values()}


def _counts(nps: str) -> str:
    """A split's counts of the answers' score column ``nps``: n, d, pa, p, n10."""
    return (
        f"count(*) AS n, {rules.segment_counts_sql(nps)},"
        f" {rules.count_where_sql(f'{nps} = 10')} AS n10"
    )


_COUNTS = _counts("r.nps")
# the same counts summed over stored rows (daily_splits)
_SUMMED = ", ".join(f"CAST(sum({c}) AS BIGINT) AS {c}" for c in ("n", "d", "pa", "p", "n10"))
_DETRACTOR = rules.detractor_sql("r.nps")
_AT = "r.responded_at"  # an answer counts on the day of this moment (Scope.where's moment)
_FROM = "FROM responses r"
_FROM_STORES = "FROM responses r LEFT JOIN stores s ON s.store_id = r.store_id"  # names, regions


def _where(flt: Scope) -> tuple[str, list]:
    return flt.where(_AT, "r.store_id", moment=True)


def _group_expr(dim: str) -> str:
    """SQL expression of a breakdown; advisors are keyed by store (names repeat across stores)."""
    if dim not in _COLUMNS:
        raise ValueError(f"unknown breakdown {dim!r}")
    alias, col = _COLUMNS[dim]
    ident = f"{alias}.{quote_ident(col, _ALLOWED)}"
    if dim == "advisor":
        return f"r.store_id || ' · ' || {ident}"
    return f"CAST({ident} AS VARCHAR)"


# --------------------------------------------------------------------------- SQL


def histogram(con: duckdb.DuckDBPyConnection, flt: Scope, kept: bool = True) -> pd.DataFrame:
    """Answers per score 0-10 (all eleven scores, zeros included) with their segment
    (the whole network's from ``daily_splits`` unless ``kept`` is False)."""
    got = _kept_counts(con, flt, SCORE, "CAST(grp AS INTEGER) AS score, ") if kept else None
    if got is None:
        where, params = _where(flt)
        got = df(
            con,
            f"SELECT r.nps AS score, count(*) AS n {_FROM} WHERE {where} GROUP BY 1",
            params,
        )
    return shape.histogram_frame(got)


def split_counts(
    con: duckdb.DuckDBPyConnection, flt: Scope, dim: str, kept: bool = True
) -> pd.DataFrame:
    """Counts per group of ``dim``: grp ('' = not given), name, n, d, pa, p, n10 (the
    whole network's from ``daily_splits`` for the breakdowns it keeps, unless ``kept``
    is False)."""
    got = _kept_counts(con, flt, dim, "grp, NULL AS name, ") if kept else None
    if got is not None:
        return got
    expr = _group_expr(dim)
    name = "any_value(s.store_name)" if dim == "store" else "NULL"
    where, params = _where(flt)
    source = _FROM_STORES if dim in ("region", "store") else _FROM
    sql = (
        f"SELECT coalesce({expr}, '') AS grp, {name} AS name, {_COUNTS}"
        f" {source} WHERE {where} GROUP BY 1 ORDER BY 1"
    )
    return df(con, sql, params)


# --------------------------------------------------------------------------- kept splits

KEPT_DIMS = ("vehicle_model", "service_type", "channel", "customer_tier", "key_touchpoint")
"""The breakdowns ``daily_splits`` keeps for the whole network: few groups each (the
advisors, stores and regions are many, or move with a store's region)."""
SCORE = "score"
"""``daily_splits``' dim of the 0-10 answer itself (the histogram; grp is the score)."""


def _kept_counts(
    con: duckdb.DuckDBPyConnection, flt: Scope, dim: str, head: str
) -> pd.DataFrame | None:
    """``dim``'s counts per group over ``flt``'s days from ``daily_splits`` (``head``:
    the leading columns, fixed text), or None: not the whole network, a breakdown it does
    not keep, or no row (no answers then, or a reader limited to some stores, who sees no
    row of it, cx.access: the caller reads the answers)."""
    if flt.regions or flt.stores or (dim not in KEPT_DIMS and dim != SCORE):
        return None
    where, params = Scope(start=flt.start, end=flt.end).where("day")
    got = df(
        con,
        f"SELECT {head}{_SUMMED} FROM daily_splits WHERE dim = ? AND {where}"  # noqa: S608 (fixed text; values bound)
        " GROUP BY grp ORDER BY grp",
        [dim, *params],
    )
    return got if len(got) else None


def _splits_sql(source: str) -> str:
    """SELECT of ``daily_splits``' rows (day, dim, grp, n, d, pa, p, n10) of the answers
    of ``source`` (a fixed relation with the contract's columns): every kept breakdown
    and the score, one pass (grouping sets)."""
    groups = [*(f"coalesce(CAST({quote_ident(d, KEPT_DIMS)} AS VARCHAR), '')" for d in KEPT_DIMS)]
    groups.append("CAST(nps AS VARCHAR)")
    names = [*KEPT_DIMS, SCORE]
    cols = ", ".join(f"{g} AS g{i}" for i, g in enumerate(groups))
    dim = " ".join(f"WHEN GROUPING(g{i}) = 0 THEN '{n}'" for i, n in enumerate(names))
    sets = ", ".join(f"(day, g{i})" for i in range(len(groups)))
    return (
        f"SELECT day, CASE {dim} END AS dim,"  # noqa: S608 (our names; the caller's relation)
        f" coalesce({', '.join(f'g{i}' for i in range(len(groups)))}) AS grp, {_counts('nps')}"
        f" FROM (SELECT CAST(responded_at AS DATE) AS day, nps, {cols} FROM {source})"
        f" GROUP BY GROUPING SETS ({sets})"
    )


def store_splits(
    con: duckdb.DuckDBPyConnection, days: str | None = None, added: str | None = None
) -> None:
    """Keep ``daily_splits``: the whole network's answers per day counted by every kept
    breakdown (:data:`KEPT_DIMS`) and by score. ``days``: a query of the days whose
    answers changed (None: every day); ``added``: the write only added answers, all in
    that relation, whose counts are added to the stored ones. Called by every write
    inside its transaction (the table holds a few dozen rows a day: rewritten whole
    when answers are added)."""
    order = " ORDER BY day, dim, grp"
    if days is None:
        con.execute(f"CREATE OR REPLACE TABLE daily_splits AS {_splits_sql('responses')}{order}")
        return
    if added is not None:
        con.execute(
            f"CREATE OR REPLACE TABLE daily_splits AS SELECT day, dim, grp, {_SUMMED} FROM ("  # noqa: S608 (our names; the caller's relation)
            f"SELECT * FROM daily_splits UNION ALL {_splits_sql(added)}) GROUP BY ALL{order}"
        )
        return
    changed = [d for (d,) in con.execute(f"SELECT DISTINCT * FROM ({days})").fetchall()]  # noqa: S608 (the caller's query)
    if not changed:
        return
    con.execute("DELETE FROM daily_splits WHERE day IN (SELECT unnest(?))", [changed])
    within = (
        "(SELECT * FROM responses WHERE responded_at >= ? AND responded_at < ?"
        " AND CAST(responded_at AS DATE) IN (SELECT unnest(?)))"
    )
    con.execute(
        f"INSERT INTO daily_splits BY NAME {_splits_sql(within)}",
        [min(changed), max(changed) + timedelta(days=1), changed],
    )


def split(con: duckdb.DuckDBPyConnection, flt: Scope, dim: str) -> pd.DataFrame:
    """The split table of ``dim`` for the filters (see :func:`cx.segments.group_table`)."""
    return shape.group_table(split_counts(con, flt, dim))


def comparison(
    con: duckdb.DuckDBPyConnection, flt: Scope, dim: str, cur: pd.DataFrame | None = None
) -> pd.DataFrame:
    """This period vs the previous one (:func:`cx.rules.previous_window`), per group of ``dim``
    (``cur``: this period's :func:`split_counts`, when the caller has it already)."""
    cur = split_counts(con, flt, dim) if cur is None else cur
    prev = shape.previous_period(flt)
    before = cur.iloc[0:0] if prev is None else split_counts(con, prev, dim)
    return shape.compare_periods(cur, before)


def detractor_counts(con: duckdb.DuckDBPyConnection, flt: Scope, kept: bool = True) -> pd.DataFrame:
    """The filters' detractors counted by reason and rule (columns reason, rule, n: the
    reason and rule each detractor was given when written, ``cx.db.REASON_COLUMNS``).
    One pass for the Pareto table and the comments of a reason. The whole network's over
    the dates the page opens on are read as every write keeps them (:func:`keep`),
    unless ``kept`` is False."""
    if kept and not (flt.regions or flt.stores) and flt.start and flt.end:
        got = kept_frames.get(con, "segments:detractor_counts", (flt.start, flt.end), _sig())
        if got is not None:
            return got
    where, params = _where(flt)
    return df(
        con,
        f"SELECT r.reason, r.reason_rule AS rule, count(*) AS n {_FROM}"
        f" WHERE {where} AND {_DETRACTOR} GROUP BY ALL ORDER BY ALL",
        params,
    )


def _sig() -> str:
    return kept_frames.signature("segments", (detractor_counts,), _FROM, _DETRACTOR)


@kept_frames.keeper
def keep(con: duckdb.DuckDBPyConnection) -> None:
    """The whole network's detractors by reason over the dates the page opens on
    (:func:`cx.rules.default_period`): a scan of 90 days of answers a view."""
    dates = kept_frames.default_dates(con)
    if dates is not None:
        got = detractor_counts(con, Scope(start=dates[0], end=dates[1]), kept=False)
        kept_frames.put(con, "segments:detractor_counts", dates, _sig(), got)


def reasons_by_store(con: duckdb.DuckDBPyConnection, flt: Scope) -> pd.DataFrame:
    """The detractors of the filters by store and reason: store_id, store_name, reason, n
    (every store with a detractor; the segments page's reasons by store)."""
    where, params = _where(flt)
    return df(
        con,
        f"SELECT r.store_id, any_value(s.store_name) AS store_name, r.reason, count(*) AS n"
        f" {_FROM_STORES} WHERE {where} AND {_DETRACTOR} GROUP BY r.store_id, r.reason"
        " ORDER BY ALL",
        params,
    )


def detractor_reasons(
    con: duckdb.DuckDBPyConnection, flt: Scope, counts: pd.DataFrame | None = None
) -> pd.DataFrame:
    """The Pareto table of detractor reasons (see :func:`cx.painpoints.pareto`;
    ``counts``: :func:`detractor_counts` of the filters when the caller has it)."""
    counts = detractor_counts(con, flt) if counts is None else counts
    return painpoints.pareto(counts)


def reason_comments(
    con: duckdb.DuckDBPyConnection,
    flt: Scope,
    reason: str,
    limit: int = 300,
    counts: pd.DataFrame | None = None,
) -> tuple[pd.DataFrame, int]:
    """The detractors behind one reason, newest first (at most ``limit``), and their total
    (``counts``: :func:`detractor_counts` of the filters when the caller has it).

    Columns: responded_at, store_id, advisor, nps, pain_point, comment, rule,
    customer_name, phone (personal data: the page masks it).
    """
    counts = detractor_counts(con, flt) if counts is None else counts
    total = int(counts.loc[counts["reason"] == reason, "n"].sum())
    return _newest(con, flt, *_reason_select(flt, reason), limit, total), total


def every_reason_comment(con: duckdb.DuckDBPyConnection, flt: Scope, reason: str) -> pd.DataFrame:
    """Every detractor behind one reason, newest first, with :func:`reason_comments`'
    columns (the comments' download: the page lists the newest few hundred)."""
    select, params = _reason_select(flt, reason)
    return df(con, f"{select} ORDER BY r.responded_at DESC, r.response_id", params)


def _reason_select(flt: Scope, reason: str) -> tuple[str, list]:
    where, params = _where(flt)
    return (
        "SELECT r.responded_at, r.store_id, r.advisor, r.nps, r.pain_point, r.comment,"
        f" r.reason_rule AS rule, r.customer_name, r.phone {_FROM} WHERE {where}"
        f" AND {_DETRACTOR} AND r.reason = ?",
        [*params, reason],
    )


_NEWEST = " ORDER BY r.responded_at DESC, r.response_id LIMIT ?"


def _newest(
    con: duckdb.DuckDBPyConnection, flt: Scope, select: str, params: list, limit: int, count: int
) -> pd.DataFrame:
    """The newest ``limit`` rows of ``select`` (fixed text of this module's selecting
    answers of ``flt``'s days with ``params``), of which there are ``count``.

    When the period holds many more, its last days are likely to hold ``limit`` of them
    (the last ``2 * limit / count`` of the period): those days are read first, and when
    they do hold ``limit`` rows these are the newest of the whole period (every row left
    out is older than each of them). Otherwise the whole period is read. A network's
    300 newest detractors of one reason: 90 days of answers -> the last few (10M answers,
    ~30 -> ~10 ms)."""
    if flt.start is not None and flt.end is not None and count > 0:
        days = (flt.end - flt.start).days + 1
        recent = math.ceil(days * 2 * limit / count)
        if recent < days:
            since = datetime.combine(flt.end + timedelta(days=1), time()) - timedelta(days=recent)
            got = df(con, f"{select} AND r.responded_at >= ?{_NEWEST}", [*params, since, limit])
            if len(got) >= limit:
                return got
    return df(con, f"{select}{_NEWEST}", [*params, limit])


def _no_review() -> pd.DataFrame:
    """The review's columns without a test."""
    return signals.review(signals.gaming_tests(*(pd.DataFrame(),) * 4))


def gaming_review(con: duckdb.DuckDBPyConnection, flt: Scope) -> pd.DataFrame:
    """The score-gaming review of the filters' stores and dates (``cx.signals``): every
    test run, with q-values and flags (Benjamini-Hochberg over all of them)."""
    from cx.queries import signals as qs

    if flt.end is None:
        return _no_review()
    where, params = flt.where(None)
    rows = con.execute(f"SELECT store_id FROM stores WHERE {where}", params).fetchall()  # noqa: S608 (Scope.where)
    stores = tuple(sid for (sid,) in rows)
    if (flt.regions or flt.stores) and not stores:
        return _no_review()
    return qs.gaming_review(con, flt.end, stores if (flt.regions or flt.stores) else (), flt.start)


def gaming_summary(con: duckdb.DuckDBPyConnection, flt: Scope) -> tuple[int, list[dict]]:
    """(tests run, flags) of :func:`gaming_review`: its length and
    ``cx.signals.gaming_flags`` of it, all the page shows of it. For the whole network
    over a window every write keeps (the dates the page opens on), both as the last write
    kept them: its stored tests counted and its kept flags read, where the review read
    and ranked every test on each view (at ten million answers 13,540 tests, 43 -> 4
    ms). A reader limited to some stores, or other stores or dates: from the review."""
    from cx.queries import signals as qs

    if flt.end is not None and not (flt.regions or flt.stores):
        start = flt.start or flt.end - timedelta(days=signals.WINDOW_DAYS - 1)
        kept = qs.kept_flags(con, start, flt.end)
        if kept is not None:
            return qs.stored_count(con, start, flt.end), _shown(kept)
    reviewed = gaming_review(con, flt)
    return len(reviewed), _shown(signals.gaming_flags(reviewed))


def _shown(flags: list[dict]) -> list[dict]:
    """The flags with each advisor as shown (:func:`cx.privacy.shown_text`; whether
    personal data shows read once: per flag, it was a fifth of a network's review)."""
    allowed = config.show_personal_data()
    return [{**f, "advisor": privacy.shown_text(f["advisor"], allowed)} for f in flags]


def store_names(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    """store_id -> store name, for labelling the review's flags."""
    rows = con.execute("SELECT store_id, coalesce(store_name, store_id) FROM stores").fetchall()
    return dict(rows)
