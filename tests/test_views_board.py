"""cx.views.board: the board's figures equal a recomputation from the raw answers."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pandas as pd
import pytest

from cx import stats
from cx.scope import Scope
from cx.views import board as vb

DAY = date(2025, 10, 15)
CLOCK = (datetime(2025, 10, 31, 23, 59, 59), True)  # the demo: a stale queue clock


def raw(con, where: str, params: list, start: date, end: date) -> tuple[int, int, int]:
    row = con.execute(
        "SELECT count(*) FILTER (WHERE nps <= 6), count(*) FILTER (WHERE nps BETWEEN 7 AND 8),"
        " count(*) FILTER (WHERE nps >= 9) FROM responses"
        f" WHERE CAST(responded_at AS DATE) BETWEEN ? AND ? AND {where}",
        [start, end, *params],
    ).fetchall()[0]
    return tuple(int(x) for x in row)


SCOPES = {
    "store": (Scope.of_store("HZ01"), "store_id = ?", ["HZ01"]),
    "region": (
        Scope.of_region("华东"),
        "store_id IN (SELECT store_id FROM stores WHERE region = ?)",
        ["华东"],
    ),
    "network": (Scope(), "TRUE", []),
}


@pytest.mark.parametrize("name", list(SCOPES))
def test_day_week_and_month_figures_equal_the_raw_answers(con, name):
    scope, where, params = SCOPES[name]
    v = vb.view(con, scope, DAY, *CLOCK, "board", "week")
    assert v.kind == name
    day = raw(con, where, params, DAY, DAY)
    assert v.day_kpis["cur"]["n"] == sum(day)
    assert v.day_kpis["cur"]["nps"] == pytest.approx(stats.nps(*day))
    yesterday = raw(con, where, params, DAY - timedelta(days=1), DAY - timedelta(days=1))
    assert v.comparison["n"] == sum(yesterday)
    week = raw(con, where, params, DAY - timedelta(days=6), DAY)  # the 7 days to the day
    assert v.kpis["cur"]["n"] == sum(week)
    assert v.kpis["cur"]["nps"] == pytest.approx(stats.nps(*week))
    mtd = raw(con, where, params, date(2025, 10, 1), DAY)
    assert v.mtd["n"] == sum(mtd)
    assert v.mtd["nps"] == pytest.approx(stats.nps(*mtd))
    # the trend's daily NPS is each day's, from the previous month on
    tr = v.trend.rolled.set_index(pd.to_datetime(v.trend.rolled["date"]))
    for d in (date(2025, 9, 1), date(2025, 10, 7), DAY):
        one = raw(con, where, params, d, d)
        if sum(one):
            assert tuple(tr.loc[pd.Timestamp(d), ["d", "pa", "p"]]) == one
            assert tr.loc[pd.Timestamp(d), "nps"] == pytest.approx(stats.nps(*one))
    assert tr.index.min() >= pd.Timestamp(2025, 9, 1) and tr.index.max() <= pd.Timestamp(DAY)


def test_store_board_has_no_ranking_and_edits_its_own_target(con):
    v = vb.view(con, Scope.of_store("HZ01"), DAY, *CLOCK)
    assert v.ranked is None  # and no other store's counts: its drop alerts are its own
    assert set(v.drops["store_id"]) <= {"HZ01"}
    assert v.own_target == "HZ01"
    assert v.target == 77.0  # HZ01's October target in the demo


def test_region_ranking_counts_each_store_month_to_date(con):
    v = vb.view(con, Scope.of_region("华东"), DAY, *CLOCK)
    stores = [
        s for (s,) in con.execute("SELECT store_id FROM stores WHERE region = '华东'").fetchall()
    ]
    assert sorted(v.ranked["store_id"]) == sorted(stores)
    for r in v.ranked.to_dict("records"):
        got = raw(con, "store_id = ?", [r["store_id"]], date(2025, 10, 1), DAY)
        assert r["n"] == sum(got)
        if sum(got):
            assert r["nps"] == pytest.approx(stats.nps(*got))
    assert v.own_target == "*"


def test_callback_queue_and_headline_due_as_of_the_day(con):
    v = vb.view(con, Scope.of_store("HZ01"), DAY, *CLOCK, "callbacks")
    asof = datetime(2025, 10, 15, 23, 59, 59)
    assert v.now == asof and v.past
    ids = con.execute(
        "SELECT response_id FROM responses WHERE store_id = 'HZ01'"
        " AND responded_at > ? AND responded_at <= ?",
        [asof - timedelta(days=14), asof],
    ).fetchall()
    log = con.execute(
        "SELECT response_id, status, changed_at FROM followup_log WHERE changed_at <= ?", [asof]
    ).df()
    state = log.sort_values("changed_at").groupby("response_id")["status"].last()
    still_open = [i for (i,) in ids if state.get(i, "open") not in ("resolved", "unreachable")]
    assert sorted(v.queue["response_id"]) == sorted(still_open)
    assert v.due.overdue == int(v.queue["overdue"].sum())
    only = vb.view(con, Scope.of_store("HZ01"), DAY, *CLOCK, "callbacks", only_detractors=True)
    assert set(only.queue["segment"]) <= {"detractor"}
    assert len(only.queue) == int((v.queue["segment"] == "detractor").sum())


def test_weekly_report_counts_its_week(con):
    v = vb.view(con, Scope.of_store("HZ01"), DAY, *CLOCK, "report", report_pick=date(2025, 10, 8))
    assert (v.report.start, v.report.end) == (date(2025, 10, 6), date(2025, 10, 12))
    week = raw(con, "store_id = ?", ["HZ01"], date(2025, 10, 6), date(2025, 10, 12))
    assert v.report.summary["week"]["n"] == sum(week)


def test_several_stores_are_one_board_with_their_ranking(con):
    scope = Scope.from_key("HZ01,SH03")
    v = vb.view(con, scope, DAY, *CLOCK, "board", "mtd")
    assert v.kind == "stores" and v.own_target == "*"
    mtd = raw(con, "store_id IN (?, ?)", ["HZ01", "SH03"], date(2025, 10, 1), DAY)
    assert v.kpis["cur"]["n"] == sum(mtd)
    assert v.kpis["cur"]["nps"] == pytest.approx(stats.nps(*mtd))
    assert sorted(v.ranked["store_id"]) == ["HZ01", "SH03"]


def test_the_callbacks_tab_loads_the_worst_and_exports_the_persons_whole_queue(con, monkeypatch):
    """The view holds the most urgent answers only and the whole queue's size; the export,
    made when clicked, is the whole queue, read on a connection limited to the person's
    stores whatever scope the view was for."""
    import io

    from cx import access, followups
    from cx.queries import board as q

    monkeypatch.setattr(vb, "QUEUE_LISTED", 25)
    v = vb.view(con, Scope(), DAY, *CLOCK, "callbacks")
    assert v.past  # an earlier day: the follow-ups as they stood then (from the log)
    whole = q.callback_queue(con, Scope(), v.now, followups.QUEUE_WINDOW_DAYS, False, v.past)
    assert len(whole) > 25
    open_ = int((whole["status"] == "open").sum())
    assert len(v.queue) == 25
    assert v.queue_size == (len(whole), int(whole["overdue"].sum()), open_)

    def exported(person: access.Person) -> pd.DataFrame:
        data = vb.queue_csv(v, access.scope_key(person), "en")
        return pd.read_csv(io.BytesIO(data), encoding="utf-8-sig", dtype=str)

    everyone = exported(access.Person(email=None, roles=frozenset({"analyst"}), stores=None))
    assert everyone["Answer"].tolist() == whole["response_id"].tolist()
    manager = access.Person(email="m@x.com", roles=frozenset({"store"}), stores=frozenset({"HZ01"}))
    mine = exported(manager)
    assert set(mine["Store"]) == {"HZ01"}
    assert mine["Answer"].tolist() == whole.loc[whole["store_id"] == "HZ01", "response_id"].tolist()
    assert mine["Phone"].dropna().str.contains(r"\*").all()  # masked


def test_the_networks_ranking_and_drop_alerts_equal_each_stores_raw_answers(con):
    """Every store's row of the network's ranking holds its month-to-date figures as
    report.figure computes them from its raw answers; the drop alerts are the stores the
    store-by-store tests flag."""
    from cx import report, signals

    v = vb.view(con, Scope(), DAY, *CLOCK, "board", "day")
    ranked = v.ranked.set_index("store_id")
    stores = [r[0] for r in con.execute("SELECT store_id FROM stores").fetchall()]
    assert sorted(ranked.index) == sorted(stores)
    for sid in stores:
        fig = report.figure(raw(con, "store_id = ?", [sid], date(2025, 10, 1), DAY))
        row = ranked.loc[sid]
        assert row["n"] == fig["n"] and row["flag"] == fig["flag"]
        for key in ("nps", "low", "high"):
            assert row[key] == fig[key] or (fig[key] is None and pd.isna(row[key]))
    last = [raw(con, "store_id = ?", [s], DAY - timedelta(days=6), DAY) for s in stores]
    prev = [
        raw(con, "store_id = ?", [s], DAY - timedelta(days=62), DAY - timedelta(days=7))
        for s in stores
    ]

    def frame(counts):
        return pd.DataFrame(
            [(s, *c) for s, c in zip(stores, counts, strict=True)],
            columns=["store_id", "d", "pa", "p"],
        )

    tests = signals.drop_tests(frame(last), frame(prev))
    assert sorted(v.drops["store_id"]) == sorted(tests.loc[tests["flag"], "store_id"])
    ranks = ranked[ranked["ranked"]].sort_values("rank")
    assert list(ranks["nps"]) == sorted(ranks["nps"], reverse=True)


@pytest.mark.parametrize("key", ["*", "HZ01", "region:华东"])
def test_one_read_of_the_days_gives_every_range_and_the_trend_as_their_own_reads(con, key):
    """The view reads its days once for the KPI strip of the day, of the chosen period
    and for the trend: each equals the figures of its own read, on the first of a month
    too (the trend reaching back a week before the previous month)."""
    from cx import report
    from cx.queries import board as q

    scope = Scope.from_key(key)
    for day in (date(2025, 10, 31), date(2025, 10, 1)):
        for period in ("day", "week", "mtd"):
            v = vb.view(con, scope, day, *CLOCK, period=period)
            target = v.tgt["nps_target"] if v.tgt else None
            alone = q.range_counts(con, scope, report.board_ranges(day, period))
            assert v.kpis == report.kpis(alone, day, period, target)
            alone = q.range_counts(con, scope, report.board_ranges(day, "day"))
            assert v.day_kpis == report.kpis(alone, day, "day", target)
            month = v.month
            start = vb.trend_start(month)
            series = q.daily_series(con, scope, start, day)
            rolled = stats.rolling_nps(series[["date", "d", "pa", "p"]])
            rolled = rolled[pd.to_datetime(rolled["date"]) >= pd.Timestamp(start + timedelta(6))]
            pd.testing.assert_frame_equal(v.trend.rolled, rolled.reset_index(drop=True))
