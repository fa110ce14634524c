"""Customer pages: the list (search, channel filter, sort by value or last order) and the
single view of a customer (contacts, addresses, figures, every order, notes, duplicates)."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_POST

from apps.core.exceptions import DomainError
from apps.core.htmx import redirect_with_error, redirect_with_message, render_page
from apps.core.tables import ChoiceFilter, Column, TableQuery
from apps.core.tenancy import can, store_view
from apps.customers import selectors as customer_selectors
from apps.customers import services as customer_services
from apps.customers.models import Customer
from apps.customers.permissions import MANAGE_CUSTOMERS, VIEW_CUSTOMERS
from apps.orders import selectors, services
from apps.orders.forms import ContactForm, NoteForm
from apps.orders.models import Channel
from apps.orders.views.common import customers_url, error_status, form_action

CUSTOMER_COLUMNS = [
    Column("name", "Customer", "full_name"),
    Column("email", "Email", "email"),
    Column("orders", "Orders", "order_count", numeric=True),
    Column("spent", "Lifetime value", "total_spent", numeric=True),
    Column("last", "Last order", "last_order_at"),
]
ORDERS_PER_PAGE = 20
DUPLICATES_SHOWN = 5


@store_view(VIEW_CUSTOMERS)
def customer_list(request: HttpRequest) -> HttpResponse:
    store = request.store
    table = TableQuery(
        request=request,
        queryset=Customer.objects.for_store(store),
        columns=CUSTOMER_COLUMNS,
        search=lambda queryset, q: queryset.filter(selectors.customer_search_condition(query=q)),
        filters=[
            ChoiceFilter(
                "channel",
                "Channel",
                Channel.choices,
                lambda queryset, value: selectors.customers_with_channel(
                    queryset, store=store, channel=value
                ),
            )
        ],
        default_sort="-last",
    )
    rows = list(table.page.object_list)
    context = {
        "table": table,
        "rows": rows,
        "has_customers": bool(rows) or table.is_filtered or table.page.paginator.count > 0,
    }
    return render_page(request, "orders/customer_list.html", context, partial="customer-table")


def _duplicates(store, customer: Customer) -> list[Customer]:
    """Other customers who may be the same person: same name, same phone, or the same email
    name at another address."""
    condition = Q(pk__in=[])
    if customer.full_name:
        condition |= Q(full_name__iexact=customer.full_name)
    if customer.phone:
        condition |= Q(phone=customer.phone)
    if customer.email:
        condition |= Q(email__istartswith=customer.email.split("@")[0] + "@")
    return list(
        Customer.objects.for_store(store)
        .filter(condition)
        .exclude(pk=customer.pk)
        .order_by("-last_order_at", "-id")[:DUPLICATES_SHOWN]
    )


def _customer_page(
    request: HttpRequest,
    customer: Customer,
    *,
    note_form=None,
    contact_form=None,
    status: int = 200,
) -> HttpResponse:
    store = request.store
    orders = selectors.customer_orders(store=store, customer_id=customer.pk)
    page = Paginator(orders, ORDERS_PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "customer": customer,
        "addresses": list(customer_selectors.customer_addresses(store=store, customer=customer)),
        "aliases": list(customer_selectors.customer_aliases(store=store, customer=customer)),
        "notes": list(customer_selectors.customer_notes(store=store, customer=customer)),
        "orders_page": page,
        "channels": selectors.customer_channels(store=store, customer_id=customer.pk),
        "duplicates": _duplicates(store, customer) if can(request, MANAGE_CUSTOMERS) else [],
        "note_form": note_form or NoteForm(),
        "contact_form": contact_form
        or ContactForm(
            initial={
                "first_name": customer.first_name,
                "last_name": customer.last_name,
                "email": customer.email,
                "phone": customer.phone,
            }
        ),
        "can_manage": can(request, MANAGE_CUSTOMERS),
    }
    return render_page(
        request, "orders/customer_detail.html", context, partial="customer-orders", status=status
    )


@store_view(VIEW_CUSTOMERS)
def customer_detail(request: HttpRequest, customer_id: int) -> HttpResponse:
    customer = customer_selectors.customer_get(store=request.store, customer_id=customer_id)
    return _customer_page(request, customer)


@store_view(MANAGE_CUSTOMERS)
@require_POST
def customer_note(request: HttpRequest, customer_id: int) -> HttpResponse:
    customer = customer_selectors.customer_get(store=request.store, customer_id=customer_id)
    form = NoteForm(request.POST)
    done = form_action(
        request,
        form,
        act=lambda data: customer_services.customer_note_add(
            store=request.store, actor=request.user, customer=customer, body=data["body"]
        ),
        done_url=customers_url("customer-detail", request, customer_id=customer.pk),
        done_message="Note added.",
        error_field=lambda error: "body",
    )
    return done or _customer_page(request, customer, note_form=form, status=error_status(request))


@store_view(MANAGE_CUSTOMERS)
@require_POST
def customer_contact(request: HttpRequest, customer_id: int) -> HttpResponse:
    """Change the customer's name, email or phone (the same rules as an order's)."""
    customer = customer_selectors.customer_get(store=request.store, customer_id=customer_id)
    form = ContactForm(request.POST)
    done = form_action(
        request,
        form,
        act=lambda data: customer_services.customer_update(
            store=request.store, actor=request.user, customer=customer, **data
        ),
        done_url=customers_url("customer-detail", request, customer_id=customer.pk),
        done_message="Contact details saved.",
        error_field=lambda error: ContactForm.FIELD_NAMES.get(error.field),
    )
    if done:
        return done
    customer.refresh_from_db()  # the refused change was not saved
    return _customer_page(request, customer, contact_form=form, status=error_status(request))


@store_view(MANAGE_CUSTOMERS)
@require_POST
def customer_merge(request: HttpRequest, customer_id: int) -> HttpResponse:
    """Merge the customer named by ``duplicate`` into this one (confirmed on the page)."""
    store = request.store
    customer = customer_selectors.customer_get(store=store, customer_id=customer_id)
    back = customers_url("customer-detail", request, customer_id=customer.pk)
    try:
        duplicate_id = int(request.POST.get("duplicate", ""))
    except ValueError:
        return redirect_with_error(request, back, "Choose the customer to merge into this one.")
    duplicate = customer_selectors.customer_get(store=store, customer_id=duplicate_id)
    try:
        services.customer_merge(store=store, actor=request.user, keep=customer, duplicate=duplicate)
    except DomainError as error:
        return redirect_with_error(request, back, error)
    return redirect_with_message(request, back, f"Merged {duplicate} into this customer.")
