"""Segment distributions: the SQL behind the page, and the pure shaping of its tables.

The page reads raw ``responses`` (the rollup holds no per-score counts, no breakdown
columns and no comments). Every function taking a connection is cached by
``cx.ui.load`` (its arguments are hashable: a :class:`~cx.queries.Filters` and strings);
the frame helpers below (``group_table``, ``compare_periods``, ``gaming_table``,
``previous_period``) are pure and tested on their own.

Breakdown columns come only from :data:`DIMENSIONS` and are quoted with
:func:`cx.queries.quote_ident`; all values are bound parameters.
"""

from __future__ import annotations

import dataclasses
from datetime import timedelta

import duckdb
import pandas as pd

from cx import painpoints, stats
from cx.queries import Filters, df, quote_ident

DIMENSIONS: tuple[str, ...] = (
    "vehicle_model",
    "service_type",
    "channel",
    "customer_tier",
    "advisor",
    "key_touchpoint",
    "region",
    "store",
)
"""The breakdowns a user may pick (the allow-list)."""

# dimension -> (table alias, column); region lives in stores, the rest in responses.
_COLUMNS: dict[str, tuple[str, str]] = {
    "vehicle_model": ("r", "vehicle_model"),
    "service_type": ("r", "service_type"),
    "channel": ("r", "channel"),
    "customer_tier": ("r", "customer_tier"),
    "advisor": ("r", "advisor"),
    "key_touchpoint": ("r", "key_touchpoint"),
    "region": ("s", "region"),
    "store": ("r", "store_id"),
}
_ALLOWED = {col for _, col in _COLUMNS.values()}
GAMING_LEVELS: tuple[str, ...] = ("advisor", "store")

_COUNTS = (
    "count(*) AS n,"
    " count(*) FILTER (WHERE r.nps <= 6) AS d,"
    " count(*) FILTER (WHERE r.nps BETWEEN 7 AND 8) AS pa,"
    " count(*) FILTER (WHERE r.nps >= 9) AS p,"
    " count(*) FILTER (WHERE r.nps = 10) AS n10"
)
_FROM = "FROM responses r LEFT JOIN stores s ON s.store_id = r.store_id"


def _where(flt: Filters) -> tuple[str, list]:
    return flt.where(date_expr="CAST(r.responded_at AS DATE)", store_expr="r.store_id")


def _group_expr(dim: str) -> str:
    """SQL expression of a breakdown; advisors are keyed by store (names repeat across stores)."""
    if dim not in _COLUMNS:
        raise ValueError(f"unknown breakdown {dim!r}")
    alias, col = _COLUMNS[dim]
    ident = f"{alias}.{quote_ident(col, _ALLOWED)}"
    if dim == "advisor":
        return f"r.store_id || ' · ' || {ident}"
    return f"CAST({ident} AS VARCHAR)"


# --------------------------------------------------------------------------- SQL


def histogram(con: duckdb.DuckDBPyConnection, flt: Filters) -> pd.DataFrame:
    """Answers per score 0-10 (all eleven scores, zeros included) with their segment."""
    where, params = _where(flt)
    got = df(
        con,
        f"SELECT r.nps AS score, count(*) AS n {_FROM} WHERE {where} GROUP BY 1",
        params,
    )
    return histogram_frame(got)


def split_counts(con: duckdb.DuckDBPyConnection, flt: Filters, dim: str) -> pd.DataFrame:
    """Counts per group of ``dim``: grp ('' = not given), name, n, d, pa, p, n10."""
    expr = _group_expr(dim)
    name = "any_value(s.store_name)" if dim == "store" else "NULL"
    where, params = _where(flt)
    sql = (
        f"SELECT coalesce({expr}, '') AS grp, {name} AS name, {_COUNTS}"
        f" {_FROM} WHERE {where} GROUP BY 1 ORDER BY 1"
    )
    return df(con, sql, params)


def split(con: duckdb.DuckDBPyConnection, flt: Filters, dim: str) -> pd.DataFrame:
    """The split table of ``dim`` for the filters (see :func:`group_table`)."""
    return group_table(split_counts(con, flt, dim))


def comparison(con: duckdb.DuckDBPyConnection, flt: Filters, dim: str) -> pd.DataFrame:
    """This period vs the previous one of the same length, per group of ``dim``."""
    cur = split_counts(con, flt, dim)
    prev = previous_period(flt)
    before = cur.iloc[0:0] if prev is None else split_counts(con, prev, dim)
    return compare_periods(cur, before)


def detractor_reasons(con: duckdb.DuckDBPyConnection, flt: Filters) -> pd.DataFrame:
    """The Pareto table of detractor reasons (see :func:`cx.painpoints.reason_table`)."""
    where, params = _where(flt)
    pains = df(
        con,
        f"SELECT r.pain_point, count(*) AS n {_FROM} WHERE {where}"
        " AND r.nps <= 6 AND nullif(trim(r.pain_point), '') IS NOT NULL GROUP BY 1",
        params,
    )
    comments = df(
        con,
        f"SELECT r.comment, count(*) AS n {_FROM} WHERE {where}"
        " AND r.nps <= 6 AND nullif(trim(r.pain_point), '') IS NULL GROUP BY 1",
        params,
    )
    return painpoints.reason_table(pains, comments)


def reason_comments(
    con: duckdb.DuckDBPyConnection, flt: Filters, reason: str, limit: int = 300
) -> tuple[pd.DataFrame, int]:
    """The detractors behind one reason, newest first (at most ``limit``), and their total.

    Columns: responded_at, store_id, advisor, nps, pain_point, comment, rule,
    customer_name, phone (personal data: the page masks it).
    """
    where, params = _where(flt)
    rows = df(
        con,
        "SELECT r.response_id, r.responded_at, r.store_id, r.advisor, r.nps, r.pain_point,"
        f" r.comment, r.customer_name, r.phone {_FROM} WHERE {where} AND r.nps <= 6"
        " AND (r.pain_point = ? OR nullif(trim(r.pain_point), '') IS NULL)"
        " ORDER BY r.responded_at DESC, r.response_id",
        [*params, reason],
    )
    rows = painpoints.classify_frame(rows)
    rows = rows[rows["reason"] == reason]
    cols = [
        "responded_at",
        "store_id",
        "advisor",
        "nps",
        "pain_point",
        "comment",
        "rule",
        "customer_name",
        "phone",
    ]
    return rows[cols].head(limit).reset_index(drop=True), len(rows)


def network_rates(con: duckdb.DuckDBPyConnection, flt: Filters) -> tuple[int, float, float]:
    """(n, share of 10s, share of detractors) over every store in the filters' dates."""
    everywhere = Filters(start=flt.start, end=flt.end)
    where, params = _where(everywhere)
    rows = con.execute(
        f"SELECT {_COUNTS} {_FROM} WHERE {where}",
        params,
    ).fetchall()
    n, d, _pa, _p, n10 = rows[0]
    if not n:
        return 0, float("nan"), float("nan")
    return int(n), n10 / n, d / n


def gaming(con: duckdb.DuckDBPyConnection, flt: Filters, level: str) -> pd.DataFrame:
    """Groups (``level`` advisor or store) of the filters tested against network rates."""
    if level not in GAMING_LEVELS:
        raise ValueError(f"unknown level {level!r}")
    counts = split_counts(con, flt, level)
    counts = counts[counts["grp"] != ""]
    _n, p10, pdet = network_rates(con, flt)
    return gaming_table(counts, p10, pdet)


# --------------------------------------------------------------------------- pure shaping


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
    d = int(hist.loc[hist["score"] <= 6, "n"].sum())
    pa = int(hist.loc[hist["score"].between(7, 8), "n"].sum())
    p = int(hist.loc[hist["score"] >= 9, "n"].sum())
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
    out = counts.copy()
    for col in ("n", "d", "pa", "p", "n10"):
        out[col] = out[col].astype(int)
    n = out["n"].where(out["n"] > 0)
    out["share_d"] = out["d"] / n
    out["share_pa"] = out["pa"] / n
    out["share_p"] = out["p"] / n
    out["nps"] = [stats.nps(*c) for c in out[["d", "pa", "p"]].itertuples(index=False)]
    bands = [stats.nps_interval(*c) for c in out[["d", "pa", "p"]].itertuples(index=False)]
    out["low"] = [b[0] for b in bands]
    out["high"] = [b[1] for b in bands]
    out["flag"] = [stats.sample_flag(x) for x in out["n"]]
    out = out.astype({"nps": float, "low": float, "high": float})
    out["_few"] = out["flag"] == "too_few"
    out = out.sort_values(["_few", "nps", "n"], ascending=[True, False, False], na_position="last")
    return out.drop(columns="_few").reset_index(drop=True)


def previous_period(flt: Filters) -> Filters | None:
    """The same filters over the period of equal length just before (None without dates)."""
    if flt.start is None or flt.end is None:
        return None
    days = (flt.end - flt.start).days + 1
    return dataclasses.replace(
        flt, start=flt.start - timedelta(days=days), end=flt.start - timedelta(days=1)
    )


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
    for col in ("d", "pa", "p", "n", "d_prev", "pa_prev", "p_prev", "n_prev"):
        both[col] = both[col].fillna(0).astype(int)
    rows = []
    for r in both.itertuples(index=False):
        now, before = (r.d, r.pa, r.p), (r.d_prev, r.pa_prev, r.p_prev)
        nps_now, nps_before = stats.nps(*now), stats.nps(*before)
        diff = p_value = None
        if r.n < stats.MIN_N or r.n_prev < stats.MIN_N:
            status = "too_few"
        else:
            diff, _z, p_value = stats.nps_diff_test(now, before)
            status = "noise" if p_value >= 0.05 else ("up" if diff > 0 else "down")
        rows.append(
            {
                "grp": r.grp,
                "name": r.name,
                "n": r.n,
                "nps": nps_now,
                "n_prev": r.n_prev,
                "nps_prev": nps_before,
                "change": diff,
                "p_value": p_value,
                "status": status,
            }
        )
    out = pd.DataFrame(
        rows,
        columns=["grp", "name", "n", "nps", "n_prev", "nps_prev", "change", "p_value", "status"],
    )
    out = out.astype({"nps": float, "nps_prev": float, "change": float, "p_value": float})
    return out.sort_values(["n", "grp"], ascending=[False, True]).reset_index(drop=True)


def gaming_table(
    counts: pd.DataFrame, p10: float, pdet: float, alpha: float = 0.001
) -> pd.DataFrame:
    """Groups (columns grp, name, n, n10, d) tested with :func:`cx.stats.gaming_signals`.

    Adds share10, share_det, the numbers expected at the network's rates (exp10,
    exp_det), p_tens, p_nodet and flag; flagged groups first, by smallest p-value.
    """
    cols = ["grp", "name", "n", "n10", "d"]
    if counts.empty or p10 != p10 or pdet != pdet:
        empty = pd.DataFrame(columns=[*cols, "share10", "share_det", "exp10", "exp_det"])
        return empty.assign(p_tens=[], p_nodet=[], flag=pd.Series(dtype=bool))
    out = stats.gaming_signals(counts[cols], "grp", "n", "n10", "d", p10, pdet, alpha=alpha)
    out["share10"] = out["n10"] / out["n"]
    out["share_det"] = out["d"] / out["n"]
    out["exp10"] = out["n"] * p10
    out["exp_det"] = out["n"] * pdet
    out["_p"] = out[["p_tens", "p_nodet"]].min(axis=1)
    out = out.sort_values(["flag", "_p", "grp"], ascending=[False, True, True])
    return out.drop(columns="_p").reset_index(drop=True)
