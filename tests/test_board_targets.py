"""cx.targets: monthly targets per store and the '*' default, milestones."""

from __future__ import annotations

from datetime import date

import pytest

from cx import db, targets


def test_parse_and_format_milestones():
    assert targets.parse_milestones("2: 74, 3: 76") == {2: 74.0, 3: 76.0}
    assert targets.parse_milestones("第2周：74；第3周=76.5") == {2: 74.0, 3: 76.5}
    assert targets.parse_milestones("week 4: 77") == {4: 77.0}
    assert targets.parse_milestones("") == {}
    assert targets.parse_milestones(None) == {}
    assert targets.format_milestones({3: 76.0, 2: 74.0}) == "2: 74, 3: 76"
    for bad in ("2 74", "9: 70", "2: 170", "x: 1"):
        with pytest.raises(ValueError):
            targets.parse_milestones(bad)


def test_milestone_dates_end_of_week_capped_at_month_end():
    got = targets.milestone_dates(date(2025, 2, 1), {2: 74, 5: 77})
    assert got == [(date(2025, 2, 14), 74), (date(2025, 2, 28), 77)]


def test_set_and_get_target_with_default(con):
    nov = date(2025, 11, 1)
    assert targets.get_target(con, "HZ01", nov) is None
    v0 = db.data_version(con)
    targets.set_target(con, "*", nov, 70)
    assert db.data_version(con) == v0 + 1
    got = targets.get_target(con, "HZ01", date(2025, 11, 15))
    assert got["nps_target"] == 70 and got["is_default"]
    targets.set_target(con, "HZ01", nov, 80, {2: 76, 3: 78}, user="boss")
    got = targets.get_target(con, "HZ01", nov)
    assert got == {
        "store_id": "HZ01",
        "nps_target": 80.0,
        "milestones": {2: 76.0, 3: 78.0},
        "is_default": False,
    }
    row = con.execute(
        "SELECT updated_by, milestones FROM targets WHERE store_id = 'HZ01' AND month = ?", [nov]
    ).fetchall()[0]
    assert row[0] == "boss" and '"2": 76' in row[1]
    # saving again replaces (one row per store and month)
    targets.set_target(con, "HZ01", nov, 81)
    assert con.execute(
        "SELECT count(*), max(nps_target) FROM targets WHERE store_id = 'HZ01' AND month = ?", [nov]
    ).fetchall()[0] == (1, 81.0)
    assert targets.get_target(con, "*", nov)["is_default"] is False


def test_set_target_rejects_out_of_range(con):
    with pytest.raises(ValueError):
        targets.set_target(con, "HZ01", date(2025, 11, 1), 120)
    with pytest.raises(ValueError):
        targets.set_target(con, "", date(2025, 11, 1), 50)
