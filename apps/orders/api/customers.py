"""Customers: ``GET /api/v1/customers/`` (``q`` searches email, name, phone) and
``GET /api/v1/customers/<id>/``."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.request import Request
from rest_framework.response import Response

from apps.customers import selectors as customer_selectors
from apps.customers.models import Customer
from apps.customers.permissions import VIEW_CUSTOMERS
from apps.orders import selectors
from apps.orders.api.common import ByMethodPermission, CustomerOrder
from apps.orders.api.serializers import CustomerOutputSerializer


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
