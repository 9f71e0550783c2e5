"""Pure statistics for the CX dashboard: NPS, intervals, tests, pacing and indices.

Conventions
-----------
* NPS is reported in points (-100..100). Answer counts are integers:
  ``d`` detractors (0-6), ``pa`` passives (7-8), ``p`` promoters (9-10).
* Per-answer variances and standard errors are *fractions* (the NPS / 100 scale)
  unless a docstring says otherwise.
* "No answers" is never a score of 0: helpers return ``None`` instead.

No I/O, no Streamlit, no DuckDB: only ``math``, ``statistics``, numpy and pandas.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from statistics import NormalDist
from typing import Literal

import numpy as np
import pandas as pd

from cx import rules
from cx.rules import pace_status, required_nps

__all__ = [
    "CES_HIGHER_IS_BETTER",
    "CJI_WEIGHTS",
    "CSI_TIERS",
    "CSI_WEIGHTS",
    "LOW_N",
    "MIN_N",
    "NPS_TIERS",
    "binom_cdf",
    "binom_sf",
    "ces_mean",
    "cji",
    "counts_from_scores",
    "csat_top2",
    "csi",
    "csi_tier",
    "gaming_signals",
    "mean_diff_test",
    "metric_state",
    "normal_quantile",
    "nps",
    "nps_diff_test",
    "nps_interval",
    "nps_se",
    "nps_tier",
    "nps_variance",
    "pace_status",
    "prob_reach_target",
    "progress_to_target",
    "proportion_test",
    "quadrant",
    "relative_weights",
    "required_nps",
    "rolling_nps",
    "sample_flag",
    "segment",
    "two_sided_p",
    "validate_weights",
    "wilson_interval",
]

Counts = tuple[int, int, int]
TestResult = tuple[float | None, float | None, float | None]

_STD_NORMAL = NormalDist()

# --------------------------------------------------------------------------- #
# Small helpers
# --------------------------------------------------------------------------- #


def _is_missing(x: object) -> bool:
    """True for None and float NaN (including numpy / pandas NA scalars)."""
    if x is None:
        return True
    try:
        return bool(pd.isna(x))
    except (TypeError, ValueError):
        return False


def normal_quantile(prob: float) -> float:
    """Standard normal quantile (inverse CDF) via ``statistics.NormalDist``."""
    return _STD_NORMAL.inv_cdf(prob)


def _z_for_level(level: float) -> float:
    """Two-sided critical value for a confidence ``level`` in (0, 1)."""
    if not 0.0 < level < 1.0:
        raise ValueError(f"level must be in (0, 1), got {level!r}")
    return normal_quantile(0.5 + level / 2.0)


def two_sided_p(z: float) -> float:
    """Two-sided normal p-value ``P(|Z| >= |z|)`` (accurate in the far tail)."""
    if math.isinf(z):
        return 0.0
    return math.erfc(abs(z) / math.sqrt(2.0))


def _z_test(diff: float, se: float) -> tuple[float, float, float]:
    """(diff, z, p) with the degenerate-SE convention used across the module.

    SE == 0: z = 0 and p = 1 when diff == 0, else z = +/-inf and p = 0.
    """
    if se <= 0.0 or math.isnan(se):
        if diff == 0:
            return diff, 0.0, 1.0
        return diff, math.copysign(math.inf, diff), 0.0
    z = diff / se
    return diff, z, two_sided_p(z)


def _shares(d: float, pa: float, p: float) -> tuple[float, float, float] | None:
    """(pD, pA, pP) shares, or None when there are no answers."""
    n = d + pa + p
    if n <= 0:
        return None
    return d / n, pa / n, p / n


# --------------------------------------------------------------------------- #
# NPS core
# --------------------------------------------------------------------------- #


def nps(d: float, pa: float, p: float) -> float | None:
    """NPS in points: 100 * (p - d) / n; None when there are no answers."""
    n = d + pa + p
    if n <= 0:
        return None
    return 100.0 * (p - d) / n


def nps_variance(d: float, pa: float, p: float) -> float | None:
    """Per-answer variance of the NPS score (fraction scale).

    Each answer scores +1 / 0 / -1, so v = pP + pD - (pP - pD)^2.
    """
    sh = _shares(d, pa, p)
    if sh is None:
        return None
    p_d, _, p_p = sh
    gap = p_p - p_d  # squared as gap * gap, exactly as nps_variance_arrays does
    return max(p_p + p_d - gap * gap, 0.0)


def nps_se(d: float, pa: float, p: float) -> float | None:
    """Standard error of the NPS as a fraction (not points): sqrt(v / n)."""
    v = nps_variance(d, pa, p)
    if v is None:
        return None
    return math.sqrt(v / (d + pa + p))


def _tango_constrained_pd(b: float, c: float, n: float, theta: float) -> float:
    """Constrained MLE of pD given pP - pD = theta (Tango 1998 closed form).

    ``b`` promoters, ``c`` detractors, ``n`` answers. Maximises the multinomial
    likelihood under the constraint; root of 2n q^2 + B q + C = 0 with
    B = -(b + c) + theta (2n - b + c) and C = -c theta (1 - theta).
    """
    a_coef = 2.0 * n
    b_coef = -(b + c) + theta * (2.0 * n - b + c)
    c_coef = -c * theta * (1.0 - theta)
    disc = max(b_coef * b_coef - 4.0 * a_coef * c_coef, 0.0)
    q = (math.sqrt(disc) - b_coef) / (2.0 * a_coef)
    # keep pD, pP = pD + theta and pA = 1 - 2 pD - theta inside [0, 1]
    lo = max(0.0, -theta)
    hi = max(lo, (1.0 - theta) / 2.0)
    return min(max(q, lo), hi)


def _score_stat(b: float, c: float, n: float, theta: float) -> float:
    """Score statistic (theta_hat - theta) / sqrt(v(theta) / n) for the NPS."""
    q = _tango_constrained_pd(b, c, n, theta)
    var = 2.0 * q + theta * (1.0 - theta)  # pP + pD - theta^2 under the null
    num = (b - c) / n - theta
    if var <= 1e-15:
        if abs(num) < 1e-12:
            return 0.0
        return math.copysign(math.inf, num)
    return num / math.sqrt(var / n)


def _score_interval(d: float, p: float, n: float, z: float) -> tuple[float, float]:
    """Invert the score test by bisection; returns fractions in [-1, 1]."""
    theta_hat = (p - d) / n

    def solve(lo: float, hi: float, target: float) -> float:
        # the statistic decreases in theta; find stat(theta) == target
        for _ in range(200):
            mid = 0.5 * (lo + hi)
            if _score_stat(p, d, n, mid) > target:
                lo = mid
            else:
                hi = mid
            if hi - lo < 1e-13:
                break
        return 0.5 * (lo + hi)

    low = -1.0 if theta_hat <= -1.0 else solve(-1.0, theta_hat, z)
    high = 1.0 if theta_hat >= 1.0 else solve(theta_hat, 1.0, -z)
    return low, high


def nps_interval(
    d: float,
    pa: float,
    p: float,
    method: Literal["wald", "adjusted_wald", "score"] = "adjusted_wald",
    level: float = 0.95,
) -> tuple[float | None, float | None]:
    """Confidence interval for the NPS in points, clipped to [-100, 100].

    Methods:

    * ``"wald"``: nps_hat +/- z * sqrt(v / n).
    * ``"adjusted_wald"`` (default): add 0.75 detractor, 1.5 passive and
      0.75 promoter (3 pseudo-answers), then Wald on the adjusted counts.
    * ``"score"``: score interval obtained by inverting the score test for
      theta = pP - pD, i.e. all theta with
      (nps_hat - theta)^2 <= z^2 * v~(theta) / n, where v~(theta) is the
      per-answer variance at the multinomial MLE constrained to pP - pD = theta
      (closed form of Tango 1998, the same structure as the paired-difference
      score interval). The bounds are found by bisection.

    n == 0 -> (None, None).
    """
    n = d + pa + p
    if n <= 0:
        return None, None
    z = _z_for_level(level)
    if method == "score":
        low, high = _score_interval(d, p, n, z)
        centre = (p - d) / n
        low, high = min(low, centre), max(high, centre)
    elif method in ("wald", "adjusted_wald"):
        if method == "adjusted_wald":
            d, pa, p = d + 0.75, pa + 1.5, p + 0.75
        centre = (p - d) / (d + pa + p)
        se = nps_se(d, pa, p) or 0.0
        low, high = centre - z * se, centre + z * se
    else:
        raise ValueError(f"unknown method {method!r}")
    return max(-100.0, 100.0 * low), min(100.0, 100.0 * high)


def _counts_arrays(d, pa, p) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    d, pa, p = (np.asarray(x, dtype=float) for x in (d, pa, p))
    return d, pa, p, d + pa + p


def nps_arrays(d, pa, p) -> np.ndarray:
    """:func:`nps` of many count triples at once (NaN where there are no answers); the
    same operations in the same order, so every value equals the scalar one."""
    d, _pa, p, n = _counts_arrays(d, pa, p)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(n > 0, 100.0 * (p - d) / n, np.nan)


def nps_variance_arrays(d, pa, p) -> np.ndarray:
    """:func:`nps_variance` of many count triples (NaN where there are no answers)."""
    d, _pa, p, n = _counts_arrays(d, pa, p)
    with np.errstate(divide="ignore", invalid="ignore"):
        p_d, p_p = d / n, p / n
        gap = p_p - p_d
        return np.where(n > 0, np.maximum(p_p + p_d - gap * gap, 0.0), np.nan)


def nps_interval_arrays(d, pa, p, level: float = 0.95) -> tuple[np.ndarray, np.ndarray]:
    """The default (adjusted-Wald) :func:`nps_interval` of many count triples: (low, high)
    in points, NaN where there are no answers; each value equals the scalar one."""
    d, pa, p, n = _counts_arrays(d, pa, p)
    z = _z_for_level(level)
    d, pa, p = d + 0.75, pa + 1.5, p + 0.75
    n_adj = d + pa + p
    centre = (p - d) / n_adj
    se = np.sqrt(nps_variance_arrays(d, pa, p) / n_adj)
    low = np.maximum(-100.0, 100.0 * (centre - z * se))
    high = np.minimum(100.0, 100.0 * (centre + z * se))
    none = ~(n > 0)
    return np.where(none, np.nan, low), np.where(none, np.nan, high)


def sample_flags(n) -> np.ndarray:
    """:func:`sample_flag` of many sizes (object array of 'ok' / 'low' / 'too_few')."""
    n = np.asarray(n, dtype=float)
    out = np.where(n < LOW_N, "low", "ok").astype(object)
    out[~(n >= MIN_N)] = "too_few"
    return out


def nps_diff_test(a: Counts, b: Counts) -> TestResult:
    """Two-sample z test for NPS1 - NPS2 (unpooled, normal approximation).

    diff in points; z = diff / (100 * sqrt(v1/n1 + v2/n2)); two-sided p.
    Either sample empty -> (None, None, None). Pooled SE of 0 (both samples
    degenerate): z = 0, p = 1 when diff == 0, else z = +/-inf, p = 0.
    """
    n1, n2 = sum(a), sum(b)
    if n1 <= 0 or n2 <= 0:
        return None, None, None
    diff = nps(*a) - nps(*b)  # type: ignore[operator]
    v1, v2 = nps_variance(*a), nps_variance(*b)
    se = 100.0 * math.sqrt(v1 / n1 + v2 / n2)  # type: ignore[operator]
    return _z_test(diff, se)


def nps_diff_test_arrays(a, b) -> tuple[np.ndarray, np.ndarray]:
    """:func:`nps_diff_test` of many pairs of count triples ``a`` and ``b`` (each a
    (d, pa, p) of arrays): (diff, p) per pair, NaN where either sample is empty. The
    same operations in the same order, so every value equals the scalar one."""
    d1, pa1, p1, n1 = _counts_arrays(*a)
    d2, pa2, p2, n2 = _counts_arrays(*b)
    with np.errstate(divide="ignore", invalid="ignore"):
        diff = nps_arrays(d1, pa1, p1) - nps_arrays(d2, pa2, p2)
        se = 100.0 * np.sqrt(
            nps_variance_arrays(d1, pa1, p1) / n1 + nps_variance_arrays(d2, pa2, p2) / n2
        )
    out_diff, out_p = np.full(len(diff), math.nan), np.full(len(diff), math.nan)
    for k in np.flatnonzero((n1 > 0) & (n2 > 0)):
        out_diff[k], _z, out_p[k] = _z_test(float(diff[k]), float(se[k]))
    return out_diff, out_p


# --------------------------------------------------------------------------- #
# Pacing towards a monthly target
# --------------------------------------------------------------------------- #

# required_nps and pace_status are cx.rules' (re-exported here).


def prob_reach_target(
    target: float,
    d: int,
    pa: int,
    p: int,
    n_left: float,
    rate_nps: float | tuple[float, float, float] | None = None,
) -> float | None:
    """Chance of ending the month with NPS >= target (normal approximation).

    Final NPS = (n_now * NPS_now + n_left * F) / (n_now + n_left), where the
    current part is fixed and F, the NPS of the remaining answers, is
    approximately normal with mean m and SD 100 * sqrt(v / n_left).

    * ``rate_nps=None``: m and v come from the current mix (d, pa, p).
    * ``rate_nps`` a number: m = rate_nps (points); v = current per-answer
      variance (1 - (m/100)^2, the largest possible, when there are no answers yet).
    * ``rate_nps`` a (d, pa, p) tuple (counts or shares): m and v from that mix.

    So final ~ N(mean, sd) with mean = (n_now*NPS_now + n_left*m) / N and
    sd = 100 * sqrt(v * n_left) / N, N = n_now + n_left; result = P(final >= T).
    n_left <= 0 -> 1.0 or 0.0 from the current value (0.0 with no answers).
    None when the future mix is unknown (no answers yet and no ``rate_nps``).
    """
    n_now = d + pa + p
    current = nps(d, pa, p)
    if n_left <= 0:
        return 1.0 if current is not None and current >= target - 1e-9 else 0.0

    if rate_nps is None:
        if current is None:
            return None
        mean_future, v = current, nps_variance(d, pa, p)
    elif isinstance(rate_nps, tuple | list):
        mean_future, v = nps(*rate_nps), nps_variance(*rate_nps)
        if mean_future is None:
            return None
    else:
        mean_future = float(rate_nps)
        v = nps_variance(d, pa, p)
        if v is None:
            # no current answers: use the largest variance compatible with that
            # NPS (no passives), v = 1 - theta^2 -- the conservative choice
            theta = mean_future / 100.0
            v = max(1.0 - theta * theta, 0.0)

    total = n_now + n_left
    cur_sum = (current or 0.0) * n_now
    mean = (cur_sum + n_left * mean_future) / total
    sd = 100.0 * math.sqrt(v * n_left) / total  # type: ignore[operator]
    if sd <= 1e-12:
        return 1.0 if mean >= target - 1e-9 else 0.0
    return 1.0 - _STD_NORMAL.cdf((target - mean) / sd)


def progress_to_target(
    start: float | None, current: float | None, target: float | None
) -> float | None:
    """Share of the way from ``start`` to ``target`` ((current-start)/(target-start)).

    Not clipped (can be < 0 or > 1). None when target == start or any is None.
    """
    if _is_missing(start) or _is_missing(current) or _is_missing(target):
        return None
    if target == start:
        return None
    return (current - start) / (target - start)  # type: ignore[operator]


# --------------------------------------------------------------------------- #
# Sample-size rules and segments
# --------------------------------------------------------------------------- #

LOW_N = 30
"""Below this many answers a figure is flagged as low-sample."""
MIN_N = 10
"""Below this many answers a figure is not compared or ranked."""


def sample_flag(n: int | None) -> Literal["ok", "low", "too_few"]:
    """'too_few' when n < MIN_N, 'low' when n < LOW_N, else 'ok'."""
    if _is_missing(n) or n < MIN_N:  # type: ignore[operator]
        return "too_few"
    if n < LOW_N:
        return "low"
    return "ok"


def segment(score: float) -> Literal["promoter", "passive", "detractor"]:
    """NPS segment of a 0-10 score (0-6 detractor, 7-8 passive, 9-10 promoter)."""
    if _is_missing(score) or not 0 <= score <= 10:
        raise ValueError(f"score must be in 0..10, got {score!r}")
    return rules.segment(score)


def counts_from_scores(scores: Iterable[float | None]) -> Counts:
    """(d, pa, p) counts from 0-10 scores; None/NaN are skipped (no answer).

    Raises ValueError for scores outside 0..10.
    """
    arr = pd.to_numeric(pd.Series(list(scores), dtype=object), errors="raise")
    vals = arr.dropna().to_numpy(dtype=float)
    if vals.size and ((vals < 0).any() or (vals > 10).any()):
        raise ValueError("scores must be in 0..10")
    d = int(np.count_nonzero(rules.is_detractor(vals)))
    p = int(np.count_nonzero(rules.is_promoter(vals)))
    return d, int(vals.size) - d - p, p


# --------------------------------------------------------------------------- #
# Rolling NPS
# --------------------------------------------------------------------------- #


def rolling_nps(
    df: pd.DataFrame,
    window: int = 7,
    method: Literal["wald", "adjusted_wald", "score"] = "adjusted_wald",
) -> pd.DataFrame:
    """Daily and rolling NPS with a 95% band (``method`` of :func:`nps_interval`).

    ``df`` has columns date, d, pa, p (one row per day). Missing calendar days
    between the first and last date are added with zero counts (duplicate
    dates are summed). Adds ``nps`` (daily), ``roll_n``, ``nps_roll``,
    ``roll_low`` and ``roll_high`` computed on the sums of counts over the last
    ``window`` days (partial windows at the start). NaN where there are no answers.
    """
    if window < 1:
        raise ValueError("window must be >= 1")
    cols = ["d", "pa", "p"]
    out_cols = ["nps", "nps_roll", "roll_low", "roll_high", "roll_n"]
    if df.empty:
        res = df.copy()
        for c in out_cols:
            res[c] = pd.Series(dtype=float)
        return res

    was_datetime = pd.api.types.is_datetime64_any_dtype(df["date"])
    if method == "adjusted_wald" and list(df.columns) == ["date", *cols]:
        return _rolling_arrays(df, window, was_datetime)
    work = df.copy()
    work["date"] = pd.to_datetime(work["date"]).dt.normalize()
    if work["date"].duplicated().any():
        work = work.groupby("date", as_index=False)[cols].sum()
    work = work.sort_values("date").set_index("date")
    full = pd.date_range(work.index.min(), work.index.max(), freq="D", name="date")
    work = work.reindex(full)
    work[cols] = work[cols].fillna(0).astype("int64")

    n_day = work[cols].sum(axis=1)
    roll = work[cols].rolling(window, min_periods=1).sum()
    roll_n = roll.sum(axis=1)

    with np.errstate(divide="ignore", invalid="ignore"):
        work["nps"] = np.where(
            n_day > 0, 100.0 * (work["p"] - work["d"]) / n_day.where(n_day > 0), np.nan
        )
        work["nps_roll"] = np.where(
            roll_n > 0,
            100.0 * (roll["p"] - roll["d"]) / roll_n.where(roll_n > 0),
            np.nan,
        )
    if method == "adjusted_wald":  # all days at once, the same values
        work["roll_low"], work["roll_high"] = nps_interval_arrays(
            roll["d"].to_numpy(), roll["pa"].to_numpy(), roll["p"].to_numpy()
        )
    else:
        bands = [
            nps_interval(rd, rpa, rp, method=method) if (rd + rpa + rp) > 0 else (None, None)
            for rd, rpa, rp in roll[cols].itertuples(index=False, name=None)
        ]
        work["roll_low"] = [np.nan if lo is None else lo for lo, _ in bands]
        work["roll_high"] = [np.nan if hi is None else hi for _, hi in bands]
    work["roll_n"] = roll_n.astype("int64")

    res = work.reset_index()
    if not was_datetime:
        res["date"] = res["date"].dt.date
    return res


def _rolling_arrays(df: pd.DataFrame, window: int, was_datetime: bool) -> pd.DataFrame:
    """:func:`rolling_nps` of a frame of date, d, pa, p in numpy (the board draws it on
    every load: 7.4 ms of pandas for two months of days on two slow cores, 2.5 ms here);
    the same values, columns and types."""
    day = pd.to_datetime(df["date"]).dt.normalize()
    full = pd.date_range(day.min(), day.max(), freq="D", name="date")
    at = full.get_indexer(day)
    counts = np.zeros((len(full), 3), dtype="int64")
    np.add.at(counts, at, df[["d", "pa", "p"]].to_numpy(dtype="int64"))
    d, pa, p = counts.T
    n_day = counts.sum(axis=1)
    run = np.vstack([np.zeros((1, 3), dtype="int64"), np.cumsum(counts, axis=0)])
    start = np.maximum(np.arange(len(full)) + 1 - window, 0)
    roll = (run[1:] - run[start]).astype(float)  # the window's sums (whole numbers)
    roll_n = roll.sum(axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        nps_day = np.where(n_day > 0, 100.0 * (p - d) / np.where(n_day > 0, n_day, np.nan), np.nan)
        nps_roll = np.where(
            roll_n > 0,
            100.0 * (roll[:, 2] - roll[:, 0]) / np.where(roll_n > 0, roll_n, np.nan),
            np.nan,
        )
    low, high = nps_interval_arrays(roll[:, 0], roll[:, 1], roll[:, 2])
    res = pd.DataFrame(
        {
            "date": full,
            "d": d,
            "pa": pa,
            "p": p,
            "nps": nps_day,
            "nps_roll": nps_roll,
            "roll_low": low,
            "roll_high": high,
            "roll_n": roll_n.astype("int64"),
        }
    )
    if not was_datetime:
        res["date"] = res["date"].dt.date
    return res


# --------------------------------------------------------------------------- #
# CSI / CJI indices
# --------------------------------------------------------------------------- #

CSI_WEIGHTS: dict[str, float] = {
    "initiation": 0.18,
    "delivery": 0.24,
    "facility": 0.15,
    "advisor": 0.22,
    "post_service": 0.21,
}

CJI_WEIGHTS: dict[str, float] = {
    "appointment": 0.10,
    "reception": 0.15,
    "advisor": 0.20,
    "waiting": 0.15,
    "repair_quality": 0.25,
    "delivery": 0.10,
    "follow_up": 0.05,
}


def weighted_means(
    columns: Mapping[str, Iterable[float]], weights: Mapping[str, float]
) -> np.ndarray:
    """Row by row, the weighted mean over the keys of ``weights`` that ``columns`` has:
    a NaN value drops out and the remaining weights are renormalised; NaN where no
    weight is left. The one definition behind :func:`csi` and :func:`cji` (one row)
    and the CSI / CJI of a whole table (every store at once)."""
    num = den = None
    for key, w in weights.items():
        if key not in columns:
            continue
        val = np.asarray(columns[key], dtype=float)
        ok = ~np.isnan(val)
        if num is None:
            num, den = np.zeros(len(val)), np.zeros(len(val))
        num = num + np.where(ok, w * val, 0.0)
        den = den + np.where(ok, w, 0.0)
    if num is None:
        lengths = [len(np.asarray(v, dtype=float).reshape(-1)) for v in columns.values()]
        return np.full(max(lengths, default=0), math.nan)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(den > 0, num / np.where(den > 0, den, 1.0), math.nan)


def _weighted_mean(
    values: Mapping[str, float | None], weights: Mapping[str, float]
) -> float | None:
    """:func:`weighted_means` of one row (None/NaN values dropped); None when nothing is
    left."""
    row = {k: [math.nan if _is_missing(v) else float(v)] for k, v in values.items() if k in weights}
    if not row:
        return None
    m = float(weighted_means(row, weights)[0])
    return None if math.isnan(m) else m


def csi(means: Mapping[str, float | None]) -> float | None:
    """CSI on a 1000-point scale: weighted mean of dimension means (1-10) x 100.

    Weights are :data:`CSI_WEIGHTS`; missing/None/NaN dimensions drop out and
    the remaining weights are renormalised. Unknown keys are ignored.
    No usable dimension -> None.
    """
    m = _weighted_mean(means, CSI_WEIGHTS)
    return None if m is None else 100.0 * m


def csi_many(means: Mapping[str, Iterable[float]]) -> np.ndarray:
    """:func:`csi` of every row of dimension means at once (NaN: no usable dimension)."""
    return 100.0 * weighted_means(means, CSI_WEIGHTS)


def cji(
    scores: Mapping[str, float | None], weights: Mapping[str, float] | None = None
) -> float | None:
    """CJI: weighted mean (0-10) of journey-stage scores.

    ``weights`` default to :data:`CJI_WEIGHTS`; fractions or percentages both
    work since the weights of the stages present are normalised by their sum.
    Missing/None/NaN stages drop out. No usable stage -> None.
    """
    return _weighted_mean(scores, CJI_WEIGHTS if weights is None else weights)


def cji_many(
    scores: Mapping[str, Iterable[float]], weights: Mapping[str, float] | None = None
) -> np.ndarray:
    """:func:`cji` of every row of stage scores at once (NaN: no usable stage)."""
    return weighted_means(scores, CJI_WEIGHTS if weights is None else weights)


def validate_weights(weights: Mapping[str, float] | Iterable[float]) -> bool:
    """True when non-negative weights sum to 100% (1 +/- 1e-6 or 100 +/- 0.01)."""
    vals = list(weights.values()) if isinstance(weights, Mapping) else list(weights)
    if not vals or any(_is_missing(w) or w < 0 for w in vals):
        return False
    total = math.fsum(vals)
    return abs(total - 1.0) <= 1e-6 or abs(total - 100.0) <= 0.01


# --------------------------------------------------------------------------- #
# Key-driver analysis
# --------------------------------------------------------------------------- #


def relative_weights(X: pd.DataFrame, y: pd.Series) -> tuple[pd.Series, float]:
    """Johnson's (2000) relative weights of predictors ``X`` for outcome ``y``.

    1. Rxx = correlation matrix of predictors, rxy = their correlations with y.
    2. Rxx = V diag(l) V^T, Lambda = V diag(sqrt l) V^T.
    3. beta = Lambda^-1 rxy (pseudo-inverse, so collinear sets do not crash).
    4. raw weights = (Lambda**2) @ (beta**2) (element-wise squares); they sum to R^2.

    Rows with NaN in any used column are dropped. Zero-variance predictors are
    left out of the decomposition and get weight 0. Returns (raw weights indexed
    by X's columns, R^2). With < 3 rows or a constant y: zeros and NaN R^2.
    """
    data = pd.concat([X, y.rename("__y__")], axis=1).apply(pd.to_numeric, errors="coerce")
    data = data.dropna()
    weights = pd.Series(0.0, index=X.columns, dtype=float)
    if len(data) < 3:
        return weights, math.nan
    yv = data["__y__"].to_numpy(dtype=float)
    xv = data.drop(columns="__y__").to_numpy(dtype=float)
    if np.std(yv) <= 1e-12:
        return weights, math.nan
    sd = xv.std(axis=0)
    keep = sd > 1e-12 * np.maximum(1.0, np.abs(xv).max(axis=0))
    if not keep.any():
        return weights, 0.0
    xs = (xv[:, keep] - xv[:, keep].mean(axis=0)) / sd[keep]
    ys = (yv - yv.mean()) / yv.std()
    m = len(ys)
    rxx = np.atleast_2d(xs.T @ xs / m)
    rxy = xs.T @ ys / m
    evals, evecs = np.linalg.eigh(rxx)
    evals = np.clip(evals, 0.0, None)
    lam = evecs @ np.diag(np.sqrt(evals)) @ evecs.T
    beta = np.linalg.pinv(lam) @ rxy
    raw = (lam**2) @ (beta**2)
    weights.iloc[np.flatnonzero(keep)] = raw
    return weights, float(raw.sum())


# --------------------------------------------------------------------------- #
# Tiers and quadrant
# --------------------------------------------------------------------------- #

NPS_TIERS: list[tuple[float, str, str, str]] = [
    (50.0, "excellent", "卓越", "Excellent"),
    (30.0, "very_good", "优秀", "Very good"),
    (10.0, "pass", "及格", "Pass"),
    (0.0, "warning", "警戒", "Warning"),
    (-100.0, "crisis", "危机", "Crisis"),
]
"""(lower_bound, key, zh_label, en_label), highest first; value >= bound matches."""

CSI_TIERS: list[tuple[float, str, str, str]] = [
    (850.0, "benchmark", "标杆", "Benchmark"),
    (800.0, "very_good", "优秀", "Very good"),
    (750.0, "good", "良好", "Good"),
    (700.0, "pass", "及格", "Pass"),
    (0.0, "improve", "需改进", "Needs improvement"),
]
"""(lower_bound, key, zh_label, en_label), highest first; value >= bound matches."""


def _tier(value: float | None, tiers: list[tuple[float, str, str, str]]) -> str | None:
    if _is_missing(value):
        return None
    for bound, key, _, _ in tiers:
        if value >= bound:  # type: ignore[operator]
            return key
    return tiers[-1][1]


def nps_tier(nps: float | None) -> str | None:
    """Tier key for an NPS (>=50 excellent, >=30 very_good, >=10 pass, >=0 warning,
    else crisis); None for a missing value."""
    return _tier(nps, NPS_TIERS)


def csi_tier(csi: float | None) -> str | None:
    """Tier key for a CSI (>=850 benchmark, >=800 very_good, >=750 good,
    >=700 pass, else improve); None for a missing value."""
    return _tier(csi, CSI_TIERS)


def quadrant(
    nps: float | None, csi: float | None, nps_cut: float, csi_cut: float
) -> Literal["dream", "surprise", "danger", "disaster"] | None:
    """NPS x CSI quadrant (>= cut is high): dream high/high, surprise high NPS
    low CSI, danger low NPS high CSI, disaster low/low. None if either is missing."""
    if _is_missing(nps) or _is_missing(csi):
        return None
    hi_nps = nps >= nps_cut  # type: ignore[operator]
    hi_csi = csi >= csi_cut  # type: ignore[operator]
    if hi_nps and hi_csi:
        return "dream"
    if hi_nps:
        return "surprise"
    if hi_csi:
        return "danger"
    return "disaster"


# --------------------------------------------------------------------------- #
# CX overview helpers
# --------------------------------------------------------------------------- #

CES_HIGHER_IS_BETTER = False
"""Customer Effort Score: lower is better (pass higher_is_better=False)."""


def csat_top2(n_top2: int, n: int) -> float | None:
    """Share of CSAT answers scoring 4 or 5 on a 1-5 scale; None when n == 0."""
    if _is_missing(n) or n <= 0:
        return None
    return n_top2 / n


def ces_mean(sum: float, n: int) -> float | None:
    """Mean Customer Effort Score (lower is better); None when n == 0."""
    if _is_missing(n) or n <= 0:
        return None
    return sum / n


def proportion_test(x1: int, n1: int, x2: int, n2: int) -> TestResult:
    """Pooled two-proportion z test: (p1 - p2 as a fraction, z, two-sided p).

    Empty sample -> (None, None, None); zero pooled SE -> z = 0, p = 1.
    """
    if n1 <= 0 or n2 <= 0:
        return None, None, None
    diff = x1 / n1 - x2 / n2
    pool = (x1 + x2) / (n1 + n2)
    se = math.sqrt(max(pool * (1.0 - pool), 0.0) * (1.0 / n1 + 1.0 / n2))
    return _z_test(diff, se)


def mean_diff_test(
    mean1: float | None,
    var1: float | None,
    n1: int,
    mean2: float | None,
    var2: float | None,
    n2: int,
) -> TestResult:
    """Welch-type normal test for mean1 - mean2: z = diff / sqrt(v1/n1 + v2/n2).

    Empty sample or missing mean -> (None, None, None). A missing variance
    (e.g. n == 1) counts as 0.
    """
    if n1 <= 0 or n2 <= 0 or _is_missing(mean1) or _is_missing(mean2):
        return None, None, None
    v1 = 0.0 if _is_missing(var1) else float(var1)  # type: ignore[arg-type]
    v2 = 0.0 if _is_missing(var2) else float(var2)  # type: ignore[arg-type]
    diff = float(mean1) - float(mean2)  # type: ignore[arg-type]
    return _z_test(diff, math.sqrt(max(v1 / n1 + v2 / n2, 0.0)))


def metric_state(
    value: float | None,
    target: float | None,
    higher_is_better: bool = True,
    amber_margin: float = 0.05,
) -> Literal["green", "amber", "red", "no_data"]:
    """Traffic light against a target.

    green: target met (value >= target, or <= when lower is better);
    amber: misses by no more than ``amber_margin * |target|`` (default 5% of
    the target, relative); red otherwise. Missing value or target -> "no_data".
    """
    if _is_missing(value) or _is_missing(target):
        return "no_data"
    gap = (value - target) if higher_is_better else (target - value)  # type: ignore[operator]
    if gap >= 0:
        return "green"
    if -gap <= amber_margin * abs(target) + 1e-12:  # type: ignore[arg-type]
        return "amber"
    return "red"


# --------------------------------------------------------------------------- #
# Exact binomial tails and score-gaming signals
# --------------------------------------------------------------------------- #


def _binom_log_pmf(ks: np.ndarray, n: int, p: float) -> np.ndarray:
    """log P(X = k) for 0 < p < 1 via math.lgamma."""
    lg_n = math.lgamma(n + 1)
    lg_k = np.fromiter((math.lgamma(k + 1) for k in ks), float, len(ks))
    lg_nk = np.fromiter((math.lgamma(n - k + 1) for k in ks), float, len(ks))
    return lg_n - lg_k - lg_nk + ks * math.log(p) + (n - ks) * math.log1p(-p)


def _log_sum_exp(x: np.ndarray) -> float:
    mx = float(x.max())
    return mx + math.log(float(np.exp(x - mx).sum()))


def _binom_sum(lo: int, hi: int, n: int, p: float) -> float:
    """P(lo <= X <= hi), summed in log space."""
    lo, hi = max(lo, 0), min(hi, n)
    if lo > hi:
        return 0.0
    if p <= 0.0:
        return 1.0 if lo == 0 else 0.0
    if p >= 1.0:
        return 1.0 if hi == n else 0.0
    ks = np.arange(lo, hi + 1, dtype=float)
    return min(1.0, math.exp(_log_sum_exp(_binom_log_pmf(ks, n, p))))


def _check_binom(n: int, p: float) -> None:
    if n < 0 or not 0.0 <= p <= 1.0:
        raise ValueError(f"need n >= 0 and 0 <= p <= 1, got n={n!r}, p={p!r}")


def binom_sf(k: float, n: int, p: float) -> float:
    """Exact P(X >= k) for X ~ Binomial(n, p) (log-space sum, fine to n ~ 1e5+)."""
    _check_binom(n, p)
    return _binom_sum(math.ceil(k), n, int(n), p)


def binom_cdf(k: float, n: int, p: float) -> float:
    """Exact P(X <= k) for X ~ Binomial(n, p) (log-space sum, fine to n ~ 1e5+)."""
    _check_binom(n, p)
    return _binom_sum(0, math.floor(k), int(n), p)


def gaming_signals(
    df: pd.DataFrame,
    group_col: str,
    n_col: str,
    tens_col: str,
    det_col: str,
    p10: float,
    pdet: float,
    alpha: float = 0.001,
) -> pd.DataFrame:
    """Flag groups (e.g. advisors) whose scores look too good to be true.

    For each group with n answers, ``tens`` scores of 10 and ``det`` detractors:
    p_tens = P(X >= tens | n, p10) and p_nodet = P(X <= det | n, pdet), with the
    network-wide rates ``p10`` and ``pdet``. ``flag`` is True when n >= MIN_N
    and either p-value < alpha. Returns a copy of ``df`` with columns p_tens,
    p_nodet and flag (rows with duplicate groups are summed first).
    """
    out = df.copy()
    if out[group_col].duplicated().any():
        out = out.groupby(group_col, as_index=False)[[n_col, tens_col, det_col]].sum()
    p_tens: list[float] = []
    p_nodet: list[float] = []
    for n, tens, det in out[[n_col, tens_col, det_col]].itertuples(index=False, name=None):
        if _is_missing(n) or n <= 0:
            p_tens.append(math.nan)
            p_nodet.append(math.nan)
            continue
        n_i = int(n)
        p_tens.append(math.nan if _is_missing(tens) else binom_sf(tens, n_i, p10))
        p_nodet.append(math.nan if _is_missing(det) else binom_cdf(det, n_i, pdet))
    out["p_tens"] = p_tens
    out["p_nodet"] = p_nodet
    enough = pd.to_numeric(out[n_col], errors="coerce").fillna(0) >= MIN_N
    low_p = (out["p_tens"] < alpha) | (out["p_nodet"] < alpha)
    out["flag"] = (enough & low_p).astype(bool)
    return out


def wilson_interval(x: float, n: float, level: float = 0.95) -> tuple[float | None, float | None]:
    """Wilson score interval for a share x / n (fractions in [0, 1]).

    n == 0 -> (None, None).
    """
    if _is_missing(n) or n <= 0:
        return None, None
    z = _z_for_level(level)
    phat = x / n
    z2 = z * z
    denom = 1.0 + z2 / n
    centre = (phat + z2 / (2.0 * n)) / denom
    half = z * math.sqrt(max(phat * (1.0 - phat) / n + z2 / (4.0 * n * n), 0.0)) / denom
    low = 0.0 if x <= 0 else max(0.0, centre - half)
    high = 1.0 if x >= n else min(1.0, centre + half)
    return low, high
