"""Orders: ``POST/GET /api/v1/orders/``, ``GET/PATCH /api/v1/orders/<id>/`` and
``POST /api/v1/orders/<id>/refunds/``."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response

from apps.api.errors import error_body
from apps.core.exceptions import DomainError
from apps.orders import selectors, services
from apps.orders.api.common import ByMethodPermission, NewestFirst
from apps.orders.api.serializers import (
    CONFLICT,
    OrderCreateSerializer,
    OrderOutputSerializer,
    OrderUpdateSerializer,
    RefundCreateSerializer,
)
from apps.orders.permissions import CREATE_ORDERS, HANDLE_ORDERS, VIEW_ORDERS

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
