"""Pure helpers for the quadrant and heatmap pages: periods, per-store scores, CJI tables,
importance from a correlation matrix and the importance-performance map.

Everything here works on DataFrames of sums and counts (from ``cx.queries``) and calls
``cx.stats`` for the metrics themselves (one definition per metric). No I/O, no Streamlit.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from cx import i18n, metrics, stats
from cx.enums import CSI_DIMS, TP_KEYS
from cx.frames import store_label

CSI_FLAG_N = 50
"""A store's CSI is flagged when the period holds fewer CSI answers than this."""
FIXED_NPS_CUT = 50.0
FIXED_CSI_CUT = 800.0
DEFAULT_CSI_TARGET = metrics.get("csi").default_target  # the overview's CSI target too
ZONES = ("dream", "surprise", "danger", "disaster")
IPA_ZONES = ("concentrate", "keep_up", "low_priority", "overkill")

# --------------------------------------------------------------------------- helpers


def _mean(total: float, n: float) -> float | None:
    if n is None or pd.isna(n) or n <= 0:
        return None
    return float(total) / float(n)


def _none_to_nan(x: float | None) -> float:
    return math.nan if x is None else float(x)


# --------------------------------------------------------------------------- quadrant


def store_scores(sums: pd.DataFrame) -> pd.DataFrame:
    """Per-store NPS, its 95 % interval and CSI from a frame of sums.

    ``sums`` has store_id, n, d, pa, p and ``csi_<dim>_n`` / ``csi_<dim>_sum`` for each
    dimension. Adds nps, nps_low, nps_high (points, ``stats.nps_interval``), csi
    (``stats.csi`` of the dimension means; unrated dimensions drop out), csi_n (the
    answers of the most-answered dimension, a lower bound of the answers rating any
    dimension), csi_flag (csi_n < :data:`CSI_FLAG_N`) and, when ``sums`` also has
    ``csi_<dim>_sumsq``, csi_low / csi_high (:func:`csi_interval`). NaN where there is
    no data.
    """
    out = sums.copy()
    counts = [out[c].to_numpy(dtype="int64") for c in ("d", "pa", "p")]
    out["nps"] = stats.nps_arrays(*counts)
    out["nps_low"], out["nps_high"] = stats.nps_interval_arrays(*counts)
    value = stats.csi_many(_item_means(out, "csi_", CSI_DIMS))
    # rounded to 1e-9 so a CSI of exactly 800 is not 799.999... against a cut or tier
    out["csi"] = [math.nan if math.isnan(v) else round(v, 9) for v in value.tolist()]
    out["csi_n"] = out[[f"csi_{dim}_n" for dim in CSI_DIMS]].max(axis=1).astype("int64")
    out["csi_flag"] = out["csi_n"] < CSI_FLAG_N
    out["csi_low"], out["csi_high"] = csi_interval(out, value)
    return out


def _item_means(sums: pd.DataFrame, prefix: str, keys: Sequence[str]) -> dict[str, np.ndarray]:
    """Each item's mean per row from ``<prefix><key>_sum`` / ``_n`` (NaN where nobody
    rated it), as arrays (pandas arithmetic per column cost 5 ms a table at 1,900 stores)."""
    return _means_of(_item_columns(sums, prefix, keys), keys)


def _item_columns(sums: pd.DataFrame, prefix: str, keys: Sequence[str]) -> np.ndarray:
    """``<prefix><key>_n`` and ``_sum`` of every key, in that order, as one float array
    (rows x 2 keys), read in one take: a column at a time cost about 0.2 ms each, 4 of
    the heatmap's 11 ms a table at 1,900 stores."""
    cols = [f"{prefix}{key}_{part}" for key in keys for part in ("n", "sum")]
    return sums[cols].to_numpy(dtype=float, na_value=math.nan)


def _means_of(values: np.ndarray, keys: Sequence[str]) -> dict[str, np.ndarray]:
    """Each key's mean from :func:`_item_columns`' array (NaN where nobody rated it)."""
    out = {}
    for i, key in enumerate(keys):
        n, total = values[:, 2 * i], values[:, 2 * i + 1]
        with np.errstate(invalid="ignore", divide="ignore"):
            out[key] = np.where(n > 0, total / np.where(n > 0, n, 1.0), math.nan)
    return out


def csi_interval(
    sums: pd.DataFrame, value: np.ndarray, z: float = 1.96
) -> tuple[np.ndarray, np.ndarray]:
    """A conservative 95 % interval of each row's CSI (``value``) from its dimensions' n,
    sum and sum of squares.

    CSI = 100 x the weighted mean of the dimension means. Each mean's standard error is
    sd / sqrt(n); the CSI's is taken as the weighted sum of those (what it would be if
    the dimensions moved together, which they mostly do — the interval is never too
    narrow). NaN when the row has no CSI, a rated dimension has fewer than 2 answers or
    no sums of squares.
    """
    rows = len(sums)
    total_w, se = np.zeros(rows), np.zeros(rows)
    none = np.isnan(np.asarray(value, dtype=float))
    for dim in CSI_DIMS:
        n = sums[f"csi_{dim}_n"].to_numpy(dtype=float, na_value=math.nan)
        rated = n > 0
        if f"csi_{dim}_sumsq" not in sums:
            none |= rated
            continue
        sumsq = sums[f"csi_{dim}_sumsq"].to_numpy(dtype=float, na_value=math.nan)
        none |= rated & ((n < 2) | np.isnan(sumsq))
        use = rated & ~none
        safe_n = np.where(use, n, 2.0)
        mean = np.where(use, sums[f"csi_{dim}_sum"].to_numpy(dtype=float, na_value=0.0), 0.0)
        mean = mean / safe_n
        var = np.maximum(0.0, (np.where(use, sumsq, 0.0) - safe_n * mean * mean) / (safe_n - 1))
        w = stats.CSI_WEIGHTS[dim]
        total_w = total_w + np.where(use, w, 0.0)
        se = se + np.where(use, w * np.sqrt(var / safe_n), 0.0)
    none |= total_w <= 0
    half = z * 100.0 * se / np.where(none, 1.0, total_w)
    low = np.where(none, math.nan, np.maximum(100.0, value - half))
    high = np.where(none, math.nan, np.minimum(1000.0, value + half))
    return low, high


MEDIAN_MIN_STORES = 3
"""The fewest stores whose medians make crosshairs: a store manager's one store sat on
its own medians, in no zone, on every map."""


def median_stores(scores: pd.DataFrame) -> pd.DataFrame:
    """The stores of ``scores`` the median crosshairs are taken over: those with at least
    ``stats.MIN_N`` answers and a CSI."""
    return scores[(scores["n"] >= stats.MIN_N) & scores["csi"].notna() & scores["nps"].notna()]


def median_cuts(scores: pd.DataFrame) -> tuple[float, float] | None:
    """(NPS, CSI) medians over :func:`median_stores`; None with fewer than
    :data:`MEDIAN_MIN_STORES` of them."""
    ok = median_stores(scores)
    if len(ok) < MEDIAN_MIN_STORES:
        return None
    return float(ok["nps"].median()), float(ok["csi"].median())


def target_cuts(nps_target: float | None, csi_target: float | None) -> tuple[float, float, bool]:
    """(NPS cut, CSI cut, NPS target found) for the 'targets' crosshairs.

    No NPS target -> the fixed NPS line; no CSI target -> :data:`DEFAULT_CSI_TARGET`.
    """
    found = nps_target is not None and not pd.isna(nps_target)
    nps_cut = float(nps_target) if found else FIXED_NPS_CUT
    csi_cut = DEFAULT_CSI_TARGET if csi_target is None or pd.isna(csi_target) else float(csi_target)
    return nps_cut, csi_cut, found


def add_zones(scores: pd.DataFrame, nps_cut: float, csi_cut: float) -> pd.DataFrame:
    """Adds zone (``stats.quadrant``; None without an NPS or a CSI), on_line (the NPS or
    the CSI interval straddles its cut, so the zone is not certain), nps_tier and csi_tier
    keys (None when missing). All stores at once: the rules of ``stats.quadrant`` and
    ``stats._tier`` on arrays; an interval straddles a cut that lies strictly inside it."""
    out = scores.copy()
    nps = out["nps"].to_numpy(dtype=float)
    csi = out["csi"].to_numpy(dtype=float)
    scored = ~(np.isnan(nps) | np.isnan(csi))
    hi_nps, hi_csi = nps >= nps_cut, csi >= csi_cut
    zone = np.select(
        [hi_nps & hi_csi, hi_nps, hi_csi], ["dream", "surprise", "danger"], "disaster"
    ).astype(object)
    zone[~scored] = None
    out["zone"] = pd.Series(zone, index=out.index, dtype=object)

    def straddles(low: str, high: str, cut: float) -> np.ndarray:
        if low not in out:
            return np.zeros(len(out), dtype=bool)
        lo, hi = out[low].to_numpy(dtype=float), out[high].to_numpy(dtype=float)
        return ~(np.isnan(lo) | np.isnan(hi)) & (lo < cut) & (cut < hi)

    out["on_line"] = (
        scored
        & (straddles("nps_low", "nps_high", nps_cut) | straddles("csi_low", "csi_high", csi_cut))
    ).tolist()
    out["nps_tier"] = _tiers(nps, stats.NPS_TIERS)
    out["csi_tier"] = _tiers(csi, stats.CSI_TIERS)
    return out


def _tiers(values: np.ndarray, tiers: list[tuple[float, str, str, str]]) -> list[str | None]:
    """``stats._tier`` of many values: the first tier whose bound the value reaches, else
    the last; None where the value is missing."""
    key = np.full(len(values), tiers[-1][1], dtype=object)
    left = np.ones(len(values), dtype=bool)
    for bound, name, _, _ in tiers:
        hit = left & (values >= bound)
        key[hit] = name
        left &= ~hit
    key[np.isnan(values)] = None
    return key.tolist()


def movements(current: pd.DataFrame, previous: pd.DataFrame) -> pd.DataFrame:
    """Stores present in both periods with a score: store_id, csi0, nps0, csi1, nps1."""
    cols = ["store_id", "csi", "nps"]
    a = previous[cols].rename(columns={"csi": "csi0", "nps": "nps0"})
    b = current[cols].rename(columns={"csi": "csi1", "nps": "nps1"})
    both = a.merge(b, on="store_id").dropna()
    return both.reset_index(drop=True)


# --------------------------------------------------------------------------- heatmap / CJI


def touchpoint_means(sums: pd.DataFrame) -> pd.DataFrame:
    """Per-row mean of each touchpoint (``<tp>``, NaN where nobody rated it) and its n."""
    values = _item_columns(sums, "tp_", TP_KEYS)
    if np.isnan(values[:, 0::2]).any():  # as pandas refused a missing count as an int
        raise ValueError("a touchpoint count is missing")
    cols: dict[str, np.ndarray] = {}
    for i, (tp, mean) in enumerate(_means_of(values, TP_KEYS).items()):
        cols[tp] = mean
        cols[f"{tp}_n"] = values[:, 2 * i].astype("int64")
    return pd.DataFrame(cols, index=sums.index)  # one frame, not a column at a time


def cji_table(
    sums: pd.DataFrame,
    weights: Mapping[str, float],
    previous: pd.DataFrame | None = None,
    key: str = "store_id",
) -> pd.DataFrame:
    """Touchpoint means, CJI (``stats.cji`` with ``weights``), weakest touchpoint, changes.

    ``sums`` has ``key`` and ``tp_<tp>_n`` / ``tp_<tp>_sum`` (and optionally n). Output
    keeps the other columns of ``sums`` and adds ``<tp>``, ``<tp>_n``, ``<tp>_chg`` (change
    of the mean against ``previous``, NaN when either side is missing or has fewer than
    ``stats.MIN_N`` ratings), cji, cji_chg (the same on tp_n),
    weakest (the touchpoint with the lowest mean) and tp_n (the largest touchpoint n).
    """
    keep = [c for c in sums.columns if not c.startswith("tp_")]
    tps, means, cji = _means_and_cji(sums, weights)
    cols: dict[str, object] = {"cji": cji}
    # the first touchpoint with the lowest mean; None where nobody rated any
    rated = ~np.isnan(means).all(axis=1)
    lowest = np.argmin(np.where(np.isnan(means), math.inf, means), axis=1) if len(means) else []
    names = np.array(TP_KEYS, dtype=object)
    cols["weakest"] = np.where(rated, names[lowest], None) if len(means) else []
    cols["tp_n"] = tps[[f"{tp}_n" for tp in TP_KEYS]].max(axis=1).astype("int64")
    here = pd.DataFrame(cols)
    change = np.full((len(means), len(TP_KEYS) + 1), math.nan)
    if previous is not None and not previous.empty:
        prev_tps, prev_means, prev_cji = _means_and_cji(previous, weights)
        before = np.column_stack([prev_means, prev_cji])
        at = pd.Index(previous[key].to_numpy()).get_indexer(sums[key].to_numpy())
        if len(at):
            change = np.column_stack([means, cji]) - before[np.maximum(at, 0)]
            change[at < 0] = math.nan  # not in the previous period
            # below stats.MIN_N ratings on either side a mean is not compared, as a store
            # with fewer is not ranked (a CJI on 2 ratings showed a change of +1.51)
            n_cols = [f"{tp}_n" for tp in TP_KEYS]
            n_now = tps[n_cols].to_numpy(dtype=float)
            n_before = prev_tps[n_cols].to_numpy(dtype=float)[np.maximum(at, 0)]
            n_now = np.column_stack([n_now, n_now.max(axis=1)])
            n_before = np.column_stack([n_before, n_before.max(axis=1)])
            change[(n_now < stats.MIN_N) | (n_before < stats.MIN_N)] = math.nan
    changes = pd.DataFrame(change, columns=[f"{c}_chg" for c in [*TP_KEYS, "cji"]])
    # one frame, not a column at a time (a column at a time cost 20 ms at 1,900 stores)
    return pd.concat([sums[keep].reset_index(drop=True), tps, here, changes], axis=1)


def _means_and_cji(
    sums: pd.DataFrame, weights: Mapping[str, float]
) -> tuple[pd.DataFrame, np.ndarray, np.ndarray]:
    """:func:`touchpoint_means` of ``sums`` (0-based index), the means as an array (rows x
    :data:`TP_KEYS`) and each row's CJI."""
    tps = touchpoint_means(sums).reset_index(drop=True)
    means = tps[TP_KEYS].to_numpy(dtype=float)
    return tps, means, stats.cji_many({tp: means[:, i] for i, tp in enumerate(TP_KEYS)}, weights)


def rank_by_cji(
    table: pd.DataFrame, order: str = "cji_desc", key: str = "store_id"
) -> pd.DataFrame:
    """Sort a CJI table; rows with fewer than ``stats.MIN_N`` answers go last, unranked.

    ``order``: 'cji_desc' (best first), 'cji_asc' (worst first) or 'store' (by id).
    Adds ``rank`` (1 = best CJI among ranked rows; NaN for unranked rows).
    """
    out = table.copy()
    ranked = (out["tp_n"] >= stats.MIN_N) & out["cji"].notna()
    out["rank"] = out["cji"].where(ranked).rank(ascending=False, method="min")
    out["_unranked"] = ~ranked
    if order == "store":
        out = out.sort_values(key)
    else:
        out = out.sort_values(["_unranked", "cji", key], ascending=[True, order == "cji_asc", True])
    return out.drop(columns="_unranked").reset_index(drop=True)


def weights_from_percent(values: Mapping[str, float]) -> dict[str, float] | None:
    """Percent inputs -> fractional weights, or None when they do not sum to 100 %."""
    vals = {k: float(v) for k, v in values.items()}
    if not stats.validate_weights(vals) or abs(sum(vals.values()) - 100.0) > 0.01:
        return None
    return {k: v / 100.0 for k, v in vals.items()}


def network_performance(sums: pd.DataFrame) -> pd.Series:
    """Mean score of each touchpoint over all rows of ``sums`` (NaN when unrated)."""
    return pd.Series(
        {
            tp: _none_to_nan(_mean(sums[f"tp_{tp}_sum"].sum(), sums[f"tp_{tp}_n"].sum()))
            for tp in TP_KEYS
        }
    )


# --------------------------------------------------------------------------- importance


def pseudo_sample(corr: pd.DataFrame) -> pd.DataFrame:
    """2k rows whose (population) correlation matrix equals ``corr`` exactly.

    Rows are +-sqrt(k) R^(1/2): the columns have mean 0, variance 1 and covariance R,
    so :func:`cx.stats.relative_weights` on them gives the same result as on the raw
    answers that produced R (Johnson's weights depend on the correlations only).
    """
    r = corr.to_numpy(dtype=float)
    k = r.shape[0]
    evals, evecs = np.linalg.eigh((r + r.T) / 2.0)
    root = evecs @ np.diag(np.sqrt(np.clip(evals, 0.0, None))) @ evecs.T
    half = math.sqrt(k) * root
    return pd.DataFrame(np.vstack([half, -half]), columns=corr.columns)


def importance(corr: pd.DataFrame, outcome: str = "nps") -> tuple[pd.Series, float]:
    """Relative importance (% of R^2, sums to 100) of each predictor for ``outcome``.

    ``corr`` is the correlation matrix of the predictors and the outcome over complete
    answers. Uses ``stats.relative_weights``. Returns (importance %, R^2); all NaN when
    the model explains nothing.
    """
    data = pseudo_sample(corr)
    x = data.drop(columns=outcome)
    raw, r2 = stats.relative_weights(x, data[outcome])
    if not r2 or pd.isna(r2) or r2 <= 0:
        return pd.Series(math.nan, index=x.columns), r2
    return 100.0 * raw / raw.sum(), r2


def _johnson(r: np.ndarray) -> tuple[np.ndarray, float]:
    """Johnson's relative weights from a correlation matrix (outcome first), as
    ``stats.relative_weights`` computes them: (raw weights, R^2)."""
    raw = _johnson_many(r[None])[0]
    return raw, float(raw.sum()) if (np.diag(r)[1:] > 0).any() else math.nan


def _johnson_many(r: np.ndarray) -> np.ndarray:
    """:func:`_johnson`'s raw weights for a stack of correlation matrices (D, k, k) at
    once: (D, k - 1). Constant predictors (a zero diagonal) drop out with weight 0; the
    matrices are solved together per pattern of such predictors (almost always one)."""
    rxx, rxy = r[:, 1:, 1:], r[:, 1:, 0]
    keep = np.diagonal(rxx, axis1=1, axis2=2) > 0
    raw = np.zeros(rxy.shape)
    patterns, which = np.unique(keep, axis=0, return_inverse=True)
    for p, pattern in enumerate(patterns):
        if not pattern.any():
            continue
        rows = np.flatnonzero(which.reshape(-1) == p)
        sub = rxx[np.ix_(rows, pattern, pattern)]
        evals, evecs = np.linalg.eigh((sub + sub.transpose(0, 2, 1)) / 2.0)
        root = np.sqrt(np.clip(evals, 0.0, None))
        lam = (evecs * root[:, None, :]) @ evecs.transpose(0, 2, 1)
        beta = np.linalg.pinv(lam) @ rxy[np.ix_(rows, pattern)][:, :, None]
        raw[np.ix_(rows, pattern)] = ((lam**2) @ (beta**2))[:, :, 0]
    return raw


def _corr_from_moments(total: np.ndarray, names: Sequence[str]) -> np.ndarray | None:
    """Correlation matrix from summed n, sums and cross-product sums (one row of moments)."""
    if total[0] < 3:
        return None
    return _corr_many(total[None], len(names))[0]


def _corr_many(totals: np.ndarray, k: int) -> np.ndarray:
    """Correlation matrices (D, k, k) from rows of summed moments (D, columns of
    :func:`_moment_columns`); rows of fewer than 3 answers give matrices of NaN."""
    n = totals[:, 0][:, None, None]
    s = totals[:, 1 : 1 + k]
    upper = np.triu_indices(k)  # row by row, as the cross-product columns come
    x = np.zeros((len(totals), k, k))
    x[:, upper[0], upper[1]] = totals[:, 1 + k :]
    x[:, upper[1], upper[0]] = totals[:, 1 + k :]
    with np.errstate(divide="ignore", invalid="ignore"):
        cov = x / n - s[:, :, None] * s[:, None, :] / (n * n)
        sd = np.sqrt(np.clip(np.diagonal(cov, axis1=1, axis2=2), 0.0, None))
        r = cov / (sd[:, :, None] * sd[:, None, :])
    r[~np.isfinite(r)] = 0.0
    diag = np.arange(k)
    r[:, diag, diag] = np.where(sd > 0, 1.0, 0.0)
    r[totals[:, 0] < 3] = np.nan
    return r


def _moment_columns(names: Sequence[str]) -> list[str]:
    """n, the sums and the cross-product sums (a <= b), in :func:`_corr_from_moments` order."""
    cols = ["n", *(f"s|{v}" for v in names)]
    return cols + [f"x|{a}|{b}" for i, a in enumerate(names) for b in names[i:]]


def moments_corr(moments: pd.DataFrame, names: Sequence[str]) -> tuple[pd.DataFrame, int]:
    """The correlation matrix of ``names`` over all the answers the moments sum, and how
    many answers that is. A constant variable's row, column and diagonal are 0 (it drops
    out of the key-driver analysis); fewer than 3 answers give a zero matrix."""
    k = len(names)
    total = moments[_moment_columns(names)].to_numpy(dtype=float).sum(axis=0)
    n = int(total[0]) if len(moments) else 0
    r = _corr_from_moments(total, names) if n else None
    mat = np.zeros((k, k)) if r is None else r
    return pd.DataFrame(mat, index=list(names), columns=list(names)), n


def bootstrap_importance(
    moments: pd.DataFrame, names: Sequence[str], draws: int = 400, seed: int = 20251031
) -> pd.DataFrame:
    """Importance % of each predictor with a 95 % bootstrap interval.

    ``moments``: one row per random group of answers (columns n, ``s|<v>``, ``x|<a>|<b>``
    as :func:`cx.queries.heatmap.touchpoint_moments` returns; ``names`` = outcome first,
    then the predictors). The groups are drawn with replacement ``draws`` times; each
    draw's Johnson weights (% of R^2) give the 2.5 and 97.5 percentiles. Columns
    touchpoint, importance (all groups), low, high; NaN when nothing is explained.
    """
    k = len(names)
    out = pd.DataFrame({"touchpoint": list(names[1:])})
    out["importance"] = out["low"] = out["high"] = math.nan
    if moments.empty or moments["n"].sum() < 3:
        return out
    m = moments[_moment_columns(names)].to_numpy(dtype=float)

    def pct(total: np.ndarray) -> np.ndarray:
        r = _corr_from_moments(total, names)
        if r is None:
            return np.full(k - 1, math.nan)
        raw, r2 = _johnson(r)
        return 100.0 * raw / r2 if r2 and r2 > 0 else np.full(k - 1, math.nan)

    out["importance"] = pct(m.sum(axis=0))
    rng = np.random.default_rng(seed)
    weights = rng.multinomial(len(m), np.full(len(m), 1.0 / len(m)), size=draws)
    # every draw at once: 400 draws one by one cost 34 ms of the heatmap's render
    r = _corr_many(weights @ m, k)
    valid = ~np.isnan(r).any(axis=(1, 2))
    boot = np.full((draws, k - 1), math.nan)
    if valid.any():
        raw = _johnson_many(r[valid])
        r2 = raw.sum(axis=1, keepdims=True)
        with np.errstate(divide="ignore", invalid="ignore"):
            boot[valid] = np.where(r2 > 0, 100.0 * raw / r2, math.nan)
    with warnings.catch_warnings():  # no draw explains anything (a constant score): NaN
        warnings.simplefilter("ignore", RuntimeWarning)
        out["low"] = np.nanpercentile(boot, 2.5, axis=0)
        out["high"] = np.nanpercentile(boot, 97.5, axis=0)
    return out


def weight_verdicts(boot: pd.DataFrame, weights: Mapping[str, float]) -> pd.Series:
    """Per touchpoint: 'stronger' / 'weaker' than its assumed weight only when the
    bootstrap interval lies wholly above / below it, else 'consistent' (None: no data)."""
    total = sum(weights.get(tp, 0.0) for tp in boot["touchpoint"]) or 1.0
    out = []
    for r in boot.itertuples(index=False):
        w = 100.0 * weights.get(r.touchpoint, 0.0) / total
        if pd.isna(r.low) or pd.isna(r.high):
            out.append(None)
        elif r.low > w:
            out.append("stronger")
        elif r.high < w:
            out.append("weaker")
        else:
            out.append("consistent")
    return pd.Series(out, index=boot["touchpoint"], dtype=object)


def ipa_zone(
    importance_pct: float, performance: float, imp_cut: float, perf_cut: float
) -> str | None:
    """Importance-performance zone (>= cut is high).

    concentrate: important, weak; keep_up: important, strong; low_priority: less
    important, weak; overkill: less important, strong. None if either is missing.
    """
    if pd.isna(importance_pct) or pd.isna(performance):
        return None
    hi_imp = importance_pct >= imp_cut
    hi_perf = performance >= perf_cut
    if hi_imp:
        return "keep_up" if hi_perf else "concentrate"
    return "overkill" if hi_perf else "low_priority"


def ipa_table(
    imp: pd.Series, perf: pd.Series, weights: Mapping[str, float]
) -> tuple[pd.DataFrame, float, float]:
    """One row per touchpoint: importance %, performance, assumed weight %, gap and zone.

    Cuts are the mean importance (100 / number of touchpoints with a value) and the mean
    performance over the touchpoints. Returns (table, importance cut, performance cut).
    """
    df = pd.DataFrame({"touchpoint": list(TP_KEYS)})
    df["importance"] = [float(imp.get(tp, math.nan)) for tp in TP_KEYS]
    df["performance"] = [float(perf.get(tp, math.nan)) for tp in TP_KEYS]
    total = sum(weights.get(tp, 0.0) for tp in TP_KEYS) or 1.0
    df["weight"] = [100.0 * weights.get(tp, 0.0) / total for tp in TP_KEYS]
    df["gap"] = df["importance"] - df["weight"]
    valid = df.dropna(subset=["importance", "performance"])
    imp_cut = 100.0 / len(valid) if len(valid) else math.nan
    perf_cut = float(valid["performance"].mean()) if len(valid) else math.nan
    df["zone"] = [
        ipa_zone(i, p, imp_cut, perf_cut)
        for i, p in zip(df["importance"], df["performance"], strict=True)
    ]
    return df, imp_cut, perf_cut


# --------------------------------------------------------------------------- quadrant page


def choose_cuts(
    mode: str,
    scores: pd.DataFrame,
    nps_target: float | None = None,
    nps_source: str = "none",
    csi_target: float | None = None,
) -> tuple[float, float, str]:
    """(NPS cut, CSI cut, how) for the crosshair ``mode`` 'median', 'fixed' or 'targets'.

    ``how`` names the text that explains the lines: 'median', 'median_missing' (no
    store with enough answers: fixed lines), 'fixed', 'target_<source>' (the NPS
    target's source from ``cx.targets.SOURCES``) or 'target_none' (no NPS target: NPS 50).
    """
    if mode == "median":
        cuts = median_cuts(scores)
        if cuts is None:
            return FIXED_NPS_CUT, FIXED_CSI_CUT, "median_missing"
        return cuts[0], cuts[1], "median"
    if mode == "targets":
        nps_cut, csi_cut, found = target_cuts(nps_target, csi_target)
        how = (
            f"target_{nps_source}"
            if found and nps_source in ("store", "default", "region", "network", "stores")
            else "target_none"
        )
        return nps_cut, csi_cut, how
    if mode == "fixed":
        return FIXED_NPS_CUT, FIXED_CSI_CUT, "fixed"
    raise ValueError(f"unknown crosshair mode {mode!r}")


def _tier_label(kind: str, key: object, lang: str) -> str:
    """The name of an NPS or CSI tier (the text ``quad.tier.<kind>.<key>``); "" for none."""
    return i18n.t(f"quad.tier.{kind}.{key}", lang) if isinstance(key, str) and key else ""


def quadrant_rows(scores: pd.DataFrame, previous: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The table beside the chart (texts through ``cx.i18n``), best NPS first.

    Columns: store_id, store, region, zone, prev_zone, nps, csi, n, csi_n, nps_tier,
    csi_tier, flag; numbers formatted as shown (NPS and CSI with their intervals). A
    store with answers but no CSI shows "no CSI" as its zone; one whose NPS or CSI
    interval straddles a cut shows "on the line" with the zone it leans to.
    """
    tr = lambda key, **fmt: i18n.t(key, lang, **fmt)  # noqa: E731
    none = tr("fmt.no_data")
    prev_zone = dict(zip(previous.get("store_id", []), previous.get("zone", []), strict=True))

    def zone_text(z, on_line: bool = False, has_nps: bool = True) -> str:
        if not isinstance(z, str) or not z:
            return tr("quad.zone.no_csi") if has_nps else none
        name = tr(f"quad.zone.{z}")
        return i18n.t("quad.zone.on_line", lang, zone=name) if on_line else name

    def csi_text(r) -> str:
        if pd.isna(r["csi"]):
            return tr("quad.zone.no_csi")
        lo, hi = r.get("csi_low", math.nan), r.get("csi_high", math.nan)
        if pd.isna(lo) or pd.isna(hi):
            return f"{r['csi']:.0f}"
        return f"{r['csi']:.0f} ({lo:.0f} – {hi:.0f})"

    rows = []
    for r in scores.sort_values(["nps", "store_id"], ascending=[False, True]).to_dict("records"):
        flags = []
        sample = stats.sample_flag(r["n"])  # as the board and segments flag an NPS
        if sample == "too_few":
            flags.append(tr("quad.flag.too_few"))
        elif sample == "low":
            flags.append(tr("quad.flag.low_n", n=stats.LOW_N))
        if r["csi_flag"]:
            flags.append(tr("quad.flag.csi_low"))
        pz = prev_zone.get(r["store_id"])
        rows.append(
            {
                "store_id": r["store_id"],
                "store": store_label(r["store_id"], r["store_name"]),
                "region": r["region"],
                "zone": zone_text(r["zone"], bool(r.get("on_line")), not pd.isna(r["nps"])),
                "prev_zone": zone_text(pz, False, False),
                "nps": none
                if pd.isna(r["nps"])
                else f"{r['nps']:.1f} ({r['nps_low']:.1f} – {r['nps_high']:.1f})",
                "csi": csi_text(r),
                "n": int(r["n"]),
                "csi_n": int(r["csi_n"]),
                "nps_tier": _tier_label("nps", r["nps_tier"], lang) or none,
                "csi_tier": _tier_label("csi", r["csi_tier"], lang) or none,
                "flag": " · ".join(flags),
            }
        )
    return pd.DataFrame(rows)
