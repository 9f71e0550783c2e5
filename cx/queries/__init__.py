"""Every SQL statement the app runs: parameterised, one function each, DataFrames out.

Functions take an open connection first, then plain hashable arguments (so the
cached loaders in ``cx.ui`` can key on them). Values are bound parameters;
identifiers come only from allow-lists in ``cx.db`` / ``cx.enums`` and are quoted.
"""

from __future__ import annotations

from datetime import date, timedelta

import duckdb
import pandas as pd

from cx.scope import Scope

# What a callback saved changes: the follow-ups, their log, the audit log (which records
# the change) and its store's follow-up version. See :func:`no_followups`.
FOLLOWUP_TABLES = ("followups", "followup_log", "audit_log", "followup_versions")


def no_followups(func):
    """Mark ``func(con, ...)`` as reading none of :data:`FOLLOWUP_TABLES`: a callback
    saved does not change what it returns, so :func:`cx.ui.load` keys its cache on the
    base version (:func:`cx.db.data_versions`) and keeps it through the morning's
    callbacks. The test suite runs every marked load with those tables hidden
    (:func:`hide_followups`), so a marked function that starts reading them fails there."""
    func.no_followups = True
    return func


def followups_by_store(func):
    """Mark ``func(con, scope, ...)`` as reading follow-ups of ``scope``'s stores only:
    :func:`cx.ui.load` keys its cache on the base version and the latest follow-up
    version of those stores (:func:`followup_versions`), so a store's board stays cached
    while the network's other stores save their callbacks."""
    func.followups_by_store = True
    return func


def followup_versions(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    """Each store's follow-up version: the data version of its latest callback saved."""
    return dict(con.execute("SELECT store_id, version FROM followup_versions").fetchall())


def hide_followups(con: duckdb.DuckDBPyConnection) -> None:
    """Make every read of :data:`FOLLOWUP_TABLES` on ``con`` (one load's connection) fail:
    each becomes a temporary view of a table dropped at once."""
    con.execute("CREATE TEMP TABLE cx_hidden_for_this_load (hidden INTEGER)")
    for table in FOLLOWUP_TABLES:
        hidden = "SELECT * FROM cx_hidden_for_this_load"
        con.execute(f"CREATE OR REPLACE TEMP VIEW {table} AS {hidden}")
    con.execute("DROP TABLE cx_hidden_for_this_load")


def quote_ident(name: str, allowed: set[str] | list[str]) -> str:
    """Quote a column name after checking it against an allow-list."""
    if name not in allowed:
        raise ValueError(f"unknown column {name!r}")
    return '"' + name.replace('"', '""') + '"'


def df(con: duckdb.DuckDBPyConnection, sql: str, params: list | None = None) -> pd.DataFrame:
    """Run a SELECT and return a DataFrame (fully fetched, so the connection is free)."""
    return con.execute(sql, params or []).df()


def text_df(con: duckdb.DuckDBPyConnection, sql: str, params: list | None = None) -> pd.DataFrame:
    """:func:`df` through Arrow, for a SELECT of text and numbers only (a DATE would come
    as Python dates): thousands of strings convert in half the time (the stored gaming
    tests, 13,500 rows: 20 -> 10 ms)."""
    return con.sql(sql, params=params or []).to_arrow_table().to_pandas()


def store_sums(con: duckdb.DuckDBPyConnection, sums: str, where: str, params: list) -> pd.DataFrame:
    """One row per store with answers among the rollup rows ``r`` that ``where`` keeps:
    store_id, store_name (the id when unnamed), region ('?' when unknown) and ``sums``
    (aggregates of ``r``'s columns, fixed text of the caller's). The rollup is summed per
    store first and then joined to the stores: a network's 1,912 stores over 90 days,
    20 -> 17 ms, twice a heatmap."""
    return df(
        con,
        "SELECT a.store_id, coalesce(s.store_name, a.store_id) AS store_name,"  # noqa: S608 (the caller's fixed text; values bound)
        " coalesce(s.region, '?') AS region, a.* EXCLUDE (store_id) FROM"
        f" (SELECT r.store_id, {sums} FROM daily_rollup r WHERE {where}"
        " GROUP BY r.store_id HAVING sum(r.n) > 0) a"
        " LEFT JOIN stores s ON s.store_id = a.store_id ORDER BY a.store_id",
        params,
    )


def store_sums_pair(
    con: duckdb.DuckDBPyConnection, sums: str, cur: Scope, prev: Scope
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """:func:`store_sums` of ``cur`` and of ``prev`` (the same places; ``sums``
    aggregates of the rollup rows ``r``, fixed text of the caller's), in one read when
    ``prev`` ends the day before ``cur`` begins, as every page's comparison does: the
    rows of both periods are summed per store and period, then joined to the stores once
    (a network's 1,912 stores over 90 + 90 days at ten million answers: 60 -> 51 ms).
    Each frame equals its own :func:`store_sums`; periods apart are read one by one."""

    def one(flt: Scope) -> pd.DataFrame:
        return store_sums(con, sums, *flt.where("r.day", "r.store_id"))

    adjacent = (
        None not in (cur.start, cur.end, prev.start, prev.end)
        and (cur.regions, cur.stores) == (prev.regions, prev.stores)
        and prev.end + timedelta(days=1) == cur.start
    )
    if not adjacent:
        return one(cur), one(prev)
    where, params = Scope(cur.regions, cur.stores, prev.start, cur.end).where("r.day", "r.store_id")
    both = df(
        con,
        "SELECT a.store_id, coalesce(s.store_name, a.store_id) AS store_name,"  # noqa: S608 (the caller's fixed text; values bound)
        " coalesce(s.region, '?') AS region, a.* EXCLUDE (store_id) FROM"
        f" (SELECT r.store_id, r.day >= ? AS _cur, {sums} FROM daily_rollup r WHERE {where}"
        " GROUP BY r.store_id, _cur HAVING sum(r.n) > 0) a"
        " LEFT JOIN stores s ON s.store_id = a.store_id ORDER BY a.store_id",
        [cur.start, *params],
    )
    current = both["_cur"].astype(bool)
    return tuple(  # type: ignore[return-value]
        both[keep].drop(columns="_cur").reset_index(drop=True) for keep in (current, ~current)
    )


def scalar(con: duckdb.DuckDBPyConnection, sql: str, params: list | None = None):
    """The first column of the first row, or None."""
    rows = con.execute(sql, params or []).fetchall()
    return rows[0][0] if rows else None


@no_followups
def store_list(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """All stores (store_id, store_name, region, city), by region then id: what the
    sidebar and the pickers show, without :func:`stores`' answer counts (a scan of the
    whole rollup, 15 ms at ten million answers on every page). Text only: through Arrow
    (a network's 1,912 stores, 4.6-6.2 -> 3.6 ms)."""
    return text_df(
        con,
        "SELECT store_id, coalesce(store_name, store_id) AS store_name, region, city"
        " FROM stores ORDER BY region, store_id",
    )


def stores(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """All stores with their answer counts, by region then id."""
    return df(
        con,
        "SELECT s.store_id, coalesce(s.store_name, s.store_id) AS store_name, s.region, s.city,"
        # the rollup summed per store first, then joined: half the time of joining first
        " coalesce(r.n, 0)::BIGINT AS n FROM stores s LEFT JOIN (SELECT store_id, sum(n) AS n"
        " FROM daily_rollup GROUP BY store_id) r USING (store_id)"
        " ORDER BY s.region, s.store_id",
    )


@no_followups
def date_bounds(con: duckdb.DuckDBPyConnection) -> tuple[date | None, date | None]:
    """First and last day with answers."""
    rows = con.execute("SELECT min(day), max(day) FROM daily_rollup").fetchall()
    return rows[0] if rows else (None, None)


def overview(con: duckdb.DuckDBPyConnection) -> dict:
    """What the database holds: counts, date range, stores, regions, uploads, rejects."""
    row = con.execute(
        "SELECT (SELECT count(*) FROM responses), (SELECT min(responded_at) FROM responses),"
        " (SELECT max(responded_at) FROM responses), (SELECT count(*) FROM stores),"
        " (SELECT count(DISTINCT region) FROM stores),"
        " (SELECT count(*) FROM uploads WHERE status = 'committed'),"
        " (SELECT count(*) FROM rejects r JOIN uploads u USING (upload_id)"
        "  WHERE u.status = 'committed')"
    ).fetchall()[0]
    keys = ["rows", "first", "last", "stores", "regions", "uploads", "rejects"]
    return dict(zip(keys, row, strict=True))


def monthly_counts(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Answers per month and region, for the Data page."""
    return df(
        con,
        "SELECT date_trunc('month', r.day) AS month, coalesce(s.region, '?') AS region,"
        " sum(r.n) AS n FROM daily_rollup r LEFT JOIN stores s USING (store_id)"
        " GROUP BY ALL ORDER BY month, region",
    )


@no_followups
def undo_effect(con: duckdb.DuckDBPyConnection, upload_id: int) -> tuple[int, int]:
    """(rows an undo of ``upload_id`` would take out and not put back, rows it would put
    back as they were), as :func:`cx.commit.undo` counts them now: an upload's stored
    counts are its commit's, and the demo's removal since (which takes the demo rows an
    upload replaced with it) had the question say 1 restored where the undo took 1 out."""
    own, kept = con.execute(
        "SELECT (SELECT count(*) FROM responses WHERE upload_id = ?),"
        " (SELECT count(*) FROM upload_backup WHERE backup_of = ?)",
        [upload_id, upload_id],
    ).fetchall()[0]
    return own - kept, kept


@no_followups
def undo_refusal(con: duckdb.DuckDBPyConnection, upload_id: int) -> tuple[str, str] | None:
    """Why ``upload_id`` cannot be undone now, in English and Chinese (None: it can):
    :func:`cx.commit.undo_refusal`, asked before the Upload page offers the undo."""
    from cx.commit import undo_refusal as refusal_of

    refusal = refusal_of(con, upload_id)
    return None if refusal is None else (str(refusal), refusal.message_zh)


@no_followups
def uploads(con: duckdb.DuckDBPyConnection, limit: int = 50) -> pd.DataFrame:
    """The latest uploads, newest first."""
    return df(
        con,
        "SELECT upload_id, file_name, uploaded_at, source, uploaded_by, encoding, rows_read,"
        " added, replaced, unchanged, rejected, ignored, collapsed, status, undone_at"
        " FROM uploads ORDER BY upload_id DESC LIMIT ?",
        [limit],
    )


def rejects(
    con: duckdb.DuckDBPyConnection, upload_id: int | None = None, limit: int | None = None
) -> pd.DataFrame:
    """Rejected rows of one upload (or of all committed uploads, the newest upload's
    first; ``limit``: the first so many of them), with the upload's delimiter and header
    mapping so :func:`cx.privacy.mask_raw_lines` can mask them. One upload's are all its
    file's, those an earlier upload lists already (``reject_repeats``) too: its download
    held 1 of the 3 rows its line said it rejected; all uploads' list each row once."""
    if upload_id is None:
        return df(
            con,
            "SELECT r.upload_id, u.file_name, r.line_no, r.reason, r.reason_zh, r.raw_line,"
            " u.delimiter, u.mapping"
            " FROM rejects r JOIN uploads u USING (upload_id) WHERE u.status = 'committed'"
            " ORDER BY r.upload_id DESC, r.line_no LIMIT ?",
            [limit],
        )
    return df(
        con,
        "SELECT r.upload_id, u.file_name, r.line_no, r.reason, r.reason_zh, r.raw_line,"
        " u.delimiter, u.mapping"
        " FROM (SELECT * FROM rejects UNION ALL SELECT * FROM reject_repeats) r"
        " JOIN uploads u USING (upload_id) WHERE r.upload_id = ? ORDER BY r.line_no",
        [upload_id],
    )
