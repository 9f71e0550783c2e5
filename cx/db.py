"""The DuckDB file: schema and migrations, connections that wait politely, data version, rollups.

Connections are short-lived (open, work, close). DuckDB lets one process hold a
file read-write at a time; the app and a command-line ingest are different
processes, so whichever finds the file busy retries with a back-off until
``CX_LOCK_TIMEOUT`` seconds have passed and then raises :class:`DatabaseBusy`
with a sentence a person understands. Short connections keep the file free for
the other side between page renders; the cost of opening is a few milliseconds
(see ``bench/bench_connect.py``).
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import duckdb

from cx import config
from cx.enums import CSI_DIMS, TP_KEYS

SCHEMA_VERSION = 2

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


def _response_ddl(table: str, prefix: str = "", pk: bool = True) -> str:
    cols = [f"{prefix}"] if prefix else []
    for name, typ in {**RESPONSE_COLUMNS, **RESPONSE_EXTRA}.items():
        extra = " PRIMARY KEY" if pk and name == "response_id" else ""
        cols.append(f"{name} {typ}{extra}")
    return f"CREATE TABLE IF NOT EXISTS {table} ({', '.join(c for c in cols if c)})"


def _rollup_ddl() -> str:
    cols = [
        "store_id VARCHAR",
        "day DATE",
        "n INTEGER",
        "d INTEGER",
        "pa INTEGER",
        "p INTEGER",
        "n10 INTEGER",
    ]
    for name in [f"csi_{d}" for d in CSI_DIMS] + [f"tp_{t}" for t in TP_KEYS]:
        cols += [f"{name}_n INTEGER", f"{name}_sum DOUBLE", f"{name}_sumsq DOUBLE"]
    cols += [
        "csat_n INTEGER",
        "csat_top2 INTEGER",
        "ces_n INTEGER",
        "ces_sum DOUBLE",
        "ces_sumsq DOUBLE",
        "ces_low INTEGER",
        "wait_n INTEGER",
        "wait_sum DOUBLE",
        "wait_over120 INTEGER",
        "ftf_n INTEGER",
        "ftf_yes INTEGER",
        "PRIMARY KEY (store_id, day)",
    ]
    return f"CREATE TABLE IF NOT EXISTS daily_rollup ({', '.join(cols)})"


MIGRATIONS: dict[int, list[str]] = {
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
}


class DatabaseBusy(RuntimeError):
    """Another process holds the database file for longer than we are willing to wait."""


def _is_lock_error(exc: Exception) -> bool:
    text = str(exc).lower()
    return "lock" in text and ("conflicting" in text or "could not set" in text)


def open_connection(
    path: Path | str | None = None,
    timeout: float | None = None,
    on_wait: Callable[[float], None] | None = None,
) -> duckdb.DuckDBPyConnection:
    """Open the file read-write, waiting (bounded) while another process has it.

    ``on_wait(seconds_waited)`` is called once when waiting starts, so a page or
    the CLI can say what is happening.
    """
    target = Path(path) if path else config.db_path()
    target.parent.mkdir(parents=True, exist_ok=True)
    limit = config.lock_timeout() if timeout is None else timeout
    start = time.monotonic()
    delay = 0.05
    told = False
    while True:
        try:
            return duckdb.connect(str(target), config={"memory_limit": config.memory_limit()})
        except duckdb.IOException as exc:  # the file lock of another process
            if not _is_lock_error(exc):
                raise
            waited = time.monotonic() - start
            if waited >= limit:
                raise DatabaseBusy(
                    f"The database {target.name} is busy (another program is writing to it);"
                    f" waited {waited:.0f} s. Try again in a minute."
                ) from exc
            if on_wait and not told:
                on_wait(waited)
                told = True
            time.sleep(min(delay, max(0.0, limit - waited)))
            delay = min(delay * 2, 1.0)


@contextlib.contextmanager
def connect(
    path: Path | str | None = None,
    timeout: float | None = None,
    on_wait: Callable[[float], None] | None = None,
) -> Iterator[duckdb.DuckDBPyConnection]:
    """A short-lived connection with the schema in place; closed on exit."""
    con = open_connection(path, timeout, on_wait)
    try:
        ensure_schema(con)
        yield con
    finally:
        con.close()


@contextlib.contextmanager
def transaction(con: duckdb.DuckDBPyConnection) -> Iterator[duckdb.DuckDBPyConnection]:
    """BEGIN ... COMMIT, or ROLLBACK on any error (including KeyboardInterrupt)."""
    con.execute("BEGIN TRANSACTION")
    try:
        yield con
    except BaseException:
        con.execute("ROLLBACK")
        raise
    con.execute("COMMIT")


def schema_version(con: duckdb.DuckDBPyConnection) -> int:
    """The schema version recorded in the file (0 for a new file)."""
    exists = con.execute(
        "SELECT count(*) FROM information_schema.tables WHERE table_name = 'meta'"
    ).fetchall()[0][0]
    if not exists:
        return 0
    rows = con.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchall()
    return int(rows[0][0]) if rows else 0


def ensure_schema(con: duckdb.DuckDBPyConnection) -> None:
    """Create or migrate the tables up to :data:`SCHEMA_VERSION` (idempotent)."""
    current = schema_version(con)
    if current >= SCHEMA_VERSION:
        return
    with transaction(con):
        for version in range(current + 1, SCHEMA_VERSION + 1):
            for statement in MIGRATIONS[version]:
                con.execute(statement)
        con.execute(
            "INSERT OR REPLACE INTO meta VALUES ('schema_version', ?)", [str(SCHEMA_VERSION)]
        )
        con.execute("INSERT OR IGNORE INTO meta VALUES ('data_version', '0')")


def data_version(con: duckdb.DuckDBPyConnection) -> int:
    """A counter every write bumps; caches key on it."""
    rows = con.execute("SELECT value FROM meta WHERE key = 'data_version'").fetchall()
    return int(rows[0][0]) if rows else 0


def bump_data_version(con: duckdb.DuckDBPyConnection) -> int:
    """Increase the data version (call inside the write's transaction)."""
    con.execute(
        "UPDATE meta SET value = CAST(CAST(value AS BIGINT) + 1 AS VARCHAR)"
        " WHERE key = 'data_version'"
    )
    return data_version(con)


def _rollup_select() -> str:
    parts = [
        "store_id",
        "CAST(responded_at AS DATE) AS day",
        "count(*) AS n",
        "count(*) FILTER (WHERE nps <= 6) AS d",
        "count(*) FILTER (WHERE nps BETWEEN 7 AND 8) AS pa",
        "count(*) FILTER (WHERE nps >= 9) AS p",
        "count(*) FILTER (WHERE nps = 10) AS n10",
    ]
    for name in [f"csi_{d}" for d in CSI_DIMS] + [f"tp_{t}" for t in TP_KEYS]:
        parts += [
            f"count({name}) AS {name}_n",
            f"coalesce(sum({name}), 0) AS {name}_sum",
            f"coalesce(sum({name} * {name}), 0) AS {name}_sumsq",
        ]
    parts += [
        "count(csat) AS csat_n",
        "count(*) FILTER (WHERE csat >= 4) AS csat_top2",
        "count(ces) AS ces_n",
        "coalesce(sum(ces), 0) AS ces_sum",
        "coalesce(sum(ces * ces), 0) AS ces_sumsq",
        "count(*) FILTER (WHERE ces <= 2) AS ces_low",
        "count(wait_minutes) AS wait_n",
        "coalesce(sum(wait_minutes), 0) AS wait_sum",
        "count(*) FILTER (WHERE wait_minutes > 120) AS wait_over120",
        "count(first_time_fix) AS ftf_n",
        "count(*) FILTER (WHERE first_time_fix) AS ftf_yes",
    ]
    return ", ".join(parts)


def refresh_rollups(con: duckdb.DuckDBPyConnection, affected: str | None = None) -> None:
    """Recompute store x day rollups.

    ``affected`` names a table or view with columns (store_id, day) to refresh only
    those pairs; ``None`` rebuilds everything. Call inside the write's transaction.
    """
    select = _rollup_select()
    if affected is None:
        con.execute("DELETE FROM daily_rollup")
        con.execute(
            f"INSERT INTO daily_rollup SELECT {select} FROM responses GROUP BY ALL"  # noqa: S608
        )
        return
    con.execute(
        f"DELETE FROM daily_rollup WHERE (store_id, day) IN (SELECT store_id, day FROM {affected})"  # noqa: S608
    )
    con.execute(
        f"INSERT INTO daily_rollup SELECT {select} FROM responses"  # noqa: S608
        f" WHERE (store_id, CAST(responded_at AS DATE)) IN (SELECT store_id, day FROM {affected})"
        " GROUP BY ALL"
    )
