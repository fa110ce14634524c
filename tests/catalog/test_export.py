"""Export: the import's columns, the list's filter, CSV and XLSX, and the round trip."""

from __future__ import annotations

import csv
import io
import re
from decimal import Decimal

import openpyxl
import pytest
from django.test import Client
from django.urls import reverse

from apps.catalog import services
from apps.catalog.io import exporter
from apps.catalog.io.columns import COLUMN_NAMES
from apps.catalog.models import Category, ExportJob, InventoryMovement, Product, Variant
from apps.core.exceptions import DomainError
from apps.core.jobs import job_run
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


def test_export_page_names_the_filter_as_the_lists_chips_do(store, owner, client_for):
    seed(store)
    shirts = Category.objects.get(store=store, slug="shirts")

    page = (
        client_for(owner)
        .get(export_url(store, q="HYPERLINK", category=shirts.pk, stock="out"))
        .content.decode()
    )

    assert (
        "The products matching the list’s current filter: "
        "Search: HYPERLINK · Category: Apparel › Shirts · Stock: Out of stock." in page
    )
    assert "q: HYPERLINK" not in page


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


# --- large Excel exports: a job with progress, a private file ------------------------------
def detail_url(store, job, name="export-detail"):
    return reverse(f"catalog:{name}", kwargs={"handle": store.handle, "export_id": job.pk})


def test_export_job_writes_the_workbook_to_private_storage(store, owner, settings):
    seed(store)
    job = services.export_job_create(
        store=store, actor=owner, params={"status": "active"}, file_format="xlsx"
    )

    assert job_run(label="catalog.ExportJob", job_id=job.pk) == "done"

    job.refresh_from_db()
    assert (job.status, job.processed, job.total) == ("done", 2, 2)
    assert job.filename.startswith("alpha-products-") and job.filename.endswith(".xlsx")
    assert re.fullmatch(rf"catalog/exportjob/{store.pk}/[0-9a-f]{{32}}\.xlsx", job.result_file.name)
    assert not str(job.result_file.path).startswith(str(settings.MEDIA_ROOT))
    with job.result_file.open("rb") as handle:
        sheet = openpyxl.load_workbook(handle).active
        skus = [r[COLUMN_NAMES.index("sku")] for r in sheet.iter_rows(min_row=2, values_only=True)]
    assert skus == ["LS-M", "LS-L"]
    assert job_run(label="catalog.ExportJob", job_id=job.pk) is None  # delivered twice


def test_posting_a_large_excel_export_makes_a_job_and_shows_its_progress(
    store, owner, client_for, monkeypatch, django_capture_on_commit_callbacks
):
    seed(store)
    monkeypatch.setattr(services.exports, "XLSX_INLINE_MAX", 1)
    client = client_for(owner)

    with django_capture_on_commit_callbacks() as callbacks:
        response = client.post(export_url(store), {"format": "xlsx", "vendor": "Acme"})

    job = ExportJob.objects.get()
    assert response["Location"] == detail_url(store, job)
    assert len(callbacks) == 1  # queued once the row is committed
    assert (job.store, job.params, job.file_format, job.status) == (
        store,
        {"vendor": "Acme"},
        "xlsx",
        "queued",
    )
    ExportJob.objects.filter(pk=job.pk).update(status="running", processed=5000, total=300000)
    page = client.get(detail_url(store, job), headers={"HX-Request": "true"}).content.decode()
    assert page.lstrip().startswith('<div id="export-progress"')
    assert "5,000 of 300,000 variants" in page
    assert 'hx-trigger="every 1s"' in page
    assert detail_url(store, job, "export-cancel") in page


def test_a_large_excel_export_by_link_is_built_by_a_job_too(store, owner, client_for, monkeypatch):
    seed(store)
    monkeypatch.setattr(services.exports, "XLSX_INLINE_MAX", 1)

    response = client_for(owner).get(export_url(store, format="xlsx", vendor="Acme"))

    job = ExportJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == detail_url(store, job)
    assert (job.params, job.file_format) == ({"vendor": "Acme"}, "xlsx")


def test_a_small_excel_export_by_link_downloads_at_once(store, owner, client_for, monkeypatch):
    seed(store)
    monkeypatch.setattr(services.exports, "XLSX_INLINE_MAX", 3)

    response = client_for(owner).get(export_url(store, format="xlsx"))

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert not ExportJob.objects.exists()


def test_export_start_decides_stream_or_job_from_the_variant_count(store, owner, monkeypatch):
    seed(store)
    monkeypatch.setattr(services.exports, "XLSX_INLINE_MAX", 2)

    csv_now = services.export_start(store=store, actor=owner, params={}, file_format="csv")
    xlsx_small = services.export_start(
        store=store, actor=owner, params={"vendor": "Acme"}, file_format="xlsx"
    )
    xlsx_large = services.export_start(store=store, actor=owner, params={}, file_format="xlsx")

    assert isinstance(csv_now, services.ExportNow) and csv_now.file_format == "csv"
    assert isinstance(xlsx_small, services.ExportNow)
    assert isinstance(xlsx_large, ExportJob) and xlsx_large.params == {}
    with pytest.raises(DomainError):
        services.export_start(store=store, actor=owner, params={}, file_format="pdf")


def test_a_finished_export_offers_its_download_and_stops_polling(store, owner, client_for):
    seed(store)
    job = services.export_job_create(store=store, actor=owner, params={}, file_format="xlsx")
    job_run(label="catalog.ExportJob", job_id=job.pk)
    client = client_for(owner)

    page = client.get(detail_url(store, job), headers={"HX-Request": "true"}).content.decode()
    download = client.get(detail_url(store, job, "export-download"))

    assert "hx-trigger" not in page
    assert "Your file is ready: 3 variants.</strong> It is kept for 7 days." in page
    assert detail_url(store, job, "export-download") in page
    assert download.status_code == 200
    assert download["Content-Disposition"] == f'attachment; filename="{job.filename}"'
    assert download["Cache-Control"] == "private, no-store"
    assert openpyxl.load_workbook(io.BytesIO(b"".join(download.streaming_content))).active


def test_an_export_file_is_served_only_to_its_store_and_role(
    store, other_store, owner, support, make_member, client_for
):
    seed(store)
    job = services.export_job_create(store=store, actor=owner, params={}, file_format="xlsx")
    job_run(label="catalog.ExportJob", job_id=job.pk)
    job.refresh_from_db()
    url = detail_url(store, job, "export-download")
    stranger = make_member(other_store, "owner")

    assert Client().get(url).status_code == 302  # anonymous: to the login page
    assert Client().get(url)["Location"].startswith("/login/")
    assert client_for(support).get(url).status_code == 403
    assert client_for(stranger).get(url).status_code == 404
    for name in ("export-detail", "export-download"):
        theirs = reverse(
            f"catalog:{name}", kwargs={"handle": other_store.handle, "export_id": job.pk}
        )
        assert client_for(stranger).get(theirs).status_code == 404
    # the old public address of media files does not reach it
    assert Client().get(f"/media/{job.result_file.name}").status_code == 404
    with pytest.raises(ValueError):
        job.result_file.url  # noqa: B018 - a private file has no public address


def test_cancelling_an_export_stops_it_at_the_next_batch_and_keeps_no_file(
    store, owner, client_for
):
    seed(store)
    job = services.export_job_create(store=store, actor=owner, params={}, file_format="xlsx")
    client = client_for(owner)

    response = client.post(detail_url(store, job, "export-cancel"))
    job_run(label="catalog.ExportJob", job_id=job.pk)

    job.refresh_from_db()
    assert response["Location"] == detail_url(store, job)
    assert (job.status, job.result_file.name) == ("cancelled", "")
    page = client.get(detail_url(store, job), headers={"HX-Request": "true"}).content.decode()
    assert "Cancelled" in page and "hx-trigger" not in page
    assert client.get(detail_url(store, job, "export-download")).status_code == 404


def test_the_old_task_address_of_an_export_is_gone(store, owner, client_for):
    client = client_for(owner)

    assert client.get(f"/store/{store.handle}/catalog/export/progress/?task=x").status_code == 404
    assert client.get(f"/store/{store.handle}/catalog/export/download/?task=x").status_code == 404


def test_a_yen_stores_export_writes_whole_amounts(store, owner, client_for):
    store.currency = "JPY"
    store.save()
    product = Product.objects.create(store=store, handle="mug", title="Mug", status="active")
    Variant.objects.create(
        store=store,
        product=product,
        sku="MUG",
        price=Decimal("1500"),
        compare_at_price=Decimal("1800"),
        cost=Decimal("700"),
        position=0,
    )
    client = client_for(owner)

    (first,) = read_csv(client.get(export_url(store, format="csv")))
    sheet = openpyxl.load_workbook(
        io.BytesIO(b"".join(client.get(export_url(store, format="xlsx")).streaming_content))
    ).active

    assert (first["price"], first["compare_at_price"], first["cost"]) == ("1500", "1800", "700")
    price_cell = sheet.cell(row=2, column=list(COLUMN_NAMES).index("price") + 1)
    assert (price_cell.value, price_cell.number_format) == (1500, "0")


# --- the CSV export as a job: progress per block, and Cancel between blocks ----------------------
def many_variants(store, count):
    """``count`` products of one variant each; their titles break lines and quote."""
    for index in range(count):
        product = Product.objects.create(
            store=store, handle=f"p-{index:02}", title=f'Shirt\n"{index}", linen'
        )
        Variant.objects.create(store=store, product=product, sku=f"SKU-{index}", price=1)


def test_a_csv_export_job_reports_its_progress_per_block(store, owner, monkeypatch):
    many_variants(store, 30)
    monkeypatch.setattr(exporter, "CSV_PRODUCTS_PER_COPY", 4)  # a block every 4 rows
    written = []
    record = services.exports.job_progress_save

    def recording(job, *, processed, total=None):
        written.append(processed)
        record(job, processed=processed, total=total)

    monkeypatch.setattr(services.exports, "job_progress_save", recording)
    job = services.export_job_create(store=store, actor=owner, params={}, file_format="csv")

    assert job_run(label="catalog.ExportJob", job_id=job.pk) == "done"

    assert [done for done in written if 0 < done < 30] == [4, 8, 12, 16, 20, 24, 28]
    job.refresh_from_db()
    assert (job.processed, job.total) == (30, 30)
    with job.result_file.open("rb") as handle:
        rows = list(csv.DictReader(io.StringIO(handle.read().decode("utf-8-sig"))))
    assert [r["sku"] for r in rows] == [f"SKU-{index}" for index in range(30)]
    assert rows[7]["title"] == 'Shirt\n"7", linen'


def test_cancelling_a_csv_export_job_stops_it_at_the_next_block_and_keeps_no_file(
    store, owner, monkeypatch
):
    many_variants(store, 30)
    monkeypatch.setattr(exporter, "CSV_PRODUCTS_PER_COPY", 4)
    job = services.export_job_create(store=store, actor=owner, params={}, file_format="csv")
    record = services.exports.job_progress_save
    written = []

    def cancel_after_the_first_block(job, *, processed, total=None):
        if processed:  # Cancel pressed while the first block was written
            ExportJob.objects.filter(pk=job.pk).update(status="cancelled")
        written.append(processed)
        record(job, processed=processed, total=total)

    monkeypatch.setattr(services.exports, "job_progress_save", cancel_after_the_first_block)

    assert job_run(label="catalog.ExportJob", job_id=job.pk) == "cancelled"

    assert len(written) == 2  # the start, then the first block: no more
    job.refresh_from_db()
    assert (job.status, job.result_file.name) == ("cancelled", "")
    assert Variant.objects.for_store(store).count() == 30  # the connection still answers
