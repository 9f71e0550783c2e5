"""The metric registry: every definition on hand-computed inputs, directions, no-data, README table."""

from __future__ import annotations

import math

import pytest

from cx import i18n, metrics
from cx.enums import CSI_DIMS
from tests.support import month_row

ROW = month_row(
    n=10,
    d=2,
    pa=3,
    p=5,
    csat_n=8,
    csat_top2=6,
    ces_n=10,
    ces_sum=23.0,
    ces_low=4,
    ftf_n=10,
    ftf_yes=9,
    wait_n=12,
    wait_over120=3,
    wait_median=95.0,
    wait_p90=180.0,
    unresolved=1,
)


@pytest.mark.parametrize(
    ("key", "expected", "n"),
    [
        ("nps", 30.0, 10),  # (5 - 2) / 10 * 100
        ("promoters", 0.5, 10),
        ("detractors", 0.2, 10),
        ("csat", 0.75, 8),  # 6 of 8 answered 4-5: a share, not a mean
        ("ces", 2.3, 10),  # 23 / 10
        ("ces_easy", 0.4, 10),
        ("ftf", 0.9, 10),  # 9 of the 10 that say
        ("wait_median", 95.0, 12),
        ("wait_p90", 180.0, 12),
        ("wait_over_2h", 0.25, 12),  # 3 / 12
        ("repeat_fault", 0.1, 10),  # 1 unresolved of 10 answers
    ],
)
def test_each_definition_on_a_hand_computed_month(key, expected, n):
    value, got_n = metrics.value(key, ROW)
    assert value == pytest.approx(expected)
    assert got_n == n


def test_cji_is_the_weighted_mean_of_touchpoint_means_missing_ones_renormalised():
    # appointment mean 8 (weight .10), repair_quality mean 6 (weight .25), others absent:
    # (0.10 * 8 + 0.25 * 6) / 0.35 = 2.3 / 0.35
    row = month_row(
        tp_appointment_n=4,
        tp_appointment_sum=32.0,
        tp_repair_quality_n=5,
        tp_repair_quality_sum=30.0,
    )
    value, n = metrics.value("cji", row)
    assert value == pytest.approx(2.3 / 0.35)
    assert n == 5


def test_csi_is_on_a_1000_point_scale():
    # every dimension mean 8 except advisor 9 (weight .22): 100 * (0.78 * 8 + 0.22 * 9) = 822
    row = month_row()
    for dim in CSI_DIMS:
        mean = 9.0 if dim == "advisor" else 8.0
        row |= {f"csi_{dim}_n": 10, f"csi_{dim}_sum": 10 * mean}
    value, n = metrics.value("csi", row)
    assert value == pytest.approx(822.0)
    assert n == 10


@pytest.mark.parametrize("key", list(metrics.METRICS))
def test_no_answers_is_none_and_shown_as_no_data_never_zero(key):
    value, n = metrics.value(key, month_row())
    assert value is None
    assert n == 0
    assert metrics.value(key, None) == (None, 0)
    for lang in ("zh", "en"):
        no_data = i18n.t("fmt.no_data", lang)
        assert metrics.fmt(key, value, no_data=no_data) == no_data


def test_a_quantile_without_waiting_times_is_no_data_even_if_a_value_slipped_in():
    assert metrics.value("wait_median", month_row(wait_median=50.0))[0] is None
    assert metrics.value("wait_median", month_row(wait_n=3, wait_median=float("nan")))[0] is None


def test_nan_counts_from_a_missing_month_count_as_no_answers():
    row = month_row(n=math.nan, d=math.nan, pa=math.nan, p=math.nan)
    assert metrics.value("nps", row) == (None, 0)


def test_directions():
    lower = {k for k, m in metrics.METRICS.items() if not m.higher_is_better}
    assert lower == {"ces", "detractors", "wait_median", "wait_p90", "wait_over_2h", "repeat_fault"}


def test_default_targets_from_the_issue():
    t = {k: m.default_target for k, m in metrics.METRICS.items()}
    assert t["csat"] == 0.90
    assert t["ces"] == 2.0 and not metrics.get("ces").higher_is_better
    assert t["cji"] == 8.5
    assert t["ftf"] == 0.90
    assert t["wait_median"] == 120.0
    assert metrics.get("nps").target_from_store_targets and not metrics.get("nps").editable


def test_tests_per_metric():
    tests = {k: m.test for k, m in metrics.METRICS.items()}
    assert tests["nps"] == "nps"
    assert {tests[k] for k in ("csat", "promoters", "ftf", "wait_over_2h")} == {"proportion"}
    assert tests["ces"] == "mean"
    assert tests["wait_median"] == tests["wait_p90"] == "quantile"
    for m in metrics.METRICS.values():
        if m.test == "proportion":
            assert len(m.test_fields) == 2
        if m.test == "mean":
            assert len(m.test_fields) == 3


def test_every_metric_has_both_languages_and_a_layer():
    for m in metrics.METRICS.values():
        assert m.layer in metrics.LAYERS
        for lang in ("zh", "en"):
            assert m.label(lang) and m.formula(lang) and m.description(lang)
    assert [m.key for m in metrics.by_layer("outcome")] == ["nps", "promoters", "detractors"]


def test_formatting_and_display_units():
    assert metrics.fmt("csat", 0.9386) == "93.9%"
    assert metrics.fmt("ces", 1.95620) == "1.96"
    assert metrics.fmt("csi", 899.74) == "900"
    assert metrics.fmt("wait_median", 55.0) == "55"
    assert metrics.to_display("csat", 0.9) == pytest.approx(90.0)
    assert metrics.from_display("csat", 90.0) == pytest.approx(0.9)
    assert metrics.from_display("ces", 2.0) == 2.0
    assert metrics.fmt_target("ces", 2.0, "en") == "≤ 2.00"
    assert metrics.fmt_target("csat", 0.9, "en") == "≥ 90.0%"


def test_share_and_mean_var_guard_division_by_zero():
    assert metrics.share(3, 0) is None
    assert metrics.mean_var(0.0, 0.0, 0) == (None, None)
    assert metrics.mean_var(5.0, 25.0, 1) == (5.0, None)
    # values 1, 2, 3: mean 2, sample variance 1
    assert metrics.mean_var(6.0, 14.0, 3) == (pytest.approx(2.0), pytest.approx(1.0))


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_markdown_table_lists_every_metric_once(lang):
    table = metrics.markdown_table(lang)
    lines = table.strip().splitlines()
    header_cells = lines[0].count("|")
    assert set(lines[1]) <= {"|", "-"}
    assert len(lines) == 2 + len(metrics.METRICS)
    for line in lines:
        assert line.replace("\\|", "").count("|") == header_cells
    for key, m in metrics.METRICS.items():
        row = [ln for ln in lines if f"`{key}`" in ln]
        assert len(row) == 1
        assert m.label(lang) in row[0]
        assert m.formula(lang).replace("|", "\\|") in row[0]
    assert "2.00" in table and "90.0%" in table and "8.50" in table


def test_repeat_faults_without_pain_points_are_no_data_not_zero():
    """An export without a pain-point column: 'no data', never '0.0 % · on target'."""
    assert metrics.value("repeat_fault", month_row(n=10, d=2, pa=3, p=5, pain_n=0))[0] is None
