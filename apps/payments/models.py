"""Payment methods: what a checkout may offer, with fees and availability rules. The rules
live in ``engine.py`` (pure) and ``inputs.py``."""

from __future__ import annotations

from decimal import Decimal

from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import Q

from apps.core.models import StoreOwnedModel

MONEY = {"max_digits": 12, "decimal_places": 2}


class MethodKind(models.TextChoices):
    CARD = "card", "Card (through a gateway)"
    PAYPAL = "paypal", "PayPal"
    BANK_TRANSFER = "bank_transfer", "Bank transfer"
    CASH_ON_DELIVERY = "cash_on_delivery", "Cash on delivery"
    WALLET = "wallet", "Wallet (Apple Pay / Google Pay)"
    BNPL = "bnpl", "Buy now, pay later"


class PaymentMethod(StoreOwnedModel):
    kind = models.CharField(max_length=20, choices=MethodKind.choices)
    # the method's name in orders and the storefront API, e.g. "card"
    code = models.CharField(max_length=40)
    display_name = models.CharField(max_length=80)
    gateway = models.CharField(max_length=60, blank=True)  # e.g. Stripe, Adyen
    instructions = models.TextField(blank=True, max_length=2000)
    is_enabled = models.BooleanField(default=True)
    fee_fixed = models.DecimalField(**MONEY, default=Decimal("0"))
    fee_percent = models.DecimalField(max_digits=5, decimal_places=2, default=Decimal("0"))
    fee_cap = models.DecimalField(**MONEY, null=True, blank=True)
    min_total = models.DecimalField(**MONEY, null=True, blank=True)
    max_total = models.DecimalField(**MONEY, null=True, blank=True)
    countries = ArrayField(models.CharField(max_length=2), default=list, blank=True)
    shipping_service_codes = ArrayField(models.CharField(max_length=40), default=list, blank=True)
    sort_order = models.PositiveIntegerField(default=0)
    test_mode = models.BooleanField(default=False)
    # write-only: set from the form, never rendered or returned; only its last four shown
    gateway_secret = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["sort_order", "display_name"]
        constraints = [
            models.UniqueConstraint(fields=["store", "code"], name="payment_unique_store_code"),
            models.CheckConstraint(
                condition=Q(fee_percent__gte=0) & Q(fee_percent__lte=100),
                name="payment_fee_percent_range",
            ),
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def secret_hint(self) -> str:
        """ "••••4f2a" when a secret is stored, else empty: all a page ever shows of it."""
        return (
            f"••••{self.gateway_secret[-4:]}"
            if len(self.gateway_secret) >= 8
            else ("••••" if self.gateway_secret else "")
        )
