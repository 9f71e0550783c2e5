"""Honest signals: score-gaming review and NPS drop alerts with false discoveries controlled.

Pure functions over count frames from :mod:`cx.queries.signals` (no I/O, no streamlit).

Gaming review. Good service is not a signal: a team is never compared with the
network. An advisor is compared with the rest of their own store over the same days,
a store with its own history, and only on patterns that gaming leaves behind:

- ``fast``: answers completed in under :data:`FAST_SECONDS` seconds (the customer did
  not read the questions);
- ``silent_tens``: 10s without a comment, as a share of the 10s;
- ``repeat``: answers from a customer (phone, else customer id) who already answered
  in the window (one phone filling in many surveys);
- ``month_end`` (stores only): the share of 10s in the last :data:`MONTH_END_DAYS`
  days of each month against the other days of the same months.

Each test is one-sided (is this rate *higher* than its reference?) with Fisher's
exact test, and everything tested at once is put through Benjamini-Hochberg at
:data:`FDR`: of the flags raised, about 5 % or fewer are expected to be chance.

Drop alerts: each store's NPS over the last :data:`DROP_DAYS` days against its own
previous :data:`DROP_BASE_DAYS` days, one-sided z test (``cx.stats.nps_diff_test``),
Benjamini-Hochberg across the stores at :data:`FDR`.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from cx import stats

FDR = 0.05
"""The stated false discovery rate (Benjamini-Hochberg) for gaming flags and drops."""
FAST_SECONDS = 20
MONTH_END_DAYS = 3
MONTH_END_MONTHS = 3
"""Months looked at for the month-end spike (the latest ones ending by the date)."""
WINDOW_DAYS = 30
"""Days of answers a gaming review looks at (the digest: the 30 days up to its date)."""
HISTORY_DAYS = 90
"""A store's own history for the gaming review: the days before the window."""
DROP_DAYS = 7
DROP_BASE_DAYS = 56
"""The store's own earlier days a week is compared with (the board's 8 weeks)."""
MIN_N = stats.MIN_N
"""Fewest answers (on each side) for a test to be run at all."""

ADVISOR_SIGNALS = ("fast", "silent_tens", "repeat")
STORE_SIGNALS = ("fast", "silent_tens", "repeat", "month_end")
SIGNALS = STORE_SIGNALS
# (hit column, base column) of each signal in the count frames
_COLUMNS = {
    "fast": ("fast", "dur_n"),
    "silent_tens": ("silent", "tens"),
    "repeat": ("rep", "key_n"),
}

TEST_COLUMNS = [
    "level",
    "store_id",
    "advisor",
    "signal",
    "x",
    "n",
    "rate",
    "ref_x",
    "ref_n",
    "ref_rate",
    "p",
]


# --------------------------------------------------------------------------- statistics
def fisher_greater(x1: int, n1: int, x2: int, n2: int) -> float:
    """One-sided Fisher exact p that group 1's rate (x1/n1) is higher than group 2's.

    P(X >= x1) for X ~ Hypergeometric(N = n1 + n2, K = x1 + x2, n1): how often the
    hits would fall at least this unevenly on group 1 if both shared one rate.
    """
    return float(fisher_greater_many([x1], [n1], [x2], [n2])[0])


_TERMS_PER_BATCH = 1_000_000
"""Tail terms summed in one batch (8 bytes each in a few arrays): bounds the memory."""


def fisher_greater_many(x1, n1, x2, n2) -> np.ndarray:
    """:func:`fisher_greater` of many tables at once (equal-length integer sequences).

    Every term of every tail is one entry of a flat array of log-binomials (from a
    table of log factorials), summed per test as exp(max) times the sum of exp(log -
    max): a network's ten thousand tests take milliseconds, where one Python call per
    test took most of a second.
    """
    x1, n1, x2, n2 = (np.asarray(a, dtype=np.int64).reshape(-1) for a in (x1, n1, x2, n2))
    out = np.ones(len(x1))
    big_n, k_tot = n1 + n2, x1 + x2
    lo, hi = x1, np.minimum(n1, k_tot)
    testable = (n1 > 0) & (n2 > 0)
    out[testable & (lo > hi)] = 0.0
    todo = np.flatnonzero(testable & (lo <= hi))
    if not len(todo):
        return out
    lf = _log_factorials(int(big_n[todo].max()))
    ends = np.cumsum(hi[todo] - lo[todo] + 1)
    first = 0
    while first < len(todo):
        done = ends[first - 1] if first else 0
        last = max(first + 1, int(np.searchsorted(ends, done + _TERMS_PER_BATCH, side="right")))
        batch = todo[first:last]
        out[batch] = _upper_tails(lf, n1[batch], big_n[batch], k_tot[batch], lo[batch], hi[batch])
        first = last
    return out


def _upper_tails(lf, n1, big_n, k_tot, lo, hi) -> np.ndarray:
    """P(X >= lo) for X ~ Hypergeometric(big_n, k_tot, n1), per test (lo <= hi)."""
    lengths = hi - lo + 1
    starts = np.concatenate(([0], np.cumsum(lengths)[:-1]))
    rest = big_n - k_tot
    # term j of a test is k = lo + j: log C(kt, k) + log C(rest, n1 - k) - log C(big_n, n1);
    # the per-test parts are spread over the terms once (np.repeat), the rest is j
    j = np.arange(int(lengths.sum())) - np.repeat(starts, lengths)
    logs = np.repeat(lf[k_tot] + lf[rest] - (lf[big_n] - lf[n1] - lf[big_n - n1]), lengths)
    logs -= lf[np.repeat(lo, lengths) + j]
    logs -= lf[np.repeat(k_tot - lo, lengths) - j]
    logs -= lf[np.repeat(n1 - lo, lengths) - j]
    logs -= lf[np.repeat(rest - n1 + lo, lengths) + j]
    top = np.maximum.reduceat(logs, starts)
    logs -= np.repeat(top, lengths)
    return np.minimum(1.0, np.exp(top) * np.add.reduceat(np.exp(logs, out=logs), starts))


_LOG_FACT = np.zeros(1)


def _log_factorials(n: int) -> np.ndarray:
    """log(i!) for i = 0..n (at least), as ``math.lgamma(i + 1)``; grown and kept."""
    global _LOG_FACT
    if len(_LOG_FACT) <= n:
        size = max(n + 1, 2 * len(_LOG_FACT))
        _LOG_FACT = np.array([math.lgamma(i + 1) for i in range(size)])
    return _LOG_FACT


def benjamini_hochberg(p_values, q: float = FDR) -> tuple[np.ndarray, np.ndarray]:
    """(rejected, adjusted q-values) for p-values under Benjamini-Hochberg at rate ``q``.

    Sort the m p-values; the largest k with p_(k) <= k q / m and all smaller ones are
    rejected. The q-value of a test is the smallest rate at which it would be rejected.
    """
    p = np.asarray(p_values if isinstance(p_values, np.ndarray) else list(p_values), dtype=float)
    m = len(p)
    if m == 0:
        return np.zeros(0, dtype=bool), np.zeros(0)
    order = np.argsort(p, kind="stable")
    ranked = p[order] * m / np.arange(1, m + 1)
    adjusted = np.minimum.accumulate(ranked[::-1])[::-1]
    qvals = np.empty(m)
    qvals[order] = np.minimum(adjusted, 1.0)
    return qvals <= q * (1 + 1e-12), qvals  # p m / k can land a hair above q in floating point


# --------------------------------------------------------------------------- gaming review
def _candidates(
    level: str, frame: pd.DataFrame, signal: str, x, n, rx, rn, advisor=None
) -> dict[str, np.ndarray]:
    """One possible test per row of ``frame``: its counts and its reference's (columns as
    arrays: the network's tests are put together once, not frame by frame)."""
    rows = len(frame)
    return {
        "level": np.full(rows, level, dtype=object),
        "store_id": frame["store_id"].to_numpy(dtype=object),
        "advisor": np.full(rows, None, dtype=object) if advisor is None else advisor,
        "signal": np.full(rows, signal, dtype=object),
        "x": np.asarray(x, dtype=np.int64),
        "n": np.asarray(n, dtype=np.int64),
        "ref_x": np.asarray(rx, dtype=np.int64),
        "ref_n": np.asarray(rn, dtype=np.int64),
        "_row": np.arange(rows),
    }


def gaming_tests(
    advisors: pd.DataFrame,
    store_now: pd.DataFrame,
    store_before: pd.DataFrame,
    month_end: pd.DataFrame,
) -> pd.DataFrame:
    """Every gaming test that can be run (see the module docstring), with its p-value.

    ``advisors``: store_id, advisor ('' for answers without one) and the counts n,
    dur_n, fast, tens, silent, key_n, rep over the window. ``store_now`` /
    ``store_before``: the same counts per store over the window and over the store's
    own history. ``month_end``: store_id, me_n, me_tens, rest_n, rest_tens.
    Tests with fewer than ``MIN_N`` answers on either side, or whose rate is not above
    the reference, are not run (they cannot flag). Rows come advisor by advisor (each
    advisor's signals in turn), then store by store, then the month-end tests.
    """
    parts: list[dict[str, np.ndarray]] = []
    order: list[tuple[int, int]] = []  # (block, signal) of each part
    if not advisors.empty:
        named = advisors[advisors["advisor"] != ""].reset_index(drop=True)
        sums = ["dur_n", "fast", "tens", "silent", "key_n", "rep"]
        store = advisors.groupby("store_id")[sums].sum().reindex(named["store_id"])
        names = named["advisor"].to_numpy(dtype=object)
        for i, signal in enumerate(ADVISOR_SIGNALS):
            hit, base = _COLUMNS[signal]
            x, n = named[hit].to_numpy(), named[base].to_numpy()
            rx, rn = store[hit].to_numpy() - x, store[base].to_numpy() - n
            parts.append(_candidates("advisor", named, signal, x, n, rx, rn, names))
            order.append((0, i))
    if not store_now.empty and not store_before.empty:
        both = store_now.merge(store_before, on="store_id", suffixes=("", "_ref"), sort=False)
        for i, signal in enumerate(("fast", "silent_tens", "repeat")):
            hit, base = _COLUMNS[signal]
            ref_x, ref_n = both[f"{hit}_ref"], both[f"{base}_ref"]
            parts.append(_candidates("store", both, signal, both[hit], both[base], ref_x, ref_n))
            order.append((1, i))
    if not month_end.empty:
        me = month_end.reset_index(drop=True)
        parts.append(
            _candidates(
                "store", me, "month_end", me["me_tens"], me["me_n"], me["rest_tens"], me["rest_n"]
            )
        )
        order.append((2, 0))
    if not parts:
        return pd.DataFrame(columns=TEST_COLUMNS)
    cols = {c: np.concatenate([p[c] for p in parts]) for c in parts[0]}
    block = np.concatenate(
        [np.full(len(p["x"]), b) for p, (b, _) in zip(parts, order, strict=True)]
    )
    sig = np.concatenate([np.full(len(p["x"]), g) for p, (_, g) in zip(parts, order, strict=True)])
    x, n, ref_x, ref_n = cols["x"], cols["n"], cols["ref_x"], cols["ref_n"]
    with np.errstate(divide="ignore", invalid="ignore"):
        rate, ref_rate = x / n, ref_x / ref_n
    run = (n >= MIN_N) & (ref_n >= MIN_N) & (rate > ref_rate)
    pick = np.flatnonzero(run)
    pick = pick[np.lexsort((sig[pick], cols["_row"][pick], block[pick]))]  # stable, as before
    out = {c: cols[c][pick] for c in ("level", "store_id", "advisor", "signal")}
    out |= {"x": x[pick], "n": n[pick], "ref_x": ref_x[pick], "ref_n": ref_n[pick]}
    out |= {"rate": rate[pick], "ref_rate": ref_rate[pick]}
    out["p"] = fisher_greater_many(out["x"], out["n"], out["ref_x"], out["ref_n"])
    frame = pd.DataFrame(out)
    frame["advisor"] = pd.Series(out["advisor"], dtype=object)  # None for a store's test
    return frame[TEST_COLUMNS]


def review(tests: pd.DataFrame, q: float = FDR) -> pd.DataFrame:
    """Adds q_value and flag (Benjamini-Hochberg over every test at rate ``q``)."""
    flag, qvals = benjamini_hochberg(tests["p"].to_numpy(), q)
    # flagged first, then by p and store (a stable sort: ties keep the tests' order)
    ids = tests["store_id"].to_numpy(dtype=str) if len(tests) else np.array([], dtype=str)
    order = np.lexsort((ids, tests["p"].to_numpy(dtype=float), ~flag))
    out = tests.take(order).reset_index(drop=True)
    out["q_value"] = qvals[order]
    out["flag"] = flag[order]
    return out


def gaming_flags(reviewed: pd.DataFrame) -> list[dict]:
    """One item per flagged advisor or store: store_id, advisor (None for the store),
    signals (each with its rates and q-value), smallest q-value; most certain first.

    A store-level flag on a signal that a flagged advisor of the same store already
    carries is folded into that advisor's item (it is the same answers seen twice).
    """
    hits = reviewed[reviewed["flag"]] if not reviewed.empty else reviewed
    items: dict[tuple, dict] = {}
    for r in hits.to_dict("records"):
        key = (r["store_id"], r["advisor"] if r["level"] == "advisor" else None)
        item = items.setdefault(key, {"store_id": key[0], "advisor": key[1], "signals": []})
        item["signals"].append(
            {
                "signal": r["signal"],
                "x": int(r["x"]),
                "n": int(r["n"]),
                "rate": float(r["rate"]),
                "ref_rate": float(r["ref_rate"]),
                "q_value": float(r["q_value"]),
            }
        )
    explained: dict[str, set[str]] = {}  # per store, the signals its flagged advisors carry
    for (store_id, advisor), item in items.items():  # (one pass: a pass per store's item
        if advisor is not None:  # over every item took 0.4 s of a 10M upload's commit)
            explained.setdefault(store_id, set()).update(s["signal"] for s in item["signals"])
    for (store_id, advisor), item in list(items.items()):
        if advisor is not None:
            continue
        carried = explained.get(store_id, set())
        item["signals"] = [s for s in item["signals"] if s["signal"] not in carried]
        if not item["signals"]:
            del items[(store_id, advisor)]
    out = list(items.values())
    for item in out:
        item["q_value"] = min(s["q_value"] for s in item["signals"])
    return sorted(out, key=lambda i: (i["q_value"], i["store_id"], i["advisor"] or ""))


# --------------------------------------------------------------------------- drop alerts
_ERF = np.frompyfunc(math.erf, 1, 1)
_SQRT2 = math.sqrt(2.0)


def drop_tests(now: pd.DataFrame, before: pd.DataFrame, q: float = FDR) -> pd.DataFrame:
    """Per store: NPS now and before, the change, a one-sided p for a fall, q-value, flag.

    ``now`` / ``before``: store_id, d, pa, p over the last days and the store's own
    earlier days. Stores with fewer than :data:`MIN_N` answers now or :data:`stats.LOW_N`
    before are listed with ``tested`` False and never flagged. p = P(a fall at least this
    large | no real change) from the z of :func:`cx.stats.nps_diff_test`; flags by
    Benjamini-Hochberg across the tested stores at rate ``q``.
    """
    both = now.merge(before, on="store_id", how="left", suffixes=("", "_b")).fillna(0)
    a = [both[c].to_numpy(dtype="int64") for c in ("d", "pa", "p")]
    b = [both[f"{c}_b"].to_numpy(dtype="int64") for c in ("d", "pa", "p")]
    out = drop_frame(both["store_id"].to_numpy(), a, b, q)
    return out.sort_values(["flag", "p", "store_id"], ascending=[False, True, True]).reset_index(
        drop=True
    )


def drop_frame(
    store_ids, now, before, q: float | None = FDR, flagged_only: bool = False
) -> pd.DataFrame:
    """:func:`drop_tests` of stores given as arrays, in their order: ``now`` / ``before``
    are [d, pa, p] count arrays aligned with ``store_ids`` (``q`` None: :data:`FDR`);
    with ``flagged_only``, the flagged stores' rows alone, indexed by their positions (q-values
    still corrected for every tested store)."""
    q = FDR if q is None else q
    cols = ["store_id", "n", "nps", "n_before", "nps_before", "change", "p", "tested"]
    a = [np.asarray(x, dtype="int64") for x in now]
    b = [np.asarray(x, dtype="int64") for x in before]
    n, n_b = sum(a), sum(b)
    tested = (n >= MIN_N) & (n_b >= stats.LOW_N)
    nps_now, nps_before = stats.nps_arrays(*a), stats.nps_arrays(*b)
    # stats.nps_diff_test for every tested store at once (the same operations)
    diff = nps_now - nps_before
    with np.errstate(divide="ignore", invalid="ignore"):
        var = stats.nps_variance_arrays(*a) / n + stats.nps_variance_arrays(*b) / n_b
        se = 100.0 * np.sqrt(var)
        z = np.where(se > 0.0, diff / se, np.sign(diff) * np.inf)  # SE 0: ±inf, or 0 if no change
    # one-sided p of a fall, P(Z <= z): a certain fall (z = -inf) 0, a certain rise 1;
    # statistics.NormalDist().cdf's formula, bit for bit, over the array at once
    p_one = np.full(len(n), math.nan)
    zt = z[tested]
    with np.errstate(invalid="ignore"):
        cdf = 0.5 * (1.0 + _ERF(zt / _SQRT2).astype(float))
    p_one[tested] = np.where(np.isfinite(zt), cdf, (zt > 0).astype(float))
    q_value = np.full(len(n), math.nan)
    flag = np.zeros(len(n), dtype=bool)
    if tested.any():
        rejected, qvals = benjamini_hochberg(p_one[tested], q)
        q_value[tested] = qvals
        flag[tested] = rejected & (diff[tested] < 0)
    keep = np.flatnonzero(flag) if flagged_only else np.arange(len(n))
    # an Arrow string array stays one (no round trip through Python strings)
    ids = store_ids
    if not isinstance(ids, pd.api.extensions.ExtensionArray):
        ids = np.asarray(ids)
    columns = {
        "store_id": ids.take(keep),
        "n": n,
        "nps": nps_now,
        "n_before": n_b,
        "nps_before": nps_before,
        "change": np.where(tested, diff, np.nan),
        "p": p_one,
        "tested": tested,
        "q_value": q_value,
        "flag": flag,
    }
    return pd.DataFrame(
        {k: v if k == "store_id" else v[keep] for k, v in columns.items()},
        columns=[*cols, "q_value", "flag"],
        index=keep if flagged_only else None,
    )
