"""Orders' permissions (the owner holds every one):

- support and managers look orders up, change their status, add notes and refund (never more
  than was paid — ``apps.orders.rules``);
- managers also export the order list and create orders through the admin API.
"""

from __future__ import annotations

from apps.core.roles import Role, register_permission

VIEW_ORDERS = register_permission("view_orders", roles=(Role.MANAGER, Role.SUPPORT))
HANDLE_ORDERS = register_permission("handle_orders", roles=(Role.MANAGER, Role.SUPPORT))
EXPORT_ORDERS = register_permission("export_orders", roles=(Role.MANAGER,))
CREATE_ORDERS = register_permission("create_orders", roles=(Role.MANAGER,))
