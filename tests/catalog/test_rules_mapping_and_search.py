"""Two file columns on one catalog column is a form error, not a 500; the product search finds a
scanned barcode or SKU; one variant field list for the services, the API and the import."""

from __future__ import annotations

import pytest
from django.urls import reverse

from apps.catalog import selectors, services
from apps.catalog.api import VariantInputSerializer, VariantOutputSerializer
from apps.catalog.io.bulk import VARIANT_UPDATE_COLUMNS
from apps.catalog.io.columns import COLUMN_NAMES
from apps.catalog.models import ImportStatus
from apps.core.exceptions import DomainError
from tests.catalog.factories import ProductFactory, VariantFactory
from tests.catalog.io_factories import csv_bytes, media_root, row, upload  # noqa: F401

pytestmark = pytest.mark.django_db

CLASH = (
    "The file's columns “price” and “cost” are both matched to Price; each catalog column "
    "takes one file column. Choose “Don't import” for one."
)


@pytest.mark.usefixtures("media_root")
def test_mapping_two_file_columns_to_one_field_is_a_form_error_naming_both(
    store, owner, client_for
):
    job = services.import_job_create(store=store, actor=owner, upload=upload(csv_bytes([row()])))
    form = {f"column_{i}": column for i, column in enumerate(job.headers)}
    form[f"column_{job.headers.index('cost')}"] = "price"

    response = client_for(owner).post(
        reverse("catalog:import-mapping", kwargs={"handle": "alpha", "job_id": job.pk}),
        {**form, "mode": "skip"},
    )

    assert response.status_code == 400
    assert response.context["form"].non_field_errors() == [CLASH]
    job.refresh_from_db()
    assert (job.status, job.mapping["cost"]) == (ImportStatus.UPLOADED, "cost")


@pytest.mark.usefixtures("media_root")
def test_the_service_refuses_the_same_clash_with_the_same_message(store, owner):
    job = services.import_job_create(store=store, actor=owner, upload=upload(csv_bytes([row()])))

    with pytest.raises(DomainError) as caught:
        services.import_job_configure(
            store=store, job=job, mapping={**job.mapping, "cost": "price"}, mode="skip"
        )

    assert (caught.value.field, caught.value.message) == ("mapping", CLASH)
    job.refresh_from_db()
    assert job.mapping["cost"] == "cost"


@pytest.mark.parametrize("q", ["4006381333931", "MUG-BLUE-XL", "mug-blue-xl"])
def test_the_product_search_finds_a_scanned_barcode_or_sku(store, q):
    mug = ProductFactory(store=store, title="Mug")
    VariantFactory(product=mug, sku="MUG-BLUE-XL", barcode="4006381333931")
    other = ProductFactory(store=store, title="Plate")
    VariantFactory(product=other, sku="PLATE-1", barcode="96385074")

    found = selectors.product_filter(store=store, params={"q": q})

    assert list(found) == [mug]


def test_a_partial_barcode_does_not_match(store):
    mug = ProductFactory(store=store, title="Mug")
    VariantFactory(product=mug, sku="MUG-1", barcode="4006381333931")

    assert list(selectors.product_filter(store=store, params={"q": "40063813"})) == []


def test_one_variant_field_list_for_services_api_and_import():
    editable = set(services.VARIANT_FIELDS)

    assert set(VariantInputSerializer().fields) == editable | {"stock_quantity"}
    assert set(VariantOutputSerializer().fields) == editable | {
        "id",
        "product",
        "stock_quantity",
        "created_at",
        "updated_at",
    }
    # the import's columns cover every field but the position (the row order) and the options
    # (option1_name/value …)
    assert editable - {"position", "option_values"} <= set(COLUMN_NAMES)
    assert set(VARIANT_UPDATE_COLUMNS) <= editable | {"stock_quantity"}
