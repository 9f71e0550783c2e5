"""Load survey exports (CSV or XLSX) into the database: all or nothing, nothing lost.

An ingest is three steps, one module each, so the Upload page can show every step and
the database file is held only for the last:

1. **decode** (:mod:`cx.source`, with :mod:`cx.decode`, :mod:`cx.xlsx`, :mod:`cx.headers`):
   :func:`inspect` detects the encoding and delimiter, reads the header row and maps it
   to the contract's columns. Encodings DuckDB cannot read (GB18030, UTF-16) and Excel
   sheets become a UTF-8 temp file, streaming.
2. **validate** (:mod:`cx.validate`): DuckDB parses the file (all text) and checks every
   value against the rules table in one SQL pass, collapses repeated response ids (the
   last valid row wins) and explains each rejected row with its source line number and raw text.
3. **commit** (:mod:`cx.commit`): compare with what the database holds (add / replace /
   unchanged), then one transaction: back up the rows about to be replaced, upsert rows
   and stores, keep the rejects, record the upload, refresh the store x day rollups of
   the touched days, bump the data version. A crash anywhere rolls back.

:func:`ingest_file` (the command line, :func:`cx.access.upload`, the Upload page) runs
the first two steps without the database file open: on a private in-memory DuckDB
connection. The file is opened for a moment to look up a saved mapping and an earlier
upload of the same bytes, and then once more for the compare and the commit, into
which the checked rows move as an Arrow table; a reader (a page load, another process)
waits only for that (the columns a file does not have keep their stored values on the
answers it replaces: :func:`_stage`). :func:`undo` reverses one upload exactly.
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
import os
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pandas as pd

from cx import commit as step_commit
from cx import config, db, privacy
from cx import source as step_decode
from cx import validate as step_validate
from cx.commit import REBUILD_FROM, UndoRefused, remove_upload_rows
from cx.headers import Mapping, UnusableFile, check_mapping, map_headers, signature
from cx.source import (
    CHUNK,
    TEMP_MAX_AGE,
    FileInfo,
    clean_temp_folders,
    disk_problem,
    save_upload,
    temp_folder,
)
from cx.validate import BOOL_SPELLINGS, REASONS, RULES, TIMESTAMP_FORMATS, TOTAL_WORDS, Rule

__all__ = [
    "BOOL_SPELLINGS",
    "CHUNK",
    "REASONS",
    "REBUILD_FROM",
    "RULES",
    "TEMP_MAX_AGE",
    "TIMESTAMP_FORMATS",
    "TOTAL_WORDS",
    "FileInfo",
    "Mapping",
    "Result",
    "Rule",
    "UndoRefused",
    "UnusableFile",
    "check_mapping",
    "clean_temp_folders",
    "commit",
    "disk_problem",
    "ingest_file",
    "inspect",
    "load_mapping",
    "map_headers",
    "remove_upload_rows",
    "save_mapping",
    "save_upload",
    "signature",
    "temp_folder",
    "undo",
]

Progress = Callable[[float, str], None]

LABELS_ZH = {r.column: r.zh for r in RULES if r.required}
PREVIEW_ROWS = 20
HEADERS_SHOWN = 8  # of a header row, in the sentence that says a required column is missing
# What moves from the working connection into the database's: the rows to write.
MOVED = ["_ord", *db.RESPONSE_COLUMNS, *db.STORE_COLUMNS]


def _named(items: tuple[str, ...], lang: str, shown: int, more_key: str) -> str:
    """The first ``shown`` of ``items`` in a list, and how many more (``more_key``)."""
    from cx import i18n

    names = i18n.t("fmt.sep_list", lang).join(items[:shown])
    more = len(items) - shown
    return names if more <= 0 else i18n.t(more_key, lang, names=names, n=more)


@dataclass
class Result:
    """Counts and the first rejects of one prepared or committed upload."""

    file_name: str
    rows_read: int = 0
    added: int = 0
    replaced: int = 0
    unchanged: int = 0
    rejected: int = 0
    ignored: int = 0
    collapsed: int = 0
    # rejected rows with the response_id of a row that is written: that row, which passed
    # the checks, is the one kept (a later one rejected had read as "the last one wins")
    repeats_rejected: int = 0
    # replaced rows that belong to another store now, and those stores (most rows first)
    moved: int = 0
    moved_from: tuple[str, ...] = ()
    # replaced rows that would be put back as they were before an upload corrected them,
    # and those uploads ('#7 week43.csv', most rows first): an older export again
    reverted: int = 0
    reverted_by: tuple[str, ...] = ()
    # columns the file does not have that keep their stored values on the answers it
    # replaces (a re-export with fewer columns had emptied them), and on how many answers
    kept_columns: tuple[str, ...] = ()
    kept_rows: int = 0
    # stores no answer had before (a typo in the store codes?), and of those, the ones
    # named as a store already is: (new id, existing id)
    new_stores: tuple[str, ...] = ()
    named_like: tuple[tuple[str, str], ...] = ()
    # answers already stored for the file's stores and days that the file does not hold
    # (a corrected re-export without them): they stay
    left_out: int = 0
    upload_id: int | None = None
    duplicate_of: int | None = None
    # the committed upload of the same bytes and mapping that rejected rows, so read again
    same_as: int | None = None
    # of the rejects, how many no upload in effect keeps already (a dry run's): none, and
    # with no row to add or replace a commit would write nothing
    rejects_new: int | None = None
    committed: bool = False
    dry_run: bool = False
    # a commit asked to write what a preview showed (``expect``) found the data changed
    # since (another upload or an undo meanwhile): nothing written, these counts are new
    changed: bool = False
    rejects: pd.DataFrame = field(default_factory=pd.DataFrame)
    preview: pd.DataFrame = field(default_factory=pd.DataFrame)
    info: FileInfo | None = None

    def plan(self) -> tuple:
        """What a commit of these rows would do, as a preview shows it: the counts and
        every note that depends on the stored answers (an older export's reverts, a
        store's answers moved, stores new to the data, answers left out)."""
        return (
            self.added, self.replaced, self.unchanged, self.rejected, self.collapsed,
            self.moved, self.moved_from, self.reverted, self.reverted_by, self.new_stores,
            self.named_like, self.left_out, self.kept_rows, self.kept_columns,
        )  # fmt: skip

    def moved_named(self, lang: str = "en", shown: int = 3) -> str:
        """The stores of :attr:`moved_from` as a sentence names them: the first ``shown``,
        and how many more ('BJ01、BJ03、HK01及另外 19 家门店'; it had named three of 22)."""
        stores = tuple(map(privacy.shown_text, self.moved_from))  # as the notes show them
        return _named(stores, lang, shown, "fmt.and_more_stores")

    def reverted_named(self, lang: str = "en", shown: int = 3) -> str:
        """The uploads of :attr:`reverted_by` as a sentence names them, as
        :meth:`moved_named` names stores."""
        return _named(self.reverted_by, lang, shown, "fmt.and_more_uploads")

    def notes(self, lang: str = "en") -> list[tuple[str, str, dict[str, object]]]:
        """What the counts do not say, as (level, text key, values) for the Upload page and
        the command line: columns the file lacks kept on the answers it replaces and
        stored answers of its days it lacks ('info': nothing is lost), stores new to the
        data, named as an existing one? ('warning': a typo in the store codes?)."""
        from cx import i18n

        sep = i18n.t("fmt.sep_list", lang)
        out: list[tuple[str, str, dict[str, object]]] = []
        if self.kept_columns:
            columns = sep.join(self.kept_columns)
            out.append(("info", "ingest.note.kept", {"columns": columns, "n": self.kept_rows}))
        if self.new_stores:
            # a store code as shown: a phone or a plate in the store column (an export
            # mapped wrong) was printed whole here, in the preview and by `ingest`
            shown = privacy.shown_text
            # each code's likeness right after it ('HZ-01、hz01（…）（…）' had put both
            # after the list, each naming its code again)
            like = dict(self.named_like)
            stores = sep.join(
                shown(new)
                + (i18n.t("ingest.note.alike", lang, old=shown(like[new])) if new in like else "")
                for new in self.new_stores
            )
            out.append(("warning", "ingest.note.new_stores", {"stores": stores}))
        if self.left_out:
            out.append(("info", "ingest.note.left_out", {"n": self.left_out}))
        if self.repeats_rejected:
            out.append(("info", "ingest.note.repeats_rejected", {"n": self.repeats_rejected}))
        return out

    def unmatched_named(self, lang: str = "en", shown: int = 5) -> str:
        """The headers of :meth:`unmatched` as a sentence names them, as
        :meth:`moved_named` names stores ('' when there are none)."""
        return _named(tuple(self.unmatched()), lang, shown, "fmt.and_more_columns")

    def unmatched(self) -> list[str]:
        """The file's headers over values that feed no column (not mapped, not a second
        header of a mapped column, which is said on its own): the Upload page names them
        above its counts (the command line names every unread header as it reads)."""
        info = self.info
        if info is None:
            return []
        fed = set(info.mapping.columns)
        seconds = {i for idxs in info.mapping.doubled.values() for i in idxs[1:]}
        return [
            info.headers[i] or "?"
            for i in range(len(info.headers))
            if i not in fed and i not in seconds and i not in info.empty_columns
        ]

    @property
    def writes(self) -> bool:
        """Whether a commit would write anything: a row to add or replace, or a reject not
        kept yet (unknown before a dry run: then yes)."""
        return bool(self.added or self.replaced or self.rejects_new is None or self.rejects_new)

    @property
    def earlier(self) -> int | None:
        """The committed upload of the same bytes through the same mapping, if any: the same
        file (:attr:`duplicate_of`), or one that rejected rows, read again (:attr:`same_as`)."""
        return self.duplicate_of if self.duplicate_of is not None else self.same_as

    def summary(self, lang: str = "en") -> str:
        """One line for the CLI and logs, in ``lang`` (its numbers plain, for scripts)."""
        from cx import i18n

        def say(key: str, **values: object) -> str:
            return i18n.t_plain_counts(key, lang, **values)

        if self.duplicate_of is not None:
            return say("cli.ingest.duplicate", file=self.file_name, id=self.duplicate_of)
        if self.upload_id:
            head = say("cli.ingest.upload", id=self.upload_id)
        elif self.dry_run:
            head = say("cli.ingest.dry_run")
        else:  # every row already there as it is, every reject already kept
            head = say("cli.ingest.nothing")
        return head + say(
            "cli.ingest.counts",
            file=self.file_name,
            read=self.rows_read,
            added=self.added,
            replaced=self.replaced,
            unchanged=self.unchanged,
            rejected=self.rejected,
            ignored=self.ignored,
            collapsed=self.collapsed,
        )


def _quiet(_share: float, _stage: str) -> None:
    return None


# --------------------------------------------------------------------------- decode


def inspect(
    source: str | os.PathLike[str] | bytes,
    file_name: str | None = None,
    saved: dict[int, str] | None = None,
    con: duckdb.DuckDBPyConnection | None = None,
) -> FileInfo:
    """Detect encoding, delimiter and header mapping; raise :class:`UnusableFile`.

    With ``con`` and no ``saved`` mapping, a mapping saved for this header row is used.
    The returned info owns its temp files: call :meth:`FileInfo.cleanup` when done.
    """
    info = step_decode.inspect(source, file_name, saved)
    if saved is None and con is not None:
        try:
            _use_saved_mapping(con, info)
        except BaseException:
            info.cleanup()
            raise
    return info


def _use_saved_mapping(con: duckdb.DuckDBPyConnection, info: FileInfo) -> None:
    saved = load_mapping(con, info.signature, info.headers)
    if saved is not None:
        info.mapping = map_headers(info.headers, saved)
        info.saved_mapping_used = True


def load_mapping(
    con: duckdb.DuckDBPyConnection, sig: str, headers: list[str]
) -> dict[int, str] | None:
    """The mapping saved for this header row, as index -> canonical ('' = ignore)."""
    rows = con.execute("SELECT mapping FROM column_mappings WHERE signature = ?", [sig]).fetchall()
    if not rows:
        return None
    pairs = json.loads(rows[0][0])
    if len(pairs) != len(headers):
        return None
    return {i: col for i, (_h, col) in enumerate(pairs)}


def save_mapping(con: duckdb.DuckDBPyConnection, info: FileInfo) -> None:
    """Remember ``info.mapping`` for the next export with the same header row."""
    with db.transaction(con):
        con.execute(
            "INSERT OR REPLACE INTO column_mappings VALUES (?, ?, ?)",
            [
                info.signature,
                json.dumps(info.mapping.as_pairs(), ensure_ascii=False),
                step_commit.now(),
            ],
        )
        db.bump_data_version(con)


# --------------------------------------------------------------------------- validate


def other_sheets(info: FileInfo) -> tuple[str, str]:
    """A workbook whose answers are on another sheet (a notes sheet first): which sheet
    was read and what to do, in English and Chinese ('' with one sheet or a CSV). Said by
    the refusal of a required column (it read "No nps column" only) and by the Upload
    page's mapping (it offered a notes sheet's cells as headers to map)."""
    if len(info.sheets) < 2:
        return "", ""
    others, others_zh = ", ".join(info.sheets[1:4]), "、".join(info.sheets[1:4])
    return (
        f"Only the first sheet, “{info.sheets[0]}”, is read (the workbook also has"
        f" {others}): put the answers on the first sheet, or export theirs as CSV.",
        f"只读取第一张工作表“{info.sheets[0]}”（工作簿里还有：{others_zh}）："
        "请把答卷放在第一张表，或把答卷所在的表导出为 CSV。",
    )


def _require(info: FileInfo) -> None:
    """Refuse a mapping that leaves a required column without a header."""
    missing = info.mapping.missing_required
    if not missing:
        return
    sheet, sheet_zh = other_sheets(info)
    sheet = " " + sheet if sheet else ""
    torn = [c for c in missing if info.mapping.ambiguous.get(c)]
    if torn:  # two headers fit it: named (it read "no header … containing 推荐")
        col = torn[0]
        names = [info.headers[i] for i in info.mapping.ambiguous[col]]
        raise UnusableFile(
            f"Ambiguous: {col} could come from {', '.join(names)}; pick one by hand on the"
            " Upload page, or rename all but one." + sheet,
            f"有歧义：{col}（{LABELS_ZH.get(col, col)}）可能来自 {'、'.join(names)}；"
            "请在上传页面手动指定，或只留一列这样的表头。" + sheet_zh,
        )
    if "nps" in missing:
        raise UnusableFile(
            "No nps column: no header is 'nps', '推荐分' or a question containing"
            " 推荐/recommend." + sheet,
            "没有推荐分列：没有表头是 nps、推荐分，或含“推荐/recommend”的问题。" + sheet_zh,
        )
    shown, rest = info.headers[:HEADERS_SHOWN], info.headers[HEADERS_SHOWN:]
    found = ", ".join(shown) + (", …" if rest else "")
    found_zh = "、".join(shown) + ("……" if rest else "")
    # every one missing, with the headers it has: which is which? (on the page: the
    # mapping; the first missing alone had the analyst fix and run again once for each)
    if len(missing) == 1:
        en, tail = f"Required column {missing[0]} not found", "name it so, or map it"
    else:
        en, tail = f"Required columns {', '.join(missing)} not found", "name them so, or map them"
    zh = "、".join(f"{c}（{LABELS_ZH.get(c, c)}）" for c in missing)
    raise UnusableFile(
        f"{en} in the header row (line {info.header_line}: {found}); {tail} on the Upload"
        " page." + sheet,
        f"表头中找不到必需的列 {zh}（第 {info.header_line} 行：{found_zh}）；"
        "请改列名，或在上传页面手动对应。" + sheet_zh,
    )


def _check(
    con: duckdb.DuckDBPyConnection, info: FileInfo, tell: Progress, preview_rows: int
) -> step_validate.Checked:
    """Parse and validate into temp tables of ``con`` (``cx_new``: the rows to write)."""
    _require(info)
    tell(0.1, "parse")
    step_decode.parse(con, info)
    tell(0.3, "validate")
    malformed = step_validate.typed(con, info)
    step_validate.keep_new(con)
    tell(0.5, "explain")
    return step_validate.explain(con, info, malformed, preview_rows)


def _compared(
    con: duckdb.DuckDBPyConnection, info: FileInfo, checked: step_validate.Checked
) -> Result:
    """What a commit of ``cx_new`` would do: added, replaced (how many of those are another
    store's answers now, :func:`cx.commit.moved`), unchanged."""
    result = _result(info, checked, step_commit.compare(con))
    if result.replaced:
        result.moved, result.moved_from = step_commit.moved(con)
        result.reverted, result.reverted_by = step_commit.reverts(con)
    result.new_stores, result.named_like = step_commit.new_stores(con)
    result.left_out = step_commit.left_out(con)
    return result


def absent_columns(info: FileInfo) -> list[str]:
    """The answers' columns (:data:`cx.db.RESPONSE_COLUMNS`) no header of the file feeds."""
    fed = set(info.mapping.columns.values())
    return [c for c in db.RESPONSE_COLUMNS if c not in fed]


def _stage(con: duckdb.DuckDBPyConnection, rows: object, absent: list[str]) -> tuple[int, tuple]:
    """``cx_new`` on ``con``: the file's checked rows (``rows``, Arrow), each that replaces
    a stored answer with the columns the file does not have (``absent``) as stored: a
    re-export with fewer columns had emptied the wait times, ratings and pain points of
    every answer it replaced. (How many stored answers it replaces, the absent columns
    holding values there.) Undone by :func:`_unstage`."""
    if not absent:
        con.register("cx_new", rows)
        return 0, ()
    con.register("cx_file", rows)
    found = con.execute(
        f"SELECT count(*), {', '.join(f'count(o.{c})' for c in absent)}"  # noqa: S608 - contract columns
        " FROM cx_file n JOIN responses o ON o.response_id = n.response_id"
    ).fetchall()[0]
    if not found[0]:  # nothing replaced (the next period): the rows as they are
        con.execute("CREATE TEMP VIEW cx_new AS SELECT * FROM cx_file")
        return 0, ()
    stored = ", ".join(
        f"CASE WHEN o.response_id IS NULL THEN n.{c} ELSE o.{c} END AS {c}" for c in absent
    )
    con.execute(
        f"CREATE TEMP TABLE cx_kept AS SELECT n.* REPLACE ({stored})"  # noqa: S608 - contract columns
        " FROM cx_file n LEFT JOIN responses o ON o.response_id = n.response_id"
    )
    con.execute("CREATE TEMP VIEW cx_new AS SELECT * FROM cx_kept")
    return found[0], tuple(c for c, n in zip(absent, found[1:], strict=True) if n)


def _unstage(con: duckdb.DuckDBPyConnection, absent: list[str]) -> None:
    if not absent:
        con.unregister("cx_new")
        return
    con.execute("DROP VIEW IF EXISTS cx_new")  # always a view: over cx_kept or cx_file
    con.execute("DROP TABLE IF EXISTS cx_kept")
    con.unregister("cx_file")


def _result(info: FileInfo, checked: step_validate.Checked, counts: tuple[int, int, int]) -> Result:
    added, replaced, unchanged = counts
    return Result(
        file_name=info.file_name,
        rows_read=checked.rows_read,
        added=added,
        replaced=replaced,
        unchanged=unchanged,
        rejected=checked.rejected,
        ignored=checked.ignored,
        collapsed=checked.valid - checked.kept,
        repeats_rejected=checked.repeats_rejected,
        rejects=checked.rejects,
        preview=checked.preview,
        info=info,
    )


@contextlib.contextmanager
def _workspace() -> Iterator[duckdb.DuckDBPyConnection]:
    """A private in-memory DuckDB connection (spilling into this process's temp folder):
    parsing and validating there leaves the database file free for everyone else."""
    spill = temp_folder() / f"duck-{os.urandom(6).hex()}"
    spill.mkdir(parents=True, exist_ok=True)  # DuckDB makes only the last folder itself
    con = duckdb.connect(
        ":memory:",
        config={**config.duckdb_settings(), "temp_directory": str(spill)},
    )
    try:
        yield con
    finally:
        con.close()
        shutil.rmtree(spill, ignore_errors=True)


# --------------------------------------------------------------------------- commit


def commit(
    con: duckdb.DuckDBPyConnection,
    result: Result,
    source: str = "app",
    user: str | None = None,
    progress: Progress | None = None,
    audit: step_commit.Audit | None = None,
) -> Result:
    """Write what :func:`_ingest` staged (``cx_new``, ``cx_status``), in one transaction
    (with its audit line, when ``audit`` writes one: :func:`cx.commit.write`)."""
    tell = progress or _quiet
    info = result.info
    assert info is not None
    tell(0.75, "write")
    upload = {
        "file_name": info.file_name,
        "content_hash": info.content_hash,
        "rows_read": result.rows_read,
        "added": result.added,
        "replaced": result.replaced,
        "unchanged": result.unchanged,
        "rejected": result.rejected,
        "ignored": result.ignored,
        "collapsed": result.collapsed,
        "encoding": info.encoding,
        "delimiter": info.delimiter,
        "mapping": info.mapping.as_pairs(),
        "source": source,
        "uploaded_by": user or config.current_user(),
    }
    result.upload_id = step_commit.write(
        con, upload, result.rejects, before_rollups=lambda: tell(0.9, "rollups"), audit=audit
    )
    result.committed = True
    tell(1.0, "done")
    return result


def ingest_file(
    source: str | os.PathLike[str] | bytes,
    file_name: str | None = None,
    db_path: str | os.PathLike[str] | None = None,
    dry_run: bool = False,
    source_kind: str = "cli",
    mapping: dict[int, str] | None = None,
    progress: Progress | None = None,
    on_wait: Callable[[float], None] | None = None,
    user: str | None = None,
    info: FileInfo | None = None,
    audit: step_commit.Audit | None = None,
    expect: tuple | None = None,
) -> Result:
    """Inspect, prepare and (unless ``dry_run``) commit one file; raises UnusableFile.

    ``expect``: the :meth:`Result.plan` of the preview the person saw; when the data
    changed since so that the commit would do something else (a colleague's upload of
    corrections, which this file would put back), nothing is written and the result,
    marked ``changed``, is the new preview.

    ``user`` is recorded as who uploaded (the signed-in person; see ``cx.access.upload``,
    which passes ``audit`` to write the audit line in the commit's transaction).
    ``info`` is a file :func:`inspect` already read (the Upload page keeps it across
    reruns); then ``source`` is not read again and the caller cleans ``info`` up.
    A full disk, a read-only or damaged database end in a :class:`cx.db.Problem`.

    The database file is held only for a moment before validating (the saved mapping,
    an earlier upload of the same bytes) and for the compare and commit after it (a dry
    run: the compare).
    """
    target = config.db_path(db_path)
    scratch: Path | None = None
    if dry_run and not target.exists():  # a dry run writes nothing, not even a new file:
        # the rows are compared with an empty database of its own, removed after
        scratch = temp_folder() / f"dry-{os.urandom(6).hex()}"
        scratch.mkdir(parents=True)
        target = scratch / target.name
    try:
        own = info is None
        if own:
            info = inspect(source, file_name, saved=mapping)
        elif mapping is not None:
            info = dataclasses.replace(info, mapping=map_headers(info.headers, mapping))
        try:
            return _ingest(
                target,
                info,
                own and mapping is None,
                dry_run,
                source_kind,
                progress,
                on_wait,
                user,
                audit,
                expect,
            )
        finally:
            if own:
                info.cleanup()
    except (duckdb.Error, OSError) as exc:
        problem = db.explain(exc, target)
        if problem is None:
            raise
        raise problem from exc
    finally:
        if scratch is not None:
            shutil.rmtree(scratch, ignore_errors=True)


def _ingest(
    target: Path,
    info: FileInfo,
    saved_mapping: bool,
    dry_run: bool,
    source_kind: str,
    progress: Progress | None,
    on_wait: Callable[[float], None] | None,
    user: str | None,
    audit: step_commit.Audit | None = None,
    expect: tuple | None = None,
) -> Result:
    tell = progress or _quiet
    with db.connect(target, on_wait=on_wait) as con:  # a moment
        if saved_mapping:
            _use_saved_mapping(con, info)
        same = step_commit.earlier_same(con, info.content_hash, info.mapping.as_pairs())
    if same is not None and not same[1]:
        return Result(file_name=info.file_name, duplicate_of=same[0], info=info)
    with _workspace() as work:  # the database file is free meanwhile
        checked = _check(work, info, tell, PREVIEW_ROWS)
        if checked.rows_read == 0:
            raise UnusableFile(  # with what to do (it said only what was wrong)
                "The file has a header but no answer rows; export it again with the answers"
                " (check the survey tool's date range and filters).",
                "文件只有表头，没有答卷行；请重新导出含答卷的文件（检查问卷系统的日期范围和筛选条件）。",
            )
        rows = work.sql(f"SELECT {', '.join(MOVED)} FROM cx_new").to_arrow_table()  # noqa: S608 - contract columns
    with db.connect(target, on_wait=on_wait) as con:  # held for the compare and the commit
        tell(0.65, "compare")
        same = step_commit.earlier_same(  # another process's, meanwhile
            con, info.content_hash, info.mapping.as_pairs()
        )
        if same is not None and not same[1]:
            return Result(file_name=info.file_name, duplicate_of=same[0], info=info)
        absent = absent_columns(info)
        kept_rows, kept_columns = _stage(con, rows, absent)
        try:
            result = _compared(con, info, checked)
            result.kept_rows, result.kept_columns = kept_rows, kept_columns
            result.same_as = same[0] if same is not None else None
            # a preview older than the data: what it showed is not what would be written
            result.changed = not dry_run and expect is not None and result.plan() != expect
            if dry_run or result.changed:
                result.dry_run = True
                result.rejects_new = step_commit.new_rejects(con, result.rejects, info.delimiter)
                return result
            if (
                result.added == 0
                and result.replaced == 0
                and not step_commit.new_rejects(con, result.rejects, info.delimiter)
            ):
                return result  # every row already there as it is, every reject already kept
            return commit(
                con, result, source=source_kind, progress=progress, user=user, audit=audit
            )
        finally:
            _unstage(con, absent)


# --------------------------------------------------------------------------- undo


def undo(
    con: duckdb.DuckDBPyConnection,
    upload_id: int,
    user: str | None = None,
    audit: step_commit.UndoAudit | None = None,
) -> dict[str, int]:
    """Restore exactly the state before ``upload_id``: its rows out, the rows it replaced back
    (``audit(con, counts)`` writes its audit line in the same transaction).

    Defined here (not only in :mod:`cx.commit`): ``cx.access.WRITES`` registers the write
    as ``cx.ingest.undo``.
    """
    return step_commit.undo(con, upload_id, user, audit)
