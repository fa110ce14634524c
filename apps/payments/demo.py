"""Demo payment methods for the main demo store: every kind, with fees and rules."""

from __future__ import annotations

from apps.core.demo import DemoContext
from apps.payments import services

DEMO_GATEWAY_SECRET = "sk_test_" + "demo_4f2a9c7e31b0"  # a made-up test-mode key
METHODS = [
    dict(kind="card", code="card", display_name="Credit or debit card", gateway="Stripe",
         fee_fixed="0.25", fee_percent="1.4", test_mode=True, sort_order=0,
         gateway_secret=DEMO_GATEWAY_SECRET),  # noqa: S106 (a demo test key)
    dict(kind="paypal", code="paypal", display_name="PayPal", fee_fixed="0.35",
         fee_percent="2.49", fee_cap="15", sort_order=1),
    dict(kind="wallet", code="wallet", display_name="Apple Pay / Google Pay", gateway="Stripe",
         fee_percent="1.4", sort_order=2),
    dict(kind="bnpl", code="klarna", display_name="Pay in 30 days (Klarna)", fee_percent="2.99",
         min_total="35", max_total="1500", countries="DE, AT, NL, SE, FI", sort_order=3),
    dict(kind="bank_transfer", code="bank-transfer", display_name="Bank transfer",
         instructions="Pay to Demo Goods GmbH, IBAN DE89 3704 0044 0532 0130 00, "
         "BIC COBADEFFXXX, with your order number as the reference. We ship once it arrives.",
         sort_order=4),
    dict(kind="cash_on_delivery", code="cod", display_name="Cash on delivery",
         instructions="Pay the courier in cash.", fee_fixed="2", max_total="300",
         countries="DE", shipping_service_codes=["own-courier"], sort_order=5),
]  # fmt: skip


def seed(context: DemoContext) -> None:
    store = context.stores["main"]
    owner = context.users["owner"]
    for values in METHODS:
        services.method_create(store=store, actor=owner, **values)
    context.progress.step("payments", 1, 1)
