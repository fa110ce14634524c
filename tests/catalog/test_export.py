"""Export: the import's columns, the list's filter, CSV and XLSX, and the round trip."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import openpyxl
import pytest
from django.urls import reverse

from apps.catalog import services
from apps.catalog.io.columns import COLUMN_NAMES
from apps.catalog.models import Category, InventoryMovement, Product, Variant
from tests.catalog.io_factories import csv_bytes, make_shirts, media_root, row, upload  # noqa: F401

pytestmark = pytest.mark.usefixtures("media_root")


def export_url(store, **params):
    base = reverse("catalog:product-export", kwargs={"handle": store.handle})
    query = "&".join(f"{key}={value}" for key, value in params.items())
    return f"{base}?{query}" if query else base


def seed(store):
    shirts = make_shirts(store)
    shirt = Product.objects.create(
        store=store,
        handle="linen-shirt",
        title="Linen shirt",
        status="active",
        category=shirts,
        tags=["summer", "linen"],
        vendor="Acme",
    )
    Variant.objects.create(
        store=store,
        product=shirt,
        sku="LS-M",
        price=Decimal("49.00"),
        compare_at_price=Decimal("59.00"),
        weight=Decimal("0.250"),
        weight_unit="kg",
        stock_quantity=10,
        option_values={"Size": "M", "Colour": "Sand"},
        position=0,
    )
    Variant.objects.create(
        store=store,
        product=shirt,
        sku="LS-L",
        price=Decimal("51.00"),
        stock_quantity=0,
        track_inventory=False,
        option_values={"Size": "L", "Colour": "Sand"},
        position=1,
    )
    mug = Product.objects.create(store=store, handle="mug", title="Stoneware mug", status="draft")
    Variant.objects.create(store=store, product=mug, sku="MUG-1", price=Decimal("12.50"))
    return shirt, mug


def read_csv(response) -> list[dict]:
    body = b"".join(response.streaming_content).decode("utf-8")
    assert body.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(body.lstrip("\ufeff"))))


def test_csv_export_has_the_import_columns_one_row_per_variant(store, owner, client_for):
    seed(store)

    response = client_for(owner).get(export_url(store, format="csv"))

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="alpha-products-')
    rows = read_csv(response)
    assert list(rows[0]) == list(COLUMN_NAMES)
    assert [r["sku"] for r in rows] == ["LS-M", "LS-L", "MUG-1"]
    first = rows[0]
    assert (first["handle"], first["category"], first["tags"], first["status"]) == (
        "linen-shirt",
        "Apparel > Shirts",
        "summer, linen",
        "active",
    )
    assert (first["price"], first["compare_at_price"], first["weight"], first["weight_unit"]) == (
        "49.00",
        "59.00",
        "0.250",
        "kg",
    )
    options = {
        first["option1_name"]: first["option1_value"],
        first["option2_name"]: first["option2_value"],
    }
    assert options == {"Size": "M", "Colour": "Sand"}
    assert (rows[1]["track_inventory"], rows[1]["compare_at_price"]) == ("false", "")


def test_export_follows_the_product_list_filter(store, owner, client_for):
    seed(store)

    rows = read_csv(client_for(owner).get(export_url(store, format="csv", status="draft")))

    assert [r["sku"] for r in rows] == ["MUG-1"]


def test_export_never_includes_another_store(store, other_store, owner, client_for):
    seed(store)
    seed(other_store)
    Variant.objects.for_store(other_store).filter(sku="MUG-1").update(sku="THEIRS")

    rows = read_csv(client_for(owner).get(export_url(store, format="csv")))

    assert "THEIRS" not in [r["sku"] for r in rows]
    assert len(rows) == 3


def test_export_page_offers_the_formats_and_counts_the_filtered_variants(store, owner, client_for):
    seed(store)

    page = client_for(owner).get(export_url(store, status="active")).content.decode()

    assert "1 product, 2 variants" in page
    assert '<input type="hidden" name="status" value="active">' in page
    assert 'value="xlsx"' in page


def test_xlsx_export_is_a_workbook_with_the_same_rows(store, owner, client_for):
    seed(store)

    response = client_for(owner).get(export_url(store, format="xlsx"))

    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    sheet_rows = list(workbook.active.iter_rows(values_only=True))
    assert list(sheet_rows[0]) == list(COLUMN_NAMES)
    assert [r[COLUMN_NAMES.index("sku")] for r in sheet_rows[1:]] == ["LS-M", "LS-L", "MUG-1"]
    assert sheet_rows[1][COLUMN_NAMES.index("price")] == 49


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_export_then_import_into_another_store_rebuilds_the_same_catalog(
    store, other_store, owner, make_member, client_for, file_format
):
    seed(store)
    make_shirts(other_store)
    response = client_for(owner).get(export_url(store, format=file_format))
    data = b"".join(response.streaming_content)

    job = services.import_job_create(
        store=other_store, actor=owner, upload=upload(data, f"export.{file_format}")
    )
    services.import_job_configure(store=other_store, job=job, mapping=job.mapping, mode="all")
    services.import_job_start(store=other_store, job=job, actor=owner)

    def snapshot(s):
        return sorted(
            Variant.objects.for_store(s).values_list(
                "product__handle",
                "product__title",
                "product__status",
                "product__category__name",
                "product__tags",
                "sku",
                "option_values",
                "price",
                "compare_at_price",
                "weight",
                "stock_quantity",
                "track_inventory",
            )
        )

    job.refresh_from_db()
    assert job.summary["error_rows"] == 0
    assert snapshot(other_store) == snapshot(store)


def test_reimporting_an_unchanged_export_updates_and_records_no_stock_change(
    store, owner, client_for
):
    seed(store)
    data = b"".join(client_for(owner).get(export_url(store, format="csv")).streaming_content)

    job = services.import_job_create(store=store, actor=owner, upload=upload(data))
    services.import_job_configure(store=store, job=job, mapping=job.mapping, mode="all")
    services.import_job_start(store=store, job=job, actor=owner)

    job.refresh_from_db()
    assert (job.created_count, job.updated_count, job.skipped_count) == (0, 3, 0)
    assert InventoryMovement.objects.for_store(store).count() == 0
    assert Category.objects.for_store(store).count() == 2


# --- large Excel exports: a task with progress ---------------------------------------------
def test_export_task_writes_the_workbook_to_storage(store, db):
    from django.core.files.storage import default_storage

    from apps.catalog.tasks import product_export_task

    seed(store)

    result = product_export_task(store.id, {"status": "active"}, "xlsx")

    assert (result["store_id"], result["rows"]) == (store.id, 2)
    assert result["filename"].startswith("alpha-products-")
    with default_storage.open(result["name"], "rb") as handle:
        sheet = openpyxl.load_workbook(handle).active
        assert [
            r[COLUMN_NAMES.index("sku")] for r in sheet.iter_rows(min_row=2, values_only=True)
        ] == [
            "LS-M",
            "LS-L",
        ]


def test_posting_a_large_excel_export_queues_the_task_and_shows_progress(
    store, owner, client_for, monkeypatch
):
    import uuid

    import apps.catalog.views.exports as views_io
    from apps.catalog.tasks import product_export_task
    from merchant_portal.celery import app

    seed(store)
    monkeypatch.setattr(views_io, "XLSX_INLINE_MAX", 1)
    task_id = str(uuid.uuid4())
    queued = []

    class Queued:
        id = task_id

    def delay(*args):
        queued.append(args)
        return Queued()

    monkeypatch.setattr(product_export_task, "delay", delay)
    client = client_for(owner)

    response = client.post(export_url(store), {"format": "xlsx", "vendor": "Acme"})

    progress_url = (
        reverse("catalog:export-progress", kwargs={"handle": store.handle}) + f"?task={task_id}"
    )
    assert response["Location"] == progress_url
    assert queued == [(store.id, {"vendor": "Acme"}, "xlsx")]
    app.backend.store_result(
        task_id, {"store_id": store.id, "done": 5000, "total": 300000}, "PROGRESS"
    )
    page = client.get(progress_url, headers={"HX-Request": "true"}).content.decode()
    assert "5,000 of 300,000 rows" in page
    assert 'hx-trigger="every 1s"' in page


def test_another_stores_export_is_404(store, other_store, owner, make_member, client_for):
    import uuid

    from merchant_portal.celery import app

    task_id = str(uuid.uuid4())
    app.backend.store_result(
        task_id, {"store_id": other_store.id, "name": "x", "done": 1, "total": 1}, "SUCCESS"
    )
    client = client_for(owner)

    for name in ("export-progress", "export-download"):
        url = reverse(f"catalog:{name}", kwargs={"handle": store.handle})
        assert client.get(f"{url}?task={task_id}").status_code == 404
        assert client.get(f"{url}?task=not-a-task").status_code == 404
