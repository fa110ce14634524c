from django.conf import settings
from django.db import models

from apps.core.models import Store


class AuditEntry(models.Model):
    """Who changed what, and when, with the field-by-field diff. Append-only."""

    store = models.ForeignKey(Store, on_delete=models.CASCADE, related_name="+")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # kept so the log still says who it was after the account is deleted
    actor_label = models.CharField(max_length=254, blank=True)
    action = models.CharField(max_length=64)
    target_type = models.CharField(max_length=64)
    target_id = models.CharField(max_length=64, blank=True)
    target_repr = models.CharField(max_length=200, blank=True)
    changes = models.JSONField(default=dict, blank=True)
    # the client's address when a request made the change; None for tasks and commands
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    # outside a request, what wrote it: "task:<task name>" or "command:<command name>"
    # (apps.core.origin); empty for a request, or where neither was known
    origin = models.CharField(max_length=120, blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["store", "-created_at"]),
            # the "Person" filter's choices: one probe per person (audit_actor_labels)
            models.Index(fields=["store", "actor_label"], name="auditentry_store_actor"),
        ]
        verbose_name_plural = "audit entries"

    def __str__(self) -> str:
        return f"{self.action} {self.target_repr} by {self.actor_label}"
