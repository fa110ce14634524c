"""The sidebar: the areas the apps registered (``apps.core.portal.NavItem``), per role."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse

from apps.core.models import Store
from apps.core.portal import NavItem, contributions
from apps.core.roles import role_has


@dataclass(frozen=True)
class NavLink:
    label: str
    url: str
    icon: str
    is_active: bool


def _is_active(item: NavItem, view_name: str) -> bool:
    return any(
        view_name.startswith(prefix) if prefix.endswith(":") else view_name == prefix
        for prefix in item.active_prefixes
    )


def navigation_for(*, store: Store, role: str, view_name: str) -> list[NavLink]:
    return [
        NavLink(
            label=item.label,
            url=reverse(item.url_name, kwargs={"handle": store.handle}),
            icon=item.icon,
            is_active=_is_active(item, view_name),
        )
        for item in contributions(NavItem)
        if role_has(role, item.perm)
    ]
