"""Support finds an order from part of the customer's email, ships it with a tracking number,
and sees the tracking link and the timeline entry — by keyboard and clicks only."""

import re

from playwright.sync_api import expect

from tests.e2e.conftest import login
from tests.factories import MembershipFactory, StoreFactory, UserFactory
from tests.orders.helpers import make_order


def test_support_presses_slash_finds_the_order_by_email_and_ships_it(browser_page):
    store = StoreFactory(handle="acme", name="Acme")
    support = UserFactory(email="sam@acme.test", full_name="Sam Support")
    MembershipFactory(user=support, store=store, role="support")
    make_order(store, customer={"email": "someone.else@example.com", "first_name": "Bo"})
    order = make_order(store, customer={"email": "ada.lovelace@example.com", "first_name": "Ada"})
    page = browser_page
    login(page, support.email)
    page.goto("/store/acme/customers/")  # any page: "/" works from everywhere

    page.keyboard.press("/")
    search = page.get_by_label("Search this store")
    expect(search).to_be_focused()
    page.keyboard.type("lovelace@exa")
    first_hit = page.locator("#global-search-dropdown a.search-hit").first
    expect(first_hit).to_contain_text(f"Order #{order.number}")
    page.keyboard.press("Enter")  # opens the best match

    expect(page).to_have_url(re.compile(rf"/store/acme/orders/{order.number}/$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text(f"Order #{order.number}")
    page.get_by_role("button", name="Ship").click()  # without a tracking number first
    status_card = page.locator("#status-card")
    expect(status_card).to_contain_text("Enter the tracking number to ship the order.")
    page.get_by_label("Tracking number").fill("00340434161094042557")
    page.get_by_role("button", name="Ship").click()

    expect(page.get_by_text(f"Order #{order.number} is shipped.")).to_be_visible()
    link = page.get_by_role("link", name="00340434161094042557")
    expect(link).to_have_attribute("href", "https://track.example/?n=00340434161094042557")
    timeline = page.locator("[data-timeline]")
    expect(timeline.locator("li").first).to_contain_text("Shipped")
    expect(timeline.locator("li").first).to_contain_text("Sam Support")
    expect(timeline).to_contain_text("Shipped with DHL, tracking number 00340434161094042557.")
