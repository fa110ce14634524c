"""The order's rules, pure Python (no ORM, no request): which status follows which, what a
shipment needs, and how much may be refunded or returned.

The services call these before writing; the order page offers only ``allowed_transitions``;
the admin API and the page's forms get the same ``DomainError`` (with its field) from here.

Statuses and what may follow (anything else is refused, naming what is allowed)::

    placed     → paid, cancelled
    paid       → fulfilled, shipped, cancelled
    fulfilled  → shipped, cancelled
    shipped    → delivered, returned
    delivered  → returned
    returned   → (final; refunds still possible)
    cancelled  → (final)
    refunded   → (final; set by a refund that pays back everything paid)

Shipping needs a tracking number, and a tracking number belongs to a shipped order: the statuses
that have one (``TRACKED_STATUSES``) are shipped and those that can follow it. A line's total and
the order's total are at most ``MAX_TOTAL``. A cancelled order stays cancelled after a refund.
Refunds: each line at most its total less what was refunded on it before; shipping at most the
shipping price less its earlier refunds; the whole refund at most what was paid less what was
refunded before; returned quantities at most what was bought less what was returned before.
Nothing is refunded on an order that was never paid.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from urllib.parse import quote

from apps.core.exceptions import DomainError
from apps.core.inputs import MAX_PRICE
from apps.core.money import money_format

ZERO = Decimal("0")

STATUS_LABELS = {
    "placed": "Placed",
    "paid": "Paid",
    "fulfilled": "Fulfilled",
    "shipped": "Shipped",
    "delivered": "Delivered",
    "returned": "Returned",
    "cancelled": "Cancelled",
    "refunded": "Refunded",
}
TRANSITIONS: dict[str, tuple[str, ...]] = {
    "placed": ("paid", "cancelled"),
    "paid": ("fulfilled", "shipped", "cancelled"),
    "fulfilled": ("shipped", "cancelled"),
    "shipped": ("delivered", "returned"),
    "delivered": ("returned",),
    "returned": (),
    "cancelled": (),
    "refunded": (),
}
# the statuses a person sets from the order page or PATCH (refunded follows from refunds)
SETTABLE = ("paid", "fulfilled", "shipped", "delivered", "returned", "cancelled")
EVENT_LABELS = {**STATUS_LABELS, "note": "Note"}
# the verb of the button that moves an order to a status
ACTION_LABELS = {
    "paid": "Mark as paid",
    "fulfilled": "Mark as fulfilled",
    "shipped": "Ship",
    "delivered": "Mark as delivered",
    "returned": "Mark as returned",
    "cancelled": "Cancel order",
}
TRACKING_PLACEHOLDER = "{tracking_number}"
MAX_TRACKING_LENGTH = 100
# the most a line's total or an order's total may be (what one amount may be, everywhere)
MAX_TOTAL = MAX_PRICE


def _following(status: str) -> tuple[str, ...]:
    """``status`` and every status that can follow it, in the transitions' order."""
    found = [status]
    for current in found:
        found.extend(target for target in TRANSITIONS.get(current, ()) if target not in found)
    return tuple(found)


# the statuses an order has a tracking number in: shipping sets it, later ones may correct it
TRACKED_STATUSES = _following("shipped")


def allowed_transitions(status: str) -> list[str]:
    return [target for target in TRANSITIONS.get(status, ()) if target in SETTABLE]


def _names(statuses: Sequence[str]) -> str:
    words = [STATUS_LABELS[s].lower() for s in statuses]
    if not words:
        return ""
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} or {words[-1]}"


def tracking_number(value: object, *, field: str = "tracking_number") -> str:
    text = "".join(str(value or "").split())
    if len(text) > MAX_TRACKING_LENGTH:
        raise DomainError(
            f"The tracking number is longer than {MAX_TRACKING_LENGTH} characters.", field=field
        )
    return text


def tracking_check(*, status: str, tracking: str, field: str = "tracking_number") -> None:
    """A tracking number belongs to a shipped order: raise ``DomainError`` on ``field`` when
    ``tracking`` is given with a status outside ``TRACKED_STATUSES`` (a new order, a status
    change and the admin API's create and PATCH all ask this)."""
    if tracking and status not in TRACKED_STATUSES:
        raise DomainError(
            f"A {STATUS_LABELS.get(status, status).lower()} order has no tracking number; send "
            f"one only with {_names(TRACKED_STATUSES)}.",
            field=field,
        )


def transition_check(*, current: str, target: str, tracking: str = "") -> None:
    """Raise ``DomainError`` (field ``status`` or ``tracking_number``) unless ``current`` may
    move to ``target``; shipping needs a tracking number, and a tracking number goes only with
    a status that has one (``tracking_check``: delivered or returned may correct it)."""
    allowed = allowed_transitions(current)
    what_follows = (
        f"it can become {_names(allowed)}" if allowed else "its status can no longer change"
    )
    current_name = STATUS_LABELS.get(current, current).lower()
    if target not in STATUS_LABELS:
        raise DomainError(
            f"“{str(target)[:30]}” is not an order status; this {current_name} order "
            + (f"can become {_names(allowed)}." if allowed else "can no longer change."),
            field="status",
            code="invalid_transition",
        )
    if target == current:
        raise DomainError(f"The order is {current_name} already; {what_follows}.", field="status")
    if target not in allowed:
        raise DomainError(
            f"A {current_name} order cannot become {STATUS_LABELS[target].lower()}; "
            f"{what_follows}.",
            field="status",
            code="invalid_transition",
        )
    if target == "shipped" and not tracking:
        raise DomainError("Enter the tracking number to ship the order.", field="tracking_number")
    tracking_check(status=target, tracking=tracking)


def tracking_url(template: str, number: str) -> str:
    """The carrier's tracking link for ``number`` (percent-encoded, so a number can never change
    the address's shape); empty without either."""
    if not template or not number or TRACKING_PLACEHOLDER not in template:
        return ""
    return template.replace(TRACKING_PLACEHOLDER, quote(number, safe=""))


# --- refunds and returns -------------------------------------------------------------------------
@dataclass(frozen=True)
class LineState:
    line_id: int
    label: str  # the SKU, for messages
    total: Decimal
    refunded: Decimal
    quantity: int
    returned: int


@dataclass(frozen=True)
class LineRequest:
    line_id: int
    amount: Decimal = ZERO
    quantity: int = 0  # items returned


@dataclass(frozen=True)
class OrderMoney:
    status: str
    paid: Decimal
    refunded: Decimal
    shipping_price: Decimal
    shipping_refunded: Decimal
    currency: str = ""  # the messages write amounts in it ("€25.00"); bare without


@dataclass(frozen=True)
class RefundPlan:
    amount: Decimal  # lines + shipping
    shipping_amount: Decimal
    lines: tuple[LineRequest, ...]
    fully_refunded: bool  # everything paid is paid back after it
    fully_returned: bool  # every item is back after it
    returns_items: bool


def refund_check(
    *,
    order: OrderMoney,
    lines: Sequence[LineState],
    requests: Sequence[LineRequest],
    shipping_amount: Decimal = ZERO,
) -> RefundPlan:
    """Check a refund/return against what was paid and bought; errors name
    ``lines[<index>].amount`` / ``lines[<index>].quantity`` / ``shipping_amount`` / ``amount``
    (the index is the request's position)."""
    by_id = {line.line_id: line for line in lines}

    def shown(value: Decimal) -> str:
        return money_format(value, order.currency) if order.currency else str(value)

    if order.status in ("placed", "cancelled") and order.paid <= ZERO:
        raise DomainError("Nothing was paid for this order, so nothing can be refunded.",
                          field="amount")  # fmt: skip
    seen: set[int] = set()
    kept: list[LineRequest] = []
    total = ZERO
    for index, request in enumerate(requests):
        line = by_id.get(request.line_id)
        if line is None:
            raise DomainError("This line is not part of the order.", field=f"lines[{index}].line")
        if request.line_id in seen:
            raise DomainError(
                "This line appears twice in the refund.", field=f"lines[{index}].line"
            )
        seen.add(request.line_id)
        if request.amount < ZERO:
            raise DomainError("A refund cannot be negative.", field=f"lines[{index}].amount")
        if request.quantity < 0:
            raise DomainError("A returned quantity cannot be negative.",
                              field=f"lines[{index}].quantity")  # fmt: skip
        left = line.total - line.refunded
        if request.amount > left:
            raise DomainError(
                f"At most {shown(left)} can be refunded on {line.label} (its total "
                f"{shown(line.total)}, {shown(line.refunded)} refunded before).",
                field=f"lines[{index}].amount",
                code="refund_too_large",
            )
        returnable = line.quantity - line.returned
        if request.quantity > returnable:
            raise DomainError(
                f"At most {returnable} of {line.label} can be returned.",
                field=f"lines[{index}].quantity",
            )
        if request.amount or request.quantity:
            kept.append(request)
            total += request.amount
    if shipping_amount < ZERO:
        raise DomainError("A refund cannot be negative.", field="shipping_amount")
    shipping_left = order.shipping_price - order.shipping_refunded
    if shipping_amount > shipping_left:
        raise DomainError(
            f"At most {shown(shipping_left)} of the shipping can be refunded.",
            field="shipping_amount",
            code="refund_too_large",
        )
    total += shipping_amount
    if not kept and not shipping_amount:
        raise DomainError("Enter an amount to refund or a quantity returned.", field="amount")
    left = order.paid - order.refunded
    if total > left:
        raise DomainError(
            f"The refund of {shown(total)} is more than what is left of the payment "
            f"({shown(left)}).",
            field="amount",
            code="refund_too_large",
        )
    returned = {request.line_id: request.quantity for request in kept}
    fully_returned = all(
        line.returned + returned.get(line.line_id, 0) >= line.quantity for line in lines
    )
    return RefundPlan(
        amount=total,
        shipping_amount=shipping_amount,
        lines=tuple(kept),
        fully_refunded=total > ZERO and total == left,
        fully_returned=fully_returned and any(request.quantity for request in kept),
        returns_items=any(request.quantity for request in kept),
    )


def status_after_refund(*, current: str, plan: RefundPlan) -> str:
    """Everything paid back → refunded; every item back (not all money) → returned when that
    transition is allowed; otherwise the status stays. A cancelled order stays cancelled: the
    refund is recorded on it."""
    if current == "cancelled":
        return current
    if plan.fully_refunded:
        return "refunded"
    if plan.fully_returned and "returned" in TRANSITIONS.get(current, ()):
        return "returned"
    return current
