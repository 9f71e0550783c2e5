"""The DuckDB file: schema and migrations, connections that wait politely, data version, rollups.

Connections are short-lived (open, work, close). DuckDB lets one process hold a
file read-write at a time; the app and a command-line ingest are different
processes, so whichever finds the file busy retries with a back-off until
``CX_LOCK_TIMEOUT`` seconds have passed and then raises :class:`DatabaseBusy`
with a sentence a person understands. Short connections keep the file free for
the other side between page renders.

The schema is checked once per process per file identity (path, device, inode,
modification time and size after the check; :func:`connect`): checking it on every
open cost an ``information_schema`` query and a few more, 55 ms of the 80 ms a
``connect()`` took (300k answers, 2 busy cores; opening alone 25 ms, a cursor of an
open connection 0.2 ms). A file replaced (a demo rebuild, a restore) or written since
has another identity and is checked again; a refusal is never remembered, so a
foreign, newer or damaged file is refused on every open.

``daily_rollup``'s columns are the metric registry's declared inputs
(:data:`cx.metrics.INPUTS`): the table, its refresh and the check are generated from
them. A file lacking a declared column (written before a metric was added) gets it on
open: the column is added and the rollup rebuilt in one transaction
(:func:`ensure_rollup_columns`; 1.2-2.3 s on the full demo's 296k answers, 2 busy cores).
The remembered check includes the registry's column names, so a metric registered
while the process runs reaches a file already checked.

Why not one connection per process: an open connection holds DuckDB's file lock for
as long as it is open, so a long-lived one in each app process would lock the
command-line writer (and the other app processes) out of the file for good. Why not
one per rerun: Streamlit has no end-of-run hook, so the file would stay held between
a person's clicks. A connection per load, without the schema check, costs the open
alone; the cached loaders (:mod:`cx.ui`) make a warm page open none. Temporary views
that cut a connection to a person's stores (:func:`cx.access.apply_scope`) live and
die with that one connection, so one person's scope never reaches another's read.

Readers never wait for a long write. A write that holds the file for long (an upload's
commit, an undo, removing the demo: ``transaction(con, publish=True)``) first brings the
readers' snapshot up to date if a short write changed the file since, and after its
commit checkpoints the file and starts another process that publishes a copy of it
(``<file>.snapshot``, copied then renamed into place, with its data version beside it)
once the write has let the file go: the copy is put in place only if nothing wrote the
file while it was made (:func:`publish_when_still`). A reading connection of another
process that finds the file held for more than :data:`FALLBACK_AFTER` seconds opens the
snapshot read-only instead (:func:`open_connection`'s ``fallback_after``): a committed
state, never half an upload (the last long write's, or for the seconds its copy takes
the one before); once the writer is done, readers read the file again. Short writes (a
callback, a target) do not publish: readers wait the moment they take, as before.
Without a snapshot (a file no long write has touched yet) readers wait: ``python -m cx
serve`` publishes one before its app processes start (:func:`ensure_snapshot`).

Before anything is written, the file is checked: a SQLite file, a damaged or
truncated file, a DuckDB file of another program or one written by a newer version
of this app is refused with one sentence (:class:`DatabaseRefused`) and left exactly
as it was. A file (or folder) the process may not write is opened read-only: pages
read as usual and a write says so (:class:`ReadOnlyDatabase`).

Inside one process, write transactions take turns (:data:`WRITE_LOCK`): two visitors
saving at the same moment would otherwise fail each other with DuckDB's "Conflict
on update!" (every write bumps the same data-version row).
"""

from __future__ import annotations

import contextlib
import errno
import itertools
import logging
import os
import subprocess
import threading
import time
import weakref
from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path
from typing import Self

import duckdb
import pyarrow as pa

from cx import config, i18n, metrics, painpoints, rules, snapshot
from cx.enums import CSI_DIMS, TP_KEYS
from cx.snapshot import (  # noqa: F401 - the readers' copy, as callers know it
    pid_alive,
    publish_copy,
    snapshot_path,
    wait_for_publishers,
)

SCHEMA_VERSION = 21

# Canonical response columns of the data contract, in order, with their DuckDB types.
RESPONSE_COLUMNS: dict[str, str] = {
    "response_id": "VARCHAR",
    "store_id": "VARCHAR",
    "responded_at": "TIMESTAMP",
    "service_date": "DATE",
    "nps": "TINYINT",
    "key_touchpoint": "VARCHAR",
    "pain_point": "VARCHAR",
    "comment": "VARCHAR",
    "service_type": "VARCHAR",
    "vehicle_model": "VARCHAR",
    "channel": "VARCHAR",
    "customer_tier": "VARCHAR",
    "advisor": "VARCHAR",
    **{f"csi_{d}": "DOUBLE" for d in CSI_DIMS},
    **{f"tp_{t}": "DOUBLE" for t in TP_KEYS},
    "csat": "TINYINT",
    "ces": "TINYINT",
    "wait_minutes": "DOUBLE",
    "first_time_fix": "BOOLEAN",
    "customer_id": "VARCHAR",
    "amount": "DOUBLE",
    "duration_seconds": "INTEGER",
    "customer_name": "VARCHAR",
    "phone": "VARCHAR",
    "plate": "VARCHAR",
}
STORE_COLUMNS = ["store_name", "region", "city"]
# Extra columns the app keeps beside the contract's.
RESPONSE_EXTRA = {"upload_id": "BIGINT"}
# The customer of an answer, for repeat counts: the phone, else the customer id (text is
# stored trimmed, a blank as NULL, so the stored values are the key as they are).
WHO_SQL = "coalesce(phone, customer_id)"
# Derived per answer and kept current by :func:`refresh_rollups`: when the same customer
# last answered for the same store, and for the same store and advisor (NULL: never, or
# no customer key). A repeat count over any window is then a filter, not a distinct count.
REPEAT_COLUMNS = {"prev_store_at": "TIMESTAMP", "prev_advisor_at": "TIMESTAMP"}


def _repeats_sql(only: str = "") -> str:
    """``UPDATE responses`` setting :data:`REPEAT_COLUMNS` for the answers of every
    customer (``only``: a fixed condition narrowing the customers), writing only the
    answers whose values change. Ties in time are ordered by response id. Rows are
    matched by their row id, not their text key (10 million answers: 18.5 -> 13.9 s;
    nothing to change: 11.8 -> 10.0 s)."""
    order = "ORDER BY responded_at, response_id"
    return (
        "UPDATE responses r SET prev_store_at = x.ps, prev_advisor_at = x.pa FROM ("  # noqa: S608 (fixed fragments)
        f" SELECT row_id, lag(responded_at) OVER (PARTITION BY store_id, who {order}) AS ps,"
        " lag(responded_at) OVER (PARTITION BY store_id, coalesce(advisor, ''), who"
        f" {order}) AS pa FROM (SELECT rowid AS row_id, response_id, store_id, advisor,"
        f" responded_at, {WHO_SQL} AS who FROM responses WHERE {WHO_SQL} IS NOT NULL {only})) x"
        " WHERE r.rowid = x.row_id AND (r.prev_store_at IS DISTINCT FROM x.ps"
        " OR r.prev_advisor_at IS DISTINCT FROM x.pa)"
    )


def _response_ddl(table: str, prefix: str = "", pk: bool = True) -> str:
    cols = [f"{prefix}"] if prefix else []
    for name, typ in {**RESPONSE_COLUMNS, **RESPONSE_EXTRA}.items():
        extra = " PRIMARY KEY" if pk and name == "response_id" else ""
        cols.append(f"{name} {typ}{extra}")
    return f"CREATE TABLE IF NOT EXISTS {table} ({', '.join(c for c in cols if c)})"


def answers_sql(answers: str) -> str:
    """``UPDATE followups`` setting ``answered_at``, ``store_id`` and ``nps`` to the
    ``responded_at``, ``store_id`` and ``nps`` of their answer in ``answers`` (a fixed
    query of response_id, responded_at, store_id, nps, its values bound by the caller:
    the answers a write added, replaced or restored), where they differ. Every write that
    gives an answer a time, a store or a score calls it, and a follow-up takes them from
    its answer when it is saved, so they are always its answer's: a long callback queue
    reads the follow-ups of its days by ``answered_at`` (DuckDB skips the others' row
    groups) and counts the callbacks made from them alone, and a person limited to some
    stores sees the follow-ups of those stores by ``store_id``."""
    return (
        "UPDATE followups SET answered_at = a.responded_at, store_id = a.store_id,"  # noqa: S608 (the caller's fixed query)
        f" nps = a.nps FROM ({answers}) a WHERE followups.response_id = a.response_id"
        " AND (followups.answered_at IS DISTINCT FROM a.responded_at"
        " OR followups.store_id IS DISTINCT FROM a.store_id"
        " OR followups.nps IS DISTINCT FROM a.nps)"
    )


# Derived per detractor when it is written (:func:`reason_map`): its reason and the
# rule that gave it (cx.painpoints: the answer's pain point, else the first keyword rule
# its comment matches, else 'other'). NULL for promoters and passives. The segments
# page counts and lists a reason's detractors from them: classifying each distinct
# comment on every page view cost ~20 us a comment (real comments are nearly all
# distinct: 16,000 detractors' comments in a network's 90 days, 0.3 s a view).
REASON_COLUMNS = {"reason": "VARCHAR", "reason_rule": "VARCHAR"}


def _reason_key(alias: str) -> tuple[str, str]:
    """(blank, key) SQL of an answer ``alias``: whether its pain point is blank, and what
    names its reason (the pain point, else the comment)."""
    blank = f"(nullif(trim({alias}.pain_point), '') IS NULL)"
    return blank, f"CASE WHEN {blank} THEN {alias}.comment ELSE {alias}.pain_point END"


def reason_map(con: duckdb.DuckDBPyConnection, source: str, params: list | tuple = ()) -> None:
    """Temp table ``cx_reason_map`` (blank, key, reason, rule): the reason of every
    distinct pain point and comment among the detractors of ``source`` (a fixed relation
    of answers, its values bound by ``params``), by :func:`cx.painpoints.reason_for`,
    each distinct value once."""
    blank, key = _reason_key("a")
    rows = con.execute(
        f"SELECT DISTINCT {blank}, {key} FROM {source} a WHERE {rules.detractor_sql('a.nps')}",  # noqa: S608 (the caller's fixed relation)
        list(params),
    ).fetchall()
    found = [(b, k, *painpoints.reason_for(None if b else k, k if b else None)) for b, k in rows]
    table = pa.table(
        {
            "blank": pa.array([f[0] for f in found], pa.bool_()),
            "key": pa.array([f[1] for f in found], pa.string()),
            "reason": pa.array([f[2] for f in found], pa.string()),
            "rule": pa.array([f[3] for f in found], pa.string()),
        }
    )
    con.register("cx_reason_arrow", table)
    try:
        con.execute("CREATE OR REPLACE TEMP TABLE cx_reason_map AS SELECT * FROM cx_reason_arrow")
    finally:
        con.unregister("cx_reason_arrow")


def reason_join(alias: str) -> str:
    """``LEFT JOIN`` of :func:`reason_map`'s table (as ``m``) to the answers ``alias``: a
    detractor's ``m.reason`` and ``m.rule``, NULL for the others."""
    blank, key = _reason_key(alias)
    return (
        f" LEFT JOIN cx_reason_map m ON {rules.detractor_sql(alias + '.nps')} AND m.blank = {blank}"
        f" AND m.key IS NOT DISTINCT FROM {key}"
    )


def store_reasons(con: duckdb.DuckDBPyConnection) -> int:
    """Give every detractor that has none its :data:`REASON_COLUMNS` (a file of an earlier
    version, answers written without them); the answers given them."""
    missing = f"reason IS NULL AND {rules.detractor_sql('nps')}"
    reason_map(con, f"(SELECT nps, pain_point, comment FROM responses WHERE {missing})")  # noqa: S608 (fixed text)
    blank, key = _reason_key("r")
    return con.execute(
        "UPDATE responses r SET reason = m.reason, reason_rule = m.rule FROM cx_reason_map m"  # noqa: S608 (fixed text)
        f" WHERE r.reason IS NULL AND {rules.detractor_sql('r.nps')} AND m.blank = {blank}"
        f" AND m.key IS NOT DISTINCT FROM {key}"
    ).fetchall()[0][0]


FOLLOWUP_COLUMNS = (  # a follow-up's own columns (beside its answer's time and store)
    "response_id",
    "status",
    "owner",
    "note",
    "root_cause",
    "updated_at",
    "updated_by",
)


def _followups_with_answers(con: duckdb.DuckDBPyConnection, column: str | None = None) -> None:
    """Schemas 7 and 10: every follow-up gets its answer's time, store and score
    (:func:`answers_sql`). The table is rebuilt with them, in the order of the answers'
    times, and its key: an UPDATE of four million follow-ups took about a minute at ten
    million answers, the rebuild 10 s (its key index is built whole: the memory it needs
    is allowed, as for :func:`cx.commit.delete_keyed`). With ``column``, a file whose
    follow-ups have it already is left alone (rebuilt once by schema 7)."""
    if (
        column is not None
        and con.execute(
            "SELECT count(*) FROM information_schema.columns WHERE table_name = 'followups'"
            " AND column_name = ? AND table_schema = 'main' AND table_catalog = current_database()",
            [column],
        ).fetchall()[0][0]
    ):
        return
    cols = ", ".join(FOLLOWUP_COLUMNS)  # names the answers do not have
    _rebuild_followups(
        con,
        f"SELECT {cols}, r.responded_at AS answered_at, r.store_id AS store_id, r.nps AS nps"  # noqa: S608 (our columns)
        " FROM followups f LEFT JOIN responses r USING (response_id)",
        f"{cols}, answered_at, store_id, nps",
    )


def _followups_first_at(con: duckdb.DuckDBPyConnection) -> None:
    """Schema 16: every follow-up gets the time of its first logged change (``first_at``,
    kept by every write): yesterday's board at 8:30 reads the log of this morning's
    callbacks from the earliest of their first changes on, a few of the log's row groups
    (the log is written in time order) instead of all 4 million changes (6 ms, was 56, at
    ten million answers). Rebuilt as schema 7 does."""
    cols = ", ".join((*FOLLOWUP_COLUMNS, "answered_at", "store_id", "nps"))
    _rebuild_followups(
        con,
        f"SELECT {cols}, l.first_at FROM followups f"  # noqa: S608 (our columns)
        " LEFT JOIN (SELECT response_id, min(changed_at) AS first_at FROM followup_log"
        " GROUP BY response_id) l USING (response_id)",
        f"{cols}, first_at",
    )


def _rebuild_followups(con: duckdb.DuckDBPyConnection, select: str, columns: str) -> None:
    """``followups`` made again from ``select`` (fixed text of the caller's, which may
    read the table itself) into ``columns`` of :data:`FOLLOWUPS_DDL`, in the order of the
    answers' times, its key index built whole (the memory it needs allowed, as for
    :func:`cx.commit.delete_keyed`): an UPDATE of four million follow-ups took about a
    minute at ten million answers, a rebuild 10 s."""
    from cx.commit import REBUILD_BASE_BYTES, REBUILD_ROW_BYTES  # it builds on this module

    total = con.execute("SELECT count(*) FROM followups").fetchall()[0][0]
    allow_memory(con, REBUILD_BASE_BYTES + REBUILD_ROW_BYTES * total)
    con.execute(f"CREATE OR REPLACE TEMP TABLE cx_keep AS {select}")
    con.execute("DROP TABLE followups")
    con.execute(FOLLOWUPS_DDL)
    con.execute(f"INSERT INTO followups ({columns}) SELECT * FROM cx_keep ORDER BY answered_at")  # noqa: S608 (our columns)
    con.execute("DROP TABLE cx_keep")


# Every column of ``followups`` and of ``followup_log`` (their backups add ``backup_of``).
FOLLOWUP_ALL = ", ".join((*FOLLOWUP_COLUMNS, "answered_at", "store_id", "nps", "first_at"))
FOLLOWUP_LOG_ALL = "response_id, status, owner, note, root_cause, changed_at, changed_by"

FOLLOWUPS_DDL = (
    "CREATE TABLE IF NOT EXISTS followups (response_id VARCHAR PRIMARY KEY, status VARCHAR,"
    " owner VARCHAR, note VARCHAR, root_cause VARCHAR, updated_at TIMESTAMP,"
    " updated_by VARCHAR, answered_at TIMESTAMP, store_id VARCHAR, nps TINYINT,"
    " first_at TIMESTAMP)"
)


def _rollup_ddl(table: str = "daily_rollup") -> str:
    """``CREATE TABLE`` of a store x day rollup: store, day and its inputs
    (:func:`_rollup_inputs`). One row per store-day, kept so by the writes that refresh
    it (:func:`refresh_rollups`, inside their transaction), without a key index: an
    upload reaching back a year rewrites nearly every row, and at ten million answers the
    index's deletes, inserts and commit cost about 4 of an upload's 24 s."""
    cols = ["store_id VARCHAR", "day DATE"]
    cols += [i.ddl() for i in _rollup_inputs(table)]
    return f"CREATE TABLE IF NOT EXISTS {table} ({', '.join(cols)})"


def _without_key(table: str) -> list[str]:
    """Rebuild the rollup ``table`` (of :data:`ROLLUPS`) as it was, without the primary
    key files before schema 5 declared, in day order."""
    return [
        f"CREATE OR REPLACE TABLE cx_rebuilt AS SELECT * FROM {table} ORDER BY day, store_id",  # noqa: S608 (our table names)
        f"DROP TABLE {table}",
        f"ALTER TABLE cx_rebuilt RENAME TO {table}",
    ]


ROLLUPS = ("daily_rollup", "driver_rollup")
"""The store x day rollups every write refreshes: the metric registry's inputs, and the
key-driver moments of the complete answers (:data:`cx.metrics.DRIVER_INPUTS`)."""


def _rollup_rows(table: str) -> str:
    """The answers a rollup sums (a fixed condition)."""
    return metrics.DRIVER_COMPLETE if table == "driver_rollup" else "TRUE"


def _rollup_inputs(table: str) -> list[metrics.Input]:
    if table == "daily_rollup":
        return metrics.rollup_inputs()
    if table == "driver_rollup":
        return list(metrics.DRIVER_INPUTS.values())
    raise ValueError(f"not a rollup: {table!r}")


def _rollup_select(table: str = "daily_rollup") -> tuple[str, list]:
    """A rollup's ``SELECT`` list over ``responses`` (grouped by store and day) and its
    bound values, generated from its inputs (for ``daily_rollup`` the registry's,
    :data:`cx.metrics.INPUTS`)."""
    inputs = _rollup_inputs(table)
    parts = ["store_id", "CAST(responded_at AS DATE) AS day"] + [i.select() for i in inputs]
    params = [v for i in inputs for v in i.params]
    return ", ".join(parts), params


def _fill_sql(table: str, also: str = "") -> tuple[str, list]:
    """``INSERT`` of the rows of the rollup ``table`` from the answers (``also``: a fixed
    condition narrowing them, its values bound after the returned ones), and its values.
    Rows are stored in day order: a page's date range then skips the row groups of other
    days (a hash aggregate's order left every query reading the whole rollup)."""
    select, params = _rollup_select(table)
    sql = (
        f"INSERT INTO {table} BY NAME SELECT {select} FROM responses"  # noqa: S608 (registry code; values bound)
        f" WHERE {_rollup_rows(table)}{also} GROUP BY ALL ORDER BY day, store_id"
    )
    return sql, params


# The whole network's gaming flags over each window gaming_window keeps (JSON of
# cx.signals.gaming_flags): a network's board reads them instead of reviewing the tests.
_GAMING_FLAGS_DDL = (
    "CREATE TABLE IF NOT EXISTS gaming_flags (start_day DATE, end_day DATE, flags VARCHAR)"
)

MIGRATIONS: dict[int, list[str | Callable[[duckdb.DuckDBPyConnection], None]]] = {
    1: [
        "CREATE TABLE IF NOT EXISTS meta (key VARCHAR PRIMARY KEY, value VARCHAR)",
        "CREATE TABLE IF NOT EXISTS stores (store_id VARCHAR PRIMARY KEY, store_name VARCHAR,"
        " region VARCHAR, city VARCHAR)",
        _response_ddl("responses"),
        "CREATE TABLE IF NOT EXISTS uploads (upload_id BIGINT PRIMARY KEY, file_name VARCHAR,"
        " content_hash VARCHAR, uploaded_at TIMESTAMP, rows_read BIGINT, added BIGINT,"
        " replaced BIGINT, unchanged BIGINT, rejected BIGINT, ignored BIGINT, collapsed BIGINT,"
        " status VARCHAR, encoding VARCHAR, delimiter VARCHAR, mapping VARCHAR,"
        " source VARCHAR, uploaded_by VARCHAR, undone_at TIMESTAMP, undone_by VARCHAR)",
        "CREATE TABLE IF NOT EXISTS rejects (upload_id BIGINT, line_no BIGINT,"
        " raw_line VARCHAR, reason VARCHAR, reason_zh VARCHAR)",
        _response_ddl("upload_backup", prefix="backup_of BIGINT", pk=False),
        "CREATE TABLE IF NOT EXISTS upload_store_backup (backup_of BIGINT, store_id VARCHAR,"
        " existed BOOLEAN, store_name VARCHAR, region VARCHAR, city VARCHAR)",
        "CREATE TABLE IF NOT EXISTS column_mappings (signature VARCHAR PRIMARY KEY,"
        " mapping VARCHAR, saved_at TIMESTAMP)",
        "CREATE TABLE IF NOT EXISTS followups (response_id VARCHAR PRIMARY KEY, status VARCHAR,"
        " owner VARCHAR, note VARCHAR, root_cause VARCHAR, updated_at TIMESTAMP,"
        " updated_by VARCHAR)",
        "CREATE TABLE IF NOT EXISTS followup_log (response_id VARCHAR, status VARCHAR,"
        " owner VARCHAR, note VARCHAR, root_cause VARCHAR, changed_at TIMESTAMP,"
        " changed_by VARCHAR)",
        "CREATE TABLE IF NOT EXISTS targets (store_id VARCHAR, month DATE, nps_target DOUBLE,"
        " milestones VARCHAR, updated_at TIMESTAMP, updated_by VARCHAR,"
        " PRIMARY KEY (store_id, month))",
        "CREATE TABLE IF NOT EXISTS metric_targets (metric VARCHAR, store_id VARCHAR,"
        " target DOUBLE, updated_at TIMESTAMP, updated_by VARCHAR,"
        " PRIMARY KEY (metric, store_id))",
        "CREATE TABLE IF NOT EXISTS scenarios (name VARCHAR PRIMARY KEY, payload VARCHAR,"
        " saved_at TIMESTAMP, saved_by VARCHAR)",
        _rollup_ddl(),
        "CREATE SEQUENCE IF NOT EXISTS upload_seq START 1",
    ],
    # Who may see and do what (cx.access), the audit log of every write, and the time a
    # customer took to answer (a gaming signal).
    2: [
        "ALTER TABLE responses ADD COLUMN IF NOT EXISTS duration_seconds INTEGER",
        "ALTER TABLE upload_backup ADD COLUMN IF NOT EXISTS duration_seconds INTEGER",
        "CREATE TABLE IF NOT EXISTS access_grants (email VARCHAR NOT NULL, role VARCHAR NOT NULL,"
        " store_id VARCHAR, region VARCHAR, granted_at TIMESTAMP, granted_by VARCHAR)",
        "CREATE TABLE IF NOT EXISTS audit_log (logged_at TIMESTAMP NOT NULL, who VARCHAR NOT NULL,"
        " action VARCHAR NOT NULL, target VARCHAR, detail VARCHAR)",
    ],
    # The key drivers' moments per store-day (driver_rollup) and repeat customers as a
    # filter (REPEAT_COLUMNS), computed for the answers already there (10 million
    # answers: about 15 s each on 2 cores).
    3: [
        _rollup_ddl("driver_rollup"),
        "DELETE FROM driver_rollup",  # a half-done earlier attempt
        _fill_sql("driver_rollup")[0],  # its inputs bind no values
        *(
            f"ALTER TABLE responses ADD COLUMN IF NOT EXISTS {name} {typ}"
            for name, typ in REPEAT_COLUMNS.items()
        ),
        _repeats_sql(),
    ],
    # The score-gaming tests the pages open on, kept by every write (filled by schema 8).
    4: [
        "CREATE TABLE IF NOT EXISTS gaming_window (ord INTEGER, level VARCHAR, store_id VARCHAR,"
        " advisor VARCHAR, signal VARCHAR, x BIGINT, n BIGINT, rate DOUBLE, ref_x BIGINT,"
        " ref_n BIGINT, ref_rate DOUBLE, p DOUBLE)",
        _GAMING_FLAGS_DDL,  # (schema 11) before schema 8 fills both
    ],
    # The rollups without their key index (see _rollup_ddl).
    5: [*_without_key("daily_rollup"), *_without_key("driver_rollup")],
    # The whole network's raw monthly inputs (waiting quantiles, ...), kept by every write.
    6: [lambda con: _store_monthly_raw(con)],
    # Each follow-up's answer time and store (answers_sql): a queue of many stores reads
    # the follow-ups of its days only, a person of some stores theirs without a join
    # (10M answers: 4 million follow-ups rebuilt in 10 s once).
    7: [lambda con: _followups_with_answers(con)],
    # The gaming tests of two windows: the segments page's dates and the board's review
    # (cx.queries.signals.gaming_windows), each row marked with its dates.
    8: [
        "ALTER TABLE gaming_window ADD COLUMN IF NOT EXISTS start_day DATE",
        "ALTER TABLE gaming_window ADD COLUMN IF NOT EXISTS end_day DATE",
        lambda con: _store_gaming(con),
    ],
    # How many answers waited how long, per month, for the whole network (monthly_waits,
    # kept with monthly_raw): the overview's quantile test reads it instead of two months
    # of answers.
    9: [lambda con: _store_monthly_raw(con)],
    # Each follow-up's answer score too (answers_sql): a network's queue counts are the
    # window's answers less the callbacks made, without joining the two (followups
    # rebuilt once; a file that came through schema 7 now has it already).
    10: [lambda con: _followups_with_answers(con, "nps")],
    # The whole network's gaming flags over each kept window (its board reads them).
    11: [_GAMING_FLAGS_DDL, lambda con: _store_gaming(con)],
    # The whole network's rollup summed per month (monthly_rollup, kept with monthly_raw).
    12: [lambda con: _store_monthly_raw(con)],
    # Each detractor's reason (REASON_COLUMNS), given by every write from now on.
    13: [
        *(
            f"ALTER TABLE responses ADD COLUMN IF NOT EXISTS {name} {typ}"
            for name, typ in REASON_COLUMNS.items()
        ),
        lambda con: store_reasons(con),
    ],
    # The whole network's answers per day counted by breakdown and score (daily_splits,
    # kept by every write): the segments page of the network reads it.
    14: [lambda con: _store_splits(con, None)],
    # Frames of the whole network's default views, kept by every write (kept_frames,
    # cx.queries.kept: the heatmap's, the board's, the quadrant's and the segments page's).
    15: [lambda con: _store_kept(con, create=True)],
    # Each follow-up's first logged change (first_at): the look back at a past day reads
    # the log of the follow-ups changed since from then on only.
    16: [lambda con: _followups_first_at(con)],
    # Each store's follow-up version (the data version of its latest callback saved): a
    # store's board stays cached while other stores save theirs (cx.ui.load).
    17: [
        "CREATE TABLE IF NOT EXISTS followup_versions (store_id VARCHAR PRIMARY KEY,"
        " version BIGINT)"
    ],
    # Whose data a saved scenario was planned on (the planner's store: a store id, a
    # region key or '*'), so a store or region manager reads only their own (a scenario
    # saved earlier has none: the network's).
    18: ["ALTER TABLE scenarios ADD COLUMN IF NOT EXISTS scope VARCHAR"],
    # How many rows an upload delivered again unchanged, per upload that had written them
    # (cx.commit.write): undoing that earlier upload while the later one is in effect
    # would take rows the later one holds, so it is refused (cx.commit.undo_refusal).
    19: [
        "CREATE TABLE IF NOT EXISTS upload_overlap (upload_id BIGINT, earlier_id BIGINT,"
        " rows BIGINT)"
    ],
    # The follow-ups, and their logs, of the answers an upload moved to another store
    # (cx.commit.write): set aside with the rows it replaced, back with them on its undo.
    20: [
        "CREATE TABLE IF NOT EXISTS followup_backup (backup_of BIGINT, response_id VARCHAR,"
        " status VARCHAR, owner VARCHAR, note VARCHAR, root_cause VARCHAR,"
        " updated_at TIMESTAMP, updated_by VARCHAR, answered_at TIMESTAMP, store_id VARCHAR,"
        " nps TINYINT, first_at TIMESTAMP)",
        "CREATE TABLE IF NOT EXISTS followup_log_backup (backup_of BIGINT,"
        " response_id VARCHAR, status VARCHAR, owner VARCHAR, note VARCHAR,"
        " root_cause VARCHAR, changed_at TIMESTAMP, changed_by VARCHAR)",
    ],
    # The rejects of an upload that an earlier upload in effect keeps already (listed once,
    # cx.commit.write), set aside: the earlier one's undo hands them over instead of
    # losing the rows to fix (cx.commit.undo).
    21: [
        "CREATE TABLE IF NOT EXISTS reject_repeats (upload_id BIGINT, line_no BIGINT,"
        " raw_line VARCHAR, reason VARCHAR, reason_zh VARCHAR)"
    ],
}


_LOG = logging.getLogger("cx")
WRITE_LOCK = threading.RLock()  # one write transaction at a time in this process


class Problem(RuntimeError):
    """Something to tell a person in one sentence: ``str()`` in English, ``message_zh``
    in Chinese; :meth:`said` makes one from a text of the translation table."""

    def __init__(self, message: str, message_zh: str = "") -> None:
        super().__init__(message)
        self.message_zh = message_zh or message
        self._texts = {"en": message, "zh": self.message_zh}

    @classmethod
    def said(cls, key: str, **fmt: object) -> Self:
        """The problem whose sentence is the text ``key``, filled with ``fmt``."""
        return cls(i18n.t(key, "en", **fmt), i18n.t(key, "zh", **fmt))

    def text(self, lang: str) -> str:
        """The sentence in ``lang`` ('zh' or 'en'; English for any other)."""
        return self._texts.get(lang, str(self))


class DatabaseBusy(Problem):
    """Another process holds the database file for longer than we are willing to wait."""


class DatabaseRefused(Problem):
    """The file cannot be used as this app's database; nothing was written to it."""


class ReadOnlyDatabase(Problem):
    """A write was asked of a database this process may only read."""


class DiskFull(Problem):
    """The disk (or a file-size limit) ran out during a write; the write was rolled back."""


def read_only_problem(target: Path | str | None = None) -> ReadOnlyDatabase:
    """The sentence for a write asked of a read-only database."""
    name = Path(target).name if target else "file"
    return ReadOnlyDatabase.said("db.read_only", name=name)


def disk_full() -> DiskFull:
    """The sentence for a full disk."""
    return DiskFull.said("db.disk_full")


def is_disk_full(exc: BaseException) -> bool:
    """Whether an error means the disk (or a file-size limit) ran out."""
    text = str(exc)
    if "No space left on device" in text or "File too large" in text:
        return True
    return isinstance(exc, OSError) and exc.errno in (errno.ENOSPC, errno.EFBIG, errno.EDQUOT)


_DAMAGE_MARKS = ("Could not read enough bytes", "Corrupt", "checksum", "not a valid DuckDB")


def explain(exc: BaseException, target: Path | str | None = None) -> Problem | None:
    """A DuckDB or OS error as the one sentence a person reads, when it is a known fault
    (full disk, read-only file, damaged file); None otherwise."""
    if isinstance(exc, Problem):
        return exc
    if not isinstance(exc, duckdb.Error | OSError):
        return None
    if is_disk_full(exc):
        return disk_full()
    text = str(exc)
    if "read-only mode" in text:
        return read_only_problem(target)
    if any(mark in text for mark in _DAMAGE_MARKS):
        _LOG.info("damaged database %s: %s", target, text)
        return _damaged(Path(target) if target else Path("file"))
    return None


def writable(path: Path) -> bool:
    """Whether this process may write ``path`` (or create it) and files in its folder."""
    probe = path.parent
    while not probe.exists() and probe != probe.parent:
        probe = probe.parent
    if not os.access(probe, os.W_OK):
        return False
    return not path.exists() or os.access(path, os.W_OK)


def _refuse_foreign_bytes(target: Path) -> None:
    """Refuse a file that is not a DuckDB database by its first bytes, before DuckDB opens
    it (DuckDB would try to download an extension for a SQLite file)."""
    try:
        with target.open("rb") as fh:
            head = fh.read(16)
    except OSError as exc:
        raise DatabaseRefused.said("db.unreadable", name=target.name, reason=exc.strerror) from exc
    if head.startswith(b"SQLite format 3"):
        raise DatabaseRefused.said("db.sqlite", name=target.name)
    if len(head) < 12 or head[8:12] != b"DUCK":
        raise _damaged(target)


def _damaged(target: Path) -> DatabaseRefused:
    return DatabaseRefused.said("db.damaged", name=target.name)


def is_read_only(con: duckdb.DuckDBPyConnection) -> bool:
    """Whether ``con`` was opened read-only."""
    rows = con.execute(
        "SELECT readonly FROM duckdb_databases() WHERE database_name = current_database()"
    ).fetchall()
    return bool(rows and rows[0][0])


def _is_lock_error(exc: Exception) -> bool:
    text = str(exc).lower()
    return "lock" in text and ("conflicting" in text or "could not set" in text)


_TURNS = threading.Lock()
"""Opening and closing take turns (milliseconds each): the file's attaching and detaching
(:func:`_attached`) and its count of connections. When each file had a DuckDB database
of its own, a connection opened while another thread closed the last one to the same
file (DuckDB 2.0.1) could come up without its Python scan functions ("Table Function
with name python_arrow_scan does not exist"): an upload's commit failed so while a
page's connection closed (the test reproduced it within seconds without the turns)."""


def _duck(path: str, read_only: bool, config: dict) -> duckdb.DuckDBPyConnection:
    if not path or path.startswith(":memory:"):
        con = duckdb.connect(path or ":memory:", config=config)
    else:
        with _TURNS:
            con = _attached(path, read_only, config)
            _FILE_OF[id(con)] = (weakref.ref(con), os.path.abspath(path))
    con.execute("SET enable_progress_bar = false")  # a long migration draws no bars in the CLI
    return con


# One DuckDB database per process, in memory, with each file this process has open
# attached to it (ATTACH, USE) and detached when its last connection closes. A new DuckDB
# database sets up its built-in functions: 15 ms each time (DuckDB 2.0.1), and every page
# run gave the file back at its end and opened it again at its next (the file's open, a
# query and its close: 2.8 ms attached against 18.4 ms on the small demo; 4.9 against
# 20 at ten million answers). DuckDB refuses a second database of the process on an
# attached file ("Unique file handle conflict"): within the process, the file is this
# database's only. Its settings (memory limit, threads) are the database's, so the
# latest opening's apply to every file open here.
_BASE: list = []  # [the database's connection, its settings]
_ATTACHED: dict[str, list] = {}  # the file's path -> [its name here, read-only, connections]
_ATTACHED_BY: dict[int, str] = {}  # id of a connection -> the file's path
_NAMES = itertools.count(1)


def _base(config: dict) -> duckdb.DuckDBPyConnection:
    """The process's database (see above), with ``config``'s settings in force and what
    does not fit in memory written to :func:`_spill_folder`."""
    want = {**config, "temp_directory": _spill_folder()}
    if _BASE and _BASE[1] != want:
        base, had = _BASE
        if not _ATTACHED:  # nothing open: a fresh database with these settings
            with contextlib.suppress(duckdb.Error):
                base.close()
            _BASE.clear()
        else:  # the files open now take them too (as one more connection would have)
            for key in ("memory_limit", "threads", "temp_directory"):
                if key in want and want[key] != had.get(key):
                    value = sql_text(str(want[key]))
                    base.execute(f"SET GLOBAL {key} = {value}")  # our settings, quoted
                elif key not in want and key in had:
                    base.execute(f"RESET GLOBAL {key}")  # a name of ours
            _BASE[1] = want
    if not _BASE:
        _BASE[:] = [duckdb.connect(":memory:", config=want), want]
    return _BASE[0]


def _spill_folder() -> str:
    """Where the process's database writes what does not fit in memory: its own folder
    in the uploads' temp root (removed with the process's leftovers)."""
    spill = config.temp_root() / f"p{os.getpid()}" / "duck"
    try:
        spill.parent.mkdir(parents=True, exist_ok=True)  # DuckDB makes only the last folder
    except OSError:  # no temp folder to be had: nothing is written aside (a big sort fails)
        return ""
    return str(spill)


def sql_text(value: str) -> str:
    """A SQL string literal of ``value``: for text of the app's own (a path, a setting)
    where DuckDB takes no bound value, never for text from a file or a person."""
    return "'" + value.replace("'", "''") + "'"


def _attached(path: str, read_only: bool, config: dict) -> duckdb.DuckDBPyConnection:
    """A connection to the file ``path`` through the process's database (under _TURNS)."""
    key = os.path.realpath(path)
    entry = _ATTACHED.get(key)
    if entry is not None and entry[1] != read_only:
        raise duckdb.ConnectionException(
            f"Can't open a connection to {path} with a different configuration"
            " (read-only or not) than the one open in this process"
        )
    base = _base(config)
    if entry is None:
        name = f"cx_file_{next(_NAMES)}"
        try:
            base.execute(
                f"ATTACH {sql_text(path)} AS {name}" + (" (READ_ONLY)" if read_only else "")
            )
        except duckdb.Error as exc:
            if "invalidated" in str(exc).lower() and not _ATTACHED:
                with contextlib.suppress(duckdb.Error):
                    base.close()
                _BASE.clear()  # a fatal error ended the process's database: a new one
                return _attached(path, read_only, config)
            raise
        entry = _ATTACHED[key] = [name, read_only, 0]
    con = base.cursor()
    try:
        con.execute(f"USE {entry[0]}")
    except BaseException:
        con.close()
        if not entry[2]:
            _detach(key)
        raise
    entry[2] += 1
    _ATTACHED_BY[id(con)] = key
    return con


def _detach(key: str) -> None:
    entry = _ATTACHED.pop(key)
    with contextlib.suppress(duckdb.Error):  # a database a fatal error ended
        _BASE[0].execute(f"DETACH {entry[0]}")  # checkpoints the file, gives its lock back


# The file each connection opened here is to (id -> (the connection, weakly; its path)):
# asking DuckDB costs a query, and every page load asks (the file or the readers' copy).
_FILE_OF: dict[int, tuple[weakref.ref, str]] = {}


def close(con: duckdb.DuckDBPyConnection) -> None:
    """Close a connection opened here (in turn with the openings; see :data:`_TURNS`)."""
    with _TURNS:
        con.close()
        _FILE_OF.pop(id(con), None)
        key = _ATTACHED_BY.pop(id(con), None)
        if key is not None:
            entry = _ATTACHED[key]
            entry[2] -= 1
            if not entry[2]:
                _detach(key)


def holds(target: Path | str) -> bool:
    """Whether this process has the database file open through DuckDB (attached:
    :data:`_ATTACHED`).

    POSIX record locks belong to a process: closing any descriptor of a file drops every
    lock the process holds on it. DuckDB's lock on the database file is one of those, so
    while this process has the file open it never opens a descriptor of it itself (the
    first-bytes check is skipped, the readers' copy is made by another process): a file
    read and closed here let another program open the database in the middle of a write,
    and that program's commit then overwrote this one's (an upload lost)."""
    return os.path.realpath(target) in _ATTACHED


def open_connection(
    path: Path | str | None = None,
    timeout: float | None = None,
    on_wait: Callable[[float], None] | None = None,
    read_only: bool | None = None,
    fallback_after: float | None = None,
) -> duckdb.DuckDBPyConnection:
    """Open the file, waiting (bounded) while another process has it.

    ``read_only=None`` opens read-write when this process may write the file and its
    folder, else read-only. A file that is not a DuckDB database is refused before
    DuckDB touches it. ``on_wait(seconds_waited)`` is called once when waiting starts,
    so a page or the CLI can say what is happening. A reader passes ``fallback_after``:
    when another process has held the file that long, the readers' snapshot is opened
    (read-only) instead, if there is one (:func:`publish_snapshot`).
    """
    target = Path(path) if path else config.db_path()
    if target.exists() and not holds(target):  # open here already: DuckDB's (see holds)
        _refuse_foreign_bytes(target)
    ro = (not writable(target)) if read_only is None else read_only
    if not target.exists():
        if ro:
            raise DatabaseRefused.said("db.cannot_create", name=target.name)
        target.parent.mkdir(parents=True, exist_ok=True)
    limit = config.lock_timeout() if timeout is None else timeout
    settings = config.duckdb_settings()
    start = time.monotonic()
    delay = 0.05
    told = False
    seen = _WRITER_SEEN.get(str(target))
    if fallback_after is not None and seen is not None and start - seen < STILL_WRITING:
        fallback_after = 0.0  # a writer held it a moment ago: no wait before the snapshot
    while True:
        try:
            con = _duck(str(target), ro, settings)
            _WRITER_SEEN.pop(str(target), None)
            return con
        except duckdb.IOException as exc:  # the file lock of another process, or worse
            text = str(exc)
            if not _is_lock_error(exc):
                if is_disk_full(exc):
                    raise disk_full() from exc
                if not ro and ("Permission denied" in text or "not permitted" in text):
                    ro = True  # a file we may read but not write: look, do not touch
                    continue
                _LOG.info("cannot open %s: %s", target, text)
                raise _damaged(target) from exc
            waited = time.monotonic() - start
            if fallback_after is not None and waited >= fallback_after:
                snapshot = _open_snapshot(target, settings)
                if snapshot is not None:
                    _WRITER_SEEN[str(target)] = time.monotonic()
                    return snapshot
            if waited >= limit:
                raise DatabaseBusy.said("db.busy", name=target.name, waited=waited) from exc
            if on_wait and not told and (fallback_after is None or waited >= fallback_after):
                on_wait(waited)
                told = True
            time.sleep(min(delay, max(0.0, limit - waited)))
            delay = min(delay * 2, 1.0)
        except duckdb.Error as exc:  # a storage version or a structure DuckDB cannot read
            _LOG.info("cannot open %s: %s", target, exc)
            if "different configuration" in str(exc):  # open here already, read-only or not
                raise DatabaseBusy.said("db.other_settings", name=target.name) from exc
            raise _damaged(target) from exc


def check_ours(con: duckdb.DuckDBPyConnection, target: Path | str) -> int:
    """The schema version of this app's database; refuse another program's or a newer one.

    An empty database (no tables) is this app's to set up: 0.
    """
    name = Path(target).name
    tables = sorted(
        r[0]
        for r in con.execute(
            "SELECT table_name FROM information_schema.tables"
            " WHERE table_catalog = current_database()"
        ).fetchall()
    )
    if not tables:
        return 0
    version = schema_version(con) if "meta" in tables else 0
    if version == 0:
        shown = ", ".join(tables[:5]) + (" …" if len(tables) > 5 else "")
        raise DatabaseRefused.said("db.foreign", name=name, tables=shown)
    if version > SCHEMA_VERSION:
        raise DatabaseRefused.said("db.newer", name=name, version=version, known=SCHEMA_VERSION)
    return version


@contextlib.contextmanager
def connect(
    path: Path | str | None = None,
    timeout: float | None = None,
    on_wait: Callable[[float], None] | None = None,
    fallback_after: float | None = None,
) -> Iterator[duckdb.DuckDBPyConnection]:
    """A short-lived connection with the schema in place; closed on exit.

    A reader passes ``fallback_after`` (see :func:`open_connection`): the connection may
    then be to the readers' snapshot, read-only.
    """
    target = Path(path) if path else config.db_path()
    con = open_connection(target, timeout, on_wait, fallback_after=fallback_after)
    if fallback_after is not None:
        target = Path(_database_file(con) or target)  # the snapshot, when it came to that
    try:
        known = _identity(target)
        if known is not None and _CHECKED.get(str(target)) == (known, _registry_key()):
            yield con  # this very file was checked (and set up) by this process
            return
        try:
            version = check_ours(con, target)
            read_only = is_read_only(con)
            if not read_only:
                ensure_schema(con)
                ensure_rollup_columns(con)
            stale = read_only and version == SCHEMA_VERSION and missing_rollup_columns(con)
        except duckdb.Error as exc:  # a file damaged past its first blocks
            problem = explain(exc, target)
            if problem is None:
                raise
            raise problem from exc
        if read_only and version < SCHEMA_VERSION:
            raise DatabaseRefused.said(
                "db.read_only_upgrade", name=target.name, version=version, known=SCHEMA_VERSION
            )
        if stale:
            names = ", ".join(i.name for i in stale)
            raise DatabaseRefused.said("db.read_only_rollup", name=target.name, columns=names)
        _CHECKED[str(target)] = (_identity(target), _registry_key())
        yield con
    finally:
        close(con)


# path -> (identity of the file, registry's rollup columns) when its schema was last
# found (or made) current: a rollup input registered since is checked (and added) again
_CHECKED: dict[str, tuple[tuple[int, ...] | None, tuple[str, ...]]] = {}


def _registry_key() -> tuple[str, ...]:
    """The rollup columns the registry declares now (:func:`cx.metrics.rollup_names`)."""
    return tuple(metrics.rollup_names())


def _identity(target: Path) -> tuple[int, ...] | None:
    """Device, inode, modification time and size of the file: another file, or the same
    file written since, has another identity (None when it cannot be read)."""
    try:
        st = target.stat()
    except OSError:
        return None
    return (st.st_dev, st.st_ino, st.st_mtime_ns, st.st_size)


def forget_checks() -> None:
    """Check every file's schema again on its next open."""
    _CHECKED.clear()


@contextlib.contextmanager
def transaction(
    con: duckdb.DuckDBPyConnection, publish: bool = False
) -> Iterator[duckdb.DuckDBPyConnection]:
    """BEGIN ... COMMIT, or ROLLBACK on any error (including KeyboardInterrupt).

    Write transactions of one process take turns (:data:`WRITE_LOCK`, bounded by
    ``CX_LOCK_TIMEOUT``). A read-only database, a full disk or a turn that never comes
    end in a :class:`Problem` with one sentence; the database stays as it was.
    ``publish=True`` (a long write) brings the readers' snapshot up to date before it
    starts (:func:`publish_snapshot`) and, after its commit, has another process publish
    the committed state once the file is let go (:func:`publish_later`).
    """
    if not WRITE_LOCK.acquire(timeout=config.lock_timeout()):
        raise DatabaseBusy.said("db.write_turn")
    try:
        if is_read_only(con):
            raise read_only_problem(_database_file(con))
        if publish and not _snapshot_current(con):
            publish_snapshot(con)  # short writes since: readers fall back on them too
        con.execute("BEGIN TRANSACTION")
        try:
            yield con
            con.execute("COMMIT")
        except BaseException as exc:
            with contextlib.suppress(duckdb.Error):
                con.execute("ROLLBACK")
            problem = explain(exc, _database_file(con))
            if problem is not None:
                raise problem from exc
            raise
        if publish:
            publish_later(con)
    finally:
        if _RAISED:
            _restore_memory(con)
        WRITE_LOCK.release()


_RAISED: list[int] = []  # the configured limit, while a write of this process raised it


def allow_memory(con: duckdb.DuckDBPyConnection, need: int) -> None:
    """Let the current write use ``need`` bytes until its transaction ends.

    A table rebuilt with its primary key (:func:`cx.commit.delete_keyed`) holds the whole
    key index in memory when it commits, which DuckDB cannot spill: at ten million
    answers an undo needed about 1.5 GB, and the default limit made the commit fail and
    the file unusable until the process restarted. :func:`transaction` puts the
    configured limit back after the commit or the rollback. A limit given as a share of
    the machine's memory (``CX_MEMORY_LIMIT=50%``) is left as it is."""
    limit = config.memory_limit_bytes()
    if limit is None or need <= limit:
        return
    con.execute(f"SET memory_limit = '{int(need)}B'")  # a number of ours
    _RAISED[:] = [limit]


def _restore_memory(con: duckdb.DuckDBPyConnection) -> None:
    limit = _RAISED.pop()
    with contextlib.suppress(duckdb.Error):  # an instance a fatal error ended: nothing to do
        con.execute(f"SET memory_limit = '{int(limit)}B'")  # a number


def _database_file(con: duckdb.DuckDBPyConnection) -> str | None:
    known = _FILE_OF.get(id(con))
    if known is not None and known[0]() is con:
        return known[1]
    rows = con.execute(
        "SELECT path FROM duckdb_databases() WHERE database_name = current_database()"
    ).fetchall()
    return rows[0][0] if rows and rows[0][0] else None


# --------------------------------------------------------------------------- readers' snapshot

# A reader that finds the file held this long by another process reads the snapshot: a
# short write (a callback saved, a target set) passes well within it.
FALLBACK_AFTER = 0.25
# Once a reader has found the file held past FALLBACK_AFTER, the next readers of the
# following seconds go to the snapshot at the first refusal: an upload holds the file for
# its whole run, and every page run of every visitor waited the quarter second again
# (a third of a second each, at ten visitors a second, during a 10M-answer upload).
STILL_WRITING = 2.0
_WRITER_SEEN: dict[str, float] = {}  # file -> when a reader last fell back to its snapshot


def published_version(con_or_target: duckdb.DuckDBPyConnection | Path | str) -> int | None:
    """The data version of the published snapshot of the file (of ``con``); None if none."""
    target = con_or_target
    if isinstance(con_or_target, duckdb.DuckDBPyConnection):
        target = _database_file(con_or_target) or ""
    return snapshot.published_version(target)


def publish_later(con: duckdb.DuckDBPyConnection) -> subprocess.Popen | None:
    """After a long write's commit: checkpoint the file (so it holds the commit), then
    have another process publish it as this data version
    (:func:`cx.snapshot.publish_when_still`) while this one lets it go. The write no
    longer holds the file while it is copied (1.4 GB, 2.5-6 s at ten million answers);
    readers read the file itself meanwhile. The process is returned; None when the
    checkpoint stayed held off (logged) or the database is in memory."""
    path = _database_file(con)
    if not path:
        return None
    if not _checkpoint(con):
        _LOG.warning("readers' snapshot of %s not published: the checkpoint stayed busy", path)
        return None
    return snapshot.publish_in_background(Path(path), data_version(con))


CHECKPOINT_WAITS = (0.02, 0.05, 0.1, 0.2, 0.4, 0.8)
"""Pauses (s) between tries of a checkpoint that another connection's query holds off."""


def _checkpoint(con: duckdb.DuckDBPyConnection) -> bool:
    """CHECKPOINT, tried again while a query of another connection of this process holds
    it off (DuckDB refuses while a read that began before the last commit runs: "there
    are other write transactions active"); False when it never could."""
    for wait in (*CHECKPOINT_WAITS, None):
        try:
            con.execute("CHECKPOINT")
            return True
        except duckdb.TransactionException:
            if wait is None:
                return False
            time.sleep(wait)
    return False


def publish_snapshot(con: duckdb.DuckDBPyConnection) -> bool:
    """Checkpoint the file of ``con`` (held read-write: no other process writes it
    meanwhile, and this process's writes take turns) and publish it for readers.

    False, logged, when the checkpoint stays held off by this process's own readers:
    the write stands, the previous copy stays published (a little older, whole), and
    the next long write publishes first."""
    path = _database_file(con)
    if not path:
        return False  # an in-memory database has no readers elsewhere
    version = data_version(con)
    if not _checkpoint(con):
        _LOG.warning("readers' snapshot of %s not published: the checkpoint stayed busy", path)
        return False
    return publish_copy(Path(path), Path(path), version)


def _snapshot_current(con: duckdb.DuckDBPyConnection) -> bool:
    """Whether the readers' snapshot of ``con``'s file is there and holds its data version."""
    path = _database_file(con)
    return (
        bool(path) and snapshot_path(path).exists() and published_version(con) == data_version(con)
    )


def ensure_snapshot(path: Path | str | None = None) -> bool:
    """Publish the readers' snapshot of the file when it has none, or an older one, so
    that readers never wait for the first long write (which would otherwise copy the
    file first, holding it: 7 s at 10 million answers). A missing or read-only file is
    left alone (False). Deployments call it before their app processes start."""
    target = Path(path) if path else config.db_path()
    if not target.exists():
        return False
    with connect(target) as con:
        if is_read_only(con):
            return False
        with WRITE_LOCK:
            if _snapshot_current(con):
                return True
            return publish_snapshot(con)


def _open_snapshot(target: Path, settings: dict) -> duckdb.DuckDBPyConnection | None:
    snap = snapshot_path(target)
    if not snap.exists():
        return None
    try:
        con = _duck(str(snap), True, settings)
    except duckdb.Error:  # being replaced this instant, or unreadable: wait instead
        return None
    try:  # a copy published by an earlier version of the app: wait for the file instead
        current = schema_version(con) == SCHEMA_VERSION
    except duckdb.Error:
        current = False
    if not current:
        close(con)
        return None
    return con


def schema_version(con: duckdb.DuckDBPyConnection) -> int:
    """The schema version recorded in the file (0 for a new file)."""
    exists = con.execute(  # duckdb_tables(): half the time of information_schema's view
        "SELECT count(*) FROM duckdb_tables() WHERE table_name = 'meta'"
        " AND schema_name = 'main' AND database_name = current_database()"
    ).fetchall()[0][0]
    if not exists:
        return 0
    rows = con.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchall()
    return int(rows[0][0]) if rows else 0


def ensure_schema(con: duckdb.DuckDBPyConnection) -> None:
    """Create or migrate the tables up to :data:`SCHEMA_VERSION` (idempotent)."""
    if schema_version(con) >= SCHEMA_VERSION:
        return
    with transaction(con):
        current = schema_version(con)  # again, in turn: another thread may have done it
        for version in range(current + 1, SCHEMA_VERSION + 1):
            for statement in MIGRATIONS[version]:
                if callable(statement):  # a step in Python
                    statement(con)
                else:
                    con.execute(statement)
        con.execute(
            "INSERT OR REPLACE INTO meta VALUES ('schema_version', ?)", [str(SCHEMA_VERSION)]
        )
        con.execute("INSERT OR IGNORE INTO meta VALUES ('data_version', '0')")
        if current:  # a file of an earlier version: its readers' copy is out of date now
            bump_data_version(con)


def meta_value(con: duckdb.DuckDBPyConnection, key: str) -> str | None:
    """The value ``meta`` holds under ``key`` (None when it holds none)."""
    rows = con.execute("SELECT value FROM meta WHERE key = ?", [key]).fetchall()
    return rows[0][0] if rows else None


def set_meta(con: duckdb.DuckDBPyConnection, key: str, value: str | None) -> None:
    """Record ``value`` under ``key`` in ``meta`` (None: remove it)."""
    con.execute("DELETE FROM meta WHERE key = ?", [key])
    if value is not None:
        con.execute("INSERT INTO meta VALUES (?, ?)", [key, value])


def data_version(con: duckdb.DuckDBPyConnection) -> int:
    """A counter every write bumps; caches key on it."""
    rows = con.execute("SELECT value FROM meta WHERE key = 'data_version'").fetchall()
    return int(rows[0][0]) if rows else 0


def data_versions(con: duckdb.DuckDBPyConnection) -> tuple[int, int]:
    """The data version and the base version: the data version of the last write that
    was not a follow-up change (a callback saved). What reads neither follow-ups nor the
    audit log keys its cache on the base version, so a store's callbacks at 8:30 do not
    make every other page of the network compute again (:func:`cx.queries.no_followups`).
    A file that has no base version yet gives the data version (the safe side)."""
    rows = dict(
        con.execute(
            "SELECT key, value FROM meta WHERE key IN ('data_version', 'base_version')"
        ).fetchall()
    )
    data = int(rows.get("data_version", 0))
    return data, int(rows.get("base_version", data))


def bump_data_version(con: duckdb.DuckDBPyConnection, *, followup: bool = False) -> int:
    """Increase the data version (call inside the write's transaction); unless the write
    is a follow-up change (``followup``), the base version becomes the new data version
    too (:func:`data_versions`)."""
    # a file written before there was a base version: its base is its data version so far
    con.execute(
        "INSERT OR IGNORE INTO meta SELECT 'base_version', value FROM meta"
        " WHERE key = 'data_version'"
    )
    con.execute(
        "UPDATE meta SET value = CAST(CAST(value AS BIGINT) + 1 AS VARCHAR)"
        " WHERE key = 'data_version'"
    )
    version = data_version(con)
    if not followup:
        con.execute("INSERT OR REPLACE INTO meta VALUES ('base_version', ?)", [str(version)])
    return version


def _rebuild(con: duckdb.DuckDBPyConnection, table: str) -> None:
    """Every row of the rollup ``table`` (one of :data:`ROLLUPS`) again from the answers."""
    con.execute(f"DELETE FROM {table}")  # noqa: S608 (our table names)
    con.execute(*_fill_sql(table))


def refresh_rollups(
    con: duckdb.DuckDBPyConnection,
    affected: str | None = None,
    added: str | None = None,
    repeats_written: bool = False,
) -> None:
    """Recompute the store x day rollups (:data:`ROLLUPS`), the answers' repeat columns
    and the stored gaming tests (``gaming_window``, from those).

    ``affected`` names a table or view with columns (store_id, day, who) of the answers
    written or removed (``who``: :data:`WHO_SQL` of the answer) to refresh only those
    store-days and those customers' answers; ``None`` rebuilds everything (and gives the
    detractors written without one their reason, :func:`store_reasons`). ``added``: the
    write only added answers (none replaced or removed), all of them in the relation of
    that name, so the rollups add those answers' sums (:func:`_add_rows`);
    ``repeats_written``: their repeat columns were written with them
    (:func:`added_repeats`). Call inside
    the write's transaction. Rows are written by column name, so a file whose columns
    were added in another order (:func:`ensure_rollup_columns`) or that keeps a column
    no longer declared (left NULL) is refreshed all the same.
    """
    if affected is None:
        for table in ROLLUPS:
            _rebuild(con, table)
        con.execute(_repeats_sql())
        store_reasons(con)  # answers written without them (the demo's, a test's)
        _store_derived(con, None)
        _store_splits(con, None)
        return
    _refresh_touched(con, affected, added, repeats_written)
    _store_splits(con, f"SELECT day FROM {affected}", added)  # noqa: S608 (the caller's temp table)
    _store_derived(con, f"SELECT date_trunc('month', day) FROM {affected}")  # noqa: S608 (the caller's temp table)


def _store_derived(con: duckdb.DuckDBPyConnection, months: str | None) -> None:
    """What pages read besides the rollups, once the rollups and repeat columns are
    current: the gaming tests of the default dates (``cx.queries.signals.store_gaming``),
    the network's raw monthly inputs of the ``months`` that changed (a query; None:
    all; ``cx.queries.cx_overview.store_monthly_raw``) and the frames of the network's
    default views (``cx.queries.kept.store``)."""
    _store_gaming(con)
    _store_monthly_raw(con, months)
    _store_kept(con)


def _store_gaming(con: duckdb.DuckDBPyConnection) -> None:
    from cx.queries import signals  # it builds on this module

    signals.store_gaming(con)


def _store_kept(con: duckdb.DuckDBPyConnection, create: bool = False) -> None:
    from cx.queries import kept  # it builds on this module

    if create:
        con.execute(kept.KEPT_DDL)
    kept.store(con)


def _store_splits(
    con: duckdb.DuckDBPyConnection, days: str | None, added: str | None = None
) -> None:
    from cx.queries import segments  # it builds on this module

    segments.store_splits(con, days, added)


def _store_monthly_raw(con: duckdb.DuckDBPyConnection, months: str | None = None) -> None:
    from cx.queries import cx_overview  # it builds on this module

    cx_overview.store_monthly_raw(con, months)


# An upload that only adds answers writes their repeat columns with them
# (:func:`added_repeats`) when the answers stored at or after its earliest one are at most
# this share of all: a later period. One reaching back over most of the history has its
# customers' answers ordered again after the insert (:func:`_repeats_sql`), as any other
# write: nearly all of their answers would be ordered anyway. Measured with a million
# answers added to 10 million: a month after the last (0 %) 8.3 -> 6.5 s for the insert
# and the repeat columns; a sample of the whole history (nearly all) 11.8 -> 13.5 s.
ADDED_REPEATS_REACH = 0.5


def added_repeats(con: duckdb.DuckDBPyConnection, added: str) -> bool:
    """Before a write that only adds answers inserts them: temp table
    ``cx_added_repeats`` (response_id, prev_store_at, prev_advisor_at) holding the
    :data:`REPEAT_COLUMNS` of the added answers that have a customer, to insert with
    them, and the stored answers whose values the added ones change updated. False (and
    nothing done) for an upload reaching back over most of the history
    (:data:`ADDED_REPEATS_REACH`): then :func:`refresh_rollups` orders them after the insert.

    ``added``: a fixed relation of the added answers (the contract's columns; none of
    their ids stored). The result equals :func:`_repeats_sql` over every answer of the
    customers afterwards, but only each customer's answers from its earliest added one
    on are ordered (an upload of a later period: the added answers alone); the customer's
    earlier answers count only by their latest time, per store and per store and advisor.
    """
    con.execute(
        "CREATE OR REPLACE TEMP TABLE cx_rep_keys AS SELECT store_id, who,"  # noqa: S608 (the caller's fixed relation)
        f" min(responded_at) AS first_at FROM (SELECT store_id, {WHO_SQL} AS who, responded_at"
        f" FROM {added}) WHERE who IS NOT NULL GROUP BY ALL"
    )
    first = con.execute("SELECT min(first_at) FROM cx_rep_keys").fetchall()[0][0]
    later, stored = con.execute(
        "SELECT count(*) FILTER (WHERE responded_at >= ?), count(*) FROM responses", [first]
    ).fetchall()[0]
    if stored and later > ADDED_REPEATS_REACH * stored:
        con.execute("DROP TABLE cx_rep_keys")
        return False
    keyed = (
        "FROM (SELECT store_id, advisor, responded_at, response_id, prev_store_at,"  # noqa: S608 (fixed text)
        f" prev_advisor_at, {WHO_SQL} AS who FROM responses) r JOIN cx_rep_keys k"
        " ON r.store_id = k.store_id AND r.who = k.who"
    )
    # The stored answers a customer gave from its earliest added one on (the time bound
    # first: DuckDB skips the row groups of earlier days), and its latest before that.
    con.execute(
        "CREATE OR REPLACE TEMP TABLE cx_rep_after AS SELECT r.response_id, r.store_id, k.who,"
        " coalesce(r.advisor, '') AS adv, r.responded_at, r.prev_store_at, r.prev_advisor_at"
        f" {keyed} WHERE r.responded_at >= ? AND r.responded_at >= k.first_at",
        [first],
    )
    con.execute(
        "CREATE OR REPLACE TEMP TABLE cx_rep_before AS SELECT r.store_id, k.who,"
        f" coalesce(r.advisor, '') AS adv, max(r.responded_at) AS last_at {keyed}"
        " WHERE r.responded_at < k.first_at GROUP BY ALL"
    )
    order = "ORDER BY responded_at, response_id"
    con.execute(
        "CREATE OR REPLACE TEMP TABLE cx_rep_new AS SELECT x.response_id, x.stored,"  # noqa: S608 (the caller's fixed relation)
        " x.prev_store_at, x.prev_advisor_at, coalesce(x.ps, s.last_at) AS ps, coalesce(x.pa, a.last_at) AS pa"
        " FROM (SELECT *,"
        f" lag(responded_at) OVER (PARTITION BY store_id, who {order}) AS ps,"
        f" lag(responded_at) OVER (PARTITION BY store_id, adv, who {order}) AS pa"
        " FROM (SELECT *, true AS stored FROM cx_rep_after UNION ALL BY NAME"
        f" SELECT response_id, store_id, {WHO_SQL} AS who, coalesce(advisor, '') AS adv,"
        " responded_at, false AS stored FROM"
        f" {added} WHERE {WHO_SQL} IS NOT NULL)) x"
        " LEFT JOIN (SELECT store_id, who, max(last_at) AS last_at FROM cx_rep_before GROUP BY ALL) s"
        " ON s.store_id = x.store_id AND s.who = x.who"
        " LEFT JOIN cx_rep_before a ON a.store_id = x.store_id AND a.who = x.who AND a.adv = x.adv"
    )
    con.execute(
        "UPDATE responses r SET prev_store_at = x.ps, prev_advisor_at = x.pa FROM (SELECT"
        " response_id, ps, pa FROM cx_rep_new WHERE stored AND (prev_store_at IS DISTINCT FROM"
        " ps OR prev_advisor_at IS DISTINCT FROM pa)) x WHERE r.response_id = x.response_id"
    )
    con.execute(
        "CREATE OR REPLACE TEMP TABLE cx_added_repeats AS SELECT response_id,"
        " ps AS prev_store_at, pa AS prev_advisor_at FROM cx_rep_new WHERE NOT stored"
    )
    for table in ("cx_rep_keys", "cx_rep_after", "cx_rep_before", "cx_rep_new"):
        con.execute(f"DROP TABLE {table}")
    return True


def _refresh_touched(
    con: duckdb.DuckDBPyConnection, affected: str, added: str | None, repeats_written: bool
) -> None:
    """The rollups and repeat columns of the store-days and customers of ``affected``."""
    if not repeats_written:
        con.execute(
            _repeats_sql(
                f"AND (store_id, {WHO_SQL}) IN (SELECT store_id, who FROM {affected}"  # noqa: S608 (the caller's temp table)
                " WHERE who IS NOT NULL)"
            )
        )
    if added is not None:
        for table in ROLLUPS:
            _add_rows(con, table, added)
        return
    first, last = con.execute(f"SELECT min(day), max(day) FROM {affected}").fetchall()[0]  # noqa: S608
    for table in ROLLUPS:
        con.execute(
            f"DELETE FROM {table} WHERE (store_id, day) IN (SELECT store_id, day FROM {affected})"  # noqa: S608
        )
        if first is None:
            continue
        # The day range first: DuckDB skips the row groups of other days by their min/max
        # (an upload of last week reads last week, not the whole table, inside the commit).
        days = f"SELECT store_id, day FROM {affected}"  # noqa: S608 (the caller's temp table)
        sql, params = _fill_sql(
            table,
            " AND responded_at >= ? AND responded_at < ?"
            f" AND (store_id, CAST(responded_at AS DATE)) IN ({days})",
        )
        con.execute(sql, [*params, first, last + timedelta(days=1)])


def _add_rows(con: duckdb.DuckDBPyConnection, table: str, rows: str) -> None:
    """Add the answers of ``rows`` (a relation of new answers with the contract's columns,
    none of them in the rollups yet) to the rollup ``table``: their store-day sums plus
    the stored row of the same store-day. Every rollup column is a count or a sum
    (:class:`cx.metrics.Input`), so this equals summing the store-days' answers again,
    without reading them inside the write (an upload reaching back over a year of a
    10-million-answer file re-read nearly all of it: 6 s)."""
    select, params = _rollup_select(table)
    names = [i.name for i in _rollup_inputs(table)]  # registry code, not input
    plus = ", ".join(f"coalesce(t.{n}, 0) + f.{n} AS {n}" for n in names)
    con.execute(
        f"CREATE OR REPLACE TEMP TABLE cx_fresh AS SELECT {select} FROM {rows}"  # noqa: S608 (registry code, the caller's relation; values bound)
        f" WHERE {_rollup_rows(table)} GROUP BY ALL",
        params,
    )
    con.execute(
        f"CREATE OR REPLACE TEMP TABLE cx_merged AS SELECT store_id, day, {plus}"  # noqa: S608 (registry code)
        f" FROM cx_fresh f LEFT JOIN {table} t USING (store_id, day)"
    )
    con.execute(
        f"DELETE FROM {table} WHERE (store_id, day) IN (SELECT store_id, day FROM cx_fresh)"  # noqa: S608 (a rollup of ROLLUPS)
    )
    con.execute(f"INSERT INTO {table} BY NAME SELECT * FROM cx_merged ORDER BY day, store_id")  # noqa: S608
    con.execute("DROP TABLE cx_fresh")
    con.execute("DROP TABLE cx_merged")


def missing_rollup_columns(con: duckdb.DuckDBPyConnection) -> list[metrics.Input]:
    """The registry's rollup inputs that this file's ``daily_rollup`` lacks (an older
    file, or a metric added since the file was written)."""
    have = {
        r[0]
        for r in con.execute(
            "SELECT column_name FROM duckdb_columns() WHERE table_name = 'daily_rollup'"
            " AND schema_name = 'main' AND database_name = current_database()"
        ).fetchall()
    }
    return [i for i in metrics.rollup_inputs() if i.name not in have]


def ensure_rollup_columns(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Add the declared rollup columns the file lacks and rebuild the rollup, in one
    transaction (nothing changes on a failure); bump the data version so cached pages
    read the new columns. Returns the names added (none when the file is current)."""
    if not missing_rollup_columns(con):
        return []
    with transaction(con):
        missing = missing_rollup_columns(con)  # again, in turn: another thread may have done it
        for i in missing:
            con.execute(f"ALTER TABLE daily_rollup ADD COLUMN {i.ddl()}")
        if missing:
            _rebuild(con, "daily_rollup")  # the only table a registry column changes
            bump_data_version(con)
    _LOG.info("daily_rollup: added %s and rebuilt", ", ".join(i.name for i in missing))
    return [i.name for i in missing]
