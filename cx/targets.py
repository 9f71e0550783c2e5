"""Monthly NPS targets: per store, with ``'*'`` as the default for every store.

A target row may carry weekly milestones of the plan as JSON text, e.g.
``{"2": 74, "3": 76}`` (week of the month -> NPS); the chart marks them at the end
of that week (day 7 x week, capped at the month's last day). Writes bump the data
version in the same transaction.
"""

from __future__ import annotations

import json
import re
from datetime import date, datetime

import duckdb

from cx import config, db
from cx.rules import days_in_month, month_end, month_start
from cx.scope import REGION_PREFIX, Scope

DEFAULT = "*"


class MilestoneError(ValueError):
    """Milestones that cannot be read: ``key`` the sentence's text key (``board.target.
    ms_unreadable`` or ``…ms_range``), ``part`` what was typed (a page shows it in the
    reader's language; the English message had shown on the Chinese board)."""

    def __init__(self, key: str, part: str, message: str) -> None:
        super().__init__(message)
        self.key, self.part = key, part


def parse_milestones(text: str | None) -> dict[int, float]:
    """'2: 74, 3: 76' (also '2=74；3=76', '第2周:74') -> {2: 74.0, 3: 76.0}.

    Weeks are 1..5, values -100..100. Raises :class:`MilestoneError` on anything else.
    """
    out: dict[int, float] = {}
    if not text or not text.strip():
        return out
    for part in re.split(r"[,，;；\n]+", text.strip()):
        if not part.strip():
            continue
        match = re.fullmatch(
            r"\s*(?:第|w(?:eek)?\s*)?(\d)\s*周?\s*[:：=]\s*(-?\d+(?:\.\d+)?)\s*", part, re.I
        )
        if not match:
            raise MilestoneError(
                "board.target.ms_unreadable",
                part.strip(),
                f"cannot read milestone {part.strip()!r}",
            )
        week, value = int(match.group(1)), float(match.group(2))
        if not 1 <= week <= 5 or not -100 <= value <= 100:
            raise MilestoneError(
                "board.target.ms_range", part.strip(), f"milestone out of range: {part.strip()!r}"
            )
        out[week] = value
    return out


def format_milestones(milestones: dict[int, float] | None) -> str:
    """{2: 74.0, 3: 76.0} -> '2: 74, 3: 76' (the inverse of :func:`parse_milestones`)."""
    return ", ".join(f"{w}: {v:g}" for w, v in sorted((milestones or {}).items()))


def milestone_dates(month: date, milestones: dict[int, float] | None) -> list[tuple[date, float]]:
    """Milestones placed at the end of their week of ``month``."""
    last = days_in_month(month)
    return [(month.replace(day=min(7 * w, last)), v) for w, v in sorted((milestones or {}).items())]


def _decode(text: str | None) -> dict[int, float]:
    if not text:
        return {}
    return {int(k): float(v) for k, v in json.loads(text).items()}


def get_target(con: duckdb.DuckDBPyConnection, store_id: str, month: date) -> dict | None:
    """The target for ``store_id`` in ``month`` (falling back to the ``'*'`` default).

    Returns ``{"store_id", "nps_target", "milestones", "is_default"}`` or None.
    """
    rows = con.execute(
        "SELECT store_id, nps_target, milestones FROM targets"
        " WHERE month = ? AND store_id IN (?, ?) ORDER BY store_id = ?",  # the store first
        [month_start(month), store_id, DEFAULT, DEFAULT],
    ).fetchall()
    if not rows:
        return None
    sid, value, ms = rows[0]
    return {
        "store_id": sid,
        "nps_target": float(value) if value is not None else None,
        "milestones": _decode(ms),
        "is_default": sid == DEFAULT and store_id != DEFAULT,
    }


def targets_for_months(
    con: duckdb.DuckDBPyConnection, store_id: str, months: tuple[date, ...]
) -> dict[date, dict | None]:
    """:func:`get_target` for several months."""
    return {m: get_target(con, store_id, m) for m in months}


def set_target(
    con: duckdb.DuckDBPyConnection,
    store_id: str,
    month: date,
    nps_target: float,
    milestones: dict[int, float] | None = None,
    user: str | None = None,
    at: datetime | None = None,
) -> int:
    """Store the monthly target (and milestones) of a store or ``'*'``; bump the version."""
    if not store_id:
        raise ValueError("store_id is empty")
    value = float(nps_target)
    if not -100 <= value <= 100:
        raise ValueError("an NPS target lies within -100..100")
    payload = json.dumps({str(k): v for k, v in sorted((milestones or {}).items())})
    with db.transaction(con):
        con.execute(
            "INSERT OR REPLACE INTO targets (store_id, month, nps_target, milestones,"
            " updated_at, updated_by) VALUES (?, ?, ?, ?, ?, ?)",
            [
                store_id,
                month_start(month),
                value,
                payload if milestones else None,
                (at or config.local_now()).replace(microsecond=0),
                user or config.current_user(),
            ],
        )
        from cx.queries import board  # it builds on this module

        board.keep_targets(con)  # the network's kept target, as it now stands
        board.keep_ranking(con)  # and its ranking, each store beside its target
        return db.bump_data_version(con)


# --------------------------------------------------------------------------- one rule
SOURCES = ("store", "default", "region", "network", "stores", "none")


def _scope_kind(sc: Scope) -> tuple[str, str | None, tuple[str, ...], tuple[str, ...]]:
    """(kind, key, regions, stores) of a :class:`~cx.scope.Scope`.

    kind: 'network', 'region', 'store' or 'set' (several stores / regions).
    """
    kind = "set" if sc.kind == "stores" else sc.kind
    return kind, sc.store or sc.region, sc.regions, sc.stores


def resolve_nps_target(
    con: duckdb.DuckDBPyConnection, scope: Scope, month: date, until: date | None = None
) -> dict:
    """The month's NPS target for a scope, by the one rule every page uses.

    ``scope``: a :class:`~cx.scope.Scope` (its dates are not used; no store named = the
    network).

    - a store: its own row for the month, else the ``'*'`` default row;
    - a region: its own row (store_id ``'region:<name>'``), else
    - the network: its own row (``'*'``), else
    - (and any other set of stores) the mean of the stores' targets (each by the store
      rule) weighted by their answers in the month (up to ``until``, the day a page
      shows: a board of the 3rd had weighted by answers of the whole month, most of
      them after it); stores without a target drop out; when no store has answers in
      the month by then, the plain mean.

    Returns ``{"value", "source", "milestones", "stores"}``: source is one of
    :data:`SOURCES` ('store', 'default', 'region', 'network', 'stores', 'none'),
    ``stores`` the number of store targets averaged (0 otherwise).
    """
    return resolve_nps_targets(con, scope, (month,), until)[month_start(month)]


def resolve_nps_targets(
    con: duckdb.DuckDBPyConnection,
    scope: Scope,
    months: tuple[date, ...],
    until: date | None = None,
) -> dict[date, dict]:
    """:func:`resolve_nps_target` of several months (first days of months as keys), the
    weighted means of all of them from one query (a network's board asks for this month
    and the last: 10 ms a query at ten million answers); answers after ``until`` do not
    weigh."""
    months = tuple(dict.fromkeys(month_start(m) for m in months))
    kind, key, regions, stores = _scope_kind(scope)
    none = {"value": None, "source": "none", "milestones": {}, "stores": 0}
    out: dict[date, dict] = {}
    if kind == "store":
        for month in months:
            row = get_target(con, key, month)
            if row is None or row["nps_target"] is None:
                out[month] = none
                continue
            out[month] = {
                "value": row["nps_target"],
                "source": "default" if row["is_default"] else "store",
                "milestones": row["milestones"],
                "stores": 0,
            }
        return out
    own = {"region": REGION_PREFIX + (key or ""), "network": DEFAULT}.get(kind)
    if own is not None:
        for month, target, milestones in con.execute(
            "SELECT month, nps_target, milestones FROM targets WHERE store_id = ?"
            " AND month IN (SELECT unnest(?))",
            [own, list(months)],
        ).fetchall():
            if target is not None:
                out[month] = {
                    "value": float(target),
                    "source": kind,
                    "milestones": _decode(milestones),
                    "stores": 0,
                }
    rest = [m for m in months if m not in out]
    if not rest:
        return {m: out[m] for m in months}
    parts, params = ["TRUE"], []
    if regions:
        parts.append(f"s.region IN ({', '.join('?' for _ in regions)})")
        params += list(regions)
    if stores:
        parts.append(f"s.store_id IN ({', '.join('?' for _ in stores)})")
        params += list(stores)
    # each month's stores with a target, summed in the database (the network's 1,912
    # stores a month used to come into Python one row each: 28 -> 17 ms for two months)
    rows = con.execute(
        "WITH sc AS (SELECT s.store_id FROM stores s WHERE "  # noqa: S608 (fixed fragments; values bound)
        + " AND ".join(parts)
        + "), mo AS (SELECT CAST(unnest(?) AS DATE) AS month),"
        " n AS (SELECT store_id, CAST(date_trunc('month', day) AS DATE) AS month, sum(n) AS n"
        " FROM daily_rollup WHERE day BETWEEN ? AND ? GROUP BY 1, 2)"
        " SELECT month, count(*), sum(w), fsum(w * v), fsum(v), count(*) FILTER (WHERE w > 0)"
        " FROM ("
        " SELECT mo.month, coalesce(n.n, 0) AS w, coalesce(o.nps_target, a.nps_target) AS v"
        " FROM sc CROSS JOIN mo LEFT JOIN n ON n.store_id = sc.store_id AND n.month = mo.month"
        " LEFT JOIN targets o ON o.store_id = sc.store_id AND o.month = mo.month"
        " LEFT JOIN targets a ON a.store_id = ? AND a.month = mo.month"
        " WHERE coalesce(o.nps_target, a.nps_target) IS NOT NULL) GROUP BY month",
        [*params, rest, min(rest), min(month_end(max(rest)), until or date.max), DEFAULT],
    ).fetchall()
    summed = {month: rest_ for month, *rest_ in rows}
    for month in rest:
        if month not in summed:
            out[month] = none
            continue
        count, total, by_n, plain, weighed = summed[month]
        value = float(by_n) / float(total) if total > 0 else float(plain) / count
        # the stores whose targets weigh: those with answers ("23 stores" had stood under
        # "only 21 stores have answers", two of them weighing nothing)
        stores = int(weighed) if total > 0 else int(count)
        out[month] = {"value": value, "source": "stores", "milestones": {}, "stores": stores}
    return {m: out[m] for m in months}
