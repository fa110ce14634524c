"""The import path end to end in the database: dry run, upsert, modes, checks across rows."""

from __future__ import annotations

import csv
import io
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from apps.audit.models import AuditEntry
from apps.catalog import services
from apps.catalog.models import (
    ImportJob,
    ImportStatus,
    InventoryMovement,
    Product,
    Variant,
)
from apps.core.exceptions import DomainError
from apps.core.jobs import job_run, jobs_reap_stuck, jobs_requeue_lost
from tests.catalog.io_factories import csv_bytes, make_shirts, media_root, row, upload  # noqa: F401

pytestmark = pytest.mark.usefixtures("media_root")


def checked(store, owner, rows, *, mode="skip", header=None, mapping=None):
    job = services.import_job_create(
        store=store, actor=owner, upload=upload(csv_bytes(rows, header))
    )
    return services.import_job_configure(
        store=store, job=job, mapping=mapping or job.mapping, mode=mode
    )


def imported(store, owner, rows, *, mode="skip", header=None):
    job = checked(store, owner, rows, mode=mode, header=header)
    services.import_job_start(store=store, job=job, actor=owner)
    job.refresh_from_db()
    return job


def make_product(store, handle="linen-shirt", sku="LS-M", **variant):
    product = Product.objects.create(store=store, handle=handle, title="Old title")
    Variant.objects.create(
        store=store,
        product=product,
        sku=sku,
        price=variant.get("price", Decimal("10.00")),
        stock_quantity=variant.get("stock", 3),
        compare_at_price=variant.get("compare_at"),
        option_values={"Size": "M"},
    )
    return product


def error_list(job):
    return [(e["row"], e["column"], e["message"]) for e in job.summary["errors"]]


# --- dry run ---------------------------------------------------------------------------------
def test_dry_run_counts_what_would_change_and_writes_nothing(store, owner):
    make_product(store)
    rows = [row(), row(sku="LS-L", option1_value="L"), row(handle="tote", title="Tote", sku="T-1")]

    job = checked(store, owner, rows)

    assert job.status == ImportStatus.VALIDATED
    assert {k: job.summary[k] for k in ("rows", "valid_rows", "error_rows")} == {
        "rows": 3,
        "valid_rows": 3,
        "error_rows": 0,
    }
    assert (job.summary["products_created"], job.summary["products_updated"]) == (1, 1)
    assert (job.summary["variants_created"], job.summary["variants_updated"]) == (2, 1)
    assert Product.objects.for_store(store).get().title == "Old title"
    assert Variant.objects.for_store(store).count() == 1


def test_dry_run_lists_every_invalid_row_with_row_column_and_message(store, owner):
    make_shirts(store)
    rows = [
        row(category="Apparel > Shirts"),
        row(sku="LS-L", option1_value="L", price="-5"),
        row(sku="LS-S", option1_value="S", category="Garden"),
        row(sku="LS-M", option1_value="XL"),
    ]

    job = checked(store, owner, rows)

    assert error_list(job) == [
        (3, "price", "The price cannot be negative."),
        (
            4,
            "category",
            "Unknown category “Garden”. Create it first on the categories page, or write the "
            "path of an existing one, parents first, joined by “ > ”.",
        ),
        (5, "sku", "SKU “LS-M” is already used on row 2."),
    ]
    assert (job.summary["valid_rows"], job.summary["error_rows"]) == (1, 3)


def test_missing_required_header_is_refused_at_mapping(store, owner):
    header = ["handle", "title", "price"]
    job = services.import_job_create(
        store=store, actor=owner, upload=upload(csv_bytes([row()], header))
    )

    with pytest.raises(DomainError) as error:
        services.import_job_configure(store=store, job=job, mapping=job.mapping, mode="skip")

    assert error.value.message == "Choose the file's column for: SKU (required)."
    job.refresh_from_db()
    assert job.status == ImportStatus.UPLOADED


def test_extra_columns_are_ignored_and_reported(store, owner):
    header = ["handle", "title", "sku", "price", "supplier_notes"]
    rows = [{**row(), "supplier_notes": "call Tom"}]

    job = checked(store, owner, rows, header=header)

    assert job.summary["ignored_columns"] == ["supplier_notes"]
    assert job.summary["error_rows"] == 0


def test_upload_of_a_file_without_known_headers_is_refused(store, owner):
    data = b"foo,bar,baz\n1,2,3\n"

    with pytest.raises(DomainError) as error:
        services.import_job_create(store=store, actor=owner, upload=upload(data))

    assert error.value.field == "file"
    assert error.value.message.startswith(
        "This doesn't look like a product file: none of its column headers match"
    )
    assert ImportJob.objects.for_store(store).count() == 0


def test_upload_of_a_latin1_csv_is_refused(store, owner):
    data = "handle,title,sku,price\nsocke,Grüne Socke,S1,5\n".encode("latin-1")

    with pytest.raises(DomainError, match="isn't UTF-8"):
        services.import_job_create(store=store, actor=owner, upload=upload(data))


# --- checks across rows and against the catalog ------------------------------------------------
def test_sku_of_another_product_is_refused(store, owner):
    make_product(store, handle="other", sku="TAKEN")

    job = checked(store, owner, [row(sku="TAKEN")])

    assert error_list(job) == [
        (2, "sku", "SKU “TAKEN” already belongs to another product (“other”).")
    ]


def test_one_handle_with_two_titles_is_a_duplicate_handle(store, owner):
    rows = [row(), row(sku="X-2", title="Canvas tote", option1_value="L")]

    job = checked(store, owner, rows)

    assert error_list(job) == [
        (
            3,
            "handle",
            "Handle “linen-shirt” is already used on row 2 for “Linen shirt”. Give this product "
            "its own handle, or the same title if it is a variant of that product.",
        )
    ]


def test_two_variants_with_the_same_options_are_refused(store, owner):
    job = checked(store, owner, [row(), row(sku="LS-2")])

    assert error_list(job) == [
        (
            3,
            "option1_value",
            "Same options as row 2 of product “linen-shirt”: each variant needs its own option "
            "values.",
        )
    ]


def test_a_product_needs_a_title_on_one_of_its_rows(store, owner):
    job = checked(store, owner, [row(title=""), row(title="", sku="LS-L", option1_value="L")])

    assert [e[:2] for e in error_list(job)] == [(2, "title"), (3, "title")]


def test_price_above_an_existing_compare_at_is_refused_when_compare_at_is_not_imported(
    store, owner
):
    make_product(store, price=Decimal("10.00"), compare_at=Decimal("12.00"))
    header = ["handle", "title", "sku", "price"]

    job = checked(store, owner, [row(price="15.00")], header=header)

    assert error_list(job)[0][:2] == (2, "price")


# --- run -----------------------------------------------------------------------------------------
def test_import_creates_products_and_variants_and_records_stock(store, owner):
    shirts = make_shirts(store)
    rows = [
        row(category="Apparel > Shirts"),
        row(sku="LS-L", option1_value="L", stock_quantity="4"),
    ]

    job = imported(store, owner, rows)

    assert job.status == ImportStatus.DONE
    assert (job.created_count, job.updated_count, job.skipped_count) == (2, 0, 0)
    product = Product.objects.for_store(store).get()
    assert (product.title, product.status, product.category, product.tags) == (
        "Linen shirt",
        "active",
        shirts,
        ["summer", "linen"],
    )
    variants = list(
        product.variants.order_by("position").values_list(
            "sku", "option_values", "stock_quantity", "position"
        )
    )
    assert variants == [("LS-M", {"Size": "M"}, 10, 0), ("LS-L", {"Size": "L"}, 4, 1)]
    movements = InventoryMovement.objects.for_store(store).order_by("variant__sku")
    assert [(m.variant.sku, m.delta, m.quantity_after, m.reason, m.actor) for m in movements] == [
        ("LS-L", 4, 4, "import", owner),
        ("LS-M", 10, 10, "import", owner),
    ]


def test_import_updates_by_handle_and_sku_and_records_only_stock_changes(store, owner):
    product = make_product(store, stock=3)
    Variant.objects.create(
        store=store,
        product=product,
        sku="LS-L",
        price=10,
        stock_quantity=8,
        option_values={"Size": "L"},
    )

    job = imported(
        store,
        owner,
        [
            row(price="55.00", stock_quantity="7"),
            row(sku="LS-L", option1_value="L", stock_quantity="8"),
        ],
    )

    assert (job.created_count, job.updated_count) == (0, 2)
    product.refresh_from_db()
    assert product.title == "Linen shirt"
    variant = Variant.objects.for_store(store).get(sku="LS-M")
    assert (variant.price, variant.stock_quantity) == (Decimal("55.00"), 7)
    assert list(
        InventoryMovement.objects.for_store(store).values_list(
            "variant__sku", "delta", "quantity_after"
        )
    ) == [("LS-M", 4, 7)]


def test_columns_left_out_of_the_file_are_not_changed(store, owner):
    product = make_product(store)
    Product.objects.filter(pk=product.pk).update(vendor="Keep me", description="Keep this")
    header = ["handle", "title", "sku", "price"]

    imported(store, owner, [row(price="12.00")], header=header)

    product.refresh_from_db()
    variant = product.variants.get()
    assert (product.vendor, product.description) == ("Keep me", "Keep this")
    assert (variant.price, variant.stock_quantity, variant.option_values) == (
        Decimal("12.00"),
        3,
        {"Size": "M"},
    )


def test_skip_bad_rows_imports_the_good_rows_and_offers_the_bad_ones_as_csv(store, owner):
    rows = [
        row(),
        row(sku="LS-L", option1_value="L", price="-1"),
        row(handle="tote", title="Tote", sku="T-1"),
    ]

    job = imported(store, owner, rows)

    assert job.status == ImportStatus.DONE
    assert (job.created_count, job.skipped_count) == (2, 1)
    assert sorted(Variant.objects.for_store(store).values_list("sku", flat=True)) == ["LS-M", "T-1"]
    lines = list(csv.reader(io.StringIO(job.result_file.read().decode("utf-8-sig"))))
    assert lines[0][:4] == ["row", "errors", "handle", "title"]
    assert lines[1][:3] == ["3", "price: The price cannot be negative.", "linen-shirt"]
    assert lines[1][2 + 10] == "LS-L"
    assert len(lines) == 2


def test_all_or_nothing_with_a_bad_row_cannot_start(store, owner):
    job = checked(store, owner, [row(), row(sku="B", option1_value="L", price="x")], mode="all")

    with pytest.raises(DomainError, match="all or nothing"):
        services.import_job_start(store=store, job=job, actor=owner)

    assert Product.objects.for_store(store).count() == 0


def test_all_or_nothing_writes_nothing_when_a_row_became_bad_since_the_check(store, owner):
    job = checked(store, owner, [row(), row(handle="tote", title="Tote", sku="T-1")], mode="all")
    make_product(store, handle="other", sku="T-1")  # someone took the SKU meanwhile

    services.import_job_start(store=store, job=job, actor=owner)

    job.refresh_from_db()
    assert job.status == ImportStatus.FAILED
    assert job.failure_message == (
        "Nothing was imported: 1 rows have errors and this import is all or nothing."
    )
    assert list(Product.objects.for_store(store).values_list("handle", flat=True)) == ["other"]
    assert InventoryMovement.objects.for_store(store).count() == 0


def test_each_run_writes_one_audit_entry_with_the_counts(store, owner):
    job = imported(store, owner, [row(), row(sku="LS-L", option1_value="L", price="-1")])

    entry = AuditEntry.objects.get(store=store, action="catalog.imported")
    assert entry.target_id == str(job.pk)
    assert entry.actor == owner
    assert entry.changes["variants_created"] == [None, 1]
    assert entry.changes["error_rows"] == [None, 1]
    assert entry.changes["stock_movements"] == [None, 1]


def test_import_touches_only_its_own_store(store, other_store, owner):
    make_product(other_store, sku="LS-M")

    job = imported(store, owner, [row()])

    assert job.created_count == 1
    assert Variant.objects.for_store(other_store).get().price == Decimal("10.00")


# --- background jobs ---------------------------------------------------------------------------
def run_import(job_id):
    return job_run(label="catalog.ImportJob", job_id=job_id)


def test_large_file_is_checked_by_a_job_queued_on_commit(
    store, owner, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(services.imports, "INLINE_MAX_ROWS", 1)
    job = services.import_job_create(
        store=store, actor=owner, upload=upload(csv_bytes([row(), row(sku="B", option1_value="L")]))
    )

    with django_capture_on_commit_callbacks() as callbacks:
        services.import_job_configure(store=store, job=job, mapping=job.mapping, mode="skip")

    assert len(callbacks) == 1
    job.refresh_from_db()
    assert (job.status, job.lifecycle, job.started_at) == (
        ImportStatus.CHECK_QUEUED,
        "queued",
        None,
    )
    assert run_import(job.pk) == ImportStatus.VALIDATED
    job.refresh_from_db()
    assert (job.status, job.processed, job.total) == (ImportStatus.VALIDATED, 2, 2)


def test_run_job_imports_once_even_when_delivered_twice(
    store, owner, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(services.imports, "INLINE_MAX_ROWS", 1)
    job = services.import_job_create(
        store=store, actor=owner, upload=upload(csv_bytes([row(), row(sku="B", option1_value="L")]))
    )
    services.import_job_configure(store=store, job=job, mapping=job.mapping, mode="skip")
    run_import(job.pk)
    job.refresh_from_db()
    with django_capture_on_commit_callbacks() as callbacks:
        services.import_job_start(store=store, job=job, actor=owner)

    assert len(callbacks) == 1
    job.refresh_from_db()
    assert (job.status, job.lifecycle) == (ImportStatus.IMPORT_QUEUED, "queued")
    assert run_import(job.pk) == ImportStatus.DONE
    assert run_import(job.pk) is None

    assert Variant.objects.for_store(store).count() == 2
    assert InventoryMovement.objects.for_store(store).count() == 2
    assert AuditEntry.objects.filter(store=store, action="catalog.imported").count() == 1


def test_jobs_return_early_for_a_missing_import(db):
    assert run_import(987654) is None


def test_an_unexpected_error_fails_the_import_with_a_message_and_writes_nothing(
    store, owner, monkeypatch
):
    monkeypatch.setattr(services.imports, "INLINE_MAX_ROWS", 1)
    job = services.import_job_create(
        store=store, actor=owner, upload=upload(csv_bytes([row(), row(sku="B", option1_value="L")]))
    )
    services.import_job_configure(store=store, job=job, mapping=job.mapping, mode="skip")
    run_import(job.pk)
    job.refresh_from_db()
    services.import_job_start(store=store, job=job, actor=owner)

    def broken(*args, **kwargs):
        raise ValueError("boom in a place nobody expected")

    monkeypatch.setattr(services.imports.BulkImport, "apply", broken)

    assert run_import(job.pk) == ImportStatus.FAILED
    job.refresh_from_db()
    assert job.failure_message == (
        "The import stopped unexpectedly and nothing was written. Try again; if it happens "
        "again, split the file into smaller parts."
    )
    assert Variant.objects.for_store(store).count() == 0


def large_import(store, owner, monkeypatch):
    monkeypatch.setattr(services.imports, "INLINE_MAX_ROWS", 1)
    return services.import_job_create(
        store=store, actor=owner, upload=upload(csv_bytes([row(), row(sku="B", option1_value="L")]))
    )


def test_an_import_waiting_behind_a_backlog_is_queued_again_not_reaped(
    store, owner, monkeypatch, settings, django_capture_on_commit_callbacks
):
    settings.JOB_STUCK_AFTER_MINUTES = 30
    job = large_import(store, owner, monkeypatch)
    long_ago = timezone.now() - timedelta(minutes=45)
    for start in (
        lambda: services.import_job_configure(
            store=store, job=job, mapping=job.mapping, mode="skip"
        ),
        lambda: services.import_job_start(store=store, job=job, actor=owner),
    ):
        start()
        ImportJob.objects.filter(pk=job.pk).update(updated_at=long_ago)

        assert jobs_reap_stuck() == 0
        with django_capture_on_commit_callbacks() as callbacks:
            assert jobs_requeue_lost() == 1

        assert len(callbacks) == 1  # its message was lost: queued again
        job.refresh_from_db()
        assert job.lifecycle == "queued"
        assert run_import(job.pk) in (ImportStatus.VALIDATED, ImportStatus.DONE)
        job.refresh_from_db()
    assert job.status == ImportStatus.DONE
    assert Variant.objects.for_store(store).count() == 2


def test_a_started_check_without_a_heartbeat_is_still_reaped(store, owner, monkeypatch, settings):
    settings.JOB_STUCK_AFTER_MINUTES = 30
    job = large_import(store, owner, monkeypatch)
    services.import_job_configure(store=store, job=job, mapping=job.mapping, mode="skip")
    ImportJob.objects.filter(pk=job.pk).update(
        status=ImportStatus.VALIDATING, updated_at=timezone.now() - timedelta(minutes=45)
    )

    assert jobs_requeue_lost() == 0
    assert jobs_reap_stuck() == 1
    job.refresh_from_db()
    assert job.status == ImportStatus.FAILED


# --- what happens to the row while a check runs ------------------------------------------------
def check_that_first(monkeypatch, job, status, message="", error=None):
    """The check, with ``status`` written to the job meanwhile (a Cancel, the reaper)."""
    original = services.imports.BulkImport.check

    def check(self):
        ImportJob.objects.filter(pk=job.pk).update(status=status, failure_message=message)
        if error:
            raise error
        return original(self)

    monkeypatch.setattr(services.imports.BulkImport, "check", check)


@pytest.mark.parametrize(
    ("status", "message"),
    [(ImportStatus.CANCELLED, ""), (ImportStatus.FAILED, "Stopped without finishing")],
)
def test_a_cancel_or_reap_during_the_check_is_not_overwritten(
    store, owner, monkeypatch, status, message
):
    job = services.import_job_create(
        store=store, actor=owner, upload=upload(csv_bytes([row(), row(sku="B", price="abc")]))
    )
    check_that_first(monkeypatch, job, status, message)

    services.import_job_configure(store=store, job=job, mapping=job.mapping, mode="skip")

    job.refresh_from_db()
    assert (job.status, job.failure_message) == (status, message)
    assert "valid_rows" not in job.summary
    assert job.result_file.name == ""


def test_a_file_error_after_a_cancel_keeps_the_cancel(store, owner, monkeypatch):
    job = services.import_job_create(store=store, actor=owner, upload=upload(csv_bytes([row()])))
    error = services.imports.ImportFileError("The file ends in the middle of a row.")
    check_that_first(monkeypatch, job, ImportStatus.CANCELLED, error=error)

    services.import_job_configure(store=store, job=job, mapping=job.mapping, mode="skip")

    job.refresh_from_db()
    assert (job.status, job.failure_message) == (ImportStatus.CANCELLED, "")


@pytest.mark.parametrize("status", [ImportStatus.CHECK_QUEUED, ImportStatus.VALIDATING])
def test_a_new_mapping_is_refused_while_the_file_is_being_checked(store, owner, status):
    job = services.import_job_create(store=store, actor=owner, upload=upload(csv_bytes([row()])))
    ImportJob.objects.filter(pk=job.pk).update(status=status)
    job.refresh_from_db()
    before = ImportJob.objects.values().get(pk=job.pk)

    with pytest.raises(DomainError) as refused:
        services.import_job_configure(
            store=store, job=job, mapping={"handle": "handle"}, mode="all"
        )

    assert refused.value.message == (
        "This file is being checked right now. Wait for the check to finish, or cancel it."
    )
    assert ImportJob.objects.values().get(pk=job.pk) == before


def test_two_mappings_sent_at_once_start_one_check(store, owner, monkeypatch):
    monkeypatch.setattr(services.imports, "INLINE_MAX_ROWS", 0)
    job = services.import_job_create(store=store, actor=owner, upload=upload(csv_bytes([row()])))
    stale = ImportJob.objects.get(pk=job.pk)  # the second request loaded the row before the first

    services.import_job_configure(store=store, job=job, mapping=job.mapping, mode="skip")
    with pytest.raises(DomainError):
        services.import_job_configure(store=store, job=stale, mapping=job.mapping, mode="all")

    job.refresh_from_db()
    assert (job.status, job.mode) == (ImportStatus.CHECK_QUEUED, "skip")
