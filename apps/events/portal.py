"""What storefront events add to the portal: the store settings they read say so on the
settings page (the abandonment window decides when a cart counts as abandoned); the order page
shows the storefront session that led to the order, the customer page their carts and storefront
activity (panels: the orders and customers apps never import this one); a deleted store's raw
events go with it (the partitioned table holds no foreign key to the store)."""

from __future__ import annotations

from django.db import connection
from django.db.models.signals import post_delete

from apps.core.models import Store
from apps.core.portal import (
    DemoSeeder,
    PagePanel,
    register_api_urls,
    register_demo_seeder,
    register_page_panel,
    register_use,
)
from apps.customers.permissions import VIEW_CUSTOMERS
from apps.events import demo, views
from apps.orders.permissions import VIEW_ORDERS


def _store_events_delete(sender, instance: Store, **kwargs) -> None:
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM events_event WHERE store_id = %s", [instance.pk])


post_delete.connect(_store_events_delete, sender=Store, dispatch_uid="events-store-delete")

register_use(
    "abandonment_window_minutes",
    "Abandoned-cart figures count a cart abandoned this long after its last activity.",
    order=80,
)
register_use(
    "publishable_key",
    "Your storefront sends it in X-Store-Key with its behaviour events.",
    order=80,
)
register_api_urls("apps.events.api_urls", order=80)
register_demo_seeder(DemoSeeder("storefront-events", demo.seed, order=70))
register_page_panel(
    PagePanel(
        "order",
        "storefront-session",
        "events/order_session.html",
        views.order_session_panel,
        VIEW_ORDERS,
        order=10,
    )
)
register_page_panel(
    PagePanel(
        "customer",
        "carts",
        "events/customer_carts.html",
        views.customer_carts_panel,
        VIEW_CUSTOMERS,
        order=10,
    )
)
register_page_panel(
    PagePanel(
        "customer",
        "storefront-activity",
        "events/customer_activity.html",
        views.customer_activity_panel,
        VIEW_CUSTOMERS,
        order=20,
    )
)
