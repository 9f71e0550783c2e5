"""The database side of an ingest: compare with ``responses``, write in one transaction,
undo. The commit step; the only part of an ingest that needs the database file.

The rows to write are ``cx_new`` on the connection (a temp table or view, or an Arrow
table :mod:`cx.ingest` moved in from its private working connection) with the
contract's columns, the store columns and ``_ord`` (the record's place in the file).

:func:`compare` sorts them into add / replace / unchanged (temp table ``cx_status``);
:func:`write` backs up the rows about to be replaced, upserts rows and stores, keeps the
rejects, records the upload, refreshes the store x day rollups of the touched days and
bumps the data version, all in one transaction; :func:`undo` reverses one upload exactly.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from datetime import datetime

import duckdb
import pandas as pd

from cx import config, db

Audit = Callable[[duckdb.DuckDBPyConnection, int, dict], None]
"""Writes an upload's audit line inside its commit: (connection, upload id, the uploads
row's values as :func:`write` takes them)."""
UndoAudit = Callable[[duckdb.DuckDBPyConnection, dict[str, int]], None]
"""Writes an undo's audit line inside its transaction: (connection, the counts
:func:`undo` returns)."""


class UndoRefused(ValueError):
    """An upload cannot be undone (unknown, already undone, or later uploads depend on it)."""

    def __init__(self, message: str, message_zh: str) -> None:
        super().__init__(message)
        self.message_zh = message_zh


def now() -> datetime:
    """The time recorded for an upload or an undo (whole seconds)."""
    return config.local_now().replace(microsecond=0)


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def mapping_text(mapping: object) -> str:
    """An upload's header mapping as ``uploads.mapping`` keeps it."""
    return json.dumps(mapping, ensure_ascii=False)


def earlier_same(
    con: duckdb.DuckDBPyConnection, content_hash: str, mapping: object = None
) -> tuple[int, int] | None:
    """The latest committed upload with the same bytes read through the same header
    ``mapping`` (``cx.headers.Mapping.as_pairs``), and how many rows it rejected.

    The same bytes mapped otherwise are another reading (a column left unmapped, then
    mapped by hand, had been refused as 'identical', the column left empty). One that
    rejected no row is the same file (reading it again changes nothing); one that
    rejected rows is read again (:func:`cx.ingest.ingest_file`): a row
    dated too far ahead passes a day later, or under another ``CX_DATE_AHEAD_DAYS`` or
    ``CX_TIMEZONE``; under the same rules its rows are all stored already and its rejects
    kept, so nothing is written."""
    row = con.execute(
        "SELECT upload_id, coalesce(rejected, 0) FROM uploads WHERE content_hash = ?"
        " AND status = 'committed' AND (CAST(? AS VARCHAR) IS NULL OR mapping = ?)"
        " ORDER BY upload_id DESC LIMIT 1",
        [content_hash, *[None if mapping is None else mapping_text(mapping)] * 2],
    ).fetchall()
    return (row[0][0], row[0][1]) if row else None


def compare(con: duckdb.DuckDBPyConnection) -> tuple[int, int, int]:
    """``cx_status`` (add / replace / same per response id of ``cx_new``); the three counts."""
    same = " AND ".join(f"n.{c} IS NOT DISTINCT FROM o.{c}" for c in db.RESPONSE_COLUMNS)
    con.execute("DROP TABLE IF EXISTS cx_status")
    stored = con.execute(
        "SELECT count(*) FROM cx_new n SEMI JOIN responses o USING (response_id)"
    ).fetchall()[0][0]
    if not stored:  # the next period: every id new. The compare below reads every column
        # of every stored answer (0.5 s at ten million), the ids alone 0.15 s.
        con.execute(
            "CREATE TEMP TABLE cx_status AS SELECT response_id, 'add' AS status,"
            " CAST(NULL AS BIGINT) AS owner FROM cx_new"
        )
        return con.execute("SELECT count(*) FROM cx_status").fetchall()[0][0], 0, 0
    con.execute(
        "CREATE TEMP TABLE cx_status AS SELECT n.response_id, CASE WHEN o.response_id IS NULL"  # noqa: S608
        f" THEN 'add' WHEN {same} THEN 'same' ELSE 'replace' END AS status,"
        " o.upload_id AS owner FROM cx_new n LEFT JOIN responses o USING (response_id)"
    )
    added, replaced, unchanged = con.execute(
        "SELECT count(*) FILTER (WHERE status = 'add'), count(*) FILTER (WHERE status ="
        " 'replace'), count(*) FILTER (WHERE status = 'same') FROM cx_status"
    ).fetchall()[0]
    return added, replaced, unchanged


def new_stores(
    con: duckdb.DuckDBPyConnection, most: int = 20
) -> tuple[tuple[str, ...], tuple[tuple[str, str], ...]]:
    """The stores of ``cx_new`` the database has not had (the first ``most``), and of
    those, each whose name in the file is another store's already: (new, existing). A
    file with HZ001 for HZ01 had made four new stores named as the old ones, without a
    word, and the region's board read their answers as its own. Nothing for the first
    upload into a database without stores (every store is new then)."""
    if not con.execute("SELECT count(*) FROM stores").fetchall()[0][0]:
        return (), ()
    rows = con.execute(
        "SELECT n.store_id, any_value(n.store_name) FILTER (WHERE n.store_name IS NOT NULL)"
        " FROM cx_new n WHERE n.store_id NOT IN (SELECT store_id FROM stores)"
        " GROUP BY 1 ORDER BY 1 LIMIT ?",
        [most],
    ).fetchall()
    if not rows:
        return (), ()
    con.register("cx_new_store_rows", pd.DataFrame(rows, columns=["store_id", "store_name"]))
    try:  # an existing store by the same code in another case, or by the same name
        alike = con.execute(
            "SELECT n.store_id, s.store_id FROM cx_new_store_rows n JOIN stores s"
            " ON lower(trim(s.store_id)) = lower(trim(n.store_id))"
            " OR trim(s.store_name) = trim(n.store_name) ORDER BY 1, 2"
        ).fetchall()
    finally:
        con.unregister("cx_new_store_rows")
    return tuple(s for s, _ in rows), tuple(alike)


def left_out(con: duckdb.DuckDBPyConnection) -> int:
    """How many stored answers of ``cx_new``'s stores and days it does not hold: a
    corrected re-export of a day without one of its answers left it counted, without a
    word (an upload adds and replaces; it never removes). Read only where the file's
    store-days are in ``daily_rollup`` at all (the next period's are not)."""
    con.execute(
        "CREATE OR REPLACE TEMP TABLE cx_file_days AS SELECT DISTINCT store_id,"
        " CAST(responded_at AS DATE) AS day FROM cx_new"
    )
    try:
        if not con.execute(
            "SELECT count(*) FROM cx_file_days JOIN daily_rollup USING (store_id, day)"
        ).fetchall()[0][0]:
            return 0
        return con.execute(
            "SELECT count(*) FROM responses r JOIN cx_file_days d ON r.store_id = d.store_id"
            " AND CAST(r.responded_at AS DATE) = d.day"
            " WHERE r.response_id NOT IN (SELECT response_id FROM cx_new)"
        ).fetchall()[0][0]
    finally:
        con.execute("DROP TABLE cx_file_days")


def moved(con: duckdb.DuckDBPyConnection) -> tuple[int, tuple[str, ...]]:
    """Of the rows ``cx_new`` would replace, how many belong to another store now, and
    those stores (most rows first). A survey tool's row number (问卷星's 序号: 1, 2, 3 … in
    every export) taken as the id replaces another store's answers."""
    rows = con.execute(
        "SELECT o.store_id, count(*) FROM cx_new n JOIN responses o USING (response_id)"
        " WHERE n.store_id IS DISTINCT FROM o.store_id GROUP BY 1 ORDER BY 2 DESC, 1"
    ).fetchall()
    return sum(n for _, n in rows), tuple(store for store, _ in rows)


def reverts(con: duckdb.DuckDBPyConnection) -> tuple[int, tuple[str, ...]]:
    """Of the rows ``cx_new`` would replace, how many would put an answer back exactly as
    it was before an upload in effect corrected it (an older export uploaded after the
    corrected one: the corrections would go without a word), and those uploads as
    ``#id file`` (most rows first)."""
    same = " AND ".join(f"n.{c} IS NOT DISTINCT FROM b.{c}" for c in db.RESPONSE_COLUMNS)
    rows = con.execute(
        "SELECT b.backup_of, any_value(u.file_name), count(*) FROM cx_new n"  # noqa: S608 - contract columns
        " JOIN cx_status s USING (response_id) JOIN upload_backup b"
        " ON b.response_id = n.response_id AND b.backup_of = s.owner"
        " JOIN uploads u ON u.upload_id = b.backup_of"
        f" WHERE s.status = 'replace' AND u.status = 'committed' AND {same}"
        " GROUP BY 1 ORDER BY 3 DESC, 1"
    ).fetchall()
    return sum(n for *_, n in rows), tuple(f"#{i} {name}" for i, name, _ in rows)


def new_rejects(con: duckdb.DuckDBPyConnection, rejects: pd.DataFrame, delimiter: str) -> int:
    """How many of ``rejects`` (read with ``delimiter``) an upload still in effect has not
    kept already (:func:`unkept_rejects`)."""
    return len(unkept_rejects(con, rejects, delimiter))


def unkept_rejects(
    con: duckdb.DuckDBPyConnection, rejects: pd.DataFrame, delimiter: str
) -> pd.DataFrame:
    """The rows of ``rejects`` (read with ``delimiter``) that no upload in effect keeps
    already: the same row with the same reason, in another encoding or file, or with
    another delimiter or quoting (the same export saved as a TSV had stored its rejects
    again, in an upload that added nothing). Lines are compared as text, then the ones
    left by their cells where an upload in effect keeps a reject of the same reason."""
    if rejects.empty:
        return rejects
    check = pd.DataFrame(
        {
            "i": range(len(rejects)),
            "raw_line": rejects["raw_line"].to_numpy(),
            "reason": rejects["reason"].to_numpy(),
        }
    )
    con.register("cx_rej_check", check)
    try:
        left = con.execute(
            "SELECT d.i FROM cx_rej_check d WHERE NOT EXISTS"
            " (SELECT 1 FROM rejects r JOIN uploads u USING (upload_id)"
            " WHERE u.status = 'committed' AND r.raw_line IS NOT DISTINCT FROM d.raw_line"
            " AND r.reason = d.reason) ORDER BY d.i"
        ).fetchall()
        unkept = rejects.iloc[[i for (i,) in left]]
        if unkept.empty:
            return unkept
        kept = con.execute(
            "SELECT r.raw_line, u.delimiter, r.reason FROM rejects r JOIN uploads u"
            " USING (upload_id) WHERE u.status = 'committed'"
            " AND r.reason IN (SELECT reason FROM cx_rej_check)"
        ).fetchall()
    finally:
        con.unregister("cx_rej_check")
    if not kept:
        return unkept
    seen = {(_cells(line, sep), reason) for line, sep, reason in kept}
    fresh = [
        (_cells(line, delimiter), reason) not in seen
        for line, reason in zip(unkept["raw_line"], unkept["reason"], strict=True)
    ]
    return unkept[fresh]


def _hand_over_rejects(con: duckdb.DuckDBPyConnection, upload_id: int) -> None:
    """Inside the undo of ``upload_id`` (already marked undone): each of its rejects that
    no upload in effect keeps now, but one set aside as a repeat (:func:`write`), is kept
    under the earliest upload in effect that repeated it. Without this a later file's bad
    rows vanished from the Data page with the earlier upload's undo, the later one still in
    effect. The undone upload's own repeats stay, for its download of its rejects (an undone
    re-upload's had come out empty)."""
    gone = pd.DataFrame(  # a line read as None stays None (a frame from SQL makes it NaN)
        con.execute(
            "SELECT raw_line, reason FROM rejects WHERE upload_id = ?", [upload_id]
        ).fetchall(),
        columns=["raw_line", "reason"],
    )
    if gone.empty:
        return
    (sep,) = con.execute(
        "SELECT delimiter FROM uploads WHERE upload_id = ?", [upload_id]
    ).fetchall()[0]
    # its rejects no upload in effect keeps now (it is marked undone already)
    lost = unkept_rejects(con, gone, sep)
    if lost.empty:
        return
    wanted = {
        (_cells(line, sep), r) for line, r in zip(lost["raw_line"], lost["reason"], strict=True)
    }
    repeats = con.execute(
        "SELECT r.upload_id, r.line_no, r.raw_line, r.reason, u.delimiter FROM reject_repeats r"
        " JOIN uploads u USING (upload_id) WHERE u.status = 'committed'"
        " AND r.reason IN (SELECT unnest(?)) ORDER BY r.upload_id, r.line_no",
        [sorted(set(lost["reason"]))],
    ).fetchall()
    for at, line_no, line, reason, theirs in repeats:
        key = (_cells(line, theirs), reason)
        if key not in wanted:
            continue
        wanted.discard(key)  # the earliest repeat only: a later one stays aside
        con.execute(
            "INSERT INTO rejects SELECT * FROM reject_repeats WHERE upload_id = ? AND line_no = ?",
            [at, line_no],
        )
        con.execute("DELETE FROM reject_repeats WHERE upload_id = ? AND line_no = ?", [at, line_no])


def _cells(line: str | None, delimiter: str | None) -> tuple[str, ...] | None:
    """A file line's cells as the upload read it, trimmed, without empty ones at its end:
    the same row written with another delimiter or quoting has the same cells."""
    if line is None:
        return None
    try:
        rows = list(csv.reader(io.StringIO(line, newline=""), delimiter=delimiter or ","))
    except csv.Error:  # a malformed row: its text
        return (line,)
    cells = [c.strip() for row in rows for c in row]
    while cells and not cells[-1]:
        cells.pop()
    return tuple(cells)


def write(
    con: duckdb.DuckDBPyConnection,
    upload: dict,
    rejects: pd.DataFrame,
    before_rollups: Callable[[], None] = lambda: None,
    audit: Audit | None = None,
) -> int:
    """Write ``cx_new`` (as sorted by :func:`compare`) in one transaction; the upload id.

    ``upload`` holds the ``uploads`` row's values (file_name, content_hash, rows_read,
    added, replaced, unchanged, rejected, ignored, collapsed, encoding, delimiter,
    mapping, source, uploaded_by). ``audit(con, upload_id, upload)`` writes the upload's
    audit line in the same transaction (:func:`cx.access.upload`): both or neither, and
    the file is not opened again for it.
    """
    cols = list(db.RESPONSE_COLUMNS)
    col_list = ", ".join(cols)
    # The rows of cx_new to write: all of them (no join) unless some are unchanged.
    source, keep = "cx_new n", ""
    if upload["unchanged"]:
        source, keep = f"{source} JOIN cx_status s USING (response_id)", " WHERE s.status <> 'same'"
    written = source + keep
    with db.transaction(con, publish=True):  # long: readers read the last snapshot
        upload_id = con.execute("SELECT nextval('upload_seq')").fetchall()[0][0]
        old_days = (
            " UNION ALL SELECT o.store_id, o.responded_at, coalesce(o.phone, o.customer_id)"
            " FROM responses o JOIN cx_status s USING (response_id) WHERE s.status = 'replace'"
        )
        con.execute(  # the store-days and customers whose rollups and repeats change
            "CREATE OR REPLACE TEMP TABLE cx_touched AS"  # noqa: S608 - this module's own SQL
            " SELECT DISTINCT store_id, CAST(responded_at AS DATE) AS day, who FROM ("
            f" SELECT n.store_id, n.responded_at, coalesce(n.phone, n.customer_id) AS who"
            f" FROM {written}{old_days if upload['replaced'] else ''})"
        )
        if upload["replaced"]:
            con.execute(
                f"INSERT INTO upload_backup (backup_of, {col_list}, upload_id)"  # noqa: S608
                f" SELECT ?, {', '.join('o.' + c for c in cols)}, o.upload_id FROM responses o"
                " JOIN cx_status s USING (response_id) WHERE s.status = 'replace'",
                [upload_id],
            )
            _set_aside_moved_followups(con, upload_id)
            delete_keyed(  # a corrected export replacing most answers: rebuilt, not deleted
                con,
                "responses",
                "response_id IN (SELECT response_id FROM cx_status WHERE status = 'replace')",
                [],
                order="responded_at",
            )
        # each detractor with its reason (cx.db.REASON_COLUMNS), each distinct comment
        # classified once
        db.reason_map(con, f"(SELECT n.nps, n.pain_point, n.comment FROM {written})")  # noqa: S608 - this module's own SQL
        # a write that only adds answers writes their repeat columns with them (unless it
        # reaches back over most of the history: cx.db.added_repeats)
        repeats = ["", "", ""]
        n_cols = ", ".join("n." + c for c in cols)
        added = f"SELECT {n_cols} FROM {written}"  # noqa: S608 - this module's own SQL
        written_repeats = not upload["replaced"] and db.added_repeats(con, f"({added})")
        if written_repeats:
            repeats = [
                ", prev_store_at, prev_advisor_at",
                ", p.prev_store_at, p.prev_advisor_at",
                " LEFT JOIN cx_added_repeats p ON p.response_id = n.response_id",
            ]
        con.execute(
            f"INSERT INTO responses ({col_list}, upload_id, reason, reason_rule{repeats[0]})"  # noqa: S608
            f" SELECT {n_cols}, ?, m.reason, m.rule{repeats[1]}"
            f" FROM {source}{db.reason_join('n')}{repeats[2]}{keep}",
            [upload_id],
        )
        con.execute(
            db.answers_sql(
                f"SELECT n.response_id, n.responded_at, n.store_id, n.nps FROM {written}"  # noqa: S608 - this module's own SQL
            )
        )
        _upsert_stores(con, upload_id)
        if upload["unchanged"]:  # rows it holds that earlier uploads wrote (undo_refusal)
            con.execute(
                "INSERT INTO upload_overlap SELECT ?, owner, count(*) FROM cx_status"
                " WHERE status = 'same' AND owner IS NOT NULL GROUP BY owner",
                [upload_id],
            )
        # a reject an upload in effect already keeps is not listed twice: it is set aside,
        # for that upload's undo to hand over (:func:`_hand_over_rejects`)
        rej = unkept_rejects(con, rejects, upload["delimiter"])
        repeats = rejects.drop(index=rej.index) if not rejects.empty else rejects
        for table, rows in (("rejects", rej), ("reject_repeats", repeats)):
            if rows.empty:
                continue
            con.register("cx_rej_df", rows.assign(upload_id=upload_id))
            con.execute(
                f"INSERT INTO {table} SELECT d.upload_id, d.line_no, d.raw_line, d.reason,"  # noqa: S608 (the two names above)
                " d.reason_zh FROM cx_rej_df d"
            )
            con.unregister("cx_rej_df")
        con.execute(
            "INSERT INTO uploads (upload_id, file_name, content_hash, uploaded_at, rows_read,"
            " added, replaced, unchanged, rejected, ignored, collapsed, status, encoding,"
            " delimiter, mapping, source, uploaded_by)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'committed', ?, ?, ?, ?, ?)",
            [
                upload_id,
                upload["file_name"],
                upload["content_hash"],
                now(),
                upload["rows_read"],
                upload["added"],
                upload["replaced"],
                upload["unchanged"],
                upload["rejected"],
                upload["ignored"],
                upload["collapsed"],
                upload["encoding"],
                upload["delimiter"],
                mapping_text(upload["mapping"]),
                upload["source"],
                upload["uploaded_by"],
            ],
        )
        if audit is not None:
            audit(con, upload_id, upload)
        before_rollups()
        if upload["replaced"]:
            db.refresh_rollups(con, "cx_touched")
        else:  # only new answers: the rollups add them up (see cx.db.refresh_rollups)
            con.execute(f"CREATE OR REPLACE TEMP VIEW cx_added AS {added}")
            db.refresh_rollups(con, "cx_touched", added="cx_added", repeats_written=written_repeats)
            con.execute("DROP VIEW cx_added")
        db.bump_data_version(con)
    return upload_id


def _upsert_stores(con: duckdb.DuckDBPyConnection, upload_id: int) -> None:
    con.execute(
        "CREATE OR REPLACE TEMP TABLE cx_store_new AS SELECT store_id,"
        " arg_max(store_name, _ord) FILTER (WHERE store_name IS NOT NULL) AS store_name,"
        " arg_max(region, _ord) FILTER (WHERE region IS NOT NULL) AS region,"
        " arg_max(city, _ord) FILTER (WHERE city IS NOT NULL) AS city"
        " FROM cx_new GROUP BY store_id"
    )
    con.execute(
        "INSERT INTO upload_store_backup SELECT ?, n.store_id, s.store_id IS NOT NULL,"
        " s.store_name, s.region, s.city FROM cx_store_new n LEFT JOIN stores s USING (store_id)"
        " WHERE s.store_id IS NULL OR n.store_name IS DISTINCT FROM s.store_name"
        " AND n.store_name IS NOT NULL OR n.region IS DISTINCT FROM s.region"
        " AND n.region IS NOT NULL OR n.city IS DISTINCT FROM s.city AND n.city IS NOT NULL",
        [upload_id],
    )
    con.execute(
        "INSERT OR REPLACE INTO stores SELECT n.store_id,"
        " coalesce(n.store_name, s.store_name), coalesce(n.region, s.region),"
        " coalesce(n.city, s.city) FROM cx_store_new n LEFT JOIN stores s USING (store_id)"
        " WHERE n.store_id IN (SELECT store_id FROM upload_store_backup WHERE backup_of = ?)",
        [upload_id],
    )


def another_answer(new: str, old: str) -> str:
    """SQL: the row ``new`` replacing ``old`` under the same id is another customer's
    answer, not a correction of it: their phones differ, else (no two phones) their
    customer ids, else (no customer on one side) their stores. A survey tool's row number
    taken as the id (问卷星's 序号: 1, 2, 3 … in every export) gives every week's answers
    the ids of the weeks before, in the same store and in others; a corrected export keeps
    its customers."""
    return (
        f"CASE WHEN {new}.phone IS NOT NULL AND {old}.phone IS NOT NULL"
        f" THEN {new}.phone <> {old}.phone"
        f" WHEN {new}.customer_id IS NOT NULL AND {old}.customer_id IS NOT NULL"
        f" THEN {new}.customer_id <> {old}.customer_id"
        f" ELSE {new}.store_id IS DISTINCT FROM {old}.store_id END"
    )


def _set_aside_moved_followups(con: duckdb.DuckDBPyConnection, upload_id: int) -> None:
    """The follow-ups and logs of the answers the upload replaces with another customer's
    (:func:`another_answer`) go into the backup with those answers: a callback made on one
    customer is not the next one's (its owner and note showed on the new answer, even on
    another store's board, and the new answer as called back); the upload's undo brings
    them back (:func:`_restore_moved_followups`). A corrected answer keeps its follow-up,
    in its store or moved to another."""
    moved = (
        "SELECT b.response_id FROM upload_backup b JOIN cx_new n USING (response_id)"  # noqa: S608 - our SQL
        f" WHERE b.backup_of = ? AND {another_answer('n', 'b')}"
    )
    con.execute(f"CREATE OR REPLACE TEMP TABLE cx_moved AS {moved}", [upload_id])
    for table, backup, cols in _FOLLOWUP_BACKUPS:
        con.execute(
            f"INSERT INTO {backup} (backup_of, {cols}) SELECT ?, {cols} FROM {table}"  # noqa: S608 - our names
            " WHERE response_id IN (SELECT response_id FROM cx_moved) ORDER BY rowid",
            [upload_id],
        )
        con.execute(
            f"DELETE FROM {table} WHERE response_id IN (SELECT response_id FROM cx_moved)"  # noqa: S608 - our names
        )
    con.execute("DROP TABLE cx_moved")


# each follow-up table, its backup and its columns
_FOLLOWUP_BACKUPS = (
    ("followups", "followup_backup", db.FOLLOWUP_ALL),
    ("followup_log", "followup_log_backup", db.FOLLOWUP_LOG_ALL),
)


def _restore_moved_followups(con: duckdb.DuckDBPyConnection, upload_id: int) -> int:
    """Undo of :func:`_set_aside_moved_followups`, called while the upload's rows are
    still in: the answers it had replaced with another customer's come back with their
    follow-ups and logs, and the follow-ups made since on the answers the upload brought
    under those ids go with those answers (left in place, a callback on one customer
    would show on the restored answer of another). Returns how many of those went."""
    moved = (
        "SELECT b.response_id FROM upload_backup b JOIN responses r USING (response_id)"  # noqa: S608 - our SQL
        f" WHERE b.backup_of = ? AND r.upload_id = ? AND {another_answer('r', 'b')}"
    )
    con.execute(f"CREATE OR REPLACE TEMP TABLE cx_moved AS {moved}", [upload_id, upload_id])
    dropped = con.execute(
        "SELECT count(*) FROM followups WHERE response_id IN (SELECT response_id FROM cx_moved)"
    ).fetchall()[0][0]
    for table, backup, cols in _FOLLOWUP_BACKUPS:
        con.execute(
            f"DELETE FROM {table} WHERE response_id IN (SELECT response_id FROM cx_moved)"  # noqa: S608 - our names
        )
        con.execute(
            f"INSERT INTO {table} ({cols}) SELECT {cols} FROM {backup}"  # noqa: S608 - our names
            " WHERE backup_of = ? ORDER BY rowid",
            [upload_id],
        )
        con.execute(f"DELETE FROM {backup} WHERE backup_of = ?", [upload_id])  # noqa: S608
    con.execute("DROP TABLE cx_moved")
    return dropped


# --------------------------------------------------------------------------- undo


REBUILD_FROM = 20_000  # rows: from here on, rebuilding the table beats deleting rows
# Memory a rebuild's commit needs (its key index is held whole): measured 1.5 GB enough and
# 1 GB not for 10 million kept answers, 128 MB enough and 64 MB not for 300,000.
REBUILD_BASE_BYTES = 128 * 2**20
REBUILD_ROW_BYTES = 160


def _unanswer_followups(con: duckdb.DuckDBPyConnection, upload_id: int) -> None:
    """Before an undo takes ``upload_id``'s rows out: the follow-ups of the answers that go
    and come not back lose their answer's time, so the queue's and the digest's counts,
    which read follow-ups by that time without joining the answers, leave them out (a
    callback made on an undone answer had taken one off its store's overdue count). They
    stay, with their logs: the same answers uploaded again find their callbacks, and their
    time comes back with them (:func:`cx.db.answers_sql`)."""
    con.execute(
        "UPDATE followups SET answered_at = NULL WHERE response_id IN (SELECT response_id"
        " FROM responses WHERE upload_id = ? AND response_id NOT IN (SELECT response_id"
        " FROM upload_backup WHERE backup_of = ?))",
        [upload_id, upload_id],
    )


def remove_upload_rows(con: duckdb.DuckDBPyConnection, upload_id: int) -> int:
    """Delete the rows of ``upload_id`` from ``responses`` (inside the caller's
    transaction); see :func:`delete_keyed`."""
    return delete_keyed(con, "responses", "upload_id = ?", [upload_id], order="responded_at")


# Tables with a one-column primary key that a large delete may rebuild, and that key.
KEYED_TABLES = {"responses": "response_id", "followups": "response_id"}


def delete_keyed(
    con: duckdb.DuckDBPyConnection, table: str, where: str, params: list, order: str | None = None
) -> int:
    """``DELETE FROM table WHERE where`` inside the caller's transaction; the rows deleted.

    DuckDB commits a large DELETE from a table with a primary key slowly (each row leaves
    the key index one by one: 300,000 answers held the write lock for 42 s, 130,000
    follow-ups 6.8 s). When the rows are many and at least a fifteenth of the table, the
    table is rebuilt without them instead: the kept rows go into a fresh table whose key
    index is built in bulk (2.6 s for 300,000 kept answers), with the same columns in the
    same order (``order``: the column the rows are stored by). ``table`` comes from
    :data:`KEYED_TABLES`; ``where`` is fixed text of the caller's with bound ``params``.
    """
    key = KEYED_TABLES[table]  # identifiers from the allow-list only
    removed, total = con.execute(
        f"SELECT count(*) FILTER (WHERE {where}), count(*) FROM {table}",  # noqa: S608 - allow-listed table, caller's fixed text
        params,
    ).fetchall()[0]
    if removed < REBUILD_FROM or removed * 15 < total:
        con.execute(f"DELETE FROM {table} WHERE {where}", params).fetchall()  # noqa: S608 - as above
        return removed
    columns = con.execute(
        "SELECT column_name, data_type FROM information_schema.columns"
        " WHERE table_name = ? AND table_catalog = current_database()"
        " ORDER BY ordinal_position",
        [table],
    ).fetchall()
    db.allow_memory(con, REBUILD_BASE_BYTES + (total - removed) * REBUILD_ROW_BYTES)
    names = ", ".join(_q(c) for c, _ in columns)
    ddl = ", ".join(f"{_q(c)} {typ}{' PRIMARY KEY' if c == key else ''}" for c, typ in columns)
    con.execute(
        f"CREATE OR REPLACE TEMP TABLE cx_keep AS SELECT * FROM {table}"  # noqa: S608 - as above
        f" WHERE NOT coalesce(({where}), false)",
        params,
    )
    con.execute(f"DROP TABLE {table}")
    con.execute(f"CREATE TABLE {table} ({ddl})")  # identifiers: the table's own columns
    ordered = f" ORDER BY {_q(order)}" if order else ""
    con.execute(f"INSERT INTO {table} ({names}) SELECT {names} FROM cx_keep{ordered}")  # noqa: S608 - the table's own columns
    con.execute("DROP TABLE cx_keep")
    return removed


def undo_refusal(con: duckdb.DuckDBPyConnection, upload_id: int) -> UndoRefused | None:
    """Why ``upload_id`` cannot be undone now (None: it can): there is no such upload, it
    was undone already, or a later upload still in effect changed some of its rows or
    delivered some again unchanged (that one must be undone first). The Upload page asks
    before it offers the undo."""
    rows = con.execute("SELECT status FROM uploads WHERE upload_id = ?", [upload_id]).fetchall()
    if not rows:
        return UndoRefused(f"There is no upload #{upload_id}.", f"没有编号为 #{upload_id} 的上传。")
    if rows[0][0] != "committed":
        return UndoRefused(
            f"Upload #{upload_id} was already undone.", f"上传 #{upload_id} 已经撤销过了。"
        )
    later, changed = con.execute(
        "SELECT min(backup_of), count(*) FROM upload_backup b JOIN uploads u"
        " ON u.upload_id = b.backup_of WHERE b.upload_id = ? AND u.status = 'committed'",
        [upload_id],
    ).fetchall()[0]
    if changed:
        rows_en = "1 row" if changed == 1 else f"{changed:,} rows"
        return UndoRefused(
            f"Upload #{later} later changed {rows_en} of upload #{upload_id}; undo #{later} first.",
            f"上传 #{later} 之后修改了上传 #{upload_id} 的 {changed:,} 行，请先撤销 #{later}。",
        )
    # A later upload that delivered some of its rows again unchanged holds them too: the
    # undo would take them from it (and its file, given again, is 'identical, nothing
    # to do').
    later, held = con.execute(
        "SELECT min(o.upload_id), sum(o.rows) FROM upload_overlap o JOIN uploads u"
        " ON u.upload_id = o.upload_id WHERE o.earlier_id = ? AND u.status = 'committed'",
        [upload_id],
    ).fetchall()[0]
    if held:
        rows_en = "1 row" if held == 1 else f"{held:,} rows"
        return UndoRefused(
            f"Upload #{later}, still in effect, holds {rows_en} of upload #{upload_id} (it"
            f" delivered them again unchanged); undo #{later} first, or they would go with"
            " this undo.",
            f"上传 #{later} 仍然有效，它再次包含了上传 #{upload_id} 的 {held:,} 行（内容未变）；"
            f"请先撤销 #{later}，否则这些行会随本次撤销一起删除。",
        )
    return None


def undo(
    con: duckdb.DuckDBPyConnection,
    upload_id: int,
    user: str | None = None,
    audit: UndoAudit | None = None,
) -> dict[str, int]:
    """Restore exactly the state before ``upload_id``: its rows out, the rows it replaced
    back. Returns the rows removed (its own: those it added and those it wrote over
    others), those restored (the rows it had replaced) and those it had added;
    ``audit(con, that)`` writes the undo's audit line inside its transaction."""
    refusal = undo_refusal(con, upload_id)
    if refusal is not None:
        raise refusal
    cols = ", ".join(db.RESPONSE_COLUMNS)
    with db.transaction(con, publish=True):  # long: readers read the last snapshot
        con.execute(
            "CREATE OR REPLACE TEMP TABLE cx_touched AS SELECT DISTINCT store_id,"
            " CAST(responded_at AS DATE) AS day, who FROM (SELECT store_id, responded_at,"
            " coalesce(phone, customer_id) AS who FROM responses WHERE upload_id = ?"
            " UNION ALL SELECT store_id, responded_at, coalesce(phone, customer_id)"
            " FROM upload_backup WHERE backup_of = ?)",
            [upload_id, upload_id],
        )
        dropped = _restore_moved_followups(con, upload_id)
        _unanswer_followups(con, upload_id)
        removed = remove_upload_rows(con, upload_id)
        backup = "(SELECT * FROM upload_backup WHERE backup_of = ?)"
        db.reason_map(con, backup, [upload_id])
        restored = con.execute(
            f"INSERT INTO responses ({cols}, upload_id, reason, reason_rule)"  # noqa: S608
            f" SELECT {', '.join('b.' + c for c in db.RESPONSE_COLUMNS)}, b.upload_id, m.reason,"
            f" m.rule FROM {backup} b{db.reason_join('b')}",
            [upload_id],
        ).fetchall()[0][0]
        if restored:
            restored_at = (
                "SELECT response_id, responded_at, store_id, nps FROM upload_backup"
                " WHERE backup_of = ?"
            )
            con.execute(db.answers_sql(restored_at), [upload_id])
        con.execute(
            "UPDATE stores SET store_name = b.store_name, region = b.region, city = b.city"
            " FROM upload_store_backup b WHERE b.backup_of = ? AND b.existed"
            " AND stores.store_id = b.store_id",
            [upload_id],
        )
        con.execute(
            "DELETE FROM stores WHERE store_id IN (SELECT store_id FROM upload_store_backup"
            " WHERE backup_of = ? AND NOT existed)"
            " AND store_id NOT IN (SELECT DISTINCT store_id FROM responses)",
            [upload_id],
        )
        con.execute("DELETE FROM upload_backup WHERE backup_of = ?", [upload_id])
        con.execute("DELETE FROM upload_store_backup WHERE backup_of = ?", [upload_id])
        con.execute(
            "UPDATE uploads SET status = 'undone', undone_at = ?, undone_by = ?"
            " WHERE upload_id = ?",
            [now(), user or config.current_user(), upload_id],
        )
        _hand_over_rejects(con, upload_id)
        db.refresh_rollups(con, "cx_touched")
        db.bump_data_version(con)
        counts = {
            "removed": removed,
            "restored": restored,
            "added": removed - restored,
            "callbacks": dropped,
        }
        if audit is not None:
            audit(con, counts)
    return counts
