"""The portal registry: what each app adds (nav, search, setup steps, demo, role texts).

A test app can't be installed here, so these tests register contributions directly (and remove
them again) and check that they reach the roles with the permission, and only those.
"""

from __future__ import annotations

import pytest

from apps.catalog.permissions import MANAGE_CATALOG, VIEW_CATALOG
from apps.core import portal
from apps.core.navigation import navigation_for
from apps.core.portal import (
    NavItem,
    RoleDescription,
    SearchProvider,
    SetupStep,
)
from apps.core.roles import (
    Role,
    register_permission,
    role_has,
    unregister_permission,
)
from apps.core.search import SearchHit, global_search
from apps.core.setup_guide import setup_guide_for

WIDGETS_PERM = "view_widgets"  # a later area's permission, registered as its portal.py would


@pytest.fixture(autouse=True)
def widgets_perm():
    register_permission(WIDGETS_PERM, roles=(Role.SUPPORT,))
    yield
    unregister_permission(WIDGETS_PERM)


def _labels(links):
    return [link.label for link in links]


# --- roles ---------------------------------------------------------------------------------------
@pytest.mark.parametrize("role", [Role.OWNER, Role.MANAGER, Role.SUPPORT])
def test_every_role_may_view_the_catalog(role):
    assert role_has(role, VIEW_CATALOG)


def test_only_owners_and_managers_manage_the_catalog():
    assert [role for role in Role if role_has(role, MANAGE_CATALOG)] == [
        Role.OWNER,
        Role.MANAGER,
    ]


# --- navigation ----------------------------------------------------------------------------------
def test_navigation_follows_the_order_of_the_areas(store):
    assert _labels(navigation_for(store=store, role=Role.OWNER, view_name="core:home")) == [
        "Home",
        "Orders",
        "Customers",
        "Catalog",
        "Payments",
        "Shipping",
        "Settings",
    ]


def test_support_sees_the_catalog_but_not_the_settings(store):
    assert _labels(navigation_for(store=store, role=Role.SUPPORT, view_name="")) == [
        "Home",
        "Orders",
        "Customers",
        "Catalog",
    ]


@pytest.mark.parametrize(
    "view_name", ["accounts:store-settings", "accounts:staff-list", "audit:audit-list"]
)
def test_the_settings_entry_is_active_on_every_settings_page(store, view_name):
    links = navigation_for(store=store, role=Role.OWNER, view_name=view_name)

    assert [link.label for link in links if link.is_active] == ["Settings"]


def test_a_registered_nav_item_appears_in_its_place_for_roles_with_its_perm(store, contribute):
    contribute(NavItem("Widgets", "core:search", WIDGETS_PERM, order=35, icon="orders"))

    support = navigation_for(store=store, role=Role.SUPPORT, view_name="core:search")
    manager = navigation_for(store=store, role=Role.MANAGER, view_name="core:search")

    assert _labels(support) == ["Home", "Orders", "Customers", "Widgets", "Catalog"]
    assert [link.url for link in support if link.is_active] == ["/store/alpha/search/"]
    assert _labels(manager) == ["Home", "Orders", "Customers", "Catalog", "Payments", "Shipping"]


def test_registering_the_same_nav_entry_twice_is_refused(contribute):
    item = contribute(NavItem("Widgets", "core:search", WIDGETS_PERM, order=35))

    with pytest.raises(ValueError, match="Widgets"):
        portal.register(NavItem("Widgets", "core:search", WIDGETS_PERM, order=35))
    assert portal.contributions(NavItem).count(item) == 1


# --- search --------------------------------------------------------------------------------------
def test_a_registered_search_provider_answers_only_roles_with_its_perm(store, contribute):
    def widget_hits(*, store, query, limit):
        return [SearchHit(title=f"Widget {query}", subtitle="", url="/widgets/1/")]

    contribute(SearchProvider("Widgets", WIDGETS_PERM, widget_hits, order=20))

    support = global_search(store=store, role=Role.SUPPORT, query="blue")
    manager = global_search(store=store, role=Role.MANAGER, query="blue")

    assert [(group.label, [hit.title for hit in group.hits]) for group in support] == [
        ("Widgets", ["Widget blue"])
    ]
    assert [group.label for group in manager] == []


# --- setup guide ---------------------------------------------------------------------------------
def test_the_setup_guide_shows_each_role_only_the_steps_it_can_act_on(store):
    keys = {
        role: [state.step.key for state in setup_guide_for(store=store, role=role)] for role in Role
    }

    assert keys == {
        Role.OWNER: ["products", "payments", "shipping", "staff", "api-key"],
        Role.MANAGER: ["products", "shipping"],
        Role.SUPPORT: [],
    }


def test_a_registered_setup_step_reaches_roles_with_its_perm(store, contribute):
    contribute(
        SetupStep(
            key="first-order",
            title="Take your first order",
            description="…",
            action_label="See orders",
            url_name="core:search",
            perm=WIDGETS_PERM,
            is_done=lambda store: False,
            order=20,
        )
    )

    support = setup_guide_for(store=store, role=Role.SUPPORT)

    assert [(state.step.key, state.url, state.done) for state in support] == [
        ("first-order", "/store/alpha/search/", False)
    ]
    assert "first-order" not in [
        state.step.key for state in setup_guide_for(store=store, role=Role.MANAGER)
    ]


def test_support_home_shows_links_to_its_areas_instead_of_the_setup_guide(
    store, support, client_for
):
    response = client_for(support).get("/store/alpha/")

    assert response.status_code == 200
    assert b"Set up your store" not in response.content
    assert b'data-area="Catalog" href="/store/alpha/catalog/"' in response.content


def test_owner_home_shows_the_setup_guide(store, owner, client_for):
    response = client_for(owner).get("/store/alpha/")

    assert b"Set up your store" in response.content
    assert b"0 of 5 done" in response.content


# --- role descriptions ---------------------------------------------------------------------------
def test_role_descriptions_name_only_the_areas_that_exist():
    assert dict(portal.ROLE_DESCRIPTIONS) == {
        Role.OWNER: (
            "Everything, including orders and customers, catalog, payment settings, shipping, "
            "store settings, staff, API keys and the audit log."
        ),
        Role.MANAGER: (
            "Orders and customers (with exports), catalog, payment settings (read-only) and "
            "shipping."
        ),
        Role.SUPPORT: (
            "Orders and customers (search, notes, status changes, refunds) and catalog "
            "(read-only). No settings."
        ),
    }


def test_a_registered_role_description_takes_its_place(contribute):
    contribute(RoleDescription(Role.SUPPORT, "widgets", order=35))

    assert portal.ROLE_DESCRIPTIONS[Role.SUPPORT] == (
        "Orders and customers (search, notes, status changes, refunds), widgets and catalog "
        "(read-only). No settings."
    )
