"""Every value of an export checked against the data contract: the validate step of an ingest.

The rules are a table (:data:`RULES`): per canonical column its type, whether it is
required, its range, whether it must be whole, its accepted spellings and what an
unknown spelling does, and the column's name in Chinese reasons. The reasons a row is
rejected for are a second table (:data:`REASONS`, English and Chinese). One SQL pass,
generated from both tables (:func:`typed_sql`), turns the raw text of ``cx_raw``
(:func:`cx.source.parse`) into typed columns plus the first failing rule's reason, in
the rules' order; :func:`keep_new` collapses repeated response ids (the last valid row wins)
and :func:`explain` counts and explains the rejects. None of this touches the database
file: it runs on whatever connection holds ``cx_raw`` (:mod:`cx.ingest` uses a private
in-memory one).
"""

from __future__ import annotations

import re
import string
from dataclasses import dataclass
from datetime import timedelta

import duckdb
import pandas as pd

from cx import config, db, source
from cx.enums import CSI_DIMS, ENUMS, STRICT_ENUMS, TP_KEYS, spelling_map
from cx.headers import ALIASES, check_mapping
from cx.templates import EXAMPLE_IDS

# a summary row's label in its first, id or store cell: totals and averages alike
TOTAL_WORDS = ["合计", "总计", "小计", "total", "totals", "sum", "grand total"]
TOTAL_WORDS += ["平均", "平均值", "平均分", "均值", "average", "avg", "mean"]
# the label as exports write it, its spaces taken out: "合计", "合 计", "合计：", "合计(3)",
# "合计：共 3 条", "合计 3 条", "Total (12 responses):"
SPACES = r"[\s\x{3000}]+"  # a label's spaces, the full-width one too (RE2 syntax)
TOTAL_LABEL = (
    r"^(" + "|".join(re.escape(w.replace(" ", "")) for w in TOTAL_WORDS) + r")"
    r"([:：(（].{0,30}|[0-9].{0,20})?$"
)
BOOL_SPELLINGS = {
    "true": True,
    "false": False,
    "yes": True,
    "no": False,
    "y": True,
    "n": False,
    "1": True,
    "0": False,
    "１": True,  # full-width, from a Chinese input method
    "０": False,
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
# Times no export of the stores' own systems writes, but a survey tool or Excel may: read
# only where every format above failed (so a usual file pays nothing for them).
# A time with its zone ('2025-11-03T06:05:00Z', '… 14:05:00 +08:00'): stored as the
# stores' local time (cx.config.timezone), as every other time is.
ZONE_FORMATS = [
    "%Y-%m-%dT%H:%M:%S%z",
    "%Y-%m-%d %H:%M:%S%z",
    "%Y-%m-%dT%H:%M:%S.%f%z",
    "%Y-%m-%d %H:%M:%S.%f%z",
    "%Y-%m-%dT%H:%M%z",
    "%Y-%m-%d %H:%M%z",
    "%Y/%m/%d %H:%M:%S%z",
    "%Y/%m/%d %H:%M%z",
    "%Y/%m/%dT%H:%M:%S%z",
    "%Y/%m/%dT%H:%M%z",
]
# A 12-hour time ('2025/11/3 2:05 PM', and Excel's Chinese '2025/11/3 下午2:05').
TWELVE_HOUR_FORMATS = [
    "%Y-%m-%d %I:%M:%S %p",
    "%Y-%m-%d %I:%M %p",
    "%Y/%m/%d %I:%M:%S %p",
    "%Y/%m/%d %I:%M %p",
    "%Y年%m月%d日 %I:%M:%S %p",
    "%Y年%m月%d日 %I:%M %p",
]
# An Excel date serial (days since 1899-12-30; 45964.5 is 2025-11-03 12:00): what a date
# cell holds once its format is lost (a sheet's column set to General, or saved as CSV).
# Five digits: 1927 to 2173; the date window rejects the implausible ones with the date.
EXCEL_SERIAL = r"[0-9]{5}(\.[0-9]+)?"
EXCEL_EPOCH = "1899-12-30"
SECONDS_A_DAY = 86400


@dataclass(frozen=True)
class Rule:
    """What a column's values must be.

    ``type``: ``text`` (trimmed), ``untrimmed`` (kept as written), ``number``,
    ``timestamp``, ``date``, ``duration`` (seconds from 120 / 120秒 / 2分30秒 / 0:02:30),
    ``enum`` (a spelling of :func:`cx.enums.spelling_map`), ``bool``.
    ``unknown``: what an enum or bool value outside its spellings does: ``reject``,
    ``other`` (stored as 'other') or ``keep`` (stored as written).
    ``zh``: the column's name in a Chinese reason (else the column itself).
    """

    column: str
    type: str = "text"
    required: bool = False
    low: float | None = None
    high: float | None = None
    whole: bool = False
    unknown: str = "reject"
    zh: str = ""

    @property
    def label_zh(self) -> str:
        """The column as a Chinese reason names it: its own name, else the first Chinese
        header the mapping knows it by (满意度, 等待时长; 'csat 6 超出 1-5' was half
        English), else the column."""
        chinese = [a for a in ALIASES.get(self.column, []) if not a.isascii()]
        return self.zh or (chinese[0] if chinese else self.column)

    @property
    def range_text(self) -> str:
        """'0-10' or '>= 0', as the reasons say it."""
        if self.high is None:
            return f">= {self.low:g}"
        return f"{self.low:g}-{self.high:g}"


def _enum(column: str) -> Rule:
    return Rule(column, "enum", unknown="reject" if column in STRICT_ENUMS else "keep")


# The contract's rules, in the order they are checked (a row's first failing rule names
# its reason). Columns without a rule here are text.
RULES: list[Rule] = [
    Rule("response_id", required=True, zh="问卷编号"),
    Rule("store_id", required=True, zh="门店编号"),
    Rule("nps", "number", required=True, low=0, high=10, whole=True, zh="推荐分"),
    Rule("responded_at", "timestamp", required=True, zh="提交时间"),
    Rule("service_date", "date", zh="服务日期"),
    *[Rule(f"csi_{d}", "number", low=1, high=10) for d in CSI_DIMS],
    *[Rule(f"tp_{t}", "number", low=0, high=10) for t in TP_KEYS],
    Rule("csat", "number", low=1, high=5, whole=True),
    Rule("ces", "number", low=1, high=7, whole=True),
    Rule("wait_minutes", "number", low=0),
    Rule("amount", "number", low=0),
    Rule("duration_seconds", "duration", zh="答题时长"),
    _enum("key_touchpoint"),
    _enum("pain_point"),
    # a survey tool's 来源 column says 手机提交 as often as 微信: stored as 'other'
    Rule("channel", "enum", unknown="other"),
    _enum("service_type"),
    _enum("customer_tier"),
    Rule("first_time_fix", "bool"),
    Rule("comment", "untrimmed", zh="评价"),
]
RULE_OF = {r.column: r for r in RULES}

# Reasons, English and Chinese, in the words of the person who fixes the export (the
# settings behind a limit are the README's business). {col} and {zh} are the column (in
# the Chinese reason, its Chinese name), {range} the rule's range, {first} the earliest
# plausible date, {ahead} how far ahead one may lie (CX_DATE_FROM, CX_DATE_AHEAD_DAYS);
# {v} (the value as written), {at} (the timestamp read), {day} (the date read) and
# {responded} (the answer's day) come from the row.
REASONS: dict[str, tuple[str, str]] = {
    "missing": ("{col} missing", "{zh}为空"),
    "example": (
        "{col} '{v}' is an example row of the template: delete it and write the real answers",
        "{zh}“{v}”是模板里的示例行：请删除它，填写真实答卷",
    ),
    "not_number": ("{col} '{v}' is not a number", "{zh}“{v}”不是数字"),
    "not_whole": ("{col} {v} is not a whole number", "{zh} {v} 不是整数"),
    "outside": ("{col} {v} is outside {range}", "{zh} {v} 超出 {range}"),
    "not_date": (
        "{col} '{v}' is not a date (write it as 2025-11-03 14:05, 2025/11/3 14:05 or"
        " 2025年11月3日, in local time)",
        "{zh}“{v}”不是日期（请写成 2025-11-03 14:05、2025/11/3 14:05 或 2025年11月3日，用当地时间）",
    ),
    "early": (
        "{col} {at} is before {first}, the earliest date accepted",
        "{zh} {at} 早于可接受的最早日期 {first}",
    ),
    "future": (
        "{col} {at} is in the future (more than {ahead} after the upload): check the year and"
        " the order of day and month",
        "{zh} {at} 在未来（比上传时间晚 {ahead_zh}以上）：请检查年份和月、日的顺序",
    ),
    "before": (
        "{col} {day} is before {first}, the earliest date accepted",
        "{zh} {day} 早于可接受的最早日期 {first}",
    ),
    "after": (
        "{col} {day} is after responded_at {responded}",
        "{zh} {day} 晚于提交时间 {responded}",
    ),
    "not_duration": (
        "{col} '{v}' is not a time in seconds (120, 120秒, 2分0秒, 0:02:00)",
        "{zh}“{v}”不是以秒计的时间（120、120秒、2分0秒、0:02:00）",
    ),
    "too_large": ("{col} {v} is too large", "{zh} {v} 过大"),
    "unknown": (
        "{col} '{v}' is not a known value (one of: {known})",
        "{zh}“{v}”不是可识别的取值（可用：{known_zh}）",
    ),
}
INT_MAX = 2147483647
REASON_SEPARATOR = ("; ", "；")  # between the reasons of one row (English, Chinese)


def _known(rule: Rule) -> dict[str, str]:
    """The values an enum or yes/no column accepts, for its 'not a known value' reason
    (the analyst had to guess what to write instead)."""
    if rule.type == "bool":
        return {"known": "yes, no, 1, 0", "known_zh": "是、否、1、0"}
    if rule.type != "enum" or rule.column not in ENUMS:
        return {}
    values = ENUMS[rule.column]
    return {
        "known": ", ".join(values),
        "known_zh": "、".join(zh for zh, _en in values.values()),
    }


class _Keep(dict):
    """format_map leaves the row's fields ({v}, {at}, …) for :func:`_reason_sql`."""

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def _reason_sql(template: str, fixed: dict[str, str], row: dict[str, str]) -> str:
    """A reason as SQL: the rule's words as literals, the row's values as expressions."""
    text = template.format_map(_Keep(fixed))
    parts = []
    for literal, name, _spec, _conv in string.Formatter().parse(text):
        if literal:
            parts.append(db.sql_text(literal))
        if name is not None:
            parts.append(row[name])
    return " || ".join(parts)


def _spellings(rule: Rule) -> dict[str, str]:
    """Accepted spellings (lower-case) -> key, for an enum column or a bool."""
    if rule.type == "bool":
        return {k: "true" if v else "false" for k, v in BOOL_SPELLINGS.items()}
    return spelling_map(rule.column)


def _duration_sql(cell: str) -> str:
    """Seconds from '120', '120秒', '120 s', '2分30秒', '2分钟', '0:02:30' or '02:30' (else NULL)."""
    v = f"trim({cell})"
    sec = r"^([0-9]+(?:\.[0-9]+)?)\s*(?:秒|s|sec|secs|seconds)?$"
    mins = r"^([0-9]+)\s*(?:分钟|分)\s*(?:([0-9]+)\s*秒)?$"
    clock = r"^([0-9]+):([0-9]{1,2})(?::([0-9]{1,2}))?$"

    def grp(pattern: str, n: int) -> str:
        return f"TRY_CAST(nullif(regexp_extract({v}, {db.sql_text(pattern)}, {n}), '') AS DOUBLE)"

    return (
        f"CASE WHEN regexp_matches({v}, {db.sql_text(sec)}) THEN {grp(sec, 1)}"
        f" WHEN regexp_matches({v}, {db.sql_text(mins)}) THEN {grp(mins, 1)} * 60"
        f" + coalesce({grp(mins, 2)}, 0)"
        f" WHEN regexp_matches({v}, {db.sql_text(clock)}) THEN CASE WHEN {grp(clock, 3)} IS NULL"
        f" THEN {grp(clock, 1)} * 60 + {grp(clock, 2)}"
        f" ELSE {grp(clock, 1)} * 3600 + {grp(clock, 2)} * 60 + {grp(clock, 3)} END END"
    )


def _formats(formats: list[str]) -> str:
    return "[" + ", ".join(db.sql_text(f) for f in formats) + "]"


def _other_time(v: str) -> str:
    """SQL reading the text ``v`` as a time with its zone, a 12-hour time or an Excel date
    serial (:data:`ZONE_FORMATS`, :data:`TWELVE_HOUR_FORMATS`, :data:`EXCEL_SERIAL`), as
    a local TIMESTAMP; NULL if it is none of them."""
    # 'Z' / 'UTC' are +00:00; a space before the offset goes
    zoned = f"regexp_replace({v}, '\\s*(Z|z|UTC|GMT)$', '+00:00')"
    zoned = f"regexp_replace({zoned}, '\\s+([+-][0-9]{{2}}(:?[0-9]{{2}})?)$', '\\1')"
    # 下午2:05 -> 2:05 PM
    twelve = (
        f"regexp_replace({v}, '(上午|下午)\\s*([0-9]{{1,2}}:[0-9]{{2}}(:[0-9]{{2}})?)$', '\\2 \\1')"
    )
    twelve = f"replace(replace({twelve}, '上午', 'AM'), '下午', 'PM')"
    # 2:05PM -> 2:05 PM
    twelve = f"regexp_replace({twelve}, '([0-9])([AaPp][Mm])$', '\\1 \\2')"
    days = f"TRY_CAST({v} AS DOUBLE)"
    serial = (
        f"CASE WHEN regexp_full_match({v}, {db.sql_text(EXCEL_SERIAL)}) THEN {db.sql_text(EXCEL_EPOCH)}::TIMESTAMP"
        f" + to_microseconds(CAST(round({days} * {SECONDS_A_DAY}) AS BIGINT) * 1000000) END"
    )
    return (
        f"coalesce(timezone({db.sql_text(config.timezone())}, try_strptime({zoned},"
        f" {_formats(ZONE_FORMATS)})), try_strptime({twelve}, {_formats(TWELVE_HOUR_FORMATS)}),"
        f" {serial})"
    )


def _checks(rule: Rule, src: str | None, dates: dict[str, str]) -> list[tuple[str, str]]:
    """(condition, kind of reason) of one rule, in order; ``src`` is the raw cell or None."""
    c = rule.column
    v, n, t = f"v.v_{c}", f"v.n_{c}", f"v.t_{c}"
    out: list[tuple[str, str]] = []
    if rule.required:
        out.append((f"{v} IS NULL" if src else "TRUE", "missing"))
    if src is None:
        return out
    if c == "response_id":  # the template's example answers, left in (cx.templates)
        out.append((f"{v} IN ({', '.join(map(db.sql_text, EXAMPLE_IDS))})", "example"))
    if rule.type == "number":
        out.append((f"{v} IS NOT NULL AND {n} IS NULL", "not_number"))
        if rule.whole:
            out.append((f"{n} <> floor({n})", "not_whole"))
        cond = f"{n} < {rule.low}" + (f" OR {n} > {rule.high}" if rule.high is not None else "")
        out.append((f"({cond})", "outside"))
    elif rule.type in ("timestamp", "date"):
        # a year of one or two digits ('3/12/26' is read by '%Y/%m/%d' as year 3) is no
        # date: said as one, with how to write it (it read "0003-12-26 is before
        # 2000-01-01", a year nobody wrote); no century is guessed. The column's first
        # check, so it is the reason given.
        out.append((f"{v} IS NOT NULL AND ({t} IS NULL OR year({t}) < 100)", "not_date"))
        if rule.type == "timestamp":
            out.append((f"{t} < {dates['first_ts']}::TIMESTAMP", "early"))
            out.append((f"{t} > {dates['last_ts']}::TIMESTAMP", "future"))
        else:
            out.append((f"{t} < {dates['first_day']}::DATE", "before"))
            out.append((f"{t} > CAST({dates['responded']} AS DATE)", "after"))
    elif rule.type == "duration":
        out.append((f"{v} IS NOT NULL AND {n} IS NULL", "not_duration"))
        out.append((f"{n} > {INT_MAX}", "too_large"))
    elif rule.type in ("enum", "bool") and rule.unknown == "reject":
        out.append((f"{v} IS NOT NULL AND v.k_{c} IS NULL", "unknown"))
    return out


def _parsed(rule: Rule, fmts: str, others_first: bool = False) -> list[str]:
    """The columns a mapped rule parses from its trimmed value ``v_<column>`` (each value
    is trimmed once, below, and parsed or looked up once, here)."""
    c = rule.column
    value = f"v_{c}"
    if rule.type == "number":
        # '9', '9分', and full-width digits from a Chinese input method ('１０'); in the
        # second try (a third one cost 0.5 s a million rows)
        wide = f"translate(rtrim({value}, '分 '), '０１２３４５６７８９．－', '0123456789.-')"
        return [f"coalesce(TRY_CAST({value} AS DOUBLE), TRY_CAST({wide} AS DOUBLE)) AS n_{c}"]
    if rule.type in ("timestamp", "date"):
        tries = [f"try_strptime({value}, {fmts})", _other_time(value)]
        # full-width digits and signs from a Chinese input method ('２０２５/１０/３０'):
        # tried last, on the values the others left (DuckDB's coalesce reads on only
        # those rows: no cost to a file without them, measured on a million rows)
        wide = f"translate({value}, '０１２３４５６７８９／－：．　', '0123456789/-:. ')"
        tries = [*(tries[::-1] if others_first else tries), f"try_strptime({wide}, {fmts})"]
        read = f"coalesce({', '.join(tries)})"
        return [f"{read if rule.type == 'timestamp' else f'CAST({read} AS DATE)'} AS t_{c}"]
    if rule.type == "duration":
        # full-width digits ('１２０秒', '２：３０') on the values the plain read left
        wide = f"translate({value}, '０１２３４５６７８９．：', '0123456789.:')"
        return [f"coalesce({_duration_sql(value)}, {_duration_sql(wide)}) AS n_{c}"]
    if rule.type in ("enum", "bool"):
        # A MAP literal of this module's spellings: a lookup per row, no join.
        pairs = ", ".join(
            f"{db.sql_text(k)}: {db.sql_text(v)}" for k, v in _spellings(rule).items()
        )
        return [f"map_extract_value(MAP {{{pairs}}}, lower({value})) AS k_{c}"]
    return []


def _typed(rule: Rule, typ: str) -> str:
    """The stored value of a mapped column."""
    c = rule.column
    v = f"v.v_{c}"
    if rule.type == "number":
        return f"TRY_CAST(v.n_{c} AS {typ})"
    if rule.type in ("timestamp", "date"):
        return f"v.t_{c}"
    if rule.type == "duration":
        return f"TRY_CAST(round(v.n_{c}) AS INTEGER)"
    if rule.type == "bool":
        return f"CAST(v.k_{c} AS BOOLEAN)"
    if rule.type == "enum" and rule.unknown == "other":
        return f"coalesce(v.k_{c}, CASE WHEN {v} IS NOT NULL THEN 'other' END)"
    if rule.type == "enum":
        return f"coalesce(v.k_{c}, {v})"
    if rule.type == "untrimmed":
        return f"v.u_{c}"
    return v


FORMAT_SAMPLE = 1000  # values of a column that choose its first format
# First in a column's order (format_order): its values are mostly times no house format
# reads (with a zone, 12-hour, Excel serials), so those are tried before the fourteen
# house formats (each tried in vain cost about 1.3 s a million 12-hour values).
OTHERS_FIRST = "others first"


def format_order(con: duckdb.DuckDBPyConnection, info: source.FileInfo) -> dict[str, list[str]]:
    """For each mapped date or time column of ``cx_raw``, :data:`TIMESTAMP_FORMATS` with
    the one most of its first filled values fit tried first.

    No text fits two of the formats (each must take the whole text), so the order changes
    no value, only the time: every format tried in vain costs about 0.7 s a million rows,
    and a file's dates are nearly always written one way (a service date without a time
    was tried against two formats first: 1.5 s of a 1M-row file's 4.3 s validation).
    """
    check_mapping(info.headers, info.mapping.columns)  # indexes become SQL
    orders = {}
    for i, col in info.mapping.columns.items():
        rule = RULE_OF.get(col)
        if rule is None or rule.type not in ("timestamp", "date"):
            continue
        fits = ", ".join(f"count(try_strptime(v, {db.sql_text(f)}))" for f in TIMESTAMP_FORMATS)
        *counts, others = con.execute(
            f"SELECT {fits}, count({_other_time('v')}) FROM (SELECT trim(c{i}) AS v FROM cx_raw"  # noqa: S608 - a mapped index, this module's formats
            f" WHERE c{i} IS NOT NULL ORDER BY rowid LIMIT {FORMAT_SAMPLE})"
        ).fetchall()[0]
        best = max(range(len(counts)), key=lambda k: (counts[k], -k))
        orders[col] = [TIMESTAMP_FORMATS[best]] + [
            f for k, f in enumerate(TIMESTAMP_FORMATS) if k != best
        ]
        if others > counts[best]:  # written with zones, 12-hour or as serials: those first
            orders[col].insert(0, OTHERS_FIRST)
    return orders


def typed_sql(
    info: source.FileInfo, orders: dict[str, list[str]] | None = None
) -> tuple[str, list[str]]:
    """SELECT turning cx_raw into typed columns, ``_reason`` / ``_reason_zh`` and
    ``_ignore``, and its parameters (the file's own header of the answers' ids: text from
    the file is bound, never written into the SQL).

    ``orders``: per date or time column, the order its formats are tried in
    (:func:`format_order`; by default :data:`TIMESTAMP_FORMATS`' own)."""
    check_mapping(info.headers, info.mapping.columns)  # targets and indexes become SQL
    src = {col: f"r.c{i}" for i, col in info.mapping.columns.items()}
    orders = orders or {}
    raw_cells = [f"r.c{i}" for i in range(len(info.headers))]
    trimmed = [
        "r.rowid AS _ord",
        "(" + " AND ".join(f"({c} IS NULL OR trim({c}) = '')" for c in raw_cells) + ") AS _blank",
        "r.c0 AS _first",
    ]
    parsed = ["*"]
    first = config.date_window_start()
    ahead = config.date_window_ahead_days()
    last = config.local_now().replace(microsecond=0) + timedelta(days=ahead)
    responded = "v.t_responded_at" if "responded_at" in src else "CAST(NULL AS TIMESTAMP)"
    dates = {
        "first_ts": db.sql_text(f"{first:%Y-%m-%d}"),
        "last_ts": db.sql_text(f"{last:%Y-%m-%d %H:%M:%S}"),
        "first_day": db.sql_text(f"{first:%Y-%m-%d}"),
        "responded": responded,
    }
    fixed_all = {
        "first": f"{first:%Y-%m-%d}",
        # in days, not the upload's minute: the same row rejected again an hour later is
        # the same reject (kept once), not a new one
        "ahead": f"{ahead} day" if ahead == 1 else f"{ahead} days",
        "ahead_zh": f"{ahead} 天",
    }
    rules = [RULE_OF.get(col) or Rule(col) for col in [*db.RESPONSE_COLUMNS, *db.STORE_COLUMNS]]
    for rule in rules:
        if rule.column in src:
            trimmed.append(f"nullif(trim({src[rule.column]}), '') AS v_{rule.column}")
            if rule.type == "untrimmed":
                trimmed.append(f"nullif({src[rule.column]}, '') AS u_{rule.column}")
            fmts = orders.get(rule.column, TIMESTAMP_FORMATS)
            first = fmts[:1] == [OTHERS_FIRST]
            parsed += _parsed(rule, _formats(fmts[first:]), others_first=first)
    checks: list[tuple[str, str, str]] = []
    columns: list[list[tuple[str, str, str]]] = []  # the checks again, column by column
    for rule in RULES:
        cell = src.get(rule.column)
        c = rule.column
        row = {
            "v": f"v.v_{c}",
            "at": f"strftime(v.t_{c}, '%Y-%m-%d %H:%M')",
            "day": f"v.t_{c}",
            "responded": f"CAST({responded} AS DATE)",
        }
        fixed = {**fixed_all, "col": c, "zh": rule.label_zh, **_known(rule)}
        if rule.low is not None:
            fixed["range"] = rule.range_text
        own = []
        for cond, kind in _checks(rule, cell, dates):
            en, zh = REASONS[kind]
            own.append((cond, _reason_sql(en, fixed, row), _reason_sql(zh, fixed, row)))
        checks += own
        if own:
            columns.append(own)
    select = []
    for rule in rules:
        typ = db.RESPONSE_COLUMNS.get(rule.column, "VARCHAR")
        expr = _typed(rule, typ) if rule.column in src else f"CAST(NULL AS {typ})"
        select.append(f"{expr} AS {rule.column}")
    # Whether a row fails is found once per row. Only a failing row has its reasons
    # spelled, in both languages: each column's first failing check, every column that
    # fails (so an export is fixed in one pass, not one problem per upload).
    fail = "CASE " + " ".join(f"WHEN {c} THEN {k}" for k, (c, _, _) in enumerate(checks)) + " END"

    def spelled(lang: int, sep: str) -> str:
        each = [
            "CASE " + " ".join(f"WHEN {check[0]} THEN {check[lang]}" for check in own) + " END"
            for own in columns
        ]
        return (
            f"CASE WHEN v._fail IS NOT NULL THEN concat_ws({db.sql_text(sep)}, {', '.join(each)})"
        )

    reason, reason_zh = spelled(1, REASON_SEPARATOR[0]), spelled(2, REASON_SEPARATOR[1])

    def raw(col: str) -> str:
        return f"v.v_{col}" if col in src else "CAST(NULL AS VARCHAR)"

    def label(cell: str) -> str:
        return (
            f"regexp_full_match(regexp_replace(lower({cell}), {db.sql_text(SPACES)}, '', 'g'),"
            f" {db.sql_text(TOTAL_LABEL)})"
        )

    # the label in the first or the id cell, or in the store cell of a row without an id
    # (one with an id of its own and 合计 as its store is an answer, rejected if wrong)
    ident = raw("response_id")
    params: list[str] = []
    totals = (
        f"(({label('v._first')} OR {label(ident)} OR ({label(raw('store_id'))} AND {ident} IS NULL))"
        f" AND {raw('responded_at')} IS NULL)"  # no time of its own, not even a wrong one
    )
    # The header row again (exports pasted together) and a survey tool's extra header rows
    # (Qualtrics: the question texts, whose id cell reads 'Response ID', then a row of
    # {"ImportId": …}): ignored like a totals row, not rejected as answers.
    if "response_id" in src:
        own = info.headers[next(i for i, c in info.mapping.columns.items() if c == "response_id")]
        # as written (no lower(): 0.5 s a million rows): the file's own header, Qualtrics'
        names = {"Response ID", "ResponseId", "response_id"}
        names |= set(ALIASES.get("response_id", []))
        listed = ", ".join(db.sql_text(n) for n in sorted(names))
        totals += f" OR {raw('response_id')} IN ({listed}, ?)"
        params.append(own.strip())
    totals += " OR starts_with(v._first, '{\"ImportId\"')"
    inner = f"SELECT {', '.join(trimmed)} FROM cx_raw r"  # noqa: S608
    inner = f"SELECT {', '.join(parsed)} FROM ({inner})"  # noqa: S608
    inner = f"SELECT *, {fail} AS _fail FROM ({inner}) v"  # noqa: S608
    return (
        f"SELECT v._ord, {', '.join(select)}, {reason} END AS _reason,"  # noqa: S608 - identifiers from the contract, literals from this module
        # a summary or header row is one that fails as an answer: an answer whose id or
        # store reads 合计 is kept (it had been dropped, counted as ignored), or rejected
        # with its reasons; checked on the failing rows only (a CASE runs its branch on
        # the rows it picks)
        f" {reason_zh} END AS _reason_zh, (v._blank OR CASE WHEN v._fail IS NULL THEN false"
        f" ELSE coalesce({totals}, false) END) AS _ignore"
        f" FROM ({inner}) v"
    ), params


def typed(con: duckdb.DuckDBPyConnection, info: source.FileInfo) -> list[tuple[int, str, str]]:
    """Temp table ``cx_typed`` from ``cx_raw``; the rows DuckDB's reader could not split
    (line, raw text, message), which are rejects too."""
    con.execute("DROP TABLE IF EXISTS cx_typed")
    sql, params = typed_sql(info, format_order(con, info))
    con.execute(f"CREATE TEMP TABLE cx_typed AS {sql}", params)
    malformed = con.execute(
        "SELECT line, csv_line, error_message FROM cx_csv_errors ORDER BY line"
    ).fetchall()
    con.execute("DROP TABLE IF EXISTS cx_csv_errors")
    con.execute("DROP TABLE IF EXISTS cx_csv_scans")
    return malformed


def keep_new(con: duckdb.DuckDBPyConnection) -> None:
    """``cx_new``: the valid rows, the last valid row of a repeated response_id winning
    (a rejected row, even a later one, replaces none)."""
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


@dataclass
class Checked:
    """What validation found: counts, the rejects with their source lines, a preview."""

    total: int  # records DuckDB's reader split
    ignored: int  # blank and totals rows
    rejected: int  # records with a reason, and malformed rows
    valid: int
    kept: int  # valid rows after repeated ids collapsed
    malformed: int
    rejects: pd.DataFrame
    preview: pd.DataFrame
    # rejected rows with the response_id of a row that is written (its last valid row):
    # a later rejected row is no correction taking effect
    repeats_rejected: int = 0

    @property
    def rows_read(self) -> int:
        """Rows of the file that count: every record and malformed row but the ignored."""
        return self.total - self.ignored + self.malformed


def explain(
    con: duckdb.DuckDBPyConnection,
    info: source.FileInfo,
    malformed: list[tuple[int, str, str]],
    preview_rows: int = 20,
) -> Checked:
    """Counts of ``cx_typed`` / ``cx_new``, each reject's source line and raw text, and
    the first rows of the file that would be written."""
    total, ignored, rejected, valid, kept = con.execute(
        "SELECT (SELECT count(*) FROM cx_typed),"
        " (SELECT count(*) FROM cx_typed WHERE _ignore),"
        " (SELECT count(*) FROM cx_typed WHERE NOT _ignore AND _reason IS NOT NULL),"
        " (SELECT count(*) FROM cx_typed WHERE NOT _ignore AND _reason IS NULL),"
        " (SELECT count(*) FROM cx_new)"
    ).fetchall()[0]
    repeats_rejected = 0
    if rejected and valid:
        repeats_rejected = con.execute(
            "SELECT count(*) FROM cx_typed WHERE NOT _ignore AND _reason IS NOT NULL"
            " AND response_id IN (SELECT response_id FROM cx_new)"
        ).fetchall()[0][0]
    rej = con.execute(
        "SELECT _ord, _reason, _reason_zh FROM cx_typed"
        " WHERE NOT _ignore AND _reason IS NOT NULL ORDER BY _ord"
    ).fetchall()
    where = source.line_map(info, [r[0] for r in rej], total, bool(malformed))
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
    return Checked(
        total=total,
        ignored=ignored,
        rejected=rejected + len(malformed),
        valid=valid,
        kept=kept,
        malformed=len(malformed),
        rejects=rejects,
        preview=preview,
        repeats_rejected=repeats_rejected,
    )
