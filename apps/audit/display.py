"""Audit entries as the log shows them: a sentence, a link, and the changes before → after."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.urls import NoReverseMatch, reverse

from apps.audit.models import AuditEntry
from apps.audit.registry import TargetKind, action_text, field_label, target_kind
from apps.core.models import Store
from apps.core.money import money_format
from apps.core.origin import COMMAND, TASK, origin_parts

API_KEY_PREFIX = "api-key:"
NOTHING = "—"
# entries written outside a request (audit.context) have no address: what wrote them instead
BACKGROUND_JOB = "Background job"  # a Celery task
COMMAND_TEXT = "Management command ({name})"
NO_ADDRESS = "No address"  # neither a request, a task nor a command of the portal's
AMOUNT = re.compile(r"\d+(\.\d+)?")  # a stored amount: "1234.50" (not a bulk "+10 %")


@dataclass(frozen=True)
class ChangeLine:
    label: str  # empty when ``after`` is a whole sentence ("Price raised by 10 %")
    before: str | None  # None: a line that says what happened ("Tag added: sale"), no arrow
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
    def address(self) -> str:
        """The client's address; outside a request, the background job or the command."""
        return self.entry.ip_address or origin_text(self.entry.origin)

    @property
    def text(self) -> str:
        return f"{self.text_before}{self.target}{self.text_after}"


def origin_text(origin: str) -> str:
    """``"task:…"`` → "Background job"; ``"command:seed_demo"`` → "Management command
    (seed_demo)"; anything else → "No address"."""
    kind, name = origin_parts(origin)
    if kind == TASK:
        return BACKGROUND_JOB
    if kind == COMMAND and name:
        return COMMAND_TEXT.format(name=name)
    return NO_ADDRESS


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


def _value(kind: TargetKind, name: str, value: Any, currency: str = "") -> str:
    if value is None or value == "" or value == []:
        return NOTHING
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, list):
        return ", ".join(_value(kind, name, item, currency) for item in value)
    if isinstance(value, dict):
        return ", ".join(
            f"{key}: {_value(kind, name, item, currency)}" for key, item in value.items()
        )
    text = str(value)
    if currency and name in kind.money_fields and AMOUNT.fullmatch(text):
        return money_format(text, currency)
    return kind.value_labels.get(name, {}).get(text, text)


def _pair(pair: Any) -> tuple[Any, Any]:
    return tuple((list(pair) + [None, None])[:2]) if isinstance(pair, list) else (None, pair)


def _is_empty(value: Any) -> bool:
    return value is None or value == "" or value == [] or value == {}


def change_lines(
    kind: TargetKind, changes: dict[str, list], *, currency: str = "", creation: bool = False
) -> list[ChangeLine]:
    """``{"option_values": [{"Size": "M"}, {"Size": "L"}]}`` → ``Size: M → L``; other fields
    by their label, in the order of the fields' names (the database keeps no order). Internal
    fields are left out, amounts written in ``currency``, and a field the app words itself
    (a tag added) says what happened instead of before → after. A ``creation`` lists only the
    fields given a value, each as ``label: value`` (nothing was there before: no arrow)."""
    lines = []
    for name, pair in sorted((changes or {}).items()):
        if name in kind.hidden_fields:
            continue
        before, after = _pair(pair)
        if creation:
            if _is_empty(after):
                continue
            before = None
        if name in kind.change_words:
            words = kind.change_words[name](before, after, currency=currency, changes=changes)
            lines.extend(ChangeLine(label, None, text) for label, text in words)
            continue
        if isinstance(before, dict | None) and isinstance(after, dict | None) and (before or after):
            before, after = before or {}, after or {}
            for key in dict.fromkeys([*before, *after]):
                if creation and _is_empty(after.get(key)):
                    continue
                if before.get(key) != after.get(key):
                    lines.append(
                        ChangeLine(
                            str(key),
                            None if creation else _value(kind, name, before.get(key), currency),
                            _value(kind, name, after.get(key), currency),
                        )
                    )
            continue
        lines.append(
            ChangeLine(
                field_label(kind, name),
                None if creation else _value(kind, name, before, currency),
                _value(kind, name, after, currency),
            )
        )
    return lines


def _sentence(kind: TargetKind, entry: AuditEntry) -> str:
    """The action's sentence with the changed fields it names filled in: a choice by its
    label in lower case ("joined the store as manager"), any other value as it is."""
    text = action_text(entry.action)
    sentence = text.sentence
    for name in text.fields:
        _before, after = _pair((entry.changes or {}).get(name))
        labels = kind.value_labels.get(name, {})
        value = labels[str(after)].lower() if str(after) in labels else _value(kind, name, after)
        sentence = sentence.replace(f"{{{name}}}", value)
    return sentence


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
        before, _, after = _sentence(kind, entry).partition("{target}")
        has_target = "{target}" in action_text(entry.action).sentence
        target = kind.name(entry.target_repr) if kind.name else entry.target_repr
        target = target if has_target else ""
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
                url=_url(store, kind, entry.target_id) if is_there and has_target else None,
                changes=change_lines(
                    kind,
                    entry.changes,
                    currency=store.currency,
                    creation=action_text(entry.action).creates,
                ),
            )
        )
    return rows
