"""Where a page has no answers to show it says why in one sentence: the database (or
the person's stores) holds none yet, and where to load them; or the stores and dates
chosen hold none, and what to change. The analysis pages had said 'no data' (a table
cell's word) for both, and the planner said it twice."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from cx import db
from cx.i18n import t as T

ROOT = Path(__file__).resolve().parent.parent
PAGES = ("board", "segments", "quadrant", "heatmap")


def _open(page: str, lang: str, **state) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.session_state["ui_lang"] = lang
    for key, value in state.items():
        at.session_state[key] = value
    at.run()
    at.switch_page(f"pages/{page}.py").run()
    assert not at.exception
    return at


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_page_of_an_empty_database_says_where_to_load_answers(empty_db, lang):
    said = T("filter.no_data", lang)
    for page in PAGES:
        at = _open(page, lang)
        shown = [i.value for i in at.main.info]
        assert shown == [said], (page, shown)
    # the planner's classroom presets work without answers; its caption says it once
    at = _open("planner", lang)
    assert [i.value for i in at.main.info] == []
    assert [c.value for c in at.main.caption].count(said) == 1
    assert T("fmt.no_data", lang) not in [i.value for i in at.main.info]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_store_without_answers_picked_says_the_choice_holds_none(demo_db, lang):
    with db.connect(demo_db) as con:
        con.execute(
            "INSERT INTO stores (store_id, store_name, region) VALUES ('NEW1', '新店', '华东')"
        )
    for page, key in (
        ("segments", "filter.none_chosen"),
        ("heatmap", "heat.no_data"),  # its own: no touchpoint scores
        ("quadrant", "quad.no_data"),  # its own: none in its period
    ):
        at = _open(page, lang, flt_stores=["NEW1"])
        assert [i.value for i in at.main.info] == [T(key, lang)], page
    at = _open("board", lang, board_store="NEW1")
    assert [i.value for i in at.main.info] == [T("board.no_data", lang)]
    at = _open("planner", lang, plan_store="NEW1")
    shown = [i.value for i in at.main.info]
    assert T("plan.convert_empty", lang, store="NEW1") in shown
    assert T("plan.track_none", lang, store="NEW1") in shown
