"""Audit entries as the log shows them: a sentence, a link, and the changes before → after."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.urls import NoReverseMatch, reverse

from apps.audit.models import AuditEntry
from apps.audit.registry import TargetKind, action_text, field_label, target_kind
from apps.core.models import Store

API_KEY_PREFIX = "api-key:"
NOTHING = "—"


@dataclass(frozen=True)
class ChangeLine:
    label: str
    before: str
    after: str


@dataclass(frozen=True)
class AuditRow:
    entry: AuditEntry
    actor: str
    text_before: str  # the sentence up to the object's name (the person included)
    target: str
    text_after: str
    url: str | None  # None once the object is gone (or has no page)
    changes: list[ChangeLine]

    @property
    def text(self) -> str:
        return f"{self.text_before}{self.target}{self.text_after}"


def actor_name(entry: AuditEntry) -> str:
    if entry.actor is not None:
        return entry.actor.display_name
    label = entry.actor_label
    if label.startswith(API_KEY_PREFIX):
        return f"API key “{label.removeprefix(API_KEY_PREFIX)}”"
    if label in ("", "system"):
        return "The system"
    return label


def actor_choice_label(actor_label: str, full_name: str | None) -> str:
    """The person in the filter: their name while the account exists, else what was kept."""
    if full_name:
        return full_name
    if actor_label.startswith(API_KEY_PREFIX):
        return f"API key “{actor_label.removeprefix(API_KEY_PREFIX)}”"
    if actor_label == "system":
        return "The system"
    return actor_label.split("@")[0]


def _value(kind: TargetKind, name: str, value: Any) -> str:
    if value is None or value == "" or value == []:
        return NOTHING
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, list):
        return ", ".join(_value(kind, name, item) for item in value)
    if isinstance(value, dict):
        return ", ".join(f"{key}: {_value(kind, name, item)}" for key, item in value.items())
    text = str(value)
    return kind.value_labels.get(name, {}).get(text, text)


def change_lines(kind: TargetKind, changes: dict[str, list]) -> list[ChangeLine]:
    """``{"option_values": [{"Size": "M"}, {"Size": "L"}]}`` → ``Size: M → L``; other fields
    by their label, in the order of the fields' names (the database keeps no order)."""
    lines = []
    for name, pair in sorted((changes or {}).items()):
        before, after = (list(pair) + [None, None])[:2] if isinstance(pair, list) else (None, pair)
        if isinstance(before, dict | None) and isinstance(after, dict | None) and (before or after):
            before, after = before or {}, after or {}
            for key in dict.fromkeys([*before, *after]):
                if before.get(key) != after.get(key):
                    lines.append(
                        ChangeLine(
                            str(key),
                            _value(kind, name, before.get(key)),
                            _value(kind, name, after.get(key)),
                        )
                    )
            continue
        lines.append(
            ChangeLine(
                field_label(kind, name), _value(kind, name, before), _value(kind, name, after)
            )
        )
    return lines


def _existing_ids(store: Store, entries: Sequence[AuditEntry]) -> dict[str, set[str]]:
    """Per linked object type on the page, the ids that still exist: one query per type."""
    wanted: dict[str, set[str]] = defaultdict(set)
    for entry in entries:
        if target_kind(entry.target_type).url_name and entry.target_id:
            wanted[entry.target_type].add(entry.target_id)
    existing: dict[str, set[str]] = {}
    for target_type, ids in wanted.items():
        try:
            model = apps.get_model(target_type)
        except (LookupError, ValueError):
            continue
        if model is Store:
            existing[target_type] = {str(store.pk)} & ids
            continue
        rows = model._default_manager.filter(pk__in=ids)
        if any(f.name == "store" for f in model._meta.get_fields()):
            rows = rows.filter(store=store)
        existing[target_type] = {str(pk) for pk in rows.values_list("pk", flat=True)}
    return existing


def _url(store: Store, kind: TargetKind, target_id: str) -> str | None:
    kwargs = {"handle": store.handle}
    if kind.id_kwarg:
        kwargs[kind.id_kwarg] = target_id
    try:
        return reverse(kind.url_name, kwargs=kwargs)
    except NoReverseMatch:
        return None


def audit_rows(*, store: Store, entries: Sequence[AuditEntry]) -> list[AuditRow]:
    existing = _existing_ids(store, entries)
    rows = []
    for entry in entries:
        kind = target_kind(entry.target_type)
        before, _, after = action_text(entry.action).sentence.partition("{target}")
        target = kind.name(entry.target_repr) if kind.name else entry.target_repr
        actor = actor_name(entry)
        joiner = "" if before.startswith((":", ",")) else " "
        is_there = entry.target_id in existing.get(entry.target_type, ())
        rows.append(
            AuditRow(
                entry=entry,
                actor=actor,
                text_before=f"{actor}{joiner}{before}",
                target=target,
                text_after=after,
                url=_url(store, kind, entry.target_id) if is_there else None,
                changes=change_lines(kind, entry.changes),
            )
        )
    return rows
