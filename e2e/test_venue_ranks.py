"""Ranks, the rank and field filters and a venue's acceptance-rate chart in headless Chromium, in both
languages (issue 15, "Done when").

The data is the project's own deadline snapshot (community/seed/deadlines/), which the stack's
`load_seed_data` imports: SIGIR is CCF A and CORE A*, in the CCF field DB, with acceptance rates for
2023 (165 of 822) and 2024 (160 of 791), each with its source.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

from .stack import Stack
from .test_browser import SCREENSHOTS, Watch, launched_chromium

# What each language's page says (the compiled catalogue's words, not this change's new ones).
WORDS = {
    "en": {
        "prefix": "",
        "ccf": "CCF rank",
        "core": "CORE rank",
        "field": "DB · Databases",
        "rates": "Acceptance rates",
    },
    "zh-hans": {
        "prefix": "/zh-hans",
        "ccf": "CCF 等级",
        "core": "CORE 等级",
        "field": "DB · ",
        "rates": "录用率",
    },
}


@pytest.fixture(scope="module")
def ranks_browser() -> Iterator[Browser]:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    with launched_chromium() as chromium:
        yield chromium


def _results(page: Page) -> list[str]:
    return [name.strip() for name in page.locator("ol.item-list > li.item .item-title").all_inner_texts()]


@pytest.mark.timeout(120)
@pytest.mark.parametrize("language", WORDS)
def test_rank_filters_ranks_and_the_acceptance_rate_chart(stack: Stack, ranks_browser: Browser, language):
    words = WORDS[language]
    context = ranks_browser.new_context(
        base_url=stack.base_url, locale="en-US", timezone_id="UTC", viewport={"width": 1280, "height": 900}
    )
    context.set_default_timeout(20_000)
    context.set_default_navigation_timeout(30_000)
    watch = Watch()
    watch.attach(context)
    try:
        page = context.new_page()
        page.goto(f"{words['prefix']}/venues/")
        expect(page.locator("html")).to_have_attribute("lang", re.compile(f"^{language}$", re.IGNORECASE))
        panel = page.locator("aside.filters")
        for name, label in (("ccf_rank", words["ccf"]), ("core_rank", words["core"]), ("field", None)):
            select = panel.locator(f'select[name="{name}"]')
            expect(select).to_be_visible()
            if label:
                expect(panel.locator(f'label[for="{select.get_attribute("id")}"]')).to_have_text(label)
        # The field list names each CCF code in the page's language.
        fields = panel.locator('select[name="field"] option').all_inner_texts()
        assert any(text.startswith(words["field"]) and len(text) > 6 for text in fields), fields
        everything = _results(page)

        # CCF A: fewer venues, each showing its CCF rank A; SIGIR among them.
        panel.locator('select[name="ccf_rank"]').select_option("A")
        panel.locator("button[type=submit]").click()
        expect(page).to_have_url(re.compile(r"[?&]ccf_rank=A(&|$)"))
        ranked = _results(page)
        assert "SIGIR" in ranked and 0 < len(ranked) < len(everything), (ranked, everything)
        ranks = page.locator("ol.item-list > li.item .rank-ccf").all_inner_texts()
        assert len(ranks) == len(ranked) and all(r == f"{words['ccf']} A" for r in ranks), ranks
        # The field narrows it further: DB is SIGIR alone in the snapshot's CCF A venues.
        panel.locator('select[name="field"]').select_option("DB")
        panel.locator("button[type=submit]").click()
        expect(page).to_have_url(re.compile(r"[?&]field=DB(&|$)"))
        assert _results(page) == ["SIGIR"]
        page.screenshot(path=str(SCREENSHOTS / f"venues-ranked-{language}.png"), full_page=True)

        # The venue page: its ranks, and the acceptance rate by year drawn with each figure's source.
        page.locator("ol.item-list").get_by_role("link", name="SIGIR", exact=True).click()
        expect(page).to_have_url(
            re.compile(rf"^{re.escape(stack.base_url)}{words['prefix']}/venues/[\w-]+/$")
        )
        expect(page.locator("dd.rank-ccf")).to_have_text("A")
        expect(page.locator("dd.rank-core")).to_have_text("A*")
        expect(page.locator("#related-acceptance-rates")).to_have_text(words["rates"])
        chart = page.locator("figure.chart-figure svg.rate-chart")
        expect(chart).to_be_visible()
        points = chart.locator("circle")
        expect(points).to_have_count(2)
        assert [points.nth(i).get_attribute("data-year") for i in range(2)] == ["2023", "2024"]
        box = points.nth(0).bounding_box()
        assert box is not None and box["width"] > 0 and box["height"] > 0
        titles = chart.locator("circle > title").all_text_contents()
        assert "20.1%" in titles[0] and "165" in titles[0] and "822" in titles[0], titles
        assert "https://dl.acm.org/" in titles[1], titles  # 2024's source
        expect(chart.locator("path.rate-line")).to_have_attribute(
            "d", re.compile(r"^M[\d.]+,[\d.]+L[\d.]+,[\d.]+$")
        )
        page.screenshot(path=str(SCREENSHOTS / f"venue-rate-chart-{language}.png"), full_page=True)
    finally:
        context.close()
    watch.assert_clean()
