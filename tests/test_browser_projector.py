"""A trainer's class on a projector, in a real browser at 1920x1080: the bookmarkable
projector view shows the odds, the best plan and the Gantt on the first screen, every
text there at least 24 px, and no console warnings. Helpers: tests/browser_support.py."""

from __future__ import annotations

from browser_support import PROJECTOR, open_page, require_chromium

from cx.i18n import t

require_chromium()

SMALL_TEXT_JS = """() => {
  const out = [];
  const main = document.querySelector("[data-testid='stMain']");
  for (const el of main.querySelectorAll("*")) {
    const own = [...el.childNodes].some(n => n.nodeType === 3 && n.textContent.trim());
    if (!own) continue;
    const r = el.getBoundingClientRect();
    if (r.width === 0 || r.bottom <= 0 || r.top >= window.innerHeight) continue;
    const size = parseFloat(getComputedStyle(el).fontSize) * (el.currentCSSZoom || 1);
    if (size < 23.5) out.push(`${size.toFixed(1)}px ${el.textContent.trim().slice(0, 40)}`);
  }
  return out;
}"""


def test_projector_view_one_screen_large_text(server, browser):
    page, console = open_page(browser, f"{server}/planner?view=projector&lang=zh", PROJECTOR)
    assert page.locator("[data-testid='stSidebar']").is_hidden()
    height = PROJECTOR["height"]
    odds = page.get_by_text("达标概率").first
    best = page.get_by_text("内提升最大").first  # the best plan within budget
    apply = page.get_by_role("button", name=t("plan.apply", "zh")).first
    gantt = page.locator("[data-testid='stVegaLiteChart']").first
    for what, loc in (("odds", odds), ("best plan", best), ("apply", apply), ("Gantt", gantt)):
        box = loc.bounding_box()
        assert box and box["y"] >= 0 and box["y"] + box["height"] <= height, (what, box)
    small = page.evaluate(SMALL_TEXT_JS)
    assert not small, small
    assert "view=projector" in page.url
    assert not [x for x in console.lines if "_stcore/" not in x and "404" not in x]
    page.close()
