"""The frame: navigation, language switch kept in the URL, shared filters, first start."""

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from cx import queries

ROOT = Path(__file__).resolve().parent.parent


def test_language_switch_changes_texts_and_url(app):
    # AppTest (1.67) shows only the page's own elements after switch_page, so the
    # sidebar radio is driven on the default page, before switching.
    assert app.sidebar.radio(key="lang").value == "zh"
    app.sidebar.radio(key="lang").set_value("en").run()
    app.switch_page("pages/data.py").run()
    assert app.title[0].value == "What the database holds"
    app.session_state["ui_lang"] = "zh"
    app.run()
    assert app.title[0].value == "数据库里有什么"


def test_lang_from_url(demo_db):
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.query_params["lang"] = "en"
    at.run()
    at.switch_page("pages/data.py").run()
    assert at.title[0].value == "What the database holds"


def test_region_filter_limits_store_choices(app, con):
    stores = queries.stores(con)
    region = sorted(stores["region"].unique())[0]
    options_all = app.sidebar.multiselect(key="flt_stores").options
    assert len(options_all) == len(stores)
    app.sidebar.multiselect(key="flt_regions").set_value([region]).run()
    # The next full run of the frame offers only the region's stores.
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.session_state["flt_regions"] = [region]
    at.run()
    options = at.sidebar.multiselect(key="flt_stores").options
    expected = stores[stores["region"] == region]
    assert options == [f"{r.store_id} {r.store_name}" for r in expected.itertuples()]


def test_data_page_numbers_match_database(app, con):
    app.switch_page("pages/data.py").run()
    info = queries.overview(con)
    values = [m.value for m in app.metric]
    assert values[0] == f"{info['rows']:,}"
    assert values[2] == str(info["stores"])
    assert values[3] == str(info["regions"])


@pytest.mark.parametrize(
    ("page", "key", "value"),
    [
        ("pages/segments.py", "seg_dim", "store"),
        ("pages/heatmap.py", "heat_sort", "cji_asc"),
        ("pages/quadrant.py", "quad_period", "month"),
        ("pages/quadrant.py", "quad_cross", "fixed"),
    ],
)
def test_a_pages_choice_outlives_a_look_at_the_board(app, page, key, value):
    """A regional manager split the segments by store, looked at the board and came back:
    the split was back at vehicle model (a run of another page drops a picker's value).
    The breakdown, the heatmap's order and the quadrant's period and crosshairs stay."""
    app.switch_page(page).run()
    widget = app.selectbox(key=key) if key == "seg_dim" else app.radio(key=key)
    assert widget.value != value  # not the default already
    widget.set_value(value).run()
    assert not app.exception, app.exception
    app.switch_page("pages/board.py").run()
    assert key not in [w.key for w in (*app.selectbox, *app.radio)]
    app.switch_page(page).run()
    assert not app.exception, app.exception
    again = app.selectbox(key=key) if key == "seg_dim" else app.radio(key=key)
    assert again.value == value


def test_an_undo_that_takes_the_last_days_away_leaves_every_open_page_working(demo_db):
    """A session that saw a later day (an upload of 11-01, since undone by someone else)
    still holds it in the sidebar's range and as the board's day: its next run had
    stopped with Streamlit's English error, on every page, for every such person; the
    days now move back inside the data. (AppTest runs the frame's sidebar on a session's
    first run only, so the session is one whose state already holds the day.)"""
    from datetime import date

    gone = date(2025, 11, 1)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.session_state["flt_dates"] = (date(2025, 8, 4), gone)
    at.session_state["board_date"] = gone
    at.session_state["board_tab"] = "report"
    at.run()
    assert not at.exception, at.exception
    assert at.session_state["flt_dates"] == (date(2025, 8, 4), date(2025, 10, 31))
    assert at.session_state["board_date"] == date(2025, 10, 31)
    assert at.session_state["report_start"] <= date(2025, 10, 31)
    assert at.title[0].value  # the board drew


PAGES = (None, "pages/overview.py", "pages/segments.py", "pages/quadrant.py")
PAGES += ("pages/heatmap.py", "pages/planner.py", "pages/upload.py", "pages/data.py")


def _empty_pickers(at) -> list[str]:
    """The keys of the pickers ``at`` draws with nothing to pick (the browser shows
    Streamlit's own English 'No options to select' in them, in either language; the
    saved-plans picker says it has none in its placeholder)."""
    widgets = [*at.selectbox, *at.multiselect, *at.sidebar.selectbox, *at.sidebar.multiselect]
    return [w.key for w in widgets if not w.options and w.key != "plan_scn_pick"]


@pytest.mark.parametrize("page", PAGES)
def test_an_empty_database_draws_no_picker_with_nothing_to_pick(empty_db, page):
    """The demo removed, before the first upload: the sidebar's region and store pickers,
    the board's store picker and the planner's store and month read 'No options to
    select' in the Chinese app. No such picker is drawn; the page says there are no
    answers yet, and where to load them."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.session_state["ui_lang"] = "zh"
    at.run()
    assert not at.exception, at.exception
    assert _empty_pickers(at) == []
    # the board says why, once; the sidebar's filters that there is nothing to filter
    assert [i.value for i in at.main.info] == ["数据库里还没有答卷。请到“上传”页导入问卷导出文件。"]
    assert [i.value for i in at.sidebar.info] == ["还没有可筛选的门店和日期。"]
    if page is not None:
        at.switch_page(page).run()
        assert not at.exception, at.exception
        assert _empty_pickers(at) == []


def test_a_grant_for_a_store_without_answers_draws_no_empty_picker(demo_db):
    """A new store's manager, granted before its first upload, read 'No options to select'
    in the board's and the sidebar's pickers and the planner's; now the pages say their
    stores have no answers yet."""
    from cx import access, db
    from tests.support import signed_in_app

    with db.connect(demo_db) as con:
        access.grant(con, "new@store.example", "store", stores=["NEW01"], user="admin")
    for page in PAGES[:6]:
        at = signed_in_app("new@store.example", page, lang="zh")
        assert not at.exception, at.exception
        assert _empty_pickers(at) == [], page
    at = signed_in_app("new@store.example", None, lang="zh")
    assert [i.value for i in at.main.info] == ["你可查看的门店还没有答卷。"]
    assert [i.value for i in at.sidebar.info] == ["还没有可筛选的门店和日期。"]
    at = signed_in_app("new@store.example", "pages/planner.py", lang="zh")
    assert "你可查看的门店还没有答卷。" in [c.value for c in at.caption]


def test_every_page_says_while_its_figures_include_the_demos_answers(demo_db, tmp_path):
    """Nothing on the pages said their figures were generated: a deployment started before
    its first upload showed made-up customers as its own, and beside its first uploads
    mixed both. The sidebar says so on every page while the answers a person sees
    include the demo's: where to remove them for whoever may (open mode: an admin), who
    can for a store manager; a manager of a store without demo answers, and everyone once
    the demo is removed, reads nothing of it."""
    from cx import access, db, demo, ingest
    from cx.i18n import t
    from tests.support import signed_in_app

    removable = t("app.demo_note.upload", "zh", page="上传数据", section="用自己的数据开始")
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.session_state["ui_lang"] = "zh"
    at.run()
    assert [i.value for i in at.sidebar.info] == [removable]
    with db.connect(demo_db) as con:
        access.grant(con, "hz@store.example", "store", stores=["HZ01"], user="admin")
        access.grant(con, "new@store.example", "store", stores=["NEW01"], user="admin")
    at = signed_in_app("hz@store.example")
    assert t("app.demo_note.ask", "en") in [i.value for i in at.sidebar.info]
    at = signed_in_app("new@store.example")
    assert not any("Demo data" in i.value for i in at.sidebar.info)
    # the demo removed, an export uploaded: the figures are the network's own
    with db.connect(demo_db) as con:
        demo.remove_demo(con)
    export = tmp_path / "own.csv"
    export.write_text(
        "response_id,store_id,responded_at,nps\nOWN1,HZ01,2025-10-30 09:00,9\n", encoding="utf-8"
    )
    assert ingest.ingest_file(export, db_path=demo_db).added == 1
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.session_state["ui_lang"] = "zh"
    at.run()
    assert not at.exception, at.exception
    assert not any("演示数据" in i.value for i in at.sidebar.info)
