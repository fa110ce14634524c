"""Support opens an order a storefront session led to and sees what the shopper did, then the
customer's page with their carts (paged in place) and storefront activity — clicks only."""

import datetime

import pytest
from django.db import connection
from django.utils import timezone
from playwright.sync_api import expect

from tests.e2e.conftest import login
from tests.events.shopper import Shopper
from tests.factories import MembershipFactory, StoreFactory, UserFactory
from tests.orders.helpers import make_order


@pytest.fixture
def empty_events_after():
    yield
    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE events_event")  # unmanaged: the test flush does not know it


def test_support_sees_the_orders_session_and_the_customers_carts(browser_page, empty_events_after):
    store = StoreFactory(handle="acme", name="Acme")
    support = UserFactory(email="sam@acme.test", full_name="Sam Support")
    MembershipFactory(user=support, store=store, role="support")
    order = make_order(store, external_id="WEB-1")
    now = timezone.now()
    shopper = Shopper(store, email="ada.lovelace@example.com", device="mobile")
    for index in range(6):  # earlier carts left behind
        shopper.visit(start=now - datetime.timedelta(days=index + 1), cart=f"c-{index}")
    shopper.visit(
        start=now - datetime.timedelta(hours=2),
        cart="c-bought",
        checkout=("started", "shipping", "payment"),
        order_id="WEB-1",
        landing="https://shop.example/summer-sale",
    )
    shopper.send(now=now)
    page = browser_page
    login(page, support.email)

    page.goto(f"/store/acme/orders/{order.number}/")
    panel = page.locator("#storefront-session")
    expect(panel.get_by_role("heading", name="Storefront session")).to_be_visible()
    expect(panel).to_contain_text("/summer-sale")
    expect(panel).to_contain_text("Mobile")
    expect(panel.locator("[data-session-steps] li").last).to_contain_text("Ordered WEB-1")
    expect(panel).to_contain_text("Checkout: payment")

    page.get_by_role("link", name="Ada Lovelace").first.click()
    carts = page.locator("#customer-carts")
    expect(carts).to_contain_text("7 carts")
    expect(carts.locator("li[data-cart]").first).to_contain_text("Purchased")
    expect(carts.locator("li[data-cart]").first).to_contain_text(f"order #{order.number}")
    expect(carts.locator("li[data-cart]")).to_have_count(5)
    carts.get_by_role("link", name="Older →").click()
    expect(page.locator("#customer-carts li[data-cart]")).to_have_count(2)
    expect(page.locator("#customer-carts")).to_contain_text("Abandoned")
    activity = page.locator("#storefront-activity")
    expect(activity.locator("li[data-session]")).to_have_count(7)
    expect(activity.locator("li[data-session]").first).to_contain_text(f"#{order.number}")
