"""cx.views.planner: the planner's data side equals a recomputation from the raw answers."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from cx import stats
from cx.scope import Scope
from cx.views import planner as vp

SEP, OCT = date(2025, 9, 1), date(2025, 10, 1)
HZ01 = Scope.of_store("HZ01")


def raw(con, start: date, end: date, store: str = "HZ01") -> tuple[int, int, int]:
    row = con.execute(
        "SELECT count(*) FILTER (WHERE nps <= 6), count(*) FILTER (WHERE nps IN (7, 8)),"
        " count(*) FILTER (WHERE nps >= 9) FROM responses WHERE store_id = ?"
        " AND CAST(responded_at AS DATE) BETWEEN ? AND ?",
        [store, start, end],
    ).fetchall()[0]
    return tuple(int(x) for x in row)


def test_defaults_to_the_last_full_month_and_lists_months_newest_first(con):
    v = vp.view(con, HZ01)
    assert v.store == "HZ01" and v.period == OCT and v.track_month == OCT
    assert v.months[0] == OCT and list(v.months) == sorted(v.months, reverse=True)
    assert vp.view(con, HZ01, date(1999, 1, 1)).period == OCT  # not a month with answers


def test_my_store_plan_is_the_stores_own_month(con):
    v = vp.view(con, HZ01, OCT)
    base, projects, targeted = v.my_store
    assert not targeted  # the demo has no November target
    d, pa, p = raw(con, OCT, date(2025, 10, 31))
    assert (base.d, base.pa, base.p) == (d, pa, p)
    assert base.nps == pytest.approx(stats.nps(d, pa, p))
    recent = sum(raw(con, date(2025, 10, 31) - timedelta(days=27), date(2025, 10, 31)))
    assert base.n_expected == round(recent / 28 * 30)  # November has 30 days
    assert base.days == 30 and projects


def test_conversion_table_at_every_share(con):
    v = vp.view(con, HZ01, OCT)
    pains = dict(
        con.execute(
            "SELECT coalesce(pain_point, ''), count(*) FROM responses WHERE store_id = 'HZ01'"
            " AND nps <= 6 AND CAST(responded_at AS DATE) BETWEEN ? AND ? GROUP BY ALL",
            [OCT, date(2025, 10, 31)],
        ).fetchall()
    )
    n = sum(raw(con, OCT, date(2025, 10, 31)))
    assert v.convert.n == n and v.convert.d == sum(pains.values())
    for share in (0, 20, 50, 100):
        rows = v.convert.rows[share]
        assert sorted(r["detractors"] for r in rows) == sorted(pains.values())
        assert sorted(r["gain"] for r in rows) == pytest.approx(
            sorted(100 * c * share / 100 / n for c in pains.values())
        )


def test_tracking_october_against_september(con):
    tr = vp.view(con, HZ01, OCT, OCT).tracking
    assert tr.start == pytest.approx(stats.nps(*raw(con, SEP, date(2025, 9, 30))))
    oct_counts = raw(con, OCT, date(2025, 10, 31))
    assert tr.cum_n == sum(oct_counts)
    assert tr.mtd == pytest.approx(stats.nps(*oct_counts))
    assert tr.goal == 77.0 and tr.done and tr.hit  # HZ01's October target, reached
    sep = vp.view(con, HZ01, OCT, SEP).tracking
    assert sep.month == SEP and sep.prev == date(2025, 8, 1)
