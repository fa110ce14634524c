"""What the order and customer pages share."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.http import HttpRequest, HttpResponse
from django.urls import reverse

from apps.core.exceptions import DomainError
from apps.core.htmx import redirect_with_message
from apps.orders.forms import apply_domain_error


def orders_url(name: str, request: HttpRequest, **kwargs) -> str:
    return reverse(f"orders:{name}", kwargs={"handle": request.store.handle, **kwargs})


def customers_url(name: str, request: HttpRequest, **kwargs) -> str:
    return reverse(f"customers:{name}", kwargs={"handle": request.store.handle, **kwargs})


def error_status(request: HttpRequest) -> int:
    """A refused form: htmx swaps its fragment in place (200); a plain POST gets the page 400."""
    return 200 if request.htmx else 400


def form_action(
    request: HttpRequest,
    form: forms.Form,
    *,
    act: Callable[[dict], Any],
    done_url: str,
    done_message: str | Callable[[Any], str],
    error_field: Callable[[DomainError], str | None] = lambda error: error.field,
) -> HttpResponse | None:
    """The pages' POST pattern: a valid form runs ``act(cleaned_data)`` (a service); success
    goes to ``done_url`` with a toast, a refusal lands on the field it names. Returns None when
    the form is to be shown again with its errors (the caller renders it in place)."""
    if not form.is_valid():
        return None
    try:
        result = act(form.cleaned_data)
    except DomainError as error:
        apply_domain_error(form, error, field=error_field(error))
        return None
    message = done_message(result) if callable(done_message) else done_message
    return redirect_with_message(request, done_url, message)
