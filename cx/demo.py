"""Build the demo database: generate (``cx.demo_data``), load, roll up — into a new file.

The file is written under a temporary name and renamed into place, so a crash or two
app sessions starting at once never leave half a demo behind.
"""

from __future__ import annotations

import os
import threading
from datetime import datetime
from pathlib import Path

from cx import config, db
from cx.demo_data import generate

DEMO_UPLOAD_ID = 0
_BUILD_LOCK = threading.Lock()  # two first sessions of one app process build once


def load(con, data) -> None:
    """Insert generated frames into an open, empty database (one transaction)."""
    cols = list(db.RESPONSE_COLUMNS)
    with db.transaction(con):
        con.register("demo_stores", data.stores)
        con.execute("INSERT INTO stores SELECT store_id, store_name, region, city FROM demo_stores")
        con.register("demo_responses", data.responses)
        con.execute(
            f"INSERT INTO responses ({', '.join(cols)}, upload_id)"  # noqa: S608
            f" SELECT {', '.join(cols)}, {DEMO_UPLOAD_ID} FROM demo_responses"
            " ORDER BY responded_at"
        )
        con.register("demo_targets", data.targets)
        con.execute(
            "INSERT INTO targets (store_id, month, nps_target, updated_at, updated_by)"
            " SELECT store_id, CAST(month AS DATE), nps_target, now()::TIMESTAMP, 'demo'"
            " FROM demo_targets"
        )
        if len(data.followups):
            con.register("demo_followups", data.followups)
            con.execute(
                "INSERT INTO followups SELECT response_id, status, owner, note, root_cause,"
                " updated_at, updated_by FROM demo_followups"
            )
            con.execute(
                "INSERT INTO followup_log SELECT response_id, status, owner, note, root_cause,"
                " updated_at, updated_by FROM demo_followups"
            )
        n = len(data.responses)
        con.execute(
            "INSERT INTO uploads (upload_id, file_name, content_hash, uploaded_at, rows_read,"
            " added, replaced, unchanged, rejected, ignored, collapsed, status, encoding,"
            " delimiter, mapping, source, uploaded_by) VALUES (?, 'demo data', '', ?, ?, ?,"
            " 0, 0, 0, 0, 0, 'committed', '', '', '', 'demo', 'demo')",
            [DEMO_UPLOAD_ID, datetime.now().replace(microsecond=0), n, n],
        )
        db.refresh_rollups(con)
        db.bump_data_version(con)
        for name in ("demo_stores", "demo_responses", "demo_targets", "demo_followups"):
            con.unregister(name)


def build(
    path: str | os.PathLike[str] | None = None,
    seed: int = 20251031,
    scale: float = 1.0,
    force: bool = False,
) -> Path:
    """Create the demo database at ``path`` (default: the configured file).

    Does nothing when the file already exists, unless ``force`` (then it is replaced).
    """
    target = Path(path) if path else config.db_path()
    with _BUILD_LOCK:
        if target.exists() and not force:
            return target
        if target.exists():  # replacing: only this app's own database, never another file
            with db.connect(target):
                pass
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_name(f".{target.name}.{os.getpid()}.building")
        for leftover in (tmp, Path(str(tmp) + ".wal")):
            leftover.unlink(missing_ok=True)
        data = generate(seed=seed, scale=scale)
        with db.connect(tmp) as con:
            load(con, data)
            con.execute("CHECKPOINT")
        if target.exists() and not force:  # another process finished first
            tmp.unlink(missing_ok=True)
            return target
        Path(str(target) + ".wal").unlink(missing_ok=True)
        os.replace(tmp, target)
        return target


def demo_rows(con) -> int:
    """How many answers of the demo data set are still in the database."""
    rows = con.execute(
        "SELECT count(*) FROM responses WHERE upload_id = ?", [DEMO_UPLOAD_ID]
    ).fetchall()
    return rows[0][0]


def remove_demo(con, user: str | None = None) -> dict[str, int]:
    """Remove the demo data in one transaction, so a network starts on its own exports.

    Takes the demo's answers (and the copies uploads kept of demo answers they replaced,
    so no undo brings them back), their follow-ups, the demo's targets and every store
    no answer refers to any more; marks the demo upload undone. Uploaded answers, even
    for the same store ids, stay. Returns counts for the message.
    """
    from cx import ingest  # the large-delete path lives with undo

    with db.transaction(con):
        demo_ids = "SELECT response_id FROM responses WHERE upload_id = ?"
        con.execute(f"DELETE FROM followup_log WHERE response_id IN ({demo_ids})", [DEMO_UPLOAD_ID])  # noqa: S608 - fixed text
        con.execute(f"DELETE FROM followups WHERE response_id IN ({demo_ids})", [DEMO_UPLOAD_ID])  # noqa: S608 - fixed text
        removed = ingest.remove_upload_rows(con, DEMO_UPLOAD_ID)
        con.execute("DELETE FROM upload_backup WHERE upload_id = ?", [DEMO_UPLOAD_ID])
        targets = con.execute("DELETE FROM targets WHERE updated_by = 'demo'").fetchall()[0][0]
        stores = con.execute(
            "DELETE FROM stores WHERE store_id NOT IN (SELECT DISTINCT store_id FROM responses)"
        ).fetchall()[0][0]
        con.execute(
            "UPDATE uploads SET status = 'undone', undone_at = ?, undone_by = ?"
            " WHERE upload_id = ? AND source = 'demo'",
            [datetime.now().replace(microsecond=0), user or config.current_user(), DEMO_UPLOAD_ID],
        )
        db.refresh_rollups(con)
        db.bump_data_version(con)
    return {"removed": removed, "stores": stores, "targets": targets}
