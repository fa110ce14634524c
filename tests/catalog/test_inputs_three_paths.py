"""The same value gets the same verdict, with the same message, from the product form, the admin
API and the import: the three paths share the rules of ``apps.catalog.inputs``."""

from __future__ import annotations

import pytest
from django.test import Client

from apps.accounts import services as account_services
from apps.catalog import services
from apps.catalog.models import Product
from tests.catalog.io_factories import csv_bytes, media_root, row, upload  # noqa: F401

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_root")]

PRODUCT_FIELDS = {"handle", "status", "tags", "seo_title", "vendor"}
SIXTY_TAGS = [f"tag{number}" for number in range(60)]

CASES = [
    pytest.param(
        {"handle": "Bad Handle!"},
        "The handle “Bad Handle!” may only hold letters, digits, hyphens and underscores, "
        "e.g. linen-shirt.",
        id="bad-handle",
    ),
    pytest.param({"price": "-1"}, "The price cannot be negative.", id="price-negative"),
    pytest.param(
        {"price": "1e12"},
        "The price is too large; the most is 9,999,999,999.99.",
        id="price-too-large",
    ),
    pytest.param(
        {"price": "1.234"},
        "The price has more than two decimals; write it like 19.90.",
        id="price-three-decimals",
    ),
    pytest.param({"stock_quantity": "-3"}, "The stock cannot be negative.", id="stock-negative"),
    pytest.param(
        {"tags": SIXTY_TAGS}, "A product can have at most 50 tags; this one has 60.", id="60-tags"
    ),
    pytest.param(
        {"status": "bad"}, "“bad” is not a status; use draft, active or archived.", id="status"
    ),
    pytest.param(
        {"weight_unit": "stone"},
        "“stone” is not a weight unit; use g, kg, lb or oz.",
        id="weight-unit",
    ),
    pytest.param(
        {"barcode": "4006381333932"},
        "Barcode 4006381333932 has a wrong check digit; check the number.",
        id="barcode-check-digit",
    ),
    pytest.param(
        {"barcode": "12345"},
        "Barcode 12345 has 5 digits; a GTIN has 8, 12, 13 or 14. Check the number.",
        id="barcode-length",
    ),
    pytest.param({"barcode": "4006381333931"}, None, id="valid-gtin-13"),
    pytest.param({"barcode": "INT-0042"}, None, id="internal-code"),
    pytest.param({"price": "19.90", "stock_quantity": "12"}, None, id="plain-values"),
    pytest.param(
        {"seo_title": "S" * 71},
        "The SEO title can be at most 70 characters; you entered 71.",
        id="seo-title-long",
    ),
    pytest.param(
        {"vendor": "V" * 121},
        "The vendor can be at most 120 characters; you entered 121.",
        id="vendor-long",
    ),
]


def _form_post(store, owner, values: dict) -> tuple[bool, list[str]]:
    data = {
        "title": "Linen shirt",
        "handle": "linen-shirt",
        "description": "",
        "status": "active",
        "category": "",
        "vendor": "",
        "tags": "summer",
        "option1_name": "",
        "option2_name": "",
        "low_stock_threshold": "5",
        "seo_title": "",
        "seo_description": "",
        "variants-TOTAL_FORMS": "1",
        "variants-INITIAL_FORMS": "0",
        "variants-MIN_NUM_FORMS": "1",
        "variants-MAX_NUM_FORMS": "1000",
        "variants-0-id": "",
        "variants-0-option1": "",
        "variants-0-option2": "",
        "variants-0-sku": "LS-M",
        "variants-0-price": "49.00",
        "variants-0-compare_at_price": "",
        "variants-0-cost": "",
        "variants-0-stock_quantity": "10",
        "variants-0-track_inventory": "on",
        "variants-0-weight": "",
        "variants-0-weight_unit": "g",
        "variants-0-barcode": "",
    }
    for name, value in values.items():
        value = ", ".join(value) if isinstance(value, list) else value
        data[name if name in PRODUCT_FIELDS else f"variants-0-{name}"] = value
    client = Client()
    client.force_login(owner)
    response = client.post("/store/alpha/catalog/products/new/", data)
    if response.status_code == 302:
        return True, []
    assert response.status_code == 400
    form, formset = response.context["form"], response.context["formset"]
    messages = [m for errors in form.errors.values() for m in errors]
    messages += [m for row in formset.forms for errors in row.errors.values() for m in errors]
    messages += list(formset.non_form_errors())
    return False, messages


def _api_post(store, owner, values: dict) -> tuple[bool, list[str]]:
    _key, raw = account_services.api_key_create(store=store, actor=owner, name="ERP")
    client = Client(HTTP_AUTHORIZATION=f"Bearer {raw}")
    product = {"title": "Linen shirt", "handle": "linen-shirt", "status": "active"}
    variant = {"sku": "LS-M", "price": "49.00", "stock_quantity": "10"}
    for name, value in values.items():
        (product if name in PRODUCT_FIELDS else variant)[name] = value
    response = client.post(
        "/api/v1/products/", {**product, "variants": [variant]}, content_type="application/json"
    )
    if response.status_code == 201:
        return True, []
    assert response.status_code == 400, response.content
    return False, [m for messages in response.json()["errors"].values() for m in messages]


def _import(store, owner, values: dict) -> tuple[bool, list[str]]:
    cells = {name: ", ".join(v) if isinstance(v, list) else v for name, v in values.items()}
    job = services.import_job_create(
        store=store, actor=owner, upload=upload(csv_bytes([row(**cells)]))
    )
    job = services.import_job_configure(store=store, job=job, mapping=job.mapping, mode="all")
    messages = [error["message"] for error in job.summary["errors"]]
    if messages:
        return False, messages
    services.import_job_start(store=store, job=job, actor=owner)
    return True, []


@pytest.mark.parametrize("path", [_form_post, _api_post, _import], ids=["form", "api", "import"])
@pytest.mark.parametrize(("values", "message"), CASES)
def test_the_form_the_api_and_the_import_give_the_same_verdict(store, owner, path, values, message):
    accepted, messages = path(store, owner, values)

    if message is None:
        assert (accepted, messages) == (True, [])
        product = Product.objects.for_store(store).get()
        variant = product.variants.get()
        if "barcode" in values:
            assert variant.barcode == values["barcode"]
    else:
        assert (accepted, messages) == (False, [message])
        assert Product.objects.for_store(store).count() == 0


@pytest.mark.parametrize("path", [_form_post, _api_post, _import], ids=["form", "api", "import"])
@pytest.mark.parametrize(
    ("price", "message"),
    [
        ("69.90", "JPY prices have no decimals; write the price like 70."),
        ("70", None),
    ],
)
def test_prices_follow_the_store_currencys_decimals_on_every_path(
    store, owner, path, price, message
):
    store.currency = "JPY"
    store.save(update_fields=["currency"])

    accepted, messages = path(store, owner, {"price": price})

    if message is None:
        assert (accepted, messages) == (True, [])
        assert str(Product.objects.for_store(store).get().variants.get().price) == "70.00"
    else:
        assert (accepted, messages) == (False, [message])
        assert Product.objects.for_store(store).count() == 0
