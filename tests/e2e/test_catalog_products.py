"""A merchant creates a product with two variants, then archives a filtered list in bulk."""

import re

from playwright.sync_api import expect

from apps.catalog.models import Product
from tests.catalog.factories import ProductFactory
from tests.e2e.conftest import login
from tests.factories import MembershipFactory, StoreFactory, UserFactory


def test_create_a_product_with_two_variants_then_bulk_archive_a_filtered_list(browser_page):
    owner = UserFactory(email="olivia@shop.test")
    store = StoreFactory(handle="acme", name="Acme")
    MembershipFactory(user=owner, store=store, role="owner")
    ProductFactory(store=store, title="Linen trousers", status="active")
    ProductFactory(store=store, title="Ceramic mug", status="active")
    page = browser_page
    login(page, owner.email)

    # create: the form starts with one variant row; "+ Add variant" adds the second
    page.goto("/store/acme/catalog/")
    page.get_by_role("link", name="Add product").click()
    page.get_by_label("Title", exact=True).fill("Linen shirt")
    page.get_by_label("Status", exact=True).select_option("active")
    page.get_by_label("First option").fill("Size")
    page.locator("#id_variants-0-option1").fill("M")
    page.locator("#id_variants-0-sku").fill("LS-M")
    page.locator("#id_variants-0-price").fill("39.90")
    page.locator("#id_variants-0-stock_quantity").fill("4")
    page.get_by_role("button", name="+ Add variant").click()
    expect(page.locator("[data-variant-row]")).to_have_count(2)
    expect(page.locator("label[for=id_variants-1-option1]")).to_contain_text("Size")
    page.locator("#id_variants-1-option1").fill("L")
    page.locator("#id_variants-1-sku").fill("LS-L")
    page.locator("#id_variants-1-price").fill("39.90")
    page.locator("#id_variants-1-stock_quantity").fill("2")
    page.locator(".save-bar").get_by_role("button", name="Create product").click()

    expect(page.locator(".toast")).to_contain_text("Product “Linen shirt” created.")
    expect(page.get_by_role("heading", name="Linen shirt", level=1)).to_be_visible()
    product = Product.objects.get(store=store, handle="linen-shirt")
    assert sorted(product.variants.values_list("sku", "option_values", "stock_quantity")) == [
        ("LS-L", {"Size": "L"}, 2),
        ("LS-M", {"Size": "M"}, 4),
    ]

    # filter the list (the URL keeps the filter), then archive all that match
    page.goto("/store/acme/catalog/")
    page.get_by_placeholder("Search by title, SKU, vendor or tag").fill("linen")
    expect(page).to_have_url(re.compile(r"\?q=linen"))
    rows = page.locator("#product-table tbody tr")
    expect(rows).to_have_count(2)
    page.get_by_label("All 2 matching this filter").check()
    page.get_by_label("Bulk action").select_option("archive")
    page.get_by_role("button", name="Apply").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Archive all 2 matching products?")
    page.get_by_role("button", name="Archive 2 products").click()

    expect(page.locator(".toast")).to_contain_text("Archive: 2 of 2 products changed.")
    expect(page).to_have_url(re.compile(r"/store/acme/catalog/\?q=linen$"))
    statuses = dict(Product.objects.for_store(store).values_list("title", "status"))
    assert statuses == {
        "Linen shirt": "archived",
        "Linen trousers": "archived",
        "Ceramic mug": "active",
    }
