"""cx.views.segments: the page's figures equal a recomputation from the raw answers."""

from __future__ import annotations

from datetime import date

import pytest

from cx import stats
from cx.scope import Scope
from cx.views import segments as vs

OCT = (date(2025, 10, 1), date(2025, 10, 31))
SCOPE = Scope(regions=("华东",), start=OCT[0], end=OCT[1])
RAW_WHERE = (
    "store_id IN (SELECT store_id FROM stores WHERE region = '华东')"
    " AND CAST(responded_at AS DATE) BETWEEN ? AND ?"
)


def test_mix_and_histogram_equal_the_raw_answers(con):
    v = vs.view(con, SCOPE, "store")
    scores = dict(
        con.execute(
            f"SELECT nps, count(*) FROM responses WHERE {RAW_WHERE} GROUP BY nps",
            list(OCT),
        ).fetchall()
    )
    assert dict(zip(v.hist["score"], v.hist["n"], strict=True)) == {
        s: scores.get(s, 0) for s in range(11)
    }
    d = sum(n for s, n in scores.items() if s <= 6)
    pa = sum(n for s, n in scores.items() if s in (7, 8))
    p = sum(n for s, n in scores.items() if s >= 9)
    assert v.totals["n"] == d + pa + p and not v.empty
    assert v.totals["nps"] == pytest.approx(stats.nps(d, pa, p))


def test_split_by_store_equals_each_stores_answers(con):
    v = vs.view(con, SCOPE, "store")
    raw = con.execute(
        "SELECT store_id, count(*) FILTER (WHERE nps <= 6), count(*) FILTER (WHERE nps IN (7, 8)),"
        f" count(*) FILTER (WHERE nps >= 9) FROM responses WHERE {RAW_WHERE} GROUP BY 1",
        list(OCT),
    ).fetchall()
    got = v.split.set_index("grp")
    assert sorted(got.index) == sorted(r[0] for r in raw)
    for sid, d, pa, p in raw:
        assert got.at[sid, "n"] == d + pa + p
        assert got.at[sid, "nps"] == pytest.approx(stats.nps(d, pa, p))
    table = v.split_table.set_index("grp")
    for sid in got.index:
        assert table.at[sid, "nps"] == round(got.at[sid, "nps"], 1)
        assert table.at[sid, "share_d"] == round(100 * got.at[sid, "share_d"], 1)


def test_comparison_with_the_previous_period(con):
    v = vs.view(con, SCOPE, "store")
    assert v.previous.start < v.previous.end < OCT[0]
    raw = dict(
        con.execute(
            "SELECT store_id, count(*) FROM responses WHERE store_id IN"
            " (SELECT store_id FROM stores WHERE region = '华东')"
            " AND CAST(responded_at AS DATE) BETWEEN ? AND ? GROUP BY 1",
            [v.previous.start, v.previous.end],
        ).fetchall()
    )
    for r in v.comparison.to_dict("records"):
        assert r["n_prev"] == raw.get(r["grp"], 0)


def test_reason_comments_follow_the_picked_reason(con):
    first = vs.view(con, SCOPE, "store")
    assert first.reason == first.reasons["reason"].iloc[0]  # none picked: the largest
    other = first.reasons["reason"].iloc[-1]
    v = vs.view(con, SCOPE, "store", other)
    assert v.reason == other
    n = int(first.reasons.set_index("reason").at[other, "n"])
    assert v.comments_total == n
    assert vs.view(con, SCOPE, "store", "not-a-reason").reason == first.reason


def test_an_unknown_breakdown_is_refused(con):
    with pytest.raises(ValueError):
        vs.view(con, SCOPE, "phone; DROP TABLE responses")


def _live(con, start, end, stores=()):
    """(tests run, flags) reviewed from the answers, as no write kept them."""
    from cx import signals
    from cx.queries import signals as qs

    reviewed = signals.review(qs.gaming_tests(con, start, end, stores))
    return len(reviewed), signals.gaming_flags(reviewed)


def test_the_gaming_review_on_the_opening_dates_is_what_the_answers_give(con, monkeypatch):
    """The network over the dates the page opens on reads the tests and flags the last
    write kept; they equal a review of the answers, and so do a region's and those of a
    reader limited to some stores (reviewed on each view)."""
    from cx import access, rules
    from cx.queries import segments as q

    first, last = con.execute("SELECT min(day), max(day) FROM daily_rollup").fetchall()[0]
    start, end = rules.default_period(first, last)
    want = _live(con, start, end)
    assert want[0] > 100 and want[1], "the demo plants flags in these days"
    reviewed = []
    real = q.gaming_review
    monkeypatch.setattr(q, "gaming_review", lambda *a: reviewed.append(a) or real(*a))
    got = vs.review(con, Scope(start=start, end=end))
    assert (got.tests, got.flags) == want
    assert reviewed == [], "kept, not reviewed again"
    east = con.execute("SELECT store_id FROM stores WHERE region = '华东'").fetchall()
    east = tuple(sorted(s for (s,) in east))
    got = vs.review(con, Scope(regions=("华东",), start=start, end=end))
    assert (got.tests, got.flags) == _live(con, start, end, east)
    assert len(reviewed) == 1
    flagged = sorted({f["store_id"] for f in want[1]})
    mine = (flagged[0], "HZ01")
    access.apply_scope(
        con, access.Person(email="m@x.com", roles=frozenset({"store"}), stores=frozenset(mine))
    )
    got = vs.review(con, Scope(start=start, end=end))
    assert got.tests < want[0] and {f["store_id"] for f in got.flags} <= set(mine)
    assert (got.tests, got.flags) == _live(con, start, end, tuple(sorted(mine)))
