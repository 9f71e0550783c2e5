"""AppTest of the Segment distributions page: the numbers shown equal cx.stats over
counts computed here with SQL from ``responses``."""

from __future__ import annotations

import io
import re
from datetime import date
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from cx import db, enums, i18n, painpoints, stats
from tests.support import chart_frames, chosen_label, record_downloads, shown_label

ROOT = Path(__file__).resolve().parent.parent
OCT = (date(2025, 10, 1), date(2025, 10, 31))
IN_OCT = "CAST(responded_at AS DATE) BETWEEN DATE '2025-10-01' AND DATE '2025-10-31'"


def T(key: str, lang: str = "zh", **fmt) -> str:
    return i18n.t(key, lang, **fmt)


# st.dataframe keeps no key in AppTest 1.67: find each table by a column only it has.
MARKERS = {
    "seg_split_table": "seg.col.share_p",
    "seg_compare_table": "seg.col.nps_prev",
    "seg_reason_table": "seg.col.cum_share",
    "seg_comments": "seg.col.rule",
    "seg_gaming": "seg.col.q_value",
    "seg_by_store_table": "seg.col.top_reason",
}


def tables(at, key: str, lang: str = "zh") -> list:
    marker = T(MARKERS[key], lang)
    return [d.value for d in at.dataframe if marker in d.value.columns]


def table(at, key: str, lang: str = "zh"):
    found = tables(at, key, lang)
    assert len(found) == 1, f"{len(found)} tables {key}"
    return found[0]


def counts(con, where: str, params=()) -> tuple[int, int, int]:
    row = con.execute(
        "SELECT count(*) FILTER (WHERE nps BETWEEN 0 AND 6), count(*) FILTER (WHERE nps"
        " BETWEEN 7 AND 8), count(*) FILTER (WHERE nps BETWEEN 9 AND 10) FROM responses r"
        f" WHERE {IN_OCT} AND {where}",
        list(params),
    ).fetchall()[0]
    return tuple(int(x) for x in row)


def pick(at, key: str, value, dates=OCT) -> None:
    """Choose ``value`` in the page's selectbox ``key`` and rerun.

    The sidebar date widget is rendered only by app.py's first run; AppTest runs the page
    alone afterwards and drops the widget's state, so the filter is set again each run.
    """
    at.selectbox(key=key).select(value)
    at.session_state["flt_dates"] = dates
    at.run()
    assert not at.exception, at.exception


def open_page(dates=OCT) -> AppTest:
    """The app opened straight on this page (its own run does not depend on other pages)."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.session_state["flt_dates"] = dates
    at.switch_page("pages/segments.py").run()
    assert not at.exception, at.exception
    return at


@pytest.fixture
def page(demo_db):
    return open_page()


def test_too_few_answers_for_any_gaming_test_is_said_as_such(demo_db):
    """One store over two days: no advisor or store has the answers a test needs. The
    section had said '0 tests were run … the false discovery rate held at 5 %' and then
    'no score pattern stands out', which reads as a clean result."""
    from cx.i18n import t

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.session_state["flt_stores"] = ["SH03"]
    at.session_state["flt_dates"] = (date(2025, 10, 30), date(2025, 10, 31))
    at.session_state["ui_lang"] = "en"
    at.switch_page("pages/segments.py").run()
    assert not at.exception, at.exception
    captions = [c.value for c in at.caption]
    assert t("seg.gaming_untested", "en") in captions
    assert t("seg.gaming_none", "en") not in captions
    assert not any("Tests run:" in c for c in captions)


def test_headline_numbers_match_sql(page, con):
    d, pa, p = counts(con, "TRUE")
    n = d + pa + p
    metrics = {m.label: m.value for m in page.metric}
    assert metrics[T("seg.n")] == f"{n:,}"
    assert metrics[T("seg.nps")] == f"{stats.nps(d, pa, p):,.1f}"
    assert metrics[T("seg.share.detractor")] == f"{100 * d / n:.1f}%"
    low, high = stats.nps_interval(d, pa, p)
    help_text = [m for m in page.metric if m.label == T("seg.nps")][0].help
    assert f"{low:,.1f}" in help_text and f"{high:,.1f}" in help_text


@pytest.mark.parametrize("days", [1, 31])
def test_a_headline_on_few_answers_says_so_as_the_board_does(demo_db, con, days):
    """HZ01 on one day (n 28 in the full demo) showed its NPS with no word of its sample,
    where the board warns below 30 answers."""
    dates = (date(2025, 10, 32 - days), date(2025, 10, 31))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.session_state["flt_dates"] = dates
    at.session_state["flt_stores"] = ["HZ01"]
    at.switch_page("pages/segments.py").run()
    assert not at.exception, at.exception
    n = con.execute(
        "SELECT count(*) FROM responses WHERE store_id = 'HZ01'"
        " AND CAST(responded_at AS DATE) BETWEEN ? AND ?",
        list(dates),
    ).fetchall()[0][0]
    flag = stats.sample_flag(n)
    warned = [w.value for w in at.warning]
    if flag == "ok":
        assert not [w for w in warned if "样本" in w], warned
    else:
        key = "board.kpi.too_few" if flag == "too_few" else "board.kpi.low_n"
        limit = stats.MIN_N if flag == "too_few" else stats.LOW_N
        assert T(key, n=limit) in warned, (n, warned)
    assert (flag != "ok") == (days == 1)  # one day of HZ01 is few answers, a month is not


def test_change_breakdown_shows_group_nps_and_n(page, con):
    pick(page, "seg_dim", "store")
    tab = table(page, "seg_split_table")
    hz = tab[tab[T("seg.col.group")].str.startswith("HZ01")].iloc[0]
    d, pa, p = counts(con, "store_id = 'HZ01'")
    assert hz[T("seg.col.n")] == d + pa + p
    assert hz[T("seg.col.nps")] == pytest.approx(round(stats.nps(d, pa, p), 1))
    assert hz[T("seg.col.nps")] == pytest.approx(77.5)  # the story's October
    low, high = stats.nps_interval(d, pa, p)
    assert (hz[T("seg.col.low")], hz[T("seg.col.high")]) == pytest.approx(
        (round(low, 1), round(high, 1))
    )

    pick(page, "seg_dim", "region")
    tab = table(page, "seg_split_table")
    regions = [r[0] for r in con.execute("SELECT DISTINCT region FROM stores").fetchall()]
    assert set(tab[T("seg.col.group")]) == set(regions)
    for region in regions:
        d, pa, p = counts(
            con, "store_id IN (SELECT store_id FROM stores WHERE region = ?)", [region]
        )
        row = tab[tab[T("seg.col.group")] == region].iloc[0]
        assert row[T("seg.col.n")] == d + pa + p
        assert row[T("seg.col.nps")] == pytest.approx(round(stats.nps(d, pa, p), 1))
        assert row[T("seg.col.share_d")] == pytest.approx(round(100 * d / (d + pa + p), 1))
    # every region is large enough: no column of empty sample notes (small groups: below)
    assert T("seg.col.flag") not in tab.columns
    # the chart's label of each group in the page's words and the board's notation (it
    # read "NPS 52.5 [48.1, 56.9] n=11458" beside the page's 样本 11,458)
    texts = {t for f in chart_frames(page) if "text" in f.columns for t in f["text"]}
    row = tab.iloc[0]
    n = int(row[T("seg.col.n")])
    nps, low, high = (row[T(f"seg.col.{c}")] for c in ("nps", "low", "high"))
    assert f"NPS {nps:.1f} ({low:.1f} ~ {high:.1f}) 样本 {n:,}" in texts, texts
    assert n >= 1000  # its thousands separated


def test_every_figure_of_the_tables_shows_one_decimal(page):
    """NPS, its interval, the shares and the changes with one decimal each (a table read
    51 beside 50.3 and 36 beside 28.4: the grid drops a float's trailing zero); counts
    with thousands separated, as on the figures above them (35,634, not 35634)."""
    import json

    wanted = {
        "seg_split_table": ("nps", "low", "high", "share_p", "share_pa", "share_d"),
        "seg_compare_table": ("nps", "nps_prev", "change"),
        "seg_reason_table": ("share", "cum_share"),
    }
    for key, cols in wanted.items():
        marker = T(MARKERS[key])
        (proto,) = [d.proto for d in page.dataframe if marker in d.value.columns]
        config = json.loads(proto.columns)
        for col in cols:
            # a change signed, as every other page writes one (a rise read "3.6")
            want = "%+.1f" if col == "change" else "%,.1f"
            assert config[T(f"seg.col.{col}")]["type_config"]["format"] == want, (key, col)
    counts = {"seg_split_table": ("n",), "seg_compare_table": ("n", "n_prev")}
    for key, cols in counts.items():
        (proto,) = [d.proto for d in page.dataframe if T(MARKERS[key]) in d.value.columns]
        config = json.loads(proto.columns)
        for col in cols:
            assert config[T(f"seg.col.{col}")]["type_config"]["format"] == "%,d", (key, col)


def test_small_groups_flagged_not_hidden(con):
    app = open_page((date(2025, 10, 25), date(2025, 10, 31)))
    pick(app, "seg_dim", "advisor", (date(2025, 10, 25), date(2025, 10, 31)))
    tab = table(app, "seg_split_table")
    where = "CAST(responded_at AS DATE) BETWEEN DATE '2025-10-25' AND DATE '2025-10-31'"
    sizes = dict(
        con.execute(
            f"SELECT store_id || ' · ' || advisor, count(*) FROM responses WHERE {where}"
            " AND advisor IS NOT NULL GROUP BY 1"
        ).fetchall()
    )
    shown = dict(zip(tab[T("seg.col.group")], tab[T("seg.col.flag")], strict=True))
    assert set(sizes) <= set(shown)  # nobody hidden
    assert any(n < 30 for n in sizes.values())
    for grp, n in sizes.items():
        want = "" if n >= 30 else T("seg.flag.too_few" if n < 10 else "seg.flag.low")
        assert shown[grp] == want


def test_pick_reason_shows_its_comments_masked(con):
    con.executemany(
        "INSERT INTO responses (response_id, store_id, responded_at, nps, comment, customer_name,"
        " phone) VALUES (?, 'HZ01', TIMESTAMP '2025-10-31 23:59:59', 1, '等了三个小时', '王小明',"
        " '13812345678')",
        [(f"K{i}",) for i in range(4)],
    )
    db.store_reasons(con)  # as every write gives its detractors their reasons
    app = open_page()
    reasons = table(app, "seg_reason_table")
    # October's detractors classified here one by one: the pain point picked, else the
    # rules over the comment (the demo's own comments naming the wait, and the four above)
    answers = con.execute(
        f"SELECT pain_point, comment FROM responses WHERE nps <= 6 AND {IN_OCT}"
    ).fetchall()
    reasons_of = [painpoints.reason_for(pain, comment) for pain, comment in answers]
    n_wait = sum(reason == "waiting" for reason, _rule in reasons_of)
    by_wait = sum(reason == "waiting" and rule == "等" for reason, rule in reasons_of)
    wait = reasons[reasons[T("seg.col.reason")] == "等待时间过长"].iloc[0]
    assert wait[T("seg.col.n")] == n_wait
    assert wait[T("seg.col.n_keyword")] == by_wait > 4
    assert f"等 ×{by_wait}" in wait[T("seg.col.keywords")]
    det = counts(con, "TRUE")[0]
    assert wait[T("seg.col.share")] == pytest.approx(round(100 * n_wait / det, 1))

    pick(app, "seg_reason", "waiting")
    rows = table(app, "seg_comments")
    top = rows.iloc[0]
    assert top[T("seg.col.rule")] == T("seg.rule.keyword", k="等")
    assert top[T("seg.col.customer_name")] == "王**"
    assert top[T("seg.col.phone")] == "138****5678"
    assert any(
        T("seg.comments_count", total=n_wait, shown=len(rows)) == c.value for c in app.caption
    )

    pick(app, "seg_reason", "cost")
    rows = table(app, "seg_comments")
    picked = rows[T("seg.col.rule")] == T("seg.rule.answer")
    assert set(rows.loc[picked, T("seg.col.pain_point")]) == {"费用超预期/不透明"}
    assert set(rows.loc[~picked, T("seg.col.pain_point")]) <= {""}  # named in the comment
    assert "13812345678" not in rows.to_string()


def test_gaming_review_lists_fast_answers_not_good_service(con, monkeypatch):
    files = record_downloads(monkeypatch)
    con.executemany(
        "INSERT INTO responses (response_id, store_id, responded_at, nps, advisor,"
        " duration_seconds) VALUES (?, 'HZ01', TIMESTAMP '2025-10-20 10:00:00', 10, '测试顾问', 7)",
        [(f"G{i}",) for i in range(40)],
    )
    app = open_page()
    flagged = table(app, "seg_gaming")
    # its download says whose stores and which days (the month the page opens on)
    name = files["seg_gaming_csv"][0]
    assert re.match(r"gaming_review_all_2025-10-01_2025-10-31_\d{8}\.csv$", name), name
    # hits and answers as two numbers in the file ('3/12' opens as a date in Excel)
    got = pd.read_csv(io.BytesIO(files["seg_gaming_csv"][1]()), encoding="utf-8-sig")
    assert T("seg.col.x_n") not in got.columns
    mine_in_file = got[got[T("seg.col.who")] == "测试顾问"]
    assert mine_in_file[[T("seg.col.x"), T("seg.col.n")]].values.tolist() == [[40, 40]] * 2
    mine = flagged[flagged[T("seg.col.who")] == "测试顾问"]
    assert set(mine[T("seg.col.signal")]) == {T("seg.signal.fast"), T("seg.signal.silent_tens")}
    fast = mine[mine[T("seg.col.signal")] == T("seg.signal.fast")].iloc[0]
    assert fast[T("seg.col.x_n")] == "40/40" and fast[T("seg.col.rate")] == 100.0
    assert fast[T("seg.col.store")].startswith("HZ01 ")
    # nobody else at HZ01 (the network's best store) is listed
    others = flagged[flagged[T("seg.col.store")].str.startswith("HZ01 ")]
    assert set(others[T("seg.col.who")]) == {"测试顾问"}
    assert any("不是指控" in c.value and "Benjamini" in c.value for c in app.caption)
    # q-values to two figures, as the table shows them, in its CSV too (not 17 digits)
    q_values = flagged[T("seg.col.q_value")]
    assert all(float(f"{v:.2g}") == v for v in q_values) and (q_values < 0.05).all()


def test_a_phone_in_the_advisor_column_is_masked_in_the_split_the_review_and_the_digest(
    con, monkeypatch
):
    """An export's advisor column held a customer's phone: the split by advisor, the
    gaming review, its CSV and the morning digest showed it whole (comments, owners and
    notes masked it)."""
    from cx import digest

    files = record_downloads(monkeypatch)
    con.executemany(
        "INSERT INTO responses (response_id, store_id, responded_at, nps, advisor,"
        " duration_seconds) VALUES (?, 'HZ01', TIMESTAMP '2025-10-30 10:00:00', 10,"
        " '13812345678', 7)",
        [(f"G{i}",) for i in range(40)],
    )
    db.refresh_rollups(con)  # as every write keeps them (the digest reads the kept tests)
    app = open_page()
    flagged = table(app, "seg_gaming")
    assert "138****5678" in set(flagged[T("seg.col.who")])
    got = files["seg_gaming_csv"][1]().decode("utf-8-sig")
    assert "138****5678" in got and "13812345678" not in got
    pick(app, "seg_dim", "advisor")
    groups = set(table(app, "seg_split_table")[T("seg.col.group")])
    assert "HZ01 · 138****5678" in groups and not any("13812345678" in g for g in groups)
    doc = digest.build(con, date(2025, 10, 31))
    advisors = [g["advisor"] for g in doc["gaming"]]
    assert "138****5678" in advisors and "13812345678" not in str(doc)


def test_a_new_breakdown_or_reason_reuses_the_gaming_review(page, monkeypatch):
    """The review depends on the stores and days only: picking another breakdown or reason
    redraws it from the cache (at 10 million answers it is half the page's time)."""
    from cx.queries import segments as q

    calls = []
    real = q.gaming_review
    monkeypatch.setattr(q, "gaming_review", lambda *a: calls.append(a) or real(*a))
    before = table(page, "seg_gaming")
    pick(page, "seg_dim", "channel")
    pick(page, "seg_reason", "cost")
    assert calls == []
    assert table(page, "seg_gaming").equals(before)
    pick(page, "seg_dim", "channel", (date(2025, 10, 1), date(2025, 10, 15)))  # other days
    assert len(calls) == 1


def test_period_comparison_table(page, con):
    pick(page, "seg_dim", "service_type")
    comp = table(page, "seg_compare_table")
    row = comp[comp[T("seg.col.group")] == "维修"].iloc[0]
    now = counts(con, "service_type = 'repair'")
    before = con.execute(
        "SELECT count(*) FILTER (WHERE nps <= 6), count(*) FILTER (WHERE nps IN (7, 8)),"
        " count(*) FILTER (WHERE nps >= 9) FROM responses WHERE service_type = 'repair' AND"
        " CAST(responded_at AS DATE) BETWEEN DATE '2025-09-01' AND DATE '2025-09-30'"  # September
    ).fetchall()[0]
    diff, _z, p = stats.nps_diff_test(now, before)
    assert row[T("seg.col.n")] == sum(now) and row[T("seg.col.n_prev")] == sum(before)
    assert row[T("seg.col.change")] == pytest.approx(round(diff, 1))
    want = "noise" if p >= 0.05 else ("up" if diff > 0 else "down")
    assert row[T("seg.col.status")] == T(f"seg.status.{want}")


def test_english_and_export(page):
    page.session_state["ui_lang"] = "en"
    page.session_state["flt_dates"] = OCT
    page.run()
    assert page.title[0].value == T("seg.title", "en")
    buttons = [b for b in page.get("download_button") if b.key == "seg_export"]
    assert len(buttons) == 1 and buttons[0].label == T("seg.export", "en")
    compared = table(page, "seg_compare_table", "en").columns
    assert T("seg.col.nps_prev", "en") in compared
    # a phone shows about three columns: the group, its change and whether it is real
    assert list(compared[:3]) == [T(f"seg.col.{c}", "en") for c in ("group", "change", "status")]


def test_empty_database_shows_no_data(empty_db):
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.run()
    at.switch_page("pages/segments.py").run()
    assert not at.exception
    assert any(i.value == "数据库里还没有答卷。请到“上传”页导入问卷导出文件。" for i in at.info)


def test_the_comments_download_holds_every_detractor_of_the_reason_masked_and_inert(con):
    """The page lists the newest 300 detractors of a reason; its download holds all of
    them, read when clicked and limited to the reader's stores, with names and phones
    masked as on the page and a comment that starts a formula written as text (the grid's
    own CSV, now off, had written '=HYPERLINK(...)' as it was)."""
    import io

    import pandas as pd

    from cx.scope import Scope
    from cx.ui import segments as seg_ui
    from cx.views import segments as seg_view

    con.execute(
        "INSERT INTO responses (response_id, store_id, responded_at, nps, pain_point, comment,"
        " customer_name, phone) VALUES ('K1', 'HZ01', TIMESTAMP '2025-10-31 23:59:59', 1,"
        " 'waiting', '=HYPERLINK(\"http://x.example\",\"点我\") 等太久', '王小明', '13812345678')"
    )
    db.store_reasons(con)
    where = "nps <= 6 AND reason = 'waiting'"  # every day: more than the page lists
    n_all = con.execute(f"SELECT count(*) FROM responses WHERE {where}").fetchall()[0][0]
    n_hz01 = con.execute(
        f"SELECT count(*) FROM responses WHERE {where} AND store_id = 'HZ01'"
    ).fetchall()[0][0]
    assert n_all > 300  # more than the page lists

    def download(key: tuple) -> pd.DataFrame:
        raw = seg_view.comments_csv(key, Scope(), "waiting", "zh",
                                    seg_ui.comments_frame)  # fmt: skip
        assert raw.startswith(b"\xef\xbb\xbf")  # Excel on Chinese Windows reads it
        return pd.read_csv(io.BytesIO(raw), encoding="utf-8-sig", dtype=str)

    every = download(("network",))
    assert len(every) == n_all
    assert list(every.columns) == list(seg_ui.comments_frame(pd.DataFrame(
        columns=["responded_at", "store_id", "advisor", "nps", "pain_point", "comment", "rule",
                 "customer_name", "phone"]), "zh").columns)  # fmt: skip
    k1 = every[every[T("seg.col.comment")].str.contains("HYPERLINK", na=False)].iloc[0]
    assert k1[T("seg.col.comment")].startswith("'=HYPERLINK(")
    assert (k1[T("seg.col.customer_name")], k1[T("seg.col.phone")]) == ("王**", "138****5678")
    assert not every.apply(lambda c: c.str.contains(r"1\d{10}", na=False)).any().any()
    mine = download(("stores", ("HZ01",), ()))  # a store manager's
    assert len(mine) == n_hz01 and set(mine[T("seg.col.store_id")]) == {"HZ01"}


def test_a_regions_reasons_by_store_equal_each_stores_detractors(con):
    """A regional manager reads each store's detractors by reason in one table (they had
    to pick the stores one by one): opened, it lists every store of the region with a
    detractor, most first, and each count equals the store's detractors of that reason."""
    app = open_page()
    app.session_state["flt_regions"] = ["华东"]
    app.session_state["flt_dates"] = OCT
    app.run()
    assert app.expander(key="seg_by_store").label == T("seg.by_store")
    assert not tables(app, "seg_by_store_table")  # read only once opened
    app.session_state["seg_by_store"] = True
    app.session_state["flt_dates"] = OCT
    app.run()
    assert not app.exception, app.exception
    got = table(app, "seg_by_store_table")
    want = con.execute(
        "SELECT r.store_id, r.reason, count(*) FROM responses r JOIN stores s USING (store_id)"
        f" WHERE s.region = '华东' AND nps <= 6 AND {IN_OCT} GROUP BY ALL"
    ).fetchall()
    per_store: dict[str, dict[str, int]] = {}
    for store, reason, n in want:
        per_store.setdefault(store, {})[reason] = n
    stores = [s.split(" ")[0] for s in got[T("seg.col.store")]]
    assert sorted(stores) == sorted(per_store)
    totals = [sum(per_store[s].values()) for s in stores]
    assert list(got[T("seg.col.n_detractors")]) == totals == sorted(totals, reverse=True)
    for row, store in zip(got.to_dict("records"), stores, strict=True):
        for reason, n in per_store[store].items():
            assert row[enums.label(enums.PAIN_POINTS, reason, "zh")] == n, (store, reason)
        top = max(per_store[store].values())
        assert row[T("seg.col.top_share")] == pytest.approx(
            round(100 * top / sum(per_store[store].values()), 1)
        )


@pytest.mark.parametrize(("first", "then"), [("en", "zh"), ("zh", "en")])
def test_a_switch_of_language_keeps_the_breakdown_and_shows_it_in_the_new_language(
    app, first, then
):
    """The breakdown box still read 'Store' on the Chinese page (and 服务顾问 on the
    English one): the browser held the old language's label."""
    at = app
    at.session_state["ui_lang"] = first
    pick(at, "seg_dim", "store")
    pick(at, "seg_reason", "cost")
    held = {k: chosen_label(at.selectbox(key=k)) for k in ("seg_dim", "seg_reason")}
    assert held == {
        "seg_dim": T("seg.dim.store", first),
        "seg_reason": enums.label(enums.PAIN_POINTS, "cost", first),
    }
    split = table(at, "seg_split_table", first)
    numbers = split.select_dtypes("number").to_numpy()
    groups = [g.split(" ")[0] for g in split[T("seg.col.group", first)]]
    comments = table(at, "seg_comments", first)[T("seg.col.store_id", first)].tolist()

    at.session_state["ui_lang"] = then
    at.session_state["flt_dates"] = OCT
    at.run()
    assert not at.exception, at.exception
    dim, reason = at.selectbox(key="seg_dim"), at.selectbox(key="seg_reason")
    assert (dim.value, reason.value) == ("store", "cost")
    assert chosen_label(dim) == shown_label(dim, held["seg_dim"]) == T("seg.dim.store", then)
    cost = enums.label(enums.PAIN_POINTS, "cost", then)
    assert chosen_label(reason) == shown_label(reason, held["seg_reason"]) == cost
    split = table(at, "seg_split_table", then)
    assert (split.select_dtypes("number").to_numpy() == numbers).all()
    assert [g.split(" ")[0] for g in split[T("seg.col.group", then)]] == groups
    assert table(at, "seg_comments", then)[T("seg.col.store_id", then)].tolist() == comments


def test_a_flagged_q_value_is_never_shown_at_the_rate_it_was_flagged_below():
    """Two figures, unless they round a flagged q up to the FDR: 0.0496 under "q < 0.05"
    had read 0.05."""
    from cx import signals
    from cx.ui.segments import _q_shown

    assert signals.FDR == 0.05
    assert _q_shown(5.154803518107945e-70) == 5.2e-70
    assert _q_shown(0.0496) == 0.0496 and _q_shown(0.04996) == 0.04996
    assert _q_shown(0.0123) == 0.012
