"""Regenerate the README's metric section from the registry (``cx.metrics``).

.venv/bin/python docs/readme_metrics.py        # rewrite README.md in place
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

START, END = "<!-- metrics:start -->", "<!-- metrics:end -->"


def block() -> str:
    """The generated section: the overview's metrics and the other pages' numbers in
    English, then the same two tables in Chinese."""
    from cx import metrics

    return (
        f"{START}\n"
        "Generated from `cx/metrics.py` (`.venv/bin/python docs/readme_metrics.py`); a test\n"
        "fails when this section and the registry disagree.\n\n"
        f"{metrics.markdown_table('en').strip()}\n\n"
        "Numbers on the other pages (board, segments, quadrant, heatmap, planner):\n\n"
        f"{metrics.pages_table('en').strip()}\n\n"
        "中文：\n\n"
        f"{metrics.markdown_table('zh').strip()}\n\n"
        "其他页面上的数字（看板、细分、象限、热力图、规划）：\n\n"
        f"{metrics.pages_table('zh').strip()}\n"
        f"{END}"
    )


def current(text: str) -> str:
    """The section as it stands in ``text``."""
    return text[text.index(START) : text.index(END) + len(END)]


if __name__ == "__main__":
    readme = ROOT / "README.md"
    text = readme.read_text(encoding="utf-8")
    readme.write_text(text.replace(current(text), block()), encoding="utf-8")
    print("README metric section regenerated")
