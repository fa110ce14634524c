"""The frame on a phone, and pages that must load under the strict CSP."""

import re

from playwright.sync_api import expect

from tests.e2e.conftest import login
from tests.factories import MembershipFactory, StoreFactory, UserFactory


def test_on_a_phone_the_sidebar_is_a_menu(new_page):
    owner = UserFactory(email="olivia@shop.test")
    store = StoreFactory(handle="acme", name="Acme")
    MembershipFactory(user=owner, store=store, role="owner")
    page = new_page(width=375, height=800)
    login(page, owner.email)

    sidebar = page.locator("#sidebar")
    expect(sidebar).not_to_be_in_viewport()
    page.get_by_role("button", name="Menu").click()
    expect(sidebar).to_be_in_viewport()
    page.get_by_role("link", name="Settings").click()
    expect(page).to_have_url(re.compile(r"/store/acme/settings/$"))
    expect(page.get_by_label("Name")).to_be_visible()


def test_api_docs_render_from_local_files_under_the_csp(browser_page, live_server):
    page = browser_page
    requested = []
    page.on("request", lambda request: requested.append(request.url))

    page.goto("/api/docs/")

    expect(page.locator(".swagger-ui .info .title")).to_contain_text("Merchant Portal API")
    assert all(url.startswith(live_server.url) for url in requested), requested


def test_keyboard_user_can_log_in_and_sees_focus(browser_page):
    owner = UserFactory(email="kim@shop.test")
    MembershipFactory(user=owner, store=StoreFactory(handle="kb"), role="owner")
    page = browser_page
    page.goto("/login/")

    # the email field has focus on load; Tab moves through the form in order
    expect(page.get_by_label("Email")).to_be_focused()
    page.keyboard.type("kim@shop.test")
    page.keyboard.press("Tab")
    page.keyboard.type("correct-horse-battery")
    page.keyboard.press("Tab")
    expect(page.locator(":focus")).to_have_text("Log in")
    expect(page.locator(":focus")).not_to_have_css("outline-style", "none")  # a visible ring
    page.keyboard.press("Enter")

    expect(page.get_by_role("heading", name="Set up your store")).to_be_visible()
