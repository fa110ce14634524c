"""Order pages: the list (filters, sort, HTMX pagination), the order page and its actions
(status, notes, refunds/returns), each refused action shown in place with its reason."""

from __future__ import annotations

from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from apps.core.htmx import redirect_with_error, render_page
from apps.core.money import money_format
from apps.core.selectors import with_count_cap
from apps.core.tables import Column, TableQuery
from apps.core.tenancy import can, store_view
from apps.orders import rules, selectors, services
from apps.orders.forms import (
    NoteForm,
    RefundForm,
    StatusForm,
    TrackingForm,
)
from apps.orders.permissions import EXPORT_ORDERS, HANDLE_ORDERS, VIEW_ORDERS
from apps.orders.views.common import error_status, form_action, orders_url

COUNT_CAP = 10_000
TOTAL_PARAMS = ("total_min", "total_max")
ORDER_COLUMNS = [
    Column("number", "Order", "number"),
    Column("placed", "Date", "placed_at"),
    Column("customer", "Customer", "customer_name"),
    Column("status", "Status", "status"),
    Column("channel", "Channel", "channel"),
    Column("total", "Total", "total", numeric=True),
]


@store_view(VIEW_ORDERS)
def order_list(request: HttpRequest) -> HttpResponse:
    store = request.store
    params = selectors.order_filter_values(request.GET)
    errors = selectors.order_filter_errors(request.GET)
    table = TableQuery(
        request=request,
        # counting a million orders for "1–25 of …" costs more than the page: stop at 10,000
        queryset=with_count_cap(selectors.order_filter(store=store, params=request.GET), COUNT_CAP),
        columns=ORDER_COLUMNS,
        search=lambda queryset, q: queryset,  # order_filter searched already
        default_sort="-placed",
    )
    rows = list(table.page.object_list)
    query = {key: value for key, value in request.GET.items() if value}
    chips = [
        (chip.label, _without(request, query, chip.param))
        for chip in selectors.order_filter_chips(params=request.GET, store=store)
    ]
    context = {
        "table": table,
        "rows": rows,
        "count_is_capped": table.page.paginator.count > COUNT_CAP,
        "count_cap": COUNT_CAP,
        "chips": chips,
        # the totals as typed ("1,5" stays, with why it filters nothing)
        "values": {
            **{key: str(value) for key, value in params.items()},
            **{key: request.GET.get(key, "")[:30] for key in TOTAL_PARAMS},
        },
        # a filter that means nothing (a reversed date range, a total with a comma…), said next
        # to the inputs
        "filter_state": {
            "date_error": " ".join(
                message for key, message in errors.items() if key not in TOTAL_PARAMS
            ),
            "total_error": " ".join(
                message for key, message in errors.items() if key in TOTAL_PARAMS
            ),
            **{f"{key}_invalid": key in errors for key in TOTAL_PARAMS},
        },
        "choices": selectors.order_filter_choices(store=store),
        "is_filtered": bool(params),
        "has_orders": bool(rows) or bool(params) or table.page.paginator.count > 0,
        "can_export": can(request, EXPORT_ORDERS),
        "export_query": urlencode(
            {key: value for key, value in query.items() if key in selectors.FILTER_PARAMS}
        ),
    }
    return render_page(request, "orders/order_list.html", context, partial="order-table")


def _without(request: HttpRequest, query: dict, param: str) -> str:
    rest = {key: value for key, value in query.items() if key not in (param, "page")}
    return f"{request.path}?{urlencode(rest)}" if rest else request.path


def _order_page(
    request: HttpRequest,
    order,
    *,
    status_form: StatusForm | None = None,
    note_form: NoteForm | None = None,
    refund_form: RefundForm | None = None,
    tracking_form: TrackingForm | None = None,
    partial: str | None = None,
    status: int = 200,
) -> HttpResponse:
    can_handle = can(request, HANDLE_ORDERS)
    lines = list(order.lines.all())
    context = {
        "order": order,
        "lines": lines,
        "events": list(order.events.all()),
        "refunds": list(order.refunds.all()),
        "transitions": [
            (code, rules.ACTION_LABELS[code]) for code in rules.allowed_transitions(order.status)
        ],
        "status_form": status_form or StatusForm(order=order),
        "note_form": note_form or NoteForm(),
        "refund_form": refund_form or RefundForm(order=order),
        "tracking_form": tracking_form or TrackingForm(),
        "can_correct_tracking": can_handle and order.status in services.TRACKED_STATUSES,
        "can_handle": can_handle,
        "can_refund": can_handle and order.refundable > 0,
        "shipping_refundable": order.shipping_price
        - sum((refund.shipping_amount for refund in order.refunds.all()), 0),
    }
    return render_page(request, "orders/order_detail.html", context, partial=partial, status=status)


@store_view(VIEW_ORDERS)
def order_detail(request: HttpRequest, number: int) -> HttpResponse:
    order = selectors.order_get_by_number(store=request.store, number=number)
    return _order_page(request, order)


@store_view(VIEW_ORDERS)
def order_by_id(request: HttpRequest, order_id: int) -> HttpResponse:
    """The order by its id (the audit log's link), sent on to its address by number."""
    order = selectors.order_get(store=request.store, order_id=order_id)
    return redirect(orders_url("order-detail", request, number=order.number))


@store_view(HANDLE_ORDERS)
@require_POST
def order_status(request: HttpRequest, number: int) -> HttpResponse:
    order = selectors.order_get_by_number(store=request.store, number=number)
    form = StatusForm(request.POST, order=order)
    done = form_action(
        request,
        form,
        act=lambda data: services.order_status_change(
            store=request.store,
            actor=request.user,
            order=order,
            status=data["status"],
            tracking_number=data["tracking_number"],
        ),
        done_url=orders_url("order-detail", request, number=order.number),
        done_message=lambda changed: (
            f"Order #{changed.number} is {rules.STATUS_LABELS[changed.status].lower()}."
        ),
    )
    return done or _order_page(
        request, order, status_form=form, partial="status-card", status=error_status(request)
    )


@store_view(HANDLE_ORDERS)
@require_POST
def order_tracking(request: HttpRequest, number: int) -> HttpResponse:
    """Correct the tracking number of a shipped order."""
    order = selectors.order_get_by_number(store=request.store, number=number)
    page = orders_url("order-detail", request, number=order.number)
    if order.status not in services.TRACKED_STATUSES:  # the page shows no form to answer in
        return redirect_with_error(request, page, "Ship the order to give it a tracking number.")
    form = TrackingForm(request.POST)
    done = form_action(
        request,
        form,
        act=lambda data: services.order_tracking_update(
            store=request.store,
            actor=request.user,
            order=order,
            tracking_number=data["tracking_number"],
        ),
        done_url=page,
        done_message="Tracking number changed.",
    )
    return done or _order_page(
        request, order, tracking_form=form, partial="shipping-card", status=error_status(request)
    )


@store_view(HANDLE_ORDERS)
@require_POST
def order_note(request: HttpRequest, number: int) -> HttpResponse:
    order = selectors.order_get_by_number(store=request.store, number=number)
    form = NoteForm(request.POST)
    done = form_action(
        request,
        form,
        act=lambda data: services.order_note_add(
            store=request.store, actor=request.user, order=order, body=data["body"]
        ),
        done_url=orders_url("order-detail", request, number=order.number),
        done_message="Note added.",
        error_field=lambda error: "body",
    )
    return done or _order_page(
        request, order, note_form=form, partial="note-form", status=error_status(request)
    )


@store_view(HANDLE_ORDERS)
@require_POST
def order_refund(request: HttpRequest, number: int) -> HttpResponse:
    order = selectors.order_get_by_number(store=request.store, number=number)
    form = RefundForm(request.POST, order=order)
    done = form_action(
        request,
        form,
        act=lambda data: services.order_refund(
            store=request.store,
            actor=request.user,
            order=order,
            lines=form.line_rows(),
            shipping_amount=data.get("shipping_amount"),
            reason=data.get("reason", ""),
        ),
        done_url=orders_url("order-detail", request, number=order.number),
        done_message=lambda refund: (
            f"Refunded {money_format(refund.amount, order.currency)}."
            if refund.amount
            else "Return recorded."
        ),
        error_field=lambda error: form.field_for(error.field),
    )
    return done or _order_page(
        request, order, refund_form=form, partial="refund-card", status=error_status(request)
    )
