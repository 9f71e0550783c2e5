"""Tests for cx.stats (hand-worked cases and checks from the R package NPS)."""

from __future__ import annotations

import datetime as dt
import math
from fractions import Fraction
from statistics import NormalDist

import numpy as np
import pandas as pd
import pytest

from cx import stats as s

Z95 = NormalDist().inv_cdf(0.975)
PHI = NormalDist().cdf


# --------------------------------------------------------------------------- #
# NPS core
# --------------------------------------------------------------------------- #

# (d, pa, p) -> NPS points, variance, SE (fraction): R package NPS test values
R_NPS_CASES = [
    ((1, 2, 3), 100 / 3, 5 / 9, 0.304),
    ((1, 0, 1), 0.0, 1.0, 0.707),
    ((0, 1, 1), 50.0, 0.25, 0.354),
    ((1, 1, 1), 0.0, 2 / 3, 0.471),
]


@pytest.mark.parametrize(("counts", "score", "var", "se"), R_NPS_CASES)
def test_nps_r_package_checks(counts, score, var, se):
    assert s.nps(*counts) == pytest.approx(score)
    assert round(s.nps(*counts), 2) == round(score, 2)
    assert s.nps_variance(*counts) == pytest.approx(var)
    assert s.nps_se(*counts) == pytest.approx(se, abs=5e-4)


def test_nps_hand_cases():
    assert s.nps(2, 3, 5) == pytest.approx(30.0)
    assert s.nps(0, 0, 4) == 100.0
    assert s.nps(4, 0, 0) == -100.0
    assert s.nps(0, 7, 0) == 0.0
    # 10 detractors, 20 passives, 70 promoters: v = 0.8 - 0.6^2 = 0.44
    assert s.nps_variance(10, 20, 70) == pytest.approx(0.44)
    assert s.nps_se(10, 20, 70) == pytest.approx(math.sqrt(0.44 / 100))
    # all passives or all promoters: zero variance
    assert s.nps_variance(0, 5, 0) == 0.0
    assert s.nps_se(0, 0, 9) == 0.0


def test_nps_empty_is_none_not_zero():
    assert s.nps(0, 0, 0) is None
    assert s.nps_variance(0, 0, 0) is None
    assert s.nps_se(0, 0, 0) is None
    assert s.nps_interval(0, 0, 0) == (None, None)
    for m in ("wald", "adjusted_wald", "score"):
        assert s.nps_interval(0, 0, 0, method=m) == (None, None)


def test_wald_interval_hand_case():
    low, high = s.nps_interval(1, 2, 3, method="wald")
    half = 100 * Z95 * math.sqrt(5 / 9 / 6)
    assert low == pytest.approx(100 / 3 - half)
    assert high == pytest.approx(100 / 3 + half)


def test_wald_interval_level():
    low90, high90 = s.nps_interval(10, 20, 70, method="wald", level=0.90)
    z90 = NormalDist().inv_cdf(0.95)
    assert low90 == pytest.approx(60 - 100 * z90 * math.sqrt(0.0044))
    assert high90 == pytest.approx(60 + 100 * z90 * math.sqrt(0.0044))
    with pytest.raises(ValueError):
        s.nps_interval(1, 1, 1, level=1.5)


def test_adjusted_wald_is_default_and_hand_case():
    # (0, 0, 10) -> adjusted (0.75, 1.5, 10.75), n = 13
    n = 13
    pd_, pp = 0.75 / n, 10.75 / n
    centre = pp - pd_
    se = math.sqrt((pp + pd_ - centre**2) / n)
    low, high = s.nps_interval(0, 0, 10)
    assert (low, high) == s.nps_interval(0, 0, 10, method="adjusted_wald")
    assert low == pytest.approx(100 * (centre - Z95 * se))
    assert high == 100.0  # clipped (unclipped would be above 100)
    assert 100 * (centre + Z95 * se) > 100


def test_wald_degenerate_and_clipping():
    assert s.nps_interval(0, 0, 10, method="wald") == (100.0, 100.0)
    low, high = s.nps_interval(1, 0, 1, method="wald")
    assert low == -100.0 and high == 100.0  # +/- 138.6 clipped


def test_unknown_method():
    with pytest.raises(ValueError):
        s.nps_interval(1, 1, 1, method="bogus")


def _constrained_var_numeric(d, pa, p, theta):
    """Per-answer variance at the constrained MLE, found by brute-force search."""
    n = d + pa + p
    lo, hi = max(0.0, -theta), (1.0 - theta) / 2.0

    def loglik(q):
        probs = (q, 1.0 - 2 * q - theta, q + theta)
        return sum(c * math.log(pr) for c, pr in zip((d, pa, p), probs, strict=True) if c)

    # golden-section on the concave log-likelihood
    g = (math.sqrt(5) - 1) / 2
    a, b = lo + 1e-15, hi - 1e-15
    for _ in range(300):
        c1, c2 = b - g * (b - a), a + g * (b - a)
        if loglik(c1) < loglik(c2):
            a = c1
        else:
            b = c2
    q = (a + b) / 2
    return (2 * q + theta - theta**2) / n


@pytest.mark.parametrize("counts", [(1, 2, 3), (10, 20, 70), (3, 30, 12), (5, 5, 40)])
def test_score_interval_solves_score_equation(counts):
    d, pa, p = counts
    n = d + pa + p
    est = (p - d) / n
    low, high = s.nps_interval(*counts, method="score")
    for bound in (low / 100, high / 100):
        v_n = _constrained_var_numeric(d, pa, p, bound)
        assert (est - bound) ** 2 == pytest.approx(Z95**2 * v_n, rel=1e-5)


@pytest.mark.parametrize(
    "counts",
    [(1, 2, 3), (1, 0, 1), (0, 1, 1), (1, 1, 1), (0, 0, 5), (7, 0, 0), (0, 9, 0)],
)
def test_score_interval_properties(counts):
    est = s.nps(*counts)
    low, high = s.nps_interval(*counts, method="score")
    assert -100 <= low <= est <= high <= 100
    assert high > low
    # more data with the same mix -> narrower
    big = tuple(4 * c for c in counts)
    low4, high4 = s.nps_interval(*big, method="score")
    assert high4 - low4 < high - low
    assert low4 <= est <= high4


def test_score_interval_all_promoters():
    low, high = s.nps_interval(0, 0, 5, method="score")
    assert high == 100.0
    assert 0 < low < 100
    # all promoters: the constrained MLE has no passives, v(theta) = 1 - theta^2,
    # and the bound is Wilson's lower bound on pP = (1 + theta) / 2
    w_low, _ = s.wilson_interval(5, 5)
    assert low == pytest.approx(100 * (2 * w_low - 1), abs=1e-6)


def test_intervals_narrow_with_n():
    for m in ("wald", "adjusted_wald", "score"):
        widths = []
        for k in (1, 10, 100):
            low, high = s.nps_interval(2 * k, 3 * k, 5 * k, method=m)
            widths.append(high - low)
        assert widths[0] > widths[1] > widths[2]


def test_nps_diff_test_hand_case():
    diff, z, pval = s.nps_diff_test((1, 0, 1), (0, 1, 1))
    se = 100 * math.sqrt(1 / 2 + 0.25 / 2)
    assert diff == pytest.approx(-50.0)
    assert z == pytest.approx(-50 / se)
    assert pval == pytest.approx(2 * (1 - PHI(abs(z))))


def test_nps_diff_test_symmetry():
    a, b = (10, 20, 70), (20, 30, 50)
    d1, z1, p1 = s.nps_diff_test(a, b)
    d2, z2, p2 = s.nps_diff_test(b, a)
    assert d1 == pytest.approx(30.0) and d2 == pytest.approx(-30.0)
    assert z1 == pytest.approx(-z2)
    assert p1 == pytest.approx(p2)
    se = 100 * math.sqrt(0.44 / 100 + (0.7 - 0.09) / 100)
    assert z1 == pytest.approx(30 / se)


def test_nps_diff_test_edge_cases():
    assert s.nps_diff_test((0, 0, 0), (1, 2, 3)) == (None, None, None)
    assert s.nps_diff_test((1, 2, 3), (0, 0, 0)) == (None, None, None)
    assert s.nps_diff_test((0, 0, 5), (0, 0, 3)) == (0.0, 0.0, 1.0)
    diff, z, pval = s.nps_diff_test((0, 0, 5), (4, 0, 0))
    assert diff == 200.0 and z == math.inf and pval == 0.0
    diff, z, pval = s.nps_diff_test((0, 4, 0), (0, 0, 2))
    assert diff == -100.0 and z == -math.inf and pval == 0.0


# --------------------------------------------------------------------------- #
# Pacing
# --------------------------------------------------------------------------- #


def test_required_nps():
    # (50 * 150 - 40 * 100) / 50 = 70
    assert s.required_nps(50, 40, 100, 50) == pytest.approx(70.0)
    assert s.required_nps(50, 50, 100, 50) == pytest.approx(50.0)
    # raw value, not clipped
    assert s.required_nps(80, 40, 100, 20) == pytest.approx((80 * 120 - 4000) / 20)
    assert s.required_nps(80, 40, 100, 20) > 100
    assert s.required_nps(50, None, 0, 30) == 50.0
    assert s.required_nps(50, 40, 100, 0) is None
    assert s.required_nps(50, 40, 100, -3) is None


def test_pace_status():
    assert s.pace_status(70) == "needed"
    assert s.pace_status(100) == "needed"
    # exactly -100: even all detractors land on the target, so it is secured
    # (the edge is cx.rules.pace_status's; tests/test_rules.py shows why)
    assert s.pace_status(-100) == "already_secured"
    assert s.pace_status(-99.99) == "needed"
    assert s.pace_status(100.01) == "out_of_reach"
    assert s.pace_status(-100.01) == "already_secured"
    # far ahead: even all detractors keep the target
    assert s.pace_status(s.required_nps(30, 80, 200, 20)) == "already_secured"


def test_prob_reach_target_current_mix():
    # (10, 20, 70): NPS 60, v = 0.44; n_now = n_left = 100 -> sd = 100*sqrt(44)/200
    assert s.prob_reach_target(60, 10, 20, 70, 100) == pytest.approx(0.5)
    sd = 100 * math.sqrt(0.44 * 100) / 200
    assert s.prob_reach_target(65, 10, 20, 70, 100) == pytest.approx(1 - PHI(5 / sd))
    assert s.prob_reach_target(55, 10, 20, 70, 100) == pytest.approx(PHI(5 / sd))


def test_prob_reach_target_explicit_mix():
    # number: mean future 80 -> final mean 70, variance from current mix
    assert s.prob_reach_target(70, 10, 20, 70, 100, rate_nps=80) == pytest.approx(0.5)
    sd = 100 * math.sqrt(0.44 * 100) / 200
    got = s.prob_reach_target(72, 10, 20, 70, 100, rate_nps=80)
    assert got == pytest.approx(1 - PHI(2 / sd))
    # tuple mix of all promoters: deterministic final (6000 + 100*100)/200 = 80
    assert s.prob_reach_target(80, 10, 20, 70, 100, rate_nps=(0, 0, 1)) == 1.0
    assert s.prob_reach_target(80.5, 10, 20, 70, 100, rate_nps=(0, 0, 1)) == 0.0
    # tuple mix as shares uses its own variance
    got = s.prob_reach_target(60, 10, 20, 70, 100, rate_nps=(0.2, 0.3, 0.5))
    v = 0.7 - 0.09
    mean = (6000 + 100 * 30) / 200
    assert got == pytest.approx(1 - PHI((60 - mean) / (100 * math.sqrt(v * 100) / 200)))


def test_prob_reach_target_edges():
    assert s.prob_reach_target(60, 10, 20, 70, 0) == 1.0
    assert s.prob_reach_target(60.5, 10, 20, 70, 0) == 0.0
    assert s.prob_reach_target(0, 0, 0, 0, 0) == 0.0
    assert s.prob_reach_target(50, 0, 0, 0, 20) is None
    # no answers yet but an explicit mix
    assert s.prob_reach_target(50, 0, 0, 0, 20, rate_nps=50) == pytest.approx(0.5)
    # few remaining answers can hardly move the final NPS
    p_small = s.prob_reach_target(65, 10, 20, 70, 10)
    p_big = s.prob_reach_target(65, 10, 20, 70, 100)
    assert p_small < p_big < 0.5
    # zero-variance current mix
    assert s.prob_reach_target(100, 0, 0, 10, 5) == 1.0


def test_progress_to_target():
    assert s.progress_to_target(72, 74.5, 77) == pytest.approx(0.5)
    assert s.progress_to_target(72, 77, 77) == pytest.approx(1.0)
    assert s.progress_to_target(72, 70, 77) == pytest.approx(-0.4)
    assert s.progress_to_target(72, 80, 77) == pytest.approx(1.6)
    # target below start (reduce a "lower is better" metric)
    assert s.progress_to_target(3.0, 2.5, 2.0) == pytest.approx(0.5)
    assert s.progress_to_target(72, 74, 72) is None
    assert s.progress_to_target(None, 74, 77) is None
    assert s.progress_to_target(72, None, 77) is None


# --------------------------------------------------------------------------- #
# Sample rules, segments, counts
# --------------------------------------------------------------------------- #


def test_sample_flag():
    assert (s.LOW_N, s.MIN_N) == (30, 10)
    assert s.sample_flag(0) == "too_few"
    assert s.sample_flag(9) == "too_few"
    assert s.sample_flag(10) == "low"
    assert s.sample_flag(29) == "low"
    assert s.sample_flag(30) == "ok"
    assert s.sample_flag(1000) == "ok"
    assert s.sample_flag(None) == "too_few"


def test_segment():
    assert [s.segment(x) for x in range(11)] == ["detractor"] * 7 + ["passive"] * 2 + [
        "promoter"
    ] * 2
    for bad in (-1, 11, float("nan"), None):
        with pytest.raises(ValueError):
            s.segment(bad)


def test_counts_from_scores():
    assert s.counts_from_scores([0, 6, 7, 8, 9, 10]) == (2, 2, 2)
    assert s.counts_from_scores([10, 10, None, float("nan"), 3]) == (1, 0, 2)
    assert s.counts_from_scores(np.array([9, 9, 7])) == (0, 1, 2)
    assert s.counts_from_scores(pd.Series([5, 8, None])) == (1, 1, 0)
    assert s.counts_from_scores([]) == (0, 0, 0)
    counts = s.counts_from_scores(range(11))
    assert all(isinstance(c, int) for c in counts)
    with pytest.raises(ValueError):
        s.counts_from_scores([3, 11])
    with pytest.raises(ValueError):
        s.counts_from_scores([-1])


# --------------------------------------------------------------------------- #
# Rolling NPS
# --------------------------------------------------------------------------- #


def _daily_frame(dates):
    return pd.DataFrame(
        {
            "date": dates,
            "d": [1, 0, 2],
            "pa": [1, 0, 0],
            "p": [2, 1, 0],
        }
    )


def test_rolling_nps_fills_days_and_sums_window():
    dates = pd.to_datetime(["2024-01-01", "2024-01-02", "2024-01-04"])
    out = s.rolling_nps(_daily_frame(dates), window=2)
    assert list(out["date"]) == list(pd.date_range("2024-01-01", "2024-01-04"))
    assert list(out["d"]) == [1, 0, 0, 2]
    assert list(out["p"]) == [2, 1, 0, 0]
    # daily NPS: 25, 100, NaN (no answers), -100
    assert out["nps"].iloc[0] == pytest.approx(25.0)
    assert out["nps"].iloc[1] == pytest.approx(100.0)
    assert math.isnan(out["nps"].iloc[2])
    assert out["nps"].iloc[3] == pytest.approx(-100.0)
    # 2-day windows: (1,1,2) ; (1,1,3) ; (0,0,1) ; (2,0,0)
    assert list(out["roll_n"]) == [4, 5, 1, 2]
    assert out["nps_roll"].iloc[0] == pytest.approx(25.0)
    assert out["nps_roll"].iloc[1] == pytest.approx(40.0)
    assert out["nps_roll"].iloc[2] == pytest.approx(100.0)
    assert out["nps_roll"].iloc[3] == pytest.approx(-100.0)
    low, high = s.nps_interval(1, 1, 3)
    assert out["roll_low"].iloc[1] == pytest.approx(low)
    assert out["roll_high"].iloc[1] == pytest.approx(high)
    # adjusted Wald shrinks towards 0, so it need not contain +/-100 estimates
    assert (out["roll_low"] < out["roll_high"]).all()
    scored = s.rolling_nps(_daily_frame(dates), window=2, method="score")
    assert (scored["roll_low"] <= scored["nps_roll"]).all()
    assert (scored["roll_high"] >= scored["nps_roll"]).all()


def test_rolling_nps_empty_window_is_nan_and_date_type_kept():
    dates = [dt.date(2024, 3, 1), dt.date(2024, 3, 2), dt.date(2024, 3, 6)]
    out = s.rolling_nps(_daily_frame(dates), window=2)
    assert len(out) == 6
    assert out["date"].iloc[0] == dt.date(2024, 3, 1)
    assert isinstance(out["date"].iloc[3], dt.date)
    # 2024-03-04: window 03-03..03-04 has no answers
    row = out.iloc[3]
    assert row["roll_n"] == 0
    assert math.isnan(row["nps_roll"])
    assert math.isnan(row["roll_low"]) and math.isnan(row["roll_high"])


def test_rolling_nps_unsorted_input_and_default_window():
    dates = pd.to_datetime(["2024-01-04", "2024-01-01", "2024-01-02"])
    out = s.rolling_nps(_daily_frame(dates))
    assert out["date"].is_monotonic_increasing
    # 7-day default: the last row covers everything
    assert out["roll_n"].iloc[-1] == 7
    assert out["nps_roll"].iloc[-1] == pytest.approx(0.0)


def test_rolling_nps_empty_frame():
    empty = pd.DataFrame({"date": [], "d": [], "pa": [], "p": []})
    out = s.rolling_nps(empty)
    assert out.empty
    for c in ("nps", "nps_roll", "roll_low", "roll_high", "roll_n"):
        assert c in out.columns


# --------------------------------------------------------------------------- #
# CSI / CJI
# --------------------------------------------------------------------------- #


def test_csi_example():
    means = dict(zip(s.CSI_WEIGHTS, [8.5, 8.0, 9.0, 8.8, 7.5], strict=True))
    expected = 0.18 * 850 + 0.24 * 800 + 0.15 * 900 + 0.22 * 880 + 0.21 * 750
    assert s.csi(means) == pytest.approx(expected)
    assert round(s.csi(means)) == 831


def test_csi_missing_dimensions_renormalise():
    means = {"initiation": 8.5, "delivery": 8.0, "facility": 9.0, "advisor": 8.8}
    expected = (0.18 * 850 + 0.24 * 800 + 0.15 * 900 + 0.22 * 880) / 0.79
    assert s.csi(means) == pytest.approx(expected)
    assert s.csi({**means, "post_service": None}) == pytest.approx(expected)
    assert s.csi({**means, "post_service": float("nan")}) == pytest.approx(expected)
    assert s.csi({"advisor": 9.0}) == pytest.approx(900.0)
    assert s.csi({}) is None
    assert s.csi({"advisor": None}) is None
    assert sum(s.CSI_WEIGHTS.values()) == pytest.approx(1.0)


def test_cji_example_and_weights():
    scores = dict(zip(s.CJI_WEIGHTS, [9, 7, 8, 5, 9, 6, 8], strict=True))
    assert s.cji(scores) == pytest.approx(7.55)
    pct = {k: 100 * w for k, w in s.CJI_WEIGHTS.items()}
    assert s.cji(scores, pct) == pytest.approx(7.55)
    # missing stage: renormalise over the rest
    partial = {k: v for k, v in scores.items() if k != "repair_quality"}
    assert s.cji(partial) == pytest.approx((7.55 - 0.25 * 9) / 0.75)
    assert s.cji({}) is None
    assert s.cji({"a": 4, "b": 8}, {"a": 1, "b": 3}) == pytest.approx(7.0)
    assert sum(s.CJI_WEIGHTS.values()) == pytest.approx(1.0)


def test_validate_weights():
    assert s.validate_weights(s.CJI_WEIGHTS)
    assert s.validate_weights(s.CSI_WEIGHTS)
    assert s.validate_weights({k: 100 * w for k, w in s.CJI_WEIGHTS.items()})
    assert s.validate_weights([0.5, 0.5 + 5e-7])
    assert not s.validate_weights([0.5, 0.5 + 5e-6])
    assert s.validate_weights([60, 40.005])
    assert not s.validate_weights([60, 40.02])
    assert not s.validate_weights({"a": 0.5, "b": 0.4})
    assert not s.validate_weights([])
    assert not s.validate_weights([1.5, -0.5])


# --------------------------------------------------------------------------- #
# Relative weights
# --------------------------------------------------------------------------- #


def _ols_r2(X: pd.DataFrame, y: pd.Series) -> float:
    xs = ((X - X.mean()) / X.std()).to_numpy()
    ys = ((y - y.mean()) / y.std()).to_numpy()
    beta, *_ = np.linalg.lstsq(xs, ys, rcond=None)
    resid = ys - xs @ beta
    return 1 - (resid @ resid) / (ys @ ys)


def _correlated_data(seed=0, n=400):
    rng = np.random.default_rng(seed)
    z = rng.normal(size=n)
    X = pd.DataFrame(
        {
            "a": z + rng.normal(size=n),
            "b": 0.7 * z + rng.normal(size=n),
            "c": rng.normal(size=n),
        }
    )
    y = pd.Series(1.0 * X["a"] + 0.5 * X["b"] + 0.2 * X["c"] + rng.normal(size=n))
    return X, y


def test_relative_weights_sum_to_ols_r2():
    X, y = _correlated_data()
    w, r2 = s.relative_weights(X, y)
    assert list(w.index) == ["a", "b", "c"]
    assert r2 == pytest.approx(_ols_r2(X, y), rel=1e-9)
    assert w.sum() == pytest.approx(r2)
    assert (w > 0).all()
    assert w["a"] > w["b"] > w["c"]


def test_relative_weights_uncorrelated_equal_squared_correlations():
    # exactly orthogonal, zero-mean columns (Hadamard-style)
    x1 = np.tile([1.0, -1.0, 1.0, -1.0], 10)
    x2 = np.tile([1.0, 1.0, -1.0, -1.0], 10)
    x3 = np.tile([1.0, -1.0, -1.0, 1.0], 10)
    noise = np.random.default_rng(1).normal(size=40)
    X = pd.DataFrame({"x1": x1, "x2": x2, "x3": x3})
    y = pd.Series(2 * x1 + x2 + 0.5 * x3 + noise)
    w, r2 = s.relative_weights(X, y)
    for col in X:
        assert w[col] == pytest.approx(np.corrcoef(X[col], y)[0, 1] ** 2, abs=1e-12)
    assert r2 == pytest.approx(_ols_r2(X, y))


def test_relative_weights_zero_variance_and_nan_rows():
    X, y = _correlated_data(seed=2, n=200)
    base, base_r2 = s.relative_weights(X, y)
    X2 = X.assign(const=5.0)
    w, r2 = s.relative_weights(X2, y)
    assert w["const"] == 0.0
    assert r2 == pytest.approx(base_r2)
    assert w[["a", "b", "c"]].to_numpy() == pytest.approx(base.to_numpy())
    # NaN rows dropped
    Xn = X.copy()
    Xn.loc[[0, 5], "a"] = np.nan
    yn = y.copy()
    yn.loc[7] = np.nan
    keep = ~(Xn.isna().any(axis=1) | yn.isna())
    wn, r2n = s.relative_weights(Xn, yn)
    wk, r2k = s.relative_weights(X[keep], y[keep])
    assert r2n == pytest.approx(r2k)
    assert wn.to_numpy() == pytest.approx(wk.to_numpy())


def test_relative_weights_single_predictor_and_degenerate():
    X, y = _correlated_data(seed=3, n=100)
    w, r2 = s.relative_weights(X[["a"]], y)
    assert w["a"] == pytest.approx(np.corrcoef(X["a"], y)[0, 1] ** 2)
    assert r2 == pytest.approx(w["a"])
    w, r2 = s.relative_weights(X, pd.Series(np.ones(len(X))))
    assert (w == 0).all() and math.isnan(r2)


def test_relative_weights_collinear_does_not_crash():
    X, y = _correlated_data(seed=4, n=150)
    X = X.assign(a2=2 * X["a"])
    w, r2 = s.relative_weights(X, y)
    assert np.isfinite(w).all()
    assert r2 == pytest.approx(_ols_r2(X, y), rel=1e-6)
    assert w["a"] == pytest.approx(w["a2"])


# --------------------------------------------------------------------------- #
# Tiers and quadrant
# --------------------------------------------------------------------------- #


@pytest.mark.parametrize(
    ("value", "key"),
    [
        (80, "excellent"),
        (50, "excellent"),
        (49.9, "very_good"),
        (30, "very_good"),
        (29.9, "pass"),
        (10, "pass"),
        (9.9, "warning"),
        (0, "warning"),
        (-0.1, "crisis"),
        (-100, "crisis"),
    ],
)
def test_nps_tier(value, key):
    assert s.nps_tier(value) == key


@pytest.mark.parametrize(
    ("value", "key"),
    [
        (900, "benchmark"),
        (850, "benchmark"),
        (849.9, "very_good"),
        (800, "very_good"),
        (799, "good"),
        (750, "good"),
        (749, "pass"),
        (700, "pass"),
        (699.9, "improve"),
        (100, "improve"),
    ],
)
def test_csi_tier(value, key):
    assert s.csi_tier(value) == key


def test_tier_tables():
    assert s.nps_tier(None) is None and s.csi_tier(float("nan")) is None
    assert [t[1] for t in s.NPS_TIERS] == [
        "excellent",
        "very_good",
        "pass",
        "warning",
        "crisis",
    ]
    assert [t[2] for t in s.NPS_TIERS] == ["卓越", "优秀", "及格", "警戒", "危机"]
    assert [t[1] for t in s.CSI_TIERS] == [
        "benchmark",
        "very_good",
        "good",
        "pass",
        "improve",
    ]
    assert [t[2] for t in s.CSI_TIERS] == ["标杆", "优秀", "良好", "及格", "需改进"]
    for table in (s.NPS_TIERS, s.CSI_TIERS):
        bounds = [t[0] for t in table]
        assert bounds == sorted(bounds, reverse=True)
        assert all(len(t) == 4 and isinstance(t[3], str) for t in table)


def test_quadrant():
    assert s.quadrant(60, 820, 50, 800) == "dream"
    assert s.quadrant(50, 800, 50, 800) == "dream"  # >= cut is high
    assert s.quadrant(60, 790, 50, 800) == "surprise"
    assert s.quadrant(40, 820, 50, 800) == "danger"
    assert s.quadrant(40, 790, 50, 800) == "disaster"
    assert s.quadrant(None, 790, 50, 800) is None
    assert s.quadrant(40, None, 50, 800) is None


# --------------------------------------------------------------------------- #
# CX overview helpers
# --------------------------------------------------------------------------- #


def test_csat_and_ces():
    assert s.csat_top2(45, 60) == pytest.approx(0.75)
    assert s.csat_top2(0, 0) is None
    assert s.ces_mean(230, 100) == pytest.approx(2.3)
    assert s.ces_mean(0, 0) is None
    assert s.CES_HIGHER_IS_BETTER is False


def test_proportion_test_hand_case():
    # p1 = .75, p2 = .5, pooled .625: se = sqrt(.625*.375*2/60) -> z = 2*sqrt(2)
    diff, z, pval = s.proportion_test(45, 60, 30, 60)
    assert diff == pytest.approx(0.25)
    assert z == pytest.approx(2 * math.sqrt(2))
    assert pval == pytest.approx(math.erfc(2.0))
    assert pval == pytest.approx(2 * (1 - PHI(2 * math.sqrt(2))))


def test_proportion_test_edges():
    assert s.proportion_test(1, 0, 1, 5) == (None, None, None)
    assert s.proportion_test(1, 5, 0, 0) == (None, None, None)
    assert s.proportion_test(5, 5, 3, 3) == (0.0, 0.0, 1.0)
    assert s.proportion_test(0, 5, 0, 3) == (0.0, 0.0, 1.0)


def test_mean_diff_test():
    # se = sqrt(9/100 + 16/100) = 0.5
    diff, z, pval = s.mean_diff_test(8.0, 9.0, 100, 7.5, 16.0, 100)
    assert diff == pytest.approx(0.5)
    assert z == pytest.approx(1.0)
    assert pval == pytest.approx(2 * (1 - PHI(1.0)))
    assert s.mean_diff_test(8.0, 9.0, 0, 7.5, 16.0, 100) == (None, None, None)
    assert s.mean_diff_test(None, None, 0, 7.5, 16.0, 100) == (None, None, None)
    assert s.mean_diff_test(3.0, 0.0, 5, 3.0, 0.0, 5) == (0.0, 0.0, 1.0)


def test_metric_state():
    assert s.metric_state(80, 80) == "green"
    assert s.metric_state(85, 80) == "green"
    assert s.metric_state(76, 80) == "amber"  # within 5% of 80 = 4
    assert s.metric_state(75.9, 80) == "red"
    assert s.metric_state(None, 80) == "no_data"
    assert s.metric_state(float("nan"), 80) == "no_data"
    assert s.metric_state(80, None) == "no_data"
    # lower is better (CES): target 3.0, margin 0.15
    lib = s.CES_HIGHER_IS_BETTER
    assert s.metric_state(2.9, 3.0, higher_is_better=lib) == "green"
    assert s.metric_state(3.1, 3.0, higher_is_better=lib) == "amber"
    assert s.metric_state(3.2, 3.0, higher_is_better=lib) == "red"
    # custom margin
    assert s.metric_state(70, 80, amber_margin=0.2) == "amber"
    assert s.metric_state(70, 80, amber_margin=0.0) == "red"


def test_wilson_interval():
    low, high = s.wilson_interval(0, 10)
    assert low == 0.0
    assert high == pytest.approx(Z95**2 / (10 + Z95**2))
    low, high = s.wilson_interval(5, 10)
    assert low == pytest.approx(0.2366, abs=1e-4)
    assert high == pytest.approx(0.7634, abs=1e-4)
    assert low + high == pytest.approx(1.0)
    assert s.wilson_interval(10, 10)[1] == 1.0
    assert s.wilson_interval(0, 0) == (None, None)


# --------------------------------------------------------------------------- #
# Binomial tails and gaming signals
# --------------------------------------------------------------------------- #


def _exact_cdf(k: int, n: int, p: Fraction) -> float:
    return float(sum(math.comb(n, i) * p**i * (1 - p) ** (n - i) for i in range(k + 1)))


def test_binom_small_hand_cases():
    assert s.binom_sf(2, 3, 0.5) == pytest.approx(0.5)
    assert s.binom_cdf(1, 3, 0.5) == pytest.approx(0.5)
    assert s.binom_sf(3, 3, 0.5) == pytest.approx(0.125)
    assert s.binom_sf(0, 3, 0.5) == pytest.approx(1.0)
    assert s.binom_sf(4, 3, 0.5) == 0.0
    assert s.binom_cdf(3, 3, 0.5) == pytest.approx(1.0)
    assert s.binom_cdf(-1, 3, 0.5) == 0.0
    # n = 5, p = .2: P(X <= 1) = .8^5 + 5 * .2 * .8^4
    assert s.binom_cdf(1, 5, 0.2) == pytest.approx(0.8**5 + 5 * 0.2 * 0.8**4)
    assert s.binom_sf(5, 5, 0.2) == pytest.approx(0.2**5)


def test_binom_degenerate_p():
    assert s.binom_sf(0, 10, 0.0) == 1.0
    assert s.binom_sf(1, 10, 0.0) == 0.0
    assert s.binom_cdf(0, 10, 0.0) == 1.0
    assert s.binom_sf(10, 10, 1.0) == 1.0
    assert s.binom_cdf(9, 10, 1.0) == 0.0
    assert s.binom_cdf(0, 0, 0.3) == 1.0
    with pytest.raises(ValueError):
        s.binom_sf(1, 10, 1.5)


@pytest.mark.parametrize(("n", "p"), [(20, Fraction(1, 3)), (50, Fraction(9, 10))])
def test_binom_matches_exact_fractions(n, p):
    for k in range(0, n + 1, 3):
        exact = _exact_cdf(k, n, p)
        assert s.binom_cdf(k, n, float(p)) == pytest.approx(exact, rel=1e-10, abs=1e-300)
        exact_sf = 1 - _exact_cdf(k - 1, n, p) if k > 0 else 1.0
        assert s.binom_sf(k, n, float(p)) == pytest.approx(exact_sf, rel=1e-10, abs=1e-15)


def test_binom_large_n_stable():
    n = 100_000
    # P(X <= n/2) = 1/2 + pmf(n/2)/2 with pmf(n/2) = C(n, n/2) / 2^n
    log_pmf = math.lgamma(n + 1) - 2 * math.lgamma(n / 2 + 1) - n * math.log(2)
    assert s.binom_cdf(n // 2, n, 0.5) == pytest.approx(0.5 + math.exp(log_pmf) / 2)
    assert s.binom_sf(n // 2 + 1, n, 0.5) + s.binom_cdf(n // 2, n, 0.5) == pytest.approx(1.0)
    tail = s.binom_sf(91_000, n, 0.9)  # ~10.5 SD above the mean
    assert 0.0 < tail < 1e-20
    assert s.binom_cdf(85_000, n, 0.9) < 1e-100
    assert s.binom_sf(0, n, 0.9) == pytest.approx(1.0)


def test_gaming_signals():
    df = pd.DataFrame(
        {
            "advisor": ["A", "B", "C", "D"],
            "n": [50, 50, 9, 0],
            "tens": [50, 25, 9, 0],
            "det": [0, 5, 0, 0],
        }
    )
    out = s.gaming_signals(df, "advisor", "n", "tens", "det", p10=0.5, pdet=0.1)
    assert list(out["advisor"]) == ["A", "B", "C", "D"]
    assert out.loc[0, "p_tens"] == pytest.approx(0.5**50)
    assert out.loc[0, "p_nodet"] == pytest.approx(0.9**50)
    assert out.loc[1, "p_tens"] == pytest.approx(s.binom_sf(25, 50, 0.5))
    assert out.loc[1, "p_nodet"] == pytest.approx(s.binom_cdf(5, 50, 0.1))
    assert out.loc[2, "p_tens"] == pytest.approx(0.5**9)  # tiny but n < 10
    assert math.isnan(out.loc[3, "p_tens"])
    assert list(out["flag"]) == [True, False, False, False]
    assert out["flag"].dtype == bool
    assert "p_tens" not in df.columns  # input untouched


def test_gaming_signals_nodet_flag_and_alpha():
    df = pd.DataFrame({"g": ["x"], "n": [100], "tens": [10], "det": [0]})
    # P(no detractors | n=100, pdet=.2) = .8^100 ~ 2e-10
    out = s.gaming_signals(df, "g", "n", "tens", "det", p10=0.1, pdet=0.2)
    assert out.loc[0, "p_nodet"] == pytest.approx(0.8**100)
    assert bool(out.loc[0, "flag"])
    out = s.gaming_signals(df, "g", "n", "tens", "det", p10=0.1, pdet=0.2, alpha=1e-12)
    assert not bool(out.loc[0, "flag"])


def test_duplicate_rows_are_summed():
    dates = pd.to_datetime(["2024-01-01", "2024-01-01", "2024-01-02"])
    out = s.rolling_nps(_daily_frame(dates), window=1)
    # 01-01: (1,1,2) + (0,0,1) = (1,1,3); 01-02: (2,0,0)
    assert list(out["roll_n"]) == [5, 2]
    assert out["nps"].iloc[0] == pytest.approx(40.0)
    df = pd.DataFrame({"g": ["a", "a"], "n": [30, 30], "tens": [30, 30], "det": [0, 0]})
    res = s.gaming_signals(df, "g", "n", "tens", "det", p10=0.5, pdet=0.1)
    assert len(res) == 1 and res.loc[0, "n"] == 60
    assert res.loc[0, "p_tens"] == pytest.approx(0.5**60)


def test_keyword_names_from_the_spec():
    assert s.quadrant(nps=60, csi=820, nps_cut=50, csi_cut=800) == "dream"
    assert s.nps_tier(nps=55) == "excellent"
    assert s.csi_tier(csi=760) == "good"
    assert s.ces_mean(sum=9, n=3) == pytest.approx(3.0)
    assert s.nps_interval(d=1, pa=2, p=3, method="wald", level=0.95)[0] is not None


def test_weighted_means_of_a_table_equal_the_rule_row_by_row():
    """CSI and CJI of a whole table (every store at once) are the one-row rule applied
    to each row: missing values drop out, the rest renormalised, NaN with nothing left."""
    rng = np.random.default_rng(3)
    dims = list(s.CSI_WEIGHTS)
    values = rng.uniform(1, 10, (200, len(dims)))
    values[rng.random(values.shape) < 0.3] = np.nan
    values[0] = np.nan  # a store nobody rated
    table = {d: values[:, i] for i, d in enumerate(dims)}
    got = s.csi_many(table)
    for i in range(len(values)):
        one = s.csi({d: (None if np.isnan(v) else v) for d, v in zip(dims, values[i], strict=True)})
        assert (math.isnan(got[i]) and one is None) or got[i] == one
    weights = {dims[0]: 0.0, dims[1]: 2.0, "elsewhere": 5.0}  # a zero and an unknown key
    got = s.cji_many(table, weights)
    for i in range(len(values)):
        one = s.cji({d: values[i, k] for k, d in enumerate(dims)}, weights)
        assert (math.isnan(got[i]) and one is None) or got[i] == one


def test_period_tests_in_arrays_equal_the_scalar_test_value_for_value():
    # the segments page compares ~2,000 stores' periods at once: each change and p must be
    # the scalar test's, empty samples and all-promoter (zero-variance) ones included
    rng = np.random.default_rng(11)
    now = [np.concatenate([[0, 0, 0, 9], rng.integers(0, m, 2000)]) for m in (5, 30, 400)]
    before = [np.concatenate([[0, 3, 0, 9], rng.integers(0, m, 2000)]) for m in (8, 30, 380)]
    now[2][2], before[2][2] = 50, 50  # both all promoters: se 0, no difference
    diff, p = s.nps_diff_test_arrays(now, before)
    for i in range(len(diff)):
        one = s.nps_diff_test(*(tuple(int(x[i]) for x in side) for side in (now, before)))
        if one[0] is None:
            assert np.isnan(diff[i]) and np.isnan(p[i])
        else:
            assert (diff[i], p[i]) == (one[0], one[2])


def test_array_figures_equal_the_scalar_ones_value_for_value():
    # the board ranks and tests ~2,000 stores at once: each value must be the one the
    # scalar functions give for that store (the same operations, bit for bit)
    rng = np.random.default_rng(7)
    d, pa, p = (np.concatenate([[0, 0, 5, 0], rng.integers(0, m, 3000)]) for m in (4, 40, 900))
    low, high = s.nps_interval_arrays(d, pa, p)
    value, var = s.nps_arrays(d, pa, p), s.nps_variance_arrays(d, pa, p)
    flags = s.sample_flags(d + pa + p)
    for i in range(len(d)):
        c = (int(d[i]), int(pa[i]), int(p[i]))
        lo, hi = s.nps_interval(*c)
        if lo is None:
            assert np.isnan([low[i], high[i], value[i], var[i]]).all()
        else:
            assert (low[i], high[i], value[i], var[i]) == (lo, hi, s.nps(*c), s.nps_variance(*c))
        assert flags[i] == s.sample_flag(sum(c))


def test_rolling_nps_in_arrays_equals_the_frame_by_frame_path():
    # the board's frames (date, d, pa, p) take the numpy path; a frame with any other
    # column the pandas one: both must give the same values, columns and types
    rng = np.random.default_rng(5)
    for trial in range(36):
        n = int(rng.integers(1, 80))
        offsets = np.sort(rng.choice(120, n, replace=bool(trial % 2)))
        days = pd.Timestamp("2025-01-01") + pd.to_timedelta(offsets, unit="D")
        days = days + pd.to_timedelta(rng.integers(0, 20, n) * (trial % 3 == 0), unit="h")
        frame = pd.DataFrame(
            {"date": days, "d": rng.integers(0, 9, n), "pa": rng.integers(0, 9, n)}
        ).assign(p=rng.integers(0, 30, n))
        if trial % 4 == 1:
            frame.loc[frame.index[: n // 2], ["d", "pa", "p"]] = 0
        if trial % 2:
            frame["date"] = frame["date"].dt.date
        window = int(rng.integers(1, 10))
        fast = s.rolling_nps(frame.sample(frac=1, random_state=trial), window)
        slow = s.rolling_nps(frame.assign(other=1), window).drop(columns="other", errors="ignore")
        pd.testing.assert_frame_equal(fast, slow, check_exact=True)
