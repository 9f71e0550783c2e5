"""The demo database as loaded: the story store's figures, rollups, targets, size."""

from __future__ import annotations

import pytest

from cx import db, demo, queries, stats


def counts(con, start: str, end: str, store: str = "HZ01") -> tuple[int, int, int]:
    """(d, pa, p) straight from raw responses (not the rollup)."""
    row = con.execute(
        "SELECT count(*) FILTER (nps <= 6), count(*) FILTER (nps BETWEEN 7 AND 8),"
        " count(*) FILTER (nps >= 9) FROM responses WHERE store_id = ?"
        " AND CAST(responded_at AS DATE) BETWEEN ? AND ?",
        [store, start, end],
    ).fetchall()[0]
    return tuple(int(x) for x in row)


def test_story_store_figures(con):
    name = queries.scalar(con, "SELECT store_name FROM stores WHERE store_id = 'HZ01'")
    assert name == "杭州滨江服务中心"
    assert abs(stats.nps(*counts(con, "2025-09-01", "2025-09-30")) - 72) <= 0.5
    assert counts(con, "2025-10-01", "2025-10-07") == (12, 32, 156)
    assert stats.nps(*counts(con, "2025-10-01", "2025-10-07")) == pytest.approx(72.0)
    assert abs(stats.nps(*counts(con, "2025-10-01", "2025-10-15")) - 74.5) <= 0.5
    assert stats.nps(*counts(con, "2025-10-01", "2025-10-31")) >= 77
    target = queries.scalar(
        con, "SELECT nps_target FROM targets WHERE store_id = 'HZ01' AND month = '2025-10-01'"
    )
    assert target == 77


def test_rollups_equal_raw_rows(con):
    diff = queries.scalar(
        con,
        "SELECT count(*) FROM (SELECT store_id, CAST(responded_at AS DATE) AS day, count(*) AS n,"
        " count(*) FILTER (nps >= 9) AS p, sum(tp_waiting) AS w FROM responses GROUP BY ALL) r"
        " FULL JOIN daily_rollup d USING (store_id, day)"
        " WHERE r.n IS DISTINCT FROM d.n OR r.p IS DISTINCT FROM d.p"
        " OR abs(coalesce(r.w, 0) - d.tp_waiting_sum) > 1e-6",
    )
    assert diff == 0


def test_full_demo_size(full_demo):
    """The full demo (built once per session by tests/conftest.py, which prints the time)."""
    with db.connect(full_demo) as con:
        n = queries.scalar(con, "SELECT count(*) FROM responses")
        stores = queries.scalar(con, "SELECT count(*) FROM stores")
        regions = queries.scalar(con, "SELECT count(DISTINCT region) FROM stores")
        first, last = queries.date_bounds(con)
    assert 250_000 <= n <= 350_000
    assert stores >= 40 and regions >= 5
    assert str(first) == "2024-10-01" and str(last) == "2025-10-31"


def test_build_does_not_replace_an_existing_file(demo_db):
    with db.connect(demo_db) as con:
        before = db.data_version(con)
    demo.build(demo_db)
    with db.connect(demo_db) as con:
        assert db.data_version(con) == before
