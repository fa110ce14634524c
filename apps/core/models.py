"""The tenant (Store) and the base classes every store-owned model uses."""

from __future__ import annotations

import secrets
import zoneinfo

from django.contrib.postgres.fields import ArrayField
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models

currency_validator = RegexValidator(r"^[A-Z]{3}$", "Use a three-letter ISO 4217 code, e.g. EUR.")
country_validator = RegexValidator(r"^[A-Z]{2}$", "Use a two-letter ISO 3166 code, e.g. DE.")


def validate_timezone(value: str) -> None:
    if value not in zoneinfo.available_timezones():
        raise ValidationError(f"{value} is not a known time zone (try e.g. Europe/Berlin).")


def new_publishable_key() -> str:
    return f"mp_pk_{secrets.token_urlsafe(24)}"


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class Store(TimeStampedModel):
    handle = models.SlugField(
        max_length=50,
        unique=True,
        help_text="Used in the address of every page, e.g. /store/acme/. Letters, digits, hyphens.",
    )
    name = models.CharField(max_length=120)
    currency = models.CharField(max_length=3, default="EUR", validators=[currency_validator])
    timezone = models.CharField(max_length=64, default="UTC", validators=[validate_timezone])
    country = models.CharField(max_length=2, default="DE", validators=[country_validator])
    publishable_key = models.CharField(max_length=64, unique=True, default=new_publishable_key)
    allowed_origins = ArrayField(
        models.URLField(max_length=200),
        default=list,
        blank=True,
        help_text="Storefront origins allowed to call the storefront API, e.g. https://shop.example.",
    )
    abandonment_window_minutes = models.PositiveIntegerField(
        default=60,
        validators=[MinValueValidator(5)],
        help_text="A cart with no purchase this long after its last activity counts as abandoned.",
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def tzinfo(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.timezone)


class StoreScopedQuerySet(models.QuerySet):
    def for_store(self, store: Store) -> StoreScopedQuerySet:
        return self.filter(store=store)


class StoreOwnedModel(TimeStampedModel):
    """Every merchant-owned row belongs to one store; reach rows only through ``for_store``."""

    store = models.ForeignKey(Store, on_delete=models.CASCADE, related_name="+")

    objects = StoreScopedQuerySet.as_manager()

    class Meta:
        abstract = True
