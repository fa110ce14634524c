"""Payments' permissions: the owner sets payment methods up, managers read them, support
sees nothing of them."""

from __future__ import annotations

from apps.core.roles import Role, register_permission

VIEW_PAYMENTS = register_permission("view_payments", roles=(Role.MANAGER,))
MANAGE_PAYMENTS = register_permission("manage_payments", roles=())
