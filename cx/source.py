"""An uploaded export as UTF-8 CSV text DuckDB can read: the decode step of an ingest.

:func:`inspect` saves uploaded bytes into this process's temp folder, decides the
encoding from every line (:mod:`cx.decode`; GB18030 and UTF-16 are transcoded to a
UTF-8 copy, streaming), turns an Excel workbook's first sheet into CSV (:mod:`cx.xlsx`),
reads the header row and maps it to the contract's columns (:mod:`cx.headers`). No
database is needed: a saved mapping is looked up by the caller when it has a connection.

:func:`parse` reads the whole file as text into temp table ``cx_raw`` of a DuckDB
connection (any connection: :mod:`cx.ingest` uses a private in-memory one, so the
database file is not held while a big export is read); :func:`line_map` finds the
source line number and raw text of records (for the rejects).
"""

from __future__ import annotations

import contextlib
import csv
import hashlib
import io
import mmap
import os
import re
import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import numpy as np

from cx import config, db, decode, xlsx
from cx.headers import Mapping, UnusableFile, map_headers, signature

CHUNK = 1 << 20
TEMP_MAX_AGE = 12 * 3600  # seconds: a session's upload files older than this are removed


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
    title_lines: int = 0  # non-blank lines above the header row (a title, a group row)
    sheets: tuple[str, ...] = ()  # xlsx: the workbook's sheets, the first one read
    _temp: Path | None = None
    _source_temp: Path | None = None  # uploaded bytes, when DuckDB reads a converted copy

    def cleanup(self) -> None:
        """Remove the temp files made for this file (the uploaded bytes, a UTF-8 copy)."""
        for temp in (self._temp, self._source_temp):
            if temp is not None:
                temp.unlink(missing_ok=True)


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
        if db.pid_alive(pid):
            continue
        shutil.rmtree(folder, ignore_errors=True)
        removed += 1
    return removed


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


HEADER_SCAN = 10  # non-blank lines looked at for the header row


def _header_row(text: str) -> tuple[str, int, str, int]:
    """(delimiter, 1-based header line, its text, non-blank lines above it) from the start
    of a UTF-8 file.

    The header is the first non-blank line that fills about as many cells as the fullest
    of the first :data:`HEADER_SCAN` (at least 60 % of them, and two): a survey tool's
    export often starts with a title line ("2025年10月满意度调查") or a merged group row
    ("基本信息,,,评分,,") above it, which had been read as the only header (one column,
    matched to csat by its 满意度, and nothing to map by hand).
    """
    seen: list[tuple[int, str, str, int]] = []
    for i, line in enumerate(text.splitlines()):
        if not line.strip().strip(",;\t|").strip():
            continue
        delimiter = _sniff_delimiter(line)
        # cells as the delimiter splits them, quotes or not: a header with a quote never
        # closed stays the header (and is refused for it, with its line)
        cells = line.split(delimiter)
        seen.append((i, line, delimiter, sum(1 for c in cells if c.strip(' "'))))
        if len(seen) == HEADER_SCAN:
            break
    if not seen:
        return ",", 0, "", 0
    most = max(filled for *_, filled in seen)
    k = next(k for k, r in enumerate(seen) if r[3] >= min(most, max(2, 0.6 * most)))
    i, line, delimiter, _ = seen[k]
    return delimiter, i + 1, line, k


OLD_EXCEL = bytes.fromhex("D0CF11E0A1B11AE1")  # an OLE2 compound file: Excel 97-2003 (.xls)
HTML_STARTS = (b"<!doctype html", b"<html", b"<table", b"<?xml")


def _refuse_other_formats(head: bytes) -> None:
    """An old Excel workbook (.xls) and a web page saved as "Excel" (some survey tools
    export an HTML table named .xls) are said as what they are, with what to do: they had
    been refused as binary data, or read as a CSV of markup."""
    if head.startswith(OLD_EXCEL):
        raise UnusableFile(
            "The file is an old Excel workbook (.xls); save it in Excel as .xlsx or as CSV"
            " (UTF-8) and upload that.",
            "文件是旧版 Excel 工作簿（.xls）；请在 Excel 中另存为 .xlsx 或 CSV（UTF-8）后再上传。",
        )
    start = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if start.startswith(HTML_STARTS):
        raise UnusableFile(
            "The file is a web page (HTML or XML), as some survey tools save an Excel export;"
            " open it in Excel, save it as .xlsx or as CSV (UTF-8) and upload that.",
            "文件是网页（HTML 或 XML），一些问卷工具导出的 Excel 就是网页；请用 Excel 打开，"
            "另存为 .xlsx 或 CSV（UTF-8）后再上传。",
        )


def _empty() -> UnusableFile:
    """An empty file, with what to do (it said only that the file was empty)."""
    return UnusableFile(
        "The file is empty; export it again from the survey tool with the answers, as CSV or XLSX.",
        "文件是空的；请从问卷系统重新导出含答卷的文件（CSV 或 XLSX）。",
    )


def _is_zip(path: Path) -> bool:
    with path.open("rb") as fh:
        return fh.read(4) == b"PK\x03\x04"


def inspect(
    source: str | os.PathLike[str] | bytes,
    file_name: str | None = None,
    saved: dict[int, str] | None = None,
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
        if path.is_dir():  # it read "File not found" of a folder that is there
            raise UnusableFile(
                f"{path} is a folder: name the export files in it (e.g. {path}/*.csv).",
                f"{path} 是文件夹：请写出其中的导出文件（例如 {path}/*.csv）。",
            )
        if not path.is_file():
            raise UnusableFile(f"File not found: {path}", f"找不到文件：{path}")
    try:
        info = _inspect_path(path, file_name, saved)
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
        raise _empty()
    _refuse_other_formats(head)
    sheet_rows = None
    sheets: tuple[str, ...] = ()
    temp: Path | None = None
    try:
        if _is_zip(path):
            kind = encoding = "xlsx"
            content_hash = _hash(path)
            csv_path, sheet_rows, sheets = xlsx.to_csv(path, temp_folder())
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
        info = _read_header(
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
        )
        info.sheets = sheets
        return info
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
) -> FileInfo:
    text = _read_head(csv_path)
    if text.startswith("\ufeff"):
        text = text[1:]
    if _looks_binary(text):
        said = decode.binary()
        raise UnusableFile(str(said), said.message_zh)
    delimiter, header_line, first, title_lines = _header_row(text)
    if not header_line:
        raise _empty()
    headers = _header_cells(text[text.find(first) :], delimiter, header_line)
    sig = signature(headers)
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
        title_lines=title_lines,
        # the sheet row of each data record: those of the lines below the header
        sheet_rows=None if sheet_rows is None else sheet_rows[header_line:],
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
        # newline=None: a file from an old Mac ends its lines with a lone CR, which csv
        # read as a newline inside the header cell ("a quote that never closes")
        reader = csv.reader(io.StringIO(text, newline=None), delimiter=delimiter, strict=True)
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


# --------------------------------------------------------------------------- parsing


def parse(con: duckdb.DuckDBPyConnection, info: FileInfo) -> None:
    """Read the whole file as text into temp table ``cx_raw`` (with ``_ord`` in file order)."""
    names = [f"c{i}" for i in range(len(info.headers))]

    def again() -> None:
        for table in ("cx_raw_scan", "cx_csv_errors", "cx_csv_scans"):
            con.execute(f"DROP TABLE IF EXISTS {table}")

    con.execute("DROP TABLE IF EXISTS cx_raw")
    again()
    sql = (
        "CREATE TEMP TABLE cx_raw_scan AS SELECT * FROM read_csv(?, header = true,"
        " all_varchar = true, delim = ?, quote = '\"', escape = '\"', names = ?,"
        " null_padding = ?, skip = ?, ignore_errors = true, store_rejects = true,"
        " rejects_table = 'cx_csv_errors', rejects_scan = 'cx_csv_scans', strict_mode = false,"
        " parallel = ?{longer})"
    )
    params = [str(info.csv_path), info.delimiter, names]
    skip = max(info.header_line - 1, 0)
    sql, longer = sql.format(longer=""), sql.format(longer=f", max_line_size = {decode.MAX_LINE}")
    try:
        # A file whose every row has its cells: the parallel reader without null padding
        # (a million rows with quoted newlines in comments: 2.0 s, the serial reader 2.9-3.4
        # s). A row it cannot read as it is (a short one, a broken quote) sends the whole
        # file to the readers below, so such rows come out exactly as they always did.
        with contextlib.suppress(duckdb.Error):
            con.execute(sql, [*params, False, skip, True])
            if not con.execute("SELECT count(*) FROM cx_csv_errors").fetchall()[0][0]:
                return _parsed(con, info, names)
        again()
        try:
            con.execute(sql, [*params, True, skip, True])
        except duckdb.Error as exc:
            # Short rows (null padding) and quoted newlines together need the serial reader.
            if "parallel" not in str(exc):
                raise
            again()
            con.execute(sql, [*params, True, skip, False])
    except duckdb.Error as exc:
        problem = disk_problem(exc)
        if problem is not None:
            raise problem from exc
        try:  # a line over the reader's 2 MB (a pasted log in a comment): read as long
            again()  # as the scan allows; only then, since it slows every read by a third
            con.execute(longer, [*params, True, skip, False])
        except duckdb.Error:
            raise _structure_problem(info) from exc
    _parsed(con, info, names)


def _parsed(con: duckdb.DuckDBPyConnection, info: FileInfo, names: list[str]) -> None:
    """``cx_raw_scan`` becomes ``cx_raw``; the columns with no value at all are noted."""
    con.execute("ALTER TABLE cx_raw_scan RENAME TO cx_raw")
    counts = ", ".join(f"count({n})" for n in names)  # the reader makes empty fields NULL
    filled = con.execute(f"SELECT {counts} FROM cx_raw").fetchall()[0]  # noqa: S608
    info.empty_columns = [i for i, k in enumerate(filled) if k == 0]


def _structure_problem(info: FileInfo) -> UnusableFile:
    """DuckDB's reader gave up on the file: find the record that breaks it, in one sentence."""
    start = info.header_line
    csv.field_size_limit(decode.MAX_LINE)  # a long field is not a broken quote
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
    record = -1  # the records after the header line are the data's
    for row in reader:
        start = line_no - len(consumed) + 1
        text = "".join(consumed).rstrip("\r\n")
        consumed.clear()
        # the header, and a title or group row above it (those had been counted as data,
        # so every reject named the record before its own)
        if not row or start <= info.header_line:
            continue
        record += 1
        if record in wanted:
            number = start
            if info.sheet_rows is not None and record < len(info.sheet_rows):
                number = info.sheet_rows[record]
            out[record] = (number, text)
        if record >= last:
            break
    return out


def line_map(
    info: FileInfo, ords: list[int], records: int, malformed: bool
) -> dict[int, tuple[int, str]]:
    """Source line number and raw text of the records at ``ords`` (of ``records`` read).

    When every record is one line (no malformed rows, not a sheet), numpy finds them in
    one pass over the bytes; otherwise the CSV is read record by record.
    """
    where = None
    if ords and info.sheet_rows is None and not malformed:
        where = _line_map_fast(info, ords, records)
    if where is None:
        where = _line_map(info, ords)
    return where
