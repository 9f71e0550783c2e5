"""The metric registry: every number a page shows, defined once, and the rollup it reads.

In the spirit of Rill's metrics-as-code, each :class:`Metric` carries its name, layer,
unit and format, direction (``higher_is_better``), default target, the test that decides
whether a change is "real" and the pages it appears on; its label, formula text and
description, in both languages, are the translation table's ``metric.<key>.label`` /
``.formula`` / ``.description`` (``cx/texts/metrics.py``), read through :mod:`cx.i18n`. :func:`value` computes a metric from one row of inputs; every ratio
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
formula texts are written from (their placeholders, :func:`text_values`), so the prose
and the SQL cannot drift. A new metric is one :class:`Input` (when it needs a new count
or sum), one :class:`Metric` and its three texts.

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
from typing import Literal, get_args

from cx import enums, i18n, rules, stats
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


LAYERS: tuple[str, ...] = get_args(Layer)
"""The layers (their names: the texts ``metric.layer.<layer>``)."""

PAGES: dict[str, str] = {
    "board": "page.board",
    "overview": "page.overview",
    "segments": "page.segments",
    "quadrant": "page.quadrant",
    "heatmap": "page.heatmap",
    "planner": "page.planner",
}
"""The pages that show metrics (``pages/<name>.py``) and the text keys of their titles."""

TESTS: tuple[str, ...] = get_args(Test)
"""The real-change tests (their names: the texts ``metric.test.<test>``)."""
UNITS: tuple[str, ...] = get_args(Unit)
"""The units (their names: the texts ``metric.unit.<unit>``)."""

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
    unit: Unit
    higher_is_better: bool
    default_target: float | None
    test: Test
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
    # the text key of what the "default target" column says when it is not a number
    target_note: str | None = None
    # the texts are ``metric.<texts>.label`` / ``.formula`` / ``.description`` of the
    # translation table (cx/texts/metrics.py; default: the key), filled with the
    # thresholds (:func:`text_values`), ``text_values`` and the label of ``item``
    # (an enumeration's (kind, key), as ``{item}``)
    texts: str = ""
    text_values: tuple[tuple[str, str], ...] = ()
    item: tuple[str, str] | None = None

    def _text(self, part: str, lang: str) -> str:
        values = {**text_values(lang), **dict(self.text_values)}
        if self.item is not None:
            values["item"] = enums.text(*self.item, lang)
        return i18n.t(f"metric.{self.texts or self.key}.{part}", lang, **values)

    def label(self, lang: str) -> str:
        return self._text("label", lang)

    def formula(self, lang: str) -> str:
        return self._text("formula", lang)

    def description(self, lang: str) -> str:
        return self._text("description", lang)

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


DRIVER_VARS: tuple[str, ...] = ("nps", *TP_KEYS)
"""The key-driver analysis's outcome and predictors (the heatmap's importance)."""


def _driver_column(var: str) -> str:
    return "nps" if var == "nps" else f"tp_{var}"


DRIVER_COMPLETE = " AND ".join(f"{_driver_column(v)} IS NOT NULL" for v in DRIVER_VARS)
"""The answers ``driver_rollup`` sums: the 0-10 answer and every touchpoint score given
(one condition on the rows, not a filter on each of its 55 sums: 2.9 -> 1 s when an
upload touches 90,000 store-days)."""


def _driver_inputs() -> dict[str, Input]:
    """The columns of ``driver_rollup`` over one store-day's complete answers
    (:data:`DRIVER_COMPLETE`): their count ``n``, the sum ``s_<v>`` of each of
    :data:`DRIVER_VARS` and the sum ``x_<a>__<b>`` of each product (a <= b in that order):
    the moments the correlations and their bootstrap are computed from."""
    cols = [_driver_column(v) for v in DRIVER_VARS]
    out = [Input("n", "count(*)", "INTEGER")]
    for v, c in zip(DRIVER_VARS, cols, strict=True):
        out.append(Input(f"s_{v}", f"sum(CAST({c} AS DOUBLE))", "DOUBLE"))
    for i, (a, ca) in enumerate(zip(DRIVER_VARS, cols, strict=True)):
        for b, cb in zip(DRIVER_VARS[i:], cols[i:], strict=True):
            out.append(Input(f"x_{a}__{b}", f"sum(CAST({ca} AS DOUBLE) * {cb})", "DOUBLE"))
    return {i.name: i for i in out}


DRIVER_INPUTS: dict[str, Input] = _driver_inputs()
"""``driver_rollup``'s columns besides (store_id, day); the heatmap's key-driver moments
summed over store-days instead of read from every answer (0.36 s at 10 million). A
store-day without a complete answer has no row."""


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


def text_values(lang: str) -> dict[str, str]:
    """The values the metric texts are written from: the thresholds the rollup and the
    raw inputs bind (one declaration), and the NPS formula other formulas quote."""
    values = {
        "promoters": f"{rules.PROMOTER_MIN}-{NPS_TOP}",
        "detractors": f"0-{rules.DETRACTOR_MAX}",
        "promoter_min": f"{rules.PROMOTER_MIN}",
        "detractor_max": f"{rules.DETRACTOR_MAX}",
        "nps_top": f"{NPS_TOP}",
        "csat_top": f"{CSAT_TOP2_MIN}-{CSAT_MAX}",
        "csat_top2_min": f"{CSAT_TOP2_MIN}",
        "csat_max": f"{CSAT_MAX}",
        "ces_max": f"{CES_MAX}",
        "ces_easy_max": f"{CES_EASY_MAX}",
        "wait_long": f"{WAIT_LONG_MINUTES}",
        "long_h": f"{WAIT_LONG_MINUTES / 60:g}",
        "p90": f"{100 * WAIT_QUANTILES['wait_p90']:g}",
        "repeat_pain": REPEAT_PAIN_POINT,
        "repeat_pain_label": enums.text(PAIN_POINTS.kind, REPEAT_PAIN_POINT, lang),
        "low_n": f"{stats.LOW_N}",
        "min_n": f"{stats.MIN_N}",
    }
    values["nps_formula"] = i18n.t("metric.nps.formula", lang, **values)
    return values


METRICS: dict[str, Metric] = {
    m.key: m
    for m in [
        Metric(
            "nps",
            "outcome",
            "nps",
            True,
            None,
            "nps",
            _nps,
            family="nps",
            target_from_store_targets=True,
            pages=("overview", "board", "segments", "quadrant", "planner"),
        ),
        Metric(
            "promoters",
            "outcome",
            "share",
            True,
            None,
            "proportion",
            _share_of("p", "n"),
            test_fields=("p", "n"),
            family="nps",
            pages=("overview", "board", "segments"),
        ),
        Metric(
            "detractors",
            "outcome",
            "share",
            False,
            None,
            "proportion",
            _share_of("d", "n"),
            test_fields=("d", "n"),
            family="nps",
            pages=("overview", "board", "segments"),
        ),
        Metric(
            "csat",
            "perception",
            "share",
            True,
            0.90,
            "proportion",
            _share_of("csat_top2", "csat_n"),
            test_fields=("csat_top2", "csat_n"),
            family="csat",
        ),
        Metric(
            "ces",
            "perception",
            "ces",
            False,
            2.0,
            "mean",
            _ces,
            test_fields=("ces_sum", "ces_sumsq", "ces_n"),
            family="ces",
        ),
        Metric(
            "ces_easy",
            "perception",
            "share",
            True,
            None,
            "proportion",
            _share_of("ces_low", "ces_n"),
            test_fields=("ces_low", "ces_n"),
            family="ces",
        ),
        Metric(
            "cji",
            "perception",
            "score10",
            True,
            8.5,
            "index",
            _cji,
            family="cji",
            pages=("overview", "heatmap"),
        ),
        Metric(
            "csi",
            "perception",
            "csi",
            True,
            800.0,
            "index",
            _csi,
            family="csi",
            pages=("overview", "quadrant"),
        ),
        Metric(
            "ftf",
            "operations",
            "share",
            True,
            0.90,
            "proportion",
            _share_of("ftf_yes", "ftf_n"),
            test_fields=("ftf_yes", "ftf_n"),
            family="ftf",
        ),
        Metric(
            "wait_median",
            "operations",
            "minutes",
            False,
            120.0,
            "quantile",
            _quantile("wait_median"),
            quantile=WAIT_QUANTILES["wait_median"],
            family="wait",
        ),
        Metric(
            "wait_p90",
            "operations",
            "minutes",
            False,
            240.0,
            "quantile",
            _quantile("wait_p90"),
            quantile=WAIT_QUANTILES["wait_p90"],
            family="wait",
        ),
        Metric(
            "wait_over_2h",
            "operations",
            "share",
            False,
            0.25,
            "proportion",
            _share_of("wait_over120", "wait_n"),
            test_fields=("wait_over120", "wait_n"),
            family="wait",
        ),
        Metric(
            "repeat_fault",
            "operations",
            "share",
            False,
            0.10,
            "proportion",
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


PAGE_METRICS: dict[str, Metric] = {
    m.key: m
    for m in [
        Metric(
            "answers",
            "outcome",
            "count",
            True,
            None,
            "none",
            _answers,
            pages=("board", "segments", "quadrant", "heatmap"),
            target_note="metric.target.none",
        ),
        Metric(
            "mtd_nps",
            "outcome",
            "nps",
            True,
            None,
            "nps",
            _nps,
            family="nps",
            target_from_store_targets=True,
            pages=("board", "planner"),
        ),
        Metric(
            "required_nps",
            "outcome",
            "nps",
            False,
            None,
            "none",
            _required,
            family="nps",
            pages=("board", "planner"),
            target_note="metric.target.from_monthly",
        ),
        Metric(
            "target_odds",
            "outcome",
            "share",
            True,
            None,
            "none",
            _probability,
            family="nps",
            pages=("board", "planner"),
            target_note="metric.target.none",
        ),
        Metric(
            "segment_nps",
            "outcome",
            "nps",
            True,
            None,
            "nps",
            _nps,
            family="nps",
            pages=("segments",),
            target_note="metric.target.none",
        ),
        Metric(
            "share_top",
            "outcome",
            "share",
            True,
            None,
            "proportion",
            _share_of("n10", "n"),
            test_fields=("n10", "n"),
            family="nps",
            pages=("segments",),
            target_note="metric.target.none",
        ),
        *(
            Metric(
                f"tp_{k}",
                "perception",
                "score10",
                True,
                None,
                "mean",
                _tp_mean(k),
                test_fields=(f"tp_{k}_sum", f"tp_{k}_sumsq", f"tp_{k}_n"),
                family=f"tp_{k}",
                pages=("heatmap", "overview"),
                target_note="metric.target.none",
                texts="tp",
                text_values=(("col", f"tp_{k}"),),
                item=(TP_LABELS.kind, k),
            )
            for k in TP_KEYS
        ),
        Metric(
            "plan_gain",
            "planning",
            "nps",
            True,
            None,
            "none",
            _plan("total_gain"),
            pages=("planner",),
            target_note="metric.target.plan",
        ),
        Metric(
            "plan_projected",
            "planning",
            "nps",
            True,
            None,
            "none",
            _plan("projected"),
            pages=("planner",),
            target_note="metric.target.plan",
        ),
        Metric(
            "plan_budget",
            "planning",
            "yuan",
            False,
            None,
            "none",
            _plan("budget_used"),
            pages=("planner",),
            target_note="metric.target.budget",
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


def fmt(key: str, v: float | None, no_data: str = i18n.GAP, against: float | None = None) -> str:
    """A value in display units with the metric's digits (``no_data`` for None); beside
    its target (``against``), with as many more as tell the two apart."""
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return no_data
    m = get(key)
    other = None if against is None else against * m.scale
    out = i18n.fixed(v * m.scale, i18n.digits_apart(v * m.scale, other, m.digits), True)
    if m.unit == "share":
        out += "%"
    return out


def fmt_target(
    key: str,
    target: float | None,
    lang: str,
    no_target: str = i18n.GAP,
    against: float | None = None,
) -> str:
    """A target with its direction: '≥ 90.0%' or '≤ 2.00'; beside its figure
    (``against``), with the decimals the figure is written with (:func:`fmt`)."""
    if target is None:
        return no_target
    m = get(key)
    return ("≥ " if m.higher_is_better else "≤ ") + fmt(key, target, against=against)


# --------------------------------------------------------------------------- README table


def _default_target_text(m: Metric, lang: str) -> str:
    if m.target_from_store_targets:
        return i18n.t("metric.target.store_targets", lang)
    if m.target_note is not None:
        return i18n.t(m.target_note, lang)
    if m.default_target is None:
        return i18n.t("metric.target.settable", lang)
    target = fmt_target(m.key, m.default_target, lang)
    if m.unit == "minutes":
        return i18n.t("fmt.minutes", lang, x=target)
    return target


def _pages_text(m: Metric, lang: str) -> str:
    return i18n.t("fmt.sep_list", lang).join(i18n.t(PAGES[p], lang) for p in m.pages)


def _table(entries: list[Metric], columns: list[str], lang: str) -> str:
    head = [i18n.t(f"metric.head.{c}", lang) for c in columns]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for m in entries:
        cell = {
            "label": lambda m=m: m.label(lang),
            "key": lambda m=m: f"`{m.key}`",
            "layer": lambda m=m: i18n.t(f"metric.layer.{m.layer}", lang),
            "pages": lambda m=m: _pages_text(m, lang),
            "formula": lambda m=m: m.formula(lang),
            "unit": lambda m=m: i18n.t(f"metric.unit.{m.unit}", lang),
            "better": lambda m=m: i18n.t(f"metric.better.{_BETTER[m.higher_is_better]}", lang),
            "target": lambda m=m: _default_target_text(m, lang),
            "test": lambda m=m: i18n.t(f"metric.test.{m.test}", lang),
            "description": lambda m=m: m.description(lang),
        }
        cells = [cell[c]() for c in columns]
        lines.append("| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |")
    return "\n".join(lines) + "\n"


_BETTER = {True: "higher", False: "lower"}
"""The text key of a metric's direction (``higher_is_better``)."""


_COLUMNS = ["label", "key", "layer", "formula", "unit", "better", "target", "test"]


def markdown_table(lang: str = "en") -> str:
    """The README's metric-definitions table: one row per overview metric
    (:data:`METRICS`), with the pages that show it, generated from the registry."""
    return _table(list(METRICS.values()), [*_COLUMNS, "pages", "description"], lang)


def pages_table(lang: str = "en") -> str:
    """The README's table of the other pages' numbers (:data:`PAGE_METRICS`)."""
    columns = ["label", "key", "pages", "formula", "unit", "better", "target", "test"]
    return _table(list(PAGE_METRICS.values()), [*columns, "description"], lang)
