"""The Access page (open mode: the person is an admin): grant, see, revoke, by widget key.

AppTest 1.67 keeps the first run's ``format_func`` of a selectbox, so the role pickers are
driven in the language the page opened in (Chinese) and English is only read afterwards.
"""

from __future__ import annotations

import re

from cx import db
from tests.support import revoke_on_page


def grant_rows(path) -> list[tuple]:
    with db.connect(path) as con:
        return con.execute(
            "SELECT email, role, store_id, region, granted_by FROM access_grants"
            " ORDER BY email, role, store_id, region"
        ).fetchall()


def submit(at):
    [button] = [b for b in at.button if "FormSubmitter" in str(b.id)]
    button.click().run()
    assert not at.exception, at.exception


def said(elements) -> list[str]:
    """What a person reads in these elements (Markdown escapes removed)."""
    return [re.sub(r"\\(.)", r"\1", str(e.value)).replace("\u2060", "") for e in elements]


def table(at):
    """The grant table (AppTest 1.67 does not expose a dataframe's key): the page's only one."""
    [frame] = at.dataframe
    return frame.value


def test_grant_then_revoke_a_store_role(app, demo_db):
    at = app
    assert [t.value for t in at.title] == ["权限管理"]
    assert "还没有任何授权。" in said(at.info)
    at.text_input(key="access_email").input("  New@X.com ")
    at.session_state["access_role"] = "store"  # AppTest keeps an earlier run's format_func
    at.multiselect(key="access_stores").select("HZ01").select("HZ02")
    submit(at)
    assert "已授予 new@x.com 门店角色（HZ01、HZ02）。" in said(at.success)  # the role in words
    assert grant_rows(demo_db) == [
        ("new@x.com", "store", "HZ01", None, "open mode"),
        ("new@x.com", "store", "HZ02", None, "open mode"),
    ]
    shown = table(at)  # the grant is in the table on the page that granted it
    assert list(shown.columns) == ["邮箱", "角色", "门店", "区域", "授权时间", "授权人"]
    assert list(zip(shown["邮箱"], shown["角色"], shown["门店"], strict=True)) == [
        ("new@x.com", "门店", "HZ01"),
        ("new@x.com", "门店", "HZ02"),
    ]
    assert set(shown["授权人"]) == {"开放模式"}  # kept as "open mode"; shown in Chinese
    assert at.selectbox(key="access_revoke_email").options == ["new@x.com"]
    assert at.selectbox(key="access_revoke_email").value is None  # nothing picked to start

    at.selectbox(key="access_revoke_email").select("new@x.com").run()
    at.session_state["access_revoke_role"] = "store"
    at.run()
    at.button(key="access_revoke").click().run()
    assert "收回 new@x.com 的门店角色（HZ01、HZ02）？" in said(at.warning)  # asked, named
    assert len(grant_rows(demo_db)) == 2
    at.button(key="access_revoke_yes").click().run()
    assert not at.exception, at.exception
    assert "已收回 new@x.com 的 2 条授权。" in said(at.success)
    assert grant_rows(demo_db) == []
    assert "还没有任何授权。" in said(at.info)


def test_revoke_takes_only_the_picked_role_and_a_bad_grant_writes_nothing(app, demo_db):
    at = app
    for role in ("trainer", "analyst"):
        at.text_input(key="access_email").input("two@x.com")
        at.session_state["access_role"] = role
        submit(at)
    at.text_input(key="access_email").input("not an email")
    at.session_state["access_role"] = "admin"
    submit(at)
    assert said(at.error) == ["未授权：“not an email”不是邮箱地址。"]  # not the CLI's English
    assert grant_rows(demo_db) == [
        ("two@x.com", "analyst", None, None, "open mode"),
        ("two@x.com", "trainer", None, None, "open mode"),
    ]
    assert list(table(at)["角色"]) == ["分析师", "培训师"]
    revoke_on_page(at, "two@x.com", "trainer")
    assert not at.exception, at.exception
    assert "已收回 two@x.com 的 1 条授权。" in said(at.success)
    assert grant_rows(demo_db) == [("two@x.com", "analyst", None, None, "open mode")]
    assert list(table(at)["角色"]) == ["分析师"]

    at.session_state["ui_lang"] = "en"
    at.run()
    assert not at.exception, at.exception
    assert [t.value for t in at.title] == ["Access"]
    assert any(i.startswith("Open mode: grants are saved") for i in said(at.info))
    shown = table(at)
    assert list(shown.columns) == [
        "Email", "Role", "Store", "Region", "Granted at", "Granted by",
    ]  # fmt: skip
    assert list(shown["Email"]) == ["two@x.com"]


def test_no_role_is_picked_for_the_admin_and_none_is_granted_without_one(app, demo_db):
    at = app
    assert at.selectbox(key="access_role").value is None  # a grant is chosen, never defaulted
    at.text_input(key="access_email").input("someone@x.com")
    submit(at)
    assert said(at.error) == ["未授权：请选择一个角色"]
    assert grant_rows(demo_db) == []


def test_a_grant_refused_reads_in_chinese_and_a_granted_form_starts_empty(app, demo_db):
    """The page's refusals read in the reader's language without the command line's
    --store; after a store grant the form is empty, so the next grant (an analyst's)
    is not refused for the stores the last one picked."""
    at = app
    at.text_input(key="access_email").input("m@x.com")
    at.session_state["access_role"] = "store"
    submit(at)
    assert said(at.error) == ["未授权：门店角色至少要选一家门店。"]
    at.multiselect(key="access_stores").select("HZ01")
    submit(at)
    assert "已授予 m@x.com 门店角色（HZ01）。" in said(at.success)
    assert at.multiselect(key="access_stores").value == []
    assert at.text_input(key="access_email").value == ""
    at.text_input(key="access_email").input("a@x.com")
    at.session_state["access_role"] = "analyst"
    submit(at)
    assert not said(at.error)
    at.text_input(key="access_email").input("b@x.com")
    at.session_state["access_role"] = "analyst"
    at.multiselect(key="access_stores").select("HZ02")
    submit(at)
    assert said(at.error) == ["未授权：分析师角色覆盖全部门店，请清空所选门店和区域。"]
    assert [r[:3] for r in grant_rows(demo_db)] == [
        ("a@x.com", "analyst", None),
        ("m@x.com", "store", "HZ01"),
    ]


def test_a_refused_grant_names_its_role_as_the_pages_other_sentences_do(monkeypatch):
    """In English a refused grant read "the Analyst role covers every store", the page's
    other sentences "the analyst role". (AppTest cannot run the page in English with a
    role picked: the docstring above; the sentence is the page's own helper's.)"""
    from cx import access, ui
    from cx.ui import access as page

    for lang, said_ in (
        ("en", "the analyst role covers every store; clear the stores and regions picked."),
        ("zh", "分析师角色覆盖全部门店，请清空所选门店和区域。"),
    ):
        monkeypatch.setattr(ui, "lang", lambda lang=lang: lang)
        monkeypatch.setattr(page, "lang", lambda lang=lang: lang)
        refused = access.GrantRefused("x", "access.refused.network", role="analyst")
        assert page._refusal(refused) == said_


def test_the_last_admin_is_not_revoked_and_a_granted_form_is_set_empty(app, demo_db):
    """An admin revoked themselves, the last admin, with one click: nobody could grant
    again but on the server. The page refuses with a sentence and keeps the grant; with a
    second admin the first may go. A region grant then a store grant: the form is set
    empty after each (the browser had kept the region and sent it with the store grant),
    so the store grant holds its stores only."""
    at = app
    at.text_input(key="access_email").input("boss@x.com")
    at.session_state["access_role"] = "admin"
    submit(at)
    assert at.text_input(key="access_email").value == ""
    at.selectbox(key="access_revoke_email").select("boss@x.com").run()
    at.session_state["access_revoke_role"] = "admin"
    at.run()
    at.button(key="access_revoke").click().run()
    at.button(key="access_revoke_yes").click().run()
    assert said(at.error) == ["未收回：boss@x.com 是最后一位管理员：请先给另一个人授予管理员角色。"]
    assert [r[:2] for r in grant_rows(demo_db)] == [("boss@x.com", "admin")]
    at.text_input(key="access_email").input("r@x.com")
    at.session_state["access_role"] = "region"
    at.session_state["access_regions"] = ["华东"]
    submit(at)
    assert (
        at.text_input(key="access_email").value,
        at.multiselect(key="access_regions").value,
    ) == (
        "",
        [],
    )
    assert at.selectbox(key="access_role").value is None
    at.text_input(key="access_email").input("s@x.com")
    at.session_state["access_role"] = "store"
    at.multiselect(key="access_stores").select("HZ01")
    submit(at)
    assert [r[:4] for r in grant_rows(demo_db) if r[0] == "s@x.com"] == [
        ("s@x.com", "store", "HZ01", None)
    ]
    at.text_input(key="access_email").input("two@x.com")
    at.session_state["access_role"] = "admin"
    submit(at)
    at.selectbox(key="access_revoke_email").select("boss@x.com").run()
    at.session_state["access_revoke_role"] = "admin"
    at.run()
    at.button(key="access_revoke").click().run()
    at.button(key="access_revoke_yes").click().run()
    assert not at.error
    assert "boss@x.com" not in {r[0] for r in grant_rows(demo_db)}


def _pick_for_revoke(at, email: str, role: str) -> None:
    """Pick ``email`` and ``role`` in the revoke pickers, as the admin does (after the
    grants were changed outside the page: :func:`cx.ui.invalidate`)."""
    from cx import ui

    ui.invalidate()
    at.run()
    at.selectbox(key="access_revoke_email").select(email).run()
    at.session_state["access_revoke_role"] = role
    at.run()


def test_a_grant_changed_while_the_page_is_open_is_never_revoked_in_its_place(app, demo_db):
    """The pickers fell back to the first grant when the picked one went meanwhile (the
    command line or another admin), and the click revoked the analyst ana's role: the
    click asks first naming the grant, and revokes exactly that one or says it is gone."""
    from cx import access, ui

    at = app

    def meanwhile(change, *args, **kwargs) -> None:  # from the command line, say
        with db.connect(demo_db) as con:
            change(con, *args, **kwargs)
        ui.invalidate()

    meanwhile(access.grant, "ana@x.com", "analyst")
    meanwhile(access.grant, "race@x.com", "store", stores=("HZ01",))
    _pick_for_revoke(at, "race@x.com", "store")
    meanwhile(access.revoke, "race@x.com")
    at.button(key="access_revoke").click().run()
    assert not at.exception, at.exception
    assert said(at.error) == [
        "未收回：请先选择邮箱和角色（所选的授权若刚被另一位管理员或命令行更改，需要重新选择）。"
    ]
    assert [r[:2] for r in grant_rows(demo_db)] == [("ana@x.com", "analyst")]
    # asked, then gone before the answer: the named grant only, said to be held no more
    meanwhile(access.grant, "race@x.com", "store", stores=("HZ01",))
    _pick_for_revoke(at, "race@x.com", "store")
    at.button(key="access_revoke").click().run()
    assert "收回 race@x.com 的门店角色（HZ01）？" in said(at.warning)
    meanwhile(access.revoke, "race@x.com")
    at.button(key="access_revoke_yes").click().run()
    assert not at.exception, at.exception
    assert said(at.error) == ["未收回：race@x.com 没有门店授权。"]
    assert [r[:2] for r in grant_rows(demo_db)] == [("ana@x.com", "analyst")]
    # asked about HZ01, and SH03 granted meanwhile: the click took both; now neither
    meanwhile(access.grant, "race@x.com", "store", stores=("HZ01",))
    _pick_for_revoke(at, "race@x.com", "store")
    at.button(key="access_revoke").click().run()
    assert "收回 race@x.com 的门店角色（HZ01）？" in said(at.warning)
    meanwhile(access.grant, "race@x.com", "store", stores=("SH03",))
    at.button(key="access_revoke_yes").click().run()
    assert said(at.error) == [
        "未收回：race@x.com 的这项授权刚被更改（另一位管理员或命令行）：没有收回任何授权，请重新选择。"
    ]
    assert not said(at.warning)  # the question gone with its buttons (they did nothing)
    assert not [b for b in at.button if b.key == "access_revoke_yes"]
    assert [r[:3] for r in grant_rows(demo_db) if r[0] == "race@x.com"] == [
        ("race@x.com", "store", "HZ01"),
        ("race@x.com", "store", "SH03"),
    ]


def test_an_email_copied_from_the_pages_sentence_is_the_same_person(app, demo_db):
    """The success sentence writes a word joiner after the @ (a Markdown link is not
    made of it); pasted back into the form it made a second, invisible person whose
    grant never applied. Invisible characters go, full-width letters read as ASCII."""
    at = app
    for typed in ("copy.me@\u2060net.example", "ｃｏｐｙ.ｍｅ＠ｎｅｔ.ｅｘａｍｐｌｅ"):
        at.text_input(key="access_email").input(typed)
        at.session_state["access_role"] = "analyst"
        submit(at)
        assert not at.exception, at.exception
    assert {r[0] for r in grant_rows(demo_db)} == {"copy.me@net.example"}
    at.text_input(key="access_email").input("   ")
    at.session_state["access_role"] = "analyst"
    submit(at)
    assert said(at.error) == ["未授权：请填写邮箱地址。"]  # it read "“”不是邮箱地址"


def test_a_grant_given_again_says_it_is_held_and_keeps_when_and_by_whom(app, demo_db):
    """Granting a role held already read as a new grant and replaced its time and giver
    (only the audit log kept the first): it says it is held, and nothing is written."""
    from cx import access, db, ui

    with db.connect(demo_db) as con:
        access.grant(con, "m@x.com", "store", stores=("HZ01",), user="first@x.com")
    ui.invalidate()
    before = grant_rows(demo_db)
    at = app
    at.run()
    at.text_input(key="access_email").input("M@X.com")
    at.session_state["access_role"] = "store"
    at.multiselect(key="access_stores").select("HZ01")
    submit(at)
    assert "m@x.com 已有门店角色（HZ01），未作更改。" in said(at.success), said(at.success)
    assert grant_rows(demo_db) == before  # the first grant's giver kept
    with db.connect(demo_db) as con:
        assert "access_grant" not in set(access.audit_log(con)["action"])  # nothing to record


def test_a_grant_naming_a_store_the_data_lacks_is_pointed_out(app, demo_db):
    """The command line takes --store HZ99 with a note; the page listed the grant as any
    other, and its holder saw only "no answers": the page says which grants name a store
    or region the data does not hold."""
    from cx import access, ui

    with db.connect(demo_db) as con:
        access.grant(con, "typo@x.com", "store", stores=("HZ99", "HZ01"))
        access.grant(con, "far@x.com", "region", regions=("火星",))
        access.grant(con, "ok@x.com", "region", regions=("华东",))
    ui.invalidate()
    app.run()
    assert said(app.warning) == [
        "这些授权的门店或区域不在数据中（拼写有误，或其答卷尚未上传），在它们之下看不到任何答卷："
        "far@x.com · 火星、typo@x.com · HZ99。"
    ]


def test_adding_a_store_names_the_store_added_and_an_own_revoke_is_said(demo_db):
    """Adding SH03 to a manager holding HZ01 read "granted HZ01, SH03" on the page and in
    the audit log; an admin revoking their own admin role (one of two) read only "your
    role cannot do this; nothing was changed" over a revoke that had gone through."""
    from cx import access
    from tests.support import signed_in_app

    with db.connect(demo_db) as con:
        access.grant(con, "boss@x.com", "admin")
        access.grant(con, "two@x.com", "admin")
        access.grant(con, "m@x.com", "store", stores=("HZ01",))
    at = signed_in_app("boss@x.com", page="pages/access.py", lang="zh")
    at.text_input(key="access_email").input("m@x.com")
    at.session_state["access_role"] = "store"
    at.multiselect(key="access_stores").select("HZ01").select("SH03")
    submit(at)
    assert "已授予 m@x.com 门店角色（SH03）。" in said(at.success), said(at.success)
    with db.connect(demo_db) as con:
        log = access.audit_log(con)
    assert list(log.loc[log["action"] == "access_grant", "target"])[0] == "m@x.com store SH03"
    at.selectbox(key="access_revoke_email").select("boss@x.com").run()
    at.session_state["access_revoke_role"] = "admin"
    at.run()
    at.button(key="access_revoke").click().run()
    assert "收回 boss@x.com 的管理员角色（全部门店）？" in said(at.warning)
    at.button(key="access_revoke_yes").click().run()
    assert said(at.success) == ["已收回 boss@x.com 的 1 条授权。"], said(at.success)
    assert ("boss@x.com", "admin") not in {r[:2] for r in grant_rows(demo_db)}


def test_one_store_of_a_person_who_holds_several_is_taken_and_the_others_stay(app, demo_db):
    """SH03 taken from a manager of HZ01, HZ02 and SH03: the revoke took the whole role, so
    they lost all three and saw the no-access page until granted two again, and the audit
    read 'revoked HZ01,HZ02,SH03' then 'granted HZ01,HZ02'. The role's stores are listed,
    all picked; those left out stay, and the question and the audit name the one taken."""
    from cx import access, ui

    with db.connect(demo_db) as con:
        access.grant(con, "multi@x.com", "store", stores=("HZ01", "HZ02", "SH03"))
    ui.invalidate()
    _pick_for_revoke(app, "multi@x.com", "store")
    at = app
    assert at.multiselect(key="access_revoke_places").value == ["HZ01", "HZ02", "SH03"]
    at.multiselect(key="access_revoke_places").unselect("HZ01").unselect("HZ02").run()
    at.button(key="access_revoke").click().run()
    assert "收回 multi@x.com 的门店角色中的 SH03？保留：HZ01、HZ02。" in said(at.warning)
    at.button(key="access_revoke_yes").click().run()
    assert not at.exception, at.exception
    assert "已收回 multi@x.com 的 1 条授权。" in said(at.success)
    assert [r[2] for r in grant_rows(demo_db) if r[0] == "multi@x.com"] == ["HZ01", "HZ02"]
    with db.connect(demo_db) as con:
        line = access.audit_log(con).iloc[0]
        assert access.resolve(con, "multi@x.com").stores == {"HZ01", "HZ02"}
    assert line["action"] == "access_revoke" and "SH03" in line["target"]
    assert "HZ01" not in line["target"] + line["detail"]
    # picked again: its stores now, all picked; none left picked: nothing is asked or taken
    _pick_for_revoke(at, "multi@x.com", "store")
    assert at.multiselect(key="access_revoke_places").value == ["HZ01", "HZ02"]
    at.multiselect(key="access_revoke_places").unselect("HZ01").unselect("HZ02").run()
    at.button(key="access_revoke").click().run()
    assert said(at.error) == ["未收回：请至少选择一个要收回的门店或区域。"]
    assert len([r for r in grant_rows(demo_db) if r[0] == "multi@x.com"]) == 2
