"""cx.analysis (quadrant helpers) and cx.queries.quadrant, against hand cases and
independent SQL over the raw ``responses``."""

from __future__ import annotations

import math
from datetime import date

import pandas as pd
import pytest

from cx import analysis, rules, stats
from cx.enums import CSI_DIMS
from cx.queries import quadrant as q
from cx.scope import Scope
from tests.support import raw_store_scores

Q4 = Scope(start=date(2025, 10, 1), end=date(2025, 10, 31))


def _sums_row(store="S1", d=1, pa=1, p=2, means=None, n_dim=2, region="R", **over):
    means = means or {}
    row = {"store_id": store, "store_name": store, "region": region, "n": d + pa + p, "d": d}
    row |= {"pa": pa, "p": p}
    for dim in CSI_DIMS:
        m = means.get(dim)
        row[f"csi_{dim}_n"] = 0 if m is None else n_dim
        row[f"csi_{dim}_sum"] = 0.0 if m is None else m * n_dim
    row.update(over)
    return row


def test_store_with_answers_but_no_csi_is_listed_not_a_crash():
    # pandas 3 stores [None, 'dream'] as strings with NaN: the old table asked for 'quad.zone.nan'
    rows = []
    for sid, c in (("AA01", 0), ("BB02", 400)):
        row = {"store_id": sid, "store_name": sid, "region": "r", "n": 400, "d": 40, "pa": 40}
        row["p"] = 320
        for d in CSI_DIMS:
            row |= {f"csi_{d}_n": c, f"csi_{d}_sum": 9.0 * c, f"csi_{d}_sumsq": 82.0 * c}
        rows.append(row)
    scores = analysis.add_zones(analysis.store_scores(pd.DataFrame(rows)), 50, 800)
    table = analysis.quadrant_rows(scores, scores, "en").set_index("store_id")
    assert table.loc["AA01", "zone"] == "no CSI" and table.loc["AA01", "csi"] == "no CSI"
    # BB02: NPS 70 (n 400) and CSI 900 with sd 1 per dimension: firmly in the dream zone
    half = 1.96 * 100 * 1.0 / 20  # every dimension: sd 1, n 400 -> se 0.05
    assert table.loc["BB02", "zone"] == "Dream"
    assert table.loc["BB02", "csi"] == f"900 ({900 - half:.0f} – {900 + half:.0f})"
    # a CSI cut inside BB02's interval: on the line, leaning to the side of its estimate
    near = analysis.add_zones(analysis.store_scores(pd.DataFrame(rows)), 50, 895)
    table = analysis.quadrant_rows(near, near, "en").set_index("store_id")
    assert table.loc["BB02", "zone"] == "On the line (leans Dream)"
    # an NPS cut inside the NPS interval: on the line too
    near = analysis.add_zones(analysis.store_scores(pd.DataFrame(rows)), 68, 800)
    assert bool(near.set_index("store_id").loc["BB02", "on_line"])


# --------------------------------------------------------------------------- periods


@pytest.mark.parametrize(
    ("day", "kind", "bounds", "prev", "lbl"),
    [
        (
            date(2025, 11, 15),
            "quarter",
            (date(2025, 10, 1), date(2025, 12, 31)),
            (date(2025, 7, 1), date(2025, 9, 30)),
            "2025Q4",
        ),
        (
            date(2025, 2, 28),
            "quarter",
            (date(2025, 1, 1), date(2025, 3, 31)),
            (date(2024, 10, 1), date(2024, 12, 31)),
            "2025Q1",
        ),
        (
            date(2025, 3, 31),
            "month",
            (date(2025, 3, 1), date(2025, 3, 31)),
            (date(2025, 2, 1), date(2025, 2, 28)),
            "2025-03",
        ),
        (
            date(2025, 1, 10),
            "month",
            (date(2025, 1, 1), date(2025, 1, 31)),
            (date(2024, 12, 1), date(2024, 12, 31)),
            "2025-01",
        ),
    ],
)
def test_period_arithmetic(day, kind, bounds, prev, lbl):
    assert rules.period_bounds(day, kind) == bounds
    assert rules.previous_period(day, kind) == prev
    assert rules.period_label(day, kind) == lbl
    assert rules.current_window(day, kind) == (bounds[0], day)


def test_previous_window_of_a_month_is_the_month_before():
    assert rules.previous_window(date(2025, 10, 1), date(2025, 10, 31)) == (
        date(2025, 9, 1),
        date(2025, 9, 30),
    )
    with pytest.raises(ValueError):
        rules.period_start(date(2025, 1, 1), "year")


# --------------------------------------------------------------------------- scores


def test_store_scores_hand_case_csi_831_and_nps():
    means = dict(zip(CSI_DIMS, [8.5, 8.0, 9.0, 8.8, 7.5], strict=True))
    out = analysis.store_scores(pd.DataFrame([_sums_row(means=means, d=1, pa=1, p=2)]))
    r = out.iloc[0]
    # 100 * (.18*8.5 + .24*8.0 + .15*9.0 + .22*8.8 + .21*7.5) = 831.1
    assert r["csi"] == pytest.approx(831.1)
    assert round(r["csi"]) == 831
    assert r["nps"] == pytest.approx(25.0)  # (2 - 1) / 4
    lo, hi = stats.nps_interval(1, 1, 2)
    assert (r["nps_low"], r["nps_high"]) == (pytest.approx(lo), pytest.approx(hi))
    assert r["csi_n"] == 2 and bool(r["csi_flag"])


def test_store_scores_renormalises_a_missing_dimension():
    means = {"initiation": 8.5, "delivery": 8.0, "advisor": 8.8, "post_service": 7.5}
    out = analysis.store_scores(pd.DataFrame([_sums_row(means=means, n_dim=60)]))
    expected = 100 * (0.18 * 8.5 + 0.24 * 8.0 + 0.22 * 8.8 + 0.21 * 7.5) / 0.85
    assert out.iloc[0]["csi"] == pytest.approx(expected)
    assert not bool(out.iloc[0]["csi_flag"])  # 60 CSI answers


def test_csi_interval_by_hand_and_where_there_is_none():
    """Every store's interval at once: by hand for a store whose dimensions all have 4
    answers (sd from the sums of squares); none for a dimension rated once, for sums
    without squares, and for a store without CSI."""
    means = dict(zip(CSI_DIMS, [8.0, 7.0, 9.0, 8.0, 6.0], strict=True))
    ok = _sums_row("OK", means=means, n_dim=4)
    for dim, m in means.items():  # answers m-1, m-1, m+1, m+1: sd = sqrt(4/3)
        ok[f"csi_{dim}_sumsq"] = 2 * (m - 1) ** 2 + 2 * (m + 1) ** 2
    once = _sums_row("ONE", means=means, n_dim=1) | {f"csi_{d}_sumsq": 64.0 for d in CSI_DIMS}
    blank = _sums_row("NONE") | {f"csi_{d}_sumsq": 0.0 for d in CSI_DIMS}
    out = analysis.store_scores(pd.DataFrame([ok, once, blank])).set_index("store_id")
    half = 1.96 * 100 * math.sqrt(4 / 3) / math.sqrt(4)  # the weights sum to 1
    assert out.loc["OK", "csi_low"] == pytest.approx(out.loc["OK", "csi"] - half)
    assert out.loc["OK", "csi_high"] == pytest.approx(out.loc["OK", "csi"] + half)
    assert not math.isnan(out.loc["ONE", "csi"])
    assert out[["csi_low", "csi_high"]].loc[["ONE", "NONE"]].isna().all().all()
    no_squares = analysis.store_scores(pd.DataFrame([_sums_row(means=means, n_dim=4)]))
    assert no_squares[["csi_low", "csi_high"]].isna().all().all()


def test_store_without_answers_is_nan_not_zero():
    out = analysis.store_scores(pd.DataFrame([_sums_row(d=0, pa=0, p=0)]))
    assert math.isnan(out.iloc[0]["nps"]) and math.isnan(out.iloc[0]["csi"])
    zoned = analysis.add_zones(out, 50, 800)
    assert zoned.iloc[0]["zone"] is None and zoned.iloc[0]["nps_tier"] is None


def test_zones_tiers_and_cuts():
    rows = [
        _sums_row("A", d=0, pa=2, p=18, means=dict.fromkeys(CSI_DIMS, 9.0)),  # 90 / 900
        _sums_row("B", d=0, pa=2, p=18, means=dict.fromkeys(CSI_DIMS, 7.0)),  # 90 / 700
        _sums_row("C", d=18, pa=2, p=0, means=dict.fromkeys(CSI_DIMS, 9.0)),  # -90 / 900
        _sums_row("D", d=18, pa=2, p=0, means=dict.fromkeys(CSI_DIMS, 7.0)),  # -90 / 700
        _sums_row("E", d=1, pa=0, p=0, means=dict.fromkeys(CSI_DIMS, 1.0)),  # n=1: no median
    ]
    scores = analysis.store_scores(pd.DataFrame(rows))
    z = analysis.add_zones(scores, 50, 800).set_index("store_id")
    assert list(z.loc[["A", "B", "C", "D"], "zone"]) == ["dream", "surprise", "danger", "disaster"]
    assert z.loc["A", "nps_tier"] == "excellent" and z.loc["D", "nps_tier"] == "crisis"
    assert z.loc["A", "csi_tier"] == "benchmark" and z.loc["B", "csi_tier"] == "pass"
    assert analysis.median_cuts(scores) == (0.0, 800.0)  # E is left out (n < MIN_N)
    assert analysis.choose_cuts("median", scores) == (0.0, 800.0, "median")
    assert analysis.choose_cuts("fixed", scores) == (50.0, 800.0, "fixed")
    assert analysis.choose_cuts("targets", scores, 70.0, "default", None) == (
        70.0,
        800.0,
        "target_default",
    )
    assert analysis.choose_cuts("targets", scores, 66.0, "stores", 820.0) == (
        66.0,
        820.0,
        "target_stores",
    )
    assert analysis.choose_cuts("targets", scores, None, "none", None) == (
        50.0,
        800.0,
        "target_none",
    )
    assert analysis.choose_cuts("median", scores.iloc[[4]]) == (50.0, 800.0, "median_missing")
    # one or two stores make no median: a store manager's store sat on its own lines
    assert analysis.choose_cuts("median", scores.iloc[[0]]) == (50.0, 800.0, "median_missing")
    assert analysis.median_cuts(scores.iloc[[0, 3, 4]]) is None  # E has too few answers
    assert analysis.median_cuts(scores.iloc[[0, 1, 3]]) == (90.0, 700.0)
    with pytest.raises(ValueError):
        analysis.choose_cuts("bogus", scores)


def test_quadrant_rows_labels_and_flags():
    rows = [
        _sums_row("A", d=0, pa=2, p=18, means=dict.fromkeys(CSI_DIMS, 9.0), n_dim=49),
        _sums_row("B", d=1, pa=2, p=2, means=dict.fromkeys(CSI_DIMS, 8.0), n_dim=80),
        _sums_row("C", d=10, pa=10, p=20, means=dict.fromkeys(CSI_DIMS, 8.0), n_dim=80),
    ]
    cur = analysis.add_zones(analysis.store_scores(pd.DataFrame(rows)), 50, 800)
    prev = cur.assign(zone=["danger", "dream", "dream"])
    zh = analysis.quadrant_rows(cur, prev, "zh").set_index("store_id")
    en = analysis.quadrant_rows(cur, prev, "en").set_index("store_id")
    assert zh.loc["A", "zone"] == "梦想区" and en.loc["A", "zone"] == "Dream"
    assert zh.loc["A", "prev_zone"] == "危险区"
    assert zh.loc["A", "nps_tier"] == "卓越" and en.loc["A", "csi_tier"] == "Benchmark"
    assert "CSI" in zh.loc["A", "flag"]  # 49 < 50 CSI answers
    assert "样本过少" in zh.loc["B", "flag"] and "CSI" not in zh.loc["B", "flag"]
    # an NPS on 10-29 answers is flagged as the board and segments flag it (n 20; n 40 not)
    assert en.loc["A", "flag"] == "NPS n < 30 · CSI n < 50" and en.loc["C", "flag"] == ""
    assert zh.loc["A", "flag"] == "NPS 样本 <30 · CSI 样本 <50"
    lo, hi = stats.nps_interval(0, 2, 18)
    assert en.loc["A", "nps"] == f"90.0 ({lo:.1f} – {hi:.1f})"
    assert en.loc["B", "csi"] == "800"
    assert list(en.index) == ["A", "C", "B"]  # best NPS first


def test_movements_pairs_stores_present_in_both_periods():
    a = pd.DataFrame({"store_id": ["A", "B"], "csi": [800.0, 700.0], "nps": [40.0, 10.0]})
    b = pd.DataFrame({"store_id": ["A", "C"], "csi": [820.0, 900.0], "nps": [30.0, 60.0]})
    mv = analysis.movements(b, a)
    assert mv.to_dict("records") == [
        {"store_id": "A", "csi0": 800.0, "nps0": 40.0, "csi1": 820.0, "nps1": 30.0}
    ]


# --------------------------------------------------------------------------- the chart


def _label_box(x: float, y: float, text: str, side: str) -> tuple[float, float, float, float]:
    """Where a 10 px label on ``side`` of its point at (x, y) is drawn, written out apart
    from cx.charts (the offsets of its text marks)."""
    from cx.charts import text_width

    w = text_width(text, 10)
    return {
        "top": (x - w / 2, y - 18, x + w / 2, y - 6),
        "bottom": (x - w / 2, y + 7, x + w / 2, y + 19),
        "right": (x + 9, y - 6, x + 9 + w, y + 6),
        "left": (x - 9 - w, y - 6, x - 9, y + 6),
        # the corners, tried after the sides: the near corner 6 px off on the diagonal
        "top_right": (x + 6, y - 17, x + 6 + w, y - 5),
        "top_left": (x - 6 - w, y - 17, x - 6, y - 5),
        "bottom_right": (x + 6, y + 6, x + 6 + w, y + 18),
        "bottom_left": (x - 6 - w, y + 6, x - 6, y + 18),
    }[side]


def _apart(a: tuple, b: tuple) -> bool:
    return min(a[2], b[2]) <= max(a[0], b[0]) or min(a[3], b[3]) <= max(a[1], b[1])


def test_a_point_whose_sides_are_taken_is_named_at_a_corner():
    """On 华东's quadrant of 14 stores XM01 sat between NJ01 and SU01, each of its four
    sides under a label or a bubble, and went unnamed (the regional walk). A corner that is
    free takes its label, and no label then covers another or a point."""
    from cx.charts import label_sides

    # a row of four points 30 px apart, one more above and below the second: its four
    # sides meet a neighbour or its label
    px, py = [100.0, 130.0, 160.0, 190.0, 130.0, 130.0], [200.0, 200.0, 200.0, 200.0, 180, 220]
    texts = ["NJ01", "XM01", "SU01", "HZ01", "FZ01", "NB01"]
    order = [4, 5, 0, 2, 3, 1]  # the middle one last: its sides are taken by then
    sides = label_sides(px, py, texts, order=order, only_free=True)
    assert all(sides), sides
    assert sides[1] in ("top_right", "top_left", "bottom_right", "bottom_left"), sides
    boxes = [_label_box(px[i], py[i], texts[i], sides[i]) for i in range(6)]
    points = [(x - 4, y - 4, x + 4, y + 4) for x, y in zip(px, py, strict=True)]
    for i, a in enumerate(boxes):
        others = [b for j, b in enumerate(boxes) if j != i] + [
            p for j, p in enumerate(points) if j != i
        ]
        assert all(_apart(a, b) for b in others), (texts[i], sides[i])


def test_a_label_keeps_off_the_marks_drawn_beside_its_point():
    """HZ01's label sat on its own previous-period dot (the regional walk): the marks
    given are kept clear as a point is."""
    from cx.charts import label_sides

    free = label_sides([100.0], [200.0], ["HZ01"], order=[0], only_free=True)
    assert free == ["top"]
    dot = (100.0, 188.0, 4.0)  # the previous period's dot just above
    moved = label_sides([100.0], [200.0], ["HZ01"], order=[0], only_free=True, marks=[dot])
    assert moved[0] != "top"
    box = _label_box(100.0, 200.0, "HZ01", moved[0])
    assert _apart(box, (dot[0] - 4, dot[1] - 4, dot[0] + 4, dot[1] + 4))


def test_labels_of_close_points_take_sides_where_they_do_not_overlap():
    from cx.charts import label_sides

    # three stores almost on one spot, a fourth far away
    px, py = [100.0, 104.0, 98.0, 400.0], [200.0, 201.0, 203.0, 50.0]
    texts = ["HZ01", "HZ02", "WH01", "SZ01"]
    sides = label_sides(px, py, texts)
    assert len(set(sides[:3])) == 3 and sides[3] == "top"

    def box(i):
        return _label_box(px[i], py[i], texts[i], sides[i])

    for i in range(4):
        for j in range(i + 1, 4):
            a, b = box(i), box(j)
            assert min(a[2], b[2]) <= max(a[0], b[0]) or min(a[3], b[3]) <= max(a[1], b[1])


def _two_stores_map() -> dict:
    """The quadrant's map of two stores (crosshairs NPS 50, CSI 800) as a spec."""
    from cx.charts.quadrant import bubble_chart

    scores = analysis.add_zones(
        analysis.store_scores(
            pd.DataFrame([_sums_row("A", means={"advisor": 8.0}), _sums_row("B", 3, 1, 1)])
        ),
        50.0,
        800.0,
    )
    return bubble_chart(scores, analysis.movements(scores, scores), 50.0, 800.0, "en").to_dict()


def test_region_legend_is_not_drawn_faint():
    """Vega-Lite gives a layered chart's legend symbols the first layer's mark opacity;
    the zone shading's 0.08 made the region legend all but invisible."""
    spec = _two_stores_map()
    marks = [layer["mark"] for layer in spec["layer"]]
    assert all("opacity" not in m for m in marks if isinstance(m, dict))
    legends = [
        layer["encoding"]["color"].get("legend")
        for layer in spec["layer"]
        if layer.get("encoding", {}).get("color", {}).get("field") == "region"
    ]
    assert legends and all(lg and lg["symbolOpacity"] == 1 for lg in legends)


def test_the_zones_names_sit_on_a_white_halo_over_the_bubbles():
    """The network's best store sits in Dream's corner: the name was drawn green on its
    blue bubble. Each name is drawn over the bubbles on a white halo of its own text."""
    spec = _two_stores_map()
    kinds = [
        (layer["mark"].get("type"), layer["mark"].get("stroke"), layer["encoding"].get("text"))
        for layer in spec["layer"]
        if isinstance(layer.get("mark"), dict)
    ]
    names = [i for i, (kind, _, text) in enumerate(kinds) if kind == "text" and text
             and text.get("field") == "name"]  # fmt: skip
    assert len(names) == 2, kinds
    halo, label = names
    assert kinds[halo][1] == "white" and kinds[label][1] is None and halo < label
    marks = [layer["mark"] for layer in spec["layer"]]
    bubbles = next(i for i, m in enumerate(marks) if m.get("strokeWidth") == 2)  # the stores
    assert bubbles < halo


@pytest.mark.parametrize(("nps", "csi"), [(77.5, 900.0), (20.0, 700.0), (77.5, 700.0)])
def test_each_zone_keeps_room_for_its_name_when_the_stores_sit_in_one(nps, csi):
    """One store far from a fixed line (HZ01 alone: NPS 77.5, CSI 900 against NPS 50,
    CSI 800) had put the lines at the map's edges, through the other zones' names: each
    side of a line now holds at least a sixth of its axis."""
    from cx.charts.quadrant import bubble_chart

    scores = pd.DataFrame(
        [{"store_id": "S1", "store_name": "One", "region": "R", "n": 300, "nps": nps,
          "nps_low": nps - 4, "nps_high": nps + 3, "csi": csi, "csi_low": csi - 5,
          "csi_high": csi + 5, "zone": "dream"}]
    )  # fmt: skip
    spec = bubble_chart(scores, scores.iloc[:0].assign(csi0=[], nps0=[]), 50.0, 800.0, "en")
    shade = spec.to_dict()["layer"][0]["encoding"]
    for channel, cut in (("x", 800.0), ("y", 50.0)):
        lo, hi = shade[channel]["scale"]["domain"]
        assert min(cut - lo, hi - cut) >= (hi - lo) / 6, (channel, lo, hi)


# --------------------------------------------------------------------------- queries


def test_store_sums_match_raw_responses(con):
    got = analysis.store_scores(q.store_sums(con, Q4)).set_index("store_id")
    raw = raw_store_scores(con, Q4.start, Q4.end).set_index("store_id")
    assert sorted(got.index) == sorted(raw.index)
    for sid, r in raw.iterrows():
        g = got.loc[sid]
        assert (g["n"], g["d"], g["pa"], g["p"]) == (r["n"], r["d"], r["pa"], r["p"])
        assert g["nps"] == pytest.approx(stats.nps(r["d"], r["pa"], r["p"]))
        assert g["csi"] == pytest.approx(r["csi"])
        assert g["csi_n"] == max(r[f"n_{d}"] for d in CSI_DIMS)


def test_hz01_october_story(con):
    got = analysis.store_scores(
        q.store_sums(con, Scope(stores=("HZ01",), start=Q4.start, end=Q4.end))
    )
    assert list(got["store_id"]) == ["HZ01"]
    assert round(got.iloc[0]["nps"], 2) == 77.52


def test_store_sums_respect_region_and_store_filters(con):
    region = con.execute("SELECT region FROM stores WHERE store_id = 'HZ01'").fetchall()[0][0]
    expected = {
        r[0]
        for r in con.execute("SELECT store_id FROM stores WHERE region = ?", [region]).fetchall()
    }
    got = q.store_sums(con, Scope(regions=(region,), start=Q4.start, end=Q4.end))
    assert set(got["store_id"]) <= expected and "HZ01" in set(got["store_id"])
    assert got["region"].eq(region).all()
    none = q.store_sums(con, Scope(stores=("nope",), start=Q4.start, end=Q4.end))
    assert none.empty


def _weighted_month_target(con, month, stores=None):
    """Answer-weighted mean of the stores' targets in one month, from raw answers."""
    return con.execute(
        "SELECT sum(n * t) / sum(n) FROM (SELECT r.store_id, count(*) AS n,"
        " any_value(g.nps_target) AS t FROM responses r JOIN targets g"
        " ON g.store_id = r.store_id AND g.month = ?"
        " WHERE date_trunc('month', r.responded_at) = ? AND (? IS NULL OR list_contains(?, r.store_id))"
        " GROUP BY 1)",
        [month, month, stores, stores],
    ).fetchall()[0][0]


def test_nps_target_follows_the_one_rule_month_by_month(con):
    # the one rule (cx.targets.resolve_nps_target) per month, then the mean over the months
    months = [date(2025, 7, 1), date(2025, 8, 1), date(2025, 9, 1)]
    pair = ["HZ01", "HZ02"]
    flt = Scope(stores=tuple(pair), start=date(2025, 7, 1), end=date(2025, 9, 30))
    expected = sum(_weighted_month_target(con, m, pair) for m in months) / 3
    value, source = q.nps_target(con, flt)
    assert source == "stores" and value == pytest.approx(expected)
    con.execute(
        "INSERT INTO targets (store_id, month, nps_target) VALUES"
        " ('*', DATE '2025-07-01', 60), ('*', DATE '2025-08-01', 64), ('*', DATE '2025-12-01', 99)"
    )
    # both stores have their own rows: the default changes nothing for them
    assert q.nps_target(con, flt) == (pytest.approx(expected), "stores")
    # the network's own row wins where it is set (July, August), September is the stores' mean
    network = Scope(start=date(2025, 7, 1), end=date(2025, 9, 30))
    sep = _weighted_month_target(con, months[2])
    assert q.nps_target(con, network)[0] == pytest.approx((60 + 64 + sep) / 3)
    far = Scope(start=date(2030, 1, 1), end=date(2030, 3, 31))
    assert q.nps_target(con, far) == (None, "none")


def test_csi_target_from_metric_targets(con):
    assert q.csi_target(con) is None
    con.execute("INSERT INTO metric_targets (metric, store_id, target) VALUES ('csi', '*', 815)")
    assert q.csi_target(con) == 815.0


@pytest.mark.parametrize("places", [{}, {"regions": ("华东",)}, {"stores": ("HZ01", "nope")}])
def test_both_periods_read_together_equal_each_alone(con, places):
    """The quarter to date and the quarter before, summed per store in one read, are each
    exactly the frame of its own query (values, columns, types); periods that do not
    meet are read one by one, and a period without answers gives an empty frame."""
    cur = Scope(**places, start=date(2025, 10, 1), end=date(2025, 11, 15))
    prev = Scope(**places, start=date(2025, 7, 1), end=date(2025, 9, 30))
    apart = Scope(**places, start=date(2025, 4, 1), end=date(2025, 6, 30))
    empty = Scope(**places, start=date(2019, 1, 1), end=date(2019, 3, 31))
    later = Scope(**places, start=date(2019, 4, 1), end=date(2019, 5, 15))
    for a, b in ((cur, prev), (cur, apart), (later, empty)):
        got = q.store_sums_pair(con, a, b)
        for frame, alone in zip(got, (q.store_sums(con, a), q.store_sums(con, b)), strict=True):
            pd.testing.assert_frame_equal(frame, alone)
    assert len(q.store_sums_pair(con, cur, prev)[1]) > 0


def _layer_rows(spec: dict) -> list[tuple[dict, list[dict]]]:
    """Each layer of a built chart with the rows of its dataset."""
    return [(layer, spec["datasets"][layer["data"]["name"]]) for layer in spec["layer"]]


def test_a_network_of_2000_stores_draws_every_bubble_and_names_its_outliers():
    """At a network's 2,000 stores the map draws every bubble, and intervals, arrows and
    ids for the NAMED_MAX stores farthest from the crosshairs only (every whisker and
    arrow of 2,000 stores is a thicket, and placing their labels took 19 s)."""
    from cx.charts.quadrant import NAMED_MAX, bubble_chart

    def network(shift: int) -> pd.DataFrame:
        rows = []
        for i in range(2000):
            d, p = 5 + (i * 7 + shift) % 40, 5 + (i * 13) % 40
            rows.append(_sums_row(f"S{i:04d}", d, 10, p, means={"advisor": 6 + (i % 30) / 10}))
        rows.append(_sums_row("LOW0", 80, 0, 1, means={"advisor": 9.9}))  # NPS far below
        rows.append(_sums_row("MID0", 10, 0, 10, means={"advisor": 8.0}))  # on the crosshair
        return analysis.store_scores(pd.DataFrame(rows))

    now = network(0)
    nps_cut, csi_cut = float(now.loc[now["store_id"] == "MID0", "nps"].iloc[0]), 800.0
    scores = analysis.add_zones(now, nps_cut, csi_cut)
    moves = analysis.movements(scores, analysis.add_zones(network(3), nps_cut, csi_cut))
    spec = bubble_chart(scores, moves, nps_cut, csi_cut, "en").to_dict()
    layers = _layer_rows(spec)
    (bubbles,) = [r for lay, r in layers if lay["encoding"].get("size")]
    assert len(bubbles) == 2002
    whiskers = [r for lay, r in layers if lay["encoding"].get("y2", {}).get("field") == "nps_high"]
    (named,) = whiskers
    assert len(named) == NAMED_MAX
    drawn = {(r["csi"], r["nps"]) for r in named}
    at = scores.set_index("store_id")
    assert (at.loc["LOW0", "csi"], at.loc["LOW0", "nps"]) in drawn  # the outlier has its interval
    assert (at.loc["MID0", "csi"], at.loc["MID0", "nps"]) not in drawn  # on the crosshair: not
    arrows = [r for lay, r in layers if lay["encoding"].get("x2", {}).get("field") == "csi1"]
    assert arrows and all(len(r) <= NAMED_MAX for r in arrows)
    labelled = [row["store_id"] for lay, r in layers if lay["mark"]["type"] == "text"
                for row in r if "store_id" in row]  # fmt: skip
    assert 0 < len(labelled) <= NAMED_MAX and "MID0" not in labelled


def test_labels_that_fit_on_no_side_are_left_off_not_drawn_over_each_other():
    from cx.charts import label_sides

    # twelve stores on one small spot, one alone
    px = [100.0 + (i % 4) * 3 for i in range(12)] + [400.0]
    py = [200.0 + (i // 4) * 3 for i in range(12)] + [50.0]
    texts = [f"S{i:03d}" for i in range(13)]
    sides = label_sides(px, py, texts, order=list(range(13)), only_free=True)
    assert sides[12] == "top" and None in sides[:12] and any(sides[:12])

    def box(i):
        return _label_box(px[i], py[i], texts[i], sides[i])

    placed = [i for i in range(13) if sides[i]]
    points = [(x - 4, y - 4, x + 4, y + 4) for x, y in zip(px, py, strict=True)]
    for i in placed:
        for other in [box(j) for j in placed if j != i] + [
            p for k, p in enumerate(points) if k != i
        ]:
            a = box(i)
            assert min(a[2], other[2]) <= max(a[0], other[0]) or min(a[3], other[3]) <= max(
                a[1], other[1]
            )
    # not asked to place a label: left off
    assert label_sides(px, py, texts, order=[12], only_free=True)[:12] == [None] * 12


def test_the_zones_names_are_drawn_over_the_bubbles():
    """A store in Dream's corner hid the word "Dream" (the names were drawn under the
    bubbles); the names come after the bubbles, and the stores' ids after both."""
    spec = _two_stores_map()

    def drawing(field: str) -> list[int]:
        return [
            i
            for i, layer in enumerate(spec["layer"])
            if layer.get("encoding", {}).get("text", {}).get("field") == field
            or layer.get("encoding", {}).get("color", {}).get("field") == field
        ]

    bubbles, zones, ids = drawing("region"), drawing("name"), drawing("store_id")
    assert bubbles and zones and ids, [layer.get("encoding") for layer in spec["layer"]]
    assert max(bubbles) < min(zones) and max(zones) < min(ids)


def test_a_big_stores_id_is_drawn_clear_of_its_own_bubble():
    """A bubble is as big as its store's answers: the biggest's id had sat on it (HZ01 on
    the demo's map). Each id's offset clears its bubble's radius as the chart's own size
    scale draws it (area linear from 0 answers to the most, plus the 2 px ring)."""
    import math

    from cx.charts.quadrant import bubble_chart

    rows = [_sums_row("BIG1", 300, 200, 2500, means={"advisor": 8.5})]
    rows += [
        _sums_row(f"S{i:03d}", 2 + i % 5, 3, 5 + i % 7, means={"advisor": 6.0 + i / 10})
        for i in range(12)
    ]
    scores = analysis.add_zones(analysis.store_scores(pd.DataFrame(rows)), 50.0, 800.0)
    spec = bubble_chart(scores, analysis.movements(scores, scores), 50.0, 800.0, "en").to_dict()
    layers = _layer_rows(spec)
    ((bubble_layer, bubbles),) = [(lay, r) for lay, r in layers if lay["encoding"].get("size")]
    scale = bubble_layer["encoding"]["size"]["scale"]
    (d0, d1), (a0, a1) = scale["domain"], scale["range"]
    n = {r["store_id"]: r["n"] for r in bubbles}
    labelled = set()
    for lay, rows_ in layers:
        if lay["mark"]["type"] != "text" or not rows_ or "store_id" not in rows_[0]:
            continue
        offset = max(abs(lay["mark"].get("dx", 0)), abs(lay["mark"].get("dy", 0)))
        for row in rows_:
            area = a0 + (a1 - a0) * (n[row["store_id"]] - d0) / (d1 - d0)
            radius = math.sqrt(area / math.pi) + 1
            assert offset >= radius + 4, (row["store_id"], offset, radius)
            labelled.add(row["store_id"])
    assert "BIG1" in labelled and len(labelled) >= 5 and n["BIG1"] == 3000
