"""Roles and what each may do. The one table every view and API endpoint checks against.

The roles are core's: every layer checks them, so they live at the bottom. What a role's
description says comes from the apps (``apps.core.portal.ROLE_DESCRIPTIONS``).
"""

from __future__ import annotations

from enum import StrEnum

from django.db import models


class Role(models.TextChoices):
    OWNER = "owner", "Owner"
    MANAGER = "manager", "Manager"
    SUPPORT = "support", "Support"


class Perm(StrEnum):
    VIEW_HOME = "view_home"
    MANAGE_STAFF = "manage_staff"
    MANAGE_API_KEYS = "manage_api_keys"
    MANAGE_SETTINGS = "manage_settings"
    VIEW_AUDIT = "view_audit"
    USE_API = "use_api"
    VIEW_CATALOG = "view_catalog"  # read-only: support answers stock questions
    MANAGE_CATALOG = "manage_catalog"
    MANAGE_PAYMENTS = "manage_payments"
    MANAGE_SHIPPING = "manage_shipping"
    MANAGE_OVERLAYS = "manage_overlays"
    VIEW_ANALYTICS = "view_analytics"
    MANAGE_REPORTS = "manage_reports"
    VIEW_ORDERS = "view_orders"
    VIEW_CUSTOMERS = "view_customers"


_ALL = set(Perm)
ROLE_PERMISSIONS: dict[str, frozenset[Perm]] = {
    Role.OWNER: frozenset(_ALL),
    Role.MANAGER: frozenset(
        {
            Perm.VIEW_HOME,
            Perm.USE_API,
            Perm.VIEW_CATALOG,
            Perm.MANAGE_CATALOG,
            Perm.MANAGE_SHIPPING,
            Perm.MANAGE_OVERLAYS,
            Perm.VIEW_ANALYTICS,
            Perm.MANAGE_REPORTS,
        }
    ),
    Role.SUPPORT: frozenset(
        {Perm.VIEW_HOME, Perm.VIEW_ORDERS, Perm.VIEW_CUSTOMERS, Perm.VIEW_CATALOG}
    ),
}


def role_has(role: str, perm: Perm) -> bool:
    return perm in ROLE_PERMISSIONS.get(role, frozenset())
