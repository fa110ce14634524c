"""Import pages: upload → mapping → check → run → result, errors download, permissions."""

from __future__ import annotations

import pytest
from django.urls import reverse

from apps.catalog import services
from apps.catalog.models import ImportJob, ImportStatus, Variant
from tests.catalog.io_factories import csv_bytes, media_root, row, upload  # noqa: F401

pytestmark = pytest.mark.usefixtures("media_root")


def url(name, store, **kwargs):
    return reverse(f"catalog:{name}", kwargs={"handle": store.handle, **kwargs})


def post_file(client, store, data, name="products.csv"):
    return client.post(url("import-upload", store), {"file": upload(data, name)})


def test_upload_map_check_run_and_see_the_result(store, owner, client_for):
    client = client_for(owner)
    data = csv_bytes([row(), row(sku="LS-L", option1_value="L", price="-1")])

    response = post_file(client, store, data)
    job = ImportJob.objects.for_store(store).get()
    assert response.status_code == 302
    assert response["Location"] == url("import-mapping", store, job_id=job.pk)

    page = client.get(response["Location"])
    assert page.status_code == 200
    assert 'name="column_0"' in page.content.decode()
    assert '<option value="handle" selected>Handle</option>' in page.content.decode()

    form = {f"column_{i}": column for i, column in enumerate(job.headers)}
    response = client.post(url("import-mapping", store, job_id=job.pk), {**form, "mode": "skip"})
    assert response["Location"] == url("import-detail", store, job_id=job.pk)

    preview = client.get(response["Location"]).content.decode()
    assert "Check before importing" in preview
    assert "1 row will be skipped" in preview
    assert "The price cannot be negative." in preview
    assert "Import 1 row" in preview
    assert Variant.objects.for_store(store).count() == 0

    response = client.post(url("import-run", store, job_id=job.pk))
    assert response["Location"] == url("import-detail", store, job_id=job.pk)
    result = client.get(response["Location"]).content.decode()
    assert "Import finished" in result
    assert "1 row skipped." in result
    assert "Download error rows (CSV)" in result
    assert list(Variant.objects.for_store(store).values_list("sku", flat=True)) == ["LS-M"]

    download = client.get(url("import-errors", store, job_id=job.pk))
    assert download.status_code == 200
    assert download["Content-Disposition"] == 'attachment; filename="products-errors.csv"'
    body = b"".join(download.streaming_content).decode("utf-8-sig")
    assert body.splitlines()[1].startswith("3,price: The price cannot be negative.,linen-shirt")


def test_an_import_with_no_valid_row_is_refused_even_by_a_direct_post(store, owner, client_for):
    client = client_for(owner)
    job = services.import_job_create(
        store=store, actor=owner, upload=upload(csv_bytes([row(price="-1")]))
    )
    job = services.import_job_configure(store=store, job=job, mapping=job.mapping, mode="skip")
    assert (job.status, job.summary["valid_rows"]) == (ImportStatus.VALIDATED, 0)

    preview = client.get(url("import-detail", store, job_id=job.pk)).content.decode()
    response = client.post(url("import-run", store, job_id=job.pk))

    assert "Import 0 rows" not in preview
    assert response.status_code == 400
    assert "The file has no valid rows to import" in response.content.decode()
    job.refresh_from_db()
    assert job.status == ImportStatus.VALIDATED
    assert Variant.objects.for_store(store).count() == 0


def test_upload_errors_are_shown_on_the_form(store, owner, client_for):
    client = client_for(owner)

    response = post_file(client, store, "handle,title\nx,ü\n".encode("cp1252"))

    assert response.status_code == 400
    assert "This CSV isn&#x27;t UTF-8 text" in response.content.decode()
    assert ImportJob.objects.for_store(store).count() == 0


def test_upload_over_the_limit_is_refused_before_reading_it(store, owner, client_for, monkeypatch):
    import apps.core.tabular as tabular

    monkeypatch.setattr(tabular, "MAX_UPLOAD_BYTES", 100)
    client = client_for(owner)

    response = post_file(client, store, b"handle,title,sku,price\n" + b"a,b,c,1\n" * 10_000)

    assert response.status_code == 400
    assert "the limit is 100 bytes. Split it into smaller files." in response.content.decode()


def test_mapping_without_a_required_column_shows_the_error(store, owner, client_for):
    client = client_for(owner)
    job = services.import_job_create(store=store, actor=owner, upload=upload(csv_bytes([row()])))
    form = {f"column_{i}": column for i, column in enumerate(job.headers)}
    form["column_0"] = ""

    response = client.post(url("import-mapping", store, job_id=job.pk), {**form, "mode": "all"})

    assert response.status_code == 400
    assert "Choose the file&#x27;s column for: Handle (required)." in response.content.decode()


def test_all_or_nothing_preview_with_errors_offers_no_import_button(store, owner, client_for):
    client = client_for(owner)
    job = services.import_job_create(
        store=store, actor=owner, upload=upload(csv_bytes([row(), row(sku="X", price="x")]))
    )
    services.import_job_configure(store=store, job=job, mapping=job.mapping, mode="all")

    page = client.get(url("import-detail", store, job_id=job.pk)).content.decode()
    response = client.post(url("import-run", store, job_id=job.pk))

    assert "this import is all or nothing:" in page
    assert "Import 1 row" not in page
    assert response.status_code == 400
    assert Variant.objects.for_store(store).count() == 0


def test_progress_partial_polls_and_redirects_when_finished(store, owner, client_for):
    client = client_for(owner)
    job = services.import_job_create(store=store, actor=owner, upload=upload(csv_bytes([row()])))
    ImportJob.objects.filter(pk=job.pk).update(
        status=ImportStatus.RUNNING, total=5000, processed=1240
    )
    detail = url("import-detail", store, job_id=job.pk)

    partial = client.get(detail, headers={"HX-Request": "true"})
    ImportJob.objects.filter(pk=job.pk).update(status=ImportStatus.DONE)
    finished = client.get(detail, headers={"HX-Request": "true"})

    body = partial.content.decode()
    assert body.lstrip().startswith('<div id="import-progress"')
    assert "1,240 of 5,000 rows" in body
    assert 'hx-trigger="every 1s"' in body
    assert finished["HX-Redirect"] == detail


def test_history_lists_the_store_imports(store, other_store, owner, client_for):
    services.import_job_create(
        store=store, actor=owner, upload=upload(csv_bytes([row()]), "mine.csv")
    )
    services.import_job_create(
        store=other_store, actor=owner, upload=upload(csv_bytes([row()]), "theirs.csv")
    )

    page = client_for(owner).get(url("import-list", store)).content.decode()

    assert "mine.csv" in page
    assert "theirs.csv" not in page


@pytest.mark.parametrize(
    ("name", "kwargs"),
    [
        ("import-list", {}),
        ("import-upload", {}),
        ("product-export", {}),
    ],
)
def test_support_staff_get_403(store, support, client_for, name, kwargs):
    assert client_for(support).get(url(name, store, **kwargs)).status_code == 403


def test_another_stores_import_is_404(store, other_store, owner, make_member, client_for):
    theirs = services.import_job_create(
        store=other_store, actor=owner, upload=upload(csv_bytes([row()]))
    )
    client = client_for(owner)

    for name in ("import-detail", "import-mapping", "import-errors"):
        assert client.get(url(name, store, job_id=theirs.pk)).status_code == 404
    assert client.post(url("import-run", store, job_id=theirs.pk)).status_code == 404


def test_manager_can_import(store, manager, client_for):
    response = post_file(client_for(manager), store, csv_bytes([row()]))

    assert response.status_code == 302


def test_upload_of_a_file_with_too_many_columns_is_refused_with_the_limit(store, owner, client_for):
    client = client_for(owner)
    header = ",".join(["handle", "title", "sku", "price"] + [f"extra {i}" for i in range(1500)])

    response = post_file(client, store, (header + "\n").encode())

    assert response.status_code == 400
    assert (
        "The file has 1,504 columns; an import reads at most 200. Remove the columns you "
        "don&#x27;t need and upload it again."
    ) in response.content.decode()
    assert ImportJob.objects.for_store(store).count() == 0


def test_import_help_says_what_happens_to_a_compare_at_price_below_the_price(
    store, owner, client_for
):
    page = client_for(owner).get(url("import-upload", store)).content.decode()

    assert "Not below the price." not in page
    assert (
        "At least the price, or empty. A lower one is an error in this format; from a Shopify "
        "or WooCommerce export it is left out with a warning." in page
    )


def test_shopifys_requires_shipping_is_explained_without_promising_a_shipping_area():
    from apps.catalog.io.columns import SHOPIFY_IGNORED

    assert SHOPIFY_IGNORED["variant_requires_shipping"] == (
        "Not imported: every variant is treated as shipped."
    )


def test_a_small_import_that_crashes_during_the_request_shows_it_failed(
    store, owner, client_for, monkeypatch
):
    job = services.import_job_create(store=store, actor=owner, upload=upload(csv_bytes([row()])))
    services.import_job_configure(store=store, job=job, mapping=job.mapping, mode="skip")

    def broken(*args, **kwargs):
        raise RuntimeError("boom in a place nobody expected")

    monkeypatch.setattr(services.imports.BulkImport, "apply", broken)
    client = client_for(owner)
    client.raise_request_exception = False

    response = client.post(url("import-run", store, job_id=job.pk))

    assert response.status_code == 302
    assert response["Location"] == url("import-detail", store, job_id=job.pk)
    job.refresh_from_db()
    assert job.status == ImportStatus.FAILED
    assert job.failure_message == ImportJob.failure_text
    assert Variant.objects.for_store(store).count() == 0
    page = client.get(response["Location"]).content.decode()
    assert "The import stopped unexpectedly and nothing was written." in page
    assert url("import-cancel", store, job_id=job.pk) not in page


def test_a_small_check_that_crashes_during_the_request_shows_it_failed(
    store, owner, client_for, monkeypatch
):
    job = services.import_job_create(store=store, actor=owner, upload=upload(csv_bytes([row()])))

    def broken(*args, **kwargs):
        raise RuntimeError("boom in a place nobody expected")

    monkeypatch.setattr(services.imports.BulkImport, "check", broken)
    client = client_for(owner)
    client.raise_request_exception = False

    form = {f"column_{i}": column for i, column in enumerate(job.headers)}
    response = client.post(url("import-mapping", store, job_id=job.pk), {**form, "mode": "skip"})

    assert response.status_code == 302
    assert response["Location"] == url("import-detail", store, job_id=job.pk)
    job.refresh_from_db()
    assert (job.status, job.failure_message) == (ImportStatus.FAILED, ImportJob.failure_text)
    page = client.get(response["Location"]).content.decode()
    assert "The import stopped unexpectedly and nothing was written." in page


@pytest.mark.parametrize(
    ("status", "heading"),
    [(ImportStatus.CHECK_QUEUED, "Checking"), (ImportStatus.IMPORT_QUEUED, "Importing")],
)
def test_an_import_waiting_for_a_worker_says_so_and_polls(
    store, owner, client_for, status, heading
):
    job = services.import_job_create(store=store, actor=owner, upload=upload(csv_bytes([row()])))
    ImportJob.objects.filter(pk=job.pk).update(status=status, total=5000)

    page = client_for(owner).get(url("import-detail", store, job_id=job.pk)).content.decode()
    history = client_for(owner).get(url("import-list", store)).content.decode()

    assert f'<h1>{heading} <span class="file-name">products.csv</span></h1>' in page
    assert "Waiting for a worker to start…" in page
    assert 'hx-trigger="every 1s"' in page
    assert url("import-cancel", store, job_id=job.pk) in page
    assert {"Checking": "Waiting to check…", "Importing": "Waiting to import…"}[heading] in history


def test_the_mapping_page_of_an_import_being_checked_shows_its_progress(store, owner, client_for):
    job = services.import_job_create(store=store, actor=owner, upload=upload(csv_bytes([row()])))
    ImportJob.objects.filter(pk=job.pk).update(status=ImportStatus.VALIDATING)
    mapping = url("import-mapping", store, job_id=job.pk)

    shown = client_for(owner).get(mapping)
    posted = client_for(owner).post(mapping, {"column_0": "handle", "mode": "all"})

    for response in (shown, posted):
        assert response.status_code == 302
        assert response["Location"] == url("import-detail", store, job_id=job.pk)
    job.refresh_from_db()
    assert (job.status, job.mode) == (ImportStatus.VALIDATING, "skip")


def _errors_table(page: str) -> list[tuple[str, str]]:
    """(column, problem) of each row of the "Rows with errors" table."""
    import re

    start = page.index('id="errors-title"')
    table = page[start : page.index("</table>", start)]
    cells = re.findall(
        r'<td data-label="Column">(.*?)</td><td data-label="Problem">(.*?)</td>', table
    )
    return [(re.sub(r"<[^>]+>", "", column), problem) for column, problem in cells]


def test_error_rows_name_the_files_own_columns_in_the_table_and_the_csv(store, owner, client_for):
    # the merchant's own headers, matched by hand on the mapping page
    header = ["Product URL", "Name", "Article number", "Selling price", "Stock on hand"]
    rows = [
        {"Product URL": "mug", "Name": "Mug", "Article number": "MUG-1", "Selling price": "9"},
        {
            "Product URL": "cup",
            "Name": "Cup",
            "Article number": "CUP-1",
            "Selling price": "-1",
            "Stock on hand": "lots",
        },
    ]
    client = client_for(owner)
    post_file(client, store, csv_bytes(rows, header))
    job = ImportJob.objects.for_store(store).get()
    mapping = {
        "column_0": "handle",
        "column_1": "title",
        "column_2": "sku",
        "column_3": "price",
        "column_4": "stock_quantity",
    }
    client.post(url("import-mapping", store, job_id=job.pk), {**mapping, "mode": "skip"})

    preview = client.get(url("import-detail", store, job_id=job.pk)).content.decode()
    download = client.get(url("import-errors", store, job_id=job.pk))

    assert _errors_table(preview) == [
        ("Selling price", "The price cannot be negative."),
        ("Stock on hand", "The stock must be a number like 12."),
    ]
    body = b"".join(download.streaming_content).decode("utf-8-sig").splitlines()
    assert body[0] == "row,errors,Product URL,Name,Article number,Selling price,Stock on hand"
    assert body[1] == (
        "3,Selling price: The price cannot be negative.; "
        "Stock on hand: The stock must be a number like 12.,cup,Cup,CUP-1,-1,lots"
    )
