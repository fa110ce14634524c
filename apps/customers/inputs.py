"""A customer's input rules, pure Python: what a valid email, phone, name and address is.

The admin API, the order ingest and the pages call these functions, so the same value gets the
same verdict and message on every path. Each check returns the cleaned value or raises
``DomainError`` naming the plain field; callers prefix it (``customer.email``).

- Email: trimmed and lower-cased (``Ada@Example.COM`` and ``ada@example.com`` are one
  customer), checked by Django's ``EmailValidator``, at most 254 characters.
- Phone: spaces, dots, dashes, slashes and brackets dropped; an international number keeps its
  leading ``+`` (``00`` becomes ``+``); 6 to 15 digits (E.164). ``+49 30 1234-567`` →
  ``+49301234567``.
"""

from __future__ import annotations

import re
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator

from apps.core.exceptions import DomainError
from apps.core.money import is_country

MAX_EMAIL_LENGTH = 254
MAX_PHONE_LENGTH = 16  # "+" and 15 digits
TEXT_LIMITS = {
    "first_name": 100,
    "last_name": 100,
    "full_name": 201,
    "name": 200,
    "line1": 200,
    "line2": 200,
    "city": 100,
    "region": 100,
    "postal_code": 20,
    "note": 2000,
}
_PHONE_SEPARATORS = re.compile(r"[\s.\-/()]")
_email_validator = EmailValidator()


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def email(value: Any, *, field: str = "email", required: bool = False) -> str:
    text = _text(value).strip().lower()
    if not text:
        if required:
            raise DomainError("Enter an email address, e.g. ada@example.com.", field=field)
        return ""
    if len(text) > MAX_EMAIL_LENGTH:
        raise DomainError(
            f"The email address is longer than {MAX_EMAIL_LENGTH} characters.", field=field
        )
    try:
        _email_validator(text)
    except ValidationError:
        raise DomainError(
            f"“{text[:60]}” is not an email address; write it like ada@example.com.",
            field=field,
        ) from None
    return text


def phone(value: Any, *, field: str = "phone") -> str:
    raw = _text(value).strip()
    if not raw:
        return ""
    text = _PHONE_SEPARATORS.sub("", raw)
    if text.startswith("00"):
        text = "+" + text[2:]
    digits = text[1:] if text.startswith("+") else text
    if not digits.isdigit() or not digits.isascii():
        raise DomainError(
            f"“{raw[:30]}” is not a phone number; use digits, spaces and a leading +, "
            "e.g. +49 30 1234567.",
            field=field,
        )
    if not 6 <= len(digits) <= 15:
        raise DomainError("A phone number has 6 to 15 digits, e.g. +49 30 1234567.", field=field)
    return text


def line(value: Any, *, field: str, label: str, limit_key: str | None = None) -> str:
    """One line of text: runs of spaces fold into one, at most ``TEXT_LIMITS[...]`` long."""
    text = " ".join(_text(value).split())
    limit = TEXT_LIMITS[limit_key or field]
    if len(text) > limit:
        raise DomainError(f"The {label} is longer than {limit} characters.", field=field)
    return text


def country(value: Any, *, field: str = "country", required: bool = False) -> str:
    text = _text(value).strip().upper()
    if not text:
        if required:
            raise DomainError("Enter the country as a two-letter code, e.g. DE.", field=field)
        return ""
    if not is_country(text):
        raise DomainError(
            f"“{text[:10]}” is not a country code; use two letters, e.g. DE.", field=field
        )
    return text


def note(value: Any, *, field: str = "body") -> str:
    text = _text(value).strip()
    if not text:
        raise DomainError("Write the note first.", field=field)
    if len(text) > TEXT_LIMITS["note"]:
        raise DomainError(f"A note holds at most {TEXT_LIMITS['note']:,} characters.", field=field)
    return text


def contact(data: dict, *, prefix: str = "customer") -> dict[str, str]:
    """A customer's contact fields (``email``, ``phone``, ``first_name``, ``last_name``), at
    least an email or a phone; errors name ``<prefix>.email``… The order ingest, the API and
    the customer page's contact form all call this."""
    cleaned = {
        "email": email(data.get("email"), field=f"{prefix}.email"),
        "phone": phone(data.get("phone"), field=f"{prefix}.phone"),
        "first_name": line(
            data.get("first_name"), field=f"{prefix}.first_name", label="first name",
            limit_key="first_name",
        ),
        "last_name": line(
            data.get("last_name"), field=f"{prefix}.last_name", label="last name",
            limit_key="last_name",
        ),
    }  # fmt: skip
    if not cleaned["email"] and not cleaned["phone"]:
        raise DomainError(
            "Give the customer's email or phone, so the order can be matched to them.",
            field=f"{prefix}.email",
        )
    return cleaned


ADDRESS_FIELDS = ("name", "line1", "line2", "city", "region", "postal_code", "country")
ADDRESS_LABELS = {
    "name": "name",
    "line1": "address line",
    "line2": "second address line",
    "city": "city",
    "region": "region",
    "postal_code": "postal code",
    "country": "country",
}


def address(value: Any, *, field: str = "address") -> dict[str, str]:
    """A postal address ``{name, line1, line2, city, region, postal_code, country}``; every
    key optional, the country a valid ISO code when given."""
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise DomainError("Send the address as an object.", field=field)
    unknown = sorted(set(value) - set(ADDRESS_FIELDS))
    if unknown:
        raise DomainError(f"Unknown address field {unknown[0]}.", field=f"{field}.{unknown[0]}")
    cleaned = {
        key: line(value.get(key), field=f"{field}.{key}", label=ADDRESS_LABELS[key], limit_key=key)
        for key in ADDRESS_FIELDS
        if key != "country"
    }
    cleaned["country"] = country(value.get("country"), field=f"{field}.country")
    return cleaned
