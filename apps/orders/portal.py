"""What the orders app adds to the portal: the Orders and Customers areas, support search over
orders and customers, demo orders, role descriptions and the audit log's wording."""

from __future__ import annotations

from apps.audit.registry import register_action, register_target
from apps.core.portal import (
    DemoSeeder,
    NavItem,
    SearchProvider,
    StoreCleanup,
    register_api_urls,
    register_demo_seeder,
    register_nav,
    register_role_description,
    register_search,
    register_store_cleanup,
    register_use,
)
from apps.core.roles import Role
from apps.customers.permissions import VIEW_CUSTOMERS
from apps.orders import demo, demo_bulk, rules
from apps.orders.models import Channel, Order
from apps.orders.permissions import VIEW_ORDERS
from apps.orders.search import customer_hits, order_hits

register_nav(NavItem("Orders", "orders:order-list", VIEW_ORDERS, order=20, icon="orders"))
register_nav(
    NavItem("Customers", "customers:customer-list", VIEW_CUSTOMERS, order=30, icon="customers")
)
register_search(
    SearchProvider("Orders", VIEW_ORDERS, order_hits, order=20, more_url_name="orders:order-list")
)
register_api_urls("apps.orders.api_urls", order=20)
register_use("api", "orders", order=20)
register_search(
    SearchProvider(
        "Customers", VIEW_CUSTOMERS, customer_hits, order=30,
        more_url_name="customers:customer-list",
    )
)  # fmt: skip
register_demo_seeder(DemoSeeder("orders", demo.seed, order=60))
register_demo_seeder(DemoSeeder("orders-bulk", demo_bulk.seed, order=61))
register_role_description(Role.OWNER, "orders and customers", order=20)
register_role_description(Role.MANAGER, "orders and customers (with exports)", order=20)
register_role_description(
    Role.SUPPORT, "orders and customers (search, notes, status changes, refunds)", order=20
)

# --- how the audit log words this app's changes (apps.audit.registry) ---
register_target(
    "orders.order",
    url_name="orders:order-by-id",
    id_kwarg="order_id",
    field_labels={
        "amount_refunded": "Refunded",
        "external_id": "External id",
        "returned": "Returned",
        "refunded_lines": "Lines refunded",
        "shipping_refunded": "Shipping refunded",
    },
    value_labels={"status": rules.STATUS_LABELS, "channel": dict(Channel.choices)},
    money_fields=frozenset({"total", "amount_refunded", "shipping_refunded"}),
)
register_target(
    "customers.customer",
    url_name="customers:customer-detail",
    id_kwarg="customer_id",
    field_labels={"merged": "Merged customer", "aliases": "Also known by"},
)
register_target(
    "orders.orderexportjob",
    url_name="orders:export-detail",
    id_kwarg="order_export_id",
    field_labels={"filter": "Filter"},
)
register_action("order.created", "received the order “{target}”", label="Order received")
for status, label in rules.STATUS_LABELS.items():
    if status in ("refunded", "returned"):
        continue
    register_action(
        f"order.{status}",
        f"set the order “{{target}}” to {label.lower()}",
        label=f"Order {label.lower()}",
    )
register_action("order.refunded", "refunded the order “{target}”", label="Order refunded")
register_action(
    "order.returned", "recorded a return of the order “{target}”", label="Order returned"
)
register_action(
    "order.tracking_changed",
    "changed the tracking number of the order “{target}”",
    label="Tracking number changed",
)
register_action(
    "order.note_added",
    "added a note to the order “{target}”",
    label="Order note added",
    creates=True,
)
register_action("customer.created", "added the customer “{target}”", label="Customer added")
register_action("customer.updated", "changed the customer “{target}”", label="Customer changed")
register_action(
    "customer.note_added",
    "added a note to the customer “{target}”",
    label="Customer note added",
    creates=True,
)
register_action(
    "customer.merged", "merged a duplicate into the customer “{target}”", label="Customers merged"
)
register_action(
    "orderexportjob.created", "exported the orders (“{target}”)", label="Orders exported"
)


def _delete_orders(stores) -> None:
    # an order protects its customer: orders go first, then the store cascades its customers
    Order.objects.filter(store__in=stores).delete()


register_store_cleanup(StoreCleanup("orders", _delete_orders, order=50))
