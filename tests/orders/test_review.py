"""The outside review of issue #7, outside the API: merged customers stay one person, the
customer list's channel filter is store-scoped, refusals write amounts in the store's currency."""

import pytest

from apps.customers.models import Customer
from apps.orders import selectors, services
from tests.orders.helpers import make_order

pytestmark = pytest.mark.django_db


def test_after_a_merge_new_orders_with_the_merged_away_email_or_phone_go_to_the_kept_one(
    store, owner
):
    kept = make_order(store, customer={"email": "ada@example.com", "phone": "+49 30 111111"})
    twin = make_order(store, customer={"email": "ada.l@work.example", "phone": "+49 30 222222"})
    services.customer_merge(store=store, actor=owner, keep=kept.customer, duplicate=twin.customer)

    by_email = make_order(store, customer={"email": "ADA.L@work.example"})
    by_phone = make_order(store, customer={"phone": "+49 30 222 222"})

    assert by_email.customer_id == by_phone.customer_id == kept.customer_id
    assert Customer.objects.for_store(store).count() == 1
    kept.customer.refresh_from_db()
    assert kept.customer.order_count == 4


def test_a_merge_of_a_merged_customer_keeps_the_older_aliases(store, owner):
    first = make_order(store, customer={"email": "a@example.com"}).customer
    second = make_order(store, customer={"email": "b@example.com"}).customer
    third = make_order(store, customer={"email": "c@example.com"}).customer
    services.customer_merge(store=store, actor=owner, keep=second, duplicate=third)
    services.customer_merge(store=store, actor=owner, keep=first, duplicate=second)

    order = make_order(store, customer={"email": "c@example.com"})

    assert order.customer_id == first.pk


def test_an_alias_in_another_store_is_not_matched(store, other_store, owner):
    kept = make_order(store, customer={"email": "a@example.com"}).customer
    twin = make_order(store, customer={"email": "b@example.com"}).customer
    services.customer_merge(store=store, actor=owner, keep=kept, duplicate=twin)

    elsewhere = make_order(other_store, customer={"email": "b@example.com"})

    assert elsewhere.customer.store_id == other_store.pk


def test_the_channel_filter_reads_only_the_stores_orders(store):
    customers = Customer.objects.for_store(store)

    sql = str(selectors.customers_with_channel(customers, store=store, channel="app").query)

    assert sql.count(f'"store_id" = {store.pk}') == 2, sql


def test_the_customer_page_shows_since_the_first_order_and_the_kept_aliases(
    store, owner, client_for
):
    kept = make_order(
        store, customer={"email": "a@example.com"}, placed_at="2021-06-02T10:00:00+00:00"
    ).customer
    twin = make_order(store, customer={"email": "b@example.com"}).customer
    services.customer_merge(store=store, actor=owner, keep=kept, duplicate=twin)

    page = client_for(owner).get(f"/store/{store.handle}/customers/{kept.pk}/").text

    assert "Customer since 2 Jun 2021" in page
    assert "b@example.com" in page.split("data-aliases")[1]
