"""The orders API's serializers: the output of an order, its lines and timeline, and a
customer; the inputs document the shape for the schema (``apps.orders.inputs`` checks it)."""

from __future__ import annotations

from drf_spectacular.utils import inline_serializer
from rest_framework import serializers

from apps.customers.models import Customer
from apps.orders.models import Order, OrderEvent, OrderLine


# --- output --------------------------------------------------------------------------------------
class OrderLineOutputSerializer(serializers.ModelSerializer):
    class Meta:
        model = OrderLine
        fields = [
            "id", "sku", "product_name", "variant_title", "image_url", "quantity", "unit_price",
            "total", "quantity_returned", "amount_refunded",
        ]  # fmt: skip
        read_only_fields = fields


class OrderEventOutputSerializer(serializers.ModelSerializer):
    actor = serializers.CharField(source="actor_label")

    class Meta:
        model = OrderEvent
        fields = ["kind", "message", "actor", "occurred_at"]
        read_only_fields = fields


class OrderOutputSerializer(serializers.ModelSerializer):
    lines = OrderLineOutputSerializer(many=True, read_only=True)
    events = OrderEventOutputSerializer(many=True, read_only=True)
    customer = serializers.SerializerMethodField()
    shipping_address = serializers.SerializerMethodField()
    shipping = serializers.SerializerMethodField()
    payment = serializers.SerializerMethodField()

    class Meta:
        model = Order
        fields = [
            "id", "number", "external_id", "channel", "source", "status", "currency",
            "placed_at", "cart_id", "customer", "shipping_address", "lines", "subtotal",
            "discount_total", "shipping_price", "total", "amount_paid", "amount_refunded",
            "shipping", "payment", "events",
        ]  # fmt: skip
        read_only_fields = fields

    def get_customer(self, order) -> dict:
        return {
            "id": order.customer_id,
            "email": order.customer_email,
            "phone": order.customer_phone,
            "name": order.customer_name,
        }

    def get_shipping_address(self, order) -> dict:
        return {
            "name": order.ship_name,
            "line1": order.ship_line1,
            "line2": order.ship_line2,
            "city": order.ship_city,
            "region": order.ship_region,
            "postal_code": order.ship_postal_code,
            "country": order.ship_country,
        }

    def get_shipping(self, order) -> dict:
        return {
            "service": order.shipping_service_code,
            "name": order.shipping_service_name,
            "carrier": order.shipping_carrier,
            "price": str(order.shipping_price),
            "delivery_estimate": order.delivery_estimate,
            "tracking_number": order.tracking_number,
            "tracking_url": order.tracking_url,
        }

    def get_payment(self, order) -> dict:
        return {
            "method": order.payment_method_code,
            "name": order.payment_method_name,
            "reference": order.payment_reference,
            "fee": str(order.payment_fee),
        }


class CustomerOutputSerializer(serializers.ModelSerializer):
    average_order_value = serializers.DecimalField(
        max_digits=14, decimal_places=2, read_only=True, allow_null=True
    )

    class Meta:
        model = Customer
        fields = [
            "id", "email", "phone", "first_name", "last_name", "order_count", "total_spent",
            "average_order_value", "first_order_at", "last_order_at", "created_at",
        ]  # fmt: skip
        read_only_fields = fields


# --- input: the schema's documentation of the shape; apps.orders.inputs checks it -----------------
class OrderCreateSerializer(serializers.Serializer):
    external_id = serializers.CharField(max_length=100)
    channel = serializers.ChoiceField(choices=["web", "app", "marketplace", "pos", "phone"])
    source = serializers.CharField(required=False)
    status = serializers.ChoiceField(choices=["placed", "paid"], required=False)
    placed_at = serializers.DateTimeField(required=False)
    currency = serializers.CharField(required=False)
    customer = inline_serializer(
        "OrderCustomerInput",
        {
            "email": serializers.EmailField(required=False),
            "phone": serializers.CharField(required=False),
            "first_name": serializers.CharField(required=False),
            "last_name": serializers.CharField(required=False),
        },
    )
    shipping_address = inline_serializer(
        "OrderAddressInput",
        {name: serializers.CharField(required=False) for name in (
            "name", "line1", "line2", "city", "region", "postal_code", "country")},
        required=False,
    )  # fmt: skip
    lines = inline_serializer(
        "OrderLineInput",
        {
            "sku": serializers.CharField(),
            "quantity": serializers.IntegerField(min_value=1),
            "unit_price": serializers.DecimalField(max_digits=14, decimal_places=2),
            "product_name": serializers.CharField(required=False),
            "variant_title": serializers.CharField(required=False),
            "image_url": serializers.CharField(required=False),
        },
        many=True,
    )
    shipping = inline_serializer(
        "OrderShippingInput",
        {
            "service": serializers.CharField(required=False),
            "name": serializers.CharField(required=False),
            "price": serializers.DecimalField(max_digits=14, decimal_places=2, required=False),
            "carrier": serializers.CharField(required=False),
            "tracking_url_template": serializers.CharField(
                required=False, help_text="https://…{tracking_number}…"
            ),
            "delivery_estimate": serializers.CharField(required=False),
            "tracking_number": serializers.CharField(required=False),
        },
        required=False,
    )
    payment = inline_serializer(
        "OrderPaymentInput",
        {
            "method": serializers.CharField(required=False),
            "name": serializers.CharField(required=False),
            "reference": serializers.CharField(required=False),
            "fee": serializers.DecimalField(max_digits=14, decimal_places=2, required=False),
        },
        required=False,
    )
    discount_total = serializers.DecimalField(max_digits=14, decimal_places=2, required=False)
    cart_id = serializers.CharField(required=False)


class OrderUpdateSerializer(serializers.Serializer):
    status = serializers.CharField(required=False)
    tracking_number = serializers.CharField(required=False, allow_blank=True)


class RefundCreateSerializer(serializers.Serializer):
    lines = inline_serializer(
        "RefundLineInput",
        {
            "line": serializers.IntegerField(),
            "amount": serializers.DecimalField(max_digits=14, decimal_places=2, required=False),
            "quantity": serializers.IntegerField(required=False),
        },
        many=True,
        required=False,
    )
    shipping_amount = serializers.DecimalField(max_digits=14, decimal_places=2, required=False)
    reason = serializers.CharField(required=False)


CONFLICT = inline_serializer(
    "OrderConflict",
    {
        "errors": serializers.DictField(),
        "code": serializers.CharField(),
        "existing": serializers.DictField(help_text="The order as it was first received."),
        "received": serializers.DictField(help_text="This request's order."),
        "fields": serializers.ListField(child=serializers.CharField()),
    },
)
