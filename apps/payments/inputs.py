"""Payment methods' input rules, pure Python (amounts are core's ``inputs.money``; countries
and codes are shipping's rules, ``apps.shipping.inputs``): the forms and services call these."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from apps.core.exceptions import DomainError
from apps.core.inputs import CENT
from apps.core.inputs import decimal_number as number_input

HUNDRED = Decimal("100")
MAX_SECRET_LENGTH = 500
MAX_INSTRUCTIONS = 2000
MAX_GATEWAY_LENGTH = 60


def percent(value: Any, *, field: str = "fee_percent") -> Decimal:
    """A percent fee: from 0 to 100 with at most two decimals; blank is 0."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return Decimal("0.00")
    number = number_input(value, field=field, label="percent fee", example="2.9")
    if number < 0:
        raise DomainError("The percent fee cannot be negative.", field=field)
    if number > HUNDRED:
        raise DomainError("A percent fee is at most 100.", field=field)
    if number != number.quantize(CENT):
        raise DomainError("The percent fee has more than two decimals, e.g. 2.95.", field=field)
    return number.quantize(CENT)


def instructions(value: Any, *, field: str = "instructions") -> str:
    text = str(value or "").strip()
    if len(text) > MAX_INSTRUCTIONS:
        raise DomainError(
            f"The instructions are longer than {MAX_INSTRUCTIONS} characters.", field=field
        )
    return text


def secret(value: Any, *, field: str = "gateway_secret") -> str:
    text = str(value or "").strip()
    if len(text) > MAX_SECRET_LENGTH:
        raise DomainError(
            f"The credential is longer than {MAX_SECRET_LENGTH} characters.", field=field
        )
    return text


def gateway(kind: str, value: Any, *, field: str = "gateway") -> str:
    """The gateway's name: required for cards (``kind`` ``card``), at most 60 characters."""
    text = " ".join(str(value or "").split())
    if kind == "card" and not text:
        raise DomainError("Name the card gateway, e.g. Stripe.", field=field)
    if len(text) > MAX_GATEWAY_LENGTH:
        raise DomainError(
            f"The gateway name is longer than {MAX_GATEWAY_LENGTH} characters.", field=field
        )
    return text
