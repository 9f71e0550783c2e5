"""The overview's view: its cards equal a recomputation from the raw answers of the demo
database; the month, the scope text, the targets and what moved follow their rules."""

from __future__ import annotations

import math
from datetime import date

import pytest

from cx import metrics, overview
from cx.scope import Scope
from cx.views import overview as overview_view
from tests.support import OCT, SEP, month_where, raw_month_figures

RAW_KEYS = ("nps", "promoters", "detractors", "csat", "ces", "ftf", "wait_median", "wait_p90")


@pytest.mark.parametrize("store", ["HZ01", None])
def test_cards_equal_raw_answers(con, store):
    scope = Scope(stores=(store,) if store else (), end=date(2025, 10, 31))
    v = overview_view.view(con, scope, None)
    assert v.month == OCT and v.prev == SEP and v.months[0] == OCT
    assert [c.key for c in v.cards] == list(metrics.METRICS)
    exp = raw_month_figures(con, *month_where(store, OCT))
    prev = raw_month_figures(con, *month_where(store, SEP))
    for key in RAW_KEYS:
        if key not in metrics.METRICS:
            continue
        card = v.card(key)
        assert card.value == pytest.approx(exp[key]), key
        assert card.prev_value == pytest.approx(prev[key]), key
    nps = v.card("nps")
    assert nps.n == exp["n"] and nps.change.diff == pytest.approx(exp["nps"] - prev["nps"])

    def var(r):
        return r["promoters"] + r["detractors"] - (r["promoters"] - r["detractors"]) ** 2

    z = (exp["nps"] - prev["nps"]) / (100 * math.sqrt(var(exp) / exp["n"] + var(prev) / prev["n"]))
    assert nps.change.real == (math.erfc(abs(z) / math.sqrt(2)) < 0.05)
    # twelve months of sparkline per metric, the last one the card's value
    spark = v.spark[v.spark["metric"] == "nps"]
    assert len(spark) == overview_view.SPARK_MONTHS
    assert spark["value"].iloc[-1] == pytest.approx(exp["nps"])
    # what moved: real changes only, one per family, at most three, largest |z| first
    assert len(v.moved) <= 3 and all(item.change.real for item in v.moved)
    zs = [abs(item.change.z) for item in v.moved]
    assert zs == sorted(zs, reverse=True)
    if store == "HZ01":
        assert f"{nps.value:.1f}" == "77.5" and nps.target == 77.0  # the story
        assert (v.scope_key, dict(v.scope_fmt), v.target_store) == (
            "ov.scope.stores",
            {"stores": "HZ01"},
            "HZ01",
        )
    else:
        assert (v.scope_key, v.target_store) == ("ov.scope.all", "*")


def test_month_follows_the_pick_then_the_filter_end(con):
    assert overview_view.view(con, Scope(end=date(2025, 9, 15)), None).month == SEP
    assert overview_view.view(con, Scope(end=date(2025, 10, 31)), SEP).month == SEP
    # a month without answers is never shown: the filter's month, else the newest
    assert overview_view.view(con, Scope(end=date(2025, 9, 15)), date(1999, 1, 1)).month == SEP
    assert overview_view.view(con, Scope(), None).month == OCT
    v = overview_view.view(con, Scope(regions=("华东",)), None)
    assert (v.scope_key, dict(v.scope_fmt)) == ("ov.scope.regions", {"regions": "华东"})


def test_targets_and_editor_rules(con):
    v = overview_view.view(con, Scope(stores=("HZ01", "HZ02")), OCT)
    assert v.target_store == "*"
    targets = dict(v.targets)
    assert targets["ces"] == metrics.get("ces").default_target
    assert v.editable and all(metrics.get(k).editable for k in v.editable)
    assert "nps" not in v.editable  # set per store and month on the board
    assert overview.target_step("share") == 0.5 and overview.target_step("nps") == 5.0
    assert v.card("ces").state == overview.state(
        v.card("ces").value, targets["ces"], metrics.get("ces").higher_is_better
    )


def test_an_empty_database_has_no_months(empty_db):
    from cx import db

    with db.connect(empty_db) as con:
        v = overview_view.view(con, Scope(), None)
    assert v.empty and v.month is None and not v.cards
