"""The second outside review of issue #7: amounts typed with a comma reach the server and are
refused with a hint, totals beyond the database's column are a 400, a cancelled order stays
cancelled after a refund, the timeline writes money in the store's currency, returns are named
in the audit log, a tracking number needs a shipped order on create as on PATCH, and a forged
status names the allowed next steps."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client

from apps.accounts import services as account_services
from apps.audit.models import AuditEntry
from apps.core.exceptions import DomainError
from apps.core.money import money_format
from apps.orders import demo_bulk, rules, services
from apps.orders.models import Order, OrderEvent
from tests.orders.helpers import make_order, order_body

pytestmark = pytest.mark.django_db
ORDERS = "/store/alpha/orders/"


@pytest.fixture
def api(store, owner):
    _key, raw = account_services.api_key_create(store=store, actor=owner, name="Shop")
    return Client(HTTP_AUTHORIZATION=f"Bearer {raw}")


def _post(client, url, data):
    return client.post(url, data, content_type="application/json")


# --- 1. amounts typed with a comma ---------------------------------------------------------------
def test_a_refund_amount_with_a_comma_is_refused_next_to_the_field_keeping_what_was_typed(
    store, support, client_for
):
    order = make_order(store)
    mug = order.lines.order_by("position").first()

    response = client_for(support).post(
        f"{ORDERS}{order.number}/refunds/",
        {f"line_{mug.pk}_amount": "1,5"},
        HTTP_HX_REQUEST="true",
    )

    assert "Write the refund with a dot: 1.5" in response.text
    assert f'id="id_line_{mug.pk}_amount_error"' in response.text
    assert 'value="1,5"' in response.text
    order.refresh_from_db()
    assert order.amount_refunded == 0


def test_a_shipping_refund_with_a_comma_is_refused_with_the_dot_hint(store, support, client_for):
    order = make_order(store)

    response = client_for(support).post(
        f"{ORDERS}{order.number}/refunds/", {"shipping_amount": "4,90"}, HTTP_HX_REQUEST="true"
    )

    assert "Write the shipping refund with a dot: 4.90" in response.text
    assert 'value="4,90"' in response.text


def test_the_order_pages_amounts_are_text_inputs_for_decimals(store, support, client_for):
    order = make_order(store)
    mug = order.lines.order_by("position").first()

    page = client_for(support).get(f"{ORDERS}{order.number}/").text

    assert 'type="number"' not in page
    assert f'name="line_{mug.pk}_amount"' in page
    assert 'inputmode="decimal"' in page
    assert 'data-refund-currency="EUR"' in page


def test_the_list_keeps_a_total_typed_with_a_comma_and_says_to_use_a_dot(store, owner, client_for):
    make_order(store)

    page = client_for(owner).get(ORDERS, {"total_min": "1,5"}).text

    assert 'type="number"' not in page
    assert 'value="1,5"' in page
    assert "Write the amount with a dot: 1.5" in page
    assert page.count('aria-invalid="true"') == 1  # the "from" total only


# --- 2. totals beyond the database's column ------------------------------------------------------
def test_a_line_total_over_the_limit_is_a_400_naming_the_line_and_the_limit(api, store):
    body = order_body(
        lines=[{"sku": "GOLD", "quantity": 2, "unit_price": "9999999999.99"}],
        discount_total="0",
    )

    response = _post(api, "/api/v1/orders/", body)

    assert response.status_code == 400
    errors = response.json()["errors"]
    assert list(errors) == ["lines[0]"]
    assert "9,999,999,999.99" in errors["lines[0]"][0]
    assert not Order.objects.exists()


def test_an_order_total_over_the_limit_is_a_400_naming_the_total(api, store):
    body = order_body(
        lines=[
            {"sku": "GOLD", "quantity": 1, "unit_price": "9000000000.00"},
            {"sku": "SILVER", "quantity": 1, "unit_price": "999999999.99"},
        ],
        shipping={"service": "x", "price": "10.00"},
        discount_total="0",
    )

    response = _post(api, "/api/v1/orders/", body)

    assert response.status_code == 400
    errors = response.json()["errors"]
    assert list(errors) == ["total"]
    assert "9,999,999,999.99" in errors["total"][0]
    assert not Order.objects.exists()


def test_an_order_at_the_limit_is_accepted(api, store):
    body = order_body(
        lines=[{"sku": "GOLD", "quantity": 1, "unit_price": "9999999999.99"}],
        shipping={"service": "x", "price": "0"},
        discount_total="0",
    )

    response = _post(api, "/api/v1/orders/", body)

    assert response.status_code == 201, response.json()
    assert response.json()["total"] == "9999999999.99"
    assert Decimal("9999999999.99") == rules.MAX_TOTAL


# --- 3. a cancelled order stays cancelled --------------------------------------------------------
def test_a_refund_of_everything_on_a_cancelled_order_keeps_it_cancelled(store, support):
    order = make_order(store)
    services.order_status_change(store=store, actor=support, order=order, status="cancelled")
    mug, tee = order.lines.order_by("position")

    services.order_refund(
        store=store,
        actor=support,
        order=order,
        lines=[{"line": mug.pk, "amount": "25.00"}, {"line": tee.pk, "amount": "20.00"}],
        shipping_amount="4.90",
    )  # everything paid (49.90) back

    order.refresh_from_db()
    assert order.status == "cancelled"
    assert order.amount_refunded == order.amount_paid


def test_status_after_refund_keeps_cancelled():
    plan = rules.RefundPlan(
        amount=Decimal("10"), shipping_amount=Decimal("0"), lines=(), fully_refunded=True,
        fully_returned=True, returns_items=True,
    )  # fmt: skip

    assert rules.status_after_refund(current="cancelled", plan=plan) == "cancelled"
    assert rules.status_after_refund(current="paid", plan=plan) == "refunded"


# --- 4. the timeline writes money in the store's currency ----------------------------------------
def test_the_timeline_writes_refunds_and_payments_in_the_stores_currency(store, support):
    order = make_order(store, status="placed")
    services.order_status_change(store=store, actor=support, order=order, status="paid")
    mug = order.lines.order_by("position").first()

    services.order_refund(
        store=store, actor=support, order=order,
        lines=[{"line": mug.pk, "amount": "10.00"}], shipping_amount="4.90",
    )  # fmt: skip

    messages = dict(OrderEvent.objects.filter(order=order).values_list("kind", "message"))
    assert messages["paid"] == "Paid €49.90."
    assert messages["refunded"] == "Refunded €14.90 (shipping €4.90)."


def test_an_order_arriving_paid_says_the_amount_in_the_stores_currency(store):
    order = make_order(store)

    assert order.events.get(kind="paid").message == "Paid €49.90 by Credit card."


@pytest.mark.parametrize("currency", ["EUR", "JPY", "CHF", "USD"])
def test_the_bulk_demos_sql_writes_amounts_like_money_format(currency):
    values = [Decimal("0"), Decimal("4.90"), Decimal("1234.5"), Decimal("9999999999.99")]
    expression = demo_bulk.money_sql("v", currency)

    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {expression} FROM unnest(%s::numeric[]) AS t(v)",  # noqa: S608
            [values],
        )
        written = [row[0] for row in cursor.fetchall()]

    assert written == [money_format(value, currency) for value in values]


# --- 6. returns in the audit log -----------------------------------------------------------------
def test_the_audit_entry_of_a_return_names_the_lines_quantities_and_amounts(
    store, support, client_for, owner
):
    order = make_order(store)
    mug, tee = order.lines.order_by("position")

    services.order_refund(
        store=store, actor=support, order=order,
        lines=[{"line": mug.pk, "quantity": 1, "amount": "12.50"}, {"line": tee.pk, "quantity": 1}],
    )  # fmt: skip

    entry = AuditEntry.objects.get(action="order.refunded")
    assert entry.changes["returned"] == [None, ["1 × MUG-1 (€12.50)", "1 × TEE-M"]]
    page = client_for(owner).get(f"/store/{store.handle}/audit/").text
    assert "1 × MUG-1 (€12.50), 1 × TEE-M" in page


def test_the_audit_entry_of_a_return_without_money_names_the_items(store, support):
    order = make_order(store)
    tee = order.lines.order_by("position").last()

    services.order_refund(
        store=store, actor=support, order=order, lines=[{"line": tee.pk, "quantity": 1}]
    )

    entry = AuditEntry.objects.get(action="order.returned")
    assert entry.changes["returned"] == [None, ["1 × TEE-M"]]


# --- 7. one tracking rule for create and PATCH ---------------------------------------------------
@pytest.mark.parametrize("status", ["paid", "placed"])
def test_a_tracking_number_on_a_new_unshipped_order_is_refused_as_patch_refuses_it(
    api, store, status
):
    body = order_body(
        status=status,
        shipping={"service": "dhl", "price": "4.90", "tracking_number": "JJD1"},
    )

    response = _post(api, "/api/v1/orders/", body)

    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["shipping.tracking_number"]
    assert not Order.objects.exists()


def test_the_tracking_rule_follows_the_transitions():
    assert rules.TRACKED_STATUSES == ("shipped", "delivered", "returned")
    for status in ("placed", "paid", "fulfilled", "cancelled", "refunded"):
        with pytest.raises(DomainError):
            rules.tracking_check(status=status, tracking="X1")
    rules.tracking_check(status="delivered", tracking="X1")
    rules.tracking_check(status="paid", tracking="")


# --- 8. a forged status ------------------------------------------------------------------------
@pytest.mark.parametrize("forged", ["teleported", "refunded", "delivered"])
def test_a_forged_status_names_the_current_status_and_the_next_steps(
    store, support, client_for, forged
):
    order = make_order(store)

    response = client_for(support).post(
        f"{ORDERS}{order.number}/status/", {"status": forged}, HTTP_HX_REQUEST="true"
    )

    assert "is not one of the available choices" not in response.text
    assert "paid order" in response.text
    assert "can become fulfilled, shipped or cancelled" in response.text
    order.refresh_from_db()
    assert order.status == "paid"


@pytest.mark.parametrize("typed", ["+5", "1e1", "1_0", "٥"])
def test_a_typed_refund_the_confirm_dialog_cannot_add_up_is_refused(store, support, typed):
    order = make_order(store)
    mug = order.lines.order_by("position").first()

    with pytest.raises(DomainError) as raised:
        services.order_refund(
            store=store, actor=support, order=order, lines=[{"line": mug.pk, "amount": typed}]
        )

    assert raised.value.field == "lines[0].amount"
    order.refresh_from_db()
    assert order.amount_refunded == 0


@pytest.mark.parametrize(("typed", "refunded"), [(" 1 000 ", "1000"), ("5.", "5"), (".5", "0.5")])
def test_plain_typed_refunds_are_read(store, support, typed, refunded):
    order = make_order(
        store, lines=[{"sku": "BIG", "quantity": 1, "unit_price": "2000.00"}], discount_total="0"
    )

    services.order_refund(
        store=store, actor=support, order=order,
        lines=[{"line": order.lines.get().pk, "amount": typed}],
    )  # fmt: skip

    order.refresh_from_db()
    assert order.amount_refunded == Decimal(refunded)
