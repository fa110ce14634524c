"""The shipping engine, table by table, without the database; hypothesis for the bands and
the zone choice."""

from __future__ import annotations

import datetime
from decimal import Decimal as D

import pytest
from hypothesis import given
from hypothesis import strategies as st

from apps.core.exceptions import DomainError
from apps.shipping import engine, inputs
from apps.shipping.engine import (
    Band,
    Cart,
    CartLine,
    Destination,
    RateSpec,
    ServiceSpec,
    ShippingConfig,
    ZoneSpec,
)

STANDARD = ServiceSpec("dhl-standard", "DHL", "Standard", 2, 4)
EXPRESS = ServiceSpec("dhl-express", "DHL", "Express", 1, 1)


def cart(*lines: tuple[str, int, str, str], tags=(), categories=()) -> Cart:
    return Cart(
        tuple(
            CartLine(
                sku,
                quantity,
                D(price),
                D(weight),
                tags=frozenset(tags),
                category_ids=frozenset(categories),
            )
            for sku, quantity, price, weight in lines
        )
    )


def rules(*texts: str):
    return tuple(inputs.postal_rule(text) for text in texts)


def config(*zones: ZoneSpec, currency="EUR") -> ShippingConfig:
    return ShippingConfig.build(currency=currency, zones=zones, services=[STANDARD, EXPRESS])


# --- zones ------------------------------------------------------------------------------------
ZONES = config(
    ZoneSpec(1, "Rest of world", position=0),
    ZoneSpec(2, "Germany", countries=frozenset({"DE"}), position=1),
    ZoneSpec(3, "Berlin", countries=frozenset({"DE"}), regions=frozenset({"BE"}), position=2),
    ZoneSpec(
        4,
        "Berlin centre",
        countries=frozenset({"DE"}),
        postal_include=rules("10115-10179"),
        position=3,
    ),
    ZoneSpec(
        5,
        "London SW",
        countries=frozenset({"GB"}),
        postal_include=rules("SW1*"),
        postal_exclude=rules("SW1A 1AA"),
        position=4,
    ),
    ZoneSpec(6, "UK", countries=frozenset({"GB"}), position=5),
)


@pytest.mark.parametrize(
    ("destination", "zone"),
    [
        (Destination("DE", "BE", "10117"), "Berlin centre"),  # postal beats region
        (Destination("DE", "BE", "12043"), "Berlin"),  # region beats country
        (Destination("DE", "BY", "80331"), "Germany"),
        (Destination("DE"), "Germany"),
        (Destination("FR", "", "75001"), "Rest of world"),
        (Destination("GB", "", "SW1P 3BU"), "London SW"),  # prefix, spaces ignored
        (Destination("GB", "", "SW1A 1AA"), "UK"),  # excluded from the postal zone
        (Destination("GB", "", "sw1a1ab"), "London SW"),  # lower case
        (Destination("GB", "", "E1 6AN"), "UK"),
    ],
)
def test_destination_falls_into_its_most_specific_zone(destination, zone):
    assert engine.zone_for(ZONES, destination).name == zone


def test_no_zone_means_the_store_does_not_ship_there():
    quote = engine.shipping_quote(
        config(ZoneSpec(2, "Germany", countries=frozenset({"DE"}))),
        cart(("A", 1, "10", "1")),
        Destination("BR"),
    )

    assert quote.zone is None
    assert quote.options == ()
    assert [e.reason for e in quote.excluded] == ["The store does not ship to Brazil."]


@pytest.mark.parametrize(
    ("text", "code", "matches"),
    [
        ("10115", "10115", True),
        ("10115", "10116", False),
        ("SW1*", "SW1W 0NY", True),
        ("SW1*", "SW2 1AA", False),
        ("10000-19999", "10000", True),
        ("10000-19999", "19999", True),
        ("10000-19999", "20000", False),
        ("10000-19999", "9999", False),  # another length is another code
        ("1000001", "1000-001", True),  # a code with a hyphen is written without it
    ],
)
def test_postal_rules(text, code, matches):
    assert inputs.postal_rule(text).matches(engine.postal_normalized(code)) is matches


@pytest.mark.parametrize("text", ["", "*", "SW*1", "19999-10000", "ab$"])
def test_bad_postal_rules_are_refused(text):
    with pytest.raises(DomainError):
        inputs.postal_rule(text)


# --- rates ------------------------------------------------------------------------------------
WEIGHT_BANDS = (Band(D(0), D(2), D("4.90")), Band(D(2), D(10), D("7.90")))


def one_zone(*rates: RateSpec) -> ShippingConfig:
    return config(ZoneSpec(1, "Germany", countries=frozenset({"DE"}), rates=rates))


def quote(rates, the_cart, **kwargs):
    return engine.shipping_quote(one_zone(*rates), the_cart, Destination("DE"), **kwargs)


@pytest.mark.parametrize(
    ("rate", "the_cart", "price"),
    [
        (RateSpec(1, "Flat", STANDARD, price=D("5.00")), cart(("A", 3, "10", "1")), "5.00"),
        (
            RateSpec(1, "Weight", STANDARD, kind="weight", bands=WEIGHT_BANDS),
            cart(("A", 1, "10", "1.999")),
            "4.90",
        ),
        (  # a band holds its lower bound, not its upper one
            RateSpec(1, "Weight", STANDARD, kind="weight", bands=WEIGHT_BANDS),
            cart(("A", 2, "10", "1")),
            "7.90",
        ),
        (
            RateSpec(
                1,
                "Subtotal",
                STANDARD,
                kind="subtotal",
                bands=(Band(D(0), D(50), D("6")), Band(D(50), None, D("3"))),
            ),
            cart(("A", 5, "10", "0")),
            "3.00",
        ),
        (
            RateSpec(1, "Per item", STANDARD, kind="per_item", price=D("1.50")),
            cart(("A", 2, "10", "0"), ("B", 3, "1", "0")),
            "7.50",
        ),
        (
            RateSpec(1, "Handling", STANDARD, price=D("5"), handling_fee=D("1.25")),
            cart(("A", 1, "10", "0")),
            "6.25",
        ),
        (  # the free-shipping threshold is reached at the threshold
            RateSpec(1, "Free", STANDARD, price=D("5"), free_over=D("50")),
            cart(("A", 5, "10", "0")),
            "0",
        ),
        (
            RateSpec(1, "Free", STANDARD, price=D("5"), free_over=D("50")),
            cart(("A", 1, "49.99", "0")),
            "5.00",
        ),
    ],
)
def test_rate_prices(rate, the_cart, price):
    (option,) = quote([rate], the_cart).options

    assert option.price == D(price)
    assert option.is_free is (D(price) == 0)


def test_yen_prices_are_whole():
    rate = RateSpec(1, "Per item", STANDARD, kind="per_item", price=D("33.5"))
    the_config = config(
        ZoneSpec(1, "Japan", countries=frozenset({"JP"}), rates=(rate,)), currency="JPY"
    )

    (option,) = engine.shipping_quote(
        the_config, cart(("A", 1, "1000", "0")), Destination("JP")
    ).options

    assert option.price == D("34")


@pytest.mark.parametrize(
    ("rate", "the_cart", "reason"),
    [
        (
            RateSpec(1, "Express", EXPRESS, price=D(9), max_weight=D(30)),
            cart(("A", 2, "10", "16")),
            "Express: cart weight 32 kg is over its 30 kg limit",
        ),
        (
            RateSpec(1, "Freight", STANDARD, price=D(9), min_weight=D(20)),
            cart(("A", 1, "10", "2.5")),
            "Freight: cart weight 2.5 kg is under its 20 kg minimum",
        ),
        (
            RateSpec(1, "Cheap", STANDARD, price=D(9), max_subtotal=D(100)),
            cart(("A", 1, "120", "0")),
            "Cheap: subtotal €120.00 is over its €100.00 limit",
        ),
        (
            RateSpec(1, "Premium", STANDARD, price=D(9), min_subtotal=D(100)),
            cart(("A", 1, "20", "0")),
            "Premium: subtotal €20.00 is under its €100.00 minimum",
        ),
        (
            RateSpec(1, "Express", EXPRESS, price=D(9), excluded_tags=frozenset({"oversized"})),
            cart(("SOFA", 1, "900", "40"), tags=("oversized",)),
            "Express: not for items tagged “oversized” (SOFA)",
        ),
        (
            RateSpec(1, "Express", EXPRESS, price=D(9), excluded_categories=((7, "Furniture"),)),
            cart(("SOFA", 1, "900", "40"), categories=(3, 7)),
            "Express: not for items in “Furniture” (SOFA)",
        ),
        (
            RateSpec(1, "Weight", STANDARD, kind="weight", bands=WEIGHT_BANDS),
            cart(("A", 1, "10", "12")),
            "Weight: no weight band covers a cart of 12 kg",
        ),
        (
            RateSpec(1, "Off", ServiceSpec("x", "DHL", "Old", 1, 2, is_active=False), price=D(1)),
            cart(("A", 1, "10", "1")),
            "Off: its service DHL Old is turned off",
        ),
    ],
)
def test_rates_left_out_say_why(rate, the_cart, reason):
    result = quote([rate], the_cart)

    assert result.options == ()
    assert [e.reason for e in result.excluded] == [reason]


def test_options_by_price_with_business_day_delivery_dates():
    friday = datetime.date(2026, 5, 1)
    result = quote(
        [
            RateSpec(1, "Express", EXPRESS, price=D("9.90")),
            RateSpec(2, "Standard", STANDARD, price=D("4.90")),
        ],
        cart(("A", 1, "10", "1")),
        today=friday,
    )

    assert [(o.name, o.price, o.earliest, o.latest) for o in result.options] == [
        ("Standard", D("4.90"), datetime.date(2026, 5, 5), datetime.date(2026, 5, 7)),
        ("Express", D("9.90"), datetime.date(2026, 5, 4), datetime.date(2026, 5, 4)),
    ]


# --- bands ------------------------------------------------------------------------------------
def test_bands_parse_from_text():
    assert inputs.bands("0-2: 4.90\n2-5: 6.90\n5-: 9.90") == [
        Band(D(0), D(2), D("4.90")),
        Band(D(2), D(5), D("6.90")),
        Band(D(5), None, D("9.90")),
    ]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("0-2: 4.90\n1-3: 5", "The bands 0-2 and 1-3 overlap"),
        ("0-: 4.90\n5-10: 5", "The bands 0- and 5-10 overlap"),
        ("5-2: 4.90", "Line 1: the upper bound 2 is not above the lower bound 5."),
        ("0-2 4.90", "Line 1: write a band"),
        ("0-2: -1", "Line 1: the price cannot be negative."),
    ],
)
def test_bad_bands_are_refused(text, message):
    with pytest.raises(DomainError) as raised:
        inputs.bands(text)

    assert raised.value.message.startswith(message)
    assert raised.value.field == "bands"


def test_band_gaps_are_found():
    bands = [Band(D(1), D(2), D(1)), Band(D(3), D(5), D(1))]

    assert engine.band_gaps(bands) == [(D(0), D(1)), (D(2), D(3)), (D(5), D(5))]
    assert engine.band_gaps([Band(D(0), None, D(1))]) == []


amounts = st.decimals(min_value=0, max_value=1000, places=3, allow_nan=False)


@st.composite
def band_tables(draw):
    cuts = sorted(set(draw(st.lists(amounts, min_size=1, max_size=8))))
    prices = draw(st.lists(amounts, min_size=len(cuts), max_size=len(cuts)))
    bands = [
        Band(cuts[i], cuts[i + 1] if i + 1 < len(cuts) else None, prices[i])
        for i in range(len(cuts))
    ]
    # drop some to make gaps; the table stays free of overlaps
    keep = draw(st.lists(st.booleans(), min_size=len(bands), max_size=len(bands)))
    return [band for band, kept in zip(bands, keep, strict=True) if kept] or bands[:1]


@given(band_tables(), amounts)
def test_every_value_maps_to_at_most_one_band(bands, value):
    holding = [band for band in bands if band.holds(value)]

    assert len(holding) <= 1
    assert engine.band_for(bands, value) == (holding[0] if holding else None)


@given(band_tables(), amounts)
def test_a_value_in_no_band_lies_in_a_reported_gap(bands, value):
    if engine.band_for(bands, value) is None:
        gaps = engine.band_gaps(bands)
        assert any(low <= value < high or (low == high and value >= low) for low, high in gaps)


@given(st.lists(st.tuples(amounts, amounts), min_size=2, max_size=6))
def test_overlapping_bands_are_always_found(pairs):
    bands = [Band(min(a, b), max(a, b), D(1)) for a, b in pairs if a != b]
    overlapping = any(
        x.lower < y.upper and y.lower < x.upper for i, x in enumerate(bands) for y in bands[i + 1 :]
    )

    assert (engine.bands_overlap(bands) is not None) is overlapping


# --- the zone choice, as a property -----------------------------------------------------------
countries_ = st.sampled_from(["DE", "GB", "FR"])
regions_ = st.sampled_from(["", "BE", "BY"])
postals = st.sampled_from(["", "10115", "12043", "80331"])


@st.composite
def zone_specs(draw):
    zones = []
    for index in range(draw(st.integers(1, 6))):
        country = draw(st.sampled_from(["", "DE", "GB", "FR"]))
        region = draw(regions_) if country else ""
        postal = draw(st.sampled_from(["", "10000-10999", "1*"])) if country else ""
        zones.append(
            ZoneSpec(
                index,
                f"Z{index}",
                countries=frozenset({country} if country else ()),
                regions=frozenset({region} if region else ()),
                postal_include=rules(postal) if postal else (),
                position=draw(st.integers(0, 5)),
            )
        )
    return zones


@given(zone_specs(), countries_, regions_, postals)
def test_the_chosen_zone_is_the_most_specific_holding_the_destination(zones, c, r, p):
    destination = Destination(c, r, p)
    chosen = engine.zone_for(config(*zones), destination)
    holding = [zone for zone in zones if zone.holds(destination)]

    if not holding:
        assert chosen is None
    else:
        assert chosen in holding
        assert chosen.level == min(zone.level for zone in holding)


def test_postal_code_shape_follows_the_countrys_rules():
    the_config = config(
        ZoneSpec(1, "Berlin", countries=frozenset({"DE"}), postal_include=rules("10000-14999"))
    )

    assert engine.postal_code_problem(the_config, Destination("DE", "", "10115")) is None
    assert engine.postal_code_problem(the_config, Destination("DE", "", "SW1A")) == (
        "“SW1A” is not a postal code of Germany: its postal codes are digits, e.g. 10000."
    )
    assert engine.postal_code_problem(the_config, Destination("FR", "", "AB1")) is None


def test_countries_shipped():
    rate = RateSpec(1, "Flat", STANDARD, price=D(1))
    assert engine.countries_shipped(
        config(ZoneSpec(1, "DE", countries=frozenset({"DE"}), rates=(rate,)), ZoneSpec(2, "FR"))
    ) == frozenset({"DE"})
    assert engine.countries_shipped(config(ZoneSpec(2, "World", rates=(rate,)))) is None
