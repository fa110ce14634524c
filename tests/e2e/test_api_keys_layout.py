"""The API keys table reads well on a laptop and on a phone: names wrap between words, the
key's prefix and the dates stay on one line, and nothing is wider than the window."""

import pytest

from apps.accounts import services as account_services
from tests.e2e.conftest import login
from tests.e2e.layout import BROKEN_WORDS, LINE_COUNT
from tests.factories import MembershipFactory, StoreFactory, UserFactory


@pytest.mark.parametrize("width", [1400, 390])
def test_the_api_keys_table_keeps_names_words_keys_and_dates_whole(new_page, width):
    owner = UserFactory(email="olivia@shop.test", full_name="Olivia Owner")
    store = StoreFactory(handle="acme", name="Acme")
    MembershipFactory(user=owner, store=store, role="owner")
    for name in ("Storefront sync", "Warehouse management system nightly stock export"):
        account_services.api_key_create(store=store, actor=owner, name=name)
    page = new_page(width, 900)
    login(page, owner.email)

    page.goto("/store/acme/settings/api-keys/")
    page.wait_for_load_state("load")

    rows = page.locator("tr[data-api-key]")
    assert rows.count() == 2
    for index in range(rows.count()):
        row = rows.nth(index)
        name = row.locator('td[data-label="Name"]')
        assert name.evaluate(BROKEN_WORDS) == [], name.inner_text()
        for label in ("Key", "Created", "Last used"):
            cell = row.locator(f'td[data-label="{label}"] > *').first
            assert cell.evaluate(LINE_COUNT) == 1, f"{label} wraps at {width} px"
    if width == 1400:  # the name column is wide enough for a short name on one line
        short = page.locator('tr[data-api-key="Storefront sync"] td[data-label="Name"] strong')
        assert short.evaluate(LINE_COUNT) == 1
    assert page.evaluate("() => document.documentElement.scrollWidth") <= width
