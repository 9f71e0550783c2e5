"""The heatmap's view: ranking, weekly view and importance equal a recomputation from the
raw answers of the demo database, with the default and with edited weights."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from cx import stats
from cx.enums import TP_KEYS
from cx.scope import Scope
from cx.views import heatmap as heatmap_view
from tests.support import raw_cji, raw_tp_means

SCOPE = Scope(start=date(2025, 8, 3), end=date(2025, 10, 31))
DEFAULT = tuple(stats.CJI_WEIGHTS[tp] for tp in TP_KEYS)


def _raw_complete(con, scope: Scope) -> pd.DataFrame:
    cols = ", ".join(f"tp_{tp}" for tp in TP_KEYS)
    return (
        con.execute(
            f"SELECT nps, {cols} FROM responses WHERE CAST(responded_at AS DATE) BETWEEN ? AND ?",
            [scope.start, scope.end],
        )
        .df()
        .dropna()
    )


def test_ranking_weekly_and_importance_equal_raw_answers(con):
    v = heatmap_view.view(con, SCOPE, DEFAULT, "cji_asc", "SH01")
    assert v.window == (SCOPE.start, SCOPE.end)
    assert v.prev_window == (date(2025, 5, 5), date(2025, 8, 2))  # the same 90 days before
    raw = raw_tp_means(con, SCOPE)
    got = v.ranked.set_index("store_id")
    assert sorted(got.index) == sorted(raw.index)
    for sid, r in raw.iterrows():
        assert got.loc[sid, "cji"] == pytest.approx(raw_cji(r))
        assert got.loc[sid, "tp_n"] == max(r[f"{tp}_n"] for tp in TP_KEYS)
    # worst first (every demo store has enough answers to be ranked)
    assert list(v.ranked["store_id"]) == list(raw.apply(raw_cji, axis=1).sort_values().index)
    # the weekly view: SH01's whole weeks from 13 weeks before the end
    assert v.store == "SH01"
    first = heatmap_view.weekly_start(SCOPE.start, SCOPE.end)
    assert first == date(2025, 7, 28) and first.weekday() == 0
    weeks = raw_tp_means(con, Scope(stores=("SH01",), start=first, end=SCOPE.end), "week")
    assert list(v.weekly["label"]) == [f"{w:%Y-%m-%d}" for w in weeks.index]
    for g, (_, r) in zip(v.weekly.to_dict("records"), weeks.iterrows(), strict=True):
        assert g["n"] == r["n"] and g["cji"] == pytest.approx(raw_cji(r))
    # importance = Johnson's relative weights over the raw complete answers
    complete = _raw_complete(con, SCOPE)
    x = complete.drop(columns="nps").rename(columns=lambda c: c[3:])
    weights, r2 = stats.relative_weights(x, complete["nps"])
    ipa = v.ipa.set_index("touchpoint")
    assert v.corr_n == len(complete) and v.r2 == pytest.approx(r2)
    assert list(ipa["importance"]) == pytest.approx(list(100 * weights / weights.sum()), abs=1e-6)
    assert list(ipa["weight"]) == pytest.approx([100 * w for w in DEFAULT])
    for tp, r in ipa.iterrows():
        want = (
            "stronger" if r["low"] > r["weight"] else "weaker" if r["high"] < r["weight"] else None
        )
        assert (tp in v.called) == (want is not None)
        assert r["verdict"] == (want or "consistent")


def test_edited_weights_change_the_cji_and_the_weights_shown(con):
    edited = dict(stats.CJI_WEIGHTS) | {"waiting": 0.25, "repair_quality": 0.15}
    v = heatmap_view.view(con, SCOPE, tuple(edited[tp] for tp in TP_KEYS), "store")
    raw = raw_tp_means(con, SCOPE)
    assert list(v.ranked["store_id"]) == sorted(raw.index)
    got = v.ranked.set_index("store_id")
    percent = {tp: 100 * w for tp, w in edited.items()}
    for sid, r in raw.iterrows():
        assert got.loc[sid, "cji"] == pytest.approx(raw_cji(r, percent))
    assert v.ipa.set_index("touchpoint").loc["waiting", "weight"] == pytest.approx(25.0)
    assert v.store == v.ranked.sort_values("store_id")["store_id"].iloc[0]  # no pick: the first


def test_no_dates_and_no_answers(con):
    assert heatmap_view.view(con, Scope(), DEFAULT).window is None
    v = heatmap_view.view(con, Scope(stores=("NOPE",), start=SCOPE.start, end=SCOPE.end), DEFAULT)
    assert v.empty and not v.has_ipa and v.window == (SCOPE.start, SCOPE.end)
    with pytest.raises(ValueError):
        heatmap_view.view(con, SCOPE, DEFAULT, "random")
