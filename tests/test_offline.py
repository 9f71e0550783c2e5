"""The app sends nothing to any host but its own: settings and code checked."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def test_usage_stats_off_and_upload_limit_set():
    cfg = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert cfg["browser"]["gatherUsageStats"] is False
    assert cfg["server"]["maxUploadSize"] >= 200


def test_no_external_urls_in_app_code():
    url = re.compile(r"https?://(?!localhost|127\.0\.0\.1)[\w.-]+")
    offenders = []
    for path in [ROOT / "app.py", *ROOT.glob("pages/*.py"), *ROOT.glob("cx/**/*.py")]:
        text = path.read_text(encoding="utf-8")
        # an nginx upstream declared in the same file is the app's own processes
        upstreams = set(re.findall(r"upstream\s+(\w+)\s*\{", text))
        for hit in url.findall(text):
            if hit.split("://", 1)[1] not in upstreams:
                offenders.append(f"{path.relative_to(ROOT)}: {hit}")
    assert not offenders, offenders


def test_mask_and_neutralise():
    import pandas as pd

    from cx import export, privacy

    frame = pd.DataFrame({"phone": ["13800138000"], "comment": ["=HYPERLINK(1)"], "n": [1]})
    masked = privacy.mask_frame(frame, allowed=False)
    assert masked["phone"][0] == "138****8000"
    out = export.to_csv_bytes(masked).decode("utf-8-sig")
    assert "'=HYPERLINK(1)" in out
    for bad in ["+1+cmd|' /C calc'!A0", "-2+3", "-2.6 (within noise)", "@x", "\tcmd", "=1"]:
        assert export.neutralise_value(bad) == "'" + bad
    for number in ["+2.1", "-1.4", "+5%", "-2"]:  # a signed number is a number, no quote
        assert export.neutralise_value(number) == number
    assert export.neutralise_value(-2) == -2


@pytest.mark.parametrize("reader", ["csv", "pandas"])
def test_a_carriage_return_in_a_cell_cannot_start_a_row_with_a_formula(reader):
    """'等了很久\\r=cmd|…' was written unquoted: a reader (Excel, Python's csv, pandas)
    starts a new row at a bare CR, and that row's first cell was the formula, past the
    quote that neutralises a cell's start. Every cell comes back whole, as it was given,
    and no cell read back starts a formula."""
    import csv
    import io

    import pandas as pd

    from cx import export

    cells = ["等了很久\r=cmd|' /C calc'!A0", "宁波鄞州\r@SUM(1)", "two\r\nlines", "\r=3+3", "ok"]
    frame = pd.DataFrame({"comment": cells, "store": ["S1", "S2", "S3", "S4", "S5"]})
    text = export.to_csv_bytes(frame).decode("utf-8-sig")
    if reader == "csv":
        rows = list(csv.reader(io.StringIO(text, newline="")))
    else:
        back = pd.read_csv(io.StringIO(text, newline=""), dtype=str, keep_default_na=False)
        rows = [list(back.columns), *back.values.tolist()]
    assert rows[0] == ["comment", "store"]
    assert [r[1] for r in rows[1:]] == ["S1", "S2", "S3", "S4", "S5"]  # five rows, no more
    assert [r[0] for r in rows[1:]] == [*cells[:3], "'" + cells[3], "ok"]
    assert not any(c.startswith(export.DANGEROUS_START) for r in rows for c in r)
