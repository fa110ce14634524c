"""Customer reads: one customer, matching by email then phone, the list's search."""

from __future__ import annotations

from django.db.models import QuerySet

from apps.core.models import Store
from apps.core.selectors import object_get
from apps.customers.models import (
    AliasKind,
    Customer,
    CustomerAddress,
    CustomerAlias,
    CustomerNote,
)


def customer_get(*, store: Store, customer_id: int) -> Customer:
    return object_get(
        Customer.objects.for_store(store), not_found="No such customer.", pk=customer_id
    )


def customer_match(*, store: Store, email: str, phone: str) -> Customer | None:
    """The store's customer with this (cleaned) email, else with this phone, else None; an
    email or phone kept from a merged duplicate (``CustomerAlias``) counts as the customer's."""
    customers = Customer.objects.for_store(store)
    for kind, value in ((AliasKind.EMAIL, email), (AliasKind.PHONE, phone)):
        if not value:
            continue
        found = customers.filter(**{kind: value}).order_by("id").first()
        if found is not None:
            return found
        alias = (
            CustomerAlias.objects.for_store(store)
            .filter(kind=kind, value=value)
            .select_related("customer")
            .first()
        )
        if alias is not None:
            return alias.customer
    return None


def customer_aliases(*, store: Store, customer: Customer) -> QuerySet[CustomerAlias]:
    return CustomerAlias.objects.for_store(store).filter(customer=customer)


def customer_addresses(*, store: Store, customer: Customer) -> QuerySet[CustomerAddress]:
    return CustomerAddress.objects.for_store(store).filter(customer=customer)


def customer_notes(*, store: Store, customer: Customer) -> QuerySet[CustomerNote]:
    return CustomerNote.objects.for_store(store).filter(customer=customer).select_related("author")
