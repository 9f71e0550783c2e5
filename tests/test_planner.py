"""Tests for cx.planner (pure Python NPS improvement planner)."""

from __future__ import annotations

import itertools
import json
import random
import re
import time

import numpy as np
import pytest

from cx import planner as P


def classic():
    return P.get_preset("classic_30day")


def fixed(name: str, gain: float, cost: float = 0.0) -> P.Project:
    return P.Project(name, "", cost, gain, low=gain, high=gain)


# ---------------------------------------------------------------- presets
def test_classic_preset_totals():
    baseline, projects = classic()
    s = P.summarise(baseline, projects)
    assert s["total_gain"] == pytest.approx(5.0)
    assert s["budget_used"] == pytest.approx(45000)
    assert s["projected"] == pytest.approx(77.0)
    assert s["gap"] == pytest.approx(0.0)
    assert s["budget_left"] == pytest.approx(0.0)
    assert s["over_budget"] is False
    assert s["cost_per_point"] == pytest.approx(9000.0)
    # the training material: four budget lines buy +2.8 for ¥45,000, process gives +2.2
    assert s["gain_paid"] == pytest.approx(2.8)
    assert s["gain_free"] == pytest.approx(2.2)
    lines = [r for r in P.budget_lines(projects, "zh") if not r["free"]]
    assert {r["line"]: (r["cost"], r["gain"]) for r in lines} == {
        "透明定价缓冲": (15000, 1.2),
        "VIP关怀": (20000, 0.8),
        "代步车补贴": (8000, 0.5),
        "培训材料": (2000, 0.3),
    }
    ftf = next(p for p in projects if p.pain_point == "unresolved")
    assert ftf.gain == 1.5
    assert ftf.gain_paid == pytest.approx(0.8) and ftf.gain_free == pytest.approx(0.7)


def test_budget_lines_must_cost_what_the_project_costs():
    with pytest.raises(ValueError, match="budget lines cost"):
        P.Project("x", "waiting", 10000, 1.0, lines=[P.BudgetLine("a", 8000, 0.5)])
    # without lines: a project that costs money is bought in full, a free one is all process
    assert P.Project("x", "", 100, 1.0).gain_paid == 1.0
    assert P.Project("x", "", 0, 1.0).gain_free == 1.0
    # a slider moved below the lines' gain: the bought part is capped at the gain
    line = P.BudgetLine("a", 100, 0.8)
    assert P.Project("x", "", 100, 0.5, lines=[line]).gain_paid == pytest.approx(0.5)


def test_budget_lines_survive_scenario_json():
    base, projects = classic()
    _, base2, projects2 = P.scenario_from_json(P.scenario_to_json(base, projects, "c"))
    assert P.summarise(base2, projects2) == P.summarise(base, projects)


def test_a_plan_word_loads_back_the_same_plan_and_preset():
    base, projects = classic()
    word = P.plan_token(P.scenario_to_json(base, projects, "课堂 1"), "classic_30day")
    assert re.fullmatch(r"[A-Za-z0-9_-]+", word)  # nothing an address must escape
    text, preset, period, store = P.plan_from_token(word)
    assert (preset, period, store) == ("classic_30day", None, None)
    assert P.scenario_from_json(text) == ("课堂 1", base, projects)


def test_a_plan_word_that_unpacks_past_the_limit_is_refused_without_unpacking_it():
    """A link is read by the server: one that would inflate to fifty megabytes is
    refused at the scenario's size limit, in little time and memory."""
    import base64
    import tracemalloc
    import zlib

    bomb = b'{"baseline": "' + b" " * 50_000_000 + b'"}'
    word = base64.urlsafe_b64encode(zlib.compress(bomb, 9)).decode().rstrip("=")
    assert len(word) < P.MAX_SCENARIO_CHARS  # short enough to be read
    tracemalloc.start()
    try:
        with pytest.raises(P.PlannerInputError) as refused:
            P.plan_from_token(word)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert refused.value.key == "plan.err.not_token"
    assert peak < 8 * P.MAX_SCENARIO_CHARS  # bounded by the limit, not the 50 MB
    for bad in ("x" * (P.MAX_SCENARIO_CHARS + 1), "", "!!!", word[:-8], 42):
        with pytest.raises(P.PlannerInputError):
            P.plan_from_token(bad)


def test_a_saved_scenario_writes_its_numbers_as_typed_and_loads_back_the_same():
    """A gain moved on a slider (0.6 x 3) or a budget line scaled with its project is
    written as a person reads it (1.8, not 1.7999999999999998) and loads back equal."""
    base, projects = classic()
    projects[0] = P.Project("a", "waiting", 0, 0.6 * 3)
    lines = P.scaled_lines(projects[3].lines, projects[3].gain, 0.4)  # 0.4000000000000001
    projects[3] = P.Project(
        projects[3].name, projects[3].pain_point, projects[3].cost, 0.4, lines=lines
    )
    text = P.scenario_to_json(base, projects, "c")
    assert "1.7999999999999998" not in text and "0.4000000000000001" not in text
    doc = json.loads(text)
    assert doc["projects"][0]["gain"] == 1.8
    assert doc["projects"][3]["lines"][0]["gain"] == 0.4
    _, base2, projects2 = P.scenario_from_json(text)
    assert (base2, projects2) == (base, projects)


def test_credibility_is_per_pain_point_across_projects():
    # class exercise: 48 detractors of 600, 40 % about waiting -> ceiling 3.2 points
    baseline, _ = P.get_preset("class_68_73")
    a = P.Project("wait a", "waiting", 0, 2.0)
    b = P.Project("wait b", "waiting", 0, 2.0)
    assert P.is_credible(a, baseline)  # alone it fits under 3.2
    rows = {r["pain_point"]: r for r in P.credibility(baseline, [a, b])}
    assert rows["waiting"]["limit"] == pytest.approx(3.2)
    assert rows["waiting"]["gain"] == pytest.approx(4.0)
    assert rows["waiting"]["credible"] is False
    assert not P.is_credible(a, baseline, [a, b])
    assert not P.is_credible(b, baseline, [a, b])
    # switching one off makes the other credible again
    b.enabled = False
    assert P.is_credible(a, baseline, [a, b])
    # and the one switched off is in no sum: never flagged, even with a third one on
    c = P.Project("wait c", "waiting", 0, 2.0)
    assert P.not_credible_why(a, baseline, [a, b, c]) == "pain"
    assert P.not_credible_why(b, baseline, [a, b, c]) is None
    b.gain = 9.0  # beyond the ceiling alone, and off
    assert P.not_credible_why(b, baseline, [b]) is None


def test_projects_on_different_pain_points_cannot_win_back_more_detractors_than_there_are():
    """The classic preset knows no pain mix (each pain point's ceiling is all 36 of 600
    detractors: +6.0): four projects at +5.5 claimed them four times and read credible.
    The whole plan is held to all the detractors too."""
    baseline, projects = classic()
    for p in projects:
        p.gain = 5.5
    rows = {r["pain_point"]: r for r in P.credibility(baseline, projects)}
    assert all(rows[p.pain_point]["credible"] for p in projects)  # each alone fits
    whole = rows[P.PLAN]
    assert whole["limit"] == pytest.approx(6.0) and whole["gain"] == pytest.approx(22.0)
    assert whole["credible"] is False
    assert [P.not_credible_why(p, baseline, projects) for p in projects] == ["plan"] * 4
    assert P.beyond_credible(baseline, projects) == pytest.approx(16.0)
    assert P.beyond_credible_whole(baseline, projects)
    # a project whose pain point is written '*' is a pain point like any other
    star = [P.Project("a", "*", 0, 5.5), P.Project("b", "cost", 0, 5.5)]
    assert [P.not_credible_why(p, baseline, star) for p in star] == ["plan"] * 2
    assert P.beyond_credible(baseline, star) == pytest.approx(5.0)
    # the preset as it comes (+5.0) fits; a project switched off is not flagged
    baseline, projects = classic()
    assert P.beyond_credible(baseline, projects) == 0
    projects[0].gain, projects[1].enabled = 6.0, False
    assert P.not_credible_why(projects[1], baseline, projects) is None
    assert P.not_credible_why(projects[0], baseline, projects) == "plan"
    assert P.beyond_credible(baseline, projects) == pytest.approx(
        sum(p.gain for p in projects if p.enabled) - 6.0
    )


def test_odds_shown_to_the_simulations_precision():
    baseline, projects = classic()
    sim = P.simulate(baseline, projects, draws=10000, seed=1)
    se = sim["prob_se"]
    assert se == pytest.approx((sim["prob"] * (1 - sim["prob"]) / 10000) ** 0.5)
    assert P.format_prob(0.514, 0.005) == "51%"  # 10,000 draws: margin under a point
    assert P.format_prob(0.514, 0.016) == "51 ± 4%"  # 1,000 draws: margin 3.1 -> 4
    small = P.simulate(baseline, projects, draws=1000, seed=1)
    assert "±" in P.format_prob(small["prob"], small["prob_se"])


def test_classic_baseline_mix():
    baseline, _ = classic()
    assert (baseline.d, baseline.pa, baseline.p) == (36, 96, 468)
    assert 100 * (baseline.p - baseline.d) / baseline.n_base == pytest.approx(72)
    assert baseline.n_expected == 600 and baseline.budget == 45000


def test_class_preset_is_credible_and_reaches_goal():
    baseline, projects = P.get_preset("class_68_73")
    assert baseline.nps == 68 and baseline.goal == 73 and baseline.budget == 45000
    assert baseline.pain_mix == {
        "waiting": 0.4,
        "cost": 0.3,
        "attitude": 0.2,
        "other": 0.1,
    }
    assert 100 * (baseline.p - baseline.d) / baseline.n_base == pytest.approx(68)
    assert all(P.is_credible(p, baseline) for p in projects)
    s = P.summarise(baseline, projects)
    assert s["projected"] >= baseline.goal
    assert not s["over_budget"]
    for proj in projects:
        assert proj.name and proj.name_zh and proj.label("zh") == proj.name_zh


def test_get_preset_returns_copies():
    baseline, projects = classic()
    projects[0].gain = 99
    baseline.goal = 10
    again, projects2 = classic()
    assert projects2[0].gain == 1.5 and again.goal == 77
    with pytest.raises(ValueError):
        P.get_preset("nope")


# ---------------------------------------------------------------- baseline
def test_baseline_derives_mix_when_counts_missing():
    b = P.Baseline(72, None, None, None, n_expected=600, goal=77, budget=0)
    assert (b.d, b.pa, b.p) == (36, 96, 468)
    b = P.Baseline(90, None, None, None, n_expected=100, goal=95, budget=0)
    assert (b.d, b.pa, b.p) == (0, 10, 90)
    b = P.Baseline(-90, None, None, None, n_expected=100, goal=0, budget=0)
    assert (b.d, b.pa, b.p) == (90, 10, 0)


def test_numpy_numbers_accepted():
    b = P.Baseline(
        np.float64(72), np.int64(36), np.int64(96), np.int64(468), np.int64(600), 77, 45000
    )
    assert (b.d, b.n_expected) == (36, 600) and isinstance(b.n_expected, int)
    proj = P.Project("x", "", np.int64(100), np.float64(1.0))
    assert proj.cost == 100.0
    assert P.simulate(b, [proj], draws=np.int64(100))["samples"].shape == (100,)
    with pytest.raises(ValueError):
        P.Project("x", "", True, 1.0)


def test_baseline_validation():
    with pytest.raises(ValueError):
        P.Baseline(72, None, None, None, n_expected=0, goal=77, budget=0)
    with pytest.raises(ValueError):
        P.Baseline(172, None, None, None, n_expected=10, goal=77, budget=0)
    with pytest.raises(ValueError):
        P.Baseline(72, -1, 2, 3, n_expected=10, goal=77, budget=0)


# ---------------------------------------------------------------- projects
def test_project_defaults_and_dict_round_trip():
    proj = P.Project("x", "waiting", 100, 2.0)
    assert (proj.low, proj.high) == (1.0, 3.0)
    assert (proj.start_day, proj.end_day, proj.enabled) == (8, 21, True)
    assert P.Project.from_dict(proj.to_dict()) == proj
    assert P.Project.from_dict({"name": "y", "cost": 1, "gain": 1}).pain_point == ""


@pytest.mark.parametrize(
    "kwargs",
    [
        {"cost": -1},
        {"low": 3.0},
        {"high": 0.5},
        {"start_day": 0},
        {"start_day": 22, "end_day": 21},
        {"cost": "cheap"},
        {"gain": float("nan")},
    ],
)
def test_project_validation(kwargs):
    base = {"name": "x", "pain_point": "", "cost": 10, "gain": 1.0} | kwargs
    with pytest.raises(ValueError):
        P.Project(**base)


def test_project_end_after_plan():
    proj = P.Project("x", "", 0, 1.0, end_day=25)
    proj.validate(30)
    with pytest.raises(ValueError):
        proj.validate(20)


# ---------------------------------------------------------------- conversions
def test_gain_in_customers():
    c = P.gain_in_customers(1.5, 600)
    assert c["detractor_to_passive"] == pytest.approx(9.0)
    assert c["passive_to_promoter"] == pytest.approx(9.0)
    assert c["detractor_to_promoter"] == pytest.approx(4.5)


def test_pain_point_gain_and_table():
    assert P.pain_point_gain(40, 600, 0.5) == pytest.approx(100 * 40 * 0.5 / 600)
    rows = P.pain_point_table({"waiting": 20, "cost": 15, "other": 5}, 600, 0.5)
    assert [r["pain_point"] for r in rows] == ["waiting", "cost", "other"]
    assert rows[0]["gain"] == pytest.approx(100 * 20 * 0.5 / 600)
    assert rows[0]["max_gain"] == pytest.approx(100 * 20 / 600)


def test_credibility_flag():
    assert P.max_credible_gain(48, 0.1, 600) == pytest.approx(0.8)
    baseline, _ = P.get_preset("class_68_73")
    ok = P.Project("calls", "other", 0, 0.8)
    too_much = P.Project("calls+", "other", 0, 0.9)
    assert P.is_credible(ok, baseline)
    assert not P.is_credible(too_much, baseline)
    # a pain point nobody mentions cannot move detractors
    assert not P.is_credible(P.Project("z", "parking", 0, 0.1), baseline)
    # without a pain mix every detractor counts: 36/600 -> 6 points
    classic_baseline, _ = classic()
    assert P.is_credible(P.Project("a", "x", 0, 6.0), classic_baseline)
    assert not P.is_credible(P.Project("a", "x", 0, 6.1), classic_baseline)


# ---------------------------------------------------------------- summary
def test_projected_capped_at_100():
    b = P.Baseline(97, None, None, None, n_expected=100, goal=99, budget=0)
    s = P.summarise(b, [fixed("big", 5.0)])
    assert s["projected"] == 100.0
    assert s["gap"] == pytest.approx(-1.0)
    assert s["cost_per_point"] == 0.0  # free gain costs nothing per point
    assert P.summarise(b, [])["cost_per_point"] is None


def test_summary_ignores_disabled_and_flags_over_budget():
    baseline, projects = classic()
    baseline.budget = 30000
    s = P.summarise(baseline, projects)
    assert s["over_budget"] is True and s["budget_left"] == pytest.approx(-15000)
    projects[3].enabled = False
    s = P.summarise(baseline, projects)
    assert s["total_gain"] == pytest.approx(4.2)
    assert s["budget_used"] == pytest.approx(25000)
    assert s["over_budget"] is False


# ---------------------------------------------------------------- knapsack
def test_best_plan_classic_30000():
    _, projects = classic()
    names, gain, cost = P.best_plan(projects, 30000)
    assert names == [
        "Wait-time visibility",
        "Transparent pricing promise",
        "First-time-fix push (loaner cars + training)",
    ]
    assert gain == pytest.approx(4.2)
    assert cost == pytest.approx(25000)


def test_best_plan_accepts_dicts():
    _, projects = classic()
    dicts = [{"name": p.name, "cost": p.cost, "gain": p.gain} for p in projects]
    assert P.best_plan(dicts, 30000) == P.best_plan(projects, 30000)
    assert P.best_plan(dicts, 45000)[1] == pytest.approx(5.0)


def greedy_by_ratio(items, budget):
    chosen, spent = [], 0.0
    for item in sorted(items, key=lambda i: -i["gain"] / max(i["cost"], 1e-9)):
        if spent + item["cost"] <= budget:
            chosen.append(item["name"])
            spent += item["cost"]
    return chosen


def test_best_plan_beats_greedy_by_ratio():
    items = [
        {"name": "A", "cost": 6000, "gain": 6.6},  # best ratio, blocks the rest
        {"name": "B", "cost": 5000, "gain": 5.0},
        {"name": "C", "cost": 5000, "gain": 5.0},
    ]
    greedy = greedy_by_ratio(items, 10000)
    assert greedy == ["A"]
    names, gain, cost = P.best_plan(items, 10000)
    assert sorted(names) == ["B", "C"]
    assert gain == pytest.approx(10.0) and cost == pytest.approx(10000)


def test_best_plan_tie_breaks():
    # equal gain: lower cost wins
    items = [
        {"name": "a", "cost": 200, "gain": 1.0},
        {"name": "b", "cost": 100, "gain": 1.0},
    ]
    assert P.best_plan(items, 1000)[0] == ["a", "b"]
    assert P.best_plan(items, 250)[0] == ["b"]
    # equal gain and cost: fewer projects wins
    items = [
        {"name": "x", "cost": 100, "gain": 0.1},
        {"name": "y", "cost": 100, "gain": 0.2},
        {"name": "xy", "cost": 200, "gain": 0.3},
    ]
    assert P.best_plan(items, 200)[0] == ["xy"]
    # everything equal: name order
    items = [
        {"name": "zed", "cost": 100, "gain": 1.0},
        {"name": "alpha", "cost": 100, "gain": 1.0},
    ]
    assert P.best_plan(items, 150)[0] == ["alpha"]
    # a free project with no gain is left out (fewer projects)
    items = [{"name": "noop", "cost": 0, "gain": 0.0}]
    assert P.best_plan(items, 0) == ([], 0.0, 0.0)


def test_best_plan_float_noise_and_fractional_costs():
    items = [
        {"name": "a", "cost": 0.1, "gain": 0.1},
        {"name": "b", "cost": 0.2, "gain": 0.2},
        {"name": "c", "cost": 0.3, "gain": 0.3},
    ]
    # 0.1 + 0.2 != 0.3 in floats; both sets cost 0.30 and gain 0.3 -> fewer wins
    names, gain, cost = P.best_plan(items, 0.3)
    assert names == ["c"] and gain == pytest.approx(0.3) and cost == pytest.approx(0.3)


def brute_force(items, budget):
    best = None
    for r in range(len(items) + 1):
        for combo in itertools.combinations(items, r):
            cost = sum(round(i["cost"] * 100) for i in combo)
            if cost > round(budget * 100):
                continue
            gain = sum(round(i["gain"] * 1e9) for i in combo)
            key = (-gain, cost, len(combo), sorted(i["name"] for i in combo))
            if best is None or key < best:
                best = key
    return best


def brute_force_cheapest(items, needed):
    best = None
    need = round(needed * 1e9)
    for r in range(len(items) + 1):
        for combo in itertools.combinations(items, r):
            gain = sum(round(i["gain"] * 1e9) for i in combo)
            if gain < need:
                continue
            cost = sum(round(i["cost"] * 100) for i in combo)
            key = (cost, -gain, len(combo), sorted(i["name"] for i in combo))
            if best is None or key < best:
                best = key
    return best


def random_items(rng, k):
    return [
        {
            "name": rng.choice(["a", "b", "c", "d"]) + str(i % 3),
            "cost": rng.choice([0, rng.randint(1, 20) * 1000, rng.uniform(0, 20000)]),
            "gain": round(rng.uniform(0, 3), 1),
        }
        for i in range(k)
    ]


@pytest.mark.parametrize("mitm_max", [30, 0])  # meet in the middle / dict DP
def test_plans_match_brute_force(monkeypatch, mitm_max):
    monkeypatch.setattr(P, "_MITM_MAX", mitm_max)
    rng = random.Random(7)
    for _ in range(80):
        items = random_items(rng, rng.randint(0, 9))
        budget = rng.uniform(0, 60000)
        names, gain, cost = P.best_plan(items, budget)
        key = (-round(gain * 1e9), round(cost * 100), len(names), sorted(names))
        assert key == brute_force(items, budget)
        needed = rng.uniform(0, 12)
        plan = P.cheapest_plan_to_goal(items, needed)
        expected = brute_force_cheapest(items, needed)
        if expected is None:
            assert plan is None
        else:
            names, gain, cost = plan
            key = (round(cost * 100), -round(gain * 1e9), len(names), sorted(names))
            assert key == expected


def test_plans_fast_when_every_subset_is_pareto_optimal():
    # gain proportional to cost with fractional yuan: all 2^25 sums differ
    rng = random.Random(1)
    items = [
        {"name": f"p{i:02d}", "cost": c, "gain": c / 1000}
        for i, c in enumerate(rng.uniform(1000, 20000) for _ in range(25))
    ]
    start = time.perf_counter()
    _names, gain, cost = P.best_plan(items, 150000)
    plan = P.cheapest_plan_to_goal(items, 150)
    assert time.perf_counter() - start < 5
    assert cost <= 150000 and gain == pytest.approx(150, abs=0.01)
    assert plan is not None and plan[1] >= 150


def test_best_plan_25_projects_is_fast():
    rng = random.Random(3)
    items = [
        {
            "name": f"p{i:02d}",
            "cost": rng.randint(1, 40) * 500,
            "gain": round(rng.uniform(0.1, 2), 2),
        }
        for i in range(25)
    ]
    start = time.perf_counter()
    _names, gain, cost = P.best_plan(items, 100000)
    assert time.perf_counter() - start < 5
    assert cost <= 100000 and gain > 0


def test_best_plan_rejects_bad_input():
    with pytest.raises(ValueError):
        P.best_plan([{"name": "a", "cost": -1, "gain": 1}], 10)
    with pytest.raises(ValueError):
        P.best_plan([{"name": "a", "gain": 1}], 10)
    with pytest.raises(ValueError):
        P.best_plan([], -5)


def test_cheapest_plan_to_goal():
    _, projects = classic()
    names, gain, cost = P.cheapest_plan_to_goal(projects, 3.0)
    assert cost == pytest.approx(10000) and gain == pytest.approx(3.0)
    assert sorted(names) == sorted(
        ["Wait-time visibility", "First-time-fix push (loaner cars + training)"]
    )
    assert P.cheapest_plan_to_goal(projects, 5.0)[2] == pytest.approx(45000)
    assert P.cheapest_plan_to_goal(projects, 5.1) is None
    # nothing needed: cost 0, and the tie-break on higher gain takes the free project
    assert P.cheapest_plan_to_goal(projects, 0) == (["Wait-time visibility"], 1.5, 0.0)
    assert P.cheapest_plan_to_goal([], 0) == ([], 0.0, 0.0)
    # equal cost: higher gain wins
    items = [
        {"name": "a", "cost": 100, "gain": 1.0},
        {"name": "b", "cost": 100, "gain": 2.0},
    ]
    assert P.cheapest_plan_to_goal(items, 0.5)[0] == ["b"]


# ---------------------------------------------------------------- odds
def test_simulate_reproducible_under_seed():
    baseline, projects = classic()
    a = P.simulate(baseline, projects, draws=5000, seed=42)
    b = P.simulate(baseline, projects, draws=5000, seed=42)
    c = P.simulate(baseline, projects, draws=5000, seed=43)
    assert a["prob"] == b["prob"]
    np.testing.assert_array_equal(a["samples"], b["samples"])
    assert not np.array_equal(a["samples"], c["samples"])
    assert a["samples"].shape == (5000,)
    assert 0 <= a["prob"] <= 1
    assert a["p5"] <= a["mean"] <= a["p95"]


def test_simulate_matches_closed_form_with_fixed_gains():
    # true NPS 75 at n=400; the goal sits halfway between two reachable
    # values (step 0.25) at about z = -1.1, so the lattice and skew effects
    # of the normal approximation are small (exact trinomial: 0.8618).
    baseline = P.Baseline(72, None, None, None, n_expected=400, goal=72.125, budget=0)
    projects = [fixed("a", 1.5), fixed("b", 1.0, cost=100), fixed("c", 0.5)]
    closed = P.closed_form_prob(baseline, projects)
    mc = P.simulate(baseline, projects, draws=200_000, seed=1)
    assert closed == pytest.approx(0.8625, abs=1e-3)
    assert abs(mc["prob"] - closed) < 0.01
    assert mc["mean"] == pytest.approx(75.0, abs=0.05)


def test_simulate_edges():
    # perfect score stays at 100 and always meets a goal of 100
    b = P.Baseline(99, None, None, None, n_expected=50, goal=100, budget=0)
    r = P.simulate(b, [fixed("a", 5.0)], draws=1000)
    assert r["prob"] == 1.0 and r["mean"] == 100.0
    assert P.closed_form_prob(b, [fixed("a", 5.0)]) == 1.0
    # no projects: plain sampling noise around the baseline
    baseline, _ = classic()
    r = P.simulate(baseline, [], draws=20000, seed=5)
    assert r["mean"] == pytest.approx(72, abs=0.2)
    # disabled projects are ignored
    off = P.Project("off", "", 0, 50.0, enabled=False)
    assert P.simulate(baseline, [off], draws=2000)["prob"] == pytest.approx(
        P.simulate(baseline, [], draws=2000)["prob"]
    )


def test_simulate_timing():
    baseline, projects = classic()
    P.simulate(baseline, projects, draws=10_000)  # warm-up
    start = time.perf_counter()
    result = P.simulate(baseline, projects, draws=10_000, seed=0)
    elapsed = time.perf_counter() - start
    print(f"\nsimulate(10,000 draws): {elapsed * 1000:.1f} ms, prob={result['prob']:.3f}")
    assert elapsed < 1.0  # generous: the target is well under 100 ms


# ---------------------------------------------------------------- words
@pytest.mark.parametrize(
    ("p", "en", "zh"),
    [
        (0.6, "about 3 in 5", "约五分之三"),
        (0.1, "about 1 in 10", "约十分之一"),
        (0.5, "about 1 in 2", "约一半"),
        (0.7, "about 7 in 10", "约十分之七"),
        (0.81, "about 4 in 5", "约五分之四"),
        (0.93, "about 9 in 10", "约十分之九"),
        (0.97, "almost certain", "几乎肯定"),
        (0.01, "very unlikely", "可能性很小"),
        # the words of the percent shown: 65 % read "about 3 in 5", 55 % too
        (0.651, "about 2 in 3", "约三分之二"),
        (0.551, "about 1 in 2", "约一半"),
        (0.44, "about 2 in 5", "约五分之二"),
        (0.449, "about 1 in 2", "约一半"),
        (0.25, "about 1 in 4", "约四分之一"),
        (0.335, "about 1 in 3", "约三分之一"),
        (0.954, "about 9 in 10", "约十分之九"),
    ],
)
def test_probability_words(p, en, zh):
    assert P.probability_words(p, "en") == en
    assert P.probability_words(p, "zh") == zh


def test_probability_words_bad_input():
    with pytest.raises(ValueError):
        P.probability_words(0.5, "fr")
    with pytest.raises(ValueError):
        P.probability_words(1.5, "en")


# ---------------------------------------------------------------- pace
def test_milestones_classic():
    assert P.milestones(72, 77) == [(14, 74.0), (21, 76.0), (30, 77.0)]
    assert P.milestones(68, 73)[-1] == (30, 73.0)


def test_day28_check_classic():
    check = P.day28_check(77, 76, 560, 20)
    assert check["n_left"] == 40
    assert check["required"] == pytest.approx(91.0)
    assert check["status"] == "needed"
    assert P.required_nps_remaining(77, 76, 560, 40) == pytest.approx(91.0)
    assert P.required_nps_remaining(77, 76, 560, 0) is None
    assert P.day28_check(77, 70, 560, 20)["status"] == "out_of_reach"
    assert P.day28_check(77, 90, 560, 20)["status"] == "already_secured"
    assert P.day28_check(77, 78, 560, 20, days=28)["status"] == "already_secured"


def test_planned_path():
    path = P.planned_path(72, 77)
    assert len(path) == 31 and path[0] == (0, 72.0)
    d = dict(path)
    assert d[7] == 72.0 and d[14] == 74.0 and d[21] == 76.0 and d[30] == 77.0
    values = [v for _, v in path]
    assert values == sorted(values)


# ---------------------------------------------------------------- gantt
def test_gantt_rows():
    _, projects = classic()
    projects[3].enabled = False
    rows = P.gantt(projects, lang="zh")
    tasks = [r["task"] for r in rows]
    assert tasks[:3] == ["数据分析", "贬损者回访", "制定计划"]
    assert tasks[-2:] == ["回访冲刺", "每日监控"]
    assert len(rows) == 3 + 3 + 2
    assert [(r["start"], r["end"]) for r in rows[:3]] == [(1, 3), (4, 5), (6, 7)]
    assert [(r["start"], r["end"]) for r in rows[-2:]] == [(22, 25), (26, 30)]
    assert all(r["phase"] == "projects" and (r["start"], r["end"]) == (8, 21) for r in rows[3:6])
    en = P.gantt(projects, lang="en")
    assert en[3]["task"] == "Wait-time visibility"
    assert {r["phase"] for r in en} == {"diagnosis", "projects", "sprint"}


@pytest.mark.parametrize("days", [15, 20, 45, 60])
def test_a_plan_of_other_than_30_days_scales_its_gantt_and_names_its_phases_by_day(days):
    """A 15-day plan's callback sprint (days 7-10) overlapped its diagnosis (days 1-7) and
    its legend said 'Week 4'; a 45-day plan kept diagnosing on days 1-7 while its planned
    path stayed flat to day 10."""
    _, projects = classic()
    rows = P.gantt(projects, days, "en")
    w1, _, w3, end = P._milestone_days(days)
    fixed = [r for r in rows if r["phase"] != "projects"]
    spans = [(r["start"], r["end"]) for r in fixed]
    assert spans[0][0] == 1 and spans[-1][1] == end == days
    assert all(a <= b for a, b in spans)  # each task at least a day
    diagnosis = [r for r in fixed if r["phase"] == "diagnosis"]
    sprint = [r for r in fixed if r["phase"] == "sprint"]
    for phase in (diagnosis, sprint):  # one task after the other, no day left out
        assert all(a["end"] + 1 == b["start"] for a, b in zip(phase, phase[1:], strict=False))
    assert diagnosis[-1]["end"] == max(w1, 3)  # the planned path's flat week
    assert sprint[0]["start"] == w3 + 1
    labels = {r["phase"]: r["phase_label"] for r in rows}
    assert labels["diagnosis"] == f"Days 1-{diagnosis[-1]['end']}: diagnosis"
    assert labels["sprint"] == f"Days {w3 + 1}-{days}: sprint and monitoring"
    assert "Week" not in " ".join(labels.values())


@pytest.mark.parametrize("days", [15, 28, 29, 30, 31, 45])
def test_projects_on_the_default_days_fill_the_gantts_projects_phase(days):
    """A store's plan for a 31-day month kept the 30-day plan's project days, 8-21, beside
    a projects phase to day 22: a blank day on its Gantt; a 28-day month's ran a day into
    its sprint. Projects on the default days take the plan's own: from the day after the
    diagnosis to the day before the sprint. Days set otherwise stay."""
    _, projects = classic()
    moved = P.Project("Own days", "waiting", 0, 1.0, start_day=9, end_day=12)
    fitted = P.fit_days([*projects, moved], days)
    rows = P.gantt(fitted, days, "en")
    diagnosis_end = max(r["end"] for r in rows if r["phase"] == "diagnosis")
    sprint_start = min(r["start"] for r in rows if r["phase"] == "sprint")
    spans = {(p.start_day, p.end_day) for p in fitted[:-1]}
    assert spans == {(diagnosis_end + 1, sprint_start - 1)} == {P.default_days(days)}
    assert (fitted[-1].start_day, fitted[-1].end_day) == (9, 12)
    assert [p.name for p in fitted] == [p.name for p in [*projects, moved]]


def test_the_late_check_is_two_days_before_the_end():
    assert [P.check_day(d) for d in (30, 15, 45)] == [28, 13, 43]
    # a 15-day plan: the check on day 13 leaves two days of answers (it said "0 answers")
    check = P.day28_check(77, 76, 260, 20, days=15, day=P.check_day(15))
    assert check["n_left"] == 40 and check["required"] == pytest.approx(
        P.required_nps_remaining(77, 76, 260, 40)
    )


# ---------------------------------------------------------------- priority
def test_priority_quadrant():
    assert P.priority_quadrant(0, 2, 10, 1) == "quick_win"
    assert P.priority_quadrant(20, 2, 10, 1) == "strategic"
    assert P.priority_quadrant(0, 0.5, 10, 1) == "defer"
    assert P.priority_quadrant(20, 0.5, 10, 1) == "reconsider"


def test_priority_table_median_cuts():
    _, projects = classic()
    table = {r["name"]: r["quadrant"] for r in P.priority_table(projects)}
    assert table["Wait-time visibility"] == "quick_win"
    assert table["VIP care"] == "reconsider"
    assert P.priority_table([]) == []


# ---------------------------------------------------------------- JSON
def test_scenario_json_round_trip():
    for key in P.PRESETS:
        baseline, projects = P.get_preset(key)
        projects[0].owner = "张经理"
        projects[-1].enabled = False
        text = P.scenario_to_json(baseline, projects, "我的方案")
        name, b2, p2 = P.scenario_from_json(text)
        assert name == "我的方案"
        assert b2 == baseline
        assert p2 == projects


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("{not json", "not valid JSON"),
        ("[]", "JSON object"),
        ('{"projects": []}', "missing key(s): baseline"),
        (
            '{"baseline": {"nps": 72, "goal": 77, "budget": 1}, "projects": []}',
            "n_expected",
        ),
        (
            (
                '{"baseline": {"nps": "high", "n_expected": 600, "goal": 77, '
                '"budget": 1}, "projects": []}'
            ),
            "must be a number",
        ),
        (
            (
                '{"baseline": {"nps": 72, "n_expected": 600, "goal": 77, "budget": 1},'
                ' "projects": [{"name": "a", "cost": -5, "gain": 1}]}'
            ),
            "cost must be >= 0",
        ),
        (
            (
                '{"baseline": {"nps": 72, "n_expected": 600, "goal": 77, "budget": 1},'
                ' "projects": [{"name": "a", "gain": 1}]}'
            ),
            "missing key(s): cost",
        ),
        (
            (
                '{"baseline": {"nps": 72, "n_expected": 600, "goal": 77, "budget": 1,'
                ' "days": 20}, "projects": [{"name": "a", "cost": 1, "gain": 1,'
                ' "end_day": 21}]}'
            ),
            "after the last day",
        ),
        (
            (
                '{"baseline": {"nps": 72, "n_expected": 600, "goal": 77, "budget": 1,'
                ' "days": 14}, "projects": []}'
            ),
            "needs at least 15 days",
        ),
        (
            (
                '{"baseline": {"nps": 72, "n_expected": 600, "goal": 77, "budget": 1},'
                ' "projects": {"name": "a"}}'
            ),
            "must be a list",
        ),
    ],
)
def test_scenario_bad_json(text, fragment):
    with pytest.raises(ValueError) as info:
        P.scenario_from_json(text)
    message = str(info.value)
    assert fragment in message
    assert "\n" not in message


def test_scenario_json_is_plain_json():
    baseline, projects = classic()
    doc = json.loads(P.scenario_to_json(baseline, projects, "classic"))
    assert doc["version"] == 1
    assert doc["baseline"]["nps"] == 72
    assert doc["projects"][1]["cost"] == 15000
