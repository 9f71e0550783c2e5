"""NPS improvement planner: baseline, projects, budget, odds and pace.

Pure Python plus numpy: no I/O, no streamlit, no duckdb. NPS is in points
(-100..100): ``NPS = 100 * (promoters - detractors) / n``.

Bilingual names: a :class:`Project` keeps its English ``name`` (the key used by
:func:`best_plan` and in JSON) and an optional Chinese ``name_zh``;
``Project.label(lang)`` picks one. Presets carry ``label`` dicts
``{"zh": ..., "en": ...}``.
"""

from __future__ import annotations

import base64
import bisect
import copy
import json
import math
import numbers
import statistics
import zlib
from dataclasses import asdict, dataclass, field, replace
from typing import Any

import numpy as np

from cx.rules import pace_status
from cx.rules import required_nps as required_nps_remaining

LANGS = ("zh", "en")
DEFAULT_PASSIVE_SHARE = 0.16
_GAIN_SCALE = 1_000_000_000  # gains compared in units of 1e-9 points
_COST_SCALE = 100  # costs handled in integer fen (0.01 yuan)


# --------------------------------------------------------------------------
# small validation helpers
# --------------------------------------------------------------------------
class PlannerInputError(ValueError):
    """Bad planner input; a ValueError with a one-line human message.

    ``key`` and ``fmt``: the same said in the page's words, for the mistakes a person
    makes in the project table or a scenario file: a text key of :mod:`cx.texts.planner`
    and its values (a ``field`` or ``button`` value is the text key of the field's or
    the button's label, so the sentence names it as the page does). The page
    says it in the reader's language (:func:`cx.ui.planner.said`); the message stays for
    the log and the command line."""

    def __init__(self, message: str, key: str | None = None, **fmt: Any) -> None:
        super().__init__(message)
        self.key, self.fmt = key, fmt


# The page's label (a text key) of a value a person types or a scenario file holds.
FIELD_LABELS = {
    "Baseline nps": "plan.base_nps",
    "Baseline goal": "plan.goal",
    "Baseline n_expected": "plan.n_expected",
    "Baseline budget": "plan.budget",
    "Baseline days": "plan.days",
}


def _num(value: Any, what: str) -> float:
    """Return ``value`` as a finite float or raise a one-line ValueError."""
    label = FIELD_LABELS.get(what)
    key = "plan.err.number" if label else None
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Real):
        raise PlannerInputError(
            f"{what} must be a number, got {value!r}", key, field=label, got=str(value)
        )
    if not math.isfinite(value):
        raise PlannerInputError(
            f"{what} must be finite, got {value!r}", key, field=label, got=str(value)
        )
    return float(value)


def _plain(value: float) -> float:
    """``value`` in 12 significant digits: a gain moved on a slider (0.6 x 3) or scaled
    with its project keeps its meaning, not its binary noise, and a saved scenario reads
    1.8, not 1.7999999999999998 (the same value loads back: the round trip stays exact)."""
    return float(f"{value:.12g}")


def _int(value: Any, what: str) -> int:
    """Return ``value`` as an int (integral floats accepted) or raise."""
    number = _num(value, what)
    if not number.is_integer():
        label = FIELD_LABELS.get(what)
        raise PlannerInputError(
            f"{what} must be a whole number, got {value!r}",
            "plan.err.whole" if label else None, field=label, got=str(value),
        )  # fmt: skip
    return int(number)


def _check_lang(lang: str) -> None:
    if lang not in LANGS:
        raise PlannerInputError(f"lang must be 'zh' or 'en', got {lang!r}")


# --------------------------------------------------------------------------
# Baseline
# --------------------------------------------------------------------------
def mix_from_nps(
    nps: float, passive_share: float = DEFAULT_PASSIVE_SHARE
) -> tuple[float, float, float]:
    """Shares (detractor, passive, promoter) with ``p - d = nps/100``.

    Passives are kept at ``passive_share`` when possible; otherwise the share
    that cannot be negative is set to 0 (e.g. NPS 90 -> d 0, pa 10%, p 90%).
    """
    t = min(max(nps / 100.0, -1.0), 1.0)
    pa = min(max(passive_share, 0.0), 1.0)
    d = (1.0 - pa - t) / 2.0
    p = (1.0 - pa + t) / 2.0
    if d < 0.0:
        d, p, pa = 0.0, t, 1.0 - t
    elif p < 0.0:
        d, p, pa = -t, 0.0, 1.0 + t
    return d, pa, p


@dataclass
class Baseline:
    """Starting point of a plan for one store and period.

    ``d``, ``pa``, ``p`` are detractor/passive/promoter counts of the baseline
    period. If any is None they are derived from ``nps`` at ``n_expected``
    answers by keeping passives at 16% and solving ``p - d = nps`` (rounded to
    whole customers; see :func:`mix_from_nps`).
    """

    nps: float
    d: int | None
    pa: int | None
    p: int | None
    n_expected: int
    goal: float
    budget: float
    days: int = 30
    pain_mix: dict[str, float] | None = None

    def __post_init__(self) -> None:
        self.nps = _num(self.nps, "Baseline nps")
        if not -100.0 <= self.nps <= 100.0:
            raise PlannerInputError(
                f"Baseline nps must be between -100 and 100, got {self.nps}",
                "plan.err.range", field="plan.base_nps", got=f"{self.nps:g}",
            )  # fmt: skip
        self.n_expected = _int(self.n_expected, "Baseline n_expected")
        if self.n_expected < 1:
            raise PlannerInputError(
                f"Baseline n_expected must be >= 1, got {self.n_expected}",
                "plan.err.at_least", field="plan.n_expected", low=1, got=self.n_expected,
            )  # fmt: skip
        self.goal = _num(self.goal, "Baseline goal")
        if not -100.0 <= self.goal <= 100.0:
            raise PlannerInputError(
                f"Baseline goal must be between -100 and 100, got {self.goal}",
                "plan.err.range", field="plan.goal", got=f"{self.goal:g}",
            )  # fmt: skip
        self.budget = _num(self.budget, "Baseline budget")
        if self.budget < 0:
            raise PlannerInputError(
                f"Baseline budget must be >= 0, got {self.budget}",
                "plan.err.at_least", field="plan.budget", low=0, got=f"{self.budget:g}",
            )  # fmt: skip
        self.days = _int(self.days, "Baseline days")
        if self.days < 1:
            raise PlannerInputError(
                f"Baseline days must be >= 1, got {self.days}",
                "plan.err.at_least", field="plan.days", low=1, got=self.days,
            )  # fmt: skip
        if self.d is None or self.pa is None or self.p is None:
            sd, _, sp = mix_from_nps(self.nps)
            n = self.n_expected
            self.d, self.p = round(sd * n), round(sp * n)
            self.pa = n - self.d - self.p
        else:
            self.d = _int(self.d, "Baseline d")
            self.pa = _int(self.pa, "Baseline pa")
            self.p = _int(self.p, "Baseline p")
            if min(self.d, self.pa, self.p) < 0 or self.d + self.pa + self.p == 0:
                raise PlannerInputError("Baseline counts d, pa, p must be >= 0 and not all zero")
        if self.pain_mix is not None:
            if not isinstance(self.pain_mix, dict):
                raise PlannerInputError(
                    "Baseline pain_mix must be an object of pain point -> share"
                )
            mix = {}
            for key, share in self.pain_mix.items():
                share = _num(share, f"pain_mix[{key!r}]")
                if share < 0:
                    raise PlannerInputError(f"pain_mix[{key!r}] must be >= 0, got {share}")
                mix[str(key)] = share
            self.pain_mix = mix

    @property
    def n_base(self) -> int:
        """Number of answers behind the baseline counts."""
        return int(self.d) + int(self.pa) + int(self.p)

    @property
    def shares(self) -> tuple[float, float, float]:
        """Baseline (detractor, passive, promoter) shares."""
        n = self.n_base
        return self.d / n, self.pa / n, self.p / n

    def pain_share(self, pain_point: str) -> float:
        """Share of detractors citing ``pain_point``.

        1.0 when no pain mix is known or the project names no pain point;
        0.0 when the pain point is absent from a known mix.
        """
        if self.pain_mix is None or not pain_point:
            return 1.0
        return float(self.pain_mix.get(pain_point, 0.0))

    def to_dict(self) -> dict[str, Any]:
        """Plain dict for JSON."""
        return asdict(self)

    @classmethod
    def from_dict(cls, data: Any) -> Baseline:
        """Build from a dict, raising ValueError with a one-line message."""
        if not isinstance(data, dict):
            raise PlannerInputError("baseline must be an object")
        missing = [k for k in ("nps", "n_expected", "goal", "budget") if k not in data]
        if missing:
            raise PlannerInputError(
                f"baseline is missing key(s): {', '.join(missing)}",
                "plan.err.missing", keys=", ".join(missing), button="plan.scn.download",
            )  # fmt: skip
        known = {
            "nps",
            "d",
            "pa",
            "p",
            "n_expected",
            "goal",
            "budget",
            "days",
            "pain_mix",
        }
        unknown = sorted(set(data) - known)
        if unknown:
            raise PlannerInputError(f"baseline has unknown key(s): {', '.join(unknown)}")
        return cls(
            nps=data["nps"],
            d=data.get("d"),
            pa=data.get("pa"),
            p=data.get("p"),
            n_expected=data["n_expected"],
            goal=data["goal"],
            budget=data["budget"],
            days=data.get("days", 30),
            pain_mix=data.get("pain_mix"),
        )


# --------------------------------------------------------------------------
# Project
# --------------------------------------------------------------------------
@dataclass
class BudgetLine:
    """One bought item of a project: what the money pays for and the NPS it buys."""

    name: str
    cost: float
    gain: float
    name_zh: str = ""

    def __post_init__(self) -> None:
        if not isinstance(self.name, str) or not self.name.strip():
            raise PlannerInputError(
                f"budget line name must be a non-empty string, got {self.name!r}"
            )
        if not isinstance(self.name_zh, str):
            raise PlannerInputError(f"budget line {self.name!r}: name_zh must be a string")
        self.cost = _num(self.cost, f"budget line {self.name!r} cost")
        self.gain = _plain(_num(self.gain, f"budget line {self.name!r} gain"))
        if self.cost < 0 or self.gain < 0:
            raise PlannerInputError(f"budget line {self.name!r}: cost and gain must be >= 0")

    def label(self, lang: str = "en") -> str:
        """Display name in ``lang`` (falls back to ``name``)."""
        _check_lang(lang)
        return self.name_zh if lang == "zh" and self.name_zh else self.name

    @classmethod
    def from_dict(cls, data: Any) -> BudgetLine:
        if isinstance(data, BudgetLine):
            return data
        if not isinstance(data, dict):
            raise PlannerInputError("a budget line must be an object")
        missing = [k for k in ("name", "cost", "gain") if k not in data]
        if missing:
            raise PlannerInputError(f"budget line is missing key(s): {', '.join(missing)}")
        unknown = sorted(set(data) - {"name", "cost", "gain", "name_zh"})
        if unknown:
            raise PlannerInputError(f"budget line has unknown key(s): {', '.join(unknown)}")
        return cls(**data)


@dataclass
class Project:
    """One improvement project: cost in yuan, gain in expected NPS points.

    ``low``/``high`` default to 50% and 150% of ``gain``. ``name`` (English)
    is the identifier; ``name_zh`` is an optional Chinese display name.

    The gain splits into a bought part and a free (process) part. ``lines``
    lists what the money buys (each with its own cost and gain; their costs
    add up to ``cost``); the bought gain is the lines' gain (at most the
    project's gain), the rest is free. Without lines, a project that costs
    money is bought in full and a zero-cost project is all process.
    """

    name: str
    pain_point: str
    cost: float
    gain: float
    low: float | None = None
    high: float | None = None
    start_day: int = 8
    end_day: int = 21
    owner: str = ""
    enabled: bool = True
    name_zh: str = ""
    lines: list[BudgetLine] = field(default_factory=list)

    def __post_init__(self) -> None:
        if not isinstance(self.name, str) or not self.name.strip():
            raise PlannerInputError(f"Project name must be a non-empty string, got {self.name!r}")
        for attr in ("pain_point", "owner", "name_zh"):
            if not isinstance(getattr(self, attr), str):
                raise PlannerInputError(f"Project {self.name!r}: {attr} must be a string")
        if not isinstance(self.enabled, bool):
            raise PlannerInputError(f"Project {self.name!r}: enabled must be true or false")
        self.cost = _num(self.cost, f"Project {self.name!r} cost")
        self.gain = _plain(_num(self.gain, f"Project {self.name!r} gain"))
        if self.low is None:
            self.low = min(0.5 * self.gain, 1.5 * self.gain)
        if self.high is None:
            self.high = max(0.5 * self.gain, 1.5 * self.gain)
        self.low = _plain(_num(self.low, f"Project {self.name!r} low"))
        self.high = _plain(_num(self.high, f"Project {self.name!r} high"))
        self.start_day = _int(self.start_day, f"Project {self.name!r} start_day")
        self.end_day = _int(self.end_day, f"Project {self.name!r} end_day")
        if self.lines is None:
            self.lines = []
        if isinstance(self.lines, (dict, str)) or not hasattr(self.lines, "__iter__"):
            raise PlannerInputError(f"Project {self.name!r}: lines must be a list")
        self.lines = [BudgetLine.from_dict(line) for line in self.lines]
        self.validate()

    @property
    def gain_paid(self) -> float:
        """The part of the gain the money buys (see the class docstring)."""
        if self.lines:
            return min(self.gain, sum(line.gain for line in self.lines))
        return self.gain if self.cost > 0 else 0.0

    @property
    def gain_free(self) -> float:
        """The part of the gain that comes from process changes at no cost."""
        return self.gain - self.gain_paid

    def validate(self, days: int | None = None) -> None:
        """Raise ValueError unless cost >= 0, low <= gain <= high, 1 <= start <= end <= days."""
        who = f"Project {self.name!r}"
        if self.cost < 0:
            raise PlannerInputError(
                f"{who}: cost must be >= 0, got {self.cost:g}",
                "plan.err.cost", project=self.name, got=f"{self.cost:g}",
            )  # fmt: skip
        if not self.low <= self.gain <= self.high:
            raise PlannerInputError(
                f"{who}: need low <= gain <= high, got {self.low:g} / {self.gain:g} / {self.high:g}"
            )
        if not 1 <= self.start_day <= self.end_day:
            raise PlannerInputError(
                f"{who}: need 1 <= start_day <= end_day, got {self.start_day}..{self.end_day}",
                "plan.err.start_end", project=self.name, start=self.start_day, end=self.end_day,
            )  # fmt: skip
        if self.lines and abs(sum(line.cost for line in self.lines) - self.cost) > 0.005:
            lines = f"{sum(line.cost for line in self.lines):,.0f}"
            raise PlannerInputError(
                f"{who}: budget lines cost {sum(line.cost for line in self.lines):g}, "
                f"the project {self.cost:g}",
                "plan.err.lines_cost", project=self.name, lines=lines, cost=f"{self.cost:,.0f}",
            )  # fmt: skip
        if days is not None and self.end_day > days:
            raise PlannerInputError(
                f"{who}: end_day {self.end_day} is after the last day {days}",
                "plan.err.end_after", project=self.name, end=self.end_day, days=days,
            )  # fmt: skip

    def label(self, lang: str = "en") -> str:
        """Display name in ``lang`` (falls back to ``name``)."""
        _check_lang(lang)
        return self.name_zh if lang == "zh" and self.name_zh else self.name

    def to_dict(self) -> dict[str, Any]:
        """Plain dict for JSON."""
        return asdict(self)

    @classmethod
    def from_dict(cls, data: Any) -> Project:
        """Build from a dict (needs name, cost, gain), ValueError on bad input."""
        if isinstance(data, Project):
            return data
        if not isinstance(data, dict):
            raise PlannerInputError(f"project must be an object, got {type(data).__name__}")
        missing = [k for k in ("name", "cost", "gain") if k not in data]
        if missing:
            raise PlannerInputError(f"project is missing key(s): {', '.join(missing)}")
        known = {f for f in cls.__dataclass_fields__}
        unknown = sorted(set(data) - known)
        if unknown:
            raise PlannerInputError(
                f"project {data.get('name')!r} has unknown key(s): {', '.join(unknown)}"
            )
        kwargs = {"pain_point": ""} | dict(data)
        return cls(**kwargs)


def _projects(items: Any) -> list[Project]:
    """Coerce a list of Project objects or dicts to Projects."""
    if isinstance(items, (dict, str)) or not hasattr(items, "__iter__"):
        raise PlannerInputError("projects must be a list")
    return [Project.from_dict(item) for item in items]


def _enabled(projects: Any) -> list[Project]:
    return [p for p in _projects(projects) if p.enabled]


# --------------------------------------------------------------------------
# Conversions and credibility
# --------------------------------------------------------------------------
def gain_in_customers(gain: float, n: int) -> dict[str, float]:
    """Customers that must move for ``gain`` NPS points at ``n`` answers."""
    if n <= 0:
        raise PlannerInputError(f"n must be >= 1, got {n}")
    return {
        "detractor_to_passive": gain * n / 100.0,
        "passive_to_promoter": gain * n / 100.0,
        "detractor_to_promoter": gain * n / 200.0,
    }


def max_credible_gain(d: float, pain_share: float, n: int) -> float:
    """NPS gain if every detractor with this pain point became a passive."""
    if n <= 0:
        raise PlannerInputError(f"n must be >= 1, got {n}")
    return 100.0 * d * pain_share / n


PLAN = "*"  # credibility's last row: the whole plan against every detractor


def not_credible_why(
    project: Project | dict[str, Any], baseline: Baseline, projects: Any = None
) -> str | None:
    """Why ``project`` is not credible, or None when it is: ``'pain'`` when its gain (with
    ``projects``, the whole plan: the enabled projects on its pain point added up, since
    the same detractor cannot be won back twice) exceeds its pain point's detractors
    (:func:`max_credible_gain`); ``'plan'`` when it is enabled and the whole plan's
    enabled projects together exceed all the detractors (see :func:`credibility`). A
    project switched off is in no sum, so it is never flagged (one was, with its pain
    point's "all the projects together" it was not part of)."""
    proj = Project.from_dict(project)
    if not proj.enabled:
        return None
    rows = credibility(baseline, projects) if projects is not None else []
    pain = next(
        (
            r
            for r in rows
            if not r["whole"] and proj.pain_point and r["pain_point"] == proj.pain_point
        ),
        None,
    )
    if pain is not None:
        if not (pain["credible"] and proj.gain <= pain["limit"] + 1e-9):
            return "pain"
    else:
        share = baseline.pain_share(proj.pain_point)
        if proj.gain > max_credible_gain(baseline.d, share, baseline.n_base) + 1e-9:
            return "pain"
    whole = next((r for r in rows if r["whole"]), None)
    if whole is not None and proj.enabled and not whole["credible"]:
        return "plan"
    return None


def is_credible(
    project: Project | dict[str, Any], baseline: Baseline, projects: Any = None
) -> bool:
    """False when the expected gain exceeds :func:`max_credible_gain` (with ``projects``,
    with the others on its pain point, or as part of a plan beyond all the detractors:
    :func:`not_credible_why`)."""
    return not_credible_why(project, baseline, projects) is None


def credibility(baseline: Baseline, projects: Any) -> list[dict[str, Any]]:
    """Per pain point: the enabled projects' summed gain against the ceiling.

    The ceiling is the gain if every detractor with that pain point became a
    passive (:func:`max_credible_gain`). Rows (pain_point, gain, limit,
    credible, projects, whole) in first-seen order; projects without a pain point
    are checked one by one against all detractors. A last row (``whole``, pain point
    :data:`PLAN`) holds the whole plan against all the detractors: projects on
    different pain points cannot win back more detractors than there are either
    (without a known pain mix each pain point's ceiling is all of them, and four
    projects at +5.5 each claimed the same 36 detractors four times).
    """
    enabled = _enabled(projects)
    groups: dict[str, list[Project]] = {}
    for proj in enabled:
        groups.setdefault(proj.pain_point or f"\x00{proj.name}", []).append(proj)
    pools = [("" if k.startswith("\x00") else k, ms, False) for k, ms in groups.items()]
    if enabled:
        pools.append((PLAN, enabled, True))
    rows = []
    for pain, members, whole in pools:
        share = 1.0 if whole else baseline.pain_share(pain)
        limit = max_credible_gain(baseline.d, share, baseline.n_base)
        gain = round(sum(p.gain for p in members), 9)
        rows.append(
            {
                "pain_point": pain,
                "gain": gain,
                "limit": limit,
                "credible": gain <= limit + 1e-9,
                "projects": [p.name for p in members],
                # the whole plan's row, by a flag of its own: a project's pain point
                # may be any text, '*' too
                "whole": whole,
            }
        )
    return rows


def _excess(baseline: Baseline, projects: Any) -> tuple[float, float]:
    """(per pain point, whole plan): the gain above the ceilings of :func:`credibility`."""
    rows = credibility(baseline, projects)
    per_pain = sum(max(0.0, r["gain"] - r["limit"]) for r in rows if not r["whole"])
    whole = sum(max(0.0, r["gain"] - r["limit"]) for r in rows if r["whole"])
    return per_pain, whole


def beyond_credible(baseline: Baseline, projects: Any) -> float:
    """Points of the projected gain beyond what the detractors allow: per pain point (see
    :func:`credibility`), the enabled projects' summed gain above its ceiling, added up,
    or the whole plan's above all the detractors, whichever is more. 0 when the plan is
    within every ceiling."""
    return round(max(_excess(baseline, projects)), 9)


def beyond_credible_whole(baseline: Baseline, projects: Any) -> bool:
    """True when the whole plan's excess over all the detractors is what
    :func:`beyond_credible` counts (the plan, not one pain point, is beyond)."""
    per_pain, whole = _excess(baseline, projects)
    return whole > per_pain + 1e-9


def pain_point_gain(d_with_pain: float, n: int, share_converted: float) -> float:
    """NPS gained if ``share_converted`` of a pain point's detractors became passives."""
    if n <= 0:
        raise PlannerInputError(f"n must be >= 1, got {n}")
    return 100.0 * d_with_pain * share_converted / n


def pain_point_table(
    detractors_by_pain: dict[str, float], n: int, share_converted: float = 0.5
) -> list[dict[str, Any]]:
    """Rows (pain_point, detractors, gain, max_gain), biggest gain first."""
    rows = [
        {
            "pain_point": pain,
            "detractors": count,
            "gain": pain_point_gain(count, n, share_converted),
            "max_gain": pain_point_gain(count, n, 1.0),
        }
        for pain, count in detractors_by_pain.items()
    ]
    return sorted(rows, key=lambda r: (-r["gain"], str(r["pain_point"])))


# --------------------------------------------------------------------------
# Summary
# --------------------------------------------------------------------------
def summarise(baseline: Baseline, projects: Any) -> dict[str, Any]:
    """Projected NPS, gap to goal and budget use of the enabled projects.

    ``gap`` = goal - projected (<= 0 means the goal is met);
    ``cost_per_point`` is None when the total gain is not positive.
    """
    active = _enabled(projects)
    total_gain = round(sum(p.gain for p in active), 9)
    gain_paid = round(sum(p.gain_paid for p in active), 9)
    gain_free = round(total_gain - gain_paid, 9)
    used = round(sum(p.cost for p in active), 6)
    projected = min(100.0, round(baseline.nps + total_gain, 9))
    return {
        "projected": projected,
        "gap": round(baseline.goal - projected, 9),
        "budget_used": used,
        "budget_left": round(baseline.budget - used, 6),
        "over_budget": used > baseline.budget + 1e-6,
        "cost_per_point": used / total_gain if total_gain > 0 else None,
        "gain_paid": gain_paid,
        "gain_free": gain_free,
        "total_gain": total_gain,
    }


def budget_lines(projects: Any, lang: str = "en") -> list[dict[str, Any]]:
    """What the enabled projects' money buys, line by line, and the free part.

    Rows (project, line, cost, gain, free): one per budget line (a project
    with a cost but no lines is one line of its own), then one row with
    ``free=True`` and cost 0 for each project's process part.
    """
    _check_lang(lang)
    rows = []
    for proj in _enabled(projects):
        lines = proj.lines or (
            [BudgetLine(proj.name, proj.cost, proj.gain_paid, proj.name_zh)]
            if proj.cost > 0
            else []
        )
        for line in lines:
            rows.append(
                {
                    "project": proj.label(lang),
                    "line": line.label(lang),
                    "cost": line.cost,
                    "gain": line.gain,
                    "free": False,
                }
            )
        if proj.gain_free > 1e-9:
            rows.append(
                {
                    "project": proj.label(lang),
                    "line": "",
                    "cost": 0.0,
                    "gain": round(proj.gain_free, 9),
                    "free": True,
                }
            )
    return rows


def scaled_lines(lines: list[BudgetLine], written_for: float, gain: float) -> list[BudgetLine]:
    """A project's budget lines when its expected gain moves from ``written_for`` (the
    gain they were written with) to ``gain``: each line's gain scaled alike, so what the
    money buys and the process part keep their shares of the project (a slider lowered
    below its lines had left them listing more than the project; one raised had shown
    the rise as free process work)."""
    if not lines or written_for <= 0 or math.isclose(gain, written_for):
        return list(lines)
    return [replace(line, gain=line.gain * gain / written_for) for line in lines]


def priced_lines(lines: list[BudgetLine], cost: float) -> list[BudgetLine]:
    """A project's budget lines when its cost is set to ``cost`` (the project table's
    cost column): each line's cost scaled alike, what it buys kept, so the process part
    stays free (the lines had been dropped and the whole project counted as bought: a
    dearer loaner car turned the second-technician check's free +0.7 into bought gain).
    A cost of nothing, or lines without a cost to scale, leave no lines."""
    total = sum(line.cost for line in lines)
    if not lines or math.isclose(total, cost):
        return list(lines)
    if cost <= 0 or total <= 0:
        return []
    return [replace(line, cost=line.cost * cost / total) for line in lines]


# --------------------------------------------------------------------------
# Exact 0/1 knapsack
# --------------------------------------------------------------------------
def _frontier(
    items: list[Project], cap_fen: int | None
) -> list[tuple[int, int, int, tuple[int, ...]]]:
    """Exact DP over reachable cost sums keeping the (cost, gain) Pareto frontier.

    States are (cost_fen, gain_units, count, indices). Per cost sum the best
    state is kept (higher gain, then fewer projects, then name order); states
    strictly dominated in (cost, gain) are dropped: no extension of them can
    win, so the result stays exact.
    """
    names = [p.name for p in items]

    def better(a: tuple, b: tuple) -> bool:
        if a[1] != b[1]:
            return a[1] > b[1]
        if a[2] != b[2]:
            return a[2] < b[2]
        return sorted(names[i] for i in a[3]) < sorted(names[i] for i in b[3])

    states: dict[int, tuple[int, int, int, tuple[int, ...]]] = {0: (0, 0, 0, ())}
    for idx, proj in enumerate(items):
        c = round(proj.cost * _COST_SCALE)
        g = round(proj.gain * _GAIN_SCALE)
        new = dict(states)
        for cost, gain, count, chosen in states.values():
            total = cost + c
            if cap_fen is not None and total > cap_fen:
                continue
            cand = (total, gain + g, count + 1, chosen + (idx,))
            old = new.get(total)
            if old is None or better(cand, old):
                new[total] = cand
        kept: dict[int, tuple[int, int, int, tuple[int, ...]]] = {}
        best_gain: int | None = None
        for cost in sorted(new):
            state = new[cost]
            if best_gain is None or state[1] > best_gain:
                kept[cost] = state
                best_gain = state[1]
        states = kept
    return list(states.values())


_MITM_MAX = 30  # up to this many projects: meet in the middle (bounded time)
# A plan's projects at most: the best plan's exact search stays in bounded time and
# memory (beyond it the frontier of a crafted plan's costs and gains grows exponentially:
# 32 projects in a 1,242-character link took a server past 3 GB).
MAX_PROJECTS = _MITM_MAX

_State = tuple[int, int, int, tuple[int, ...]]


def _units(items: list[Project]) -> tuple[list[int], list[int]]:
    """Costs in integer fen and gains in integer 1e-9 points."""
    costs = [round(p.cost * _COST_SCALE) for p in items]
    gains = [round(p.gain * _GAIN_SCALE) for p in items]
    return costs, gains


def _subsets(idx: range, costs: list[int], gains: list[int], cap: int | None) -> list[_State]:
    """Every subset of ``idx`` as (cost, gain, count, indices), cost <= cap."""
    subs: list[_State] = [(0, 0, 0, ())]
    for i in idx:
        subs += [
            (c + costs[i], g + gains[i], n + 1, chosen + (i,))
            for c, g, n, chosen in subs
            if cap is None or c + costs[i] <= cap
        ]
    return subs


def _mitm(items: list[Project], mode: str, limit: int | None) -> _State | None:
    """Exact search by meet in the middle over the two halves of ``items``.

    mode "max_gain": max gain with cost <= limit (ties: lower cost, fewer
    projects, name order). mode "min_cost": min cost with gain >= limit
    (ties: higher gain, fewer, name order). For a fixed left subset the
    ranking of right subsets does not depend on it (name order compares the
    symmetric difference), so a prefix-best table over the right half is exact.
    """
    names = [p.name for p in items]
    costs, gains = _units(items)
    half = len(items) // 2
    cap = limit if mode == "max_gain" else None
    left = _subsets(range(half), costs, gains, cap)
    right = _subsets(range(half, len(items)), costs, gains, cap)

    def key(s: _State) -> tuple:
        ranked = sorted(names[i] for i in s[3])
        if mode == "max_gain":
            return (-s[1], s[0], s[2], ranked)
        return (s[0], -s[1], s[2], ranked)

    if mode == "max_gain":
        right.sort(key=lambda s: s[0])
        bounds = [s[0] for s in right]
    else:
        right.sort(key=lambda s: -s[1])
        bounds = [-s[1] for s in right]
    prefix: list[_State] = []
    for s in right:
        prefix.append(s if not prefix or key(s) < key(prefix[-1]) else prefix[-1])

    best: _State | None = None
    best_key: tuple | None = None
    for a in left:
        if mode == "max_gain":
            j = bisect.bisect_right(bounds, limit - a[0]) - 1
        else:
            j = bisect.bisect_right(bounds, a[1] - limit) - 1
        if j < 0:
            continue
        b = prefix[j]
        cand = (a[0] + b[0], a[1] + b[1], a[2] + b[2], tuple(sorted(a[3] + b[3])))
        cand_key = key(cand)
        if best_key is None or cand_key < best_key:
            best, best_key = cand, cand_key
    return best


def _solve(items: list[Project], mode: str, limit: int) -> _State | None:
    """Meet in the middle for small lists, Pareto dictionary DP beyond."""
    if len(items) <= _MITM_MAX:
        return _mitm(items, mode, limit)
    names = [p.name for p in items]
    if mode == "max_gain":
        states = _frontier(items, limit)
        return min(states, key=lambda s: (-s[1], s[0], s[2], sorted(names[i] for i in s[3])))
    ok = [s for s in _frontier(items, None) if s[1] >= limit]
    if not ok:
        return None
    return min(ok, key=lambda s: (s[0], -s[1], s[2], sorted(names[i] for i in s[3])))


def _plan_result(items: list[Project], state: _State) -> tuple[list[str], float, float]:
    return (
        [items[i].name for i in sorted(state[3])],
        state[1] / _GAIN_SCALE,
        state[0] / _COST_SCALE,
    )


def best_plan(projects: Any, budget: float) -> tuple[list[str], float, float]:
    """Exact 0/1 knapsack: the set of projects with the largest expected gain.

    ``projects``: Project objects or dicts with ``name``, ``cost``, ``gain``
    (the ``enabled`` flag is ignored: every project is a candidate). Ties go
    to lower cost, then fewer projects, then name order. Costs are handled in
    whole fen, gains in units of 1e-9 points. Returns (names in input order,
    total gain, total cost).
    """
    items = _projects(projects)
    budget = _num(budget, "budget")
    if budget < 0:
        raise PlannerInputError(f"budget must be >= 0, got {budget:g}")
    cap = math.floor(budget * _COST_SCALE + 1e-6)
    return _plan_result(items, _solve(items, "max_gain", cap))


def cheapest_plan_to_goal(
    projects: Any, needed_gain: float
) -> tuple[list[str], float, float] | None:
    """Cheapest set with total gain >= ``needed_gain`` (ties: higher gain,
    fewer projects, name order), or None if even all projects fall short."""
    items = _projects(projects)
    need = round(_num(needed_gain, "needed_gain") * _GAIN_SCALE)
    state = _solve(items, "min_cost", need)
    return None if state is None else _plan_result(items, state)


# --------------------------------------------------------------------------
# Odds of reaching the goal
# --------------------------------------------------------------------------
def _mix_arrays(true_nps: np.ndarray, passive_share: float) -> np.ndarray:
    """(draws, 3) shares [promoter, passive, detractor] with p - d = true NPS."""
    t = np.clip(np.asarray(true_nps, dtype=float) / 100.0, -1.0, 1.0)
    d = (1.0 - passive_share - t) / 2.0
    p = (1.0 - passive_share + t) / 2.0
    low_d, low_p = d < 0, p < 0
    d = np.where(low_d, 0.0, np.where(low_p, -t, d))
    p = np.where(low_d, t, np.where(low_p, 0.0, p))
    p = np.clip(p, 0.0, 1.0)
    d = np.clip(d, 0.0, 1.0 - p)
    pa = np.clip(1.0 - p - d, 0.0, 1.0)
    return np.stack([p, pa, d], axis=-1)


def _true_nps(baseline: Baseline, gains: np.ndarray | float) -> np.ndarray:
    return np.minimum(100.0, np.maximum(-100.0, baseline.nps + np.asarray(gains, dtype=float)))


def simulate(
    baseline: Baseline, projects: Any, draws: int = 10000, seed: int = 0
) -> dict[str, Any]:
    """Monte Carlo odds that the month's measured NPS reaches the goal.

    Each enabled project's gain ~ triangular(low, gain, high) (constant when
    low == high); true NPS = baseline + gains (capped at 100); measured NPS is
    a multinomial draw of ``n_expected`` answers at the true mix (baseline
    passive share kept). Returns prob, samples (measured NPS), mean, p5, p95.
    """
    draws = _int(draws, "draws")
    if draws < 1:
        raise PlannerInputError(f"draws must be >= 1, got {draws}")
    rng = np.random.default_rng(seed)
    total = np.zeros(draws)
    for proj in _enabled(projects):
        if proj.high - proj.low <= 1e-12:
            total += proj.gain
        else:
            total += rng.triangular(proj.low, proj.gain, proj.high, size=draws)
    true = _true_nps(baseline, total)
    pvals = _mix_arrays(true, baseline.shares[1])
    n = baseline.n_expected
    counts = rng.multinomial(n, pvals)
    measured = 100.0 * (counts[:, 0] - counts[:, 2]) / n
    prob = float(np.mean(measured >= baseline.goal - 1e-9))
    return {
        "prob": prob,
        "prob_se": math.sqrt(max(prob * (1.0 - prob), 0.25 / draws) / draws),
        "samples": measured,
        "mean": float(measured.mean()),
        "p5": float(np.percentile(measured, 5)),
        "p95": float(np.percentile(measured, 95)),
    }


def format_prob(prob: float, se: float) -> str:
    """A probability in percent to the precision a simulation supports.

    Whole percent when the simulation's 95% margin (1.96 standard errors)
    is under one point, else "p ± m %" with both to whole points.
    E.g. 0.514 with se 0.005 -> "51%"; 0.514 with se 0.016 -> "51 ± 3%".
    """
    prob, se = _num(prob, "probability"), _num(se, "standard error")
    margin = 1.96 * se * 100.0
    pct = round(prob * 100.0)
    if margin < 1.0:
        return f"{pct:.0f}%"
    return f"{pct:.0f} ± {math.ceil(margin):.0f}%"


def closed_form_prob(baseline: Baseline, projects: Any) -> float:
    """Normal approximation of P(measured NPS >= goal) with gains fixed.

    Gains are taken at their expected value (exact match for the Monte Carlo
    only when low == gain == high). se = 100*sqrt(v/n), v = pP + pD - (pP-pD)^2.
    """
    gain = sum(p.gain for p in _enabled(projects))
    mu = float(_true_nps(baseline, gain))
    p_share, _, d_share = (float(x) for x in _mix_arrays(np.array(mu), baseline.shares[1]))
    v = p_share + d_share - (p_share - d_share) ** 2
    se = 100.0 * math.sqrt(max(v, 0.0) / baseline.n_expected)
    if se == 0.0:
        return 1.0 if mu >= baseline.goal - 1e-9 else 0.0
    return 1.0 - statistics.NormalDist().cdf((baseline.goal - mu) / se)


_ZH_DIGITS = "零一二三四五六七八九十"
# plain fractions a trainer says aloud, the nearest to the percent shown
_FRACTIONS = ((1, 10), (1, 5), (1, 4), (3, 10), (1, 3), (2, 5), (1, 2), (3, 5), (2, 3), (7, 10))
_FRACTIONS += ((3, 4), (4, 5), (9, 10))


def probability_words(p: float, lang: str = "en") -> str:
    """Plain words for a probability: "about 3 in 5" / "约五分之三", the plain fraction
    nearest to the whole percent :func:`format_prob` shows."""
    _check_lang(lang)
    p = _num(p, "probability")
    if not 0.0 <= p <= 1.0:
        raise PlannerInputError(f"probability must be between 0 and 1, got {p}")
    # the words of the percent shown (format_prob's), so "65%" never reads "about 3 in 5"
    pct = round(p * 100.0)
    if pct > 95:
        return "几乎肯定" if lang == "zh" else "almost certain"
    if pct < 5:
        return "可能性很小" if lang == "zh" else "very unlikely"
    # a percent halfway between two (55 %) takes the one of fewer parts ("about 1 in 2")
    num, den = min(_FRACTIONS, key=lambda f: (abs(pct - 100.0 * f[0] / f[1]), f[1]))
    if lang == "en":
        return f"about {num} in {den}"
    if (num, den) == (1, 2):
        return "约一半"
    return f"约{_ZH_DIGITS[den]}分之{_ZH_DIGITS[num]}"


# --------------------------------------------------------------------------
# Pace
# --------------------------------------------------------------------------
def _milestone_days(days: int) -> tuple[int, int, int, int]:
    """(end of week 1, week 2, week 3, last day), scaled from the 30-day plan."""
    days = _int(days, "days")
    if days < 1:
        raise PlannerInputError(f"days must be >= 1, got {days}")
    return round(7 * days / 30), round(14 * days / 30), round(21 * days / 30), days


def milestones(start_nps: float, goal: float, days: int = 30) -> list[tuple[int, float]]:
    """Targets at week 2, week 3 and the end: start + 40%/80%/100% of the gap."""
    _, w2, w3, end = _milestone_days(days)
    gap = goal - start_nps
    return [
        (day, round(start_nps + share * gap, 1))
        for day, share in ((w2, 0.4), (w3, 0.8), (end, 1.0))
    ]


def planned_path(start_nps: float, goal: float, days: int = 30) -> list[tuple[int, float]]:
    """Daily planned NPS for days 0..days: flat through week 1 (diagnosis),
    then linear through the milestones to the goal on the last day."""
    w1, w2, w3, end = _milestone_days(days)
    ms = dict(milestones(start_nps, goal, days))
    knots = {
        0: float(start_nps),
        w1: float(start_nps),
        w2: ms[w2],
        w3: ms[w3],
        end: float(goal),
    }
    xs = sorted(knots)
    ys = [knots[x] for x in xs]
    return [(day, float(np.interp(day, xs, ys))) for day in range(end + 1)]


def check_day(days: int) -> int:
    """The day of the plan's late check: two days before its end (day 28 of 30)."""
    return max(1, _int(days, "days") - 2)


def day28_check(
    goal: float,
    mtd_nps_day28: float,
    n_so_far: int,
    n_per_day: float,
    days: int = 30,
    day: int = 28,
) -> dict[str, Any]:
    """What the last days must deliver after ``day`` (day 28 of a month; a plan's
    :func:`check_day`).

    status: :func:`cx.rules.pace_status` ("already_secured" when required <= -100
    or, with no answers left, the goal is met; "out_of_reach" when required > 100
    or none are left and it is missed; else "needed").
    """
    n_left = round(n_per_day * max(days - day, 0))
    required = required_nps_remaining(goal, mtd_nps_day28, n_so_far, n_left)
    status = pace_status(required, mtd_nps_day28, goal)
    return {"required": required, "n_left": n_left, "status": status}


# --------------------------------------------------------------------------
# Gantt and priority matrix
# --------------------------------------------------------------------------
_TASKS = {
    "data_analysis": {"en": "Data analysis", "zh": "数据分析"},
    "detractor_callbacks": {"en": "Detractor callbacks", "zh": "贬损者回访"},
    "make_plan": {"en": "Make the plan", "zh": "制定计划"},
    "callback_sprint": {"en": "Callback sprint", "zh": "回访冲刺"},
    "daily_monitoring": {"en": "Daily monitoring", "zh": "每日监控"},
}
PHASES = {
    "diagnosis": {"en": "Week 1: diagnosis", "zh": "第 1 周：诊断"},
    "projects": {"en": "Weeks 2-3: projects", "zh": "第 2–3 周：改进项目"},
    "sprint": {"en": "Week 4: sprint and monitoring", "zh": "第 4 周：冲刺与监控"},
}
# A plan of other than 30 days names its phases by their days ("Week 4" of a 15-day plan
# was its third week)
PHASES_BY_DAYS = {
    "diagnosis": {"en": "Days 1-{end}: diagnosis", "zh": "第1-{end}天：诊断"},
    "projects": {"en": "Days {start}-{end}: projects", "zh": "第{start}-{end}天：改进项目"},
    "sprint": {
        "en": "Days {start}-{end}: sprint and monitoring",
        "zh": "第{start}-{end}天：冲刺与监控",
    },
}


GANTT_MIN_DAYS = 15  # a diagnosis week, the projects and the closing sprint


def _phase_ends(days: int) -> tuple[int, int, int, int]:
    """The last day of the Gantt's data analysis, detractor callbacks and diagnosis week,
    and of its projects phase, for a plan of ``days`` (3, 5, 7 and 21 of 30 days; scaled,
    each task at least a day)."""
    _, _, w3, _ = _milestone_days(days)
    analysis_end = max(1, round(3 * days / 30))
    callbacks_end = max(analysis_end + 1, round(5 * days / 30))
    return analysis_end, callbacks_end, max(callbacks_end + 1, round(7 * days / 30)), w3


def default_days(days: int) -> tuple[int, int]:
    """A project's start and end day when none are given: the projects phase of the
    plan's Gantt, days 8-21 of 30 (a 15-day plan's new row had ended on day 21, refused;
    a 31-day month's ran to 21 beside a phase to 22, a 28-day month's into its sprint)."""
    _, _, w1, w3 = _phase_ends(days)
    end = max(1, min(w3, days))
    return min(w1 + 1, end), end


def fit_days(projects: Any, days: int) -> list[Project]:
    """``projects`` for a plan of ``days``: each on the 30-day plan's default days (8-21)
    on this plan's own (:func:`default_days`). A store's plan for a 31-day month had its
    projects end on day 21 beside a projects phase to day 22, a blank day on the Gantt;
    a 28-day month's ran a day into its sprint."""
    own = default_days(days)
    return [
        replace(p, start_day=own[0], end_day=own[1]) if (p.start_day, p.end_day) == (8, 21) else p
        for p in _projects(projects)
    ]


def gantt(projects: Any, days: int = 30, lang: str = "en") -> list[dict[str, Any]]:
    """Gantt rows (task, phase, phase_label, start, end), days 1-based inclusive.

    In a 30-day plan week 1's diagnosis is days 1-3 / 4-5 / 6-7, then each enabled
    project, then the callback sprint days 22-25 and monitoring 26-30. Another length
    scales those days as :func:`planned_path` scales its weeks (a 15-day plan's sprint had
    begun inside its diagnosis), each task at least a day.
    """
    _check_lang(lang)
    days = _int(days, "days")
    if days < GANTT_MIN_DAYS:
        raise PlannerInputError(
            f"a plan needs at least {GANTT_MIN_DAYS} days for the Gantt chart, got {days}"
        )

    analysis_end, callbacks_end, w1, w3 = _phase_ends(days)
    sprint_end = max(w3 + 1, round(25 * days / 30))
    spans = {"diagnosis": (1, w1), "projects": (w1 + 1, w3), "sprint": (w3 + 1, days)}

    def row(task: str, phase: str, start: int, end: int) -> dict[str, Any]:
        label = PHASES[phase][lang]
        if days != 30:
            first, last = spans[phase]
            label = PHASES_BY_DAYS[phase][lang].format(start=first, end=last)
        return {"task": task, "phase": phase, "phase_label": label, "start": start, "end": end}

    rows = [
        row(_TASKS["data_analysis"][lang], "diagnosis", 1, analysis_end),
        row(_TASKS["detractor_callbacks"][lang], "diagnosis", analysis_end + 1, callbacks_end),
        row(_TASKS["make_plan"][lang], "diagnosis", callbacks_end + 1, w1),
    ]
    for proj in _enabled(projects):
        start = min(proj.start_day, days)
        rows.append(row(proj.label(lang), "projects", start, min(max(proj.end_day, start), days)))
    rows.append(row(_TASKS["callback_sprint"][lang], "sprint", w3 + 1, sprint_end))
    rows.append(row(_TASKS["daily_monitoring"][lang], "sprint", sprint_end + 1, days))
    return rows


def priority_quadrant(cost: float, gain: float, cost_cut: float, gain_cut: float) -> str:
    """Impact x cost quadrant; cost <= cut is low cost, gain >= cut is high impact."""
    low_cost = cost <= cost_cut
    high_impact = gain >= gain_cut
    if high_impact:
        return "quick_win" if low_cost else "strategic"
    return "defer" if low_cost else "reconsider"


def priority_table(
    projects: Any, cost_cut: float | None = None, gain_cut: float | None = None
) -> list[dict[str, Any]]:
    """Quadrant for every project; cuts default to the median cost and gain."""
    items = _projects(projects)
    if not items:
        return []
    cc = statistics.median(p.cost for p in items) if cost_cut is None else cost_cut
    gc = statistics.median(p.gain for p in items) if gain_cut is None else gain_cut
    return [
        {
            "name": p.name,
            "name_zh": p.name_zh,
            "cost": p.cost,
            "gain": p.gain,
            "quadrant": priority_quadrant(p.cost, p.gain, cc, gc),
        }
        for p in items
    ]


# --------------------------------------------------------------------------
# Presets
# --------------------------------------------------------------------------
PRESETS: dict[str, dict[str, Any]] = {
    "classic_30day": {
        "label": {
            "en": "Classic 30-day plan: NPS 72 -> 77",
            "zh": "经典30天计划：NPS 72 → 77",
        },
        "baseline": Baseline(
            nps=72, d=36, pa=96, p=468, n_expected=600, goal=77, budget=45000, days=30
        ),
        "projects": [
            Project("Wait-time visibility", "waiting", 0, 1.5, name_zh="等待时间可视化"),
            Project(
                "Transparent pricing promise",
                "cost",
                15000,
                1.2,
                name_zh="透明报价承诺",
                lines=[BudgetLine("Transparent pricing buffer", 15000, 1.2, "透明定价缓冲")],
            ),
            # the training material: +1.5 in all, +0.8 bought (loaner cars and
            # training), +0.7 from the process (a second technician's check)
            Project(
                "First-time-fix push (loaner cars + training)",
                "unresolved",
                10000,
                1.5,
                name_zh="一次修复率提升（代步车+培训）",
                lines=[
                    BudgetLine("Loaner car subsidy", 8000, 0.5, "代步车补贴"),
                    BudgetLine("Training materials", 2000, 0.3, "培训材料"),
                ],
            ),
            Project(
                "VIP care",
                "attitude",
                20000,
                0.8,
                name_zh="VIP关怀",
                lines=[BudgetLine("VIP care", 20000, 0.8, "VIP关怀")],
            ),
        ],
    },
    "class_68_73": {
        "label": {
            "en": "Class exercise: NPS 68 -> 73, budget ¥45,000",
            "zh": "课堂练习：NPS 68 → 73，预算 ¥45,000",
        },
        "baseline": Baseline(
            nps=68,
            d=48,
            pa=96,
            p=456,
            n_expected=600,
            goal=73,
            budget=45000,
            days=30,
            pain_mix={"waiting": 0.4, "cost": 0.3, "attitude": 0.2, "other": 0.1},
        ),
        "projects": [
            Project("Wait-time visibility", "waiting", 0, 1.5, name_zh="等待时间可视化"),
            Project("Express service bay", "waiting", 12000, 1.2, name_zh="快修工位"),
            Project(
                "Transparent pricing promise",
                "cost",
                15000,
                1.2,
                name_zh="透明报价承诺",
            ),
            Project(
                "Service-advisor courtesy training",
                "attitude",
                8000,
                0.8,
                name_zh="服务顾问礼仪培训",
            ),
            Project("Follow-up care calls", "other", 10000, 0.5, name_zh="售后关怀回访"),
        ],
    },
}


def get_preset(key: str) -> tuple[Baseline, list[Project]]:
    """Fresh copies of a preset's baseline and projects (safe to edit)."""
    if key not in PRESETS:
        raise PlannerInputError(f"unknown preset {key!r}; choose one of {', '.join(PRESETS)}")
    preset = PRESETS[key]
    return copy.deepcopy(preset["baseline"]), copy.deepcopy(preset["projects"])


# --------------------------------------------------------------------------
# Scenario JSON
# --------------------------------------------------------------------------
SCENARIO_VERSION = 1
MAX_SCENARIO_CHARS = 1_000_000  # a real scenario is a few KB


def scenario_to_json(
    baseline: Baseline, projects: Any, name: str, origin: str | None = None
) -> str:
    """Serialise a scenario to a JSON string (UTF-8 friendly, indented). ``origin``: the
    store key whose answers its numbers come from, or ``preset:NAME`` for a class
    preset's (:func:`scenario_origin`), so a file or a link keeps whose numbers it holds."""
    doc = {
        "version": SCENARIO_VERSION,
        "name": name,
        "baseline": baseline.to_dict(),
        "projects": [p.to_dict() for p in _projects(projects)],
    }
    if origin is not None:
        doc["origin"] = origin
    return json.dumps(doc, ensure_ascii=False, indent=2)


def scenario_origin(text: str) -> str | None:
    """The ``origin`` a scenario's JSON names (:func:`scenario_to_json`), or None (a file
    made by hand or before it was written). Read after :func:`scenario_from_json`."""
    try:
        doc = json.loads(text)
    except (TypeError, ValueError, RecursionError):
        return None
    origin = doc.get("origin") if isinstance(doc, dict) else None
    return origin if isinstance(origin, str) and origin else None


def scenario_from_json(text: str) -> tuple[str, Baseline, list[Project]]:
    """Parse a scenario; ValueError with a one-line message on bad input."""
    if isinstance(text, str | bytes) and len(text) > MAX_SCENARIO_CHARS:
        raise PlannerInputError(f"scenario is larger than {MAX_SCENARIO_CHARS // 1000} KB")
    try:
        doc = json.loads(text)
    except RecursionError:  # [[[[...]]]] thousands deep
        raise PlannerInputError("scenario is nested too deeply") from None
    except (TypeError, json.JSONDecodeError) as exc:
        raise PlannerInputError(
            f"scenario is not valid JSON: {str(exc).splitlines()[0]}", "plan.err.not_json"
        ) from None
    if not isinstance(doc, dict):
        raise PlannerInputError("scenario must be a JSON object", "plan.err.not_json")
    missing = [k for k in ("baseline", "projects") if k not in doc]
    if missing:
        raise PlannerInputError(
            f"scenario is missing key(s): {', '.join(missing)}",
            "plan.err.missing", keys=", ".join(missing), button="plan.scn.download",
        )  # fmt: skip
    name = doc.get("name", "")
    if not isinstance(name, str):
        raise PlannerInputError("scenario name must be a string")
    baseline = Baseline.from_dict(doc["baseline"])
    if baseline.days < GANTT_MIN_DAYS:  # the page draws its plan over the days
        raise PlannerInputError(
            f"a plan needs at least {GANTT_MIN_DAYS} days, got {baseline.days}",
            "plan.err.days_short", need=GANTT_MIN_DAYS, days=baseline.days,
        )  # fmt: skip
    if not isinstance(doc["projects"], list):
        raise PlannerInputError("scenario projects must be a list")
    if len(doc["projects"]) > MAX_PROJECTS:  # the best plan's search grows past bounds
        raise PlannerInputError(
            f"a plan holds at most {MAX_PROJECTS} projects, not {len(doc['projects'])}",
            "plan.err.too_many", most=MAX_PROJECTS, n=len(doc["projects"]),
        )  # fmt: skip
    projects = []
    for i, item in enumerate(doc["projects"], start=1):
        try:
            if isinstance(item, dict):  # days left out: the plan's defaults
                starts, ends = default_days(baseline.days)
                item = {"start_day": starts, "end_day": ends} | item
            proj = Project.from_dict(item)
            proj.validate(baseline.days)
        except PlannerInputError as exc:
            raise PlannerInputError(f"project {i}: {exc}", exc.key, **exc.fmt) from None
        except (TypeError, ValueError) as exc:
            raise PlannerInputError(f"project {i}: {exc}") from None
        projects.append(proj)
    return name, baseline, projects


def plan_token(
    text: str, preset: str | None = None, period: str | None = None, store: str | None = None
) -> str:
    """The plan (a scenario's JSON ``text``), the preset it started from and, for a store's
    own plan, the month it was planned from (``YYYY-MM``) and the store, as one word an
    address can carry: compact JSON, deflated, URL-safe base64 without padding (a class
    preset: about 800 characters). :func:`plan_from_token` reads it back."""
    doc = json.loads(text)
    for key, value in (("preset", preset), ("period", period), ("store", store)):
        if value is not None:
            doc[key] = value
    raw = json.dumps(doc, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return base64.urlsafe_b64encode(zlib.compress(raw, 9)).decode("ascii").rstrip("=")


def plan_from_token(token: str) -> tuple[str, str | None, str | None, str | None]:
    """(scenario JSON, preset, month, store) of a :func:`plan_token` word, the last three
    None when it holds none: PlannerInputError (key ``plan.err.not_token``) for anything else, and
    for a word that would unpack past :data:`MAX_SCENARIO_CHARS` (unpacked no further).
    The JSON is checked by :func:`scenario_from_json` as a file's is."""
    bad = PlannerInputError("the plan in the address is not one this page wrote",
                            "plan.err.not_token")  # fmt: skip
    if not isinstance(token, str) or len(token) > MAX_SCENARIO_CHARS:
        raise bad
    try:
        packed = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
        unpack = zlib.decompressobj()
        raw = unpack.decompress(packed, MAX_SCENARIO_CHARS + 1)
        if len(raw) > MAX_SCENARIO_CHARS or not unpack.eof:
            raise bad
        doc = json.loads(raw.decode("utf-8"))
    except (ValueError, zlib.error, RecursionError):  # binascii.Error is a ValueError
        raise bad from None
    if not isinstance(doc, dict):
        raise bad
    extra = [doc.pop(key, None) for key in ("preset", "period", "store")]
    preset, period, store = (v if isinstance(v, str) else None for v in extra)
    return json.dumps(doc, ensure_ascii=False), preset, period, store


__all__ = [
    "PHASES",
    "PLAN",
    "PRESETS",
    "MAX_PROJECTS",
    "Baseline",
    "BudgetLine",
    "PlannerInputError",
    "Project",
    "best_plan",
    "beyond_credible",
    "default_days",
    "fit_days",
    "beyond_credible_whole",
    "not_credible_why",
    "budget_lines",
    "cheapest_plan_to_goal",
    "closed_form_prob",
    "credibility",
    "check_day",
    "day28_check",
    "format_prob",
    "gain_in_customers",
    "gantt",
    "get_preset",
    "is_credible",
    "max_credible_gain",
    "milestones",
    "mix_from_nps",
    "pain_point_gain",
    "pain_point_table",
    "plan_from_token",
    "plan_token",
    "planned_path",
    "priority_quadrant",
    "priority_table",
    "probability_words",
    "required_nps_remaining",
    "scenario_from_json",
    "scenario_origin",
    "scaled_lines",
    "scenario_to_json",
    "simulate",
    "summarise",
]
