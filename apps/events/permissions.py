"""Analytics' permission: owners and managers read the figures; support does not."""

from __future__ import annotations

from apps.core.roles import Role, register_permission

VIEW_ANALYTICS = register_permission("view_analytics", roles=(Role.MANAGER,))
