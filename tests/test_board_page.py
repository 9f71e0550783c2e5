"""AppTest of the daily NPS board: numbers on the page equal what the rows say."""

from __future__ import annotations

import io
import json
import re
from datetime import date, datetime
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from cx import db, i18n, stats
from cx.queries import board as q_board
from cx.scope import NETWORK, Scope
from tests.support import chosen_label, record_downloads, shown_label

ROOT = Path(__file__).resolve().parent.parent


def shown(text: str) -> str:
    """Markdown as a person reads it: backslash escapes (values made literal) removed."""
    return re.sub(r"\\(.)", r"\1", text)


def metrics(at) -> dict[str, str]:
    return {shown(m.label): shown(str(m.value)) for m in at.metric}


def counts(con, store: str, start: str, end: str) -> tuple[int, int, int]:
    row = con.execute(
        "SELECT count(*) FILTER (WHERE nps <= 6), count(*) FILTER (WHERE nps BETWEEN 7 AND 8),"
        " count(*) FILTER (WHERE nps >= 9) FROM responses WHERE store_id = ?"
        " AND CAST(responded_at AS DATE) BETWEEN ? AND ?",
        [store, start, end],
    ).fetchall()[0]
    return tuple(int(x) for x in row)


def board(app, store="HZ01", day=None, period=None, lang="en", tab=None):
    # Widgets whose labels change with the language are set through session state
    # (AppTest keeps the previous run's format_func); the store/date widgets are
    # driven directly in test_change_store_and_date.
    app.session_state["ui_lang"] = lang
    app.session_state["board_store"] = store
    if day is not None:
        app.session_state["board_date"] = day
    if period is not None:
        app.session_state["board_period"] = period
    if tab is not None:
        app.session_state["board_tab"] = tab
    app.run()
    assert not app.exception, app.exception
    return app


def test_board_is_the_default_page_and_shows_all_stores(app, con, monkeypatch):
    files = record_downloads(monkeypatch)
    assert not app.exception
    assert app.selectbox(key="board_store").value == "*"
    # default date: the latest day with answers
    assert app.date_input(key="board_date").value == date(2025, 10, 31)
    n_stores = con.execute("SELECT count(*) FROM stores").fetchall()[0][0]
    # every store in the ranking's table; the best ten and the worst ten as links
    from cx.i18n import t
    from cx.ui import board as ui_board

    rank, store = t("board.rank.col.rank", "zh"), t("board.rank.col.store", "zh")
    # the whole ranking is made and sent only once its expander is opened
    assert not [d for d in app.dataframe if rank in d.value.columns]
    assert app.expander(key="rank_all").label == t("board.rank.all", "zh", n=n_stores)
    app.session_state["rank_all"] = True
    app.run()
    assert not app.exception, app.exception
    (frame,) = [d for d in app.dataframe if rank in d.value.columns]
    table = frame.value
    # its download names whose stores and which day (it had read ranking_<today>.csv)
    assert files["rank_table_csv"][0].startswith("ranking_all_2025-10-31_")
    assert n_stores > ui_board.RANKING_LINKS and len(table) == n_stores
    shown_as = json.loads(frame.proto.columns)  # NPS and its interval: 51.0, not 51
    for col in ("nps", "low", "high"):
        assert shown_as[t(f"board.rank.col.{col}", "zh")]["type_config"]["format"] == "%,.1f"
    # the target and the gap as the links write them: "74.0" and "+3.9" (they had read
    # "74" and "3.9")
    target, gap = (shown_as[t(f"board.rank.col.{c}", "zh")] for c in ("target", "vs_target"))
    assert target["type_config"]["format"] == "%.1f"
    assert gap["type_config"]["format"] == "%+.1f"
    ranked = table[table[rank].notna()]
    links = [shown(x.label) for x in app.page_link]
    half = ui_board.RANKING_LINKS // 2
    expect = list(ranked[store].head(half)) + list(ranked[store].tail(half))
    assert [x.split(" · ")[0].split(". ", 1)[1] for x in links] == expect
    # the best beside the worst: one column each, a link (rank, store, NPS, interval) a store
    by_column = [[shown(p.label) for p in c.get("page_link")] for c in app.columns[-2:]]
    assert by_column == [links[:half], links[half:]]
    # each store's own October target from the targets table (its row, else the default),
    # beside its NPS and how far off (a store ranked fourth had been 7.5 below its own)
    own = dict(
        con.execute(
            "SELECT s.store_id, coalesce(o.nps_target, a.nps_target) FROM stores s"
            " LEFT JOIN targets o ON o.store_id = s.store_id AND o.month = '2025-10-01'"
            " LEFT JOIN targets a ON a.store_id = '*' AND a.month = '2025-10-01'"
        ).fetchall()
    )
    for x, (_, r) in zip(
        links, pd.concat([ranked.head(half), ranked.tail(half)]).iterrows(), strict=True
    ):
        low, high = t("board.rank.col.low", "zh"), t("board.rank.col.high", "zh")
        goal = own[r[store].split(" ")[0]]  # the label begins with the store's id
        assert x.endswith(
            f"\n:gray[（{r[low]:.1f} ~ {r[high]:.1f}），样本 {r[t('board.rank.col.n', 'zh')]:,}"
            f" · 目标 {goal:.1f}（{r[t('board.rank.col.nps', 'zh')] - goal:+.1f}）]"
        ), x
        assert r[t("board.rank.col.target", "zh")] == round(goal, 1)
    assert table[rank].dropna().tolist() == list(range(1, len(ranked) + 1))


def test_store_names_in_the_rankings_links_stay_text(demo_db, con):
    """A store name holding Markdown (an image that would make the browser fetch, a link)
    is shown as those characters in the ranking's links, never rendered."""
    con.execute("UPDATE stores SET store_name = '![x](http://evil.example/' || store_id || ')'")
    db.bump_data_version(con)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.query_params["lang"] = "en"
    at.run()
    assert not at.exception, at.exception
    labels = [p.label for p in at.page_link if "evil.example" in p.label]
    assert len(labels) == 20  # the best ten and the worst ten (44 stores)
    for label in labels:
        # the store's line, and the interval's grey line (the only Markdown of the app's own)
        name, interval = label.split("  \n")
        assert re.fullmatch(
            r":gray\[\(-?\d+\.\d to -?\d+\.\d\), n = [\d,]+( ⚠ low sample)?"
            r"( · target -?\d+\.\d \([+-]\d+\.\d\))?\]",
            interval,
        ), interval
        assert not re.search(r"(?<!\\)[\[\]]", name)  # every bracket of the data escaped
        read = shown(name).replace("\u2060", "")  # the joiner that keeps URLs from linking
        assert re.search(r"!\[x\]\(http://evil\.example/\w+\)", read)


def test_ranking_links_never_repeat_a_store_or_count_unranked_ones_as_a_gap():
    from cx.ui import board as ui_board

    def frame(ranked: int, unranked: int) -> pd.DataFrame:
        return pd.DataFrame(
            {
                "store_id": [f"S{i:03d}" for i in range(ranked + unranked)],
                "ranked": [True] * ranked + [False] * unranked,
            }
        )

    few = frame(15, 10)  # more stores than links, fewer ranked ones than links
    linked, gap = ui_board.ranking_links(few)
    assert list(linked["store_id"]) == list(few["store_id"].head(15)) and gap == 0
    many = frame(50, 5)
    linked, gap = ui_board.ranking_links(many)
    ids = list(many["store_id"])
    assert list(linked["store_id"]) == ids[:10] + ids[40:50] and gap == 30
    small = frame(12, 3)  # up to RANKING_LINKS: every store, unranked ones too
    assert ui_board.ranking_links(small)[0] is small


def test_story_week_on_the_page(app, con):
    board(app, "HZ01", date(2025, 10, 7), "week")
    m = metrics(app)
    assert counts(con, "HZ01", "2025-10-01", "2025-10-07") == (12, 32, 156)
    assert m["Answers"] == "200"
    assert m["NPS"] == "72.0"
    assert m["Promoters"].startswith("156 ")
    assert m["Passives"].startswith("32 ")
    assert m["Detractors"].startswith("12 ")


def test_the_months_last_day_says_no_days_are_left_not_no_data(app):
    board(app, "*", date(2025, 10, 31), "day")
    m = metrics(app)
    assert m["Days left"] == "0"
    assert m["NPS needed on the remaining days"] == "no days left"


def test_a_month_below_last_months_level_says_so_not_a_negative_progress(app, con):
    """CS01's October fell below its September: progress read '-103%'; the page says the
    month is below last month's level and by how much, from the rows."""
    board(app, "CS01", date(2025, 10, 31), "day")
    mtd = stats.nps(*counts(con, "CS01", "2025-10-01", "2025-10-31"))
    sep = stats.nps(*counts(con, "CS01", "2025-09-01", "2025-09-30"))
    assert mtd < sep
    assert metrics(app)["Progress to target"] == "below last month"
    said = f"below last month's {sep:.1f} ({mtd - sep:+.1f})"
    caps = [shown(c.value) for c in app.caption]
    assert any(said in c for c in caps), caps
    assert not [c for c in caps if "-1" in c and "% of the way" in c]


def test_a_target_below_last_months_level_is_said_so_not_a_share(app, con):
    """HZ01's October target set to 70, below September's 72.0, with October above it:
    the share of a climb down read '-110%' (and, fixed first by the sign alone, 'below
    last month' for a month above it); the page says the target is not above it."""
    from cx import targets, ui

    targets.set_target(con, "HZ01", date(2025, 10, 1), 70.0)
    ui.invalidate()
    board(app, "HZ01", date(2025, 10, 31), "day")
    sep = stats.nps(*counts(con, "HZ01", "2025-09-01", "2025-09-30"))
    assert stats.nps(*counts(con, "HZ01", "2025-10-01", "2025-10-31")) > sep > 70
    assert metrics(app)["Progress to target"] == "—"
    caps = [shown(c.value) for c in app.caption]
    said = f"the target is not above last month's {sep:.1f}"
    assert any(said in c for c in caps) and not any("below last month" in c for c in caps), caps


def test_story_month_to_date_on_the_page(app, con):
    board(app, "HZ01", date(2025, 10, 15), "day")
    m = metrics(app)
    mtd = counts(con, "HZ01", "2025-10-01", "2025-10-15")
    sep = counts(con, "HZ01", "2025-09-01", "2025-09-30")
    nps_mtd = stats.nps(*mtd)
    assert m["MTD NPS"] == f"{nps_mtd:.1f}" == "74.5"
    assert m["Monthly target"] == "77.0"
    progress = (nps_mtd - stats.nps(*sep)) / (77 - stats.nps(*sep))
    assert m["Progress to target"] == f"{100 * progress:.0f}%"
    assert abs(100 * progress - 50) < 2  # "74.5 of 77.0, 50 %"
    assert m["Days left"] == "16"
    # NPS needed: expected answers = mean of the last 28 days x 16
    recent = sum(counts(con, "HZ01", "2025-09-18", "2025-10-15"))
    n_left = recent / 28 * 16
    needed = (77 * (sum(mtd) + n_left) - nps_mtd * sum(mtd)) / n_left
    assert m["NPS needed on the remaining days"] == f"{needed:.1f}"
    # the target with the decimal of the figure above it (a network's 54.4 read 54)
    line = f"74.5 against the target 77.0, {100 * progress:.0f}% of the way"
    assert any(line in shown(c.value) for c in app.caption)
    # the headline's pace line names where the progress is counted from (its '64%' beside
    # '60.6 / 62.0' read as the share of the target)
    head = f"{100 * progress:.0f}% of the way from last month's {stats.nps(*sep):.1f}"
    assert any(head in shown(c.value) for c in app.caption), [c.value for c in app.caption]
    # today's strip: the day's own figures and honest comparisons
    day = counts(con, "HZ01", "2025-10-15", "2025-10-15")
    assert m["Answers"] == str(sum(day))
    assert m["NPS"] == f"{stats.nps(*day):.1f}"
    lines = [shown(x.value) for x in app.markdown if "vs " in x.value]
    assert len(lines) == 2
    y = counts(con, "HZ01", "2025-10-14", "2025-10-14")
    _diff, _z, p = stats.nps_diff_test(day, y)
    expected = "real change" if p < 0.05 else "within noise"
    if min(sum(day), sum(y)) < stats.MIN_N:
        expected = "too few to compare"
    assert expected in lines[0]


def test_query_params_open_a_store_and_date(demo_db, con):
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.query_params["store"] = "HZ01"
    at.query_params["date"] = "2025-10-07"
    at.query_params["lang"] = "en"
    at.run()
    assert not at.exception
    assert at.selectbox(key="board_store").value == "HZ01"
    assert at.date_input(key="board_date").value == date(2025, 10, 7)
    day = counts(con, "HZ01", "2025-10-07", "2025-10-07")
    assert metrics(at)["Answers"] == str(sum(day))


def test_change_store_and_date(app, con):
    app.selectbox(key="board_store").select("SH01").run()
    app.date_input(key="board_date").set_value(date(2025, 10, 20)).run()
    app.session_state["ui_lang"] = "en"
    app.run()
    assert not app.exception, app.exception
    assert app.selectbox(key="board_store").value == "SH01"
    day = counts(con, "SH01", "2025-10-20", "2025-10-20")
    assert metrics(app)["Answers"] == str(sum(day))
    nps = stats.nps(*day)
    assert metrics(app)["NPS"] == ("no data" if nps is None else f"{nps:.1f}")
    assert app.query_params["store"] == ["SH01"] or app.query_params["store"] == "SH01"


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_month_of_too_few_answers_reads_no_chance_of_its_target(app, con, lang):
    """On the month's first day HZ01's 23 answers read 'chance 0%': the chance takes the
    rest of the month to answer as the month so far, a day's answers. Under 30 answers
    the board says it reads no chance yet; from 30 on it shows the chance again."""
    t = i18n.t
    first = counts(con, "HZ01", "2025-10-01", "2025-10-01")
    two = counts(con, "HZ01", "2025-10-01", "2025-10-02")
    assert 0 < sum(first) < stats.LOW_N <= sum(two)
    board(app, "HZ01", date(2025, 10, 1), "day", lang)
    chance = t("board.mtd.prob", lang)
    thin = t("board.chance_thin", lang, low=stats.LOW_N)
    assert metrics(app)[chance] == i18n.GAP
    captions = [c.value for c in app.caption]
    assert any(t("board.head.chance", lang, pct=thin) in c for c in captions), captions
    assert any(t("board.chance_thin_line", lang, low=stats.LOW_N) in c for c in captions)
    board(app, "HZ01", date(2025, 10, 2), "day", lang)
    assert metrics(app)[chance].endswith("%"), metrics(app)[chance]
    assert not any(thin in c.value for c in app.caption)


def test_empty_day_shows_no_data_not_zero(app, con):
    row = con.execute(
        "SELECT s.store_id, d.day FROM stores s CROSS JOIN"
        " (SELECT DISTINCT day FROM daily_rollup WHERE day >= '2025-09-01') d"
        " LEFT JOIN daily_rollup r ON r.store_id = s.store_id AND r.day = d.day"
        " WHERE r.store_id IS NULL ORDER BY d.day DESC, s.store_id LIMIT 1"
    ).fetchall()
    assert row, "the 10 % demo has store-days without answers"
    store, day = row[0]
    board(app, store, day, "day")
    m = metrics(app)
    assert m["Answers"] == "0"
    assert m["NPS"] == "no data"
    assert m["Promoters"] == "no data"
    assert any("no NPS (not zero)" in i.value for i in app.info)


def test_region_view_ranks_stores_and_links(app, con):
    board(app, "region:华东", date(2025, 10, 15))
    stores = [
        r[0] for r in con.execute("SELECT store_id FROM stores WHERE region = '华东'").fetchall()
    ]
    links = [shown(p.label) for p in app.page_link]
    assert len(links) == len(stores)
    ranked = []
    for s in stores:
        c = counts(con, s, "2025-10-01", "2025-10-15")
        if sum(c) >= stats.MIN_N:
            ranked.append((-stats.nps(*c), -sum(c), s))
    best = sorted(ranked)[0]
    assert links[0].startswith(f"1. {best[2]} ")
    assert f"NPS {-best[0]:.1f}" in links[0]
    assert any(w for w in app.warning) or any(
        s.value == "No alerts this morning." for s in app.success
    )


def test_set_target_on_the_board(app, con):
    board(app, "HZ01", date(2025, 10, 15))
    assert not app.number_input  # the editor's form is made only while it is open
    assert app.expander(key="board_target_open").label == "Set the monthly target"
    app.session_state["board_target_open"] = True
    app.run()
    assert app.number_input(key="board_target").value == 77.0
    app.number_input(key="board_target").set_value(80.0)
    app.text_input(key="board_milestones").set_value("2: 78, 3: 79")
    app.button(key="board_target_save").click().run()
    assert not app.exception, app.exception
    assert metrics(app)["Monthly target"] == "80.0"
    with db.connect(db.config.db_path()) as c:
        row = c.execute(
            "SELECT nps_target, milestones, updated_by FROM targets"
            " WHERE store_id = 'HZ01' AND month = '2025-10-01'"
        ).fetchall()[0]
    assert row[0] == 80.0 and '"2": 78' in row[1] and row[2] == "open mode"  # no sign-in


@pytest.mark.parametrize(
    ("typed", "key"), [("abc", "board.target.ms_unreadable"), ("9: 80", "board.target.ms_range")]
)
def test_milestones_that_cannot_be_read_are_said_in_the_readers_language(app, con, typed, key):
    """'无法保存：cannot read milestone 'abc'': the parser's English on the Chinese board."""
    from cx.i18n import t

    stored = "SELECT nps_target, milestones FROM targets WHERE store_id = 'HZ01' ORDER BY month"
    with db.connect(db.config.db_path()) as c:
        before = c.execute(stored).fetchall()
    board(app, "HZ01", date(2025, 10, 15), lang="zh")
    app.session_state["board_target_open"] = True
    app.run()
    app.text_input(key="board_milestones").set_value(typed)
    app.button(key="board_target_save").click().run()
    assert not app.exception, app.exception
    said = t("board.target.bad", "zh", error=t(key, "zh", part=typed))
    assert said in [shown(e.value) for e in app.error]
    with db.connect(db.config.db_path()) as c:  # nothing saved
        assert c.execute(stored).fetchall() == before


def _uncalled_detractor(con) -> str:
    """HZ01's first detractor since 10-18 with no follow-up yet (in the queue, open)."""
    return con.execute(
        "SELECT r.response_id FROM responses r LEFT JOIN followups f USING (response_id)"
        " WHERE r.store_id = 'HZ01' AND r.nps <= 6 AND f.response_id IS NULL"
        " AND r.responded_at > TIMESTAMP '2025-10-18 00:00'"
        " ORDER BY r.responded_at LIMIT 1"
    ).fetchall()[0][0]


def test_a_very_long_comment_is_cut_on_its_card_and_in_the_form(app, con, monkeypatch):
    """A 30,000-character comment made its card 14,000 px tall: every card below it was
    out of reach. The card shows its first 200 characters, the form 2,000 and says how
    many there are, and the queue's CSV holds all of it."""
    from cx import db, ui

    files = record_downloads(monkeypatch)
    board(app, "HZ01", tab="callbacks")
    first = next(b.key for b in app.button if b.key.startswith("cb_details_"))
    rid = first.removeprefix("cb_details_")
    long = "很长的评论" * 6000
    con.execute("UPDATE responses SET comment = ? WHERE response_id = ?", [long, rid])
    db.bump_data_version(con)
    ui.invalidate()
    app.run()
    reasons = [x.value for x in app.text if "很长的评论" in x.value]
    assert len(reasons) == 1 and reasons[0].endswith("…"), reasons
    assert 200 <= len(reasons[0]) < 260, len(reasons[0])  # "Reason: … · " and 200 of it
    app.button(key=first).click().run()
    assert app.selectbox(key="cb_pick").value == rid
    shown = next(c.value for c in app.caption if "很长的评论" in c.value)
    assert len(shown) == 2000 and shown.endswith("…")
    assert any("30,000 characters" in c.value for c in app.caption)
    name, data = files["cb_export"]
    data = data() if callable(data) else data
    assert long in data.decode("utf-8-sig")  # the export keeps it whole


def test_the_forms_owner_and_note_show_typed_phones_masked_and_keep_them(app, con):
    """A note with the customer's new number, an owner with their own: the form shows
    them masked to the next person; saved with the stars left as they were, the stored
    numbers stay whole (nothing lost), and a line added is kept."""
    from cx import followups, ui

    rid = _uncalled_detractor(con)
    followups.set_followup(con, rid, "contacted", owner="张经理 13912345678",
                           note="客户换了新号码 13987654321，周五再打")  # fmt: skip
    ui.invalidate()
    board(app, "HZ01", tab="callbacks")
    app.selectbox(key="cb_pick").set_value(rid).run()
    assert app.text_input(key="cb_owner").value == "张经理 139****5678"
    assert app.text_area(key="cb_note").value == "客户换了新号码 139****4321，周五再打"
    app.text_area(key="cb_note").set_value("客户换了新号码 139****4321，周五再打。已约周六")
    app.button(key="cb_save").click().run()
    assert not app.exception, app.exception
    now = followups.current(con, rid)
    assert now["owner"] == "张经理 13912345678"
    assert now["note"] == "客户换了新号码 13987654321，周五再打。已约周六"


def test_callback_open_to_resolved_survives_a_restart(app, demo_db):
    board(app, "HZ01", tab="callbacks")
    picks = app.selectbox(key="cb_pick").options
    assert picks
    with db.connect(demo_db) as c:
        rid = _uncalled_detractor(c)
        v0 = db.data_version(c)
    app.selectbox(key="cb_pick").set_value(rid).run()
    assert app.selectbox(key="cb_status").value == "open"
    app.selectbox(key="cb_status").set_value("resolved")
    app.text_input(key="cb_owner").set_value("王经理")
    app.text_area(key="cb_note").set_value("已回电，安排免费复检")
    # resolving without a root cause is refused
    app.button(key="cb_save").click().run()
    assert any("root cause" in e.value for e in app.error)
    app.selectbox(key="cb_root").set_value("waiting")
    app.button(key="cb_save").click().run()
    assert not app.exception, app.exception
    assert rid not in app.selectbox(key="cb_pick").options  # closed: out of the queue
    # said above the form, with where the form went (it moved on without a word)
    said = [s for s in app.success if rid in s.value]
    assert len(said) == 1 and said[0].value.endswith(
        "It is closed and has left the queue; the form below now shows the next answer."
    )
    form = [e for e in app.main if getattr(e, "key", None) == "cb_pick" or e is said[0]]
    assert len(form) == 2 and form[0] is said[0], "the confirmation, then the form"

    # a fresh app on the same file still has it resolved, with who and when
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.session_state["ui_lang"] = "en"
    at.session_state["board_tab"] = "callbacks"
    at.run()
    at.selectbox(key="board_store").select("HZ01").run()
    at.checkbox(key="cb_show_closed").check().run()
    at.segmented_control(key="cb_view").set_value("table").run()
    table = at.dataframe[0].value
    row = table[table["Answer"] == rid].iloc[0]
    assert row["Status"] == "resolved" and row["Owner"] == "王经理"
    with db.connect(demo_db) as c:
        assert db.data_version(c) > v0
        log = c.execute(
            "SELECT status, root_cause, changed_by FROM followup_log WHERE response_id = ?", [rid]
        ).fetchall()
    assert log == [("resolved", "waiting", "open mode")]  # no sign-in configured


def test_a_callback_saved_without_sign_in_names_the_open_mode_in_the_readers_language(app, demo_db):
    """Without sign-in the database keeps 'open mode' as who changed a follow-up; the
    Chinese board says 开放模式 in its confirmation, the form's last change and the Data
    page's audit log (a reader of the Chinese pages read English there)."""
    board(app, "HZ01", lang="zh", tab="callbacks")
    with db.connect(demo_db) as c:
        rid = _uncalled_detractor(c)
    app.selectbox(key="cb_pick").set_value(rid).run()
    app.selectbox(key="cb_status").set_value("contacted")
    app.button(key="cb_save").click().run()
    assert not app.exception, app.exception
    [saved] = [s.value for s in app.success if rid in s.value]
    assert "（开放模式）" in saved and "open mode" not in saved
    app.selectbox(key="cb_pick").set_value(rid).run()
    last = [c.value for c in app.caption if c.value.startswith("上次修改")]
    assert len(last) == 1 and last[0].startswith("上次修改：开放模式，"), last
    with db.connect(demo_db) as c:
        assert c.execute(
            "SELECT updated_by FROM followups WHERE response_id = ?", [rid]
        ).fetchall() == [("open mode",)]
    app.switch_page("pages/data.py").run()
    assert not app.exception, app.exception
    audit = next(f.value for f in app.dataframe if "操作人" in f.value.columns)
    assert set(audit["操作人"]) == {"开放模式"}
    assert f"{rid} 已联系" in set(audit["对象"])  # the status in Chinese too


def test_a_phone_typed_in_a_callbacks_owner_or_note_is_masked_in_report_and_queue(app, con):
    """A colleague types a customer's new number into a note, or their own beside their
    name as the owner: the weekly report (page and file) and the queue (table and
    export) show them masked, as they show the customer's phone."""
    from cx import followups, ui
    from cx.views import board as board_view

    (a,), (b,) = con.execute(
        "SELECT response_id FROM responses WHERE store_id = 'HZ01' AND nps <= 6"
        " AND CAST(responded_at AS DATE) BETWEEN '2025-10-27' AND '2025-10-30'"
        " ORDER BY responded_at LIMIT 2"
    ).fetchall()
    followups.set_followup(con, a, "contacted", owner="张经理 13912345678",
                           at=datetime(2025, 10, 31, 9))  # fmt: skip
    followups.set_followup(con, b, "resolved", owner="李娜 0571-88886666",
                           note="客户换了新号码１３９８７６５４３２１", root_cause="waiting",
                           at=datetime(2025, 10, 31, 10))  # fmt: skip
    ui.invalidate()
    raw = ("13912345678", "１３９８７６５４３２１", "88886666")
    board(app, "HZ01", tab="report")
    md = "\n".join(shown(m.value) for m in app.markdown)
    assert not [x for x in raw if x in md]
    assert all(x in md for x in ("139****5678", "139****4321", "057*****6666"))
    board(app, "HZ01", tab="callbacks")
    app.segmented_control(key="cb_view").set_value("table").run()
    cells = " ".join(str(x) for x in app.dataframe[0].value.to_numpy().ravel())
    assert "张经理 139****5678" in cells and not [x for x in raw if x in cells]
    v = board_view.view(con, Scope.of_store("HZ01"), date(2025, 10, 31),
                        datetime(2025, 10, 31, 23, 59, 59), True, "callbacks")  # fmt: skip
    exported = board_view.queue_csv(v, ("network",), "zh").decode("utf-8-sig")
    assert "张经理 139****5678" in exported and not [x for x in raw if x in exported]


def test_a_cards_tap_can_be_undone_with_one_more(app, con):
    """'Unreachable' sits beside 'contacted' on a phone: a mis-tap closed the callback
    and took five taps to reopen. The run after a tap offers to undo it; the undo puts
    the follow-up back as it was (its owner and note too) and is logged."""
    from cx import followups, ui

    board(app, "HZ01", tab="callbacks")
    mark = next(b for b in app.button if b.key and b.key.startswith("cb_mark_unreachable_"))
    rid = mark.key.removeprefix("cb_mark_unreachable_")
    followups.set_followup(con, rid, "open", owner="王芳", note="下午再打")
    ui.invalidate()
    app.run()
    app.button(key=mark.key).click().run()
    assert followups.current(con, rid)["status"] == "unreachable"
    undo = app.button(key="cb_undo")
    assert undo.label.startswith("Undo: score ") and undo.label.endswith("→ unreachable")
    undo.click().run()
    assert not app.exception, app.exception
    now = followups.current(con, rid)
    assert (now["status"], now["owner"], now["note"]) == ("open", "王芳", "下午再打")
    log = con.execute(
        "SELECT status FROM followup_log WHERE response_id = ? ORDER BY changed_at, rowid", [rid]
    ).fetchall()
    assert [x for (x,) in log][-2:] == ["unreachable", "open"]
    # the audit log says what the undo did (its line had held the answer only)
    from cx import access

    audit = access.audit_shown(access.audit_log(con), "en")
    undone = audit[audit["target"].str.startswith(rid)].iloc[0]  # newest first
    assert undone["target"] == f"{rid} open 王芳" and undone["detail"] == "undid 'unreachable'"
    # said as the tap was: the tap's 'Saved' toast had been the last word on the screen
    score = undo.label.removeprefix("Undo: score ").split(" ")[0]
    assert [x.value for x in app.toast if shown(x.value).startswith(f"Undone: score {score} ·")]
    assert [x.value for x in app.toast if shown(x.value).endswith("is back to open.")]
    assert "cb_undo" not in [b.key for b in app.button]  # offered once, after the tap
    # a tap whose callback a colleague changed meanwhile is not undone over their change
    app.button(key=mark.key).click().run()
    followups.set_followup(con, rid, "resolved", root_cause="waiting", note="已处理")
    ui.invalidate()
    app.button(key="cb_undo").click().run()
    assert followups.current(con, rid)["status"] == "resolved"
    said = "Not undone: the callback was changed after your tap; its latest state is kept."
    assert said in [shown(x.value) for x in app.toast]
    kept = access.audit_shown(access.audit_log(con, 1), "zh").iloc[0]
    assert kept["detail"] == "撤销未执行：之后已有人更改"


def test_a_second_tap_on_the_next_card_right_after_one_saves_nothing_and_says_so(
    app, con, monkeypatch
):
    """A tapped card leaves its place and the next moves under the finger: a slow double
    tap marked two customers, the toast naming only the second. A tap on another card
    within DOUBLE_TAP seconds saves nothing and says so; the first tap's undo stays; a tap
    again saves. The same card's tap again (reaching the card it had marked) logs
    nothing twice."""
    from cx import access
    from cx.ui import board as ui_board

    monkeypatch.setattr(ui_board, "DOUBLE_TAP", 600.0)  # AppTest's runs may take seconds

    def marks():
        return [b.key for b in app.button if b.key and b.key.startswith("cb_mark_contacted_")]

    def logged(rid):
        q = "SELECT count(*) FROM followup_log WHERE response_id = ?"
        return con.execute(q, [rid]).fetchall()[0][0]

    board(app, "HZ01", tab="callbacks")
    first, second = marks()[:2]
    a, b = (k.removeprefix("cb_mark_contacted_") for k in (first, second))
    before_a, before_b, audit = logged(a), logged(b), len(access.audit_log(con))
    app.button(key=first).click().run()
    assert logged(a) == before_a + 1
    app.button(key=second).click().run()  # the next card, where the first one was
    assert not app.exception, app.exception
    assert logged(b) == before_b and len(access.audit_log(con)) == audit + 1
    warned = [shown(w.value) for w in app.warning if shown(w.value).startswith("Not saved: score")]
    assert warned and "double tap" in warned[0], [shown(w.value) for w in app.warning]
    undo = app.button(key="cb_undo")  # the first tap's, still offered
    assert undo.label.endswith("→ contacted")
    app.button(key=second).click().run()  # tapped again: meant
    assert logged(b) == before_b + 1 and len(access.audit_log(con)) == audit + 2
    assert not [w for w in app.warning if shown(w.value).startswith("Not saved")]
    # the answer just marked, asked again as it is: nothing written, its undo kept
    ui_board._mark.__wrapped__(b, "contacted", "en", {"score": 0, "at": "", "phone": ""})
    assert logged(b) == before_b + 1 and len(access.audit_log(con)) == audit + 2


def test_another_tab_and_back_keeps_the_forms_answer_and_what_was_typed(app, con):
    """Streamlit forgets a form's boxes while another tab is shown: back on the queue the
    form had the same answer with its owner and note empty and its status 'open', and
    Save wrote that over the stored owner and note. The boxes come back as typed."""
    from cx import followups, ui

    board(app, "HZ01", tab="callbacks")
    rid = app.selectbox(key="cb_pick").value
    followups.set_followup(con, rid, "open", owner="王芳", note="下午再打")
    ui.invalidate()
    app.run()
    assert app.text_input(key="cb_owner").value == "王芳"
    app.text_area(key="cb_note").set_value("下午再打；客户说周五来").run()
    for tab in ("board", "callbacks"):
        app.session_state["board_tab"] = tab
        app.run()
    assert not app.exception, app.exception
    assert app.selectbox(key="cb_pick").value == rid
    assert app.text_input(key="cb_owner").value == "王芳"
    assert app.text_area(key="cb_note").value == "下午再打；客户说周五来"
    app.selectbox(key="cb_status").set_value("contacted").run()
    app.button(key="cb_save").click().run()
    now = followups.current(con, rid)
    assert (now["status"], now["owner"], now["note"]) == (
        "contacted",
        "王芳",
        "下午再打；客户说周五来",
    )


def test_the_target_section_closed_and_opened_again_shows_the_stored_target(app):
    """Closed and opened again, the target section read -100.0 (the box's lowest value:
    Streamlit forgets a box not drawn), which Save stored as the month's target."""
    board(app, "HZ01", tab="board")
    for open_ in (True, False, True):
        app.session_state["board_target_open"] = open_
        app.run()
    assert not app.exception, app.exception
    assert app.number_input(key="board_target").value == 77.0


def test_the_reports_week_survives_another_tab_and_back(app):
    """The week of 10-13 picked on the report, then the board tab and back: the report's
    day came back as today's date clamped to the data's last day (10-31)."""
    board(app, "HZ01", tab="report")
    assert app.date_input(key="report_start").value == date(2025, 10, 27)
    app.date_input(key="report_start").set_value(date(2025, 10, 13)).run()
    for tab in ("board", "report"):
        app.session_state["board_tab"] = tab
        app.run()
    assert not app.exception, app.exception
    assert app.date_input(key="report_start").value == date(2025, 10, 13)


def test_what_was_typed_survives_its_cards_tap_and_a_filter_that_hid_it(app, con):
    """A note typed, then the same card's 'contacted' tapped: the boxes were set again
    from the database and the note was gone, unsaved and unsaid. So was a passive's note
    when 'detractors only' hid it. What was typed comes back, said to be unsaved, until
    Save keeps it."""
    from cx import followups
    from cx.i18n import t

    board(app, "HZ01", tab="callbacks")
    rids = [
        b.key.removeprefix("cb_details_") for b in app.button if b.key.startswith("cb_details_")
    ]
    scores = dict(
        con.execute(
            "SELECT response_id, nps FROM responses WHERE list_contains(?, response_id)", [rids]
        ).fetchall()
    )
    rid = rids[0]
    app.button(key=f"cb_details_{rid}").click().run()
    app.text_input(key="cb_owner").set_value("王店长")
    app.text_area(key="cb_note").set_value("电话已通，客户要求换顾问")
    app.button(key=f"cb_mark_contacted_{rid}").click().run()
    assert not app.exception, app.exception
    assert followups.current(con, rid)["status"] == "contacted"
    assert app.selectbox(key="cb_status").value == "contacted"
    assert app.text_input(key="cb_owner").value == "王店长"
    assert app.text_area(key="cb_note").value == "电话已通，客户要求换顾问"
    unsaved = t("board.cb.draft_kept", "en")
    assert unsaved in [c.value for c in app.caption]
    app.button(key="cb_save").click().run()
    now = followups.current(con, rid)
    assert (now["status"], now["owner"], now["note"]) == (
        "contacted",
        "王店长",
        "电话已通，客户要求换顾问",
    )
    assert unsaved not in [c.value for c in app.caption]
    # a passive's note, the passive hidden by 'detractors only' and picked again
    passive = next(r for r in rids if 7 <= scores[r] <= 8)
    app.button(key=f"cb_details_{passive}").click().run()
    app.text_area(key="cb_note").set_value("客户说下次保养再来，已道歉").run()
    app.checkbox(key="cb_only_det").check().run()
    assert app.selectbox(key="cb_pick").value != passive
    assert app.text_area(key="cb_note").value != "客户说下次保养再来，已道歉"
    app.checkbox(key="cb_only_det").uncheck().run()
    app.selectbox(key="cb_pick").set_value(passive).run()
    assert not app.exception, app.exception
    assert app.text_area(key="cb_note").value == "客户说下次保养再来，已道歉"
    assert unsaved in [c.value for c in app.caption]
    assert followups.current(con, passive)["note"] in (None, "")  # not saved by itself
    # a Save that changed nothing, then an owner typed, another answer and back: it had
    # been lost (the form forgot what it was set to); still said after another edit
    app.selectbox(key="cb_pick").set_value(rid).run()
    app.button(key="cb_save").click().run()
    app.text_input(key="cb_owner").set_value("张三").run()
    app.selectbox(key="cb_pick").set_value(passive).run()
    app.selectbox(key="cb_pick").set_value(rid).run()
    assert app.text_input(key="cb_owner").value == "张三"
    assert unsaved in [c.value for c in app.caption]
    app.text_input(key="cb_owner").set_value("张三 李四").run()
    assert unsaved in [c.value for c in app.caption]
    assert followups.current(con, rid)["owner"] == "王店长"


def test_saving_the_form_twice_logs_one_change(app, con):
    """A double tap on Save wrote the follow-up's history and the audit log twice."""
    from cx import access, followups

    board(app, "HZ01", tab="callbacks")
    rid = app.selectbox(key="cb_pick").value
    app.selectbox(key="cb_status").set_value("contacted").run()
    app.text_area(key="cb_note").set_value("已致电，周五回店").run()
    app.button(key="cb_save").click().run()
    log = "SELECT count(*) FROM followup_log WHERE response_id = ?"
    logged, audit = con.execute(log, [rid]).fetchall()[0][0], len(access.audit_log(con))
    assert followups.current(con, rid)["note"] == "已致电，周五回店"
    app.selectbox(key="cb_pick").set_value(rid).run()
    app.button(key="cb_save").click().run()  # the same again
    assert not app.exception, app.exception
    assert con.execute(log, [rid]).fetchall()[0][0] == logged
    assert len(access.audit_log(con)) == audit
    assert [
        s
        for s in app.success
        if shown(s.value) == f"{rid} is already as given; nothing was saved again."
    ]


def test_a_card_without_a_reason_says_so_before_the_comment(app, con, monkeypatch):
    """A passive who wrote only '整体还可以' has no reason: the card reads 'Reason: — ·
    <comment>', not the comment as the reason (as the README says a card shows '—')."""
    from cx import painpoints, privacy
    from cx.ui import board as ui_board

    monkeypatch.setattr(ui_board, "CARDS_SHOWN", 500)
    board(app, "HZ01", tab="callbacks")
    texts = [shown(x.value) for x in app.text if shown(x.value).startswith("Reason: ")]
    rows = con.execute(
        "SELECT comment, reason_rule FROM responses WHERE store_id = 'HZ01' AND pain_point IS NULL"
        " AND comment IS NOT NULL AND responded_at > TIMESTAMP '2025-10-17 23:59:59'"
    ).fetchall()
    bare = {privacy.mask_text(c) for c, rule in rows if rule is None or rule in painpoints.NOT_READ}
    found = [x for x in texts if x.removeprefix("Reason: — · ") in bare]
    assert found and all(x.startswith("Reason: — · ") for x in found)
    assert not [x for x in texts if x.removeprefix("Reason: ") in bare]


def test_the_queue_count_line_names_what_the_rest_are(app, con):
    """Closed callbacks hidden (the default), the rest of the queue is the contacted only
    and is called so; with them shown, 'contacted or closed'."""
    board(app, "HZ01", tab="callbacks")
    text = [shown(m.value) for m in app.markdown if "in the queue" in m.value]
    state = (
        con.execute(
            "SELECT coalesce(f.status, 'open') FROM responses r LEFT JOIN followups f"
            " USING (response_id) WHERE r.store_id = 'HZ01'"
            " AND r.responded_at > TIMESTAMP '2025-10-17 23:59:59'"
        )
        .df()
        .iloc[:, 0]
    )
    contacted = int((state == "contacted").sum())
    assert len(text) == 1 and f", {contacted} contacted;" in text[0], text
    app.checkbox(key="cb_show_closed").check().run()
    text = [shown(m.value) for m in app.markdown if "in the queue" in m.value]
    rest = int(state.isin(["contacted", "resolved", "unreachable"]).sum())
    assert f", {rest} contacted or closed;" in text[0], text


def test_queue_clock_caption_and_export(app):
    board(app, "HZ01", tab="callbacks")
    caps = [shown(c.value) for c in app.caption]
    assert any("2025-10-31 23:59" in c and "more than 2 days" in c for c in caps)
    button = app.download_button(key="cb_export")
    assert button.label.startswith("Export the queue")
    # The file is made when it is clicked (AppTest has no server to make it):
    # tests/test_browser_board.py downloads and reads it. The click asks the server for
    # the file and starts no run: a run begun by it withdrew the file being asked for.
    assert button.proto.ignore_rerun


def test_the_morning_after_an_earlier_days_board_is_read_once_for_the_day(app, monkeypatch):
    """Fresh data, 8:30 the next morning and again a minute later: the board of a day
    before the latest is loaded with the moment after that day, so the second run finds
    it in the cache (keyed on the minute, it read the follow-up log again every minute).
    The latest day's is worked as of now, so its minute is its key."""
    from cx import followups, ui

    clock = [datetime(2025, 11, 1, 8, 30)]
    monkeypatch.setattr(followups, "queue_now", lambda _latest, real_now=None: (clock[0], False))
    keys = []
    cached = ui._cached

    def spy(key):
        if key[4] == "view" and key[3] == "cx.views.board":
            keys.append(key)
        return cached(key)

    monkeypatch.setattr(ui, "_cached", spy)
    board(app, "*", date(2025, 10, 30))
    clock[0] = datetime(2025, 11, 1, 8, 31)
    app.run()
    assert not app.exception, app.exception
    assert {k[5][2] for k in keys} == {datetime(2025, 10, 31)}  # (scope, day, clock, ...)
    assert len({repr(k) for k in keys}) == 1
    keys.clear()
    board(app, "*", date(2025, 10, 31))
    clock[0] = datetime(2025, 11, 1, 8, 32)
    app.run()
    assert not app.exception, app.exception
    assert [k[5][2] for k in keys] == [datetime(2025, 11, 1, 8, 31), datetime(2025, 11, 1, 8, 32)]


def test_weekly_report_on_the_page(app, con):
    board(app, "HZ01", date(2025, 10, 15), tab="report")
    # no report starts after the board's day (the board is as of it)
    assert app.date_input(key="report_start").max == date(2025, 10, 15)
    # the story's 1-7 October: the 7 days from a chosen day (the calendar week is the default)
    app.radio(key="report_mode").set_value("days7").run()
    app.date_input(key="report_start").set_value(date(2025, 10, 1)).run()
    assert not app.exception
    md = next(shown(x.value) for x in app.markdown if "weekly report" in x.value)
    assert "2025\u201110\u201101 to 2025\u201110\u201107" in md
    assert "| NPS this week | 72.0 |" in md
    assert "| Promoters / passives / detractors | 156 / 32 / 12 |" in md
    # its title under the board's, not as large (it wrapped over a phone's screen); the
    # downloaded file keeps its own headings
    # downloaded file keeps its own headings, and its dates split nowhere
    assert md.startswith("### HZ01") and "\n#### " in md and "\n# " not in md
    assert "2025\u201110\u201101" in md.splitlines()[0]
    from cx.ui import board as ui_board

    assert ui_board.on_page("# T 2025-10-01\n\n## A\n\n### B\n| 2025-10-01 # y |") == (
        "### T 2025\u201110\u201101\n\n#### A\n\n##### B\n| 2025-10-01 # y |"
    )
    prev = counts(con, "HZ01", "2025-09-24", "2025-09-30")
    # the week before named by its days: this week may be fewer than seven
    assert f"| NPS the week before (09-24 to 09-30) | {stats.nps(*prev):.1f} |" in md
    # a region's title in Chinese: one colon (it read "区域：华东 周报：2025‑10‑27 至 …")
    board(app, "region:华东", date(2025, 10, 15), tab="report", lang="zh")
    title = next(shown(x.value) for x in app.markdown if "周报" in x.value).splitlines()[0]
    assert title.startswith("### 区域：华东 周报（") and title.count("：") == 1, title
    board(app, "HZ01", date(2025, 10, 15), tab="report")
    assert app.download_button(key="report_md").label == "Download report (Markdown)"
    assert app.download_button(key="report_csv").label == "Download report (CSV)"
    assert app.download_button(key="report_md").proto.ignore_rerun  # a download, no rerun
    app.download_button(key="report_md").click().run()
    assert not app.exception
    # the same report as plain text, to paste into a chat (which shows Markdown's marks
    # as typed): in a box to copy from, and as a file
    box = app.expander(key="report_paste_box")
    assert box.label == "Text to paste into WeChat or an e-mail"
    text = box.code[0].value
    assert text.startswith("HZ01") and "NPS this week: 72.0" in text.splitlines()
    assert "Promoters / passives / detractors: 156 / 32 / 12" in text.splitlines()
    assert f"NPS the week before (09-24 to 09-30): {stats.nps(*prev):.1f}" in text.splitlines()
    assert not re.search(r"^#|\||\\|\*\*", text, re.M), text
    assert app.download_button(key="report_txt").label == "Download report (text)"
    # Chinese report
    app.session_state["ui_lang"] = "zh"
    app.run()
    md = next(shown(x.value) for x in app.markdown if "周报" in x.value)
    assert "| 本周 NPS | 72.0 |" in md
    text = app.expander(key="report_paste_box").code[0].value
    assert "本周 NPS：72.0" in text.splitlines() and "【本周行动】" in text.splitlines()


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_board_on_an_empty_database(empty_db, lang):
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.session_state["ui_lang"] = lang
    at.run()
    assert not at.exception
    assert at.info  # "no answers yet", not a traceback


def test_a_day_with_too_few_answers_to_compare_shows_no_change(empty_db, tmp_path):
    """Two answers yesterday, one today: the change is not compared, and the card says
    so, with no arrow of '-100.0' beside it (it showed one, red or grey, next to 'too
    few to compare')."""
    from cx import ingest

    path = tmp_path / "few.csv"
    path.write_text(
        "response_id,store_id,responded_at,nps\n"
        "F1,S1,2025-11-05 09:00,10\nF2,S1,2025-11-05 10:00,9\nF3,S1,2025-11-06 09:00,2\n",
        encoding="utf-8",
    )
    ingest.ingest_file(path, db_path=empty_db)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    board(at, "S1", date(2025, 11, 6))
    day = next(m for m in at.metric if m.label.startswith("NPS on 11-06"))
    assert day.value == "-100.0"
    assert not day.delta, day.delta
    assert any("too few to compare" in c.value for c in at.caption)


def test_a_regions_board_names_its_stores_whose_answers_stopped(empty_db, tmp_path, monkeypatch):
    """A region's board at 8:30 read 'No alerts this morning.' while one of its stores had
    sent nothing for twelve days: its day's NPS was the other stores' alone. The alerts
    name, first, the stores without answers on the day that usually answer every day (the
    digest's rule); a store's own board does not (it says its answers stop, see
    test_a_stores_board_whose_answers_stopped_says_so)."""
    from cx import ingest
    from tests.support import export_with_a_stopped_store

    ingest.ingest_file(export_with_a_stopped_store(tmp_path / "export.csv"), db_path=empty_db)
    with db.connect(empty_db) as con:  # BB02's latest day and its days with answers to it
        latest, days = con.execute(
            "WITH d AS (SELECT DISTINCT CAST(responded_at AS DATE) AS day FROM responses"
            " WHERE store_id = 'BB02') SELECT max(day), count(*) FILTER (WHERE day >="
            " (SELECT max(day) FROM d) - 6) FROM d"
        ).fetchall()[0]
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    board(at, "region:华东", date(2025, 10, 20))
    said = [w.value for w in at.warning]
    assert said[0] == (
        f"BB02 BB02 店: no answers on 2025-10-20, the latest on {latest} (answers on {days}"
        " of the 7 days up to it): its uploads may have stopped, and this page's figures"
        " lack its answers since."
    ), said
    named = [w for w in said if "no answers on" in w]
    assert not [w for w in named if any(s in w for s in ("CC03", "DD04", "EE05"))], named
    assert "No alerts this morning." not in [s.value for s in at.success]
    board(at, NETWORK, date(2025, 10, 20), lang="zh")  # the network: DD04 (华南) too
    stopped = [w.value for w in at.warning if "没有答卷，最近一天有答卷是" in w.value]
    assert [w.split("：")[0] for w in stopped] == ["BB02 BB02 店", "DD04 DD04 店"], stopped
    monkeypatch.setattr("cx.ui.board.ALERTS_SHOWN", 1)  # a network of many: the rest in a line
    board(at, NETWORK, date(2025, 10, 20))
    said = [w.value for w in at.warning]
    assert "1 more store without answers on 2025-10-20: DD04" in said, said


def test_a_month_past_its_target_says_reached_not_a_share_over_100(app, con):
    """HZ02 read "从上月 49.4 到目标，已完成 430%": past the target the headline says it
    is reached."""
    from cx import targets, ui

    sep = counts(con, "HZ01", "2025-09-01", "2025-09-30")
    mtd = stats.nps(*counts(con, "HZ01", "2025-10-01", "2025-10-15"))
    low = round(stats.nps(*sep) + 1)  # above last month, below the month so far
    assert low < mtd
    targets.set_target(con, "HZ01", date(2025, 10, 1), low)
    ui.invalidate()
    board(app, "HZ01", date(2025, 10, 15), lang="zh")
    said = " ".join(shown(c.value) for c in app.caption)
    assert f"从上月 {stats.nps(*sep):.1f} 起，已达到目标" in said, said
    assert "已完成" not in said


def test_a_region_and_a_store_together_are_labelled_and_counted_as_one(demo_db, con):
    """The picker read "区域：华东 + SH03 …" over SH03's figures alone (a store picked with
    its region narrows it), and ?store=region:华南,SH03 showed 华南 without SH03, without
    a word. The label names what is counted; a store outside the regions is said left out."""
    n_sh03 = sum(counts(con, "SH03", "2025-10-31", "2025-10-31"))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.query_params.update({"regions": "华东", "stores": "SH03", "lang": "zh"})
    at.run()
    assert not at.exception, at.exception
    box = at.selectbox(key="board_store")
    assert box.value == "region:华东,SH03"
    assert box.format_func(box.value) == "SH03 上海嘉定服务中心（华东区域内）"
    assert metrics(at)["10-31 当天 NPS"] and f"样本 {n_sh03}" in " ".join(
        c.value for c in at.caption
    )
    assert not [w for w in at.warning if "不在链接所选的区域" in w.value]
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.query_params.update({"store": "region:华南,SH03", "lang": "en"})
    at.run()
    assert not at.exception, at.exception
    said = [w.value for w in at.warning]
    assert (
        "The link names stores outside its regions (华南): SH03. With regions and stores both"
        " picked, only the stores within the regions count; they are left out below." in said
    ), said


def test_dates_default_to_latest_day_for_the_store(app):
    board(app, "HZ01")
    assert app.date_input(key="board_date").value == date(2025, 10, 31)
    assert datetime(2025, 10, 31).date() == app.date_input(key="board_date").value


def test_network_view_folds_overdue_alerts_after_five(app, con, monkeypatch):
    files = record_downloads(monkeypatch)
    from cx.followups import queue_now
    from cx.queries import board as q

    now, _stale = queue_now(q.latest_answer(con))
    overdue = q.overdue_by_store(con, Scope.from_key("*"), now)
    assert len(overdue) > 5  # the demo network has many stores with overdue callbacks
    board(app, store="*", day=date(2025, 10, 31), lang="en")
    assert not app.exception
    alerts = [shown(w.value) for w in app.warning if "24 h" in w.value]
    assert len(alerts) == 5
    # the most overdue stores first, each with its count, in a sentence (no "callback(s)")
    for text, (store, k) in zip(alerts, overdue[["store_id", "overdue"]].values, strict=False):
        many = "s" if k != 1 else ""
        assert text.startswith(f"{store} ") and text.endswith(
            f": {k} detractor{many} not called back within 24 h."
        )
    more = [shown(e.label) for e in app.expander if "more stores" in e.label]
    assert more == [f"{len(overdue) - 5} more stores with overdue detractor callbacks"]
    # the folded stores in one table, made only once it is opened: every store after the
    # first five, with its count
    col = "Overdue"
    assert not [d for d in app.dataframe if col in d.value.columns]
    app.session_state["overdue_more"] = True
    app.run()
    assert not app.exception, app.exception
    (folded,) = [d.value for d in app.dataframe if col in d.value.columns]
    assert files["board_overdue_more_csv"][0].startswith("overdue_by_store_all_2025-10-31_")
    assert folded[col].tolist() == list(overdue["overdue"][5:])
    assert [s.split(" ")[0] for s in folded["Store"]] == list(overdue["store_id"][5:])


def _url(at, name):
    v = at.query_params.get(name)
    return v[0] if isinstance(v, list) else v


@pytest.mark.parametrize("raw", ["2030-01-01", "2023-01-01", "2025-13-40", "15.10.2025"])
def test_a_links_date_outside_the_data_is_said_not_replaced_in_silence(demo_db, raw):
    """?date=2030-01-01 opened the latest day without a word, while a bad store or bad
    heatmap weights are said; one that is no date at all is said to be none (it was said
    to lie outside the data's days)."""
    from cx.i18n import t

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.query_params.update({"store": "HZ01", "date": raw, "lang": "en"})
    at.run()
    assert not at.exception, at.exception
    said = (
        t("board.date_outside", "en", date=raw, first="2024-10-01", last="2025-10-31")
        if raw[:2] == "20" and raw[5:7] != "13"
        else t("board.date_unreadable", "en", date=raw, shown="2025-10-31")
    )
    assert said in [shown(w.value) for w in at.warning], [w.value for w in at.warning]
    assert at.date_input(key="board_date").value == date(2025, 10, 31)
    ok = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    ok.query_params.update({"store": "HZ01", "date": "2025-10-07", "lang": "en"})
    ok.run()
    assert not [w for w in ok.warning if "outside the data" in w.value]
    assert ok.date_input(key="board_date").value == date(2025, 10, 7)


def test_a_link_to_a_store_the_data_does_not_hold_says_so(demo_db):
    """?store=XXXX (a typo, a closed store) opened the whole network's board without a
    word; the page now names what it left out, in the reader's language."""
    for lang, said in (
        ("en", "The link names stores or regions the data does not hold: XX99, region 火星."),
        ("zh", "链接里的这些门店或区域不在数据中：XX99, 区域 火星。"),
    ):
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
        at.query_params.update({"store": "XX99", "regions": "火星", "lang": lang})
        at.run()
        assert not at.exception, at.exception
        assert [w for w in at.warning if shown(w.value).startswith(said)], [
            w.value for w in at.warning
        ]
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.query_params.update({"store": "HZ01", "lang": "en"})
    at.run()
    assert not [w for w in at.warning if "does not hold" in w.value]  # HZ01 is held
    # retyped in another case, the store it names (it opened the network's board, which
    # its manager read as their own), in the board's link and the filters' alike
    for params in ({"store": "hz01"}, {"store": " Hz01 "}, {"stores": "hz01"}):
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
        at.query_params.update({**params, "date": "2025-10-15", "lang": "en"})
        at.run()
        assert not at.exception, at.exception
        assert not [w for w in at.warning if "does not hold" in w.value], params
        assert at.selectbox(key="board_store").value == "HZ01", params
        assert metrics(at)["NPS on 10-15"] == "87.0", params  # HZ01's day, not the network's
    # a region's prefix retyped too: the region's board, not "no such store"
    for part in ("Region:华东", "REGION: 华东"):
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
        at.query_params.update({"store": part, "date": "2025-10-15", "lang": "en"})
        at.run()
        assert not at.exception, at.exception
        assert not [w for w in at.warning if "does not hold" in w.value], part
        assert at.selectbox(key="board_store").value == "region:华东", part


def test_headline_answers_the_three_questions_as_of_the_day(demo_db, con):
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.query_params.update({"store": "HZ01", "date": "2025-10-15", "lang": "en"})
    at.run()
    assert not at.exception, at.exception
    m = metrics(at)
    day = counts(con, "HZ01", "2025-10-15", "2025-10-15")
    assert m["NPS on 10-15"] == f"{stats.nps(*day):.1f}"
    assert m["Month to date / target"] == "74.5 / 77.0"
    # callbacks due: overdue + due within 24 h, as of 2025-10-15 23:59:59, states then
    asof = datetime(2025, 10, 15, 23, 59, 59)
    log = con.execute(
        "SELECT response_id, status, changed_at FROM followup_log WHERE changed_at <= ?", [asof]
    ).df()
    state = log.sort_values("changed_at").groupby("response_id")["status"].last()
    raw = con.execute(
        "SELECT response_id, nps, responded_at FROM responses WHERE store_id = 'HZ01'"
        " AND responded_at > ? AND responded_at <= ?",
        [datetime(2025, 10, 1, 23, 59, 59), asof],
    ).df()
    raw["status"] = raw["response_id"].map(state).fillna("open")
    hours = raw["nps"].map(lambda s: 24 if s <= 6 else 72 if s <= 8 else 168)
    left = (
        raw["responded_at"] + pd.to_timedelta(hours, unit="h") - pd.Timestamp(asof)
    ).dt.total_seconds() / 3600
    is_open = raw["status"] == "open"
    due = int((is_open & (left < 24)).sum())
    assert m["Callbacks due at the day's end"] == str(due)  # not "now": an earlier day
    # one tap opens the queue, which lists nothing after the board's day
    at.button(key="board_open_queue").click().run()
    assert _url(at, "tab") == "callbacks"
    at.segmented_control(key="cb_view").set_value("table").run()
    table = at.dataframe[0].value
    assert len(table) == int((~raw["status"].isin(["resolved", "unreachable"])).sum())
    # whom to call by when, first: within a phone's width (the status was seventh)
    assert list(at.dataframe[0].proto.column_order[:5]) == [
        "Time left / overdue", "Status", "Score", "Segment", "Phone"
    ]  # fmt: skip
    assert set(at.dataframe[0].proto.column_order) == set(table.columns)
    assert table["Answered"].max() <= "2025-10-15 23:59"
    # an earlier day is read only: no status buttons, no form
    assert not [b for b in at.button if b.key and b.key.startswith("cb_mark_")]
    assert "cb_save" not in [b.key for b in at.button]


def test_the_headlines_callbacks_say_whose_now_they_count_at(app):
    """The demo's data is old: the headline's 'callbacks due now' are counted at the end
    of its last day, and an earlier day's at that day's end; the card says so (the
    queue's tab said it, the board's did not)."""
    board(app, "HZ01")
    caps = [shown(c.value) for c in app.caption]
    assert [c for c in caps if c.endswith(" open · as of 10-31 23:59, the data's last day")]
    board(app, "HZ01", day=date(2025, 10, 15))
    due = next(m for m in app.metric if shown(m.label) == "Callbacks due at the day's end")
    assert due.help.endswith("Looking back: counted as of that day's end, 10-15 23:59.")


def test_the_morning_after_the_latest_days_queue_is_worked_as_of_now(app, con, monkeypatch):
    """At 8:30 the answers end yesterday and the board opens on yesterday: its queue is
    the one to work now (deadlines as of 8:30, status buttons, the form), not a look back
    that nobody can change; an earlier day stays a look back."""
    from cx import config

    morning = datetime(2025, 11, 1, 8, 30)  # the demo's answers end on 10-31
    monkeypatch.setattr(config, "local_now", lambda: morning)
    board(app, "HZ01", tab="callbacks")
    assert app.date_input(key="board_date").value == date(2025, 10, 31)
    assert [b for b in app.button if b.key and b.key.startswith("cb_mark_")]
    assert "cb_save" in [b.key for b in app.button]
    assert "cb_to_latest" not in [b.key for b in app.button]
    assert any(shown(c.value).startswith("As of 2025-11-01 08:30") for c in app.caption)
    # the headline's callbacks due: open and due within 24 h of 8:30, from the rows
    raw = con.execute(
        "SELECT r.nps, r.responded_at, coalesce(f.status, 'open') AS status FROM responses r"
        " LEFT JOIN followups f USING (response_id) WHERE r.store_id = 'HZ01'"
        " AND r.responded_at > ? AND r.responded_at <= ?",
        [morning - pd.Timedelta(days=14), morning],
    ).df()
    hours = raw["nps"].map(lambda s: 24 if s <= 6 else 72 if s <= 8 else 168)
    due_at = raw["responded_at"] + pd.to_timedelta(hours, unit="h")
    due = int(
        (
            (raw["status"] == "open") & (due_at < pd.Timestamp(morning) + pd.Timedelta(hours=24))
        ).sum()
    )
    board(app, "HZ01", tab="board")
    assert metrics(app)["Callbacks due now"] == str(due)
    board(app, "HZ01", day=date(2025, 10, 30), tab="callbacks")
    assert not [b for b in app.button if b.key and b.key.startswith("cb_mark_")]
    assert "cb_to_latest" in [b.key for b in app.button]


def test_cards_by_default_with_masked_phone_and_status_buttons(app, con, monkeypatch):
    from cx.ui import board as ui_board

    monkeypatch.setattr(ui_board, "CARDS_MORE", 500)  # one tap to the contacted ones
    board(app, "HZ01", tab="callbacks")
    cards = [c for c in app.caption if "phone" in c.value]
    assert 0 < len(cards) <= 10
    assert all("****" in shown(c.value) or "phone —" in shown(c.value) for c in cards)
    marks = [b for b in app.button if b.key and b.key.startswith("cb_mark_contacted_")]
    assert marks
    rid = marks[0].key.removeprefix("cb_mark_contacted_")
    marks[0].click().run()
    assert not app.exception, app.exception
    # said where the reader looks, above the queue beside its undo (a toast lay over the
    # undo button for its first four seconds), not under the form at the queue's end,
    # naming the customer as the card did (score, time, masked phone: a card has no id)
    from cx import privacy

    nps, at, phone = con.execute(
        "SELECT nps, responded_at, phone FROM responses WHERE response_id = ?", [rid]
    ).fetchall()[0]
    masked = privacy.mask_phone(phone) if phone else "—"
    said = f"Saved: score {nps} · {at:%m-%d %H:%M} · phone {masked} → contacted"
    assert [s for s in app.success if shown(s.value).startswith(said)], [
        s.value for s in app.success
    ]
    assert not app.toast
    assert not any(rid in shown(s.value) for s in app.success)  # the form's, naming its id
    assert con.execute("SELECT status FROM followups WHERE response_id = ?", [rid]).fetchall() == [
        ("contacted",)
    ]
    # called: its card keeps 'details' only (a tap had marked a contacted answer
    # unreachable, or reopened a resolved one); the form changes it further
    while f"cb_details_{rid}" not in [b.key for b in app.button]:  # below the open ones
        app.button(key="cb_more").click().run()
    keys = [b.key for b in app.button if b.key.startswith("cb_") and b.key.endswith(rid)]
    assert sorted(keys) == [f"cb_details_{rid}", f"cb_reveal_{rid}"], keys
    # the form's picker says it is contacted; overdue or due is for those still to call
    label = next(o for o in app.selectbox(key="cb_pick").options if o.startswith(rid))
    assert label.endswith(" · contacted"), label
    still = [o for o in app.selectbox(key="cb_pick").options if not o.endswith("contacted")]
    assert still and all(" left" in o or "overdue" in o for o in still), still[:3]


def test_the_headlines_button_opens_the_queue_and_brings_it_into_view_once(app):
    """On a phone the queue starts below the headline's cards: the button's run scrolls
    the section bar to the top (the app's own fixed script); the next run does not."""
    from cx.ui import board as ui_board

    board(app, "HZ01")
    assert app.segmented_control(key="board_tab").value == "board"
    assert not [h for h in app.get("html") if "scrollIntoView" in h.proto.body]
    app.button(key="board_open_queue").click().run()
    assert app.segmented_control(key="board_tab").value == "callbacks"
    scripts = [h.proto for h in app.get("html") if "scrollIntoView" in h.proto.body]
    assert [h.body for h in scripts] == [ui_board.SCROLL_TO_QUEUE]
    assert scripts[0].unsafe_allow_javascript
    app.run()
    assert not [h for h in app.get("html") if "scrollIntoView" in h.proto.body]


@pytest.mark.parametrize("tab", ["callbacks", "report"])
def test_a_bookmarked_queue_or_report_opens_on_it(demo_db, tab):
    """A phone bookmark of the queue (&tab=callbacks) opened at the top, the section bar
    a sliver at the screen's foot: the first run brings it to the top, once; the board's
    own tab does not move."""
    from cx.ui import board as ui_board

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.query_params.update({"store": "HZ01", "tab": tab, "lang": "en"})
    at.run()
    assert not at.exception
    assert at.segmented_control(key="board_tab").value == tab
    scripts = [h.proto.body for h in at.get("html") if "scrollIntoView" in h.proto.body]
    assert scripts == [ui_board.SCROLL_TO_QUEUE]
    at.run()
    assert not [h for h in at.get("html") if "scrollIntoView" in h.proto.body]
    plain = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    plain.query_params.update({"store": "HZ01", "tab": "board"})
    plain.run()
    assert not [h for h in plain.get("html") if "scrollIntoView" in h.proto.body]


def test_a_cards_details_opens_the_form_on_it_and_brings_the_form_into_view_once(app):
    """The form sits below the cards (three screens on a phone): 'details' picks the
    card's answer in it and scrolls it into view (the app's own fixed script), once."""
    from cx.ui import board as ui_board

    board(app, "HZ01", tab="callbacks")
    details = [b for b in app.button if b.key.startswith("cb_details_")]
    rid = details[2].key.removeprefix("cb_details_")
    details[2].click().run()
    assert not app.exception
    assert app.selectbox(key="cb_pick").value == rid
    scripts = [h.proto for h in app.get("html") if "scrollIntoView" in h.proto.body]
    assert [h.body for h in scripts] == [ui_board.SCROLL_TO_FORM]
    assert ".st-key-cb_form" in scripts[0].body and scripts[0].unsafe_allow_javascript
    app.run()
    assert not [h for h in app.get("html") if "scrollIntoView" in h.proto.body]


def test_the_queues_count_line_splits_the_open_ones_the_headline_counts(app, con):
    """The headline says how many callbacks are open; the queue also lists the contacted
    ones: its count line says both, so '337 open' beside '391 in the queue' adds up."""
    board(app, "HZ01", tab="callbacks")
    head = next(c.value for c in app.caption if " overdue (" in c.value)
    still_open = int(re.search(r"(\d+) open\b", head).group(1))
    line = next(m.value for m in app.markdown if "in the queue:" in m.value)
    n, to_call, rest, late = map(int, re.findall(r"\d+", shown(line)))
    queue = q_board.callback_queue(con, Scope.of_store("HZ01"), datetime(2025, 10, 31, 23, 59, 59))
    assert (n, to_call, rest) == (len(queue), still_open, len(queue) - still_open)
    assert to_call == int((queue["status"] == "open").sum()) and rest > 0
    assert late == int(queue["overdue"].sum())


def test_tab_period_store_and_date_live_in_the_url_and_survive(app):
    board(app, "HZ01", date(2025, 10, 7), period="week", tab="report")
    assert _url(app, "store") == "HZ01"
    assert _url(app, "date") == "2025-10-07"
    assert _url(app, "tab") == "report"
    assert _url(app, "period") == "week"
    # a language switch keeps the tab
    app.session_state["ui_lang"] = "zh"
    app.run()
    assert app.segmented_control(key="board_tab").value == "report"
    # another page and back: store, date and tab come back
    app.switch_page("pages/overview.py").run()
    assert not app.exception
    app.query_params.clear()
    app.switch_page("pages/board.py").run()
    assert not app.exception, app.exception
    assert app.selectbox(key="board_store").value == "HZ01"
    assert app.date_input(key="board_date").value == date(2025, 10, 7)
    assert app.segmented_control(key="board_tab").value == "report"


def test_ranking_numbers_are_whole(app):
    board(app, "*", date(2025, 10, 15))
    labels = [shown(p.label) for p in app.page_link]
    assert labels[0].startswith("1. ") and labels[1].startswith("2. ")
    assert not any(re.match(r"\d+\.0\.", x) for x in labels)


def test_trend_legend_lists_only_what_is_drawn():
    import pandas as pd

    from cx import stats as S
    from cx.charts import board as charts

    series = pd.DataFrame(
        {"date": pd.date_range("2025-10-01", periods=10), "d": 2, "pa": 3, "p": 5}
    )
    rolled = S.rolling_nps(series)
    labels = {k: k for k in charts.LABELS}

    def domains(spec: dict) -> list:
        return [
            layer["encoding"]["color"]["scale"]["domain"]
            for layer in spec["layer"]
            if "color" in layer.get("encoding", {})
        ]

    bare = charts.trend_spec(rolled, [], [], labels)
    assert set(bare["datasets"]) == {"trend"}
    assert domains(bare) and all("milestone" not in d and "target" not in d for d in domains(bare))
    target, mark = [(date(2025, 10, 1), date(2025, 10, 31), 77.0)], [(date(2025, 10, 14), 74.0)]
    full = charts.trend_spec(rolled, target, mark, labels)
    assert ["daily", "rolling", "target", "milestone"] in domains(full)
    assert list(full["datasets"]["targets"]["target"]) == [77.0]
    assert list(full["datasets"]["milestones"]["target"]) == [74.0]
    assert full["datasets"]["trend"]["n"].tolist() == [10] * 10
    # Every look of the cached shape is a valid Vega-Lite chart over those datasets.
    for targets in (False, True):
        for milestones in (False, True):
            chart = charts.trend_chart(labels, targets, milestones)
            spec = chart.to_dict(validate=True)
            names = {layer["data"]["name"] for layer in spec["layer"] if "data" in layer}
            names |= {spec["data"]["name"]} if "data" in spec else set()
            wanted = {"trend"} | ({"targets"} if targets else set())
            assert names == wanted | ({"milestones"} if milestones else set())


def test_board_milestones_come_from_the_chosen_saved_plan(app, demo_db):
    from cx import planner as P
    from cx import ui
    from cx.queries import planner as qp

    base, projects = P.get_preset("class_68_73")
    with db.connect(demo_db) as c:
        qp.save_scenario(c, "课堂计划", P.scenario_to_json(base, projects, "课堂计划"))
    ui.invalidate()  # written outside the app: forget the cached data version
    board(app, "HZ01", date(2025, 10, 15))
    assert app.selectbox(key="board_plan").options[-1] == "课堂计划"
    app.selectbox(key="board_plan").select("课堂计划").run()
    assert not app.exception, app.exception
    import pyarrow as pa

    frames = [
        pa.ipc.open_stream(ds.data.data).read_all().to_pandas()
        for c in app.get("vega_lite_chart")
        for ds in c.proto.datasets
    ]
    drawn = [
        (f["date"].dt.date.tolist(), f["target"].tolist())
        for f in frames
        if {"date", "target", "series"} <= set(f.columns)
        and (f["series"] == "Weekly milestone").all()
    ]
    marks = P.milestones(base.nps, base.goal, base.days)
    assert drawn == [([date(2025, 10, d) for d, _ in marks], [v for _, v in marks])]


def test_cards_put_open_detractors_first(app, con):
    from cx.queries import board as q

    board(app, "HZ01", tab="callbacks")
    rids = [
        b.key.removeprefix("cb_details_") for b in app.button if b.key.startswith("cb_details_")
    ]
    queue = q.callback_queue(con, Scope.from_key("HZ01"), datetime(2025, 10, 31, 23, 59, 59))
    queue["det"] = queue["segment"] != "detractor"
    queue["stage"] = queue["status"].map({"open": 0, "contacted": 1}).fillna(2)
    expect = queue.sort_values(["stage", "det", "deadline"], kind="stable")["response_id"]
    assert rids == list(expect.head(10))
    assert (queue.set_index("response_id").loc[rids[0], "segment"]) == "detractor"
    # a card is one customer: 'Detractor', not 'Detractors'
    heads = [e.value for e in app.error] + [i.value for i in app.info]
    first = next(h for h in heads if h.startswith("Score "))
    assert " · Detractor · " in first, first
    # every open answer shown comes before every contacted one (contacted detractors sat
    # above overdue open passives)
    shown = queue.set_index("response_id").loc[rids, "status"].tolist()
    assert shown == sorted(shown, key=lambda x: x != "open")


def test_show_more_adds_the_next_cards_of_the_queue_in_its_order(app, con):
    """The queue's cards come ten first and twenty more a tap (a phone drew all 500
    at once in about 5 s): each tap adds the next in the queue's order, and the count
    line and the button follow until the queue ends."""
    from cx.queries import board as q
    from cx.ui import board as ui_board

    queue = q.callback_queue(con, Scope.from_key("*"), datetime(2025, 10, 31, 23, 59, 59))
    queue["det"] = queue["segment"] != "detractor"
    queue["stage"] = queue["status"].map({"open": 0, "contacted": 1}).fillna(2)
    worst = list(queue.sort_values(["stage", "det", "deadline"], kind="stable")["response_id"])
    board(app, "*", tab="callbacks")

    def cards():
        return [
            b.key.removeprefix("cb_details_") for b in app.button if b.key.startswith("cb_details_")
        ]

    assert cards() == worst[: ui_board.CARDS_SHOWN]
    assert app.button(key="cb_more").label == f"Show {ui_board.CARDS_MORE} more"
    app.button(key="cb_more").click().run()
    assert not app.exception, app.exception
    shown_now = ui_board.CARDS_SHOWN + ui_board.CARDS_MORE
    assert cards() == worst[:shown_now]
    texts = [shown(c.value) for c in app.caption]
    assert any(f"The {shown_now} most urgent of" in x for x in texts), texts
    app.run()  # the count stays for the session
    assert len(cards()) == shown_now


def test_show_more_ends_with_the_last_cards(app, con, monkeypatch):
    from cx.ui import board as ui_board

    monkeypatch.setattr(ui_board, "CARDS_MORE", 150)  # a few taps to the end, not fifteen
    board(app, "HZ01", tab="callbacks")
    total = len([b for b in app.button if b.key.startswith("cb_details_")])
    assert total == ui_board.CARDS_SHOWN
    clicks = 0
    while [b for b in app.button if b.key == "cb_more"]:
        app.button(key="cb_more").click().run()
        clicks += 1
    drawn = [b for b in app.button if b.key.startswith("cb_details_")]
    listed = app.selectbox(key="cb_pick").options
    assert len(drawn) == len(listed) > ui_board.CARDS_SHOWN
    assert clicks == -(-(len(listed) - ui_board.CARDS_SHOWN) // ui_board.CARDS_MORE)


def test_a_network_queue_lists_the_worst_and_counts_them_all(app, con, monkeypatch):
    """The page lists at most QUEUE_LISTED answers (table, cards, picker), the worst
    first; the counts are of the whole queue."""
    from cx.queries import board as q
    from cx.views import board as board_view

    monkeypatch.setattr(board_view, "QUEUE_LISTED", 7)
    queue = q.callback_queue(con, Scope.from_key("*"), datetime(2025, 10, 31, 23, 59, 59))
    assert len(queue) > 7
    queue["det"] = queue["segment"] != "detractor"
    queue["stage"] = queue["status"].map({"open": 0, "contacted": 1}).fillna(2)
    worst = list(queue.sort_values(["stage", "det", "deadline"], kind="stable")["response_id"])
    board(app, "*", tab="callbacks")
    app.segmented_control(key="cb_view").set_value("table").run()
    assert app.dataframe[0].value["Answer"].tolist() == [
        r for r in queue["response_id"] if r in worst[:7]
    ]
    assert [o.split(" · ")[0] for o in app.selectbox(key="cb_pick").options] == worst[:7]
    texts = [shown(c.value) for c in app.caption] + [shown(m.value) for m in app.markdown]
    assert any(f"lists the 7 most urgent of {len(queue):,}" in x for x in texts), texts
    # counts read with their thousands separated (1,408)
    assert any(f"{len(queue):,}" in x and f"{int(queue['overdue'].sum()):,}" in x for x in texts)


def test_headline_on_the_months_last_day_says_how_it_ended(app, con):
    board(app, "HZ01", date(2025, 10, 31))
    oct_ = counts(con, "HZ01", "2025-10-01", "2025-10-31")
    hit = stats.nps(*oct_) >= 77.0
    caps = [shown(c.value) for c in app.caption]
    expected = "on target" if hit else "below target"
    assert any(f"last day of the month: {expected}" in c for c in caps), caps


def test_the_board_store_is_the_sidebar_store_filter(app, con):
    # a store picked on the board is the sidebar's store filter ...
    app.session_state["ui_lang"] = "en"
    app.selectbox(key="board_store").select("SH01").run()
    assert not app.exception, app.exception
    assert list(app.session_state["flt_stores"]) == ["SH01"]
    assert not app.session_state["flt_regions"]
    # ... and the sidebar's store or region is the board's
    app.session_state["flt_stores"] = ["HZ01"]
    app.run()
    assert app.selectbox(key="board_store").value == "HZ01"
    app.session_state["flt_stores"] = []
    app.session_state["flt_regions"] = ["华东"]
    app.run()
    assert app.selectbox(key="board_store").value == "region:华东"
    day = app.date_input(key="board_date").value
    d, pa, p = con.execute(
        "SELECT count(*) FILTER (WHERE nps <= 6), count(*) FILTER (WHERE nps BETWEEN 7 AND 8),"
        " count(*) FILTER (WHERE nps >= 9) FROM responses WHERE CAST(responded_at AS DATE) = ?"
        " AND store_id IN (SELECT store_id FROM stores WHERE region = '华东')",
        [day],
    ).fetchall()[0]
    assert metrics(app)[f"NPS on {day:%m-%d}"] == f"{stats.nps(d, pa, p):.1f}"
    assert any(shown(c.value).startswith(f"n = {d + pa + p}") for c in app.caption)
    # several stores in the sidebar: the board shows them as one entry
    app.session_state["flt_regions"] = []
    app.session_state["flt_stores"] = ["HZ01", "SH03"]
    app.run()
    assert not app.exception, app.exception
    assert app.selectbox(key="board_store").value == "HZ01,SH03"
    assert _url(app, "store") == "HZ01,SH03"


def test_network_board_lists_the_gaming_flags_and_a_new_period_reuses_them(demo_db, monkeypatch):
    """The network's board warns of the score patterns the review flags (an advisor
    planted here: 40 tens in 7 seconds each), the same as the review computed apart: for
    the latest day as the writes keep them, for another day reviewed from the stored
    tests; a new period redraws them from the cache, a new day loads them again."""
    from cx.i18n import t
    from cx.queries import signals as qs

    with db.connect(demo_db) as con:
        with db.transaction(con):
            con.executemany(
                "INSERT INTO responses (response_id, store_id, responded_at, nps, advisor,"
                " duration_seconds) VALUES (?, 'HZ01', TIMESTAMP '2025-10-20 10:00:00', 10,"
                " '测试顾问', 7)",
                [(f"G{i}",) for i in range(40)],
            )
            db.refresh_rollups(con)  # what every write keeps current from the answers
            db.bump_data_version(con)
        expected = report_flags(con, date(2025, 10, 31))
    assert ("HZ01", "测试顾问") in {(f["store_id"], f["advisor"]) for f in expected}
    calls = []
    real, kept = qs.gaming_review, qs.kept_flags
    monkeypatch.setattr(qs, "gaming_review", lambda *a: calls.append("review") or real(*a))
    monkeypatch.setattr(qs, "kept_flags", lambda *a: calls.append("kept") or kept(*a))
    app = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    board(app, store="*")
    # the warnings name the review's window: the 30 days up to the board's day (the
    # segments page reviews its own dates, so its counts differ); a month-end pattern
    # alone, the whole months it counts
    head = t("digest.board_review", "en", start="2025-10-02", end="2025-10-31", who="", what="")
    head = head.split(":")[0].strip()
    month_end = t("digest.board_review", "en", start="2025-08", end="2025-10", who="", what="")
    month_end = month_end.split(":")[0].strip()
    warned = [shown(w.value) for w in app.warning if head in shown(w.value)]
    by_months = [shown(w.value) for w in app.warning if month_end in shown(w.value)]
    only_month_end = [f for f in expected if {x["signal"] for x in f["signals"]} == {"month_end"}]
    assert len(by_months) == len(only_month_end) >= 1
    assert all("each month 2025-08 – 2025-10" in w for w in by_months)
    assert len(warned) + len(by_months) == len(expected)
    assert any("HZ01 · 测试顾问" in w for w in warned)
    assert calls == ["kept"]  # the latest day: the flags every write keeps
    board(app, store="*", period="week")
    assert calls == ["kept"]  # another period: the flags come from the cache
    assert len([w for w in app.warning if head in shown(w.value)]) == len(warned)
    board(app, store="*", day=date(2025, 10, 30))
    assert calls == ["kept", "kept", "review"]  # another day: reviewed from the tests
    with db.connect(demo_db) as con:
        earlier = report_flags(con, date(2025, 10, 30))
    head = head.replace("2025-10-02 to 2025-10-31", "2025-10-01 to 2025-10-30")
    months_only = [f for f in earlier if {x["signal"] for x in f["signals"]} == {"month_end"}]
    assert len([w for w in app.warning if head in shown(w.value)]) == len(earlier) - len(
        months_only
    )


def report_flags(con, day: date) -> list[dict]:
    """The network's gaming flags as the review computes them, apart from the board."""
    from cx import signals
    from cx.queries import signals as qs

    return signals.gaming_flags(qs.gaming_review(con, day))


@pytest.mark.slow
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_drop_alerts_say_how_far_nps_fell_from_the_rows(full_demo, tmp_path, monkeypatch, lang):
    # The full demo: NC01's fall in October's last week is beyond noise only at full scale.
    import shutil

    path = tmp_path / "full.duckdb"
    shutil.copy(full_demo, path)
    monkeypatch.setenv("CX_DB", str(path))
    app = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    day = date(2025, 10, 31)
    board(app, store="*", day=day, lang=lang)
    mark = "previous 8 weeks" if lang == "en" else "此前 8 周"
    alerts = [shown(w.value) for w in app.warning if mark in w.value]
    assert [a.split(" ")[0] for a in alerts] == ["NC01"]

    with db.connect(path) as con:

        def nps(store, start, end):
            d, pa, p = counts(con, store, str(start), str(end))
            return 100 * (p - d) / (d + pa + p), d + pa + p

        now, n = nps("NC01", date(2025, 10, 25), day)
        before, n0 = nps("NC01", date(2025, 8, 30), date(2025, 10, 24))
    fall = f"{before - now:.1f}"  # the exact fall, rounded once

    def said(text: str) -> None:
        if lang == "en":
            assert f"NPS {now:.1f} (n = {n:,}) below the previous 8 weeks' {before:.1f}" in text
            assert f"(n = {n0:,}), down {fall} points, beyond noise" in text
        else:
            assert (
                f"NPS {now:.1f}（样本 {n:,}），低于此前 8 周的 {before:.1f}（样本 {n0:,}）" in text
            )
            assert f"下降 {fall} 分，" in text

    (text,) = alerts
    said(text)
    # NC01's own board says it too (it had no alerts: its manager never read of the fall),
    # and nothing else of the alerts; a store without a drop shows no alerts at all
    header = i18n.t("board.alerts.header", lang)
    board(app, store="NC01", day=day, lang=lang)
    (own,) = [shown(w.value) for w in app.warning if mark in w.value]
    assert own.split(" ")[0] == "NC01"
    said(own)
    assert header in [h.value for h in app.subheader]
    board(app, store="HZ01", day=day, lang=lang)
    assert not [w for w in app.warning if mark in w.value]
    assert header not in [h.value for h in app.subheader]


def _trend_rows(at) -> dict[str, pd.DataFrame]:
    """The board's trend chart as drawn: its datasets, by the columns they hold."""
    import pyarrow as pa

    (chart,) = [c for c in at.get("vega_lite_chart") if len(c.proto.datasets)]
    return {
        ds.name: pa.ipc.open_stream(ds.data.data).read_all().to_pandas()
        for ds in chart.proto.datasets
    }


def test_the_kept_trend_is_drawn_again_for_a_new_language_and_new_data(app, demo_db):
    """The trend's chart is kept between reruns (cx.ui.kept_spec): a switch of language
    draws its legend in the new language, and a saved target draws the new target line."""
    from cx import targets, ui

    board(app, "HZ01", date(2025, 10, 15), lang="zh")
    zh = _trend_rows(app)
    assert set(zh["trend"]["daily_label"]) == {i18n.t("board.trend.daily", "zh")}
    board(app, "HZ01", date(2025, 10, 15), lang="zh")  # a rerun: the kept chart, the same rows
    again = _trend_rows(app)
    assert again.keys() == zh.keys()
    for name, rows in zh.items():
        pd.testing.assert_frame_equal(again[name], rows)
    board(app, "HZ01", date(2025, 10, 15), lang="en")
    en = _trend_rows(app)
    assert set(en["trend"]["daily_label"]) == {"Daily NPS"}
    assert set(en["targets"]["series"]) == {i18n.t("board.trend.target", "en")}
    pd.testing.assert_series_equal(en["trend"]["nps"], zh["trend"]["nps"])

    with db.connect(demo_db) as c:
        targets.set_target(c, "HZ01", date(2025, 10, 1), 91.5)
    ui.invalidate()  # written outside the app: forget the cached data version
    board(app, "HZ01", date(2025, 10, 15), lang="en")
    october = _trend_rows(app)["targets"]
    assert october.loc[october["start"] == pd.Timestamp("2025-10-01"), "target"].tolist() == [91.5]


def test_a_new_stores_trend_spans_its_own_days_not_a_month_before_them(empty_db, tmp_path):
    """A new store's first three days in November were pressed against the right edge of
    a trend from 1 October, under October's target: the trend's targets start on its
    first day."""
    from cx import ingest, targets

    path = tmp_path / "new.csv"
    path.write_text(
        "response_id,store_id,responded_at,nps\n"
        "N1,NEW1,2025-11-04 09:00,10\nN2,NEW1,2025-11-05 09:00,9\nN3,NEW1,2025-11-06 09:00,2\n",
        encoding="utf-8",
    )
    ingest.ingest_file(path, db_path=empty_db)
    with db.connect(empty_db) as con:
        for month in (date(2025, 10, 1), date(2025, 11, 1)):
            targets.set_target(con, targets.DEFAULT, month, 50.0)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    board(at, "NEW1", date(2025, 11, 6))
    rows = _trend_rows(at)
    assert rows["targets"]["start"].tolist() == [pd.Timestamp("2025-11-04")], rows["targets"]
    assert pd.to_datetime(rows["trend"]["date"]).min() == pd.Timestamp("2025-11-04")


def test_store_pickers_show_a_renamed_store_after_the_data_changes(app, demo_db):
    """The pickers' store list is kept per data version (cx.ui.store_list): a store renamed
    by a write shows its new name in the board's picker and the sidebar's."""
    from cx import ui

    def labels(picker) -> list[str]:
        return [o for o in picker.options if o.startswith("HZ01 ")]

    def sidebar() -> list[str]:  # the frame's widgets are in a first run's tree only
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
        return labels(at.sidebar.multiselect(key="flt_stores"))

    board(app, "HZ01")
    before = labels(app.selectbox(key="board_store"))
    assert before == sidebar() and len(before) == 1 and "新名字店" not in before[0]
    with db.connect(demo_db) as c:
        c.execute("UPDATE stores SET store_name = '新名字店' WHERE store_id = 'HZ01'")
        db.bump_data_version(c)
    ui.invalidate()
    board(app, "HZ01")
    assert labels(app.selectbox(key="board_store")) == ["HZ01 新名字店"]
    assert sidebar() == ["HZ01 新名字店"]


def test_a_switch_of_language_keeps_the_period_and_the_tab_and_shows_them_relabelled(app):
    """The board's period box and section bar after Chinese to English: the browser held
    the Chinese labels ('近 7 天', '看板') unless the run sent the English ones."""
    at = board(app, store="HZ01", day=date(2025, 10, 15), period="week", lang="zh")
    period = at.selectbox(key="board_period")
    held = chosen_label(period)
    assert (period.value, held) == ("week", "近 7 天")
    figures = [re.findall(r"[-\d.,]+", v) for v in metrics(at).values()]

    at.session_state["ui_lang"] = "en"
    at.run()
    assert not at.exception, at.exception
    period = at.selectbox(key="board_period")
    assert period.value == "week"
    assert chosen_label(period) == shown_label(period, held) == "7 days to date"
    (tab,) = [b.proto for b in at.get("button_group") if "board_tab" in b.proto.id]
    assert at.session_state["board_tab"] == "board"
    assert tab.set_value and list(tab.raw_values) == ["Board"]
    assert [re.findall(r"[-\d.,]+", v) for v in metrics(at).values()] == figures


def test_the_queues_table_and_export_keep_the_cards_order(app, con):
    """The table view and the CSV export listed the queue by deadline alone: callbacks
    already contacted or resolved came first, and an open detractor overdue by days sat
    on row 236 of the export. Both keep the cards' order: still to call first, then
    contacted, then closed; detractors first within each; then by deadline."""
    from cx import followups, ui
    from cx.views import board as board_view

    (a,), (b,) = con.execute(  # an early detractor contacted, another resolved: they led
        "SELECT response_id FROM responses WHERE store_id = 'HZ01' AND nps <= 6"
        " AND CAST(responded_at AS DATE) BETWEEN '2025-10-20' AND '2025-10-22'"
        " ORDER BY responded_at LIMIT 2"
    ).fetchall()
    followups.set_followup(con, a, "contacted", owner="王芳", at=datetime(2025, 10, 23, 9))
    followups.set_followup(
        con, b, "resolved", owner="王芳", root_cause="waiting", at=datetime(2025, 10, 23, 9)
    )
    ui.invalidate()
    board(app, "HZ01", tab="callbacks")
    app.checkbox(key="cb_show_closed").check().run()
    cards = [
        k.removeprefix("cb_mark_contacted_")
        for k in (x.key or "" for x in app.button)
        if k.startswith("cb_mark_contacted_")
    ]
    app.segmented_control(key="cb_view").set_value("table").run()
    table = app.dataframe[0].value
    stage = table["Status"].map({"open": 0, "contacted": 1}).fillna(2)
    assert stage.is_monotonic_increasing and stage.iloc[0] == 0, table["Status"].tolist()[:5]
    assert table["Answer"].tolist()[: len(cards)] == cards  # the cards' first, in order
    v = board_view.view(con, Scope.of_store("HZ01"), date(2025, 10, 31),
                        datetime(2025, 10, 31, 23, 59, 59), True, "callbacks",
                        show_closed=True)  # fmt: skip
    exported = pd.read_csv(io.BytesIO(board_view.queue_csv(v, ("network",), "en")), dtype=str)
    assert exported["Answer"].tolist() == table["Answer"].tolist()  # the whole queue listed
    assert {a, b} <= set(exported["Answer"]) and stage.iloc[-1] == 2
    # one customer a row: its segment singular, as its card says ('Detractors' read as a
    # group); a missing owner or note an empty cell a spreadsheet's blanks filter finds
    # (it held '—'), where the page's table shows '—'
    assert set(exported["Segment"]) <= {"Detractor", "Passive", "Promoter"}, set(
        exported["Segment"]
    )
    assert set(table["Segment"]) <= {"Detractor", "Passive", "Promoter"}
    assert exported.loc[exported["Answer"] == a, "Owner"].iloc[0] == "王芳"
    assert exported["Note"].isna().any() and not (exported == "—").any().any(), [
        c for c in exported.columns if (exported[c] == "—").any()
    ]
    assert (table["Note"] == "—").any()


def test_a_callback_resolved_this_morning_leaves_the_latest_weeks_open_actions(app, con):
    """The demo's answers end weeks ago, so the board's day is the latest one and its
    callbacks are worked as of now. One resolved from the queue left it, yet the weekly
    report beside it (and its download) still listed it under the actions not yet closed,
    read as of that day's end. The latest week's report reads the follow-ups as the queue
    does; a report looked back at from an earlier day keeps them as they stood then."""
    from cx import followups, ui

    (rid,) = con.execute(
        "SELECT r.response_id FROM responses r LEFT JOIN followups f USING (response_id)"
        " WHERE r.store_id = 'HZ01' AND r.nps <= 6 AND coalesce(f.status, 'open') = 'open'"
        " AND CAST(r.responded_at AS DATE) BETWEEN '2025-10-29' AND '2025-10-30'"
        " ORDER BY r.responded_at LIMIT 1"
    ).fetchall()[0]

    def open_actions(day: date) -> tuple[int, str]:
        board(app, "HZ01", day, tab="report")
        md = next(shown(x.value) for x in app.markdown if "weekly report" in x.value)
        head = next(x for x in md.splitlines() if x.startswith("##### Actions not yet closed"))
        return int(re.search(r"\((\d+)\)", head)[1]), md

    before, md = open_actions(date(2025, 10, 31))
    assert f"{rid} · HZ01" in md
    board(app, "HZ01", date(2025, 10, 31), tab="callbacks")
    assert [x for x in app.button if rid in (x.key or "")]  # its card, before
    followups.set_followup(con, rid, "resolved", owner="王芳", root_cause="waiting")  # now
    ui.invalidate()
    after, md = open_actions(date(2025, 10, 31))
    assert (after, f"{rid} · HZ01" in md) == (before - 1, False)
    board(app, "HZ01", date(2025, 10, 31), tab="callbacks")
    assert not [x for x in app.button if rid in (x.key or "")]  # the queue agrees: no card
    then, md = open_actions(date(2025, 10, 30))  # looking back: as it stood that day
    assert f"{rid} · HZ01" in md


def test_a_month_just_below_its_target_is_written_apart_from_it(app, con):
    """HZ01's September ended at 71.95 against a target of 72: the board wrote
    "72.0 / 72.0" beside "last day of the month: below target". A figure beside its
    target takes the decimals that tell the two apart; the verdict stands."""
    from cx.i18n import digits_apart

    nps = stats.nps(*counts(con, "HZ01", "2025-09-01", "2025-09-30"))
    (target,) = con.execute(
        "SELECT nps_target FROM targets WHERE store_id = 'HZ01' AND month = DATE '2025-09-01'"
    ).fetchall()[0]
    assert f"{nps:.1f}" == f"{target:.1f}" and nps < target  # the demo's own case
    board(app, "HZ01", date(2025, 9, 30))
    got = metrics(app)
    assert got["Month to date / target"] == f"{nps:.2f} / {target:.2f}"  # both alike
    assert (got["MTD NPS"], got["Monthly target"]) == (f"{nps:.2f}", f"{target:.2f}")
    assert "below target" in " ".join(c.value for c in app.caption)
    assert (digits_apart(72.0, 72.0, 1), digits_apart(80.04, 80.0, 1)) == (1, 2)
    assert digits_apart(71.9996, 72.0, 1) == 1  # alike as far as anyone reads
    assert (digits_apart(-0.04, 0.0, 1), digits_apart(0.04, 0.0, 1)) == (2, 2)  # no "-0.0"
    # a region's target is its stores' weighted: 63.50 beside 63.4658 is "63.50 / 63.47"
    assert digits_apart(63.5, 63.4658, 1) == 2


def test_a_regions_weighted_target_is_written_as_its_figure_is(app):
    """A region's target is its stores' targets weighted (63.4658 for 华东 in May): beside
    a month at 63.50 it read "63.50 / 63.5". Figure and target take the same decimals."""
    board(app, "region:华东", date(2025, 5, 20))
    value = metrics(app)["Month to date / target"]
    nps, target = value.split(" / ")
    assert nps != target and len(nps.split(".")[1]) == len(target.split(".")[1]), value


def test_a_linked_stores_scroll_to_the_top_happens_on_its_arrival_only(demo_db):
    """A chat link to HZ01's queue scrolls to the queue; the 'to the top' of a store that
    came by a link was left pending and took the manager's next tap (a card's details,
    which scrolls to the form) back to the top of the page."""
    from streamlit.testing.v1 import AppTest

    from cx.ui import board as board_ui
    from tests.conftest import ROOT

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.query_params["store"] = "HZ01"
    at.query_params["tab"] = "callbacks"
    at.run()
    assert not at.exception, at.exception

    def scripts():
        return [e.proto.body for e in at.get("html")]

    assert board_ui.SCROLL_TO_QUEUE in scripts() and board_ui.SCROLL_TO_TOP not in scripts()
    at.run()  # the next run, as a tap makes
    assert board_ui.SCROLL_TO_TOP not in scripts()


def test_a_detractors_own_name_in_the_comment_is_masked_on_the_cards_and_the_table(app, demo_db):
    """'我是王小明，电话138…' on the callback queue showed the name whole (the phone and
    plate masked), as did the queue's table and export: the queue did not read the answer's
    name, which masks it inside its comment."""
    from cx import ui
    from cx.privacy import mask_name

    with db.connect(demo_db) as c, db.transaction(c):
        (rid,) = c.execute(
            "SELECT max(response_id) FROM responses WHERE store_id = 'HZ01' AND nps <= 6"
            " AND responded_at >= '2025-10-30'"
        ).fetchone()
        c.execute(
            "UPDATE responses SET customer_name = '王小明', comment = '我是王小明，等了三小时'"
            " WHERE response_id = ?",
            [rid],
        )
        db.bump_data_version(c)
    ui.invalidate()
    board(app, "HZ01", lang="zh", tab="callbacks")
    assert not app.exception, app.exception
    cards = " ".join(shown(m.value) for m in [*app.markdown, *app.text, *app.caption])
    assert f"我是{mask_name('王小明')}，等了三小时" in cards
    app.selectbox(key="cb_pick").select(rid).run()  # its form
    form = " ".join(shown(c.value) for c in app.caption)
    assert f"我是{mask_name('王小明')}，等了三小时" in form
    app.segmented_control(key="cb_view").set_value("table").run()
    table = " ".join(str(v) for d in app.dataframe for v in d.value.astype(str).to_numpy().ravel())
    everything = cards + form + table
    assert "王小明" not in everything
    assert f"我是{mask_name('王小明')}" in table


def test_a_stores_first_month_says_there_is_no_last_month_to_measure_from(app):
    """HZ01 on its first day of data read 'no data of the way from last month's no data'
    ('自上月 无数据 起完成 无数据')."""
    from cx.i18n import t

    for lang in ("en", "zh"):
        board(app, "HZ01", date(2024, 10, 1), lang=lang)
        assert not app.exception, app.exception
        text = " ".join(shown(x.value) for x in [*app.markdown, *app.caption, *app.text])
        assert t("board.head.progress_no_start", lang) in text
        assert "of the way from" not in text and "到目标，已完成" not in text


def test_the_reports_week_is_in_the_address_and_a_reload_or_link_keeps_it(demo_db):
    """The week of 10-13 picked on the report, then a reload: the report went back to the
    board date's week (10-27), and a week sent to a colleague opened the latest."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.query_params.update({"store": "HZ01", "date": "2025-10-31", "tab": "report"})
    at.run()
    assert not at.exception, at.exception
    assert "report" not in at.query_params  # the board date's week: a plain address
    at.date_input(key="report_start").set_value(date(2025, 10, 13)).run()
    word = at.query_params["report"]
    assert (word[0] if isinstance(word, list) else word) == "week:2025-10-13"
    at.radio(key="report_mode").set_value("days7").run()
    at.date_input(key="report_start").set_value(date(2025, 10, 7)).run()
    word = at.query_params["report"]
    link = dict(at.query_params) | {"report": word[0] if isinstance(word, list) else word}
    assert link["report"] == "days7:2025-10-07"
    # the link in a new session (a reload, a colleague): that report, not the latest week
    again = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    again.query_params.update({k: v[0] if isinstance(v, list) else v for k, v in link.items()})
    again.run()
    assert not again.exception, again.exception
    assert again.radio(key="report_mode").value == "days7"
    assert again.date_input(key="report_start").value == date(2025, 10, 7)
    again.run()  # and keeps it on the next run
    assert again.date_input(key="report_start").value == date(2025, 10, 7)
    # another section: the report's week leaves the address
    again.session_state["board_tab"] = "board"
    again.run()
    assert "report" not in again.query_params


def test_a_store_name_with_a_right_to_left_override_reads_as_typed_in_the_pickers(app, con):
    """A store named '反向ABC 123' with a right-to-left override before it read '321 CBA向反'
    in the board's store picker and the sidebar's chip (the Markdown texts had dropped it)."""
    from cx import ui
    from cx.frames import store_label, store_labels

    assert store_label("ZZ09", "\u202e反向ABC 123\u200b") == "ZZ09 反向ABC 123"
    names = pd.Series(["\u2066甲\u2069", "乙"])
    assert store_labels(pd.Series(["A", "B"]), names).tolist() == ["A 甲", "B 乙"]
    con.execute("UPDATE stores SET store_name = '\u202e反向ABC 123' WHERE store_id = 'HZ02'")
    db.bump_data_version(con)
    ui.invalidate()
    board(app, "HZ02")
    shown = app.selectbox(key="board_store").options
    assert "HZ02 反向ABC 123" in shown and not any("\u202e" in o for o in shown), shown


def test_a_regions_weekly_report_says_which_stores_it_lacks(empty_db, tmp_path, monkeypatch):
    """A region's weekly report, the text a manager forwards, read '本周答卷数 1,111' without
    a word of a store whose answers had stopped: the report says so first, on the page,
    in its text and its CSV."""
    from cx import ingest
    from tests.support import export_with_a_stopped_store

    ingest.ingest_file(export_with_a_stopped_store(tmp_path / "export.csv"), db_path=empty_db)
    files = record_downloads(monkeypatch)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    board(at, "region:华东", date(2025, 10, 20), tab="report", lang="zh")
    md = next(shown(x.value) for x in at.markdown if "周报" in x.value)
    said = (
        "注意：这些门店的答卷在本周期结束前就停了（数据可能没有按时上传），下面的数字里没有它们"
        "此后的答卷：BB02（最近 2025-10-08）。"
    )
    assert md.splitlines()[2] == said, md[:400]
    assert said in at.code[0].value  # the text to paste into a chat
    csv = files["report_csv"][1].decode("utf-8-sig")
    assert "答卷停止的门店,BB02（最近 2025-10-08）" in csv, csv[:300]
    for kind in ("report_md", "report_txt"):  # the whole reports, made when clicked
        assert "BB02（最近 2025-10-08）" in files[kind][1]().decode("utf-8-sig"), kind
    board(at, "region:华东", date(2025, 10, 20), tab="report", lang="en")
    md = next(shown(x.value) for x in at.markdown if "weekly report" in x.value)
    note = md.splitlines()[2]
    assert "BB02 (latest 2025-10-08)" in note and "CC03" not in note  # it seldom answers
    # 华南's DD04 nowhere; CC03, which answered on 10-17, in the stores' week (the one before)
    assert "DD04" not in md and "| CC03 CC03 店 | no data | 0 | no data | 0 | 0 |" in md
    board(at, "AA01", date(2025, 10, 20), tab="report", lang="en")  # a store's own: none
    md = next(shown(x.value) for x in at.markdown if "weekly report" in x.value)
    assert "answers stop" not in md


def test_a_stores_board_whose_answers_stopped_says_so(empty_db, tmp_path):
    """A store manager's bookmark opened BB02's board on its own latest day, twelve days
    behind the data, with the month's pace as if the month were still running, and
    nothing said its days since were missing: the board says so above its figures; a
    store that answers today, or seldom answers, says nothing of it."""
    from cx import ingest
    from tests.support import export_with_a_stopped_store

    ingest.ingest_file(export_with_a_stopped_store(tmp_path / "export.csv"), db_path=empty_db)
    with db.connect(empty_db) as con:
        last, latest = con.execute(
            "SELECT max(CAST(responded_at AS DATE)), max(CAST(responded_at AS DATE))"
            " FILTER (WHERE store_id = 'BB02') FROM responses"
        ).fetchall()[0]
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.query_params.update({"store": "BB02", "lang": "en"})
    at.run()
    assert not at.exception, at.exception
    assert at.date_input(key="board_date").value == latest  # it opens on its own day
    said = [w.value for w in at.warning]
    assert (
        f"This store's answers stop on {latest}, while the data runs to {last}: its uploads"
        " may have stopped." in said
    ), said
    for store in ("AA01", "CC03"):  # answers on the last day; answers seldom
        board(at, store)
        assert not [w for w in at.warning if "answers stop on" in w.value], store
    for store, sentence in (
        # silent for 40 days: said all the same (it said nothing past a month)
        ("EE05", f"This store's answers stop on 2025-09-10, while the data runs to {last}:"),
        # picked with its region, counted as itself: said too
        ("region:华东,BB02", f"The answers of the stores picked stop on {latest}, while the"),
    ):
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
        at.query_params.update({"store": store, "lang": "en"})
        at.run()
        said = [w.value for w in at.warning]
        assert [w for w in said if w.startswith(sentence)], said


def test_a_store_just_below_its_target_reads_below_it_in_the_ranking():
    """XA02 at 81.996 against its target of 82 read "NPS 82.0 · target 82.0 (-0.0)" in the
    ranking's link and "82.0, 82.0, -0.0" in its table and CSV: figure and target take the
    decimals that tell them apart, as on the board's cards; a store without a target and
    the interval keep one decimal."""
    from cx.ui import board as board_ui

    ranked = pd.DataFrame(
        {
            "store_id": ["HZ01", "XA02"],
            "ranked": [True, True],
            "rank": [1, 3],
            "nps": [77.54, 81.996],
            "low": [74.01, 78.12],
            "high": [80.93, 85.04],
            "n": [872, 461],
            "flag": ["", ""],
            "target": [float("nan"), 82.0],
        }
    )
    labels = dict(board_ui.ranking_labels(ranked, lambda s: s))
    assert "NPS 81.996" in labels["XA02"] and "82.000（-0.004）" in labels["XA02"]
    assert "NPS 77.5 " in labels["HZ01"] and "74.0 ~ 80.9" in labels["HZ01"]
    table, formats = board_ui._ranking_table(ranked, lambda s: s)
    assert table.iloc[1, 2:].tolist() == [81.996, 78.1, 85.0, 461, 82.0, -0.004]
    assert table.iloc[0, 2] == 77.5
    # the target and the gap with the decimals that tell them apart: "82.000", "-0.004"
    target, gap = (i18n.t(f"board.rank.col.{c}", "zh") for c in ("target", "vs_target"))
    assert formats[target]["type_config"]["format"] == "%.3f"
    assert formats[gap]["type_config"]["format"] == "%+.3f"


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_months_last_day_says_how_it_ended_not_a_chance(app, con, lang):
    """On the month's last day no answers are left to come: the chance beside 'no days
    left' read '0%' or '100%'. The metric says whether the month ended on target, as
    the headline does, from the month's rows against the target either side of it."""
    from cx import targets, ui

    t = i18n.t
    oct_ = stats.nps(*counts(con, "HZ01", "2025-10-01", "2025-10-31"))
    chance = t("board.mtd.prob", lang)
    for target, key in ((round(oct_ - 5, 1), "hit"), (round(oct_ + 5, 1), "missed")):
        targets.set_target(con, "HZ01", date(2025, 10, 1), target)
        ui.invalidate()
        board(app, "HZ01", date(2025, 10, 31), "day", lang)
        m = metrics(app)
        assert m[t("board.mtd.days_left", lang)] == "0"
        assert m[chance] == t(f"board.mtd.month_{key}", lang), m
        caps = [c.value for c in app.caption]
        assert any(t(f"board.head.month_{key}", lang) in c for c in caps), caps
        assert not any("%" in c and t("board.head.chance", lang, pct="") in c for c in caps)
    # a day with days left still reads a chance
    board(app, "HZ01", date(2025, 10, 30), "day", lang)
    assert metrics(app)[chance].endswith("%"), metrics(app)[chance]


def test_a_stopped_stores_board_with_a_target_on_a_later_date_says_the_month_has_no_answers(
    empty_db, tmp_path
):
    """EE05's answers stopped on 09-10; with a target for October, its board on 10-20 failed
    ('None >= 1' in the month's progress) and showed the error page instead of the board."""
    from cx import ingest, targets
    from tests.support import export_with_a_stopped_store

    ingest.ingest_file(export_with_a_stopped_store(tmp_path / "export.csv"), db_path=empty_db)
    with db.connect(empty_db) as c:
        targets.set_target(c, "EE05", date(2025, 10, 1), 70.0)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    for lang, said in (("en", "no answers this month yet"), ("zh", "本月还没有答卷")):
        board(at, "EE05", date(2025, 10, 20), lang=lang)  # drawn, no error
        line = next((x.value for x in at.caption if said in x.value), None)
        assert line is not None and line.startswith(said), [x.value for x in at.caption]
