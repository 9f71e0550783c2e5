"""Tests for the demo data generator (cx.demo_data)."""

from __future__ import annotations

import time

import numpy as np
import pandas as pd
import pytest

from cx import demo_data
from cx.demo_data import (
    CHANNELS,
    CSI_COLUMNS,
    CUSTOMER_TIERS,
    FOLLOWUP_COLUMNS,
    FOLLOWUP_STATUSES,
    PAIN_POINTS,
    RESPONSE_COLUMNS,
    SERVICE_TYPES,
    TOUCHPOINTS,
    TP_COLUMNS,
    DemoData,
    generate,
    nps_score,
)

SMALL = 0.05


@pytest.fixture(scope="module")
def small() -> DemoData:
    return generate(scale=SMALL)


def _nps(values: pd.Series) -> float:
    return nps_score(values)


def _story(data: DemoData) -> pd.DataFrame:
    r = data.responses
    return r[r["store_id"] == "HZ01"]


def _between(frame: pd.DataFrame, first: str, last_inclusive: str) -> pd.DataFrame:
    at = frame["responded_at"]
    end = pd.Timestamp(last_inclusive) + pd.Timedelta(days=1)
    return frame[(at >= pd.Timestamp(first)) & (at < end)]


# --- shape and types --------------------------------------------------------


def test_columns_in_contract_order(small: DemoData) -> None:
    assert list(small.responses.columns) == list(RESPONSE_COLUMNS)
    assert list(small.stores.columns) == ["store_id", "store_name", "region", "city"]
    assert list(small.targets.columns) == ["store_id", "month", "nps_target"]
    assert list(small.followups.columns) == list(FOLLOWUP_COLUMNS)


def test_dtypes(small: DemoData) -> None:
    r = small.responses
    assert r["responded_at"].dtype == "datetime64[us]"
    assert r["service_date"].dtype == "datetime64[us]"
    assert r["nps"].dtype == np.int64
    assert r["csat"].dtype == "Int64"
    assert r["ces"].dtype == "Int64"
    assert r["first_time_fix"].dtype == "boolean"
    for col in (*CSI_COLUMNS, *TP_COLUMNS, "wait_minutes", "amount"):
        assert r[col].dtype == np.float64, col
    for col in ("response_id", "store_id", "comment", "advisor", "phone", "plate"):
        assert pd.api.types.is_string_dtype(r[col].dtype), col
    assert small.followups["updated_at"].dtype == "datetime64[us]"
    assert small.targets["nps_target"].dtype == np.float64


def test_response_id_unique_and_stores_known(small: DemoData) -> None:
    r = small.responses
    assert r["response_id"].is_unique
    assert r["response_id"].notna().all()
    assert set(r["store_id"]) <= set(small.stores["store_id"])
    assert small.stores["store_id"].is_unique


# --- the story store ----------------------------------------------------------


@pytest.mark.parametrize("scale", [SMALL, 0.2])
def test_story_store_numbers(scale: float) -> None:
    data = generate(scale=scale)
    hz = _story(data)
    stores = data.stores.set_index("store_id")
    assert stores.loc["HZ01", "store_name"] == "杭州滨江服务中心"
    assert stores.loc["HZ01", "region"] == "华东"
    assert stores.loc["HZ01", "city"] == "杭州"

    september = _between(hz, "2025-09-01", "2025-09-30")
    assert abs(_nps(september["nps"]) - 72) <= 0.5

    week1 = _between(hz, "2025-10-01", "2025-10-07")["nps"]
    assert (week1 >= 9).sum() == 156
    assert ((week1 >= 7) & (week1 <= 8)).sum() == 32
    assert (week1 <= 6).sum() == 12
    assert _nps(week1) == pytest.approx(72.0)

    mtd15 = _between(hz, "2025-10-01", "2025-10-15")["nps"]
    assert abs(_nps(mtd15) - 74.5) <= 0.5
    october = _between(hz, "2025-10-01", "2025-10-31")
    assert _nps(october["nps"]) >= 77
    assert 24 <= len(october) / 31 <= 32  # ~28 answers a day

    for month in pd.period_range("2024-10", "2025-08", freq="M"):
        rows = hz[hz["responded_at"].dt.to_period("M") == month]
        assert 66.5 <= _nps(rows["nps"]) <= 72.5, str(month)

    targets = data.targets
    row = targets[
        (targets["store_id"] == "HZ01") & (targets["month"] == pd.Timestamp("2025-10-01").date())
    ]
    assert row["nps_target"].tolist() == [77.0]


def test_story_identical_across_scales() -> None:
    def daily(frame: pd.DataFrame) -> pd.DataFrame:
        category = pd.cut(frame["nps"], [-1, 6, 8, 10], labels=["detractor", "passive", "promoter"])
        return pd.crosstab(frame["responded_at"].dt.date, category)

    a = daily(_story(generate(scale=SMALL)))
    b = daily(_story(generate(scale=0.1)))
    pd.testing.assert_frame_equal(a, b)


def test_targets_for_every_store_in_october(small: DemoData) -> None:
    t = small.targets
    october = t[t["month"] == pd.Timestamp("2025-10-01").date()]
    assert set(october["store_id"]) == set(small.stores["store_id"])
    assert october["nps_target"].between(-100, 100).all()
    assert all(m.day == 1 for m in t["month"])


# --- reproducibility ------------------------------------------------------------


def test_same_seed_same_frames(small: DemoData) -> None:
    again = generate(scale=SMALL)
    pd.testing.assert_frame_equal(small.responses, again.responses)
    pd.testing.assert_frame_equal(small.stores, again.stores)
    pd.testing.assert_frame_equal(small.targets, again.targets)
    pd.testing.assert_frame_equal(small.followups, again.followups)
    assert small.responses.equals(again.responses)


def test_other_seed_differs(small: DemoData) -> None:
    other = generate(seed=7, scale=SMALL)
    assert not small.responses["nps"].equals(other.responses["nps"]) or len(other.responses) != len(
        small.responses
    )
    # ... but the story holds for any seed.
    week1 = _between(_story(other), "2025-10-01", "2025-10-07")["nps"]
    assert ((week1 >= 9).sum(), (week1 <= 6).sum(), len(week1)) == (156, 12, 200)


# --- values within the contract -------------------------------------------------


def test_enums_within_contract(small: DemoData) -> None:
    r = small.responses
    assert set(r["key_touchpoint"].dropna()) <= set(TOUCHPOINTS)
    assert set(r["pain_point"].dropna()) <= set(PAIN_POINTS)
    assert set(r["service_type"].dropna()) <= set(SERVICE_TYPES)
    assert set(r["channel"].dropna()) <= set(CHANNELS)
    assert set(r["customer_tier"].dropna()) <= set(CUSTOMER_TIERS)
    f = small.followups
    assert set(f["status"]) <= set(FOLLOWUP_STATUSES)
    assert set(f["root_cause"].dropna()) <= set(PAIN_POINTS)
    assert set(small.stores["region"]) <= {"华东", "华南", "华北", "华中", "西南", "西北"}


def test_numeric_ranges(small: DemoData) -> None:
    r = small.responses
    assert r["nps"].between(0, 10).all()
    for col in CSI_COLUMNS:
        v = r[col].dropna()
        assert v.between(1, 10).all() and (v == v.round()).all(), col
        assert 0.05 < r[col].isna().mean() < 0.15, col
    for col in TP_COLUMNS:
        assert r[col].dropna().between(0, 10).all(), col
    assert r["csat"].dropna().between(1, 5).all()
    assert r["ces"].dropna().between(1, 7).all()
    assert (r["wait_minutes"].dropna() >= 0).all()
    assert (r["amount"] >= 0).all()
    assert r["phone"].str.fullmatch(r"1[358]\d{9}").all()
    assert r["plate"].str.fullmatch(r"[\u4e00-\u9fff][A-Z]·[A-Z0-9]{6}").all()


def test_dates(small: DemoData) -> None:
    r = small.responses
    assert r["responded_at"].min() >= pd.Timestamp("2024-10-01")
    assert r["responded_at"].max() < pd.Timestamp("2025-11-01")
    assert (r["service_date"] <= r["responded_at"]).all()
    assert (r["service_date"] == r["service_date"].dt.normalize()).all()
    lag = (r["responded_at"].dt.normalize() - r["service_date"]).dt.days
    assert lag.between(0, 3).all()
    assert r["service_date"].min() >= pd.Timestamp("2024-10-01")
    assert r["responded_at"].is_monotonic_increasing


def test_plates_match_store_region(small: DemoData) -> None:
    r = small.responses
    hz = r[r["store_id"] == "HZ01"]
    assert hz["plate"].str.startswith("浙A").all()
    bj = r[r["store_id"] == "BJ01"]
    assert bj["plate"].str.startswith("京").all()


def test_advisors_stable_per_store(small: DemoData) -> None:
    per_store = small.responses.groupby("store_id")["advisor"].nunique()
    assert per_store.between(4, 8).all()


# --- realism ------------------------------------------------------------------------


def test_pain_point_mix_of_detractors(small: DemoData) -> None:
    r = small.responses
    det = r[r["nps"] <= 6]
    four = det[det["pain_point"].isin(["waiting", "cost", "unresolved", "attitude"])]
    shares = four["pain_point"].value_counts(normalize=True)
    expected = {"waiting": 0.38, "cost": 0.30, "unresolved": 0.20, "attitude": 0.12}
    for key, share in expected.items():
        assert abs(shares[key] - share) <= 0.03, (key, shares[key])
    assert det["pain_point"].notna().mean() > 0.9
    assert r.loc[r["nps"] >= 9, "pain_point"].isna().all()


def test_scores_move_with_nps(small: DemoData) -> None:
    r = small.responses
    for col in (*CSI_COLUMNS, *TP_COLUMNS, "csat"):
        assert r[col].astype(float).corr(r["nps"].astype(float)) > 0.3, col
    assert r["ces"].astype(float).corr(r["nps"].astype(float)) < -0.3


def test_touchpoint_matching_pain_is_lowest(small: DemoData) -> None:
    r = small.responses
    det = r[r["nps"] <= 6]
    means = det.groupby("pain_point")[list(TP_COLUMNS)].mean()
    assert means.loc["waiting"].idxmin() == "tp_waiting"
    assert means.loc["unresolved"].idxmin() == "tp_repair_quality"
    assert means.loc["attitude"].idxmin() == "tp_advisor"
    assert means.loc["communication"].idxmin() == "tp_follow_up"
    key = det.groupby("pain_point")["key_touchpoint"].agg(lambda s: s.value_counts().index[0])
    assert key["waiting"] == "waiting"
    assert key["cost"] == "price_transparency"
    waiting = det.loc[det["pain_point"] == "waiting", "wait_minutes"].dropna()
    assert (waiting > 120).mean() > 0.7
    unresolved = det.loc[det["pain_point"] == "unresolved", "first_time_fix"].dropna()
    assert unresolved.mean() < 0.3


def test_store_quadrants(small: DemoData) -> None:
    full = generate(scale=0.3).responses
    sep = full[full["responded_at"].dt.to_period("M") == pd.Period("2025-09", "M")]
    g = sep.groupby("store_id")
    nps = g["nps"].apply(_nps)
    csi = g[list(CSI_COLUMNS)].mean().mean(axis=1)
    high_nps, high_csi = nps > nps.median(), csi > csi.median()
    table = pd.crosstab(high_nps, high_csi)
    assert table.shape == (2, 2)
    assert (table.to_numpy() >= 4).all()


def test_weekday_rhythm(small: DemoData) -> None:
    r = small.responses
    by_day = r.groupby(r["responded_at"].dt.day_of_week).size()
    assert by_day[[5, 6, 0]].min() > by_day[[1, 2, 3]].max()


def test_comments(small: DemoData) -> None:
    c = small.responses["comment"]
    assert 0.1 < c.isna().mean() < 0.4
    text = c.dropna()
    assert text.str.contains(r"[\u4e00-\u9fff]").mean() > 0.95
    assert text.str.match(r"[=+\-]").sum() >= 2
    assert text.str.contains("\n").any()
    assert text.str.contains(",").any()
    assert text.str.contains('"').any()


# --- follow-ups -------------------------------------------------------------------------


def test_followups(small: DemoData) -> None:
    r = small.responses.set_index("response_id")
    f = small.followups
    assert f["response_id"].is_unique
    assert set(f["response_id"]) <= set(r.index)
    joined = f.join(r[["nps", "responded_at"]], on="response_id")
    assert (joined["updated_at"] >= joined["responded_at"]).all()
    assert (joined["updated_at"] <= pd.Timestamp("2025-10-31 23:59:59")).all()
    assert (f["owner"] == f["updated_by"]).all()
    assert f["note"].notna().all()
    assert (f["root_cause"].notna() == (f["status"] == "resolved")).all()

    old = r[r["responded_at"] < pd.Timestamp("2025-10-24")]
    old_det = old[old["nps"] <= 6]
    resolved = joined[
        (joined["status"] == "resolved") & (joined["responded_at"] < pd.Timestamp("2025-10-24"))
    ]
    share = len(resolved) / len(old_det)
    assert 0.85 <= share <= 0.95
    assert (
        (resolved["updated_at"] - resolved["responded_at"]) < pd.Timedelta(days=3)
    ).mean() > 0.95

    recent_det = r[(r["responded_at"] >= pd.Timestamp("2025-10-24")) & (r["nps"] <= 6)]
    assert f["response_id"].isin(recent_det.index).sum() < 0.5 * len(recent_det)

    old_rest = old[old["nps"] >= 7]
    sampled = f["response_id"].isin(old_rest.index).sum() / len(old_rest)
    assert 0.2 <= sampled <= 0.4


def test_nps_score_helper() -> None:
    assert nps_score(pd.Series([10, 9, 8, 7, 6])) == pytest.approx(20.0)
    assert np.isnan(nps_score(pd.Series([], dtype=int)))


def test_scale_must_be_positive() -> None:
    with pytest.raises(ValueError):
        generate(scale=0)


# --- full scale ------------------------------------------------------------------------


def test_full_scale() -> None:
    start = time.perf_counter()
    data = generate()
    elapsed = time.perf_counter() - start
    print(f"\ngenerate() at scale 1.0: {elapsed:.2f} s, {len(data.responses):,} responses")
    r = data.responses
    assert 250_000 <= len(r) <= 350_000
    assert r["store_id"].nunique() >= 40
    assert data.stores["region"].nunique() >= 5
    months = r["responded_at"].dt.to_period("M").nunique()
    assert months == 13
    assert demo_data.START == pd.Timestamp("2024-10-01")


# ---------------------------------------------------------------- planted signals
@pytest.fixture(scope="module")
def unplanted() -> DemoData:
    return generate(scale=SMALL, plant=False)


def test_plants_touch_only_their_stores_and_never_hz01(small: DemoData, unplanted: DemoData):
    a, b = small.responses, unplanted.responses
    assert a["response_id"].equals(b["response_id"])
    changed = a["nps"] != b["nps"]
    assert set(a.loc[changed, "store_id"]) == {"WH02", "CD02", "NC01"}
    changed = a["duration_seconds"] != b["duration_seconds"]
    assert set(a.loc[changed, "store_id"]) == {"WH02"}
    hz = a["store_id"] == "HZ01"
    pd.testing.assert_frame_equal(a[hz], b[hz])
    # targets and follow-ups were set before the plants
    pd.testing.assert_frame_equal(small.targets, unplanted.targets)
    pd.testing.assert_frame_equal(small.followups, unplanted.followups)


def test_planted_gaming_advisor_and_nothing_else_fast(small: DemoData):
    r = small.responses
    octo = r["responded_at"].between(pd.Timestamp("2025-10-01"), pd.Timestamp("2025-10-31 23:59"))
    wh = r[octo & (r["store_id"] == "WH02")]
    fast = r[r["duration_seconds"] < 20]
    # every answer under 20 seconds in the whole demo: one WH02 advisor, October 2025
    (who,) = set(zip(fast["store_id"], fast["advisor"], strict=True))
    assert who[0] == "WH02"
    assert fast["responded_at"].min() >= pd.Timestamp("2025-10-01")
    mine = wh[wh["advisor"] == who[1]]
    assert (mine["nps"] == 10).mean() >= 0.95
    assert (mine["duration_seconds"] < 20).mean() > 0.5  # mostly under 20 seconds
    others = wh[wh["advisor"] != who[1]]
    assert (others["nps"] == 10).mean() < 0.6


def test_planted_month_end_spike_and_drop(small: DemoData, unplanted: DemoData):
    def tens_share(frame, month_end):
        at = frame["responded_at"]
        me = at.dt.day > at.dt.days_in_month - 3
        rows = frame[me == month_end]
        return (rows["nps"] == 10).mean()

    cd = small.responses[small.responses["store_id"] == "CD02"]
    assert tens_share(cd, True) > tens_share(cd, False) + 0.25
    before = unplanted.responses[unplanted.responses["store_id"] == "CD02"]
    assert tens_share(before, True) < tens_share(before, False) + 0.1  # no spike unplanted

    nc = small.responses[small.responses["store_id"] == "NC01"]
    late = nc[nc["responded_at"] >= pd.Timestamp("2025-10-25")]
    raw_late = unplanted.responses.loc[late.index]
    drop = _nps(raw_late["nps"]) - _nps(late["nps"])
    # 35 points below what the store would have had, to the nearest whole answer
    assert drop == pytest.approx(35, abs=100 / len(late))


def test_touchpoints_have_different_influence(small: DemoData):
    r = small.responses[small.responses["store_id"] != "HZ01"]
    corr = {c: r["nps"].corr(r[c]) for c in TP_COLUMNS}
    for strong in ("tp_waiting", "tp_repair_quality"):
        for weak in ("tp_appointment", "tp_follow_up"):
            assert corr[strong] > corr[weak] + 0.2, corr
