"""The metric registry: every CX metric the overview shows, defined once.

In the spirit of Rill's metrics-as-code, each :class:`Metric` carries its name, labels
in both languages, layer, formula text, unit and format, direction (``higher_is_better``),
default target, the test that decides whether a month-on-month change is "real", and a
description. :func:`value` computes a metric from one row of monthly inputs (the
columns of ``daily_rollup`` summed over a month plus the waiting quantiles and the
repeat-fault count from raw answers, see :mod:`cx.queries.cx_overview`); every ratio is
guarded: no answers -> ``None`` (shown as "no data"), never 0.

:func:`markdown_table` renders the README's metric-definitions table from the registry.

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
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Literal

from cx import stats
from cx.enums import CSI_DIMS, TP_KEYS

Layer = Literal["outcome", "perception", "operations"]
Unit = Literal["nps", "share", "ces", "score10", "csi", "minutes"]
Test = Literal["nps", "proportion", "mean", "index", "quantile"]

LAYERS: dict[str, tuple[str, str]] = {
    "outcome": ("结果", "Outcome"),
    "perception": ("感知", "Perception"),
    "operations": ("运营", "Operations"),
}

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
}

UNITS: dict[str, tuple[str, str]] = {
    "nps": ("分（-100~100）", "points (-100..100)"),
    "share": ("%", "%"),
    "ces": ("1~7 分", "1..7"),
    "score10": ("0~10 分", "0..10"),
    "csi": ("1000 分制", "points of 1000"),
    "minutes": ("分钟", "minutes"),
}

# display digits and the factor from the stored value to what a person reads
_DIGITS: dict[str, int] = {"nps": 1, "share": 1, "ces": 2, "score10": 2, "csi": 0, "minutes": 0}
_SCALE: dict[str, float] = {"share": 100.0}
# plausible range of a target, in stored units
_RANGE: dict[str, tuple[float, float]] = {
    "nps": (-100.0, 100.0),
    "share": (0.0, 1.0),
    "ces": (1.0, 7.0),
    "score10": (0.0, 10.0),
    "csi": (0.0, 1000.0),
    "minutes": (0.0, 24 * 60.0),
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


METRICS: dict[str, Metric] = {
    m.key: m
    for m in [
        Metric(
            "nps",
            "outcome",
            "NPS 净推荐值",
            "NPS",
            "(推荐者 9-10 分 − 贬损者 0-6 分) ÷ 答卷数 × 100",
            "(promoters 9-10 − detractors 0-6) / answers × 100",
            "nps",
            True,
            None,
            "nps",
            "客户向亲友推荐本店的意愿，-100 到 100。",
            "How likely customers are to recommend the store, -100 to 100.",
            _nps,
            family="nps",
            target_from_store_targets=True,
        ),
        Metric(
            "promoters",
            "outcome",
            "推荐者占比",
            "Promoter share",
            "9-10 分答卷 ÷ 答卷数",
            "answers 9-10 / answers",
            "share",
            True,
            None,
            "proportion",
            "打 9 或 10 分的客户占比。",
            "Share of customers scoring 9 or 10.",
            _share_of("p", "n"),
            test_fields=("p", "n"),
            family="nps",
        ),
        Metric(
            "detractors",
            "outcome",
            "贬损者占比",
            "Detractor share",
            "0-6 分答卷 ÷ 答卷数",
            "answers 0-6 / answers",
            "share",
            False,
            None,
            "proportion",
            "打 0 到 6 分的客户占比，越低越好。",
            "Share of customers scoring 0 to 6; lower is better.",
            _share_of("d", "n"),
            test_fields=("d", "n"),
            family="nps",
        ),
        Metric(
            "csat",
            "perception",
            "满意度 CSAT",
            "CSAT",
            "CSAT 4-5 分答卷 ÷ 回答 CSAT 的答卷（前两项占比，不是平均分）",
            "answers 4-5 / answers to CSAT on 1-5 (top-2 box, not the mean)",
            "share",
            True,
            0.90,
            "proportion",
            "满意（4 分）或非常满意（5 分）的客户占比。",
            "Share of customers satisfied (4) or very satisfied (5).",
            _share_of("csat_top2", "csat_n"),
            test_fields=("csat_top2", "csat_n"),
            family="csat",
        ),
        Metric(
            "ces",
            "perception",
            "客户费力度 CES",
            "CES",
            "CES 1-7 分的平均值（1 非常容易，7 非常费力；越低越好）",
            "mean of CES on 1-7 (1 very easy, 7 very hard; lower is better)",
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
            "省力占比（CES 1-2）",
            "Easy share (CES 1-2)",
            "CES 1-2 分答卷 ÷ 回答 CES 的答卷",
            "answers 1-2 / answers to CES",
            "share",
            True,
            None,
            "proportion",
            "觉得很容易（1 或 2 分）的客户占比。",
            "Share of customers who found it easy (1 or 2).",
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
            quantile=0.5,
            family="wait",
        ),
        Metric(
            "wait_p90",
            "operations",
            "等待时长 P90",
            "Waiting, 90th percentile",
            "wait_minutes 的第 90 百分位（连续插值）",
            "90th percentile of wait_minutes (continuous)",
            "minutes",
            False,
            240.0,
            "quantile",
            "九成客户的等待时间不超过此值；默认目标 4 小时。",
            "Nine in ten customers waited no longer than this; default target 4 h.",
            _quantile("wait_p90"),
            quantile=0.9,
            family="wait",
        ),
        Metric(
            "wait_over_2h",
            "operations",
            "等待超 2 小时占比",
            "Share waiting over 2 h",
            "wait_minutes > 120 的答卷 ÷ 有等待时长的答卷",
            "answers with wait_minutes > 120 / answers with a waiting time",
            "share",
            False,
            0.25,
            "proportion",
            "等待超过 2 小时的客户占比（典型痛点）；默认目标不超过 25%。",
            "Share of customers waiting over 2 h (the classic pain point); default at most 25 %.",
            _share_of("wait_over120", "wait_n"),
            test_fields=("wait_over120", "wait_n"),
            family="wait",
        ),
        Metric(
            "repeat_fault",
            "operations",
            "返修/未解决占比",
            "Repeat-fault share",
            "痛点为“问题未解决/返修”的答卷 ÷ 答卷数",
            "answers with pain_point = unresolved / answers",
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


def get(key: str) -> Metric:
    """The metric ``key``; KeyError when unknown."""
    return METRICS[key]


def by_layer(layer: str) -> list[Metric]:
    """The metrics of one layer, in registry order."""
    return [m for m in METRICS.values() if m.layer == layer]


def value(key: str, row: Row | None) -> tuple[float | None, int]:
    """(value, n) of metric ``key`` from one month's inputs; (None, 0) without a row."""
    if row is None:
        return None, 0
    return METRICS[key].compute(row)


def to_display(key: str, v: float | None) -> float | None:
    """A stored value (a share is a fraction) in the unit a person reads (percent)."""
    return None if v is None else v * METRICS[key].scale


def from_display(key: str, v: float) -> float:
    """A value typed in display units back to the stored unit."""
    return v / METRICS[key].scale


def fmt(key: str, v: float | None, no_data: str = "—") -> str:
    """A value in display units with the metric's digits (``no_data`` for None)."""
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return no_data
    m = METRICS[key]
    out = f"{v * m.scale:,.{m.digits}f}"
    if m.unit == "share":
        out += "%"
    return out


def fmt_target(key: str, target: float | None, lang: str, no_target: str = "—") -> str:
    """A target with its direction: '≥ 90.0%' or '≤ 2.00'."""
    if target is None:
        return no_target
    m = METRICS[key]
    return ("≥ " if m.higher_is_better else "≤ ") + fmt(key, target)


# --------------------------------------------------------------------------- README table


def _default_target_text(m: Metric, lang: str) -> str:
    if m.target_from_store_targets:
        return (
            "门店月度目标（targets 表，'*' 为默认）"
            if lang == "zh"
            else "monthly store target (targets table, '*' = default)"
        )
    if m.default_target is None:
        return "无（可在页面设置）" if lang == "zh" else "none (set on the page)"
    unit = {"minutes": " 分钟" if lang == "zh" else " min"}.get(m.unit, "")
    return fmt_target(m.key, m.default_target, lang) + unit


def markdown_table(lang: str = "en") -> str:
    """The README's metric-definitions table, generated from the registry."""
    zh = lang == "zh"
    head = (
        ["指标", "键", "层级", "公式", "单位", "方向", "默认目标", "变化检验", "说明"]
        if zh
        else [
            "Metric",
            "Key",
            "Layer",
            "Formula",
            "Unit",
            "Better",
            "Default target",
            "Real-change test",
            "Description",
        ]
    )
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for m in METRICS.values():
        i = 0 if zh else 1
        better = (
            ("越高越好" if zh else "higher")
            if m.higher_is_better
            else ("越低越好" if zh else "lower")
        )
        cells = [
            m.label(lang),
            f"`{m.key}`",
            LAYERS[m.layer][i],
            m.formula(lang),
            UNITS[m.unit][i],
            better,
            _default_target_text(m, lang),
            TESTS[m.test][i],
            m.description(lang),
        ]
        lines.append("| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |")
    return "\n".join(lines) + "\n"
