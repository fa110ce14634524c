"""Roles and what each may do: the one table every view and API endpoint checks against.

The roles are core's: every layer checks them, so they live at the bottom. Core holds the
platform's own permissions (``Perm``); every area registers its own in its app, naming the
roles that hold it (``register_permission``), so a new area never edits core. The owner holds
every permission. What a role's description says comes from the apps
(``apps.core.portal.ROLE_DESCRIPTIONS``).
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum

from django.db import models


class Role(models.TextChoices):
    OWNER = "owner", "Owner"
    MANAGER = "manager", "Manager"
    SUPPORT = "support", "Support"


class Perm(StrEnum):
    """The platform's own permissions (an area's are registered by its app)."""

    VIEW_HOME = "view_home"
    MANAGE_STAFF = "manage_staff"
    MANAGE_API_KEYS = "manage_api_keys"
    MANAGE_SETTINGS = "manage_settings"
    VIEW_AUDIT = "view_audit"
    USE_API = "use_api"


ROLE_PERMISSIONS: dict[str, frozenset[str]] = {
    Role.OWNER: frozenset(Perm),
    Role.MANAGER: frozenset({Perm.VIEW_HOME, Perm.USE_API}),
    # support uses the admin API (session) for what its role does on the pages: the catalog
    # read-only, orders and customers (issue 7: roles enforced on views and API alike)
    Role.SUPPORT: frozenset({Perm.VIEW_HOME, Perm.USE_API}),
}

# an area's permission → the roles (besides the owner) that hold it
_registered: dict[str, frozenset[str]] = {}


def register_permission(name: str, *, roles: Iterable[str]) -> str:
    """Declare an area's permission and the roles that hold it (the owner always does);
    returns the name to check with ``store_view(…)``, ``role_has`` and the API's views."""
    if name in _registered or name in set(Perm):
        raise ValueError(f"the permission {name} is registered already")
    _registered[name] = frozenset({Role.OWNER, *roles})
    return name


def unregister_permission(name: str) -> None:
    _registered.pop(name, None)


def role_has(role: str, perm: str) -> bool:
    return perm in ROLE_PERMISSIONS.get(role, frozenset()) or role in _registered.get(
        perm, frozenset()
    )
