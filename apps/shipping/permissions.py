"""Shipping's permission: owners and managers set up carriers, zones and rates and use the
checkout simulator; support has no shipping settings."""

from __future__ import annotations

from apps.core.roles import Role, register_permission

MANAGE_SHIPPING = register_permission("manage_shipping", roles=(Role.MANAGER,))
