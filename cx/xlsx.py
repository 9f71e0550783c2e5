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
import zipfile
from datetime import date, datetime, time
from pathlib import Path

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
