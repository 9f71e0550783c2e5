"""cx.scope.Scope: one way to say which stores and days, and its key for pickers and URLs."""

from __future__ import annotations

from datetime import date

import pytest

from cx.scope import Scope


@pytest.mark.parametrize(
    ("key", "kind", "regions", "stores"),
    [
        ("*", "network", (), ()),
        ("", "network", (), ()),
        ("region:华东", "region", ("华东",), ()),
        ("HZ01", "store", (), ("HZ01",)),
        ("HZ01,SH03", "stores", (), ("HZ01", "SH03")),
        ("region:华东,region:华南", "stores", ("华东", "华南"), ()),
        ("region:华东,HZ01", "stores", ("华东",), ("HZ01",)),
    ],
)
def test_key_round_trip(key, kind, regions, stores):
    sc = Scope.from_key(key)
    assert (sc.kind, sc.regions, sc.stores) == (kind, regions, stores)
    assert Scope.from_key(sc.key) == sc
    assert sc.key == (key or "*")


def test_constructors_and_parts():
    assert Scope.network() == Scope() and Scope().store is None and Scope().region is None
    assert Scope.of_store("HZ01").store == "HZ01"
    assert Scope.of_region("华东").region == "华东"
    sc = Scope(("华东",), (), date(2025, 10, 1), date(2025, 10, 31))
    assert sc.places() == Scope.of_region("华东")
    assert sc.days(None, None) == Scope.of_region("华东")
    assert hash(sc) == hash(Scope(("华东",), (), date(2025, 10, 1), date(2025, 10, 31)))


def test_where_counts_what_the_raw_rows_say(con):
    sc = Scope(("华东",), (), date(2025, 10, 1), date(2025, 10, 31))
    where, params = sc.where("CAST(responded_at AS DATE)")
    got = con.execute(f"SELECT count(*) FROM responses WHERE {where}", params).fetchall()[0][0]
    expected = con.execute(
        "SELECT count(*) FROM responses r JOIN stores s USING (store_id)"
        " WHERE s.region = '华东' AND r.responded_at >= '2025-10-01'"
        " AND r.responded_at < '2025-11-01'"
    ).fetchall()[0][0]
    assert got == expected > 0
    # a timestamp bounded as moments counts the same answers, the end day's last second
    # in and the next day's first out
    where, params = sc.where("responded_at", moment=True)
    got = con.execute(f"SELECT count(*) FROM responses WHERE {where}", params).fetchall()[0][0]
    assert got == expected
    edge = Scope(start=date(2025, 10, 31), end=date(2025, 10, 31)).where("t", moment=True)
    moments = ["2025-10-30 23:59:59", "2025-10-31 00:00:00", "2025-10-31 23:59:59.9", "2025-11-01"]
    inside = con.execute(
        f"SELECT list(t ORDER BY t) FROM (SELECT unnest(CAST(? AS TIMESTAMP[])) AS t) WHERE {edge[0]}",
        [moments, *edge[1]],
    ).fetchall()[0][0]
    assert [f"{m}" for m in inside] == ["2025-10-31 00:00:00", "2025-10-31 23:59:59.900000"]
    # no date expression: the stores only (a query that sets its own days)
    where, params = sc.where(None)
    assert "?" in where and len(params) == 1
    assert Scope().where() == ("TRUE", [])


def test_a_value_is_never_sql():
    evil = "x'); DROP TABLE responses;--"
    where, params = Scope.of_store(evil).where()
    assert evil not in where and params == [evil]
