"""Frames every write keeps for the views most people open: the whole network's data on
the dates the pages open on, computed inside the write's transaction from the rollups
once, read by every visitor instead of summing the same rollup rows again.

``kept_frames`` holds one row per frame: ``name`` (which query), ``args`` (its
arguments as JSON), ``sig`` (the code that made it: a version that changes a query
reads the rollups until its first write keeps the frame anew) and ``payload`` (the frame
as an Arrow stream: data, never code). A person limited to some stores sees no row of it
(cx.access) and reads their own rollup rows; other arguments are read as before.

Each kept query registers a keeper (:func:`keeper`): a function of the connection that
computes its frames for the dates the pages open on and :func:`put` s them.
"""

from __future__ import annotations

import contextlib
import contextvars
import hashlib
import inspect
import json
from collections.abc import Callable, Iterable, Iterator
from datetime import date

import duckdb
import pandas as pd
import pyarrow as pa

from cx import rules

# The payloads uncompressed: DuckDB compressed them together, and a read of one frame
# decompressed them all (2.5 MB at ten million answers: 12 ms against 3 ms).
KEPT_DDL = (
    "CREATE TABLE IF NOT EXISTS kept_frames (name VARCHAR, args VARCHAR, sig VARCHAR,"
    " payload BLOB USING COMPRESSION uncompressed)"
)

_KEEPERS: list[Callable[[duckdb.DuckDBPyConnection], None]] = []
_SIGS: dict[str, str] = {}


def keeper(func: Callable[[duckdb.DuckDBPyConnection], None]) -> Callable:
    """Register ``func`` as a keeper: every write calls it (:func:`store`)."""
    _KEEPERS.append(func)
    return func


def signature(name: str, code: Iterable[Callable] = (), *texts: str) -> str:
    """The signature of the frame ``name``: a hash of the source of the functions that
    compute it and of fixed ``texts`` (SQL, settings); computed once a process."""
    if name not in _SIGS:
        parts = [inspect.getsource(f) for f in code] + list(texts)
        _SIGS[name] = hashlib.sha256(json.dumps([name, *parts]).encode()).hexdigest()[:16]
    return _SIGS[name]


def _args(args: tuple) -> str:
    def plain(value: object) -> object:
        if isinstance(value, date):
            return value.isoformat()
        if isinstance(value, tuple | list):
            return [plain(v) for v in value]
        return value

    return json.dumps(plain(args), ensure_ascii=False)


# The frames :func:`together` read at once, for the connection it read them on: (the
# connection, the names read, (name, args, sig) -> payload).
_TOGETHER: contextvars.ContextVar[tuple[object, frozenset[str], dict] | None] = (
    contextvars.ContextVar("cx_kept_together", default=None)
)


@contextlib.contextmanager
def together(con: duckdb.DuckDBPyConnection, names: Iterable[str]) -> Iterator[None]:
    """Inside the block, :func:`get` on ``con`` of the frames ``names`` reads them from one
    query made here rather than one query each (the network's board reads three: about
    0.8 ms a query); no names, no query."""
    names = frozenset(names)
    if not names:
        yield
        return
    rows = con.execute(
        "SELECT name, args, sig, payload FROM kept_frames WHERE name IN (SELECT unnest(?))",
        [sorted(names)],
    ).fetchall()
    token = _TOGETHER.set((con, names, {(n, a, s): p for n, a, s, p in rows}))
    try:
        yield
    finally:
        _TOGETHER.reset(token)


def get(con: duckdb.DuckDBPyConnection, name: str, args: tuple, sig: str) -> pd.DataFrame | None:
    """The frame kept as ``name`` for ``args`` by code of signature ``sig``, or None."""
    read = _TOGETHER.get()
    if read is not None and read[0] is con and name in read[1]:
        payload = read[2].get((name, _args(args), sig))
    else:
        rows = con.execute(
            "SELECT payload FROM kept_frames WHERE name = ? AND args = ? AND sig = ?",
            [name, _args(args), sig],
        ).fetchall()
        payload = rows[0][0] if rows else None
    if payload is None:
        return None
    # a block per column: pandas' merging of like columns cost more than the read (the
    # network's 1,912 stores x 22 columns: 1.3 -> 0.3 ms); the frame is equal either way
    return pa.ipc.open_stream(payload).read_all().to_pandas(split_blocks=True)


def put(
    con: duckdb.DuckDBPyConnection, name: str, args: tuple, sig: str, frame: pd.DataFrame
) -> None:
    """Keep ``frame`` as ``name`` for ``args`` (inside the write's transaction)."""
    table = pa.Table.from_pandas(frame, preserve_index=False)
    sink = pa.BufferOutputStream()
    with pa.ipc.new_stream(sink, table.schema) as writer:
        writer.write_table(table)
    con.execute(
        "INSERT INTO kept_frames VALUES (?, ?, ?, ?)",
        [name, _args(args), sig, sink.getvalue().to_pybytes()],
    )


def default_dates(con: duckdb.DuckDBPyConnection) -> tuple[date, date] | None:
    """The dates the pages open on (:func:`cx.rules.default_period` of the days with
    answers), or None without answers: what most keepers keep their frames for."""
    first, last = con.execute("SELECT min(day), max(day) FROM daily_rollup").fetchall()[0]
    return None if last is None else rules.default_period(first, last)


def store(con: duckdb.DuckDBPyConnection) -> None:
    """Every keeper's frames anew (the old ones dropped): called by every write inside its
    transaction once the rollups are current."""
    from cx.queries import board, cx_overview, heatmap, quadrant, segments  # noqa: F401 - their keepers register

    con.execute("DELETE FROM kept_frames")
    for func in _KEEPERS:
        func(con)
