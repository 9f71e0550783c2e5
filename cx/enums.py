"""The contract's enumerations: keys, Chinese labels and the spellings an upload accepts."""

from __future__ import annotations

TOUCHPOINTS: dict[str, tuple[str, str]] = {
    "appointment": ("预约便捷性", "Appointment"),
    "reception": ("到店接待体验", "Reception"),
    "waiting": ("维修等待时间", "Waiting time"),
    "advisor": ("服务顾问沟通", "Advisor communication"),
    "repair_quality": ("维修质量/一次修好", "Repair quality / fixed first time"),
    "price_transparency": ("费用透明度", "Price transparency"),
    "delivery": ("交车流程", "Vehicle delivery"),
    "resolution": ("问题解决彻底性", "Problem fully resolved"),
    "other": ("其他", "Other"),
}

PAIN_POINTS: dict[str, tuple[str, str]] = {
    "unresolved": ("问题未解决/返修", "Unresolved / repeat repair"),
    "waiting": ("等待时间过长", "Waiting too long"),
    "cost": ("费用超预期/不透明", "Cost above estimate / unclear"),
    "attitude": ("服务态度冷漠", "Cold attitude"),
    "communication": ("沟通不畅/承诺未兑现", "Poor communication / broken promise"),
    "other": ("其他", "Other"),
}

CHANNELS: dict[str, tuple[str, str]] = {
    "sms": ("短信", "SMS"),
    "app": ("App", "App"),
    "wechat": ("微信", "WeChat"),
    "phone": ("电话", "Phone"),
    "other": ("其他", "Other"),
}

SERVICE_TYPES: dict[str, tuple[str, str]] = {
    "maintenance": ("保养", "Maintenance"),
    "repair": ("维修", "Repair"),
    "delivery": ("交付", "Delivery"),
    "other": ("其他", "Other"),
}

CUSTOMER_TIERS: dict[str, tuple[str, str]] = {
    "vip": ("VIP", "VIP"),
    "standard": ("普通", "Standard"),
}

CSI_DIMS = ["initiation", "delivery", "facility", "advisor", "post_service"]
CSI_LABELS: dict[str, tuple[str, str]] = {
    "initiation": ("服务启动", "Service initiation"),
    "delivery": ("交车", "Vehicle delivery"),
    "facility": ("服务设施", "Facility"),
    "advisor": ("服务顾问", "Service advisor"),
    "post_service": ("售后跟进", "Post-service"),
}
TP_KEYS = [
    "appointment",
    "reception",
    "advisor",
    "waiting",
    "repair_quality",
    "delivery",
    "follow_up",
]
TP_LABELS: dict[str, tuple[str, str]] = {
    "appointment": ("预约", "Appointment"),
    "reception": ("接待", "Reception"),
    "advisor": ("顾问沟通", "Advisor communication"),
    "waiting": ("等待", "Waiting"),
    "repair_quality": ("维修质量", "Repair quality"),
    "delivery": ("交车", "Delivery"),
    "follow_up": ("回访", "Follow-up"),
}

SEGMENTS: dict[str, tuple[str, str]] = {
    "promoter": ("推荐者", "Promoters"),
    "passive": ("中立者", "Passives"),
    "detractor": ("贬损者", "Detractors"),
}

# Extra spellings seen in exports, on top of each key and its labels.
EXTRA_SPELLINGS: dict[str, dict[str, str]] = {
    "channel": {"微信公众号": "wechat", "小程序": "wechat", "短信链接": "sms", "电话回访": "phone"},
    "service_type": {"保养维护": "maintenance", "维修保养": "repair", "新车交付": "delivery"},
    "customer_tier": {"vip客户": "vip", "普通客户": "standard", "标准": "standard"},
    "pain_point": {"返修": "unresolved", "等待": "waiting", "费用": "cost", "态度": "attitude"},
}

ENUMS: dict[str, dict[str, tuple[str, str]]] = {
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


def label(enum: dict[str, tuple[str, str]], key: str | None, lang: str) -> str:
    """The label of ``key`` in ``lang`` ('zh' or 'en'); the key itself when unknown."""
    if key is None:
        return ""
    pair = enum.get(key)
    if pair is None:
        return str(key)
    return pair[0] if lang == "zh" else pair[1]
