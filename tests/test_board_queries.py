"""cx.queries.board against independent SQL / pandas over the raw ``responses`` table."""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime, timedelta

import numpy as np
import pandas as pd
import pytest

from cx import db, enums, followups, painpoints, targets
from cx.queries import board as q
from cx.scope import Scope

NOW = datetime(2025, 10, 31, 23, 59, 59)


def raw_counts(con, where: str, params: list) -> tuple[int, int, int]:
    row = con.execute(
        "SELECT count(*) FILTER (WHERE nps <= 6), count(*) FILTER (WHERE nps BETWEEN 7 AND 8),"
        f" count(*) FILTER (WHERE nps >= 9) FROM responses WHERE {where}",
        params,
    ).fetchall()[0]
    return tuple(int(x) for x in row)


def test_scope_from_key():
    # the board's ?store= values: the network, one region, one store (and back)
    for key in ("*", ""):
        assert Scope.from_key(key) == Scope() and Scope().kind == "network"
    assert Scope.from_key("region:华东") == Scope(regions=("华东",))
    assert Scope.from_key("region:华东").kind == "region"
    assert Scope.from_key("region:华东").region == "华东"
    assert Scope.from_key("HZ01") == Scope(stores=("HZ01",))
    assert Scope.from_key("HZ01").store == "HZ01"
    for key in ("*", "region:华东", "HZ01", "region:华东,HZ01,SH03"):
        assert Scope.from_key(key).key == key


def test_story_week_counts(con):
    got = q.range_counts(
        con, Scope.from_key("HZ01"), (("w", date(2025, 10, 1), date(2025, 10, 7)),)
    )
    assert got["w"] == (12, 32, 156)


@pytest.mark.parametrize("selection", ["HZ01", "region:华东", "*"])
def test_range_counts_match_raw_responses(con, selection):
    ranges = (
        ("a", date(2025, 10, 1), date(2025, 10, 15)),
        ("b", date(2025, 9, 1), date(2025, 9, 30)),
        ("c", date(2025, 10, 31), date(2025, 10, 31)),
    )
    got = q.range_counts(con, Scope.from_key(selection), ranges)
    sc = Scope.from_key(selection)
    scope, params = {
        "store": ("store_id = ?", [sc.store]),
        "region": ("store_id IN (SELECT store_id FROM stores WHERE region = ?)", [sc.region]),
        "network": ("TRUE", []),
    }[sc.kind]
    for key, start, end in ranges:
        expected = raw_counts(
            con, f"CAST(responded_at AS DATE) BETWEEN ? AND ? AND {scope}", [start, end, *params]
        )
        assert got[key] == expected


def test_empty_range_is_zero_counts_not_missing(con):
    got = q.range_counts(con, Scope.from_key("HZ01"), (("x", date(2030, 1, 1), date(2030, 1, 7)),))
    assert got["x"] == (0, 0, 0)


def test_latest_and_first_day(con):
    assert q.latest_day(con, Scope.from_key("HZ01")) == date(2025, 10, 31)
    assert q.latest_day(con, Scope.from_key("*")) == date(2025, 10, 31)
    assert q.first_day(con, Scope.from_key("HZ01")) == date(2024, 10, 1)
    assert q.latest_day(con, Scope.from_key("NOPE")) is None
    assert q.latest_answer(con) == pd.Timestamp(
        con.execute("SELECT max(responded_at) FROM responses").fetchall()[0][0]
    )


def test_daily_series_matches_pandas(con):
    got = q.daily_series(con, Scope.from_key("region:华南"), date(2025, 10, 1), date(2025, 10, 31))
    raw = con.execute(
        "SELECT CAST(responded_at AS DATE) AS day, nps FROM responses WHERE store_id IN"
        " (SELECT store_id FROM stores WHERE region = '华南')"
        " AND responded_at >= '2025-10-01' AND responded_at < '2025-11-01'"
    ).df()
    raw["d"] = raw["nps"] <= 6
    raw["pa"] = raw["nps"].between(7, 8)
    raw["p"] = raw["nps"] >= 9
    exp = raw.groupby("day")[["d", "pa", "p"]].sum().astype(int)
    assert len(got) == len(exp)
    assert got["d"].tolist() == exp["d"].tolist()
    assert got["pa"].tolist() == exp["pa"].tolist()
    assert got["p"].tolist() == exp["p"].tolist()
    assert (got["n"] == got["d"] + got["pa"] + got["p"]).all()


def test_store_counts_lists_every_store_of_the_region(con):
    ranges = (("mtd", date(2025, 10, 1), date(2025, 10, 15)),)
    got = q.store_counts(con, Scope.from_key("region:华东"), ranges)
    ids = [
        r[0] for r in con.execute("SELECT store_id FROM stores WHERE region = '华东'").fetchall()
    ]
    assert sorted(got["store_id"]) == sorted(ids)
    for rec in got.to_dict("records"):
        exp = raw_counts(
            con,
            "store_id = ? AND CAST(responded_at AS DATE) BETWEEN '2025-10-01' AND '2025-10-15'",
            [rec["store_id"]],
        )
        assert (rec["mtd_d"], rec["mtd_pa"], rec["mtd_p"]) == exp


def _expected_queue(con, store: str, now: datetime, include_closed: bool) -> pd.DataFrame:
    raw = con.execute(
        "SELECT r.response_id, r.responded_at, r.nps, f.status FROM responses r"
        " LEFT JOIN followups f ON f.response_id = r.response_id WHERE r.store_id = ?",
        [store],
    ).df()
    raw["status"] = raw["status"].fillna("open")
    hours = np.where(raw["nps"] <= 6, 24, np.where(raw["nps"] <= 8, 72, 168))
    raw["deadline"] = raw["responded_at"] + pd.to_timedelta(hours, unit="h")
    keep = (raw["responded_at"] > now - timedelta(days=14)) & (raw["responded_at"] <= now)
    if not include_closed:
        keep &= ~raw["status"].isin(["resolved", "unreachable"])
    # most urgent first: still open, then contacted, then closed; detractors first in each
    out = raw[keep].assign(
        stage=raw["status"].map({"open": 0, "contacted": 1}).fillna(2),
        not_detractor=raw["nps"] > 6,
    )
    out = out.sort_values(["stage", "not_detractor", "deadline", "responded_at", "response_id"])
    out["overdue"] = (out["status"] == "open") & (out["deadline"] < now)
    return out.reset_index(drop=True)


@pytest.mark.parametrize("include_closed", [False, True])
def test_callback_queue_matches_pandas(con, include_closed):
    got = q.callback_queue(con, Scope.from_key("HZ01"), NOW, 14, include_closed)
    exp = _expected_queue(con, "HZ01", NOW, include_closed)
    assert len(got) > 20  # the demo leaves real work in the last two weeks
    assert got["response_id"].tolist() == exp["response_id"].tolist()
    assert got["overdue"].tolist() == exp["overdue"].tolist()
    stage = got["status"].map({"open": 0, "contacted": 1}).fillna(2)
    assert stage.is_monotonic_increasing  # still to call, then contacted, then closed
    by_deadline = got.groupby([stage, got["nps"] > 6])["deadline"]
    assert by_deadline.apply(lambda d: d.is_monotonic_increasing).all()  # within each
    hours = (exp["deadline"] - pd.Timestamp(NOW)).dt.total_seconds() / 3600
    assert np.allclose(got["hours_left"], hours)
    if not include_closed:
        assert not got["status"].isin(followups.CLOSED).any()


def test_overdue_by_store_matches_queue(con):
    got = q.overdue_by_store(con, Scope.from_key("region:华东"), NOW)
    exp = _expected_queue(con, "HZ01", NOW, False)
    n_hz = int((exp["overdue"] & (exp["nps"] <= 6)).sum())
    hz = got[got["store_id"] == "HZ01"]["overdue"]
    assert (int(hz.iloc[0]) if len(hz) else 0) == n_hz
    assert n_hz > 0
    assert set(got["store_id"]) <= {
        r[0] for r in con.execute("SELECT store_id FROM stores WHERE region = '华东'").fetchall()
    }


def test_stores_with_overdue_detractors_come_most_overdue_first_then_by_id(con):
    """The board's list of stores behind on callbacks: only stores with an overdue
    detractor, the most overdue first, stores with as many by id."""
    got = q.overdue_by_store(con, Scope.from_key("*"), NOW)
    counts = q.queue_counts(con, Scope.from_key("*"), NOW)
    behind = counts[counts["overdue"] > 0]
    assert len(got) == len(behind) > 2 and got["overdue"].gt(0).all()
    pairs = list(zip(-got["overdue"], got["store_id"], strict=True))
    assert pairs == sorted(pairs)
    assert got["overdue"].duplicated().any()  # ties, ordered by id above
    assert set(got["store_id"]) == set(behind["store_id"])


@pytest.mark.parametrize("key", ["*", "region:华东", "HZ01"])
def test_the_queue_reads_follow_ups_by_key_or_by_scan_alike(con, monkeypatch, key):
    """A short queue reads its follow-ups by key, a long one scans them: both give the
    same rows and counts (each forced here in turn)."""
    scope = Scope.from_key(key)
    lookup = q.callback_queue(con, scope, NOW, 14, True), q.queue_counts(con, scope, NOW, 14)
    monkeypatch.setattr(q, "LOOKUP_MAX", 0)
    scan = q.callback_queue(con, scope, NOW, 14, True), q.queue_counts(con, scope, NOW, 14)
    for a, b in zip(lookup, scan, strict=True):
        pd.testing.assert_frame_equal(a, b)
    assert lookup[0]["status"].ne("open").any()  # follow-ups were found and joined
    monkeypatch.setattr(q, "LOOKUP_MAX", 10**6)
    pd.testing.assert_frame_equal(q.callback_queue(con, scope, NOW, 14, True), scan[0])


@pytest.mark.parametrize(("key", "past"), [("*", False), ("region:华东", True), ("HZ01", False)])
def test_queue_counts_are_the_listed_queue_counted(con, key, past):
    """The counts the board shows without loading the queue equal the queue's own rows
    counted in pandas, store by store (the network's, a region's looking back, one store's).
    Looking back, a callback made then and closed since counts as made, not open."""
    moment = AS_OF if past else NOW
    rid = _contacted_then_resolved_after(con)
    queue = q.callback_queue(con, Scope.from_key(key), moment, 14, False, past=past)
    assert len(queue) > 0
    assert (rid in set(queue["response_id"])) == past  # listed then, resolved now
    queue["det_overdue"] = queue["overdue"] & (queue["segment"] == "detractor")
    open_ = queue["status"] == "open"
    queue["due_today"] = open_ & (queue["hours_left"] >= 0) & (queue["hours_left"] < 24)
    queue["open"] = open_
    exp = (
        queue.groupby("store_id")[["open", "det_overdue", "overdue", "due_today"]]
        .sum()
        .rename(columns={"det_overdue": "overdue", "overdue": "overdue_all"})
        .astype("int64")
        .reset_index()
    )
    got = q.queue_counts(con, Scope.from_key(key), moment, 14, past=past)
    pd.testing.assert_frame_equal(
        got[["store_id", "open", "overdue", "overdue_all", "due_today"]],
        exp[["store_id", "open", "overdue", "overdue_all", "due_today"]],
        check_dtype=False,
    )
    assert got["overdue_all"].sum() > 0


def test_target_for_uses_store_then_default(con):
    oct1 = date(2025, 10, 1)
    assert q.target_for(con, Scope.from_key("HZ01"), oct1)["nps_target"] == 77.0
    # a region without its own row: its stores' targets weighted by October's answers
    region = con.execute(
        "SELECT sum(n * t) / sum(n) FROM (SELECT r.store_id, count(*) AS n,"
        " any_value(g.nps_target) AS t FROM responses r JOIN stores s USING (store_id)"
        " JOIN targets g ON g.store_id = r.store_id AND g.month = ?"
        " WHERE s.region = '华东' AND date_trunc('month', r.responded_at) = ? GROUP BY 1)",
        [oct1, oct1],
    ).fetchall()[0][0]
    assert q.target_for(con, Scope.from_key("region:华东"), oct1)["nps_target"] == pytest.approx(
        region
    )
    targets.set_target(con, "*", oct1, 60.0)
    # every 华东 store has its own row, so the default does not move the region
    assert q.target_for(con, Scope.from_key("region:华东"), oct1)["nps_target"] == pytest.approx(
        region
    )
    assert q.target_for(con, Scope.from_key("*"), date(2025, 10, 20))["nps_target"] == 60.0
    assert q.target_for(con, Scope.from_key("HZ01"), oct1)["nps_target"] == 77.0
    assert q.targets_for(con, Scope.from_key("HZ01"), (oct1,), oct1)[oct1]["nps_target"] == 77.0


def test_week_report_data_matches_raw(con):
    start = date(2025, 10, 1)
    data = q.week_report_data(con, Scope.from_key("HZ01"), start, NOW)
    assert data["week"] == (12, 32, 156)
    assert data["prev"] == raw_counts(
        con,
        "store_id = 'HZ01' AND CAST(responded_at AS DATE) BETWEEN '2025-09-24' AND '2025-09-30'",
        [],
    )
    # each detractor's reason as the segments page counts it: the pain point, else the
    # keyword rules over its comment (worked out here from the raw text), else other
    blanks = 0
    for first in (start, *(start + timedelta(days=7 * k) for k in (1, 2, 3))):
        got = q.week_report_data(con, Scope.from_key("HZ01"), first, NOW)["reasons"]
        rows = con.execute(
            "SELECT pain_point, comment FROM responses WHERE store_id = 'HZ01' AND nps <= 6"
            " AND CAST(responded_at AS DATE) BETWEEN ? AND ?",
            [first, first + timedelta(days=6)],
        ).fetchall()
        blanks += sum(pain is None for pain, _ in rows)
        want = Counter(painpoints.reason_for(pain, comment)[0] for pain, comment in rows)
        assert dict(zip(got["reason"], got["n"], strict=True)) == want
    assert blanks  # some of October's detractors gave no pain point
    assert len(data["detractors"]) == 12
    log = con.execute(
        "SELECT response_id, min(changed_at) AS t FROM followup_log"
        " WHERE status <> 'open' GROUP BY ALL"
    ).df()
    merged = data["detractors"].merge(log, on="response_id", how="left")
    assert (merged["done_at"].isna() == merged["t"].isna()).all()
    both = merged["t"].notna()
    assert (merged.loc[both, "done_at"] == merged.loc[both, "t"]).all()


def test_queries_on_an_empty_database(empty_db):
    with db.connect(empty_db) as c:
        assert q.latest_day(c, Scope()) is None
        assert q.latest_answer(c) is None
        assert q.range_counts(c, Scope(), (("x", date(2025, 1, 1), date(2025, 1, 2)),))["x"] == (
            0,
            0,
            0,
        )
        assert q.callback_queue(c, Scope(), NOW).empty
        assert q.overdue_by_store(c, Scope(), NOW).empty
        assert q.daily_series(c, Scope(), date(2025, 1, 1), date(2025, 1, 31)).empty


AS_OF = datetime(2025, 10, 15, 23, 59, 59)


def _called_then_resolved_after(con, order: str, contacted_before: timedelta) -> str:
    """The first (``order`` ASC) or last (DESC) answer of HZ01 in the three days up to
    AS_OF, contacted ``contacted_before`` AS_OF and resolved after it: as the queue stood
    at AS_OF, a callback made and not yet closed."""
    from cx import followups

    rid = con.execute(
        "SELECT response_id FROM responses WHERE store_id = 'HZ01' AND responded_at"
        f" BETWEEN ? AND ? ORDER BY responded_at {order} LIMIT 1",
        [AS_OF - timedelta(days=3), AS_OF],
    ).fetchall()[0][0]
    followups.set_followup(con, rid, "contacted", at=AS_OF - contacted_before)
    followups.set_followup(
        con, rid, "resolved", root_cause="waiting", at=AS_OF + timedelta(hours=9)
    )
    return rid


def _contacted_then_resolved_after(con) -> str:
    """Contacted two hours before AS_OF, resolved after it."""
    return _called_then_resolved_after(con, "ASC", timedelta(hours=2))


def _logged_before_the_window_then_resolved_after(con) -> str:
    """Its first logged change lies before AS_OF's window began (an answer uploaded again
    with a later time keeps its follow-up): the log is read from the earliest first
    change of the follow-ups changed since, not from the window."""
    return _called_then_resolved_after(con, "DESC", timedelta(days=20))


@pytest.mark.parametrize("key", ["HZ01", "region:华东", "*"])
def test_queue_as_of_a_past_day_lists_nothing_later_and_states_then(con, key):
    """Each answer's state then is its latest change logged by then (the log is read for
    the queue's own answers only: a network's whole log took a second at 10 million)."""
    rid = _contacted_then_resolved_after(con)
    early = _logged_before_the_window_then_resolved_after(con)
    got = q.callback_queue(con, Scope.from_key(key), AS_OF, 14, True, past=True)
    assert got.set_index("response_id").loc[rid, "status"] == "contacted"
    assert got.set_index("response_id").loc[early, "status"] == "contacted"
    assert len(got) > 20
    assert got["responded_at"].max() <= pd.Timestamp(AS_OF)
    assert got["responded_at"].min() > pd.Timestamp(AS_OF - timedelta(days=14))
    # the state each follow-up had at the time, from the log, written independently
    log = con.execute(
        "SELECT response_id, status, changed_at FROM followup_log WHERE changed_at <= ?",
        [AS_OF],
    ).df()
    last = log.sort_values("changed_at").groupby("response_id")["status"].last()
    expect = got["response_id"].map(last).fillna("open")
    assert got["status"].tolist() == expect.tolist()
    # some answers were still open then and contacted or resolved later
    now_state = q.callback_queue(con, Scope.from_key(key), AS_OF, 14, True)
    then = got.set_index("response_id")["status"]
    assert set(now_state["response_id"]) == set(then.index)  # the same answers, states apart
    changed = now_state.set_index("response_id")["status"].reindex(then.index) != then
    assert changed.any()


def test_overdue_is_past_the_deadline_and_still_open_everywhere(con):
    queue = q.callback_queue(con, Scope.from_key("HZ01"), AS_OF, 14, True, past=True)
    hours = (queue["deadline"] - pd.Timestamp(AS_OF)).dt.total_seconds() / 3600
    assert queue["overdue"].tolist() == ((queue["status"] == "open") & (hours < 0)).tolist()
    contacted_late = queue[(queue["status"] == "contacted") & (queue["hours_left"] < 0)]
    assert not contacted_late["overdue"].any()
    per = q.overdue_by_store(con, Scope.from_key("region:华东"), AS_OF, 14, past=True)
    hz = per[per["store_id"] == "HZ01"]
    dets = int((queue["overdue"] & (queue["segment"] == "detractor")).sum())
    assert (int(hz["overdue"].iloc[0]) if len(hz) else 0) == dets
    if len(hz):
        assert int(hz["overdue_all"].iloc[0]) == int(queue["overdue"].sum())


def test_display_queue_shows_a_dash_for_missing_values(con):
    queue = q.callback_queue(con, Scope.from_key("*"), NOW, 14, True)
    shown = followups.display_queue(queue, "zh")
    cells = shown.astype(str).to_numpy().ravel()
    assert not {"nan", "None", "NaN", "<NA>", "NaT"} & set(cells)
    assert (shown["关键触点"] == "—").any() or queue["key_touchpoint"].notna().all()
    done = queue["status"] != "open"
    assert (shown.loc[done, "剩余 / 超时"] == "—").all()


def test_a_detractor_without_a_pain_point_shows_what_its_comment_says(con):
    """A card of a detractor who chose no pain point showed '—' beside a comment the
    segments page and the weekly report count as 'waiting'; it now shows that reason,
    marked as read from the comment. A pain point chosen is shown as it is."""
    queue = q.callback_queue(con, Scope.from_key("*"), NOW, 14, True)
    shown = followups.display_queue(queue, "en").set_index(queue.index)
    dets = queue[queue["segment"] == "detractor"]
    read = dets[dets["pain_point"].isna()]
    told = dets[dets["pain_point"].notna()]
    assert len(read) and len(told)
    for i, r in read.iterrows():
        reason, rule = painpoints.reason_for(None, r["comment"])
        want = "—"
        if rule not in painpoints.NOT_READ:
            want = enums.text("pain_point", reason, "en") + " (from the comment)"
        assert shown.loc[i, "Pain point"] == want, (r["comment"], shown.loc[i, "Pain point"])
    assert (shown.loc[read.index, "Pain point"].str.endswith("(from the comment)")).any()
    for i, r in told.iterrows():
        assert shown.loc[i, "Pain point"] == enums.text("pain_point", r["pain_point"], "en")


@pytest.mark.parametrize(
    ("key", "moment", "include_closed", "only_detractors", "past"),
    [
        ("*", NOW, False, False, False),
        ("*", NOW, True, True, False),
        ("region:华东", AS_OF, False, False, True),
        ("HZ01", NOW, True, False, False),
    ],
)
def test_the_listed_queue_is_the_worst_of_the_whole_and_its_size_counts_it(
    con, key, moment, include_closed, only_detractors, past
):
    """The page loads the most urgent answers only (open ones, then contacted, then
    closed; detractors first within each, then by deadline) and counts the rest in the
    database: the same as sorting the whole queue and counting it."""
    scope = Scope.from_key(key)
    whole = q.callback_queue(con, scope, moment, 14, include_closed, past)
    if only_detractors:
        whole = whole[whole["segment"] == "detractor"]
    args = (con, scope, moment, 14, include_closed, past, only_detractors)
    assert len(whole) > 12
    stage = whole["status"].map({"open": 0, "contacted": 1}).fillna(2)
    worst = whole.assign(det=whole["segment"] != "detractor", stage=stage).sort_values(
        ["stage", "det", "deadline"], kind="stable"
    )
    got = q.callback_queue(*args, limit=12)
    assert got["response_id"].tolist() == worst["response_id"].head(12).tolist()
    assert got["overdue"].tolist() == worst["overdue"].head(12).tolist()
    open_ = int((whole["status"] == "open").sum())
    assert q.queue_size(*args) == (len(whole), int(whole["overdue"].sum()), open_)
    full = q.callback_queue(*args)
    assert full["response_id"].tolist() == whole["response_id"].tolist()
