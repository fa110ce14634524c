from __future__ import annotations

from django.db import transaction

from apps.accounts.models import Membership, User
from apps.accounts.roles import Role
from apps.audit.services import audit_record, changes_between
from apps.core.exceptions import DomainError
from apps.core.models import Store

STORE_SETTINGS_FIELDS = (
    "name",
    "currency",
    "timezone",
    "country",
    "abandonment_window_minutes",
    "allowed_origins",
)


@transaction.atomic
def store_create(*, owner: User, name: str, handle: str, **fields) -> Store:
    if Store.objects.filter(handle=handle).exists():
        raise DomainError(f"The handle {handle} is taken; choose another.", field="handle")
    store = Store.objects.create(name=name, handle=handle, **fields)
    Membership.objects.create(user=owner, store=store, role=Role.OWNER)
    audit_record(store=store, actor=owner, action="store.created", target=store)
    return store


@transaction.atomic
def store_update(*, store: Store, actor: User, **fields) -> Store:
    # from the database: a bound ModelForm has already copied its input onto ``store``
    before = Store.objects.filter(pk=store.pk).values(*STORE_SETTINGS_FIELDS).get()
    for name, value in fields.items():
        if name not in STORE_SETTINGS_FIELDS:
            raise ValueError(f"{name} is not a store setting")
        setattr(store, name, value)
    store.full_clean()
    store.save()
    changes = changes_between(before, {name: getattr(store, name) for name in before})
    if changes:
        audit_record(
            store=store, actor=actor, action="store.updated", target=store, changes=changes
        )
    return store
