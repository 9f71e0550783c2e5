"""cx.rules: the segment thresholds, the calendar and pacing, each written once."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pytest

from cx import rules

# --------------------------------------------------------------------------- segments

EXPECTED = ["detractor"] * 7 + ["passive"] * 2 + ["promoter"] * 2  # scores 0..10


def test_python_segments_of_every_score():
    assert [rules.segment(s) for s in range(11)] == EXPECTED
    scores = np.arange(11)
    got = np.select(
        [rules.is_detractor(scores), rules.is_passive(scores), rules.is_promoter(scores)],
        ["detractor", "passive", "promoter"],
        "none",
    )
    assert list(got) == EXPECTED
    series = pd.Series(range(11))
    assert int(rules.is_passive(series).sum()) == 2


def test_sql_fragments_give_the_same_segments_as_python():
    con = duckdb.connect()
    con.execute("CREATE TABLE r AS SELECT range AS nps FROM range(11)")
    case = con.execute(f"SELECT {rules.segment_case_sql('r.nps')} FROM r ORDER BY nps").fetchall()
    assert [c[0] for c in case] == EXPECTED
    counts = con.execute(f"SELECT {rules.segment_counts_sql()} FROM r").df()
    assert counts.to_dict("records") == [{"d": 7, "pa": 2, "p": 2}]
    for sql, name in (
        (rules.DETRACTOR_SQL, "detractor"),
        (rules.PASSIVE_SQL, "passive"),
        (rules.PROMOTER_SQL, "promoter"),
    ):
        got = [r[0] for r in con.execute(f"SELECT nps FROM r WHERE {sql} ORDER BY nps").fetchall()]
        assert got == [s for s in range(11) if EXPECTED[s] == name]
    hours = con.execute(
        f"SELECT {rules.segment_case_sql('nps', ('?', '?', '?'))} FROM r ORDER BY nps",
        [24, 72, 168],
    ).fetchall()
    assert [h[0] for h in hours] == [24] * 7 + [72] * 2 + [168] * 2


@pytest.mark.parametrize("column", ["nps; DROP TABLE r", "nps)", "1=1 OR nps", ""])
def test_a_column_that_is_not_a_plain_name_is_refused(column):
    with pytest.raises(ValueError, match="not a column name"):
        rules.detractor_sql(column)
    with pytest.raises(ValueError, match="not a column name"):
        rules.segment_counts_sql("nps", ("d", "pa", column))


# --------------------------------------------------------------------------- calendar


def test_months():
    assert rules.month_start(date(2024, 2, 29)) == date(2024, 2, 1)
    assert rules.month_end(date(2024, 2, 10)) == date(2024, 2, 29)
    assert rules.month_end(date(2025, 2, 10)) == date(2025, 2, 28)
    assert rules.month_end(date(2025, 12, 31)) == date(2025, 12, 31)
    assert rules.days_in_month(date(2024, 2, 1)) == 29
    assert rules.add_months(date(2025, 11, 30), 2) == date(2026, 1, 1)
    assert rules.add_months(date(2025, 1, 15), -13) == date(2023, 12, 1)
    assert rules.next_month(date(2025, 12, 5)) == date(2026, 1, 1)
    assert rules.previous_month(date(2025, 1, 31)) == date(2024, 12, 1)
    assert rules.previous_month(date(2025, 3, 31)) == date(2025, 2, 1)


def test_weeks_start_on_monday():
    assert rules.week_start(date(2025, 10, 15)) == date(2025, 10, 13)  # a Wednesday
    assert rules.week_start(date(2025, 10, 13)) == date(2025, 10, 13)  # a Monday
    assert rules.week_start(date(2025, 10, 19)) == date(2025, 10, 13)  # a Sunday
    assert rules.week_start(date(2026, 1, 1)) == date(2025, 12, 29)  # across the year


def test_periods_and_windows():
    assert rules.period_bounds(date(2025, 11, 15), "quarter") == (
        date(2025, 10, 1),
        date(2025, 12, 31),
    )
    assert rules.previous_period(date(2025, 1, 15), "quarter") == (
        date(2024, 10, 1),
        date(2024, 12, 31),
    )
    assert rules.previous_period(date(2025, 3, 31), "month") == (
        date(2025, 2, 1),
        date(2025, 2, 28),
    )
    # (range, the period it is compared with), as ISO dates
    windows = [
        # whole calendar months: as many whole months before (March against February, a
        # quarter against the quarter before, across a year's end, a leap February)
        (("2025-03-01", "2025-03-31"), ("2025-02-01", "2025-02-28")),
        (("2025-01-01", "2025-03-31"), ("2024-10-01", "2024-12-31")),
        (("2024-03-01", "2024-03-31"), ("2024-02-01", "2024-02-29")),
        # any other range: the same number of days just before
        (("2025-03-01", "2025-03-01"), ("2025-02-28", "2025-02-28")),
        (("2025-03-02", "2025-03-31"), ("2025-01-31", "2025-03-01")),
        (("2025-03-01", "2025-03-30"), ("2025-01-30", "2025-02-28")),
    ]
    for (start, end), before in windows:
        got = rules.previous_window(date.fromisoformat(start), date.fromisoformat(end))
        assert tuple(d.isoformat() for d in got) == before, (start, end)
    with pytest.raises(ValueError):
        rules.period_start(date(2025, 1, 1), "year")


# --------------------------------------------------------------------------- pacing


def _final_nps(nps_now: float, n_now: int, rest_nps: float, n_left: int) -> float:
    return (nps_now * n_now + rest_nps * n_left) / (n_now + n_left)


def test_required_nps_is_what_the_rest_must_average():
    req = rules.required_nps(50, 40, 100, 50)
    assert req == pytest.approx(70.0)
    assert _final_nps(40, 100, req, 50) == pytest.approx(50.0)
    assert rules.required_nps(50, None, 0, 30) == 50.0
    assert rules.required_nps(50, 40, 100, 0) is None


def test_pace_edges_at_minus_100_and_100():
    # 100 answers at NPS 80, 10 to come, target (8000 - 1000) / 110: required is -100
    target = (80 * 100 - 100 * 10) / 110
    req = rules.required_nps(target, 80, 100, 10)
    assert req == pytest.approx(-100.0)
    # even all detractors end exactly on the target: reached, so secured
    assert _final_nps(80, 100, -100, 10) == pytest.approx(target)
    assert rules.pace_status(-100.0) == "already_secured"
    assert rules.pace_status(-99.99) == "needed"
    # exactly 100: all promoters still reach it, so it is needed, not out of reach
    assert rules.pace_status(100.0) == "needed"
    assert rules.pace_status(100.01) == "out_of_reach"


def test_pace_with_no_answers_left_is_decided_by_where_the_month_stands():
    assert rules.pace_status(None, 78, 77) == "already_secured"
    assert rules.pace_status(None, 77, 77) == "already_secured"
    assert rules.pace_status(None, 76.9, 77) == "out_of_reach"
    assert rules.pace_status(None) == "out_of_reach"


def test_the_stats_and_planner_names_are_the_rules_themselves():
    from cx import planner, stats

    assert stats.required_nps is rules.required_nps
    assert stats.pace_status is rules.pace_status
    assert planner.required_nps_remaining is rules.required_nps
    # 560 answers at 80, 40 to come, goal 68: required (68*600 - 80*560) / 40 = -100
    check = planner.day28_check(68, 80, 560, 20)
    assert check["required"] == pytest.approx(-100.0)
    assert check["status"] == "already_secured"
    assert planner.day28_check(68.1, 80, 560, 20)["status"] == "needed"


# --------------------------------------------------------------------------- one definition

ROOT = Path(__file__).resolve().parent.parent
THRESHOLD = re.compile(
    r"(<=|<|>=|>)\s*[6789]\b(?![.\d])"  # nps <= 6, score >= 9, vals < 7, nps <= 8, ...
    r"|BETWEEN\s+7\s+AND\s+8|between\(\s*7\s*,\s*8\s*\)",
    re.IGNORECASE,
)
CALENDAR = re.compile(
    r"\.replace\(day=1\)|monthrange\(|\.weekday\(\)|timedelta\(days=3[12]\)"
    r"|\*\s*12\s*\+|//\s*12\b|%\s*12\b|date\([\w.]+\.year,\s*[\w.]+\.month,\s*1\)"
)
HELPERS = re.compile(
    r"\bdef _?(month_start|month_end|days_in_month|add_months|next_month|prev_month"
    r"|previous_month|week_start|period_start|period_bounds|period_label|current_window"
    r"|previous_period|previous_window|required_nps\w*|pace_status|segment_of)\b"
)
FILE_ALLOWED = {"cx/rules.py": "the one definition"}
LINE_ALLOWED = [
    ("cx/privacy.py", "len(digits) >= 9", "phone digits, not a score"),
    ("cx/privacy.py", "len(digits) >= 7", "phone digits, not a score"),
    (
        "cx/segments.py",
        "def previous_period(flt: Scope)",
        "adapts Scope; the dates come from rules.previous_window",
    ),
]


def _code_lines():
    for path in sorted([*ROOT.glob("cx/**/*.py"), *ROOT.glob("pages/*.py")]):
        rel = path.relative_to(ROOT).as_posix()
        if rel in FILE_ALLOWED:
            continue
        for no, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            yield rel, no, line


def test_thresholds_and_calendar_helpers_are_written_only_in_cx_rules():
    used = set()
    found = []
    for rel, no, line in _code_lines():
        if not (THRESHOLD.search(line) or CALENDAR.search(line) or HELPERS.search(line)):
            continue
        hits = [i for i, (f, text, _why) in enumerate(LINE_ALLOWED) if f == rel and text in line]
        used.update(hits)
        if not hits:
            found.append(f"{rel}:{no}: {line.strip()}")
    assert not found, "a rule written outside cx/rules.py (use cx.rules):\n" + "\n".join(found)
    stale = [entry[:2] for i, entry in enumerate(LINE_ALLOWED) if i not in used]
    assert not stale, f"allow-list entries that no longer match anything (remove them): {stale}"


def test_the_grep_sees_a_threshold_a_calendar_helper_and_a_definition():
    for line in (
        'sql = "SELECT count(*) FILTER (WHERE r.nps <= 6) AS d"',
        "p = int(np.count_nonzero(vals >= 9))",
        '" count(*) FILTER (WHERE nps BETWEEN 7 AND 8) AS pa,"',
        "if score < 7:",
        "first = day.replace(day=1)",
        "last = calendar.monthrange(y, m)[1]",
        "monday = day - timedelta(days=day.weekday())",
        "def prev_month(month: date) -> date:",
        "def required_nps_remaining(goal, mtd, n, left):",
    ):
        assert THRESHOLD.search(line) or CALENDAR.search(line) or HELPERS.search(line), line
    for line in ("n10 = nps == 10", "if n >= 30:", "wait_minutes > 120", "csat >= 4"):
        assert not (THRESHOLD.search(line) or CALENDAR.search(line)), line


def test_test_modules_share_helpers_through_support_not_each_other():
    tests = ROOT / "tests"
    crossing = [
        f"{path.name}: {line.strip()}"
        for path in sorted(tests.glob("test_*.py"))
        for line in path.read_text(encoding="utf-8").splitlines()
        if re.match(
            r"\s*(from tests\.test_\w+ import|import tests\.test_|from test_\w+ import)", line
        )
    ]
    assert not crossing, "move shared helpers to tests/support.py:\n" + "\n".join(crossing)
