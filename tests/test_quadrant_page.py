"""AppTest of the NPS x CSI quadrant page: the numbers shown equal cx.stats over sums
computed independently from the raw responses; crosshairs, period and store picking."""

from __future__ import annotations

import re
import statistics
from datetime import date
from pathlib import Path

import pytest

from cx import stats
from tests.support import (
    chosen_label,
    expected_zone_text,
    raw_store_scores,
    record_downloads,
    shown_label,
)

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


def _days(at) -> list[str]:
    """The days the captions name (the period shown and the one before)."""
    return re.findall(r"\d{4}-\d\d-\d\d", " ".join(_captions(at)))


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
    assert row["CSI"] == f"{r['csi']:.0f} ({r['csi_low']:.0f} – {r['csi_high']:.0f})"
    assert row["Answers"] == r["n"]
    assert row["NPS tier"] == "Excellent"
    assert row["CSI tier"] == {k: en for _, k, _, en in stats.CSI_TIERS}[stats.csi_tier(r["csi"])]
    # the default crosshairs: medians over the stores with 10+ answers and a CSI
    ok = raw[(raw["n"] >= stats.MIN_N) & raw["csi"].notna()]
    nps_all = [stats.nps(d, pa, p) for d, pa, p in ok[["d", "pa", "p"]].itertuples(index=False)]
    cut_nps = statistics.median(nps_all)
    cut_csi = statistics.median(ok["csi"])
    assert (  # the stores shown, counted (a region's map is the region's median)
        f"Crosshairs: NPS {cut_nps:,.1f}, CSI {cut_csi:,.0f} (median of the {len(ok)} stores"
        " shown with 10+ answers and a CSI)" in _captions(page)
    )
    assert page.radio(key="quad_cross").options[0] == "Median of the stores shown"
    # beside the map at 1366 px the list shows about four columns: the zone and figures
    assert list(_table(page).columns[:5]) == [
        "Store", "Zone", "NPS (95 % interval)", "CSI", "Answers"
    ]  # fmt: skip
    assert row["Zone"] == expected_zone_text(r, cut_nps, cut_csi)
    assert len(_table(page)) == len(raw)
    # every store's zone, "on the line" where an interval crosses a line
    table = _table(page)
    shown = [_row(table, sid)["Zone"] for sid in raw.index]
    assert shown == [expected_zone_text(r, cut_nps, cut_csi) for _, r in raw.iterrows()]
    assert any(z.startswith("On the line") for z in shown)
    assert any(not z.startswith("On the line") for z in shown)


def test_switch_crosshairs_fixed_and_targets(page, con):
    raw = raw_store_scores(con, date(2025, 10, 1), date(2025, 10, 31)).set_index("store_id")
    page.radio(key="quad_cross").set_value("fixed").run()
    assert not page.exception
    assert "Crosshairs: NPS 50.0, CSI 800 (fixed values)" in _captions(page)
    table = _table(page)
    for sid, r in raw.iterrows():
        assert _row(table, sid)["Zone"] == expected_zone_text(r, 50, 800)

    page.radio(key="quad_cross").set_value("targets").run()
    assert not page.exception
    # the one target rule: the stores' October targets weighted by their October answers
    target = con.execute(
        "SELECT sum(n * t) / sum(n) FROM (SELECT r.store_id, count(*) AS n,"
        " any_value(g.nps_target) AS t FROM responses r JOIN targets g"
        " ON g.store_id = r.store_id AND g.month = DATE '2025-10-01'"
        " WHERE r.responded_at >= DATE '2025-10-01' AND r.responded_at < DATE '2025-11-01'"
        " GROUP BY 1)"
    ).fetchall()[0][0]
    cap = " ".join(_captions(page))
    assert f"Crosshairs: NPS {target:,.1f}, CSI 800" in cap
    assert "the default target of 800" in cap  # the overview's CSI target, named alike
    table = _table(page)
    for sid, r in raw.iterrows():
        assert _row(table, sid)["Zone"] == expected_zone_text(r, target, 800)


def test_month_period_and_store_filter(page, con, monkeypatch):
    files = record_downloads(monkeypatch)
    page.run()
    network = files["quad_table_csv"][0]
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
        csi = f"{r.csi:.0f} ({r.csi_low:.0f} – {r.csi_high:.0f})"
        assert _row(table, r.store_id)["CSI"] == csi
        assert _row(table, r.store_id)["Answers"] == r.n
    # the download says whose stores it holds: two stores' file and the network's had
    # one name, and the second download replaced the first
    assert network.startswith("quadrant_all_")
    assert files["quad_table_csv"][0].startswith("quadrant_HZ01_HZ02_2025-09-01_2025-09-20_")


def test_chinese_zone_names_and_advice(app):
    app.switch_page("pages/quadrant.py").run()
    assert not app.exception
    text = " ".join(m.value for m in app.markdown)
    for name in ("梦想区", "惊喜区", "危险区", "灾难区"):
        assert name in text
    zones = {"梦想区", "惊喜区", "危险区", "灾难区"}
    assert set(_table(app)["所在象限"]) <= zones | {f"压线（偏{z}）" for z in zones}


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
    assert any(i.value == "数据库里还没有答卷。请到“上传”页导入问卷导出文件。" for i in at.info)


# ---------------------------------------------------------------- uploads without CSI
def _export_without_csi(path: Path) -> Path:
    """A small export as most real ones are: NPS answers, no CSI columns at all."""
    lines = ["问卷编号,门店编号,门店名称,区域,提交时间,推荐分"]
    scores = {"AA01": [10, 9, 9, 8, 6, 10], "BB02": [3, 9, 7, 10, 5, 6], "CC03": [9, 10, 10]}
    k = 0
    for store, pattern in scores.items():
        for i in range(36):
            k += 1
            day = 1 + i % 28
            lines.append(
                f"R{k:05d},{store},{store} 店,华东,2025-10-{day:02d} 10:{i % 60:02d},{pattern[i % len(pattern)]}"
            )
    for i in range(12):  # and a September for AA01: the previous period has no CSI either
        lines.append(f"S{i:05d},AA01,AA01 店,华东,2025-09-{10 + i:02d} 09:00,{9 - i % 4}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_quadrant_runs_on_uploads_without_csi(empty_db, tmp_path):
    from streamlit.testing.v1 import AppTest

    from cx import db, ingest

    res = ingest.ingest_file(_export_without_csi(tmp_path / "export.csv"))
    with db.connect(empty_db) as c:
        n_csi = c.execute(
            "SELECT count(*) FROM responses WHERE csi_advisor IS NOT NULL"
        ).fetchall()[0][0]
        counts = dict(c.execute("SELECT store_id, count(*) FROM responses GROUP BY 1").fetchall())
    assert n_csi == 0 and counts == {"AA01": 48, "BB02": 36, "CC03": 36}, res
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.run()
    at.session_state["ui_lang"] = "en"
    at.switch_page("pages/quadrant.py").run()
    assert not at.exception, at.exception
    at.radio(key="quad_period").set_value("month").run()
    assert not at.exception, at.exception
    table = _table(at)
    assert len(table) == 3
    for store in counts:
        row = _row(table, store)
        # listed, with its NPS, and said plainly to have no CSI (no crash, no zone guessed)
        assert row["Zone"] == "no CSI"
        assert row["CSI"] == "no CSI"
        assert row["Answers"] == 36
    # three stores of 36 answers, none with a CSI: the medians' fallback says why (it said
    # "fewer than 3 stores with 10+ answers", beside three such stores)
    assert (
        "Crosshairs: NPS 50.0, CSI 800 (fewer than 3 stores with 10+ answers and a CSI for a"
        " median; fixed lines used)" in _captions(at)
    ), _captions(at)
    # the other crosshair modes run too
    for mode in ("fixed", "targets"):
        at.radio(key="quad_cross").set_value(mode).run()
        assert not at.exception, at.exception


def test_a_map_of_more_stores_than_it_names_says_which_it_names(page, monkeypatch):
    """Past NAMED_MAX stores (a network's 2,000) the map gives intervals, arrows and ids
    to the stores farthest from the crosshairs only, and says so; every store is still a
    bubble and a row of the list."""
    from cx.charts import quadrant as charts
    from tests.support import chart_frames

    monkeypatch.setattr(charts, "NAMED_MAX", 10)
    page.radio(key="quad_cross").set_value("fixed").run()
    assert not page.exception, page.exception
    total = len(_table(page))
    assert total > 10
    frames = chart_frames(page)
    (bubbles,) = [f for f in frames if "zone_name" in f.columns]
    assert len(bubbles) == total
    (whiskers,) = [f for f in frames if "nps_high" in f.columns]
    assert len(whiskers) == 10
    assert all(len(f) <= 10 for f in frames if "csi1" in f.columns)
    note = f"{total} stores: the 10 farthest from the crosshairs get their intervals"
    assert any(c.startswith(note) for c in _captions(page)), _captions(page)


def test_a_switch_of_language_keeps_period_and_crosshairs_and_shows_them_chosen(app):
    """Chinese to English: the radios showed no option checked (the browser held '月', a
    label the English options lack) while the page kept using its value."""
    at = app
    at.session_state["ui_lang"] = "zh"
    at.run()
    at.radio(key="quad_period").set_value("month")
    at.radio(key="quad_cross").set_value("fixed").run()
    assert not at.exception, at.exception
    held = {k: chosen_label(at.radio(key=k)) for k in ("quad_period", "quad_cross")}
    assert held == {"quad_period": "月", "quad_cross": "固定（NPS 50，CSI 800）"}
    numbers = _table(at).select_dtypes("number").to_numpy()
    days = _days(at)
    assert "2025-09-01" in days  # the month before October: the period is a month

    at.session_state["ui_lang"] = "en"
    at.run()
    assert not at.exception, at.exception
    period, cross = at.radio(key="quad_period"), at.radio(key="quad_cross")
    assert (period.value, cross.value) == ("month", "fixed")
    assert chosen_label(period) == shown_label(period, held["quad_period"]) == "Month"
    fixed = "Fixed (NPS 50, CSI 800)"
    assert chosen_label(cross) == shown_label(cross, held["quad_cross"]) == fixed
    assert "Crosshairs: NPS 50.0, CSI 800 (fixed values)" in _captions(at)
    assert (_table(at).select_dtypes("number").to_numpy() == numbers).all()
    assert _days(at) == days


@pytest.mark.parametrize(("param", "value", "page"), [("lines", "target", "quadrant"),
                                                      ("order", "cji", "heatmap")])  # fmt: skip
def test_a_links_unknown_choice_is_said_and_the_current_one_stays(demo_db, param, value, page):
    """/quadrant?lines=target (a typo for 'targets') fell back to the median lines
    without a word, where a bad date or bad weights are said."""
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.query_params.update({param: value, "lang": "en"})
    at.switch_page(f"pages/{page}.py")
    at.run()
    assert not at.exception, at.exception
    said = [w.value for w in at.warning if f"{param}={value}" in w.value]
    assert len(said) == 1 and "the current choice stays" in said[0], [w.value for w in at.warning]
    key, default = ("quad_cross", "median") if page == "quadrant" else ("heat_sort", "cji_desc")
    assert at.session_state[key] == default  # the page's own choice, in use


def _region_colors(at) -> dict[str, str]:
    """Each region's colour on the map: every encoding of the region (the bubbles' ring
    and fill, the whiskers, the legend) by one scale (the fill had taken the default
    colours while the legend showed the fixed ones)."""
    import json

    spec = json.loads(at.get("vega_lite_chart")[0].proto.spec)
    found: list[dict[str, str]] = []

    def walk(part) -> None:
        if isinstance(part, dict):
            if part.get("field") == "region" and part.get("type") == "nominal":
                scale = part.get("scale")
                assert scale, part  # a region's colour by the default scheme
                found.append(dict(zip(scale["domain"], scale["range"], strict=True)))
            for value in part.values():
                walk(value)
        elif isinstance(part, list):
            for value in part:
                walk(value)

    walk(spec)
    assert len(found) >= 3 and all(f == found[0] for f in found), found
    return found[0]


def test_a_region_keeps_its_colour_when_fewer_regions_are_picked(page, con):
    """Presenting the network's map, then two regions alone: 西北 and 西南 took the
    network's first two colours, those 华东 and 华中 had just had on the slide before."""
    everyone = _region_colors(page)
    regions = sorted(r for (r,) in con.execute("SELECT DISTINCT region FROM stores").fetchall())
    assert sorted(everyone) == regions and len(set(everyone.values())) == len(regions)
    picked = regions[-2:]
    page.session_state["flt_regions"] = picked
    page.run()
    assert not page.exception, page.exception
    two = _region_colors(page)
    assert sorted(two) == picked
    assert two == {r: everyone[r] for r in picked}
