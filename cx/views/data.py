"""The Data page's view: what the database holds, as plain data.

The Data page shows the whole database the person may read (no sidebar scope: it is
the page that says what is in the file), so :func:`view` takes no Scope.
"""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass
from datetime import datetime

import duckdb
import pandas as pd

from cx import access, db, export, i18n, queries
from cx.privacy import mask_raw_lines

LAST_UPLOADS = 20
"""How many uploads the page lists (newest first)."""
REJECTS_LISTED = 1000
"""How many rejected rows the page lists (the newest upload's first); its download holds
every one. A file with 200,000 bad rows took the view 9-11 s (each raw line masked) and
sent the browser all of them, with a 20 MB CSV made on every run."""
REJECT_COLUMNS = (
    "upload_id", "file_name", "line_no", "reason", "reason_zh", "raw_line", "stored",
)  # fmt: skip
REASON_COLUMNS = {"zh": "reason_zh", "en": "reason"}
"""The stored column holding a reject's reason in each language (an upload writes both)."""


@dataclass(frozen=True)
class DataView:
    rows: int
    first: datetime | None
    last: datetime | None
    stores_n: int
    regions: int
    rejects_n: int  # every rejected row kept (of the uploads in effect)
    version: int
    monthly: pd.DataFrame  # month, region, n
    stores: pd.DataFrame  # store_id, store_name, region, city, n
    uploads: pd.DataFrame  # the last LAST_UPLOADS uploads, newest first
    # REJECT_COLUMNS of the first REJECTS_LISTED, phones and plates masked; ``stored``: the
    # row's answer id is stored now (the row fixed and uploaded again, :func:`stored_now`)
    rejects: pd.DataFrame
    audit: pd.DataFrame  # logged_at, who, action, target, detail, newest first

    @property
    def empty(self) -> bool:
        return not self.rows


def view(con: duckdb.DuckDBPyConnection) -> DataView:
    """Counts, date range, answers per month and region, stores, last uploads, rejected
    rows (masked) and the audit log."""
    info = queries.overview(con)
    rejects = _rejects(con, None, REJECTS_LISTED)
    return DataView(
        rows=int(info["rows"] or 0),
        first=info["first"],
        last=info["last"],
        stores_n=int(info["stores"] or 0),
        regions=int(info["regions"] or 0),
        rejects_n=int(info["rejects"] or 0),
        version=db.data_version(con),
        monthly=queries.monthly_counts(con),
        stores=queries.stores(con),
        uploads=queries.uploads(con, LAST_UPLOADS),
        rejects=rejects[list(REJECT_COLUMNS)].reset_index(drop=True),
        audit=access.audit_log(con),
    )


SHOWN_REJECT_COLUMNS = ("upload_id", "file_name", "line_no", "reason", "stored", "raw_line")
"""A rejected row's columns as the pages list and download it (:func:`rejects_in`)."""


def _rejects(
    con: duckdb.DuckDBPyConnection, upload_id: int | None, limit: int | None = None
) -> pd.DataFrame:
    """:func:`cx.queries.rejects` masked, with :func:`stored_now` as ``stored``."""
    raw = queries.rejects(con, upload_id, limit)
    return mask_raw_lines(raw).assign(stored=stored_now(con, raw))


def stored_now(con: duckdb.DuckDBPyConnection, raw: pd.DataFrame) -> list[bool]:
    """Whether each rejected row's answer id (read from its raw line by its upload's
    delimiter and mapping) is stored now: the row fixed and uploaded again. The Data page
    listed BAD-00001 as rejected after a later upload had stored it, fixed, with nothing
    to tell the two apart."""
    ids: list[str | None] = []
    position: dict[str, int | None] = {}
    for line, delimiter, pairs in zip(
        raw["raw_line"], raw["delimiter"], raw["mapping"], strict=True
    ):
        if pairs not in position:
            names = [c for _h, c in json.loads(pairs)] if isinstance(pairs, str) and pairs else []
            position[pairs] = names.index("response_id") if "response_id" in names else None
        at = position[pairs]
        try:
            fields = next(csv.reader([str(line)], delimiter=delimiter or ","))
        except (csv.Error, StopIteration):
            fields = []
        ids.append(fields[at].strip() if at is not None and at < len(fields) else None)
    asked = sorted({i for i in ids if i})
    if not asked:
        return [False] * len(ids)
    found = {
        r
        for (r,) in con.execute(
            "SELECT response_id FROM responses WHERE response_id IN (SELECT unnest(?))", [asked]
        ).fetchall()
    }
    return [i in found for i in ids]


def rejects_in(rejects: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The rejected rows as the page lists them: upload_id, file_name, line_no, reason
    (in ``lang``), whether the row's answer is stored now (in words), raw_line."""
    cols = ["upload_id", "file_name", "line_no", REASON_COLUMNS[lang], "stored", "raw_line"]
    shown = rejects[cols].rename(columns={REASON_COLUMNS[lang]: "reason"})
    since = i18n.t("data.reject_stored", lang)
    return shown.assign(stored=[since if s else "" for s in shown["stored"]])


def rejects_csv(
    scope_key: tuple,
    upload_id: int | None = None,
    lang: str | None = None,
    columns: dict[str, str] | None = None,
) -> bytes:
    """Every rejected row (of ``upload_id``, or of every upload in effect) as the pages'
    CSV download: raw lines masked (:func:`cx.privacy.mask_raw_lines`), formulas
    neutralised; as :func:`rejects_in` lists them in ``lang`` with ``columns`` renamed,
    or every stored column when ``lang`` is None. Read when the button is clicked, on its
    own connection limited to the person whose :func:`cx.access.scope_key` is
    ``scope_key`` (a store or region manager reads no rejects)."""
    with access.scoped_connection(scope_key) as con:
        rejects = _rejects(con, upload_id)
    if lang is not None:
        rejects = rejects_in(rejects, lang).rename(columns=columns or {})
    return export.to_csv_bytes(rejects)
