"""Excel (.xlsx): the first sheet's values as UTF-8 CSV, with limits checked before reading.

The Upload page and the command line both come here (``cx.ingest``). Before openpyxl
reads anything, the zip's own directory is checked: the decompressed size of every
part (and of all together) and the compression ratio — a 2.9 MB zip bomb is refused
without inflating a byte. After the workbook opens (read-only, streaming), the
first sheet's declared dimension is checked against the column limit, and then the
dimension is ignored, so a sheet that claims ``A1:XFD1048576`` neither pads every
row to 16,384 cells nor invents a million empty rows.

openpyxl gets an open file, never a path: it refuses paths whose name does not end
in ``.xlsx`` (the Upload page's temp file did, so every upload was refused).
"""

from __future__ import annotations

import csv
import os
import posixpath
import re
import zipfile
from datetime import date, datetime, time
from pathlib import Path
from xml.etree import ElementTree

from cx import config


class XlsxRefused(ValueError):
    """The workbook cannot be used; ``str()`` is one line, ``message_zh`` the Chinese."""

    def __init__(self, message: str, message_zh: str) -> None:
        super().__init__(message)
        self.message_zh = message_zh


MAX_RATIO = 100  # decompressed / compressed for a part larger than RATIO_FLOOR
RATIO_FLOOR = 1 << 20


def check_archive(path: Path) -> None:
    """Refuse a zip whose parts would inflate beyond the limits (reads only the directory)."""
    limit = config.xlsx_max_unzipped_mb() << 20
    try:
        with zipfile.ZipFile(path) as zf:
            parts = zf.infolist()
    except (zipfile.BadZipFile, OSError) as exc:
        raise XlsxRefused(
            "The Excel file is damaged (its zip structure cannot be read); save it again.",
            "Excel 文件已损坏（无法读取其压缩结构），请重新保存。",
        ) from exc
    names = {p.filename for p in parts}
    if "xl/workbook.xml" not in names:
        raise XlsxRefused(
            "The file is a zip archive but not an Excel workbook (.xlsx).",
            "文件是压缩包，但不是 Excel 工作簿（.xlsx）。",
        )
    total = sum(p.file_size for p in parts)
    for p in parts:
        if p.file_size > RATIO_FLOOR and p.file_size > MAX_RATIO * max(p.compress_size, 1):
            raise XlsxRefused(
                f"The Excel file inflates {p.file_size // max(p.compress_size, 1)}-fold"
                f" ({p.filename}); it looks like a zip bomb and is not read.",
                f"Excel 文件解压后膨胀 {p.file_size // max(p.compress_size, 1)} 倍"
                f"（{p.filename}），疑似压缩炸弹，不予读取。",
            )
    if total > limit:
        raise XlsxRefused(
            f"The Excel file would take {total >> 20} MB unpacked; the limit is"
            f" {limit >> 20} MB (CX_XLSX_MAX_MB). Export it as CSV instead.",
            f"Excel 文件解压后为 {total >> 20} MB，超过上限 {limit >> 20} MB"
            "（CX_XLSX_MAX_MB）。请改为导出 CSV。",
        )


FORMULA_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?f[\s/>]")  # <f>, <f t=…>, <x:f>
CHUNK = 1 << 20
CELL_REF = re.compile(r"[A-Z]{1,3}[1-9][0-9]{0,6}")


def check_formulas(path: Path) -> None:
    """Refuse a first sheet with formula cells that have no saved value (read as empty).

    A byte scan of the sheet's part, chunk by chunk, looks for any formula element; only
    a sheet that has one is parsed (streaming) to count the cells without a value. A
    workbook whose structure cannot be followed is left to openpyxl to refuse."""
    try:
        with zipfile.ZipFile(path) as zf:
            part = _first_sheet_part(zf)
            if part is None or not _has_formula(zf, part):
                return
            with zf.open(part) as fh:
                missing, first = _formulas_without_values(fh)
    except (zipfile.BadZipFile, ElementTree.ParseError, KeyError, ValueError, OSError, EOFError):
        return  # damaged: the read that follows says so
    if not missing:
        return
    if missing == 1:
        raise XlsxRefused(
            f"1 cell of the first sheet holds a formula without a saved value ({first}),"
            " so it would read as empty; open the file in Excel or WPS, save it, and upload"
            " it again (or export CSV).",
            f"第一张工作表有 1 个公式单元格没有保存计算结果（{first}），会被读成空值；"
            "请在 Excel 或 WPS 中打开并保存后重新上传，或导出 CSV。",
        )
    raise XlsxRefused(
        f"{missing} cells of the first sheet hold formulas without saved values (the first"
        f" is {first}), so they would read as empty; open the file in Excel or WPS, save"
        " it, and upload it again (or export CSV).",
        f"第一张工作表有 {missing} 个公式单元格没有保存计算结果（第一个是 {first}），"
        "会被读成空值；请在 Excel 或 WPS 中打开并保存后重新上传，或导出 CSV。",
    )


def _local(tag: str) -> str:
    return tag.rpartition("}")[2]


def _first_sheet_part(zf: zipfile.ZipFile) -> str | None:
    """The zip member of the sheet openpyxl reads first: the first ``<sheet>`` of
    xl/workbook.xml whose relationship is a worksheet present in the archive."""
    ids: list[str] = []
    with zf.open("xl/workbook.xml") as fh:
        for _event, elem in ElementTree.iterparse(fh):
            if _local(elem.tag) == "sheet":
                ids += [v for k, v in elem.attrib.items() if _local(k) == "id"][:1]
            elif _local(elem.tag) == "sheets":
                break
    targets: dict[str, tuple[str, str]] = {}
    with zf.open("xl/_rels/workbook.xml.rels") as fh:
        for _event, elem in ElementTree.iterparse(fh):
            if _local(elem.tag) == "Relationship" and elem.get("TargetMode") != "External":
                targets[elem.get("Id", "")] = (elem.get("Type", ""), elem.get("Target", ""))
            elem.clear()
    names = set(zf.namelist())
    for rid in ids:
        kind, target = targets.get(rid, ("", ""))
        if target.startswith("/"):
            target = target[1:]
        else:
            target = posixpath.normpath(posixpath.join("xl", target))
        if target in names and "chartsheet" not in kind:
            return target
    return None


def _has_formula(zf: zipfile.ZipFile, part: str) -> bool:
    """Whether the part holds a formula element, read in chunks (a tail carried over, for
    a tag across two). The regular expression runs only on a chunk that has ``<f`` or
    ``:f`` at all: two plain byte searches, at about the speed of the inflating."""
    tail = b""
    with zf.open(part) as fh:
        while chunk := fh.read(CHUNK):
            if FORMULA_TAG.search(tail + chunk[:256]):
                return True
            if (b"<f" in chunk or b":f" in chunk) and FORMULA_TAG.search(chunk):
                return True
            tail = chunk[-256:]
    return False


def _formulas_without_values(fh) -> tuple[int, str]:
    """How many cells hold a formula and no saved value, and the first one's reference.

    An empty ``<v>`` is no value, except for a text result (``t="str"``): that is the
    empty text Excel saves for a formula such as ``=IF(A2>5,"","x")``."""
    from openpyxl.utils import get_column_letter

    missing, first = 0, ""
    sheet_data = None
    row_no = 0
    for event, elem in ElementTree.iterparse(fh, events=("start", "end")):
        if event == "start":
            if _local(elem.tag) == "sheetData":
                sheet_data = elem  # each row leaves it once read: memory stays flat
            continue
        if _local(elem.tag) != "row":
            continue
        number = elem.get("r") or ""
        row_no = int(number) if number.isdigit() else row_no + 1
        ns = elem.tag[: -len("row")]
        for index, cell in enumerate(elem, start=1):
            if cell.find(ns + "f") is None:
                continue
            value = cell.find(ns + "v")
            if value is not None and ((value.text or "").strip() or cell.get("t") == "str"):
                continue
            missing += 1
            if not first:
                ref = cell.get("r") or ""
                first = (
                    ref
                    if CELL_REF.fullmatch(ref)
                    else f"{get_column_letter(min(index, 16384))}{row_no}"
                )
        (sheet_data if sheet_data is not None else elem).clear()
    return missing, first


def cell_text(value: object) -> str:
    """A cell value as the text a CSV export would hold."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, date):
        return value.strftime("%Y-%m-%d")
    if isinstance(value, time):
        return value.strftime("%H:%M:%S")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def to_csv(src: Path, folder: Path) -> tuple[Path, list[int], tuple[str, ...]]:
    """First sheet -> a UTF-8 CSV in ``folder``, the sheet row number of each line, and
    the workbook's sheet names (the first is the one read)."""
    import openpyxl  # imported here: only XLSX uploads pay for it

    check_archive(src)
    max_cols = config.max_columns()
    folder.mkdir(parents=True, exist_ok=True)
    out_path = folder / f"xlsx-{os.urandom(6).hex()}.csv"
    rows: list[int] = []
    try:
        with src.open("rb") as fh:
            try:
                wb = openpyxl.load_workbook(fh, read_only=True, data_only=True)
            except Exception as exc:  # openpyxl raises many kinds for a bad workbook
                raise XlsxRefused(
                    f"The Excel file cannot be read ({type(exc).__name__}); open it in Excel"
                    " and save it again, or export CSV.",
                    "无法读取该 Excel 文件；请在 Excel 中打开后重新保存，或导出 CSV。",
                ) from exc
            try:
                if not wb.worksheets:
                    raise XlsxRefused("The workbook has no sheet.", "工作簿里没有工作表。")
                ws = wb.worksheets[0]
                sheets = tuple(str(name) for name in wb.sheetnames)
                declared = ws.max_column if hasattr(ws, "max_column") else None
                if declared and declared > max_cols:
                    raise XlsxRefused(
                        f"The first sheet declares {declared} columns; at most {max_cols}"
                        " are read (CX_MAX_COLUMNS). Delete the empty columns or export CSV.",
                        f"第一张工作表声明了 {declared} 列，最多读取 {max_cols} 列"
                        "（CX_MAX_COLUMNS）。请删除多余的列或导出 CSV。",
                    )
                if hasattr(ws, "reset_dimensions"):
                    ws.reset_dimensions()  # never pad rows to a claimed size
                check_formulas(src)
                try:
                    _write_rows(ws, out_path, rows, max_cols)
                except (XlsxRefused, OSError):
                    raise
                except Exception as exc:  # a damaged sheet: XML, zip stream, cell values
                    raise XlsxRefused(
                        f"The first sheet of the Excel file is damaged ({type(exc).__name__});"
                        " open it in Excel and save it again, or export CSV.",
                        "Excel 文件的第一张工作表已损坏；请在 Excel 中打开后重新保存，或导出 CSV。",
                    ) from exc
            finally:
                wb.close()
    except BaseException:
        out_path.unlink(missing_ok=True)
        raise
    return out_path, rows, sheets


def _write_rows(ws, out_path: Path, rows: list[int], max_cols: int) -> None:
    """Write the sheet's non-empty rows as CSV; ``rows`` gets each written line's sheet row
    (the header among them: a title or group row above it is found later)."""
    with out_path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        for number, values in enumerate(ws.iter_rows(values_only=True), start=1):
            cells = [cell_text(v) for v in values]
            while cells and not cells[-1].strip():
                cells.pop()
            if not cells:
                continue
            if len(cells) > max_cols:
                raise XlsxRefused(
                    f"Row {number} of the first sheet has {len(cells)} columns; at most"
                    f" {max_cols} are read (CX_MAX_COLUMNS).",
                    f"第一张工作表第 {number} 行有 {len(cells)} 列，最多读取 {max_cols} 列"
                    "（CX_MAX_COLUMNS）。",
                )
            writer.writerow(cells)
            rows.append(number)
