"""Derived data every write keeps current, checked against the raw answers after uploads
that reach back in time, replace answers and are undone, and on a file written before it
existed (schema 2):

- repeat customers in the gaming review: each answer keeps when its customer last
  answered for the store and for the store's advisor (``cx.db.REPEAT_COLUMNS``); the
  review's counts must equal a distinct count over the raw answers;
- the heatmap's key-driver moments per store-day (``driver_rollup``) must equal the sums
  and cross-products of the complete answers;
- the segments page's gaming tests over the dates pages open on (``gaming_window``) must
  be those of the answers as they are now, for those dates;
- the whole network's raw monthly inputs (``monthly_raw``: waiting median and p90,
  repeat faults, answers of months with pain points) and its waits per month
  (``monthly_waits``, the overview's quantile test) and its rollup summed per month
  (``monthly_rollup``) must equal a recomputation;
- every detractor's reason and rule (``cx.db.REASON_COLUMNS``) must be the keyword rule's;
- the whole network's answers per day by breakdown and score (``daily_splits``) must
  equal the counts of the answers;
- the frames of the network's default views (``kept_frames``: the heatmap's sums and
  moments, the board's per-store counts, the quadrant's sums, the segments page's
  detractors by reason) must equal what the rollups and answers give on their dates."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from cx import access, db, ingest, metrics, painpoints, rules, signals
from cx.enums import TP_KEYS
from cx.queries import cx_overview, df
from cx.queries import kept as kept_q
from cx.queries import signals as qs
from cx.scope import Scope

WINDOWS = [(date(2025, 8, 3), date(2025, 10, 31)), (date(2025, 9, 1), date(2025, 9, 30))]
COLUMNS = "store_id, coalesce(advisor, '') AS advisor, responded_at, phone, customer_id"


def _raw(con) -> pd.DataFrame:
    out = df(con, f"SELECT response_id, {COLUMNS} FROM responses")
    return out.assign(who=out["phone"].fillna(out["customer_id"]))


def _brute(raw: pd.DataFrame, start: date, end: date, keys: list[str]) -> pd.DataFrame:
    """key_n and rep by hand: answers with a key; each customer's answers in the group
    beyond the first."""
    w = raw[
        (raw["responded_at"] >= pd.Timestamp(start))
        & (raw["responded_at"] < pd.Timestamp(end + timedelta(days=1)))
    ]
    keyed = w[w["who"].notna()]
    m = keyed.groupby([*keys, "who"]).size().rename("m").reset_index()
    out = m.groupby(keys).agg(key_n=("m", "sum"), rep=("m", lambda s: int((s - 1).sum())))
    return out.reset_index()


def _assert_counts_equal_brute(con) -> None:
    raw = _raw(con)
    for start, end in WINDOWS:
        for keys, got in (
            (["store_id", "advisor"], qs.advisor_counts(con, start, end)),
            (["store_id"], qs.store_counts(con, start, end)),
        ):
            want = _brute(raw, start, end, keys)
            have = got[got["key_n"] > 0][[*keys, "key_n", "rep"]].reset_index(drop=True)
            pd.testing.assert_frame_equal(have, want, check_dtype=False)
            assert want["rep"].sum() > 0  # the demo's customers do come back


def _assert_columns_fresh(con) -> None:
    """Every answer's stored repeat columns equal a recomputation from scratch."""
    raw = _raw(con).sort_values(["responded_at", "response_id"])
    keyed = raw[raw["who"].notna()]
    want = pd.DataFrame(
        {
            "prev_store_at": keyed.groupby(["store_id", "who"])["responded_at"].shift(),
            "prev_advisor_at": keyed.groupby(["store_id", "advisor", "who"])[
                "responded_at"
            ].shift(),
        }
    ).reindex(raw.index)
    want.index = raw["response_id"]
    have = df(con, "SELECT response_id, prev_store_at, prev_advisor_at FROM responses")
    have = have.set_index("response_id").reindex(want.index)
    pd.testing.assert_frame_equal(have, want, check_dtype=False, check_names=False)


def _assert_driver_moments_fresh(con) -> None:
    """driver_rollup = the complete answers' count, sums and cross-products per store-day."""
    cols = {v: "nps" if v == "nps" else f"tp_{v}" for v in metrics.DRIVER_VARS}
    raw = df(
        con,
        f"SELECT store_id, CAST(responded_at AS DATE) AS day, {', '.join(cols.values())}"
        " FROM responses",
    )
    complete = raw.dropna()
    want = {"n": complete.groupby(["store_id", "day"]).size()}
    names = list(cols)
    for i, a in enumerate(names):
        want[f"s_{a}"] = complete.groupby(["store_id", "day"])[cols[a]].sum()
        for b in names[i:]:
            prod = complete[cols[a]].astype(float) * complete[cols[b]]
            want[f"x_{a}__{b}"] = prod.groupby([complete["store_id"], complete["day"]]).sum()
    want = pd.DataFrame(want)
    have = df(con, "SELECT * FROM driver_rollup WHERE n > 0").set_index(["store_id", "day"])
    have = have[list(want.columns)].sort_index()
    want = want.sort_index()
    assert len(want) > 100
    assert have.index.equals(want.index)
    np.testing.assert_allclose(have.to_numpy(float), want.to_numpy(float), rtol=1e-12)


def _assert_gaming_stored(con) -> tuple[date, date]:
    """The stored gaming tests are of the default dates of the answers now, and equal the
    tests computed from the answers; the segments page's review reads them."""
    first, last = con.execute("SELECT min(day), max(day) FROM daily_rollup").fetchall()[0]
    start, end = rules.default_period(first, last)
    board = (last - timedelta(days=signals.WINDOW_DAYS - 1), last)  # a network board's flags
    assert qs.gaming_windows(first, last) == [(start, end), board]
    for window in ((start, end), board):
        stored = qs.stored_gaming(con, *window)
        assert stored is not None, f"no stored tests for {window}"
        live = qs.gaming_tests(con, *window)
        assert len(live) > 50
        pd.testing.assert_frame_equal(stored, live)
        # the network's flags over the window, kept beside the tests
        assert qs.kept_flags(con, *window) == signals.gaming_flags(signals.review(live))
    assert qs.stored_gaming(con, start + timedelta(days=1), end) is None  # other dates: live
    assert qs.kept_flags(con, start + timedelta(days=1), end) is None
    assert qs.kept_flags(con, *board)  # the demo's planted patterns are flagged
    return start, end


def test_stored_gaming_tests_of_other_settings_are_not_read(con, monkeypatch):
    """A version that runs the tests with other settings (here: 'fast' is under 40 s)
    computes them from the answers until its first write keeps them again."""
    start, end = _assert_gaming_stored(con)
    monkeypatch.setattr(signals, "FAST_SECONDS", 40)
    assert qs.stored_gaming(con, start, end) is None
    have = qs.gaming_review(con, end, (), start)
    pd.testing.assert_frame_equal(have, signals.review(qs.gaming_tests(con, start, end)))
    with db.transaction(con):
        qs.store_gaming(con)
    pd.testing.assert_frame_equal(
        qs.stored_gaming(con, start, end), qs.gaming_tests(con, start, end)
    )


def _assert_monthly_raw_fresh(con) -> None:
    """monthly_raw = each month's waiting quantiles (linear interpolation), repeat faults
    and answers (when the month has pain points) recomputed in pandas; the network
    overview's monthly inputs read them."""
    raw = df(con, "SELECT responded_at, wait_minutes, pain_point FROM responses")
    month = raw["responded_at"].dt.to_period("M").dt.start_time.dt.date
    by = raw.groupby(month)
    want = pd.DataFrame(
        {
            "wait_median": by["wait_minutes"].quantile(0.5),
            "wait_p90": by["wait_minutes"].quantile(0.9),
            "unresolved": by["pain_point"].agg(lambda s: int((s == "unresolved").sum())),
            "pain_n": by["pain_point"].agg(lambda s: len(s) if s.notna().any() else 0),
        }
    )
    have = df(con, "SELECT * FROM monthly_raw ORDER BY month")
    have["month"] = [m.date() if hasattr(m, "date") else m for m in have["month"]]
    have = have.set_index("month")
    assert len(want) >= 12
    assert have.index.tolist() == want.index.tolist()
    np.testing.assert_allclose(have[want.columns].to_numpy(float), want.to_numpy(float))
    last = want.index[-1]
    got = cx_overview.monthly_inputs(con, Scope(), want.index[-12], last).set_index("month")
    np.testing.assert_allclose(
        got.loc[want.index[-12:], want.columns].to_numpy(float), want.tail(12).to_numpy(float)
    )
    # monthly_waits = how many answers waited each time, per month; the overview's
    # quantile test read from it equals DuckDB's over the two months' answers
    waits = raw.dropna(subset=["wait_minutes"])
    counted = waits.groupby([month[waits.index], waits["wait_minutes"]]).size()
    kept = df(con, "SELECT month, wait, n FROM monthly_waits ORDER BY month, wait")
    kept["month"] = [m.date() if hasattr(m, "date") else m for m in kept["month"]]
    assert kept["n"].tolist() == counted.tolist()
    assert list(zip(kept["month"], kept["wait"], strict=True)) == counted.index.tolist()
    for m in want.index[-3:]:
        assert_split_equals_the_answers(con, m)
    # monthly_rollup = the rollup summed per month; the network's overview reads it
    names = cx_overview.rollup_sums()
    days = df(con, f"SELECT day, {', '.join(names)} FROM daily_rollup")
    by_month = days.groupby(pd.to_datetime(days["day"]).dt.to_period("M").dt.start_time.dt.date)
    summed = by_month[names].sum()
    kept = df(con, "SELECT * FROM monthly_rollup ORDER BY month")
    kept["month"] = [m.date() if hasattr(m, "date") else m for m in kept["month"]]
    kept = kept.set_index("month")
    assert kept.index.tolist() == summed.index.tolist() == sorted(cx_overview.months(con))
    np.testing.assert_allclose(kept[names].to_numpy(float), summed.to_numpy(float), rtol=1e-12)
    np.testing.assert_allclose(
        got.loc[want.index[-12:], names].to_numpy(float),
        summed.tail(12).to_numpy(float),
        rtol=1e-12,
    )


def assert_split_equals_the_answers(con, month: date) -> None:
    """The network's quantile split (from monthly_waits) equals DuckDB's quantile_cont
    over the raw answers of the month and the month before."""
    sql = (
        "WITH r AS (SELECT responded_at >= CAST(? AS TIMESTAMP) AS cur, wait_minutes AS w"
        " FROM responses WHERE responded_at >= ? AND responded_at < ?"
        " AND wait_minutes IS NOT NULL),"
        " q AS (SELECT quantile_cont(w, 0.5) AS q50, quantile_cont(w, 0.9) AS q90 FROM r)"
        " SELECT cur, count(*) AS n, count(*) FILTER (WHERE w > q50) AS above50,"
        " count(*) FILTER (WHERE w > q90) AS above90 FROM r, q GROUP BY cur ORDER BY cur"
    )
    want = df(con, sql, [month, rules.add_months(month, -1), rules.add_months(month, 1)])
    assert int(want["n"].sum()) == int(
        df(
            con,
            "SELECT sum(n) AS n FROM monthly_waits WHERE month IN (?, ?)",
            [month, rules.add_months(month, -1)],
        )["n"].iloc[0]
    )
    pd.testing.assert_frame_equal(cx_overview.quantile_split(con, Scope(), month), want)


def test_repeat_counts_equal_a_distinct_count_of_the_raw_answers(con):
    _assert_counts_equal_brute(con)
    _assert_columns_fresh(con)
    _assert_driver_moments_fresh(con)
    _assert_gaming_stored(con)
    _assert_monthly_raw_fresh(con)


def test_a_store_managers_gaming_review_is_the_stored_tests_of_their_stores(con):
    start, end = _assert_gaming_stored(con)
    mine = ("HZ01", "WH02")
    want = signals.review(qs.gaming_tests(con, start, end, mine))
    manager = access.Person(email="m@x.com", roles=frozenset({"store"}), stores=frozenset(mine))
    access.apply_scope(con, manager)
    assert qs.kept_flags(con, start, end) is None  # the network's flags are not theirs
    have = qs.gaming_review(con, end, (), start)
    assert set(have["store_id"]) == set(mine)
    assert have["flag"].any()  # the demo's planted WH02 advisor
    pd.testing.assert_frame_equal(have, want)


def test_the_networks_kept_months_equal_the_answers_months_before_after_and_between(
    con, monkeypatch
):
    """The overview's months of the whole network read from the kept monthly tables are
    the frame the rollup and the answers give, types included, also over months without
    answers before, after and inside the range (filled in the reader, not the query)."""
    first, last = con.execute("SELECT min(day), max(day) FROM daily_rollup").fetchall()[0]
    first, last = rules.month_start(first), rules.month_start(last)
    # a month inside without answers: its rows taken out of both, as a reader sees them
    gap = rules.add_months(first, 3)
    ranges = [
        (rules.add_months(first, -4), rules.add_months(first, 2)),
        (rules.add_months(last, -2), rules.add_months(last, 5)),
        (first, last),
        (gap, gap),
    ]

    def kept_and_live(first: date, last: date) -> tuple[pd.DataFrame, pd.DataFrame]:
        """The months as the kept tables give them, and as the rollup and answers do."""
        kept = cx_overview.monthly_inputs(con, Scope(), first, last)
        with monkeypatch.context() as patch:
            patch.setattr(cx_overview, "_kept", lambda _con: False)
            return kept, cx_overview.monthly_inputs(con, Scope(), first, last)

    assert cx_overview._kept(con)
    kept = []
    for a, b in ranges:
        got, want = kept_and_live(a, b)
        pd.testing.assert_frame_equal(got, want)
        kept.append(got)
    assert (kept[0]["n"] == 0).sum() == 4 and (kept[1]["n"] == 0).sum() == 5
    assert kept[0]["wait_median"].isna().sum() == 4 and kept[0]["unresolved"].dtype == "int64"
    con.execute("BEGIN")
    try:
        nxt = rules.add_months(gap, 1)
        for table in ("monthly_rollup", "monthly_raw"):
            con.execute(f"DELETE FROM {table} WHERE month = ?", [gap])
        con.execute("DELETE FROM daily_rollup WHERE day >= ? AND day < ?", [gap, nxt])
        con.execute(
            "DELETE FROM responses WHERE responded_at >= ? AND responded_at < ?", [gap, nxt]
        )
        got, want = kept_and_live(first, last)
        pd.testing.assert_frame_equal(got, want)
        assert got.loc[got["month"] == gap, "n"].tolist() == [0]
    finally:
        con.execute("ROLLBACK")


def test_a_store_manager_reads_their_own_months_and_a_new_raw_input_reads_the_answers(
    con, monkeypatch
):
    """monthly_raw is the whole network's: a reader limited to some stores never sees it
    and gets its own stores' months; a raw input declared after the table was written
    is read from the answers until the next write keeps it too."""
    first, last = date(2024, 11, 1), date(2025, 10, 1)
    mine = cx_overview.monthly_inputs(con, Scope(stores=("HZ01",)), first, last)
    network = cx_overview.monthly_inputs(con, Scope(), first, last)
    long_waits = metrics.RawInput("long_waits", "count(*) FILTER (WHERE wait_minutes > ?)", (100,))
    with monkeypatch.context() as patch:
        patch.setitem(metrics.RAW_INPUTS, "long_waits", long_waits)
        got = cx_overview.monthly_inputs(con, Scope(), first, last)
    want = df(
        con,
        "SELECT CAST(date_trunc('month', responded_at) AS DATE) AS month,"
        " count(*) FILTER (WHERE wait_minutes > 100) AS n FROM responses"
        " WHERE responded_at >= ? AND responded_at < ? GROUP BY 1 ORDER BY 1",
        [first, date(2025, 11, 1)],
    )
    assert got["long_waits"].tolist() == want["n"].tolist() and want["n"].sum() > 0
    pd.testing.assert_frame_equal(got.drop(columns="long_waits"), network)
    manager = access.Person(email="m@x.com", roles=frozenset({"store"}), stores=frozenset({"HZ01"}))
    access.apply_scope(con, manager)
    assert df(con, "SELECT * FROM monthly_raw").empty
    assert df(con, "SELECT * FROM monthly_waits").empty
    assert df(con, "SELECT * FROM monthly_rollup").empty
    hz_months = df(
        con,
        "SELECT DISTINCT CAST(date_trunc('month', responded_at) AS DATE) AS m FROM responses",
    )["m"]
    assert sorted(cx_overview.months(con)) == sorted(
        m.date() if hasattr(m, "date") else m for m in hz_months
    )
    have = cx_overview.monthly_inputs(con, Scope(), first, last)
    pd.testing.assert_frame_equal(have, mine)
    split = cx_overview.quantile_split(con, Scope(), last)
    assert (
        split["n"].sum()
        == df(
            con,
            "SELECT count(wait_minutes) AS n FROM responses WHERE responded_at >= ? AND store_id = ?",
            [date(2025, 9, 1), "HZ01"],
        )["n"].iloc[0]
    )
    assert not have["wait_median"].equals(network["wait_median"])


def test_an_upload_of_a_later_day_moves_the_stored_gaming_window_and_its_undo_back(
    demo_db, tmp_path
):
    with db.connect(demo_db) as con:
        before = _assert_gaming_stored(con)
        stored = qs.stored_gaming(con, *before)
    later = before[1] + timedelta(days=1)
    path = tmp_path / "later.csv"
    path.write_text(  # the first day of a new month, and one more answer in the last
        "response_id,store_id,responded_at,nps,wait_minutes,pain_point\n"
        f"LATER1,HZ01,{later} 09:00:00,10,45,unresolved\n"
        f"LATER2,SH01,{before[1]} 18:00:00,3,100000,unresolved\n",
        encoding="utf-8",
    )
    with db.connect(demo_db) as con:
        months = df(con, "SELECT * FROM monthly_raw ORDER BY month")
    res = ingest.ingest_file(path)
    assert res.added == 2
    with db.connect(demo_db) as con:
        assert _assert_gaming_stored(con) == (before[0] + timedelta(days=1), later)
        _assert_monthly_raw_fresh(con)
        assert len(df(con, "SELECT * FROM monthly_raw")) == len(months) + 1
        ingest.undo(con, res.upload_id)
        assert _assert_gaming_stored(con) == before
        pd.testing.assert_frame_equal(qs.stored_gaming(con, *before), stored)
        _assert_monthly_raw_fresh(con)
        pd.testing.assert_frame_equal(df(con, "SELECT * FROM monthly_raw ORDER BY month"), months)


def _upload(con, tmp_path: Path) -> str:
    """A file that reaches back in time for customers who answered since, replaces an
    answer with another customer's phone, and adds a new customer twice."""
    hz = df(
        con,
        "SELECT response_id, advisor, phone FROM responses WHERE store_id = 'HZ01'"
        " AND phone IS NOT NULL AND responded_at >= '2025-10-01' ORDER BY response_id LIMIT 3",
    )
    (a_id, a_adv, a_phone), (b_id, b_adv, _), (_, _, c_phone) = hz.itertuples(index=False)
    return (
        "response_id,store_id,responded_at,nps,advisor,phone\n"
        f"BACK1,HZ01,2025-08-10 09:00:00,10,{a_adv},{a_phone}\n"  # before the customer's answers
        f"{b_id},HZ01,2025-10-02 10:00:00,10,{b_adv},{c_phone}\n"  # replaced: another customer
        f"NEW1,HZ01,2025-09-05 10:00:00,10,{a_adv},13900000001\n"
        f"NEW2,HZ01,2025-09-06 10:00:00,9,{a_adv},13900000001\n"
    )


def test_an_upload_and_its_undo_keep_the_repeat_counts_exact(demo_db, tmp_path):
    with db.connect(demo_db) as con:
        text = _upload(con, tmp_path)
        before = qs.store_counts(con, *WINDOWS[0])
    path = tmp_path / "back.csv"
    path.write_text(text, encoding="utf-8")
    res = ingest.ingest_file(path)
    assert (res.added, res.replaced) == (3, 1)
    with db.connect(demo_db) as con:
        _assert_counts_equal_brute(con)
        _assert_columns_fresh(con)
        _assert_driver_moments_fresh(con)
        _assert_gaming_stored(con)
        _assert_monthly_raw_fresh(con)
        after = qs.store_counts(con, *WINDOWS[0]).set_index("store_id")
        hz = before.set_index("store_id").loc["HZ01"]
        assert after.loc["HZ01", "rep"] > hz["rep"]  # the new customer came back once, at least
        ingest.undo(con, res.upload_id)
        _assert_counts_equal_brute(con)
        _assert_columns_fresh(con)
        _assert_driver_moments_fresh(con)
        _assert_gaming_stored(con)
        _assert_monthly_raw_fresh(con)
        pd.testing.assert_frame_equal(qs.store_counts(con, *WINDOWS[0]), before)


@pytest.mark.parametrize("reach", [1.0, 0.0])
def test_an_upload_of_only_new_answers_writes_every_repeat_column_a_recount_gives(
    demo_db, tmp_path, monkeypatch, reach
):
    """An upload that only adds answers writes their repeat columns with them and moves
    the stored answers' columns it changes (cx.db.added_repeats orders each customer's
    answers from its earliest added one on; ``reach`` 1.0) or, reaching back over most of
    the history, orders them again after the insert (0.0): answers before, between and
    tied in time with a customer's answers (ids sorting either side), another advisor,
    no advisor, the same phone at another store, a new customer twice at one time, a
    customer known by customer id alone and an answer without any key. Every column must
    equal a recount."""
    monkeypatch.setattr(db, "ADDED_REPEATS_REACH", reach)
    written = []
    plain = db.added_repeats
    monkeypatch.setattr(db, "added_repeats", lambda *a: written.append(plain(*a)) or written[-1])
    with db.connect(demo_db) as con:
        phone = df(
            con,
            "SELECT phone FROM responses WHERE store_id = 'HZ01' AND phone IS NOT NULL"
            " GROUP BY phone ORDER BY count(*) DESC, phone LIMIT 1",
        )["phone"][0]
        mine = df(
            con,
            "SELECT response_id, advisor, responded_at FROM responses WHERE store_id = 'HZ01'"
            " AND phone = ? ORDER BY responded_at, response_id",
            [phone],
        )
        other = df(  # a second customer: answers added at and after an advisor's last one
            con,
            "SELECT advisor, max(responded_at) AS last_at, phone FROM responses"
            " WHERE store_id = 'HZ01' AND phone IS NOT NULL AND phone <> ?"
            " AND advisor IS NOT NULL GROUP BY phone, advisor HAVING count(*) >= 2"
            " ORDER BY phone, advisor LIMIT 1",
            [phone],
        )
    assert len(mine) >= 3
    (_, adv0, t0), (id1, _, t1), (_, adv2, t2) = mine.head(3).itertuples(index=False)
    (o_adv, o_last, o_phone) = other.iloc[0]
    between = (t0 + (t1 - t0) / 2).floor("s")

    def at(t) -> str:
        return pd.Timestamp(t).strftime("%Y-%m-%d %H:%M:%S")

    rows = [
        f"ADD-BEFORE,HZ01,{at(t0 - timedelta(days=1))},9,{adv0},{phone},",
        f"ADD-BETWEEN,HZ01,{at(between)},8,另一位顾问,{phone},",
        f"A-TIE,HZ01,{at(t2)},7,{adv2},{phone},",  # sorts before the stored id at that time
        f"Z-TIE,HZ01,{at(t2)},6,{adv2},{phone},",  # and after it
        f"ADD-LATER,HZ01,{at(mine['responded_at'].max() + timedelta(days=1))},10,,{phone},",
        f"ADD-ELSEWHERE,SH01,{at(t1)},9,{adv0},{phone},",
        "NEW-A,HZ01,2025-09-05 10:00:00,10,,13900000077,",
        "NEW-B,HZ01,2025-09-05 10:00:00,9,,13900000077,",
        "CID-1,HZ01,2025-09-06 10:00:00,9,,,CID-ONLY",
        "CID-2,HZ01,2025-09-07 10:00:00,3,,,CID-ONLY",
        "NO-KEY,HZ01,2025-09-08 10:00:00,5,,,",
        f"B-TIE,HZ01,{at(o_last)},8,{o_adv},{o_phone},",  # at its last answer, sorting first
        f"ADD-AFTER,HZ01,{at(o_last + timedelta(days=2))},9,另一位顾问,{o_phone},",
    ]
    path = tmp_path / "added.csv"
    header = "response_id,store_id,responded_at,nps,advisor,phone,customer_id\n"
    path.write_text(header + "\n".join(rows) + "\n", encoding="utf-8")
    res = ingest.ingest_file(path)
    assert (res.added, res.replaced, res.rejected) == (len(rows), 0, 0)
    assert written == [reach == 1.0]
    with db.connect(demo_db) as con:
        _assert_columns_fresh(con)
        _assert_counts_equal_brute(con)
        moved = df(con, "SELECT prev_store_at FROM responses WHERE response_id = ?", [id1])
        assert moved["prev_store_at"][0] == pd.Timestamp(between)  # a stored answer moved
        ingest.undo(con, res.upload_id)
        _assert_columns_fresh(con)


def test_a_file_written_before_schema_3_gets_its_repeats_and_driver_moments_on_open(demo_db):
    with db.connect(demo_db) as con:
        for name in [*db.REPEAT_COLUMNS, *db.REASON_COLUMNS]:
            con.execute(f"ALTER TABLE responses DROP COLUMN {name}")
        con.execute("DROP TABLE driver_rollup")
        con.execute("DROP TABLE gaming_window")
        con.execute("DROP TABLE gaming_flags")
        con.execute("DROP TABLE monthly_raw")
        con.execute("DROP TABLE monthly_waits")
        con.execute("DROP TABLE monthly_rollup")
        con.execute("DELETE FROM meta WHERE key IN ('gaming_window', 'monthly_raw')")
        con.execute("UPDATE meta SET value = '2' WHERE key = 'schema_version'")
    db._CHECKED.clear()
    with db.connect(demo_db) as con:
        assert db.schema_version(con) == db.SCHEMA_VERSION
        _assert_columns_fresh(con)
        _assert_counts_equal_brute(con)
        _assert_driver_moments_fresh(con)
        _assert_gaming_stored(con)
        _assert_monthly_raw_fresh(con)
        assert _assert_reasons_fresh(con) > 1000


def _rollup(con, table: str) -> pd.DataFrame:
    return df(con, f"SELECT * FROM {table} ORDER BY store_id, day").set_index(["store_id", "day"])


def test_an_upload_of_new_answers_adds_to_the_rollups_what_a_full_rebuild_gives(demo_db, tmp_path):
    """An upload that only adds answers (none replaced) adds their store-day sums to the
    rollups instead of summing the store-days' answers again: into days that have
    answers, a day that has none, a new store, with fractional scores and waits and
    answers the driver rollup leaves out (a touchpoint missing). The rollups must be what
    a rebuild from every answer gives."""
    rows = []
    for i in range(40):
        day = date(2025, 9, 1) + timedelta(days=i % 5)
        tps = ",".join(f"{(i + k) % 5 + 0.5}" for k in range(7)) if i % 3 else ",,,,,,"
        rows.append(f"ADD{i},HZ01,{day} 10:{i:02d}:00,{i % 11},{i % 7 + 1.25},{tps},{i * 1.5}")
    rows.append("ADD-NEWDAY,HZ01,2023-01-02 09:00:00,9,4.5,1,2,3,4,5,4,3,20")
    rows.append("ADD-NEWSTORE,ZZ99,2025-09-02 09:00:00,3,2,1,1,1,1,1,1,1,45.5")
    tp = ",".join(f"tp_{v}" for v in metrics.DRIVER_VARS if v != "nps")
    text = f"response_id,store_id,responded_at,nps,csi_advisor,{tp},wait_minutes\n"
    path = tmp_path / "added.csv"
    path.write_text(text + "\n".join(rows) + "\n", encoding="utf-8")
    res = ingest.ingest_file(path)
    assert (res.added, res.replaced, res.rejected) == (42, 0, 0)
    _assert_rollups_rebuilt(demo_db)
    # the same file again with one answer more: 42 unchanged (not added twice), one new
    rows.append("ADD-AGAIN,HZ01,2025-09-03 11:00:00,10,9,5,5,5,5,5,5,5,3")
    path.write_text(text + "\n".join(rows) + "\n", encoding="utf-8")
    res = ingest.ingest_file(path)
    assert (res.added, res.replaced, res.unchanged) == (1, 0, 42)
    _assert_rollups_rebuilt(demo_db)


def _assert_rollups_rebuilt(path) -> None:
    """Each rollup equals what a rebuild from every answer gives."""
    with db.connect(path) as con:
        for table in db.ROLLUPS:
            have = _rollup(con, table)
            con.execute("BEGIN TRANSACTION")
            db._rebuild(con, table)
            want = _rollup(con, table)
            con.execute("ROLLBACK")
            assert have.index.equals(want.index), table
            assert "ZZ99" in set(have.index.get_level_values("store_id"))  # the new store
            np.testing.assert_allclose(
                have.to_numpy(float), want.to_numpy(float), rtol=1e-12, err_msg=table
            )
        _assert_driver_moments_fresh(con)


def test_a_file_whose_rollups_have_a_key_index_keeps_its_rows_and_takes_uploads(demo_db, tmp_path):
    """Files before schema 5 declared a primary key on each rollup; opening one rebuilds
    the rollups without it, row for row, and uploads then keep them exact."""
    with db.connect(demo_db) as con:
        before = {t: _rollup(con, t) for t in db.ROLLUPS}
        for table in db.ROLLUPS:
            ddl = db._rollup_ddl(table).replace("IF NOT EXISTS ", "")
            con.execute(f"CREATE TABLE old_{table} AS SELECT * FROM {table}")
            con.execute(f"DROP TABLE {table}")
            con.execute(ddl[:-1] + ", PRIMARY KEY (store_id, day))")  # as schema 4 made it
            con.execute(f"INSERT INTO {table} SELECT * FROM old_{table}")
            con.execute(f"DROP TABLE old_{table}")
        keys = "SELECT count(*) FROM duckdb_constraints() WHERE table_name LIKE '%_rollup'"
        assert con.execute(keys).fetchall()[0][0] >= 2
        con.execute("UPDATE meta SET value = '4' WHERE key = 'schema_version'")
    db._CHECKED.clear()
    with db.connect(demo_db) as con:
        assert db.schema_version(con) == db.SCHEMA_VERSION
        for table in db.ROLLUPS:
            pd.testing.assert_frame_equal(_rollup(con, table), before[table])
    path = tmp_path / "more.csv"
    tp = ",".join(f"tp_{v}" for v in metrics.DRIVER_VARS if v != "nps")
    path.write_text(
        f"response_id,store_id,responded_at,nps,{tp}\n"
        "K1,HZ01,2025-09-01 10:00:00,3,1,2,3,4,5,4,3\nK2,ZZ99,2025-09-02 10:00:00,9,5,5,4,5,5,4,5\n",
        encoding="utf-8",
    )
    assert ingest.ingest_file(path).added == 2
    _assert_rollups_rebuilt(demo_db)


def test_the_quantile_split_from_counted_waits_is_duckdbs_to_the_last_bit():
    """Ties, fractional waits and positions that fall between two equal waits: the counts
    above the pooled median and p90 from (month, wait, n) rows are DuckDB's own."""
    import duckdb

    rng = np.random.default_rng(11)
    con = duckdb.connect()
    cases = [np.round(rng.gamma(2.0, s, n) * 4) / 4 for n, s in ((2, 3), (40, 5), (5000, 1))]
    # the p90 falls between two waits of 12.1 at position 33.3 of 38: DuckDB gives 12.1
    # (lo + (hi - lo) d), none of them above it; lo (1 - d) + hi d would be
    # 12.099999999999998, all eight above
    cases.append(np.array([1.0] * 30 + [12.1] * 8))
    for waits in cases:
        cur = rng.random(len(waits)) < 0.5
        frame = pd.DataFrame({"cur": cur, "w": waits})
        con.register("r", frame)
        want = con.execute(
            "WITH q AS (SELECT quantile_cont(w, 0.5) AS q50, quantile_cont(w, 0.9) AS q90"
            " FROM r) SELECT cur, count(*) AS n, count(*) FILTER (WHERE w > q50) AS above50,"
            " count(*) FILTER (WHERE w > q90) AS above90 FROM r, q GROUP BY cur ORDER BY cur"
        ).df()
        con.unregister("r")
        rows = list(frame.groupby(["cur", "w"]).size().reset_index().itertuples(index=False))
        have = cx_overview._split_counts([tuple(r) for r in rows], [0.5, 0.9])
        pd.testing.assert_frame_equal(have, want)


def _assert_reasons_fresh(con) -> int:
    """Every detractor's stored reason and rule are what the page's rule gives its pain
    point and comment (cx.painpoints.reason_for: the pain point unless blank, else the
    comment's first keyword rule); nobody else has one. The detractors checked."""
    raw = df(
        con,
        "SELECT response_id, nps, nullif(trim(pain_point), '') IS NULL AS blank, pain_point,"
        " comment, reason, reason_rule FROM responses",
    )
    det = raw[raw["nps"] <= rules.DETRACTOR_MAX]
    want = [
        painpoints.reason_for(None if blank else pain, comment if blank else None)
        for blank, pain, comment in det[["blank", "pain_point", "comment"]].itertuples(index=False)
    ]
    have = list(det[["reason", "reason_rule"]].itertuples(index=False, name=None))
    assert have == want
    others = raw[raw["nps"] > rules.DETRACTOR_MAX]
    assert others["reason"].isna().all() and others["reason_rule"].isna().all()
    return len(det)


def test_every_detractor_keeps_its_reason_across_an_upload_and_its_undo(demo_db, tmp_path):
    """Each detractor is given its reason when written (the segments page counts and
    lists them by it): answers added with a pain point, a comment that names a keyword,
    one whose keyword is not at a word's start, a blank comment (an ideographic space),
    an answer replaced by a promoter (it loses its reason) and a promoter replaced by a
    detractor (it gains one); the undo gives back the answers as they were."""
    with db.connect(demo_db) as con:
        n_before = _assert_reasons_fresh(con)
        det_id, pro_id = con.execute(
            "SELECT min(response_id) FILTER (WHERE nps <= 6 AND reason = 'cost'),"
            " min(response_id) FILTER (WHERE nps >= 9) FROM responses WHERE store_id = ?",
            ["HZ01"],
        ).fetchall()[0]
        reasons = dict(
            con.execute(
                "SELECT response_id, reason FROM responses WHERE response_id IN (?, ?)",
                [det_id, pro_id],
            ).fetchall()
        )
    assert reasons == {det_id: "cost", pro_id: None}
    path = tmp_path / "reasons.csv"
    path.write_text(
        "response_id,store_id,responded_at,nps,pain_point,comment\n"
        "RS1,HZ01,2025-10-20 10:00:00,3,attitude,\n"
        "RS2,HZ01,2025-10-20 10:01:00,2,,Waited two hours for nothing\n"
        "RS3,HZ01,2025-10-20 10:02:00,4,,好wait\n"
        "RS4,HZ01,2025-10-20 10:03:00,5,,\u3000\n"
        "RS5,HZ01,2025-10-20 10:04:00,10,,等了三个小时\n"
        f"{det_id},HZ01,2025-10-20 10:05:00,9,,\n"
        f"{pro_id},HZ01,2025-10-20 10:06:00,1,,收了两次费\n",
        encoding="utf-8",
    )
    res = ingest.ingest_file(path)
    assert (res.added, res.replaced) == (5, 2)
    with db.connect(demo_db) as con:
        assert _assert_reasons_fresh(con) == n_before + 4 - 1 + 1
        got = dict(
            (rid, (reason, rule))
            for rid, reason, rule in con.execute(
                "SELECT response_id, reason, reason_rule FROM responses"
                " WHERE response_id LIKE 'RS%' OR response_id IN (?, ?)",
                [det_id, pro_id],
            ).fetchall()
        )
        assert got == {
            "RS1": ("attitude", "answer"),
            "RS2": ("waiting", "wait"),
            "RS3": ("other", "unclassified"),
            "RS4": ("other", "no_comment"),
            "RS5": (None, None),
            det_id: (None, None),
            pro_id: ("cost", "费"),
        }
        ingest.undo(con, res.upload_id)
        assert _assert_reasons_fresh(con) == n_before
        assert dict(
            con.execute(
                "SELECT response_id, reason FROM responses WHERE response_id IN (?, ?)",
                [det_id, pro_id],
            ).fetchall()
        ) == {det_id: "cost", pro_id: None}


def _through_uploads_and_undos(demo_db, first_file, second_file, check) -> tuple[int, int]:
    """Upload ``first_file``, then ``second_file`` (which replaces answers), undo both in
    turn, and ``check(con)`` the database after each step; (answers the first added,
    answers the second replaced)."""
    first = ingest.ingest_file(first_file)
    with db.connect(demo_db) as con:
        check(con)
    second = ingest.ingest_file(second_file)
    with db.connect(demo_db) as con:
        check(con)
        ingest.undo(con, second.upload_id)
        check(con)
        ingest.undo(con, first.upload_id)
        check(con)
    return first.added, second.replaced


def _store_managers_connection(demo_db):
    """A connection limited to HZ01's manager (cx.access), to close after use."""
    with db.connect(demo_db) as con:
        access.grant(con, "sm@example.com", "store", ["HZ01"])
        person = access.resolve(con, "sm@example.com")
    return access.apply_scope(db.open_connection(demo_db), person)


SPLIT_PERIODS = [
    Scope(start=date(2025, 8, 3), end=date(2025, 10, 31)),
    Scope(start=date(2025, 5, 5), end=date(2025, 8, 2)),
    Scope(start=date(2025, 10, 20), end=date(2025, 10, 20)),
    Scope(),
]


def _assert_splits_fresh(con) -> None:
    """The network's kept splits and histogram equal the counts of the answers, for every
    kept breakdown and several periods (columns, types and order included)."""
    from cx.queries import segments as seg_q

    for flt in SPLIT_PERIODS:
        for dim in seg_q.KEPT_DIMS:
            kept = seg_q._kept_counts(con, flt, dim, "grp, NULL AS name, ")
            assert kept is not None and len(kept) > 1
            pd.testing.assert_frame_equal(kept, seg_q.split_counts(con, flt, dim, kept=False))
        pd.testing.assert_frame_equal(
            seg_q.histogram(con, flt), seg_q.histogram(con, flt, kept=False)
        )


def test_the_networks_kept_splits_follow_uploads_replacements_and_undos(demo_db, tmp_path):
    """``daily_splits`` (the segments page of the whole network) equals the answers after
    the demo's build, an upload of new answers (added to the kept counts), an upload that
    replaces answers (their days counted again) and both undos; a reader limited to some
    stores sees none of it and gets their own answers' counts."""
    from cx.queries import segments as seg_q

    with db.connect(demo_db) as con:
        _assert_splits_fresh(con)
        ids = [
            r[0]
            for r in con.execute(
                "SELECT response_id FROM responses WHERE store_id = 'HZ01'"
                " AND responded_at >= '2025-10-01' ORDER BY response_id LIMIT 2"
            ).fetchall()
        ]
    added = tmp_path / "added.csv"
    added.write_text(
        "response_id,store_id,responded_at,nps,service_type,channel\n"
        "SP1,HZ01,2025-10-20 10:00:00,10,maintenance,wechat\n"
        "SP2,SH01,2025-10-20 11:00:00,3,,\n"
        "SP3,HZ01,2025-08-03 09:00:00,7,repair,app\n",
        encoding="utf-8",
    )
    replaced = tmp_path / "replaced.csv"
    replaced.write_text(
        "response_id,store_id,responded_at,nps,service_type\n"
        f"{ids[0]},HZ01,2025-06-01 10:00:00,0,repair\n"
        f"{ids[1]},HZ01,2025-10-20 12:00:00,10,\n",
        encoding="utf-8",
    )
    assert _through_uploads_and_undos(demo_db, added, replaced, _assert_splits_fresh) == (3, 2)
    mine = _store_managers_connection(demo_db)
    try:
        assert mine.execute("SELECT count(*) FROM daily_splits").fetchall()[0][0] == 0
        for flt in SPLIT_PERIODS[:1]:
            got = seg_q.split_counts(mine, flt, "service_type")
            with db.connect(demo_db) as con:
                own = seg_q.split_counts(
                    con, Scope(stores=("HZ01",), start=flt.start, end=flt.end), "service_type"
                )
            pd.testing.assert_frame_equal(got, own)
    finally:
        db.close(mine)


def _assert_kept(con) -> None:
    """The frames of the network's default views are kept, equal to the rollups' (frames,
    types, order): the heatmap's sums (this window and the one before) and key drivers
    (importance and its bootstrap interval) over the dates the page opens on and the weeks
    of the store its weekly view opens on, the board's per-store counts on the latest day;
    other dates and stores are not kept."""
    from cx import report
    from cx.queries import board as board_q
    from cx.queries import heatmap as heat_q

    first, last = con.execute("SELECT min(day), max(day) FROM daily_rollup").fetchall()[0]
    start, end = rules.default_period(first, last)
    flt = Scope(start=start, end=end)
    prev = Scope(*((),) * 2, *rules.previous_window(start, end))
    live_sums = heat_q.store_sums_pair(con, flt, prev, kept=False)
    for part, live in (
        ("sums", live_sums[0]),
        ("prev_sums", live_sums[1]),
        ("drivers", heat_q.drivers(con, flt, kept=False)),
    ):
        kept = heat_q._kept(con, part, flt)
        assert kept is not None and len(kept) >= len(TP_KEYS), part
        pd.testing.assert_frame_equal(kept, live)
    assert heat_q.drivers(con, flt)["importance"].notna().all()
    got = heat_q.store_sums_pair(con, flt, prev)
    pd.testing.assert_frame_equal(got[0], live_sums[0])
    assert heat_q._kept(con, "sums", Scope(start=start + timedelta(days=1), end=end)) is None
    # the weeks of the store the weekly view opens on (the first of the stores' sums)
    weeks = Scope(start=heat_q.weekly_start(start, end), end=end)
    store = live_sums[0]["store_id"].iloc[0]
    live = heat_q.store_weeks(con, weeks, store, kept=False)
    kept = kept_q.get(con, "heatmap:weeks", (weeks.start, weeks.end, store), heat_q._sig())
    assert kept is not None and len(kept) >= 12
    pd.testing.assert_frame_equal(kept, live)
    pd.testing.assert_frame_equal(heat_q.store_weeks(con, weeks, store), live)
    other = live_sums[0]["store_id"].iloc[1]
    assert kept_q.get(con, "heatmap:weeks", (weeks.start, weeks.end, other), heat_q._sig()) is None
    day = board_q.latest_day(con, Scope())
    ranges = report.store_ranges(day)
    live = board_q.store_counts(con, Scope(), ranges, kept=False)
    kept = kept_q.get(con, "board:store_counts", ranges, board_q._store_counts_sig())
    assert kept is not None and len(kept) > 10
    pd.testing.assert_frame_equal(kept, live)
    pd.testing.assert_frame_equal(board_q.store_counts(con, Scope(), ranges), live)
    other = report.store_ranges(day - timedelta(days=1))
    assert kept_q.get(con, "board:store_counts", other, board_q._store_counts_sig()) is None
    # its drop alerts and its ranking, each store beside its own target
    month = rules.month_start(day)
    drops = report.drop_alerts(live)
    ranked = report.ranking(live, targets=board_q.store_targets(con, Scope(), month))
    pd.testing.assert_frame_equal(
        kept_q.get(con, "board:drops", ranges, board_q._drops_sig()), drops
    )
    pd.testing.assert_frame_equal(
        kept_q.get(con, "board:ranked", (month, *ranges), board_q._ranked_sig()), ranked
    )
    pd.testing.assert_frame_equal(board_q.store_drops(con, Scope(), ranges, live), drops)
    pd.testing.assert_frame_equal(board_q.store_ranking(con, Scope(), month, ranges, live), ranked)
    # the overview's stores with answers in each month and the network's NPS target of
    # the board's two months, as the overview reads them (no end: none after the day)
    from cx import targets as targets_mod
    from cx.queries import cx_overview as ov_q

    kept_targets = board_q.kept_targets(con, last)
    assert kept_q.get(con, "overview:stores", (), ov_q._stores_sig()) is not None
    for mo in {rules.previous_month(month), month, rules.month_start(first)}:
        before = rules.previous_month(mo)
        live = ov_q.stores_with_answers(con, Scope(), mo, before, kept=False)
        assert live[0] > 0 and ov_q.stores_with_answers(con, Scope(), mo, before) == live
        if mo in kept_targets:
            assert kept_targets[mo] == targets_mod.resolve_nps_target(con, Scope(), mo)
            assert ov_q.nps_target_source(con, Scope(), mo, last) == (
                ov_q.nps_target_source(con, Scope(), mo)
            )
    assert set(kept_targets) == {rules.previous_month(month), month}
    # the quadrant's quarter and month to the latest day, with the period before each
    from cx.queries import quadrant as quad_q
    from cx.queries import segments as seg_q

    for kind in ("quarter", "month"):
        cur = Scope(*((),) * 2, *rules.current_window(last, kind))
        before = Scope(*((),) * 2, *rules.previous_period(last, kind))
        live = quad_q.store_sums_pair(con, cur, before, kept=False)
        args = (cur.start, cur.end, before.start, before.end)
        for part, frame in (("sums", live[0]), ("prev_sums", live[1])):
            kept = kept_q.get(con, f"quadrant:{part}", args, quad_q._sig())
            assert kept is not None and len(kept) >= 1  # after the later upload: one store
            pd.testing.assert_frame_equal(kept, frame)
        pd.testing.assert_frame_equal(quad_q.store_sums_pair(con, cur, before)[1], live[1])
    # the segments page's detractors by reason over the dates it opens on
    live = seg_q.detractor_counts(con, flt, kept=False)
    kept = kept_q.get(con, "segments:detractor_counts", (start, end), seg_q._sig())
    assert kept is not None and len(kept) > 3
    pd.testing.assert_frame_equal(kept, live)
    pd.testing.assert_frame_equal(seg_q.detractor_counts(con, flt), live)


def test_the_network_boards_frames_read_together_are_the_frames_read_one_by_one(con, monkeypatch):
    """The network's board reads its kept frames in one query (cx.queries.kept.together):
    each is the frame read alone, a frame kept for other arguments or by other code is
    none, another connection reads the file as before; the board's view is the one its
    queries give one by one."""
    import json
    from datetime import datetime

    from cx.queries import board as board_q
    from cx.views import board as board_v

    kept = con.execute("SELECT name, args, sig FROM kept_frames").fetchall()
    names = set(board_q.NETWORK_BOARD_FRAMES)
    assert names <= {n for n, _a, _s in kept}
    alone = {(n, a, s): kept_q.get(con, n, tuple(json.loads(a)), s) for n, a, s in kept}
    # another connection to the same file: a store manager's, who sees no kept frame
    other = con.cursor()
    other.execute(f'USE "{con.execute("SELECT current_database()").fetchall()[0][0]}"')
    manager = access.Person(email="m@x.com", roles=frozenset({"store"}), stores=frozenset({"HZ01"}))
    access.apply_scope(other, manager)
    with kept_q.together(con, names):
        for (n, a, s), want in alone.items():
            pd.testing.assert_frame_equal(kept_q.get(con, n, tuple(json.loads(a)), s), want)
            assert kept_q.get(other, n, tuple(json.loads(a)), s) is None
        n, a, s = next(k for k in alone if k[0] in names)
        assert kept_q.get(con, n, ("1999-01-01",), s) is None
        assert kept_q.get(con, n, tuple(json.loads(a)), "another-code") is None
    day = board_q.latest_day(con, Scope())
    clock = datetime.combine(day, datetime.min.time()).replace(hour=20)
    together = board_v.view(con, Scope(), day, clock)
    with monkeypatch.context() as patch:  # its frames one by one
        patch.setattr(board_q, "NETWORK_BOARD_FRAMES", ())
        alone_view = board_v.view(con, Scope(), day, clock)
    for part in ("drops", "ranked"):
        pd.testing.assert_frame_equal(getattr(together, part), getattr(alone_view, part))
    assert together.tgt == alone_view.tgt and together.kpis == alone_view.kpis
    # without its kept frames, the same drops and ranking from the stores' counts
    con.execute("BEGIN")
    try:
        con.execute("DELETE FROM kept_frames WHERE name IN ('board:drops', 'board:ranked')")
        counted = board_v.view(con, Scope(), day, clock)
    finally:
        con.execute("ROLLBACK")
    pd.testing.assert_frame_equal(counted.drops, together.drops)
    pd.testing.assert_frame_equal(counted.ranked, together.ranked)
    assert len(counted.ranked) > 10


def test_the_networks_default_views_follow_uploads_and_undos(demo_db, tmp_path):
    """The heatmap and the board of the whole network on the dates they open on read
    frames every write keeps: equal to the rollups' after the demo's build, an upload of
    a later day (the dates move), one that replaces answers inside them, both undos and
    a file written before schema 15; a store manager sees none of them."""
    with db.connect(demo_db) as con:
        _assert_kept(con)
        rid = con.execute(
            "SELECT min(response_id) FROM responses WHERE store_id = 'HZ01'"
            " AND responded_at >= '2025-10-01' AND tp_waiting IS NOT NULL"
        ).fetchall()[0][0]
    later = tmp_path / "later.csv"
    later.write_text(
        "response_id,store_id,responded_at,nps,tp_appointment,tp_reception,tp_advisor,"
        "tp_waiting,tp_repair_quality,tp_delivery,tp_follow_up\n"
        "HW1,HZ01,2025-11-01 10:00:00,9,9,8,9,7,8,9,8\n",
        encoding="utf-8",
    )
    replaced = tmp_path / "replaced.csv"
    replaced.write_text(
        f"response_id,store_id,responded_at,nps,tp_waiting\n{rid},HZ01,2025-10-02 10:00:00,2,1\n",
        encoding="utf-8",
    )
    assert _through_uploads_and_undos(demo_db, later, replaced, _assert_kept) == (1, 1)
    mine = _store_managers_connection(demo_db)
    try:
        assert mine.execute("SELECT count(*) FROM kept_frames").fetchall()[0][0] == 0
    finally:
        db.close(mine)
    with db.connect(demo_db) as con:
        con.execute("DROP TABLE kept_frames")
        con.execute("UPDATE meta SET value = '14' WHERE key = 'schema_version'")
    db._CHECKED.clear()
    with db.connect(demo_db) as con:
        assert db.schema_version(con) == db.SCHEMA_VERSION
        _assert_kept(con)
