"""The project's rules, each written once: NPS segments, the calendar and pacing.

Every module that needs one of these imports it from here, in Python or as a SQL
fragment; ``tests/test_rules.py`` fails when a threshold or a calendar helper is
written anywhere else in ``cx/`` or ``pages/``. Pure: no I/O, no streamlit.

**Segments** of a 0-10 recommendation score: 0-6 detractor, 7-8 passive, 9-10 promoter.
NPS = % promoters - % detractors.

**Calendar**: a month is named by its first day; a week runs Monday to Sunday; the
"previous period" of a month or quarter is the calendar one before, and the previous
window of a date range is as many whole months before when it is whole calendar months,
else the range of the same length just before it.

**Pacing**: the NPS the answers still to come must average so that the month ends on
its target, and what that means (see :func:`pace_status` for the edges).
"""

from __future__ import annotations

import calendar
import re
from datetime import date, timedelta
from typing import Literal

# --------------------------------------------------------------------------- segments

DETRACTOR_MAX = 6
"""The highest detractor score (0..6)."""
PROMOTER_MIN = 9
"""The lowest promoter score (9..10)."""
SEGMENT_ORDER = ("detractor", "passive", "promoter")
"""The segments, worst first (labels: :data:`cx.enums.SEGMENTS`)."""

Segment = Literal["detractor", "passive", "promoter"]

_COLUMN = re.compile(r"^[a-z_][a-z0-9_]*(\.[a-z_][a-z0-9_]*)?$")


def _col(column: str) -> str:
    """``column`` if it is a plain (optionally table-qualified) column name, else refused."""
    if not _COLUMN.match(column):
        raise ValueError(f"not a column name: {column!r}")
    return column


def detractor_sql(column: str = "nps") -> str:
    """SQL condition: the answer is a detractor (``nps <= 6``)."""
    return f"{_col(column)} <= {DETRACTOR_MAX}"


def passive_sql(column: str = "nps") -> str:
    """SQL condition: the answer is a passive (``nps BETWEEN 7 AND 8``)."""
    return f"{_col(column)} BETWEEN {DETRACTOR_MAX + 1} AND {PROMOTER_MIN - 1}"


def promoter_sql(column: str = "nps") -> str:
    """SQL condition: the answer is a promoter (``nps >= 9``)."""
    return f"{_col(column)} >= {PROMOTER_MIN}"


DETRACTOR_SQL = detractor_sql()
PASSIVE_SQL = passive_sql()
PROMOTER_SQL = promoter_sql()


def count_where_sql(condition: str) -> str:
    """How many rows meet ``condition`` (fixed SQL text), as a BIGINT that is 0 for no row:
    ``count_if`` rather than ``count(*) FILTER``, a quarter to a third less time over
    millions of answers in few groups (count_if alone sums into a HUGEINT, NULL without
    rows)."""
    return f"CAST(coalesce(count_if({condition}), 0) AS BIGINT)"


def segment_counts_sql(column: str = "nps", names: tuple[str, str, str] = ("d", "pa", "p")) -> str:
    """The three counts (:func:`count_where_sql`) of detractors, passives and promoters
    ``AS <name>``, comma-joined."""
    conds = (detractor_sql(column), passive_sql(column), promoter_sql(column))
    return ", ".join(
        f"{count_where_sql(c)} AS {_col(n)}" for c, n in zip(conds, names, strict=True)
    )


def segment_case_sql(column: str = "nps", values: tuple[str, str, str] = SEGMENT_ORDER) -> str:
    """A CASE expression giving, per answer, one of three SQL expressions (detractor,
    passive, promoter); by default the segment's name as a string literal. ``values`` are
    code constants (string literals or ``?`` placeholders), never input."""
    d, pa, p = (f"'{v}'" if v in SEGMENT_ORDER else v for v in values)
    return (
        f"CASE WHEN {detractor_sql(column)} THEN {d}"
        f" WHEN {_col(column)} < {PROMOTER_MIN} THEN {pa} ELSE {p} END"
    )


def segment(score: float) -> Segment:
    """The segment of one 0-10 score (no range check; see :func:`cx.stats.segment`)."""
    if score <= DETRACTOR_MAX:
        return "detractor"
    if score < PROMOTER_MIN:
        return "passive"
    return "promoter"


def is_detractor(score):
    """True for a detractor score; elementwise on numpy arrays and pandas Series."""
    return score <= DETRACTOR_MAX


def is_passive(score):
    """True for a passive score; elementwise on numpy arrays and pandas Series."""
    return (score > DETRACTOR_MAX) & (score < PROMOTER_MIN)


def is_promoter(score):
    """True for a promoter score; elementwise on numpy arrays and pandas Series."""
    return score >= PROMOTER_MIN


# --------------------------------------------------------------------------- calendar

PeriodKind = Literal["month", "quarter"]


def month_start(day: date) -> date:
    """The first day of ``day``'s month (the month's name everywhere)."""
    return date(day.year, day.month, 1)


def month_end(day: date) -> date:
    """The last day of ``day``'s month."""
    return date(day.year, day.month, calendar.monthrange(day.year, day.month)[1])


def days_in_month(day: date) -> int:
    """How many days ``day``'s month has."""
    return calendar.monthrange(day.year, day.month)[1]


def add_months(day: date, k: int) -> date:
    """The first day of the month ``k`` months after ``day``'s (k may be negative)."""
    idx = day.year * 12 + day.month - 1 + k
    return date(idx // 12, idx % 12 + 1, 1)


def next_month(day: date) -> date:
    """The first day of the month after ``day``'s."""
    return add_months(day, 1)


def previous_month(day: date) -> date:
    """The first day of the month before ``day``'s."""
    return add_months(day, -1)


def week_start(day: date) -> date:
    """The Monday of ``day``'s calendar week (weeks run Monday to Sunday)."""
    return day - timedelta(days=day.weekday())


def period_start(day: date, kind: PeriodKind) -> date:
    """First day of the month or quarter containing ``day``."""
    if kind == "month":
        return month_start(day)
    if kind == "quarter":
        return date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)
    raise ValueError(f"unknown period kind {kind!r}")


def period_bounds(day: date, kind: PeriodKind) -> tuple[date, date]:
    """(first, last day) of the month or quarter containing ``day``."""
    first = period_start(day, kind)
    step = 3 if kind == "quarter" else 1
    return first, add_months(first, step) - timedelta(days=1)


def previous_period(day: date, kind: PeriodKind) -> tuple[date, date]:
    """(first, last day) of the calendar month or quarter before the one holding ``day``."""
    return period_bounds(period_start(day, kind) - timedelta(days=1), kind)


def period_label(day: date, kind: PeriodKind) -> str:
    """'2025Q4' or '2025-10' for the period containing ``day``."""
    first = period_start(day, kind)
    if kind == "quarter":
        return f"{first.year}Q{(first.month - 1) // 3 + 1}"
    return f"{first:%Y-%m}"


def current_window(end: date, kind: PeriodKind) -> tuple[date, date]:
    """The period containing ``end``, up to ``end`` (period to date)."""
    return period_start(end, kind), end


DEFAULT_PERIOD_DAYS = 90  # the pages open on the last 90 days with data


def default_period(first: date, last: date) -> tuple[date, date]:
    """The dates the pages open on: the last :data:`DEFAULT_PERIOD_DAYS` days with data."""
    return max(first, last - timedelta(days=DEFAULT_PERIOD_DAYS - 1)), last


def previous_window(start: date, end: date) -> tuple[date, date]:
    """The period a range is compared with: the date range of the same length immediately
    before ``start`` .. ``end``; for whole calendar months (October; a quarter), as many
    whole months before (September, not the 31 days from August 31: the overview and the
    board compare a month with the month before, and a page comparing October otherwise
    called a change real that the overview, on the same month, did not)."""
    prev_end = start - timedelta(days=1)
    if start.day == 1 and end == month_end(end) and end >= start:
        months = (end.year - start.year) * 12 + end.month - start.month + 1
        first = prev_end.replace(day=1)
        for _ in range(months - 1):
            first = (first - timedelta(days=1)).replace(day=1)
        return first, prev_end
    days = (end - start).days + 1
    return prev_end - timedelta(days=days - 1), prev_end


# --------------------------------------------------------------------------- pacing

PaceStatus = Literal["already_secured", "out_of_reach", "needed"]


def required_nps(target: float, nps_now: float | None, n_now: int, n_left: float) -> float | None:
    """NPS the ``n_left`` answers still to come must average to end the month on target.

    required = (T * (n_now + n_left) - NPS_now * n_now) / n_left, returned raw (it may
    fall outside [-100, 100]; see :func:`pace_status`). ``n_left <= 0`` -> None (the
    month is decided). No answers yet (``nps_now`` None or ``n_now <= 0``) -> the target.
    """
    if n_left <= 0:
        return None
    if nps_now is None or n_now <= 0:
        return float(target)
    return (target * (n_now + n_left) - nps_now * n_now) / n_left


def pace_status(
    required: float | None, nps_now: float | None = None, target: float | None = None
) -> PaceStatus:
    """What a required NPS means.

    The answers still to come can average anything from -100 (all detractors) to 100
    (all promoters), both included. So:

    * ``required <= -100``: even all detractors end on target -> ``already_secured``
      (at exactly -100 the worst case lands on the target, which counts as reached);
    * ``required > 100``: even all promoters miss it -> ``out_of_reach``
      (at exactly 100 all promoters still reach it, so that is ``needed``);
    * otherwise ``needed``.

    ``required`` None (no answers left): ``already_secured`` when ``nps_now`` has reached
    ``target``, else ``out_of_reach``.
    """
    if required is None:
        met = nps_now is not None and target is not None and nps_now >= target
        return "already_secured" if met else "out_of_reach"
    if required <= -100.0:
        return "already_secured"
    if required > 100.0:
        return "out_of_reach"
    return "needed"
