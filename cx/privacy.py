"""Masking of personal data (phone, customer name, plate) wherever it is shown or exported."""

from __future__ import annotations

import re

import pandas as pd

from cx import config

PERSONAL_COLUMNS = ("phone", "customer_name", "plate")


def mask_phone(value: object) -> object:
    """'13800138000' -> '138****8000'; short or empty values keep at most their last 2 chars."""
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return value
    text = str(value).strip()
    if len(text) >= 7:
        return text[:3] + "*" * (len(text) - 7) + text[-4:] if len(text) > 7 else "***" + text[-4:]
    return "*" * max(len(text) - 2, 0) + text[-2:]


def mask_name(value: object) -> object:
    """'张三丰' -> '张**'; 'Li Lei' -> 'L*****'."""
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return value
    text = str(value).strip()
    return text[:1] + "*" * max(len(text) - 1, 1) if text else text


def mask_plate(value: object) -> object:
    """'浙A·12345' -> '浙A·***45'."""
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return value
    text = str(value).strip()
    keep = 3 if len(text) > 5 else 1
    return text[:keep] + "*" * max(len(text) - keep - 2, 1) + text[-2:]


MASKERS = {"phone": mask_phone, "customer_name": mask_name, "plate": mask_plate}


def mask_frame(frame: pd.DataFrame, allowed: bool | None = None) -> pd.DataFrame:
    """A copy with personal columns masked, unless the viewer may see them."""
    if allowed is None:
        allowed = config.show_personal_data()
    if allowed:
        return frame
    out = frame.copy()
    for col, fn in MASKERS.items():
        if col in out.columns:
            out[col] = out[col].map(fn)
    return out


# Mainland mobile numbers (11 digits starting with 1) inside free text, e.g. a raw line.
_PHONE_IN_TEXT = re.compile(r"(?<!\d)(1\d{2})\d{4}(\d{4})(?!\d)")


def mask_text(value: object) -> object:
    """Mask phone numbers inside free text ('…,13800138000,…' -> '…,138****8000,…')."""
    if not isinstance(value, str):
        return value
    return _PHONE_IN_TEXT.sub(r"\1****\2", value)


def mask_raw_lines(frame: pd.DataFrame, allowed: bool | None = None) -> pd.DataFrame:
    """A copy of a rejects frame whose ``raw_line`` shows no phone numbers."""
    if allowed is None:
        allowed = config.show_personal_data()
    if allowed or "raw_line" not in frame.columns:
        return frame
    return frame.assign(raw_line=frame["raw_line"].map(mask_text))
