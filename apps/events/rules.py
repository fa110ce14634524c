"""What a storefront event must look like (DESIGN.md, "Storefront API"): one pure function
that reads one raw event into a clean row or says what is wrong with each field."""

from __future__ import annotations

import datetime
import re
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.dateparse import parse_datetime

from apps.core.money import is_country, is_currency

BATCH_MAX = 500
FUTURE_TOLERANCE = datetime.timedelta(hours=1)  # a storefront clock may run a little fast

CART_EVENTS = ("add_to_cart", "remove_from_cart")
OVERLAY_EVENTS = ("overlay_impression", "overlay_click", "overlay_close", "overlay_submit")
EVENT_TYPES = (
    "page_view",
    "product_view",
    *CART_EVENTS,
    "checkout_started",
    "checkout_step",
    "purchase",
    *OVERLAY_EVENTS,
)
NEEDS_CART = (*CART_EVENTS, "checkout_started", "checkout_step")
DEVICES = ("desktop", "mobile", "tablet", "other")
CHECKOUT_STEPS = {"started": 1, "shipping": 2, "payment": 3}  # the rank a cart reached
UTM_FIELDS = ("utm_source", "utm_medium", "utm_campaign", "utm_term", "utm_content")
ID_PATTERN = re.compile(r"^[\w.:@-]{1,64}$")
MAX_QUANTITY = 100_000
MAX_MONEY = Decimal("1e10")

# the raw table's columns, in the order a clean event is written
COLUMNS = (
    "event_id",
    "type",
    "occurred_at",
    "visitor_id",
    "session_id",
    "cart_id",
    "customer_email",
    "url",
    "referrer",
    "device",
    "channel",
    "country",
    *UTM_FIELDS,
    "properties",
)


@dataclass(frozen=True)
class CleanEvent:
    values: dict[str, Any]  # COLUMNS → value

    def row(self) -> tuple:
        return tuple(self.values[column] for column in COLUMNS)


class _Errors(dict):
    def add(self, field: str, message: str) -> None:
        self.setdefault(field, []).append(message)


def _text(raw: Mapping, key: str, errors: _Errors, *, max_length: int, required=False) -> str:
    value = raw.get(key)
    if value is None or value == "":
        if required:
            errors.add(key, f"Give the event's {key}.")
        return ""
    if not isinstance(value, str):
        errors.add(key, f"{key} is a string, not {type(value).__name__}.")
        return ""
    value = value.strip()
    if len(value) > max_length:
        errors.add(key, f"{key} has at most {max_length:,} characters.")
        return ""
    return value


def _id(raw: Mapping, key: str, errors: _Errors, *, required: bool) -> str:
    value = raw.get(key)
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if value is None or value == "":
        if required:
            errors.add(key, f"Give the event's {key}.")
        return ""
    if not isinstance(value, str) or not ID_PATTERN.match(value):
        errors.add(key, f"{key} is up to 64 letters, digits or . : @ _ -")
        return ""
    return value


def _money(props: Mapping, key: str, errors: _Errors, *, required: bool) -> str | None:
    value = props.get(key)
    if value is None or value == "":
        if required:
            errors.add(f"properties.{key}", f'Give the {key}, e.g. "19.90".')
        return None
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        errors.add(f"properties.{key}", f'{key} is an amount as a decimal string, e.g. "19.90".')
        return None
    try:
        amount = Decimal(str(value).strip())
    except InvalidOperation:
        errors.add(f"properties.{key}", f'{key} is an amount as a decimal string, e.g. "19.90".')
        return None
    if not amount.is_finite() or amount < 0 or amount >= MAX_MONEY:
        errors.add(f"properties.{key}", f"{key} is an amount from 0 up to 10 billion.")
        return None
    return f"{amount:f}"


def _destination(raw: Any, errors: _Errors) -> dict:
    """A checkout step's optional destination: ``{"country": "DE", "postal_code": "10115"}``."""
    if raw in (None, ""):
        return {}
    if not isinstance(raw, Mapping):
        errors.add("properties.destination", 'The destination is an object: {"country": "DE"}.')
        return {}
    clean: dict[str, str] = {}
    country = raw.get("country")
    if not isinstance(country, str) or not is_country(country.strip().upper()):
        errors.add("properties.destination.country", "Give the country as a code, e.g. DE.")
    else:
        clean["country"] = country.strip().upper()
    postal = raw.get("postal_code")
    if postal not in (None, ""):
        if not isinstance(postal, str | int) or isinstance(postal, bool):
            errors.add("properties.destination.postal_code", "The postal code is a string.")
        elif len(str(postal).strip()) > 16:
            errors.add(
                "properties.destination.postal_code", "The postal code has at most 16 characters."
            )
        else:
            clean["postal_code"] = str(postal).strip().upper()
    return clean


def _properties(kind: str, raw: Any, errors: _Errors) -> dict:
    if raw is None:
        raw = {}
    if not isinstance(raw, Mapping):
        errors.add("properties", "properties is an object.")
        return {}
    clean: dict[str, Any] = {}
    if kind in CART_EVENTS:
        sku = raw.get("sku")
        if not isinstance(sku, str) or not sku.strip():
            errors.add("properties.sku", "Give the item's SKU.")
        elif len(sku.strip()) > 64:
            errors.add("properties.sku", "A SKU has at most 64 characters.")
        else:
            clean["sku"] = sku.strip()
        quantity = raw.get("quantity", 1)
        if isinstance(quantity, bool) or not isinstance(quantity, int):
            errors.add("properties.quantity", "The quantity is a whole number, e.g. 2.")
        elif not 1 <= quantity <= MAX_QUANTITY:
            errors.add("properties.quantity", f"The quantity is from 1 to {MAX_QUANTITY:,}.")
        else:
            clean["quantity"] = quantity
        price = _money(raw, "price", errors, required=kind == "add_to_cart")
        if price is not None:
            clean["price"] = price
    elif kind == "checkout_step":
        step = raw.get("step")
        if step not in ("shipping", "payment"):
            errors.add("properties.step", 'The step is "shipping" or "payment".')
        else:
            clean["step"] = step
        price = _money(raw, "shipping_price", errors, required=False)
        if price is not None:
            clean["shipping_price"] = price
        service = raw.get("shipping_service")
        if service not in (None, ""):
            if not isinstance(service, str) or len(service) > 64:
                errors.add("properties.shipping_service", "The service is up to 64 characters.")
            else:
                clean["shipping_service"] = service
        destination = _destination(raw.get("destination"), errors)
        if destination:
            clean["destination"] = destination
    elif kind == "purchase":
        order_id = raw.get("order_id")
        if isinstance(order_id, int) and not isinstance(order_id, bool):
            order_id = str(order_id)
        if not isinstance(order_id, str) or not order_id.strip() or len(order_id) > 100:
            errors.add("properties.order_id", "Give the order's id (up to 100 characters).")
        else:
            clean["order_id"] = order_id.strip()
        total = _money(raw, "total", errors, required=True)
        if total is not None:
            clean["total"] = total
        currency = raw.get("currency")
        if not isinstance(currency, str) or not is_currency(currency.strip().upper()):
            errors.add("properties.currency", "Give the order's currency, e.g. EUR.")
        else:
            clean["currency"] = currency.strip().upper()
    elif kind in OVERLAY_EVENTS:
        overlay_id = raw.get("overlay_id")
        if isinstance(overlay_id, int) and not isinstance(overlay_id, bool):
            overlay_id = str(overlay_id)
        if not isinstance(overlay_id, str) or not overlay_id or len(overlay_id) > 64:
            errors.add("properties.overlay_id", "Give the overlay's id.")
        else:
            clean["overlay_id"] = overlay_id
        variant = raw.get("variant")
        if variant not in (None, ""):
            if not isinstance(variant, str) or len(variant) > 64:
                errors.add("properties.variant", "The variant is up to 64 characters.")
            else:
                clean["variant"] = variant
    return clean


def event_read(
    raw: Any, *, now: datetime.datetime, oldest: datetime.datetime
) -> tuple[CleanEvent | None, dict[str, list[str]]]:
    """One raw event → (its clean values, no errors) or (None, errors by field)."""
    errors = _Errors()
    if not isinstance(raw, Mapping):
        return None, {"non_field_errors": ["An event is an object."]}
    values: dict[str, Any] = {}

    event_id = raw.get("event_id")
    try:
        values["event_id"] = uuid.UUID(event_id) if isinstance(event_id, str) else None
    except ValueError:
        values["event_id"] = None
    if values["event_id"] is None:
        errors.add("event_id", "Give the event's event_id, a UUID made by the storefront.")

    kind = raw.get("type")
    if kind is None or kind == "":
        errors.add("type", "Give the event's type.")
    elif kind not in EVENT_TYPES:
        errors.add(
            "type", f"unknown event type {str(kind)[:40]!r}; one of {', '.join(EVENT_TYPES)}"
        )
    values["type"] = kind

    occurred = raw.get("occurred_at")
    when = None
    if not isinstance(occurred, str) or not occurred:
        errors.add("occurred_at", "Give occurred_at, ISO 8601 with its offset.")
    else:
        try:
            when = parse_datetime(occurred)
        except ValueError:
            when = None
        if when is None:
            errors.add("occurred_at", f"{occurred[:40]!r} is not an ISO 8601 time.")
        elif when.tzinfo is None:
            errors.add("occurred_at", "occurred_at needs its offset, e.g. +01:00 or Z.")
            when = None
        elif when > now + FUTURE_TOLERANCE:
            errors.add("occurred_at", "occurred_at is in the future.")
            when = None
        elif when < oldest:
            errors.add("occurred_at", "occurred_at is older than the store keeps events.")
            when = None
    values["occurred_at"] = when

    values["visitor_id"] = _id(raw, "visitor_id", errors, required=True)
    values["session_id"] = _id(raw, "session_id", errors, required=True)
    values["cart_id"] = _id(raw, "cart_id", errors, required=kind in NEEDS_CART)
    email = _text(raw, "customer_email", errors, max_length=254)
    if email:
        try:
            validate_email(email)
        except ValidationError:
            errors.add("customer_email", f"{email[:60]!r} is not an email address.")
        email = email.lower()
    values["customer_email"] = email
    values["url"] = _text(raw, "url", errors, max_length=2048)
    values["referrer"] = _text(raw, "referrer", errors, max_length=2048)
    device = _text(raw, "device", errors, max_length=16).lower()
    if device and device not in DEVICES:
        errors.add("device", f"The device is one of {', '.join(DEVICES)}.")
    values["device"] = device
    values["channel"] = _text(raw, "channel", errors, max_length=32).lower()
    country = _text(raw, "country", errors, max_length=2).upper()
    if country and not is_country(country):
        errors.add("country", f"unknown country {country}")
    values["country"] = country
    for key in UTM_FIELDS:
        values[key] = _text(raw, key, errors, max_length=200)
    if kind in EVENT_TYPES:
        values["properties"] = _properties(kind, raw.get("properties"), errors)
    if errors:
        return None, dict(errors)
    return CleanEvent(values), {}


def landing_page(url: str) -> str:
    """A session's landing page: its first URL's path, without query or fragment."""
    if not url:
        return ""
    return (urlsplit(url).path or "/")[:512]
