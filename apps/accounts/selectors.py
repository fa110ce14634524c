from __future__ import annotations

from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from apps.accounts.models import ApiKey, Invitation, Membership
from apps.core.models import Store
from apps.core.search import SearchHit
from apps.core.selectors import object_get


def membership_list(*, store: Store) -> QuerySet[Membership]:
    return Membership.objects.filter(store=store).select_related("user").order_by("user__email")


def membership_get(*, store: Store, membership_id: int) -> Membership:

    return object_get(
        membership_list(store=store), not_found="No such staff member.", pk=membership_id
    )


def invitation_list_pending(*, store: Store) -> QuerySet[Invitation]:
    return (
        Invitation.objects.for_store(store)
        .filter(accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=timezone.now())
        .select_related("invited_by")
    )


def invitation_pending_get(*, store: Store, invitation_id: int) -> Invitation:
    return object_get(
        invitation_list_pending(store=store), not_found="No such invitation.", pk=invitation_id
    )


def api_key_list(*, store: Store) -> QuerySet[ApiKey]:
    return ApiKey.objects.for_store(store).select_related("created_by")


def api_key_get(*, store: Store, api_key_id: int) -> ApiKey:
    return object_get(api_key_list(store=store), not_found="No such API key.", pk=api_key_id)


def staff_search(*, store: Store, query: str, limit: int) -> list[SearchHit]:
    url = reverse("accounts:staff-list", kwargs={"handle": store.handle})
    rows = membership_list(store=store).filter(
        Q(user__email__icontains=query) | Q(user__full_name__icontains=query)
    )[:limit]
    return [
        SearchHit(
            title=m.user.display_name, subtitle=f"{m.user.email} · {m.get_role_display()}", url=url
        )
        for m in rows
    ]
