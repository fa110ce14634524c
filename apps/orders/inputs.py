"""The shape of an order as it arrives (admin API, demo, later the storefront's purchase
event), checked in one place: ``order_payload(data, store_currency=…)`` returns the cleaned,
normalised order or raises ``DomainError`` naming the field (``lines[2].quantity``).

The cleaned order is also what a repeat is compared with (idempotent ingest): two bodies that
say the same thing (``"19.9"`` and ``"19.90"``, an email in capitals) clean to the same dict.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Mapping
from decimal import Decimal
from functools import partial
from typing import Any
from urllib.parse import urlsplit

from django.utils.dateparse import parse_datetime

from apps.catalog import inputs as catalog_inputs
from apps.core import inputs as core_inputs
from apps.core.exceptions import DomainError, too_long_message
from apps.core.money import is_currency
from apps.customers import inputs as customer_inputs
from apps.orders import rules

CHANNELS = ("web", "app", "marketplace", "pos", "phone")
INITIAL_STATUSES = ("placed", "paid")
MAX_LINES = 500
MAX_QUANTITY = 100_000
TEXT_LIMITS = {
    "external_id": 100,
    "source": 100,
    "cart_id": 100,
    "product_name": 255,
    "variant_title": 255,
    "image_url": 500,
    "service": 100,
    "service_name": 200,
    "carrier": 200,
    "tracking_url_template": 500,
    "delivery_estimate": 100,
    "method": 100,
    "method_name": 200,
    "reference": 200,
    "reason": 255,
}
TOP_LEVEL = {
    "external_id", "channel", "source", "status", "placed_at", "currency", "customer",
    "shipping_address", "lines", "shipping", "payment", "discount_total", "cart_id",
}  # fmt: skip
LINE_KEYS = {"sku", "quantity", "unit_price", "product_name", "variant_title", "image_url"}
SHIPPING_KEYS = {
    "service", "name", "price", "carrier", "tracking_url_template", "delivery_estimate",
    "tracking_number",
}  # fmt: skip
PAYMENT_KEYS = {"method", "name", "reference", "fee"}
CUSTOMER_KEYS = {"email", "phone", "first_name", "last_name"}


def text(value: Any, *, field: str, label: str, limit_key: str, required: bool = False) -> str:
    if isinstance(value, dict | list):
        raise DomainError(f"Send the {label} as text.", field=field)
    cleaned = " ".join(str(value if value is not None else "").split())
    if required and not cleaned:
        raise DomainError(f"Enter the {label}.", field=field)
    limit = TEXT_LIMITS[limit_key]
    if len(cleaned) > limit:
        raise DomainError(too_long_message(label, limit=limit, entered=len(cleaned)), field=field)
    return cleaned


def amount(value: Any, *, field: str, label: str, currency: str, required: bool = False) -> str:
    """An amount as a normalised decimal string (``"19.90"``); the currency's decimals."""
    if isinstance(value, dict | list):
        raise DomainError(f'Send the {label} as a decimal string, e.g. "19.90".', field=field)
    number = core_inputs.money(
        value, field=field, label=label, required=required, currency=currency
    )
    return f"{(number or Decimal('0')).quantize(Decimal('0.01'))}"


PLAIN_AMOUNT = re.compile(r"(\d+(\.\d*)?|\.\d+)?", re.ASCII)


def comma_hint(value: Any, *, label: str) -> str:
    """For an amount written with a decimal comma ("1,5"): "Write the {label} with a dot: 1.5."
    (empty for anything else)."""
    if not isinstance(value, str) or "," not in value:
        return ""
    written = "".join(value.split())
    dotted = written.replace(",", ".")
    if written.count(",") != 1 or "." in written:
        return ""
    try:
        core_inputs.decimal_number(dotted, field="", label=label, example=dotted)
    except DomainError:
        return ""
    return f"Write the {label} with a dot: {dotted}."


def typed_amount(
    value: Any, *, field: str, label: str, currency: str, required: bool = False
) -> Decimal | None:
    """An amount a person typed on a page: ``core_inputs.money``, except that a decimal comma
    ("1,5") is refused with the amount written the right way (``comma_hint``)."""
    hint = comma_hint(value, label=label)
    if hint:
        raise DomainError(hint, field=field)
    if isinstance(value, str) and not PLAIN_AMOUNT.fullmatch("".join(value.split())):
        # only digits and a dot: what the page's confirm dialog can add up is what is refunded
        raise DomainError(f"Write the {label} with digits and a dot, e.g. 19.90.", field=field)
    return core_inputs.money(value, field=field, label=label, required=required, currency=currency)


def totals_check(totals: Mapping[str, Decimal], line_totals: list[Decimal]) -> None:
    """Each line's total and the order's total at most ``rules.MAX_TOTAL`` (what the database
    keeps): the error names the line (``lines[0]``) or ``total``, and the limit."""
    most = f"{rules.MAX_TOTAL:,}"
    for index, line_total in enumerate(line_totals):
        if line_total > rules.MAX_TOTAL:
            raise DomainError(
                f"Line {index + 1}'s total (quantity × unit price, {line_total:,}) is more than "
                f"an order line can hold, {most}.",
                field=f"lines[{index}]",
            )
    for key, label in (("subtotal", "lines' total"), ("total", "order's total")):
        if totals[key] > rules.MAX_TOTAL:
            raise DomainError(
                f"The {label} ({totals[key]:,}) is more than an order can hold, {most}.",
                field="total",
            )


def quantity(value: Any, *, field: str) -> int:
    if isinstance(value, bool | dict | list):
        raise DomainError("The quantity must be a whole number like 2.", field=field)
    number = core_inputs.count(value, field=field, label="quantity", minimum=None)
    if number < 1:
        raise DomainError("The quantity must be at least 1.", field=field)
    if number > MAX_QUANTITY:
        raise DomainError(f"The quantity is more than {MAX_QUANTITY:,}.", field=field)
    return number


def channel(value: Any, *, field: str = "channel") -> str:
    cleaned = str(value or "web").strip().lower()
    if cleaned not in CHANNELS:
        raise DomainError(
            f"“{str(value)[:30]}” is not a channel; use web, app, marketplace, pos or phone.",
            field=field,
        )
    return cleaned


def placed_at(value: Any, *, field: str = "placed_at") -> datetime.datetime | None:
    if value in (None, ""):
        return None
    parsed = parse_datetime(str(value)) if isinstance(value, str) else None
    if parsed is None:
        raise DomainError(
            "Give the time in ISO 8601 with its offset, e.g. 2025-03-01T14:05:00+01:00.",
            field=field,
        )
    if parsed.tzinfo is None:
        raise DomainError(
            "Give the time with its offset, e.g. 2025-03-01T14:05:00+01:00.", field=field
        )
    return parsed.astimezone(datetime.UTC)


def web_address(value: Any, *, field: str, label: str, limit_key: str) -> str:
    """An http(s) address with a host, or empty: never ``javascript:``, ``data:`` or a relative
    address (the pages link and load it)."""
    address = text(value, field=field, label=label, limit_key=limit_key)
    if not address:
        return ""
    parts = urlsplit(address)
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        raise DomainError(
            f"The {label} must be an http(s) address, e.g. https://cdn.example.com/mug.jpg.",
            field=field,
        )
    return address


def _object(value: Any, *, field: str, keys: set[str], required: bool = False) -> dict:
    if value is None:
        if required:
            raise DomainError(f"Send the {field}.", field=field)
        return {}
    if not isinstance(value, Mapping):
        raise DomainError(f"Send the {field} as an object.", field=field)
    unknown = sorted(set(value) - keys)
    if unknown:
        raise DomainError(f"Unknown field {unknown[0]}.", field=f"{field}.{unknown[0]}")
    return dict(value)


def _line(value: Any, *, index: int, currency: str) -> dict:
    field = f"lines[{index}]"
    if not isinstance(value, Mapping):
        what = "empty" if value is None else "not an object"
        raise DomainError(
            f"Line {index + 1} is {what}; send each line as an object with sku, quantity and "
            'unit_price, e.g. {"sku": "MUG-1", "quantity": 1, "unit_price": "12.50"}.',
            field=field,
        )
    data = _object(value, field=field, keys=LINE_KEYS, required=True)
    try:
        sku = catalog_inputs.sku(data.get("sku"), field=f"{field}.sku")
    except DomainError as error:
        raise DomainError(error.message, field=f"{field}.sku") from None
    return {
        "sku": sku,
        "quantity": quantity(data.get("quantity"), field=f"{field}.quantity"),
        "unit_price": amount(
            data.get("unit_price"), field=f"{field}.unit_price", label="unit price",
            currency=currency, required=True,
        ),
        **{
            key: text(data.get(key), field=f"{field}.{key}", label=key.replace("_", " "),
                      limit_key=key)
            for key in ("product_name", "variant_title")
        },
        "image_url": web_address(data.get("image_url"), field=f"{field}.image_url",
                                 label="image address", limit_key="image_url"),
    }  # fmt: skip


def order_payload(data: Any, *, store_currency: str) -> dict:
    """The cleaned order: every field present, amounts as strings, ``placed_at`` in UTC ISO
    (``None`` when not given: the time of receipt is used and not compared on a repeat)."""
    if not isinstance(data, Mapping):
        raise DomainError("Send the order as a JSON object.", field="non_field_errors")
    unknown = sorted(set(data) - TOP_LEVEL)
    if unknown:
        raise DomainError(f"Unknown field {unknown[0]}.", field=unknown[0])
    currency = str(data.get("currency") or store_currency).strip().upper()
    if not is_currency(currency):
        raise DomainError(
            f"“{currency[:10]}” is not an ISO 4217 currency code, e.g. EUR.", field="currency"
        )
    if currency != store_currency:
        raise DomainError(
            f"This store sells in {store_currency}, not {currency}: send the order in "
            f"{store_currency} or leave the currency out.",
            field="currency",
        )
    status = str(data.get("status") or "paid").strip().lower()
    if status not in INITIAL_STATUSES:
        raise DomainError(
            "A new order is placed (not paid yet) or paid; set later statuses with PATCH.",
            field="status",
        )
    customer = _object(data.get("customer"), field="customer", keys=CUSTOMER_KEYS, required=True)
    lines = data.get("lines")
    if lines is not None and not isinstance(lines, list):
        raise DomainError(
            "Send the lines as a list of objects, e.g. "
            '[{"sku": "MUG-1", "quantity": 1, "unit_price": "12.50"}], even for one line.',
            field="lines",
        )
    if not lines:
        raise DomainError("An order needs at least one line.", field="lines")
    if len(lines) > MAX_LINES:
        raise DomainError(f"An order holds at most {MAX_LINES} lines.", field="lines")
    shipping = _object(data.get("shipping"), field="shipping", keys=SHIPPING_KEYS)
    payment = _object(data.get("payment"), field="payment", keys=PAYMENT_KEYS)
    money = partial(amount, currency=currency)
    placed = placed_at(data.get("placed_at"))
    cleaned = {
        "external_id": text(
            data.get("external_id"), field="external_id", label="external id",
            limit_key="external_id", required=True,
        ),
        "channel": channel(data.get("channel")),
        "source": text(data.get("source"), field="source", label="source", limit_key="source"),
        "status": status,
        "placed_at": placed.isoformat() if placed else None,
        "currency": currency,
        "customer": customer_inputs.contact(customer, prefix="customer"),
        "shipping_address": customer_inputs.address(
            data.get("shipping_address"), field="shipping_address"
        ),
        "lines": [_line(line, index=index, currency=currency) for index, line in enumerate(lines)],
        "shipping": {
            "service": text(shipping.get("service"), field="shipping.service",
                            label="shipping service", limit_key="service"),
            "name": text(shipping.get("name"), field="shipping.name",
                         label="shipping service name", limit_key="service_name"),
            "price": money(shipping.get("price"), field="shipping.price", label="shipping price"),
            "carrier": text(shipping.get("carrier"), field="shipping.carrier", label="carrier",
                            limit_key="carrier"),
            "tracking_url_template": _tracking_template(shipping.get("tracking_url_template")),
            "delivery_estimate": text(shipping.get("delivery_estimate"),
                                      field="shipping.delivery_estimate",
                                      label="delivery estimate", limit_key="delivery_estimate"),
            "tracking_number": rules.tracking_number(
                shipping.get("tracking_number"), field="shipping.tracking_number"
            ),
        },
        "payment": {
            "method": text(payment.get("method"), field="payment.method",
                           label="payment method", limit_key="method"),
            "name": text(payment.get("name"), field="payment.name",
                         label="payment method name", limit_key="method_name"),
            "reference": text(payment.get("reference"), field="payment.reference",
                              label="payment reference", limit_key="reference"),
            "fee": money(payment.get("fee"), field="payment.fee", label="payment fee"),
        },
        "discount_total": money(data.get("discount_total"), field="discount_total",
                                label="discount"),
        "cart_id": text(data.get("cart_id"), field="cart_id", label="cart id",
                        limit_key="cart_id"),
    }  # fmt: skip
    rules.tracking_check(
        status=status,
        tracking=cleaned["shipping"]["tracking_number"],
        field="shipping.tracking_number",
    )
    totals = order_totals(cleaned)
    totals_check(
        totals,
        [Decimal(line["unit_price"]) * line["quantity"] for line in cleaned["lines"]],
    )
    if totals["discount_total"] > totals["subtotal"]:
        raise DomainError(
            f"The discount ({totals['discount_total']}) is more than the lines' total "
            f"({totals['subtotal']}).",
            field="discount_total",
        )
    return cleaned


def _tracking_template(value: Any) -> str:
    template = text(
        value, field="shipping.tracking_url_template", label="tracking URL template",
        limit_key="tracking_url_template",
    )  # fmt: skip
    if template and (
        not template.startswith(("https://", "http://"))
        or rules.TRACKING_PLACEHOLDER not in template
    ):
        raise DomainError(
            "The tracking URL template is an http(s) address holding {tracking_number}, e.g. "
            "https://carrier.example/track?n={tracking_number}.",
            field="shipping.tracking_url_template",
        )
    return template


def order_totals(cleaned: Mapping[str, Any]) -> dict[str, Decimal]:
    """Subtotal (the lines), discount, shipping and total of a cleaned order."""
    subtotal = sum(
        (Decimal(line["unit_price"]) * line["quantity"] for line in cleaned["lines"]),
        Decimal("0"),
    )
    discount = Decimal(cleaned["discount_total"])
    shipping = Decimal(cleaned["shipping"]["price"])
    return {
        "subtotal": subtotal,
        "discount_total": discount,
        "shipping_price": shipping,
        "total": subtotal - discount + shipping,
    }


def payload_differences(stored: Mapping[str, Any], received: Mapping[str, Any]) -> list[str]:
    """The top-level fields in which two cleaned orders differ (``placed_at`` only when the
    repeat gives one)."""
    fields = []
    for key in sorted(set(stored) | set(received)):
        if key == "placed_at" and received.get(key) is None:
            continue
        if stored.get(key) != received.get(key):
            fields.append(key)
    return fields
