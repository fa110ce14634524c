"""What storefront events add to the portal: the store settings they read say so on the
settings page (the abandonment window decides when a cart counts as abandoned)."""

from __future__ import annotations

from apps.core.portal import register_use

register_use(
    "abandonment_window_minutes",
    "Abandoned-cart figures count a cart abandoned this long after its last activity.",
    order=80,
)
register_use(
    "publishable_key",
    "Your storefront sends it in X-Store-Key with its behaviour events.",
    order=80,
)
