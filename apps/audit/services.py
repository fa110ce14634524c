"""Recording changes. Services of every area call ``audit_record`` inside their transaction."""

from __future__ import annotations

import datetime
import decimal
import uuid
from typing import Any

from django.contrib.auth import get_user_model
from django.db import models

from apps.audit.models import AuditEntry

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


def audit_record(
    *,
    store,
    actor,
    action: str,
    target: models.Model,
    changes: dict[str, list] | None = None,
) -> AuditEntry:
    # an API key acts too, but is no User row: it is named by its label only
    is_user = isinstance(actor, get_user_model()) and actor.is_authenticated
    label = getattr(actor, "email", None) if actor is not None else None
    masked = {
        name: (["•••", "•••"] if name in SECRET_FIELDS else pair)
        for name, pair in (changes or {}).items()
    }
    return AuditEntry.objects.create(
        store=store,
        actor=actor if is_user else None,
        actor_label=(label or str(actor or "system"))[:254],
        action=action,
        target_type=target._meta.label_lower,
        target_id=str(target.pk or ""),
        target_repr=str(target)[:200],
        changes=masked,
    )
