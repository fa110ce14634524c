"""Customer work that involves their orders: the order figures kept on the customer, and the
merge of two records of one person (keeping every order, note and address; audited)."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import connection, transaction

from apps.audit.services import audit_record
from apps.core.exceptions import DomainError
from apps.core.models import Store
from apps.customers.models import (
    AliasKind,
    Customer,
    CustomerAddress,
    CustomerAlias,
    CustomerNote,
)
from apps.orders.models import Order

# what counts towards a customer's figures: cancelled orders do not; refunds are taken off
STATS_SQL = """
UPDATE customers_customer AS c SET
    order_count = COALESCE(s.order_count, 0),
    total_spent = COALESCE(s.spent, 0),
    first_order_at = s.first_at,
    last_order_at = s.last_at
FROM customers_customer AS target
LEFT JOIN LATERAL (
    SELECT count(*) AS order_count, sum(o.total - o.amount_refunded) AS spent,
           min(o.placed_at) AS first_at, max(o.placed_at) AS last_at
    FROM orders_order o
    WHERE o.store_id = target.store_id AND o.customer_id = target.id AND o.status <> 'cancelled'
) s ON true
WHERE c.id = target.id AND target.store_id = %s AND target.id = ANY(%s)
"""


def customer_stats_refresh(*, store: Store, customer_ids: Iterable[int]) -> None:
    """Recount the order figures (count, lifetime value, first/last order) of these customers."""
    ids = sorted({int(pk) for pk in customer_ids if pk})
    if not ids:
        return
    with connection.cursor() as cursor:
        cursor.execute(STATS_SQL, [store.pk, ids])


@transaction.atomic
def customer_merge(*, store: Store, actor, keep: Customer, duplicate: Customer) -> Customer:
    """Fold ``duplicate`` into ``keep``: its orders, notes and addresses move over, contact
    details ``keep`` lacks are taken from it, its other email and phone (and its own aliases)
    stay as ``keep``'s aliases, so a later order with them finds ``keep``; the duplicate is
    removed. One audit entry names what moved."""
    if keep.store_id != store.pk or duplicate.store_id != store.pk:
        raise DomainError("No such customer.", field="duplicate")
    if keep.pk == duplicate.pk:
        raise DomainError("Choose another customer to merge into this one.", field="duplicate")
    locked = {
        c.pk: c
        for c in Customer.objects.for_store(store)
        .select_for_update()
        .filter(pk__in=[keep.pk, duplicate.pk])
        .order_by("pk")
    }
    keep, duplicate = locked.get(keep.pk), locked.get(duplicate.pk)
    if keep is None or duplicate is None:
        raise DomainError("That customer no longer exists.", field="duplicate")
    orders = Order.objects.for_store(store).filter(customer=duplicate)
    moved_orders = sorted(orders.values_list("number", flat=True))
    orders.update(customer=keep)
    moved_notes = (
        CustomerNote.objects.for_store(store).filter(customer=duplicate).update(customer=keep)
    )
    known = {
        tuple(sorted(a.as_dict().items()))
        for a in CustomerAddress.objects.for_store(store).filter(customer=keep)
    }
    for address in CustomerAddress.objects.for_store(store).filter(customer=duplicate):
        if tuple(sorted(address.as_dict().items())) in known:
            address.delete()
        else:
            address.customer = keep
            address.save(update_fields=["customer", "updated_at"])
    CustomerAlias.objects.for_store(store).filter(customer=duplicate).update(customer=keep)
    taken = {}
    duplicate_contact = {
        name: getattr(duplicate, name) for name in ("email", "phone", "first_name", "last_name")
    }
    duplicate_label = str(duplicate)
    duplicate.delete()  # first, so that its email is free for ``keep``
    for name, value in duplicate_contact.items():
        if value and not getattr(keep, name):
            setattr(keep, name, value)
            taken[name] = value
    keep.full_name = " ".join(p for p in (keep.first_name, keep.last_name) if p)
    keep.save()
    aliases = _aliases_keep(store=store, customer=keep, contact=duplicate_contact)
    customer_stats_refresh(store=store, customer_ids=[keep.pk])
    audit_record(
        store=store,
        actor=actor,
        action="customer.merged",
        target=keep,
        changes={
            "merged": [duplicate_label, None],
            "orders": [None, ", ".join(f"#{n}" for n in moved_orders) or "none"],
            "notes": [None, moved_notes],
            **({"aliases": [None, ", ".join(aliases)]} if aliases else {}),
            **{name: [None, value] for name, value in taken.items()},
        },
    )
    keep.refresh_from_db()
    return keep


def _aliases_keep(*, store: Store, customer: Customer, contact: dict[str, str]) -> list[str]:
    """Keep the merged-away email and phone that ``customer`` does not carry as aliases (and
    drop any alias that is now the customer's own value); the values newly kept."""
    kept = []
    for kind in (AliasKind.EMAIL, AliasKind.PHONE):
        own = getattr(customer, kind)
        CustomerAlias.objects.for_store(store).filter(
            customer=customer, kind=kind, value=own
        ).delete()
        value = contact.get(kind, "")
        if value and value != own:
            CustomerAlias.objects.update_or_create(
                store=store, kind=kind, value=value, defaults={"customer": customer}
            )
            kept.append(value)
    return kept
