"""Map an export's header row to the contract's canonical column names.

Three rules, in order: a canonical name (case-, space- and underscore-insensitive),
a known alias (Chinese or English), and for long survey questions a keyword rule
that applies only when exactly one header fits. A mapping the user saved for the
same header row beats all three.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field

from cx.db import RESPONSE_COLUMNS, STORE_COLUMNS

CANONICAL = list(RESPONSE_COLUMNS) + STORE_COLUMNS
REQUIRED = ["response_id", "store_id", "responded_at", "nps"]


class UnusableFile(ValueError):
    """The file cannot be used at all; nothing was changed. ``str()`` is one line.

    Defined here because a mapping is refused before anything reads the file; callers
    know it as ``cx.ingest.UnusableFile``.
    """

    def __init__(self, message: str, message_zh: str) -> None:
        super().__init__(message)
        self.message_zh = message_zh


ALIASES: dict[str, list[str]] = {
    "response_id": [
        "问卷编号",
        "答卷编号",
        "问卷id",
        "答卷id",
        "回复编号",
        "responseid",
        "surveyid",
    ],
    "store_id": [
        "门店编号",
        "门店代码",
        "网点代码",
        "网点编号",
        "店代码",
        "storecode",
        "dealercode",
    ],
    "store_name": ["门店", "门店名称", "网点名称", "服务中心", "storename"],
    "region": ["区域", "大区", "所属大区", "所属区域"],
    "city": ["城市", "所在城市"],
    "responded_at": [
        "提交时间",
        "提交答卷时间",
        "答卷时间",
        "填写时间",
        "答题时间",
        "submittedat",
        "recordeddate",  # Qualtrics: when the answer was recorded
    ],
    "service_date": ["服务日期", "到店日期", "维修日期", "进店日期", "visitdate"],
    "nps": ["推荐分", "nps评分", "nps得分", "推荐度", "推荐意愿", "npsscore"],
    "key_touchpoint": ["关键触点", "触点", "touchpoint", "keytouchpoint"],
    "pain_point": ["痛点", "主要问题", "抱怨类型", "不满原因分类", "painpoint"],
    # the Chinese template's header first: 原因 beside 痛点 read as the pain point
    "comment": [
        "客户留言",
        "原因",
        "反馈",
        "评价",
        "评论",
        "留言",
        "comments",
        "feedback",
        "reason",
    ],
    "service_type": ["服务类型", "业务类型", "servicetype"],
    "vehicle_model": ["车型", "车辆型号", "model", "vehiclemodel"],
    "channel": ["渠道", "调研渠道", "问卷渠道", "来源", "来源渠道", "答卷来源", "surveychannel"],
    "customer_tier": ["客户等级", "会员等级", "客户类型", "tier"],
    "advisor": ["服务顾问", "顾问", "接待顾问", "serviceadvisor"],
    "csi_initiation": ["CSI服务启动", "服务启动评分"],
    "csi_delivery": ["CSI交车", "交车评分"],
    "csi_facility": ["CSI设施", "设施评分"],
    "csi_advisor": ["CSI顾问", "顾问评分"],
    "csi_post_service": ["CSI售后跟进", "售后跟进评分"],
    "tp_appointment": ["预约体验分", "预约便捷性评分"],
    "tp_reception": ["接待体验分", "到店接待评分"],
    "tp_advisor": ["顾问沟通分", "服务顾问沟通评分"],
    "tp_waiting": ["等待体验分", "维修等待评分"],
    "tp_repair_quality": ["维修质量分", "维修质量评分"],
    "tp_delivery": ["交车体验分", "交车流程评分"],
    "tp_follow_up": ["回访体验分", "售后回访评分"],
    "csat": ["满意度", "整体满意度", "客户满意度"],
    "ces": ["费力度", "客户费力度", "customereffort", "effort"],
    "wait_minutes": ["等待时长", "等待分钟", "等待时长分钟", "等待时间分钟", "waittime", "waiting"],
    "first_time_fix": ["一次修复", "一次修好", "是否一次修好", "ftf", "firsttimefixed"],
    "customer_id": ["客户编号", "客户id", "vin客户号", "customerid"],
    "amount": ["金额", "结算金额", "发票金额", "消费金额", "invoiceamount"],
    "duration_seconds": [
        "所用时间",
        "答题时长",
        "答题用时",
        "作答时长",
        "填写用时",
        "用时",
        "duration",
        "durationseconds",
        "timetaken",
    ],
    "customer_name": ["客户姓名", "姓名", "车主姓名", "customer", "name"],
    "phone": ["手机号", "手机", "电话", "联系电话", "手机号码", "mobile", "phonenumber"],
    "plate": ["车牌", "车牌号", "车牌号码", "licenseplate"],
}

# Keywords for long question texts; a header that contains one of them fits.
KEYWORDS: dict[str, list[str]] = {
    "nps": ["推荐", "recommend"],
    "key_touchpoint": ["最影响", "环节", "touchpoint"],
    # '您为什么给出这个分数？', the survey tools' own wording of the open question
    "comment": ["原因", "理由", "为什么", "why", "reason"],
    "ces": ["费力", "省心", "effort"],
    "csat": ["满意", "satisf"],
    "wait_minutes": ["等待时长", "等了多久", "how long"],
    "phone": ["手机", "phone"],
}


def normalise(header: str) -> str:
    """Lower-case, no spaces, underscores, hyphens or surrounding quotes."""
    text = (header or "").strip().strip('"').lower()
    return re.sub(r"[\s_\-]+", "", text)


_CANONICAL_SET = frozenset(CANONICAL)
_LOOKUP: dict[str, str] = {}
for _col in CANONICAL:
    _LOOKUP[normalise(_col)] = _col
for _col, _names in ALIASES.items():
    for _name in _names:
        _LOOKUP.setdefault(normalise(_name), _col)


def signature(headers: list[str]) -> str:
    """A stable key for a header row, so a saved mapping is found for the next export."""
    joined = "\x1f".join(normalise(h) for h in headers)
    return hashlib.sha1(joined.encode("utf-8")).hexdigest()[:16]


@dataclass
class Mapping:
    """Which canonical column each header index feeds, and what is left to decide."""

    headers: list[str]
    columns: dict[int, str] = field(default_factory=dict)
    how: dict[int, str] = field(default_factory=dict)  # exact / alias / keyword / saved / manual
    unmatched: list[int] = field(default_factory=list)
    ambiguous: dict[str, list[int]] = field(default_factory=dict)
    # columns two or more headers name outright (推荐意愿 and NPS评分 both nps): the
    # leftmost is read; the others are listed so a person can check the pick
    doubled: dict[str, list[int]] = field(default_factory=dict)

    @property
    def missing_required(self) -> list[str]:
        """Required canonical columns no header feeds."""
        have = set(self.columns.values())
        return [c for c in REQUIRED if c not in have]

    def as_pairs(self) -> list[list[str]]:
        """The mapping as [header, canonical] pairs ('' = ignored), for saving as JSON."""
        return [[h, self.columns.get(i, "")] for i, h in enumerate(self.headers)]


def check_mapping(headers: list[str], columns: dict[int, str]) -> None:
    """Refuse a mapping whose target is not a canonical column or whose index is no header.

    The targets become SQL identifiers and the indexes column names (``c0``, ``c1``, …),
    so this is the allow-list every mapping passes, whether typed, passed to
    ``ingest_file`` or read back from ``column_mappings``. ``''`` means "ignore".
    """
    for i, col in columns.items():
        if type(i) is not int or not 0 <= i < len(headers):
            raise UnusableFile(
                "The column mapping refers to a column the file does not have;"
                " nothing was changed.",
                "列对应关系指向文件中不存在的列；没有做任何更改。",
            )
        if not isinstance(col, str) or (col and col not in _CANONICAL_SET):
            raise UnusableFile(
                f"The column mapping for header {i + 1} names a column that is not in the"
                " data contract; nothing was changed.",
                f"第 {i + 1} 个表头的列对应关系不是数据约定中的列；没有做任何更改。",
            )


def map_headers(headers: list[str], saved: dict[int, str] | None = None) -> Mapping:
    """Match each header; a saved mapping (index -> canonical or '') wins.

    A saved mapping naming anything but a canonical column raises :class:`UnusableFile`.
    """
    if saved is not None:
        check_mapping(headers, saved)
    m = Mapping(headers=list(headers))
    taken: set[str] = set()
    named: dict[str, int] = {}  # the header each column was matched by name to
    pending: list[int] = []
    for i, h in enumerate(headers):
        if saved is not None and i in saved:
            if saved[i]:
                m.columns[i] = saved[i]
                m.how[i] = "saved"
                taken.add(saved[i])
            continue
        key = normalise(h)
        col = _LOOKUP.get(key)
        if col and col not in taken:
            m.columns[i] = col
            m.how[i] = "exact" if key == normalise(col) else "alias"
            taken.add(col)
            named[col] = i
        else:
            if col in named:
                m.doubled.setdefault(col, [named[col]]).append(i)
            pending.append(i)
    fits: dict[str, list[int]] = {}
    for i in pending:
        text = (headers[i] or "").lower()
        for col, words in KEYWORDS.items():
            if col not in taken and any(w in text for w in words):
                fits.setdefault(col, []).append(i)
    used: set[int] = set()
    for col, idxs in fits.items():
        if len(idxs) == 1 and idxs[0] not in used:
            m.columns[idxs[0]] = col
            m.how[idxs[0]] = "keyword"
            used.add(idxs[0])
        else:
            m.ambiguous[col] = idxs
    # A header fitting two canonical columns by keyword is ambiguous for both.
    for i in list(used):
        cols = [c for c, idxs in fits.items() if i in idxs]
        if len(cols) > 1:
            for c in cols:
                m.ambiguous.setdefault(c, [i])
            m.columns.pop(i, None)
            m.how.pop(i, None)
    # a second header that a keyword then gave a column of its own is no double
    for col, idxs in list(m.doubled.items()):
        rest = [i for i in idxs[1:] if i not in m.columns]
        if rest:
            m.doubled[col] = idxs[:1] + rest
        else:
            del m.doubled[col]
    m.unmatched = [i for i in range(len(headers)) if i not in m.columns]
    return m
