"""Importing a CSV in the browser: one bad row is shown in the check, the good rows land."""

import re

import pytest
from playwright.sync_api import expect

from apps.catalog.models import Variant
from tests.catalog.io_factories import csv_bytes, media_root, row  # noqa: F401
from tests.e2e.conftest import login
from tests.factories import MembershipFactory, StoreFactory, UserFactory


@pytest.mark.usefixtures("media_root")
def test_import_shows_the_bad_row_in_the_check_and_imports_the_good_rows(browser_page):
    owner = UserFactory(email="olivia@shop.test")
    store = StoreFactory(handle="acme", name="Acme")
    MembershipFactory(user=owner, store=store, role="owner")
    data = csv_bytes(
        [
            row(),
            row(sku="LS-L", option1_value="L", price="-4.00"),
            row(handle="canvas-tote", title="Canvas tote", sku="TOTE-1", option1_value="One size"),
        ]
    )
    page = browser_page
    login(page, owner.email)

    page.goto("/store/acme/catalog/imports/new/")
    page.get_by_label("Product file").set_input_files(
        files=[{"name": "spring.csv", "mimeType": "text/csv", "buffer": data}]
    )
    page.get_by_role("button", name="Upload and match columns").click()
    expect(page.get_by_role("heading", name="Match columns")).to_be_visible()
    expect(page.get_by_label("sku", exact=True)).to_have_value("sku")
    page.get_by_label("Skip bad rows, import the rest").check()
    page.get_by_role("button", name="Check the file").click()

    expect(page.get_by_role("heading", name="Check before importing")).to_be_visible()
    errors = page.locator(".errors-table tbody tr")
    expect(errors).to_have_count(1)
    expect(errors.first).to_contain_text("3")
    expect(errors.first).to_contain_text("price")
    expect(errors.first).to_contain_text("The price cannot be negative.")
    assert Variant.objects.for_store(store).count() == 0

    page.get_by_role("button", name="Import 2 rows").click()

    expect(page.get_by_role("heading", name="Import finished")).to_be_visible()
    expect(page.locator(".banner-warning")).to_contain_text("1 row skipped.")
    expect(page.get_by_role("link", name="Download error rows (CSV)")).to_be_visible()
    expect(page).to_have_url(re.compile(r"/store/acme/catalog/imports/\d+/$"))
    assert sorted(Variant.objects.for_store(store).values_list("sku", flat=True)) == [
        "LS-M",
        "TOTE-1",
    ]


@pytest.mark.usefixtures("media_root")
def test_a_shopify_export_is_recognised_and_imported_as_it_is(browser_page, settings):
    from pathlib import Path

    from apps.catalog.models import Category, Product

    settings.CATALOG_IMAGE_FETCH = False
    owner = UserFactory(email="sam@shop.test")
    store = StoreFactory(handle="acme", name="Acme")
    MembershipFactory(user=owner, store=store, role="owner")
    data = (Path(__file__).parents[1] / "catalog" / "fixtures" / "shopify_sample.csv").read_bytes()
    page = browser_page
    login(page, owner.email)

    page.goto("/store/acme/catalog/imports/new/")
    page.get_by_label("Product file").set_input_files(
        files=[{"name": "products_export.csv", "mimeType": "text/csv", "buffer": data}]
    )
    page.get_by_role("button", name="Upload and match columns").click()
    expect(page.get_by_text("Recognised: Shopify product export")).to_be_visible()
    page.get_by_label("Create the categories the file names that don't exist yet").uncheck()
    page.get_by_role("button", name="Check the file").click()

    expect(page.get_by_role("heading", name="Check before importing")).to_be_visible()
    expect(page.locator(".warnings-table")).to_contain_text("the sale badge will not show")
    expect(page.get_by_role("heading", name=re.compile("Columns not imported"))).to_be_visible()
    page.get_by_role("button", name="Import 5 rows").click()

    expect(page.get_by_role("heading", name="Import finished")).to_be_visible()
    expect(page.locator(".images-table tbody tr")).to_have_count(5)
    assert Product.objects.for_store(store).count() == 3
    assert Category.objects.for_store(store).count() == 0
