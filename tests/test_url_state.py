"""The sidebar's filters live in the URL: a bookmark or a shared link opens the same view."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from cx import db

ROOT = Path(__file__).resolve().parent.parent


def run(query: dict[str, str]) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    for key, value in query.items():
        at.query_params[key] = value
    at.session_state["ui_lang"] = "en"
    at.run()
    assert not at.exception, at.exception
    return at


def test_a_link_with_filters_opens_them(demo_db):
    at = run({"regions": "华东", "stores": "HZ01,SH03", "from": "2025-09-01", "to": "2025-09-30"})
    assert at.sidebar.multiselect(key="flt_regions").value == ["华东"]
    assert at.sidebar.multiselect(key="flt_stores").value == ["HZ01", "SH03"]
    assert at.sidebar.date_input(key="flt_dates").value == (date(2025, 9, 1), date(2025, 9, 30))


def test_chosen_filters_are_written_to_the_url_and_defaults_dropped(demo_db):
    at = run({})
    assert "stores" not in at.query_params and "from" not in at.query_params
    # AppTest runs the page script alone after its first run, so the frame (which keeps
    # the URL) is exercised on a first run with the filters already chosen. A tab's first
    # run leaves the URL it came with (cx.ui.flush_url): this one stands for a later run.
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.session_state["flt_stores"] = ["HZ01"]
    at.session_state["flt_dates"] = (date(2025, 10, 1), date(2025, 10, 15))
    first = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    first.session_state["flt_stores"] = ["HZ01"]
    first.run()
    assert "stores" not in first.query_params  # the first run writes nothing
    at.session_state["_cx_url_ready"] = True
    at.run()
    assert not at.exception, at.exception
    assert at.query_params["stores"] == "HZ01"
    assert (at.query_params["from"], at.query_params["to"]) == ("2025-10-01", "2025-10-15")


def test_a_pages_own_parameters_leave_the_address_of_another_page(demo_db):
    """A plan the planner's fragment wrote as a person clicked away (and its projector
    view), the heatmap's weights: off the next page's address; the page's own run keeps
    them."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.session_state["_cx_url_ready"] = True  # a later run: written through Streamlit
    query = {"lang": "en", "plan": "eNoLate", "view": "projector", "weights": "5-5-5-5-70-5-5"}
    for key, value in query.items():
        at.query_params[key] = value
    at.run()  # the board, through the frame that keeps the address
    assert not at.exception, at.exception
    assert not {"plan", "view", "weights"} & set(at.query_params)
    assert at.query_params["lang"] == "en" and at.query_params["tab"] == "board"
    at.switch_page("pages/planner.py").run()  # the planner (its run alone) writes its own
    assert at.query_params["plan"] and at.query_params["plan"] != "eNoLate"
    at.switch_page("pages/heatmap.py").run()  # the heatmap its weights
    assert at.query_params["weights"] == "10-15-20-15-25-10-5"


@pytest.mark.parametrize(
    ("query", "said"),
    [
        ({"from": "yesterday"}, ("yesterday", "?")),
        ({"from": "2024-01-01", "to": "2024-01-31"}, ("2024-01-01", "2024-01-31")),  # no data
    ],
)
def test_dates_in_a_link_that_cannot_be_used_are_said_and_the_default_kept(demo_db, query, said):
    """A link's dates that are not dates, or hold no answer, leave the default range, and
    one sentence above the page says so (they had been dropped silently, the page showing
    the default range's full numbers as if they were the link's)."""
    from cx import queries
    from cx.i18n import t

    with db.connect(demo_db) as con:
        first, last = queries.date_bounds(con)
    at = run(query)
    assert at.sidebar.date_input(key="flt_dates").value == (date(2025, 8, 3), date(2025, 10, 31))
    sentence = t("filter.url_dates_bad", "en", start=said[0], end=said[1], first=first, last=last)
    assert sentence in [w.value for w in at.main.warning]


def test_a_links_dates_partly_outside_the_data_are_cut_to_it_quietly(demo_db):
    at = run({"from": "2025-10-01", "to": "2025-12-31"})
    assert at.sidebar.date_input(key="flt_dates").value == (date(2025, 10, 1), date(2025, 10, 31))
    assert not [w for w in at.main.warning if "2025-12-31" in w.value]


def test_a_first_run_puts_its_url_in_place_without_a_history_entry_and_as_text(demo_db):
    """A tab's first run writes its URL with the app's own replaceState script (Streamlit's
    write adds a history entry, and could come before the history script was in place);
    whatever the link held reaches the script %-escaped, never as markup."""
    at = run({"store": "HZ01", "lang": "en", "x": '</script><img src=x onerror="alert(1)">'})
    scripts = [h.proto.body for h in at.get("html") if "cx-first-url" in h.proto.body]
    assert len(scripts) == 1 and "history.replaceState" in scripts[0]
    assert "tab=board" in scripts[0] and "store=HZ01" in scripts[0]
    assert "</script><img" not in scripts[0] and "%3C%2Fscript%3E%3Cimg" in scripts[0]
    assert "tab" not in at.query_params  # not through Streamlit: no entry
    at.run()  # a later run writes through Streamlit, and no script
    assert not [h for h in at.get("html") if "cx-first-url" in h.proto.body]


@pytest.mark.parametrize(
    ("page", "key", "param", "value", "default"),
    [
        ("pages/segments.py", "seg_dim", "split", "store", "vehicle_model"),
        ("pages/quadrant.py", "quad_period", "span", "month", "quarter"),
        ("pages/quadrant.py", "quad_cross", "lines", "fixed", "median"),
        ("pages/heatmap.py", "heat_sort", "order", "cji_asc", "cji_desc"),
    ],
)
def test_a_link_opens_a_pages_view_choice(demo_db, page, key, param, value, default):
    """A regional manager's link to the segments split by store opened them by vehicle
    model: the analysis pages' choices were not in the address. A link names them; a
    value no option has is ignored. (Writing them is the browser's: AppTest runs a page
    without the app's frame, which writes the address; tests/test_browser.py.)"""

    def opened(query: dict[str, str]) -> AppTest:
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
        for k, v in query.items():
            at.query_params[k] = v
        at.session_state["ui_lang"] = "en"
        at.switch_page(page).run()
        assert not at.exception, at.exception
        return at

    def widget(at: AppTest):
        return at.selectbox(key=key) if key == "seg_dim" else at.radio(key=key)

    assert widget(opened({param: value})).value == value
    assert widget(opened({})).value == default
    assert widget(opened({param: "<b>x</b>"})).value == default
