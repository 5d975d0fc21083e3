"""The portal in headless Chromium (the machine's /usr/bin/chromium; Playwright never downloads one).

A newcomer browses, searches, signs up, confirms the address from the mail, submits a paper that a
moderator approves; an admin starts a reference sweep from the admin, watches it and reads its
curves; the Chinese home page renders. Every page is watched for Content-Security-Policy violations
and script errors, and every step leaves a screenshot in var/screenshots/.
"""

from __future__ import annotations

import contextlib
import re
import secrets
from collections.abc import Iterator
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect, sync_playwright

from .stack import ROOT, Stack, wait_for

CHROMIUM = "/usr/bin/chromium"
LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SCREENSHOTS = ROOT / "var" / "screenshots"
ACTION_TIMEOUT_MS = 20_000
# Chromium reports a blocked resource or inline code on the console; the listener below reports the
# `securitypolicyviolation` events as well, in case a message's wording changes.
CSP_LISTENER = """
document.addEventListener("securitypolicyviolation", (event) => {
  console.error(`CSP violation: ${event.violatedDirective} blocked ${event.blockedURI || "inline"}`);
});
"""


class Watch:
    """What the pages of one browser context said: CSP violations and other errors."""

    def __init__(self) -> None:
        self.csp: list[str] = []
        self.errors: list[str] = []

    def attach(self, context: BrowserContext) -> None:
        context.add_init_script(CSP_LISTENER)
        context.on("page", self._page)

    def _page(self, page: Page) -> None:
        page.on("console", lambda msg: self._console(page, msg))
        page.on("pageerror", lambda exc: self.errors.append(f"{page.url}: {exc}"))
        page.on("response", self._response)

    def _console(self, page: Page, msg) -> None:
        text = msg.text
        if "Content Security Policy" in text or "CSP violation" in text:
            self.csp.append(f"{page.url}: {text}")
        elif msg.type == "error" and not text.startswith("Failed to load resource"):
            self.errors.append(f"{page.url}: {text}")  # (failed loads: _response names their address)

    def _response(self, response) -> None:
        # Pages name an SVG icon; a browser may still try /favicon.ico once, which is no fault of a page.
        if response.status >= 400 and urlsplit(response.url).path != "/favicon.ico":
            self.errors.append(f"{response.status} {response.request.method} {response.url}")

    def assert_clean(self) -> None:
        assert self.csp == [], "CSP violations:\n" + "\n".join(self.csp)
        assert self.errors == [], "errors on the pages:\n" + "\n".join(self.errors)


class Shots:
    def __init__(self) -> None:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        self.count = len(list(SCREENSHOTS.glob("*.png")))

    def __call__(self, page: Page, name: str) -> None:
        self.count += 1
        page.screenshot(path=str(SCREENSHOTS / f"{self.count:02d}-{name}.png"), full_page=True)


@contextlib.contextmanager
def launched_chromium() -> Iterator[Browser]:
    """Headless Chromium as every e2e test module drives it; closed on the way out."""
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=LAUNCH_ARGS, timeout=30_000
        )
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    for old in SCREENSHOTS.glob("*.png"):
        old.unlink()
    with launched_chromium() as chromium:
        yield chromium


@pytest.fixture
def shots() -> Shots:
    return Shots()


@pytest.fixture
def open_context(browser: Browser, stack: Stack):
    """A fresh browser profile per person, each watched; all closed after the test, then checked."""
    opened: list[tuple[BrowserContext, Watch]] = []

    def open_() -> tuple[Page, Watch]:
        context = browser.new_context(
            base_url=stack.base_url,
            locale="en-US",
            timezone_id="UTC",
            viewport={"width": 1280, "height": 900},
        )
        context.set_default_timeout(ACTION_TIMEOUT_MS)
        context.set_default_navigation_timeout(30_000)
        watch = Watch()
        watch.attach(context)
        opened.append((context, watch))
        return context.new_page(), watch

    yield open_
    for context, _watch in opened:
        context.close()
    for _context, watch in opened:
        watch.assert_clean()


def log_in(page: Page, username: str, password: str) -> None:
    page.goto("/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("main button[type=submit]")
    expect(page).to_have_url(re.compile(r"/accounts/profile/$"))


@pytest.mark.timeout(150)
def test_a_newcomer_signs_up_and_submits_a_paper_a_moderator_approves(stack, open_context, shots):
    page, _ = open_context()

    page.goto("/")
    expect(page).to_have_title(re.compile("DeepCommons"))
    shots(page, "home")

    paper_link = page.locator('main a[href^="/papers/"]:not([href="/papers/"])').first
    paper_title = paper_link.inner_text().strip()
    paper_link.click()
    expect(page).to_have_url(re.compile(r"/papers/[\w-]+/$"))
    expect(page.locator("h1")).to_contain_text(paper_title.split(" (")[0][:30])
    shots(page, "paper")

    page.fill("#site-search-q", "attention")
    page.press("#site-search-q", "Enter")
    expect(page).to_have_url(re.compile(r"/search/\?q=attention"))
    expect(
        page.locator("main").get_by_role("link", name=re.compile("Attention Is All You Need"))
    ).to_be_visible()
    shots(page, "search")

    # Sign up, then confirm the address with the link from the mail (the stack's file mail backend).
    username = f"newcomer{secrets.token_hex(3)}"
    email = f"{username}@example.org"
    password = secrets.token_urlsafe(14)
    page.click("header >> text=Sign up")
    page.fill("#id_username", username)
    page.fill("#id_email", email)
    page.fill("#id_password1", password)
    page.fill("#id_password2", password)
    page.click("main button[type=submit]")
    expect(page.locator("main")).to_contain_text(email)
    shots(page, "signed-up")

    mail = wait_for(
        lambda: next((m for m in stack.mails() if f"To: {email}" in m and "/accounts/verify/" in m), None),
        timeout=15,
        what=f"the confirmation mail to {email}",
    )
    link = re.search(r"https?://\S+/accounts/verify/\S+/", mail).group(0)
    assert link.startswith(stack.base_url), link  # SITE_URL, never the request's Host header
    page.goto(link)
    expect(page).to_have_url(re.compile(r"/accounts/login/"))
    shots(page, "verified")

    log_in(page, username, password)
    shots(page, "logged-in")

    title = f"Browser-made paper {secrets.token_hex(3)}"
    page.goto("/submit/paper/")
    page.fill("#id_title", title)
    page.fill("#id_authors", "Alan Turing\nClaude Shannon")
    page.fill("#id_year", "2024")
    page.click("main form.edit-form button:not([name=preview])")
    expect(page).to_have_url(re.compile(r"/accounts/profile/$"))
    expect(page.locator("main")).to_contain_text(title)
    shots(page, "submitted")

    # Not public yet.
    anonymous = page.context.browser.new_context(base_url=stack.base_url)
    try:
        pending = anonymous.new_page()
        pending.goto(f"/search/?q={title.split()[-1]}")
        expect(pending.locator("main")).not_to_contain_text(title)
    finally:
        anonymous.close()

    # A moderator approves it from the moderation queue.
    moderator, _ = open_context()
    log_in(moderator, stack.accounts["moderator"]["username"], stack.accounts["moderator"]["password"])
    moderator.goto("/moderation/")
    moderator.get_by_role("link", name=title).first.click()
    expect(moderator.locator("main")).to_contain_text(title)
    shots(moderator, "moderation-item")
    moderator.locator("form.decision-form button[value=approve]").first.click()
    expect(moderator.locator("main")).to_contain_text("Approved")
    shots(moderator, "approved")

    # It appears: searchable, with its own page.
    page.fill("#site-search-q", title.split()[-1])
    page.press("#site-search-q", "Enter")
    page.locator("main").get_by_role("link", name=re.compile(re.escape(title))).first.click()
    expect(page.locator("h1")).to_contain_text(title)
    expect(page.locator("main")).to_contain_text("Alan Turing")
    shots(page, "published")


@pytest.mark.timeout(150)
def test_an_admin_starts_a_reference_sweep_and_watches_its_curves(stack, open_context, shots):
    page, _ = open_context()
    admin = stack.accounts["admin"]
    page.goto("/admin/login/")
    page.fill("#id_username", admin["username"])
    page.fill("#id_password", admin["password"])
    page.click("input[type=submit]")
    expect(page).to_have_url(re.compile(r"/admin/$"))

    page.goto("/admin/training/sweep/")
    page.get_by_role("link", name="Start reference runs").click()
    expect(page).to_have_url(re.compile(r"/admin/training/sweep/start/$"))
    page.locator("label", has_text="(mnist1d-mlp)").locator("input[type=checkbox]").check()
    page.fill("#id_seeds", "2")
    page.select_option("#id_device", "cpu")
    shots(page, "admin-start")
    page.click("input[type=submit][value=Start]")
    expect(page.locator(".messagelist")).to_contain_text("Started 1 sweep (2 runs) on the cpu queue")
    shots(page, "admin-started")

    page.locator("#result_list tbody tr").first.locator("a").first.click()
    match = re.search(r"/admin/training/sweep/(\d+)/change/", page.url)
    assert match, page.url
    sweep_id = int(match.group(1))
    panel = page.locator(".live-status")
    expect(panel).to_be_visible()
    shots(page, "admin-progress")
    # training-live.js polls the sweep's status every 2 s and updates the panel in place.
    expect(panel.locator('[data-live="state"]')).to_have_text("Succeeded", timeout=120_000)
    expect(panel.locator('progress[data-live="progress"]')).to_have_attribute("value", re.compile(r"^100"))
    shots(page, "admin-finished")

    page.goto(f"/results/sweeps/{sweep_id}/")
    expect(page.locator("h1")).to_contain_text("MNIST-1D")
    charts = page.locator(".chart-figure svg.chart")
    expect(charts.first).to_be_visible()
    assert page.locator(".chart-figure svg.chart .chart-series polyline").count() >= 2  # a line per seed
    shots(page, "results-curves")


@pytest.mark.timeout(60)
def test_the_chinese_home_page_renders(open_context, shots):
    page, _ = open_context()
    response = page.goto("/zh-hans/")
    assert response is not None and response.status == 200
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
    assert re.search(r"[\u4e00-\u9fff]", page.locator("body").inner_text()), "no Chinese text on /zh-hans/"
    shots(page, "zh-home")
