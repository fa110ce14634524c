"""Order writes, one module per responsibility: ``ingest`` (orders arriving, idempotent),
``status`` (status changes, tracking, notes), ``refunds`` (refunds and returns by line),
``customers`` (customer figures and the merge of duplicates), ``snapshots`` (what the order
keeps of the store's shipping and payment settings), ``exports`` (the order list as a job).

Every function takes ``store=`` first and ``actor=``, owns its transaction, checks the rules
(``apps.orders.inputs`` for the shape, ``apps.orders.rules`` for statuses and refunds), writes
the order's timeline and one audit entry.
"""

from apps.orders.services.common import event_add, order_number_next
from apps.orders.services.customers import customer_merge, customer_stats_refresh
from apps.orders.services.exports import (
    EXPORT_COLUMNS,
    order_export_create,
    order_export_filename,
    order_export_run,
)
from apps.orders.services.ingest import OrderConflict, order_ingest
from apps.orders.services.refunds import order_refund, refund_requests
from apps.orders.services.snapshots import (
    PaymentSnapshot,
    ShippingSnapshot,
    order_payment_snapshot,
    order_shipping_snapshot,
)
from apps.orders.services.status import (
    TRACKED_STATUSES,
    order_note_add,
    order_status_change,
    order_tracking_update,
)

__all__ = [
    "EXPORT_COLUMNS",
    "OrderConflict",
    "PaymentSnapshot",
    "ShippingSnapshot",
    "TRACKED_STATUSES",
    "customer_merge",
    "customer_stats_refresh",
    "event_add",
    "order_export_create",
    "order_export_filename",
    "order_export_run",
    "order_ingest",
    "order_note_add",
    "order_number_next",
    "order_payment_snapshot",
    "order_refund",
    "order_shipping_snapshot",
    "order_status_change",
    "order_tracking_update",
    "refund_requests",
]
