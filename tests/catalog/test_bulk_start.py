"""``bulk_start``: the one place that decides confirm first / apply now / run as a job, and
bounds what a request may name."""

import pytest

from apps.audit.models import AuditEntry
from apps.catalog import selectors, services
from apps.catalog.models import BulkJob, Product
from apps.catalog.services import BulkConfirm, BulkOptions, BulkResult
from apps.core.exceptions import DomainError
from tests.catalog.factories import CategoryFactory, ProductFactory

BASE = "/store/alpha/catalog/"
ARCHIVE = BulkOptions(action="archive")


def _start(store, owner, **kwargs):
    arguments = {"scope": "selected", "ids": [], "params": {}, "options": ARCHIVE}
    return services.bulk_start(store=store, actor=owner, **(arguments | kwargs))


def test_a_selection_applies_at_once(store, owner):
    product = ProductFactory(store=store, status="active")

    started = _start(store, owner, ids=[product.pk])

    assert started == BulkResult(action="archive", matched=1, changed=1)


def test_all_matching_is_confirmed_first_then_runs_as_a_job_above_the_limit(
    store, owner, monkeypatch
):
    monkeypatch.setattr(services.bulk, "BULK_INLINE_MAX", 2)
    for n in range(3):
        ProductFactory(store=store, title=f"Linen {n}", status="active")
    ProductFactory(store=store, title="Mug", status="active")

    asked = _start(store, owner, scope="all", params={"q": "linen"})
    started = _start(store, owner, scope="all", params={"q": "linen"}, confirmation=asked.token)

    assert isinstance(asked, BulkConfirm)
    assert (asked.count, asked.is_job, asked.is_stale) == (3, True, False)
    assert isinstance(started, BulkJob) and started.total == 3
    assert Product.objects.filter(status="archived").count() == 0  # the job does it


def test_a_confirmation_for_another_user_or_count_is_asked_again(store, owner, manager):
    product = ProductFactory(store=store, status="active")
    asked = _start(store, owner, scope="all")
    ProductFactory(store=store, status="active")  # one more matches now

    again = _start(store, owner, scope="all", confirmation=asked.token)
    other = _start(store, manager, scope="all", confirmation=again.token)

    assert isinstance(again, BulkConfirm) and (again.count, again.is_stale) == (2, True)
    assert isinstance(other, BulkConfirm)
    product.refresh_from_db()
    assert product.status == "active"


def test_a_selection_of_more_ids_than_a_request_may_name_is_refused(store, owner):
    product = ProductFactory(store=store, status="active")
    ids = [product.pk, *range(10**8, 10**8 + services.BULK_IDS_MAX)]

    with pytest.raises(DomainError) as caught:
        _start(store, owner, ids=ids)

    assert caught.value.field == "ids"
    product.refresh_from_db()
    assert product.status == "active"


def test_the_product_list_refuses_a_crafted_post_naming_too_many_products(store, owner, client_for):
    products = [ProductFactory(store=store, status="active") for _ in range(3)]
    ids = [p.pk for p in products] + list(range(10**8, 10**8 + services.BULK_IDS_MAX))

    response = client_for(owner).post(
        BASE + "products/bulk/", {"action": "archive", "scope": "selected", "ids": ids}, follow=True
    )

    assert f"Select at most {services.BULK_IDS_MAX:,} products" in response.text
    assert Product.objects.filter(status="archived").count() == 0
    assert not AuditEntry.objects.filter(action="product.bulk_archive").exists()


def test_the_filter_summary_names_the_filter_as_the_lists_chips_do(store):
    shirts = CategoryFactory(store=store, name="Shirts")
    params = {"q": "linen", "category": str(shirts.pk), "stock": "low", "status": "active"}

    summary = selectors.product_filter_summary(params, selectors.category_choices(store=store))

    assert summary == ["Search: linen", "Category: Shirts", "Stock: Low stock", "Status: Active"]
