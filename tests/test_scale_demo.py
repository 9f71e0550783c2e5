"""``python -m cx demo --rows N``: about N answers, more stores, the demo's story intact."""

from __future__ import annotations

import duckdb
import pytest

from cx import commit, db, demo


@pytest.fixture(scope="module")
def grown(tmp_path_factory):
    path = tmp_path_factory.mktemp("grown") / "cx.duckdb"
    demo.build(path, rows=330_000, force=True)
    return path


def one(con, sql, params=()):
    return con.execute(sql, list(params)).fetchall()[0]


def test_about_the_rows_asked_for_across_more_stores(grown):
    with db.connect(grown) as con:
        n, stores = one(con, "SELECT count(*), count(DISTINCT store_id) FROM responses")
        listed, unnamed = one(
            con, "SELECT count(*), count(*) FILTER (WHERE region IS NULL) FROM stores"
        )
    assert abs(n - 330_000) <= 3_300
    assert 44 < stores == listed
    assert unnamed == 0


def test_the_story_store_keeps_its_week(grown):
    with db.connect(grown) as con:
        pro, pas, det = one(
            con,
            "SELECT count(*) FILTER (WHERE nps >= 9), count(*) FILTER (WHERE nps BETWEEN 7 AND 8),"
            " count(*) FILTER (WHERE nps <= 6) FROM responses WHERE store_id = 'HZ01'"
            " AND responded_at >= DATE '2025-10-01' AND responded_at < DATE '2025-10-08'",
        )
    assert (pro, pas, det) == (156, 32, 12)


def test_rollups_followups_and_targets_cover_the_new_stores(grown):
    with db.connect(grown) as con:
        raw = one(con, "SELECT count(*), count(*) FILTER (WHERE nps <= 6) FROM responses")
        rolled = one(con, "SELECT sum(n), sum(d) FROM daily_rollup")
        orphans = one(
            con,
            "SELECT count(*) FROM followups WHERE response_id NOT IN"
            " (SELECT response_id FROM responses)",
        )[0]
        no_target = one(
            con,
            "SELECT count(*) FROM stores WHERE store_id NOT IN (SELECT store_id FROM targets)",
        )[0]
        logged = one(con, "SELECT count(*) FROM followup_log")[0]
        kept = one(con, "SELECT count(*) FROM followups")[0]
    assert rolled == raw
    assert orphans == 0
    assert no_target == 0
    assert logged == kept


def test_removing_the_demo_removes_the_added_stores_too(grown, tmp_path):
    import shutil

    path = tmp_path / "copy.duckdb"
    shutil.copy(grown, path)
    with db.connect(path) as con:
        # One uploaded answer with its follow-up: both stay, whichever way the demo's
        # 130,000 follow-ups leave (this many are removed by rebuilding the table).
        con.execute(
            "INSERT INTO responses (response_id, store_id, responded_at, nps, upload_id)"
            " VALUES ('MINE-1', 'HZ01', TIMESTAMP '2025-10-30 09:00', 3, 99)"
        )
        con.execute(
            "INSERT INTO followups (response_id, status, updated_by) VALUES ('MINE-1', 'open', 'me')"
        )
        demo_followups = one(con, "SELECT count(*) FROM followups")[0] - 1
        assert demo_followups >= commit.REBUILD_FROM  # the rebuilding path
        demo_answers = one(con, "SELECT count(*) FROM responses WHERE upload_id = 0")[0]
        out = demo.remove_demo(con, user="tester")
        left = con.execute("SELECT response_id FROM responses").fetchall()
        stores = con.execute("SELECT store_id FROM stores").fetchall()
        kept = con.execute("SELECT response_id, status, updated_by FROM followups").fetchall()
        with pytest.raises(duckdb.ConstraintException):  # still the tables' keys
            con.execute("INSERT INTO followups (response_id) VALUES ('MINE-1')")
        with pytest.raises(duckdb.ConstraintException):
            con.execute("INSERT INTO responses (response_id) VALUES ('MINE-1')")
    assert (left, stores, kept) == ([("MINE-1",)], [("HZ01",)], [("MINE-1", "open", "me")])
    assert out["removed"] == demo_answers


def test_every_answer_knows_its_customers_previous_visit(grown):
    """The repeat columns of the grown demo (its new stores' customers included) equal
    each customer's previous answer for the store (and for the store and advisor),
    recomputed here in pandas."""
    with db.connect(grown) as con:
        df = con.execute(
            "SELECT response_id, store_id, coalesce(advisor, '') AS adv, responded_at,"
            " coalesce(phone, customer_id) AS who, prev_store_at, prev_advisor_at"
            " FROM responses"
        ).df()
    df = df.sort_values(["responded_at", "response_id"])
    known = df[df["who"].notna()]
    want_store = known.groupby(["store_id", "who"])["responded_at"].shift()
    want_advisor = known.groupby(["store_id", "adv", "who"])["responded_at"].shift()
    added = known["response_id"].str.contains("-")
    assert want_store[added].notna().sum() > 10_000  # the added stores' customers come back
    assert known["prev_store_at"].equals(want_store.rename("prev_store_at"))
    assert known["prev_advisor_at"].equals(want_advisor.rename("prev_advisor_at"))
    assert df.loc[df["who"].isna(), ["prev_store_at", "prev_advisor_at"]].isna().all().all()
