"""cx.analysis (CJI / importance helpers) and cx.queries.heatmap, against hand cases,
cx.stats and independent SQL / pandas over the raw ``responses``."""

from __future__ import annotations

import math
import re
import warnings
from datetime import date

import numpy as np
import pandas as pd
import pytest

from cx import analysis, stats
from cx.enums import TP_KEYS
from cx.queries import heatmap as q
from cx.scope import Scope
from tests.support import raw_cji, raw_tp_means

WINDOW = Scope(start=date(2025, 8, 3), end=date(2025, 10, 31))


def _tp_row(key="S1", means=None, n=20, **extra):
    row = {"store_id": key, "store_name": key, "n": n, **extra}
    for tp in TP_KEYS:
        m = (means or {}).get(tp)
        row[f"tp_{tp}_n"] = 0 if m is None else n
        row[f"tp_{tp}_sum"] = 0.0 if m is None else m * n
        row[f"tp_{tp}_sumsq"] = 0.0 if m is None else m * m * n
    return row


# --------------------------------------------------------------------------- CJI table


def test_cji_hand_case_755_and_weakest():
    means = dict(zip(TP_KEYS, [9, 7, 8, 5, 9, 6, 8], strict=True))
    out = analysis.cji_table(pd.DataFrame([_tp_row(means=means)]), stats.CJI_WEIGHTS)
    r = out.iloc[0]
    assert r["cji"] == pytest.approx(7.55)
    assert r["weakest"] == "waiting"
    assert r["waiting"] == 5 and r["waiting_n"] == 20 and r["tp_n"] == 20
    assert math.isnan(r["cji_chg"])


def test_cji_renormalises_missing_touchpoints_and_custom_weights():
    means = dict(zip(TP_KEYS, [9, 7, 8, 5, 9, 6, None], strict=True))
    out = analysis.cji_table(pd.DataFrame([_tp_row(means=means)]), stats.CJI_WEIGHTS)
    assert out.iloc[0]["cji"] == pytest.approx((7.55 - 0.05 * 8) / 0.95)
    assert math.isnan(out.iloc[0]["follow_up"])
    equal = dict.fromkeys(TP_KEYS, 1 / 7)
    out = analysis.cji_table(pd.DataFrame([_tp_row(means=means)]), equal)
    assert out.iloc[0]["cji"] == pytest.approx((9 + 7 + 8 + 5 + 9 + 6) / 6)
    empty = analysis.cji_table(pd.DataFrame([_tp_row(means={})]), stats.CJI_WEIGHTS)
    assert math.isnan(empty.iloc[0]["cji"]) and empty.iloc[0]["weakest"] is None


def test_changes_against_previous_period():
    cur = pd.DataFrame(
        [_tp_row("A", dict.fromkeys(TP_KEYS, 8.0)), _tp_row("B", dict.fromkeys(TP_KEYS, 7.0))]
    )
    prev = pd.DataFrame([_tp_row("A", dict.fromkeys(TP_KEYS, 7.5))])
    out = analysis.cji_table(cur, stats.CJI_WEIGHTS, prev).set_index("store_id")
    assert out.loc["A", "waiting_chg"] == pytest.approx(0.5)
    assert out.loc["A", "cji_chg"] == pytest.approx(0.5)
    assert math.isnan(out.loc["B", "cji_chg"])


def test_a_mean_on_fewer_than_ten_ratings_on_either_side_is_not_compared():
    """QD01 on one day: a CJI on 2 ratings showed a change of +1.51 beside its '—' rank."""
    few = stats.MIN_N - 1
    cur = pd.DataFrame(
        [
            _tp_row("few_now", dict.fromkeys(TP_KEYS, 9.0), n=few),
            _tp_row("few_before", dict.fromkeys(TP_KEYS, 9.0)),
            _tp_row("enough", dict.fromkeys(TP_KEYS, 9.0), n=stats.MIN_N),
        ]
    )
    prev = pd.DataFrame(
        [
            _tp_row("few_now", dict.fromkeys(TP_KEYS, 7.5)),
            _tp_row("few_before", dict.fromkeys(TP_KEYS, 7.5), n=few),
            _tp_row("enough", dict.fromkeys(TP_KEYS, 7.5), n=stats.MIN_N),
        ]
    )
    out = analysis.cji_table(cur, stats.CJI_WEIGHTS, prev).set_index("store_id")
    for store in ("few_now", "few_before"):
        assert math.isnan(out.loc[store, "cji_chg"]), store
        assert math.isnan(out.loc[store, "waiting_chg"]), store
    assert out.loc["enough", "cji_chg"] == pytest.approx(1.5)
    assert out.loc["enough", "waiting_chg"] == pytest.approx(1.5)


def test_rank_by_cji_puts_small_samples_last():
    rows = [
        _tp_row("A", dict.fromkeys(TP_KEYS, 8.0)),
        _tp_row("B", dict.fromkeys(TP_KEYS, 9.0)),
        _tp_row("C", dict.fromkeys(TP_KEYS, 9.5), n=stats.MIN_N - 1),
        _tp_row("D", dict.fromkeys(TP_KEYS, 6.0)),
    ]
    table = analysis.cji_table(pd.DataFrame(rows), stats.CJI_WEIGHTS)
    best = analysis.rank_by_cji(table, "cji_desc")
    assert list(best["store_id"]) == ["B", "A", "D", "C"]
    assert list(best["rank"].fillna(0)) == [1, 2, 3, 0]
    worst = analysis.rank_by_cji(table, "cji_asc")
    assert list(worst["store_id"]) == ["D", "A", "B", "C"]
    assert list(analysis.rank_by_cji(table, "store")["store_id"]) == ["A", "B", "C", "D"]


def test_weights_from_percent():
    default = {tp: 100 * w for tp, w in stats.CJI_WEIGHTS.items()}
    assert analysis.weights_from_percent(default) == pytest.approx(stats.CJI_WEIGHTS)
    assert analysis.weights_from_percent({**default, "waiting": 25.0}) is None  # 110 %
    assert analysis.weights_from_percent({**default, "waiting": -5.0, "delivery": 30.0}) is None
    # fractions summing to 1 are not percentages
    assert analysis.weights_from_percent(stats.CJI_WEIGHTS) is None


# --------------------------------------------------------------------------- importance


def test_pseudo_sample_reproduces_the_correlation_matrix():
    rng = np.random.default_rng(7)
    x = rng.normal(size=(500, 4)) @ rng.normal(size=(4, 4))
    corr = pd.DataFrame(np.corrcoef(x, rowvar=False), columns=list("abcd"), index=list("abcd"))
    sample = analysis.pseudo_sample(corr)
    assert np.allclose(np.corrcoef(sample.to_numpy(), rowvar=False), corr.to_numpy())


def _moments(data: pd.DataFrame, names: list[str]) -> pd.DataFrame:
    """One group's moments of ``data`` (as cx.queries.heatmap.touchpoint_moments sums)."""
    row = {"n": len(data)} | {f"s|{v}": data[v].sum() for v in names}
    row |= {f"x|{a}|{b}": (data[a] * data[b]).sum() for i, a in enumerate(names) for b in names[i:]}
    return pd.DataFrame([row])


def test_importance_equals_relative_weights_on_raw_data():
    rng = np.random.default_rng(3)
    n = 400
    x = pd.DataFrame(rng.normal(size=(n, 3)), columns=["a", "b", "c"])
    x["b"] += 0.6 * x["a"]
    y = 2 * x["a"] + 1 * x["b"] + 0.2 * x["c"] + rng.normal(size=n)
    raw, r2 = stats.relative_weights(x, y)
    names = ["nps", "a", "b", "c"]
    data = pd.concat([y.rename("nps"), x], axis=1)
    corr, count = analysis.moments_corr(_moments(data, names), names)
    assert count == n and corr.to_numpy() == pytest.approx(data.corr().to_numpy())
    imp, r2b = analysis.importance(corr)
    assert r2b == pytest.approx(r2)
    assert imp.sum() == pytest.approx(100.0)
    assert list(imp.round(6)) == list((100 * raw / raw.sum()).round(6))


def test_constant_predictor_gets_zero_importance():
    names = ["nps", "a", "b"]
    rng = np.random.default_rng(5)
    a = rng.normal(size=300)
    data = pd.DataFrame({"nps": a + rng.normal(size=300), "a": a, "b": 7.0})
    m, _ = analysis.moments_corr(_moments(data, names), names)
    assert m.loc["b", "b"] == 0 and m.loc["a", "a"] == 1 and m.loc["nps", "b"] == 0
    imp, r2 = analysis.importance(m)
    assert imp["b"] == 0 and imp["a"] == pytest.approx(100.0)
    assert r2 == pytest.approx(np.corrcoef(data["nps"], a)[0, 1] ** 2)
    flat = data.assign(nps=9.0)  # nothing to explain
    none, r2 = analysis.importance(analysis.moments_corr(_moments(flat, names), names)[0])
    assert none.isna().all()


@pytest.mark.parametrize(
    ("imp", "perf", "zone"),
    [
        (20, 7.0, "concentrate"),
        (20, 9.0, "keep_up"),
        (5, 7.0, "low_priority"),
        (5, 9.0, "overkill"),
        (math.nan, 8, None),
    ],
)
def test_ipa_zones(imp, perf, zone):
    assert analysis.ipa_zone(imp, perf, 14.3, 8.0) == zone


def test_ipa_table_cuts_and_gaps():
    imp = pd.Series([30, 10, 10, 10, 20, 10, 10], index=TP_KEYS, dtype=float)
    perf = pd.Series([7, 8, 9, 7, 9, 8, 8], index=TP_KEYS, dtype=float)
    table, imp_cut, perf_cut = analysis.ipa_table(imp, perf, stats.CJI_WEIGHTS)
    assert imp_cut == pytest.approx(100 / 7) and perf_cut == pytest.approx(8.0)
    t = table.set_index("touchpoint")
    assert (
        t.loc["appointment", "zone"] == "concentrate"
        and t.loc["repair_quality", "zone"] == "keep_up"
    )
    assert t.loc["waiting", "zone"] == "low_priority" and t.loc["advisor", "zone"] == "overkill"
    assert t.loc["appointment", "gap"] == pytest.approx(20.0)  # 30 % vs 10 %
    assert t["weight"].sum() == pytest.approx(100.0)


# --------------------------------------------------------------------------- queries


def test_store_sums_match_raw_responses(con):
    got = analysis.cji_table(q.store_sums(con, WINDOW), stats.CJI_WEIGHTS).set_index("store_id")
    raw = raw_tp_means(con, WINDOW)
    assert sorted(got.index) == sorted(raw.index)
    for sid, r in raw.iterrows():
        for tp in TP_KEYS:
            assert got.loc[sid, f"{tp}_n"] == r[f"{tp}_n"]
            assert got.loc[sid, tp] == pytest.approx(r[tp])
        assert got.loc[sid, "cji"] == pytest.approx(raw_cji(r))
        means = {tp: r[tp] for tp in TP_KEYS}
        assert got.loc[sid, "weakest"] == min(means, key=means.get)


def test_network_performance_matches_raw(con):
    perf = analysis.network_performance(q.store_sums(con, WINDOW))
    sql = ", ".join(f"avg(tp_{tp})" for tp in TP_KEYS)
    raw = con.execute(
        f"SELECT {sql} FROM responses WHERE CAST(responded_at AS DATE) BETWEEN ? AND ?",
        [WINDOW.start, WINDOW.end],
    ).fetchall()[0]
    assert list(perf) == pytest.approx(list(raw))


def test_store_weeks_match_raw_responses(con):
    flt = Scope(start=date(2025, 9, 1), end=date(2025, 10, 31))
    got = analysis.cji_table(q.store_weeks(con, flt, "HZ01"), stats.CJI_WEIGHTS, key="week")
    raw = raw_tp_means(con, Scope(stores=("HZ01",), start=flt.start, end=flt.end), "week")
    assert [pd.Timestamp(w) for w in got["week"]] == [pd.Timestamp(w) for w in raw.index]
    for g, (_, r) in zip(got.to_dict("records"), raw.iterrows(), strict=True):
        assert g["n"] == r["n"]
        assert g["cji"] == pytest.approx(raw_cji(r))


def test_importance_from_the_moments_equals_relative_weights_on_raw_rows(con):
    flt = Scope(regions=("华东",), start=WINDOW.start, end=WINDOW.end)
    cols = ", ".join(f"tp_{tp}" for tp in TP_KEYS)
    raw = con.execute(
        f"SELECT nps, {cols} FROM responses WHERE CAST(responded_at AS DATE) BETWEEN ? AND ?"
        " AND store_id IN (SELECT store_id FROM stores WHERE region = '华东')",
        [flt.start, flt.end],
    ).df()
    complete = raw.dropna()
    corr, n = analysis.moments_corr(q.touchpoint_moments(con, flt), q.CORR_VARS)
    assert n == len(complete) > 100
    raw_corr = complete.rename(columns=lambda c: c[3:] if c.startswith("tp_") else c).corr()
    assert corr.to_numpy() == pytest.approx(raw_corr.loc[q.CORR_VARS, q.CORR_VARS].to_numpy())
    x = complete.drop(columns="nps").rename(columns=lambda c: c[3:])
    weights, r2 = stats.relative_weights(x, complete["nps"])
    imp, r2b = analysis.importance(corr)
    assert r2b == pytest.approx(r2, abs=1e-9)
    assert list(imp) == pytest.approx(list(100 * weights / weights.sum()), abs=1e-6)


def test_bootstrap_importance_point_is_the_raw_weights_and_intervals_cover_it(con):
    flt = Scope(regions=("华东",), start=WINDOW.start, end=WINDOW.end)
    cols = ", ".join(f"tp_{tp}" for tp in TP_KEYS)
    complete = (
        con.execute(
            f"SELECT nps, {cols} FROM responses WHERE CAST(responded_at AS DATE) BETWEEN ? AND ?"
            " AND store_id IN (SELECT store_id FROM stores WHERE region = '华东')",
            [flt.start, flt.end],
        )
        .df()
        .dropna()
    )
    x = complete.drop(columns="nps").rename(columns=lambda c: c[3:])
    weights, _ = stats.relative_weights(x, complete["nps"])
    moments = q.touchpoint_moments(con, flt)
    assert moments["n"].sum() == len(complete)
    boot = analysis.bootstrap_importance(moments, q.CORR_VARS).set_index("touchpoint")
    expected = 100 * weights / weights.sum()
    assert list(boot["importance"]) == pytest.approx(list(expected), abs=1e-6)
    assert (boot["low"] <= boot["importance"]).all() and (boot["importance"] <= boot["high"]).all()
    assert (boot["high"] - boot["low"] > 0).all()
    # the same seed gives the same intervals (the page does not flicker)
    again = analysis.bootstrap_importance(moments, q.CORR_VARS).set_index("touchpoint")
    pd.testing.assert_frame_equal(boot, again)


def test_the_bootstrap_solves_every_draw_at_once_as_it_would_one_by_one(con):
    """The draws are solved as one stack of matrices; each equals its own solve, also
    with a constant touchpoint (weight 0) and with draws too small to correlate."""
    flt = Scope(regions=("华东",), start=WINDOW.start, end=WINDOW.end)
    moments = q.touchpoint_moments(con, flt)
    constant = moments.assign(**{c: 0.0 for c in moments.columns if "waiting" in c})
    tiny = moments.head(3).assign(n=1)
    for m in (moments, constant, tiny):
        got = analysis.bootstrap_importance(m, q.CORR_VARS, draws=60, seed=3)
        rows = m[analysis._moment_columns(q.CORR_VARS)].to_numpy(dtype=float)
        rng = np.random.default_rng(3)
        draws = rng.multinomial(len(rows), np.full(len(rows), 1.0 / len(rows)), size=60)
        one_by_one = []
        for w in draws:
            r = analysis._corr_from_moments(w @ rows, q.CORR_VARS)
            raw, r2 = (None, None) if r is None else analysis._johnson(r)
            ok = r2 is not None and r2 > 0
            one_by_one.append(100 * raw / r2 if ok else np.full(len(q.CORR_VARS) - 1, np.nan))
        with warnings.catch_warnings():  # a touchpoint no draw can weigh: NaN
            warnings.simplefilter("ignore", RuntimeWarning)
            low = np.nanpercentile(np.array(one_by_one), 2.5, axis=0)
        np.testing.assert_allclose(got["low"], low, rtol=1e-9, atol=1e-9)
    assert (got["low"].isna()).all()  # three answers in all: nothing to bootstrap
    waiting = analysis.bootstrap_importance(constant, q.CORR_VARS).set_index("touchpoint")
    assert waiting.loc["waiting", ["importance", "low", "high"]].tolist() == [0.0, 0.0, 0.0]


def test_weight_verdicts_only_when_the_interval_excludes_the_weight():
    boot = pd.DataFrame(
        {
            "touchpoint": ["a", "b", "c", "d"],
            "low": [30.0, 2.0, 18.0, math.nan],
            "high": [40.0, 8.0, 26.0, math.nan],
        }
    )
    weights = {"a": 0.25, "b": 0.25, "c": 0.25, "d": 0.25}  # 25 % each
    got = analysis.weight_verdicts(boot, weights)
    assert got.to_dict() == {"a": "stronger", "b": "weaker", "c": "consistent", "d": None}


def test_empty_filters_give_empty_frames(con):
    flt = Scope(stores=("nope",), start=WINDOW.start, end=WINDOW.end)
    assert q.store_sums(con, flt).empty
    corr, n = analysis.moments_corr(q.touchpoint_moments(con, flt), q.CORR_VARS)
    assert n == 0 and not corr.to_numpy().any()
    assert q.store_weeks(con, WINDOW, "nope").empty


def test_both_windows_read_together_equal_each_alone(con):
    """The heatmap's window and the one before it, summed per store in one read, are each
    exactly the frame of its own query, for the network, a region and a store."""
    prev = Scope(start=date(2025, 5, 5), end=date(2025, 8, 2))
    region = con.execute("SELECT region FROM stores WHERE store_id = 'HZ01'").fetchall()[0][0]
    for places in ({}, {"regions": (region,)}, {"stores": ("HZ01",)}):
        cur = Scope(**places, start=WINDOW.start, end=WINDOW.end)
        before = Scope(**places, start=prev.start, end=prev.end)
        got = q.store_sums_pair(con, cur, before)
        assert len(got[0]) and len(got[1])
        pd.testing.assert_frame_equal(got[0], q.store_sums(con, cur))
        pd.testing.assert_frame_equal(got[1], q.store_sums(con, before))


def test_a_change_that_rounds_to_nothing_has_no_sign():
    """The grid's tooltips said 'Change -0.00' and '+0.00'."""
    from cx.charts.heatmap import _fmt_chg

    assert [_fmt_chg(x) for x in (-0.004, 0.0, 0.004, 0.006, -0.006)] == [
        "0.00", "0.00", "0.00", "+0.01", "-0.01"
    ]  # fmt: skip


def _grid(means: dict[str, list[float]]):
    """A heatmap's table of stores (id -> the seven touchpoints' means, then the CJI)."""
    from cx.enums import TP_KEYS

    rows = []
    for store, values in means.items():
        row = {"store_id": store, "label": store, "cji": values[-1], "tp_n": 100}
        row |= {tp: v for tp, v in zip(TP_KEYS, values, strict=False)}
        row |= {f"{tp}_n": 100 for tp in TP_KEYS}
        rows.append(row)
    return pd.DataFrame(rows)


def _colour_scale_and_ink(spec: dict) -> tuple[list[float], str]:
    layers = spec["layer"]
    rect = next(lay for lay in layers if lay["mark"] in ("rect", {"type": "rect"}))
    text = next(lay for lay in layers if lay["mark"]["type"] == "text")
    return rect["encoding"]["color"]["scale"]["domain"], text["encoding"]["color"]


def test_one_stores_close_scores_are_not_coloured_from_red_to_green():
    """HZ01 alone, every touchpoint 8.57-8.66: the colour scale ran over those 0.09 points,
    so its 8.57 read red beside the network grid's green for the same score. The scale
    spans at least a point; a wide grid keeps its own range."""
    from cx.charts.heatmap import MIN_SPAN, heatmap

    close = _grid({"HZ01": [8.57, 8.6, 8.61, 8.62, 8.63, 8.64, 8.66, 8.62]})
    spec = heatmap(close, "store_id", "label", "en", "Store").to_dict()
    (lo, hi), ink = _colour_scale_and_ink(spec)
    assert hi - lo == pytest.approx(MIN_SPAN) and lo < 8.57 and hi > 8.66
    wide = _grid({"A": [6.5, 7, 7.5, 8, 8.5, 9, 9.5, 8], "B": [7, 7, 7, 7, 7, 7, 7, 7]})
    (lo, hi), ink = _colour_scale_and_ink(
        heatmap(wide, "store_id", "label", "en", "Store").to_dict()
    )
    assert (lo, hi) == (6.5, 9.5)
    # figures in white on the darkest ends of the scale, black between
    assert ink["condition"]["value"] == "white" and ink["value"] == "black"
    below, above = map(
        float,
        re.fullmatch(
            r"datum\.mean < (\S+) \|\| datum\.mean > (\S+)", ink["condition"]["test"]
        ).groups(),
    )
    # white only where it reads better than black: the darkest reds and greens (white on
    # the mid-green of 8.86 in a 6.5-9.5 grid read at 2.6:1)
    for mean, white in ((6.6, True), (6.9, False), (8.0, False), (8.86, False), (9.4, True)):
        assert (mean < below or mean > above) is white, (mean, below, above)
