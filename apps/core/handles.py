"""Handles: the names in the portal's addresses (``/store/<handle>/``, a product's storefront
address). Pure functions, no ORM; whether a handle is taken is the caller's query.

One pattern for every handle: lowercase words of letters and digits joined by single
separators, so a handle starts and ends with a letter or digit. Store handles join with
hyphens only; product handles (``apps.catalog.inputs``) also with underscores.
"""

from __future__ import annotations

import re
from typing import Any

from apps.core.exceptions import DomainError

STORE_HANDLE_MIN_LENGTH = 3
STORE_HANDLE_MAX_LENGTH = 50  # Store.handle's max_length


def handle_pattern(separators: str) -> re.Pattern[str]:
    """Lowercase letters and digits, joined by one of ``separators`` at a time."""
    return re.compile(rf"^[a-z0-9]+(?:[{re.escape(separators)}][a-z0-9]+)*$")


STORE_HANDLE_PATTERN = handle_pattern("-")


def handle_normalized(value: Any) -> str:
    """A handle as typed, as it is kept and compared: trimmed and lowercase."""
    return str(value or "").strip().lower()


def typed_excerpt(value: Any, limit: int = 60) -> str:
    """What the person typed, to quote back in a message: as typed (its case kept), without
    the spaces around it, at most ``limit`` characters."""
    text = str(value or "").strip()
    return text if len(text) <= limit else text[:limit] + "…"


def store_handle(value: Any, *, field: str = "handle") -> str:
    """A new store's handle, lowercased; ``DomainError`` naming the rule when it breaks it.

    Stores made before the rule keep their handles; only new ones are checked.
    """
    text = handle_normalized(value)
    if not text:
        raise DomainError("Enter a handle, e.g. acme-shop.", field=field)
    length_ok = STORE_HANDLE_MIN_LENGTH <= len(text) <= STORE_HANDLE_MAX_LENGTH
    if not (length_ok and STORE_HANDLE_PATTERN.match(text)):
        raise DomainError(
            f"“{typed_excerpt(value)}” cannot be a store handle: use {STORE_HANDLE_MIN_LENGTH} to "
            f"{STORE_HANDLE_MAX_LENGTH} lowercase letters, digits and hyphens, starting and "
            "ending with a letter or digit, with no two hyphens in a row, e.g. acme-shop.",
            field=field,
        )
    return text
