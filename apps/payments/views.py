"""Payment method pages: the owner edits, managers read (the same pages without controls)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from apps.core.exceptions import DomainError
from apps.core.forms import form_error_apply
from apps.core.htmx import redirect_with_message, render_page
from apps.core.tables import ChoiceFilter, Column, TableQuery
from apps.core.tenancy import can, store_view
from apps.payments import selectors, services
from apps.payments.forms import PaymentMethodForm
from apps.payments.models import MethodKind, PaymentMethod
from apps.payments.permissions import MANAGE_PAYMENTS, VIEW_PAYMENTS
from apps.shipping.selectors import service_list

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
    context = {"table": table, "can_edit": can(request, MANAGE_PAYMENTS)}
    return render_page(request, "payments/method_list.html", context, partial="method-table")


def _initial(method: PaymentMethod) -> dict:
    initial = {name: getattr(method, name) for name in services.METHOD_FIELDS}
    initial["countries"] = ", ".join(method.countries)
    return initial


def _page(request, form, method=None, status=200) -> HttpResponse:
    can_edit = can(request, MANAGE_PAYMENTS)
    if not can_edit:
        for field in form.fields.values():
            field.disabled = True
    context = {"form": form, "method": method, "can_edit": can_edit}
    return render_page(request, "payments/method_form.html", context, status=status)


def _save(request: HttpRequest, method: PaymentMethod | None) -> HttpResponse:
    if not can(request, MANAGE_PAYMENTS):
        raise PermissionDenied("Only the store's owner changes payment settings.")
    form = PaymentMethodForm(request.POST, service_choices=_service_choices(request))
    if form.is_valid():
        common = {"store": request.store, "actor": request.user}
        try:
            if method is None:
                method = services.method_create(**common, **form.cleaned_data)
                message = f"Payment method “{method}” added."
            else:
                services.method_update(**common, method=method, **form.cleaned_data)
                message = f"Payment method “{method}” saved."
        except DomainError as error:
            form_error_apply(error, form)
        else:
            return redirect_with_message(request, payments_url("method-list", request), message)
    return _page(request, form, method, status=400)


@store_view(MANAGE_PAYMENTS)
@require_http_methods(["GET", "POST"])
def method_create(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        return _save(request, None)
    form = PaymentMethodForm(
        initial={"is_enabled": True, "kind": request.GET.get("kind", MethodKind.CARD)},
        service_choices=_service_choices(request),
    )
    return _page(request, form)


@store_view(VIEW_PAYMENTS)
@require_http_methods(["GET", "POST"])
def method_update(request: HttpRequest, method_id: int) -> HttpResponse:
    method = selectors.method_get(store=request.store, method_id=method_id)
    if request.method == "POST":
        return _save(request, method)
    form = PaymentMethodForm(initial=_initial(method), service_choices=_service_choices(request))
    return _page(request, form, method)


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
    services.method_delete(store=request.store, actor=request.user, method=method)
    return redirect_with_message(
        request, payments_url("method-list", request), f"Payment method “{method}” deleted."
    )
