"""Load survey exports (CSV or XLSX) into the database: all or nothing, nothing lost.

The pipeline, one function each so the Upload page can show every step:

1. :func:`inspect` — detect the encoding and delimiter, read the header row and map
   it to the contract's columns (``cx.headers``). Encodings DuckDB cannot read
   (GB18030, UTF-16) are transcoded to UTF-8 in Python, streaming, into a temp file.
2. :func:`prepare` — DuckDB parses the file (all text), validates every value in one
   SQL pass, collapses repeated response ids (last wins), compares with what the
   database holds (add / replace / unchanged) and explains each rejected row with
   its source line number and raw text. Nothing is written.
3. :func:`commit` — one transaction: back up the rows about to be replaced, upsert
   rows and stores, keep the rejects, record the upload, refresh the store x day
   rollups of the touched days, bump the data version. A crash anywhere rolls back.

:func:`ingest_file` runs all three; :func:`undo` reverses one upload exactly.
"""

from __future__ import annotations

import contextlib
import csv
import dataclasses
import hashlib
import io
import json
import mmap
import os
import re
import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

from cx import config, db, decode, xlsx
from cx.enums import STRICT_ENUMS, spelling_map
from cx.headers import Mapping, UnusableFile, check_mapping, map_headers, signature

Progress = Callable[[float, str], None]

TOTAL_WORDS = ["合计", "总计", "小计", "total", "totals", "sum", "grand total"]
BOOL_SPELLINGS = {
    "true": True,
    "false": False,
    "yes": True,
    "no": False,
    "y": True,
    "n": False,
    "1": True,
    "0": False,
    "是": True,
    "否": False,
    "t": True,
    "f": False,
}
TIMESTAMP_FORMATS = [
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%d",
    "%Y-%m-%dT%H:%M:%S",
    "%Y-%m-%dT%H:%M",
    "%Y-%m-%d %H:%M:%S.%f",
    "%Y-%m-%dT%H:%M:%S.%f",
    "%Y/%m/%d %H:%M:%S",
    "%Y/%m/%d %H:%M",
    "%Y/%m/%d",
    "%Y年%m月%d日 %H:%M:%S",
    "%Y年%m月%d日 %H:%M",
    "%Y年%m月%d日",
    "%Y.%m.%d",
]
# (column, low, high, integer?) for numeric columns.
NUMERIC_RULES: list[tuple[str, float | None, float | None, bool]] = [
    *[(c, 1, 10, False) for c in db.RESPONSE_COLUMNS if c.startswith("csi_")],
    *[(c, 0, 10, False) for c in db.RESPONSE_COLUMNS if c.startswith("tp_")],
    ("csat", 1, 5, True),
    ("ces", 1, 7, True),
    ("wait_minutes", 0, None, False),
    ("amount", 0, None, False),
]
LABELS_ZH = {
    "response_id": "问卷编号",
    "store_id": "门店编号",
    "responded_at": "提交时间",
    "service_date": "服务日期",
    "nps": "推荐分",
}
CHUNK = 1 << 20
# Enum columns whose unknown values are stored as 'other' instead of rejecting the row:
# a survey tool's 来源 column says 手机提交 as often as 微信.
TO_OTHER = {"channel"}
TEMP_MAX_AGE = 12 * 3600  # seconds: a session's upload files older than this are removed


class UndoRefused(ValueError):
    """An upload cannot be undone (unknown, already undone, or later uploads depend on it)."""

    def __init__(self, message: str, message_zh: str) -> None:
        super().__init__(message)
        self.message_zh = message_zh


@dataclass
class FileInfo:
    """What :func:`inspect` found out about a file."""

    file_name: str
    kind: str  # csv / xlsx
    encoding: str
    delimiter: str
    headers: list[str]
    mapping: Mapping
    signature: str
    content_hash: str
    size: int
    csv_path: Path  # UTF-8 text DuckDB can read
    header_line: int  # 1-based line of the header row in the source
    empty_columns: list[int] = field(default_factory=list)
    sheet_rows: list[int] | None = None  # xlsx: sheet row number of each data record
    saved_mapping_used: bool = False
    _temp: Path | None = None
    _source_temp: Path | None = None  # uploaded bytes, when DuckDB reads a converted copy

    def cleanup(self) -> None:
        """Remove the temp files made for this file (the uploaded bytes, a UTF-8 copy)."""
        for temp in (self._temp, self._source_temp):
            if temp is not None:
                temp.unlink(missing_ok=True)


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
    upload_id: int | None = None
    duplicate_of: int | None = None
    committed: bool = False
    rejects: pd.DataFrame = field(default_factory=pd.DataFrame)
    preview: pd.DataFrame = field(default_factory=pd.DataFrame)
    info: FileInfo | None = None

    def summary(self) -> str:
        """One line for the CLI and logs."""
        if self.duplicate_of is not None:
            return f"{self.file_name}: identical to upload #{self.duplicate_of}; nothing changed"
        head = f"upload #{self.upload_id}: " if self.upload_id else "dry run: "
        return (
            f"{head}{self.file_name}: read {self.rows_read}, added {self.added},"
            f" replaced {self.replaced}, unchanged {self.unchanged},"
            f" rejected {self.rejected}, ignored {self.ignored},"
            f" repeated ids collapsed {self.collapsed}"
        )


# --------------------------------------------------------------------------- temp files


def temp_folder() -> Path:
    """This process's folder for upload temp files (removed with the process's leftovers)."""
    return config.temp_root() / f"p{os.getpid()}"


def clean_temp_folders() -> int:
    """Remove the temp folders of processes that are gone (a killed ingest's leftovers).

    Called when the app and the command line start; returns how many were removed.
    """
    root = config.temp_root()
    removed = 0
    if not root.is_dir():
        return 0
    for folder in root.glob("p*"):
        try:
            pid = int(folder.name[1:])
        except ValueError:
            continue
        if pid == os.getpid():  # ours: only files a session left long ago
            cutoff = time.time() - TEMP_MAX_AGE
            for old in folder.iterdir():
                with contextlib.suppress(OSError):
                    if old.stat().st_mtime < cutoff:
                        old.unlink()
            continue
        if _alive(pid):
            continue
        shutil.rmtree(folder, ignore_errors=True)
        removed += 1
    return removed


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def save_upload(data: bytes, file_name: str) -> Path:
    """Write uploaded bytes into the temp folder, keeping the file's extension."""
    folder = temp_folder()
    folder.mkdir(parents=True, exist_ok=True)
    suffix = Path(file_name).suffix.lower()
    suffix = suffix if re.fullmatch(r"\.[a-z0-9]{1,5}", suffix) else ".bin"
    path = folder / f"upload-{os.urandom(6).hex()}{suffix}"
    try:
        path.write_bytes(data)
    except OSError as exc:
        path.unlink(missing_ok=True)
        problem = disk_problem(exc)
        if problem is None:
            raise
        raise problem from exc
    return path


def disk_problem(exc: BaseException) -> UnusableFile | None:
    """A full disk (or a file-size limit) as one sentence, else None."""
    if not db.is_disk_full(exc):
        return None
    return UnusableFile(
        "The disk is full (nothing was changed); free some space or ask the administrator,"
        " then upload again.",
        "磁盘已满（没有任何改动）；请清理空间或联系管理员后重新上传。",
    )


# --------------------------------------------------------------------------- decoding


def _looks_binary(text: str) -> bool:
    if not text:
        return False
    bad = sum(1 for ch in text if ord(ch) < 32 and ch not in "\t\r\n")
    return bad > max(2, len(text) // 100)


def _sniff_delimiter(line: str) -> str:
    counts = {}
    for delim in [",", ";", "\t", "|"]:
        try:
            counts[delim] = len(next(csv.reader([line], delimiter=delim))) - 1
        except (csv.Error, StopIteration):
            counts[delim] = 0
    best = max(counts, key=lambda k: counts[k])
    return best if counts[best] > 0 else ","


def _read_head(path: Path, size: int = 1 << 16) -> str:
    with path.open("rb") as fh:
        raw = fh.read(size)
    return raw.decode("utf-8", errors="ignore")


def _header_row(text: str) -> tuple[str, int, str]:
    """(delimiter, 1-based header line, first record text) from the start of a UTF-8 file."""
    lines = text.splitlines()
    for i, line in enumerate(lines):
        if line.strip().strip(",;\t|").strip():
            return _sniff_delimiter(line), i + 1, line
    return ",", 0, ""


def _is_zip(path: Path) -> bool:
    with path.open("rb") as fh:
        return fh.read(4) == b"PK\x03\x04"


def inspect(
    source: str | os.PathLike[str] | bytes,
    file_name: str | None = None,
    saved: dict[int, str] | None = None,
    con: duckdb.DuckDBPyConnection | None = None,
) -> FileInfo:
    """Detect encoding, delimiter and header mapping; raise :class:`UnusableFile`.

    Bytes (the Upload page) are saved into the temp folder under the file's own
    extension, so CSV and Excel take the same path as a file named on the command line.
    The returned info owns its temp files: call :meth:`FileInfo.cleanup` when done.
    """
    temp_src: Path | None = None
    if isinstance(source, bytes):
        file_name = file_name or "upload.csv"
        temp_src = path = save_upload(source, file_name)
    else:
        path = Path(source)
        file_name = file_name or path.name
        if not path.is_file():
            raise UnusableFile(f"File not found: {path}", f"找不到文件：{path}")
    try:
        info = _inspect_path(path, file_name, saved, con)
    except BaseException:
        if temp_src is not None:
            temp_src.unlink(missing_ok=True)
        raise
    if temp_src is not None:
        if info.csv_path == temp_src:
            info._temp = temp_src  # DuckDB reads the uploaded bytes directly
        else:
            temp_src.unlink(missing_ok=True)  # DuckDB reads the UTF-8 copy
    return info


def _inspect_path(
    path: Path,
    file_name: str,
    saved: dict[int, str] | None,
    con: duckdb.DuckDBPyConnection | None,
) -> FileInfo:
    size = path.stat().st_size
    limit = config.max_upload_mb() << 20
    if size > limit:
        raise UnusableFile(
            f"The file is {size >> 20} MB; the limit is {limit >> 20} MB (CX_MAX_UPLOAD_MB)."
            " Split the export by month.",
            f"文件有 {size >> 20} MB，超过上限 {limit >> 20} MB（CX_MAX_UPLOAD_MB）。"
            "请按月拆分导出。",
        )
    with path.open("rb") as fh:
        head = fh.read(1 << 16)
    if not head.strip():
        raise UnusableFile("The file is empty.", "文件是空的。")
    sheet_rows = None
    temp: Path | None = None
    try:
        if _is_zip(path):
            kind = encoding = "xlsx"
            content_hash = _hash(path)
            csv_path, sheet_rows = xlsx.to_csv(path, temp_folder())
            temp = csv_path
        else:
            kind = "csv"
            scanned = decode.scan(path)
            encoding, content_hash = scanned.encoding, scanned.content_hash
            if encoding in ("utf-8", "utf-8-sig"):
                csv_path = path
            else:
                csv_path = temp = decode.transcode(path, encoding, temp_folder())
    except (decode.EncodingRefused, xlsx.XlsxRefused) as exc:
        raise UnusableFile(str(exc), exc.message_zh) from exc
    except OSError as exc:
        problem = disk_problem(exc)
        if problem is None:
            raise
        raise problem from exc
    try:
        return _read_header(
            path,
            csv_path,
            temp,
            file_name,
            kind,
            encoding,
            content_hash,
            size,
            sheet_rows,
            saved,
            con,
        )
    except BaseException:
        if temp:
            temp.unlink(missing_ok=True)
        raise


def _read_header(
    path: Path,
    csv_path: Path,
    temp: Path | None,
    file_name: str,
    kind: str,
    encoding: str,
    content_hash: str,
    size: int,
    sheet_rows: list[int] | None,
    saved: dict[int, str] | None,
    con: duckdb.DuckDBPyConnection | None,
) -> FileInfo:
    text = _read_head(csv_path)
    if text.startswith("\ufeff"):
        text = text[1:]
    if _looks_binary(text):
        raise UnusableFile(
            "The file is not a text export (it contains binary data).",
            "文件不是文本导出（含有二进制数据）。",
        )
    delimiter, header_line, first = _header_row(text)
    if not header_line:
        raise UnusableFile("The file is empty.", "文件是空的。")
    headers = _header_cells(text[text.find(first) :], delimiter, header_line)
    sig = signature(headers)
    used_saved = False
    if saved is None and con is not None:
        saved = load_mapping(con, sig, headers)
        used_saved = saved is not None
    mapping = map_headers(headers, saved)
    return FileInfo(
        file_name=file_name,
        kind=kind,
        encoding=encoding,
        delimiter=delimiter,
        headers=headers,
        mapping=mapping,
        signature=sig,
        content_hash=content_hash,
        size=size,
        csv_path=csv_path,
        header_line=header_line,
        sheet_rows=sheet_rows,
        saved_mapping_used=used_saved,
        _temp=temp,
    )


def _header_cells(text: str, delimiter: str, line: int) -> list[str]:
    """The header record's cells; a quote that never closes or too many columns refuse."""
    quote_open = UnusableFile(
        f'The header row (line {line}) opens a quote (") that never closes; fix the header'
        " in a text editor or export the file again.",
        f'表头行（第 {line} 行）有一个引号（"）没有闭合；请修正表头或重新导出文件。',
    )
    try:
        reader = csv.reader(io.StringIO(text), delimiter=delimiter, strict=True)
        headers = next(reader)
        consumed = reader.line_num
    except (csv.Error, StopIteration) as exc:
        raise quote_open from exc
    if consumed > 3 or any(len(h) > 2000 for h in headers):
        raise quote_open  # a quoted newline or two is a long question; more is a lost quote
    headers = [h.strip() for h in headers]
    most = config.max_columns()
    if len(headers) > most:
        raise UnusableFile(
            f"The header row has {len(headers)} columns; at most {most} are read"
            " (CX_MAX_COLUMNS). Check the delimiter or remove unused columns.",
            f"表头有 {len(headers)} 列，最多读取 {most} 列（CX_MAX_COLUMNS）。"
            "请检查分隔符或删除不用的列。",
        )
    return headers


def _hash(path: Path) -> str:
    """SHA-256 of the file's bytes (the same file twice changes nothing)."""
    h = hashlib.sha256()
    with path.open("rb") as fh:
        while chunk := fh.read(CHUNK):
            h.update(chunk)
    return h.hexdigest()


# --------------------------------------------------------------------------- mappings


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
            [info.signature, json.dumps(info.mapping.as_pairs(), ensure_ascii=False), _now()],
        )
        db.bump_data_version(con)


def _now() -> datetime:
    return datetime.now().replace(microsecond=0)


# --------------------------------------------------------------------------- parsing


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _lit(text: str) -> str:
    """A SQL string literal for text that comes from this module, never from a file."""
    return "'" + text.replace("'", "''") + "'"


def _parse(con: duckdb.DuckDBPyConnection, info: FileInfo) -> None:
    """Read the whole file as text into temp table ``cx_raw`` (with ``_ord`` in file order)."""
    names = [f"c{i}" for i in range(len(info.headers))]
    con.execute("DROP TABLE IF EXISTS cx_raw_scan")
    for table in ("cx_raw", "cx_csv_errors", "cx_csv_scans"):
        con.execute(f"DROP TABLE IF EXISTS {table}")
    sql = (
        "CREATE TEMP TABLE cx_raw_scan AS SELECT * FROM read_csv(?, header = true,"
        " all_varchar = true, delim = ?, quote = '\"', escape = '\"', names = ?,"
        " null_padding = true, skip = ?, ignore_errors = true, store_rejects = true,"
        " rejects_table = 'cx_csv_errors', rejects_scan = 'cx_csv_scans', strict_mode = false,"
        " parallel = ?)"
    )
    params = [str(info.csv_path), info.delimiter, names, max(info.header_line - 1, 0)]
    try:
        try:
            con.execute(sql, [*params, True])
        except duckdb.Error as exc:
            # Short rows (null padding) and quoted newlines together need the serial reader.
            if "parallel" not in str(exc):
                raise
            for table in ("cx_raw_scan", "cx_csv_errors", "cx_csv_scans"):
                con.execute(f"DROP TABLE IF EXISTS {table}")
            con.execute(sql, [*params, False])
    except duckdb.Error as exc:
        problem = disk_problem(exc)
        if problem is not None:
            raise problem from exc
        raise _structure_problem(info) from exc
    con.execute("ALTER TABLE cx_raw_scan RENAME TO cx_raw")
    counts = ", ".join(f"count({n})" for n in names)  # the reader makes empty fields NULL
    filled = con.execute(f"SELECT {counts} FROM cx_raw").fetchall()[0]  # noqa: S608
    info.empty_columns = [i for i, k in enumerate(filled) if k == 0]


def _structure_problem(info: FileInfo) -> UnusableFile:
    """DuckDB's reader gave up on the file: find the record that breaks it, in one sentence."""
    start = info.header_line
    with open(info.csv_path, encoding="utf-8-sig", newline="") as fh:
        reader = csv.reader(fh, delimiter=info.delimiter, strict=True)
        try:
            for _row in reader:
                start = reader.line_num + 1
        except csv.Error:
            line = _source_line(info, start)
            return UnusableFile(
                f'Line {line} opens a quote (") that never closes, so the rest of the file'
                " cannot be read; fix that line or export the file again.",
                f'第 {line} 行有一个引号（"）没有闭合，之后的内容无法读取；'
                "请修正该行或重新导出文件。",
            )
    return UnusableFile(
        "The file's CSV structure cannot be read (quotes or delimiters do not line up);"
        " export it again.",
        "无法读取文件的 CSV 结构（引号或分隔符对不上）；请重新导出文件。",
    )


def _source_line(info: FileInfo, line: int) -> int:
    """A line of the CSV DuckDB reads as the source's line (an .xlsx: the sheet row)."""
    if info.sheet_rows is None:
        return line
    record = line - info.header_line - 1
    return info.sheet_rows[record] if 0 <= record < len(info.sheet_rows) else line


def _spellings(kind: str) -> dict[str, str]:
    """Accepted spellings (lower-case) -> key, for an enum column or 'bool'."""
    if kind == "bool":
        return {k: "true" if v else "false" for k, v in BOOL_SPELLINGS.items()}
    return spelling_map(kind)


def _validate_sql(info: FileInfo) -> str:
    """SELECT turning cx_raw into typed columns, ``_reason`` / ``_reason_zh`` and ``_ignore``."""
    # Each value is trimmed, parsed and looked up once in an inner query (v); the outer
    # query builds typed columns and the first failing check's reason from those.
    check_mapping(info.headers, info.mapping.columns)  # targets and indexes become SQL
    src = {col: f"r.c{i}" for i, col in info.mapping.columns.items()}
    numeric = {"nps"} | {c for c, *_ in NUMERIC_RULES}
    fmts = "[" + ", ".join(_lit(f) for f in TIMESTAMP_FORMATS) + "]"
    raw_cells = [f"r.c{i}" for i in range(len(info.headers))]
    inner = [
        "r.rowid AS _ord",
        "(" + " AND ".join(f"({c} IS NULL OR trim({c}) = '')" for c in raw_cells) + ") AS _blank",
        "r.c0 AS _first",
    ]
    for col, expr in src.items():
        inner.append(f"nullif(trim({expr}), '') AS v_{col}")
        if col in numeric:
            v = f"nullif(trim({expr}), '')"
            inner.append(
                f"coalesce(TRY_CAST({v} AS DOUBLE), TRY_CAST(rtrim({v}, '分 ') AS DOUBLE))"
                f" AS n_{col}"
            )
    if "comment" in src:
        inner.append(f"nullif({src['comment']}, '') AS _comment")  # kept untrimmed
    if "responded_at" in src:
        inner.append(f"try_strptime(nullif(trim({src['responded_at']}), ''), {fmts}) AS _ts")
    if "service_date" in src:
        inner.append(
            f"CAST(try_strptime(nullif(trim({src['service_date']}), ''), {fmts}) AS DATE) AS _sdate"
        )

    def raw(col: str) -> str:
        return f"v.v_{col}" if col in src else "CAST(NULL AS VARCHAR)"

    def txt(col: str) -> str:
        return raw(col)

    def num(col: str) -> str:
        return f"v.n_{col}" if col in src else "CAST(NULL AS DOUBLE)"

    ts = "v._ts" if "responded_at" in src else "CAST(NULL AS TIMESTAMP)"
    sdate = "v._sdate"
    select, checks = [], []

    def check(cond: str, en: str, zh: str) -> None:
        checks.append((cond, en, zh))

    for col in ("response_id", "store_id"):
        check(f"{txt(col)} IS NULL", _lit(f"{col} missing"), _lit(f"{LABELS_ZH[col]}为空"))
    v_nps = txt("nps")
    check(f"{v_nps} IS NULL", "'nps missing'", "'推荐分为空'")
    check(
        f"{num('nps')} IS NULL",
        f"'nps ''' || {v_nps} || ''' is not a number'",
        f"'推荐分“' || {v_nps} || '”不是数字'",
    )
    check(
        f"{num('nps')} <> floor({num('nps')})",
        f"'nps ' || {v_nps} || ' is not a whole number'",
        f"'推荐分 ' || {v_nps} || ' 不是整数'",
    )
    check(
        f"{num('nps')} NOT BETWEEN 0 AND 10",
        f"'nps ' || {v_nps} || ' is outside 0-10'",
        f"'推荐分 ' || {v_nps} || ' 超出 0-10'",
    )
    check(f"{txt('responded_at')} IS NULL", "'responded_at missing'", "'提交时间为空'")
    check(
        f"{ts} IS NULL",
        f"'responded_at ''' || {txt('responded_at')} || ''' is not a date'",
        f"'提交时间“' || {txt('responded_at')} || '”不是日期'",
    )
    first = config.date_window_start()
    last = datetime.now().replace(microsecond=0) + timedelta(days=config.date_window_ahead_days())
    window = f"{first:%Y-%m-%d} – {last:%Y-%m-%d %H:%M}"
    check(
        f"{ts} < {_lit(f'{first:%Y-%m-%d}')}::TIMESTAMP"
        f" OR {ts} > {_lit(f'{last:%Y-%m-%d %H:%M:%S}')}::TIMESTAMP",
        f"'responded_at ' || strftime({ts}, '%Y-%m-%d %H:%M') || ' is outside the plausible"
        f" window {window} (CX_DATE_FROM, CX_DATE_AHEAD_DAYS)'",
        f"'提交时间 ' || strftime({ts}, '%Y-%m-%d %H:%M') || ' 超出合理范围 {window}"
        f"（CX_DATE_FROM、CX_DATE_AHEAD_DAYS）'",
    )
    if "service_date" in src:
        check(
            f"{sdate} < {_lit(f'{first:%Y-%m-%d}')}::DATE",
            f"'service_date ' || {sdate} || ' is before {first:%Y-%m-%d} (CX_DATE_FROM)'",
            f"'服务日期 ' || {sdate} || ' 早于 {first:%Y-%m-%d}（CX_DATE_FROM）'",
        )
        check(
            f"{txt('service_date')} IS NOT NULL AND {sdate} IS NULL",
            f"'service_date ''' || {txt('service_date')} || ''' is not a date'",
            f"'服务日期“' || {txt('service_date')} || '”不是日期'",
        )
        check(
            f"{sdate} > CAST({ts} AS DATE)",
            f"'service_date ' || {sdate} || ' is after responded_at ' || CAST({ts} AS DATE)",
            f"'服务日期 ' || {sdate} || ' 晚于提交时间 ' || CAST({ts} AS DATE)",
        )
    for col, low, high, integer in NUMERIC_RULES:
        if col not in src:
            continue
        v, n = txt(col), num(col)
        check(
            f"{v} IS NOT NULL AND {n} IS NULL",
            f"'{col} ''' || {v} || ''' is not a number'",
            f"'{col}“' || {v} || '”不是数字'",
        )
        if integer:
            check(
                f"{n} <> floor({n})",
                f"'{col} ' || {v} || ' is not a whole number'",
                f"'{col} ' || {v} || ' 不是整数'",
            )
        rng = f"{low:g}-{high:g}" if high is not None else f">= {low:g}"
        cond = f"{n} < {low}" + (f" OR {n} > {high}" if high is not None else "")
        check(
            f"({cond})",
            f"'{col} ' || {v} || ' is outside {rng}'",
            f"'{col} ' || {v} || ' 超出 {rng}'",
        )
    if "duration_seconds" in src:
        v = txt("duration_seconds")
        inner.append(f"{_duration_sql(src['duration_seconds'])} AS n_duration_seconds")
        check(
            f"{v} IS NOT NULL AND v.n_duration_seconds IS NULL",
            f"'duration_seconds ''' || {v} || ''' is not a time in seconds"
            " (120, 120秒, 2分0秒, 0:02:00)'",
            f"'答题时长“' || {v} || '”不是以秒计的时间（120、120秒、2分0秒、0:02:00）'",
        )
        check(
            "v.n_duration_seconds > 2147483647",
            f"'duration_seconds ' || {v} || ' is too large'",
            f"'答题时长 ' || {v} || ' 过大'",
        )
    enum_cols = ["key_touchpoint", "pain_point", "channel", "service_type", "customer_tier"]
    for col in enum_cols + ["first_time_fix"]:
        if col not in src:
            continue
        kind = "bool" if col == "first_time_fix" else col
        # A MAP literal of this module's spellings: a lookup per row, no join.
        spellings = _spellings(kind)
        pairs = ", ".join(f"{_lit(k)}: {_lit(v)}" for k, v in spellings.items())
        inner.append(
            f"map_extract_value(MAP {{{pairs}}}, lower(nullif(trim({src[col]}), ''))) AS k_{col}"
        )
        if (col in STRICT_ENUMS and col not in TO_OTHER) or col == "first_time_fix":
            check(
                f"{txt(col)} IS NOT NULL AND v.k_{col} IS NULL",
                f"'{col} ''' || {txt(col)} || ''' is not a known value'",
                f"'{col}“' || {txt(col)} || '”不是可识别的取值'",
            )

    for col, typ in db.RESPONSE_COLUMNS.items():
        if col not in src:
            expr = f"CAST(NULL AS {typ})"
        elif col == "responded_at":
            expr = ts
        elif col == "service_date":
            expr = sdate
        elif col == "nps" or col in {c for c, *_ in NUMERIC_RULES}:
            expr = f"TRY_CAST({num(col)} AS {typ})"
        elif col == "first_time_fix":
            expr = f"CAST(v.k_{col} AS BOOLEAN)"
        elif col == "duration_seconds":
            expr = "TRY_CAST(round(v.n_duration_seconds) AS INTEGER)"
        elif col in TO_OTHER:
            expr = f"coalesce(v.k_{col}, CASE WHEN {txt(col)} IS NOT NULL THEN 'other' END)"
        elif col in enum_cols:
            expr = f"coalesce(v.k_{col}, {txt(col)})"
        elif col == "comment":
            expr = "v._comment"
        else:
            expr = txt(col)
        select.append(f"{expr} AS {col}")
    for col in db.STORE_COLUMNS:
        select.append(f"{txt(col)} AS {col}")
    reason = "CASE " + " ".join(f"WHEN {c} THEN {en}" for c, en, _ in checks) + " END"
    reason_zh = "CASE " + " ".join(f"WHEN {c} THEN {zh}" for c, _, zh in checks) + " END"
    blank = "v._blank"
    total_cells = ["v._first", raw("response_id"), raw("store_id")]
    totals = " OR ".join(
        f"lower(trim({c})) IN ({', '.join(_lit(w) for w in TOTAL_WORDS)})" for c in total_cells
    )
    inner_sql = f"SELECT {', '.join(inner)} FROM cx_raw r"  # noqa: S608
    return (
        f"SELECT v._ord, {', '.join(select)}, {reason} AS _reason, {reason_zh} AS _reason_zh,"  # noqa: S608 - identifiers from the contract, literals from this module
        f" (({blank}) OR coalesce({totals}, false)) AS _ignore"
        f" FROM ({inner_sql}) v"
    )


def _duration_sql(cell: str) -> str:
    """Seconds from '120', '120秒', '120 s', '2分30秒', '2分钟', '0:02:30' or '02:30' (else NULL)."""
    v = f"trim({cell})"
    sec = r"^([0-9]+(?:\.[0-9]+)?)\s*(?:秒|s|sec|secs|seconds)?$"
    mins = r"^([0-9]+)\s*(?:分钟|分)\s*(?:([0-9]+)\s*秒)?$"
    clock = r"^([0-9]+):([0-9]{1,2})(?::([0-9]{1,2}))?$"

    def grp(pattern: str, n: int) -> str:
        return f"TRY_CAST(nullif(regexp_extract({v}, {_lit(pattern)}, {n}), '') AS DOUBLE)"

    return (
        f"CASE WHEN regexp_matches({v}, {_lit(sec)}) THEN {grp(sec, 1)}"
        f" WHEN regexp_matches({v}, {_lit(mins)}) THEN {grp(mins, 1)} * 60"
        f" + coalesce({grp(mins, 2)}, 0)"
        f" WHEN regexp_matches({v}, {_lit(clock)}) THEN CASE WHEN {grp(clock, 3)} IS NULL"
        f" THEN {grp(clock, 1)} * 60 + {grp(clock, 2)}"
        f" ELSE {grp(clock, 1)} * 3600 + {grp(clock, 2)} * 60 + {grp(clock, 3)} END END"
    )


def _line_starts(path: Path) -> np.ndarray:
    """Byte offset of the start of every line (plus the end of the file), in chunks."""
    parts = [np.zeros(1, dtype=np.int64)]
    offset = 0
    with path.open("rb") as fh:
        while chunk := fh.read(CHUNK * 16):
            hits = np.flatnonzero(np.frombuffer(chunk, dtype=np.uint8) == 10)
            parts.append(hits.astype(np.int64) + offset + 1)
            offset += len(chunk)
    starts = np.concatenate(parts)
    if starts[-1] != offset:
        starts = np.append(starts, offset)
    return starts


def _line_map_fast(
    info: FileInfo, ords: list[int], records: int
) -> dict[int, tuple[int, str]] | None:
    """Like :func:`_line_map` in numpy, when every record is one line (else None)."""
    starts = _line_starts(info.csv_path)
    lengths = np.diff(starts)  # bytes per line including its newline
    with info.csv_path.open("rb") as fh:
        data = mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ) if lengths.size else b""
        try:
            ends = starts[1:]
            content = lengths.copy()
            nl = np.array([data[e - 1] == 10 for e in ends[-1:]], dtype=bool)
            content[:-1] -= 1
            if nl.size and nl[0]:
                content[-1] -= 1
            # a lone CR before the newline does not make a line non-blank
            cr_pos = starts[:-1] + np.maximum(content - 1, 0)
            has_cr = np.frombuffer(data, dtype=np.uint8)[cr_pos] == 13 if len(data) else cr_pos
            content = content - (has_cr & (content > 0))
            nonblank = np.flatnonzero(content > 0)
            header_at = np.searchsorted(nonblank, info.header_line - 1)
            data_lines = nonblank[header_at + 1 :]
            if data_lines.size != records:
                return None
            out = {}
            for o in ords:
                line = int(data_lines[o])
                raw = data[starts[line] : starts[line] + content[line]]
                out[o] = (line + 1, bytes(raw).decode("utf-8", errors="replace"))
            return out
        finally:
            if isinstance(data, mmap.mmap):
                data.close()


def _line_map(info: FileInfo, ords: list[int]) -> dict[int, tuple[int, str]]:
    """Source line number and raw text of the data records at the given ordinals."""
    wanted = set(ords)
    if not wanted:
        return {}
    out: dict[int, tuple[int, str]] = {}
    last = max(wanted)
    consumed: list[str] = []
    line_no = 0

    def lines():
        nonlocal line_no
        with open(info.csv_path, encoding="utf-8-sig", newline="") as fh:
            for line in fh:
                line_no += 1
                consumed.append(line)
                yield line

    reader = csv.reader(lines(), delimiter=info.delimiter)
    record = -2  # the first non-empty record is the header
    for row in reader:
        start = line_no - len(consumed) + 1
        text = "".join(consumed).rstrip("\r\n")
        consumed.clear()
        if not row:
            continue
        record += 1
        if record < 0:
            continue
        if record in wanted:
            number = start
            if info.sheet_rows is not None and record < len(info.sheet_rows):
                number = info.sheet_rows[record]
            out[record] = (number, text)
        if record >= last:
            break
    return out


def prepare(
    con: duckdb.DuckDBPyConnection,
    info: FileInfo,
    progress: Progress | None = None,
    preview_rows: int = 20,
) -> Result:
    """Parse and validate into temp tables and count what a commit would do (no writes)."""
    tell = progress or (lambda _f, _m: None)
    missing = info.mapping.missing_required
    if missing:
        if "nps" in missing:
            raise UnusableFile(
                "No nps column: no header is 'nps', '推荐分' or a question containing"
                " 推荐/recommend.",
                "没有推荐分列：没有表头是 nps、推荐分，或含“推荐/recommend”的问题。",
            )
        raise UnusableFile(
            f"Required column {missing[0]} not found in the header row.",
            f"表头中找不到必需的列 {missing[0]}（{LABELS_ZH.get(missing[0], missing[0])}）。",
        )
    tell(0.1, "parse")
    _parse(con, info)
    tell(0.4, "validate")
    con.execute("DROP TABLE IF EXISTS cx_typed")
    con.execute(f"CREATE TEMP TABLE cx_typed AS {_validate_sql(info)}")
    malformed = con.execute(
        "SELECT line, csv_line, error_message FROM cx_csv_errors ORDER BY line"
    ).fetchall()
    con.execute("DROP TABLE IF EXISTS cx_csv_errors")
    con.execute("DROP TABLE IF EXISTS cx_csv_scans")
    tell(0.6, "compare")
    for kind in ("VIEW", "TABLE"):
        exists = con.execute(
            f"SELECT count(*) FROM duckdb_{kind.lower()}s() WHERE {kind.lower()}_name = 'cx_new'"  # noqa: S608
        ).fetchall()[0][0]
        if exists:
            con.execute(f"DROP {kind} cx_new")
    repeats = con.execute(
        "SELECT count(*) - count(DISTINCT response_id) FROM cx_typed"
        " WHERE NOT _ignore AND _reason IS NULL"
    ).fetchall()[0][0]
    if repeats:  # the last row of a repeated response_id wins
        con.execute(
            "CREATE TEMP TABLE cx_new AS SELECT * EXCLUDE (_keep) FROM (SELECT *,"
            " row_number() OVER (PARTITION BY response_id ORDER BY _ord DESC) = 1 AS _keep"
            " FROM cx_typed WHERE NOT _ignore AND _reason IS NULL) WHERE _keep"
        )
    else:  # the common case: no copy needed
        con.execute(
            "CREATE TEMP VIEW cx_new AS SELECT * FROM cx_typed"
            " WHERE NOT _ignore AND _reason IS NULL"
        )
    same = " AND ".join(f"n.{c} IS NOT DISTINCT FROM o.{c}" for c in db.RESPONSE_COLUMNS)
    con.execute("DROP TABLE IF EXISTS cx_status")
    con.execute(
        "CREATE TEMP TABLE cx_status AS SELECT n.response_id, CASE WHEN o.response_id IS NULL"  # noqa: S608
        f" THEN 'add' WHEN {same} THEN 'same' ELSE 'replace' END AS status"
        " FROM cx_new n LEFT JOIN responses o USING (response_id)"
    )
    counts = con.execute(
        "SELECT (SELECT count(*) FROM cx_typed),"
        " (SELECT count(*) FROM cx_typed WHERE _ignore),"
        " (SELECT count(*) FROM cx_typed WHERE NOT _ignore AND _reason IS NOT NULL),"
        " (SELECT count(*) FROM cx_typed WHERE NOT _ignore AND _reason IS NULL),"
        " (SELECT count(*) FROM cx_new),"
        " (SELECT count(*) FILTER (WHERE status = 'add') FROM cx_status),"
        " (SELECT count(*) FILTER (WHERE status = 'replace') FROM cx_status),"
        " (SELECT count(*) FILTER (WHERE status = 'same') FROM cx_status)"
    ).fetchall()[0]
    total, ignored, rejected, valid, kept, added, replaced, same_n = counts
    tell(0.7, "explain")
    rej = con.execute(
        "SELECT _ord, _reason, _reason_zh FROM cx_typed"
        " WHERE NOT _ignore AND _reason IS NOT NULL ORDER BY _ord"
    ).fetchall()
    ords = [r[0] for r in rej]
    where = None
    if ords and info.sheet_rows is None and not malformed:
        where = _line_map_fast(info, ords, total)
    if where is None:
        where = _line_map(info, ords)
    records = [
        (where.get(o, (None, ""))[0], where.get(o, (None, ""))[1], en, zh) for o, en, zh in rej
    ]
    records += [
        (line, text, f"malformed row: {msg.splitlines()[0][:120]}", "行格式错误（引号或列数不对）")
        for line, text, msg in malformed
    ]
    rejects = pd.DataFrame(records, columns=["line_no", "raw_line", "reason", "reason_zh"])
    show = [c for c in db.RESPONSE_COLUMNS if c in info.mapping.columns.values()]
    preview = con.execute(
        f"SELECT {', '.join(show)} FROM cx_new ORDER BY _ord LIMIT ?",  # noqa: S608
        [preview_rows],
    ).df()
    return Result(
        file_name=info.file_name,
        rows_read=total - ignored + len(malformed),
        added=added,
        replaced=replaced,
        unchanged=same_n,
        rejected=rejected + len(malformed),
        ignored=ignored,
        collapsed=valid - kept,
        rejects=rejects,
        preview=preview,
        info=info,
    )


def _find_duplicate(con: duckdb.DuckDBPyConnection, content_hash: str) -> int | None:
    row = con.execute(
        "SELECT max(upload_id) FROM uploads WHERE content_hash = ? AND status = 'committed'",
        [content_hash],
    ).fetchall()[0]
    return row[0]


def commit(
    con: duckdb.DuckDBPyConnection,
    result: Result,
    source: str = "app",
    user: str | None = None,
    progress: Progress | None = None,
) -> Result:
    """Write what :func:`prepare` staged, in one transaction."""
    tell = progress or (lambda _f, _m: None)
    info = result.info
    assert info is not None
    user = user or config.current_user()
    cols = list(db.RESPONSE_COLUMNS)
    col_list = ", ".join(cols)
    tell(0.75, "write")
    with db.transaction(con):
        upload_id = con.execute("SELECT nextval('upload_seq')").fetchall()[0][0]
        con.execute(
            "CREATE OR REPLACE TEMP TABLE cx_touched AS"
            " SELECT DISTINCT store_id, CAST(responded_at AS DATE) AS day FROM ("
            " SELECT n.store_id, n.responded_at FROM cx_new n JOIN cx_status s USING (response_id)"
            " WHERE s.status <> 'same'"
            " UNION ALL SELECT o.store_id, o.responded_at FROM responses o"
            " JOIN cx_status s USING (response_id) WHERE s.status = 'replace')"
        )
        con.execute(
            f"INSERT INTO upload_backup (backup_of, {col_list}, upload_id)"  # noqa: S608
            f" SELECT ?, {', '.join('o.' + c for c in cols)}, o.upload_id FROM responses o"
            " JOIN cx_status s USING (response_id) WHERE s.status = 'replace'",
            [upload_id],
        )
        con.execute(
            "DELETE FROM responses WHERE response_id IN"
            " (SELECT response_id FROM cx_status WHERE status = 'replace')"
        )
        con.execute(
            f"INSERT INTO responses ({col_list}, upload_id)"  # noqa: S608
            f" SELECT {', '.join('n.' + c for c in cols)}, ? FROM cx_new n"
            " JOIN cx_status s USING (response_id) WHERE s.status <> 'same'",
            [upload_id],
        )
        _upsert_stores(con, upload_id)
        if not result.rejects.empty:
            rej = result.rejects.assign(upload_id=upload_id)
            con.register("cx_rej_df", rej)
            con.execute(  # a reject an upload in effect already keeps is not kept twice
                "INSERT INTO rejects SELECT d.upload_id, d.line_no, d.raw_line, d.reason,"
                " d.reason_zh FROM cx_rej_df d WHERE NOT EXISTS (SELECT 1 FROM rejects r"
                " JOIN uploads u USING (upload_id) WHERE u.status = 'committed'"
                " AND r.raw_line IS NOT DISTINCT FROM d.raw_line AND r.reason = d.reason)"
            )
            con.unregister("cx_rej_df")
        con.execute(
            "INSERT INTO uploads (upload_id, file_name, content_hash, uploaded_at, rows_read,"
            " added, replaced, unchanged, rejected, ignored, collapsed, status, encoding,"
            " delimiter, mapping, source, uploaded_by)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'committed', ?, ?, ?, ?, ?)",
            [
                upload_id,
                info.file_name,
                info.content_hash,
                _now(),
                result.rows_read,
                result.added,
                result.replaced,
                result.unchanged,
                result.rejected,
                result.ignored,
                result.collapsed,
                info.encoding,
                info.delimiter,
                json.dumps(info.mapping.as_pairs(), ensure_ascii=False),
                source,
                user,
            ],
        )
        tell(0.9, "rollups")
        db.refresh_rollups(con, "cx_touched")
        db.bump_data_version(con)
    result.upload_id = upload_id
    result.committed = True
    tell(1.0, "done")
    return result


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
) -> Result:
    """Inspect, prepare and (unless ``dry_run``) commit one file; raises UnusableFile.

    ``user`` is recorded as who uploaded (the signed-in person; see ``cx.access.upload``).
    ``info`` is a file :func:`inspect` already read (the Upload page keeps it across
    reruns); then ``source`` is not read again and the caller cleans ``info`` up.
    A full disk, a read-only or damaged database end in a :class:`cx.db.Problem`.
    """
    target = config.db_path(db_path)
    try:
        with db.connect(target, on_wait=on_wait) as con:
            own = info is None
            if own:
                info = inspect(source, file_name, saved=mapping, con=con)
            elif mapping is not None:
                info = dataclasses.replace(info, mapping=map_headers(info.headers, mapping))
            try:
                return _ingest(con, info, dry_run, source_kind, progress, user)
            finally:
                if own:
                    info.cleanup()
    except (duckdb.Error, OSError) as exc:
        problem = db.explain(exc, target)
        if problem is None:
            raise
        raise problem from exc


def _ingest(
    con: duckdb.DuckDBPyConnection,
    info: FileInfo,
    dry_run: bool,
    source_kind: str,
    progress: Progress | None,
    user: str | None,
) -> Result:
    dup = _find_duplicate(con, info.content_hash)
    if dup is not None:
        return Result(file_name=info.file_name, duplicate_of=dup, info=info)
    result = prepare(con, info, progress)
    if result.rows_read == 0:
        raise UnusableFile(
            "The file has a header but no answer rows.", "文件只有表头，没有答卷行。"
        )
    if dry_run:
        return result
    if result.added == 0 and result.replaced == 0 and not _new_rejects(con, result.rejects):
        return result  # every row already there as it is, every reject already kept
    return commit(con, result, source=source_kind, progress=progress, user=user)


def _new_rejects(con: duckdb.DuckDBPyConnection, rejects: pd.DataFrame) -> int:
    """How many of ``rejects`` an upload still in effect has not kept already (same raw
    line, same reason: the same rows again, in another encoding or file, store nothing)."""
    if rejects.empty:
        return 0
    con.register("cx_rej_check", rejects[["raw_line", "reason"]])
    try:
        return con.execute(
            "SELECT count(*) FROM cx_rej_check d WHERE NOT EXISTS (SELECT 1 FROM rejects r"
            " JOIN uploads u USING (upload_id) WHERE u.status = 'committed'"
            " AND r.raw_line IS NOT DISTINCT FROM d.raw_line AND r.reason = d.reason)"
        ).fetchall()[0][0]
    finally:
        con.unregister("cx_rej_check")


# --------------------------------------------------------------------------- undo


REBUILD_FROM = 20_000  # rows: from here on, rebuilding the table beats deleting rows


def remove_upload_rows(con: duckdb.DuckDBPyConnection, upload_id: int) -> int:
    """Delete the rows of ``upload_id`` from ``responses`` (inside the caller's transaction).

    DuckDB commits a large DELETE from a table with a primary key slowly (each row leaves
    the key index one by one: 300,000 rows held the write lock for 42 s). When the upload
    is large and at least a fifteenth of the table, the table is rebuilt without its rows
    instead: the kept rows go into a fresh table whose key index is built in bulk (2.6 s
    for 300,000 kept rows), with the same columns in the same order.
    """
    removed, total = con.execute(
        "SELECT count(*) FILTER (WHERE upload_id = ?), count(*) FROM responses", [upload_id]
    ).fetchall()[0]
    if removed < REBUILD_FROM or removed * 15 < total:
        con.execute("DELETE FROM responses WHERE upload_id = ?", [upload_id]).fetchall()
        return removed
    columns = con.execute(
        "SELECT column_name, data_type FROM information_schema.columns"
        " WHERE table_name = 'responses' AND table_catalog = current_database()"
        " ORDER BY ordinal_position"
    ).fetchall()
    names = ", ".join(_q(c) for c, _ in columns)
    ddl = ", ".join(
        f"{_q(c)} {typ}{' PRIMARY KEY' if c == 'response_id' else ''}" for c, typ in columns
    )
    con.execute(
        "CREATE OR REPLACE TEMP TABLE cx_keep AS SELECT * FROM responses"
        " WHERE upload_id IS DISTINCT FROM ?",
        [upload_id],
    )
    con.execute("DROP TABLE responses")
    con.execute(f"CREATE TABLE responses ({ddl})")  # identifiers: the table's own columns
    con.execute(
        f"INSERT INTO responses ({names}) SELECT {names} FROM cx_keep ORDER BY responded_at"  # noqa: S608 - the table's own columns
    )
    con.execute("DROP TABLE cx_keep")
    return removed


def undo(con: duckdb.DuckDBPyConnection, upload_id: int, user: str | None = None) -> dict[str, int]:
    """Restore exactly the state before ``upload_id``: its rows out, the rows it replaced back."""
    rows = con.execute("SELECT status FROM uploads WHERE upload_id = ?", [upload_id]).fetchall()
    if not rows:
        raise UndoRefused(f"There is no upload #{upload_id}.", f"没有编号为 #{upload_id} 的上传。")
    if rows[0][0] != "committed":
        raise UndoRefused(
            f"Upload #{upload_id} was already undone.", f"上传 #{upload_id} 已经撤销过了。"
        )
    later = con.execute(
        "SELECT min(backup_of), count(*) FROM upload_backup b JOIN uploads u"
        " ON u.upload_id = b.backup_of WHERE b.upload_id = ? AND u.status = 'committed'",
        [upload_id],
    ).fetchall()[0]
    if later[1]:
        raise UndoRefused(
            f"Upload #{later[0]} later changed {later[1]} rows of upload #{upload_id};"
            f" undo #{later[0]} first.",
            f"上传 #{later[0]} 之后修改了上传 #{upload_id} 的 {later[1]} 行，请先撤销 #{later[0]}。",
        )
    cols = ", ".join(db.RESPONSE_COLUMNS)
    with db.transaction(con):
        con.execute(
            "CREATE OR REPLACE TEMP TABLE cx_touched AS SELECT DISTINCT store_id,"
            " CAST(responded_at AS DATE) AS day FROM (SELECT store_id, responded_at"
            " FROM responses WHERE upload_id = ? UNION ALL SELECT store_id, responded_at"
            " FROM upload_backup WHERE backup_of = ?)",
            [upload_id, upload_id],
        )
        removed = remove_upload_rows(con, upload_id)
        restored = con.execute(
            f"INSERT INTO responses ({cols}, upload_id) SELECT {cols}, upload_id"  # noqa: S608
            " FROM upload_backup WHERE backup_of = ?",
            [upload_id],
        ).fetchall()[0][0]
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
            [_now(), user or config.current_user(), upload_id],
        )
        db.refresh_rollups(con, "cx_touched")
        db.bump_data_version(con)
    return {"removed": removed, "restored": restored}
