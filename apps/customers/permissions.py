"""Customers' permissions: support and managers look customers up, add notes and merge
duplicates (the owner holds every permission)."""

from __future__ import annotations

from apps.core.roles import Role, register_permission

VIEW_CUSTOMERS = register_permission("view_customers", roles=(Role.MANAGER, Role.SUPPORT))
MANAGE_CUSTOMERS = register_permission("manage_customers", roles=(Role.MANAGER, Role.SUPPORT))
