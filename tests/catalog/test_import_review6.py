"""Review of the catalog import (issue #6): Shopify status, WooCommerce column names, header
matching, the unknown-category example, the upload page's WooCommerce rules."""

from __future__ import annotations

import pytest

from apps.catalog import services
from apps.catalog.io.columns import auto_map
from apps.catalog.models import Product
from apps.catalog.selectors.imports import import_summary
from tests.catalog.io_factories import media_root, upload  # noqa: F401

pytestmark = pytest.mark.usefixtures("media_root")


def configured(store, owner, text: str, name: str = "products.csv"):
    job = services.import_job_create(store=store, actor=owner, upload=upload(text.encode(), name))
    return services.import_job_configure(store=store, job=job, mapping=job.mapping, mode="skip")


# --- 1. Shopify's Published and Status ----------------------------------------------------------
SHOPIFY_NEW_HEADERS = (
    "Handle,Title,Body (HTML),Vendor,Product Category,Type,Tags,Published,Option1 Name,"
    "Option1 Value,Variant SKU,Variant Price,Variant Fulfillment Service,Variant Tax Code,"
    "Gift Card,Cost per item,Included / Germany,Price / Germany,Compare At Price / Germany,Status"
)


def test_shopify_status_and_published_map_to_the_portals_statuses(store, owner):
    rows = [
        "shirt,Shirt,,,,,,TRUE,Title,Default Title,S-1,10.00,manual,,FALSE,4.00,TRUE,12.00,,active",
        "cap,Cap,,,,,,TRUE,Title,Default Title,C-1,10.00,manual,,FALSE,,TRUE,,,DRAFT",
        "old,Old,,,,,,FALSE,Title,Default Title,O-1,10.00,manual,,FALSE,,TRUE,,,archived",
        "new,New,,,,,,FALSE,Title,Default Title,N-1,10.00,manual,,FALSE,,TRUE,,,",
    ]
    job = configured(store, owner, "\n".join([SHOPIFY_NEW_HEADERS, *rows]))
    services.import_job_start(store=store, job=job, actor=owner)

    statuses = dict(Product.objects.for_store(store).values_list("handle", "status"))
    assert statuses == {"shirt": "active", "cap": "draft", "old": "archived", "new": "draft"}
    job.refresh_from_db()
    reasons = job.summary["ignored_reasons"]
    for header in SHOPIFY_NEW_HEADERS.split(","):
        # every column is understood, or listed as ignored with its own reason
        assert job.mapping.get(header) or header in reasons, header
        assert reasons.get(header) != "Not a column of this portal's catalog."
    assert set(job.summary["ignored_columns"]) == set(reasons)


# --- 2. WooCommerce: the file's own column names --------------------------------------------------
WOO_HEADER = "ID,Type,SKU,Name,Published,Stock,Sale price,Regular price,Categories"


def _columns(job, key):
    return [(item["row"], item["column"], item["message"]) for item in import_summary(job)[key]]


def test_woocommerce_problems_name_regular_price_and_sale_price(store, owner):
    rows = [
        "1,simple,MUG,Mug,1,3,abc,9.00,",  # a bad sale price: the price came from it
        "2,simple,CUP,Cup,1,3,,xyz,",  # a bad regular price, no sale
        "3,simple,PAN,Pan,1,3,12.00,10.00,",  # regular price below the sale price
    ]
    job = configured(store, owner, "\n".join([WOO_HEADER, *rows]))

    errors = _columns(job, "errors")
    assert [(row, column) for row, column, _ in errors] == [
        (2, "Sale price"),
        (3, "Regular price"),
    ]
    assert "sale price" in errors[0][2]
    assert "regular price" not in errors[0][2]
    warnings = _columns(job, "warnings")
    assert [(row, column) for row, column, _ in warnings] == [(4, "Regular price")]
    assert warnings[0][2].startswith("Regular price €10.00 is below the sale price €12.00")


# --- 13. header matching ignores spaces and case ----------------------------------------------
def test_option_headers_written_with_spaces_are_matched():
    headers = ["Handle", "Title", "Option 1 name", "Option 1 value", "Option 2 Name", "Variant SKU"]
    mapping = auto_map(headers)
    assert mapping["Option 1 name"] == "option1_name"
    assert mapping["Option 1 value"] == "option1_value"
    assert mapping["Option 2 Name"] == "option2_name"


# --- 14. the unknown-category example is the file's own ------------------------------------------
def test_unknown_category_message_uses_the_files_value(store, owner, client_for):
    text = "handle,title,sku,price,category\nmug,Mug,MUG-1,9.00,Kitchen > Cups\n"
    job = configured(store, owner, text)
    [error] = job.summary["errors"]
    assert "Kitchen > Cups" in error["message"]
    assert "Apparel" not in error["message"]


# --- 5. the upload page's WooCommerce rules ------------------------------------------------------
def test_upload_page_says_what_a_woocommerce_export_needs(store, owner, client_for):
    page = client_for(owner).get(f"/store/{store.handle}/catalog/imports/new/").text
    assert "WooCommerce" in page
    assert "<strong>Name</strong> and <strong>Regular price</strong>" in page
