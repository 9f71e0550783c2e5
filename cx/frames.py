"""Column helpers for frames the app hands out."""

from __future__ import annotations

import re
from collections.abc import Callable

import numpy as np
import pandas as pd


def map_distinct(column: pd.Series, fn: Callable[[object], object]) -> pd.Series:
    """``column.map(fn)`` calling ``fn`` once per distinct value (``fn`` must depend on
    the value only): an export of a national callback queue has 300,000 rows and a few
    dozen labels, owners or statuses. Missing values are passed to ``fn`` as they are."""
    missing = column.isna().to_numpy()
    codes, uniques = pd.factorize(column, use_na_sentinel=True)
    values = np.empty(len(uniques) + 1, dtype=object)
    values[: len(uniques)] = [fn(u) for u in np.asarray(uniques, dtype=object)]
    out = values[codes]  # code -1 (missing) takes the last slot, filled below
    if missing.any():
        seen: dict[type, object] = {}  # None, NaN, NA, NaT: once each
        filled = []
        for value in column.to_numpy(dtype=object)[missing]:
            kind = type(value)
            if kind not in seen:
                seen[kind] = fn(value)
            filled.append(seen[kind])
        out[missing] = filled
    return pd.Series(out, index=column.index, name=column.name, dtype=object)


def store_label(store_id: object, name: object) -> str:
    """A store as the pages name it, 'HZ01 杭州滨江服务中心'; a store uploaded without a
    name (the queries give its id in its place) is its id alone, not 'SZ05 SZ05'."""
    text = "" if name is None or name is pd.NA or name != name else _plain(str(name))
    return str(store_id) if not text or text == str(store_id) else f"{store_id} {text}"


# The characters that reorder or hide text: zero-width ones, directional marks, embeddings,
# overrides and isolates (a right-to-left override in a store's name turned the pickers'
# "反向ABC 123" into "321 CBA向反"). cx.i18n drops them from text too.
REORDERING = "\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff"
_HIDDEN = re.compile(f"[{REORDERING}]")


def _plain(text: str) -> str:
    return _HIDDEN.sub("", text).strip()


def store_labels(ids: pd.Series, names: pd.Series) -> pd.Series:
    """:func:`store_label` of every row (a network's 1,912 stores at once)."""
    text = names.astype(object).where(names.notna(), "").astype(str).map(_plain)
    alone = text.eq("") | text.eq(ids.astype(str))
    return (ids.astype(str) + " " + text).where(~alone, ids.astype(str))
