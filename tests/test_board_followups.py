"""cx.followups: deadlines, the queue's clock, writes with the audit log."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import duckdb
import pandas as pd
import pytest

from cx import db, followups
from cx.frames import map_distinct
from cx.queries import board as q
from cx.scope import Scope


def test_deadline_rules():
    t0 = datetime(2025, 10, 1, 10, 0)
    assert followups.deadline(t0, 0) == t0 + timedelta(hours=24)
    assert followups.deadline(t0, 6) == t0 + timedelta(hours=24)
    assert followups.deadline(t0, 7) == t0 + timedelta(days=3)
    assert followups.deadline(t0, 8) == t0 + timedelta(days=3)
    assert followups.deadline(t0, 9) == t0 + timedelta(days=7)
    assert followups.deadline(t0, 10) == t0 + timedelta(days=7)


def test_queue_now_uses_real_time_for_fresh_data():
    real = datetime(2025, 11, 1, 9, 30, 17)
    now, stale = followups.queue_now(datetime(2025, 11, 1, 8, 0), real)
    assert (now, stale) == (datetime(2025, 11, 1, 9, 30), False)
    # exactly 2 days old is still fresh
    now, stale = followups.queue_now(datetime(2025, 10, 30, 9, 30), real)
    assert not stale


def test_queue_now_uses_end_of_latest_day_for_stale_data():
    real = datetime(2026, 3, 5, 12, 0)
    now, stale = followups.queue_now(datetime(2025, 10, 31, 22, 16), real)
    assert (now, stale) == (datetime(2025, 10, 31, 23, 59, 59), True)
    now, stale = followups.queue_now(datetime(2026, 3, 3, 11, 59), real)
    assert stale and now == datetime(2026, 3, 3, 23, 59, 59)


def test_the_latest_day_with_answers_is_worked_as_of_now():
    """The scope's latest day is read as of now at any later clock (its queue is the one
    to work); a day before it is read as of its end."""
    morning = datetime(2025, 11, 1, 8, 30)
    latest = date(2025, 10, 31)
    assert followups.as_of(latest, morning, latest) == morning
    assert followups.board_clock(latest, morning, latest) == morning
    earlier = date(2025, 10, 30)
    assert followups.as_of(earlier, morning, latest) == datetime(2025, 10, 30, 23, 59, 59)
    assert followups.board_clock(earlier, morning, latest) == datetime(2025, 10, 31)
    # a store whose answers stopped weeks ago is looked back at (as of now, its queue's
    # 14 days would end today: empty beside that day's figures)
    weeks_ago = date(2025, 9, 20)
    assert followups.as_of(weeks_ago, morning, weeks_ago) == datetime(2025, 9, 20, 23, 59, 59)
    assert followups.board_clock(weeks_ago, morning, weeks_ago) == datetime(2025, 9, 21)
    three_days = date(2025, 10, 29)  # a small store's quiet weekend: still worked now
    assert followups.as_of(three_days, morning, three_days) == morning


def test_a_past_days_board_reads_the_same_at_any_later_clock(con):
    """The board of a day that has ended is keyed on the moment after it, whatever the
    clock: the same view as at the real clock, cached once for the day (a minute's
    clock made the network's board read the follow-up log again each minute)."""
    from cx.views import board as board_view

    day = date(2025, 10, 15)
    later = [datetime(2025, 10, 16, 8, 30), datetime(2025, 10, 20, 14, 7)]
    assert {followups.board_clock(day, c) for c in later} == {datetime(2025, 10, 16)}
    today = datetime(2025, 10, 15, 9, 41)  # the day still running: its own minute
    assert followups.board_clock(day, today) == today
    for tab in ("board", "callbacks"):
        real = board_view.view(con, Scope(), day, later[0], tab=tab)
        keyed = board_view.view(con, Scope(), day, followups.board_clock(day, later[0]), tab=tab)
        assert (
            (real.now, real.past)
            == (keyed.now, keyed.past)
            == (
                datetime(2025, 10, 15, 23, 59, 59),
                True,
            )
        )
        pd.testing.assert_frame_equal(real.overdue, keyed.overdue)
        assert real.due == keyed.due and real.day_kpis == keyed.day_kpis
        if tab == "callbacks":
            pd.testing.assert_frame_equal(real.queue, keyed.queue)
            assert real.queue_size == keyed.queue_size and len(real.queue) > 0


def test_queue_now_without_answers_is_real_time():
    real = datetime(2026, 3, 5, 12, 0)
    assert followups.queue_now(None, real) == (real, False)


def test_demo_clock_is_the_demo_now(con):
    now, stale = followups.queue_now(q.latest_answer(con))
    assert stale  # the demo ends 2025-10-31
    assert now == datetime(2025, 10, 31, 23, 59, 59)


def _open_detractor(con) -> str:
    return con.execute(
        "SELECT r.response_id FROM responses r LEFT JOIN followups f USING (response_id)"
        " WHERE r.nps <= 6 AND f.response_id IS NULL AND r.store_id = 'HZ01'"
        " ORDER BY r.responded_at DESC LIMIT 1"
    ).fetchall()[0][0]


def test_set_followup_writes_state_log_and_version(con):
    rid = _open_detractor(con)
    assert followups.current(con, rid)["status"] == "open"
    v0 = db.data_version(con)
    followups.set_followup(con, rid, "contacted", owner="王经理", note="约了回店", user="mgr")
    assert db.data_version(con) == v0 + 1
    state = followups.current(con, rid)
    assert (state["status"], state["owner"], state["note"], state["updated_by"]) == (
        "contacted",
        "王经理",
        "约了回店",
        "mgr",
    )
    followups.set_followup(con, rid, "resolved", owner="王经理", root_cause="waiting")
    assert db.data_version(con) == v0 + 2
    hist = followups.history(con, rid)
    assert hist["status"].tolist() == ["contacted", "resolved"]
    assert hist["changed_by"].tolist() == ["mgr", "tester"]  # CX_USER from conftest
    assert hist["root_cause"].tolist()[-1] == "waiting"
    # resolved answers leave the queue
    queue = q.callback_queue(con, Scope.from_key("HZ01"), datetime(2025, 10, 31, 23, 59, 59))
    assert rid not in set(queue["response_id"])


@pytest.mark.parametrize(
    ("status", "root", "rid"),
    [
        ("done", None, None),  # unknown status
        ("resolved", None, None),  # resolving needs a root cause
        ("resolved", "bad", None),  # unknown root cause
        ("contacted", None, "NOPE"),  # unknown response
    ],
)
def test_set_followup_rejects_bad_input_and_changes_nothing(con, status, root, rid):
    rid = rid or _open_detractor(con)
    v0 = db.data_version(con)
    n0 = con.execute("SELECT count(*) FROM followup_log").fetchall()[0][0]
    with pytest.raises(ValueError):
        followups.set_followup(con, rid, status, root_cause=root)
    assert db.data_version(con) == v0
    assert con.execute("SELECT count(*) FROM followup_log").fetchall()[0][0] == n0


def test_time_left_text():
    assert followups.time_left_text(5.5, "en") == "5 h left"
    assert followups.time_left_text(-26.2, "en") == "overdue 1 d 2 h"
    assert followups.time_left_text(50, "zh") == "剩 2 天 2 小时"


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_whole_queues_deadline_texts_are_each_rows_own(lang):
    """The export makes each deadline text once (a national queue has 300,000 rows); every
    row must still read what its own hours and status say, on both sides of the deadline
    and at the whole-hour edges."""
    hours = [5.5, 5.0, 4.99, 0.0, -0.0, -0.2, -0.99, -1.0, -26.2, 50.0, 1e4, -1e4, 5.5, 3.0]
    status = ["open"] * 12 + ["contacted", "closed"]
    frame = pd.DataFrame({"hours_left": hours, "status": status})
    got = followups.due_texts(frame["hours_left"], frame["status"], lang)
    want = [followups.due_text(h, s, lang) for h, s in zip(hours, status, strict=True)]
    assert list(got) == want
    assert want[-2:] == ["—", "—"] and want[5] != want[3]  # overdue 0 h is not 0 h left


def test_a_column_mapped_once_per_value_equals_a_row_by_row_map():
    calls = []

    def shown(value):
        calls.append(value)
        return f"<{value}>"

    column = pd.Series(["a", None, "b", "a", float("nan"), "b", "=1+1", None], dtype=object)
    got = map_distinct(column, shown)
    assert got.tolist() == column.map(lambda v: f"<{v}>").tolist()
    assert len(calls) == 5  # a, b, =1+1, None, NaN: once each
    text = pd.Series(["x", pd.NA, "y", "x"], dtype="string")
    assert map_distinct(text, shown).tolist() == ["<x>", "<<NA>>", "<y>", "<x>"]


def test_display_queue_masks_phones(con):
    queue = q.callback_queue(con, Scope.from_key("HZ01"), datetime(2025, 10, 31, 23, 59, 59))
    shown = followups.display_queue(queue, "en")
    phones = shown["Phone"].dropna()
    assert len(phones) and phones.str.contains(r"\*\*\*\*").all()
    raw = set(queue["phone"].dropna())
    assert not raw & set(phones)


def _answered_at_true(con) -> int:
    """How many follow-ups carry their answer's time, store and score (failing when any
    does not)."""
    off = con.execute(
        "SELECT count(*) FROM followups f JOIN responses r USING (response_id)"
        " WHERE f.answered_at IS DISTINCT FROM r.responded_at"
        " OR f.store_id IS DISTINCT FROM r.store_id OR f.nps IS DISTINCT FROM r.nps"
    ).fetchall()[0][0]
    assert off == 0, f"{off} follow-ups disagree with their answer's time, store or score"
    return con.execute("SELECT count(*) FROM followups").fetchall()[0][0]


def _assert_counts_are_the_listed_queues(con, now: datetime) -> None:
    """The queue's counts per store (the window's answers less the callbacks made, from
    the follow-ups alone) are those of the listed queue, for the network, a region and a
    store, now and as the queue stood a day earlier (from the follow-up log)."""
    for scope in (Scope(), Scope.of_region("华东"), Scope.of_store("HZ01")):
        for at, past in ((now, False), (now - timedelta(days=1), True)):
            queue = q.callback_queue(con, scope, at, past=past)
            hours = (queue["deadline"] - at).dt.total_seconds() / 3600
            is_open = queue["status"] == "open"
            listed = queue.assign(
                open=is_open,
                overdue=queue["overdue"] & (queue["segment"] == "detractor"),
                overdue_all=queue["overdue"],
                due_today=is_open & (hours >= 0) & (hours < 24),
            )
            cols = ["open", "overdue", "overdue_all", "due_today"]
            want = listed.groupby("store_id")[cols].sum().astype("int64").reset_index()
            have = q.queue_counts(con, scope, at, past=past)
            pd.testing.assert_frame_equal(have, want)
            assert want["open"].sum() > 0


def test_a_network_queue_keeps_a_callback_made_when_its_answer_moves_into_its_days(
    demo_db, tmp_path, monkeypatch
):
    """A network's queue reads the follow-ups of its days by their answer's time (at ten
    million answers; here from 100 answers on). An upload that corrects an answer's time
    into the queue's days, and its undo, must keep the callback already made on it (not
    show it open again)."""
    from cx import access, ingest

    monkeypatch.setattr(q, "LOOKUP_MAX", 100)
    now = datetime(2025, 10, 31, 23, 59, 59)
    with db.connect(demo_db) as con:
        assert _answered_at_true(con) > 1000
        rid, store = con.execute(
            "SELECT f.response_id, r.store_id FROM followups f JOIN responses r"
            " USING (response_id) WHERE f.status = 'contacted' AND r.nps <= 6"
            " AND r.responded_at < '2025-10-01' ORDER BY f.response_id LIMIT 1"
        ).fetchall()[0]
        in_days = con.execute(  # more than a lookup by key: the follow-ups of its days
            "SELECT count(*) FROM responses WHERE responded_at > ? AND responded_at <= ?",
            [now - timedelta(days=followups.QUEUE_WINDOW_DAYS), now],
        ).fetchall()[0][0]
        assert in_days > q.LOOKUP_MAX
        assert rid not in set(q.callback_queue(con, Scope(), now)["response_id"])
    moved_to = "SH01" if store != "SH01" else "HZ01"  # corrected: another store, too
    with db.connect(demo_db) as con:  # the same customer: a correction, not another answer
        phone, customer = con.execute(
            "SELECT phone, customer_id FROM responses WHERE response_id = ?", [rid]
        ).fetchall()[0]
    path = tmp_path / "moved.csv"
    path.write_text(
        "response_id,store_id,responded_at,nps,phone,customer_id\n"
        f"{rid},{moved_to},2025-10-30 09:00:00,3,{phone or ''},{customer or ''}\n",
        encoding="utf-8",
    )
    res = ingest.ingest_file(path)
    assert res.replaced == 1
    with db.connect(demo_db) as con:
        _answered_at_true(con)
        queue = q.callback_queue(con, Scope(), now).set_index("response_id")
        assert queue.loc[rid, "status"] == "contacted"
        store = moved_to
    with db.connect(demo_db) as mine:  # the manager of the store it moved to sees the call
        manager = access.Person(email="m@x.com", roles=frozenset({"store"}), stores={store})
        access.apply_scope(mine, manager)
        theirs = q.callback_queue(mine, Scope(), now).set_index("response_id")
        assert theirs.loc[rid, "status"] == "contacted"
        assert set(mine.execute("SELECT DISTINCT store_id FROM followups").fetchall()) == {(store,)}
    with db.connect(demo_db) as con:
        counts = q.queue_counts(con, Scope(), now).set_index("store_id")
        listed = queue[queue["status"] == "open"].groupby("store_id").size()
        assert counts["open"].sum() == len(queue[queue["status"] == "open"])
        assert counts.loc[store, "open"] == listed.get(store, 0)
        _assert_counts_are_the_listed_queues(con, now)
        ingest.undo(con, res.upload_id)
        _answered_at_true(con)
        _assert_counts_are_the_listed_queues(con, now)
        assert rid not in set(q.callback_queue(con, Scope(), now)["response_id"])
        other = q.callback_queue(con, Scope(), now)["response_id"].iloc[0]
        followups.set_followup(con, other, "contacted", user="t")
        _answered_at_true(con)
        again = q.callback_queue(con, Scope(), now).set_index("response_id")
        assert again.loc[other, "status"] == "contacted"


def test_a_file_before_schema_7_gets_each_follow_ups_answer_time_and_store(demo_db):
    with db.connect(demo_db) as con:
        before = con.execute(f"SELECT {', '.join(db.FOLLOWUP_COLUMNS)} FROM followups").df()
        con.execute("ALTER TABLE followups DROP COLUMN answered_at")
        con.execute("ALTER TABLE followups DROP COLUMN store_id")
        con.execute("ALTER TABLE followups DROP COLUMN nps")
        con.execute("UPDATE meta SET value = '6' WHERE key = 'schema_version'")
    db.forget_checks()
    with db.connect(demo_db) as con:
        assert db.schema_version(con) == db.SCHEMA_VERSION
        assert _answered_at_true(con) > 1000
        after = con.execute(f"SELECT {', '.join(db.FOLLOWUP_COLUMNS)} FROM followups").df()
        key = list(db.FOLLOWUP_COLUMNS)
        pd.testing.assert_frame_equal(
            after.sort_values(key).reset_index(drop=True),
            before.sort_values(key).reset_index(drop=True),
        )
        with pytest.raises(duckdb.ConstraintException):  # still keyed by the answer
            con.execute(
                "INSERT INTO followups (response_id) SELECT response_id FROM followups LIMIT 1"
            )


def test_a_file_before_schema_16_gets_each_follow_ups_first_change(demo_db):
    """Schema 16 gives every follow-up the time of its first logged change, and a change
    made afterwards keeps it (the look back at a past day reads the log from there)."""
    with db.connect(demo_db) as con:
        rid = con.execute("SELECT response_id FROM followups LIMIT 1").fetchall()[0][0]
        followups.set_followup(con, rid, "contacted", user="t", at=datetime(2025, 11, 2, 9))
        con.execute("ALTER TABLE followups DROP COLUMN first_at")
        con.execute("UPDATE meta SET value = '15' WHERE key = 'schema_version'")
    db.forget_checks()
    with db.connect(demo_db) as con:
        assert db.schema_version(con) == db.SCHEMA_VERSION
        wrong = con.execute(
            "SELECT count(*), count(*) FILTER (WHERE f.first_at IS DISTINCT FROM l.first)"
            " FROM followups f JOIN (SELECT response_id, min(changed_at) AS first"
            " FROM followup_log GROUP BY 1) l USING (response_id)"
        ).fetchall()[0]
        assert wrong[0] > 1000 and wrong[1] == 0
        first = con.execute("SELECT first_at FROM followups WHERE response_id = ?", [rid])
        first = first.fetchall()[0][0]
        assert first < datetime(2025, 11, 2, 9)  # the demo's own change came first
        followups.set_followup(con, rid, "resolved", root_cause="waiting", user="t")
        again = con.execute("SELECT first_at FROM followups WHERE response_id = ?", [rid])
        assert again.fetchall()[0][0] == first


@pytest.mark.parametrize(("zone", "hours"), [("Asia/Shanghai", 8), ("America/New_York", -5)])
def test_the_queues_clock_is_the_stores_not_the_servers(monkeypatch, zone, hours):
    """A server on UTC (a container, a cloud machine) read its own clock against answers
    in the stores' local time: every deadline was off by the difference. The clock is
    now the stores' zone (CX_TIMEZONE), whatever the server's. (December: no DST.)"""

    monkeypatch.setenv("CX_TIMEZONE", zone)
    utc = datetime.now(UTC).replace(tzinfo=None)
    now, stale = followups.queue_now(None)
    offset = (now - utc).total_seconds() / 3600
    assert abs(offset - hours) < 0.1 or abs(offset - hours - 1) < 0.1, offset  # DST aside
    assert not stale


def _followup_and_log(con, rid: str) -> tuple[list, list]:
    state = con.execute(
        f"SELECT {db.FOLLOWUP_ALL} FROM followups WHERE response_id = ?",
        [rid],
    ).fetchall()
    log = con.execute(
        f"SELECT {db.FOLLOWUP_LOG_ALL} FROM followup_log WHERE response_id = ?"
        " ORDER BY changed_at, rowid",
        [rid],
    ).fetchall()
    return state, log


def test_another_customers_answer_under_a_called_answers_id_starts_open_and_undo_restores(
    demo_db, tmp_path
):
    """A survey tool's row number taken as the id: this week's answer of another store's
    customer replaces a called-back answer. The callback was made on the old customer: the
    new answer is open on its store's board, with none of the other store's owner, note or
    log; a callback made on it since goes with it on the upload's undo, which brings the
    old callback and its log back as they were."""
    from cx import access, ingest

    now = datetime(2025, 10, 31, 23, 59, 59)
    with db.connect(demo_db) as con:
        rid, old_store, phone = con.execute(
            "SELECT f.response_id, r.store_id, r.phone FROM followups f JOIN responses r"
            " USING (response_id) WHERE f.status = 'contacted' AND f.owner IS NOT NULL"
            " AND f.note IS NOT NULL AND r.phone IS NOT NULL AND r.store_id <> 'HZ01'"
            " ORDER BY f.response_id LIMIT 1"
        ).fetchall()[0]
        before = _followup_and_log(con, rid)
        assert before[0] and before[1]
        others = con.execute("SELECT count(*) FROM followup_log").fetchall()[0][0]
    path = tmp_path / "week.csv"
    path.write_text(  # another customer (another phone) of HZ01, the same id
        "response_id,store_id,responded_at,nps,phone,comment\n"
        f"{rid},HZ01,2025-10-30 09:00:00,2,13900000000,等太久\n",
        encoding="utf-8",
    )
    res = ingest.ingest_file(path)
    assert res.replaced == 1
    with db.connect(demo_db) as mine:  # HZ01's manager
        manager = access.Person(email="m@x.com", roles=frozenset({"store"}), stores={"HZ01"})
        access.apply_scope(mine, manager)
        row = q.callback_queue(mine, Scope(), now).set_index("response_id").loc[rid]
        assert row["status"] == "open"
        assert pd.isna(row["owner"]) and pd.isna(row["note"])
        assert followups.history(mine, rid).empty
    with db.connect(demo_db) as con:
        assert _followup_and_log(con, rid) == ([], [])
        followups.set_followup(con, rid, "contacted", "王店长", "已致电", user="m@x.com")
        assert (
            con.execute("SELECT count(*) FROM followup_log").fetchall()[0][0]
            == others - len(before[1]) + 1
        )
        admin = access.Person(email="a@x.com", roles=frozenset({"admin"}), stores=None)
        out = access.perform(con, admin, ingest.undo, res.upload_id)
        assert out["callbacks"] == 1 and out["restored"] == 1
        assert _followup_and_log(con, rid) == before  # the old customer's, as it was
        assert con.execute("SELECT count(*) FROM followup_log").fetchall()[0][0] == others
        assert con.execute(
            "SELECT store_id, phone FROM responses WHERE response_id = ?", [rid]
        ).fetchall() == [(old_store, phone)]
        queue = q.callback_queue(con, Scope(), now).set_index("response_id")
        if rid in queue.index:
            assert queue.loc[rid, "status"] == "contacted"
        shown = access.audit_shown(access.audit_log(con), "en")
        line = shown[shown["action"] == "upload undone"]["detail"].iloc[0]
        assert line.endswith("; 1 callback made since on the answers it had moved went with them")
        for table in ("followup_backup", "followup_log_backup"):
            assert con.execute(f"SELECT count(*) FROM {table}").fetchall()[0][0] == 0


def test_a_corrected_answer_of_the_same_customer_keeps_its_callback_in_its_store(demo_db, tmp_path):
    """A corrected score of the same customer in the same store is the same answer: its
    callback stays, and its undo changes no callback."""
    from cx import ingest

    with db.connect(demo_db) as con:
        rid, store, at = con.execute(
            "SELECT f.response_id, r.store_id, r.responded_at FROM followups f"
            " JOIN responses r USING (response_id) WHERE f.status = 'contacted'"
            " ORDER BY f.response_id LIMIT 1"
        ).fetchall()[0]
        before = _followup_and_log(con, rid)
    path = tmp_path / "fix.csv"
    path.write_text(
        f"response_id,store_id,responded_at,nps\n{rid},{store},{at},4\n", encoding="utf-8"
    )
    res = ingest.ingest_file(path)
    assert res.replaced == 1
    with db.connect(demo_db) as con:
        state, log = _followup_and_log(con, rid)
        assert log == before[1] and state[0][:7] == before[0][0][:7]
        assert ingest.undo(con, res.upload_id)["callbacks"] == 0
        assert _followup_and_log(con, rid) == before


def test_an_undone_answers_callback_leaves_the_counts_and_comes_back_with_it(empty_db, tmp_path):
    """Callbacks made on an upload's detractors, the upload undone, another export of the
    same days loaded: the digest counted one overdue callback fewer for each callback made
    on the undone answers (the counts subtract closed follow-ups by their answer's day and
    store, and the undone answers' follow-ups stayed). They leave the counts; loaded again,
    the same answers find their callbacks."""
    from cx import ingest

    now = datetime(2025, 11, 7, 12, 0)
    rows = "".join(f"A{i},S1,2025-11-0{1 + i % 5} 09:00,2\n" for i in range(6))
    first = tmp_path / "a.csv"
    first.write_text("response_id,store_id,responded_at,nps\n" + rows, encoding="utf-8")
    res = ingest.ingest_file(first)
    with db.connect(empty_db) as con:
        followups.set_followup(con, "A0", "contacted", "王", "已回电")
        followups.set_followup(con, "A1", "resolved", "王", "已处理", root_cause="waiting")
        ingest.undo(con, res.upload_id)
    other = tmp_path / "b.csv"  # the same days and store, other answers
    other.write_text(
        "response_id,store_id,responded_at,nps\n" + rows.replace("A", "B"), encoding="utf-8"
    )
    ingest.ingest_file(other)
    with db.connect(empty_db) as con:
        got = q.queue_counts(con, Scope(), now).set_index("store_id").loc["S1"]
        listed = q.callback_queue(con, Scope(), now)
    # every one of the six new detractors is open and overdue, as the queue lists them
    assert (int(got["open"]), int(got["overdue"])) == (6, 6)
    assert len(listed) == 6 and set(listed["status"]) == {"open"}
    ingest.ingest_file(first)  # the undone answers again
    with db.connect(empty_db) as con:
        got = q.queue_counts(con, Scope(), now).set_index("store_id").loc["S1"]
        queue = q.callback_queue(con, Scope(), now, include_closed=True).set_index("response_id")
    assert queue.loc["A0", "status"] == "contacted" and queue.loc["A1", "status"] == "resolved"
    assert (int(got["open"]), int(got["overdue"])) == (10, 10)  # 6 + 4 still to call
