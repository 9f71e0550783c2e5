"""Build the demo database: generate (``cx.demo_data``), load, roll up — into a new file.

The file is written under a temporary name and renamed into place, so a crash or two
app sessions starting at once never leave half a demo behind.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from pathlib import Path

from cx import config, db, rules
from cx.demo_data import generate
from cx.queries import no_followups
from cx.scope import Scope

DEMO_UPLOAD_ID = 0
BUILD_STAGES = ("generate", "load", "save")  # what build() tells its progress callback
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
            " SELECT store_id, CAST(month AS DATE), nps_target, ?, 'demo' FROM demo_targets",
            [config.local_now().replace(microsecond=0)],  # the app's clock (DuckDB's is UTC)
        )
        if len(data.followups):
            con.register("demo_followups", data.followups)
            con.execute(
                "INSERT INTO followups (response_id, status, owner, note, root_cause,"
                " updated_at, updated_by, answered_at, store_id, nps, first_at) SELECT"
                " f.response_id, f.status, f.owner, f.note, f.root_cause, f.updated_at,"
                " f.updated_by, r.responded_at, r.store_id, r.nps, f.updated_at"
                " FROM demo_followups f JOIN responses r USING (response_id)"
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
            [DEMO_UPLOAD_ID, config.local_now().replace(microsecond=0), n, n],
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
    rows: int | None = None,
    progress: Callable[[float, str], None] | None = None,
) -> Path:
    """Create the demo database at ``path`` (default: the configured file).

    Does nothing when the file already exists, unless ``force`` (then it is replaced).
    ``rows`` asks for about that many answers (instead of ``scale``): fewer than the
    full demo's shrink the other stores' volume; more keep the full demo (the story,
    the planted signals) and add proportionally more stores (:func:`grow`).
    ``progress(share, stage)`` hears 'generate', 'load' and 'save' as the build goes.
    """
    tell = progress or (lambda _share, _stage: None)
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
        extra = 0
        if rows is not None:
            if rows <= 0:
                raise ValueError("rows must be positive")
            scale = min(1.0, max(rows - STORY_ROWS, 1) / (FULL_ROWS - STORY_ROWS))
            extra = max(0, rows - FULL_ROWS)
        tell(0.0, "generate")
        data = generate(seed=seed, scale=scale)
        tell(0.45, "load")
        with db.connect(tmp) as con:
            load(con, data)
            del data
            if extra:
                grow(con, extra, seed)
            tell(0.9, "save")
            con.execute("CHECKPOINT")
            version = db.data_version(con)
        tell(1.0, "save")
        if target.exists() and not force:  # another process finished first
            tmp.unlink(missing_ok=True)
            return target
        db.publish_copy(tmp, target, version)  # the readers' snapshot of the new file
        Path(str(target) + ".wal").unlink(missing_ok=True)
        os.replace(tmp, target)
        return target


#: answers of the full demo (``scale=1``) and of its story store HZ01 (the same at any scale)
FULL_ROWS = 296_439
STORY_ROWS = 9_849
_TEMPLATES = 3  # distinct generated networks the added stores are drawn from
_TEMPLATE_SCALE = 1.15  # their volume (the copies keep 45-100 % of it: ~5,000 a store)


def grow(con, extra: int, seed: int = 20251031) -> int:
    """Add about ``extra`` answers from new stores to a freshly loaded demo; return the count.

    A few networks are generated like the demo's own (without HZ01's story and the
    planted signals) and each of their stores is copied, as a new store of the same
    city and region, into the database: every copy keeps its own share of the answers
    (volume) and leans its promoters against its detractors (level), decided per copy
    by a seeded draw and per answer by a hash of its new id, so the result is the same
    for the same seed. Built in DuckDB one template at a time, so memory stays bounded
    (the pandas frames of one template, about 250,000 answers, at a time). Follow-ups
    of kept answers come along; targets are the previous month's NPS + 3 as in the demo.
    """
    import numpy as np
    import pandas as pd

    from cx.demo_data import STORY_STORE

    stores = con.execute("SELECT store_id, store_name, region, city FROM stores").df()
    stores = stores[stores["store_id"] != STORY_STORE].reset_index(drop=True)
    rng = np.random.default_rng([seed, 14])
    cols = [c for c in db.RESPONSE_COLUMNS if c not in ("response_id", "store_id", "customer_id")]
    expected = 0.0  # answers the copies made so far are expected to keep
    serial: dict[str, int] = {}
    cities = dict(zip(stores["store_id"], stores["city"], strict=True))
    templates = min(_TEMPLATES, -(-extra // 1_000_000))  # one per million, at most 3
    for j in range(templates):
        share = (extra - expected) / (templates - j)  # this template's part of the rest
        if share <= 0:
            break
        data = generate(seed=seed + 1 + j, scale=_TEMPLATE_SCALE, plant=False)
        nps = data.responses["nps"]
        mix = pd.crosstab(
            data.responses["store_id"],
            rules.is_promoter(nps).astype(int) - rules.is_detractor(nps),
        )
        mix = mix.reindex(columns=[-1, 0, 1], fill_value=0)
        rows = []
        aim = expected + share
        k = 0
        while expected < aim:
            for src in stores["store_id"]:
                if expected >= aim:
                    break
                code = src[:2]
                serial[code] = serial.get(code, 10) + 1
                keep = float(rng.uniform(0.45, 1.0))
                lean = float(rng.uniform(-0.3, 0.3))  # > 0 fewer detractors, < 0 fewer promoters
                keep_pro, keep_det = keep * (1 - max(0.0, -lean)), keep * (1 - max(0.0, lean))
                det, pas, pro = (int(v) for v in mix.loc[src]) if src in mix.index else (0, 0, 0)
                gain = det * keep_det + pas * keep + pro * keep_pro
                if gain > aim - expected > 0:  # the last store: only what is still missing
                    cut = (aim - expected) / gain
                    keep, keep_pro, keep_det = keep * cut, keep_pro * cut, keep_det * cut
                    gain = aim - expected
                expected += gain
                rows.append(
                    (
                        src,
                        k,
                        f"{code}{serial[code]:03d}",
                        f"{cities[src]}{serial[code]}号服务中心",
                        keep,
                        keep_pro,
                        keep_det,
                    )
                )
            k += 1
        copy_map = pd.DataFrame(
            rows, columns=["src", "k", "store_id", "store_name", "keep", "keep_pro", "keep_det"]
        )
        con.register("grow_map", copy_map)
        con.register("grow_responses", data.responses)
        con.register("grow_followups", data.followups)
        con.register("grow_stores", stores)
        with db.transaction(con):
            con.execute(
                "INSERT INTO stores SELECT m.store_id, m.store_name, s.region, s.city"
                " FROM grow_map m JOIN grow_stores s ON s.store_id = m.src"
            )
            kept = (
                "(hash(m.store_id || '-' || r.response_id) % 1000000) / 1e6 < "
                + rules.segment_case_sql("r.nps", ("m.keep_det", "m.keep", "m.keep_pro"))
            )
            con.execute(
                f"INSERT INTO responses (response_id, store_id, customer_id, {', '.join(cols)},"  # noqa: S608 - column names from the contract
                f" upload_id) SELECT m.store_id || '-' || r.response_id, m.store_id,"
                f" m.store_id || '-' || r.customer_id, {', '.join('r.' + c for c in cols)},"
                f" {DEMO_UPLOAD_ID} FROM grow_responses r JOIN grow_map m ON m.src = r.store_id"
                f" WHERE {kept} ORDER BY r.responded_at"
            )
            con.execute(
                "INSERT INTO followups (response_id, status, owner, note, root_cause,"  # noqa: S608 - fixed text
                " updated_at, updated_by, answered_at, store_id, nps, first_at)"
                " SELECT m.store_id || '-' || f.response_id, f.status, f.owner, f.note,"
                " f.root_cause, f.updated_at, f.updated_by, r.responded_at, m.store_id, r.nps,"
                " f.updated_at"
                " FROM grow_followups f JOIN grow_responses r USING (response_id)"
                f" JOIN grow_map m ON m.src = r.store_id WHERE {kept}"
            )
        for name in ("grow_map", "grow_responses", "grow_followups", "grow_stores"):
            con.unregister(name)
        del data
    with db.transaction(con):
        con.execute(
            "INSERT INTO followup_log SELECT response_id, status, owner, note, root_cause,"
            " updated_at, updated_by FROM followups WHERE contains(response_id, '-')"
        )
        # the demo's rule: the previous month's NPS + 3 (the first month: its own), 10-90
        con.execute(
            "INSERT INTO targets (store_id, month, nps_target, updated_at, updated_by)"  # noqa: S608 - the segment fragments of cx.rules
            " WITH m AS (SELECT store_id, date_trunc('month', responded_at)::DATE AS month,"
            f" 100.0 * (count(*) FILTER (WHERE {rules.PROMOTER_SQL})"
            f" - count(*) FILTER (WHERE {rules.DETRACTOR_SQL}))"
            " / count(*) AS nps FROM responses WHERE"
            " store_id NOT IN (SELECT DISTINCT store_id FROM targets) GROUP BY ALL)"
            " SELECT store_id, month, greatest(10, least(90, round(coalesce(lag(nps)"
            " OVER (PARTITION BY store_id ORDER BY month), nps)) + 3)), ?, 'demo'"
            " FROM m",
            [config.local_now().replace(microsecond=0)],  # the app's clock (DuckDB's is UTC)
        )
        added = con.execute(
            "SELECT count(*) FROM responses WHERE contains(response_id, '-')"
        ).fetchall()[0][0]
        total = con.execute("SELECT count(*) FROM responses").fetchall()[0][0]
        con.execute(
            "UPDATE uploads SET rows_read = ?, added = ? WHERE upload_id = ?",
            [total, total, DEMO_UPLOAD_ID],
        )
        db.refresh_rollups(con)
        db.bump_data_version(con)
    return added


@no_followups
def demo_rows(con, scope: Scope | None = None) -> int:
    """How many answers of the demo data set are still in the database (of ``scope``'s
    stores and days only, when given: the digest's and the weekly report's)."""
    where, params = (scope or Scope()).where("responded_at", moment=True)
    rows = con.execute(
        f"SELECT count(*) FROM responses WHERE upload_id = ? AND {where}",  # noqa: S608 (fixed fragments; values bound)
        [DEMO_UPLOAD_ID, *params],
    ).fetchall()
    return rows[0][0]


def remove_demo(con, user: str | None = None) -> dict[str, int]:
    """Remove the demo data in one transaction, so a network starts on its own exports.

    Takes the demo's answers (and the copies uploads kept of demo answers they replaced,
    so no undo brings them back), their follow-ups, the demo's targets and every store
    no answer refers to any more; marks the demo upload undone. Uploaded answers, even
    for the same store ids, stay. Returns counts for the message.
    """
    from cx import commit  # the large-delete path lives with undo

    with db.transaction(con, publish=True):  # long: readers read the last snapshot
        demo_ids = "SELECT response_id FROM responses WHERE upload_id = ?"
        con.execute(f"DELETE FROM followup_log WHERE response_id IN ({demo_ids})", [DEMO_UPLOAD_ID])  # noqa: S608 - fixed text
        commit.delete_keyed(con, "followups", f"response_id IN ({demo_ids})", [DEMO_UPLOAD_ID])
        removed = commit.remove_upload_rows(con, DEMO_UPLOAD_ID)
        con.execute("DELETE FROM upload_backup WHERE upload_id = ?", [DEMO_UPLOAD_ID])
        targets = con.execute("DELETE FROM targets WHERE updated_by = 'demo'").fetchall()[0][0]
        stores = con.execute(
            "DELETE FROM stores WHERE store_id NOT IN (SELECT DISTINCT store_id FROM responses)"
        ).fetchall()[0][0]
        con.execute(
            "UPDATE uploads SET status = 'undone', undone_at = ?, undone_by = ?"
            " WHERE upload_id = ? AND source = 'demo'",
            [
                config.local_now().replace(microsecond=0),
                user or config.current_user(),
                DEMO_UPLOAD_ID,
            ],
        )
        db.refresh_rollups(con)
        db.bump_data_version(con)
    return {"removed": removed, "stores": stores, "targets": targets}
