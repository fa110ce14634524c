"""What the order and customer pages share."""

from __future__ import annotations

from django.http import HttpRequest
from django.urls import reverse


def orders_url(name: str, request: HttpRequest, **kwargs) -> str:
    return reverse(f"orders:{name}", kwargs={"handle": request.store.handle, **kwargs})


def customers_url(name: str, request: HttpRequest, **kwargs) -> str:
    return reverse(f"customers:{name}", kwargs={"handle": request.store.handle, **kwargs})


def error_status(request: HttpRequest) -> int:
    """A refused form: htmx swaps its fragment in place (200); a plain POST gets the page 400."""
    return 200 if request.htmx else 400
