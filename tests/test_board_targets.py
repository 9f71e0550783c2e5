"""cx.targets: monthly targets per store and the '*' default, milestones."""

from __future__ import annotations

from datetime import date

import pytest

from cx import db, targets
from cx.queries import board as q
from cx.scope import Scope


def test_parse_and_format_milestones():
    assert targets.parse_milestones("2: 74, 3: 76") == {2: 74.0, 3: 76.0}
    assert targets.parse_milestones("第2周：74；第3周=76.5") == {2: 74.0, 3: 76.5}
    assert targets.parse_milestones("week 4: 77") == {4: 77.0}
    assert targets.parse_milestones("") == {}
    assert targets.parse_milestones(None) == {}
    assert targets.format_milestones({3: 76.0, 2: 74.0}) == "2: 74, 3: 76"
    for bad in ("2 74", "9: 70", "2: 170", "x: 1"):
        with pytest.raises(ValueError):
            targets.parse_milestones(bad)


def test_milestone_dates_end_of_week_capped_at_month_end():
    got = targets.milestone_dates(date(2025, 2, 1), {2: 74, 5: 77})
    assert got == [(date(2025, 2, 14), 74), (date(2025, 2, 28), 77)]


def test_set_and_get_target_with_default(con):
    nov = date(2025, 11, 1)
    assert targets.get_target(con, "HZ01", nov) is None
    v0 = db.data_version(con)
    targets.set_target(con, "*", nov, 70)
    assert db.data_version(con) == v0 + 1
    got = targets.get_target(con, "HZ01", date(2025, 11, 15))
    assert got["nps_target"] == 70 and got["is_default"]
    targets.set_target(con, "HZ01", nov, 80, {2: 76, 3: 78}, user="boss")
    got = targets.get_target(con, "HZ01", nov)
    assert got == {
        "store_id": "HZ01",
        "nps_target": 80.0,
        "milestones": {2: 76.0, 3: 78.0},
        "is_default": False,
    }
    row = con.execute(
        "SELECT updated_by, milestones FROM targets WHERE store_id = 'HZ01' AND month = ?", [nov]
    ).fetchall()[0]
    assert row[0] == "boss" and '"2": 76' in row[1]
    # saving again replaces (one row per store and month)
    targets.set_target(con, "HZ01", nov, 81)
    assert con.execute(
        "SELECT count(*), max(nps_target) FROM targets WHERE store_id = 'HZ01' AND month = ?", [nov]
    ).fetchall()[0] == (1, 81.0)
    assert targets.get_target(con, "*", nov)["is_default"] is False


def test_set_target_rejects_out_of_range(con):
    with pytest.raises(ValueError):
        targets.set_target(con, "HZ01", date(2025, 11, 1), 120)
    with pytest.raises(ValueError):
        targets.set_target(con, "", date(2025, 11, 1), 50)


# ---------------------------------------------------------------- one target rule
OCT = date(2025, 10, 1)


def _weighted_store_targets(con, region=None):
    """The answer-weighted mean of the stores' October targets, from raw answers."""
    sql = (
        "SELECT sum(n * t) / sum(n) FROM (SELECT r.store_id, count(*) AS n, any_value(g.nps_target)"
        " AS t FROM responses r JOIN stores s USING (store_id) JOIN targets g"
        " ON g.store_id = r.store_id AND g.month = ?"
        " WHERE r.responded_at >= ? AND r.responded_at < ? AND (? IS NULL OR s.region = ?)"
        " GROUP BY 1)"
    )
    args = [OCT, OCT, date(2025, 11, 1), region, region]
    return con.execute(sql, args).fetchall()[0][0]


def _four(con, selection, flt, planner_store):
    from cx.queries import board as qb
    from cx.queries import cx_overview as qo
    from cx.queries import planner as qp
    from cx.queries import quadrant as qq

    board = (qb.target_for(con, Scope.from_key(selection), OCT) or {}).get("nps_target")
    overview = qo.nps_target(con, flt, OCT)
    quad = qq.nps_target(con, Scope(flt.regions, flt.stores, OCT, date(2025, 10, 31)))[0]
    planner = (
        qp.month_target(con, Scope.from_key(planner_store), OCT)
        if planner_store is not None
        else overview
    )
    return board, overview, quad, planner


def test_board_overview_quadrant_and_planner_agree_on_the_target(con):
    # all stores: no network row, so the answer-weighted mean of the 44 store targets
    expected = _weighted_store_targets(con)
    got = _four(con, "*", Scope(), "")
    assert got == pytest.approx((expected,) * 4)
    # one store: its own row (HZ01: 77 in October 2025)
    assert _four(con, "HZ01", Scope(stores=("HZ01",)), "HZ01") == pytest.approx((77.0,) * 4)
    # a region: the weighted mean of its stores (the planner plans per store: not asked)
    region = con.execute("SELECT region FROM stores WHERE store_id = 'HZ01'").fetchall()[0][0]
    expected = _weighted_store_targets(con, region)
    got = _four(con, "region:" + region, Scope(regions=(region,)), None)
    assert got == pytest.approx((expected,) * 4)


def test_own_rows_win_for_region_and_network_and_sources_are_named(con):
    from cx.queries import board as qb

    region = con.execute("SELECT region FROM stores WHERE store_id = 'HZ01'").fetchall()[0][0]
    targets.set_target(con, "region:" + region, OCT, 66)
    targets.set_target(con, "*", OCT, 60)
    got = _four(con, "region:" + region, Scope(regions=(region,)), None)
    assert got == pytest.approx((66.0,) * 4)
    assert qb.target_for(con, Scope.of_region(region), OCT)["source"] == "region"
    got = _four(con, "*", Scope(), "")
    assert got == pytest.approx((60.0,) * 4)
    assert qb.target_for(con, Scope.from_key("*"), OCT)["source"] == "network"
    assert qb.target_for(con, Scope.from_key("HZ01"), OCT)["source"] == "store"
    # a store without its own row takes the '*' default, and says so
    con.execute("DELETE FROM targets WHERE store_id = 'BJ01' AND month = ?", [OCT])
    got = qb.target_for(con, Scope.from_key("BJ01"), OCT)
    assert got["nps_target"] == 60.0 and got["source"] == "default" and got["is_default"]
    # nothing at all: no target anywhere
    con.execute("DELETE FROM targets")
    assert qb.target_for(con, Scope.from_key("*"), OCT) is None
    assert targets.resolve_nps_target(con, Scope(), OCT)["source"] == "none"


def test_several_months_at_once_are_each_months_own_target(con):
    """The board reads this month's and last month's targets in one query: each equals
    the month's own, whatever decides it (the weighted stores, a region's or the
    network's own row for one of the months, a store's row or the default, none)."""
    from cx.queries import board as qb

    months = (date(2025, 9, 1), OCT, date(2025, 11, 1), date(2024, 1, 1))
    region = con.execute("SELECT region FROM stores WHERE store_id = 'HZ01'").fetchall()[0][0]
    scopes = [Scope(), Scope.of_region(region), Scope.from_key("HZ01"), Scope.from_key("HZ01,SH03")]

    def each_month_alone() -> None:
        for scope in scopes:
            got = targets.resolve_nps_targets(con, scope, months)
            assert list(got) == list(months)
            for month in months:
                alone = targets.resolve_nps_target(con, scope, month)
                assert got[month]["source"] == alone["source"]
                if alone["value"] is None:
                    assert got[month]["value"] is None
                else:
                    assert got[month]["value"] == pytest.approx(alone["value"], rel=1e-12)
            after = date(2025, 11, 30)  # as of a day after them all: whole months
            got = qb.targets_for(con, scope, months, after)
            assert (
                got[OCT] == qb.target_for(con, scope, OCT, after) == qb.target_for(con, scope, OCT)
            )

    each_month_alone()
    assert targets.resolve_nps_targets(con, Scope(), months)[OCT]["source"] == "stores"
    targets.set_target(con, "region:" + region, OCT, 66)
    targets.set_target(con, "*", date(2025, 9, 1), 60)
    each_month_alone()
    got = targets.resolve_nps_targets(con, Scope(), months)
    assert (got[date(2025, 9, 1)]["source"], got[OCT]["source"]) == ("network", "stores")


def _fresh(con, months):
    """The network's targets worked out again, without the kept frame."""
    got = targets.resolve_nps_targets(con, Scope(), months)
    return {m: q._target(got[m]) for m in months}


def test_the_networks_kept_target_is_the_one_worked_out_and_follows_every_save(con):
    """The board reads the whole network's target of its latest month and the month
    before as every write keeps it; each equals the rule worked out from the tables, and
    a target saved for a store, for the network ('*' default) or with milestones shows at
    once."""
    from cx.queries import kept

    oct_, sep, last = date(2025, 10, 1), date(2025, 9, 1), date(2025, 10, 31)
    months = (sep, oct_)
    assert kept.get(con, "board:targets", (*months, last), q._targets_sig()) is not None
    assert q.targets_for(con, Scope(), months, last) == _fresh(con, months)
    before = q.targets_for(con, Scope(), months, last)[oct_]["nps_target"]
    targets.set_target(con, "HZ01", oct_, 95.0)  # one store's target, weighted by its answers
    after = q.targets_for(con, Scope(), months, last)
    assert after == _fresh(con, months) and after[oct_]["nps_target"] > before
    targets.set_target(con, "*", oct_, 60.0, {2: 55.0, 4: 60.0})  # the network's own row
    after = q.targets_for(con, Scope(), months, last)
    assert after == _fresh(con, months)
    assert after[oct_]["nps_target"] == 60.0 and after[oct_]["milestones"] == {2: 55.0, 4: 60.0}
    assert after[oct_]["source"] == "network"
    # other months, and any scope but the whole network, are worked out as before
    nov = date(2025, 11, 1)
    assert q.targets_for(con, Scope(), (oct_, nov), last) == _fresh(con, (oct_, nov))
    region = Scope(regions=("华东",))
    got = targets.resolve_nps_targets(con, region, months)
    assert q.targets_for(con, region, months, last) == {m: q._target(got[m]) for m in months}


def test_a_regions_target_weighs_its_stores_by_their_answers_up_to_the_day_shown(con):
    """The board of 3 September had weighted the East stores' targets by all of
    September's answers, most of them after that day: 57.5 where the answers by then
    give 58.8, so a month below target read as above it. The board, its weekly report
    and the quadrant weigh the answers up to the day they show."""
    from datetime import datetime

    from cx.queries import quadrant as qq
    from cx.views import board as vb

    sep, day = date(2025, 9, 1), date(2025, 9, 3)
    answers = con.execute(
        "SELECT r.store_id, count(*) FROM responses r JOIN stores s USING (store_id)"
        " WHERE s.region = '华东' AND CAST(r.responded_at AS DATE) BETWEEN ? AND ?"
        " GROUP BY 1",
        [sep, day],
    ).fetchall()
    pairs = [(targets.get_target(con, sid, sep)["nps_target"], n) for sid, n in answers]
    want = sum(v * n for v, n in pairs) / sum(n for _, n in pairs)
    whole = targets.resolve_nps_target(con, Scope.of_region("华东"), sep)["value"]
    assert abs(want - whole) > 0.1  # the month's later answers weigh otherwise
    v = vb.view(con, Scope.of_region("华东"), day, datetime(2025, 10, 31, 23, 59), True)
    assert v.tgt["nps_target"] == pytest.approx(want, rel=1e-12)
    report = vb.view(con, Scope.of_region("华东"), day, datetime(2025, 10, 31, 23, 59), True,
                     "report", report_pick=day)  # fmt: skip
    assert report.report.summary["nps_target"] == pytest.approx(want, rel=1e-12)
    got, _ = qq.nps_target(con, Scope(regions=("华东",), start=sep, end=day))
    assert got == pytest.approx(want, rel=1e-12)


def test_the_networks_kept_ranking_shows_a_target_saved_at_once(con):
    """The whole network's board ranks its stores as every write keeps them, each beside
    its own target: a store's target saved, and then another's with milestones, show in
    the ranking at once, equal to the ranking worked out from the tables."""
    from cx import report, rules

    day = q.latest_day(con, Scope())
    ranges, month = report.store_ranges(day), rules.month_start(day)
    per_store = q.store_counts(con, Scope(), ranges, kept=False)

    def ranked():
        return q.store_ranking(con, Scope(), month, ranges, per_store).set_index("store_id")

    def fresh():
        got = report.ranking(per_store, targets=q.store_targets(con, Scope(), month))
        return got.set_index("store_id")

    assert ranked()["target"].get("HZ01") != 91.5
    targets.set_target(con, "HZ01", month, 91.5)
    assert ranked()["target"]["HZ01"] == 91.5
    targets.set_target(con, "SH01", month, 12.5, {2: 10.0})
    got = ranked()
    assert got["target"]["HZ01"] == 91.5 and got["target"]["SH01"] == 12.5
    import pandas as pd

    pd.testing.assert_frame_equal(got, fresh())
