"""What shipping adds to the portal: its area, a setup step, demo data, role descriptions and
the audit log's wording of its changes."""

from __future__ import annotations

from apps.audit.registry import register_action, register_target
from apps.core.models import Store
from apps.core.money import country_choices
from apps.core.portal import (
    DemoSeeder,
    NavItem,
    SetupStep,
    StoreCleanup,
    register_demo_seeder,
    register_nav,
    register_role_description,
    register_setup_step,
    register_store_cleanup,
)
from apps.core.roles import Role
from apps.shipping import demo
from apps.shipping.models import Rate, RateKind
from apps.shipping.permissions import MANAGE_SHIPPING


def _rate_added(store: Store) -> bool:
    return Rate.objects.for_store(store).exists()


register_nav(
    NavItem(
        "Shipping",
        "shipping:zone-list",
        MANAGE_SHIPPING,
        order=60,
        icon="shipping",
        # the checkout simulator lives with the storefront API it previews
        active_for=("shipping:", "storefront:simulator"),
    )
)
register_setup_step(
    SetupStep(
        key="shipping",
        title="Set up shipping",
        description="Add your carriers, the zones you ship to and their rates.",
        action_label="Set up shipping",
        url_name="shipping:zone-list",
        perm=MANAGE_SHIPPING,
        is_done=_rate_added,
        order=60,
    )
)
register_demo_seeder(DemoSeeder("shipping", demo.seed, order=60))
register_role_description(Role.OWNER, "shipping", order=60)
register_role_description(Role.MANAGER, "shipping", order=60)

SERVICE_FIELDS = {
    "days_min": "Fastest delivery (business days)",
    "days_max": "Slowest delivery (business days)",
    "tracking_url_template": "Tracking URL",
    "is_active": "Active",
}
ZONE_FIELDS = {
    "postal_include": "Postal codes included",
    "postal_exclude": "Postal codes excluded",
    "position": "Order among zones",
}
RATE_FIELDS = {
    "kind": "Priced",
    "free_over": "Free shipping from",
    "min_weight": "Minimum weight (kg)",
    "max_weight": "Maximum weight (kg)",
    "min_subtotal": "Minimum subtotal",
    "max_subtotal": "Maximum subtotal",
    "excluded_tags": "Not for tags",
    "excluded_categories": "Not for categories",
    "handling_fee": "Handling fee",
    "bands": "Bands",
    "position": "Order in the zone",
}
COUNTRY_NAMES = dict(country_choices())  # "DE" → "Germany" in the zones' diffs
MONEY = frozenset({"price", "free_over", "min_subtotal", "max_subtotal", "handling_fee"})

register_target("shipping.carrier", url_name="shipping:carrier-list")
register_target(
    "shipping.carrierservice", url_name="shipping:carrier-list", field_labels=SERVICE_FIELDS
)
register_target(
    "shipping.zone",
    url_name="shipping:zone-detail",
    id_kwarg="zone_id",
    field_labels=ZONE_FIELDS,
    value_labels={"countries": COUNTRY_NAMES},
)
register_target(
    "shipping.rate",
    field_labels=RATE_FIELDS,
    value_labels={"kind": dict(RateKind.choices)},
    money_fields=MONEY,
)
for noun, label in (
    ("carrier", "Carrier"),
    ("service", "Carrier service"),
    ("zone", "Shipping zone"),
    ("rate", "Shipping rate"),
):
    register_action(
        f"{noun}.created", f"added the {label.lower()} “{{target}}”", label=f"{label} added"
    )
    register_action(
        f"{noun}.updated", f"changed the {label.lower()} “{{target}}”", label=f"{label} changed"
    )
    register_action(
        f"{noun}.deleted", f"deleted the {label.lower()} “{{target}}”", label=f"{label} deleted"
    )

# the CSV import of zones and rates (apps/shipping/io): one entry per import, with its counts
register_target(
    "shipping.shippingimportjob",
    url_name="shipping:import-detail",
    id_kwarg="import_id",
    name=lambda text: text.removeprefix("Import "),
    field_labels={
        "rows": "Rows",
        "zones_created": "Zones added",
        "zones_updated": "Zones changed",
        "zones_unchanged": "Zones unchanged",
        "zones_deleted": "Zones deleted",
        "rates_created": "Rates added",
        "rates_updated": "Rates changed",
        "rates_unchanged": "Rates unchanged",
        "rates_deleted": "Rates deleted",
    },
)
register_action(
    "shipping.imported", "imported the zones and rates of “{target}”", label="Shipping imported"
)
register_action(
    "shippingimportjob.cancelled",
    "cancelled the shipping import “{target}”",
    label="Shipping import cancelled",
)


def _delete_rates(stores) -> None:
    # a rate protects its carrier's service: rates go first, then the store cascades the carriers
    Rate.objects.filter(store__in=stores).delete()


register_store_cleanup(StoreCleanup("shipping", _delete_rates, order=60))
