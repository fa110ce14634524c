"""Core knows the roles and the platform's own permissions; every area registers its own."""

from __future__ import annotations

import pytest

from apps.core import roles
from apps.core.roles import Perm, Role, register_permission, role_has


@pytest.fixture
def widgets_perm():
    perm = register_permission("view_widgets", roles=(Role.SUPPORT,))
    yield perm
    roles.unregister_permission(perm)


def test_core_holds_only_the_platform_permissions():
    assert {perm.value for perm in Perm} == {
        "view_home",
        "manage_staff",
        "manage_api_keys",
        "manage_settings",
        "view_audit",
        "use_api",
    }


def test_an_area_registers_its_own_permission_for_the_roles_it_names(widgets_perm):
    assert role_has(Role.SUPPORT, widgets_perm)
    assert not role_has(Role.MANAGER, widgets_perm)
    assert role_has(Role.OWNER, widgets_perm)  # the owner holds everything


def test_the_catalog_permissions_come_from_the_catalog():
    from apps.catalog.permissions import MANAGE_CATALOG, VIEW_CATALOG

    holders = {
        perm: [role for role in Role if role_has(role, perm)]
        for perm in (VIEW_CATALOG, MANAGE_CATALOG)
    }
    assert holders == {
        VIEW_CATALOG: [Role.OWNER, Role.MANAGER, Role.SUPPORT],
        MANAGE_CATALOG: [Role.OWNER, Role.MANAGER],
    }


def test_a_permission_name_is_registered_once(widgets_perm):
    with pytest.raises(ValueError, match="view_widgets"):
        register_permission("view_widgets", roles=(Role.MANAGER,))
    with pytest.raises(ValueError, match="view_home"):
        register_permission("view_home", roles=(Role.MANAGER,))


def test_an_unknown_permission_is_held_by_nobody():
    assert not role_has(Role.OWNER, "no_such_permission")
