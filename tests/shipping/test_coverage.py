"""What the zones pages warn about: countries not covered (only a zone that takes the whole
country, or the rest of the world, with a rate on a turned-on service covers it), zones that
can never apply (shadowed), and free shipping that starts past the subtotal bands."""

from __future__ import annotations

from decimal import Decimal as D

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from apps.shipping import engine, inputs, selectors, services
from apps.shipping.engine import Band, RateSpec, ServiceSpec, ShippingConfig, ZoneSpec

ON = ServiceSpec("dhl-standard", "DHL", "Standard", 2, 4)
OFF = ServiceSpec("dhl-old", "DHL", "Old", 2, 4, is_active=False)


def rate(service=ON, **values):
    return RateSpec(id=1, name="Standard", service=service, price=D("4.90"), **values)


def config(*zones):
    return ShippingConfig.build(currency="EUR", zones=zones, services=[ON, OFF])


def zone(zone_id, name, countries="", *, regions="", include="", exclude="", rates=(), position=0):
    return ZoneSpec(
        zone_id,
        name,
        countries=frozenset(inputs.country_list(countries)),
        regions=frozenset(inputs.region_list(regions)),
        postal_include=tuple(inputs.postal_rule(t) for t in inputs.items(include)),
        postal_exclude=tuple(inputs.postal_rule(t) for t in inputs.items(exclude)),
        rates=tuple(rates),
        position=position or zone_id,
    )


# --- coverage ---------------------------------------------------------------------------------
def test_a_zone_whose_rates_are_all_on_turned_off_services_covers_nothing():
    found = engine.coverage_of(config(zone(1, "Germany", "DE", rates=[rate(OFF)])))

    assert found.shipped == frozenset()
    assert found.partial == frozenset()


def test_postal_and_region_zones_cover_only_part_of_a_country():
    found = engine.coverage_of(
        config(
            zone(1, "Berlin centre", "DE", include="10115-10999", rates=[rate()]),
            zone(2, "Vienna", "AT", regions="9", rates=[rate()]),
            zone(3, "France", "FR", exclude="20000-20999", rates=[rate()]),
        )
    )

    assert found.shipped == frozenset({"FR"})  # exclusions are carve-outs, not a part zone
    assert found.partial == frozenset({"DE", "AT"})


def test_a_rest_of_world_zone_needs_a_turned_on_rate_to_cover_the_rest():
    assert engine.coverage_of(config(zone(1, "World", rates=[rate(OFF)]))).shipped == frozenset()
    assert engine.coverage_of(config(zone(1, "World", rates=[rate()]))).shipped is None


def test_the_zones_page_counts_a_postal_only_country_as_not_covered(
    client_for, owner, store, shipping_setup
):
    services.service_update(
        store=store, actor=owner, service=shipping_setup["standard"], name="Standard",
        code="dhl-standard", days_min=2, days_max=4, is_active=False,
    )  # fmt: skip
    services.service_update(
        store=store, actor=owner, service=shipping_setup["express"], name="Express",
        code="dhl-express", days_min=1, days_max=1, is_active=False,
    )  # fmt: skip
    courier = services.service_create(
        store=store, actor=owner, carrier=shipping_setup["carrier"], name="Courier",
        code="courier", days_min=0, days_max=1,
    )  # fmt: skip
    berlin = services.zone_create(
        store=store, actor=owner, name="Berlin", countries="DE", postal_include="10000-14999"
    )
    services.rate_create(store=store, actor=owner, zone=berlin, service=courier, price="5")

    page = client_for(owner).get("/store/alpha/shipping/").content.decode()

    assert "You can't ship to 248 countries at all" in page
    assert "Only part of Germany is covered" in page


# --- shadowed zones ---------------------------------------------------------------------------
def test_a_zone_inside_an_earlier_zone_of_its_level_is_shadowed():
    found = engine.shadowed_zones(
        config(
            zone(1, "DACH", "DE, AT, CH", position=1),
            zone(2, "Germany", "DE", position=2),
            zone(3, "Austria and Italy", "AT, IT", position=3),
            zone(4, "World", position=4),
            zone(5, "World 2", position=5),
        )
    )

    assert found == {2: ("DACH",), 5: ("World",)}


def test_postal_and_region_zones_are_shadowed_only_by_zones_that_hold_all_their_codes():
    found = engine.shadowed_zones(
        config(
            zone(1, "Berlin", "DE", include="10000-14999", position=1),
            zone(2, "Mitte", "DE", include="10115, 10117", position=2),
            zone(11, "Prefix", "DE", include="101*", position=11),
            zone(3, "Wedding", "DE", include="13347, 20095", position=3),
            zone(4, "Bavaria", "DE", regions="BY", position=4),
            zone(5, "Munich", "DE", regions="BY", position=5),
            zone(6, "Berlin minus", "DE", include="10000-19999", exclude="10115", position=6),
            zone(7, "Centre", "DE", include="10115", position=7),
            zone(8, "DE, FR", "DE, FR", position=8),
            zone(9, "France", "FR", position=9),
            zone(10, "Germany", "DE", position=10),
        )
    )

    assert found == {
        2: ("Berlin",),
        5: ("Bavaria",),
        7: ("Berlin",),
        9: ("DE, FR",),
        10: ("DE, FR",),
    }


def test_several_earlier_zones_together_shadow_a_zone():
    found = engine.shadowed_zones(
        config(zone(1, "Germany", "DE"), zone(2, "Austria", "AT"), zone(3, "DE+AT", "DE, AT"))
    )

    assert found == {3: ("Germany", "Austria")}


def test_the_zone_page_and_the_zones_list_warn_about_a_shadowed_zone(
    client_for, owner, store, shipping_setup
):
    later = services.zone_create(store=store, actor=owner, name="Germany again", countries="DE")
    client = client_for(owner)

    detail = client.get(f"/store/alpha/shipping/zones/{later.pk}/").content.decode()
    listing = client.get("/store/alpha/shipping/").content.decode()

    warning = "No destination can fall into this zone: “Germany” comes first for all of it."
    assert warning in detail
    assert "Never applies" in listing


# --- free shipping past the subtotal bands ------------------------------------------------------
SUBTOTAL_BANDS = (Band(D(0), D(20), D("6.90")), Band(D(20), D(40), D("4.90")))


def test_a_cart_over_the_free_shipping_threshold_ships_free_past_the_bands():
    rates = [rate(kind=engine.SUBTOTAL, bands=SUBTOTAL_BANDS, free_over=D(50))]
    shipping = config(zone(1, "Germany", "DE", rates=rates))
    destination = engine.Destination("DE")

    over = engine.shipping_quote(shipping, _cart("60"), destination)
    between = engine.shipping_quote(shipping, _cart("45"), destination)

    assert [(o.price, o.is_free) for o in over.options] == [(D("0.00"), True)]
    assert [e.reason for e in between.excluded] == ["Standard: no subtotal band covers €45.00"]


def test_the_rate_page_warns_when_free_shipping_starts_past_the_bands(
    client_for, owner, store, shipping_setup
):
    services.rate_create(
        store=store, actor=owner, zone=shipping_setup["zone"], service=shipping_setup["express"],
        name="By subtotal", kind="subtotal", bands="0-20: 6.90\n20-40: 4.90", free_over="50",
    )  # fmt: skip

    page = (
        client_for(owner)
        .get(f"/store/alpha/shipping/zones/{shipping_setup['zone'].pk}/")
        .content.decode()
    )

    assert (
        "By subtotal: free shipping starts at €50.00 but the subtotal bands stop at €40.00: "
        "subtotals from €40.00 up to €50.00 get no price from this rate."
    ) in page
    assert "subtotals of €40.00 and more get no price" not in page


def test_band_warnings_name_amounts_in_the_stores_currency(store):
    rates = selectors.rate_band_warnings(
        [_Row("Cheap", engine.SUBTOTAL, [["0", "20", "6.90"]], None)], currency="EUR"
    )

    assert [w.text for w in rates] == [
        "Cheap: subtotals of €20.00 and more get no price from this rate."
    ]


class _Row:
    def __init__(self, name, kind, bands, free_over):
        self.name, self.kind, self.bands, self.free_over = name, kind, bands, free_over


def _cart(subtotal: str):
    return engine.Cart((engine.CartLine("A", 1, D(subtotal), D("1")),))


# --- a property: a zone called shadowed is never the zone of any destination --------------------
POSTAL_POOL = ["10115", "10117", "101*", "10*", "10000-10999", "10100-10199", "SW1*", "SW1A1AA"]
DESTINATIONS = [
    engine.Destination(country, region, postal)
    for country in ("DE", "AT", "FR")
    for region in ("", "BE", "BY")
    for postal in ("", "10115", "10117", "10150", "10999", "1015", "SW1A 1AA", "SW1P 3BU")
]


@st.composite
def zone_specs(draw, zone_id):
    countries = draw(st.sets(st.sampled_from(["DE", "AT", "FR"]), max_size=2))
    regions = draw(st.sets(st.sampled_from(["BE", "BY"]), max_size=2)) if countries else set()
    include = draw(st.lists(st.sampled_from(POSTAL_POOL), max_size=2)) if countries else []
    exclude = draw(st.lists(st.sampled_from(POSTAL_POOL), max_size=1))
    return zone(
        zone_id, f"Z{zone_id}", ", ".join(countries), regions=", ".join(regions),
        include=", ".join(include), exclude=", ".join(exclude),
        position=draw(st.integers(0, 3)) + 1,
    )  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(st.lists(st.integers(), min_size=1, max_size=5).flatmap(
    lambda ids: st.tuples(*(zone_specs(n + 1) for n in range(len(ids))))
))  # fmt: skip
def test_a_shadowed_zone_never_holds_a_destination(zones):
    shipping = config(*zones)
    shadowed = engine.shadowed_zones(shipping)

    for destination in DESTINATIONS:
        chosen = engine.zone_for(shipping, destination)
        assert chosen is None or chosen.id not in shadowed


RULES = [
    "10115",
    "101*",
    "10*",
    "1*",
    "10000-10999",
    "10100-10199",
    "10115-10115",
    "SW1*",
    "SW1A1AA",
]
CODES = ["10115", "10100", "10199", "10999", "10000", "1015", "101", "11000", "SW1A1AA", "SW1P3BU"]


@pytest.mark.parametrize("inner", RULES)
@pytest.mark.parametrize("outer", RULES)
def test_a_rule_within_another_never_matches_a_code_the_other_does_not(inner, outer):
    inner_rule, outer_rule = inputs.postal_rule(inner), inputs.postal_rule(outer)

    if engine.rule_within(inner_rule, outer_rule):
        assert all(outer_rule.matches(code) for code in CODES if inner_rule.matches(code))
