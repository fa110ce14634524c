"""The orders app's part of the top bar's global search: orders and customers, ranked by
``apps.orders.selectors.search`` (best match first, with its score)."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone

from apps.core.models import Store
from apps.core.money import money_format
from apps.core.search import SearchHit
from apps.orders.models import Order
from apps.orders.selectors import customer_search, order_search


def _order_subtitle(order: Order, store: Store) -> str:
    parts = [
        order.customer_name,
        order.customer_email,
        order.get_status_display(),
        money_format(order.total, order.currency),
        # the store's day: an order placed at 23:30 there is that day, whatever UTC says
        f"{timezone.localtime(order.placed_at, store.tzinfo):%d %b %Y}",
    ]
    return " · ".join(part for part in parts if part)


def order_hits(*, store: Store, query: str, limit: int) -> list[SearchHit]:
    return [
        SearchHit(
            title=f"Order #{order.number}",
            subtitle=_order_subtitle(order, store),
            url=reverse(
                "orders:order-detail", kwargs={"handle": store.handle, "number": order.number}
            ),
            score=float(order.score),
        )
        for order in order_search(store=store, query=query, limit=limit)
    ]


def customer_hits(*, store: Store, query: str, limit: int) -> list[SearchHit]:
    return [
        SearchHit(
            title=str(customer),
            subtitle=" · ".join(
                part
                for part in (
                    customer.email,
                    customer.phone,
                    f"{customer.order_count} order{'s' if customer.order_count != 1 else ''}",
                )
                if part
            ),
            url=reverse(
                "customers:customer-detail",
                kwargs={"handle": store.handle, "customer_id": customer.pk},
            ),
            score=float(customer.score),
        )
        for customer in customer_search(store=store, query=query, limit=limit)
    ]
