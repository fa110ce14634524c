"""The sidebar: every area of the portal, shown to the roles that may use it.

An area appears here once its pages exist; later issues add their entry to NAVIGATION.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse

from apps.accounts.roles import Perm, role_has


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    perm: Perm
    icon: str
    # URL namespaces (or view names) that highlight this item
    active_for: tuple[str, ...]


NAVIGATION: list[NavItem] = [
    NavItem("Home", "core:home", Perm.VIEW_HOME, "home", ("core:home",)),
    NavItem(
        "Catalog",
        "catalog:product-list",
        Perm.MANAGE_CATALOG,
        "catalog",
        ("catalog:", "catalog-io:"),
    ),
    NavItem(
        "Settings",
        "core:settings",
        Perm.MANAGE_SETTINGS,
        "settings",
        ("core:settings", "accounts:", "audit:"),
    ),
]


@dataclass(frozen=True)
class NavLink:
    label: str
    url: str
    icon: str
    is_active: bool


def navigation_for(*, store, role: str, view_name: str) -> list[NavLink]:
    links = []
    for item in NAVIGATION:
        if not role_has(role, item.perm):
            continue
        is_active = any(
            view_name.startswith(prefix) if prefix.endswith(":") else view_name == prefix
            for prefix in item.active_for
        )
        links.append(
            NavLink(
                label=item.label,
                url=reverse(item.url_name, kwargs={"handle": store.handle}),
                icon=item.icon,
                is_active=is_active,
            )
        )
    return links
