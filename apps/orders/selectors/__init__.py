"""Order reads: ``orders`` (the list's filters, one order, a customer's orders) and ``search``
(support search over orders and customers, ranked)."""

from apps.orders.selectors.orders import (
    FILTER_LABELS,
    FILTER_PARAMS,
    STATUS_CHOICES,
    Chip,
    customer_channels,
    customer_orders,
    customers_with_channel,
    order_date_range_error,
    order_detail_queryset,
    order_export_heading,
    order_filter,
    order_filter_chips,
    order_filter_choices,
    order_filter_errors,
    order_filter_values,
    order_get,
    order_get_by_number,
)
from apps.orders.selectors.search import (
    customer_search,
    customer_search_condition,
    order_search,
    order_search_condition,
    query_parse,
)

__all__ = [
    "FILTER_LABELS",
    "FILTER_PARAMS",
    "STATUS_CHOICES",
    "Chip",
    "customer_channels",
    "customer_orders",
    "customers_with_channel",
    "customer_search",
    "customer_search_condition",
    "order_date_range_error",
    "order_detail_queryset",
    "order_export_heading",
    "order_filter",
    "order_filter_chips",
    "order_filter_choices",
    "order_filter_errors",
    "order_filter_values",
    "order_get",
    "order_get_by_number",
    "order_search",
    "order_search_condition",
    "query_parse",
]
