"""Refunds and returns, by line and of the shipping, never more than was paid
(``rules.refund_check``); the order's status follows (everything back → refunded)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import F, Sum

from apps.audit.services import audit_record, changes_between
from apps.core.exceptions import DomainError
from apps.core.inputs import count as count_rule
from apps.core.models import Store
from apps.core.money import money_format
from apps.customers.services import actor_parts
from apps.orders import inputs, rules
from apps.orders.models import Order, OrderLine, Refund, RefundLine
from apps.orders.services.common import event_add, order_lock
from apps.orders.services.customers import customer_stats_refresh

ZERO = Decimal("0")


def refund_requests(rows: Sequence[Mapping[str, Any]], *, currency: str) -> list[rules.LineRequest]:
    """``[{"line": id, "amount": "5.00", "quantity": 1}, …]`` → checked requests (errors name
    ``lines[i].amount`` …); blank amounts and quantities are zero."""
    requests = []
    for index, row in enumerate(rows):
        if not isinstance(row, Mapping):
            raise DomainError("Send each line as an object.", field=f"lines[{index}]")
        try:
            line_id = int(row.get("line"))
        except (TypeError, ValueError):
            raise DomainError(
                "Name the order line by its id.", field=f"lines[{index}].line"
            ) from None
        amount = inputs.typed_amount(
            row.get("amount"), field=f"lines[{index}].amount", label="refund", required=False,
            currency=currency,
        )  # fmt: skip
        quantity = count_rule(
            row.get("quantity"), field=f"lines[{index}].quantity", label="returned quantity",
            default=0,
        )  # fmt: skip
        requests.append(rules.LineRequest(line_id, amount or ZERO, quantity))
    return requests


@transaction.atomic
def order_refund(
    *,
    store: Store,
    actor,
    order: Order,
    lines: Sequence[Mapping[str, Any]],
    shipping_amount: Any = None,
    reason: str = "",
) -> Refund:
    order = order_lock(store=store, order=order)
    requests = refund_requests(lines, currency=order.currency)
    shipping = inputs.typed_amount(
        shipping_amount, field="shipping_amount", label="shipping refund", required=False,
        currency=order.currency,
    ) or ZERO  # fmt: skip
    reason = inputs.text(reason, field="reason", label="reason", limit_key="reason")
    order_lines = list(OrderLine.objects.for_store(store).filter(order=order))
    shipping_refunded = (
        Refund.objects.for_store(store)
        .filter(order=order)
        .aggregate(total=Sum("shipping_amount"))["total"]
        or ZERO
    )
    plan = rules.refund_check(
        order=rules.OrderMoney(
            status=order.status,
            paid=order.amount_paid,
            refunded=order.amount_refunded,
            shipping_price=order.shipping_price,
            shipping_refunded=shipping_refunded,
            currency=order.currency,
        ),
        lines=[
            rules.LineState(
                line.pk,
                line.sku,
                line.total,
                line.amount_refunded,
                line.quantity,
                line.quantity_returned,
            )
            for line in order_lines
        ],  # fmt: skip
        requests=requests,
        shipping_amount=shipping,
    )
    user, label = actor_parts(actor)
    refund = Refund.objects.create(
        store=store, order=order, amount=plan.amount, shipping_amount=plan.shipping_amount,
        reason=reason, actor=user, actor_label=label,
    )  # fmt: skip
    RefundLine.objects.bulk_create(
        [
            RefundLine(refund=refund, line_id=r.line_id, quantity=r.quantity, amount=r.amount)
            for r in plan.lines
        ]
    )
    for request in plan.lines:
        OrderLine.objects.filter(store=store, pk=request.line_id).update(
            amount_refunded=F("amount_refunded") + request.amount,
            quantity_returned=F("quantity_returned") + request.quantity,
        )
    before_status = order.status
    order.amount_refunded += plan.amount
    order.status = rules.status_after_refund(current=order.status, plan=plan)
    order.save(update_fields=["amount_refunded", "status", "updated_at"])
    skus = {line.pk: line.sku for line in order_lines}

    def money(value: Decimal) -> str:
        return money_format(value, order.currency)

    if plan.returns_items:
        items = ", ".join(f"{r.quantity} × {skus[r.line_id]}" for r in plan.lines if r.quantity)
        event_add(
            store=store, order=order, kind="returned", actor=actor,
            message=f"Returned {items}." + (f" Reason: {reason}" if reason else ""),
            data={"refund": refund.pk},
        )  # fmt: skip
    if plan.amount:
        event_add(
            store=store, order=order, kind="refunded", actor=actor,
            message=f"Refunded {money(plan.amount)}"
            + (f" (shipping {money(plan.shipping_amount)})" if plan.shipping_amount else "")
            + "." + (f" Reason: {reason}" if reason and not plan.returns_items else ""),
            data={"refund": refund.pk},
        )  # fmt: skip
    if order.customer_id:
        customer_stats_refresh(store=store, customer_ids=[order.customer_id])
    audit_record(
        store=store,
        actor=actor,
        action="order.refunded" if plan.amount else "order.returned",
        target=order,
        changes={
            **changes_between(
                {"amount_refunded": order.amount_refunded - plan.amount, "status": before_status},
                {"amount_refunded": order.amount_refunded, "status": order.status},
            ),
            **_refund_lines_change(plan, skus=skus, money=money),
        },
    )
    return refund


def _refund_lines_change(plan: rules.RefundPlan, *, skus: dict[int, str], money) -> dict:
    """The audit entry's words for what came back and what was paid back per line:
    ``{"returned": [None, ["1 × MUG-1 (€12.50)", "1 × TEE-M"]]}``, a line refunded without a
    return as ``"MUG-1 (€5.00)"``, and the shipping refunded."""
    rows = []
    for request in plan.lines:
        what = (
            f"{request.quantity} × {skus[request.line_id]}"
            if request.quantity
            else (skus[request.line_id])
        )
        rows.append(f"{what} ({money(request.amount)})" if request.amount else what)
    changes: dict[str, list] = {}
    if rows:
        changes["returned" if plan.returns_items else "refunded_lines"] = [None, rows]
    if plan.shipping_amount:
        changes["shipping_refunded"] = [None, str(plan.shipping_amount)]
    return changes
