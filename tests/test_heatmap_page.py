"""AppTest of the CJI heatmap page: ranking numbers equal cx.stats over means computed
independently from raw responses; weights edited, rejected, reset; sorting; weekly view;
importance against the weights."""

from __future__ import annotations

import io
import json
from datetime import date

import pandas as pd
import pytest

from cx import enums, stats
from cx.enums import TP_KEYS
from cx.i18n import t as T
from cx.scope import Scope
from tests.support import (
    chart_frames,
    chosen_label,
    raw_cji,
    raw_tp_means,
    record_downloads,
    shown_label,
)

DEFAULT_DATES = (date(2025, 8, 3), date(2025, 10, 31))  # the sidebar's last 90 days


def _frame(at, column):
    """The page's dataframe holding ``column`` (st.dataframe without selection has no key)."""
    hits = [d.value for d in at.dataframe if column in d.value.columns]
    assert len(hits) == 1, [list(d.value.columns) for d in at.dataframe]
    return hits[0]


def _ranking(at):
    return _frame(at, "Weakest touchpoint")


def _ipa(at, column="Importance from data %"):
    return _frame(at, column)


def _cji_shown(at, store_id):
    df = _ranking(at)
    hit = df[df["Store"].str.startswith(store_id + " ")]
    assert len(hit) == 1
    return hit.iloc[0]["CJI"]


@pytest.fixture
def page(app):
    app.session_state["ui_lang"] = "en"
    app.switch_page("pages/heatmap.py").run()
    assert not app.exception, app.exception
    return app


@pytest.fixture
def raw(con):
    return raw_tp_means(con, Scope(start=DEFAULT_DATES[0], end=DEFAULT_DATES[1]))


def test_default_ranking_equals_stats_cji(page, raw):
    df = _ranking(page)
    assert len(df) == len(raw)
    for sid, r in raw.iterrows():
        assert _cji_shown(page, sid) == round(raw_cji(r), 2)
    # numbers, gaps included, so a click on a header sorts by value (as text, -0.10 came
    # after 0.05), each shown with two decimals; a gap (no earlier period, not ranked)
    # drawn as '—'
    grid = [d for d in page.dataframe if "CJI" in d.value.columns][0]
    shown_as = json.loads(grid.proto.columns)
    for col in ("CJI", "Change"):
        assert df[col].dtype.kind == "f", df[col].dtype
        assert shown_as[col]["type_config"]["format"] == "%.2f"
    assert grid.proto.placeholder == "—"
    assert df["CJI"].notna().all()  # every ranked store has a CJI
    assert str(df["Rank"].dtype) == "Int64" or df["Rank"].dtype.kind in "iu"
    # best first, weakest touchpoint named
    expected_order = raw.apply(raw_cji, axis=1).sort_values(ascending=False).index
    assert [s.split(" ")[0] for s in df["Store"]] == list(expected_order)
    r = raw.loc["HZ01"]
    weakest = min(TP_KEYS, key=lambda tp: r[tp])
    assert df[df["Store"].str.startswith("HZ01 ")].iloc[0]["Weakest touchpoint"] == enums.text(
        "tp", weakest, "en"
    )


def most_ratings(con, dates) -> dict[str, int]:
    """Each store's ratings of its most-rated touchpoint over ``dates``: the n of its CJI
    (the overview's CJI card, the ranking's low-sample flag)."""
    return dict(
        con.execute(
            "SELECT store_id, greatest(" + ", ".join(f"count(tp_{tp})" for tp in TP_KEYS) + ")"
            " FROM responses WHERE CAST(responded_at AS DATE) BETWEEN ? AND ? GROUP BY 1",
            list(dates),
        ).fetchall()
    )


def test_the_rankings_answers_are_every_answer_of_the_store(page, con):
    """'Answers' beside a store's CJI is its answer count over the page's dates, as the
    board, segments and quadrant count it (the most ratings of one touchpoint had been
    shown under that name: 823 against 872)."""
    df = _ranking(page)
    got = dict(zip(df["Store"].str.split(" ").str[0], df["Answers"], strict=True))
    want = dict(
        con.execute(
            "SELECT store_id, count(*) FROM responses"
            " WHERE CAST(responded_at AS DATE) BETWEEN ? AND ? GROUP BY store_id",
            list(DEFAULT_DATES),
        ).fetchall()
    )
    assert got == want
    rated = con.execute(
        "SELECT count(*) FILTER (WHERE tp_waiting IS NOT NULL) FROM responses"
        " WHERE store_id = 'HZ01' AND CAST(responded_at AS DATE) BETWEEN ? AND ?",
        list(DEFAULT_DATES),
    ).fetchall()[0][0]
    assert rated < want["HZ01"]  # not every answer rates every touchpoint: the two differ
    # the CJI's own n beside them: its best-rated touchpoint's, as the overview's CJI card
    # counts it (the two pages' n had differed with nothing to say why)
    most = most_ratings(con, DEFAULT_DATES)
    assert dict(zip(df["Store"].str.split(" ").str[0], df["CJI n"], strict=True)) == most
    assert most["HZ01"] < want["HZ01"]


def test_a_cji_on_few_ratings_is_flagged_as_the_board_flags_an_nps(page, con):
    """Over a week most stores have 10-29 ratings: ranked, and flagged as the board flags
    an NPS on fewer than 30 answers (the heatmap had said nothing below 30)."""
    week = (date(2025, 10, 25), date(2025, 10, 31))
    page.session_state["flt_dates"] = week
    page.run()
    assert not page.exception, page.exception
    df = _ranking(page)
    most = most_ratings(con, week)
    flagged = {s.split(" ")[0]: s.endswith(" ⚠ low sample") for s in df["Store"]}
    assert flagged == {s: stats.MIN_N <= n < stats.LOW_N for s, n in most.items()}
    assert any(flagged.values()) and not all(flagged.values())


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_rankings_download_puts_the_low_sample_flag_in_a_column_of_its_own(
    page, con, monkeypatch, lang
):
    """The ranking's CSV had the flag inside the store's name ('HZ01 杭州西湖店 ⚠ low
    sample'), where a spreadsheet's filter or lookup found two names for one store; the
    quadrant's and the segments' files keep such flags in a column of their own. The
    file now has the store's name as the data has it and the flag beside it, from the
    week's ratings."""
    files = record_downloads(monkeypatch)
    week = (date(2025, 10, 25), date(2025, 10, 31))
    page.session_state["ui_lang"] = lang
    page.session_state["flt_dates"] = week
    page.run()
    assert not page.exception, page.exception
    made = files["heat_ranking_csv"][1]
    got = pd.read_csv(io.BytesIO(made()), encoding="utf-8-sig", dtype=str, keep_default_na=False)
    store, flag = T("heat.col.store", lang), T("heat.col.flag", lang)
    names = dict(con.execute("SELECT store_id, store_name FROM stores").fetchall())
    assert [s.split(" ", 1)[1] for s in got[store]] == [names[s.split(" ")[0]] for s in got[store]]
    most = most_ratings(con, week)
    low = T("heat.flag.low_n", lang, n=stats.LOW_N)
    want = {s: low if stats.MIN_N <= n < stats.LOW_N else "" for s, n in most.items()}
    assert dict(zip(got[store].str.split(" ").str[0], got[flag], strict=True)) == want
    assert low in want.values() and "" in want.values()
    # the page keeps its flag after the name, as before
    shown = _frame(page, T("heat.col.weakest", lang))
    assert shown[store].str.endswith(T("board.rank.low", lang)).sum() == list(want.values()).count(
        low
    )


def test_edit_weights_invalid_then_valid_then_reset(page, raw):
    r = raw.loc["HZ01"]
    default = _cji_shown(page, "HZ01")
    page.number_input(key="heat_w_waiting").set_value(25.0).run()  # 110 %
    assert not page.exception
    assert any("110.0" in e.value for e in page.error)
    assert _cji_shown(page, "HZ01") == default  # the last valid weights stay
    page.number_input(key="heat_w_repair_quality").set_value(15.0).run()  # 100 % again
    assert not page.error
    new = {tp: 100 * w for tp, w in stats.CJI_WEIGHTS.items()} | {
        "waiting": 25.0,
        "repair_quality": 15.0,
    }
    expected = raw_cji(r, new)
    assert _cji_shown(page, "HZ01") == round(expected, 2)
    assert expected != pytest.approx(raw_cji(r), abs=0.005)  # the edit is visible
    # the importance table shows the weights in use
    ipa = _ipa(page).set_index("Touchpoint")
    assert ipa.loc[enums.text("tp", "waiting", "en"), "Heatmap weight %"] == 25.0
    page.button(key="heat_reset").click().run()
    assert not page.exception
    assert page.number_input(key="heat_w_waiting").value == 15.0
    assert page.number_input(key="heat_w_repair_quality").value == 25.0
    assert _cji_shown(page, "HZ01") == default


def _opened(query: dict[str, str]):
    """A new session opened on the heatmap's address with ``query`` (a reload, Back, or
    a link an analyst sent)."""
    from streamlit.testing.v1 import AppTest

    from tests.conftest import ROOT

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.query_params["lang"] = "en"
    for key, value in query.items():
        at.query_params[key] = value
    at.switch_page("pages/heatmap.py").run()
    assert not at.exception, at.exception
    return at


def _weights_shown(at) -> dict[str, float]:
    return {tp: at.number_input(key=f"heat_w_{tp}").value for tp in TP_KEYS}


def test_the_weights_are_in_the_address_and_a_reload_or_link_keeps_them(page, raw):
    """An analyst's weights travel with the address: a reload, Back or the link sent to a
    colleague ranks by them (a reload had put them back to the defaults)."""
    page.run()  # a later run: the address written through Streamlit
    assert page.query_params["weights"] == "10-15-20-15-25-10-5"
    page.number_input(key="heat_w_waiting").set_value(25.0).run()  # 110 %: not written
    assert page.query_params["weights"] == "10-15-20-15-25-10-5"
    page.number_input(key="heat_w_repair_quality").set_value(12.5).run()  # 97.5 %
    page.number_input(key="heat_w_follow_up").set_value(7.5).run()  # 100 %
    word = page.query_params["weights"]
    assert word == "10-15-20-25-12.5-10-7.5"
    new = {tp: 100 * w for tp, w in stats.CJI_WEIGHTS.items()}
    new |= {"waiting": 25.0, "repair_quality": 12.5, "follow_up": 7.5}
    again = _opened({"weights": word})
    assert _weights_shown(again) == new
    assert _cji_shown(again, "HZ01") == round(raw_cji(raw.loc["HZ01"], new), 2)
    assert T("heat.weights_url_bad", "en") not in [w.value for w in again.warning]
    # Back to the page as it first drew: the defaults again
    again.query_params["weights"] = "10-15-20-15-25-10-5"
    again.run()
    assert _weights_shown(again) == {tp: 100 * w for tp, w in stats.CJI_WEIGHTS.items()}
    assert _cji_shown(again, "HZ01") == round(raw_cji(raw.loc["HZ01"]), 2)


@pytest.mark.parametrize(
    "word", ["10-15-20", "10-15-20-15-25-10-15", "10-15-20-15-25-x-5", "-5-20-20-15-25-10-15"]
)
def test_weights_in_a_link_that_cannot_be_read_are_said_and_the_defaults_kept(raw, word, demo_db):
    """A link cut short or edited by hand: one sentence, and the ranking by the weights in
    use (the defaults for a new session)."""
    at = _opened({"weights": word})
    said = T("heat.weights_url_bad", "en")
    assert [w.value for w in at.warning].count(said) == 1
    assert _weights_shown(at) == {tp: 100 * w for tp, w in stats.CJI_WEIGHTS.items()}
    assert _cji_shown(at, "HZ01") == round(raw_cji(raw.loc["HZ01"]), 2)
    at.run()  # said once
    assert said not in [w.value for w in at.warning]


def test_sort_worst_first_and_by_store(page, raw):
    page.radio(key="heat_sort").set_value("cji_asc").run()
    first = _ranking(page).iloc[0]["Store"].split(" ")[0]
    assert first == raw.apply(raw_cji, axis=1).idxmin()
    page.radio(key="heat_sort").set_value("store").run()
    assert [s.split(" ")[0] for s in _ranking(page)["Store"]] == sorted(raw.index)


def test_store_filter_and_weekly_view(page, con, monkeypatch):
    import streamlit as st

    names = {}  # the file name each download offers (made when clicked: not in the proto)
    offer = st.download_button

    def recorded(*args, **kwargs):
        names[kwargs.get("key")] = kwargs.get("file_name")
        return offer(*args, **kwargs)

    monkeypatch.setattr(st, "download_button", recorded)
    page.session_state["flt_stores"] = ["HZ01", "SH01"]
    page.run()
    assert len(_ranking(page)) == 2
    page.selectbox(key="heat_store").select("SH01").run()
    assert not page.exception
    assert page.selectbox(key="heat_store").value == "SH01"
    # heatmap, weekly view, importance map, importance vs weights
    assert len(page.get("vega_lite_chart")) == 4
    # a week's cell has no change to show (each read "Change —"); a store's has
    titles = [
        {t["title"] for layer in json.loads(c.proto.spec)["layer"]
         for t in layer.get("encoding", {}).get("tooltip", [])}
        for c in page.get("vega_lite_chart")[:2]
    ]  # fmt: skip
    assert "Change" in titles[0] and "Change" not in titles[1], titles
    # the downloads say whose stores and which days they hold: the network's ranking and
    # this one had the same name, and the second download replaced the first
    for key in ("heat_ranking_csv", "heat_ipa_table_csv"):
        assert "_HZ01_SH01_2025-08-03_2025-10-31_" in names[key], names


def test_an_importance_map_of_too_few_answers_is_not_drawn_but_said(page, con):
    """One store over two days (a few complete answers): seven weights fit them whatever
    they hold, and the page had said they explained 100 % and differed from the assumed
    weights. It now says how many answers there are and how many it takes."""
    from cx.views.heatmap import IPA_MIN_N

    days = (date(2025, 10, 30), date(2025, 10, 31))
    complete = " AND ".join(f"tp_{tp} IS NOT NULL" for tp in TP_KEYS)
    n = con.execute(
        f"SELECT count(*) FROM responses WHERE store_id = 'SH03' AND nps IS NOT NULL"
        f" AND {complete} AND CAST(responded_at AS DATE) BETWEEN ? AND ?",
        list(days),
    ).fetchall()[0][0]
    assert 0 < n < IPA_MIN_N == 70
    page.session_state["flt_stores"] = ["SH03"]
    page.session_state["flt_dates"] = days
    page.run()
    assert not page.exception, page.exception
    infos = [i.value for i in page.info]
    assert T("heat.ipa_few", "en", n=n, min=IPA_MIN_N) in infos
    assert not [d for d in page.dataframe if "Importance from data %" in d.value.columns]
    assert not any("assumed weights" in w.value for w in page.warning)


def test_importance_table_equals_relative_weights(page, con):
    cols = ", ".join(f"tp_{tp}" for tp in TP_KEYS)
    rows = con.execute(
        f"SELECT nps, {cols} FROM responses WHERE CAST(responded_at AS DATE) BETWEEN ? AND ?",
        list(DEFAULT_DATES),
    ).df()
    rows = rows.dropna()
    x = rows.drop(columns="nps").rename(columns=lambda c: c[3:])
    weights, _ = stats.relative_weights(x, rows["nps"])
    expected = (100 * weights / weights.sum()).round(1)
    shown = _ipa(page).set_index("Touchpoint")
    for tp in TP_KEYS:
        assert shown.loc[enums.text("tp", tp, "en"), "Importance from data %"] == pytest.approx(
            expected[tp], abs=0.051
        )
        assert shown.loc[enums.text("tp", tp, "en"), "Heatmap weight %"] == pytest.approx(
            100 * stats.CJI_WEIGHTS[tp]
        )
    # stronger / weaker only where the bootstrap interval excludes the weight
    for name, row in shown.iterrows():
        low, high = (float(x) for x in row["95 % interval"].split(" – "))
        assert (
            low <= row["Importance from data %"] + 0.051
            and high >= row["Importance from data %"] - 0.051
        )
        weight = row["Heatmap weight %"]
        want = "stronger" if low > weight else "weaker" if high < weight else "consistent"
        assert row["Against the weight"] == want, name
    called = shown[shown["Against the weight"] != "consistent"]
    if len(called):
        assert any(all(name in w.value for name in called.index) for w in page.warning)
    else:
        assert page.success
    # the demo gives waiting and repair quality the most weight, appointment and
    # follow-up the least: the page finds it
    imp = shown["Importance from data %"]
    top = {enums.text("tp", "waiting", "en"), enums.text("tp", "repair_quality", "en")}
    low2 = {enums.text("tp", "appointment", "en"), enums.text("tp", "follow_up", "en")}
    assert set(imp.nlargest(2).index) == top and set(imp.nsmallest(2).index) == low2
    assert set(shown["Quadrant"]) <= {
        "Concentrate here",
        "Keep up the good work",
        "Low priority",
        "Possible overkill",
    }
    assert isinstance(shown, pd.DataFrame)


def test_chinese_quadrant_names(app):
    app.switch_page("pages/heatmap.py").run()
    assert not app.exception
    shown = _ipa(app, "数据重要度 %")
    assert set(shown["象限"]) <= {"重点改进", "继续保持", "次要改进", "可能过度"}


def test_empty_database_shows_no_data(empty_db):
    from pathlib import Path

    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(
        str(Path(__file__).resolve().parent.parent / "app.py"), default_timeout=60
    )
    at.run()
    at.switch_page("pages/heatmap.py").run()
    assert not at.exception
    assert any(i.value == "数据库里还没有答卷。请到“上传”页导入问卷导出文件。" for i in at.info)


def _store_grids(at) -> list[pd.DataFrame]:
    """The heatmap grids of stores drawn (not the weekly one, whose rows are weeks)."""
    return [
        f
        for f in chart_frames(at)
        if {"row", "col", "mean"} <= set(f.columns) and f["row"].str.startswith("N").all()
    ]


def test_a_network_of_700_stores_is_ranked_whole_and_its_grid_bounded(empty_db):
    """A network's heatmap ranks every store, and its grid draws the first 40 in the
    page's order (700 stores x 8 columns was once more rows than Altair's limit and
    failed the page; at 2,000 stores the grid was 3 MB, taller than any screen)."""
    from pathlib import Path

    from streamlit.testing.v1 import AppTest

    from cx import db

    with db.connect(empty_db) as con:
        con.executemany(
            "INSERT INTO stores (store_id, store_name, region) VALUES (?, ?, '华东')",
            [(f"N{i:03d}", f"店{i:03d}") for i in range(700)],
        )
        tps = ", ".join(f"tp_{tp}" for tp in TP_KEYS)
        marks = ", ".join("?" for _ in TP_KEYS)
        con.executemany(
            f"INSERT INTO responses (response_id, store_id, responded_at, nps, {tps})"
            f" VALUES (?, ?, TIMESTAMP '2025-10-15 10:00:00', 9, {marks})",
            [
                (f"R{i}", f"N{i:03d}", *[7 + (i + k) % 4 for k in range(len(TP_KEYS))])
                for i in range(700)
            ],
        )
        db.refresh_rollups(con)
        db.bump_data_version(con)
    at = AppTest.from_file(
        str(Path(__file__).resolve().parent.parent / "app.py"), default_timeout=60
    )
    at.session_state["ui_lang"] = "en"
    at.run()
    at.switch_page("pages/heatmap.py").run()
    assert not at.exception, at.exception
    ranking = _ranking(at)
    assert len(ranking) == 700
    (grid,) = _store_grids(at)
    first = [s.split(" ")[0] for s in ranking[ranking.columns[1]].head(40)]
    assert [r.split(" ")[0] for r in dict.fromkeys(grid["row"])] == first
    assert len(grid) == 40 * (len(TP_KEYS) + 1)
    note = "The grid shows the first 40 of 700 stores in this order"
    assert any(c.value.startswith(note) for c in at.caption)
    at.radio(key="heat_sort").set_value("cji_asc").run()
    (grid,) = _store_grids(at)
    ranking = _ranking(at)
    assert [r.split(" ")[0] for r in dict.fromkeys(grid["row"])] == [
        s.split(" ")[0] for s in ranking[ranking.columns[1]].head(40)
    ]


def test_a_change_that_rounds_to_zero_reads_zero_not_minus_zero():
    """A store's CJI change of -0.001 rounds to -0.0, which the ranking drew '-0.00'."""
    import math

    import pandas as pd

    from cx.ui import heatmap as heat_ui

    ranked = pd.DataFrame(
        {"rank": [1, 2], "store": ["NB01 宁波", "HZ01 杭州"], "cji": [8.5, 8.4],
         "cji_chg": [-0.001, -0.3], "weakest": ["waiting", "waiting"], "n": [40, 50],
         "tp_n": [40, 50]}
    )  # fmt: skip
    shown, names, _csv = heat_ui._ranking_frame(ranked)
    change = shown[names["cji_chg"]].tolist()
    assert change == [0.0, -0.3] and math.copysign(1.0, change[0]) == 1.0


def test_a_switch_of_language_keeps_the_sort_and_shows_it_chosen(app):
    """Chinese to English: the sort radio showed no option checked (the browser held
    'CJI 从低到高', a label the English options lack) while the ranking kept its order."""
    at = app
    at.session_state["ui_lang"] = "zh"
    at.run()
    at.radio(key="heat_sort").set_value("cji_asc").run()
    assert not at.exception, at.exception
    held = chosen_label(at.radio(key="heat_sort"))
    assert held == "CJI 从低到高"
    ranking = _frame(at, "最弱触点")
    stores, cji = [s.split(" ")[0] for s in ranking["门店"]], list(ranking["CJI"])
    weekly = at.selectbox(key="heat_store").value

    at.session_state["ui_lang"] = "en"
    at.run()
    assert not at.exception, at.exception
    sort = at.radio(key="heat_sort")
    assert sort.value == "cji_asc"
    assert chosen_label(sort) == shown_label(sort, held) == "CJI, worst first"
    assert [s.split(" ")[0] for s in _ranking(at)["Store"]] == stores
    assert list(_ranking(at)["CJI"]) == cji
    assert at.selectbox(key="heat_store").value == weekly


def test_a_store_uploaded_without_a_name_is_named_by_its_id_once(app, demo_db):
    """An export with store ids only: the new store read 'SZ09 SZ09' in the pickers, the
    ranking, the quadrant and the planner."""
    from cx import db, ui
    from cx.frames import store_label, store_labels

    assert store_label("SZ09", None) == store_label("SZ09", "SZ09") == "SZ09"
    assert store_label("HZ01", " 杭州滨江 ") == "HZ01 杭州滨江"
    labels = store_labels(pd.Series(["A", "B", "C"]), pd.Series([None, "B", "乙"]))
    assert labels.tolist() == ["A", "B", "C 乙"]
    with db.connect(demo_db) as c, db.transaction(c):
        c.execute("INSERT INTO stores (store_id, region) VALUES ('SZ09', '华南')")
        db.bump_data_version(c)
    ui.invalidate()
    app.session_state["ui_lang"] = "en"
    app.switch_page("pages/board.py").run()
    assert not app.exception, app.exception
    assert app.selectbox(key="board_store").format_func("SZ09") == "SZ09"
    assert app.selectbox(key="board_store").format_func("HZ01").startswith("HZ01 ")


def test_the_chinese_importance_warning_lists_its_touchpoints_with_chinese_commas(demo_db):
    """'预约 较不重要 (1.8 – 3.7 % / 10 %), 接待 …': the touchpoints the data weigh apart
    from their weights were joined by an English comma on the Chinese page."""
    at = _opened({"lang": "zh"})
    said = next(w.value for w in at.warning if w.value.startswith("数据显示与假设权重不同"))
    items = said.split("：", 1)[1]
    assert "、" in items and ", " not in items, said
