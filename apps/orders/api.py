"""Orders and customers in the admin API.

- ``POST /api/v1/orders/``: the order's shape is DESIGN.md's; idempotent on ``external_id``
  (the same body again → 200 with the same order; other content → 409 naming both versions);
  every bad input a 400 naming the field, nothing written.
- ``GET /api/v1/orders/`` (the order list's filters) and ``/api/v1/orders/<id>/``.
- ``PATCH /api/v1/orders/<id>/``: ``status`` (the allowed transitions; ``shipped`` needs
  ``tracking_number``) and/or ``tracking_number`` alone for a shipped order.
- ``POST /api/v1/orders/<id>/refunds/``: a refund / return by line.
- ``GET /api/v1/customers/`` (``q`` searches email, name, phone) and ``/customers/<id>/``.

Reads need the orders / customers view permission, status changes and refunds the handling
one (support, managers, owners), new orders the create one (managers, owners, API keys).
"""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.pagination import CursorPagination
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.api.errors import error_body
from apps.core.exceptions import DomainError
from apps.customers import selectors as customer_selectors
from apps.customers.models import Customer
from apps.customers.permissions import VIEW_CUSTOMERS
from apps.orders import selectors, services
from apps.orders.models import Order, OrderEvent, OrderLine
from apps.orders.permissions import CREATE_ORDERS, HANDLE_ORDERS, VIEW_ORDERS


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


# --- views ---------------------------------------------------------------------------------------
class NewestFirst(CursorPagination):
    ordering = ("-placed_at", "-id")
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200


class CustomerOrder(CursorPagination):
    ordering = ("-id",)
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200


class ByMethodPermission(APIView):
    """``required_perm`` by the request's method (``permissions`` maps method → permission)."""

    permissions: dict[str, str] = {}

    @property
    def required_perm(self) -> str:
        return self.permissions.get(self.request.method, self.permissions["GET"])

    def paginate(self, request, queryset, serializer_class, pagination_class):
        paginator = pagination_class()
        page = paginator.paginate_queryset(queryset, request, view=self)
        return paginator.get_paginated_response(serializer_class(page, many=True).data)


ORDER_FILTERS = [
    OpenApiParameter(name, str, description=label)
    for name, label in selectors.FILTER_LABELS.items()
]


class OrderListView(ByMethodPermission):
    permissions = {"GET": VIEW_ORDERS, "POST": CREATE_ORDERS}

    @extend_schema(parameters=ORDER_FILTERS, responses=OrderOutputSerializer(many=True))
    def get(self, request: Request) -> Response:
        errors = selectors.order_filter_errors(request.query_params)
        if errors:
            field, message = next(iter(errors.items()))
            raise DomainError(message, field=field)
        filtered = selectors.order_filter(store=request.store, params=request.query_params)
        queryset = selectors.order_detail_queryset(store=request.store).filter(
            pk__in=filtered.order_by().values("pk")
        )
        return self.paginate(request, queryset, OrderOutputSerializer, NewestFirst)

    @extend_schema(
        request=OrderCreateSerializer,
        responses={201: OrderOutputSerializer, 200: OrderOutputSerializer, 409: CONFLICT},
    )
    def post(self, request: Request) -> Response:
        try:
            order, created = services.order_ingest(
                store=request.store, actor=request.user, data=request.data
            )
        except services.OrderConflict as conflict:
            body = error_body(conflict.message, code="conflict", field="external_id")
            body.update(
                existing=conflict.existing, received=conflict.received, fields=conflict.fields
            )
            return Response(body, status=status.HTTP_409_CONFLICT)
        order = selectors.order_get(store=request.store, order_id=order.pk)
        return Response(
            OrderOutputSerializer(order).data,
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )


class OrderDetailView(ByMethodPermission):
    permissions = {"GET": VIEW_ORDERS, "PATCH": HANDLE_ORDERS, "PUT": HANDLE_ORDERS}

    @extend_schema(responses=OrderOutputSerializer)
    def get(self, request: Request, order_id: int) -> Response:
        order = selectors.order_get(store=request.store, order_id=order_id)
        return Response(OrderOutputSerializer(order).data)

    @extend_schema(request=OrderUpdateSerializer, responses=OrderOutputSerializer)
    def patch(self, request: Request, order_id: int) -> Response:
        order = selectors.order_get(store=request.store, order_id=order_id)
        data = request.data if isinstance(request.data, dict) else None
        if data is None:
            raise DomainError("Send an object with status and/or tracking_number.")
        unknown = sorted(set(data) - {"status", "tracking_number"})
        if unknown:
            raise DomainError(
                f"{unknown[0]} cannot be changed here; send status and/or tracking_number.",
                field=unknown[0],
            )
        if not data:
            raise DomainError("Send status and/or tracking_number.", field="status")
        if not isinstance(data.get("status", ""), str):
            raise DomainError("Send the status as text, e.g. shipped.", field="status")
        if not isinstance(data.get("tracking_number", ""), str):
            raise DomainError("Send the tracking number as text.", field="tracking_number")
        if data.get("status"):
            services.order_status_change(
                store=request.store,
                actor=request.user,
                order=order,
                status=data["status"],
                tracking_number=data.get("tracking_number", ""),
            )
        elif "tracking_number" in data:
            services.order_tracking_update(
                store=request.store,
                actor=request.user,
                order=order,
                tracking_number=data["tracking_number"],
            )
        else:
            raise DomainError("Send a status, e.g. shipped.", field="status")
        return self.get(request, order_id)

    put = patch


class OrderRefundView(ByMethodPermission):
    permissions = {"GET": HANDLE_ORDERS, "POST": HANDLE_ORDERS}

    @extend_schema(request=RefundCreateSerializer, responses={201: OrderOutputSerializer})
    def post(self, request: Request, order_id: int) -> Response:
        order = selectors.order_get(store=request.store, order_id=order_id)
        data = request.data if isinstance(request.data, dict) else None
        if data is None:
            raise DomainError("Send an object with lines and/or shipping_amount.")
        lines = data.get("lines", [])
        if not isinstance(lines, list):
            raise DomainError("Send the lines as a list.", field="lines")
        services.order_refund(
            store=request.store,
            actor=request.user,
            order=order,
            lines=lines,
            shipping_amount=data.get("shipping_amount"),
            reason=data.get("reason", ""),
        )
        order = selectors.order_get(store=request.store, order_id=order_id)
        return Response(OrderOutputSerializer(order).data, status=status.HTTP_201_CREATED)


class CustomerListView(ByMethodPermission):
    permissions = {"GET": VIEW_CUSTOMERS}

    @extend_schema(
        parameters=[OpenApiParameter("q", str, description="Email, name or phone")],
        responses=CustomerOutputSerializer(many=True),
    )
    def get(self, request: Request) -> Response:
        queryset = Customer.objects.for_store(request.store)
        q = request.query_params.get("q", "").strip()
        if q:
            queryset = queryset.filter(selectors.customer_search_condition(query=q))
        return self.paginate(request, queryset, CustomerOutputSerializer, CustomerOrder)


class CustomerDetailView(ByMethodPermission):
    permissions = {"GET": VIEW_CUSTOMERS}

    @extend_schema(responses=CustomerOutputSerializer)
    def get(self, request: Request, customer_id: int) -> Response:
        customer = customer_selectors.customer_get(store=request.store, customer_id=customer_id)
        return Response(CustomerOutputSerializer(customer).data)
