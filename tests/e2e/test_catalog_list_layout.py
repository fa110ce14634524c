"""The product list at a phone's width: the filter bar and the bulk-action bar wrap inside
their card, whatever the names in their selects (the measurements are read-only)."""

import pytest
from playwright.sync_api import expect

from apps.catalog.models import Category
from tests.catalog.factories import ProductFactory, VariantFactory
from tests.e2e.conftest import login
from tests.factories import MembershipFactory, StoreFactory, UserFactory

LONG_CATEGORY = "Apparel & Accessories > Clothing > Shirts & Tops > Long-sleeved linen shirts"
LONG_VENDOR = "The Very Long Named Linen Weaving Company of Northern Portugal Ltd"


def _overflowing(container) -> list[str]:
    """The visible controls of ``container`` that reach past its right or left edge."""
    box = container.bounding_box()
    right = box["x"] + box["width"] + 0.5
    out = []
    controls = container.locator("input:visible, select:visible, button:visible, label:visible")
    for index in range(controls.count()):
        control = controls.nth(index)
        found = control.bounding_box()
        if found["x"] + found["width"] > right or found["x"] < box["x"] - 0.5:
            name = control.get_attribute("name") or control.get_attribute("id") or ""
            out.append(f"{control.evaluate('e => e.tagName')}[{name}]")
    return out


@pytest.mark.parametrize("width", [1400, 390, 360])
def test_the_filter_and_bulk_bars_fit_the_list_at_every_width(new_page, width):
    owner = UserFactory(email="olivia@shop.test")
    store = StoreFactory(handle="acme", name="Acme")
    MembershipFactory(user=owner, store=store, role="owner")
    category = Category.objects.create(store=store, name=LONG_CATEGORY, slug="long")
    VariantFactory(
        product=ProductFactory(
            store=store, title="Linen shirt", category=category, vendor=LONG_VENDOR
        ),
        price="39.90",
    )
    page = new_page(width, 900)
    login(page, owner.email)
    page.goto(f"/store/acme/catalog/?category={category.pk}")

    page.get_by_label("Select Linen shirt").check()
    filters = page.locator("form.table-toolbar")
    bulk = page.locator("#bulk-form")
    for action in ("adjust_price", "set_category", "add_tag"):
        page.get_by_label("Bulk action").select_option(action)
        expect(bulk.locator(f"[data-bulk-option~={action}]")).to_be_visible()
        assert _overflowing(bulk) == [], f"{action}: the bulk bar overflows at {width} px"
    assert _overflowing(filters) == [], f"the filter bar overflows at {width} px"
    assert page.evaluate("() => document.documentElement.scrollWidth") <= width
