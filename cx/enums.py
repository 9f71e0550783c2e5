"""The contract's enumerations: keys, Chinese labels and the spellings an upload accepts."""

from __future__ import annotations

from cx.i18n import t


class EnumLabels(dict[str, tuple[str, str]]):
    """An enumeration's keys in order, each with its (zh, en) labels read from the
    translation table (``enum.<kind>.<key>`` in :mod:`cx.texts.enums`): the labels are
    written there once; these pairs are their view for code that takes both at once."""

    def __init__(self, kind: str, keys: tuple[str, ...]) -> None:
        super().__init__({k: (text(kind, k, "zh"), text(kind, k, "en")) for k in keys})
        self.kind = kind


def text(kind: str, key: str, lang: str) -> str:
    """The label of ``key`` of enumeration ``kind`` in ``lang`` (KeyError if unknown)."""
    return t(f"enum.{kind}.{key}", lang)


TOUCHPOINTS = EnumLabels(
    "key_touchpoint",
    (
        "appointment",
        "reception",
        "waiting",
        "advisor",
        "repair_quality",
        "price_transparency",
        "delivery",
        "resolution",
        "other",
    ),
)
PAIN_POINTS = EnumLabels(
    "pain_point", ("unresolved", "waiting", "cost", "attitude", "communication", "other")
)
CHANNELS = EnumLabels("channel", ("sms", "app", "wechat", "phone", "other"))
SERVICE_TYPES = EnumLabels("service_type", ("maintenance", "repair", "delivery", "other"))
CUSTOMER_TIERS = EnumLabels("customer_tier", ("vip", "standard"))

CSI_DIMS = ["initiation", "delivery", "facility", "advisor", "post_service"]
CSI_LABELS = EnumLabels("csi", tuple(CSI_DIMS))
TP_KEYS = [
    "appointment",
    "reception",
    "advisor",
    "waiting",
    "repair_quality",
    "delivery",
    "follow_up",
]
TP_LABELS = EnumLabels("tp", tuple(TP_KEYS))
SEGMENTS = EnumLabels("segment", ("promoter", "passive", "detractor"))

# Extra spellings seen in exports, on top of each key and its labels.
EXTRA_SPELLINGS: dict[str, dict[str, str]] = {
    "channel": {"微信公众号": "wechat", "小程序": "wechat", "短信链接": "sms", "电话回访": "phone"},
    "service_type": {"保养维护": "maintenance", "维修保养": "repair", "新车交付": "delivery"},
    "customer_tier": {"vip客户": "vip", "普通客户": "standard", "标准": "standard"},
    "pain_point": {"返修": "unresolved", "等待": "waiting", "费用": "cost", "态度": "attitude"},
    # the short names a survey's touchpoint question often offers (the app's own are long)
    "key_touchpoint": {
        "预约": "appointment",
        "接待": "reception",
        "前台": "reception",
        "到店接待": "reception",
        "等待": "waiting",
        "等待时间": "waiting",
        "顾问": "advisor",
        "服务顾问": "advisor",
        "维修质量": "repair_quality",
        "一次修好": "repair_quality",
        "费用": "price_transparency",
        "价格": "price_transparency",
        "交车": "delivery",
        "问题解决": "resolution",
    },
}

ENUMS: dict[str, EnumLabels] = {
    "key_touchpoint": TOUCHPOINTS,
    "pain_point": PAIN_POINTS,
    "channel": CHANNELS,
    "service_type": SERVICE_TYPES,
    "customer_tier": CUSTOMER_TIERS,
}
# Columns whose unknown values reject the row; the others keep unknown text as it is.
STRICT_ENUMS = {"key_touchpoint", "pain_point", "channel"}


def spelling_map(column: str) -> dict[str, str]:
    """Every accepted spelling (lower-cased, trimmed) of an enum column -> its key."""
    out: dict[str, str] = {}
    for key, (zh, en) in ENUMS[column].items():
        for s in (key, zh, en):
            out[s.strip().lower()] = key
    for s, key in EXTRA_SPELLINGS.get(column, {}).items():
        out[s.strip().lower()] = key
    return out


def label(enum: EnumLabels, key: str | None, lang: str) -> str:
    """The label of ``key`` in ``lang`` ('zh' or 'en'); the key itself when unknown."""
    if key is None:
        return ""
    if key not in enum:
        return str(key)
    return text(enum.kind, key, lang)
