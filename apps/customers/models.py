"""Customers: one person across channels, matched within the store by email, else by phone."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex
from django.db import models
from django.db.models import Q

from apps.core.models import StoreOwnedModel
from apps.customers import inputs

NO_NAME = "No name given"


class Customer(StoreOwnedModel):
    """A shopper of the store. The order figures are kept by the orders app's services
    (``customer_stats_refresh``) so that the list sorts by them through an index."""

    email = models.CharField(max_length=inputs.MAX_EMAIL_LENGTH, blank=True)  # lower case
    phone = models.CharField(max_length=inputs.MAX_PHONE_LENGTH, blank=True)  # normalised
    first_name = models.CharField(max_length=inputs.TEXT_LIMITS["first_name"], blank=True)
    last_name = models.CharField(max_length=inputs.TEXT_LIMITS["last_name"], blank=True)
    # "first last", kept by the services for search
    full_name = models.CharField(max_length=inputs.TEXT_LIMITS["full_name"], blank=True)
    order_count = models.PositiveIntegerField(default=0)
    total_spent = models.DecimalField(max_digits=14, decimal_places=2, default=Decimal("0"))
    first_order_at = models.DateTimeField(null=True, blank=True)
    last_order_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-last_order_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["store", "email"],
                condition=~Q(email=""),
                name="customer_unique_store_email",
            ),
        ]
        indexes = [
            models.Index(fields=["store", "phone"], name="customer_store_phone"),
            models.Index(fields=["store", "last_order_at", "id"], name="customer_store_last"),
            models.Index(fields=["store", "total_spent", "id"], name="customer_store_spent"),
            GinIndex(name="customer_email_trgm", fields=["email"], opclasses=["gin_trgm_ops"]),
            GinIndex(name="customer_name_trgm", fields=["full_name"], opclasses=["gin_trgm_ops"]),
            GinIndex(name="customer_phone_trgm", fields=["phone"], opclasses=["gin_trgm_ops"]),
        ]

    def __str__(self) -> str:
        # a person's name or plainly none: never their email standing in, a blank or "None"
        return self.full_name or NO_NAME

    @property
    def since(self):
        """When the person became a customer: their first order, else when the record was
        made (a customer imported with old orders is a customer since the first of them)."""
        return self.first_order_at or self.created_at

    @property
    def average_order_value(self) -> Decimal | None:
        if not self.order_count:
            return None
        return (self.total_spent / self.order_count).quantize(Decimal("0.01"))


class CustomerAddress(StoreOwnedModel):
    """An address the customer used; the order keeps its own copy as it was."""

    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="addresses")
    name = models.CharField(max_length=inputs.TEXT_LIMITS["name"], blank=True)
    line1 = models.CharField(max_length=inputs.TEXT_LIMITS["line1"], blank=True)
    line2 = models.CharField(max_length=inputs.TEXT_LIMITS["line2"], blank=True)
    city = models.CharField(max_length=inputs.TEXT_LIMITS["city"], blank=True)
    region = models.CharField(max_length=inputs.TEXT_LIMITS["region"], blank=True)
    postal_code = models.CharField(max_length=inputs.TEXT_LIMITS["postal_code"], blank=True)
    country = models.CharField(max_length=2, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-last_used_at", "-id"]
        indexes = [models.Index(fields=["customer", "-last_used_at"])]

    def __str__(self) -> str:
        return ", ".join(
            part for part in (self.line1, self.postal_code, self.city, self.country) if part
        )

    def as_dict(self) -> dict[str, str]:
        return {key: getattr(self, key) for key in inputs.ADDRESS_FIELDS}


class CustomerNote(StoreOwnedModel):
    """An internal note about the customer, by a member of staff."""

    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    author_label = models.CharField(max_length=254, blank=True)
    body = models.TextField()

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.body[:60]


class AliasKind(models.TextChoices):
    EMAIL = "email", "Email"
    PHONE = "phone", "Phone"


class CustomerAlias(StoreOwnedModel):
    """Another email or phone of the customer, kept from a merged duplicate: a new order with
    it is matched to this customer (``customer_match``) instead of splitting them again."""

    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="aliases")
    kind = models.CharField(max_length=5, choices=AliasKind.choices)
    value = models.CharField(max_length=inputs.MAX_EMAIL_LENGTH)  # cleaned like the customer's

    class Meta:
        ordering = ["kind", "value"]
        constraints = [
            models.UniqueConstraint(
                fields=["store", "kind", "value"], name="customer_alias_unique_store_value"
            ),
        ]
        indexes = [models.Index(fields=["customer", "kind"], name="customer_alias_customer")]

    def __str__(self) -> str:
        return self.value
