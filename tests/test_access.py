"""Sign-in, roles and scoped data: what each person sees and may change, and the audit log."""

from __future__ import annotations

import html
import io
import json
import re
from datetime import date
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from cx import access, cli, db, followups, i18n, ingest, planner, privacy, queries, targets, ui
from cx.enums import PAIN_POINTS, label
from cx.queries import board as qb
from cx.queries import planner as planner_q
from cx.queries import segments as qs
from cx.scope import Scope
from tests.support import AUTH, revoke_on_page, signed_in_app

ROOT = Path(__file__).resolve().parent.parent


def grant(path, email, role, stores=(), regions=()):
    assert (
        cli.main(
            ["access", "grant", email, role, "--db", str(path)]
            + [a for s in stores for a in ("--store", s)]
            + [a for r in regions for a in ("--region", r)]
        )
        == 0
    )


def plan_link(at) -> str:
    """The planner's plan as its address carries it (``?plan=``)."""
    word = at.query_params["plan"]
    return word[0] if isinstance(word, list) else word


def load_scenario(at, name: str) -> tuple[float, str]:
    """Load the saved scenario ``name``: (the baseline NPS it shows, its plan's link)."""
    at.selectbox(key="plan_scn_pick").select(name).run()
    at.button(key="plan_scn_load").click().run()
    return at.number_input(key="plan_base_nps").value, plan_link(at)


# --------------------------------------------------------------------------- cx.access


ONE_ROW = b"response_id,store_id,responded_at,nps\nX1,HZ01,2025-10-30 10:00,9\n"


def analyst_upload(path, name: str = "one.csv", data: bytes = ONE_ROW):
    """(the analyst ana@x.com, given the role here, and the result of their upload)."""
    grant(path, "ana@x.com", "analyst")
    with db.connect(path) as con:
        analyst = access.resolve(con, "ana@x.com")
    return analyst, access.upload(analyst, data, name, db_path=path)


def test_resolve_adds_up_grants(con):
    stores_east = {
        r[0] for r in con.execute("SELECT store_id FROM stores WHERE region = '华东'").fetchall()
    }
    access.grant(con, "m@x.com", "store", ["HZ01"])
    access.grant(con, "m@x.com", "store", ["SH03"])
    access.grant(con, "r@x.com", "region", regions=["华东"])
    access.grant(con, "t@x.com", "trainer")
    m = access.resolve(con, "M@X.com ")
    assert m.stores == {"HZ01", "SH03"} and m.roles == {"store"}
    assert access.resolve(con, "r@x.com").stores == stores_east
    assert access.resolve(con, "t@x.com").stores is None
    assert not access.resolve(con, "nobody@x.com").has_access
    with pytest.raises(ValueError, match="store role needs"):
        access.grant(con, "m@x.com", "store")
    with pytest.raises(ValueError, match="unknown role"):
        access.grant(con, "m@x.com", "boss")


def test_scoped_connection_sees_only_the_persons_stores(con):
    access.grant(con, "m@x.com", "store", ["HZ01"])
    person = access.resolve(con, "m@x.com")
    all_n = con.execute("SELECT count(*) FROM responses").fetchall()[0][0]
    hz_n = con.execute("SELECT count(*) FROM responses WHERE store_id = 'HZ01'").fetchall()[0][0]
    access.apply_scope(con, person)
    # Every way of asking reaches only HZ01: the store list, a query naming another store,
    # a region, the rollups, follow-ups and the network-wide upload records.
    assert list(queries.stores(con)["store_id"]) == ["HZ01"]
    assert list(queries.store_list(con)["store_id"]) == ["HZ01"]
    assert con.execute("SELECT count(*) FROM responses").fetchall()[0][0] == hz_n < all_n
    assert con.execute("SELECT count(*) FROM main.responses").fetchall()[0][0] == hz_n
    assert qb.latest_day(con, Scope.of_store("SH03")) is None
    assert qb.latest_day(con, Scope.of_region("华北")) is None
    assert qb.latest_day(con, Scope()) == date(2025, 10, 31)
    assert set(qs.histogram(con, Scope(stores=("SH03",)))["n"]) <= {0}
    assert (
        con.execute(
            "SELECT count(*) FROM followups f JOIN responses r USING (response_id)"
            " WHERE r.store_id <> 'HZ01'"
        ).fetchall()[0][0]
        == 0
    )
    assert con.execute("SELECT count(*) FROM followups").fetchall()[0][0] > 0
    assert queries.uploads(con).empty and queries.rejects(con).empty
    assert access.grants(con).empty
    for rollup in ("daily_rollup", "driver_rollup"):
        stores = con.execute(f"SELECT DISTINCT store_id FROM {rollup}").fetchall()
        assert stores == [("HZ01",)], rollup


def test_every_table_that_holds_stores_is_cut_to_the_scope(con):
    """A table added later with a store_id column cannot be read past the scope."""
    held = {
        t
        for (t,) in con.execute(
            "SELECT table_name FROM information_schema.columns"
            " WHERE column_name = 'store_id' AND table_catalog = current_database()"
        ).fetchall()
    }
    assert {"responses", "daily_rollup", "driver_rollup"} <= held
    assert held <= set(access._SHADOW)


def test_a_scenario_planned_on_a_stores_data_is_read_by_that_stores_people_only(con):
    """A scenario saved on BJ01's data carries its baseline and pain-point mix: HZ01's
    manager and 华东's do not see it (a store manager had loaded another store's numbers
    through one); each sees its own store's and region's, the network's people all."""
    from cx.queries import planner as qp

    payload = '{"baseline": {"nps": 19.4}, "projects": []}'
    for name, scope in (
        ("BJ01 Oct", "BJ01"),
        ("HZ01 Oct", "HZ01"),
        ("East", "region:华东"),
        ("North", "region:华北"),
        ("Network", "*"),
        ("Before scopes", None),
    ):
        qp.save_scenario(con, name, payload, user="t@x.com", scope=scope)
    everyone = set(qp.scenarios(con)["name"])
    region_of = dict(con.execute("SELECT store_id, region FROM stores").fetchall())
    assert region_of["HZ01"] == "华东" and region_of["BJ01"] != "华东"
    access.grant(con, "m@x.com", "store", ["HZ01"])
    access.grant(con, "r@x.com", "region", regions=["华东"])
    with access.scoped_connection(access.scope_key(access.resolve(con, "m@x.com"))) as mine:
        assert set(qp.scenarios(mine)["name"]) == {"HZ01 Oct"}
        assert qp.scenario_payload(mine, "BJ01 Oct") is None
    with access.scoped_connection(access.scope_key(access.resolve(con, "r@x.com"))) as east:
        assert set(qp.scenarios(east)["name"]) == {"HZ01 Oct", "East"}
    assert everyone == {"BJ01 Oct", "HZ01 Oct", "East", "North", "Network", "Before scopes"}


def test_writes_are_checked_scoped_and_audited(con):
    access.grant(con, "m@x.com", "store", ["HZ01"])
    access.grant(con, "t@x.com", "trainer")
    manager = access.resolve(con, "m@x.com")
    trainer = access.resolve(con, "t@x.com")
    own = con.execute("SELECT response_id FROM responses WHERE store_id='HZ01' AND nps<=6 LIMIT 1")
    own = own.fetchall()[0][0]
    other = con.execute("SELECT response_id FROM responses WHERE store_id='SH03' LIMIT 1")
    other = other.fetchall()[0][0]

    access.perform(con, manager, followups.set_followup, own, "contacted", "Li", "called")
    row = con.execute("SELECT updated_by FROM followups WHERE response_id = ?", [own]).fetchall()
    assert row == [("m@x.com",)]
    with pytest.raises(access.Forbidden) as exc:
        access.perform(con, manager, followups.set_followup, other, "contacted", "Li", "x")
    assert exc.value.key == "access.denied.store"
    with pytest.raises(access.Forbidden):
        access.perform(con, manager, targets.set_target, "SH03", date(2025, 10, 1), 70.0)
    with pytest.raises(access.Forbidden):
        access.perform(con, manager, targets.set_target, "*", date(2025, 10, 1), 70.0)
    access.perform(con, manager, targets.set_target, "HZ01", date(2025, 11, 1), 78.0)
    with pytest.raises(access.Forbidden) as exc:
        access.perform(con, trainer, ingest.undo, 0)
    assert exc.value.key == "access.denied.role"
    planner_q.save_scenario(con, "HZ01 plan", "{}", scope="HZ01")
    with pytest.raises(access.Forbidden) as exc:  # the manager reads it, may not delete it
        access.perform(con, manager, planner_q.delete_scenario, "HZ01 plan")
    assert exc.value.key == "access.denied.role"
    assert access.perform(con, trainer, planner_q.delete_scenario, "HZ01 plan") is True
    assert not access.perform(con, trainer, planner_q.delete_scenario, "HZ01 plan")
    with pytest.raises(access.Forbidden) as exc:
        access.perform(con, manager, db.bump_data_version)  # not a registered write
    assert exc.value.key == "access.denied.unknown_write"
    log = access.audit_log(con)
    mine = log[log["who"] == "m@x.com"]
    assert list(mine["action"]) == ["target", "callback"]  # newest first; refusals write nothing
    assert own in mine["target"].iloc[1]
    assert mine["target"].iloc[0] == "HZ01 2025-11-01 78.0"  # which month's target


def test_a_callbacks_root_cause_reads_in_the_readers_language_apart_from_the_note(con):
    """The callback form's save (status, owner, note, root cause): the audit log had
    shown the root cause's key glued to the note ('已致电致歉 waiting'), in both
    languages and in its download."""
    access.grant(con, "m@x.com", "store", ["HZ01"])
    manager = access.resolve(con, "m@x.com")
    rows = con.execute(
        "SELECT response_id FROM responses WHERE store_id='HZ01' AND nps<=6 LIMIT 3"
    ).fetchall()
    (a,), (b,), (c,) = rows
    access.perform(
        con, manager, followups.set_followup, a, "resolved", "王店长", "已致电致歉", "waiting"
    )
    access.perform(con, manager, followups.set_followup, b, "resolved", "王店长", None, "cost")
    access.perform(con, manager, followups.set_followup, c, "contacted", "王店长", "cause=waiting")
    log = access.audit_log(con).iloc[:3]
    zh, en = access.audit_shown(log, "zh"), access.audit_shown(log, "en")
    assert zh["detail"].tolist() == [
        "cause=waiting",  # typed by a person: as written
        "根本原因：" + label(PAIN_POINTS, "cost", "zh"),
        "根本原因：" + label(PAIN_POINTS, "waiting", "zh") + "；备注：已致电致歉",
    ]
    assert en["detail"].tolist() == [
        "cause=waiting",
        "Root cause: " + label(PAIN_POINTS, "cost", "en"),
        "Root cause: " + label(PAIN_POINTS, "waiting", "en") + "; note: 已致电致歉",
    ]
    assert zh["target"].iloc[2] == f"{a} 已解决 王店长"


def test_the_audit_log_names_a_targets_month_and_milestones_not_a_plans_json(con):
    """An audit line says what changed: a target's store, month, value and milestones; a
    saved plan's name (its JSON is the scenario's own record, not a line to read)."""
    from cx.queries import planner as qp

    everyone = access.open_person()
    access.perform(
        con, everyone, targets.set_target, "HZ01", date(2025, 12, 1), 76.0, {10: 73.0, 20: 74.5}
    )
    access.perform(con, everyone, qp.save_scenario, "课堂计划", '{"projects": [1, 2, 3]}')
    log = access.audit_log(con)
    plan, target = log.iloc[0], log.iloc[1]
    assert (target["target"], target["detail"]) == ("HZ01 2025-12-01 76.0", "10:73.0,20:74.5")
    assert (plan["action"], plan["target"], plan["detail"]) == ("scenario", "课堂计划", "")


def test_cli_access_commands(demo_db, capsys):
    grant(demo_db, "Ana@X.com", "analyst")
    grant(demo_db, "m@x.com", "store", stores=["HZ01", "HZ02"])
    assert cli.main(["access", "list", "--db", str(demo_db)]) == 0
    out = capsys.readouterr().out
    assert "ana@x.com\tanalyst" in out and "m@x.com\tstore\tHZ02" in out
    # a header, and a region in its own column (a store's and a region's rows had read
    # alike), with when and by whom
    grant(demo_db, "r@x.com", "region", regions=["华东"])
    capsys.readouterr()
    assert cli.main(["access", "list", "--db", str(demo_db)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "email\trole\tstore_id\tregion\tgranted_at\tgranted_by"
    [region] = [line.split("\t") for line in lines if line.startswith("r@x.com")]
    assert region[:4] == ["r@x.com", "region", "", "华东"] and region[5] == "cli:tester"
    assert cli.main(["access", "grant", "r@x.com", "region", "--region", "华东",
                     "--db", str(demo_db)]) == 0  # fmt: skip
    assert capsys.readouterr().out == "r@x.com holds region already; nothing changed\n"
    assert cli.main(["access", "grant", "m@x.com", "store", "--db", str(demo_db)]) == 2
    assert "needs at least one --store" in capsys.readouterr().err
    assert cli.main(["access", "revoke", "m@x.com", "store", "--db", str(demo_db)]) == 0
    assert cli.main(["access", "revoke", "m@x.com", "--db", str(demo_db)]) == 2
    assert "holds no grant" in capsys.readouterr().err
    with db.connect(demo_db) as con:
        log = access.audit_log(con)
    assert list(log["action"])[:3] == ["access_revoke", "access_grant", "access_grant"]
    assert log["who"].str.startswith("cli:").all()


def test_a_grant_to_a_store_or_region_the_database_lacks_says_so(demo_db, capsys):
    """A mistyped store id was granted without a word (its manager then saw nothing); it
    is still granted (a store may come with the next upload), with a note."""
    args = ["access", "grant", "m@x.com", "store", "--store", "HZ01", "--store", "NOPE99"]
    assert cli.main([*args, "--db", str(demo_db)]) == 0
    err = capsys.readouterr().err
    assert err.strip() == (
        "note: the database has no store NOPE99 yet (a typo, or its answers are not uploaded);"
        " the grant is kept and takes effect once they are."
    )
    args = ["access", "grant", "r@x.com", "region", "--region", "华东", "--region", "火星"]
    assert cli.main([*args, "--db", str(demo_db)]) == 0
    err = capsys.readouterr().err
    assert "region 火星" in err and "华东" not in err
    with db.connect(demo_db) as con:
        kept = access.grants(con, "m@x.com")
    assert sorted(kept["store_id"]) == ["HZ01", "NOPE99"]


# --------------------------------------------------------------------------- the app


def texts(at) -> str:
    """What a person reads on the page (Markdown escapes removed)."""
    parts = [e.value for e in at.markdown] + [e.value for e in at.caption]
    parts += (
        [e.value for e in at.title] + [e.value for e in at.warning] + [e.value for e in at.info]
    )
    parts += [e.value for e in at.error] + [e.value for e in at.text]
    text = re.sub(r"\\(.)", r"\1", "\n".join(str(p) for p in parts))
    return html.unescape(text).replace("\u2060", "")


def test_open_mode_shows_the_banner(app):
    assert any("Open mode" in w.value or "开放模式" in w.value for w in app.sidebar.warning)


def test_signed_out_sees_only_the_sign_in_page(demo_db):
    at = signed_in_app(None)
    assert not at.exception
    assert at.button(key="signin")
    assert [t.value for t in at.title] == ["Please sign in"]
    assert not at.selectbox  # no data widget at all


@pytest.mark.parametrize("lacking", [("cookie_secret",), ("redirect_uri", "client_secret")])
def test_an_incomplete_auth_section_says_which_keys_it_lacks(demo_db, lacking):
    """Without cookie_secret a visitor met Streamlit's redacted error, the reason only in
    the server's log; the page now names the keys, and shows nothing else."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.secrets["auth"] = {k: v for k, v in AUTH.items() if k not in lacking}
    at.user = {"is_logged_in": False}
    at.session_state["ui_lang"] = "en"
    at.run()
    assert not at.exception, at.exception
    assert [e.value.replace("\\_", "_") for e in at.error] == [  # Markdown's escaped _
        "Sign-in is not set up completely: [auth] in .streamlit/secrets.toml lacks"
        f" {', '.join(lacking)}. The administrator completes it as the README's 'Sign-in'"
        " section says; then reload this page."
    ]
    assert not at.button and not at.selectbox  # no sign-in button that would fail


def test_no_grant_sees_only_ask_your_admin(demo_db):
    at = signed_in_app("new@x.com")
    assert not at.exception
    assert [t.value for t in at.title] == ["No access"]
    assert "new@x.com" in texts(at) and "Ask your admin" in texts(at)
    assert not at.selectbox and not at.metric


@pytest.mark.parametrize(
    ("link", "left"),
    [("SH03", None), ("HZ01,SH03", "HZ01"), ("region:华南", None), ("HZ01", "HZ01")],
)
def test_a_link_to_a_store_not_theirs_leaves_the_planners_address(demo_db, link, left):
    """/planner?store=SH03 opened by HZ01's manager: the page said SH03 is not theirs
    and kept ``store=SH03`` in the address (the board writes the store it shows in its
    place; the planner writes none), so a reload or a bookmark warned again over HZ01's
    numbers. The stores and regions they may not see leave the address; their own stay."""
    grant(demo_db, "m@x.com", "store", stores=["HZ01"])
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.secrets["auth"] = AUTH
    at.user = {"is_logged_in": True, "email": "m@x.com"}
    at.query_params["store"], at.query_params["lang"] = link, "en"
    at.session_state["ui_lang"] = "en"
    at.switch_page("pages/planner.py").run()
    assert not at.exception, at.exception
    assert at.query_params.get("store") == left, at.query_params
    assert at.query_params["lang"] == "en"
    assert "HZ01, 2025-10:" in texts(at)  # the page shows their own store's month
    at.run()  # and the next run keeps it so
    assert at.query_params.get("store") == left, at.query_params
    assert "HZ01, 2025-10:" in texts(at)


def test_an_unverified_email_gets_no_access(demo_db):
    grant(demo_db, "boss@x.com", "admin")
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.secrets["auth"] = AUTH
    at.user = {"is_logged_in": True, "email": "boss@x.com", "email_verified": False}
    at.session_state["ui_lang"] = "en"
    at.run()
    assert [t.value for t in at.title] == ["No access"]
    assert not at.selectbox


def test_store_manager_sees_only_their_store(demo_db):
    grant(demo_db, "m@x.com", "store", stores=["HZ01"])
    at = signed_in_app("m@x.com", query={"store": "SH03"})
    assert not at.exception, at.exception
    options = at.selectbox(key="board_store").options
    assert [o.split()[0] for o in options] == ["HZ01"]  # one store: no network, no region
    with db.connect(demo_db) as con:
        others = [
            r[0]
            for r in con.execute("SELECT store_id FROM stores WHERE store_id <> 'HZ01'").fetchall()
        ]
    assert not [o for o in options for s in others if s in o]
    assert "SH03" in texts(at)  # the page says the URL's store is outside the scope
    # The sidebar's store filter offers only HZ01 (first run holds the frame's widgets).
    at2 = signed_in_app("m@x.com")
    assert [o.split()[0] for o in at2.sidebar.multiselect(key="flt_stores").options] == ["HZ01"]
    # The same for the sidebar filters' ?stores= (the filter itself keeps only HZ01).
    at4 = signed_in_app("m@x.com", query={"stores": "HZ01,SH03"})
    assert "You have no access to: SH03" in texts(at4)
    assert [o.split()[0] for o in at4.sidebar.multiselect(key="flt_stores").value] == ["HZ01"]
    # A region asked for (the board's ?store=region:, the filters' ?regions=) is said too;
    # it was dropped without a word
    at5 = signed_in_app("m@x.com", query={"store": "region:华北", "regions": "华南"})
    assert "You have no access to: region 华北, region 华南" in texts(at5)
    # Pages the role may not open are not in the navigation.
    for page in ("pages/upload.py", "pages/data.py", "pages/access.py"):
        with pytest.raises(ValueError, match="Could not find a navigation page"):
            signed_in_app("m@x.com", page=page)


def test_region_manager_scope_on_segments(demo_db):
    grant(demo_db, "r@x.com", "region", regions=["华东"])
    at = signed_in_app("r@x.com")
    with db.connect(demo_db) as con:
        east = sorted(
            r[0]
            for r in con.execute("SELECT store_id FROM stores WHERE region = '华东'").fetchall()
        )
        east_n = con.execute(
            "SELECT count(*) FROM responses r JOIN stores s USING (store_id)"
            " WHERE s.region = '华东'"
        ).fetchall()[0][0]
    assert sorted(o.split()[0] for o in at.sidebar.multiselect(key="flt_stores").options) == east
    assert at.sidebar.multiselect(key="flt_regions").options == ["华东"]
    # 'all' is all of theirs, on the board, its weekly report and the sidebar; their
    # downloads are named for it ('callbacks___20251031.csv' had come of '*')
    assert at.selectbox(key="board_store").options[0] == "All my stores"
    assert at.selectbox(key="board_store").value == "*"
    assert at.sidebar.multiselect(key="flt_stores").proto.placeholder == "All my stores"
    at.session_state["board_tab"] = "report"
    at.run()
    assert any(m.value.startswith("### All my stores weekly report") for m in at.markdown)
    from cx.ui.board import file_key

    assert [file_key(k) for k in ("*", "region:华东", "region:华东,HZ01", "HZ01")] == [
        "all", "region-华东", "region-华东_HZ01", "HZ01"
    ]  # fmt: skip
    ov = signed_in_app("r@x.com", page="pages/overview.py")
    assert any("All my stores" in c.value for c in ov.caption), [c.value for c in ov.caption]
    # their own region in the URL is theirs; another is said
    mine = signed_in_app("r@x.com", query={"store": "region:华东"})
    assert "no access" not in texts(mine)
    other = signed_in_app("r@x.com", query={"store": "region:华北"})
    assert "You have no access to: region 华北" in texts(other)
    with db.connect(demo_db) as con:
        access.apply_scope(con, access.resolve(con, "r@x.com"))
        assert con.execute("SELECT count(*) FROM responses").fetchall()[0][0] == east_n


def test_admin_manages_access_on_the_access_page(demo_db):
    grant(demo_db, "boss@x.com", "admin")
    at = signed_in_app("boss@x.com", page="pages/access.py", lang="zh")
    assert not at.exception, at.exception
    at.text_input(key="access_email").input("new@x.com")
    at.session_state["access_role"] = "store"  # AppTest keeps an earlier run's format_func
    at.multiselect(key="access_stores").select("HZ01")
    submit = [b for b in at.button if "FormSubmitter" in str(b.id)]
    submit[0].click().run()
    assert not at.exception, at.exception
    with db.connect(demo_db) as con:
        person = access.resolve(con, "new@x.com")
        log = access.audit_log(con)
    assert person.stores == {"HZ01"}
    assert log.iloc[0]["who"] == "boss@x.com" and log.iloc[0]["action"] == "access_grant"


def test_analyst_sees_the_audit_log_and_an_undo_in_it(demo_db):
    analyst, res = analyst_upload(demo_db)
    with db.connect(demo_db) as con:
        access.perform(con, analyst, ingest.undo, res.upload_id)
    at = signed_in_app("ana@x.com", page="pages/data.py")
    assert not at.exception, at.exception
    log = next(d.value for d in at.dataframe if "Who" in d.value.columns)
    mine = log[log["Who"] == "ana@x.com"]
    assert list(mine["Action"]) == ["upload undone", "upload"]  # newest first, in words
    assert f"#{res.upload_id}" in mine["Target"].iloc[1]
    at.session_state["ui_lang"] = "zh"
    at.run()
    log = next(d.value for d in at.dataframe if "操作人" in d.value.columns)
    assert list(log.loc[log["操作人"] == "ana@x.com", "操作"]) == ["撤销上传", "上传"]


def test_a_callback_note_naming_the_customer_reads_masked_in_the_audit_log(demo_db):
    """A note '已致电张伟，13912345678' on 张伟's answer: the queue masked all three, the
    audit log and its download (the Data page's table) the phone only. The log now
    masks the answer's own name too, and another answer's customer's name is not
    touched (it is not that answer's)."""
    with db.connect(demo_db) as con:
        rid, name = con.execute(
            "SELECT response_id, customer_name FROM responses WHERE nps <= 6"
            " AND length(customer_name) >= 2 ORDER BY response_id LIMIT 1"
        ).fetchall()[0]
        admin = access.Person(email="boss@x.com", roles=frozenset({"admin"}), stores=None)
        note = f"已致电{name}，13912345678"
        access.perform(con, admin, followups.set_followup, rid, "contacted", "王店长", note)
        detail = access.audit_log(con)["detail"].iloc[0]
    assert name not in detail and privacy.mask_name(name) in detail, detail
    assert "139****5678" in detail
    grant(demo_db, "boss@x.com", "admin")
    at = signed_in_app("boss@x.com", page="pages/data.py")
    assert not at.exception, at.exception
    log = next(d.value for d in at.dataframe if "Who" in d.value.columns)
    shown = log.loc[log["Who"] == "boss@x.com", "Detail"].iloc[0]
    assert name not in shown and f"已致电{privacy.mask_name(name)}" in shown, shown


def test_no_upload_is_kept_without_its_audit_line(demo_db, monkeypatch):
    """The upload and its audit line are one transaction: a failure writing the line
    (the process killed between the two, say) leaves no upload either; the line had
    been written after the commit, in a connection of its own."""
    grant(demo_db, "ana@x.com", "analyst")
    with db.connect(demo_db) as con:
        analyst = access.resolve(con, "ana@x.com")
        before = queries.scalar(con, "SELECT count(*) FROM uploads")

    def lost(*_args, **_kwargs):
        raise RuntimeError("killed")

    monkeypatch.setattr(access, "record", lost)
    with pytest.raises(RuntimeError, match="killed"):
        access.upload(
            analyst,
            b"response_id,store_id,responded_at,nps\nX1,HZ01,2025-10-30 10:00,9\n",
            "one.csv",
            db_path=demo_db,
        )
    with db.connect(demo_db) as con:
        assert queries.scalar(con, "SELECT count(*) FROM uploads") == before
        assert queries.scalar(con, "SELECT count(*) FROM responses WHERE response_id = 'X1'") == 0


def test_reveal_is_audited_and_a_manager_reveals_only_their_stores_customers(demo_db):
    """An analyst reveals one answer's contact details with an explicit click, audited. A
    store's manager, who calls the detractors back, had no reveal at all: the callback
    queue named customers they could not call. They may now reveal their own stores'
    customers, audited; another store's answer is refused below the page; a trainer (no
    callbacks) has none."""
    grant(demo_db, "ana@x.com", "analyst")
    grant(demo_db, "m@x.com", "store", stores=["HZ01"])
    grant(demo_db, "tr@x.com", "trainer")
    detractor = (
        "SELECT r.response_id, r.phone FROM responses r LEFT JOIN followups f"
        " USING (response_id) WHERE r.store_id = ? AND r.nps <= 6 AND r.phone IS NOT NULL"
        " AND f.response_id IS NULL ORDER BY r.responded_at DESC LIMIT 1"
    )
    with db.connect(demo_db) as con:
        rid, phone = con.execute(detractor, ["HZ01"]).fetchall()[0]
        other, _ = con.execute(detractor, ["SH01"]).fetchall()[0]
        manager = access.resolve(con, "m@x.com")
        with pytest.raises(access.Forbidden):  # another store's customer
            access.perform(con, manager, privacy.contact, other)
        with pytest.raises(access.Forbidden):
            access.perform(con, access.resolve(con, "tr@x.com"), privacy.contact, rid)
        assert queries.scalar(con, "SELECT count(*) FROM audit_log WHERE action = 'reveal'") == 0
    at = signed_in_app("ana@x.com")
    at.switch_page("pages/data.py").run()  # the audit log read before the reveal
    assert not at.exception, at.exception

    def reveals() -> int:
        log = next(d.value for d in at.dataframe if "Action" in d.value.columns)
        return int((log["Action"] == i18n.t("audit.action.reveal", "en")).sum())

    assert reveals() == 0
    at.query_params["store"], at.query_params["tab"] = "HZ01", "callbacks"
    at.switch_page("pages/board.py").run()
    at.selectbox(key="cb_pick").set_value(rid).run()
    assert phone not in texts(at)  # masked until asked for
    at.button(key=f"cb_reveal_{rid}").click().run()
    assert not at.exception, at.exception
    assert f"Phone: {phone}" in texts(at)
    at.session_state["ui_lang"] = "zh"
    at.run()
    assert f"电话：{phone}" in texts(at)  # a Chinese colon, as the page's other labels
    # the Data page's audit log shows it at once (it showed after some other write only)
    at.session_state["ui_lang"] = "en"
    at.switch_page("pages/data.py").run()
    assert reveals() == 1
    with db.connect(demo_db) as con:
        log = access.audit_log(con)
    assert (log.iloc[0]["who"], log.iloc[0]["action"]) == ("ana@x.com", "reveal")
    assert rid in log.iloc[0]["target"]
    # the store's manager, on their own board's callback form
    at2 = signed_in_app("m@x.com")
    at2.session_state["board_tab"] = "callbacks"
    at2.run()
    at2.selectbox(key="cb_pick").set_value(rid).run()
    assert phone not in texts(at2)
    at2.button(key=f"cb_reveal_{rid}").click().run()
    assert not at2.exception, at2.exception
    assert f"Phone: {phone}" in texts(at2)
    with db.connect(demo_db) as con:
        log = access.audit_log(con)
    assert (log.iloc[0]["who"], log.iloc[0]["action"]) == ("m@x.com", "reveal")
    assert rid in log.iloc[0]["target"]


# --------------------------------------------------------------------------- personal data

PHONES = ["+8613800138000", "138-0013-8000", "138 0013 8000", "0571-88886666", "88886666"]
PERSONAL_EXPORT = "问卷编号,门店代码,提交时间,推荐分,原因,客户姓名,手机号,车牌号\n" + "".join(
    f'P{i},HZ01,2025/10/30 9:0{i},12,"电话 {p} 找我",张三丰{i},{p},浙A1234{i}\n'
    for i, p in enumerate(PHONES)
)


def unmasked(text: str) -> list[str]:
    """Personal values of PERSONAL_EXPORT that show in ``text``."""
    found = [p for p in PHONES if p in text]
    found += [f"张三丰{i}" for i in range(len(PHONES)) if f"张三丰{i}" in text]
    found += [f"浙A1234{i}" for i in range(len(PHONES)) if f"浙A1234{i}" in text]
    found += re.findall(r"(?<!\d)1\d{10}(?!\d)|(?<!\d)8{4}6{4}(?!\d)", text)
    return found


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("微信同号13912345678 太慢了", "微信同号139****5678 太慢了"),
        ("打我电话13912345678问问", "打我电话139****5678问问"),
        ("王先生13912345678", "王先生139****5678"),
        ("座机0571-88886666找李娜", "座机057*****6666找李娜"),
        ("座机057188886666", "座机057*****6666"),
        ("电话+86 139-1234-5678", "电话139****5678"),
        ("call +86 139-1234-5678 pls", "call 139****5678 pls"),
        ("电话：13912345678", "电话：139****5678"),
        ("电话139.1234.5678", "电话139****5678"),  # dots, 4-3-4 and 0086: a review found
        ("call 1391 234 5678", "call 139****5678"),  # them whole
        ("0086 139 1234 5678", "139****5678"),
        ("版本 2025.10.01 上线", "版本 2025.10.01 上线"),
        ("订单号 A13912345678X 已处理", "订单号 A13912345678X 已处理"),  # a code, not a phone
        ("工单 201391234567890", "工单 201391234567890"),
        # typed with a Chinese input method: full-width digits and dashes
        ("客户换了新号码１３９１２３４５６７８", "客户换了新号码139****5678"),
        ("电话１３９－１２３４－５６７８", "电话139****5678"),
        ("座机（０５７１）８８８８６６６６", "座机057*****6666"),
        ("订单号 A１３９１２３４５６７８", "订单号 A１３９１２３４５６７８"),
        # against English words (a letter guard had left them whole; found by the trust
        # walk): a word is no code, a single letter is
        (
            "call me: tel13912345678 or phone13812345678",
            "call me: tel139****5678 or phone138****5678",
        ),
        ("number is13912345678", "number is139****5678"),
        ("13912345678abc", "139****5678abc"),
        ("tel0571-88886666", "tel057*****6666"),
        ("nps 'tel13912345670' is not a number", "nps 'tel139****5670' is not a number"),
        # a WeChat number after 'v', or a letter after it alone: a phone (the fixes' check);
        # an order code's capital prefix is a code
        ("加v13912345678详聊", "加v139****5678详聊"),
        ("加V13912345678", "加V139****5678"),
        ("手机13912345678v同号", "手机139****5678v同号"),
        ("电话13912345678a座", "电话139****5678a座"),
        ("订单号 SO13912345678", "订单号 SO13912345678"),
        # underscores, slashes, spaced dashes and the mobile's first three in brackets:
        # shown whole before (the planner and board walks' note)
        ("电话139_1234_5678", "电话139****5678"),
        ("电话139/1234/5678", "电话139****5678"),
        ("call 139 - 1234 - 5678", "call 139****5678"),
        ("电话+86 (139) 1234-5678", "电话139****5678"),
        ("电话（139）1234 5678", "电话139****5678"),
        ("座机0571/8888 6666", "座机057*****6666"),
        # dates and counts written with the same separators stay
        ("2025/10/15 到店", "2025/10/15 到店"),
        ("2025_10_15 13:59", "2025_10_15 13:59"),
        ("共 139 人 1234 次 5678 元", "共 139 人 1234 次 5678 元"),
    ],
)
def test_a_phone_written_against_chinese_text_is_masked(text, shown):
    assert privacy.mask_text(text) == shown


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("车牌浙A12345", "车牌浙A1**45"),
        ("car 浙a12345", "car 浙a1**45"),  # typed in lower case (the trust walk)
        ("苏ad12345 新能源", "苏ad***45 新能源"),
        # no plates: a province's character before an English word
        ("新iPhone12 很好", "新iPhone12 很好"),
        ("江苏market123", "江苏market123"),
        # car models after 新 (Xinjiang's plates begin so): no plates
        ("奥迪新A6L2023款", "奥迪新A6L2023款"),
        ("新GLC300L 的车机", "新GLC300L 的车机"),
        ("新能源浙AD12345", "新能源浙AD***45"),
    ],
)
def test_a_plate_in_free_text_is_masked_in_either_case(text, shown):
    assert privacy.mask_text(text) == shown


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("来自IP 10.0.0.99 (浙江杭州)", "来自IP 10.0.*.* (浙江杭州)"),
        ("R1,HZ01,2025-10-01,9,112.17.235.4,好", "R1,HZ01,2025-10-01,9,112.17.*.*,好"),
        ("IP:192.168.1.20手机13912345678", "IP:192.168.*.*手机139****5678"),
        ("版本 1.2.3 评分 8.5 日期 2025.10.15", "版本 1.2.3 评分 8.5 日期 2025.10.15"),
        ("ip=256.1.1.1 v1.2.3.4.5", "ip=256.1.1.1 v1.2.3.4.5"),  # not an address
    ],
)
def test_an_answerers_ip_address_in_a_raw_line_or_comment_is_masked(text, shown):
    """Survey tools export the answerer's IP (问卷星's 来自IP); the rejects' raw lines
    kept it whole in the page and both CSVs (found by the export walk)."""
    assert privacy.mask_text(text) == shown


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("车架号LSVAM4187C2184952，一直没人回电", "车架号LSV**********4952，一直没人回电"),
        ("VIN: lsvam4187c2184952", "VIN: lsv**********4952"),  # typed in lower case
        ("身份证330106199001011234", "身份证3301**********1234"),
        ("证件 33010619900101123X。", "证件 3301**********123X。"),
        ("ID 330102900101123", "ID 3301*******1123"),  # the first generation's 15 digits
        (
            "R1,HZ01,2025-10-30 10:00,12,LSVAM4187C2184952,330106199001011234",
            "R1,HZ01,2025-10-30 10:00,12,LSV**********4952,3301**********1234",
        ),  # fmt: skip
        # codes that are neither: 17 digits, 17 letters, an order number, a longer code
        ("工单 12345678901234567", "工单 12345678901234567"),
        ("ABCDEFGHJKLMNPRST", "ABCDEFGHJKLMNPRST"),
        ("订单 20251030123456789", "订单 20251030123456789"),
        ("X330106199001011234", "X330106199001011234"),
    ],
)
def test_a_vin_or_an_identity_card_number_in_free_text_is_masked(text, shown):
    """Dealer systems export a car's VIN (车架号) and an owner's identity card number
    beside the survey, and customers write them in comments: the callback card, the
    queue's export and a reject's raw line showed them whole (found by the scope walk)."""
    assert privacy.mask_text(text) == shown


def test_a_phone_in_the_advisor_column_is_masked_as_in_free_text():
    """The queue's cards and its CSV showed an advisor column's phone whole; an advisor's
    own name is staff's, and stays."""
    frame = pd.DataFrame({"advisor": ["13812345678", "王芳", None], "comment": ["好", "", None]})
    assert privacy.mask_frame(frame, allowed=False)["advisor"].tolist()[:2] == [
        "138****5678",
        "王芳",
    ]
    assert privacy.mask_frame(frame, allowed=True)["advisor"][0] == "13812345678"


def test_a_vin_or_identity_column_the_mapping_left_unmatched_is_masked_in_raw_lines():
    mapping = [["序号", "response_id"], ["车架号", ""], ["身份证号", ""], ["VIN", ""],
               ["Province", ""]]  # fmt: skip
    positions = privacy.personal_positions(mapping)
    assert sorted(positions) == [1, 2, 3]  # a province is no VIN


@pytest.mark.parametrize(
    ("stored", "edited", "saved"),
    [
        # left as shown: stored as it was
        ("电话 88886666 浙A·12345", None, "电话 88886666 浙A·12345"),
        # a line added: the masked pieces put back, the line kept
        ("新号码 13987654321", "新号码 139****4321 已约", "新号码 13987654321 已约"),
        # the number deleted, or replaced with a new one typed whole: as typed
        ("新号码 13987654321", "新号码已作废", "新号码已作废"),
        ("新号码 13987654321", "新号码 13700001111", "新号码 13700001111"),
        ("IP 10.0.3.4", None, "IP 10.0.3.4"),
    ],
)
def test_a_text_shown_masked_in_an_edit_box_saves_back_as_stored(stored, edited, saved):
    shown = privacy.shown_text(stored, allowed=False)
    assert shown == privacy.mask_text(stored) and shown != stored
    assert privacy.kept_text(stored, shown if edited is None else edited) == saved


def _upload_shown(app, name: str, text: str):
    """The Upload page with ``text`` picked as file ``name``: the page and every table it
    shows, as CSV text."""
    at = app.switch_page("pages/upload.py").run()
    at.file_uploader(key="up_file").set_value((name, text.encode("utf-8"), "text/csv")).run()
    assert not at.exception, at.exception
    return at, "".join(d.value.to_csv() for d in at.dataframe)


def test_rejected_lines_show_and_export_no_personal_data(app, demo_db):
    from cx import export
    from cx.privacy import mask_raw_lines

    at, preview = _upload_shown(app, "personal.csv", PERSONAL_EXPORT)
    assert "张" in preview and not unmasked(preview), unmasked(preview)
    at.button(key="up_commit").click().run()
    assert not at.exception, at.exception
    with db.connect(demo_db) as con:
        upload_id, stored = con.execute(
            "SELECT upload_id, count(*) FROM rejects GROUP BY ALL ORDER BY 1 DESC LIMIT 1"
        ).fetchall()[0]
        raw = queries.rejects(con, upload_id)
        every = queries.rejects(con, None)
    assert stored == len(PHONES)
    assert len(unmasked("".join(raw["raw_line"]))) >= len(PHONES)  # the stored line is intact
    # Both rejects CSVs (the Upload page's per upload, the Data page's of all uploads).
    for frame in (raw, every):
        csv_text = export.to_csv_bytes(mask_raw_lines(frame)).decode("utf-8-sig")
        assert not unmasked(csv_text), unmasked(csv_text)
        assert "138****8000" in csv_text
    at.switch_page("pages/data.py").run()
    assert not at.exception, at.exception
    shown = "".join(d.value.to_csv() for d in at.dataframe)
    assert "138****8000" in shown and not unmasked(shown), unmasked(shown)


# A row missing its score: its phone moves into the score's column (and is quoted by the
# reason), its name into the phone's; the next row's phone into the service date's.
SHIFTED_EXPORT = (
    "response_id,store_id,responded_at,nps,phone,customer_name,service_date\n"
    "RX1,HZ01,2025-10-01 10:00,13800138000,张三,2025-09-30\n"
    "RX2,HZ01,2025-10-01 11:00,9,13900139000,李四,13700137000\n"
)
SHIFTED_PERSONAL = ["13800138000", "13900139000", "13700137000", "张三", "李四"]


def test_a_reason_that_quotes_a_moved_phone_shows_it_masked(app, demo_db, tmp_path):
    """Cells that moved over (a missing score): the phone the reason quotes, and a name
    in the phone's column, are masked in the Upload page's rejects, both rejects CSVs, the
    Data page and the command line's reject lines (the reasons had shown the phone whole,
    and a two-character name kept both characters)."""
    from support import run_cli

    from cx import export
    from cx.privacy import mask_raw_lines

    def personal(text: str) -> list[str]:
        return [v for v in SHIFTED_PERSONAL if v in text]

    path = tmp_path / "shifted.csv"
    path.write_text(SHIFTED_EXPORT, encoding="utf-8")
    out = run_cli("ingest", str(path), "--dry-run", db_path=demo_db, lang="C.UTF-8")
    assert "138****8000" in out.stdout and not personal(out.stdout), out.stdout
    at, shown = _upload_shown(app, "shifted.csv", SHIFTED_EXPORT)
    assert "138****8000" in shown and not personal(shown), personal(shown)
    at.button(key="up_commit").click().run()
    assert not at.exception, at.exception
    with db.connect(demo_db) as con:
        upload_id = con.execute("SELECT max(upload_id) FROM rejects").fetchall()[0][0]
        frames = [queries.rejects(con, upload_id), queries.rejects(con, None)]
    assert personal("".join(frames[0]["reason"]))  # stored as written
    for frame in frames:
        csv_text = export.to_csv_bytes(mask_raw_lines(frame)).decode("utf-8-sig")
        assert "137****7000" in csv_text and not personal(csv_text), personal(csv_text)
    at.switch_page("pages/data.py").run()
    assert not at.exception, at.exception
    shown = "".join(d.value.to_csv() for d in at.dataframe)
    assert "138****8000" in shown and not personal(shown), personal(shown)


def test_a_trainer_reads_but_changes_no_callback_target_or_upload(demo_db):
    grant(demo_db, "t@x.com", "trainer")
    at = signed_in_app("t@x.com")
    assert len(at.selectbox(key="board_store").options) > 2  # reads the whole network
    at.session_state["board_target_open"] = True  # as if a manager had opened the editor
    at.run()
    assert "board_target_open" not in [e.key for e in at.expander]
    assert "board_target" not in [n.key for n in at.number_input]
    at.session_state["board_tab"] = "callbacks"
    at.session_state["board_store"] = "HZ01"
    at.run()
    assert not at.exception, at.exception
    keys = [b.key for b in at.button]
    assert not [k for k in keys if k and k.startswith("cb_mark_")] and "cb_save" not in keys
    at.switch_page("pages/planner.py").run()
    assert not at.exception, at.exception
    assert at.button(key="plan_scn_save").disabled is False  # a trainer saves scenarios
    at.text_input(key="plan_scn_name").input("class").run()  # the class preset, HZ01 picked
    at.button(key="plan_scn_save").click().run()
    grant(demo_db, "m@x.com", "store", stores=["HZ01"])
    grant(demo_db, "r@x.com", "region", regions=["华中"])
    with db.connect(demo_db) as con:
        planner_q.save_scenario(con, "HZ01 plan", "{}", scope="HZ01")
    ui.invalidate()  # as another process's write is seen: by the data version
    mgr = signed_in_app("m@x.com", page="pages/planner.py")
    assert not mgr.exception, mgr.exception
    assert mgr.button(key="plan_scn_save").disabled is True
    # reads its store's and the class's, may delete neither
    assert sorted(mgr.selectbox(key="plan_scn_pick").options) == ["HZ01 plan", "class"]
    region = signed_in_app("r@x.com", page="pages/planner.py")
    assert region.selectbox(key="plan_scn_pick").options == ["class"]  # not HZ01's
    assert mgr.button(key="plan_scn_delete").disabled is True


def test_a_store_manager_looks_back_at_an_earlier_days_callback_queue(con):
    """The queue as it stood on an earlier day orders each answer's logged follow-up
    changes by when they were written (the log's row id): the scoped view keeps it, so a
    manager's look back lists their store's part of what everyone's lists."""
    from datetime import datetime

    import pandas as pd

    from cx.scope import Scope

    then = datetime(2025, 10, 15, 23, 59, 59)
    everyone = qb.callback_queue(con, Scope(), then, 14, True, past=True)
    manager = access.Person(email="m@x.com", roles=frozenset({"store"}), stores=frozenset({"HZ01"}))
    access.apply_scope(con, manager)
    mine = qb.callback_queue(con, Scope(), then, 14, True, past=True)
    want = everyone[everyone["store_id"] == "HZ01"].reset_index(drop=True)
    assert len(mine) > 10
    pd.testing.assert_frame_equal(mine, want)


def test_the_audit_log_reads_in_the_readers_language_and_keeps_what_people_typed():
    """Actions, the open mode, a callback's status and an upload's counts are translated;
    ids, file names and typed text are shown as recorded."""
    import pandas as pd

    log = pd.DataFrame(
        {
            "logged_at": pd.to_datetime(["2026-12-04 09:00"] * 5),
            "who": [access.OPEN_MODE, "a@x.com", access.OPEN_MODE, "cli:ops", "cli:ops"],
            "action": ["upload", "callback", "callback", "something_new", "access_grant"],
            "target": ["#7 10月.csv", "R1 contacted 王 经理", "R2 weird", "x", "li@x.cn store"],
            "detail": ["added=3 replaced=0 rejected=1", "已回电 added=1", "", "added=1", ""],
        }
    )
    zh = access.audit_shown(log, "zh")
    assert zh["who"].tolist() == ["开放模式", "a@x.com", "开放模式", "cli:ops", "cli:ops"]
    assert zh["action"].tolist() == ["上传", "回访", "回访", "something_new", "授权"]
    assert zh["target"].tolist() == [
        "#7 10月.csv",
        "R1 已联系 王 经理",
        "R2 weird",
        "x",
        "li@x.cn 门店",
    ]
    assert zh["detail"].tolist() == ["新增 3，替换 0，拒绝 1", "已回电 added=1", "", "added=1", ""]
    en = access.audit_shown(log, "en")
    assert en["target"].tolist() == [*log["target"].tolist()[:4], "li@x.cn Store"]
    assert en["detail"].iloc[0] == "3 added, 0 replaced, 1 rejected"
    assert log["who"].iloc[0] == access.OPEN_MODE  # the log itself is not changed
    # an upload's line of now counts every row read: "0 added, 3 replaced, 0 rejected" for
    # a file of ten rows had left seven unaccounted for (the older lines above still read)
    now = log.head(1).assign(detail="added=0 replaced=3 rejected=0 unchanged=7 read=10")
    assert access.audit_shown(now, "zh")["detail"].iloc[0] == (
        "读取 10：新增 0，替换 3，未变 7，拒绝 0"
    )
    assert access.audit_shown(now, "en")["detail"].iloc[0] == (
        "10 read: 0 added, 3 replaced, 7 unchanged, 0 rejected"
    )


def test_an_undo_and_a_saved_mapping_say_what_they_did_in_the_audit_log(demo_db, tmp_path):
    """An undo's line named the upload's number only ('upload undone | 3 |'), a saved
    mapping's line nothing at all: they now name the file and what changed."""
    from cx import source

    csv = tmp_path / "十月.csv"
    csv.write_text(
        "response_id,store_id,responded_at,nps\nA1,HZ01,2025-11-01 09:00,9\n"
        "A2,HZ01,2025-11-01 10:00,3\n"
    )
    res = ingest.ingest_file(csv, db_path=demo_db)
    everyone = access.open_person()
    info = source.inspect(csv)
    try:
        with db.connect(demo_db) as con:
            access.perform(con, everyone, ingest.undo, res.upload_id)
            access.perform(con, everyone, ingest.save_mapping, info)
            log = access.audit_log(con)
    finally:
        info.cleanup()
    mapping, undo = log.iloc[0], log.iloc[1]
    assert (undo["action"], undo["target"], undo["detail"]) == (
        "undo",
        f"#{res.upload_id} 十月.csv",
        "removed=2 restored=0",
    )
    assert (mapping["action"], mapping["target"], mapping["detail"]) == (
        "mapping",
        "十月.csv",
        "columns=4",
    )
    zh = access.audit_shown(log, "zh")
    assert zh["detail"].iloc[1] == "移除它新增的 2 行，恢复它替换的 0 行"
    assert zh["detail"].iloc[0] == "对应 4 列"
    en = access.audit_shown(log, "en")  # counts of one read as one ('1 replaced rows')
    assert en["detail"].iloc[1] == "2 added rows removed, 0 replaced rows restored"
    one = log.assign(detail=["columns=1", "removed=1 restored=1"])
    assert list(access.audit_shown(one, "en")["detail"]) == [
        "1 column mapped",
        "1 added row removed, 1 replaced row restored",
    ]


def test_reasons_by_store_is_offered_where_the_page_covers_several_stores(demo_db):
    """A store manager's segments page covers one store: its 'reasons by store' would be a
    table of one row (the sidebar picks no store for them). An analyst's covers the
    network, and a manager of two stores sees theirs."""
    grant(demo_db, "m@x.com", "store", stores=["HZ01"])
    grant(demo_db, "two@x.com", "store", stores=["HZ01", "SH01"])
    grant(demo_db, "ana@x.com", "analyst")
    shown = {}
    for who in ("m@x.com", "two@x.com", "ana@x.com"):
        at = signed_in_app(who, page="pages/segments.py")
        assert not at.exception, at.exception
        shown[who] = "seg_by_store" in [e.key for e in at.expander]
    assert shown == {"m@x.com": False, "two@x.com": True, "ana@x.com": True}


def test_an_uploads_audit_line_masks_a_phone_in_its_file_name(demo_db):
    """Every write's audit line masks personal data (cx.access.perform); the upload's,
    written in its commit, named the file as it was: 'callbacks 13812345678.csv'."""
    _analyst, res = analyst_upload(demo_db, "callbacks 13812345678.csv")
    with db.connect(demo_db) as con:
        line = access.audit_log(con).iloc[0]
    assert line["action"] == "upload" and line["target"].startswith(f"#{res.upload_id} ")
    assert "13812345678" not in line["target"] and "138****5678" in line["target"]


def test_no_undo_is_kept_without_its_audit_line(demo_db, monkeypatch):
    """An undo and its audit line are one transaction, as an upload and its line are: a
    failure writing the line leaves the upload in effect and its rows in place (the line
    had been written after the undo committed)."""
    analyst, res = analyst_upload(demo_db)

    def lost(*_args, **_kwargs):
        raise RuntimeError("killed")

    monkeypatch.setattr(access, "record", lost)
    with db.connect(demo_db) as con, pytest.raises(RuntimeError, match="killed"):
        access.perform(con, analyst, ingest.undo, res.upload_id)
    with db.connect(demo_db) as con:
        status = queries.scalar(
            con, "SELECT status FROM uploads WHERE upload_id = ?", [res.upload_id]
        )
        assert status == "committed"
        assert queries.scalar(con, "SELECT count(*) FROM responses WHERE response_id = 'X1'") == 1


def test_a_refused_tap_says_why_and_the_page_is_still_drawn(demo_db):
    """A card's tap after the manager's grant moved to another store: one sentence, and
    the page below it as usual (st.stop() in the tap's callback had left the page blank
    but for the sentence: no title, no language switch, no filters)."""
    grant(demo_db, "m@x.com", "store", stores=["HZ01"])
    at = signed_in_app("m@x.com", query={"tab": "callbacks"})
    assert not at.exception, at.exception
    mark = next(b for b in at.button if b.key and b.key.startswith("cb_mark_contacted_"))
    rid = mark.key.removeprefix("cb_mark_contacted_")
    with db.connect(demo_db) as con:
        before = followups.current(con, rid)
        access.revoke(con, "m@x.com")
        access.grant(con, "m@x.com", "store", ["SH03"])
    ui.invalidate()  # as another process's write is seen: by the data version
    at.button(key=mark.key).click().run()
    assert not at.exception, at.exception
    said = i18n.t("access.denied.store", "en", store="HZ01")
    assert said in [e.value for e in at.error]
    assert [x.value for x in at.title] == [i18n.t("board.title", "en")]  # the page, drawn
    assert at.selectbox(key="board_store").value == "SH03"  # under the new grant
    with db.connect(demo_db) as con:
        assert followups.current(con, rid) == before  # nothing changed


def test_a_plan_link_made_from_another_stores_answers_is_not_opened(demo_db):
    """A trainer's link to SH03's own plan carries SH03's baseline and pain mix: opened
    by HZ01's manager it is refused in one sentence and the manager's plan stays (it
    had shown SH03's numbers). A store that does not exist is said alike."""
    grant(demo_db, "t@x.com", "trainer")
    grant(demo_db, "m@x.com", "store", stores=["HZ01"])
    trainer = signed_in_app("t@x.com", page="pages/planner.py")
    trainer.selectbox(key="plan_preset").select("my_store").run()
    trainer.selectbox(key="plan_store").select("SH03").run()
    theirs = trainer.number_input(key="plan_base_nps").value
    word = plan_link(trainer)
    own = signed_in_app("m@x.com", page="pages/planner.py")
    mine = own.number_input(key="plan_base_nps").value
    assert mine != theirs
    text, preset, period, _store = planner.plan_from_token(word)
    assert planner.scenario_origin(text) == "SH03"  # the plan names whose numbers it holds
    text = json.dumps(json.loads(text) | {"origin": "ZZ99"})
    nowhere = planner.plan_token(text, preset, period, "ZZ99")
    for store, link in (("SH03", word), ("ZZ99", nowhere)):
        mgr = signed_in_app("m@x.com", page="pages/planner.py", query={"plan": link})
        assert not mgr.exception, mgr.exception
        said = i18n.t("plan.url.not_yours", "en", store=store)
        assert said in [w.value for w in mgr.warning]
        assert mgr.number_input(key="plan_base_nps").value == mine
        assert mgr.selectbox(key="plan_store").value == "HZ01"
        shown = " ".join(str(x.value) for x in (*mgr.markdown, *mgr.caption, *mgr.metric))
        assert "SH03" not in shown


def test_a_store_managers_own_region_in_the_filter_names_their_store_not_the_region(demo_db):
    """The sidebar offers a store manager their store's region; picked (or in a link) it
    had captioned HZ01's figures "Region: 华东", and a reload said "You have no access to:
    region 华东" over the same figures. Now the page names the store it shows."""
    grant(demo_db, "m@x.com", "store", stores=["HZ01"])
    grant(demo_db, "r@x.com", "region", regions=["华东"])
    first = signed_in_app("m@x.com", query={"regions": "华东"})  # the frame's run says it
    assert not first.exception, first.exception
    assert not [w.value for w in first.warning if "华东" in w.value]
    mgr = signed_in_app("m@x.com", page="pages/overview.py", query={"regions": "华东"})
    captions = [c.value for c in mgr.caption]
    assert captions[0].startswith(i18n.t("ov.scope.stores", "en", stores="HZ01"))
    assert not [c for c in captions if "Region: 华东" in c]
    boss = signed_in_app("r@x.com", page="pages/overview.py", query={"regions": "华东"})
    assert boss.caption[0].value.startswith(i18n.t("ov.scope.regions", "en", regions="华东"))


def test_a_one_store_managers_overview_is_their_store_with_its_target_editor(demo_db):
    """'All my stores' of a one-store manager is that store: the overview named it and
    hid its target editor until the store was picked by hand (the board offers it)."""
    grant(demo_db, "m@x.com", "store", stores=["HZ01"])
    mgr = signed_in_app("m@x.com", page="pages/overview.py")
    assert not mgr.exception, mgr.exception
    assert mgr.caption[0].value.startswith(i18n.t("ov.scope.stores", "en", stores="HZ01"))
    assert mgr.number_input(key="ov_target_value")
    assert i18n.t("ov.targets.scope_store", "en", store="HZ01") in [c.value for c in mgr.caption]
    grant(demo_db, "r@x.com", "store", stores=["HZ01", "SH03"])
    two = signed_in_app("r@x.com", page="pages/overview.py")
    assert "ov_target_value" not in [n.key for n in two.number_input]  # two stores: no one's


def test_a_plan_keeps_whose_numbers_it_holds_through_a_load_a_link_and_a_file(demo_db):
    """SH01's scenario loaded under a class preset, then sent as a link or downloaded: the
    link and the file name SH01 (the link had called it the class preset's, and a save
    from it was everyone's), so HZ01's manager opens neither."""
    grant(demo_db, "t@x.com", "trainer")
    grant(demo_db, "m@x.com", "store", stores=["HZ01"])
    trainer = signed_in_app("t@x.com", page="pages/planner.py")
    trainer.selectbox(key="plan_preset").select("my_store").run()
    trainer.selectbox(key="plan_store").select("SH01").run()
    trainer.text_input(key="plan_scn_name").input("sh01").run()
    trainer.button(key="plan_scn_save").click().run()
    trainer.selectbox(key="plan_preset").select("classic_30day").run()
    sh01, word = load_scenario(trainer, "sh01")
    assert planner.scenario_origin(planner.plan_from_token(word)[0]) == "SH01"
    again = signed_in_app("t@x.com", page="pages/planner.py", query={"plan": word})
    assert again.number_input(key="plan_base_nps").value == sh01  # the trainer's reload
    again.text_input(key="plan_scn_name").input("sh01 again").run()
    again.button(key="plan_scn_save").click().run()
    with db.connect(demo_db) as con:
        scopes = dict(con.execute("SELECT name, scope FROM scenarios").fetchall())
    assert scopes == {"sh01": "SH01", "sh01 again": "SH01"}

    mgr = signed_in_app("m@x.com", page="pages/planner.py", query={"plan": word})
    mine = mgr.number_input(key="plan_base_nps").value
    assert mine != sh01
    assert i18n.t("plan.url.not_yours", "en", store="SH01") in [w.value for w in mgr.warning]
    file = trainer.session_state["plan_json"].encode()  # what the download button offers
    assert planner.scenario_origin(file.decode()) == "SH01"
    mgr.file_uploader(key="plan_json_ul").set_value(("sh01.json", file, "application/json")).run()
    said = i18n.t("plan.scn.not_yours", "en", source="sh01.json", store="SH01")
    assert said in [w.value for w in mgr.warning]
    assert mgr.number_input(key="plan_base_nps").value == mine
    # a file that names no origin (made by hand) is the manager's own, planned on HZ01
    text, *_ = planner.plan_from_token(word)
    bare = json.dumps({k: v for k, v in json.loads(text).items() if k != "origin"}).encode()
    mgr.file_uploader(key="plan_json_ul").set_value(("hand.json", bare, "application/json")).run()
    assert mgr.number_input(key="plan_base_nps").value == sh01
    assert planner.scenario_origin(mgr.session_state["plan_json"]) == "HZ01"


def test_a_region_managers_one_store_region_stays_a_region(demo_db):
    """A region grant whose region holds one store: the pages name the region (and its
    target), not the store, as for a bigger region."""
    rows = "".join(f"XJ{i},XJ01,新疆,2025-10-{1 + i % 28:02d} 10:00,{i % 11}\n" for i in range(40))
    data = ("response_id,store_id,region,responded_at,nps\n" + rows).encode()
    analyst_upload(demo_db, "xj.csv", data)
    grant(demo_db, "r@x.com", "region", regions=["新疆"])
    boss = signed_in_app("r@x.com", page="pages/overview.py")
    assert not boss.exception, boss.exception
    caption = boss.caption[0].value
    assert caption.startswith(i18n.t("filter.all_my_stores", "en")), caption


def test_a_plan_of_the_networks_numbers_names_them_and_opens_for_network_readers_only(demo_db):
    """A scenario saved before scenarios had a scope holds the network's numbers: loaded
    and sent as a link it had named no origin, and HZ01's manager opened it."""
    grant(demo_db, "t@x.com", "trainer")
    grant(demo_db, "m@x.com", "store", stores=["HZ01"])
    sh01 = signed_in_app("t@x.com", page="pages/planner.py")
    sh01.selectbox(key="plan_preset").select("my_store").run()
    sh01.selectbox(key="plan_store").select("SH01").run()
    payload = json.loads(sh01.session_state["plan_json"])
    payload.pop("origin")  # as written before plans named their origin
    with db.connect(demo_db) as con:
        planner_q.save_scenario(con, "old", json.dumps(payload), scope=None)
    ui.invalidate()  # as another process's write is seen: by the data version
    trainer = signed_in_app("t@x.com", page="pages/planner.py")
    theirs, word = load_scenario(trainer, "old")
    assert planner.scenario_origin(planner.plan_from_token(word)[0]) == "*"
    again = signed_in_app("t@x.com", page="pages/planner.py", query={"plan": word})
    assert again.number_input(key="plan_base_nps").value == theirs  # a network reader's
    mgr = signed_in_app("m@x.com", page="pages/planner.py", query={"plan": word})
    assert i18n.t("plan.url.not_yours_network", "en") in [w.value for w in mgr.warning]
    assert mgr.number_input(key="plan_base_nps").value != theirs


def test_the_answers_own_name_written_in_its_comment_is_masked(app):
    """'我是王伟，…' beside a name column of 王伟: the name column read 王* while the comment
    kept 王伟, in the Upload page's preview and in the raw line of a reject. A one-letter
    name is left (it would star that letter everywhere)."""
    frame = pd.DataFrame(
        {"customer_name": ["王伟", "李", None], "comment": ["我是王伟，急", "李先生好", "王伟来过"]}
    )
    masked = privacy.mask_frame(frame, allowed=False)
    assert list(masked["comment"]) == [
        f"我是{privacy.mask_name('王伟')}，急", "李先生好", "王伟来过"
    ]  # fmt: skip
    text = (
        "response_id,store_id,responded_at,nps,customer_name,comment\n"
        "N1,HZ01,2025-10-30 10:00,9,王伟,我是王伟，车牌浙A·12345\n"
        "N2,HZ01,2025-10-30 10:00,11,王伟,我是王伟\n"
    )
    app.switch_page("pages/upload.py").run()
    app.file_uploader(key="up_file").set_value(("n.csv", text.encode(), "text/csv")).run()
    assert not app.exception, app.exception
    shown = " ".join(
        str(v) for df in app.dataframe for v in df.value.astype(str).to_numpy().ravel()
    )
    assert "王伟" not in shown and f"我是{privacy.mask_name('王伟')}" in shown


def test_a_grant_gives_what_it_lists_and_the_last_admin_stays(con):
    """A store role with a region (or a region role with a store) was saved and listed,
    and gave nothing: refused. The last admin cannot be revoked, by role or whole; with
    another admin it can. The audit line names the email as saved, not as typed."""
    with pytest.raises(access.GrantRefused, match="a store role takes --store only"):
        access.grant(con, "m@x.com", "store", ["HZ01"], ["华中"])
    with pytest.raises(access.GrantRefused, match="a region role takes --region only"):
        access.grant(con, "m@x.com", "region", ["HZ01"], ["华中"])
    assert access.grants(con).empty
    boss = access.Person(email="boss@x.com", roles=frozenset({"admin"}), stores=None)
    access.perform(con, boss, access.grant, "  Boss@X.com ", "admin")
    for role in ("admin", None):
        with pytest.raises(access.GrantRefused, match="boss@x.com is the last admin"):
            access.revoke(con, "boss@x.com", role)
    assert access.grants(con)["email"].tolist() == ["boss@x.com"]
    line = access.audit_log(con).iloc[0]
    assert (line["target"], line["detail"]) == ("boss@x.com admin", "")
    shown = access.audit_shown(access.audit_log(con), "zh").iloc[0]
    assert shown["target"] == "boss@x.com 管理员"
    access.grant(con, "two@x.com", "admin")
    assert access.revoke(con, "boss@x.com") == 1


def test_a_region_without_stores_is_said_not_an_empty_database(demo_db):
    """A region manager of a region with no store in the data read 'The database holds no
    answers yet' on the overview beside 296,439 answers. The frame says their access
    holds no store, and the pages say their stores have no answers."""
    grant(demo_db, "empty@x.com", "region", regions=["东北"])
    at = signed_in_app("empty@x.com")  # the board: the frame's own elements are shown
    assert not at.exception, at.exception
    warned = [w.value for w in at.warning]
    assert (
        "Your access (regions: 东北) holds no store yet, so no page has answers. Ask your admin."
        in warned
    ), warned
    assert [i.value for i in at.main.info] == ["The stores you may see have no answers yet."]
    assert [i.value for i in at.sidebar.info] == ["No stores or dates to filter yet."]
    at.switch_page("pages/overview.py").run()
    infos = [i.value for i in at.info]
    assert "The stores you may see have no answers yet, so there is nothing to measure." in infos
    assert not any("database holds no answers" in i for i in infos), infos


def test_the_address_kept_at_sign_in_is_followed_only_inside_the_site():
    """The first run after signing in goes to the address the sign-in page was opened at
    (kept in the app's own cookie), from the bare address only, and never off the site:
    the cookie is the browser's, and anything may be written in it."""
    go = ui.signed_in_next
    assert go("%2Fquadrant%3Fstores%3DHZ01%26lang%3Den", True) == "/quadrant?stores=HZ01&lang=en"
    assert go("/?lang=en", True) == "/?lang=en"
    assert go("/", True) is None  # the bare address asked for nothing more
    assert go("/quadrant", False) is None  # a run with its own query: not the landing
    assert go(None, True) is None
    for outside in ("//evil.example/x", "https://evil.example", "/\\\\evil.example", "quadrant"):
        assert go(outside, True) is None, outside
    assert go("/board%0d%0aSet-Cookie:x", True) is None
    # a path the cookie holds that closes the script: kept inside its string
    target = go("/x</script><script>alert(1)</script>", True)
    script = ui.next_script(target)
    assert script.count("</script>") == 1 and script.endswith("</script>"), script
    assert "<script>alert" not in script


def test_a_region_managers_downloads_are_named_by_their_region(demo_db, monkeypatch):
    """A region manager's "all my stores" downloads were named as the network's
    (callbacks_all_…, weekly_all_…), the file names an admin's network-wide export gets."""
    from tests.support import record_downloads

    files = record_downloads(monkeypatch)
    grant(demo_db, "r@x.com", "region", regions=["华南"])
    at = signed_in_app("r@x.com", query={"tab": "callbacks"})
    assert not at.exception, at.exception
    assert at.selectbox(key="board_store").value == "*"  # all their stores
    name = files["cb_export"][0]
    assert name.startswith("callbacks_region-华南_"), name
    files.clear()
    open_mode = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    open_mode.query_params["tab"] = "callbacks"
    open_mode.run()
    assert files["cb_export"][0].startswith("callbacks_all_")  # the network's, as before


def test_sign_in_settings_that_cannot_be_read_let_nobody_in(demo_db, tmp_path, monkeypatch):
    """One typo in secrets.toml: Streamlit read no secrets at all, and the app ran in open
    mode, where everyone who reaches it is an admin. It names the file and lets nobody in."""
    from streamlit import config as st_config

    broken = tmp_path / "secrets.toml"
    broken.write_text('[auth]\ncookie_secret = "unclosed\n', encoding="utf-8")
    real = st_config.get_option
    monkeypatch.setattr(
        st_config,
        "get_option",
        lambda key: [str(broken)] if key == "secrets.files" else real(key),
    )
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.session_state["ui_lang"] = "en"
    at.run()
    assert not at.exception, at.exception
    said = [e.value for e in at.error]
    assert any(x.startswith("The sign-in settings cannot be read (secrets.toml: ") for x in said)
    assert not any(i18n.t("access.open_mode", "en") in w.value for w in at.sidebar.warning)
    assert not at.metric and not at.get("vega_lite_chart")  # no page, no figure
    at.switch_page("pages/access.py").run()  # the admin's page, run on its own
    assert not any(x.label == i18n.t("access.grant", "en") for x in at.button)
    assert [e.value for e in at.error] == [i18n.t("access.denied.role", "en")]  # nobody


def test_a_reject_reason_quoting_the_rows_own_name_masks_it():
    """'nps '李四' is not a number': a reason quotes the cell it is about, and the row's own
    name there was whole (its phone and plate were masked) in the page, the CSVs and the
    command line."""
    frame = pd.DataFrame(
        {
            "line_no": [2, 3],
            "raw_line": ["N1,HZ01,2025-10-01,李四,李四", "N2,HZ01,2025-10-01,9,王五"],
            "reason": ["nps '李四' is not a number", "csat '王五来电' is not a number"],
            "reason_zh": ["nps“李四”不是数字", "csat“王五来电”不是数字"],
        }
    )
    mapping = [["response_id", "response_id"], ["store_id", "store_id"],
               ["responded_at", "responded_at"], ["nps", "nps"],
               ["customer_name", "customer_name"]]  # fmt: skip
    shown = privacy.mask_raw_lines(frame, allowed=False, mapping=mapping)
    assert shown["reason"].tolist() == [
        "nps '李*' is not a number",
        "csat '王*来电' is not a number",
    ]
    assert shown["reason_zh"].tolist()[0] == "nps“李*”不是数字"
    assert "李四" not in " ".join(shown["raw_line"])


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_queue_download_clicked_after_a_revoke_says_why_it_is_empty(demo_db, monkeypatch, lang):
    """A store manager's board left open after their grant was revoked: the callback
    queue's CSV, made at the click (no rerun, so the page cannot say anything then), was
    a header alone, read as an empty queue. The file now holds the app's sentence for no
    access (the 'No access' page's); for grants whose region holds no store, the
    sentence every page shows them."""
    from tests.support import record_downloads

    grant(demo_db, "m@x.com", "store", stores=["HZ01"])
    files = record_downloads(monkeypatch)
    at = signed_in_app("m@x.com", query={"store": "HZ01", "tab": "callbacks"}, lang=lang)
    assert not at.exception, at.exception
    made = files["cb_export"][1]  # made when clicked, outside the page's run
    header = i18n.t("board.cb.col.response_id", lang)

    def lines() -> list[str]:
        return made().decode("utf-8-sig").splitlines()

    assert header in lines()[0] and len(lines()) > 10  # HZ01's queue
    with db.connect(demo_db) as con:
        access.revoke(con, "m@x.com")
    said = i18n.t("access.none.text", lang, email="m@x.com")
    assert pd.read_csv(io.BytesIO(made()), encoding="utf-8-sig").columns.tolist() == [said]
    assert len(lines()) == 1 and header not in lines()[0]
    grant(demo_db, "m@x.com", "region", regions=["无店区"])
    none = i18n.t("access.no_stores", lang, regions="无店区")
    assert pd.read_csv(io.BytesIO(made()), encoding="utf-8-sig").columns.tolist() == [none]


def test_a_download_clicked_after_a_revoke_reads_as_the_grants_stand(demo_db, monkeypatch):
    """A store manager's tab left open after their grant was revoked went on downloading
    the callback queue, read fresh at the click with the scope of the page's run: the
    download reads as the person's grants stand at the click (none: nothing; narrowed:
    the new store only)."""
    from tests.support import record_downloads

    grant(demo_db, "m@x.com", "store", stores=["HZ01"])
    files = record_downloads(monkeypatch)
    at = signed_in_app("m@x.com", query={"store": "HZ01", "tab": "callbacks"})
    assert not at.exception, at.exception
    made = files["cb_export"][1]  # made when clicked, outside the page's run

    def rows() -> int:
        return len(made().decode("utf-8-sig").splitlines())

    assert rows() > 10  # HZ01's queue
    with db.connect(demo_db) as con:
        access.revoke(con, "m@x.com")
    assert rows() == 1  # the sentence why alone (the next test)
    grant(demo_db, "m@x.com", "store", stores=["SH03"])
    assert rows() == 1  # SH03's grant reads SH03's answers, not HZ01's queue the page showed
    with db.connect(demo_db) as con:
        who = access.reader_key(access.resolve(con, "m@x.com"))
    with access.scoped_connection(who) as con:
        seen = {r[0] for r in con.execute("SELECT DISTINCT store_id FROM responses").fetchall()}
    assert seen == {"SH03"}
    # open mode keeps its scope key: no email to look up
    assert access.reader_key(access.open_person()) == ("network",)


def test_a_revokes_audit_line_names_what_went_as_a_grants_does(demo_db):
    """A revoke's line named neither the stores nor the regions that went (a grant's line
    names them), and a command-line revoke of every role not even the role."""
    grant(demo_db, "two@x.com", "store", stores=["HZ01", "SH03"])
    grant(demo_db, "r@x.com", "region", regions=["华南"])
    grant(demo_db, "a@x.com", "analyst")
    grant(demo_db, "a@x.com", "trainer")
    for args in (["two@x.com", "store"], ["r@x.com"], ["a@x.com"]):
        assert cli.main(["access", "revoke", *args, "--db", str(demo_db)]) == 0
    with db.connect(demo_db) as con:
        log = access.audit_log(con)
    went = log[log["action"] == "access_revoke"]
    lines = sorted(zip(went["target"], went["detail"].fillna(""), strict=True))
    assert lines == [
        ("a@x.com", "analyst; trainer"),
        ("r@x.com region", "华南"),
        ("two@x.com store HZ01,SH03", ""),
    ]
    granted = log[log["action"] == "access_grant"]
    assert "two@x.com store HZ01,SH03" in set(granted["target"])  # as the grant's reads


def test_a_grant_of_a_role_this_version_does_not_know_gives_no_access_and_can_be_revoked(
    demo_db,
):
    """A grant row written by hand with the role 'manager' (or 'Store') counted as access
    to no page: every page of that person broke ("two pages resolve to /board"), and the
    admin's Access page broke on its name, so it could be neither seen nor revoked there.
    The person reads the no-access page; the admin sees the grant named and revokes it."""
    grant(demo_db, "boss@x.com", "admin")
    with db.connect(demo_db) as con:
        for role in ("manager", "Store"):
            con.execute(
                "INSERT INTO access_grants (email, role, store_id, region, granted_at, granted_by)"
                " VALUES ('odd@x.com', ?, 'HZ01', NULL, now(), 'by hand')",
                [role],
            )
        assert not access.resolve(con, "odd@x.com").has_access
    at = signed_in_app("odd@x.com")
    assert not at.exception, at.exception
    assert i18n.t("access.none.title", "en") in texts(at)
    # in Chinese: AppTest reads a picker's labels in it (its format_func runs outside the run)
    admin = signed_in_app("boss@x.com", page="pages/access.py", lang="zh")
    assert not admin.exception, admin.exception
    shown = next(d.value for d in admin.dataframe if "角色" in d.value.columns)
    odd = shown.loc[shown["邮箱"] == "odd@x.com", "角色"].tolist()
    assert sorted(odd) == [
        "未知角色“Store”（不授予任何权限）",
        "未知角色“manager”（不授予任何权限）",
    ]
    revoke_on_page(admin, "odd@x.com", "manager", confirm=False)
    asked = [w.value.replace("\u2060", "") for w in admin.warning]  # "role" once (it read
    # "…（不授予任何权限）角色", the role's label in the sentence)
    assert any("收回 odd@x.com 的未知的“manager”角色（HZ01）？" in w for w in asked), asked
    admin.button(key="access_revoke_yes").click().run()
    assert not admin.exception, admin.exception
    with db.connect(demo_db) as con:
        left = con.execute("SELECT role FROM access_grants WHERE email = 'odd@x.com'").fetchall()
    assert left == [("Store",)]
    # the picker starts empty after the revoke, in the browser too (it kept showing the
    # email revoked, no longer an option: a click then said "pick an email first")
    picker = admin.selectbox(key="access_revoke_email")
    assert picker.value is None and picker.proto.set_value


def test_the_command_line_takes_one_store_or_region_of_a_role(demo_db, capsys):
    """`access revoke EMAIL --store SH03` takes that store only (the role implied); a store
    or region the role does not hold is refused in one sentence and nothing goes."""
    grant(demo_db, "m@x.com", "store", stores=["HZ01", "HZ02", "SH03"])
    grant(demo_db, "r@x.com", "region", regions=["华东", "华南"])
    capsys.readouterr()
    db_arg = ["--db", str(demo_db)]
    assert cli.main(["access", "revoke", "m@x.com", "--store", "SH03", *db_arg]) == 0
    assert cli.main(["access", "revoke", "r@x.com", "region", "--region", "华南", *db_arg]) == 0
    assert cli.main(["access", "revoke", "m@x.com", "store", "--store", "XX01", *db_arg]) == 2
    assert capsys.readouterr().err.strip() == "m@x.com's store role does not hold XX01"
    with db.connect(demo_db) as con:
        assert access.resolve(con, "m@x.com").stores == {"HZ01", "HZ02"}
        assert access.resolve(con, "r@x.com").regions == ("华东",)
