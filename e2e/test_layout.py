"""The list pages' layout in headless Chromium: the filter panel holds its controls (issue 16, item 7).

Seen at 1280 px: the panel's inputs and selects ran past its right edge, because a select sizes itself
to its longest option (a venue such as "Journal of Computer Research and Development (计算机研究与发展)")
and the form's grid track grew with it. Every list page, in both languages, at a desktop and a phone
width: each visible input, select, textarea and button of the filter panel lies inside the panel, the
panel does not scroll sideways, and the page has no horizontal overflow. /results/ has no filter panel;
it is checked for overflow only.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, sync_playwright

from .stack import Stack
from .test_browser import CHROMIUM, LAUNCH_ARGS, SCREENSHOTS, Watch

# community/urls.py's list views, then training's results page (mounted at /results/).
FILTERED_LISTS = [
    "/papers/",
    "/projects/",
    "/people/",
    "/organizations/",
    "/venues/",
    "/jobs/",
    "/funding/",
    "/channels/",
    "/guides/",
    "/topics/",
    "/deadlines/",
]
UNFILTERED_LISTS = ["/results/"]
LANGUAGES = {"en": "", "zh-hans": "/zh-hans"}
VIEWPORTS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}
TOLERANCE_PX = 0.5  # sub-pixel rounding of bounding boxes

# Bounding boxes of the panel and of every visible control in it, and whether anything is wider than
# its box (the panel scrolled sideways, or the page itself).
MEASURE = """
() => {
  const box = (el) => { const r = el.getBoundingClientRect(); return {left: r.left, right: r.right, width: r.width, height: r.height}; };
  const root = document.documentElement;
  const page = {scrollWidth: root.scrollWidth, clientWidth: root.clientWidth};
  const panel = document.querySelector("aside.filters");
  if (!panel) return {page, panel: null, controls: []};
  const controls = [...panel.querySelectorAll("input, select, textarea, button")]
    .filter((el) => el.type !== "hidden")
    .map((el) => ({name: el.name || el.type || el.tagName, ...box(el)}));
  return {page, panel: {...box(panel), scrollWidth: panel.scrollWidth, clientWidth: panel.clientWidth}, controls};
}
"""


@pytest.fixture(scope="module")
def layout_browser() -> Iterator[Browser]:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=LAUNCH_ARGS, timeout=30_000
        )
        try:
            yield chromium
        finally:
            chromium.close()


def _problems(path: str, measured: dict, *, has_panel: bool) -> list[str]:
    found = []
    page = measured["page"]
    if page["scrollWidth"] > page["clientWidth"]:
        found.append(
            f"{path}: the page is {page['scrollWidth']} px wide in a {page['clientWidth']} px window"
        )
    panel = measured["panel"]
    if not has_panel:
        return found
    if panel is None:
        return [*found, f"{path}: no filter panel (aside.filters)"]
    if not measured["controls"]:
        found.append(f"{path}: the filter panel has no controls")
    if panel["scrollWidth"] > panel["clientWidth"]:
        found.append(
            f"{path}: the filter panel scrolls sideways ({panel['scrollWidth']} > {panel['clientWidth']} px)"
        )
    for control in measured["controls"]:
        if control["width"] == 0 or control["height"] == 0:
            continue  # not rendered
        if control["left"] < panel["left"] - TOLERANCE_PX or control["right"] > panel["right"] + TOLERANCE_PX:
            found.append(
                f"{path}: {control['name']} spans {control['left']:.1f}-{control['right']:.1f} px, "
                f"outside the panel's {panel['left']:.1f}-{panel['right']:.1f} px"
            )
    return found


@pytest.mark.timeout(240)
@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_every_list_page_keeps_its_filter_controls_inside_the_panel(stack: Stack, layout_browser, viewport):
    context = layout_browser.new_context(
        base_url=stack.base_url, locale="en-US", timezone_id="UTC", viewport=VIEWPORTS[viewport]
    )
    context.set_default_navigation_timeout(30_000)
    watch = Watch()
    watch.attach(context)
    problems: list[str] = []
    try:
        page = context.new_page()
        for language, prefix in LANGUAGES.items():
            for path in FILTERED_LISTS + UNFILTERED_LISTS:
                url = prefix + path
                response = page.goto(url)
                assert response is not None and response.status == 200, (
                    f"{url}: {response and response.status}"
                )
                expected_lang = "zh-hans" if language == "zh-hans" else "en"
                assert page.locator("html").get_attribute("lang").lower() == expected_lang, url
                problems += _problems(url, page.evaluate(MEASURE), has_panel=path in FILTERED_LISTS)
                # The page with the widest options (venue names), for a human to look at.
                if path == "/papers/":
                    page.screenshot(
                        path=str(SCREENSHOTS / f"layout-{viewport}-{language}-papers.png"), full_page=True
                    )
    finally:
        context.close()
    assert problems == [], "layout problems:\n" + "\n".join(problems)
    watch.assert_clean()
