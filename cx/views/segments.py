"""The Segment distributions page's view: the 0-10 mix, the split by a dimension, the
change from the previous period, the detractors' reasons with the comments behind one
of them, and the score-gaming review, for the sidebar's stores and dates."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import duckdb
import pandas as pd

from cx import privacy
from cx import segments as shape
from cx.queries import no_followups
from cx.queries import segments as q
from cx.scope import Scope

PCT_COLUMNS = ("share_p", "share_pa", "share_d")


@dataclass(frozen=True)
class SegmentsView:
    scope: Scope
    dim: str
    hist: pd.DataFrame  # score, segment, n, share (all eleven scores)
    totals: dict  # n, d, pa, p, nps, low, high
    split: pd.DataFrame  # grp, name, n, nps, low, high, share_*, flag (cx.queries.segments.split)
    split_table: pd.DataFrame  # the same, NPS to 0.1 and shares in percent to 0.1
    previous: Scope | None  # the period compared with
    comparison: pd.DataFrame  # cx.segments.compare_periods, rounded for the table
    reasons: pd.DataFrame  # reason, n, share, cum_share, n_answer, n_keyword, ...
    reason: str | None  # the reason whose comments are listed
    comments: pd.DataFrame  # its detractors, newest first (personal data still raw)
    comments_total: int

    @property
    def empty(self) -> bool:
        return not self.totals["n"]


@dataclass(frozen=True)
class Review:
    """The score-gaming review of the filters: it depends on the stores and days only, so
    the page loads it apart from the view and a new breakdown or reason reuses it."""

    tests: int  # how many tests were run
    flags: list[dict]  # cx.signals.gaming_flags of them
    store_names: dict[str, str]


@no_followups
def review(con: duckdb.DuckDBPyConnection, scope: Scope) -> Review:
    """The gaming review of ``scope``'s stores and days (:func:`q.gaming_summary`), with
    the stores' names."""
    return Review(*q.gaming_summary(con, scope), q.store_names(con))


@no_followups
def view(
    con: duckdb.DuckDBPyConnection, scope: Scope, dim: str, reason: str | None = None
) -> SegmentsView:
    """The page for ``scope`` split by ``dim``; the comments of ``reason`` (the largest
    reason when ``reason`` is not one of the period's)."""
    if dim not in q.DIMENSIONS:
        raise ValueError(f"unknown breakdown {dim!r}")
    hist = q.histogram(con, scope)
    tot = shape.totals(hist)
    counts = q.split_counts(con, scope, dim)  # read once: the split and the comparison
    split = shape.group_table(counts)
    table = split.assign(
        nps=split["nps"].round(1),
        low=split["low"].round(1),
        high=split["high"].round(1),
        **{c: (100 * split[c]).round(1) for c in PCT_COLUMNS},
    )
    comp = q.comparison(con, scope, dim, counts)
    comp = comp.round({"nps": 1, "nps_prev": 1, "change": 1, "p_value": 4})
    if dim == "advisor":  # 'store · advisor' as shown: a phone in an advisor column masked
        split, table, comp = (
            f.assign(grp=f["grp"].map(privacy.shown_text)) if "grp" in f else f
            for f in (split, table, comp)
        )
    dets = q.detractor_counts(con, scope)  # read once: the reasons and their comments
    reasons = q.detractor_reasons(con, scope, dets)
    keys = list(reasons["reason"])
    if keys and reason not in keys:
        reason = keys[0]
    if not keys:
        reason = None
    comments, total = (
        q.reason_comments(con, scope, reason, counts=dets)
        if reason is not None
        else (pd.DataFrame(), 0)
    )
    return SegmentsView(
        scope=scope,
        dim=dim,
        hist=hist,
        totals=tot,
        split=split,
        split_table=table,
        previous=shape.previous_period(scope),
        comparison=comp,
        reasons=reasons,
        reason=reason,
        comments=comments,
        comments_total=int(total),
    )


def comments_csv(
    scope_key: tuple,
    scope: Scope,
    reason: str,
    lang: str,
    shape_rows: Callable[[pd.DataFrame, str], pd.DataFrame],
) -> bytes:
    """Every detractor of ``reason`` in ``scope`` (the page lists the newest few hundred)
    as the comments' CSV download: ``shape_rows(rows, lang)`` makes them the table the
    page shows (personal data masked), formulas neutralised. Read when the button is
    clicked, on a connection of its own limited to the person whose
    :func:`cx.access.reader_key` (or
    :func:`cx.access.scope_key`) is ``scope_key``."""
    from cx import access, export  # access builds on the queries this module reads

    with access.scoped_connection(scope_key) as con:
        rows = q.every_reason_comment(con, scope, reason)
    return export.to_csv_bytes(shape_rows(rows, lang))


@no_followups
def reasons_by_store(
    con: duckdb.DuckDBPyConnection, scope: Scope, order: tuple[str, ...]
) -> pd.DataFrame:
    """:func:`cx.segments.reasons_by_store` of ``scope``'s detractors, the reasons in
    ``order`` (the Pareto's)."""
    return shape.reasons_by_store(q.reasons_by_store(con, scope), list(order))
