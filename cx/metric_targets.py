"""Metric targets: which target applies to a scope, and the writes that change them.

Targets live in ``metric_targets(metric, store_id, target, updated_at, updated_by)`` in
the metric's stored unit (a share as a fraction, waiting in minutes). ``store_id``
``'*'`` is the network-wide target. For a single-store scope the store's own row
wins over ``'*'``, which wins over the registry default (:mod:`cx.metrics`); a scope of
several stores (a region, a hand-picked set, everything) uses ``'*'`` then the default.
The NPS target is not stored here: it is the monthly store target of ``targets``.

Writes bump the data version inside their transaction, so every cached page sees them.
"""

from __future__ import annotations

import math

import duckdb
import pandas as pd

from cx import config, db, metrics

ALL = "*"


def scope_store(stores: tuple[str, ...] | list[str]) -> str:
    """The ``store_id`` a target set for this scope is saved under ('*' unless one store)."""
    return stores[0] if len(stores) == 1 else ALL


def resolve(
    stored: pd.DataFrame,
    stores: tuple[str, ...] | list[str],
    nps_target: float | None = None,
) -> dict[str, float | None]:
    """The target of every metric for a scope: metric key -> target (None = no target)."""
    rows: dict[tuple[str, str], float] = {}
    if stored is not None and not stored.empty:
        for m, s, t in zip(stored["metric"], stored["store_id"], stored["target"], strict=True):
            if t is not None and not math.isnan(float(t)):
                rows[(str(m), str(s))] = float(t)
    own = scope_store(stores)
    out: dict[str, float | None] = {}
    for key, m in metrics.METRICS.items():
        if m.target_from_store_targets:
            out[key] = nps_target
            continue
        if own != ALL and (key, own) in rows:
            out[key] = rows[(key, own)]
        elif (key, ALL) in rows:
            out[key] = rows[(key, ALL)]
        else:
            out[key] = m.default_target
    return out


def validate(metric: str, target: float) -> float:
    """The target as a float, or ValueError with a reason (unknown metric, out of range)."""
    if metric not in metrics.METRICS:
        raise ValueError(f"unknown metric {metric!r}")
    m = metrics.METRICS[metric]
    if not m.editable:
        raise ValueError(f"the {metric} target is set per store and month in targets")
    try:
        value = float(target)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"target {target!r} is not a number") from exc
    lo, hi = m.target_range
    if math.isnan(value) or not lo <= value <= hi:
        raise ValueError(f"target {value} for {metric} is outside {lo}..{hi}")
    return value


def save(
    con: duckdb.DuckDBPyConnection,
    metric: str,
    store_id: str,
    target: float,
    user: str | None = None,
) -> None:
    """Store ``target`` for ``metric`` and ``store_id`` ('*' = all stores)."""
    value = validate(metric, target)
    with db.transaction(con):
        con.execute(
            "INSERT OR REPLACE INTO metric_targets (metric, store_id, target, updated_at,"
            " updated_by) VALUES (?, ?, ?, ?, ?)",
            [metric, store_id or ALL, value, config.local_now(), user or config.current_user()],
        )
        db.bump_data_version(con)


def reset(con: duckdb.DuckDBPyConnection, metric: str, store_id: str) -> None:
    """Remove the stored target so the next level ('*', then the default) applies."""
    if metric not in metrics.METRICS:
        raise ValueError(f"unknown metric {metric!r}")
    with db.transaction(con):
        con.execute(
            "DELETE FROM metric_targets WHERE metric = ? AND store_id = ?",
            [metric, store_id or ALL],
        )
        db.bump_data_version(con)
