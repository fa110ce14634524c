"""The outside review of issue #7, outside the API: merged customers stay one person, the
customer list's channel filter is store-scoped, refusals write amounts in the store's currency."""

import pytest

from apps.customers.models import Customer
from apps.orders import selectors, services
from apps.orders.models import Order
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


# --- forms say what the API says (item 6) ------------------------------------------------------
def _api(store, owner):
    from django.test import Client

    from apps.accounts import services as account_services

    _key, raw = account_services.api_key_create(store=store, actor=owner, name="Shop")
    return Client(HTTP_AUTHORIZATION=f"Bearer {raw}")


@pytest.mark.parametrize(
    ("amount", "quantity"),
    [("-1", ""), ("abc", ""), ("1.005", ""), ("", "1.5"), ("", "-2")],
)
def test_the_refund_form_refuses_with_the_apis_message(
    store, owner, support, client_for, amount, quantity
):
    order = make_order(store)
    mug = order.lines.get(sku="MUG-1")
    api = _api(store, owner).post(
        f"/api/v1/orders/{order.pk}/refunds/",
        {"lines": [{"line": mug.pk, "amount": amount, "quantity": quantity}]},
        content_type="application/json",
    )
    [api_message] = next(iter(api.json()["errors"].values()))

    page = client_for(support).post(
        f"/store/{store.handle}/orders/{order.number}/refunds/",
        {f"line_{mug.pk}_amount": amount, f"line_{mug.pk}_quantity": quantity},
        HTTP_HX_REQUEST="true",
    )

    assert api.status_code == 400
    assert api_message in page.text
    assert f'value="{amount or quantity}"' in page.text  # what was typed stays


@pytest.mark.parametrize(
    ("field", "value"),
    [("phone", "+49 30 1234567 1234567 1234567 12345"), ("email", "a" * 250 + "@example.com"),
     ("first_name", "A" * 101)],
)  # fmt: skip
def test_the_contact_form_refuses_with_the_ingest_message(store, owner, client_for, field, value):
    from apps.core.exceptions import DomainError
    from apps.customers.inputs import contact

    order = make_order(store)
    with pytest.raises(DomainError) as rule:
        contact({"email": "a@example.com", field: value})

    page = client_for(owner).post(
        f"/store/{store.handle}/customers/{order.customer_id}/contact/", {field: value}
    )

    assert page.status_code == 400
    assert rule.value.message in page.text


def test_the_tracking_and_note_forms_refuse_with_the_rules_messages(store, support, client_for):
    order = make_order(store)
    client = client_for(support)
    base = f"/store/{store.handle}/orders/{order.number}/"
    client.post(base + "status/", {"status": "fulfilled"})

    tracking = client.post(
        base + "status/", {"status": "shipped", "tracking_number": "T" * 101}, HTTP_HX_REQUEST="1"
    )
    note = client.post(base + "notes/", {"body": "x" * 2001}, HTTP_HX_REQUEST="1")

    assert "The tracking number is longer than 100 characters." in tracking.text
    assert "A note holds at most 2,000 characters." in note.text


# --- the refund form only when something can be refunded (item 7) ------------------------------
def test_the_refund_form_is_offered_only_while_the_order_can_be_refunded(
    store, support, client_for
):
    paid = make_order(store)
    placed = make_order(store, status="placed")
    refunded = make_order(store)
    services.order_refund(
        store=store,
        actor=support,
        order=refunded,
        lines=[
            {"line": line.pk, "amount": amount}
            for line, amount in zip(
                refunded.lines.order_by("position"), ("25.00", "20.00"), strict=True
            )
        ],
        shipping_amount="4.90",
    )
    client = client_for(support)

    def has_form(order) -> bool:
        page = client.get(f"/store/{store.handle}/orders/{order.number}/").text
        return "Refund or return items" in page

    assert has_form(paid)
    assert not has_form(placed)
    assert not has_form(refunded)


# --- the order list: the export link follows the filter; a reversed range is said (2, 8) -------
def test_the_tables_htmx_answer_carries_the_export_link_of_the_new_filter(store, owner, client_for):
    make_order(store)
    client = client_for(owner)

    answer = client.get(f"/store/{store.handle}/orders/?status=paid", HTTP_HX_REQUEST="true").text

    link = answer.split('id="order-export-link"')[1].split(">")[0]
    assert 'hx-swap-oob="true"' in link and "status=paid" in link


def test_a_reversed_date_range_is_said_next_to_the_dates_and_the_days_stay(
    store, owner, client_for
):
    make_order(store)
    page = (
        client_for(owner).get(f"/store/{store.handle}/orders/?from=2025-03-05&to=2025-03-01").text
    )

    assert "“From” (5 Mar 2025) is after “To” (1 Mar 2025)" in page
    assert 'value="2025-03-05"' in page and 'value="2025-03-01"' in page
    assert f"#{Order.objects.get().number}" in page  # the dates filter nothing meanwhile


# --- the search page: a capped group links to the rest (8) -------------------------------------
def test_a_capped_search_group_links_to_the_list_with_the_query(store, owner, client_for):
    for index in range(6):
        make_order(store, customer={"email": f"lovelace{index}@example.com"})

    page = client_for(owner).get(f"/store/{store.handle}/search/", {"q": "lovelace"}).text

    orders = page.split('aria-label="Orders"')[1].split("</section>")[0]
    assert orders.count('class="search-hit"') == 5
    assert f'href="/store/{store.handle}/orders/?q=lovelace"' in orders
    customers = page.split('aria-label="Customers"')[1].split("</section>")[0]
    assert f'href="/store/{store.handle}/customers/?q=lovelace"' in customers


def test_a_group_that_fits_has_no_more_link(store, owner, client_for):
    make_order(store, customer={"email": "grace@example.com"})

    page = client_for(owner).get(f"/store/{store.handle}/search/", {"q": "grace"}).text

    assert "More orders" not in page and "data-search-more" not in page


# --- the audit log words an export's filter as the list does (8) -------------------------------
def test_the_audit_log_names_an_exports_filter_in_words(store, owner, client_for):
    from apps.audit.models import AuditEntry

    services.order_export_create(
        store=store, actor=owner, params={"status": "paid", "total_min": "10", "channel": "app"}
    )

    entry = AuditEntry.objects.get(action="orderexportjob.created")
    page = client_for(owner).get(f"/store/{store.handle}/audit/").text

    assert entry.changes["filter"] == [None, "Status: Paid · Channel: Mobile app · Total from: 10"]
    assert "Status: Paid" in page and "total_min" not in page


# --- the filter's selects: one option per shipping service and payment method (10) -------------
def test_a_service_renamed_between_orders_is_one_option(store):
    make_order(store, shipping={"service": "dhl", "name": "DHL Paket", "price": "4.90"})
    make_order(store, shipping={"service": "dhl", "name": "DHL Parcel", "price": "4.90"})
    make_order(store, payment={"method": "card", "name": "Card"})

    choices = selectors.orders._order_filter_choices(store)

    # by label: "DHL Paket" (dhl-standard), then "DHL Parcel" (dhl: the greatest of its names)
    assert choices["service"] == [("dhl-standard", "DHL Paket"), ("dhl", "DHL Parcel")]
    assert [code for code, _label in choices["payment"]] == ["card"]
