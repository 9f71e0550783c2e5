"""cx.queries.planner against independent SQL over the raw ``responses`` table."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from cx import db
from cx.queries import planner as q
from cx.queries import scalar
from cx.scope import Scope

SEP = (date(2025, 9, 1), date(2025, 9, 30))
OCT = (date(2025, 10, 1), date(2025, 10, 31))


def raw_counts(con, start, end, where="store_id = ?", params=("HZ01",)):
    """(n, d, pa, p) straight from the responses table."""
    return con.execute(
        "SELECT count(*), count(*) FILTER (WHERE nps <= 6),"
        " count(*) FILTER (WHERE nps BETWEEN 7 AND 8), count(*) FILTER (WHERE nps >= 9)"
        f" FROM responses WHERE {where} AND CAST(responded_at AS DATE) BETWEEN ? AND ?",
        [*params, start, end],
    ).fetchall()[0]


def test_baseline_counts_match_raw_rows_and_story(con):
    got = q.baseline_counts(con, Scope(stores=("HZ01",), start=SEP[0], end=SEP[1]))
    n, d, pa, p = raw_counts(con, *SEP)
    assert (got["n"], got["d"], got["pa"], got["p"]) == (n, d, pa, p)
    assert got["nps"] == pytest.approx(100 * (p - d) / n)
    assert round(got["nps"], 1) == 72.0  # the story: HZ01 September 2025
    assert (
        round(q.baseline_counts(con, Scope(stores=("HZ01",), start=OCT[0], end=OCT[1]))["nps"], 2)
        == 77.52
    )


def test_baseline_counts_for_a_region_and_all(con):
    region = scalar(con, "SELECT region FROM stores WHERE store_id = 'HZ01'")
    got = q.baseline_counts(con, Scope(regions=(region,), start=SEP[0], end=SEP[1]))
    expected = raw_counts(
        con, *SEP, "store_id IN (SELECT store_id FROM stores WHERE region = ?)", (region,)
    )
    assert (got["n"], got["d"], got["pa"], got["p"]) == expected
    everything = q.baseline_counts(con, Scope(start=SEP[0], end=SEP[1]))
    assert (everything["n"], everything["d"], everything["pa"], everything["p"]) == raw_counts(
        con, *SEP, "TRUE", ()
    )


def test_baseline_counts_without_answers(con):
    got = q.baseline_counts(
        con, Scope(stores=("HZ01",), start=date(2030, 1, 1), end=date(2030, 1, 31))
    )
    assert got["n"] == 0 and got["nps"] is None


def test_last_full_month(con, tmp_path):
    assert q.last_full_month(con) == date(2025, 10, 1)  # the demo ends on 2025-10-31
    with db.connect(tmp_path / "other.duckdb") as c:
        assert q.last_full_month(c) is None
        c.execute(
            "INSERT INTO daily_rollup (store_id, day, n, d, pa, p, n10)"
            " VALUES ('S1', DATE '2025-10-15', 3, 1, 1, 1, 0)"
        )
        assert q.last_full_month(c) == date(2025, 9, 1)  # October is not complete


def test_months_lists_months_with_answers(con):
    got = q.months(con, Scope(stores=("HZ01",)))
    raw = [
        r[0]
        for r in con.execute(
            "SELECT DISTINCT CAST(date_trunc('month', responded_at) AS DATE) AS m FROM responses"
            " WHERE store_id = 'HZ01' ORDER BY m"
        ).fetchall()
    ]
    assert got == raw
    assert got[-1] == date(2025, 10, 1)


def test_expected_answers_from_recent_volume(con):
    end = date(2025, 10, 31)
    start = end - timedelta(days=27)
    n = scalar(
        con,
        "SELECT count(*) FROM responses WHERE store_id = 'HZ01'"
        " AND CAST(responded_at AS DATE) BETWEEN ? AND ?",
        [start, end],
    )
    assert q.expected_answers(con, Scope(stores=("HZ01",)), end, 30) == round(n / 28 * 30)
    assert q.expected_answers(con, Scope(stores=("HZ01",)), date(2030, 1, 31), 30) == 0


def test_detractors_by_pain_from_raw_rows(con):
    """Each detractor by its reason as the segments page counts it: the pain point, else
    the keyword rules over the comment (worked out here from the raw text), else other."""
    from collections import Counter

    from cx import painpoints

    got = q.detractors_by_pain(con, Scope(stores=("HZ01",), start=OCT[0], end=OCT[1]))
    rows = con.execute(
        "SELECT pain_point, comment FROM responses WHERE store_id = 'HZ01'"
        " AND nps <= 6 AND CAST(responded_at AS DATE) BETWEEN ? AND ?",
        list(OCT),
    ).fetchall()
    raw = Counter(painpoints.reason_for(pain, comment)[0] for pain, comment in rows)
    assert any(pain is None for pain, _ in rows)  # some are classified from their comment
    assert dict(zip(got["pain_point"], got["detractors"], strict=True)) == raw
    assert list(got["detractors"]) == sorted(got["detractors"], reverse=True)
    assert (
        got["detractors"].sum()
        == q.baseline_counts(con, Scope(stores=("HZ01",), start=OCT[0], end=OCT[1]))["d"]
    )


def test_month_target_store_then_default(con):
    assert q.month_target(con, Scope(stores=("HZ01",)), date(2025, 10, 1)) == 77.0
    assert q.month_target(con, Scope(stores=("HZ01",)), date(2030, 1, 1)) is None
    con.execute("INSERT INTO targets (store_id, month, nps_target) VALUES ('*', '2030-01-01', 50)")
    assert q.month_target(con, Scope(stores=("HZ01",)), date(2030, 1, 1)) == 50.0
    con.execute(
        "INSERT INTO targets (store_id, month, nps_target) VALUES ('HZ01', '2030-01-01', 60)"
    )
    assert q.month_target(con, Scope(stores=("HZ01",)), date(2030, 1, 17)) == 60.0


def test_mtd_daily_is_cumulative_nps(con):
    got = q.mtd_daily(con, Scope(stores=("HZ01",)), date(2025, 10, 1))
    assert list(got["day_no"]) == sorted(got["day_no"])
    for day_no in (1, 7, 15, 31):
        row = got[got["day_no"] == day_no].iloc[0]
        n, d, _, p = raw_counts(con, date(2025, 10, 1), date(2025, 10, day_no))
        assert row["cum_n"] == n
        assert row["mtd_nps"] == pytest.approx(100 * (p - d) / n)
    assert round(got[got["day_no"] == 15].iloc[0]["mtd_nps"], 2) == 74.53  # the story
    assert got.iloc[-1]["mtd_nps"] == pytest.approx(
        q.baseline_counts(con, Scope(stores=("HZ01",), start=OCT[0], end=OCT[1]))["nps"]
    )
    assert q.mtd_daily(con, Scope(stores=("HZ01",)), date(2030, 1, 1)).empty


def test_save_and_read_scenarios(con):
    before = db.data_version(con)
    assert q.scenarios(con).empty
    q.save_scenario(con, " 课堂A ", '{"a": 1}')
    assert db.data_version(con) == before + 1
    rows = con.execute("SELECT name, payload, saved_by FROM scenarios").fetchall()
    assert rows == [("课堂A", '{"a": 1}', "tester")]
    q.save_scenario(con, "课堂A", '{"a": 2}')  # same name: overwritten, not duplicated
    q.save_scenario(con, "x'); DROP TABLE scenarios;--", "{}")
    assert db.data_version(con) == before + 3
    assert sorted(q.scenarios(con)["name"]) == sorted(["课堂A", "x'); DROP TABLE scenarios;--"])
    assert q.scenario_payload(con, "课堂A") == '{"a": 2}'
    assert q.scenario_payload(con, "missing") is None
    with pytest.raises(ValueError):
        q.save_scenario(con, "  ", "{}")
    assert db.data_version(con) == before + 3
