"""AppTest of the NPS x CSI quadrant page: the numbers shown equal cx.stats over sums
computed independently from the raw responses; crosshairs, period and store picking."""

from __future__ import annotations

import statistics
from datetime import date
from pathlib import Path

import pytest

from cx import stats
from tests.test_quadrant import raw_store_scores

ROOT = Path(__file__).resolve().parent.parent
BOARD_READY = (ROOT / "pages" / "board.py").exists()


def _table(at):
    return at.dataframe(key="quad_table").value


def _row(df, store_id):
    col = df.columns[0]
    hit = df[df[col].str.startswith(store_id + " ")]
    assert len(hit) == 1, df
    return hit.iloc[0]


def _captions(at):
    return [c.value for c in at.caption]


@pytest.fixture
def page(app):
    app.session_state["ui_lang"] = "en"
    app.switch_page("pages/quadrant.py").run()
    assert not app.exception, app.exception
    return app


def test_hz01_row_equals_stats_over_raw_sums(page, con):
    raw = raw_store_scores(con, date(2025, 10, 1), date(2025, 10, 31)).set_index("store_id")
    r = raw.loc["HZ01"]
    nps = stats.nps(r["d"], r["pa"], r["p"])
    lo, hi = stats.nps_interval(r["d"], r["pa"], r["p"])
    row = _row(_table(page), "HZ01")
    assert row["NPS (95 % interval)"] == f"{nps:.1f} ({lo:.1f} – {hi:.1f})"
    assert row["NPS (95 % interval)"].startswith("77.5 (")  # the story's October NPS
    assert row["CSI"] == f"{r['csi']:.0f}"
    assert row["Answers"] == r["n"]
    assert row["NPS tier"] == "Excellent"
    assert row["CSI tier"] == {k: en for _, k, _, en in stats.CSI_TIERS}[stats.csi_tier(r["csi"])]
    # the default crosshairs: medians over the stores with 10+ answers
    ok = raw[raw["n"] >= stats.MIN_N]
    nps_all = [stats.nps(d, pa, p) for d, pa, p in ok[["d", "pa", "p"]].itertuples(index=False)]
    cut_nps = statistics.median(nps_all)
    cut_csi = statistics.median(ok["csi"])
    assert f"Crosshairs: NPS {cut_nps:,.1f}, CSI {cut_csi:,.0f}" in " ".join(_captions(page))
    zone = stats.quadrant(nps, r["csi"], cut_nps, cut_csi)
    assert (
        row["Zone"]
        == {"dream": "Dream", "surprise": "Surprise", "danger": "Danger", "disaster": "Disaster"}[
            zone
        ]
    )
    assert len(_table(page)) == len(raw)


def test_switch_crosshairs_fixed_and_targets(page, con):
    raw = raw_store_scores(con, date(2025, 10, 1), date(2025, 10, 31)).set_index("store_id")
    names = {"dream": "Dream", "surprise": "Surprise", "danger": "Danger", "disaster": "Disaster"}
    page.radio(key="quad_cross").set_value("fixed").run()
    assert not page.exception
    assert "Crosshairs: NPS 50.0, CSI 800 (fixed values)" in _captions(page)
    table = _table(page)
    for sid, r in raw.iterrows():
        nps = stats.nps(r["d"], r["pa"], r["p"])
        assert _row(table, sid)["Zone"] == names[stats.quadrant(nps, r["csi"], 50, 800)]

    page.radio(key="quad_cross").set_value("targets").run()
    assert not page.exception
    target = con.execute(
        "SELECT avg(nps_target) FROM targets WHERE store_id <> '*' AND month = DATE '2025-10-01'"
    ).fetchall()[0][0]
    cap = " ".join(_captions(page))
    assert f"Crosshairs: NPS {target:,.1f}, CSI 800" in cap
    assert "no target set, default 800" in cap
    table = _table(page)
    for sid, r in raw.iterrows():
        nps = stats.nps(r["d"], r["pa"], r["p"])
        assert _row(table, sid)["Zone"] == names[stats.quadrant(nps, r["csi"], target, 800)]


def test_month_period_and_store_filter(page, con):
    page.session_state["flt_stores"] = ["HZ01", "HZ02"]
    page.session_state["flt_dates"] = (date(2025, 8, 1), date(2025, 9, 20))
    page.radio(key="quad_period").set_value("month").run()
    assert not page.exception
    cap = " ".join(_captions(page))
    assert "Current period 2025-09: 2025-09-01 to 2025-09-20" in cap
    assert "compared with 2025-08: 2025-08-01 to 2025-08-31" in cap
    table = _table(page)
    assert len(table) == 2
    raw = raw_store_scores(con, date(2025, 9, 1), date(2025, 9, 20), ["HZ01", "HZ02"])
    for r in raw.itertuples():
        assert _row(table, r.store_id)["CSI"] == f"{r.csi:.0f}"
        assert _row(table, r.store_id)["Answers"] == r.n


def test_chinese_zone_names_and_advice(app):
    app.switch_page("pages/quadrant.py").run()
    assert not app.exception
    text = " ".join(m.value for m in app.markdown)
    for name in ("梦想区", "惊喜区", "危险区", "灾难区"):
        assert name in text
    assert set(_table(app)["区域象限"]) <= {"梦想区", "惊喜区", "危险区", "灾难区"}


def test_pick_a_store_opens_its_board(page):
    page.selectbox(key="quad_store").select("HZ01").run()
    assert not page.exception
    if BOARD_READY:
        # switched: the board page ran with ?store=HZ01, the quadrant's table is gone
        assert page.query_params.get("store") in ("HZ01", ["HZ01"])
        assert all(getattr(d, "key", None) != "quad_table" for d in page.dataframe)
    else:
        assert any("HZ01" in i.value and "not available" in i.value for i in page.info)
        # the pick is consumed: the next run does not jump again
        page.run()
        assert page.selectbox(key="quad_store").value is None
        assert not any("HZ01" in i.value for i in page.info)


def test_empty_database_shows_no_data(empty_db):
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.run()
    at.switch_page("pages/quadrant.py").run()
    assert not at.exception
    assert any(i.value == "无数据" for i in at.info)
