from __future__ import annotations

from rest_framework import exceptions, permissions

from apps.api.authentication import ApiKeyUser
from apps.core.roles import Perm, role_has
from apps.core.tenancy import StoreNotNamed, resolve_store


class HasStoreAccess(permissions.BasePermission):
    """Authenticated, resolved to a store (core's ``resolve_store``, as for pages), and the
    role holds ``USE_API`` (every endpoint) and the view's own ``required_perm`` on top."""

    def has_permission(self, request, view):
        if not (request.user and request.user.is_authenticated):
            return False
        if not hasattr(request, "store"):
            user = request.user
            api_key = user.api_key if isinstance(user, ApiKeyUser) else None
            try:
                resolve_store(request, api_key=api_key)
            except StoreNotNamed as error:
                raise exceptions.ValidationError({"store": [str(error)]}) from error
        required = getattr(view, "required_perm", None)
        if not role_has(request.role, Perm.USE_API) or (
            required is not None and not role_has(request.role, required)
        ):
            raise exceptions.PermissionDenied("Your role does not allow this.")
        return True
