"""The metric registry covers every number and generates the rollup (issue #13).

A new metric is one registry entry and its texts: the throwaway "share waiting over 1 h" below is
registered at run time and appears on the overview page, in the README table and as a
``daily_rollup`` column whose values equal a recomputation from raw answers.
"""

from __future__ import annotations

import shutil
import sys
import time
from collections import defaultdict
from datetime import date
from pathlib import Path

import duckdb
import pytest

from cx import db, i18n, metrics, planner, report
from cx.enums import CSI_DIMS, TP_KEYS
from cx.queries import cx_overview as q
from cx.scope import Scope
from tests.support import OCT, month_row, month_where

ROOT = Path(__file__).resolve().parent.parent
APP_PAGE = "pages/overview.py"
OVER = 60  # the throwaway metric's threshold, minutes


def _throwaway_metric() -> metrics.Metric:
    return metrics.Metric(
        "wait_over_1h",
        "operations",
        "share",
        False,
        0.5,
        "proportion",
        lambda row: (
            metrics.share(metrics.num(row, "wait_over60"), metrics.num(row, "wait_n")),
            int(metrics.num(row, "wait_n")),
        ),
        test_fields=("wait_over60", "wait_n"),
        family="wait",
    )


# its texts, in the translation table like every metric's
THROWAWAY_TEXTS = {
    "metric.wait_over_1h.label": {"zh": "等待超 1 小时占比", "en": "Share waiting over 1 h"},
    "metric.wait_over_1h.formula": {
        "zh": f"wait_minutes > {OVER} 的答卷 ÷ 有等待时长的答卷",
        "en": f"answers with wait_minutes > {OVER} / answers with a waiting time",
    },
    "metric.wait_over_1h.description": {
        "zh": "等待超过 1 小时的客户占比。",
        "en": "Share of customers waiting over 1 h.",
    },
}


@pytest.fixture
def throwaway(monkeypatch):
    """One input and one metric, registered for this test only."""
    monkeypatch.setitem(
        metrics.INPUTS,
        "wait_over60",
        metrics.Input(
            "wait_over60", "count(*) FILTER (WHERE wait_minutes > ?)", "INTEGER", (OVER,)
        ),
    )
    for key, text in THROWAWAY_TEXTS.items():
        monkeypatch.setitem(i18n.table(), key, text)
    monkeypatch.setitem(metrics.METRICS, "wait_over_1h", _throwaway_metric())
    return metrics.get("wait_over_1h")


def _raw_over(con, over: float) -> dict[tuple[str, date], int]:
    """(store, day) -> answers waiting longer than ``over`` minutes, from raw rows."""
    out: dict[tuple[str, date], int] = defaultdict(int)
    for store, at, wait in con.execute(
        "SELECT store_id, responded_at, wait_minutes FROM responses"
    ).fetchall():
        out[(store, at.date())] += int(wait is not None and wait > over)
    return out


def _rollup_column(con, name: str) -> dict[tuple[str, date], int]:
    return {
        (s, d): v
        for s, d, v in con.execute(f"SELECT store_id, day, {name} FROM daily_rollup").fetchall()
    }


def _columns(path: Path) -> list[str]:
    with duckdb.connect(str(path)) as c:
        return [r[0] for r in c.execute("DESCRIBE daily_rollup").fetchall()]


# --------------------------------------------------------------------------- one entry


def test_a_new_metric_is_a_rollup_column_equal_to_raw_answers(demo_db, throwaway):
    assert "wait_over60" not in _columns(demo_db)  # the file predates the metric
    with db.connect(demo_db) as con:
        version = db.data_version(con)
        got = _rollup_column(con, "wait_over60")
        raw = _raw_over(con, OVER)
        assert got == {k: raw[k] for k in got}
        assert set(got) == set(raw)
        assert sum(got.values()) > 0
        # a later upload refreshes the new column like every other one
        con.execute("UPDATE responses SET wait_minutes = 500 WHERE store_id = 'HZ01'")
        con.execute(
            "CREATE TEMP TABLE cx_touched AS SELECT DISTINCT store_id,"
            " CAST(responded_at AS DATE) AS day, NULL AS who FROM responses"
            " WHERE store_id = 'HZ01'"
        )
        db.refresh_rollups(con, "cx_touched")
        hz = {k: v for k, v in _rollup_column(con, "wait_over60").items() if k[0] == "HZ01"}
        n = {k: v for k, v in _rollup_column(con, "wait_n").items() if k[0] == "HZ01"}
        assert hz == n
    assert version >= 1


def test_the_new_metric_is_in_the_readme_table(throwaway):
    sys.path.insert(0, str(ROOT / "docs"))
    import readme_metrics

    block = readme_metrics.block()
    for lang in ("en", "zh"):
        row = [ln for ln in metrics.markdown_table(lang).splitlines() if "`wait_over_1h`" in ln]
        assert len(row) == 1
        assert throwaway.label(lang) in row[0] and throwaway.formula(lang) in row[0]
        assert row[0] in block


def test_the_new_metric_is_on_the_overview(throwaway, app, con):
    """The overview shows one more card, its value recomputed from raw answers."""
    at = app.switch_page(APP_PAGE).run()
    assert not at.exception, at.exception
    cards = {col.metric[0].label: col.metric[0].value for col in at.columns if len(col.metric) == 1}
    assert len(cards) == len(metrics.METRICS)
    where, params = month_where(None, OCT)
    waits = [
        r[0]
        for r in con.execute(
            f"SELECT wait_minutes FROM responses WHERE {where} AND wait_minutes IS NOT NULL",
            params,
        ).fetchall()
    ]
    expected = sum(w > OVER for w in waits) / len(waits)
    assert cards[throwaway.label("zh")] == f"{100 * expected:.1f}%"


def test_a_file_checked_before_the_metric_existed_gets_it_on_the_next_open(demo_db, monkeypatch):
    with db.connect(demo_db):
        pass  # checked and remembered by this process
    monkeypatch.setitem(
        metrics.INPUTS,
        "wait_over60",
        metrics.Input(
            "wait_over60", "count(*) FILTER (WHERE wait_minutes > ?)", "INTEGER", (OVER,)
        ),
    )
    with db.connect(demo_db) as con:
        got = _rollup_column(con, "wait_over60")
        raw = _raw_over(con, OVER)
    assert got == {k: raw[k] for k in got} and set(got) == set(raw)


# --------------------------------------------------------------------------- migration


def _older_file(path: Path) -> int:
    """Make ``path`` look like a file written before ``ces_low`` existed; its data version."""
    with duckdb.connect(str(path)) as c:
        c.execute("ALTER TABLE daily_rollup DROP COLUMN ces_low")
        return int(c.execute("SELECT value FROM meta WHERE key = 'data_version'").fetchall()[0][0])


def test_an_older_file_gets_the_missing_column_rebuilt_on_open(demo_db):
    before = _older_file(demo_db)
    db.forget_checks()
    with db.connect(demo_db) as con:
        assert db.data_version(con) == before + 1  # cached pages read the new column
        got = _rollup_column(con, "ces_low")
        raw: dict[tuple[str, date], int] = defaultdict(int)
        for s, at, ces in con.execute(
            "SELECT store_id, responded_at, ces FROM responses"
        ).fetchall():
            raw[(s, at.date())] += int(ces is not None and ces <= 2)
        assert got == dict(raw)


def test_a_failed_migration_changes_nothing(demo_db, monkeypatch):
    before = _older_file(demo_db)
    with duckdb.connect(str(demo_db)) as c:
        rows = c.execute("SELECT * FROM daily_rollup ORDER BY store_id, day").fetchall()
    db.forget_checks()
    monkeypatch.setitem(
        metrics.INPUTS, "broken", metrics.Input("broken", "sum(no_such_column)", "DOUBLE")
    )
    with pytest.raises(duckdb.Error), db.connect(demo_db):
        pass
    with duckdb.connect(str(demo_db)) as c:
        cols = [r[0] for r in c.execute("DESCRIBE daily_rollup").fetchall()]
        assert "ces_low" not in cols and "broken" not in cols
        assert c.execute("SELECT * FROM daily_rollup ORDER BY store_id, day").fetchall() == rows
        version = c.execute("SELECT value FROM meta WHERE key = 'data_version'").fetchall()
        assert int(version[0][0]) == before


def test_a_read_only_file_lacking_a_column_is_refused_in_one_sentence(demo_db, monkeypatch):
    _older_file(demo_db)
    db.forget_checks()
    monkeypatch.setattr(db, "writable", lambda _path: False)  # this process may only read it
    with pytest.raises(db.DatabaseRefused, match="ces_low") as exc, db.connect(demo_db):
        pass
    assert "ces_low" in exc.value.text("zh")
    assert "ces_low" not in _columns(demo_db)


@pytest.mark.slow
def test_migration_on_the_full_demo(full_demo, tmp_path):
    """Adding a column to the full demo's rollup and rebuilding it: correct, and timed."""
    path = tmp_path / "full.duckdb"
    shutil.copy(full_demo, path)
    _older_file(path)
    db.forget_checks()
    start = time.perf_counter()
    with db.connect(path) as con:
        seconds = time.perf_counter() - start
        answers = con.execute("SELECT count(*) FROM responses").fetchall()[0][0]
        got = con.execute("SELECT sum(ces_low), sum(n) FROM daily_rollup").fetchall()[0]
        raw = con.execute("SELECT count(*) FILTER (WHERE ces <= 2), count(*) FROM responses")
        assert got == raw.fetchall()[0]
    print(f"\nrollup migration on the full demo ({answers:,} answers): {seconds:.2f} s")


# --------------------------------------------------------------------------- the rollup


def test_every_rollup_column_equals_a_recomputation_from_raw_answers(con):
    """Network totals of every declared input against SQL written here, not in cx."""
    expected = {
        "n": "count(*)",
        "d": "count(*) FILTER (WHERE nps <= 6)",
        "pa": "count(*) FILTER (WHERE nps IN (7, 8))",
        "p": "count(*) FILTER (WHERE nps >= 9)",
        "n10": "count(*) FILTER (WHERE nps = 10)",
        "csat_n": "count(csat)",
        "csat_top2": "count(*) FILTER (WHERE csat IN (4, 5))",
        "ces_n": "count(ces)",
        "ces_sum": "sum(ces)",
        "ces_sumsq": "sum(ces * ces)",
        "ces_low": "count(*) FILTER (WHERE ces IN (1, 2))",
        "wait_n": "count(wait_minutes)",
        "wait_sum": "sum(wait_minutes)",
        "wait_over120": "count(*) FILTER (WHERE wait_minutes > 120)",
        "ftf_n": "count(first_time_fix)",
        "ftf_yes": "count(*) FILTER (WHERE first_time_fix)",
    }
    for item in [f"csi_{d}" for d in CSI_DIMS] + [f"tp_{t}" for t in TP_KEYS]:
        expected |= {
            f"{item}_n": f"count({item})",
            f"{item}_sum": f"sum({item})",
            f"{item}_sumsq": f"sum({item} * {item})",
        }
    assert set(expected) == set(metrics.rollup_names())
    names = list(expected)
    raw = con.execute(f"SELECT {', '.join(expected.values())} FROM responses").fetchall()[0]
    roll = con.execute(
        f"SELECT {', '.join(f'sum({c})' for c in names)} FROM daily_rollup"
    ).fetchall()[0]
    for name, r, got in zip(names, raw, roll, strict=True):
        assert float(got) == pytest.approx(float(r or 0), rel=1e-9), name
    assert [c for c in _columns_of(con) if c not in ("store_id", "day")] == metrics.rollup_names()


def _columns_of(con) -> list[str]:
    return [r[0] for r in con.execute("DESCRIBE daily_rollup").fetchall()]


def test_the_rollup_is_generated_from_the_declared_inputs():
    ddl = db._rollup_ddl()
    select, params = db._rollup_select()
    for i in metrics.rollup_inputs():
        assert f"{i.name} {i.type}" in ddl
        assert f"{i.sql} AS {i.name}" in select
    assert params == [v for i in metrics.rollup_inputs() for v in i.params]
    # the thresholds are bound, never written into the SQL
    for text in ("csat >= 4", "ces <= 2", "> 120"):
        assert text not in select


@pytest.mark.parametrize(
    ("bad", "why"),
    [
        (("n; DROP TABLE responses", "count(*)", "INTEGER"), "not a rollup column name"),
        (("day", "count(*)", "INTEGER"), "not a rollup column name"),
        (("x", "count(*)", "VARCHAR"), "type"),
        (("x", "count(*) FILTER (WHERE ces <= ?)", "INTEGER"), "one value per"),
        (("x", "count(*); DELETE FROM responses", "INTEGER"), "one aggregate"),
    ],
)
def test_an_input_that_is_not_one_plain_aggregate_is_refused(bad, why):
    with pytest.raises(ValueError, match=why):
        metrics.Input(*bad)


# --------------------------------------------------------------------------- prose = SQL


class _Recorder(dict):
    """A month row that remembers which inputs a metric reads."""

    def __init__(self, *a, **kw):
        super().__init__(*a, **kw)
        self.read: set[str] = set()

    def get(self, key, default=None):
        self.read.add(key)
        return super().get(key, default)


def _reads(m: metrics.Metric) -> set[str]:
    row = _Recorder(month_row(n=10, d=2, pa=3, p=5))
    m.compute(row)
    return row.read | set(m.test_fields)


def test_every_overview_metric_reads_only_declared_inputs():
    declared = set(metrics.rollup_names()) | set(metrics.RAW_INPUTS)
    for key, m in metrics.METRICS.items():
        assert _reads(m) <= declared, key
    # and the overview's month rows carry exactly those
    assert set(q.rollup_sums()) == set(metrics.rollup_names())


def test_each_threshold_the_sql_binds_is_in_the_formula_of_every_metric_reading_it():
    for i in metrics.rollup_inputs():
        if not i.params:
            continue
        readers = [m for m in metrics.every().values() if i.name in _reads(m)]
        assert readers, i.name
        for m in readers:
            for value in i.params:
                for lang in ("zh", "en"):
                    assert f"{value:g}" in m.formula(lang), (m.key, i.name, lang)


def test_the_raw_inputs_bind_what_the_formulas_say():
    raw = metrics.RAW_INPUTS
    assert raw["unresolved"].params == ("unresolved",)
    assert "pain_point = unresolved" in metrics.get("repeat_fault").formula("en")
    assert "（unresolved）" in metrics.get("repeat_fault").formula("zh")
    assert raw["wait_median"].params == (0.5,) == (metrics.get("wait_median").quantile,)
    assert raw["wait_p90"].params == (0.9,) == (metrics.get("wait_p90").quantile,)
    assert metrics.get("wait_p90").formula("en").startswith("90th percentile")
    with pytest.raises(ValueError, match="one value per"):
        metrics.RawInput("x", "quantile_cont(wait_minutes, ?)")


def test_a_raw_input_named_like_a_rollup_column_is_refused(monkeypatch):
    monkeypatch.setitem(metrics.RAW_INPUTS, "n", metrics.RawInput("n", "count(*)"))
    with pytest.raises(ValueError, match="both raw and rolled up"):
        metrics.raw_inputs()


def test_the_nps_formula_is_the_segments_of_cx_rules():
    from cx import rules

    for key in ("nps", "mtd_nps", "segment_nps"):
        text = metrics.get(key).formula("en")
        assert f"{rules.PROMOTER_MIN}-10" in text and f"0-{rules.DETRACTOR_MAX}" in text
    assert str(report.VOLUME_DAYS) in metrics.get("required_nps").formula("en")


# --------------------------------------------------------------------------- every page


def test_every_page_number_has_an_entry():
    want = {
        "board": {"nps", "promoters", "detractors", "answers", "mtd_nps", "required_nps"},
        "overview": set(metrics.METRICS),
        "segments": {"segment_nps", "nps", "answers"},
        "quadrant": {"nps", "csi"},
        "heatmap": {"cji", *(f"tp_{k}" for k in TP_KEYS)},
        "planner": {"plan_gain", "plan_budget", "plan_projected", "mtd_nps"},
    }
    for page, keys in want.items():
        assert (ROOT / "pages" / f"{page}.py").exists(), page
        assert keys <= {m.key for m in metrics.on_page(page)}, page
    assert not set(metrics.METRICS) & set(metrics.PAGE_METRICS)  # one key, one entry


@pytest.mark.parametrize("key", list(metrics.every()))
def test_every_entry_is_complete_in_both_languages(key):
    m = metrics.get(key)
    assert m.key == key
    assert m.layer in metrics.LAYERS and m.unit in metrics.UNITS and m.test in metrics.TESTS
    assert m.pages and set(m.pages) <= set(metrics.PAGES)
    for lang in ("zh", "en"):
        assert m.label(lang) and m.formula(lang) and m.description(lang)
    assert metrics.fmt(key, None) == "—"


def test_board_pace_numbers_equal_the_boards_own_arithmetic():
    # 70 promoters, 20 passives, 10 detractors: MTD NPS 60; target 80; 5 a day, 10 days
    recent = (14, 28, 98)  # 140 answers in 28 days: 5 a day
    pace = report.pace((10, 20, 70), (20, 30, 50), recent, 80.0, date(2025, 10, 21))
    assert pace["n_left"] == pytest.approx(50.0)
    assert metrics.value("mtd_nps", pace) == (pytest.approx(60.0), 100)
    # (80 * 150 - 60 * 100) / 50 = 120: out of reach
    assert metrics.value("required_nps", pace)[0] == pytest.approx(120.0) == pace["required"]
    assert metrics.value("target_odds", pace)[0] == pace["prob"]
    assert metrics.value("required_nps", pace | {"target": None})[0] is None


def test_planner_totals_equal_the_sum_of_the_enabled_projects():
    base = planner.Baseline(
        nps=50.0, d=None, pa=None, p=None, n_expected=400, goal=60.0, budget=1e5
    )
    projects = [
        planner.Project("a", "waiting", 30_000.0, 4.0),
        planner.Project("b", "cost", 20_000.0, 3.5),
        planner.Project("c", "attitude", 90_000.0, 9.0, enabled=False),
    ]
    summary = planner.summarise(base, projects)
    assert metrics.value("plan_gain", summary)[0] == pytest.approx(7.5)
    assert metrics.value("plan_projected", summary)[0] == pytest.approx(57.5)
    assert metrics.value("plan_budget", summary)[0] == pytest.approx(50_000.0)
    assert metrics.fmt("plan_budget", 50_000.0) == "50,000"


def test_touchpoint_scores_and_answers_equal_raw_means(con):
    row = q.monthly_inputs(con, Scope(), OCT, OCT).iloc[0].to_dict()
    where, params = month_where(None, OCT)
    cols = ", ".join(f"avg(tp_{k})" for k in TP_KEYS)
    raw = con.execute(
        f"SELECT count(*), {cols} FROM responses WHERE {where}",
        params,
    ).fetchall()[0]
    assert metrics.value("answers", row) == (raw[0], raw[0])
    for k, mean in zip(TP_KEYS, raw[1:], strict=True):
        assert metrics.value(f"tp_{k}", row)[0] == pytest.approx(mean), k
    assert metrics.value("answers", month_row()) == (None, 0)  # no answers: no data


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_segments_cards_name_the_shares_as_the_registry_does(lang):
    """The segments page's cards read "Promoters" and "Detractors" for the shares the
    overview and the registry call "Promoter share" and "Detractor share" (and the
    segments' reasons table calls a count "Detractors")."""
    for seg, key in (("promoter", "promoters"), ("detractor", "detractors")):
        assert i18n.t(f"seg.share.{seg}", lang) == i18n.t(f"metric.{key}.label", lang)
