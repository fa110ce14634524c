"""Bulk actions over more products than one request should handle run as a background job."""

import re
import threading
import time
from decimal import Decimal

import pytest
from django.db import OperationalError, connection

from apps.audit.models import AuditEntry
from apps.catalog import services
from apps.catalog.models import BulkJob, Product, Variant
from apps.core.exceptions import DomainError
from apps.core.jobs import JobRetry, job_run
from tests.catalog.factories import ProductFactory, VariantFactory
from tests.factories import StoreFactory

BASE = "/store/alpha/catalog/"


@pytest.fixture
def small_limits(monkeypatch):
    monkeypatch.setattr(services, "BULK_INLINE_MAX", 2)  # the product list reads it here
    monkeypatch.setattr(services.bulk, "BULK_INLINE_MAX", 2)
    monkeypatch.setattr(services.bulk, "BULK_CHUNK", 2)


def test_bulk_over_the_inline_limit_becomes_a_job_with_a_progress_page(
    store, owner, client_for, small_limits, django_capture_on_commit_callbacks
):
    for n in range(3):
        ProductFactory(store=store, title=f"Linen {n}", status="active")
    ProductFactory(store=store, title="Mug", status="active")
    client = client_for(owner)

    data = {"action": "archive", "scope": "all", "filter-q": "linen"}
    asked = client.post(BASE + "products/bulk/", data)  # a store-wide change is confirmed first
    confirmation = re.search(r'name="confirmation" value="([^"]+)"', asked.content.decode())
    with django_capture_on_commit_callbacks() as callbacks:
        response = client.post(
            BASE + "products/bulk/",
            {**data, "confirmed": "on", "confirmation": confirmation.group(1)},
        )

    job = BulkJob.objects.get()
    assert response.status_code == 302
    assert response["Location"].startswith(f"{BASE}products/bulk/{job.pk}/?back=")
    assert len(callbacks) == 1  # the task is queued once the job row is committed
    assert job.total == 3 and job.status == "queued"
    assert Product.objects.filter(status="archived").count() == 0  # nothing done in the request
    waiting = client.get(response["Location"], HTTP_HX_REQUEST="true")
    assert b"Waiting for a worker" in waiting.content
    assert b'hx-trigger="every 1s"' in waiting.content

    assert job_run(label="catalog.BulkJob", job_id=job.pk) == "done"

    job.refresh_from_db()
    assert (job.status, job.processed, job.changed) == ("done", 3, 3)
    statuses = dict(Product.objects.values_list("title", "status"))
    assert statuses == {
        "Linen 0": "archived",
        "Linen 1": "archived",
        "Linen 2": "archived",
        "Mug": "active",
    }
    done = client.get(response["Location"], HTTP_HX_REQUEST="true")
    assert b"Done: 3 of 3 products changed" in done.content
    assert b"every 1s" not in done.content
    assert AuditEntry.objects.filter(action="product.bulk_archive").count() == 3


def test_a_job_resumes_after_the_last_committed_chunk_without_applying_twice(
    store, owner, small_limits, monkeypatch
):
    variants = [
        VariantFactory(product=ProductFactory(store=store), price="10.00") for _ in range(5)
    ]
    job = services.bulk_job_create(
        store=store,
        actor=owner,
        products=Product.objects.for_store(store),
        options=services.BulkOptions(action="adjust_price", mode="percent", value="10"),
    )
    real_update = services.products_bulk_update
    calls = {"n": 0}

    def crash_on_second_chunk(**kwargs):
        calls["n"] += 1
        if calls["n"] == 2:
            raise OperationalError("server closed the connection unexpectedly")
        return real_update(**kwargs)

    monkeypatch.setattr(services.bulk, "products_bulk_update", crash_on_second_chunk)
    with pytest.raises(JobRetry):
        job_run(label="catalog.BulkJob", job_id=job.pk)
    job.refresh_from_db()
    assert (job.status, job.processed) == ("running", 2)

    monkeypatch.setattr(services.bulk, "products_bulk_update", real_update)
    job_run(label="catalog.BulkJob", job_id=job.pk, attempt=1)  # the retry
    assert job_run(label="catalog.BulkJob", job_id=job.pk) is None  # once more: nothing to do

    job.refresh_from_db()
    assert (job.status, job.processed, job.changed) == ("done", 5, 5)
    prices = set(
        Variant.objects.filter(pk__in=[v.pk for v in variants]).values_list("price", flat=True)
    )
    assert prices == {Decimal("11.00")}


def test_bad_options_are_refused_before_any_job_exists(store, owner):
    ProductFactory(store=store)

    with pytest.raises(DomainError) as error:
        services.bulk_job_create(
            store=store,
            actor=owner,
            products=Product.objects.for_store(store),
            options=services.BulkOptions(action="add_tag", tag="  "),
        )

    assert error.value.field == "tag"
    assert not BulkJob.objects.exists()


def test_a_job_that_hits_a_rule_stops_and_says_how_far_it_got(store, owner, small_limits):
    ProductFactory(store=store, tags=[])
    ProductFactory(store=store, tags=[])
    ProductFactory(store=store, tags=[f"t{n}" for n in range(services.MAX_TAGS)])
    job = services.bulk_job_create(
        store=store,
        actor=owner,
        products=Product.objects.for_store(store),
        options=services.BulkOptions(action="add_tag", tag="sale"),
    )

    job_run(label="catalog.BulkJob", job_id=job.pk)

    job.refresh_from_db()
    assert job.status == "failed"
    assert "already has 50 tags" in job.failure_message
    assert "2 of 3 products were done before it stopped" in job.failure_message


def test_cancelling_a_running_job_stops_it_before_the_next_chunk(
    store, owner, client_for, small_limits, monkeypatch
):
    for n in range(5):
        ProductFactory(store=store, title=f"Linen {n}", status="active")
    job = services.bulk_job_create(
        store=store,
        actor=owner,
        products=Product.objects.for_store(store),
        options=services.BulkOptions(action="archive"),
    )
    client = client_for(owner)
    real_update = services.products_bulk_update

    def cancel_after_first_chunk(**kwargs):
        result = real_update(**kwargs)
        # the merchant presses Cancel while the first chunk runs
        response = client.post(f"{BASE}products/bulk/{job.pk}/cancel/")
        assert response.status_code == 302
        return result

    monkeypatch.setattr(services.bulk, "products_bulk_update", cancel_after_first_chunk)
    assert job_run(label="catalog.BulkJob", job_id=job.pk) == "cancelled"

    job.refresh_from_db()
    assert (job.status, job.processed) == ("cancelled", 2)
    assert Product.objects.filter(status="archived").count() == 2
    page = client.get(f"{BASE}products/bulk/{job.pk}/", HTTP_HX_REQUEST="true").content.decode()
    assert "Cancelled after 2 of 5 products" in page
    assert "hx-trigger" not in page
    assert AuditEntry.objects.filter(action="bulkjob.cancelled").count() == 1
    log = client.get(f"/store/{store.handle}/audit/").content.decode()
    assert "cancelled the bulk action" in log
    assert "bulkjob cancelled" not in log  # the raw code spelled as words


def test_cancel_of_a_finished_job_changes_nothing(store, owner, client_for, small_limits):
    for n in range(3):
        ProductFactory(store=store, title=f"Linen {n}", status="active")
    job = services.bulk_job_create(
        store=store,
        actor=owner,
        products=Product.objects.for_store(store),
        options=services.BulkOptions(action="archive"),
    )
    job_run(label="catalog.BulkJob", job_id=job.pk)

    response = client_for(owner).post(f"{BASE}products/bulk/{job.pk}/cancel/")

    job.refresh_from_db()
    assert response.status_code == 302
    assert job.status == "done"
    assert not AuditEntry.objects.filter(action="bulkjob.cancelled").exists()


def test_cancel_needs_a_post_and_the_store(store, other_store, owner, make_member, client_for):
    ProductFactory(store=store)
    job = services.bulk_job_create(
        store=store,
        actor=owner,
        products=Product.objects.for_store(store),
        options=services.BulkOptions(action="archive"),
    )
    stranger = make_member(other_store, "owner")

    assert client_for(owner).get(f"{BASE}products/bulk/{job.pk}/cancel/").status_code == 405
    assert client_for(stranger).post(f"{BASE}products/bulk/{job.pk}/cancel/").status_code == 404
    job.refresh_from_db()
    assert job.status == "queued"


@pytest.mark.django_db(transaction=True)
def test_cancel_answers_at_once_while_a_chunk_is_being_written(monkeypatch, small_limits):
    """The worker's chunk runs in a transaction of its own; Cancel, pressed meanwhile, must not
    wait for it (a slow chunk once left the Cancel button hanging)."""
    store = StoreFactory(handle="locks")
    for n in range(4):
        ProductFactory(store=store, title=f"Wool {n}", status="active")
    job = services.bulk_job_create(
        store=store,
        actor="test",
        products=Product.objects.for_store(store),
        options=services.BulkOptions(action="archive"),
    )
    in_chunk, release = threading.Event(), threading.Event()
    real_update = services.products_bulk_update

    def slow_chunk(**kwargs):
        result = real_update(**kwargs)
        in_chunk.set()
        release.wait(10)
        return result

    monkeypatch.setattr(services.bulk, "products_bulk_update", slow_chunk)
    outcome = {}

    def worker():
        try:
            outcome["status"] = job_run(label="catalog.BulkJob", job_id=job.pk)
        finally:
            connection.close()

    thread = threading.Thread(target=worker)
    thread.start()
    try:
        assert in_chunk.wait(10)
        started = time.monotonic()
        services.catalog_job_cancel(store=store, actor="test", job=BulkJob.objects.get(pk=job.pk))
        waited = time.monotonic() - started
    finally:
        release.set()
        thread.join(10)

    assert waited < 2
    assert outcome["status"] == "cancelled"
    job.refresh_from_db()
    assert (job.status, job.processed) == ("cancelled", 2)  # the chunk under way stays done
    assert Product.objects.for_store(store).filter(status="archived").count() == 2


def test_a_bulk_price_change_keeps_yen_prices_whole(store, owner):
    store.currency = "JPY"
    store.save(update_fields=["currency"])
    variant = VariantFactory(product__store=store, price="75.00", compare_at_price="95.00")

    services.products_bulk_update(
        store=store,
        actor=owner,
        products=Product.objects.for_store(store),
        options=services.BulkOptions(action="adjust_price", mode="percent", value=Decimal("10")),
    )

    variant.refresh_from_db()
    assert (str(variant.price), str(variant.compare_at_price)) == ("83.00", "105.00")
