"""Demo shipping for the main demo store: two carriers and the store's own couriers, zones
from a Berlin postal area to the rest of the world, and rates of every kind."""

from __future__ import annotations

from apps.catalog.selectors import category_list
from apps.core.demo import DemoContext
from apps.shipping import services

CARRIERS = {
    "DHL": [
        (
            "Standard",
            "dhl-standard",
            2,
            4,
            "https://www.dhl.com/track?tracking-id={tracking_number}",
        ),
        ("Express", "dhl-express", 1, 1, "https://www.dhl.com/track?tracking-id={tracking_number}"),
        (
            "International",
            "dhl-international",
            4,
            9,
            "https://www.dhl.com/track?tracking-id={tracking_number}",
        ),
    ],
    "UPS": [
        ("Standard", "ups-standard", 2, 5, "https://www.ups.com/track?tracknum={tracking_number}"),
    ],
    "Own couriers": [("Berlin same day", "own-courier", 0, 1, "")],
}
WEIGHT_BANDS = "0-2: 4.90\n2-5: 6.90\n5-10: 9.90\n10-31.5: 16.90"
EU = "AT, BE, DK, ES, FI, FR, IE, IT, LU, NL, PL, PT, SE, CZ"


def seed(context: DemoContext) -> None:
    store = context.stores["main"]
    owner = context.users["owner"]
    svc = {}
    for carrier_name, service_rows in CARRIERS.items():
        carrier = services.carrier_create(store=store, actor=owner, name=carrier_name)
        for name, code, low, high, tracking in service_rows:
            svc[code] = services.service_create(
                store=store, actor=owner, carrier=carrier, name=name, code=code,
                days_min=low, days_max=high, tracking_url_template=tracking,
            )  # fmt: skip
    home = category_list(store=store).filter(name="Home").first()

    def zone(name, **values):
        return services.zone_create(store=store, actor=owner, name=name, **values)

    def rate(the_zone, service, **values):
        return services.rate_create(
            store=store, actor=owner, zone=the_zone, service=svc[service], **values
        )

    berlin = zone("Berlin centre", countries="DE", postal_include="10115-10999")
    rate(berlin, "own-courier", name="Courier today", price="6.90", max_weight="15")
    rate(berlin, "dhl-standard", name="Standard", kind="weight", bands=WEIGHT_BANDS, free_over="60")

    germany = zone("Germany", countries="DE", postal_exclude="18565, 25938-25999, 27498")
    rate(
        germany, "dhl-standard", name="Standard", kind="weight", bands=WEIGHT_BANDS, free_over="60"
    )
    rate(
        germany, "dhl-express", name="Express", price="12.90", max_weight="30",
        excluded_tags="oversized", excluded_categories=[home.pk] if home else [],
    )  # fmt: skip
    rate(
        germany,
        "ups-standard",
        name="UPS Standard",
        kind="per_item",
        price="2.50",
        handling_fee="1.90",
    )

    islands = zone("German islands", countries="DE", postal_include="18565, 25938-25999, 27498")
    rate(islands, "dhl-standard", name="Island delivery", price="14.90", handling_fee="3")

    europe = zone("Europe", countries=EU)
    rate(
        europe, "dhl-international", name="Europe standard", kind="subtotal",
        bands="0-50: 12.90\n50-150: 9.90\n150-: 0", max_weight="31.5",
    )  # fmt: skip
    rate(europe, "ups-standard", name="Europe UPS", price="19.90", min_subtotal="30")

    world = zone("Rest of world", countries="")
    rate(
        world, "dhl-international", name="Worldwide", kind="weight",
        bands="0-2: 24.90\n2-5: 39.90\n5-20: 69.90", max_subtotal="2500",
    )  # fmt: skip
    context.progress.step("shipping", 1, 1)
