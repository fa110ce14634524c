from __future__ import annotations

from django.http import Http404
from rest_framework import exceptions, permissions

from apps.accounts.roles import Perm, Role, role_has
from apps.accounts.selectors import membership_for_handle
from apps.api.authentication import ApiKeyUser


def resolve_store(request):
    """Set ``request.store`` and ``request.role`` from the key or the session's X-Store."""
    if hasattr(request, "store"):
        return request.store
    user = request.user
    if isinstance(user, ApiKeyUser):
        request.store, request.role = user.api_key.store, Role.OWNER
        return request.store
    handle = request.headers.get("X-Store") or request.query_params.get("store")
    if not handle:
        raise exceptions.ValidationError(
            {"store": ["Name the store with the X-Store header or a store=<handle> parameter."]}
        )
    membership = membership_for_handle(user=user, handle=handle)
    if membership is None:
        raise Http404("No such store.")
    request.store, request.role = membership.store, membership.role
    return request.store


class HasStoreAccess(permissions.BasePermission):
    """Authenticated, resolved to a store, and the role holds the view's ``required_perm``."""

    def has_permission(self, request, view):
        if not (request.user and request.user.is_authenticated):
            return False
        resolve_store(request)
        required = getattr(view, "required_perm", Perm.USE_API)
        if not role_has(request.role, required):
            raise exceptions.PermissionDenied("Your role does not allow this.")
        return True
