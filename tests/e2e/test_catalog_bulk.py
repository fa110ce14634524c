"""Bulk actions on the product list, done the way a merchant does them: ticks, a chosen option,
Apply, the confirmation, and the result on the next page."""

import re
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from apps.catalog import services
from apps.catalog.models import Product
from tests.catalog.factories import CategoryFactory, ProductFactory, VariantFactory
from tests.e2e.conftest import login
from tests.factories import MembershipFactory, StoreFactory, UserFactory


@pytest.fixture
def acme(db):
    owner = UserFactory(email="olivia@shop.test")
    store = StoreFactory(handle="acme", name="Acme")
    MembershipFactory(user=owner, store=store, role="owner")
    return store, owner


def _row(page, title: str):
    return page.locator("#product-table tbody tr", has_text=title)


def _statuses(store) -> dict[str, str]:
    return dict(Product.objects.for_store(store).values_list("title", "status"))


def test_archive_two_ticked_products_with_the_bulk_bar(acme, browser_page):
    store, owner = acme
    for title in ("Linen shirt", "Linen trousers", "Ceramic mug"):
        ProductFactory(store=store, title=title, status="active")
    page = browser_page
    login(page, owner.email)
    page.goto("/store/acme/catalog/")

    page.get_by_label("Select Linen shirt").check()
    page.get_by_label("Select Ceramic mug").check()
    expect(page.locator("[data-bulk-count]")).to_have_text("2 selected")
    # choosing the action must not reload the table (that would clear the ticks)
    page.get_by_label("Bulk action").select_option("archive")
    page.wait_for_timeout(600)  # a reload, if one were triggered, would have landed by now
    expect(page.get_by_label("Select Linen shirt")).to_be_checked()
    expect(page.get_by_label("Select Ceramic mug")).to_be_checked()
    page.get_by_role("button", name="Apply").click()
    dialog = page.locator("#confirm-dialog")
    expect(dialog).to_contain_text("Archive 2 products?")
    dialog.get_by_role("button", name="Archive").click()

    expect(page.locator(".toast")).to_contain_text("Archive: 2 of 2 products changed.")
    expect(_row(page, "Linen shirt")).to_contain_text("Archived")
    expect(_row(page, "Ceramic mug")).to_contain_text("Archived")
    expect(_row(page, "Linen trousers")).to_contain_text("Active")
    assert _statuses(store) == {
        "Linen shirt": "archived",
        "Ceramic mug": "archived",
        "Linen trousers": "active",
    }


def test_archive_all_matching_runs_as_a_job_and_its_progress_page_reaches_done(
    acme, browser_page, monkeypatch, celery_eager
):
    store, owner = acme
    monkeypatch.setattr(services, "BULK_INLINE_MAX", 2)
    monkeypatch.setattr(services.bulk, "BULK_INLINE_MAX", 2)
    for title in ("Linen shirt", "Linen trousers", "Linen scarf"):
        ProductFactory(store=store, title=title, status="active", vendor="Flax & Co")
    ProductFactory(store=store, title="Ceramic mug", status="active", vendor="Kiln")
    page = browser_page
    login(page, owner.email)
    page.goto("/store/acme/catalog/")

    page.get_by_label("Vendor").select_option("Flax & Co")
    expect(page).to_have_url(re.compile(r"vendor=Flax"))
    expect(page.locator("#product-table tbody tr")).to_have_count(3)
    page.get_by_label("All 3 matching this filter").check()
    expect(page.locator("[data-bulk-count]")).to_have_text("All matching products selected")
    page.get_by_label("Bulk action").select_option("archive")
    page.wait_for_timeout(600)
    expect(page.get_by_label("All 3 matching this filter")).to_be_checked()
    page.get_by_role("button", name="Apply").click()

    # the server asks, naming the number; nothing has changed yet
    expect(page.get_by_role("heading", level=1)).to_have_text("Archive all 3 matching products?")
    assert _statuses(store)["Linen shirt"] == "active"
    page.get_by_role("button", name="Archive 3 products").click()

    expect(page).to_have_url(re.compile(r"/store/acme/catalog/products/bulk/\d+/"))
    expect(page.locator("[data-bulk-result]")).to_have_text("Done: 3 of 3 products changed.")
    page.get_by_role("link", name="Back to products").click()
    expect(page).to_have_url(re.compile(r"/store/acme/catalog/\?vendor=Flax"))
    expect(page.locator("#product-table tbody tr")).to_have_count(3)
    expect(page.locator("#product-table tbody")).not_to_contain_text("Active")
    assert _statuses(store) == {
        "Linen shirt": "archived",
        "Linen trousers": "archived",
        "Linen scarf": "archived",
        "Ceramic mug": "active",
    }


def test_archive_all_matching_a_category_filter_names_and_archives_only_those(acme, browser_page):
    store, owner = acme
    shirts = CategoryFactory(store=store, name="Shirts")
    mugs = CategoryFactory(store=store, name="Mugs")
    for title in ("Linen shirt", "Oxford shirt"):
        ProductFactory(store=store, title=title, status="active", category=shirts)
    for title in ("Ceramic mug", "Enamel mug", "Travel mug"):
        ProductFactory(store=store, title=title, status="active", category=mugs)
    page = browser_page
    login(page, owner.email)
    page.goto("/store/acme/catalog/")

    page.get_by_label("Category", exact=True).select_option("Shirts")
    expect(page).to_have_url(re.compile(rf"category={shirts.pk}"))
    expect(page.locator("#product-table tbody tr")).to_have_count(2)
    page.get_by_label("All 2 matching this filter").check()
    page.get_by_label("Bulk action").select_option("archive")
    page.get_by_role("button", name="Apply").click()

    # the confirmation names the filtered products, not the whole catalog
    expect(page.get_by_role("heading", level=1)).to_have_text("Archive all 2 matching products?")
    expect(page.locator(".bulk-confirm")).to_contain_text("Category: Shirts")
    assert set(_statuses(store).values()) == {"active"}
    page.get_by_role("button", name="Archive 2 products").click()

    expect(page.locator(".toast")).to_contain_text("Archive: 2 of 2 products changed.")
    expect(page).to_have_url(re.compile(rf"/store/acme/catalog/\?category={shirts.pk}$"))
    assert _statuses(store) == {
        "Linen shirt": "archived",
        "Oxford shirt": "archived",
        "Ceramic mug": "active",
        "Enamel mug": "active",
        "Travel mug": "active",
    }


def test_a_yen_store_raises_prices_by_a_whole_amount_and_is_told_about_a_fraction(
    acme, browser_page
):
    store, owner = acme
    store.currency = "JPY"
    store.save(update_fields=["currency"])
    variant = VariantFactory(product__store=store, product__title="Tea bowl", price="1500.00")
    page = browser_page
    login(page, owner.email)
    page.goto("/store/acme/catalog/")

    page.get_by_label("Select Tea bowl").check()
    page.get_by_label("Bulk action").select_option("adjust_price")
    page.get_by_label("Adjust by").select_option("amount")
    page.get_by_label("Change").fill("100.5")
    page.get_by_role("button", name="Preview").click()

    expect(page.locator("#bulk-error")).to_have_text(
        "JPY prices have no decimals; write the change like 101."
    )
    expect(page.get_by_label("Change")).to_have_value("100.5")
    expect(page.get_by_label("Select Tea bowl")).to_be_checked()

    page.get_by_label("Change").fill("200")
    page.get_by_role("button", name="Preview").click()
    expect(page.locator("#summary-title")).to_have_text("+¥200 on 1 variant of 1 product")
    page.get_by_role("button", name="Apply to 1 variant").click()

    expect(page.locator(".toast")).to_contain_text("Prices adjusted on 1 product.")
    expect(_row(page, "Tea bowl")).to_contain_text("¥1,700")
    variant.refresh_from_db()
    assert variant.price == Decimal("1700.00")
