"""The second review of the order page, as a person meets it in Chromium: an amount typed with a
comma reaches the server and is refused next to its field, the refund's confirm dialog names the
total in the store's currency, the list's total filter keeps "1,5" and says to use a dot, and a
very long customer name wraps at a laptop's width and a phone's."""

from playwright.sync_api import Page, expect

from tests.e2e.conftest import login
from tests.factories import MembershipFactory, StoreFactory, UserFactory
from tests.orders.helpers import make_order

LONG_NAME = "N" * 100  # a first name at its limit, no space
LONG_SHIP_NAME = "S" * 200


def _support_of_acme():
    store = StoreFactory(handle="acme", name="Acme")
    support = UserFactory(email="sam@acme.test", full_name="Sam Support")
    MembershipFactory(user=support, store=store, role="support")
    return support, store


def test_a_refund_typed_with_a_comma_is_refused_then_the_dialog_names_the_total(browser_page):
    support, store = _support_of_acme()
    order = make_order(store)
    page = browser_page
    login(page, support.email)
    page.goto(f"/store/acme/orders/{order.number}/")
    page.get_by_text("Refund or return items").click()
    amount = page.get_by_label("Refund for MUG-1")

    amount.fill("1,5")
    page.get_by_role("button", name="Record refund or return").click()

    card = page.locator("#refund-card")
    expect(card).to_contain_text("Write the refund with a dot: 1.5.")
    expect(page.get_by_label("Refund for MUG-1")).to_have_value("1,5")

    page.get_by_label("Refund for MUG-1").fill("1.5")
    page.get_by_label("Shipping refund").fill("4.90")
    page.get_by_role("button", name="Record refund or return").click()
    dialog = page.locator("#confirm-dialog")
    expect(dialog).to_be_visible()
    expect(dialog).to_contain_text("Refund €6.40 to the customer?")
    dialog.get_by_role("button", name="Refund €6.40").click()

    expect(page.locator("#toasts").get_by_text("Refunded €6.40.")).to_be_visible()
    expect(page.locator("[data-timeline]")).to_contain_text("Refunded €6.40 (shipping €4.90).")


def test_the_lists_total_filter_keeps_a_comma_and_says_to_use_a_dot(browser_page):
    support, store = _support_of_acme()
    make_order(store)
    page = browser_page
    login(page, support.email)
    page.goto("/store/acme/orders/")

    total = page.get_by_label("Total from")
    total.fill("1,5")
    total.press("Enter")

    expect(page.get_by_text("Write the amount with a dot: 1.5.")).to_be_visible()
    expect(page.get_by_label("Total from")).to_have_value("1,5")


def test_a_very_long_customer_name_wraps_on_the_order_page(new_page):
    support, store = _support_of_acme()
    order = make_order(
        store,
        customer={"email": "long@example.com", "first_name": LONG_NAME, "last_name": ""},
        shipping_address={"name": LONG_SHIP_NAME, "line1": "Hauptstraße 1", "city": "Berlin",
                          "postal_code": "10115", "country": "DE"},
    )  # fmt: skip
    for width in (1400, 390):
        page: Page = new_page(width, 900)
        login(page, support.email)
        page.goto(f"/store/acme/orders/{order.number}/")
        page.wait_for_load_state("load")
        customer_card = page.locator("section[aria-labelledby='customer-title']")
        expect(customer_card).to_contain_text(LONG_NAME)

        card_box = customer_card.bounding_box()
        name_box = customer_card.get_by_text(LONG_NAME).bounding_box()
        assert name_box["x"] + name_box["width"] <= card_box["x"] + card_box["width"] + 1, width
        assert page.evaluate("() => document.documentElement.scrollWidth") <= width, width
