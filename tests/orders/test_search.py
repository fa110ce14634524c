"""Support search: orders and customers by number, email, phone, name, postal code, tracking
number, payment reference and SKU — exact, partial and with a typo — best match first."""

import pytest

from apps.core.search import global_search
from apps.orders import services
from apps.orders.selectors import customer_search, order_search
from tests.orders.helpers import make_order

pytestmark = pytest.mark.django_db


@pytest.fixture
def orders(store):
    ada = make_order(
        store,
        customer={"email": "ada.lovelace@example.com", "first_name": "Ada", "last_name": "Lovelace",
                  "phone": "+49 30 1234567"},
        payment={"method": "card", "reference": "PAY-778899"},
        lines=[{"sku": "MUG-BLUE-1", "quantity": 1, "unit_price": "10"}],
        discount_total="0",
    )  # fmt: skip
    grace = make_order(
        store,
        customer={"email": "grace.hopper@example.org", "first_name": "Grace", "last_name": "Hopper",
                  "phone": "+1 212 5550101"},
        shipping_address={"line1": "Main St 1", "city": "New York", "postal_code": "10001",
                          "country": "US"},
        payment={"method": "paypal", "reference": "PP-123456"},
        lines=[{"sku": "TEE-RED-M", "quantity": 1, "unit_price": "10"}],
        discount_total="0",
    )  # fmt: skip
    adam = make_order(
        store,
        customer={"email": "adam.lovell@example.net", "first_name": "Adam", "last_name": "Lovell"},
        payment={"method": "card", "reference": "PAY-555000"},
        lines=[{"sku": "MUG-BLUE-2", "quantity": 1, "unit_price": "10"}],
        discount_total="0",
    )  # fmt: skip
    services.order_status_change(
        store=store, actor="x", order=grace, status="shipped", tracking_number="1Z999AA10123456784"
    )
    return {"ada": ada, "grace": grace, "adam": adam}


def _numbers(store, query):
    return [order.number for order in order_search(store=store, query=query)]


@pytest.mark.parametrize(
    ("query", "who"),
    [
        ("ada.lovelace@example.com", "ada"),  # exact email
        ("ADA.LOVELACE@EXAMPLE.COM", "ada"),  # whatever the case
        ("1Z999AA10123456784", "grace"),  # exact tracking number
        ("PAY-778899", "ada"),  # exact payment reference
        ("+49 30 1234567", "ada"),  # phone as typed
        ("0049301234567", "ada"),  # phone written another way
        ("10001", "grace"),  # postal code
        ("TEE-RED-M", "grace"),  # SKU
        ("Grace Hopper", "grace"),  # name
        ("hopper@exam", "grace"),  # part of an email
        ("grace.hoper@example.org", "grace"),  # a typo
        ("Lovelase", "ada"),  # a typo in the name
    ],
)
def test_the_best_match_comes_first(store, orders, query, who):
    found = _numbers(store, query)

    assert found, query
    assert found[0] == orders[who].number, query


def test_an_order_number_finds_that_order_first(store, orders):
    number = orders["adam"].number

    assert _numbers(store, f"#{number}")[0] == number
    assert _numbers(store, str(number))[0] == number


def test_an_exact_email_beats_a_similar_one(store, orders):
    found = _numbers(store, "ada.lovelace@example.com")

    assert found[0] == orders["ada"].number
    assert orders["adam"].number not in found[:1]


def test_a_shared_part_finds_every_match_closest_first(store, orders):
    found = _numbers(store, "MUG-BLUE")

    assert set(found) == {orders["ada"].number, orders["adam"].number}


def test_nothing_from_another_store(store, other_store, orders):
    make_order(other_store, customer={"email": "ada.lovelace@example.com"})

    found = order_search(store=store, query="ada.lovelace@example.com")

    assert {order.store_id for order in found} == {store.pk}


def test_customers_are_found_by_email_name_and_phone(store, orders):
    assert customer_search(store=store, query="grace.hopper@example.org")[0].first_name == "Grace"
    assert customer_search(store=store, query="Lovelace")[0].first_name == "Ada"
    assert customer_search(store=store, query="+1 212 555 0101")[0].first_name == "Grace"


def test_the_global_search_groups_orders_and_customers_best_group_first(store, orders):
    groups = global_search(store=store, role="support", query="grace.hopper@example.org")

    assert [group.label for group in groups][:2] == ["Orders", "Customers"]
    assert groups[0].hits[0].title == f"Order #{orders['grace'].number}"


def test_support_sees_orders_and_customers_in_the_top_bar_search(
    store, support, client_for, orders
):
    page = client_for(support).get("/store/alpha/search/?q=lovelace", HTTP_HX_REQUEST="true").text

    assert f"/store/alpha/orders/{orders['ada'].number}/" in page
    assert f"/store/alpha/customers/{orders['ada'].customer_id}/" in page
