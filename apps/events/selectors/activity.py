"""Reading one shopper's storefront behaviour for support: the session that led to an order,
a customer's carts and their recent sessions. Every read is scoped to the store and bounded
(a page of carts or sessions, at most ``STEPS_SHOWN`` steps of a session), through indexes led
by the store, so a customer with 10,000 events costs what one page costs.

How a customer is linked to behaviour: carts carry the email the shopper gave at checkout
(the customer's email or one kept from a merged duplicate); the sessions shown are those of the
visitors (browsers) that made these carts or placed the customer's orders."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.paginator import Page, Paginator
from django.db.models import Count, Q
from django.utils import timezone

from apps.core.models import Store
from apps.customers import selectors as customer_selectors
from apps.customers.models import AliasKind, Customer
from apps.events import activity
from apps.events.models import Cart, CartItem, Event, Purchase, Session
from apps.orders.models import Order

STEPS_SHOWN = 40  # a session's latest steps on the order page
CARTS_PER_PAGE = 5
SESSIONS_PER_PAGE = 10


@dataclass(frozen=True)
class SessionStep:
    at: datetime.datetime
    kind: str
    label: str


@dataclass(frozen=True)
class OrderSession:
    session_id: str
    landing_page: str
    source: str
    channel: str
    device: str
    country: str
    started_at: datetime.datetime
    ended_at: datetime.datetime
    duration: str
    pages_viewed: int
    steps: list[SessionStep]
    steps_not_shown: int  # earlier steps left out of ``steps``


@dataclass(frozen=True)
class CartItemRow:
    sku: str
    quantity: int
    price: Decimal


@dataclass(frozen=True)
class CartRow:
    cart_id: str
    state: str
    state_label: str
    state_tone: str
    step_label: str
    value: Decimal
    units: int
    last_activity_at: datetime.datetime | None
    purchased_at: datetime.datetime | None
    email: str
    device: str
    order_number: int | None  # the order the cart became, when it is in the portal
    items: list[CartItemRow] = field(default_factory=list)


@dataclass(frozen=True)
class SessionRow:
    session_id: str
    started_at: datetime.datetime
    duration: str
    landing_page: str
    device: str
    channel: str
    country: str
    events: int
    happened: list[str]  # "Viewed products", "Added to cart", …
    order_numbers: list[int]


# --- the order's session ------------------------------------------------------------------------
def order_session_get(*, store: Store, order: Order) -> OrderSession | None:
    """The storefront session that led to ``order``: the session of the purchase event with its
    external id, else the first session of its cart (``cart_id``); None when neither is known.
    At most four queries, whatever the session's size."""
    linked = Q(
        session_id__in=Purchase.objects.filter(store=store, order_ref=order.external_id).values(
            "session_id"
        )
    )
    if order.cart_id:
        linked |= Q(
            session_id__in=Cart.objects.filter(store=store, cart_id=order.cart_id).values(
                "session_id"
            )
        )
    session = Session.objects.filter(store=store).filter(linked).order_by("-purchase").first()
    if session is None:
        return None
    events = Event.objects.filter(
        store=store,
        session_id=session.session_id,
        occurred_at__gte=session.first_at,
        occurred_at__lte=session.last_at,
    )
    first = (
        events.order_by("occurred_at", "event_id")
        .values("referrer", "utm_source", "utm_medium", "utm_campaign")
        .first()
    ) or {"referrer": "", "utm_source": "", "utm_medium": "", "utm_campaign": ""}
    counts = events.aggregate(
        pages=Count("event_id", filter=Q(type__in=activity.PAGE_TYPES)),
        steps=Count("event_id", filter=Q(type__in=activity.STEP_TYPES)),
    )
    latest = list(
        events.filter(type__in=activity.STEP_TYPES)
        .order_by("-occurred_at", "-event_id")
        .values("type", "occurred_at", "url", "properties")[:STEPS_SHOWN]
    )
    steps = [
        SessionStep(
            at=row["occurred_at"],
            kind=row["type"],
            label=activity.step_describe(
                kind=row["type"],
                properties=row["properties"] or {},
                url=row["url"],
                currency=store.currency,
            ),
        )
        for row in reversed(latest)
    ]
    return OrderSession(
        session_id=session.session_id,
        landing_page=session.landing_page,
        source=activity.session_source(**first),
        channel=session.channel,
        device=session.device,
        country=session.country,
        started_at=session.first_at,
        ended_at=session.last_at,
        duration=activity.duration_words((session.last_at - session.first_at).total_seconds()),
        pages_viewed=counts["pages"],
        steps=steps,
        steps_not_shown=max(counts["steps"] - len(steps), 0),
    )


# --- the customer's carts and sessions ----------------------------------------------------------
def customer_emails(*, store: Store, customer: Customer) -> list[str]:
    """The customer's email and those kept from merged duplicates (lower case, as carts hold
    them)."""
    aliases = customer_selectors.customer_aliases(store=store, customer=customer).filter(
        kind=AliasKind.EMAIL
    )
    emails = [customer.email, *aliases.values_list("value", flat=True)]
    return sorted({email.lower() for email in emails if email})


def _order_numbers(store: Store, refs: set[str]) -> dict[str, int]:
    if not refs:
        return {}
    return dict(
        Order.objects.for_store(store)
        .filter(external_id__in=refs)
        .values_list("external_id", "number")
    )


def customer_carts_page(
    *,
    store: Store,
    emails: list[str],
    page_number: int | str | None = 1,
    per_page: int = CARTS_PER_PAGE,
    now: datetime.datetime | None = None,
) -> Page:
    """The carts (at least one ``add_to_cart``) carrying one of ``emails``, the latest activity
    first, a page of ``CartRow`` with their items and state at ``now``."""
    now = now or timezone.now()
    carts = Cart.objects.filter(
        store=store, customer_email__in=emails, first_added_at__isnull=False
    ).order_by("-last_activity_at", "-cart_id")
    page = Paginator(carts, per_page).get_page(page_number)
    rows = list(page.object_list)
    items: dict[str, list[CartItemRow]] = {}
    if rows:
        for item in CartItem.objects.filter(
            store=store, cart_id__in=[cart.cart_id for cart in rows], quantity__gt=0
        ).order_by("cart_id", "sku"):
            items.setdefault(item.cart_id, []).append(
                CartItemRow(sku=item.sku, quantity=item.quantity, price=item.price)
            )
    numbers = _order_numbers(store, {cart.order_ref for cart in rows if cart.order_ref})
    page.object_list = [
        _cart_row(cart, store=store, now=now, items=items, numbers=numbers) for cart in rows
    ]
    return page


def _cart_row(cart: Cart, *, store: Store, now, items, numbers) -> CartRow:
    state = activity.cart_state(
        last_activity_at=cart.last_activity_at,
        purchased_at=cart.purchased_at,
        window_minutes=store.abandonment_window_minutes,
        now=now,
    )
    return CartRow(
        cart_id=cart.cart_id,
        state=state,
        state_label=activity.CART_STATE_LABELS[state],
        state_tone=activity.CART_STATE_TONES[state],
        step_label=activity.CHECKOUT_STEP_LABELS.get(cart.checkout_step, "Cart"),
        value=cart.value,
        units=cart.items,
        last_activity_at=cart.last_activity_at,
        purchased_at=cart.purchased_at,
        email=cart.customer_email,
        device=cart.device,
        order_number=numbers.get(cart.order_ref),
        items=items.get(cart.cart_id, []),
    )


def customer_sessions_page(
    *,
    store: Store,
    customer: Customer,
    emails: list[str],
    page_number: int | str | None = 1,
    per_page: int = SESSIONS_PER_PAGE,
) -> Page:
    """The sessions of the visitors who made the customer's carts or placed their orders, the
    newest first, a page of ``SessionRow``."""
    linked = Q(
        session_id__in=Purchase.objects.filter(store=store, order__customer=customer).values(
            "session_id"
        )
    )
    if emails:
        linked |= Q(
            session_id__in=Cart.objects.filter(store=store, customer_email__in=emails).values(
                "session_id"
            )
        )
    visitors = Session.objects.filter(store=store).filter(linked).values("visitor_id")
    sessions = Session.objects.filter(store=store, visitor_id__in=visitors).order_by(
        "-first_at", "-session_id"
    )
    page = Paginator(sessions, per_page).get_page(page_number)
    rows = list(page.object_list)
    orders: dict[str, list[int]] = {}
    if rows:
        purchases = Purchase.objects.filter(
            store=store, session_id__in=[session.session_id for session in rows]
        ).order_by("occurred_at")
        numbers = _order_numbers(store, {purchase.order_ref for purchase in purchases})
        for purchase in purchases:
            if purchase.order_ref in numbers:
                orders.setdefault(purchase.session_id, []).append(numbers[purchase.order_ref])
    page.object_list = [
        SessionRow(
            session_id=session.session_id,
            started_at=session.first_at,
            duration=activity.duration_words((session.last_at - session.first_at).total_seconds()),
            landing_page=session.landing_page,
            device=session.device,
            channel=session.channel,
            country=session.country,
            events=session.events,
            happened=activity.session_happened(
                product_view=session.product_view,
                add_to_cart=session.add_to_cart,
                checkout_started=session.checkout_started,
                purchase=session.purchase,
            ),
            order_numbers=orders.get(session.session_id, []),
        )
        for session in rows
    ]
    return page
