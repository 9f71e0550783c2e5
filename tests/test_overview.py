"""CX overview arithmetic (pure), its queries against raw answers, and metric targets."""

from __future__ import annotations

import math
from datetime import date

import numpy as np
import pandas as pd
import pytest

from cx import db, metric_targets, metrics, overview, queries, stats
from cx.queries import cx_overview as q
from cx.scope import Scope
from tests.support import OCT, SEP, month_row, month_where, raw_month_figures

# --------------------------------------------------------------------------- pure: tests


def _z_p(z: float) -> float:
    return math.erfc(abs(z) / math.sqrt(2))


def test_proportion_change_hand_computed():
    # 60/100 vs 40/100: pooled 0.5, se = sqrt(0.25 * 0.02), z = 0.2 / se = 2.828
    cur, prev = month_row(csat_n=100, csat_top2=60), month_row(csat_n=100, csat_top2=40)
    ch = overview.metric_change("csat", cur, prev)
    assert ch.diff == pytest.approx(0.2)
    assert ch.z == pytest.approx(0.2 / math.sqrt(0.25 * 0.02))
    assert ch.p == pytest.approx(_z_p(2.8284271), rel=1e-5)
    assert ch.real and ch.direction == "up" and ch.better


def test_too_few_answers_is_never_real():
    cur, prev = month_row(csat_n=9, csat_top2=9), month_row(csat_n=9, csat_top2=0)
    ch = overview.metric_change("csat", cur, prev)
    assert ch.p < 0.001
    assert not ch.real


def test_ces_mean_change_lower_is_better():
    # month 1: mean 2.0, var 1 (n 100) -> sumsq = 99 * 1 + 100 * 4 = 499
    # month 2: mean 2.5, var 1 (n 100) -> sumsq = 99 + 100 * 6.25 = 724
    cur = month_row(ces_n=100, ces_sum=200.0, ces_sumsq=499.0)
    prev = month_row(ces_n=100, ces_sum=250.0, ces_sumsq=724.0)
    ch = overview.metric_change("ces", cur, prev)
    assert ch.diff == pytest.approx(-0.5)
    assert ch.z == pytest.approx(-0.5 / math.sqrt(0.02))
    assert ch.real and ch.direction == "down"
    assert ch.better is True  # CES going down is an improvement
    back = overview.metric_change("ces", prev, cur)
    assert back.direction == "up" and back.better is False


def test_nps_change_hand_computed():
    # cur (d, pa, p) = (10, 20, 70): NPS 60, v = .7 + .1 - .6^2 = .44
    # prev (20, 30, 50): NPS 30, v = .5 + .2 - .3^2 = .61
    cur, prev = month_row(n=100, d=10, pa=20, p=70), month_row(n=100, d=20, pa=30, p=50)
    ch = overview.metric_change("nps", cur, prev)
    se = 100 * math.sqrt(0.44 / 100 + 0.61 / 100)
    assert ch.diff == pytest.approx(30.0)
    assert ch.z == pytest.approx(30.0 / se)
    assert ch.real


def test_index_change_uses_the_conservative_standard_error():
    # two touchpoints: appointment (w .10) and repair_quality (w .25) -> 2/7 and 5/7
    def month(mean_a, mean_r):
        # n 50 each, variance 4: sumsq = 49 * 4 + 50 * mean^2
        return month_row(
            tp_appointment_n=50,
            tp_appointment_sum=50 * mean_a,
            tp_appointment_sumsq=49 * 4 + 50 * mean_a**2,
            tp_repair_quality_n=50,
            tp_repair_quality_sum=50 * mean_r,
            tp_repair_quality_sumsq=49 * 4 + 50 * mean_r**2,
        )

    cur, prev = month(8.0, 8.0), month(7.0, 7.0)
    ch = overview.metric_change("cji", cur, prev)
    se_month = (2 / 7) * math.sqrt(4 / 50) + (5 / 7) * math.sqrt(4 / 50)  # = sqrt(0.08)
    assert ch.diff == pytest.approx(1.0)
    assert ch.z == pytest.approx(1.0 / math.sqrt(2 * se_month**2))
    assert ch.real


def test_quantile_change_uses_moods_test_and_needs_agreement():
    cur = month_row(wait_n=100, wait_median=100.0)
    prev = month_row(wait_n=100, wait_median=80.0)
    split = pd.DataFrame(
        {"cur": [False, True], "n": [100, 100], "above50": [35, 65], "above90": [10, 10]}
    )
    ch = overview.metric_change("wait_median", cur, prev, split)
    assert ch.z == pytest.approx(0.3 / math.sqrt(0.25 * 0.02))
    assert ch.real and ch.direction == "up" and ch.better is False
    # same counts, but the median fell: the split disagrees, so not called real
    ch2 = overview.metric_change("wait_median", prev, cur, split)
    assert not ch2.real
    # p90: no shift above the pooled p90 -> not real
    cur90, prev90 = month_row(wait_n=100, wait_p90=200.0), month_row(wait_n=100, wait_p90=190.0)
    assert not overview.metric_change("wait_p90", cur90, prev90, split).real
    # no split at all -> a change without a verdict
    assert not overview.metric_change("wait_median", cur, prev, None).real


def test_no_answers_last_month_gives_no_change():
    ch = overview.metric_change("csat", month_row(csat_n=50, csat_top2=40), month_row())
    assert ch.diff is None and not ch.real
    assert "上月无数据" in overview.change_text("csat", ch, "zh")


# --------------------------------------------------------------------------- pure: states, texts


def test_state_honours_direction_and_missing():
    assert overview.state(1.8, 2.0, False) == "green"  # CES below target is good
    assert overview.state(2.05, 2.0, False) == "amber"
    assert overview.state(2.5, 2.0, False) == "red"
    assert overview.state(0.95, 0.9, True) == "green"
    assert overview.state(None, 0.9, True) == "no_data"
    assert overview.state(0.5, None, True) == "no_target"


def test_change_text_bold_only_beyond_noise_and_green_when_ces_falls():
    real_down = overview.Change(-0.3, -4.0, 0.0001, True, "down", True)
    text = overview.change_text("ces", real_down, "en")
    assert text.startswith("**:green[▼") and "−0.30" in text and "beyond noise" in text
    noise_down = overview.Change(-0.3, -1.0, 0.3, False, "down", True)
    text = overview.change_text("ces", noise_down, "en")
    assert "**" not in text and text.startswith(":gray[▽") and "within noise" in text
    worse = overview.Change(0.03, 3.0, 0.003, True, "up", False)
    assert overview.change_text("wait_over_2h", worse, "en").startswith("**:red[▲ +3.0 pp")


def test_a_change_that_shows_as_zero_is_flat_not_a_fall():
    """HZ01's CSAT in September, 0.04 pp below August, read '▽ −0.0 pp (within noise)'."""
    tiny = overview.Change(-0.0004, -0.1, 0.9, False, "down", False)
    text = overview.change_text("csat", tiny, "zh")
    assert text == ":gray[→ 较上月 ±0.0 个百分点（在正常波动内）]"
    small = overview.Change(-0.004, -0.5, 0.6, False, "down", False)  # 0.4 pp: still shown
    assert overview.change_text("csat", small, "en").startswith(":gray[▽ −0.4 pp")


def test_badge_says_the_state_in_words():
    for state in ("green", "amber", "red", "no_data", "no_target"):
        for lang in ("zh", "en"):
            text = overview.badge(state, lang)
            assert "-badge[" in text
            assert overview.i18n.t(f"ov.state.{state}", lang) in text
    assert overview.badge("red", "en").startswith(":red-badge[")


def _card(key, z, real=True, direction="up", better=True, value=1.0, prev=0.9):
    ch = overview.Change(value - prev, z, 0.0 if real else 0.5, real, direction, better)
    return overview.MetricCard(key, value, 100, None, "no_target", prev, 100, ch)


def test_what_moved_takes_the_three_clearest_real_changes_one_per_family():
    cards = [
        _card("nps", 5.0, value=60.0, prev=50.0),
        _card("promoters", 6.0, value=0.7, prev=0.6),  # same family as NPS, stronger
        _card("csat", 3.0, value=0.9, prev=0.85),
        _card("ces", -2.5, direction="down", better=True, value=2.0, prev=2.2),
        _card("ftf", 10.0, real=False),  # not real: never listed
    ]
    tp = overview.TouchpointCard(
        "waiting",
        7.5,
        100,
        7.0,
        100,
        overview.Change(0.5, 4.0, 0.0001, True, "up", True),
    )
    out = overview.what_moved(cards, [tp], "en")
    assert len(out) == 3
    assert out[0].startswith("Promoter share improved: up 10.0 pp to 70.0%")
    assert out[1].startswith("Touchpoint 'Waiting' improved: up 0.50 to 7.50")
    assert out[2].startswith("CSAT improved")
    zh = overview.what_moved(cards, [tp], "zh")
    assert zh[0].startswith("推荐者占比改善：上升 10.0 个百分点")
    assert zh[1].startswith("触点“等待”改善：上升 0.50，至 7.50")
    assert zh[2].startswith("满意度 CSAT 改善：")  # a Latin name keeps a space before Chinese
    assert overview.what_moved([_card("csat", 1.0, real=False)], [], "en") == []


def test_touchpoint_line_says_flat_within_noise():
    """Each score with the registry's two decimals, as the heatmap and 'what moved' write
    it (the line read 'Waiting 8.2' beside their 8.19)."""
    cards = [
        overview.TouchpointCard("appointment", 9.2, 100, 9.0, 100, overview.Change(0.2, 3.0, 0.003, True, "up", True)),
        overview.TouchpointCard("waiting", 8.19, 100, 8.1, 100, overview.Change(0.09, 0.5, 0.6, False, "up", True)),
        overview.TouchpointCard("delivery", None, 0, None, 0, overview.NO_CHANGE),
    ]  # fmt: skip
    line = overview.touchpoint_line(cards, "en")
    assert line == "Appointment 9.20 ↑ up, Waiting 8.19 → flat, Delivery no data"
    zh = overview.touchpoint_line(cards, "zh")
    assert zh == "预约 9.20 ↑ 上升，等待 8.19 → 持平，交车 无数据"
    # a store's first month: nothing to compare with, not "flat … within noise"
    first = [overview.TouchpointCard("waiting", 7.5, 100, None, 0, overview.NO_CHANGE)]
    assert overview.touchpoint_line(first, "en") == "Waiting 7.50 (no last month)"
    assert overview.touchpoint_line(first, "zh") == "等待 7.50（上月无数据）"


# --------------------------------------------------------------------------- queries vs raw answers


@pytest.mark.parametrize("store", ["HZ01", None])
def test_monthly_inputs_match_raw_answers(con, store):
    scope = Scope((), (store,) if store else ())
    monthly = q.monthly_inputs(con, scope, q.add_months(OCT, -11), OCT)
    assert list(monthly["month"]) == [q.add_months(OCT, k) for k in range(-11, 1)]
    row = overview.row_for(monthly, OCT)
    exp = raw_month_figures(con, *month_where(store, OCT))
    assert row["n"] == exp["n"]
    for key in metrics.METRICS:
        if key in ("cji", "csi"):
            continue
        assert metrics.value(key, row)[0] == pytest.approx(exp[key], rel=1e-9), key
    _, var = metrics.mean_var(row["ces_sum"], row["ces_sumsq"], row["ces_n"])
    assert var == pytest.approx(exp["ces_var"])


def test_cji_and_csi_match_raw_answers(con):
    where, params = month_where("HZ01", OCT)
    tp = dict(stats.CJI_WEIGHTS)
    means = con.execute(
        "SELECT " + ", ".join(f"avg(tp_{k})" for k in tp) + f" FROM responses WHERE {where}",
        params,
    ).fetchall()[0]
    cji = sum(w * m for w, m in zip(tp.values(), means, strict=True)) / sum(tp.values())
    dims = dict(stats.CSI_WEIGHTS)
    cmeans = con.execute(
        "SELECT " + ", ".join(f"avg(csi_{k})" for k in dims) + f" FROM responses WHERE {where}",
        params,
    ).fetchall()[0]
    csi = 100 * sum(w * m for w, m in zip(dims.values(), cmeans, strict=True)) / sum(dims.values())
    monthly = q.monthly_inputs(con, Scope((), ("HZ01",)), SEP, OCT)
    row = overview.row_for(monthly, OCT)
    assert metrics.value("cji", row)[0] == pytest.approx(cji)
    assert metrics.value("csi", row)[0] == pytest.approx(csi)


def test_hz01_story_figures(con):
    monthly = q.monthly_inputs(con, Scope((), ("HZ01",)), SEP, OCT)
    # the story's figures, as rounded on the board: Sep 72.0, Oct 77.52
    assert round(metrics.value("nps", overview.row_for(monthly, SEP))[0], 1) == 72.0
    assert round(metrics.value("nps", overview.row_for(monthly, OCT))[0], 2) == 77.52
    assert q.nps_target(con, Scope((), ("HZ01",)), OCT) == 77.0


def test_region_scope_and_a_month_without_answers(con):
    region = queries.stores(con)["region"].iloc[0]
    scope = Scope((region,), ())
    future = date(2026, 1, 1)
    monthly = q.monthly_inputs(con, scope, OCT, future)
    empty = overview.row_for(monthly, future)
    assert empty["n"] == 0 and pd.isna(empty["wait_median"])
    for key in metrics.METRICS:
        assert metrics.value(key, empty)[0] is None
    n_raw = queries.scalar(
        con,
        "SELECT count(*) FROM responses r JOIN stores s USING (store_id)"
        " WHERE s.region = ? AND responded_at >= ? AND responded_at < ?",
        [region, OCT, date(2025, 11, 1)],
    )
    assert overview.row_for(monthly, OCT)["n"] == n_raw


def test_quantile_split_counts_above_the_pooled_quantiles(con):
    split = q.quantile_split(con, Scope((), ("HZ01",)), OCT)
    waits = con.execute(
        "SELECT wait_minutes, responded_at >= ? FROM responses WHERE store_id = 'HZ01'"
        " AND responded_at >= ? AND responded_at < ? AND wait_minutes IS NOT NULL",
        [OCT, SEP, date(2025, 11, 1)],
    ).fetchall()
    w = np.array([r[0] for r in waits])
    cur = np.array([r[1] for r in waits])
    q50, q90 = np.median(w), np.percentile(w, 90)
    got = split.set_index("cur")
    assert got.loc[True, "n"] == cur.sum()
    assert got.loc[True, "above50"] == np.sum((w > q50) & cur)
    assert got.loc[False, "above90"] == np.sum((w > q90) & ~cur)


def test_nps_target_is_answer_weighted_with_star_fallback(con):
    stores = ("HZ01", "HZ02")
    rows = con.execute(
        "SELECT r.store_id, count(*), t.nps_target FROM responses r JOIN targets t"
        " ON t.store_id = r.store_id AND t.month = ? WHERE r.store_id IN (?, ?)"
        " AND responded_at >= ? AND responded_at < ? GROUP BY ALL",
        [OCT, *stores, OCT, date(2025, 11, 1)],
    ).fetchall()
    expected = sum(n * t for _, n, t in rows) / sum(n for _, n, _ in rows)
    assert q.nps_target(con, Scope((), stores), OCT) == pytest.approx(expected)
    # a store without its own row takes the '*' default
    con.execute("DELETE FROM targets WHERE store_id = 'HZ02' AND month = ?", [OCT])
    assert q.nps_target(con, Scope((), ("HZ02",)), OCT) is None
    con.execute("INSERT INTO targets (store_id, month, nps_target) VALUES ('*', ?, 40)", [OCT])
    assert q.nps_target(con, Scope((), ("HZ02",)), OCT) == 40.0


def test_compute_gives_a_card_per_metric_with_states(con):
    scope = Scope((), ("HZ01",))
    monthly = q.monthly_inputs(con, scope, q.add_months(OCT, -11), OCT)
    targets = metric_targets.resolve(q.metric_targets(con), ("HZ01",), 77.0)
    cards = overview.compute(monthly, OCT, targets, q.quantile_split(con, scope, OCT))
    assert [c.key for c in cards] == list(metrics.METRICS)
    nps = cards[0]
    assert nps.target == 77.0 and nps.state == "green"
    sep_nps = metrics.value("nps", overview.row_for(monthly, SEP))[0]
    assert nps.change.diff == pytest.approx(nps.value - sep_nps)
    s = overview.series(monthly)
    assert len(s) == 12 * len(metrics.METRICS)
    assert s[(s.metric == "nps")]["value"].iloc[-1] == pytest.approx(nps.value)


def test_touchpoints_against_raw_answers(con):
    scope = Scope((), ("HZ01",))
    monthly = q.monthly_inputs(con, scope, SEP, OCT)
    cards = overview.touchpoints(monthly, OCT)
    assert len(cards) == 7
    rows = con.execute(
        "SELECT avg(tp_waiting), var_samp(tp_waiting), count(tp_waiting), responded_at >= ?"
        " FROM responses WHERE store_id = 'HZ01' AND responded_at >= ? AND responded_at < ?"
        " GROUP BY ALL",
        [OCT, SEP, date(2025, 11, 1)],
    ).fetchall()
    (m1, v1, n1, _), (m2, v2, n2, _) = sorted(rows, key=lambda r: not r[3])
    waiting = next(c for c in cards if c.key == "waiting")
    assert waiting.mean == pytest.approx(m1) and waiting.prev_mean == pytest.approx(m2)
    z = (m1 - m2) / math.sqrt(v1 / n1 + v2 / n2)
    assert waiting.change.z == pytest.approx(z)
    assert waiting.change.real == (_z_p(z) < 0.05)


# --------------------------------------------------------------------------- metric targets


def test_resolve_prefers_store_then_star_then_default():
    stored = pd.DataFrame(
        {
            "metric": ["csat", "csat", "ces"],
            "store_id": ["HZ01", "*", "*"],
            "target": [0.95, 0.85, 1.8],
        }
    )
    one = metric_targets.resolve(stored, ("HZ01",), 70.0)
    assert one["csat"] == 0.95 and one["ces"] == 1.8 and one["cji"] == 8.5
    assert one["nps"] == 70.0 and one["promoters"] is None
    other = metric_targets.resolve(stored, ("HZ02",))
    assert other["csat"] == 0.85
    many = metric_targets.resolve(stored, ("HZ01", "HZ02"))
    assert many["csat"] == 0.85
    assert metric_targets.resolve(pd.DataFrame(), ())["csat"] == 0.90


def test_save_and_reset_bump_the_data_version(con):
    v0 = db.data_version(con)
    metric_targets.save(con, "csat", "HZ01", 0.95, user="lead")
    assert db.data_version(con) == v0 + 1
    rows = q.metric_targets(con)
    assert rows[["metric", "store_id", "target", "updated_by"]].values.tolist() == [
        ["csat", "HZ01", 0.95, "lead"]
    ]
    metric_targets.save(con, "csat", "HZ01", 0.97)  # replaces, never duplicates
    assert len(q.metric_targets(con)) == 1
    assert q.metric_targets(con)["updated_by"].iloc[0] == "tester"
    metric_targets.reset(con, "csat", "HZ01")
    assert q.metric_targets(con).empty
    assert db.data_version(con) == v0 + 3


@pytest.mark.parametrize(
    ("metric", "target"),
    [("csat", 1.5), ("ces", 9.0), ("nps", 50.0), ("nope", 1.0), ("csat", float("nan"))],
)
def test_invalid_targets_are_refused_and_nothing_changes(con, metric, target):
    v0 = db.data_version(con)
    with pytest.raises(ValueError):
        metric_targets.save(con, metric, "*", target)
    assert db.data_version(con) == v0
    assert q.metric_targets(con).empty


# --------------------------------------------------------------------------- sparkline


def test_sparkline_is_a_valid_altair_chart_and_the_spec_matches():
    from cx.charts import overview as charts

    data = pd.DataFrame(
        {
            "month": pd.date_range("2024-11-01", periods=12, freq="MS"),
            "value": [1.0] * 11 + [math.nan],
        }
    )
    chart = charts.sparkline(data, target=2.0, state="red", digits=2)
    spec = chart.to_dict()  # validates against the Vega-Lite schema
    assert len(spec["layer"]) == 2  # target rule + line
    assert spec["layer"][1]["mark"]["color"] == charts.STATE_COLORS["red"]
    frame, cached = charts.sparkline_spec(data, 2.0, "red", digits=2)
    assert len(frame) == 12 and math.isnan(frame["value"].iloc[-1])  # a month without answers
    assert frame["target"].iloc[0] == 2.0 and frame["target"].iloc[1:].isna().all()  # one rule
    # the cached spec is the same chart as the app converts every chart (cx.charts.to_spec),
    # without its data (passed beside it)
    from cx.charts import to_spec

    full = to_spec(chart)
    full.pop("data"), full.pop("datasets", None)
    assert cached == full
    assert len(charts.sparkline(data, None).to_dict()["layer"]) == 1
