"""What storefront behaviour adds to pages other apps own (registered in ``portal.py``): the
order page's storefront session and the customer page's carts and storefront activity. The
two customer panels also answer on their own address, for their "older"/"newer" links."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from apps.core.tenancy import store_view
from apps.customers import selectors as customer_selectors
from apps.customers.models import Customer
from apps.customers.permissions import VIEW_CUSTOMERS
from apps.events.selectors import activity
from apps.orders.models import Order


def order_session_panel(*, request: HttpRequest, obj: Order) -> dict[str, Any]:
    return {"storefront_session": activity.order_session_get(store=request.store, order=obj)}


def _emails(request: HttpRequest, customer: Customer) -> list[str]:
    # both customer panels read them: once a request
    cached = getattr(request, "_storefront_emails", None)
    if cached is None or cached[0] != customer.pk:
        emails = activity.customer_emails(store=request.store, customer=customer)
        request._storefront_emails = cached = (customer.pk, emails)
    return cached[1]


def _addresses(request: HttpRequest, customer: Customer, name: str) -> dict[str, str]:
    """The customer page (links that work without JavaScript) and the panel's own address."""
    args = {"handle": request.store.handle, "customer_id": customer.pk}
    return {
        "page_url": reverse("customers:customer-detail", kwargs=args),
        "panel_url": reverse(f"storefront-panels:{name}", kwargs=args),
    }


def customer_carts_panel(*, request: HttpRequest, obj: Customer) -> dict[str, Any]:
    emails = _emails(request, obj)
    return {
        "customer": obj,
        "cart_emails": emails,
        "carts_page": activity.customer_carts_page(
            store=request.store, emails=emails, page_number=request.GET.get("carts_page")
        ),
        "window_minutes": request.store.abandonment_window_minutes,
        "carts_urls": _addresses(request, obj, "customer-carts"),
    }


def customer_activity_panel(*, request: HttpRequest, obj: Customer) -> dict[str, Any]:
    emails = _emails(request, obj)
    return {
        "customer": obj,
        "sessions_page": activity.customer_sessions_page(
            store=request.store,
            customer=obj,
            emails=emails,
            page_number=request.GET.get("activity_page"),
        ),
        "activity_urls": _addresses(request, obj, "customer-activity"),
    }


def _page_instead(request: HttpRequest, customer: Customer, anchor: str) -> HttpResponse | None:
    """A plain visit to a panel's own address goes to the customer page, at the panel."""
    if request.htmx:
        return None
    urls = _addresses(request, customer, "customer-carts")
    query = f"?{request.GET.urlencode()}" if request.GET else ""
    return redirect(f"{urls['page_url']}{query}#{anchor}")


@store_view(VIEW_CUSTOMERS)
def customer_carts(request: HttpRequest, customer_id: int) -> HttpResponse:
    customer = customer_selectors.customer_get(store=request.store, customer_id=customer_id)
    if page := _page_instead(request, customer, "customer-carts"):
        return page
    context = customer_carts_panel(request=request, obj=customer)
    return render(request, "events/customer_carts.html", context)


@store_view(VIEW_CUSTOMERS)
def customer_activity(request: HttpRequest, customer_id: int) -> HttpResponse:
    customer = customer_selectors.customer_get(store=request.store, customer_id=customer_id)
    if page := _page_instead(request, customer, "storefront-activity"):
        return page
    context = customer_activity_panel(request=request, obj=customer)
    return render(request, "events/customer_activity.html", context)
