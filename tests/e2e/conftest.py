"""End-to-end tests: Playwright for Python driving the system Chromium against live_server.

Never downloads a browser: Debian's chromium at /usr/bin/chromium (or CHROMIUM_PATH). These
tests are never skipped — a missing browser is an error, so CI cannot pass without them.
"""

from __future__ import annotations

import os
import re

import pytest
from playwright.sync_api import Page, expect, sync_playwright

from tests.conftest import TEST_PASSWORD

CHROMIUM_PATH = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "tests/e2e/" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def browser():
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM_PATH, args=CHROMIUM_ARGS, headless=True
        )
        yield browser
        browser.close()


def _watch(page: Page) -> Page:
    """Collect uncaught script errors and Content-Security-Policy violations on the page."""
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(f"script error: {error}"))
    page.on(
        "console",
        lambda message: (
            errors.append(f"console: {message.text}")
            if message.type == "error" and "Content Security Policy" in message.text
            else None
        ),
    )
    page.js_errors = errors
    return page


@pytest.fixture
def browser_page(browser, live_server) -> Page:
    """A fresh browser context (no cookies) at desktop size, with base_url = live_server.

    The test fails if a page threw a script error or broke the Content-Security-Policy.
    """
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
    context.set_default_timeout(10_000)
    page = _watch(context.new_page())
    yield page
    context.close()
    assert page.js_errors == [], "the page logged script errors or CSP violations"


@pytest.fixture
def new_page(browser, live_server):
    """``new_page()``: another independent browser context (e.g. a second person)."""
    contexts = []
    pages = []

    def make(width: int = 1280, height: int = 900) -> Page:
        context = browser.new_context(
            base_url=live_server.url, viewport={"width": width, "height": height}
        )
        context.set_default_timeout(10_000)
        contexts.append(context)
        page = _watch(context.new_page())
        pages.append(page)
        return page

    yield make
    for context in contexts:
        context.close()
    assert [e for p in pages for e in p.js_errors] == [], "script errors or CSP violations"


def login(page: Page, email: str, password: str = TEST_PASSWORD) -> None:
    """Log in through the real form and wait until the portal has loaded."""
    page.goto("/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    expect(page.locator("main#main")).to_be_visible()
    expect(page).not_to_have_url(re.compile(r"/login/"))
