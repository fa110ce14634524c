"""Recording changes. Services of every area call ``audit_record`` inside their transaction."""

from __future__ import annotations

import datetime
import decimal
import uuid
from collections.abc import Iterable
from itertools import islice
from typing import Any

from django.contrib.auth import get_user_model
from django.db import models

from apps.audit.context import client_address
from apps.audit.models import AuditEntry
from apps.core.origin import run_origin

SECRET_FIELDS = {"password", "key_hash", "token_hash"}


def _plain(value: Any) -> Any:
    if isinstance(value, models.Model):
        return str(value)
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    return value


def changes_between(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list]:
    """``{field: [old, new]}`` for the fields whose value changed; secrets are masked."""
    diff = {}
    for name in sorted(set(before) | set(after)):
        old, new = _plain(before.get(name)), _plain(after.get(name))
        if old != new:
            diff[name] = ["•••", "•••"] if name in SECRET_FIELDS else [old, new]
    return diff


def _actor_fields(actor) -> dict:
    # an API key acts too, but is no User row: it is named by its label only
    is_user = isinstance(actor, get_user_model()) and actor.is_authenticated
    label = getattr(actor, "email", None) if actor is not None else None
    return {
        "actor": actor if is_user else None,
        "actor_label": (label or str(actor or "system"))[:254],
    }


def _masked(changes: dict[str, list] | None) -> dict[str, list]:
    return {
        name: (["•••", "•••"] if name in SECRET_FIELDS else pair)
        for name, pair in (changes or {}).items()
    }


def audit_record(
    *,
    store,
    actor,
    action: str,
    target: models.Model,
    changes: dict[str, list] | None = None,
    ip_address: str | None = None,
) -> AuditEntry:
    """One entry; ``ip_address`` defaults to the current request's client (None outside one)."""
    return AuditEntry.objects.create(
        store=store,
        **_actor_fields(actor),
        action=action,
        target_type=target._meta.label_lower,
        target_id=str(target.pk or ""),
        target_repr=str(target)[:200],
        changes=_masked(changes),
        ip_address=ip_address or client_address.get(),
        origin=run_origin.get()[:120],
    )


def audit_record_many(
    *,
    store,
    actor,
    action: str,
    model: type[models.Model],
    targets: Iterable[tuple[object, str]],
    changes: dict[str, list] | None = None,
    batch_size: int = 2000,
    ip_address: str | None = None,
) -> int:
    """The same change to many objects, written in batches. ``targets``: ``(pk, text)`` pairs,
    or ``(pk, text, changes)`` where one object has changes of its own besides ``changes``."""
    common = {
        "store": store,
        **_actor_fields(actor),
        "action": action,
        "target_type": model._meta.label_lower,
        "changes": _masked(changes),
        "ip_address": ip_address or client_address.get(),
        "origin": run_origin.get()[:120],
    }

    def entry(pk, text, own: dict | None = None) -> AuditEntry:
        fields = {**common, "changes": {**common["changes"], **_masked(own)}} if own else common
        return AuditEntry(**fields, target_id=str(pk), target_repr=str(text)[:200])

    entries = (entry(*target) for target in targets)
    written = 0
    while batch := list(islice(entries, batch_size)):
        AuditEntry.objects.bulk_create(batch)
        written += len(batch)
    return written
