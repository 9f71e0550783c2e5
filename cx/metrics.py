"""The metric registry: every number a page shows, defined once, and the rollup it reads.

In the spirit of Rill's metrics-as-code, each :class:`Metric` carries its name, labels
in both languages, layer, formula text, unit and format, direction (``higher_is_better``),
default target, the test that decides whether a change is "real", a description and the
pages it appears on. :func:`value` computes a metric from one row of inputs; every ratio
is guarded: no answers -> ``None`` (shown as "no data"), never 0.

Two dictionaries:

* :data:`METRICS`: the overview's metrics (one card each on the CX overview); their
  inputs are one month of ``daily_rollup`` columns summed over the scope plus the raw
  inputs of :data:`RAW_INPUTS` (waiting quantiles, repeat faults), see
  :mod:`cx.queries.cx_overview`. Adding an entry here adds a card to the overview.
* :data:`PAGE_METRICS`: the other numbers the pages show (board KPIs, pace, segment NPS,
  touchpoint scores, planner totals); the overview's metrics that other pages show too
  (NPS, CSI, the promoter and detractor shares) name those pages in ``pages``.

:func:`get` finds a key in either.

**The rollup is generated from the registry.** :data:`INPUTS` declares every column of
``daily_rollup`` (besides store_id and day): its name, the SQL aggregate over the
answers of one store and day, bound values for its thresholds and its DuckDB type.
:mod:`cx.db` builds the table, the refresh and the migration of an older file from it;
the thresholds (:data:`CSAT_TOP2_MIN`, :data:`CES_EASY_MAX`, :data:`WAIT_LONG_MINUTES`,
:data:`NPS_TOP`; the NPS segments come from :mod:`cx.rules`) are the constants the
formula texts are written from, so the prose and the SQL cannot drift. A new metric is
one :class:`Input` (when it needs a new count or sum) and one :class:`Metric`.

:func:`markdown_table` renders the README's metric-definitions table (the overview's
metrics) and :func:`pages_table` the other pages' numbers, both from the registry.

Default targets (documented here and in the table):

* NPS: the monthly store target of the ``targets`` table (``'*'`` = default for all
  stores); a multi-store scope uses the answer-weighted mean of its stores' targets.
* CSAT 90 %, CES 2.0 or lower, CJI 8.5, first-time-fix 90 % or more, waiting median
  120 min or less (the issue's "waiting under 2 h").
* Chosen here (edit them on the page): CSI 800 (the lower bound of the "very good"
  tier of ``stats.CSI_TIERS``); waiting p90 240 min (nine in ten cars back within
  4 h); share waiting over 2 h at most 25 % (three in four within 2 h, stricter than
  the median target, which alone allows one in two); repeat-fault share at most 10 %.
* No default (state "no target" until one is set): promoter share, detractor share,
  share of CES 1-2 (they explain NPS and CES rather than being goals of their own).
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Literal

from cx import rules, stats
from cx.enums import CSI_DIMS, PAIN_POINTS, TP_KEYS, TP_LABELS

Layer = Literal["outcome", "perception", "operations", "planning"]
Unit = Literal["nps", "share", "ces", "score10", "csi", "minutes", "count", "yuan"]
Test = Literal["nps", "proportion", "mean", "index", "quantile", "none"]
Page = Literal["board", "overview", "segments", "quadrant", "heatmap", "planner"]

# --------------------------------------------------------------------------- thresholds

NPS_TOP = 10
"""The top of the 0-10 recommendation scale (the rollup counts the 10s: a gaming signal)."""
CSAT_TOP2_MIN = 4
"""The lowest CSAT answer that counts as satisfied (top-2 box of 1-5)."""
CSAT_MAX = 5
"""The top of the CSAT scale."""
CES_MAX = 7
"""The top (hardest) of the CES scale."""
CES_EASY_MAX = 2
"""The highest CES answer that counts as easy (1-2 of 1-7)."""
WAIT_LONG_MINUTES = 120
"""A wait longer than this is a long wait (the issue's "waiting under 2 h")."""

LAYERS: dict[str, tuple[str, str]] = {
    "outcome": ("结果", "Outcome"),
    "perception": ("感知", "Perception"),
    "operations": ("运营", "Operations"),
    "planning": ("计划", "Planning"),
}

PAGES: dict[str, str] = {
    "board": "page.board",
    "overview": "page.overview",
    "segments": "page.segments",
    "quadrant": "page.quadrant",
    "heatmap": "page.heatmap",
    "planner": "page.planner",
}
"""The pages that show metrics (``pages/<name>.py``) and the text keys of their titles."""

TESTS: dict[str, tuple[str, str]] = {
    "nps": ("NPS 两样本 z 检验", "two-sample NPS z test"),
    "proportion": ("两比例 z 检验", "two-proportion z test"),
    "mean": ("两样本均值 z 检验（和与平方和）", "two-sample mean z test (sums, sums of squares)"),
    "index": (
        "加权均值 z 检验（保守：假设各项完全相关）",
        "weighted-mean z test (conservative: items assumed fully correlated)",
    ),
    "quantile": (
        "Mood 分位数检验（高于合并分位数的比例）",
        "Mood's quantile test (share above the pooled quantile)",
    ),
    "none": ("不做检验（推算或计划值）", "none (a derived or planned figure)"),
}

UNITS: dict[str, tuple[str, str]] = {
    "nps": ("分（-100~100）", "points (-100..100)"),
    "share": ("%", "%"),
    "ces": ("1~7 分", "1..7"),
    "score10": ("0~10 分", "0..10"),
    "csi": ("1000 分制", "points of 1000"),
    "minutes": ("分钟", "minutes"),
    "count": ("份", "answers"),
    "yuan": ("元", "yuan"),
}

# display digits and the factor from the stored value to what a person reads
_DIGITS: dict[str, int] = {
    "nps": 1,
    "share": 1,
    "ces": 2,
    "score10": 2,
    "csi": 0,
    "minutes": 0,
    "count": 0,
    "yuan": 0,
}
_SCALE: dict[str, float] = {"share": 100.0}
# plausible range of a target, in stored units
_RANGE: dict[str, tuple[float, float]] = {
    "nps": (-100.0, 100.0),
    "share": (0.0, 1.0),
    "ces": (1.0, 7.0),
    "score10": (0.0, 10.0),
    "csi": (0.0, 1000.0),
    "minutes": (0.0, 24 * 60.0),
    "count": (0.0, 1e12),
    "yuan": (0.0, 1e12),
}


Row = Mapping[str, object]


@dataclass(frozen=True)
class Metric:
    """One metric's definition."""

    key: str
    layer: Layer
    label_zh: str
    label_en: str
    formula_zh: str
    formula_en: str
    unit: Unit
    higher_is_better: bool
    default_target: float | None
    test: Test
    description_zh: str
    description_en: str
    compute: Callable[[Row], tuple[float | None, int]]
    # inputs of the change test: proportion (x, n); mean (sum, sumsq, n); quantile q
    test_fields: tuple[str, ...] = ()
    quantile: float | None = None
    # metrics of one family move together; "what moved" names only the strongest
    family: str = ""
    # the NPS target comes from the monthly ``targets`` table, not ``metric_targets``
    target_from_store_targets: bool = False
    # the pages that show this number (README table; ``PAGES``)
    pages: tuple[str, ...] = ("overview",)
    # what the "default target" column says when it is not a number (zh, en)
    target_note: tuple[str, str] | None = None

    def label(self, lang: str) -> str:
        return self.label_zh if lang == "zh" else self.label_en

    def formula(self, lang: str) -> str:
        return self.formula_zh if lang == "zh" else self.formula_en

    def description(self, lang: str) -> str:
        return self.description_zh if lang == "zh" else self.description_en

    @property
    def digits(self) -> int:
        return _DIGITS[self.unit]

    @property
    def scale(self) -> float:
        """Factor from the stored value (a share is a fraction) to the displayed one."""
        return _SCALE.get(self.unit, 1.0)

    @property
    def target_range(self) -> tuple[float, float]:
        return _RANGE[self.unit]

    @property
    def editable(self) -> bool:
        return not self.target_from_store_targets


# --------------------------------------------------------------------------- rollup inputs

SqlType = Literal["INTEGER", "BIGINT", "DOUBLE"]
_SQL_TYPES = ("INTEGER", "BIGINT", "DOUBLE")
_NAME = re.compile(r"^[a-z][a-z0-9_]*$")
_RESERVED = ("store_id", "day")


@dataclass(frozen=True)
class Input:
    """One column of ``daily_rollup``: an aggregate over the answers of one store and day.

    ``sql`` is a SQL aggregate over rows of ``responses`` (code, never input), with a
    ``?`` for each value of ``params`` (bound when the rollup is refreshed); ``type`` is
    the column's DuckDB type. Summing the column over days and stores gives the same
    aggregate over those answers (counts and sums only: a median is a raw input).
    """

    name: str
    sql: str
    type: SqlType
    params: tuple[float, ...] = ()

    def __post_init__(self) -> None:
        if not _NAME.match(self.name) or self.name in _RESERVED:
            raise ValueError(f"not a rollup column name: {self.name!r}")
        if self.type not in _SQL_TYPES:
            raise ValueError(f"rollup column {self.name}: type {self.type!r} not in {_SQL_TYPES}")
        if ";" in self.sql or "--" in self.sql or self.sql.count("?") != len(self.params):
            raise ValueError(f"rollup column {self.name}: one aggregate, one value per '?'")

    def ddl(self) -> str:
        """The column's definition in ``CREATE TABLE`` / ``ADD COLUMN``."""
        return f"{self.name} {self.type}"

    def select(self) -> str:
        """The column's aggregate in the rollup's ``SELECT`` (bind :attr:`params`)."""
        return f"{self.sql} AS {self.name}"


def _count_if(name: str, condition: str, *params: float) -> Input:
    return Input(name, f"count(*) FILTER (WHERE {condition})", "INTEGER", params)


def _moments(column: str, prefix: str, sumsq: bool = True) -> list[Input]:
    """n, sum (and sum of squares) of a numeric answer column: mean and variance."""
    out = [
        Input(f"{prefix}_n", f"count({column})", "INTEGER"),
        Input(f"{prefix}_sum", f"coalesce(sum({column}), 0)", "DOUBLE"),
    ]
    if sumsq:
        out.append(Input(f"{prefix}_sumsq", f"coalesce(sum({column} * {column}), 0)", "DOUBLE"))
    return out


_ITEMS = [f"csi_{d}" for d in CSI_DIMS] + [f"tp_{t}" for t in TP_KEYS]

INPUTS: dict[str, Input] = {
    i.name: i
    for i in [
        Input("n", "count(*)", "INTEGER"),
        _count_if("d", rules.detractor_sql("nps")),
        _count_if("pa", rules.passive_sql("nps")),
        _count_if("p", rules.promoter_sql("nps")),
        _count_if("n10", "nps = ?", NPS_TOP),
        *(i for item in _ITEMS for i in _moments(item, item)),
        Input("csat_n", "count(csat)", "INTEGER"),
        _count_if("csat_top2", "csat >= ?", CSAT_TOP2_MIN),
        *_moments("ces", "ces"),
        _count_if("ces_low", "ces <= ?", CES_EASY_MAX),
        *_moments("wait_minutes", "wait", sumsq=False),
        _count_if("wait_over120", "wait_minutes > ?", WAIT_LONG_MINUTES),
        Input("ftf_n", "count(first_time_fix)", "INTEGER"),
        _count_if("ftf_yes", "first_time_fix"),
    ]
}
"""Every column of ``daily_rollup`` besides (store_id, day), in table order."""


@dataclass(frozen=True)
class RawInput:
    """A monthly input read from the month's raw answers (a quantile or a month-level
    guard cannot be summed from days): ``sql`` is an aggregate over the month's rows of
    ``responses`` with a ``?`` per value of ``params``; ``keep_null`` keeps a month
    without a value NULL (a quantile: no data) instead of 0 (a count)."""

    name: str
    sql: str
    params: tuple[object, ...] = ()
    keep_null: bool = False

    def __post_init__(self) -> None:
        if not _NAME.match(self.name) or self.name in _RESERVED:
            raise ValueError(f"not an input name: {self.name!r}")
        if ";" in self.sql or "--" in self.sql or self.sql.count("?") != len(self.params):
            raise ValueError(f"raw input {self.name}: one aggregate, one value per '?'")

    def select(self) -> str:
        """The aggregate in the month's ``SELECT`` (bind :attr:`params`)."""
        return f"{self.sql} AS {self.name}"


WAIT_QUANTILES: dict[str, float] = {"wait_median": 0.5, "wait_p90": 0.9}
"""The waiting quantiles the overview shows (continuous interpolation)."""
REPEAT_PAIN_POINT = "unresolved"
"""The pain point of a repeat fault (问题未解决/返修)."""

RAW_INPUTS: dict[str, RawInput] = {
    r.name: r
    for r in [
        *(
            RawInput(name, "quantile_cont(wait_minutes, ?)", (q,), keep_null=True)
            for name, q in WAIT_QUANTILES.items()
        ),
        RawInput("unresolved", "count(*) FILTER (WHERE pain_point = ?)", (REPEAT_PAIN_POINT,)),
        # the month's answers when its export carried pain points at all (else: no data)
        RawInput("pain_n", "CASE WHEN count(pain_point) > 0 THEN count(*) ELSE 0 END"),
    ]
}
"""Monthly inputs that cannot be summed from days; read from raw answers by
:func:`cx.queries.cx_overview.monthly_inputs`."""


def raw_inputs() -> list[RawInput]:
    """The declared raw monthly inputs, in order (read at call time); ValueError when one
    is named like a rollup input (a month's row holds both)."""
    clash = set(RAW_INPUTS) & set(INPUTS)
    if clash:
        raise ValueError(f"inputs declared both raw and rolled up: {sorted(clash)}")
    return list(RAW_INPUTS.values())


def rollup_inputs() -> list[Input]:
    """The declared rollup columns, in order (read at call time: a metric registered at
    run time is included)."""
    return list(INPUTS.values())


def rollup_names() -> list[str]:
    """The names of the declared rollup columns, in order."""
    return list(INPUTS)


# --------------------------------------------------------------------------- inputs


def num(row: Row, key: str) -> float:
    """A count or sum from a row; missing or NaN counts as 0 (no answers)."""
    v = row.get(key)
    if v is None:
        return 0.0
    try:
        f = float(v)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return 0.0
    return 0.0 if math.isnan(f) else f


def opt(row: Row, key: str) -> float | None:
    """A value that may be absent (a quantile): None for missing or NaN."""
    v = row.get(key)
    if v is None:
        return None
    try:
        f = float(v)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return None if math.isnan(f) else f


def share(x: float, n: float) -> float | None:
    """x / n, or None when there are no answers (never a 0 for 'no data')."""
    return None if n <= 0 else x / n


def mean_var(s: float, ss: float, n: float) -> tuple[float | None, float | None]:
    """Mean and sample variance from a sum and a sum of squares; None without answers.

    The variance is None for n == 1 (stats.mean_diff_test then counts it as 0).
    """
    if n <= 0:
        return None, None
    m = s / n
    if n < 2:
        return m, None
    return m, max((ss - s * s / n) / (n - 1), 0.0)


def item_means(row: Row, prefix: str, keys: list[str]) -> dict[str, float | None]:
    """Per-item means (``<prefix><key>_sum / _n``) for CSI dimensions or touchpoints."""
    return {k: share(num(row, f"{prefix}{k}_sum"), num(row, f"{prefix}{k}_n")) for k in keys}


def _items_n(row: Row, prefix: str, keys: list[str]) -> int:
    return int(max((num(row, f"{prefix}{k}_n") for k in keys), default=0))


# --------------------------------------------------------------------------- compute


def _nps(row: Row) -> tuple[float | None, int]:
    n = num(row, "d") + num(row, "pa") + num(row, "p")
    return stats.nps(num(row, "d"), num(row, "pa"), num(row, "p")), int(n)


def _share_of(x: str, n: str) -> Callable[[Row], tuple[float | None, int]]:
    def f(row: Row) -> tuple[float | None, int]:
        return share(num(row, x), num(row, n)), int(num(row, n))

    return f


def _ces(row: Row) -> tuple[float | None, int]:
    n = num(row, "ces_n")
    return stats.ces_mean(num(row, "ces_sum"), int(n)), int(n)


def _cji(row: Row) -> tuple[float | None, int]:
    return stats.cji(item_means(row, "tp_", TP_KEYS)), _items_n(row, "tp_", TP_KEYS)


def _csi(row: Row) -> tuple[float | None, int]:
    return stats.csi(item_means(row, "csi_", CSI_DIMS)), _items_n(row, "csi_", CSI_DIMS)


def _quantile(col: str) -> Callable[[Row], tuple[float | None, int]]:
    def f(row: Row) -> tuple[float | None, int]:
        n = int(num(row, "wait_n"))
        return (opt(row, col) if n > 0 else None), n

    return f


# formula fragments written from the thresholds the rollup binds (one declaration)
_PROMOTERS = f"{rules.PROMOTER_MIN}-{NPS_TOP}"
_DETRACTORS = f"0-{rules.DETRACTOR_MAX}"
_CSAT_TOP = f"{CSAT_TOP2_MIN}-{CSAT_MAX}"
_LONG_H = f"{WAIT_LONG_MINUTES / 60:g}"
_P90 = f"{100 * WAIT_QUANTILES['wait_p90']:g}"
_NPS_FORMULA = (
    f"(推荐者 {_PROMOTERS} 分 − 贬损者 {_DETRACTORS} 分) ÷ 答卷数 × 100",
    f"(promoters {_PROMOTERS} − detractors {_DETRACTORS}) / answers × 100",
)

METRICS: dict[str, Metric] = {
    m.key: m
    for m in [
        Metric(
            "nps",
            "outcome",
            "NPS 净推荐值",
            "NPS",
            _NPS_FORMULA[0],
            _NPS_FORMULA[1],
            "nps",
            True,
            None,
            "nps",
            "客户向亲友推荐本店的意愿，-100 到 100。",
            "How likely customers are to recommend the store, -100 to 100.",
            _nps,
            family="nps",
            target_from_store_targets=True,
            pages=("overview", "board", "segments", "quadrant", "planner"),
        ),
        Metric(
            "promoters",
            "outcome",
            "推荐者占比",
            "Promoter share",
            f"{_PROMOTERS} 分答卷 ÷ 答卷数",
            f"answers {_PROMOTERS} / answers",
            "share",
            True,
            None,
            "proportion",
            f"打 {rules.PROMOTER_MIN} 或 {NPS_TOP} 分的客户占比。",
            f"Share of customers scoring {rules.PROMOTER_MIN} or {NPS_TOP}.",
            _share_of("p", "n"),
            test_fields=("p", "n"),
            family="nps",
            pages=("overview", "board", "segments"),
        ),
        Metric(
            "detractors",
            "outcome",
            "贬损者占比",
            "Detractor share",
            f"{_DETRACTORS} 分答卷 ÷ 答卷数",
            f"answers {_DETRACTORS} / answers",
            "share",
            False,
            None,
            "proportion",
            f"打 0 到 {rules.DETRACTOR_MAX} 分的客户占比，越低越好。",
            f"Share of customers scoring 0 to {rules.DETRACTOR_MAX}; lower is better.",
            _share_of("d", "n"),
            test_fields=("d", "n"),
            family="nps",
            pages=("overview", "board", "segments"),
        ),
        Metric(
            "csat",
            "perception",
            "满意度 CSAT",
            "CSAT",
            f"CSAT {_CSAT_TOP} 分答卷 ÷ 回答 CSAT 的答卷（前两项占比，不是平均分）",
            f"answers {_CSAT_TOP} / answers to CSAT on 1-{CSAT_MAX} (top-2 box, not the mean)",
            "share",
            True,
            0.90,
            "proportion",
            f"满意（{CSAT_TOP2_MIN} 分）或非常满意（{CSAT_MAX} 分）的客户占比。",
            f"Share of customers satisfied ({CSAT_TOP2_MIN}) or very satisfied ({CSAT_MAX}).",
            _share_of("csat_top2", "csat_n"),
            test_fields=("csat_top2", "csat_n"),
            family="csat",
        ),
        Metric(
            "ces",
            "perception",
            "客户费力度 CES",
            "CES",
            f"CES 1-{CES_MAX} 分的平均值（1 非常容易，{CES_MAX} 非常费力；越低越好）",
            f"mean of CES on 1-{CES_MAX} (1 very easy, {CES_MAX} very hard; lower is better)",
            "ces",
            False,
            2.0,
            "mean",
            "办成这件事有多费力；分数下降是改善。",
            "How much effort the visit took; a fall is an improvement.",
            _ces,
            test_fields=("ces_sum", "ces_sumsq", "ces_n"),
            family="ces",
        ),
        Metric(
            "ces_easy",
            "perception",
            f"省力占比（CES 1-{CES_EASY_MAX}）",
            f"Easy share (CES 1-{CES_EASY_MAX})",
            f"CES 1-{CES_EASY_MAX} 分答卷 ÷ 回答 CES 的答卷",
            f"answers 1-{CES_EASY_MAX} / answers to CES",
            "share",
            True,
            None,
            "proportion",
            f"觉得很容易（1 到 {CES_EASY_MAX} 分）的客户占比。",
            f"Share of customers who found it easy (1 to {CES_EASY_MAX}).",
            _share_of("ces_low", "ces_n"),
            test_fields=("ces_low", "ces_n"),
            family="ces",
        ),
        Metric(
            "cji",
            "perception",
            "客户旅程指数 CJI",
            "CJI",
            "七个触点平均分（0-10）的加权平均（stats.CJI_WEIGHTS，缺项重新归一）",
            "weighted mean of the seven touchpoint means (0-10, stats.CJI_WEIGHTS, "
            "missing ones renormalised)",
            "score10",
            True,
            8.5,
            "index",
            "整个服务旅程（预约到回访）的综合体验分。",
            "The whole service journey, appointment to follow-up, in one score.",
            _cji,
            family="cji",
            pages=("overview", "heatmap"),
        ),
        Metric(
            "csi",
            "perception",
            "客户满意指数 CSI",
            "CSI",
            "五个维度平均分（1-10）的加权平均 × 100（stats.CSI_WEIGHTS）",
            "weighted mean of the five dimension means (1-10) × 100 (stats.CSI_WEIGHTS)",
            "csi",
            True,
            800.0,
            "index",
            "服务满意度指数，1000 分制；800 分为“优秀”档下限。",
            "Service satisfaction index out of 1000; 800 starts the 'very good' tier.",
            _csi,
            family="csi",
            pages=("overview", "quadrant"),
        ),
        Metric(
            "ftf",
            "operations",
            "一次修复率",
            "First-time-fix rate",
            "一次修好的答卷 ÷ 回答了是否一次修好的答卷",
            "answers fixed first time / answers that say",
            "share",
            True,
            0.90,
            "proportion",
            "车辆第一次进店就修好的比例。",
            "Share of vehicles fixed on the first visit.",
            _share_of("ftf_yes", "ftf_n"),
            test_fields=("ftf_yes", "ftf_n"),
            family="ftf",
        ),
        Metric(
            "wait_median",
            "operations",
            "等待时长中位数",
            "Waiting, median",
            "wait_minutes 的中位数（连续插值）",
            "median of wait_minutes (continuous)",
            "minutes",
            False,
            120.0,
            "quantile",
            "一半客户的等待时间不超过此值；目标 2 小时以内。",
            "Half of the customers waited no longer than this; target under 2 h.",
            _quantile("wait_median"),
            quantile=WAIT_QUANTILES["wait_median"],
            family="wait",
        ),
        Metric(
            "wait_p90",
            "operations",
            f"等待时长 P{_P90}",
            f"Waiting, {_P90}th percentile",
            f"wait_minutes 的第 {_P90} 百分位（连续插值）",
            f"{_P90}th percentile of wait_minutes (continuous)",
            "minutes",
            False,
            240.0,
            "quantile",
            "九成客户的等待时间不超过此值；默认目标 4 小时。",
            "Nine in ten customers waited no longer than this; default target 4 h.",
            _quantile("wait_p90"),
            quantile=WAIT_QUANTILES["wait_p90"],
            family="wait",
        ),
        Metric(
            "wait_over_2h",
            "operations",
            f"等待超 {_LONG_H} 小时占比",
            f"Share waiting over {_LONG_H} h",
            f"wait_minutes > {WAIT_LONG_MINUTES} 的答卷 ÷ 有等待时长的答卷",
            f"answers with wait_minutes > {WAIT_LONG_MINUTES} / answers with a waiting time",
            "share",
            False,
            0.25,
            "proportion",
            f"等待超过 {_LONG_H} 小时的客户占比（典型痛点）；默认目标不超过 25%。",
            f"Share of customers waiting over {_LONG_H} h (the classic pain point);"
            " default at most 25 %.",
            _share_of("wait_over120", "wait_n"),
            test_fields=("wait_over120", "wait_n"),
            family="wait",
        ),
        Metric(
            "repeat_fault",
            "operations",
            "返修/未解决占比",
            "Repeat-fault share",
            f"痛点为“{PAIN_POINTS[REPEAT_PAIN_POINT][0]}”（{REPEAT_PAIN_POINT}）的答卷 ÷ 答卷数",
            f"answers with pain_point = {REPEAT_PAIN_POINT} / answers",
            "share",
            False,
            0.10,
            "proportion",
            "反映问题未解决或需要返修的答卷占比；默认目标不超过 10%。",
            "Share of answers reporting an unresolved or repeat fault; default at most 10 %.",
            _share_of("unresolved", "pain_n"),  # no pain points recorded: no data, not 0 %
            test_fields=("unresolved", "pain_n"),
            family="repeat",
        ),
    ]
}

LAYER_ORDER: list[str] = ["outcome", "perception", "operations"]


# --------------------------------------------------------------------------- other pages


def _answers(row: Row) -> tuple[float | None, int]:
    n = int(num(row, "n"))
    return (float(n) if n > 0 else None), n


def _required(row: Row) -> tuple[float | None, int]:
    """The NPS still required (cx.rules.required_nps) from a pace row: d, pa, p so far,
    ``target`` and ``n_left`` (answers expected on the days left)."""
    target = opt(row, "target")
    n = int(num(row, "d") + num(row, "pa") + num(row, "p"))
    if target is None:
        return None, n
    nps_now = stats.nps(num(row, "d"), num(row, "pa"), num(row, "p"))
    return rules.required_nps(target, nps_now, n, num(row, "n_left")), n


def _probability(row: Row) -> tuple[float | None, int]:
    n = int(num(row, "d") + num(row, "pa") + num(row, "p"))
    return opt(row, "prob"), n


def _tp_mean(key: str) -> Callable[[Row], tuple[float | None, int]]:
    def f(row: Row) -> tuple[float | None, int]:
        n = num(row, f"tp_{key}_n")
        return share(num(row, f"tp_{key}_sum"), n), int(n)

    return f


def _plan(field: str) -> Callable[[Row], tuple[float | None, int]]:
    """A total of the planner's summary (cx.planner.summarise); n is not a sample here."""

    def f(row: Row) -> tuple[float | None, int]:
        return opt(row, field), 0

    return f


_PLAN_TARGET = ("改进计划里设定的目标", "the goal set in the plan")
_BUDGET_TARGET = ("可用预算（在页面填写）", "the budget available (typed on the page)")

PAGE_METRICS: dict[str, Metric] = {
    m.key: m
    for m in [
        Metric(
            "answers",
            "outcome",
            "答卷数",
            "Answers",
            "所选门店和日期内的答卷数（daily_rollup.n 之和）",
            "answers of the chosen stores and days (sum of daily_rollup.n)",
            "count",
            True,
            None,
            "none",
            f"每个 NPS 都带着它的样本量；样本少于 {stats.LOW_N} 时提示，"
            f"少于 {stats.MIN_N} 时不比较、不排名。",
            f"Every NPS carries its n; below {stats.LOW_N} it is flagged, below"
            f" {stats.MIN_N} neither compared nor ranked.",
            _answers,
            pages=("board", "segments", "quadrant", "heatmap"),
            target_note=("无", "none"),
        ),
        Metric(
            "mtd_nps",
            "outcome",
            "本月至今 NPS",
            "Month-to-date NPS",
            "本月 1 日至所选日期的答卷上：" + _NPS_FORMULA[0],
            "on the answers from the 1st of the month to the chosen day: " + _NPS_FORMULA[1],
            "nps",
            True,
            None,
            "nps",
            "本月到目前为止的 NPS，与月度目标比较。",
            "The month's NPS so far, against the monthly target.",
            _nps,
            family="nps",
            target_from_store_targets=True,
            pages=("board", "planner"),
        ),
        Metric(
            "required_nps",
            "outcome",
            "剩余天数需达到的 NPS",
            "NPS needed on the remaining days",
            "(目标 × (已有答卷 + 预计答卷) − 本月至今 NPS × 已有答卷) ÷ 预计答卷；"
            "预计答卷 = 近 28 天日均答卷 × 剩余天数；≤ −100 为目标已稳，> 100 为已无法达到",
            "(target × (answers so far + answers expected) − MTD NPS × answers so far)"
            " / answers expected; answers expected = the last 28 days' answers a day ×"
            " days left; ≤ −100 already secured, > 100 out of reach",
            "nps",
            False,
            None,
            "none",
            "剩下的答卷平均要达到多少 NPS，月底才能达标（配速）。",
            "What the answers still to come must average for the month to end on"
            " target (the pace).",
            _required,
            family="nps",
            pages=("board", "planner"),
            target_note=("无（由月度目标推出）", "none (follows from the monthly target)"),
        ),
        Metric(
            "target_odds",
            "outcome",
            "按当前水平达标概率",
            "Chance of ending on target",
            "剩余答卷按本月至今的推荐者 / 中立者 / 贬损者比例抽样，月底 NPS ≥ 目标的概率",
            "probability that the month ends at or above target when the answers still to"
            " come share this month's promoter / passive / detractor mix",
            "share",
            True,
            None,
            "none",
            "假设剩余答卷与本月至今结构相同时的达标可能性。",
            "How likely the month ends on target if the remaining answers look like this"
            " month's so far.",
            _probability,
            family="nps",
            pages=("board", "planner"),
            target_note=("无", "none"),
        ),
        Metric(
            "segment_nps",
            "outcome",
            "客群 NPS",
            "Segment NPS",
            "同一客群（服务类型、车型、渠道、客户等级、服务顾问）的答卷上：" + _NPS_FORMULA[0],
            "on the answers of one segment (service type, model, channel, tier, advisor): "
            + _NPS_FORMULA[1],
            "nps",
            True,
            None,
            "nps",
            "一个客群的 NPS 及其 95% 区间，与上期比较。",
            "One segment's NPS with its 95 % interval, against the period before.",
            _nps,
            family="nps",
            pages=("segments",),
            target_note=("无", "none"),
        ),
        Metric(
            "share_top",
            "outcome",
            f"{NPS_TOP} 分占比",
            f"Share of {NPS_TOP}s",
            f"{NPS_TOP} 分答卷 ÷ 答卷数",
            f"answers {NPS_TOP} / answers",
            "share",
            True,
            None,
            "proportion",
            f"打满分 {NPS_TOP} 的客户占比；审查刷分时与本店其他日子比较。",
            f"Share of customers scoring {NPS_TOP}; the gaming review compares it with the"
            " store's other days.",
            _share_of("n10", "n"),
            test_fields=("n10", "n"),
            family="nps",
            pages=("segments",),
            target_note=("无", "none"),
        ),
        *(
            Metric(
                f"tp_{k}",
                "perception",
                f"触点：{TP_LABELS[k][0]}",
                f"Touchpoint: {TP_LABELS[k][1]}",
                f"tp_{k} 的平均分（0-10；有分数的答卷）",
                f"mean of tp_{k} (0-10, answers with a score)",
                "score10",
                True,
                None,
                "mean",
                "热力图的一格：一个触点的平均分；CJI 按 stats.CJI_WEIGHTS 加权。",
                "One heatmap cell: a touchpoint's mean; CJI weights them by stats.CJI_WEIGHTS.",
                _tp_mean(k),
                test_fields=(f"tp_{k}_sum", f"tp_{k}_sumsq", f"tp_{k}_n"),
                family=f"tp_{k}",
                pages=("heatmap", "overview"),
                target_note=("无", "none"),
            )
            for k in TP_KEYS
        ),
        Metric(
            "plan_gain",
            "planning",
            "预期提升",
            "Expected gain",
            "启用项目的预期提升之和（NPS 分）",
            "sum of the enabled projects' expected gains (NPS points)",
            "nps",
            True,
            None,
            "none",
            "所选改进项目合计能把 NPS 提高多少分。",
            "How many NPS points the chosen projects add together.",
            _plan("total_gain"),
            pages=("planner",),
            target_note=_PLAN_TARGET,
        ),
        Metric(
            "plan_projected",
            "planning",
            "预计 NPS",
            "Projected NPS",
            "min(100, 基准 NPS + 预期提升)",
            "min(100, baseline NPS + expected gain)",
            "nps",
            True,
            None,
            "none",
            "按预期提升推算的月底 NPS，与目标比较。",
            "The month's NPS at the expected gains, against the goal.",
            _plan("projected"),
            pages=("planner",),
            target_note=_PLAN_TARGET,
        ),
        Metric(
            "plan_budget",
            "planning",
            "已用预算",
            "Budget used",
            "启用项目的费用之和（元）",
            "sum of the enabled projects' costs (yuan)",
            "yuan",
            False,
            None,
            "none",
            "所选项目花掉的钱；超出可用预算时页面提示。",
            "What the chosen projects cost; the page warns when it exceeds the budget.",
            _plan("budget_used"),
            pages=("planner",),
            target_note=_BUDGET_TARGET,
        ),
    ]
}


def every() -> dict[str, Metric]:
    """Every registered metric: the overview's, then the other pages' (at call time)."""
    return {**METRICS, **PAGE_METRICS}


def get(key: str) -> Metric:
    """The metric ``key`` (overview or another page); KeyError when unknown."""
    if key in METRICS:
        return METRICS[key]
    return PAGE_METRICS[key]


def on_page(page: str) -> list[Metric]:
    """The metrics ``page`` shows, in registry order."""
    return [m for m in every().values() if page in m.pages]


def by_layer(layer: str) -> list[Metric]:
    """The metrics of one layer, in registry order."""
    return [m for m in METRICS.values() if m.layer == layer]


def value(key: str, row: Row | None) -> tuple[float | None, int]:
    """(value, n) of metric ``key`` from one month's inputs; (None, 0) without a row."""
    if row is None:
        return None, 0
    return get(key).compute(row)


def to_display(key: str, v: float | None) -> float | None:
    """A stored value (a share is a fraction) in the unit a person reads (percent)."""
    return None if v is None else v * get(key).scale


def from_display(key: str, v: float) -> float:
    """A value typed in display units back to the stored unit."""
    return v / get(key).scale


def fmt(key: str, v: float | None, no_data: str = "—") -> str:
    """A value in display units with the metric's digits (``no_data`` for None)."""
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return no_data
    m = get(key)
    out = f"{v * m.scale:,.{m.digits}f}"
    if m.unit == "share":
        out += "%"
    return out


def fmt_target(key: str, target: float | None, lang: str, no_target: str = "—") -> str:
    """A target with its direction: '≥ 90.0%' or '≤ 2.00'."""
    if target is None:
        return no_target
    m = get(key)
    return ("≥ " if m.higher_is_better else "≤ ") + fmt(key, target)


# --------------------------------------------------------------------------- README table


def _default_target_text(m: Metric, lang: str) -> str:
    if m.target_from_store_targets:
        return (
            "门店月度目标（targets 表，'*' 为默认）"
            if lang == "zh"
            else "monthly store target (targets table, '*' = default)"
        )
    if m.target_note is not None:
        return m.target_note[0 if lang == "zh" else 1]
    if m.default_target is None:
        return "无（可在页面设置）" if lang == "zh" else "none (set on the page)"
    unit = {"minutes": " 分钟" if lang == "zh" else " min"}.get(m.unit, "")
    return fmt_target(m.key, m.default_target, lang) + unit


def _pages_text(m: Metric, lang: str) -> str:
    from cx import i18n  # the page titles of the navigation

    sep = "、" if lang == "zh" else ", "
    return sep.join(i18n.t(PAGES[p], lang) for p in m.pages)


def _better(m: Metric, lang: str) -> str:
    zh = lang == "zh"
    if m.higher_is_better:
        return "越高越好" if zh else "higher"
    return "越低越好" if zh else "lower"


_HEAD = {
    "zh": {
        "label": "指标",
        "key": "键",
        "layer": "层级",
        "pages": "页面",
        "formula": "公式",
        "unit": "单位",
        "better": "方向",
        "target": "默认目标",
        "test": "变化检验",
        "description": "说明",
    },
    "en": {
        "label": "Metric",
        "key": "Key",
        "layer": "Layer",
        "pages": "Pages",
        "formula": "Formula",
        "unit": "Unit",
        "better": "Better",
        "target": "Default target",
        "test": "Real-change test",
        "description": "Description",
    },
}


def _table(entries: list[Metric], columns: list[str], lang: str) -> str:
    i = 0 if lang == "zh" else 1
    head = [_HEAD["zh" if lang == "zh" else "en"][c] for c in columns]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for m in entries:
        cell = {
            "label": lambda m=m: m.label(lang),
            "key": lambda m=m: f"`{m.key}`",
            "layer": lambda m=m: LAYERS[m.layer][i],
            "pages": lambda m=m: _pages_text(m, lang),
            "formula": lambda m=m: m.formula(lang),
            "unit": lambda m=m: UNITS[m.unit][i],
            "better": lambda m=m: _better(m, lang),
            "target": lambda m=m: _default_target_text(m, lang),
            "test": lambda m=m: TESTS[m.test][i],
            "description": lambda m=m: m.description(lang),
        }
        cells = [cell[c]() for c in columns]
        lines.append("| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |")
    return "\n".join(lines) + "\n"


_COLUMNS = ["label", "key", "layer", "formula", "unit", "better", "target", "test"]


def markdown_table(lang: str = "en") -> str:
    """The README's metric-definitions table: one row per overview metric
    (:data:`METRICS`), with the pages that show it, generated from the registry."""
    return _table(list(METRICS.values()), [*_COLUMNS, "pages", "description"], lang)


def pages_table(lang: str = "en") -> str:
    """The README's table of the other pages' numbers (:data:`PAGE_METRICS`)."""
    columns = ["label", "key", "pages", "formula", "unit", "better", "target", "test"]
    return _table(list(PAGE_METRICS.values()), [*columns, "description"], lang)
