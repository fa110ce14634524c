from django.db.models import QuerySet

from apps.audit.models import AuditEntry
from apps.core.models import Store


def audit_entry_list(*, store: Store) -> QuerySet[AuditEntry]:
    return AuditEntry.objects.filter(store=store).select_related("actor")


def audit_target_types(*, store: Store) -> list[str]:
    return list(
        AuditEntry.objects.filter(store=store)
        .order_by("target_type")
        .values_list("target_type", flat=True)
        .distinct()
    )


def audit_actors(*, store: Store) -> list[tuple[str, str]]:
    """``(actor_label, full name or "")`` of everyone with an entry, by label."""
    return list(
        AuditEntry.objects.filter(store=store)
        .order_by("actor_label")
        .values_list("actor_label", "actor__full_name")
        .distinct("actor_label")
    )


def audit_actions(*, store: Store) -> list[str]:
    return list(
        AuditEntry.objects.filter(store=store)
        .order_by("action")
        .values_list("action", flat=True)
        .distinct()
    )
