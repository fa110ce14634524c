"""Reads of the audit log. The log grows by one row per changed object (a store-wide bulk
action writes 100,000 at once), so the filters' choices never scan it: kinds and object types
are the registered ones (``apps.audit.registry``), people come from a loose index scan on
``(store, actor_label)``, one index probe per person."""

from django.contrib.auth import get_user_model
from django.db import connection
from django.db.models import QuerySet

from apps.audit.models import AuditEntry
from apps.audit.registry import registered_actions, registered_target_types
from apps.core.models import Store


def audit_entry_list(*, store: Store) -> QuerySet[AuditEntry]:
    return AuditEntry.objects.filter(store=store).select_related("actor")


def audit_target_types(*, store: Store) -> list[str]:
    return registered_target_types()


def audit_actions(*, store: Store) -> list[str]:
    return registered_actions()


def audit_actor_labels(*, store: Store, limit: int = 1000) -> list[str]:
    """The distinct ``actor_label`` of the store's entries, A→Z (who ever changed something,
    including people no longer on the staff, API keys and "system")."""
    table = AuditEntry._meta.db_table
    sql = f"""
        WITH RECURSIVE actors(label) AS (
            (SELECT actor_label FROM {table} WHERE store_id = %s
             ORDER BY actor_label LIMIT 1)
            UNION ALL
            SELECT (SELECT actor_label FROM {table} WHERE store_id = %s
                    AND actor_label > actors.label ORDER BY actor_label LIMIT 1)
            FROM actors WHERE actors.label IS NOT NULL
        )
        SELECT label FROM actors WHERE label IS NOT NULL LIMIT %s
    """  # noqa: S608 - the table name is the model's, every value is a parameter
    with connection.cursor() as cursor:
        cursor.execute(sql, [store.pk, store.pk, limit])
        return [row[0] for row in cursor.fetchall()]


def audit_actors(*, store: Store) -> list[tuple[str, str]]:
    """``(actor_label, full name or "")`` of everyone with an entry, by label."""
    labels = audit_actor_labels(store=store)
    names = dict(
        get_user_model().objects.filter(email__in=labels).values_list("email", "full_name")
    )
    return [(label, names.get(label) or "") for label in labels]
