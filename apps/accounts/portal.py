"""What accounts adds to the portal: the Settings area, staff search, setup steps, demo staff,
and how the audit log words its changes."""

from __future__ import annotations

from django.utils.functional import lazy

from apps.accounts import demo
from apps.accounts.models import ApiKey, Invitation, Membership
from apps.accounts.selectors import staff_search
from apps.audit.registry import register_action, register_target
from apps.core.models import Store
from apps.core.portal import (
    DemoSeeder,
    NavItem,
    SearchProvider,
    SetupStep,
    join_words,
    register_demo_seeder,
    register_nav,
    register_role_description,
    register_search,
    register_setup_step,
    uses,
)
from apps.core.roles import Perm, Role


def _staff_invited(store: Store) -> bool:
    return (
        Membership.objects.filter(store=store).count() > 1
        or Invitation.objects.for_store(store).exists()
    )


def _api_key_created(store: Store) -> bool:
    return ApiKey.objects.for_store(store).exists()


def api_key_purpose() -> str:
    """What a key lets the merchant's own systems do: the admin API's areas that exist."""
    parts = uses("api")
    if not parts:
        return "Create an API key so your own systems can use the admin API."
    return (
        f"Create an API key so your ERP or scripts can read and change {join_words(parts)} "
        "through the admin API."
    )


# the Settings area: the store's settings, staff and API keys here, the audit log in audit
register_nav(
    NavItem(
        "Settings",
        "accounts:store-settings",
        Perm.MANAGE_SETTINGS,
        order=100,
        icon="settings",
        active_for=("accounts:", "audit:"),
    )
)
register_search(SearchProvider("Staff", Perm.MANAGE_STAFF, staff_search, order=100))
register_setup_step(
    SetupStep(
        key="staff",
        title="Invite your team",
        description="Give managers and support staff their own logins with the right role.",
        action_label="Invite staff",
        url_name="accounts:staff-list",
        perm=Perm.MANAGE_STAFF,
        is_done=_staff_invited,
        order=100,
    )
)
register_setup_step(
    SetupStep(
        key="api-key",
        title="Connect your systems",
        description=lazy(api_key_purpose, str)(),
        action_label="Create an API key",
        url_name="accounts:api-key-list",
        perm=Perm.MANAGE_API_KEYS,
        is_done=_api_key_created,
        order=101,
    )
)

register_demo_seeder(DemoSeeder("staff", demo.seed, order=10))
register_role_description(Role.OWNER, "store settings", order=100)
register_role_description(Role.OWNER, "staff", order=101)
register_role_description(Role.OWNER, "API keys", order=102)


# --- how the audit log words this app's changes (apps.audit.registry) ---
def _before_parenthesis(text: str) -> str:
    """``ERP (mp_sk_ab…)`` → ``ERP``."""
    return text.rsplit(" (", 1)[0]


def _person(text: str) -> str:
    """A membership's text ``Ada — Alpha Goods (owner)`` → ``Ada``."""
    return text.split(" — ", 1)[0]


ROLES = {"role": dict(Role.choices)}

register_target(
    "core.store",
    url_name="accounts:store-settings",
    field_labels={
        "abandonment_window_minutes": "Abandonment window (minutes)",
        "allowed_origins": "Storefront origins",
        "timezone": "Time zone",
    },
)
register_target(
    "accounts.membership", url_name="accounts:staff-list", name=_person, value_labels=ROLES
)
register_target(
    "accounts.invitation",
    url_name="accounts:staff-list",
    name=lambda text: text.removeprefix("Invitation of "),
    value_labels=ROLES,
)
register_target("accounts.user", url_name="accounts:staff-list", field_labels={"full_name": "Name"})
register_target("accounts.apikey", url_name="accounts:api-key-list", name=_before_parenthesis)

register_action("store.created", "created the store “{target}”", label="Store created")
register_action(
    "store.updated", "changed the store settings “{target}”", label="Store settings changed"
)
register_action("staff.invited", "invited “{target}”", label="Staff invited", creates=True)
register_action("staff.joined", "joined the store as {role}", label="Staff joined", creates=True)
register_action(
    "staff.invitation_revoked", "revoked the invitation of “{target}”", label="Invitation revoked"
)
register_action("staff.role_changed", "changed the role of “{target}”", label="Role changed")
register_action("staff.removed", "removed “{target}” from the staff", label="Staff removed")
register_action("account.updated", "changed their name to “{target}”", label="Name changed")
register_action("api_key.created", "created the API key “{target}”", label="API key created")
register_action("api_key.revoked", "revoked the API key “{target}”", label="API key revoked")
