"""Payment method pages: the owner edits, managers read (the same pages without controls)."""

from __future__ import annotations

from functools import partial

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.views.decorators.http import require_http_methods, require_POST

from apps.core.forms import delete_and_return, form_save
from apps.core.htmx import redirect_with_message, render_page
from apps.core.tables import ChoiceFilter, Column, TableQuery
from apps.core.tenancy import can, store_view
from apps.payments import selectors, services
from apps.payments.forms import PaymentMethodForm
from apps.payments.models import MethodKind, PaymentMethod
from apps.payments.permissions import MANAGE_PAYMENTS, VIEW_PAYMENTS
from apps.shipping.selectors import service_list, service_names

COLUMNS = [
    Column("name", "Method", "display_name"),
    Column("kind", "Kind", "kind"),
    Column("fee", "Fee"),
    Column("rules", "Available"),
    Column("order", "Position", "sort_order", numeric=True),
]
FILTERS = [
    ChoiceFilter("kind", "Kind", MethodKind.choices, lambda qs, v: qs.filter(kind=v)),
    ChoiceFilter(
        "enabled",
        "Status",
        [("yes", "Enabled"), ("no", "Off")],
        lambda qs, v: qs.filter(is_enabled=v == "yes"),
    ),
]


def payments_url(name: str, request: HttpRequest, **kwargs) -> str:
    return reverse(f"payments:{name}", kwargs={"handle": request.store.handle, **kwargs})


def _service_choices(request) -> list[tuple[str, str]]:
    return [(s.code, f"{s} ({s.code})") for s in service_list(store=request.store)]


@store_view(VIEW_PAYMENTS)
def method_list(request: HttpRequest) -> HttpResponse:
    table = TableQuery(
        request=request,
        queryset=selectors.method_list(store=request.store),
        columns=COLUMNS,
        search_fields=("display_name", "code", "gateway"),
        filters=FILTERS,
        default_sort="order",
    )
    context = {
        "table": table,
        "can_edit": can(request, MANAGE_PAYMENTS),
        "service_names": service_names(store=request.store),
    }
    return render_page(request, "payments/method_list.html", context, partial="method-table")


def _initial(method: PaymentMethod) -> dict:
    initial = {name: getattr(method, name) for name in services.METHOD_FIELDS}
    initial["countries"] = ", ".join(method.countries)
    return initial


def _form(request, data=None, **kwargs) -> PaymentMethodForm:
    return PaymentMethodForm(
        data,
        service_choices=_service_choices(request),
        currency=request.store.currency,
        **kwargs,
    )


def _page(request, form, method=None, status=200) -> HttpResponse:
    """The method's form; read-only for a manager: every field disabled and the credential
    field (for editors only: it says how to type new ones) left out."""
    can_edit = can(request, MANAGE_PAYMENTS)
    if not can_edit:
        form.fields.pop("gateway_secret", None)
        for field in form.fields.values():
            field.disabled = True
    context = {"form": form, "method": method, "can_edit": can_edit}
    response = render_page(request, "payments/method_form.html", context, status=status)
    # a form sent back with errors holds the credential just typed: never kept by a cache
    add_never_cache_headers(response)
    return response


def _save(request: HttpRequest, method: PaymentMethod | None) -> HttpResponse:
    if not can(request, MANAGE_PAYMENTS):
        raise PermissionDenied("Only the store's owner changes payment settings.")
    form = _form(request, request.POST)
    common = {"store": request.store, "actor": request.user}

    def save(values):
        if method is None:
            saved, done = services.method_create(**common, **values), "added"
        else:
            saved, done = services.method_update(**common, method=method, **values), "saved"
        return payments_url("method-list", request), f"Payment method “{saved}” {done}."

    saved = form_save(request, form, save)
    if saved:
        return saved
    # what the owner just typed comes back in the field, in this response only (sent without
    # caching): nothing they typed is lost, and it is never stored, logged or shown on a GET
    form.fields["gateway_secret"].widget.render_value = True
    return _page(request, form, method, status=400)


@store_view(MANAGE_PAYMENTS)
@require_http_methods(["GET", "POST"])
def method_create(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        return _save(request, None)
    form = _form(
        request, initial={"is_enabled": True, "kind": request.GET.get("kind", MethodKind.CARD)}
    )
    return _page(request, form)


@store_view(VIEW_PAYMENTS)
@require_http_methods(["GET", "POST"])
def method_update(request: HttpRequest, method_id: int) -> HttpResponse:
    method = selectors.method_get(store=request.store, method_id=method_id)
    if request.method == "POST":
        return _save(request, method)
    return _page(request, _form(request, initial=_initial(method)), method)


@store_view(MANAGE_PAYMENTS)
@require_POST
def method_secret_clear(request: HttpRequest, method_id: int) -> HttpResponse:
    method = selectors.method_get(store=request.store, method_id=method_id)
    services.method_secret_clear(store=request.store, actor=request.user, method=method)
    return redirect_with_message(
        request,
        payments_url("method-update", request, method_id=method.pk),
        "Gateway credentials removed.",
    )


@store_view(MANAGE_PAYMENTS)
@require_POST
def method_delete(request: HttpRequest, method_id: int) -> HttpResponse:
    method = selectors.method_get(store=request.store, method_id=method_id)
    return delete_and_return(
        request,
        partial(services.method_delete, store=request.store, actor=request.user, method=method),
        payments_url("method-list", request),
        f"Payment method “{method}” deleted.",
    )
