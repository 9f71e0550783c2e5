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
