"""Files the app hands out: CSV that Excel opens correctly and cannot be tricked into running."""

from __future__ import annotations

import re

import pandas as pd

from cx.frames import map_distinct

DANGEROUS_START = ("=", "+", "-", "@", "\t", "\r")
_SIGNED_NUMBER = re.compile(r"[+-]\d+(?:\.\d+)?%?")


def neutralise_value(value: object) -> object:
    """Prefix a text cell that a spreadsheet would treat as a formula with a single quote.
    A signed number alone ('+2.1', '-1.4', '+5%') is a number to a spreadsheet, not a
    formula: it is left as it is (a quote before it showed in Excel: "'+2.1")."""
    if (
        isinstance(value, str)
        and value.startswith(DANGEROUS_START)
        and not _SIGNED_NUMBER.fullmatch(value)
    ):
        return "'" + value
    return value


def neutralise(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` whose text cells cannot start a formula (column names too)."""
    out = frame.copy()
    for col in out.columns:
        if out[col].dtype == object or pd.api.types.is_string_dtype(out[col]):
            out[col] = map_distinct(out[col], neutralise_value)
    out.columns = [neutralise_value(str(c)) for c in out.columns]
    return out


def file_stem(text: object, default: str = "file", most: int = 60) -> str:
    """``text`` (a scenario's or an export's name, typed or uploaded by a person) as part
    of a download's file name: letters (Chinese too), digits, '-' and '_' kept, every run
    of anything else one '_' ('十月计划: 杭州/HZ01 <final>?' -> '十月计划_杭州_HZ01_final')."""
    stem = re.sub(r"[^\w\-]+", "_", str(text or ""), flags=re.UNICODE).strip("_")[:most]
    return stem.strip("_") or default


def to_csv_bytes(frame: pd.DataFrame) -> bytes:
    """UTF-8 with BOM (so Excel on Chinese Windows shows 中文), formulas neutralised, rows
    ended by CRLF (RFC 4180, Excel's own). With CRLF as the row end, a cell holding a
    bare CR is quoted: with LF it was written as it is, and Excel and every CSV reader
    start a new row at a bare CR, so 'note\r=cmd|…' put '=cmd|…' at the start of a row,
    past the quote that neutralises a cell's start."""
    return neutralise(frame).to_csv(index=False, lineterminator="\r\n").encode("utf-8-sig")
