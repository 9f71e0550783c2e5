"""The CX overview's arithmetic (pure): values, states, month-on-month changes, what moved.

Input is the frame of :func:`cx.queries.cx_overview.monthly_inputs` (one row per month),
the targets of :func:`cx.metric_targets.resolve` and, for the waiting quantiles, the
counts of :func:`cx.queries.cx_overview.quantile_split`.

A change is *real* when both months have at least ``stats.MIN_N`` answers and the
metric's test (see ``Metric.test``) gives a two-sided p below :data:`ALPHA`:

* ``nps``: :func:`cx.stats.nps_diff_test` on the (d, pa, p) counts;
* ``proportion``: :func:`cx.stats.proportion_test` on (x, n);
* ``mean``: :func:`cx.stats.mean_diff_test` with means and variances from sums and
  sums of squares;
* ``index`` (CJI, CSI): a z test whose standard error of each month's index is
  sum_i w_i * sqrt(var_i / n_i) over the items present (weights normalised) -- the
  value under perfect correlation between items, hence conservative (items answered
  by the same customers are positively correlated; assuming independence would call
  noise real);
* ``quantile`` (waiting median / p90): Mood's test, the proportion test on the share of
  each month's waits above the quantile of both months pooled; real only when that
  share moves the same way as the quantile itself.

"What moved" lists the three real changes with the largest |z| (the most clearly
beyond noise, a unit-free ranking), at most one per family (NPS with its mix, CES
with its easy share, the three waiting metrics), touchpoints included.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Literal

import pandas as pd

from cx import enums, i18n, metrics, stats
from cx.enums import CSI_DIMS, TP_KEYS
from cx.rules import month_start, previous_month

ALPHA = 0.05
State = Literal["green", "amber", "red", "no_data", "no_target"]


@dataclass(frozen=True)
class Change:
    """A month-on-month change in stored units and whether it is beyond noise."""

    diff: float | None = None
    z: float | None = None
    p: float | None = None
    real: bool = False
    direction: Literal["up", "down", "flat"] = "flat"
    better: bool | None = None


NO_CHANGE = Change()


@dataclass(frozen=True)
class MetricCard:
    key: str
    value: float | None
    n: int
    target: float | None
    state: State
    prev_value: float | None
    prev_n: int
    change: Change


@dataclass(frozen=True)
class TouchpointCard:
    key: str
    mean: float | None
    n: int
    prev_mean: float | None
    prev_n: int
    change: Change


# --------------------------------------------------------------------------- helpers


def row_for(monthly: pd.DataFrame, month: date) -> dict | None:
    """The inputs of ``month`` as a dict, or None when the frame has no such month."""
    if monthly is None or monthly.empty:
        return None
    hit = monthly[monthly["month"] == month]
    return None if hit.empty else hit.iloc[0].to_dict()


def state(value: float | None, target: float | None, higher_is_better: bool) -> State:
    """green / amber / red against the target; 'no_data' without a value, 'no_target'
    without a target."""
    if value is None:
        return "no_data"
    if target is None:
        return "no_target"
    return stats.metric_state(value, target, higher_is_better)


def _change(
    diff: float | None,
    z: float | None,
    p: float | None,
    n1: int,
    n2: int,
    higher_is_better: bool,
    agree: bool = True,
) -> Change:
    if diff is None:
        return NO_CHANGE
    direction = "up" if diff > 1e-12 else "down" if diff < -1e-12 else "flat"
    better = None if direction == "flat" else (direction == "up") == higher_is_better
    real = (
        direction != "flat" and p is not None and p < ALPHA and agree and min(n1, n2) >= stats.MIN_N
    )
    return Change(diff, z, p, bool(real), direction, better)


def _index_se(row: Mapping, prefix: str, keys: list[str], weights: Mapping[str, float]) -> float:
    """Conservative SE of a weighted index of item means (perfect-correlation bound)."""
    present = []
    for k in keys:
        n = metrics.num(row, f"{prefix}{k}_n")
        if n <= 0:
            continue
        _, var = metrics.mean_var(
            metrics.num(row, f"{prefix}{k}_sum"), metrics.num(row, f"{prefix}{k}_sumsq"), n
        )
        present.append((weights.get(k, 0.0), math.sqrt((var or 0.0) / n)))
    total = sum(w for w, _ in present)
    if total <= 0:
        return 0.0
    return sum(w * se for w, se in present) / total


def _z(diff: float, se: float) -> tuple[float, float]:
    if se <= 0:
        return (0.0, 1.0) if diff == 0 else (math.copysign(math.inf, diff), 0.0)
    z = diff / se
    return z, stats.two_sided_p(z)


def metric_change(
    key: str,
    cur: Mapping | None,
    prev: Mapping | None,
    split: pd.DataFrame | None = None,
) -> Change:
    """The change of metric ``key`` from ``prev`` to ``cur`` and whether it is real."""
    m = metrics.get(key)
    v1, n1 = metrics.value(key, cur)
    v2, n2 = metrics.value(key, prev)
    if v1 is None or v2 is None:
        return NO_CHANGE
    diff = v1 - v2
    hib = m.higher_is_better
    if m.test == "nps":
        counts = [tuple(metrics.num(r, c) for c in ("d", "pa", "p")) for r in (cur, prev)]
        _, z, p = stats.nps_diff_test(counts[0], counts[1])
        return _change(diff, z, p, n1, n2, hib)
    if m.test == "proportion":
        x, n = m.test_fields
        _, z, p = stats.proportion_test(
            metrics.num(cur, x), metrics.num(cur, n), metrics.num(prev, x), metrics.num(prev, n)
        )
        return _change(diff, z, p, n1, n2, hib)
    if m.test == "mean":
        s, ss, n = m.test_fields
        m1, var1 = metrics.mean_var(metrics.num(cur, s), metrics.num(cur, ss), metrics.num(cur, n))
        m2, var2 = metrics.mean_var(
            metrics.num(prev, s), metrics.num(prev, ss), metrics.num(prev, n)
        )
        _, z, p = stats.mean_diff_test(m1, var1, n1, m2, var2, n2)
        return _change(diff, z, p, n1, n2, hib)
    if m.test == "index":
        if key == "cji":
            se1 = _index_se(cur, "tp_", TP_KEYS, stats.CJI_WEIGHTS)
            se2 = _index_se(prev, "tp_", TP_KEYS, stats.CJI_WEIGHTS)
        else:
            se1 = 100 * _index_se(cur, "csi_", CSI_DIMS, stats.CSI_WEIGHTS)
            se2 = 100 * _index_se(prev, "csi_", CSI_DIMS, stats.CSI_WEIGHTS)
        z, p = _z(diff, math.sqrt(se1 * se1 + se2 * se2))
        return _change(diff, z, p, n1, n2, hib)
    if m.test == "quantile":
        if split is None or split.empty or len(split) < 2:
            return _change(diff, None, None, n1, n2, hib)
        col = "above50" if m.quantile == 0.5 else "above90"
        c = split[split["cur"].astype(bool)].iloc[0]
        q = split[~split["cur"].astype(bool)].iloc[0]
        shift, z, p = stats.proportion_test(int(c[col]), int(c["n"]), int(q[col]), int(q["n"]))
        agree = shift is not None and shift * diff > 0
        return _change(diff, z, p, n1, n2, hib, agree=agree)
    raise ValueError(f"unknown test {m.test!r}")


# --------------------------------------------------------------------------- the page's choices

TARGET_STEPS = {"share": 0.5, "ces": 0.05, "score10": 0.05}
"""Step of the target editor per unit, in display units (a share in points of percent)."""
DEFAULT_TARGET_STEP = 5.0
"""Step for any other unit (NPS points, CSI points, minutes)."""


def target_step(unit: str) -> float:
    """How far one click of the target editor moves a target in ``unit``."""
    return TARGET_STEPS.get(unit, DEFAULT_TARGET_STEP)


def pick_month(months: list[date], wanted: date | None, end: date | None) -> date:
    """The month to show: ``wanted`` when it has answers, else the month of the filter's
    end date when it has answers, else the newest month (``months`` newest first)."""
    if wanted in months:
        return wanted
    last = month_start(end) if end else None
    return last if last in months else months[0]


def scope_text(regions: tuple[str, ...], stores: tuple[str, ...]) -> tuple[str, dict[str, str]]:
    """The text key and values that name the scope: the stores, else the regions, else all."""
    if stores:
        return "ov.scope.stores", {"stores": ", ".join(stores)}
    if regions:
        return "ov.scope.regions", {"regions": ", ".join(regions)}
    return "ov.scope.all", {}


# --------------------------------------------------------------------------- the page's data


def compute(
    monthly: pd.DataFrame,
    month: date,
    targets: Mapping[str, float | None],
    split: pd.DataFrame | None = None,
) -> list[MetricCard]:
    """One card per registry metric for ``month`` (the month before is in ``monthly``)."""
    cur = row_for(monthly, month)
    prev = row_for(monthly, previous_month(month))
    out = []
    for key, m in metrics.METRICS.items():
        v, n = metrics.value(key, cur)
        pv, pn = metrics.value(key, prev)
        target = targets.get(key)
        out.append(
            MetricCard(
                key,
                v,
                n,
                target,
                state(v, target, m.higher_is_better),
                pv,
                pn,
                metric_change(key, cur, prev, split),
            )
        )
    return out


def series(monthly: pd.DataFrame) -> pd.DataFrame:
    """Long frame month, metric, value (display units; NaN for a month without answers)."""
    rows = []
    for rec in monthly.to_dict("records"):
        for key in metrics.METRICS:
            v, _ = metrics.value(key, rec)
            shown = metrics.to_display(key, v)
            rows.append(
                {
                    "month": pd.Timestamp(rec["month"]),
                    "metric": key,
                    "value": math.nan if shown is None else shown,
                }
            )
    return pd.DataFrame(rows, columns=["month", "metric", "value"])


def touchpoints(monthly: pd.DataFrame, month: date) -> list[TouchpointCard]:
    """The seven touchpoint means of ``month`` against the month before, with tests."""
    cur = row_for(monthly, month) or {}
    prev = row_for(monthly, previous_month(month)) or {}
    out = []
    for k in TP_KEYS:
        cols = (f"tp_{k}_sum", f"tp_{k}_sumsq", f"tp_{k}_n")
        n1, n2 = int(metrics.num(cur, cols[2])), int(metrics.num(prev, cols[2]))
        m1, v1 = metrics.mean_var(*(metrics.num(cur, c) for c in cols))
        m2, v2 = metrics.mean_var(*(metrics.num(prev, c) for c in cols))
        if m1 is None or m2 is None:
            change = NO_CHANGE
        else:
            _, z, p = stats.mean_diff_test(m1, v1, n1, m2, v2, n2)
            change = _change(m1 - m2, z, p, n1, n2, True)
        out.append(TouchpointCard(k, m1, n1, m2, n2, change))
    return out


# --------------------------------------------------------------------------- sentences


def _size_text(key: str, diff: float) -> str:
    """The size of a change as its card shows it, without a unit ('5.5', '12')."""
    m = metrics.get(key)
    digits = {"minutes": 0, "csi": 1}.get(m.unit, m.digits)
    return f"{abs(diff) * m.scale:,.{digits}f}"


def fmt_diff(key: str, diff: float, lang: str) -> str:
    """The size of a change with its unit ('5.5 pts', '2.1 pp', '12 min', '0.15')."""
    m = metrics.get(key)
    unit = {"nps": "ov.unit.points", "share": "ov.unit.pp", "minutes": "fmt.minutes"}
    text = _size_text(key, diff)
    if m.unit in unit:
        text = i18n.t(unit[m.unit], lang, x=text)
    return text


def arrow_word(change: Change, lang: str) -> str:
    """'up' / 'down' when the change is real, else 'flat' (in ``lang``)."""
    word = change.direction if change.real else "flat"
    return i18n.t(f"ov.dir.{word}", lang)


def touchpoint_line(cards: list[TouchpointCard], lang: str) -> str:
    """'Appointment 9.21 ↑ up, Waiting 7.50 ↑ up, Repair quality 9.10 → flat, ...': each
    score with the registry's decimals, as the heatmap and 'what moved' write it (this
    line read 8.2 beside their 8.19, and every one of HZ01's 8.57-8.66 as 8.6)."""
    arrows = {"up": "↑", "down": "↓", "flat": "→"}
    parts = []
    for c in cards:
        label = enums.text("tp", c.key, lang)
        if c.mean is None:
            parts.append(f"{label} {i18n.t('fmt.no_data', lang)}")
            continue
        if c.change.diff is None:  # nothing last month (a store's first): no change, not
            gap = "" if lang == "zh" else " "  # "flat … within noise"; （…） takes no space
            score = metrics.fmt(f"tp_{c.key}", c.mean)
            parts.append(f"{label} {score}{gap}{i18n.t('ov.tp_no_prev', lang)}")
            continue
        d = c.change.direction if c.change.real else "flat"
        score = metrics.fmt(f"tp_{c.key}", c.mean)
        parts.append(f"{label} {score} {arrows[d]} {arrow_word(c.change, lang)}")
    return i18n.t("ov.list_sep", lang).join(parts)


def _sentence(label: str, ch: Change, value: str, prev: str, size: str, lang: str) -> str:
    if label[-1:].isascii():
        label = i18n.t("ov.moved.latin_label", lang, label=label)  # 'CSAT 改善', not 'CSAT改善'
    return i18n.t(
        "ov.moved.sentence",
        lang,
        label=label,
        verdict=i18n.t("ov.moved.better" if ch.better else "ov.moved.worse", lang),
        dir=i18n.t(f"ov.dir.{ch.direction}", lang),
        size=size,
        value=value,
        prev=prev,
    )


def moved(
    cards: list[MetricCard], tps: list[TouchpointCard], k: int = 3
) -> list[MetricCard | TouchpointCard]:
    """The month's ``k`` largest real changes (by |z|, the most clearly beyond noise), at
    most one per family (NPS with its mix, CES with its easy share, the waiting metrics,
    each touchpoint on its own)."""
    cand: list[tuple[float, str, MetricCard | TouchpointCard]] = []
    for c in cards:
        if c.change.real:
            cand.append((abs(c.change.z or 0.0), metrics.get(c.key).family or c.key, c))
    for tp in tps:
        if tp.change.real:
            cand.append((abs(tp.change.z or 0.0), f"tp_{tp.key}", tp))
    cand.sort(key=lambda c: -c[0])
    out: list[MetricCard | TouchpointCard] = []
    seen: set[str] = set()
    for _, family, item in cand:
        if family in seen:
            continue
        seen.add(family)
        out.append(item)
        if len(out) == k:
            break
    return out


def moved_sentence(item: MetricCard | TouchpointCard, lang: str) -> str:
    """'CSAT improved: up 2.1 pp to 90.0% (85.0% last month)' for one of :func:`moved`."""
    if isinstance(item, TouchpointCard):
        label = i18n.t("ov.tp_label", lang, tp=enums.text("tp", item.key, lang))
        return _sentence(
            label,
            item.change,
            f"{item.mean:.2f}",
            f"{item.prev_mean:.2f}",
            f"{abs(item.change.diff or 0.0):.2f}",
            lang,
        )
    return _sentence(
        metrics.get(item.key).label(lang),
        item.change,
        with_unit(item.key, metrics.fmt(item.key, item.value), lang),
        with_unit(item.key, metrics.fmt(item.key, item.prev_value), lang),
        fmt_diff(item.key, item.change.diff or 0.0, lang),
        lang,
    )


def what_moved(
    cards: list[MetricCard], tps: list[TouchpointCard], lang: str, k: int = 3
) -> list[str]:
    """Up to ``k`` sentences on the month's largest real changes (by |z|), one per family."""
    return [moved_sentence(item, lang) for item in moved(cards, tps, k)]


# --------------------------------------------------------------------------- card texts

STATE_BADGE = {
    "green": ("green", ":material/check_circle:"),
    "amber": ("orange", ":material/warning:"),
    "red": ("red", ":material/error:"),
    "no_data": ("gray", ":material/remove:"),
    "no_target": ("blue", ":material/flag:"),
}


def badge(st_: State, lang: str) -> str:
    """Markdown of a coloured badge that also says the state in words (not colour alone)."""
    color, icon = STATE_BADGE[st_]
    return f":{color}-badge[{icon} {i18n.t(f'ov.state.{st_}', lang)}]"


def value_text(card: MetricCard, lang: str) -> str:
    """The card's value, or 'no data' (never 0) when there are no answers; minutes say
    so ('85 min': a bare 85 beside a target of 120 left the reader to guess)."""
    if card.value is None or math.isnan(card.value):
        return i18n.t("fmt.no_data", lang)
    return with_unit(card.key, metrics.fmt(card.key, card.value, against=card.target), lang)


def with_unit(key: str, text: str, lang: str) -> str:
    """A formatted value of ``key`` with its unit where the number alone does not say it
    (minutes; a share already ends in %)."""
    if metrics.get(key).unit == "minutes":
        return i18n.t("fmt.minutes", lang, x=text)
    return text


NBSP = "\u00a0"


def meta_text(card: MetricCard, lang: str) -> str:
    """'n = 156 · target ≥ 77.0' (just the n when there is no target; a low-sample note)."""
    if card.target is None:
        text = i18n.t("fmt.n", lang, n=f"{card.n:,}")
    else:
        target = metrics.fmt_target(card.key, card.target, lang, against=card.value)
        # one piece on a card's narrow line: it broke after "target ≥" and before "min"
        target = with_unit(card.key, target, lang).replace(" ", NBSP)
        text = i18n.t("ov.card.meta", lang, n=f"{card.n:,}", target=target)
    if card.n and stats.sample_flag(card.n) != "ok":
        text += i18n.t("ov.card.low_n", lang)
    return text


def change_text(key: str, change: Change, lang: str, *, now_missing: bool = False) -> str:
    """Markdown of the change since last month: a bold, coloured ▲/▼ when beyond noise
    (green when better, red when worse, so a fall of CES is green); a thin grey △/▽
    otherwise. No change when either month has no value: ``now_missing`` says it is this
    month's that is missing (it read "no data last month" under a month without CSAT)."""
    if change.diff is None:
        return f":gray[{i18n.t('ov.change.none_now' if now_missing else 'ov.change.none', lang)}]"
    direction = change.direction
    if not change.real and not any(c in "123456789" for c in _size_text(key, change.diff)):
        direction = "flat"  # a change that shows as 0.0 is no fall ('▽ −0.0' had read as one)
    sign = {"up": "+", "down": "−", "flat": "±"}[direction]
    diff = sign + fmt_diff(key, change.diff, lang)
    if change.real:
        arrow = "▲" if change.direction == "up" else "▼"
        color = "green" if change.better else "red"
        return f"**:{color}[{arrow} {i18n.t('ov.change.real', lang, diff=diff)}]**"
    arrow = {"up": "△", "down": "▽", "flat": "→"}[direction]
    return f":gray[{arrow} {i18n.t('ov.change.noise', lang, diff=diff)}]"
