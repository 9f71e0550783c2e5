"""Segment distributions: the pure shaping of the page's tables (no I/O).

The SQL lives in :mod:`cx.queries.segments`; these functions take the frames it returns
(or hand-made ones in tests) and add shares, NPS with its interval, sample flags,
period comparisons (the score-gaming review is :mod:`cx.signals`). No streamlit, no duckdb.
"""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from cx import rules, stats

if TYPE_CHECKING:
    from cx.scope import Scope


def histogram_frame(counts: pd.DataFrame) -> pd.DataFrame:
    """score 0-10, n (missing scores as 0), share of all answers and segment."""
    got = dict(zip(counts["score"].astype(int), counts["n"].astype(int), strict=True))
    out = pd.DataFrame({"score": range(11)})
    out["n"] = [got.get(s, 0) for s in range(11)]
    total = int(out["n"].sum())
    out["share"] = out["n"] / total if total else float("nan")
    out["segment"] = [stats.segment(s) for s in range(11)]
    return out


def totals(hist: pd.DataFrame) -> dict:
    """n, d, pa, p, n10, nps, low, high of a histogram frame (nps None when empty)."""
    d = int(hist.loc[rules.is_detractor(hist["score"]), "n"].sum())
    pa = int(hist.loc[rules.is_passive(hist["score"]), "n"].sum())
    p = int(hist.loc[rules.is_promoter(hist["score"]), "n"].sum())
    low, high = stats.nps_interval(d, pa, p)
    return {
        "n": d + pa + p,
        "d": d,
        "pa": pa,
        "p": p,
        "n10": int(hist.loc[hist["score"] == 10, "n"].sum()),
        "nps": stats.nps(d, pa, p),
        "low": low,
        "high": high,
    }


def group_table(counts: pd.DataFrame) -> pd.DataFrame:
    """Per group: n, the three shares (0-1), NPS with its 95 % interval and the sample flag.

    Sorted by NPS (highest first), groups with too few answers last; none is dropped.
    """
    # one frame made from arrays: a column set at a time cost pandas 12 ms a table
    cols = {c: counts[c] for c in counts.columns}
    for col in ("n", "d", "pa", "p", "n10"):
        cols[col] = counts[col].to_numpy().astype("int64")
    d, pa, p = (cols[c] for c in ("d", "pa", "p"))
    n = np.where(cols["n"] > 0, cols["n"], np.nan)
    cols |= {"share_d": cols["d"] / n, "share_pa": cols["pa"] / n, "share_p": cols["p"] / n}
    low, high = stats.nps_interval_arrays(d, pa, p)
    cols |= {
        "nps": np.asarray(stats.nps_arrays(d, pa, p), dtype=float),
        "low": np.asarray(low, dtype=float),
        "high": np.asarray(high, dtype=float),
        "flag": stats.sample_flags(cols["n"]),
    }
    out = pd.DataFrame(cols, index=counts.index).assign(_few=lambda f: f["flag"] == "too_few")
    out = out.sort_values(["_few", "nps", "n"], ascending=[True, False, False], na_position="last")
    return out.drop(columns="_few").reset_index(drop=True)


def previous_period(flt: Scope) -> Scope | None:
    """The same filters over :func:`cx.rules.previous_window` of their dates (None without
    dates)."""
    if flt.start is None or flt.end is None:
        return None
    start, end = rules.previous_window(flt.start, flt.end)
    return dataclasses.replace(flt, start=start, end=end)


def compare_periods(cur: pd.DataFrame, prev: pd.DataFrame) -> pd.DataFrame:
    """Per group: NPS and n now and before, the change and whether it is beyond noise.

    ``status``: 'up' / 'down' when nps_diff_test gives p < 0.05, 'noise' otherwise,
    'too_few' when either period has fewer than MIN_N answers (not compared; a group
    absent in one period counts as 0 answers there). Sorted by current n, largest first.
    """
    keep = ["grp", "name", "d", "pa", "p", "n"]
    both = cur[keep].merge(
        prev[["grp", "d", "pa", "p", "n"]], on="grp", how="outer", suffixes=("", "_prev")
    )
    columns = ["grp", "name", "n", "nps", "n_prev", "nps_prev", "change", "p_value", "status"]
    floats = {"nps": float, "nps_prev": float, "change": float, "p_value": float}
    if both.empty:
        return pd.DataFrame(columns=columns).astype(floats)
    for col in ("d", "pa", "p", "n", "d_prev", "pa_prev", "p_prev", "n_prev"):
        both[col] = both[col].fillna(0).astype(int)
    # as arrays (a loop over the groups' rows took 82 ms for a split by 1,912 stores);
    # each value is the scalar functions' (cx.stats: the same operations in that order)
    now = [both[c].to_numpy(dtype="int64") for c in ("d", "pa", "p")]
    before = [both[f"{c}_prev"].to_numpy(dtype="int64") for c in ("d", "pa", "p")]
    few = (both["n"].to_numpy() < stats.MIN_N) | (both["n_prev"].to_numpy() < stats.MIN_N)
    diff, p_value = stats.nps_diff_test_arrays(now, before)
    diff, p_value = np.where(few, np.nan, diff), np.where(few, np.nan, p_value)
    status = np.where(
        few, "too_few", np.where(p_value >= 0.05, "noise", np.where(diff > 0, "up", "down"))
    )
    out = pd.DataFrame(
        {
            "grp": list(both["grp"]),  # each column's type from its values, as it was
            "name": list(both["name"]),
            "n": both["n"],
            "nps": stats.nps_arrays(*now),
            "n_prev": both["n_prev"],
            "nps_prev": stats.nps_arrays(*before),
            "change": diff,
            "p_value": p_value,
            "status": status.astype(object),
        },
        columns=columns,
    ).astype(floats)
    return out.sort_values(["n", "grp"], ascending=[False, True]).reset_index(drop=True)


def reasons_by_store(counts: pd.DataFrame, order: list[str]) -> pd.DataFrame:
    """One row per store from :func:`cx.queries.segments.reasons_by_store`'s ``counts``,
    most detractors first: store_id, store_name, n (its detractors), top (its largest
    reason; ties: the one first in ``order``), top_share (its share of the store's
    detractors, 0-1), then one column of detractors per reason of ``order`` (the
    period's reasons, largest first, as the Pareto orders them). No rows: no columns
    beyond these."""
    base = ["store_id", "store_name", "n", "top", "top_share"]
    if counts.empty:
        return pd.DataFrame(columns=[*base, *order])
    named = counts.assign(store_name=counts["store_name"].fillna(""))  # kept as a key
    wide = named.pivot_table(
        index=["store_id", "store_name"], columns="reason", values="n", aggfunc="sum",
        fill_value=0,
    )  # fmt: skip
    wide = wide.reindex(columns=order, fill_value=0).reset_index()
    n = wide[order].sum(axis=1)
    top = wide[order].idxmax(axis=1)  # the first of the largest, in the Pareto's order
    out = wide.assign(n=n, top=top, top_share=wide[order].max(axis=1) / n.where(n > 0))
    out = out.sort_values(["n", "store_id"], ascending=[False, True], kind="stable")
    return out[[*base, *order]].reset_index(drop=True)
