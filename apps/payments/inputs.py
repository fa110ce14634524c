"""Payment methods' input rules, pure Python (amounts, countries and codes are shipping's
rules, ``apps.shipping.inputs``): the forms and services call these."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from apps.core.exceptions import DomainError
from apps.shipping import inputs as shipping_inputs

HUNDRED = Decimal("100")
MAX_SECRET_LENGTH = 500
MAX_INSTRUCTIONS = 2000


def percent(value: Any, *, field: str = "fee_percent") -> Decimal:
    number = shipping_inputs.amount(value, field=field, label="percent fee")
    if number is None:
        return Decimal("0.00")
    if number > HUNDRED:
        raise DomainError("A percent fee is at most 100.", field=field)
    return number


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
