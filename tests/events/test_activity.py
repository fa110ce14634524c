"""Storefront behaviour on the order and customer pages: the session that led to an order, a
customer's carts (also under emails kept from merged duplicates) and their sessions — made
through the ingestion path, folded by the rollup, scoped to the store and bounded."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from apps.events.selectors import activity
from apps.orders.services import customers as customer_services
from tests.events.shopper import Shopper
from tests.orders.helpers import make_order

ORDERS = "/store/alpha/orders/"
CUSTOMERS = "/store/alpha/customers/"
EMAIL = "ada.lovelace@example.com"


@pytest.fixture
def now():
    return timezone.now().replace(microsecond=0)


def ago(now, **delta) -> datetime.datetime:
    return now - datetime.timedelta(**delta)


# --- the order's session -------------------------------------------------------------------------
def test_the_order_session_is_the_purchase_events_session_with_its_steps(events_db, store, now):
    order = make_order(store, external_id="W-1")
    shopper = Shopper(store, email=EMAIL, device="tablet")
    shopper.visit(start=ago(now, hours=3), cart="c-old")  # an earlier session of the visitor
    session_id = shopper.visit(
        start=ago(now, hours=1),
        cart="c-1",
        skus=(("MUG-1", 2, "12.50"), ("TEE-M", 1, "25.00")),
        checkout=("started", "shipping", "payment"),
        order_id="W-1",
        landing="https://shop.example/sale?x=1",
        utm_source="newsletter",
    )
    shopper.send(now=now)

    session = activity.order_session_get(store=store, order=order)

    assert session.session_id == session_id
    assert (session.landing_page, session.source, session.device) == (
        "/sale",
        "newsletter",
        "tablet",
    )
    assert (session.channel, session.country, session.pages_viewed) == ("web", "DE", 3)
    assert session.duration == "4 min 40 s"
    assert [step.label for step in session.steps] == [
        "Viewed /p/MUG-1",
        "Added 2 × MUG-1 at €12.50",
        "Viewed /p/TEE-M",
        "Added 1 × TEE-M at €25.00",
        "Started checkout",
        "Checkout: shipping (€4.90)",
        "Checkout: payment (€4.90)",
        "Ordered W-1, €25.00",
    ]


def test_an_order_without_a_purchase_event_falls_back_to_its_carts_session(events_db, store, now):
    order = make_order(store, external_id="API-7", cart_id="c-9")
    shopper = Shopper(store, email=EMAIL)
    session_id = shopper.visit(start=ago(now, minutes=20), cart="c-9")
    shopper.send(now=now)

    assert activity.order_session_get(store=store, order=order).session_id == session_id


def test_another_stores_session_never_shows_on_an_order(events_db, store, other_store, now):
    ours = make_order(store, external_id="SAME-1", cart_id="c-same")
    shopper = Shopper(other_store, email=EMAIL)
    shopper.visit(start=ago(now, hours=1), cart="c-same", order_id="SAME-1")
    shopper.send(now=now)

    assert activity.order_session_get(store=store, order=ours) is None


def test_a_long_session_shows_its_latest_steps_in_a_fixed_number_of_queries(
    events_db, store, now, django_assert_num_queries
):
    order = make_order(store, external_id="LONG-1")
    shopper = Shopper(store, email=EMAIL)
    skus = [(f"SKU-{index}", 1, "1.00") for index in range(60)]
    shopper.visit(start=ago(now, hours=5), cart="c-long", skus=skus, order_id="LONG-1")
    shopper.send(now=now)

    with django_assert_num_queries(4):
        session = activity.order_session_get(store=store, order=order)

    assert len(session.steps) == activity.STEPS_SHOWN
    assert session.steps_not_shown == 121 - activity.STEPS_SHOWN
    assert session.steps[-1].label == "Ordered LONG-1, €25.00"


# --- the customer's carts ------------------------------------------------------------------------
def test_carts_are_open_abandoned_purchased_or_recovered_by_the_stores_window(
    events_db, store, now
):
    store.abandonment_window_minutes = 60
    store.save()
    customer = make_order(store).customer
    shopper = Shopper(store, email=EMAIL)
    shopper.visit(start=ago(now, minutes=30), cart="c-open")
    shopper.visit(start=ago(now, hours=3), cart="c-abandoned", checkout=("started", "shipping"))
    shopper.visit(start=ago(now, hours=5), cart="c-bought", order_id="EXT-B")
    shopper.visit(start=ago(now, hours=9), cart="c-late")
    shopper.event(
        "purchase",
        ago(now, hours=7),
        "s-later",
        cart_id="c-late",
        properties={"order_id": "EXT-L", "total": "25.00", "currency": "EUR"},
    )
    shopper.send(now=now)

    page = activity.customer_carts_page(
        store=store, emails=activity.customer_emails(store=store, customer=customer), now=now
    )

    assert [(cart.cart_id, cart.state, cart.step_label) for cart in page.object_list] == [
        ("c-open", "open", "Cart"),
        ("c-abandoned", "abandoned", "Shipping"),
        ("c-bought", "purchased", "Cart"),
        ("c-late", "recovered", "Cart"),
    ]
    first = page.object_list[0]
    assert (first.value, first.units, first.items[0].sku) == (25, 2, "MUG-1")


def test_carts_under_an_email_kept_from_a_merged_duplicate_are_the_customers(
    events_db, store, owner, now
):
    keep = make_order(store).customer
    duplicate = make_order(
        store, customer={"email": "ada.l@work.example", "first_name": "Ada", "last_name": "L"}
    ).customer
    customer_services.customer_merge(store=store, actor=owner, keep=keep, duplicate=duplicate)
    shopper = Shopper(store, email="ada.l@work.example")
    shopper.visit(start=ago(now, hours=2), cart="c-work")
    shopper.visit(start=ago(now, hours=1), cart="c-else", email="someone@else.example")
    shopper.send(now=now)

    emails = activity.customer_emails(store=store, customer=keep)
    page = activity.customer_carts_page(store=store, emails=emails, now=now)

    assert emails == ["ada.l@work.example", EMAIL]
    assert [cart.cart_id for cart in page.object_list] == ["c-work"]


def test_another_stores_carts_with_the_same_email_never_show(events_db, store, other_store, now):
    customer = make_order(store).customer
    shopper = Shopper(other_store, email=EMAIL)
    shopper.visit(start=ago(now, hours=2), cart="c-theirs")
    shopper.send(now=now)

    page = activity.customer_carts_page(store=store, emails=[customer.email], now=now)

    assert page.paginator.count == 0


def test_many_carts_come_a_page_at_a_time_in_a_fixed_number_of_queries(
    events_db, store, now, django_assert_num_queries
):
    customer = make_order(store).customer
    shopper = Shopper(store, email=EMAIL)
    for index in range(12):
        shopper.visit(start=ago(now, hours=index + 1), cart=f"c-{index:02d}", order_id=f"O-{index}")
    shopper.send(now=now)

    with django_assert_num_queries(4):  # count, carts, their items, their orders
        page = activity.customer_carts_page(
            store=store, emails=[customer.email], page_number=3, now=now
        )

    assert [cart.cart_id for cart in page.object_list] == ["c-10", "c-11"]
    assert page.paginator.count == 12


# --- the customer's sessions ---------------------------------------------------------------------
def test_the_customers_sessions_are_those_of_the_visitors_of_their_carts_and_orders(
    events_db, store, other_store, now
):
    order = make_order(store, external_id="W-5")
    customer = order.customer
    shopper = Shopper(store, email=EMAIL)
    browsing = shopper.visit(start=ago(now, hours=30))  # no cart: the same browser
    carting = shopper.visit(start=ago(now, hours=20), cart="c-1")
    anonymous = Shopper(store)  # no email: linked by the order it placed
    buying = anonymous.visit(start=ago(now, hours=2), cart="c-2", email="", order_id="W-5")
    stranger = Shopper(store, email="someone@else.example")
    stranger.visit(start=ago(now, hours=1), cart="c-3")
    theirs = Shopper(other_store, email=EMAIL, visitor=shopper.visitor)
    theirs.visit(start=ago(now, hours=1), cart="c-1")
    for person in (shopper, anonymous, stranger, theirs):
        person.send(now=now)

    page = activity.customer_sessions_page(
        store=store,
        customer=customer,
        emails=activity.customer_emails(store=store, customer=customer),
    )

    assert [row.session_id for row in page.object_list] == [buying, carting, browsing]
    assert page.object_list[0].happened == ["Viewed products", "Added to cart", "Ordered"]
    assert page.object_list[0].order_numbers == [order.number]
    assert page.object_list[2].happened == ["Browsed"]


def test_a_customer_with_many_sessions_gets_a_page_in_a_fixed_number_of_queries(
    events_db, store, now, django_assert_num_queries
):
    customer = make_order(store).customer
    shopper = Shopper(store, email=EMAIL)
    for index in range(25):
        shopper.visit(start=ago(now, hours=index + 1), cart=f"c-{index}")
    shopper.send(now=now)

    with django_assert_num_queries(3):  # count, sessions, their purchases (none)
        page = activity.customer_sessions_page(
            store=store, customer=customer, emails=[customer.email], page_number=1
        )

    assert len(page.object_list) == activity.SESSIONS_PER_PAGE
    assert page.paginator.count == 25


# --- the pages -----------------------------------------------------------------------------------
@pytest.mark.parametrize("role", ["support", "manager", "owner"])
def test_every_role_sees_the_session_on_the_order_page(
    events_db, store, make_member, client_for, now, role
):
    order = make_order(store, external_id="W-8")
    shopper = Shopper(store, email=EMAIL)
    shopper.visit(start=ago(now, hours=1), cart="c-8", checkout=("started",), order_id="W-8")
    shopper.send(now=now)

    response = client_for(make_member(store, role)).get(f"{ORDERS}{order.number}/")

    assert response.status_code == 200
    assert "Storefront session" in response.text
    assert "Added 2 × MUG-1 at €12.50" in response.text
    assert "/mugs" in response.text


def test_an_order_with_no_session_says_so_in_one_line(events_db, store, support, client_for):
    order = make_order(store)

    response = client_for(support).get(f"{ORDERS}{order.number}/")

    assert (
        "No storefront session is linked to this order: it came through the API or another channel."
        in response.text
    )


def test_the_customer_page_shows_carts_and_storefront_activity(
    events_db, store, support, client_for, now
):
    customer = make_order(store, external_id="W-9").customer
    shopper = Shopper(store, email=EMAIL)
    shopper.visit(start=ago(now, hours=3), cart="c-left", checkout=("started",))
    shopper.visit(start=ago(now, hours=1), cart="c-bought", order_id="W-9")
    shopper.send(now=now)

    response = client_for(support).get(f"{CUSTOMERS}{customer.pk}/")

    text = response.text
    assert response.status_code == 200
    assert 'data-cart="c-left"' in text and 'data-cart="c-bought"' in text
    assert "Abandoned" in text and "Purchased" in text
    assert text.count("data-session=") == 2


def test_a_customer_without_events_is_told_why_the_panels_are_empty(store, support, client_for):
    customer = make_order(store).customer

    text = client_for(support).get(f"{CUSTOMERS}{customer.pk}/").text

    assert f"no storefront cart carries {EMAIL}" in text
    assert "No storefront sessions are linked to this customer yet" in text


def test_the_carts_panel_pages_on_its_own_address(events_db, store, support, client_for, now):
    customer = make_order(store).customer
    shopper = Shopper(store, email=EMAIL)
    for index in range(7):
        shopper.visit(start=ago(now, hours=index + 1), cart=f"c-{index}")
    shopper.send(now=now)

    response = client_for(support).get(
        f"{CUSTOMERS}{customer.pk}/storefront/carts/?carts_page=2", HTTP_HX_REQUEST="true"
    )

    assert response.text.lstrip().startswith("<section")
    assert response.text.count("data-cart=") == 2
    assert "6–7 of 7" in response.text


def test_another_stores_customer_panel_is_404(store, other_store, support, client_for):
    theirs = make_order(other_store).customer

    for panel in ("carts", "activity"):
        response = client_for(support).get(f"{CUSTOMERS}{theirs.pk}/storefront/{panel}/")
        assert response.status_code == 404


def test_a_plain_visit_to_a_panels_address_goes_to_the_customer_page(store, support, client_for):
    customer = make_order(store).customer

    response = client_for(support).get(f"{CUSTOMERS}{customer.pk}/storefront/carts/?carts_page=2")

    assert response.status_code == 302
    assert response["Location"] == f"{CUSTOMERS}{customer.pk}/?carts_page=2#customer-carts"
