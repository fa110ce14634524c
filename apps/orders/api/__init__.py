"""Orders and customers in the admin API.

- ``POST /api/v1/orders/``: the order's shape is DESIGN.md's; idempotent on ``external_id``
  (the same body again → 200 with the same order; other content → 409 naming both versions);
  every bad input a 400 naming the field, nothing written.
- ``GET /api/v1/orders/`` (the order list's filters; a malformed one is a 400 naming the
  parameter) and ``/api/v1/orders/<id>/``.
- ``PATCH /api/v1/orders/<id>/``: ``status`` (the allowed transitions; ``shipped`` needs
  ``tracking_number``; ``delivered`` or ``returned`` with one keep it; any other status with
  one is a 400) and/or ``tracking_number`` alone for a shipped order.
- ``POST /api/v1/orders/<id>/refunds/``: a refund / return by line.
- ``GET /api/v1/customers/`` (``q`` searches email, name, phone) and ``/customers/<id>/``.

Reads need the orders / customers view permission, status changes and refunds the handling
one (support, managers, owners), new orders the create one (managers, owners, API keys).

One module per resource: ``orders``, ``customers``; ``serializers`` holds their output and
input shapes, ``common`` the base view and pagination. ``apps.orders.api_urls`` routes them.
"""

from apps.orders.api.customers import CustomerDetailView, CustomerListView
from apps.orders.api.orders import OrderDetailView, OrderListView, OrderRefundView

__all__ = [
    "CustomerDetailView",
    "CustomerListView",
    "OrderDetailView",
    "OrderListView",
    "OrderRefundView",
]
