"""How the app's tables show their figures (cx.ui.number_formats): thousands separated, and
every column of fractions with the decimals of its most precise value, so 51.0 stands
beside 50.3, not 51; a missing cell shows '—' and its column keeps its numbers."""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd

from cx.ui import number_formats

ROOT = Path(__file__).resolve().parent.parent


def _formats(frame: pd.DataFrame) -> dict[str, str]:
    return {c: cfg["type_config"]["format"] for c, cfg in number_formats(frame).items()}


def test_each_column_of_fractions_gets_its_own_decimals():
    frame = pd.DataFrame(
        {
            "nps": [51.0, 50.3, -12.5],  # one decimal
            "performance": [8.5, 8.25, math.nan],  # two, a gap aside
            "count": [3, 4, 35634],  # whole numbers: 35,634
            "whole": [72.0, 74.0, 10028.0],  # floats without fractions: 10,028
            "p_value": [0.6970254, 0.0001234, 0.05],  # finer than three: as they are
            "name": ["a", "b", "c"],
            "flag": [True, False, True],  # not a number
        }
    )
    assert _formats(frame) == {
        "nps": "%,.1f",
        "performance": "%,.2f",
        "count": "%,d",
        "whole": "%,.0f",
    }


def test_an_empty_or_all_missing_column_is_left_alone():
    assert number_formats(pd.DataFrame({"nps": [math.nan, math.nan]})) == {}
    assert number_formats(pd.DataFrame({"nps": pd.Series([], dtype=float)})) == {}


def _table_with_gaps():
    import pandas as pd

    from cx.ui import dataframe

    frame = pd.DataFrame(
        {
            "n": [7852, 12, 300],
            "answers": [7852.0, float("nan"), 12.0],
            "change": [0.05, -0.10, float("nan")],
            "rank": pd.array([1, None, 2], dtype="Int64"),
            "city": ["杭州", None, "宁波"],
        }
    )
    dataframe(frame, hide_index=True, key="gaps")


def test_a_gap_shows_a_dash_and_its_column_keeps_its_numbers():
    """The grid draws each missing cell as the table's placeholder ('—', not 'None'); a
    column with a gap stays a column of numbers (as text, a click on its header sorted
    -0.10 after 0.05; tests/test_browser_upload.py clicks it), shown as its whole
    column is."""
    import json

    from streamlit.testing.v1 import AppTest

    at = AppTest.from_function(_table_with_gaps).run()
    assert not at.exception, at.exception
    grid = at.dataframe[0]
    assert grid.proto.placeholder == "—"
    shown = grid.value
    assert shown["answers"].dtype.kind == "f" and shown["answers"].isna().tolist() == [
        False,
        True,
        False,
    ]
    assert shown["change"].dtype.kind == "f"
    assert shown["rank"].dtype.kind in "iu" or str(shown["rank"].dtype) == "Int64"
    formats = {
        c: cfg["type_config"]["format"]
        for c, cfg in json.loads(grid.proto.columns).items()
        if cfg.get("type_config", {}).get("format")
    }
    assert formats == {"n": "%,d", "answers": "%,.0f", "change": "%,.2f", "rank": "%,d"}


def test_every_download_button_starts_no_rerun():
    """A click on a download asks the server for its file; a rerun started by the same
    click can withdraw a file made when clicked (Streamlit drops the previous run's ids
    when a run ends). Every download button of the app passes on_click="ignore"."""
    import ast
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    calls, rerunning = 0, []
    for path in sorted([*root.glob("cx/**/*.py"), *root.glob("pages/*.py"), root / "app.py"]):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                not isinstance(node, ast.Call)
                or getattr(node.func, "attr", "") != "download_button"
            ):
                continue
            calls += 1
            ignore = [
                k
                for k in node.keywords
                if k.arg == "on_click"
                and isinstance(k.value, ast.Constant)
                and k.value.value == "ignore"
            ]
            if not ignore:
                rerunning.append(f"{path.relative_to(root)}:{node.lineno}")
    assert calls >= 10  # the scan sees the app's download buttons
    assert not rerunning, rerunning


# Tables whose download is a button of their own (a deferred whole-list read, a named
# export) and the one without: the upload's preview, of the file the analyst holds.
OWN_DOWNLOAD = {"cb_table", "data_rejects", "data_audit", "seg_split_table", "up_rejects_table"}
NO_DOWNLOAD = {"up_preview_table"}


def test_every_table_has_a_download_of_the_apps_own():
    """The grid's own CSV and copy are off (``client.disableDataExport``: they wrote a
    comment such as '=HYPERLINK(...)' as a formula), so a table without the app's download
    (``cx.ui.dataframe(download=...)``) could not be taken out at all: the planner's and
    the grants' tables had none. Every table the pages draw has one, or a button of its
    own, or is the upload's preview."""
    import ast

    config = (ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8")
    assert "disableDataExport = true" in config
    missing = []
    for path in sorted((ROOT / "cx" / "ui").glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", None)
            if name not in ("dataframe", "table", "uploads_table"):
                continue
            if isinstance(func, ast.Attribute) and getattr(func.value, "id", "") in ("st", "place"):
                continue  # Streamlit's own, inside cx.ui.dataframe
            if (
                path.name == "__init__.py"
                and node.args
                and getattr(node.args[0], "id", "") == "frame"
            ):
                continue  # cx.ui.table passing its caller's options on
            keys = {k.arg: k.value for k in node.keywords}
            key = getattr(keys.get("key"), "value", None)
            if "download" not in keys and key not in OWN_DOWNLOAD | NO_DOWNLOAD:
                missing.append(f"{path.name}:{node.lineno} key={key}")
    assert not missing, missing


def test_a_column_of_days_is_shown_as_days_and_times_keep_their_time():
    """A DATE column reads into pandas as midnight datetimes: the upload's preview showed
    a service date as '2025-10-31 00:00:00'."""
    frame = pd.DataFrame(
        {
            "service_date": pd.to_datetime(["2025-10-31", None, "2025-11-01"]),
            "responded_at": pd.to_datetime(["2025-10-31 09:30", "2025-10-31 00:00", None]),
        }
    )
    assert _formats(frame) == {"service_date": "YYYY-MM-DD"}
    assert number_formats(frame)["service_date"]["type_config"]["type"] == "date"
    assert number_formats(pd.DataFrame({"d": pd.to_datetime([None, None])})) == {}


def _pinned_table():
    import pandas as pd

    from cx.ui import dataframe

    frame = pd.DataFrame({"store": ["杭州一店"], "region": ["华东"], "nps": [51.3], "n": [35]})
    dataframe(
        frame,
        hide_index=True,
        key="pinned",
        pin=2,
        column_config={"region": "区域", "nps": {"width": 60}},
    )


def _config(at, first: str, marker: str | None = None) -> dict:
    """The column settings of the one table whose first column is ``first`` (and which
    has a column ``marker``)."""
    import json

    (grid,) = [
        d
        for d in at.dataframe
        if list(d.value.columns)[:1] == [first] and (marker is None or marker in d.value)
    ]
    return json.loads(grid.proto.columns)


def _pinned(at, first: str, marker: str | None = None) -> set[str]:
    return {name for name, c in _config(at, first, marker).items() if c.get("pinned")}


def test_the_columns_naming_a_row_stay_in_view_while_the_rest_scroll(demo_db):
    """A table wider than a phone, or than a projector's 1366 px, scrolls sideways; the
    columns that name its rows (the store, the project, the group) stay in view, so a
    figure scrolled to is still read against its row: they had scrolled away with it."""
    import json

    from streamlit.testing.v1 import AppTest

    from cx.i18n import t

    at = AppTest.from_function(_pinned_table).run()
    assert not at.exception, at.exception
    assert _pinned(at, "store") == {"store", "region"}
    assert _config(at, "store")["region"]["label"] == "区域"  # a caller's label kept
    # a width alone keeps the column's format (one decimal)
    nps = _config(at, "store")["nps"]
    assert nps["width"] == 60 and nps["type_config"]["format"] == "%,.1f"

    from cx import access, db

    with db.connect(demo_db) as con:  # a grant for the access page's table
        access.grant(con, "manager@example.com", "store", stores=["HZ01"], user="admin")
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.session_state["rank_all"] = True  # the board's whole ranking, opened
    at.session_state["board_store"] = "*"
    at.run()
    assert not at.exception, at.exception
    rank, store = (t(f"board.rank.col.{c}", "zh") for c in ("rank", "store"))
    assert _pinned(at, rank) == {rank, store}
    for page, first, marker in (
        ("segments", "seg.col.group", "seg.col.change"),  # the comparison
        ("segments", "seg.col.group", "seg.col.share_p"),  # the split
        ("segments", "seg.col.reason", "seg.col.cum_share"),
        ("quadrant", "quad.col.store", None),
        ("planner", "plan.col.project", "plan.col.d2pa"),
        ("access", "access.col.email", "access.col.role"),
        ("upload", "col.upload_id", "col.status"),  # the upload history
        ("data", "col.upload_id", "col.status"),
        ("heatmap", "heat.col.touchpoint", "heat.col.zone"),
    ):
        at.switch_page(f"pages/{page}.py").run()
        assert not at.exception, (page, at.exception)
        marker = t(marker, "zh") if marker else None
        assert _pinned(at, t(first, "zh"), marker) == {t(first, "zh")}, page
    # the heatmap's store ranking, its rank narrow enough for the two to stay pinned
    # (the heatmap is the page the loop ends on)
    rank, store = (t(f"heat.col.{c}", "zh") for c in ("rank", "store"))
    assert _pinned(at, rank, t("heat.col.weakest", "zh")) == {rank, store}
    heat_rank = _config(at, rank, t("heat.col.weakest", "zh"))[rank]
    assert heat_rank["width"] == 60 and heat_rank["type_config"]["format"] == "%,d"
    # the segments' reasons per store, once opened
    at.session_state["seg_by_store"] = True
    at.switch_page("pages/segments.py").run()
    store = t("seg.col.store", "zh")
    assert _pinned(at, store, t("seg.col.n_detractors", "zh")) == {store}
    # the planner's project editor: the reader's name of a project (a Chinese page's first)
    at.switch_page("pages/planner.py").run()
    (editor,) = [d for d in at.dataframe if d.proto.editing_mode]
    config = json.loads(editor.proto.columns)
    assert {k for k, c in config.items() if c.get("pinned")} == {"name_zh"}
