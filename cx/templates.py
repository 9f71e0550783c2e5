"""The CSV template analysts download from the Upload page (English or Chinese headers)."""

from __future__ import annotations

from functools import cache

import pandas as pd

from cx import db
from cx.enums import ENUMS, label
from cx.export import to_csv_bytes
from cx.headers import ALIASES

# The template's two example answers show every column's format. Their ids say what they
# are, and an upload rejects a row with one of them (cx.validate): uploaded as downloaded,
# or with real answers typed below them, the template had added a detractor at HZ01 that
# nobody gave, with a callback to make.
EXAMPLE_ROWS = [
    {
        "response_id": "EXAMPLE-Q20251101001",
        "store_id": "HZ01",
        "store_name": "杭州滨江服务中心",
        "region": "华东",
        "city": "杭州",
        "responded_at": "2025-11-01 10:15",
        "service_date": "2025-10-31",
        "nps": "9",
        "key_touchpoint": "repair_quality",
        "comment": "一次就修好了，顾问很专业",
        "service_type": "maintenance",
        "vehicle_model": "Model Y",
        "channel": "wechat",
        "customer_tier": "standard",
        "advisor": "王磊",
        "csat": "5",
        "ces": "2",
        "wait_minutes": "45",
        "first_time_fix": "true",
    },
    {
        "response_id": "EXAMPLE-Q20251101002",
        "store_id": "HZ01",
        "store_name": "杭州滨江服务中心",
        "region": "华东",
        "city": "杭州",
        "responded_at": "2025-11-01 11:40",
        "service_date": "2025-11-01",
        "nps": "4",
        "key_touchpoint": "waiting",
        "pain_point": "waiting",
        "comment": "等了三个小时，没人告诉进度",
        "service_type": "repair",
        "vehicle_model": "Model 3",
        "channel": "sms",
        "customer_tier": "vip",
        "advisor": "李娜",
        "csat": "2",
        "ces": "6",
        "wait_minutes": "185",
        "first_time_fix": "false",
    },
]


def columns() -> list[str]:
    """Template columns: the contract's order with store fields after store_id."""
    cols = list(db.RESPONSE_COLUMNS)
    i = cols.index("store_id") + 1
    return cols[:i] + db.STORE_COLUMNS + cols[i:]


def header(col: str, lang: str) -> str:
    """The template header of a column in ``lang``: a Chinese alias the upload accepts."""
    if lang != "zh":
        return col
    aliases = ALIASES.get(col)
    return aliases[0] if aliases else col


BOOL_ZH = {"true": "是", "false": "否"}


def value(col: str, text: str, lang: str) -> str:
    """An example value as the template in ``lang`` writes it: on the Chinese template a
    choice's Chinese label (保养, 微信, 是), which the upload reads as its key."""
    if lang != "zh" or not text:
        return text
    if col in ENUMS and text in ENUMS[col]:
        return label(ENUMS[col], text, "zh")
    return BOOL_ZH.get(text, text) if col == "first_time_fix" else text


def template_frame(lang: str = "en") -> pd.DataFrame:
    """Two example rows under every canonical column, headers (and a choice's values) in
    ``lang``."""
    frame = pd.DataFrame(EXAMPLE_ROWS, columns=columns()).astype(object).fillna("")
    for col in frame.columns:
        frame[col] = [value(col, v, lang) for v in frame[col]]
    frame.columns = [header(c, lang) for c in frame.columns]
    return frame


@cache
def template_csv(lang: str = "en") -> bytes:
    """The template as CSV bytes (UTF-8 with BOM, so Excel shows 中文); made once per
    language and process (the examples are fixed)."""
    return to_csv_bytes(template_frame(lang))


EXAMPLE_IDS = tuple(row["response_id"] for row in EXAMPLE_ROWS)
"""The example answers' ids: rows with them are rejected as the template's examples."""
