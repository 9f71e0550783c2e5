"""The schema is checked once per file: a replaced or rewritten file is checked again."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import duckdb
import pytest

from cx import db

ROOT = Path(__file__).resolve().parent.parent


def test_a_file_replaced_after_its_check_is_checked_again(demo_db, tmp_path):
    with db.connect(demo_db) as con:  # checked: this app's file, schema current
        assert con.execute("SELECT count(*) FROM responses").fetchall()[0][0] > 0
    foreign = tmp_path / "foreign.duckdb"
    other = duckdb.connect(str(foreign))
    other.execute("CREATE TABLE invoices (id INTEGER)")
    other.close()
    shutil.copy(foreign, demo_db)  # a restore of the wrong file, in place
    with pytest.raises(db.DatabaseRefused, match="another program"), db.connect(demo_db):
        pass


def test_a_newer_schema_written_after_the_check_is_refused(demo_db):
    with db.connect(demo_db):
        pass
    other = duckdb.connect(str(demo_db))  # another (newer) app writes the file
    other.execute("UPDATE meta SET value = '99' WHERE key = 'schema_version'")
    other.close()
    with pytest.raises(db.DatabaseRefused, match="newer version"), db.connect(demo_db):
        pass


def test_a_rebuilt_demo_gets_its_schema_checked_and_reads(tmp_path):
    from cx import demo

    path = tmp_path / "cx.duckdb"
    demo.build(path, scale=0.01, force=True)
    with db.connect(path) as con:
        first = con.execute("SELECT count(*) FROM responses").fetchall()[0][0]
    demo.build(path, scale=0.02, force=True)  # a new file under the same name
    with db.connect(path) as con:
        assert con.execute("SELECT count(*) FROM responses").fetchall()[0][0] > first


def test_a_kept_connection_never_carries_one_persons_stores_to_another(demo_db):
    from streamlit import config as st_config

    from cx import access, ui

    before = st_config.get_option("global.appTest")
    st_config.set_option("global.appTest", False)  # the server's path: the file is kept open
    try:
        store = access.scope_key(
            access.Person(email="m@x", roles=frozenset({"store"}), stores=frozenset({"HZ01"}))
        )
        network = access.scope_key(access.open_person())
        path = str(demo_db)
        mine = ui._cached((path, 1, store, "cx.queries", "stores", ()))
        assert ui._KEEPER  # held between the loads
        everyone = ui._cached((path, 1, network, "cx.queries", "stores", ()))
        again = ui._cached((path, 2, store, "cx.queries", "stores", ()))
        ui.release_all()
        assert not ui._KEEPER  # given back: another program may open the file
    finally:
        st_config.set_option("global.appTest", before)
        ui.release_all()
    assert list(mine["store_id"]) == ["HZ01"] == list(again["store_id"])
    assert len(everyone) == 44


def test_connections_opened_and_closed_in_threads_keep_their_python_scans(tmp_path):
    """duckdb-python 2.0.1 shares one database instance among a process's connections to
    a file: a connection opened while another thread closed the last one could come up
    without its Python scan functions, and an upload's commit failed with "python_arrow_scan
    does not exist". Without cx.db's turns this test failed two runs in three; with them a
    thread churning connections never breaks another's reads of an Arrow table."""
    import threading
    import time

    import pyarrow as pa

    path = tmp_path / "cx.duckdb"
    db.close(db.open_connection(path))
    rows = pa.table({"a": list(range(100))})
    stop, errors = threading.Event(), []

    def churn():
        while not stop.is_set():
            db.close(db.open_connection(path))

    thread = threading.Thread(target=churn)
    thread.start()
    reads = 0
    try:
        end = time.monotonic() + 4
        while time.monotonic() < end:
            con = db.open_connection(path)
            try:
                con.register("cx_rows", rows)
                assert con.execute("SELECT count(*) FROM cx_rows").fetchall() == [(100,)]
                assert con.execute("SELECT count(*) FROM rows").fetchall() == [(100,)]
            except duckdb.Error as exc:
                errors.append(str(exc))
            finally:
                db.close(con)
            reads += 1
    finally:
        stop.set()
        thread.join()
    assert reads > 50 and not errors, (reads, errors[:3])


def test_every_pages_loads_are_cached_under_a_text_that_names_their_values(demo_db):
    """cx.ui caches a load under its key's ``repr``: each key a page asks for must read
    back as the same values (no object's address, nothing left out), or two different
    loads could share an answer."""
    import datetime as dt

    from streamlit.testing.v1 import AppTest

    from cx import ui
    from cx.scope import Scope

    seen: dict[str, tuple] = {}
    original = ui._cached_text

    def spy(text, key):
        seen[text] = key
        return original(text, key)

    ui._cached_text = spy
    try:
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
        for page, state in (
            ("board", {"board_store": "HZ01"}),
            ("planner", {}),
            ("heatmap", {}),
            ("overview", {}),
        ):
            for k, v in state.items():
                at.session_state[k] = v
            at.switch_page(f"pages/{page}.py").run()
            assert not at.exception, (page, at.exception)
    finally:
        ui._cached_text = original
    names = {"Scope": Scope, "datetime": dt, "frozenset": frozenset}
    assert len(seen) > 10
    for text, key in seen.items():
        assert " at 0x" not in text, text
        assert eval(text, names) == key, text  # the keys this test saw the app make


def test_a_callback_saved_keeps_the_other_pages_cached_and_the_board_not(demo_db):
    """At 8:30 a network's managers save callbacks every few seconds. A saved callback
    changes the board and the audit log only: the overview is not computed again for it
    (it stays cached under the base version), the board is; a target set (any other
    write) makes the overview compute again."""
    from streamlit.testing.v1 import AppTest

    from cx import followups, targets, ui

    computed: list[tuple[str, str]] = []
    named = ui._named

    def spy(ref):  # called inside the cached body: once per load computed, never on a hit
        computed.append(ref)
        return named(ref)

    def other_session_writes(write) -> None:
        with db.connect(demo_db) as con:
            write(con)
        ui.invalidate()  # what VERSION_TTL does a second later

    with db.connect(demo_db) as con:
        answer = con.execute(
            "SELECT response_id FROM responses WHERE store_id = 'HZ01' AND nps <= 6"
            " ORDER BY responded_at DESC LIMIT 1"
        ).fetchall()[0][0]
    ui._named = spy
    try:
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
        at.switch_page("pages/overview.py").run()
        assert ("cx.views.overview", "view") in computed
        computed.clear()
        other_session_writes(lambda c: followups.set_followup(c, answer, "contacted", user="m@x"))
        at.switch_page("pages/overview.py").run()
        assert not at.exception
        assert ("cx.views.overview", "view") not in computed
        at.switch_page("pages/board.py").run()
        assert ("cx.views.board", "view") in computed
        computed.clear()
        other_session_writes(
            lambda c: targets.set_target(c, "HZ01", date(2026, 12, 1), 80.0, user="m@x")
        )
        at.switch_page("pages/overview.py").run()
        assert ("cx.views.overview", "view") in computed
    finally:
        ui._named = named


def test_no_page_computes_its_data_again_when_it_runs_again(demo_db):
    """A page's first run asks for its defaults (None) and its pickers then hold what the
    view chose; the next run (any click) must find the same cached data, not compute
    the whole view again under the pickers' values."""
    from streamlit.testing.v1 import AppTest

    from cx import ui

    computed: list[tuple[str, str]] = []
    named = ui._named

    def spy(ref):
        computed.append(ref)
        return named(ref)

    ui._named = spy
    try:
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
        for page in ("board", "overview", "segments", "heatmap", "quadrant", "planner", "data"):
            at.switch_page(f"pages/{page}.py").run()
            computed.clear()
            at.run()
            assert not at.exception, (page, at.exception)
            assert computed == [], page
    finally:
        ui._named = named


def test_the_base_version_moves_with_every_write_but_a_callback(con):
    from cx import followups, targets

    answer = con.execute("SELECT response_id FROM responses LIMIT 1").fetchall()[0][0]
    data, base = db.data_versions(con)
    followups.set_followup(con, answer, "contacted", user="m@x")
    assert db.data_versions(con) == (data + 1, base)
    targets.set_target(con, "HZ01", date(2026, 12, 1), 80.0, user="m@x")
    assert db.data_versions(con) == (data + 2, data + 2)
    # a file written before the base version: its base is its data version until a
    # callback, which then keeps it
    con.execute("DELETE FROM meta WHERE key = 'base_version'")
    assert db.data_versions(con) == (data + 2, data + 2)
    followups.set_followup(con, answer, "resolved", root_cause="waiting", user="m@x")
    assert db.data_versions(con) == (data + 3, data + 2)


def test_a_charts_cache_name_changes_with_its_content_and_only_with_it():
    """cx.ui.chart caches a spec under a digest of its arguments' text: equal arguments
    name one entry however they were built, and any change of a value,
    a column, a dtype or an array's element names another."""
    import numpy as np
    import pandas as pd

    from cx import ui

    def name(*args):
        return ui._arg_bytes(args)

    shared = "NPS 61.2 [55.0, 67.4] n=120"
    one = pd.DataFrame({"group": ["A", "B"], "text": [shared, shared], "n": [1, 2]})
    other = pd.DataFrame(
        {"group": ["A", "B"], "text": [shared[:4] + shared[4:], "".join(shared)], "n": [1, 2]}
    )
    assert name(one, {"n": "答卷"}) == name(other, {"n": "答卷"})
    # the same values built column by column: another memory layout, another pickle
    built = pd.DataFrame({"group": ["A", "B"]}).assign(text=[shared, shared]).assign(n=[1, 2])
    assert name(built) == name(one)
    assert name(one) != name(one.assign(n=[1, 3]))
    assert name(one) != name(one.assign(n=[1.0, 2.0]))  # a dtype
    assert name(one) != name(one.rename(columns={"n": "m"}))
    assert name(one) != name(one.set_axis([5, 6]))  # the index
    assert name(one, {"n": "答卷"}) != name(one, {"n": "样本"})
    draws = np.arange(10_000, dtype=float)  # the planner's outcome draws
    changed = draws.copy()
    changed[5_000] += 0.5  # in the middle, where a printed array says '...'
    assert name(draws) != name(changed)
    assert name(0.1 + 0.2) != name(0.3)


def test_a_stores_board_stays_cached_while_another_store_saves_a_callback(demo_db):
    """At 8:30 every store saves callbacks: HZ01's board and 华东's are computed again
    for a callback of theirs only; BJ01's (华北) leaves them cached, while the network's
    board is computed again for any store's."""
    from streamlit.testing.v1 import AppTest

    from cx import followups, ui

    computed: list[tuple] = []
    named = ui._named

    def spy_named(ref):
        computed.append((ref, current[0]))
        return named(ref)

    current = [""]
    ui._named = spy_named

    def board_of(at, store):
        current[0] = store
        at.session_state["board_store"] = store
        at.switch_page("pages/board.py").run()
        assert not at.exception, at.exception

    def computed_boards():
        return {s for ref, s in computed if ref == ("cx.views.board", "view")}

    def callback(store):
        with db.connect(demo_db) as con:
            rid = con.execute(
                "SELECT response_id FROM responses WHERE store_id = ? AND nps <= 6 LIMIT 1",
                [store],
            ).fetchall()[0][0]
            followups.set_followup(con, rid, "contacted", user="m@x")
        ui.invalidate()  # what VERSION_TTL does a second later

    try:
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
        for store in ("HZ01", "region:华东", "*"):
            board_of(at, store)
        computed.clear()
        callback("BJ01")  # a store of 华北
        for store in ("HZ01", "region:华东", "*"):
            board_of(at, store)
        assert computed_boards() == {"*"}
        computed.clear()
        callback("HZ01")
        for store in ("HZ01", "region:华东", "*"):
            board_of(at, store)
        assert computed_boards() == {"HZ01", "region:华东", "*"}
    finally:
        ui._named = named


def test_a_page_runs_loads_share_one_connection_per_person_and_give_the_file_back(
    demo_db, monkeypatch
):
    """A run's loads read through one connection per scope (the network board's eight
    loads had opened eight), a store manager's never through the network's; when the run
    ends the file is free for another program."""
    monkeypatch.delenv("CX_CHECK_LOADS", raising=False)  # the suite's own check: per load
    from streamlit import config as st_config

    from cx import access, ui

    store = access.scope_key(
        access.Person(email="m@x", roles=frozenset({"store"}), stores=frozenset({"HZ01"}))
    )
    network = access.scope_key(access.open_person())
    path = str(demo_db)
    opened = []
    duck = db._duck

    def counted(*args):
        opened.append(args[0])
        return duck(*args)

    before = st_config.get_option("global.appTest")
    st_config.set_option("global.appTest", False)  # the server's path: the file is kept open
    db._duck = counted
    try:
        with ui.as_one_run():
            got = [
                ui._cached((path, 1, scope, "cx.queries", "stores", ()))
                for scope in (store, network, store, network, store)
            ]
            ui._cached((path, 1, network, "cx.queries", "date_bounds", ()))
            ui._cached((path, 1, store, "cx.queries", "date_bounds", ()))
            assert ui._KEEPER  # held for the run
        ui.release_all()
        assert not ui._KEEPER  # given back: another program may open the file
    finally:
        db._duck = duck
        st_config.set_option("global.appTest", before)
        ui.release_all(every=True)
    # the kept file, then one connection for each person's loads
    assert len(opened) == 3, opened
    assert [list(g["store_id"]) == ["HZ01"] for g in got] == [True, False, True, False, True]
    assert [len(g) for g in got[1::2]] == [44, 44]
    other = duckdb.connect(path)  # another program writes the file after the run
    other.execute("UPDATE meta SET value = value WHERE key = 'schema_version'")
    other.close()


def test_a_fragments_run_keeps_no_connection_open_after_its_loads(demo_db, monkeypatch):
    """A fragment reruns alone, without the frame that closes a run's shared reader at
    its end: its loads open and close their own, so the file is not held after it."""
    from types import SimpleNamespace

    from streamlit import config as st_config

    from cx import access, ui

    monkeypatch.delenv("CX_CHECK_LOADS", raising=False)
    network = access.scope_key(access.open_person())
    before = st_config.get_option("global.appTest")
    st_config.set_option("global.appTest", False)
    try:
        ui._OUTSIDE.run = SimpleNamespace(cursors={}, fragment_ids_this_run=["plan"])
        got = ui._cached((str(demo_db), 1, network, "cx.queries", "stores", ()))
        assert len(got) == 44
        assert not ui._READERS  # nothing left open for the frame to close
    finally:
        ui._OUTSIDE.run = None
        st_config.set_option("global.appTest", before)
        ui.release_all(every=True)
