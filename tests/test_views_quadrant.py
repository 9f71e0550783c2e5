"""The quadrant's view: its scores, crosshairs, zones and movements equal a recomputation
from the raw answers of the demo database."""

from __future__ import annotations

import statistics
from datetime import date

import pytest

from cx import stats
from cx.scope import Scope
from cx.views import quadrant as quadrant_view
from tests.support import raw_store_scores

END = date(2025, 10, 31)


def test_month_view_equals_raw_answers(con):
    v = quadrant_view.view(con, Scope(end=END), "month", "median")
    assert (v.window, v.prev_window) == (
        (date(2025, 10, 1), END),
        (date(2025, 9, 1), date(2025, 9, 30)),
    )
    assert (v.label, v.prev_label) == ("2025-10", "2025-09")
    raw = raw_store_scores(con, date(2025, 10, 1), END).set_index("store_id")
    got = v.scores.set_index("store_id")
    assert sorted(got.index) == sorted(raw.index)
    for sid, r in raw.iterrows():
        assert got.loc[sid, "n"] == r["n"]
        assert got.loc[sid, "nps"] == pytest.approx(stats.nps(r["d"], r["pa"], r["p"]))
        assert got.loc[sid, "csi"] == pytest.approx(r["csi"])
        assert got.loc[sid, "csi_low"] == pytest.approx(r["csi_low"])
    ok = raw[raw["n"] >= stats.MIN_N]
    nps_cut = statistics.median(stats.nps(d, pa, p) for d, pa, p in ok[["d", "pa", "p"]].values)
    assert v.nps_cut == pytest.approx(nps_cut) and v.csi_cut == pytest.approx(ok["csi"].median())
    assert v.how == "median"
    for sid, r in raw.iterrows():
        nps = stats.nps(r["d"], r["pa"], r["p"])
        assert got.loc[sid, "zone"] == stats.quadrant(nps, r["csi"], v.nps_cut, v.csi_cut)
    # a movement per store present in both months, from September's raw scores
    sep = raw_store_scores(con, date(2025, 9, 1), date(2025, 9, 30)).set_index("store_id")
    moves = v.moves.set_index("store_id")
    assert sorted(moves.index) == sorted(set(sep.index) & set(raw.index))
    for sid in moves.index:
        s = sep.loc[sid]
        assert moves.loc[sid, "nps0"] == pytest.approx(stats.nps(s["d"], s["pa"], s["p"]))
        assert moves.loc[sid, "csi0"] == pytest.approx(s["csi"])


def test_fixed_and_targets_crosshairs_and_a_store_filter(con):
    scope = Scope(stores=("HZ01", "HZ02"), end=END)
    v = quadrant_view.view(con, scope, "quarter", "fixed")
    assert (v.nps_cut, v.csi_cut, v.how) == (50.0, 800.0, "fixed")
    assert v.window == (date(2025, 10, 1), END) and v.label == "2025Q4"
    assert sorted(v.scores["store_id"]) == ["HZ01", "HZ02"]
    t = quadrant_view.view(con, scope, "quarter", "targets")
    target = con.execute(
        "SELECT sum(n * t) / sum(n) FROM (SELECT r.store_id, count(*) AS n,"
        " any_value(g.nps_target) AS t FROM responses r JOIN targets g"
        " ON g.store_id = r.store_id AND g.month = DATE '2025-10-01'"
        " WHERE r.store_id IN ('HZ01', 'HZ02') AND r.responded_at >= DATE '2025-10-01'"
        " AND r.responded_at < DATE '2025-11-01' GROUP BY 1)"
    ).fetchall()[0][0]
    assert t.nps_cut == pytest.approx(target) and t.csi_cut == 800.0
    assert not t.csi_target_set and t.how.startswith("target_")


def test_no_dates_and_no_answers(con):
    assert quadrant_view.view(con, Scope(), "month", "median").window is None
    v = quadrant_view.view(con, Scope(stores=("NOPE",), end=END), "month", "median")
    assert v.empty and v.window == (date(2025, 10, 1), END)
    with pytest.raises(ValueError):
        quadrant_view.view(con, Scope(end=END), "year", "median")


def test_the_store_lists_download_writes_its_figures_as_numbers(con):
    """The list shows '77.5 (73.9 – 80.7)'; its download writes NPS, CSI and each
    interval's ends as numbers in columns of their own (a spreadsheet sorts and sums
    them), one row per store as listed, headed in the reader's language."""
    import io

    import pandas as pd

    from cx import analysis, export
    from cx.ui import quadrant as quadrant_ui

    v = quadrant_view.view(con, Scope(end=END), "month", "median")
    rows = analysis.quadrant_rows(v.scores, v.prev_scores, "en")
    raw = export.to_csv_bytes(
        quadrant_ui.download_frame(rows, v.scores, "en", (v.nps_cut, v.csi_cut))
    )
    got = pd.read_csv(io.BytesIO(raw), encoding="utf-8-sig")
    assert list(got.columns[4:10]) == [
        "NPS", "NPS 95 % interval, low", "NPS 95 % interval, high",
        "CSI", "CSI 95 % interval, low", "CSI 95 % interval, high",
    ]  # fmt: skip
    assert list(got["Store"]) == list(rows["store"])  # as listed, best NPS first
    text = pd.read_csv(io.BytesIO(raw), encoding="utf-8-sig", dtype=str)
    assert text["CSI"].dropna().str.fullmatch(r"\d+").all()  # 947, not 947.0
    scores = v.scores.set_index("store_id")
    for (sid, shown), (_, r) in zip(rows[["store_id", "nps"]].values, got.iterrows(), strict=True):
        s = scores.loc[sid]
        assert r["NPS"] == round(s["nps"], 1) and r["CSI"] == round(s["csi"])
        low, high = r["NPS 95 % interval, low"], r["NPS 95 % interval, high"]
        assert shown == f"{r['NPS']:.1f} ({low:.1f} – {high:.1f})"
        assert r["CSI 95 % interval, low"] == round(s["csi_low"])
    # the crosshairs its zones were read against, as the page's caption writes them: a
    # store's zone moved from one file to another with nothing in either to say why
    assert set(got["NPS crosshair"]) == {round(v.nps_cut, 1)}
    assert set(got["CSI crosshair"]) == {round(v.csi_cut)}
    assert text["CSI crosshair"].str.fullmatch(r"\d+").all()
