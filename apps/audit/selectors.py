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
