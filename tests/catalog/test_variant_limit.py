"""At most ``inputs.MAX_VARIANTS_PER_PRODUCT`` variants per product, on every path that adds
variants: the services (and so the product form and the API) and the import."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.test import Client

from apps.accounts import services as account_services
from apps.catalog import services
from apps.catalog.models import Product, Variant
from apps.core.exceptions import DomainError
from tests.catalog.factories import ProductFactory
from tests.catalog.io_factories import csv_bytes, media_root, row, upload  # noqa: F401

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_root")]

BASE = "/store/alpha/catalog/"
TOO_MANY = "A product can have at most 100 variants; this one would have 101."


def _variants(count: int, *, start: int = 0) -> list[dict]:
    return [{"sku": f"V-{n:04d}", "price": "10.00"} for n in range(start, start + count)]


def _product_with_variants(store, count: int) -> Product:
    product = ProductFactory(store=store, handle="linen-shirt", title="Linen shirt")
    Variant.objects.bulk_create(
        Variant(
            store=store,
            product=product,
            sku=f"V-{n:04d}",
            price=Decimal("10.00"),
            option_values={"Size": f"S{n}"},
            position=n,
        )
        for n in range(count)
    )
    return product


# --- services ------------------------------------------------------------------------------------
def test_product_create_refuses_more_than_a_hundred_variants_and_creates_nothing(store, owner):
    with pytest.raises(DomainError) as caught:
        services.product_create(
            store=store, actor=owner, title="Linen shirt", variants=_variants(101)
        )

    assert (caught.value.message, caught.value.field) == (TOO_MANY, "variants")
    assert Product.objects.for_store(store).count() == 0
    assert Variant.objects.for_store(store).count() == 0


def test_product_create_accepts_exactly_a_hundred_variants(store, owner):
    product = services.product_create(
        store=store, actor=owner, title="Linen shirt", variants=_variants(100)
    )

    assert product.variants.count() == 100


def test_variant_create_refuses_the_hundred_and_first_variant(store, owner):
    product = _product_with_variants(store, 100)

    with pytest.raises(DomainError) as caught:
        services.variant_create(
            store=store, actor=owner, product=product, sku="V-NEW", price="10.00"
        )

    assert (caught.value.message, caught.value.field) == (TOO_MANY, "product")
    assert product.variants.count() == 100


def test_product_save_with_variants_counts_kept_removed_and_new_rows(store, owner):
    product = _product_with_variants(store, 100)
    kept = [{"id": v.pk, "sku": v.sku, "price": "10.00"} for v in product.variants.all()]
    fields = {"title": "Linen shirt"}

    with pytest.raises(DomainError) as caught:
        services.product_save_with_variants(
            store=store,
            actor=owner,
            product=product,
            fields=fields,
            variants=[*kept, *_variants(1, start=500)],
        )
    refused_count = product.variants.count()
    # one removed, one added: still 100
    kept[0]["delete"] = True
    services.product_save_with_variants(
        store=store,
        actor=owner,
        product=product,
        fields=fields,
        variants=[*kept, *_variants(1, start=500)],
    )

    assert (caught.value.message, caught.value.field) == (TOO_MANY, "variants")
    assert refused_count == 100
    assert product.variants.count() == 100
    assert product.variants.filter(sku="V-0500").exists()


def test_a_product_already_over_the_limit_can_still_be_saved_without_adding(store, owner):
    product = _product_with_variants(store, 102)
    rows = [{"id": v.pk, "sku": v.sku, "price": "12.00"} for v in product.variants.all()]

    services.product_save_with_variants(
        store=store, actor=owner, product=product, fields={"title": "Linen"}, variants=rows
    )

    assert set(product.variants.values_list("price", flat=True)) == {Decimal("12.00")}


# --- product form --------------------------------------------------------------------------------
def test_product_form_with_a_hundred_and_one_rows_shows_the_limit_and_saves_nothing(store, owner):
    data = {
        "title": "Linen shirt",
        "handle": "",
        "status": "active",
        "low_stock_threshold": "5",
        "variants-TOTAL_FORMS": "101",
        "variants-INITIAL_FORMS": "0",
        "variants-MIN_NUM_FORMS": "1",
        "variants-MAX_NUM_FORMS": "1000",
    }
    for n in range(101):
        data |= {
            f"variants-{n}-sku": f"V-{n:04d}",
            f"variants-{n}-price": "10.00",
            f"variants-{n}-stock_quantity": "0",
            f"variants-{n}-weight_unit": "g",
        }
    client = Client()
    client.force_login(owner)

    response = client.post(BASE + "products/new/", data)

    assert response.status_code == 400
    assert response.context["form"].non_field_errors() == [TOO_MANY]
    assert TOO_MANY in response.text
    assert Product.objects.for_store(store).count() == 0


# --- API -----------------------------------------------------------------------------------------
@pytest.fixture
def api(store, owner):
    _key, raw = account_services.api_key_create(store=store, actor=owner, name="ERP")
    return Client(HTTP_AUTHORIZATION=f"Bearer {raw}")


def test_api_product_create_with_a_hundred_and_one_variants_is_a_400_naming_variants(api, store):
    response = api.post(
        "/api/v1/products/",
        {"title": "Linen shirt", "variants": _variants(101)},
        content_type="application/json",
    )

    assert response.status_code == 400
    assert response.json() == {"errors": {"variants": [TOO_MANY]}, "code": "invalid"}
    assert Product.objects.for_store(store).count() == 0


def test_api_refuses_too_many_variants_before_checking_each_one(api, store):
    variants = [{"sku": "", "price": "-1"}] * 5000

    response = api.post(
        "/api/v1/products/",
        {"title": "Linen shirt", "variants": variants},
        content_type="application/json",
    )

    assert response.status_code == 400
    assert response.json()["errors"] == {
        "variants": ["A product can have at most 100 variants; this one would have 5000."]
    }


def test_api_variant_create_on_a_full_product_is_a_400_naming_the_product(api, store):
    product = _product_with_variants(store, 100)

    response = api.post(
        "/api/v1/variants/",
        {"product": product.pk, "sku": "V-NEW", "price": "10.00"},
        content_type="application/json",
    )

    assert response.status_code == 400
    assert response.json() == {"errors": {"product": [TOO_MANY]}, "code": "invalid"}
    assert product.variants.count() == 100


# --- import --------------------------------------------------------------------------------------
def _checked(store, owner, rows):
    job = services.import_job_create(store=store, actor=owner, upload=upload(csv_bytes(rows)))
    return services.import_job_configure(store=store, job=job, mapping=job.mapping, mode="skip")


def _rows(count: int, *, start: int = 0, **values) -> list[dict]:
    return [
        row(sku=f"V-{n:04d}", option1_value=f"S{n}", **values) for n in range(start, start + count)
    ]


def test_import_refuses_the_rows_of_a_product_past_the_hundredth_variant(store, owner):
    rows = _rows(101) + [row(handle="tote", title="Tote", sku="T-1")]

    job = _checked(store, owner, rows)
    services.import_job_start(store=store, job=job, actor=owner)

    job.refresh_from_db()
    # row 1 is the header: the 101st variant is on row 102
    assert [(e["row"], e["column"], e["message"]) for e in job.summary["errors"]] == [
        (102, "handle", TOO_MANY)
    ]
    assert Product.objects.get(store=store, handle="linen-shirt").variants.count() == 100
    assert Product.objects.get(store=store, handle="tote").variants.count() == 1


def test_import_counts_the_variants_a_product_already_has(store, owner):
    _product_with_variants(store, 99)
    # two variants the product has (updated, not added) and three new ones
    rows = _rows(2, start=97) + _rows(3, start=200)

    job = _checked(store, owner, rows)

    message = "A product can have at most 100 variants; this one would have 102."
    assert [(e["row"], e["message"]) for e in job.summary["errors"]] == [
        (5, message),
        (6, message),
    ]
    assert job.summary["variants_created"] == 1
    assert job.summary["variants_updated"] == 2
