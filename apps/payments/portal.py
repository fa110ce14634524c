"""What payments add to the portal: the area (owners edit, managers read), a setup step,
demo data, role descriptions and the audit log's wording."""

from __future__ import annotations

from apps.audit.registry import register_action, register_target
from apps.core.models import Store
from apps.core.money import country_choices
from apps.core.portal import (
    DemoSeeder,
    NavItem,
    SetupStep,
    register_demo_seeder,
    register_nav,
    register_role_description,
    register_setup_step,
)
from apps.core.roles import Role
from apps.payments import demo
from apps.payments.models import MethodKind, PaymentMethod
from apps.payments.permissions import MANAGE_PAYMENTS, VIEW_PAYMENTS


def _method_enabled(store: Store) -> bool:
    return PaymentMethod.objects.for_store(store).filter(is_enabled=True).exists()


register_nav(NavItem("Payments", "payments:method-list", VIEW_PAYMENTS, order=50, icon="payments"))
register_setup_step(
    SetupStep(
        key="payments",
        title="Choose how shoppers pay",
        description="Turn on payment methods: cards, PayPal, bank transfer, cash on delivery.",
        action_label="Add a payment method",
        url_name="payments:method-create",
        perm=MANAGE_PAYMENTS,
        is_done=_method_enabled,
        order=50,
    )
)
register_demo_seeder(DemoSeeder("payments", demo.seed, order=61))
register_role_description(Role.OWNER, "payment settings", order=50)
register_role_description(Role.MANAGER, "payment settings (read-only)", order=50)

register_target(
    "payments.paymentmethod",
    url_name="payments:method-update",
    id_kwarg="method_id",
    field_labels={
        "display_name": "Name",
        "is_enabled": "Enabled",
        "fee_fixed": "Fixed fee",
        "fee_percent": "Percent fee",
        "fee_cap": "Fee cap",
        "min_total": "Minimum order total",
        "max_total": "Maximum order total",
        "shipping_service_codes": "Shipping services",
        "gateway_secret": "Gateway credentials",
    },
    value_labels={"kind": dict(MethodKind.choices), "countries": dict(country_choices())},
    money_fields=frozenset({"fee_fixed", "fee_cap", "min_total", "max_total"}),
    hidden_fields=frozenset({"sort_order"}),
)
register_action(
    "payment.created", "added the payment method “{target}”", label="Payment method added"
)
register_action(
    "payment.updated", "changed the payment method “{target}”", label="Payment method changed"
)
register_action(
    "payment.deleted", "deleted the payment method “{target}”", label="Payment method deleted"
)
