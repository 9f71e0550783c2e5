"""How the app's tables show their figures (cx.ui.same_decimals): every column of fractions
with the decimals of its most precise value, so 51.0 stands beside 50.3, not 51."""

from __future__ import annotations

import math

import pandas as pd

from cx.ui import same_decimals


def _formats(frame: pd.DataFrame) -> dict[str, str]:
    return {c: cfg["type_config"]["format"] for c, cfg in same_decimals(frame).items()}


def test_each_column_of_fractions_gets_its_own_decimals():
    frame = pd.DataFrame(
        {
            "nps": [51.0, 50.3, -12.5],  # one decimal
            "performance": [8.5, 8.25, math.nan],  # two, a gap aside
            "count": [3, 4, 5],  # whole numbers: as they are
            "whole": [72.0, 74.0, 76.0],  # floats without fractions: as they are
            "p_value": [0.6970254, 0.0001234, 0.05],  # finer than three: as they are
            "name": ["a", "b", "c"],
        }
    )
    assert _formats(frame) == {"nps": "%.1f", "performance": "%.2f"}


def test_an_empty_or_all_missing_column_is_left_alone():
    assert same_decimals(pd.DataFrame({"nps": [math.nan, math.nan]})) == {}
    assert same_decimals(pd.DataFrame({"nps": pd.Series([], dtype=float)})) == {}
