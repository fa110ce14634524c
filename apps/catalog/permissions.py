"""The catalog's permissions: everyone reads it (support answers stock questions); owners and
managers change it."""

from __future__ import annotations

from apps.core.roles import Role, register_permission

VIEW_CATALOG = register_permission("view_catalog", roles=(Role.MANAGER, Role.SUPPORT))
MANAGE_CATALOG = register_permission("manage_catalog", roles=(Role.MANAGER,))
