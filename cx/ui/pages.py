"""The page registry: which files in ``pages/`` the navigation shows, in which section.

A page appears only when its file exists, so the navigation never shows an empty
placeholder, and only to a person holding the capability it needs (:mod:`cx.access`).
"""

from __future__ import annotations

from pathlib import Path

from cx.access import Person

ROOT = Path(__file__).resolve().parent.parent.parent

# (section text key, file, title text key, icon, url path)
PAGES: list[tuple[str, str, str, str, str]] = [
    ("app.section.daily", "pages/board.py", "page.board", ":material/today:", "board"),
    ("app.section.daily", "pages/overview.py", "page.overview", ":material/speed:", "overview"),
    (
        "app.section.analysis",
        "pages/segments.py",
        "page.segments",
        ":material/stacked_bar_chart:",
        "segments",
    ),
    (
        "app.section.analysis",
        "pages/quadrant.py",
        "page.quadrant",
        ":material/scatter_plot:",
        "quadrant",
    ),
    ("app.section.analysis", "pages/heatmap.py", "page.heatmap", ":material/grid_on:", "heatmap"),
    ("app.section.plan", "pages/planner.py", "page.planner", ":material/tune:", "planner"),
    ("app.section.data", "pages/upload.py", "page.upload", ":material/upload_file:", "upload"),
    ("app.section.data", "pages/data.py", "page.data", ":material/database:", "data"),
    ("app.section.data", "pages/access.py", "page.access", ":material/group:", "access"),
]

# The capability a page needs (every other page needs "data.read").
NEEDS: dict[str, str] = {
    "pages/upload.py": "upload",
    "pages/data.py": "audit.view",
    "pages/access.py": "access.manage",
}


def needs(path: str) -> str:
    """The capability the page file ``path`` needs."""
    return NEEDS.get(path, "data.read")


def available(person: Person | None = None) -> list[tuple[str, str, str, str, str]]:
    """The registered pages whose files exist (and that ``person`` may open)."""
    return [
        p for p in PAGES if (ROOT / p[1]).exists() and (person is None or person.can(needs(p[1])))
    ]
