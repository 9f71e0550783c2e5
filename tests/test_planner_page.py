"""AppTest of the What-if planner page: every number shown is recomputed here with
cx.planner (or SQL over ``responses``) for the same inputs."""

from __future__ import annotations

import io
import json
import re
from dataclasses import replace
from datetime import date, timedelta

import pandas as pd
import pytest

from cx import db, i18n
from cx import planner as P
from cx.charts import planner as charts
from cx.charts import to_spec
from tests.support import chosen_label, record_downloads, shown_label

DRAWS, SEED = 10_000, 20251001  # as in cx/ui/planner.py
OCT = (date(2025, 10, 1), date(2025, 10, 31))


def open_page(app, lang: str = "zh"):
    app.session_state["ui_lang"] = lang
    app.switch_page("pages/planner.py").run()
    assert not app.exception, app.exception
    return app


def T(key: str, lang: str = "zh", **fmt) -> str:
    return i18n.t(key, lang, **fmt)


def metric(at, key: str, lang: str = "zh", **fmt):
    label = T(key, lang, **fmt)
    found = [m for m in at.metric if m.label == label]
    assert found, f"no metric {label!r} among {[m.label for m in at.metric]}"
    return found[0]


def unescaped(text: str) -> str:
    """Markdown as read: backslash escapes removed."""
    return re.sub(r"\\(.)", r"\1", text)


def markdown(at) -> str:
    return "\n".join(m.value for m in at.markdown)


def frame_with(at, column: str):
    for df in at.dataframe:
        if column in df.value.columns:
            return df.value
    raise AssertionError(f"no table with column {column!r}")


def check_plan(at, base: P.Baseline, projects: list[P.Project], lang: str = "zh") -> dict:
    """The metrics, odds, words and budget warning equal cx.planner's for these inputs."""
    assert not at.exception, at.exception
    s = P.summarise(base, projects)
    sim = P.simulate(base, projects, draws=DRAWS, seed=SEED)
    # the projection and the goal with the decimals that tell them apart (up to three)
    d = next((k for k in (1, 2, 3) if f"{s['projected']:.{k}f}" != f"{base.goal:.{k}f}"), 1)
    projected = metric(at, "plan.m.projected", lang)
    assert projected.value == f"{s['projected']:.{d}f}"
    assert projected.delta == f"{s['total_gain']:+.1f}"
    gap = float(f"{base.goal:.{d}f}") - float(f"{s['projected']:.{d}f}")  # as the two read
    if gap < 0:  # above the goal: said as such, by how much (not "gap -0.5")
        assert metric(at, "plan.m.above", lang).value == f"{-gap:.{d}f}"
    else:
        assert metric(at, "plan.m.gap", lang).value == f"{gap:.{d}f}"
    budget = metric(at, "plan.m.budget", lang).value
    assert budget == f"¥{s['budget_used']:,.0f} / ¥{base.budget:,.0f}"
    bought = metric(at, "plan.m.bought", lang).value
    assert bought == f"{s['gain_paid']:+.1f} / {s['gain_free']:+.1f}"
    # whole percent: 10,000 draws carry about ±1 point of simulation error
    assert metric(at, "plan.m.prob", lang).value == f"{100 * sim['prob']:.0f}%"
    assert P.probability_words(sim["prob"], lang) in markdown(at)
    over = T("plan.over_budget", lang, over=f"¥{-s['budget_left']:,.0f}")
    assert (over in [w.value for w in at.warning]) is s["over_budget"]
    return {"summary": s, "sim": sim}


def regain(project: P.Project, gain: float) -> P.Project:
    """The project with a new expected gain and default low / high, its budget lines'
    gains scaled alike (what a slider does)."""
    lines = P.scaled_lines(project.lines, project.gain, gain)
    return replace(project, gain=gain, low=None, high=None, lines=lines)


# ----------------------------------------------------------------------------- presets
def test_classic_preset_shows_the_story(app):
    at = open_page(app)
    base, projects = P.get_preset("classic_30day")
    out = check_plan(at, base, projects)
    assert metric(at, "plan.m.projected").value == "77.0"
    assert metric(at, "plan.m.budget").value == "¥45,000 / ¥45,000"
    # the training material's split: four budget lines buy +2.8, process gives +2.2
    assert metric(at, "plan.m.bought").value == "+2.8 / +2.2"
    lines = frame_with(at, T("plan.lines.line"))
    assert lines[T("plan.col.cost")].sum() == 45000
    assert lines[T("plan.col.gain")].sum() == pytest.approx(5.0)
    bought = lines[lines[T("plan.lines.line")] != T("plan.lines.free")]
    assert sorted(bought[T("plan.lines.line")]) == sorted(
        ["透明定价缓冲", "VIP关怀", "代步车补贴", "培训材料"]
    )
    assert bought[T("plan.col.gain")].sum() == pytest.approx(2.8)
    assert metric(at, "plan.m.cpp").value == "¥9,000"
    assert 0.3 < out["sim"]["prob"] < 0.7
    text = markdown(at)
    for day, nps in ((14, "74.0"), (21, "76.0"), (30, "77.0")):
        assert T("plan.milestone", day=day, nps=nps) in text
    # the pace table's figures are numbers (sorted as numbers), with one decimal
    pace = frame_with(at, T("plan.need_rest"))
    assert pace[T("plan.need_rest")].dtype.kind == "f"
    day28 = pace[pace[T("plan.day")] == 28].iloc[0]
    path = dict(P.planned_path(base.nps, base.goal, base.days))
    so_far = round(base.n_expected / base.days * 28)
    need = P.required_nps_remaining(base.goal, path[28], so_far, base.n_expected - so_far)
    assert day28[T("plan.need_rest")] == round(need, 1)
    # the path's first week at the baseline, while the odds count the gain on every
    # answer: said, since the table's needs (78.5 after day 7) exceed the projection
    assert path[7] == base.nps and pace[T("plan.need_rest")].min() > 77.0
    captions = [c.value for c in at.caption]
    assert T("plan.path_vs_odds", w1=7, base="72.0", goal="77.0") in captions, captions
    # day 28 and still at 76: the last 40 of 600 answers must average (77*600-76*560)/40
    assert T("plan.d28.needed", mtd="76.0", goal="77.0", n=40, req="91.0", day=28) in text
    # one slider and one toggle per project
    assert [s.key for s in at.slider if s.key.startswith("plan_gain_")] == [
        f"plan_gain_{i}" for i in range(4)
    ]
    assert all(at.toggle(key=f"plan_on_{i}").value for i in range(4))


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_gap_cards_help_says_what_the_card_shows(app, lang):
    """'Above the goal by 0.7' carried the help 'goal − projected; ≤ 0 means the goal is
    met', a negative figure beside the positive one it explained (the trainer's walk)."""
    at = open_page(app, lang)
    at.number_input(key="plan_goal").set_value(76.3).run()
    above = metric(at, "plan.m.above", lang)
    assert above.value == "0.7"
    # the positive figure is the projection less the goal, as its help reads
    assert {"zh": "预计 − 目标", "en": "Projected − goal"}[lang] in above.proto.help
    assert "≤ 0" not in above.proto.help
    assert above.proto.help == T("plan.m.above_help", lang)
    at.number_input(key="plan_goal").set_value(78.0).run()
    gap = metric(at, "plan.m.gap", lang)
    assert gap.value == "1.0" and gap.proto.help == T("plan.m.gap_help", lang)
    assert "≤ 0" not in gap.proto.help


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_presets_write_the_budget_as_the_page_does(app, lang):
    """The preset picker read "…，4.5万元" ("¥45k" in English) above a budget the page
    writes "¥45,000" everywhere else (the trainer's walk): one form on the page."""
    at = open_page(app, lang)
    budget = metric(at, "plan.m.budget", lang).value.split(" / ")[1]
    assert budget == "¥45,000"
    box = at.selectbox(key="plan_preset")
    for preset in ("classic_30day", "class_68_73"):
        shown = box.format_func(preset)
        assert shown.endswith(budget), shown
        assert "万" not in shown and "45k" not in shown, shown


def test_chinese_sentences_follow_each_other_without_a_space(app):
    """'…达不到目标（需 +6.0）。 需要更多项目…' and '…最多达到 81.1。 这低于目标 83.0': a
    stray space between Chinese sentences (the trainer's walk)."""
    at = open_page(app)
    at.number_input(key="plan_goal").set_value(83.0).run()
    at.slider(key="plan_gain_0").set_value(5.0).run()
    assert not at.exception, at.exception
    base, projects = P.get_preset("classic_30day")
    projects[0] = regain(projects[0], 5.0)  # all together +8.5, beyond the detractors'
    every = sum(p.gain for p in projects)
    need = f"+{i18n.fixed(83.0 - base.nps, i18n.digits_apart(83.0 - base.nps, every, 1))}"
    short = T("plan.cheapest_none", need=need)
    shown = [m.value for m in at.markdown if m.value == short]
    warned = [w.value for w in at.warning if T("plan.beyond_goal", goal="83.0") in w.value]
    assert len(shown) == 1 and len(warned) == 1, (markdown(at), [w.value for w in at.warning])
    for text in (*shown, *warned):
        assert not re.search(r"[。）]\**\s", text), text
    assert "**。" in shown[0]  # the bold closes before the full stop, where it may
    assert warned[0].endswith("。" + T("plan.beyond_goal", goal="83.0"))


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_customers_under_the_sliders_are_whole_people(app, lang):
    """'≈ 9.0 位贬损者转为中立（或 4.5 位贬损者转为推荐者）': customers counted in tenths
    (the trainer's walk). Each slider says the nearest whole people, halves up."""
    at = open_page(app, lang)
    base, projects = P.get_preset("classic_30day")
    captions = [c.value for c in at.caption]
    assert not [c for c in captions if re.search(r"\d\.\d (位|detractor)", c)], captions
    for proj in projects:
        moves = P.gain_in_customers(proj.gain, base.n_expected)
        whole = int(moves["detractor_to_passive"] + 0.5)
        half = int(moves["detractor_to_promoter"] + 0.5)
        said = T("plan.customers", lang, n=whole, half=half)
        assert any(c.startswith(said) for c in captions), (said, captions)
    # wait-time visibility, +1.5 of 600 answers: 9 detractors, or 4.5 -> 5
    assert T("plan.customers", lang, n=9, half=5) in captions


def test_classic_projects_in_customers_credibility_and_quadrants(app, monkeypatch):
    files = record_downloads(monkeypatch)
    at = open_page(app, "en")
    base, projects = P.get_preset("classic_30day")
    view = frame_with(at, T("plan.col.d2pa", "en"))
    assert list(view[T("plan.col.project", "en")]) == [p.name for p in projects]
    for (_, row), proj in zip(view.iterrows(), projects, strict=True):  # whole people
        moves = P.gain_in_customers(proj.gain, base.n_expected)
        assert row[T("plan.col.d2pa", "en")] == int(moves["detractor_to_passive"] + 0.5)
        assert row[T("plan.col.d2p", "en")] == int(moves["detractor_to_promoter"] + 0.5)
    quads = {r["name"]: r["quadrant"] for r in P.priority_table(projects)}
    shown = dict(
        zip(view[T("plan.col.project", "en")], view[T("plan.col.quadrant", "en")], strict=True)
    )
    assert shown == {name: T(f"plan.q.{q}", "en") for name, q in quads.items()}
    assert shown["Wait-time visibility"] == "Quick wins"
    assert shown["VIP care"] == "Reconsider"
    # the download names whose plan it is and writes its on/off column in words
    name, data = files["plan_projects_view_csv"]
    assert name.startswith("plan_projects_preset-classic_30day_"), name
    assert files["plan_json_dl"][0] == "scenario_plan_preset-classic_30day.json"
    text = data().decode("utf-8-sig")
    assert "True" not in text and "False" not in text
    ons = [line.split(",")[1] for line in text.splitlines()[1:]]
    assert ons == ["yes" if p.enabled else "no" for p in projects]
    # a cost of 15,000 as a spreadsheet reads it: 15000, not 15000.0 (the gains keep theirs)
    costs = [line.split(",")[3] for line in text.splitlines()[1:]]
    assert costs == [f"{p.cost:.0f}" for p in projects], costs


def test_class_exercise_preset(app):
    at = open_page(app)
    at.selectbox(key="plan_preset").select("class_68_73").run()
    base, projects = P.get_preset("class_68_73")
    check_plan(at, base, projects)
    assert metric(at, "plan.m.projected").value == "73.2"
    view = frame_with(at, T("plan.col.credible"))
    # the Chinese names under a plain 项目 (the editor's column holds the English ones)
    assert list(view[T("plan.col.project")]) == [p.label("zh") for p in projects]
    assert T("plan.col.project") == "项目"
    flags = list(view[T("plan.col.credible")])
    expected = [
        "✓" if P.is_credible(p, base, projects) else "⚠️ " + T("plan.not_credible") for p in projects
    ]
    assert flags == expected
    for day, nps in ((14, "70.0"), (21, "72.0"), (30, "73.0")):
        assert T("plan.milestone", day=day, nps=nps) in markdown(at)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_gains_beyond_the_detractors_are_said_with_what_the_plan_reaches_without_them(app, lang):
    """The class preset's waiting projects add +2.7 against a ceiling of +3.2; one slider
    to +3.0 takes them over it: the page says by how much, and the projection counting
    each pain point up to its ceiling, both from cx.planner's credibility rows."""
    at = open_page(app, lang)
    at.selectbox(key="plan_preset").select("class_68_73").run()
    base, projects = P.get_preset("class_68_73")
    assert not [w for w in at.warning if "⚠️" in w.value]
    k = next(i for i, p in enumerate(projects) if p.pain_point == "waiting")
    at.slider(key=f"plan_gain_{k}").set_value(3.0).run()
    projects[k] = regain(projects[k], 3.0)
    out = check_plan(at, base, projects, lang)
    waiting = next(r for r in P.credibility(base, projects) if r["pain_point"] == "waiting")
    beyond = waiting["gain"] - waiting["limit"]
    assert beyond > 0.05
    capped = base.nps + out["summary"]["total_gain"] - beyond
    said = T("plan.beyond_credible", lang, beyond=f"{beyond:.1f}", capped=f"{capped:.1f}")
    assert capped >= base.goal and said in [w.value for w in at.warning]
    assert float(metric(at, "plan.m.projected", lang).value) > capped  # the sliders' sum
    # the pricing promise off: within the ceilings the goal is out of reach, and the odds
    # beside it are said to assume every gain holds (they read as a chance of reaching it)
    at.toggle(key="plan_on_2").set_value(False).run()
    projects[2] = replace(projects[2], enabled=False)
    out = check_plan(at, base, projects, lang)
    capped = base.nps + out["summary"]["total_gain"] - beyond
    said = T("plan.beyond_credible", lang, beyond=f"{beyond:.1f}", capped=f"{capped:.1f}")
    assert capped < base.goal
    # Chinese sentences follow each other without a space
    said += ("" if lang == "zh" else " ") + T("plan.beyond_goal", lang, goal=f"{base.goal:.1f}")
    assert said in [w.value for w in at.warning]
    # in class, on the projector, too: under the Gantt (above it, it pushed the Gantt off
    # the first screen)
    at.toggle(key="plan_projector").set_value(True).run()
    assert said in [w.value for w in at.warning]

    def flat(node) -> list:
        kids = getattr(node, "children", None)
        return [node] if kids is None else [x for k in kids.values() for x in flat(k)]

    order = flat(at.main)
    gantt = next(i for i, x in enumerate(order) if x.type == "vega_lite_chart")
    warned = next(i for i, x in enumerate(order) if getattr(x, "value", None) == said)
    assert gantt < warned, (gantt, warned)


def test_a_plan_beyond_all_the_detractors_is_flagged_without_a_pain_mix(app):
    """Classic preset, every slider at +5.5: the projects together claim 132 of the 36
    detractors; the page says the plan is beyond credible, by how much, and flags each."""
    at = open_page(app, "en")
    base, projects = P.get_preset("classic_30day")
    for k in range(len(projects)):
        at.slider(key=f"plan_gain_{k}").set_value(5.5).run()
        projects[k] = regain(projects[k], 5.5)
    out = check_plan(at, base, projects, "en")
    beyond = out["summary"]["total_gain"] - 6.0  # 36 detractors of 600
    capped = min(100.0, base.nps + out["summary"]["total_gain"] - beyond)
    said = T("plan.beyond_credible_plan", "en", beyond=f"{beyond:.1f}", capped=f"{capped:.1f}")
    assert capped >= base.goal  # within reach all the same: nothing said of the odds
    assert said in [w.value for w in at.warning]
    flags = list(frame_with(at, T("plan.col.credible", "en"))[T("plan.col.credible", "en")])
    assert flags == ["⚠️ " + T("plan.not_credible_plan", "en")] * 4
    captions = [c.value for c in at.caption if T("plan.not_credible_plan", "en") in c.value]
    assert len(captions) == 4  # under each slider


def test_a_store_plan_for_a_31_day_month_runs_its_projects_to_the_sprint(app):
    """A plan for October (31 days) kept the 30-day plan's project days, 8-21, beside a
    projects phase to day 22: a blank day on the Gantt a class reads. Its projects run to
    the day before the sprint; November's (30 days) keep 8-21."""
    at = open_page(app)
    at.selectbox(key="plan_preset").select("my_store").run()
    for period, days in ((date(2025, 9, 1), (8, 22)), (date(2025, 10, 1), (8, 21))):
        at.selectbox(key="plan_period").select(period).run()
        assert not at.exception, at.exception
        table = at.session_state["plan_table_base"]
        assert set(zip(table["start_day"], table["end_day"], strict=True)) == {days}, period


def test_my_store_preset_uses_the_data(app, con):
    at = open_page(app)
    # a class preset keeps its fixed baseline whatever store is picked, and says so
    note = T("plan.preset_baseline")
    assert note in [c.value for c in at.caption]
    at.selectbox(key="plan_preset").select("my_store").run()
    assert note not in [c.value for c in at.caption]
    assert at.selectbox(key="plan_store").value == "HZ01"
    assert at.selectbox(key="plan_period").value == date(2025, 10, 1)  # last full month
    n, d, pa, p = con.execute(
        "SELECT count(*), count(*) FILTER (WHERE nps <= 6), count(*) FILTER (WHERE nps IN (7, 8)),"
        " count(*) FILTER (WHERE nps >= 9) FROM responses WHERE store_id = 'HZ01'"
        " AND CAST(responded_at AS DATE) BETWEEN ? AND ?",
        list(OCT),
    ).fetchall()[0]
    recent = con.execute(
        "SELECT count(*) FROM responses WHERE store_id = 'HZ01'"
        " AND CAST(responded_at AS DATE) BETWEEN ? AND ?",
        [OCT[1] - timedelta(days=27), OCT[1]],
    ).fetchall()[0][0]
    pains = dict(
        con.execute(
            "SELECT pain_point, count(*) FROM responses WHERE store_id = 'HZ01' AND nps <= 6"
            " AND pain_point IS NOT NULL AND CAST(responded_at AS DATE) BETWEEN ? AND ?"
            " GROUP BY ALL",
            list(OCT),
        ).fetchall()
    )
    nps = 100 * (p - d) / n
    n_exp = round(recent / 28 * 30)  # November has 30 days
    assert at.number_input(key="plan_base_nps").value == pytest.approx(nps)
    assert at.number_input(key="plan_n").value == n_exp
    goal = round(nps) + 5.0  # no target for November 2025 in the demo
    assert at.number_input(key="plan_goal").value == goal
    said = T("plan.goal_from_baseline", goal=f"{goal:.1f}", month="2025-11", nps=f"{nps:.1f}")
    assert said in [c.value for c in at.caption]  # where the goal came from
    base = P.Baseline(
        nps=nps, d=d, pa=pa, p=p, n_expected=n_exp, goal=goal, budget=45000, days=30,
        pain_mix={k: v / d for k, v in pains.items()},
    )  # fmt: skip
    projects = P.get_preset("classic_30day")[1]
    check_plan(at, base, projects)
    flags = list(frame_with(at, T("plan.col.credible"))[T("plan.col.credible")])
    # VIP care exceeds the attitude pool; the plan's +5.0 all the detractors (38 of 872
    # answers: at most +4.4), so every other project is flagged with the plan
    why = {"pain": "⚠️ " + T("plan.not_credible"), "plan": "⚠️ " + T("plan.not_credible_plan")}
    assert 100 * d / n < sum(pr.gain for pr in projects)
    assert flags == [why[P.not_credible_why(pr, base, projects)] for pr in projects]
    assert flags[2] == why["pain"] and set(flags) == set(why.values())

    # another store: its own baseline
    other = con.execute(
        "SELECT store_id FROM stores WHERE store_id <> 'HZ01' ORDER BY store_id LIMIT 1"
    ).fetchall()[0][0]
    at.selectbox(key="plan_store").select(other).run()
    n2, d2, p2 = con.execute(
        "SELECT count(*), count(*) FILTER (WHERE nps <= 6), count(*) FILTER (WHERE nps >= 9)"
        " FROM responses WHERE store_id = ? AND CAST(responded_at AS DATE) BETWEEN ? AND ?",
        [other, *OCT],
    ).fetchall()[0]
    assert at.number_input(key="plan_base_nps").value == pytest.approx(100 * (p2 - d2) / n2)


def test_a_projection_just_short_of_the_goal_reads_short_of_it(app):
    """HZ01's September (71.95) with the classic projects (+5.0) against October's
    target of 77: the page read "77.0 · gap 0.0" above "all projects together fall short
    (+5.0 needed)". The two are written with the decimals that tell them apart."""
    at = open_page(app)
    at.selectbox(key="plan_preset").select("my_store").run()
    at.selectbox(key="plan_period").select(date(2025, 9, 1)).run()
    assert not at.exception, at.exception
    assert at.number_input(key="plan_goal").value == 77.0
    base_nps = at.number_input(key="plan_base_nps").value
    assert 71.95 < base_nps < 72.0  # shown "72.0" elsewhere, and 5.0 short of 77
    assert metric(at, "plan.m.projected").value == f"{base_nps + 5.0:.2f}"
    assert metric(at, "plan.m.gap").value == f"{77.0 - float(f'{base_nps + 5.0:.2f}'):.2f}"
    assert metric(at, "plan.m.gap").value != "0.00"
    assert any("77.00" in m.value for m in at.markdown)  # the odds line's goal too
    # "all projects together fall short (needs +5.0)" beside the +5.0 they give
    need = 77.0 - base_nps
    assert T("plan.cheapest_none", need=f"+{need:.2f}") in markdown(at), markdown(at)
    # the waterfall's projection under the goal's line: "77.0" on the line had read met
    frame = charts.waterfall_frame(base_nps, [("a", 3.0), ("b", 2.0)], "B", "T")
    spec = to_spec(charts.waterfall(frame, 77.0, "NPS", "goal"))
    texts = [row.get("text") for rows in spec["datasets"].values() for row in rows]
    assert texts[:4] == [f"{base_nps:.1f}", "+3.0", "+2.0", f"{base_nps + 5.0:.2f}"], texts


def test_the_goals_caption_follows_the_goal_box(app):
    """HZ01's goal set to 80: the caption went on saying 'goal 77.0: the store's target
    for 2025-10' above the box reading 80."""
    at = open_page(app)
    at.selectbox(key="plan_preset").select("my_store").run()
    at.selectbox(key="plan_period").select(date(2025, 9, 1)).run()
    own = T("plan.goal_from_target", goal="77.0", month="2025-10")
    assert own in [c.value for c in at.caption]
    at.number_input(key="plan_goal").set_value(80.0).run()
    captions = [c.value for c in at.caption]
    assert own not in captions
    assert T("plan.goal_changed", goal="80.0", own="77.0", month="2025-10") in captions
    at.number_input(key="plan_goal").set_value(77.0).run()
    assert own in [c.value for c in at.caption]


def test_the_late_checks_month_to_date_follows_the_goal_until_typed(app):
    """A goal moved to 70 left the late check's month to date at 76.0 (a point under the
    old goal): 'the last answers need NPS -14.0 to reach 70.0'. It follows the goal until
    the trainer types one."""
    at = open_page(app)
    assert at.number_input(key="plan_d28_mtd").value == 76.0
    at.number_input(key="plan_goal").set_value(70.0).run()
    assert at.number_input(key="plan_d28_mtd").value == 69.0
    at.number_input(key="plan_d28_mtd").set_value(66.5).run()
    at.number_input(key="plan_goal").set_value(72.0).run()
    assert at.number_input(key="plan_d28_mtd").value == 66.5  # typed: kept


def test_a_month_above_its_goal_late_is_told_the_floor_to_stay_over(app):
    """'The last 40 answers need NPS -14.0 to reach 70.0' read as a demand where the
    month so far is above the goal: it says the level they need only stay over."""
    at = open_page(app, "en")
    at.number_input(key="plan_goal").set_value(70.0).run()
    at.number_input(key="plan_d28_mtd").set_value(76.0).run()
    check = P.day28_check(70.0, 76.0, 560, 20, days=30, day=28)
    assert check["status"] == "needed" and check["required"] < 76.0
    said = T("plan.d28.keep", "en", mtd="76.0", goal="70.0", day=28, n=check["n_left"],
             req=f"{check['required']:.1f}")  # fmt: skip
    assert said in markdown(at), markdown(at)
    assert "must average" not in markdown(at)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_late_check_with_no_answers_left_says_so_without_a_placeholder(app, lang):
    """A store of a few answers a month has none expected in a plan's last two days: the
    late check read "cannot reach 77.0 (would need no data)"."""
    at = open_page(app, lang)
    at.number_input(key="plan_n").set_value(6).run()
    at.number_input(key="plan_d28_mtd").set_value(70.0).run()
    check = P.day28_check(77.0, 70.0, 6, 6 / 30, days=30, day=28)
    assert check["n_left"] == 0 and check["required"] is None
    said = T("plan.d28.none_left", lang, mtd="70.0", goal="77.0", day=28)
    assert said in markdown(at), markdown(at)
    assert T("fmt.no_data", lang) not in markdown(at)


def test_a_store_without_answers_offers_no_month_and_says_so(app, demo_db):
    """A store listed without answers (its only upload undone): the month picker read
    Streamlit's English 'No options to select', and the plan said the store had no
    answers "in the chosen month" with no month to choose."""
    from cx import ui

    with db.connect(demo_db) as con:
        con.execute("INSERT INTO stores VALUES ('TS05', '无答卷店', '华东', '杭州')")
    ui._store_list.clear()  # kept per data version, which a bare insert leaves
    ui._cached.clear()
    ui.invalidate()
    at = open_page(app)
    at.selectbox(key="plan_preset").select("my_store").run()
    at.selectbox(key="plan_store").select("TS05").run()
    assert not at.exception, at.exception
    assert [s.key for s in at.selectbox if not s.options and s.key != "plan_scn_pick"] == []
    assert at.selectbox(key="plan_store").value == "TS05"
    assert T("plan.no_store_answers") in [c.value for c in at.caption]
    assert T("plan.no_store_answers") in [i.value for i in at.info]


def _plan_a_new_store(app, demo_db, rows: list[str], lang: str = "zh"):
    """Upload ``rows`` (id, store TS01, name, region, time, score) and plan TS01 from its
    own data (the 'my store' preset)."""
    from cx import ingest, ui

    export = demo_db.parent / "ts01.csv"
    export.write_text(
        "问卷编号,门店编号,门店名称,区域,提交时间,推荐分\n" + "\n".join(rows) + "\n",
        encoding="utf-8",
    )
    ingest.ingest_file(export, db_path=demo_db)
    ui.invalidate()
    at = open_page(app, lang)
    at.selectbox(key="plan_preset").select("my_store").run()
    at.selectbox(key="plan_store").select("TS01").run()
    return at


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_baseline_month_of_a_few_answers_is_flagged_at_the_top(app, demo_db, lang):
    """A store's month of 6 answers planned as firmly as one of 800: its baseline 16.7,
    the odds "52 %", nothing said of its size. Under 30 answers the plan says so at the
    top, as the board flags every NPS; a month of enough answers is not flagged."""
    rows = [f"F{i},TS01,小店,华东,2025-09-{i + 1:02d} 10:00,{[9, 10, 3, 8, 9, 2][i]}"
            for i in range(6)]  # fmt: skip
    at = _plan_a_new_store(app, demo_db, rows, lang)
    at.selectbox(key="plan_period").select(date(2025, 9, 1)).run()
    assert not at.exception, at.exception
    said = T("plan.few_answers", lang, n=6, low=30)
    assert said in [w.value for w in at.warning]
    at.selectbox(key="plan_store").select("HZ01").run()
    at.selectbox(key="plan_period").select(date(2025, 9, 1)).run()
    assert not [w for w in at.warning if w.value.startswith(said[:8])]


def test_the_project_views_figures_read_with_one_decimal_each(app):
    """The classic plan's credible limit read "6" where the table's other figures had a
    decimal (the trainer walk): gains and limits read one each, customers none."""
    at = open_page(app)
    (config,) = [
        c for d in at.dataframe if T("plan.col.d2pa") in (c := json.loads(d.proto.columns))
    ]
    for key in ("gain", "max_gain"):
        assert config[T(f"plan.col.{key}")]["type_config"]["format"] == "%.1f", key
    for key in ("d2pa", "d2p"):
        assert config[T(f"plan.col.{key}")]["type_config"]["format"] == "%,d", key


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_project_views_customers_are_the_sliders_whole_people(app, monkeypatch, lang):
    """The projects table counted customers in tenths ('4.5', '7.2' detractors) under
    sliders whose captions say whole people ('≈ 5', '≈ 7'; the trainer walk). The table
    and its download say each project's people as its caption does: the nearest, halves
    up (4.5 is 5, not Python's round to even 4)."""
    files = record_downloads(monkeypatch)
    at = open_page(app, lang)
    at.slider(key="plan_gain_3").set_value(1.3).run()  # VIP care: 7.8 and 3.9 people
    assert not at.exception, at.exception
    base, projects = P.get_preset("classic_30day")
    projects[3] = regain(projects[3], 1.3)
    passive, promoter = T("plan.col.d2pa", lang), T("plan.col.d2p", lang)
    # the headers say they count people, in both languages, as the cost says its ¥
    assert all(("（人）" if lang == "zh" else "(people)") in h for h in (passive, promoter))
    view = frame_with(at, passive)
    captions = [c.value for c in at.caption]
    shown = []
    for (_, row), proj in zip(view.iterrows(), projects, strict=True):
        people = (int(row[passive]), int(row[promoter]))
        assert (row[passive], row[promoter]) == people, (proj.name, row[passive], row[promoter])
        said = T("plan.customers", lang, n=people[0], half=people[1])
        assert any(c.startswith(said) for c in captions), (said, captions)  # as its slider
        shown.append(people)
    assert shown == [(9, 5), (7, 4), (9, 5), (8, 4)], shown
    (config,) = [c for d in at.dataframe if passive in (c := json.loads(d.proto.columns))]
    assert [config[c]["type_config"]["format"] for c in (passive, promoter)] == ["%,d", "%,d"]
    # the download writes the same whole people
    data = files["plan_projects_view_csv"][1]()
    written = pd.read_csv(io.BytesIO(data), encoding="utf-8-sig", dtype=str)
    written = list(zip(written[passive], written[promoter], strict=True))
    assert written == [(str(a), str(b)) for a, b in shown], written


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_goal_typed_outside_the_scale_is_said_and_the_plan_keeps_the_last(app, lang):
    """A goal of 150 stayed in its box in red, Streamlit's English 'outside the allowed
    range' on hover, while the plan went on working to 77 unsaid (the trainer walk). The
    page says it in the reader's language and which goal the plan still works to."""
    at = open_page(app, lang)
    at.number_input(key="plan_goal").set_value(150.0).run()
    assert not at.exception, at.exception
    said = T("plan.goal_out_of_range", lang, got="150", goal="77.0")
    assert said in [e.value for e in at.error]
    base, projects = P.get_preset("classic_30day")
    sim = P.simulate(base, projects, draws=DRAWS, seed=SEED)
    odds = T("plan.m.prob", lang)
    assert [m.value for m in at.metric if m.label == odds] == [
        P.format_prob(sim["prob"], sim["prob_se"])
    ]
    at.number_input(key="plan_goal").set_value(78.0).run()
    assert not at.error


@pytest.mark.parametrize(
    ("key", "typed", "message", "slot", "kept"),
    [
        ("plan_base_nps", 150.0, "plan.base_out_of_range", "nps", "72.0"),
        ("plan_n", 0, "plan.n_out_of_range", "n", None),
        ("plan_n", 2_000_000, "plan.n_out_of_range", "n", None),
    ],
)
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_baseline_typed_outside_its_range_is_said_and_the_plan_keeps_the_last(
    app, lang, key, typed, message, slot, kept
):
    """The baseline boxes had Streamlit's bounds: 150 or 0 stayed in red with its English
    'outside the allowed range', the plan working on from the value before, unsaid (the
    trainer walk's note). The page says it in the reader's language, and the plan's odds
    stay the preset's."""
    at = open_page(app, lang)
    base, projects = P.get_preset("classic_30day")
    kept = kept or f"{base.n_expected:,}"
    at.number_input(key=key).set_value(typed).run()
    assert not at.exception, at.exception
    said = T(message, lang, got=f"{typed:g}", **{slot: kept})
    assert said in [e.value for e in at.error], [e.value for e in at.error]
    sim = P.simulate(base, projects, draws=DRAWS, seed=SEED)
    odds = T("plan.m.prob", lang)
    assert [m.value for m in at.metric if m.label == odds] == [
        P.format_prob(sim["prob"], sim["prob_se"])
    ]
    # the note on how an edited baseline's mix is worked out stays off a refused one
    note = T("plan.baseline_note", lang)
    assert (note in [c.value for c in at.caption]) == (key != "plan_base_nps")


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_late_check_typed_outside_the_scale_is_said_and_checks_the_last(app, lang):
    """The late check's month-to-date box had Streamlit's bounds too: 150 stayed in red in
    English while the check went on with the value before. The page says it, and the check
    reads as for the last value within."""
    at = open_page(app, lang)
    at.number_input(key="plan_d28_mtd").set_value(70.0).run()
    at.number_input(key="plan_d28_mtd").set_value(150.0).run()
    assert not at.exception, at.exception
    said = T("plan.mtd_out_of_range", lang, got="150", nps="70.0")
    assert said in [e.value for e in at.error], [e.value for e in at.error]
    check = P.day28_check(77.0, 70.0, 560, 20, days=30, day=28)
    assert f"{check['required']:.1f}" in markdown(at)
    at.number_input(key="plan_d28_mtd").set_value(71.0).run()
    assert not at.error


def test_tracking_a_month_whose_answers_stop_early_says_so(app, demo_db):
    """A store whose answers stop on 10-05 of a month the data has whole was tracked as a
    month still running ("day 5: 100.0, the rest need 6.4"; the trainer walk). Its
    tracking says, as its board does, that its answers stop while the data runs on."""
    days = [date(2025, 9, 1) + timedelta(days=i) for i in range(35)]  # 09-01 .. 10-05
    rows = [f"T{i},TS01,停传店,华东,{d} 10:00,{9 if i % 3 else 4}" for i, d in enumerate(days)]
    at = _plan_a_new_store(app, demo_db, rows)
    at.selectbox(key="plan_track_month").select(date(2025, 10, 1)).run()
    assert not at.exception, at.exception
    said = T("board.store_stopped", latest="2025-10-05", last="2025-10-31")
    assert said in [w.value for w in at.warning], [w.value for w in at.warning]
    at.selectbox(key="plan_store").select("HZ01").run()  # a store answering to the end
    at.selectbox(key="plan_track_month").select(date(2025, 10, 1)).run()
    assert not [w for w in at.warning if "2025-10-31" in w.value]


def test_the_baseline_typed_back_as_it_reads_keeps_the_stores_own_answers(app, con):
    """HZ01's September reads 72.0 (71.95); typed back as 72.0, the store's own mix (69
    detractors of 788) became a made-up one (48 of 799) and the credibility flags moved.
    Typed as it reads, it is the store's own baseline; another value is an edit."""
    at = open_page(app)
    at.selectbox(key="plan_preset").select("my_store").run()
    at.selectbox(key="plan_period").select(date(2025, 9, 1)).run()

    def shown():
        return (
            metric(at, "plan.m.projected").value,
            list(frame_with(at, T("plan.col.credible"))[T("plan.col.credible")]),
            [c.value for c in at.caption if "贬损者" in c.value],
        )

    before = shown()
    at.number_input(key="plan_base_nps").set_value(72.0).run()
    assert shown() == before
    at.number_input(key="plan_base_nps").set_value(72.1).run()
    assert shown() != before  # an edit: the mix is worked out from the typed NPS


# ----------------------------------------------------------------------------- interaction
def test_slider_budget_and_toggle_recompute(app):
    at = open_page(app)
    base, projects = P.get_preset("classic_30day")

    at.slider(key="plan_budget").set_value(30000).run()
    base.budget = 30000
    check_plan(at, base, projects)
    # the unit story, now on screen: ¥30,000 buys visibility + pricing + first-time fix
    names = "、".join(p.name_zh for p in projects[:3])
    assert T("plan.best", budget="¥30,000", names=names, gain="+4.2", cost="¥25,000") in markdown(
        at
    )

    at.slider(key="plan_gain_1").set_value(2.0).run()
    projects[1] = regain(projects[1], 2.0)
    check_plan(at, base, projects)
    assert at.warning  # all four still on: ¥45,000 > ¥30,000

    at.toggle(key="plan_on_3").set_value(False).run()
    projects[3] = replace(projects[3], enabled=False)
    out = check_plan(at, base, projects)
    assert not out["summary"]["over_budget"] and not at.warning
    chosen, gain, cost = P.best_plan(projects, base.budget)
    labels = "、".join(p.name_zh for p in projects if p.name in chosen)
    assert T(
        "plan.best", budget="¥30,000", names=labels, gain=f"{gain:+.1f}", cost=f"¥{cost:,.0f}"
    ) in markdown(at)

    at.number_input(key="plan_goal").set_value(79.0).run()
    base.goal = 79.0
    check_plan(at, base, projects)


def test_a_goal_the_baseline_already_meets_says_so_instead_of_a_cheapest_set(app):
    """Goal 70 on a baseline of 72: one sentence, no '(none): +0.0 points for ¥0' and no
    button that would switch every project off."""
    at = open_page(app, "en")
    at.number_input(key="plan_goal").set_value(70.0).run()
    said = T("plan.cheapest_met", "en", nps="72.0", goal="70.0")
    assert said in [m.value for m in at.markdown]
    assert not [m for m in at.markdown if "(none)" in m.value]
    assert "plan_apply_cheapest" not in [b.key for b in at.button]


def test_the_cheapest_set_says_when_it_costs_more_than_the_budget(app):
    """A trainer lowering the budget below what reaching the goal costs sees the cheapest
    set that reaches it marked over the budget, by how much; within the budget, not."""
    at = open_page(app)
    base, projects = P.get_preset("classic_30day")
    _, _, cost = P.cheapest_plan_to_goal(projects, base.goal - base.nps)
    assert 35000 < cost <= base.budget  # the preset's set: within its ¥45,000
    for budget in (35000, base.budget):
        at.slider(key="plan_budget").set_value(budget).run()
        over = T("plan.cheapest_over", over=f"¥{cost - budget:,.0f}", budget=f"¥{budget:,.0f}")
        assert (over in markdown(at)) is (cost > budget), budget


def test_apply_best_plan_switches_toggles(app):
    at = open_page(app)
    at.slider(key="plan_budget").set_value(30000).run()
    assert at.button(key="plan_apply_best").label == T("plan.apply")
    at.button(key="plan_apply_best").click().run()
    assert [at.toggle(key=f"plan_on_{i}").value for i in range(4)] == [True, True, True, False]
    base, projects = P.get_preset("classic_30day")
    base.budget = 30000
    projects[3] = replace(projects[3], enabled=False)
    check_plan(at, base, projects)
    # the plan is that set now: the button says so instead of doing nothing
    done = at.button(key="plan_apply_best")
    assert (done.label, done.disabled) == (T("plan.applied"), True)


def test_a_slider_moves_a_projects_budget_lines_with_it(app):
    """VIP care lowered to +0.4 and the pricing promise raised to +2.0: their lines say
    what the money now buys (it had kept +0.8, listing more than the project, and shown
    the rise as free process work the project does not have); the lines add up to the
    plan and to the bought / free figure."""
    at = open_page(app)
    base, projects = P.get_preset("classic_30day")
    vip = next(i for i, p in enumerate(projects) if p.name == "VIP care")
    price = next(i for i, p in enumerate(projects) if p.pain_point == "cost")
    at.slider(key=f"plan_gain_{vip}").set_value(0.4).run()
    at.slider(key=f"plan_gain_{price}").set_value(2.0).run()
    projects[vip], projects[price] = regain(projects[vip], 0.4), regain(projects[price], 2.0)
    out = check_plan(at, base, projects)
    lines = frame_with(at, T("plan.lines.line"))
    line, gain, project = T("plan.lines.line"), T("plan.col.gain"), T("plan.col.project")
    assert lines[gain].sum() == pytest.approx(out["summary"]["total_gain"], abs=0.05)
    free = lines[lines[line] == T("plan.lines.free")]
    assert free[gain].sum() == pytest.approx(out["summary"]["gain_free"], abs=0.05)
    assert lines.loc[lines[line] == "VIP关怀", gain].tolist() == [pytest.approx(0.4)]
    assert lines.loc[lines[line] == "透明定价缓冲", gain].tolist() == [pytest.approx(2.0)]
    assert projects[price].label("zh") not in set(free[project])  # no process part


def test_a_projects_range_shows_the_decimals_it_needs(app):
    """±50 % of +1.5 is 0.75–2.25 (shown 0.8–2.2, off-centre); of +1.2, 0.6–1.8."""
    at = open_page(app)
    _, projects = P.get_preset("classic_30day")
    table = frame_with(at, T("plan.col.range"))
    shown = dict(zip(table[T("plan.col.project")], table[T("plan.col.range")], strict=True))
    assert shown[projects[0].label("zh")] == "0.75–2.25"  # +1.5
    assert shown[projects[1].label("zh")] == "0.6–1.8"  # +1.2


def test_table_rename_add_remove_rows(app):
    at = open_page(app)
    base, projects = P.get_preset("classic_30day")
    at.session_state["plan_table"] = {
        "edited_rows": {0: {"name_zh": "等待看板"}, 1: {"cost": 5000}},
        "added_rows": [{"name": "Express bay", "cost": 12000, "pain_point": "waiting"}],
        "deleted_rows": [3],
    }
    at.run()
    keys = [s.key for s in at.slider if s.key.startswith("plan_gain_")]
    assert keys == ["plan_gain_0", "plan_gain_1", "plan_gain_2", "plan_gain_4"]
    assert at.slider(key="plan_gain_0").label.startswith("等待看板")
    assert at.slider(key="plan_gain_4").value == 0.5
    expected = [
        replace(projects[0], name_zh="等待看板"),
        # a new cost: its budget line costs it, buying what it bought
        replace(projects[1], cost=5000, lines=P.priced_lines(projects[1].lines, 5000)),
        projects[2],
        P.Project("Express bay", "waiting", 12000, 0.5),
    ]
    check_plan(at, base, expected)
    # the gain slider of a remaining project keeps working after the delete
    at.slider(key="plan_gain_4").set_value(1.2).run()
    expected[3] = regain(expected[3], 1.2)
    check_plan(at, base, expected)


def test_a_new_cost_keeps_a_projects_free_part_free(app):
    """'What if loaner cars cost more?': the first-time-fix project's cost 10,000 ->
    25,000 dropped its budget lines and counted its free +0.7 (the second-technician
    check) as bought: +3.5 / +1.5 where the money still buys +0.8. Its lines' costs
    scale to the new cost; bought and free keep their parts."""
    at = open_page(app)
    base, projects = P.get_preset("classic_30day")
    fix = projects[2]
    assert fix.cost == 10000 and fix.gain_free == pytest.approx(0.7)
    at.session_state["plan_table"] = {
        "edited_rows": {2: {"cost": 25000}},
        "added_rows": [],
        "deleted_rows": [],
    }
    at.run()
    lines = P.priced_lines(fix.lines, 25000)
    assert sum(x.cost for x in lines) == pytest.approx(25000)
    assert [x.gain for x in lines] == [x.gain for x in fix.lines]
    expected = [*projects[:2], replace(fix, cost=25000, lines=lines), *projects[3:]]
    check_plan(at, base, expected)
    assert metric(at, "plan.m.bought").value == "+2.8 / +2.2"


def _edit_plan(at, deleted: list[int], goal: float, gain: tuple[str, float], off: str) -> None:
    """A trainer's edits: the second project's cost ¥5,000 (its budget line's cost), an
    'Express bay' row added, the rows ``deleted`` removed, the budget ¥30,000, the goal,
    one slider (key, value) and one project switched off (key)."""
    at.session_state["plan_table"] = {
        "edited_rows": {1: {"cost": 5000}},
        "added_rows": [{"name": "Express bay", "cost": 12000, "pain_point": "waiting"}],
        "deleted_rows": deleted,
    }
    at.run()
    at.slider(key="plan_budget").set_value(30000.0).run()
    at.number_input(key="plan_goal").set_value(goal).run()
    at.slider(key=gain[0]).set_value(gain[1]).run()
    at.toggle(key=off).set_value(False).run()


def test_another_page_and_back_keeps_the_plan_as_it_was_left(app):
    """A trainer edits the plan, opens the overview and comes back: the goal, budget,
    sliders, toggles and table edits are as they were left (the page had stopped on the
    budget Streamlit dropped, and the plan was lost)."""
    at = open_page(app, "en")
    base, projects = P.get_preset("classic_30day")
    _edit_plan(at, deleted=[3], goal=78.0, gain=("plan_gain_4", 1.2), off="plan_on_0")
    base.budget, base.goal = 30000, 78.0
    expected = [
        replace(projects[0], enabled=False),
        replace(projects[1], cost=5000, lines=[]),
        projects[2],
        P.Project("Express bay", "waiting", 12000, 1.2),
    ]
    check_plan(at, base, expected, "en")
    for _ in range(2):  # and once more: the kept table's rows keep their sliders
        at.switch_page("pages/overview.py").run()
        assert not at.exception, at.exception
        at.switch_page("pages/planner.py").run()
        check_plan(at, base, expected, "en")
        assert at.slider(key="plan_budget").value == 30000.0
        assert at.number_input(key="plan_goal").value == 78.0
        assert [s.key for s in at.slider if s.key.startswith("plan_gain_")] == [
            "plan_gain_0", "plan_gain_1", "plan_gain_2", "plan_gain_4"
        ]  # fmt: skip
        assert at.slider(key="plan_gain_4").value == 1.2
    # a row added after coming back is a project of its own (not one kept before)
    add_row(at, {"name": "Coffee corner", "cost": 2000, "pain_point": "waiting"})
    assert at.slider(key="plan_gain_5").value == 0.5
    check_plan(at, base, [*expected, P.Project("Coffee corner", "waiting", 2000, 0.5)], "en")


def _reloaded(word: str | None, lang: str = "en", stores: list[str] | None = None):
    """A new session opened on the planner's address with ``?plan=word`` (a reload, or a
    link a trainer sent), its sidebar naming ``stores`` if given."""
    from streamlit.testing.v1 import AppTest

    from tests.conftest import ROOT

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    if stores is not None:
        at.session_state["flt_stores"] = stores
    at.query_params["lang"] = lang
    if word is not None:
        at.query_params["plan"] = word
    at.switch_page("pages/planner.py").run()
    assert not at.exception, at.exception
    return at


def _plan_word(at) -> str:
    word = at.query_params["plan"]
    return word[0] if isinstance(word, list) else word


def test_a_reload_or_a_link_shows_the_plan_as_it_was_left(app):
    """The plan is in the address: a reload (F5) in class, or the link sent to a colleague,
    shows the preset, goal, budget, sliders, toggles and table edits as they were (a
    reload had put the plan back to its preset)."""
    at = open_page(app, "en")
    at.selectbox(key="plan_preset").set_value("class_68_73").run()
    base, projects = P.get_preset("class_68_73")
    _edit_plan(at, deleted=[], goal=74.5, gain=("plan_gain_0", 2.0), off="plan_on_2")
    base.budget, base.goal = 30000, 74.5
    expected = [
        regain(projects[0], 2.0),
        replace(projects[1], cost=5000, lines=[]),
        replace(projects[2], enabled=False),
        *projects[3:],
        P.Project("Express bay", "waiting", 12000, 0.5),
    ]
    check_plan(at, base, expected, "en")
    word = _plan_word(at)
    assert len(word) < 2_000  # an address a browser and a chat keep whole
    assert T("plan.url.note", "en") in [c.value for c in at.caption]  # the page says so
    again = _reloaded(word)
    assert again.selectbox(key="plan_preset").value == "class_68_73"
    assert again.slider(key="plan_budget").value == 30000.0
    assert again.number_input(key="plan_goal").value == 74.5
    assert [again.toggle(key=f"plan_on_{i}").value for i in range(len(expected))] == [
        p.enabled for p in expected
    ]
    assert again.slider(key="plan_gain_0").value == 2.0
    check_plan(again, base, expected, "en")
    assert not again.error and not again.success  # read quietly: nothing to say on a reload


def test_a_stores_own_plan_opens_on_its_store_or_says_whose_it_is(app):
    """A store's own plan sent as a link opens on the store it was made for (it had opened
    on the reader's store, with the other store's numbers); where the sidebar names another
    store, the page says whose numbers the plan holds."""
    at = open_page(app, "en")
    at.selectbox(key="plan_preset").select("my_store").run()
    at.selectbox(key="plan_store").select("SH01").run()
    at.slider(key="plan_gain_0").set_value(2.5).run()
    base_nps = at.number_input(key="plan_base_nps").value
    word = _plan_word(at)
    again = _reloaded(word)
    assert again.selectbox(key="plan_store").value == "SH01"
    assert again.number_input(key="plan_base_nps").value == base_nps
    said = T(
        "plan.url.other_store", "en", store=again.selectbox(key="plan_store").format_func("SH01")
    )
    assert said not in [i.value for i in again.info]
    other = _reloaded(word, stores=["HZ01"])
    assert other.selectbox(key="plan_store").value == "HZ01"
    assert other.number_input(key="plan_base_nps").value == base_nps  # the link's numbers
    assert said in [i.value for i in other.info]
    # and no caption explains HZ01's goal above the link's (it had said "baseline NPS
    # 76.9 rounded, plus 5" beside SH01's goal)
    origin = re.compile(r"^Goal -?[\d.]+: ")  # plan.goal_from_target / _from_baseline
    assert not [c.value for c in other.caption if origin.match(c.value)]
    assert [c.value for c in again.caption if origin.match(c.value)]  # on its own store


def test_a_reload_of_a_stores_own_plan_keeps_the_month_it_was_planned_from(app):
    """A store's own plan of September, reloaded, is September's: the month picker and
    the caption of where the goal came from agree with the plan (the month went back to
    the last full one, under September's plan)."""
    at = open_page(app, "en")
    at.selectbox(key="plan_preset").select("my_store").run()
    at.selectbox(key="plan_period").select(date(2025, 9, 1)).run()
    at.slider(key="plan_gain_0").set_value(2.5).run()
    goal = at.number_input(key="plan_goal").value
    caption = next(c.value for c in at.caption if c.value.startswith("Goal "))
    assert "2025-10" in caption  # September's plan aims at October
    base_nps = at.number_input(key="plan_base_nps").value
    again = _reloaded(_plan_word(at))
    assert again.selectbox(key="plan_preset").value == "my_store"
    assert again.selectbox(key="plan_period").value == date(2025, 9, 1)
    assert again.number_input(key="plan_base_nps").value == base_nps
    assert again.number_input(key="plan_goal").value == goal
    assert again.slider(key="plan_gain_0").value == 2.5
    assert caption in [c.value for c in again.caption]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_plan_address_cut_short_is_said_and_the_preset_kept(app, lang):
    """A link cut short in a chat, or not the page's own: one sentence in the reader's
    language, and the page opens on its preset plan."""
    word = P.plan_token(P.scenario_to_json(*P.get_preset("class_68_73"), "x"), "class_68_73")
    cut = T("plan.err.not_token", lang)
    for bad, why in (
        (word[:-40], cut),
        ("not-a-plan", cut),
        (
            P.plan_token('{"baseline": {}}'),
            T("plan.err.missing", lang, keys="projects", button=T("plan.scn.download", lang)),
        ),
    ):
        at = _reloaded(bad, lang)
        source = T("plan.url.source", lang)
        assert [e.value for e in at.error] == [T("plan.scn.bad", lang, source=source, msg=why)]
        assert at.selectbox(key="plan_preset").value == "classic_30day"
        check_plan(at, *P.get_preset("classic_30day"), lang=lang)


EVIL_NAME = "![x](http://evil.example/a.png) **bold** [l](http://evil.example/l)"


def test_a_project_name_from_a_link_is_shown_as_text(app):
    """A name typed in the table or brought by a link is text wherever the page says it:
    the slider's label drew it as Markdown (an image fetched from another host)."""
    base, projects = P.get_preset("classic_30day")
    projects[0] = replace(projects[0], name=EVIL_NAME, name_zh="")
    at = _reloaded(P.plan_token(P.scenario_to_json(base, projects, "")), "en")
    label = at.slider(key="plan_gain_0").label
    assert label.startswith(i18n.md_escape(EVIL_NAME) + " · "), label
    shown = markdown(at) + "".join(s.label for s in at.slider)
    assert EVIL_NAME not in shown  # nowhere raw
    check_plan(at, base, projects, "en")


def test_a_plan_of_more_projects_than_the_search_holds_is_refused(app):
    """The best plan's search is exact up to 30 projects; a link or a file of more is
    refused in one sentence (a crafted 32-project link took the server past 3 GB), and
    table rows past the 30th are left out, said so."""
    base, projects = P.get_preset("classic_30day")
    many = [replace(projects[0], name=f"P{i}", lines=[]) for i in range(P.MAX_PROJECTS + 1)]
    at = _reloaded(P.plan_token(P.scenario_to_json(base, many, "")), "en")
    why = T("plan.err.too_many", "en", most=P.MAX_PROJECTS, n=P.MAX_PROJECTS + 1)
    source = T("plan.url.source", "en")
    assert [e.value for e in at.error] == [T("plan.scn.bad", "en", source=source, msg=why)]
    check_plan(at, base, projects, "en")
    rows = P.MAX_PROJECTS + 2 - len(projects)  # the table then holds 32 rows
    at.session_state["plan_table"] = {
        "edited_rows": {},
        "added_rows": [{"name": f"Row {i}", "cost": 100, "pain_point": "waiting"}
                       for i in range(rows)],
        "deleted_rows": [],
    }  # fmt: skip
    at.run()
    assert not at.exception, at.exception
    said = T("plan.too_many_rows", "en", most=P.MAX_PROJECTS, n=P.MAX_PROJECTS + 2)
    assert said in [e.value for e in at.error]
    gains = [s for s in at.slider if s.key.startswith("plan_gain_")]
    assert len(gains) == P.MAX_PROJECTS


def test_a_row_added_after_one_was_deleted_gets_a_fresh_slider(app):
    """Project 4 at +2.0 and off, deleted, a visit to another page, then a row added: it
    took the deleted project's slider (+2.0) and toggle (off); it starts at +0.5, on."""
    at = open_page(app, "en")
    base, projects = P.get_preset("classic_30day")
    at.slider(key="plan_gain_3").set_value(2.0).run()
    at.toggle(key="plan_on_3").set_value(False).run()
    at.session_state["plan_table"] = {"edited_rows": {}, "added_rows": [], "deleted_rows": [3]}
    at.run()
    at.switch_page("pages/overview.py").run()
    at.switch_page("pages/planner.py").run()
    add_row(at, {"name": "Coffee corner", "cost": 2000, "pain_point": "waiting"})
    keys = [s.key for s in at.slider if s.key.startswith("plan_gain_")]
    assert keys == ["plan_gain_0", "plan_gain_1", "plan_gain_2", "plan_gain_4"]
    assert at.slider(key="plan_gain_4").value == 0.5 and at.toggle(key="plan_on_4").value
    check_plan(at, base, [*projects[:3], P.Project("Coffee corner", "waiting", 2000, 0.5)], "en")


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_table_says_its_editor_keeps_the_days_within_the_plan(app, lang):
    """An end day of 40 in a 30-day plan became 30 in the editor without a word, while a
    start after the end is said (the trainer's walk). Under the table, in the reader's
    language, the rule its editor applies: the days the plan has, 31 for October's."""
    at = open_page(app, lang)
    for preset, days in (("classic_30day", 30), ("my_store", 31)):
        if preset != "classic_30day":  # HZ01 from September: October's plan
            at.selectbox(key="plan_preset").set_value(preset).run()
            at.selectbox(key="plan_period").set_value(date(2025, 9, 1)).run()
        (editor,) = [d for d in at.dataframe if d.proto.editing_mode]
        config = json.loads(editor.proto.columns)
        assert config["end_day"]["type_config"]["max_value"] == days  # the editor's rule
        end, last = T("plan.col.end", lang).lower(), {"zh": f"第 {days} 天", "en": f"day {days}"}
        captions = [c.value for c in at.caption]
        said = [c for c in captions if end in c.lower() and last[lang] in c]
        assert len(said) == 1, captions
        assert said == [T("plan.table_days", lang, days=days)]


def test_bad_table_row_is_reported_not_crashing(app):
    at = open_page(app)
    at.session_state["plan_table"] = {
        "edited_rows": {2: {"start_day": 25, "end_day": 10}},
        "added_rows": [],
        "deleted_rows": [],
    }
    at.run()
    assert not at.exception
    base, projects = P.get_preset("classic_30day")
    # in the reader's language and the page's words (it had read "need 1 <= start_day")
    # the project named as the Chinese page names it (it read "“Wait-time visibility”的开始日")
    msg = T("plan.err.start_end", project=projects[2].label("zh"), start=25, end=10)
    assert T("plan.bad_row", n=3, msg=msg) in [e.value for e in at.error]
    check_plan(at, base, [projects[0], projects[1], projects[3]])


# ----------------------------------------------------------------------------- scenarios
def test_save_and_load_scenario_by_name(app, demo_db):
    at = open_page(app)
    at.slider(key="plan_gain_2").set_value(2.5).run()
    at.slider(key="plan_budget").set_value(50000).run()
    at.text_input(key="plan_scn_name").input("课堂A").run()
    at.button(key="plan_scn_save").click().run()
    assert not at.exception
    assert T("plan.scn.saved", name="课堂A") in [s.value for s in at.success]
    base, projects = P.get_preset("classic_30day")
    base.budget = 50000
    projects[2] = regain(projects[2], 2.5)
    with db.connect(demo_db) as con:
        rows = con.execute("SELECT name, payload, saved_by, scope FROM scenarios").fetchall()
    assert [(r[0], r[2]) for r in rows] == [("课堂A", "open mode")]  # no sign-in
    # a class preset holds no store's answers: everyone's, whichever store the picker
    # showed (it had been saved for the picker's default store, hidden from other managers)
    assert rows[0][3] == "preset:classic_30day"
    name, saved_base, saved_projects = P.scenario_from_json(rows[0][1])
    assert name == "课堂A"
    assert saved_base == base
    assert saved_projects == projects

    at.selectbox(key="plan_preset").select("class_68_73").run()
    check_plan(at, *P.get_preset("class_68_73"))
    assert at.selectbox(key="plan_scn_pick").options == ["课堂A"]
    at.selectbox(key="plan_scn_pick").select("课堂A").run()
    at.button(key="plan_scn_load").click().run()
    check_plan(at, base, projects)
    assert T("plan.scn.loaded", name="课堂A") in [s.value for s in at.success]
    assert at.slider(key="plan_gain_2").value == 2.5
    # the picker shows the preset it was made from (it stayed on the class exercise, and
    # the plan's link carried that), and the pickers say the plan is the scenario's own
    assert at.selectbox(key="plan_preset").value == "classic_30day"
    captions = [c.value for c in at.caption]
    assert T("plan.loaded_baseline", name="课堂A") in captions
    assert T("plan.preset_baseline") not in captions
    _, preset, _, _ = P.plan_from_token(_plan_word(at))
    assert preset == "classic_30day"
    check_plan(at.run(), base, projects)  # and stays so on the next run

    # saved again under the same name: asked first, replaced on the second press
    at.slider(key="plan_gain_2").set_value(3.0).run()
    at.text_input(key="plan_scn_name").input("课堂A").run()
    at.button(key="plan_scn_save").click().run()
    said = T("plan.scn.exists", name="课堂A", button=T("plan.scn.save"))
    assert said in [w.value for w in at.warning]
    with db.connect(demo_db) as con:
        (kept,) = con.execute("SELECT payload FROM scenarios WHERE name = '课堂A'").fetchall()[0]
    assert P.scenario_from_json(kept)[2] == projects  # the first plan, untouched
    at.button(key="plan_scn_save").click().run()
    assert T("plan.scn.replaced", name="课堂A") in [s.value for s in at.success]
    with db.connect(demo_db) as con:
        (kept,) = con.execute("SELECT payload FROM scenarios WHERE name = '课堂A'").fetchall()[0]
    assert P.scenario_from_json(kept)[2][2].gain == 3.0


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_saved_scenario_is_deleted_on_the_second_press_and_the_audit_says_so(app, demo_db, lang):
    at = open_page(app, lang)
    for name in ("课堂A", "课堂B"):
        at.text_input(key="plan_scn_name").input(name).run()
        at.button(key="plan_scn_save").click().run()
    assert at.button(key="plan_scn_delete").disabled is False
    at.selectbox(key="plan_scn_pick").select("课堂A").run()
    at.button(key="plan_scn_delete").click().run()
    ask = T("plan.scn.delete_ask", lang, name="课堂A", button=T("plan.scn.delete", lang))
    assert ask in [w.value for w in at.warning]

    def names():
        with db.connect(demo_db) as con:
            return sorted(r[0] for r in con.execute("SELECT name FROM scenarios").fetchall())

    assert names() == ["课堂A", "课堂B"]  # one press asks, deletes nothing
    at.button(key="plan_scn_delete").click().run()
    assert not at.exception, at.exception
    assert T("plan.scn.deleted", lang, name="课堂A") in [s.value for s in at.success]
    assert names() == ["课堂B"]
    assert at.selectbox(key="plan_scn_pick").options == ["课堂B"]
    with db.connect(demo_db) as con:
        logged = con.execute(
            "SELECT who, target FROM audit_log WHERE action = 'scenario_delete'"
        ).fetchall()
    assert logged == [("open mode", "课堂A")]
    # one press on another scenario asks again; loading in between forgets the question
    at.selectbox(key="plan_scn_pick").select("课堂B").run()
    at.button(key="plan_scn_delete").click().run()
    at.button(key="plan_scn_load").click().run()
    at.button(key="plan_scn_delete").click().run()
    assert names() == ["课堂B"]
    ask = T("plan.scn.delete_ask", lang, name="课堂B", button=T("plan.scn.delete", lang))
    assert ask in [w.value for w in at.warning]
    # the last one deleted: the picker says none is saved and does not open (opened, it
    # showed Streamlit's English "No results" on the Chinese page)
    at.button(key="plan_scn_delete").click().run()
    assert names() == []
    picker = at.selectbox(key="plan_scn_pick")
    assert picker.options == [] and picker.disabled
    assert picker.placeholder == T("plan.scn.empty", lang)


def test_a_scenario_is_read_by_whoever_may_see_the_store_its_numbers_come_from(app, demo_db):
    """Saved, a store's own plan is for those who may see that store (cx.access); a class
    preset's is everyone's; a saved one loaded and saved again keeps where it came from."""
    at = open_page(app, "en")

    def save(name):
        at.text_input(key="plan_scn_name").input(name).run()
        at.button(key="plan_scn_save").click().run()
        with db.connect(demo_db) as con:
            return con.execute("SELECT scope FROM scenarios WHERE name = ?", [name]).fetchall()

    at.selectbox(key="plan_store").select("SH01").run()
    assert save("class") == [("preset:classic_30day",)]
    at.selectbox(key="plan_preset").select("my_store").run()
    assert save("sh01") == [("SH01",)]
    at.selectbox(key="plan_preset").select("classic_30day").run()
    at.selectbox(key="plan_store").select("HZ01").run()
    at.selectbox(key="plan_scn_pick").select("sh01").run()
    at.button(key="plan_scn_load").click().run()
    assert save("sh01 again") == [("SH01",)]  # SH01's numbers, under the classic preset


def test_json_download_and_upload(app):
    at = open_page(app)
    assert "plan_json_dl" in [b.key for b in at.get("download_button")]
    base, projects = P.get_preset("class_68_73")
    base.budget, base.goal = 20000, 72.5
    projects = [regain(projects[0], 2.0), *projects[2:]]
    projects[2] = replace(projects[2], enabled=False)
    text = P.scenario_to_json(base, projects, "homework")
    at.file_uploader(key="plan_json_ul").set_value(
        ("homework.json", text.encode(), "application/json")
    ).run()
    check_plan(at, base, projects)
    assert at.text_input(key="plan_scn_name").value == "homework"
    # what the download button offers is the plan on screen
    name, got_base, got_projects = P.scenario_from_json(at.session_state["plan_json"])
    assert (name, got_base, got_projects) == ("homework", base, projects)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_messages_name_the_buttons_as_the_page_labels_them(app, lang):
    """A file without projects said "use the file of this page's '下载方案'" and a name in
    use "press '保存' again": the buttons read "下载 JSON" and "保存到数据库" (the trainer's
    walk). Each sentence quotes the label of the button it means."""
    at = open_page(app, lang)
    labels = {b.key: b.proto.label for b in [*at.button, *at.get("download_button")]}
    doc = json.dumps({"baseline": {"nps": 70, "n_expected": 500, "goal": 75, "budget": 1000}})
    at.file_uploader(key="plan_json_ul").set_value(("x.json", doc.encode(), "application/json"))
    at.run()
    errors = [e.value for e in at.error]
    assert len(errors) == 1 and f"“{labels['plan_json_dl']}”" in errors[0], (errors, labels)
    for _ in range(2):
        at.text_input(key="plan_scn_name").input("课堂A").run()
        at.button(key="plan_scn_save").click().run()
    warned = [w.value for w in at.warning]
    assert any(f"“{labels['plan_scn_save']}”" in w and "课堂A" in w for w in warned), warned


def _scenario(projects=(), **baseline) -> bytes:
    """A scenario file: a baseline of NPS 70, 500 answers, goal 75 and ¥1,000, with
    ``baseline``'s values instead, and ``projects``."""
    base = {"nps": 70, "n_expected": 500, "goal": 75, "budget": 1000} | baseline
    return json.dumps({"baseline": base, "projects": list(projects)}).encode()


@pytest.mark.parametrize(
    ("payload", "needle"),
    [
        (b"{bad json", T("plan.err.not_json")),
        (
            _scenario([{"name": "x", "cost": -5, "gain": 1}]),
            T("plan.err.cost", project="x", got="-5"),
        ),
        # a space where the field's Latin meets the Chinese ('目标 NPS应在' had none)
        (_scenario(goal=101), T("plan.err.range", field="目标 NPS ", got="101")),
        # a plan of 10 days loaded, then stopped the page at its Gantt
        (_scenario(days=10), T("plan.err.days_short", days=10, need=15)),
        (_scenario(nps="七十"), T("plan.err.number", field="基准 NPS ", got="七十")),
        (_scenario(days=0), T("plan.err.at_least", field=T("plan.days"), low=1, got=0)),
        (b"\xff\xfe\x00garbage", ""),
    ],
)
def test_bad_json_upload_shows_a_clear_error(app, payload, needle):
    """One sentence in the reader's language and the page's words (it had quoted the
    parser in English: 'Baseline goal must be between -100 and 100, got 101.0')."""
    at = open_page(app)
    at.file_uploader(key="plan_json_ul").set_value(("bad.json", payload, "application/json")).run()
    assert not at.exception
    errors = [e.value for e in at.error]
    assert errors and errors[0].startswith(T("plan.scn.bad", source="bad.json", msg="")), errors
    assert errors[0] == T("plan.scn.bad", source="bad.json", msg="") + needle or not needle
    assert not re.search("[A-Za-z_]{4,}", errors[0].replace("bad.json", "").replace("JSON", ""))
    assert "Traceback" not in errors[0]
    check_plan(at, *P.get_preset("classic_30day"))  # the plan on screen is unchanged

    # said by the scenarios, below the plan's sliders (at the panel's top it was a screen
    # and a half above the file dropped)
    def name(node) -> object:
        if getattr(node, "key", None):
            return node.key
        return node.value if type(node).__name__ == "Error" else None

    order = [name(node) for node in at.main]
    assert order.index("plan_budget") < order.index(errors[0]) < order.index("plan_json_ul")


def _short_plan(at, name: str, nps: float, goal: float, budget: float, gain: float) -> dict:
    """Load a 15-day scenario of 300 answers with one project ``x`` (no days given) from
    a JSON file; its document."""
    doc = {"name": name, "baseline": {"nps": nps, "n_expected": 300, "goal": goal,
           "budget": budget, "days": 15}, "projects": [{"name": "x", "cost": 0, "gain": gain}]}  # fmt: skip
    at.file_uploader(key="plan_json_ul").set_value(
        (f"{name}.json", json.dumps(doc).encode(), "application/json")
    ).run()
    return doc


def add_row(at, row: dict) -> None:
    """A row added in the project table's editor (its state as the browser sends it)."""
    at.session_state["plan_table"] = {"edited_rows": {}, "added_rows": [row], "deleted_rows": []}
    at.run()


def test_the_budget_slider_reaches_every_projects_cost(app):
    """The budget slider stopped at ¥100,000: a plan whose projects cost more could not be
    given a budget for them all (the trainer walk). It reaches the table's total cost, a
    row added in the editor counted."""
    at = open_page(app, "en")
    _, projects = P.get_preset("classic_30day")
    assert at.slider(key="plan_budget").max == 100_000  # the classic plan's costs fit
    add_row(at, {"name": "New lounge", "cost": 150_000, "pain_point": "waiting"})
    assert not at.exception, at.exception
    total = sum(p.cost for p in projects) + 150_000
    assert at.slider(key="plan_budget").max == -(-total // 10_000) * 10_000 > 100_000
    # the budget itself stays (a slider of a new range had come back at ¥0: "over budget")
    assert at.slider(key="plan_budget").value == 45_000
    at.run()
    assert at.slider(key="plan_budget").value == 45_000
    at.slider(key="plan_budget").set_value(float(total)).run()
    assert not at.exception and at.slider(key="plan_budget").value == total


def test_a_row_with_only_its_chinese_name_is_a_project(app):
    """A row added with its Chinese name, pain point and cost but no English name showed in
    the table and was left out of the plan without a word: the English name was required,
    and the editor held the row back (the store manager walk). The Chinese name names it."""
    at = open_page(app)
    before = {b.key for b in at.slider if str(b.key).startswith("plan_gain_")}
    add_row(at, {"name_zh": "大额项目", "cost": 20_000, "pain_point": "waiting"})
    assert not at.exception and not at.error, [e.value for e in at.error]
    added = {b.key for b in at.slider if str(b.key).startswith("plan_gain_")} - before
    assert len(added) == 1, added
    assert any("大额项目" in at.slider(key=k).label for k in added)
    # the browser's editor holds back a new row whose required cell is empty: none is
    (editor,) = [d for d in at.dataframe if "name_zh" in json.loads(d.proto.columns)]
    columns = json.loads(editor.proto.columns)
    assert not [c for c, v in columns.items() if v.get("required")], columns


def test_a_15_day_plan_takes_projects_without_days(app):
    """A 15-day scenario whose project gives no days, then a row added with its days
    blank: each runs the plan's projects phase, days 5-10 (the defaults, 8-21, had refused
    every one; days 8-15 then ran into the sprint)."""
    at = open_page(app, "en")
    doc = _short_plan(at, "sprint", nps=70, goal=73, budget=1000, gain=1)
    assert not at.error, [e.value for e in at.error]
    add_row(at, {"name": "Coffee corner", "cost": 0, "pain_point": "waiting"})
    assert not at.exception and not at.error, [e.value for e in at.error]
    _, base, projects = P.scenario_from_json(json.dumps(doc))
    assert (projects[0].start_day, projects[0].end_day) == (5, 10)
    added = P.Project("Coffee corner", "waiting", 0, 0.5, start_day=5, end_day=10)
    check_plan(at, base, [*projects, added], "en")


def test_a_15_day_plan_checks_a_day_inside_it_and_names_its_own_length(app):
    """A 15-day plan asked about day 28 and answered 'even all promoters in the last 0
    answers cannot reach 77.0 (would need no data)'; its heading said '30-day pace'."""
    at = open_page(app, "en")
    _short_plan(at, "short", nps=72, goal=77, budget=45000, gain=5)
    assert not at.exception and not at.error, [e.value for e in at.error]
    assert T("plan.h.pace", "en", days=15) in [h.value for h in at.subheader]
    assert at.number_input(key="plan_d28_mtd").label == T("plan.d28_mtd", "en", day=13)
    mtd = at.number_input(key="plan_d28_mtd").value
    check = P.day28_check(77, mtd, 260, 20, days=15, day=13)  # 20 answers a day
    assert check["n_left"] == 40
    said = T(f"plan.d28.{check['status']}", "en", mtd=f"{mtd:.1f}", goal="77.0", day=13,
             n=40, req=f"{check['required']:.1f}")  # fmt: skip
    assert said in markdown(at) and "last 0 answers" not in markdown(at)


def test_save_without_name_is_refused(app, demo_db):
    at = open_page(app)
    at.button(key="plan_scn_save").click().run()
    assert T("plan.scn.need_name") in [e.value for e in at.error]
    with db.connect(demo_db) as con:
        assert con.execute("SELECT count(*) FROM scenarios").fetchall()[0][0] == 0


# ----------------------------------------------------------------------------- data and tracking
def test_pain_point_conversion_from_the_data(app, con):
    at = open_page(app)
    n = con.execute(
        "SELECT count(*) FROM responses WHERE store_id = 'HZ01'"
        " AND CAST(responded_at AS DATE) BETWEEN ? AND ?",
        list(OCT),
    ).fetchall()[0][0]
    pains = dict(
        con.execute(
            "SELECT coalesce(pain_point, ''), count(*) FROM responses WHERE store_id = 'HZ01'"
            " AND nps <= 6 AND CAST(responded_at AS DATE) BETWEEN ? AND ? GROUP BY ALL",
            list(OCT),
        ).fetchall()
    )
    for share in (50, 20):
        if share != 50:
            at.slider(key="plan_convert").set_value(share).run()
        col = T("plan.col.gain_at", share=share)
        view = frame_with(at, col)
        assert sorted(view[T("plan.col.detractors")]) == sorted(pains.values())
        assert sorted(view[col]) == pytest.approx(
            sorted(round(100 * c * share / 100 / n, 2) for c in pains.values())
        )
        top = max(pains, key=pains.get)
        assert view.iloc[0][T("plan.col.detractors")] == pains[top]


def test_tracking_hz01_october_reaches_the_stores_goal(app, con):
    at = open_page(app)
    assert at.selectbox(key="plan_track_month").value == date(2025, 10, 1)
    assert metric(at, "plan.track.start", month="2025-09").value == "72.0"
    assert metric(at, "plan.track.goal").value == "77.0"
    n = con.execute(
        "SELECT count(*) FROM responses WHERE store_id = 'HZ01'"
        " AND CAST(responded_at AS DATE) BETWEEN ? AND ?",
        list(OCT),
    ).fetchall()[0][0]
    assert metric(at, "plan.track.n").value == f"{n:,}"
    assert metric(at, "plan.track.mtd", day=31).value == "77.5"
    assert T("plan.track.hit", nps="77.5", goal="77.0") in markdown(at)

    at.selectbox(key="plan_track_month").select(date(2025, 9, 1)).run()
    aug = con.execute(
        "SELECT 100.0 * (count(*) FILTER (WHERE nps >= 9) - count(*) FILTER (WHERE nps <= 6))"
        " / count(*) FROM responses WHERE store_id = 'HZ01'"
        " AND date_trunc('month', responded_at) = DATE '2025-08-01'"
    ).fetchall()[0][0]
    assert metric(at, "plan.track.start", month="2025-08").value == f"{aug:.1f}"
    # September closed at 71.95 against its goal of 72: both written to two decimals (the
    # page had said "closed at 72.0, short of the goal 72.0")
    assert metric(at, "plan.track.goal").value == "72.00"
    assert metric(at, "plan.track.mtd", day=30).value == "71.95"
    assert T("plan.track.miss", nps="71.95", goal="72.00") in markdown(at)


def test_tracking_writes_the_goal_alike_and_no_signed_zero(app):
    """HZ01's September, 71.954 against 72: the card read "72.00" while the goal line of
    the chart and the day-28 sentence said "72.0", and the day-30 card "↓ -0.0" in red
    (the trainer's walk). The whole section writes the goal as its card does, and the
    gap to the path with the decimals that tell the two apart."""
    at = open_page(app)
    at.selectbox(key="plan_track_month").select(date(2025, 9, 1)).run()
    assert not at.exception, at.exception
    assert metric(at, "plan.track.goal").value == "72.00"
    day30 = metric(at, "plan.track.mtd", day=30)
    assert day30.value == "71.95" and day30.proto.delta == "-0.05", day30.proto.delta

    def flat(node) -> list:
        kids = getattr(node, "children", None)
        return [node] if kids is None else [x for k in kids.values() for x in flat(k)]

    order = flat(at.main)
    heading = T("plan.h.tracking")
    head = next(i for i, x in enumerate(order) if getattr(x, "body", None) == heading)
    after = order[head:]
    one_decimal = re.compile(r"(?<![\d.])72\.0(?!\d)")
    texts = [x.value for x in after if x.type in ("markdown", "caption")]
    assert [x for x in texts if "72.00" in x], texts  # the day-28 sentence, the verdict
    assert not [x for x in texts if one_decimal.search(x)], texts
    (chart,) = [x for x in after if x.type == "vega_lite_chart"]
    data = b"".join(d.data.data for d in chart.proto.datasets)  # the goal line's text
    assert f"{T('plan.goal_short')} 72.00".encode() in data
    assert not re.search(one_decimal.pattern.encode(), data)
    assert '"format": ".2f"' in chart.proto.spec and '".1f"' not in chart.proto.spec  # tooltips


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_tracking_says_it_measures_the_stores_month_not_the_plan(app, lang):
    """The trainer's walk: with the plan's goal moved to 78, the class preset 68 -> 73 or
    the store switched to SH03, tracking went on saying "closed at 77.5, goal 77.0
    reached: the plan worked" beside a plan aiming at 78. It measures the store's own
    month against the store's own goal, says so, and claims nothing of the plan."""
    worked = {"zh": "奏效", "en": "the plan worked"}[lang]
    at = open_page(app, lang)
    at.number_input(key="plan_goal").set_value(78.0).run()
    assert not at.exception, at.exception
    text = markdown(at)
    assert worked not in text
    store = chosen_label(at.selectbox(key="plan_store"))
    whose = T("plan.track.whose", lang, store=store, month="2025-10", goal="77.0", start="72.0")
    assert whose in [c.value for c in at.caption], [c.value for c in at.caption]
    assert T("plan.track.hit", lang, nps="77.5", goal="77.0") in text
    assert metric(at, "plan.track.goal", lang).value == "77.0"
    at.selectbox(key="plan_preset").set_value("class_68_73").run()
    assert whose in [c.value for c in at.caption] and worked not in markdown(at)
    at.selectbox(key="plan_store").set_value("SH03").run()
    assert not at.exception, at.exception
    sh03 = [c.value for c in at.caption if c.value.startswith(whose.split(store)[0])]
    assert len(sh03) == 1 and "SH03" in sh03[0] and worked not in markdown(at), sh03


# ----------------------------------------------------------------------------- views
def test_projector_view_is_clean_and_keeps_the_plan(app):
    at = open_page(app, "en")
    at.slider(key="plan_gain_0").set_value(2.0).run()
    at.toggle(key="plan_projector").set_value(True).run()
    base, projects = P.get_preset("classic_30day")
    projects[0] = regain(projects[0], 2.0)
    assert not at.exception, at.exception
    summary = P.summarise(base, projects)
    sim = P.simulate(base, projects, draws=DRAWS, seed=SEED)
    big = T(
        "plan.big", "en", nps=f"{summary['projected']:.1f}", goal="77.0",
        prob=P.format_prob(sim["prob"], sim["prob_se"]),
        words=P.probability_words(sim["prob"], "en"),
    )  # fmt: skip
    assert big in unescaped(markdown(at))
    # where the plan starts and what it spends (a class had read the best-for-the-budget
    # line's ¥45,000 beside the plan on screen, which cost less)
    spent = T("plan.big_from", "en", base="72.0", used=f"¥{summary['budget_used']:,.0f}",
              budget="¥45,000")  # fmt: skip
    assert spent in unescaped(markdown(at)), unescaped(markdown(at))
    # the class's screen: the odds, the best plan and the Gantt, in the URL
    chosen, gain, _cost = P.best_plan(projects, base.budget)
    assert f"{gain:+.1f}" in unescaped(markdown(at))
    assert at.button(key="plan_apply_best")
    assert at.query_params["view"] in ("projector", ["projector"])
    keys = {b.key for b in at.button}
    assert "plan_scn_save" not in keys and "plan_scn_load" not in keys
    assert not [s for s in at.slider if s.key == "plan_convert"]
    at.toggle(key="plan_projector").set_value(False).run()
    check_plan(at, base, projects, "en")
    assert at.button(key="plan_scn_save")
    assert "view" not in at.query_params


def test_english_texts(app):
    at = open_page(app, "en")
    assert at.title[0].value == "What-if planner"
    check_plan(at, *P.get_preset("classic_30day"), lang="en")


# ----------------------------------------------------------------------------- charts
def test_chart_builders_make_valid_specs():
    import pandas as pd

    from cx.charts import planner as charts

    base, projects = P.get_preset("classic_30day")
    frame = charts.waterfall_frame(base.nps, [(p.name, p.gain) for p in projects], "B", "T")
    assert list(frame["kind"]) == ["base", "up", "up", "up", "up", "total"]
    assert frame.iloc[-1]["end"] == pytest.approx(77.0)
    assert list(frame["start"][1:5]) == pytest.approx([72.0, 73.5, 74.7, 76.2])
    capped = charts.waterfall_frame(99.0, [("a", 3.0)], "B", "T")
    assert capped.iloc[-1]["end"] == 100.0
    sim = P.simulate(base, projects, draws=DRAWS, seed=SEED)
    quads = P.priority_table(projects)
    names = {
        "quick_win": "速赢项目",
        "strategic": "战略项目",
        "defer": "暂缓",
        "reconsider": "重新考虑",
    }
    path = pd.DataFrame(P.planned_path(72, 77, 31), columns=["day", "nps"])
    actual = pd.DataFrame({"day_no": [1, 2], "mtd_nps": [70.0, 73.0], "cum_n": [20, 41]})
    built = [
        charts.waterfall(frame, base.goal, "NPS", "goal"),
        charts.outcome_histogram(sim["samples"], base.goal, "x", "y", "goal"),
        charts.gantt_chart(P.gantt(projects), P.milestones(72, 77), 30, "day"),
        charts.tracking_chart(path, actual, 77, "day", "NPS", "plan", "actual", "goal"),
        charts.priority_matrix(
            pd.DataFrame(
                {"label": [p.name for p in projects], "cost": [p.cost for p in projects],
                 "gain": [p.gain for p in projects], "quadrant": [q["quadrant"] for q in quads]}
            ),
            12500, 1.35, names, "cost", "gain",
        ),
    ]  # fmt: skip
    for chart in built:
        chart.to_dict()  # validates against the Vega-Lite schema
        spec = to_spec(chart)
        assert "continuousWidth" not in spec.get("config", {}).get("view", {})
    text = json.dumps(to_spec(built[-1]), ensure_ascii=False)
    assert all(label in text for label in names.values())
    # the Gantt's milestones say what their numbers are, once: "NPS 74.0", "76.0", "77.0"
    gantt = to_spec(built[2])
    rows = [row for rows in gantt.get("datasets", {}).values() for row in rows if "day" in row]
    labels = [text for _day, text in sorted({(row["day"], row["text"]) for row in rows})]
    assert labels == ["NPS 74.0", "76.0", "77.0"], labels
    # the waterfall's axis in whole points under their ticks: "69.0" and "70.0", pulled
    # flush to the edge, ran into each other on a 1366 px projector
    axis = to_spec(built[0])["layer"][0]["encoding"]["x"]["axis"]
    assert (axis["format"], axis["tickMinStep"], axis["labelFlush"]) == ("d", 1, False)
    # the outcomes' goal is named above the plot (inside, it sat on the tallest bar), and
    # the projector's histogram is as tall as asked (its 24 px axes had left 130 px)
    hist = to_spec(charts.outcome_histogram(sim["samples"], base.goal, "x", "y", "goal", None, 460))
    assert hist["height"] == 460
    goal_text = next(x for x in hist["layer"] if x["mark"].get("type") == "text")["mark"]
    assert (goal_text["baseline"], goal_text["dy"] < 0) == ("bottom", True)
    # the tracking chart's axis is the month's days (a nice axis ran to 34 for 31 days)
    first, last = float(path["day"].min()), float(path["day"].max())
    x = to_spec(built[3])["layer"][0]["encoding"]["x"]["scale"]
    assert (x["domain"], x["nice"]) == ([first, last], False) and last == 31
    hist = json.dumps(to_spec(built[1]))
    assert '"goal 77.0"' in hist
    # a mark hovered shows its titled tooltip or none: the Gantt's bars had shown their raw
    # fields ('task … | phase_label … | start 8 | end 21'), the heatmap's cut lines theirs
    # ('x 8.0200528403 | y 14.2857142857 | x2 …')
    from cx.charts import heatmap as heat_charts

    def marks(part: dict) -> list[dict]:
        kids = [
            m
            for key in ("layer", "hconcat", "vconcat")
            for c in part.get(key, ())
            for m in marks(c)
        ]
        return kids + ([part] if "mark" in part else [])

    ipa = pd.DataFrame({"touchpoint": ["waiting", "delivery"], "importance": [25.0, 10.0],
                        "weight": [15.0, 10.0], "performance": [8.1, 8.7],
                        "zone": ["concentrate", "overkill"]})  # fmt: skip
    for chart in [*built, heat_charts.ipa_chart(ipa, 14.3, 8.4, "zh")]:
        for unit in marks(to_spec(chart)):
            tips = unit.get("encoding", {}).get("tooltip")
            if tips is None:
                assert unit["mark"].get("tooltip", "absent") is None, unit["mark"]
            else:
                assert all(t.get("title") for t in tips), tips
    bars = next(u for u in marks(gantt) if u.get("encoding", {}).get("tooltip"))
    assert [t["title"] for t in bars["encoding"]["tooltip"]] == [" ", "  ", "day"]
    for unit in marks(gantt) + marks(to_spec(built[4])) + marks(to_spec(built[3])):
        titles = [t["title"] for t in unit.get("encoding", {}).get("tooltip", [])]
        assert len(titles) == len(set(titles)), titles  # a title twice showed one field
    # the planned path's points have no answers to count: no 'n' (it read 'n null')
    tracked = [u for u in marks(to_spec(built[3])) if u.get("encoding", {}).get("tooltip")]
    with_n = [u for u in tracked if any(t["field"] == "n" for t in u["encoding"]["tooltip"])]
    assert len(tracked) == 2 and len(with_n) == 1
    assert "actual" in json.dumps(with_n[0]["transform"])
    spans = {row["span"] for rows in gantt["datasets"].values() for row in rows if "span" in row}
    assert "8–21" in spans, spans


def page_charts(at) -> list[dict]:
    """The Vega-Lite specs the page drew, in page order."""
    return [json.loads(c.proto.spec) for c in at.get("vega_lite_chart")]


def layer_with(spec: dict, mark: str, channel: str, field: str) -> dict:
    """The layer of ``spec`` drawing ``mark`` with ``field`` on ``channel``."""
    found = [
        layer
        for layer in spec.get("layer", [spec])
        if (layer.get("mark", {}).get("type") or layer.get("mark")) == mark
        and layer.get("encoding", {}).get(channel, {}).get("field") == field
    ]
    assert len(found) == 1, [layer.get("mark") for layer in spec.get("layer", [spec])]
    return found[0]


@pytest.mark.parametrize("projector", [False, True])
def test_the_outcomes_axis_reads_whole_points(app, projector):
    """The outcomes' NPS axis read "68.0", "70.0" on a 1366 px projector (the trainer's
    walk). It reads whole points, as the waterfall's beside it, and no tick twice where the
    axis is narrow (a tick each half point would read "68", "68")."""
    at = open_page(app, "en")
    if projector:
        at.toggle(key="plan_projector").set_value(True).run()
        assert not at.exception, at.exception
    (hist,) = [s for s in page_charts(at) if '"share"' in json.dumps(s)]
    axis = layer_with(hist, "bar", "y", "share")["encoding"]["x"].get("axis", {})
    got = (axis.get("format"), axis.get("tickMinStep"), axis.get("labelFlush"))
    assert got == ("d", 1, False), axis  # each under its tick, as the waterfall's


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_each_gantt_name_sits_on_its_own_bar(app, lang):
    """A 1920 px screen drew the Gantt's task names between the bars (the trainer's walk):
    each name stood at its row's top edge, as near the bar above as its own. A name is in
    its bar's row (the same band) and sits on its bar, the room between rows above it."""
    at = open_page(app, lang)
    base, projects = P.get_preset("classic_30day")
    tasks = [row["task"] for row in P.gantt(projects, base.days, lang)]
    (gantt,) = [s for s in page_charts(at) if '"phase_label"' in json.dumps(s)]
    bars = layer_with(gantt, "bar", "y", "task")
    names = layer_with(gantt, "text", "text", "task")
    assert names["encoding"]["y"] == bars["encoding"]["y"]  # the row's band, not its edge
    assert bars["encoding"]["y"].get("sort") == tasks
    step = gantt["height"] / len(tasks)
    bar, name = bars["mark"], names["mark"]
    assert name["baseline"] == "bottom", name
    bar_top = bar["yOffset"] - bar["height"] / 2  # from the band's middle, down
    above_bar = bar_top + bar["height"] - step  # the row above's bar's bottom
    name_bottom = name.get("dy", 0)
    below = bar_top - name_bottom  # the name to its own bar
    above = name_bottom - 12 - above_bar  # a 12 px name's top to the bar above
    assert 0 <= below <= 2, (below, bar, name)
    assert above >= max(6, 3 * below), (above, below, bar, name)


def test_gantt_legend_in_plan_order_one_colour_per_phase_in_both_languages():
    base, projects = P.get_preset("classic_30day")
    marks = P.milestones(base.nps, base.goal, base.days)
    specs = {
        lang: charts.gantt_chart(
            P.gantt(projects, base.days, lang), marks, base.days, "d"
        ).to_dict()
        for lang in ("zh", "en")
    }
    scales = {}
    for lang, spec in specs.items():
        bars = spec["layer"][0]["encoding"]["color"]["scale"]
        assert bars["domain"] == [P.PHASES[k][lang] for k in ("diagnosis", "projects", "sprint")]
        scales[lang] = bars["range"]
    assert scales["zh"] == scales["en"]
    assert len(set(scales["en"])) == 3


def test_projects_at_the_same_spot_of_the_matrix_read_as_one_point_naming_both():
    """Two projects of the same cost and gain (a row copied, two of a kind) had their
    names drawn one over the other at one point, neither readable (the trainer walk).
    The point names both, one under the other, and so does its tooltip."""
    frame = pd.DataFrame(
        {"label": ["Coffee corner", "咖啡角 (二店)", "VIP care"], "cost": [800.0, 800.0, 9000.0],
         "gain": [0.5, 0.5, 1.5], "quadrant": ["quick_win", "quick_win", "strategic"]}
    )  # fmt: skip
    names = {"quick_win": "q", "strategic": "s", "defer": "d", "reconsider": "r"}
    spec = to_spec(charts.priority_matrix(frame, 4900, 1.0, names, "cost", "gain"))
    layers = {json.dumps(layer["mark"], sort_keys=True): layer for layer in spec["layer"]}
    rows = {
        kind: [r for layer in layers.values() if layer["mark"].get("type") == kind
               for r in spec["datasets"][layer["data"]["name"]] if "label" in r]
        for kind in ("circle", "text")
    }  # fmt: skip
    assert sorted(r["label"] for r in rows["circle"]) == [
        "Coffee corner / 咖啡角 (二店)",
        "VIP care",
    ]
    assert sorted(r["label"] for r in rows["text"]) == ["Coffee corner\n咖啡角 (二店)", "VIP care"]


def test_projector_charts_have_large_level_text():
    base, projects = P.get_preset("classic_30day")
    frame = charts.waterfall_frame(base.nps, [(p.name, p.gain) for p in projects], "B", "T")
    wf = charts.waterfall(frame, base.goal, "NPS", "goal")
    assert wf.to_dict()["layer"][0]["encoding"]["y"]["field"] == "label"  # names level
    config = charts.for_projector(wf).to_dict()["config"]
    assert config["axis"]["labelFontSize"] >= 24 and config["axis"]["titleFontSize"] >= 24
    assert config["axis"]["labelAngle"] == 0 and config["axis"]["labelLimit"] == 0
    assert config["legend"]["labelFontSize"] >= 24


def test_the_planner_store_is_the_sidebar_store_filter(app, con):
    at = open_page(app)
    # no store in the sidebar: the planner's own default; picking one picks the sidebar's
    assert at.selectbox(key="plan_store").value == "HZ01"
    assert "flt_stores" not in at.session_state or not at.session_state["flt_stores"]
    at.selectbox(key="plan_store").select("SH01").run()
    assert not at.exception, at.exception
    assert list(at.session_state["flt_stores"]) == ["SH01"]
    # a store picked in the sidebar is the planner's, with its own months and tracking
    at.session_state["flt_stores"] = ["SH03"]
    at.run()
    assert at.selectbox(key="plan_store").value == "SH03"
    n = con.execute(
        "SELECT count(*) FROM responses WHERE store_id = 'SH03'"
        " AND CAST(responded_at AS DATE) BETWEEN ? AND ?",
        list(OCT),
    ).fetchall()[0][0]
    assert metric(at, "plan.track.n").value == f"{n:,}"


def test_a_region_in_the_sidebar_plans_one_of_its_stores_and_says_so(app, con):
    """The planner plans one store. With a region in the sidebar it had planned HZ01, of
    another region, without a word; it now plans one of the region's stores and says
    which, and the network's sidebar says the same of HZ01."""
    at = open_page(app, "en")
    at.session_state["flt_regions"] = ["华南"]
    at.run()
    assert not at.exception, at.exception
    south = {
        s for (s,) in con.execute("SELECT store_id FROM stores WHERE region = '华南'").fetchall()
    }
    picked = at.selectbox(key="plan_store").value
    assert picked in south
    name = con.execute("SELECT store_name FROM stores WHERE store_id = ?", [picked]).fetchall()
    said = [c.value for c in at.caption if "plans one store" in c.value]
    assert said == [
        f"The planner plans one store: the sidebar's choice (Region: 华南) has {len(south)}"
        f" stores, and this plans {picked} {name[0][0]}, one of them; pick another above."
    ], [c.value for c in at.caption]
    assert list(at.session_state["flt_regions"]) == ["华南"]  # the sidebar keeps its region
    # a region and a store of it: that store, as every page reads the two together
    at.session_state["flt_regions"] = ["华东"]
    at.session_state["flt_stores"] = ["SH03"]
    at.run()
    assert at.selectbox(key="plan_store").value == "SH03"
    assert not [c.value for c in at.caption if "plans one store" in c.value]
    at.session_state["flt_stores"] = []
    at.session_state["flt_regions"] = []
    at.run()
    assert at.selectbox(key="plan_store").value == "SH03"  # still one of the network's
    assert [c.value for c in at.caption if "the sidebar's choice (All stores) has" in c.value]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_project_table_leads_with_the_readers_name_of_a_project(app, lang):
    """On a Chinese projector the English names led the project table."""
    at = open_page(app, lang)
    (order,) = [list(e.proto.column_order) for e in at.dataframe if e.proto.column_order]
    first = ["name_zh", "name"] if lang == "zh" else ["name", "name_zh"]
    assert order[:2] == first and "cost" in order


def test_my_store_goal_is_the_plan_months_target_when_one_is_set(app, con):
    from cx import targets, ui

    targets.set_target(con, "HZ01", date(2025, 11, 1), 79.0)
    ui.invalidate()  # what VERSION_TTL does a second later
    at = open_page(app)
    at.selectbox(key="plan_preset").select("my_store").run()
    assert not at.exception
    assert at.number_input(key="plan_goal").value == 79.0
    said = T("plan.goal_from_target", goal="79.0", month="2025-11")
    assert said in [c.value for c in at.caption]


def test_a_switch_of_language_keeps_the_preset_and_shows_it_in_the_new_language(app):
    """The preset box after Chinese to English: the browser held the Chinese label unless
    the run sent the English one; the plan stays the class exercise's."""
    at = open_page(app)
    at.selectbox(key="plan_preset").select("class_68_73").run()
    assert not at.exception, at.exception
    held = chosen_label(at.selectbox(key="plan_preset"))
    assert held == T("plan.preset.class_68_73")

    at.session_state["ui_lang"] = "en"
    at.run()
    assert not at.exception, at.exception
    box = at.selectbox(key="plan_preset")
    assert box.value == "class_68_73"
    assert chosen_label(box) == shown_label(box, held) == T("plan.preset.class_68_73", "en")
    assert metric(at, "plan.m.projected", "en").value == "73.2"


def test_the_projector_view_switches_language_beside_its_toggle(app):
    """The projector view hides the sidebar and its language switch: a trainer in front
    of a class had to leave the view, switch and come back. A button beside the toggle,
    named in the other language, switches it; the plan and the view stay."""
    at = open_page(app, "zh")
    at.slider(key="plan_gain_0").set_value(2.0).run()
    at.toggle(key="plan_projector").set_value(True).run()
    assert at.button(key="plan_lang").label == "English"
    at.button(key="plan_lang").click().run()
    assert not at.exception, at.exception
    assert at.title[0].value == "What-if planner"
    assert at.session_state["lang"] == "en"  # the sidebar's switch says so too
    assert at.toggle(key="plan_projector").value and at.slider(key="plan_gain_0").value == 2.0
    assert at.button(key="plan_lang").label == "中文"
    at.button(key="plan_lang").click().run()
    assert at.title[0].value == T("plan.title")
    at.toggle(key="plan_projector").set_value(False).run()
    assert not [b for b in at.button if b.key == "plan_lang"]  # the sidebar's switch is back


def test_a_best_plan_beyond_what_the_detractors_allow_says_so(app):
    """First-time fix raised to +3.0: the page warned that 0.5 points were beyond
    credible, yet offered 'all four: +6.5 points' as the largest gain without a word."""
    at = open_page(app, "en")
    base, projects = P.get_preset("classic_30day")
    ftf = next(i for i, p in enumerate(projects) if p.pain_point == "unresolved")
    at.slider(key=f"plan_gain_{ftf}").set_value(3.0).run()
    assert not at.exception, at.exception
    projects[ftf] = regain(projects[ftf], 3.0)
    chosen, gain, _ = P.best_plan(projects, base.budget)
    picked = [replace(p, enabled=p.name in chosen) for p in projects]
    excess = P.beyond_credible(base, picked)
    assert excess > 0.05  # the case the page must flag
    said = T("plan.set_beyond", "en", excess=f"{excess:.1f}", gain=f"{gain - excess:+.1f}")
    assert said in [c.value for c in at.caption]
    # within every ceiling (the preset as it is): nothing said
    at.slider(key=f"plan_gain_{ftf}").set_value(1.5).run()
    assert not [c for c in at.caption if "beyond what the detractors" in c.value]
