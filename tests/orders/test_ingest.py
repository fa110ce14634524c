"""Orders arriving: idempotent on external_id, customers matched by email then phone, nothing
written for bad input, catalog details filled in, the snapshot kept."""

from decimal import Decimal

import pytest

from apps.audit.models import AuditEntry
from apps.core.exceptions import DomainError
from apps.customers.models import Customer, CustomerAddress
from apps.orders import services
from apps.orders.models import Order, OrderEvent, OrderLine
from tests.catalog.factories import VariantFactory
from tests.orders.helpers import order_body

pytestmark = pytest.mark.django_db


def _counts():
    return (
        Order.objects.count(),
        OrderLine.objects.count(),
        OrderEvent.objects.count(),
        Customer.objects.count(),
        CustomerAddress.objects.count(),
        AuditEntry.objects.count(),
    )


def test_a_new_order_gets_its_number_totals_customer_timeline_and_snapshot(store):
    order, created = services.order_ingest(store=store, actor="storefront", data=order_body())

    assert created
    assert order.number == 1001
    assert order.subtotal == Decimal("50.00")
    assert order.discount_total == Decimal("5.00")
    assert order.shipping_price == Decimal("4.90")
    assert order.total == Decimal("49.90")
    assert order.amount_paid == Decimal("49.90")
    assert order.status == "paid"
    assert order.shipping_service_name == "DHL Paket"
    assert order.shipping_carrier == "DHL"
    assert order.payment_method_name == "Credit card"
    assert order.payment_reference == "PAY-778899"
    assert order.customer.email == "ada.lovelace@example.com"
    assert order.customer.phone == "+49301234567"
    order.customer.refresh_from_db()
    assert (order.customer.order_count, order.customer.total_spent) == (1, Decimal("49.90"))
    assert [e.kind for e in order.events.order_by("id")] == ["placed", "paid"]
    assert [line.sku for line in order.lines.all()] == ["MUG-1", "TEE-M"]


def test_numbers_follow_each_other_per_store(store, other_store):
    first, _ = services.order_ingest(store=store, actor="x", data=order_body())
    second, _ = services.order_ingest(store=store, actor="x", data=order_body())
    elsewhere, _ = services.order_ingest(store=other_store, actor="x", data=order_body())

    assert (first.number, second.number, elsewhere.number) == (1001, 1002, 1001)


def test_the_same_body_again_answers_the_same_order_and_writes_nothing(store):
    body = order_body(external_id="1001")
    order, _ = services.order_ingest(store=store, actor="x", data=body)
    before = _counts()

    again, created = services.order_ingest(
        store=store, actor="x", data=order_body(external_id="1001")
    )

    assert not created
    assert again.pk == order.pk
    assert _counts() == before


def test_the_same_content_written_differently_is_the_same_order(store):
    order, _ = services.order_ingest(store=store, actor="x", data=order_body(external_id="A1"))
    body = order_body(external_id="A1")
    body["customer"]["email"] = "ADA.Lovelace@Example.com"
    body["lines"][0]["unit_price"] = "12.5"

    again, created = services.order_ingest(store=store, actor="x", data=body)

    assert (again.pk, created) == (order.pk, False)


def test_the_same_external_id_with_other_content_is_a_conflict_naming_both(store):
    services.order_ingest(store=store, actor="x", data=order_body(external_id="A1"))
    before = _counts()
    changed = order_body(external_id="A1")
    changed["lines"][0]["quantity"] = 3

    with pytest.raises(services.OrderConflict) as raised:
        services.order_ingest(store=store, actor="x", data=changed)

    assert raised.value.fields == ["lines"]
    assert raised.value.existing["lines"][0]["quantity"] == 2
    assert raised.value.received["lines"][0]["quantity"] == 3
    assert "#1001" in raised.value.message
    assert _counts() == before


def test_customers_are_matched_by_email_then_by_phone(store):
    first, _ = services.order_ingest(store=store, actor="x", data=order_body())
    same_email = order_body(customer={"email": "Ada.Lovelace@example.com", "phone": ""})
    by_email, _ = services.order_ingest(store=store, actor="x", data=same_email)
    phone_only = order_body(customer={"phone": "0049 30 123 4567", "first_name": "A."})
    by_phone, _ = services.order_ingest(store=store, actor="x", data=phone_only)
    stranger = order_body(customer={"email": "grace@example.com"})
    other, _ = services.order_ingest(store=store, actor="x", data=stranger)

    assert by_email.customer_id == first.customer_id
    assert by_phone.customer_id == first.customer_id
    assert other.customer_id != first.customer_id
    first.customer.refresh_from_db()
    assert first.customer.order_count == 3


def test_a_customer_is_matched_only_within_the_store(store, other_store):
    mine, _ = services.order_ingest(store=store, actor="x", data=order_body())
    theirs, _ = services.order_ingest(store=other_store, actor="x", data=order_body())

    assert mine.customer_id != theirs.customer_id


def test_lines_take_name_variant_and_image_from_the_catalog_when_not_given(store):
    VariantFactory(
        product__store=store,
        product__title="Stoneware mug",
        sku="MUG-1",
        option_values={"Colour": "Sand"},
    )

    order, _ = services.order_ingest(store=store, actor="x", data=order_body())
    line = order.lines.get(sku="MUG-1")

    assert (line.product_name, line.variant_title) == ("Stoneware mug", "Sand")
    assert order.lines.get(sku="TEE-M").product_name == ""


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"lines": []}, "lines"),
        ({"lines": [{"sku": "A", "quantity": -1, "unit_price": "1.00"}]}, "lines[0].quantity"),
        ({"lines": [{"sku": "A", "quantity": 0, "unit_price": "1.00"}]}, "lines[0].quantity"),
        ({"lines": [{"sku": "A", "quantity": 1, "unit_price": "-1"}]}, "lines[0].unit_price"),
        ({"lines": [{"sku": "", "quantity": 1, "unit_price": "1"}]}, "lines[0].sku"),
        ({"customer": {"email": "not-an-email"}}, "customer.email"),
        ({"customer": {"email": "a@example.com", "phone": "12ab"}}, "customer.phone"),
        ({"customer": {"email": "a@example.com", "phone": "123"}}, "customer.phone"),
        ({"customer": {}}, "customer.email"),
        ({"channel": "fax"}, "channel"),
        ({"currency": "XXX1"}, "currency"),
        ({"external_id": ""}, "external_id"),
        ({"placed_at": "yesterday"}, "placed_at"),
        ({"placed_at": "2025-03-01T14:05:00"}, "placed_at"),
        ({"discount_total": "1000"}, "discount_total"),
        ({"status": "shipped"}, "status"),
        ({"shipping_address": {"country": "XX"}}, "shipping_address.country"),
        (
            {"shipping": {"tracking_url_template": "javascript:alert(1)"}},
            "shipping.tracking_url_template",
        ),
        ({"surprise": 1}, "surprise"),
    ],
)
def test_bad_input_names_the_field_and_writes_nothing(store, change, field):
    before = _counts()

    with pytest.raises(DomainError) as raised:
        services.order_ingest(store=store, actor="x", data=order_body(**change))

    assert raised.value.field == field
    assert _counts() == before


def test_the_snapshot_fills_what_the_payload_leaves_out_from_the_stores_settings(store, owner):
    from apps.payments import services as payment_services
    from apps.shipping import services as shipping_services

    carrier = shipping_services.carrier_create(store=store, actor=owner, name="DHL")
    service = shipping_services.service_create(
        store=store, actor=owner, carrier=carrier, name="Paket", code="dhl-paket", days_min=1,
        days_max=3, tracking_url_template="https://dhl.example/track?n={tracking_number}",
    )  # fmt: skip
    payment_services.method_create(
        store=store, actor=owner, kind="paypal", code="paypal", display_name="PayPal"
    )
    body = order_body(
        shipping={"service": "dhl-paket", "price": "4.90"},
        payment={"method": "paypal", "reference": "PP-1"},
    )

    order, _ = services.order_ingest(store=store, actor="storefront", data=body)
    type(service).objects.filter(pk=service.pk).update(name="Renamed")  # a later edit

    order.refresh_from_db()
    assert (order.shipping_carrier, order.shipping_service_name) == ("DHL", "Paket")
    assert order.tracking_url_template == "https://dhl.example/track?n={tracking_number}"
    assert order.delivery_estimate == "1–3 business days"
    assert order.payment_method_name == "PayPal"


def test_an_unknown_service_code_is_kept_as_sent(store):
    body = order_body(shipping={"service": "courier-x", "price": "3.00"})

    order, _ = services.order_ingest(store=store, actor="storefront", data=body)

    assert (order.shipping_service_name, order.shipping_carrier) == ("courier-x", "")
