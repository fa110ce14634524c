"""Enter in the top bar opens the best match for the query as typed now, never a result list
left over from an earlier keystroke (issue #7's review)."""

import re

from playwright.sync_api import expect

from tests.e2e.conftest import login
from tests.factories import MembershipFactory, StoreFactory, UserFactory
from tests.orders.helpers import make_order


def test_typing_fast_and_pressing_enter_opens_the_order_of_what_was_typed(browser_page):
    store = StoreFactory(handle="acme", name="Acme")
    support = UserFactory(email="sam@acme.test", full_name="Sam Support")
    MembershipFactory(user=support, store=store, role="support")
    grace = make_order(store, customer={"email": "grace.hopper@example.org", "first_name": "Grace"})
    ada = make_order(store, customer={"email": "ada.lovelace@example.com", "first_name": "Ada"})
    page = browser_page
    login(page, support.email)
    page.goto("/store/acme/customers/")

    page.keyboard.press("/")
    page.keyboard.type("hopper@exa")
    results = page.locator("#global-search-dropdown #search-results")
    expect(results).to_have_attribute("data-query", "hopper@exa")
    expect(results.locator("a.search-hit").first).to_contain_text(f"Order #{grace.number}")
    # a new query typed fast: Enter comes before its results replace Grace's
    page.keyboard.press("Control+A")
    page.keyboard.type("lovelace@exa")
    page.keyboard.press("Enter")

    expect(page).to_have_url(re.compile(rf"/store/acme/orders/{ada.number}/$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text(f"Order #{ada.number}")
