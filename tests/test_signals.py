"""cx.signals: the exact tests and the false-discovery control behind the gaming review
and the drop alerts, checked by hand and against brute force."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pandas as pd
import pytest

from cx import signals, stats


def _fisher_brute(x1, n1, x2, n2):
    """P(X >= x1) by enumerating every way to place x1 + x2 hits among n1 + n2 answers."""
    total = n1 + n2
    k = x1 + x2
    hits = 0
    count = 0
    for chosen in itertools.combinations(range(total), k):
        count += 1
        hits += sum(1 for i in chosen if i < n1) >= x1
    return hits / count


@pytest.mark.parametrize(
    "case", [(3, 5, 1, 6), (0, 4, 2, 5), (4, 4, 0, 6), (2, 6, 2, 4), (5, 7, 1, 3)]
)
def test_fisher_greater_equals_brute_force(case):
    assert signals.fisher_greater(*case) == pytest.approx(_fisher_brute(*case), rel=1e-9)


def test_fisher_greater_edges():
    assert signals.fisher_greater(0, 10, 0, 10) == pytest.approx(1.0)
    assert signals.fisher_greater(1, 0, 3, 10) == 1.0  # nothing to test
    # 9 of 10 fast against 0 of 100 in the rest of the store: very unlikely by chance
    assert signals.fisher_greater(9, 10, 0, 100) < 1e-9


def _fisher_exact(x1, n1, x2, n2):
    """The same tail as an exact ratio of integer binomials (no logarithms)."""
    k_tot, big_n = x1 + x2, n1 + n2
    tail = sum(math.comb(k_tot, k) * math.comb(big_n - k_tot, n1 - k) for k in range(x1, n1 + 1))
    return tail / math.comb(big_n, n1)


def test_many_tests_at_once_equal_each_exact_tail(monkeypatch):
    """A network's tests go through one vectorised call, in batches that bound memory:
    each p equals the exact integer tail, whatever the batch boundaries."""
    rng = np.random.default_rng(7)
    n1 = rng.integers(0, 400, 300)
    n2 = rng.integers(0, 3000, 300)
    x1 = (n1 * rng.random(300)).astype(int)
    x2 = (n2 * rng.random(300)).astype(int)
    want = [_fisher_exact(*c) if c[1] and c[3] else 1.0 for c in zip(x1, n1, x2, n2, strict=True)]
    for batch in (1_000_000, 50, 1):  # one batch; many; one test per batch
        monkeypatch.setattr(signals, "_TERMS_PER_BATCH", batch)
        got = signals.fisher_greater_many(x1, n1, x2, n2)
        assert got.tolist() == pytest.approx(want, rel=1e-9, abs=1e-300)
    assert signals.fisher_greater_many([], [], [], []).size == 0


def test_benjamini_hochberg_by_hand():
    p = [0.01, 0.04, 0.03, 0.005, 0.2]
    # sorted: 0.005 0.01 0.03 0.04 0.2; k q / m at q 0.05: .01 .02 .03 .04 .05
    # largest k with p_(k) <= k q / m is k = 4 (0.04 <= 0.04): the four smallest rejected
    reject, q = signals.benjamini_hochberg(p, 0.05)
    assert reject.tolist() == [True, True, True, True, False]
    # q-values: p m / k from the largest down, running minimum: .025 .025 .05 .05 .2
    assert q.tolist() == pytest.approx([0.025, 0.05, 0.05, 0.025, 0.2])
    reject, _ = signals.benjamini_hochberg(p, 0.01)
    assert reject.tolist() == [False, False, False, False, False]
    assert signals.benjamini_hochberg([], 0.05)[0].size == 0


def _advisors(rows):
    cols = ["store_id", "advisor", "n", "dur_n", "fast", "tens", "silent", "key_n", "rep"]
    return pd.DataFrame(rows, columns=cols)


EMPTY_STORE = pd.DataFrame(
    columns=["store_id", "n", "dur_n", "fast", "tens", "silent", "key_n", "rep"]
)
EMPTY_ME = pd.DataFrame(columns=["store_id", "me_n", "me_tens", "rest_n", "rest_tens"])


def test_excellent_advisor_is_not_flagged_but_fast_answers_are():
    adv = _advisors(
        [
            # a star: 95 % tens, answered at a normal pace, commented like everyone else
            ("S1", "star", 80, 80, 0, 76, 6, 80, 2),
            ("S1", "b", 80, 80, 0, 28, 2, 80, 2),
            ("S1", "c", 80, 80, 0, 26, 2, 80, 3),
            # a gamer at another store: most answers in under 20 seconds
            ("S2", "quick", 60, 60, 50, 57, 5, 60, 1),
            ("S2", "d", 90, 90, 0, 30, 3, 90, 2),
            ("S2", "e", 90, 90, 1, 31, 3, 90, 1),
        ]
    )
    out = signals.review(signals.gaming_tests(adv, EMPTY_STORE, EMPTY_STORE, EMPTY_ME))
    flags = signals.gaming_flags(out)
    assert [(f["store_id"], f["advisor"]) for f in flags] == [("S2", "quick")]
    assert flags[0]["signals"][0]["signal"] == "fast"
    assert flags[0]["signals"][0]["rate"] == pytest.approx(50 / 60)
    assert flags[0]["signals"][0]["ref_rate"] == pytest.approx(1 / 180)
    # the star was tested (silent tens are at the store's rate) and not flagged
    star = out[out["advisor"] == "star"]
    assert not star["flag"].any()


def test_month_end_spike_and_store_flag_folded_into_its_advisor():
    adv = _advisors(
        [("S1", "quick", 60, 60, 50, 57, 5, 60, 1), ("S1", "b", 200, 200, 0, 60, 6, 200, 4)]
    )
    now = pd.DataFrame(
        [("S1", 260, 260, 50, 117, 11, 260, 5), ("S2", 300, 300, 0, 90, 9, 300, 6)],
        columns=EMPTY_STORE.columns,
    )
    before = pd.DataFrame(
        [("S1", 800, 800, 0, 250, 25, 800, 16), ("S2", 900, 900, 0, 270, 27, 900, 18)],
        columns=EMPTY_STORE.columns,
    )
    me = pd.DataFrame(
        [("S1", 90, 30, 800, 260), ("S2", 90, 70, 800, 250)], columns=EMPTY_ME.columns
    )
    out = signals.review(signals.gaming_tests(adv, now, before, me))
    # S1 as a store is fast too, but that is the same answers as its advisor's
    assert out[(out["store_id"] == "S1") & (out["signal"] == "fast")]["flag"].all()
    flags = signals.gaming_flags(out)
    got = sorted(
        (f["store_id"], f["advisor"] or "", [x["signal"] for x in f["signals"]]) for f in flags
    )
    assert got == [("S1", "quick", ["fast"]), ("S2", "", ["month_end"])]


def test_drop_tests_one_sided_and_controlled():
    # S1 falls from NPS 40 to -10 on 100 answers; S2 rises; S3 has too few answers now
    now = pd.DataFrame(
        [("S1", 45, 20, 35), ("S2", 5, 20, 75), ("S3", 2, 1, 5)],
        columns=["store_id", "d", "pa", "p"],
    )
    before = pd.DataFrame(
        [("S1", 80, 80, 240), ("S2", 80, 80, 240), ("S3", 80, 80, 240)],
        columns=["store_id", "d", "pa", "p"],
    )
    out = signals.drop_tests(now, before).set_index("store_id")
    diff, z, _ = stats.nps_diff_test((45, 20, 35), (80, 80, 240))
    assert out.loc["S1", "change"] == pytest.approx(diff)
    p_one = 0.5 * math.erfc(-z / math.sqrt(2))  # P(Z <= z)
    assert out.loc["S1", "p"] == pytest.approx(p_one)
    assert bool(out.loc["S1", "flag"]) and not bool(out.loc["S2", "flag"])
    assert not bool(out.loc["S3", "tested"]) and not bool(out.loc["S3", "flag"])
    # the rise is tested and far from a drop
    assert out.loc["S2", "p"] > 0.99


def test_a_certain_rise_is_no_evidence_of_a_fall():
    # S9 went from all detractors to all promoters (SE 0): its one-sided p for a fall is 1,
    # so it neither counts as a discovery nor makes the others' q-values smaller
    rows = [("S1", 45, 20, 35), ("S9", 0, 0, 40)] + [(f"T{i}", 30, 30, 40) for i in range(8)]
    now = pd.DataFrame(rows, columns=["store_id", "d", "pa", "p"])
    before = pd.DataFrame(
        [("S1", 80, 80, 240), ("S9", 40, 0, 0)] + [(f"T{i}", 120, 120, 160) for i in range(8)],
        columns=["store_id", "d", "pa", "p"],
    )
    out = signals.drop_tests(now, before).set_index("store_id")
    assert out.loc["S9", "p"] == 1.0 and not out.loc["S9", "flag"]
    without = signals.drop_tests(now[now.store_id != "S9"], before).set_index("store_id")
    tested = without.index[without["tested"]]
    m = len(tested) + 1
    # with S9's p of 1 added, S1's q-value is its p times m over its rank (1)
    assert out.loc["S1", "q_value"] == pytest.approx(min(1.0, out.loc["S1", "p"] * m))
