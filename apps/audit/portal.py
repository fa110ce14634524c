"""What the audit log adds to the portal: its part of the owner's description.

Its page is a tab of the Settings area, which accounts registers (and highlights for audit).
"""

from __future__ import annotations

from apps.core.portal import register_role_description
from apps.core.roles import Role

register_role_description(Role.OWNER, "the audit log", order=103)
