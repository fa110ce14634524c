"""Customer writes: find-or-create by email then phone, remember addresses, notes.

Orders call ``customer_for_order`` inside their own transaction; the merge of duplicates and
the order figures live in the orders app (they move and count orders).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.utils import timezone

from apps.audit.services import audit_record
from apps.core.exceptions import DomainError
from apps.core.models import Store
from apps.customers import inputs
from apps.customers.models import Customer, CustomerAddress, CustomerNote
from apps.customers.selectors import customer_match


def actor_parts(actor) -> tuple[Any, str]:
    """(the staff user or None, the words naming who acted): a person by their name, an API key
    or a label such as "storefront" by its text."""
    if isinstance(actor, get_user_model()) and actor.is_authenticated:
        return actor, actor.display_name
    return None, str(actor or "system")[:254]


def _full_name(first: str, last: str) -> str:
    return " ".join(part for part in (first, last) if part)


def customer_for_order(*, store: Store, actor, data: Mapping[str, str]) -> Customer:
    """The customer an order belongs to (``data`` cleaned by ``inputs.contact``): the store's
    customer with that email, else with that phone, else a new one. Missing contact details
    and names are filled in from the order; existing ones are never overwritten."""
    customer = customer_match(store=store, email=data["email"], phone=data["phone"])
    if customer is None:
        try:
            with transaction.atomic():
                customer = Customer.objects.create(
                    store=store,
                    email=data["email"],
                    phone=data["phone"],
                    first_name=data["first_name"],
                    last_name=data["last_name"],
                    full_name=_full_name(data["first_name"], data["last_name"]),
                )
        except IntegrityError:  # the same email created by a concurrent order
            customer = customer_match(store=store, email=data["email"], phone="")
            if customer is None:
                raise
        else:
            audit_record(
                store=store,
                actor=actor,
                action="customer.created",
                target=customer,
                changes={"email": [None, customer.email], "phone": [None, customer.phone]},
            )
            return customer
    changed = []
    for name in ("email", "phone", "first_name", "last_name"):
        if data[name] and not getattr(customer, name):
            owner = (
                customer_match(store=store, email=data["email"], phone="")
                if name == "email"
                else None
            )
            if owner is not None and owner.pk != customer.pk:
                continue  # another customer has that email: support can merge the two
            setattr(customer, name, data[name])
            changed.append(name)
    if changed:
        customer.full_name = _full_name(customer.first_name, customer.last_name)
        customer.save(update_fields=[*changed, "full_name", "updated_at"])
    return customer


def customer_address_remember(
    *, store: Store, customer: Customer, address: Mapping[str, str], when=None
) -> CustomerAddress | None:
    """Keep an address the customer used (once: the same address again only moves its date)."""
    if not any(address.get(key) for key in ("line1", "city", "postal_code")):
        return None
    values = {key: address.get(key, "") for key in inputs.ADDRESS_FIELDS}
    when = when or timezone.now()
    existing = CustomerAddress.objects.for_store(store).filter(customer=customer, **values).first()
    if existing is not None:
        if existing.last_used_at is None or existing.last_used_at < when:
            existing.last_used_at = when
            existing.save(update_fields=["last_used_at", "updated_at"])
        return existing
    return CustomerAddress.objects.create(
        store=store, customer=customer, last_used_at=when, **values
    )


@transaction.atomic
def customer_update(*, store: Store, actor, customer: Customer, **fields: Any) -> Customer:
    """Change contact details (``email``, ``phone``, ``first_name``, ``last_name``)."""
    data = {
        "email": fields.get("email", customer.email),
        "phone": fields.get("phone", customer.phone),
        "first_name": fields.get("first_name", customer.first_name),
        "last_name": fields.get("last_name", customer.last_name),
    }
    cleaned = inputs.contact(data, prefix="customer")
    owner = customer_match(store=store, email=cleaned["email"], phone="")
    if cleaned["email"] and owner is not None and owner.pk != customer.pk:
        raise DomainError(
            "Another customer has this email; merge the two instead.", field="customer.email"
        )
    before = {name: getattr(customer, name) for name in cleaned}
    for name, value in cleaned.items():
        setattr(customer, name, value)
    customer.full_name = _full_name(customer.first_name, customer.last_name)
    changes = {
        name: [before[name], value] for name, value in cleaned.items() if before[name] != value
    }
    if changes:
        customer.save()
        audit_record(
            store=store, actor=actor, action="customer.updated", target=customer, changes=changes
        )
    return customer


@transaction.atomic
def customer_note_add(*, store: Store, actor, customer: Customer, body: str) -> CustomerNote:
    text = inputs.note(body)
    author, label = actor_parts(actor)
    note = CustomerNote.objects.create(
        store=store, customer=customer, author=author, author_label=label, body=text
    )
    audit_record(
        store=store,
        actor=actor,
        action="customer.note_added",
        target=customer,
        changes={"note": [None, text[:200]]},
    )
    return note
