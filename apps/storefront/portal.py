"""What the storefront API adds to the portal: the store settings it reads (its key and the
origins allowed to call it) say so on the settings page."""

from __future__ import annotations

from apps.core.portal import register_use

register_use(
    "allowed_origins",
    "The storefront API (shipping quotes, payment methods) answers browsers only from these.",
    order=10,
)
register_use(
    "publishable_key",
    "Your storefront sends it in X-Store-Key to ask for shipping quotes and payment methods.",
    order=10,
)
