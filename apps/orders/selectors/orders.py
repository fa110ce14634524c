"""Order reads: the list's filters (one place: list page, export, API), one order with
everything its page shows in a fixed number of queries, the filter choices."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.core.cache import cache
from django.db.models import Count, Max, Prefetch, QuerySet

from apps.core.models import Store
from apps.core.money import country_choices
from apps.core.selectors import object_get
from apps.customers.models import Customer
from apps.orders import inputs, rules
from apps.orders.models import Channel, Order, OrderEvent, OrderLine, Refund, RefundLine
from apps.orders.selectors.search import order_search_condition

FILTER_PARAMS = (
    "q", "status", "from", "to", "payment", "service", "country", "channel", "total_min",
    "total_max",
)  # fmt: skip
FILTER_LABELS = {
    "q": "Search",
    "status": "Status",
    "from": "From",
    "to": "To",
    "payment": "Payment",
    "service": "Shipping",
    "country": "Country",
    "channel": "Channel",
    "total_min": "Total from",
    "total_max": "Total up to",
}
STATUS_CHOICES = list(rules.STATUS_LABELS.items())


def _day(raw: str | None) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(raw) if raw else None
    except ValueError:
        return None


def _amount(raw: str | None) -> Decimal | None:
    try:
        value = Decimal(str(raw).strip()) if raw not in (None, "") else None
    except (InvalidOperation, ValueError):
        return None
    return value if value is not None and value.is_finite() else None


def _day_start(store: Store, day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time.min, tzinfo=store.tzinfo)


def _shown_day(day: datetime.date) -> str:
    return f"{day.day} {day:%b %Y}"


def _reversed(values: Mapping[str, object], low: str, high: str) -> bool:
    return low in values and high in values and values[low] > values[high]


def order_filter_errors(params: Mapping[str, str]) -> dict[str, str]:
    """Each filter parameter given with a value that means nothing, and why: the API answers
    400 naming it; the list page says a reversed date range next to the dates (the other
    values come from its selects and inputs)."""
    errors: dict[str, str] = {}

    def given(key: str) -> str:
        return str(params.get(key) or "").strip()

    if given("status") and given("status") not in rules.STATUS_LABELS:
        errors["status"] = (
            f"“{given('status')[:30]}” is not an order status; use "
            f"{', '.join(rules.STATUS_LABELS)}."
        )
    if given("channel") and given("channel") not in Channel.values:
        errors["channel"] = (
            f"“{given('channel')[:30]}” is not a channel; use {', '.join(Channel.values)}."
        )
    country = given("country")
    if country and not (len(country) == 2 and country.isascii() and country.isalpha()):
        errors["country"] = "Give the country as a two-letter code, e.g. DE."
    for key in ("from", "to"):
        if given(key) and _day(given(key)) is None:
            errors[key] = f"Give the day as YYYY-MM-DD, e.g. 2025-03-01 (not “{given(key)[:30]}”)."
    for key in ("total_min", "total_max"):
        if given(key) and _amount(given(key)) is None:
            errors[key] = inputs.comma_hint(given(key), label="amount") or (
                f"Give the total as a number, e.g. 49.90 (not “{given(key)[:30]}”)."
            )
    values = order_filter_values(params)
    if _reversed(values, "from", "to"):
        errors["from"] = (
            f"“From” ({_shown_day(values['from'])}) is after “To” ({_shown_day(values['to'])}): "
            "swap the dates to see the orders between them."
        )
    if _reversed(values, "total_min", "total_max"):
        errors["total_min"] = (
            f"“Total from” ({values['total_min']}) is more than “up to” ({values['total_max']})."
        )
    return errors


def order_filter_values(params: Mapping[str, str]) -> dict[str, object]:
    """The list's GET parameters that mean something, parsed (unknown or malformed ones are
    dropped; ``order_filter_errors`` says why). A reversed date range stays here, so the
    inputs keep the days typed, but filters nothing (``order_filter``, no chips)."""
    values: dict[str, object] = {}
    q = " ".join(str(params.get("q") or "").split())[:200]
    if q:
        values["q"] = q
    if params.get("status") in rules.STATUS_LABELS:
        values["status"] = params["status"]
    if params.get("channel") in Channel.values:
        values["channel"] = params["channel"]
    for key in ("payment", "service"):
        text = str(params.get(key) or "").strip()[:200]
        if text:
            values[key] = text
    country = str(params.get("country") or "").strip().upper()
    if len(country) == 2 and country.isalpha():
        values["country"] = country
    for key in ("from", "to"):
        day = _day(params.get(key))
        if day:
            values[key] = day
    for key in ("total_min", "total_max"):
        amount = _amount(params.get(key))
        if amount is not None:
            values[key] = amount
    return values


def order_filter(*, store: Store, params: Mapping[str, str]) -> QuerySet[Order]:
    """The store's orders narrowed by the list's parameters (``FILTER_PARAMS``): the list page,
    its export and the API's list all call this, so "the current filter" means one thing.
    Dates are days in the store's time zone, both ends included."""
    values = order_filter_values(params)
    if _reversed(values, "from", "to"):
        del values["from"], values["to"]
    queryset = Order.objects.for_store(store)
    if "q" in values:
        queryset = queryset.filter(order_search_condition(store=store, query=values["q"]))
    for key, lookup in (
        ("status", "status"),
        ("channel", "channel"),
        ("payment", "payment_method_code"),
        ("service", "shipping_service_code"),
        ("country", "ship_country"),
    ):
        if key in values:
            queryset = queryset.filter(**{lookup: values[key]})
    if "from" in values:
        queryset = queryset.filter(placed_at__gte=_day_start(store, values["from"]))
    if "to" in values:
        end = values["to"] + datetime.timedelta(days=1)
        queryset = queryset.filter(placed_at__lt=_day_start(store, end))
    if "total_min" in values:
        queryset = queryset.filter(total__gte=values["total_min"])
    if "total_max" in values:
        queryset = queryset.filter(total__lte=values["total_max"])
    return queryset.order_by("-placed_at", "-id")


def order_export_heading(params: Mapping[str, str]) -> str:
    """The export page's heading: "Export shipped orders" when a status is chosen."""
    status = order_filter_values(params).get("status")
    return f"Export {rules.STATUS_LABELS[status].lower()} orders" if status else "Export orders"


def order_date_range_error(params: Mapping[str, str]) -> str:
    """A start date after the end date, named (the export refuses it rather than exporting
    every order or swapping the dates silently); empty when the range is fine."""
    values = order_filter_values(params)
    if not _reversed(values, "from", "to"):
        return ""
    return (
        f"The start date is after the end date ({_shown_day(values['from'])} is after "
        f"{_shown_day(values['to'])}): change the dates on the order list to export the orders "
        "between them."
    )


@dataclass(frozen=True)
class Chip:
    param: str
    label: str


def order_filter_chips(*, params: Mapping[str, str], store: Store | None = None) -> list[Chip]:
    """The active filters as chips ("Status: Paid"); with the store, a payment method or
    shipping service is named as its select's option names it ("Shipping: UPS Express")."""
    values = order_filter_values(params)
    if _reversed(values, "from", "to"):
        del values["from"], values["to"]
    named = order_filter_choices(store=store) if store is not None else {}
    chips = []
    for key, value in values.items():
        if key == "status":
            shown = rules.STATUS_LABELS[value]
        elif key == "channel":
            shown = Channel(value).label
        elif isinstance(value, datetime.date):
            shown = _shown_day(value)
        elif key in ("payment", "service"):
            shown = dict(named.get(key, ())).get(value, str(value))
        else:
            shown = str(value)
        chips.append(Chip(key, f"{FILTER_LABELS[key]}: {shown}"))
    return chips


CHOICES_CACHE_SECONDS = 300


def order_filter_choices(*, store: Store) -> dict[str, list[tuple[str, str]]]:
    """The values the list's selects offer: the payment methods, shipping services and
    countries the store's orders use. Reading them scans the orders, so the answer is cached
    for five minutes per store (a new payment method shows in the select within that)."""
    key = f"orders:filter-choices:{store.pk}"
    choices = cache.get(key)
    if choices is None:
        choices = _order_filter_choices(store)
        cache.set(key, choices, CHOICES_CACHE_SECONDS)
    return choices


def service_label(carrier: str, name: str) -> str:
    """A shipping service as the order list names it: carrier and service ("UPS Express"),
    the service's name alone when it starts with its carrier already ("DHL Paket")."""
    carrier, name = carrier.strip(), name.strip()
    if not carrier or name.casefold().startswith(carrier.casefold()):
        return name
    return f"{carrier} {name}".strip()


def _by_label(options: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """Options sorted by what they read, then by code: the same order on every load."""
    return sorted(options, key=lambda option: (option[1].casefold(), option[0]))


def _order_filter_choices(store: Store) -> dict[str, list[tuple[str, str]]]:
    orders = Order.objects.for_store(store).order_by()

    def distinct(code: str, *names: str) -> list[tuple[str, ...]]:
        # one option per code, even when its name changed between orders (the filter is by
        # code): the greatest name, so the label is the same on every load
        labels = {f"label{index}": Max(name) for index, name in enumerate(names)}
        rows = (
            orders.exclude(**{code: ""})
            .values(code)
            .annotate(**labels)
            .order_by(code)
            .values_list(code, *labels)[:100]
        )
        return [tuple(value or "" for value in row) for row in rows]

    names = dict(country_choices())
    countries = (
        orders.exclude(ship_country="")
        .values_list("ship_country", flat=True)
        .distinct()
        .order_by("ship_country")[:250]
    )
    payments = distinct("payment_method_code", "payment_method_name")
    services = distinct("shipping_service_code", "shipping_carrier", "shipping_service_name")
    return {
        "payment": _by_label([(code, name or code) for code, name in payments]),
        "service": _by_label(
            [(code, service_label(carrier, name) or code) for code, carrier, name in services]
        ),
        "country": [(code, names.get(code, code)) for code in countries],
        "status": STATUS_CHOICES,
        "channel": list(Channel.choices),
    }


def order_detail_queryset(*, store: Store) -> QuerySet[Order]:
    """Orders with their customer, lines, timeline (with people) and refunds loaded: the order
    page reads everything in a fixed number of queries whatever the number of lines."""
    return (
        Order.objects.for_store(store)
        .select_related("customer")
        .prefetch_related(
            Prefetch("lines", queryset=OrderLine.objects.order_by("position", "id")),
            Prefetch(
                "events",
                queryset=OrderEvent.objects.select_related("actor").order_by("-occurred_at", "-id"),
            ),
            Prefetch(
                "refunds",
                queryset=Refund.objects.select_related("actor").prefetch_related(
                    Prefetch("lines", queryset=RefundLine.objects.select_related("line"))
                ),
            ),
        )
    )


def order_get(*, store: Store, order_id: int) -> Order:
    return object_get(order_detail_queryset(store=store), not_found="No such order.", pk=order_id)


def order_get_by_number(*, store: Store, number: int) -> Order:
    return object_get(order_detail_queryset(store=store), not_found="No such order.", number=number)


def customer_orders(*, store: Store, customer_id: int) -> QuerySet[Order]:
    return (
        Order.objects.for_store(store).filter(customer_id=customer_id).order_by("-placed_at", "-id")
    )


def customers_with_channel(
    customers: QuerySet[Customer], *, store: Store, channel: str
) -> QuerySet[Customer]:
    """``customers`` (the store's) narrowed to those with an order on ``channel`` (the customer
    list's filter); the orders subquery is scoped to the store too."""
    buyers = (
        Order.objects.for_store(store)
        .filter(channel=channel, customer__isnull=False)
        .values("customer_id")
    )
    return customers.filter(pk__in=buyers)


def customer_channels(*, store: Store, customer_id: int) -> list[tuple[str, str, int]]:
    """(channel, its name, how many orders) of one customer, most used first."""
    rows = (
        customer_orders(store=store, customer_id=customer_id)
        .order_by()
        .values("channel")
        .annotate(n=Count("id"))
        .order_by("-n", "channel")
    )
    return [(row["channel"], Channel(row["channel"]).label, row["n"]) for row in rows]
