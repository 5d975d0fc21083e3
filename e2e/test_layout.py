"""The list pages' layout in headless Chromium: the filter panel holds its controls (issue 16, item 7).

Seen at 1280 px: the panel's inputs and selects ran past its right edge, because a select sizes itself
to its longest option (a venue such as "Journal of Computer Research and Development (计算机研究与发展)")
and the form's grid track grew with it. Every list page, in both languages, at a desktop and a phone
width: each visible input, select, textarea and button of the filter panel lies inside the panel, the
panel does not scroll sideways, and the page has no horizontal overflow. /results/ has no filter panel;
it is checked for overflow only.

Contributors' names can be awkward (issue 16, "Bad input"): an organisation named in Arabic with a
right-to-left override and zero-width characters and a long unbroken run, a person likewise, and a
paper whose title mixes scripts around a 300-character unbroken string are put in the stack's
database; their list and detail pages must not overflow either, at either width.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser

from .stack import Stack
from .test_browser import SCREENSHOTS, Watch, launched_chromium

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
    with launched_chromium() as chromium:
        yield chromium


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


LONG_RUN = "Supercalifragilisticexpialidocious" * 9  # 306 characters, no break opportunity
AWKWARD = {
    "organization": "مختبر التعلم العميق \u202eLab\u200b\u200d" + LONG_RUN[:150],
    "person": "\u202bعلي\u200f Wang\u200c王\ufeff" + LONG_RUN[:120],
    "paper": "深度学习 Глубокое обучение αβ " + LONG_RUN,
}
# Run by `manage.py shell` in the stack's database: the three items, published, the person the
# paper's author at the organisation. Saving them moves the page cache's version on (signals).
CREATE_AWKWARD = f"""
from community.models import Authorship, ModerationStatus, Organization, Paper, Person
P = ModerationStatus.PUBLISHED
org = Organization.objects.create(name={AWKWARD["organization"]!r}, slug="e2e-awkward-lab", kind="research_lab", status=P)
person = Person.objects.create(name={AWKWARD["person"]!r}, slug="e2e-awkward-person", affiliation=org, status=P)
paper = Paper.objects.create(title={AWKWARD["paper"]!r}, slug="e2e-awkward-paper", year=2030, status=P)
Authorship.objects.create(paper=paper, person=person, position=0)
"""
# Each page, and the names it shows (each must be inside a <bdi>); newest first, so the items are on
# the lists' first page (the new paper is the latest by year anyway).
AWKWARD_PAGES = {
    "/organizations/?ordering=-added": ["organization"],
    "/organizations/e2e-awkward-lab/": ["organization"],
    "/people/?ordering=-added": ["person", "organization"],
    "/people/e2e-awkward-person/": ["person"],
    "/papers/": ["paper", "person"],
    "/papers/e2e-awkward-paper/": ["paper"],
}


@pytest.mark.timeout(180)
def test_awkward_names_neither_overflow_nor_leak_their_direction(stack: Stack, layout_browser):
    stack.manage("shell", "-c", CREATE_AWKWARD)
    problems: list[str] = []
    for viewport, size in VIEWPORTS.items():
        context = layout_browser.new_context(
            base_url=stack.base_url, locale="en-US", timezone_id="UTC", viewport=size
        )
        context.set_default_navigation_timeout(30_000)
        watch = Watch()
        watch.attach(context)
        try:
            page = context.new_page()
            for language, prefix in LANGUAGES.items():
                for path in AWKWARD_PAGES:
                    url = prefix + path
                    response = page.goto(url)
                    assert response is not None and response.status == 200, (
                        f"{url}: {response and response.status}"
                    )
                    measured = page.evaluate(MEASURE)
                    problems += _problems(url, measured, has_panel=path.count("/") == 2)
                    # Each awkward name is on the page inside a <bdi> (isolated: its direction stays inside).
                    isolated = page.evaluate(
                        "() => [...document.querySelectorAll('bdi')].map((el) => el.textContent)"
                    )
                    for kind in AWKWARD_PAGES[path]:
                        if AWKWARD[kind] not in isolated:
                            problems.append(f"{url}: the {kind}'s name is not shown inside a <bdi>")
                    if path.endswith("e2e-awkward-paper/"):
                        page.screenshot(
                            path=str(SCREENSHOTS / f"layout-{viewport}-{language}-awkward-paper.png"),
                            full_page=True,
                        )
        finally:
            context.close()
        watch.assert_clean()
    assert problems == [], "layout problems:\n" + "\n".join(problems)
