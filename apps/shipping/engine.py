"""The shipping engine: plain data in, a quote with reasons out. No ORM, no request.

The checkout simulator, the storefront API and the tests call ``shipping_quote``; the
selectors build the ``ShippingConfig`` from the database (cached per store).

- **Zones.** A destination falls into its most specific zone: one whose postal-code rules
  include it (``POSTAL``) beats one that names its region (``REGION``), which beats one that
  names its country (``COUNTRY``), which beats "rest of world" (a zone without countries).
  A zone's exclude rules take a postal code out of it whatever its level. Between two zones of
  the same level the one first in the list (``position``) wins.
- **Postal rules.** ``10115`` (exact), ``SW1*`` (prefix), ``10000-19999`` (numeric range,
  both ends of the same length). Codes compare in capitals with spaces and hyphens removed.
- **Bands.** A band covers ``lower <= value < upper`` (an empty upper: no limit), so touching
  bands (0–2, 2–5) never both hold a value; overlapping bands are refused where they are
  entered, gaps only warned about (``band_gaps``).
- **Price.** Flat, by the cart's weight band, by its subtotal band, or per item; plus the
  handling fee; free when the subtotal reaches the rate's free-shipping threshold.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django_countries import countries

from apps.core.money import money_format, money_rounded

ZERO = Decimal("0")

# zone levels, most specific first
POSTAL, REGION, COUNTRY, WORLD = 0, 1, 2, 3
LEVEL_LABELS = {POSTAL: "postal code", REGION: "region", COUNTRY: "country", WORLD: "rest of world"}

FLAT, WEIGHT, SUBTOTAL, PER_ITEM = "flat", "weight", "subtotal", "per_item"


# --- postal codes -----------------------------------------------------------------------------
def postal_normalized(code: str) -> str:
    return "".join(ch for ch in str(code or "").upper() if ch not in " -")


@dataclass(frozen=True)
class PostalRule:
    """``exact`` (value), ``prefix`` (value), or ``range`` (low..high, digits of one length)."""

    kind: str
    value: str = ""
    low: int = 0
    high: int = 0
    width: int = 0

    def matches(self, normalized: str) -> bool:
        if self.kind == "exact":
            return normalized == self.value
        if self.kind == "prefix":
            return normalized.startswith(self.value)
        return (
            len(normalized) == self.width
            and normalized.isdigit()
            and self.low <= int(normalized) <= self.high
        )

    @property
    def is_numeric(self) -> bool:
        return self.kind == "range" or self.value.isdigit()

    @property
    def example(self) -> str:
        return f"{self.low:0{self.width}d}" if self.kind == "range" else self.value

    def __str__(self) -> str:
        if self.kind == "range":
            return f"{self.low:0{self.width}d}-{self.high:0{self.width}d}"
        return f"{self.value}*" if self.kind == "prefix" else self.value


# --- configuration ----------------------------------------------------------------------------
@dataclass(frozen=True)
class Band:
    lower: Decimal
    upper: Decimal | None  # None: no upper limit
    price: Decimal

    def holds(self, value: Decimal) -> bool:
        return self.lower <= value and (self.upper is None or value < self.upper)


@dataclass(frozen=True)
class ServiceSpec:
    code: str
    carrier: str
    name: str
    days_min: int
    days_max: int
    is_active: bool = True

    @property
    def label(self) -> str:
        return f"{self.carrier} {self.name}"


@dataclass(frozen=True)
class RateSpec:
    id: int
    name: str
    service: ServiceSpec
    kind: str = FLAT
    price: Decimal = ZERO  # flat price, or the price per item
    bands: tuple[Band, ...] = ()
    free_over: Decimal | None = None
    min_weight: Decimal | None = None
    max_weight: Decimal | None = None
    min_subtotal: Decimal | None = None
    max_subtotal: Decimal | None = None
    excluded_tags: frozenset[str] = frozenset()  # lower case
    excluded_categories: tuple[tuple[int, str], ...] = ()  # (id, name)
    handling_fee: Decimal = ZERO


@dataclass(frozen=True)
class ZoneSpec:
    id: int
    name: str
    countries: frozenset[str] = frozenset()
    regions: frozenset[str] = frozenset()
    postal_include: tuple[PostalRule, ...] = ()
    postal_exclude: tuple[PostalRule, ...] = ()
    rates: tuple[RateSpec, ...] = ()
    position: int = 0

    @property
    def level(self) -> int:
        if self.postal_include:
            return POSTAL
        if self.regions:
            return REGION
        if self.countries:
            return COUNTRY
        return WORLD

    def holds(self, destination: Destination) -> bool:
        if self.countries and destination.country not in self.countries:
            return False
        if self.regions and destination.region.upper() not in self.regions:
            return False
        postal = postal_normalized(destination.postal_code)
        if self.postal_include and not any(rule.matches(postal) for rule in self.postal_include):
            return False
        return not (postal and any(rule.matches(postal) for rule in self.postal_exclude))


@dataclass(frozen=True)
class ShippingConfig:
    currency: str
    zones: tuple[ZoneSpec, ...] = ()
    # country → the zones naming it, most specific first; then the rest-of-world zones
    by_country: dict[str, tuple[ZoneSpec, ...]] = field(default_factory=dict, compare=False)
    world: tuple[ZoneSpec, ...] = ()
    services: dict[str, ServiceSpec] = field(default_factory=dict, compare=False)

    @classmethod
    def build(
        cls,
        *,
        currency: str,
        zones: Iterable[ZoneSpec],
        services: Iterable[ServiceSpec] = (),
    ) -> ShippingConfig:
        ordered = tuple(sorted(zones, key=lambda zone: (zone.level, zone.position, zone.id)))
        by_country: dict[str, list[ZoneSpec]] = {}
        for zone in ordered:
            for code in zone.countries:
                by_country.setdefault(code, []).append(zone)
        return cls(
            currency=currency,
            zones=ordered,
            by_country={code: tuple(found) for code, found in by_country.items()},
            world=tuple(zone for zone in ordered if not zone.countries),
            services={service.code: service for service in services},
        )

    @property
    def service_names(self) -> dict[str, str]:
        return {code: service.label for code, service in self.services.items()}


# --- the cart and the answer ------------------------------------------------------------------
@dataclass(frozen=True)
class CartLine:
    sku: str
    quantity: int
    unit_price: Decimal
    weight_kg: Decimal = ZERO  # of one unit
    tags: frozenset[str] = frozenset()  # lower case
    category_ids: frozenset[int] = frozenset()  # its category and that one's ancestors


@dataclass(frozen=True)
class Cart:
    lines: tuple[CartLine, ...]

    @property
    def subtotal(self) -> Decimal:
        return sum((line.unit_price * line.quantity for line in self.lines), ZERO)

    @property
    def weight_kg(self) -> Decimal:
        return sum((line.weight_kg * line.quantity for line in self.lines), ZERO)

    @property
    def item_count(self) -> int:
        return sum(line.quantity for line in self.lines)


@dataclass(frozen=True)
class Destination:
    country: str
    region: str = ""
    postal_code: str = ""


@dataclass(frozen=True)
class ShippingOption:
    rate_id: int
    name: str
    carrier: str
    service: str
    service_code: str
    price: Decimal
    currency: str
    days_min: int
    days_max: int
    earliest: datetime.date | None = None
    latest: datetime.date | None = None
    is_free: bool = False


@dataclass(frozen=True)
class Exclusion:
    name: str
    reason: str
    # its service is turned off: the owner's choice, not a reason a shopper is shown (the
    # storefront API leaves these out; the simulator shows them to the owner)
    is_turned_off: bool = False


@dataclass(frozen=True)
class ShippingQuote:
    zone: str | None  # the zone's name; None when the store does not ship there
    zone_level: str
    options: tuple[ShippingOption, ...]
    excluded: tuple[Exclusion, ...]
    subtotal: Decimal
    weight_kg: Decimal
    currency: str

    @property
    def weight_text(self) -> str:
        return kg_text(self.weight_kg)

    @property
    def shopper_exclusions(self) -> tuple[Exclusion, ...]:
        """What a shopper is told was left out: not the rates of turned-off services."""
        return tuple(e for e in self.excluded if not e.is_turned_off)

    @property
    def turned_off(self) -> tuple[Exclusion, ...]:
        return tuple(e for e in self.excluded if e.is_turned_off)


# --- the rules --------------------------------------------------------------------------------
def country_name(code: str) -> str:
    return str(countries.name(code)) or code


def zone_for(config: ShippingConfig, destination: Destination) -> ZoneSpec | None:
    """The most specific zone holding ``destination`` (see the module's docstring)."""
    candidates = config.by_country.get(destination.country, ())
    for zone in (*candidates, *config.world):  # each part is ordered most specific first
        if zone.holds(destination):
            return zone
    return None


def band_for(bands: Sequence[Band], value: Decimal) -> Band | None:
    for band in bands:
        if band.holds(value):
            return band
    return None


def bands_overlap(bands: Sequence[Band]) -> tuple[Band, Band] | None:
    """The first two bands that share a value, or None."""
    ordered = sorted(bands, key=lambda band: band.lower)
    for before, after in zip(ordered, ordered[1:], strict=False):
        if before.upper is None or after.lower < before.upper:
            return before, after
    return None


def band_gaps(bands: Sequence[Band]) -> list[tuple[Decimal, Decimal]]:
    """Values from 0 up that no band covers, as (from, to) pairs; the last band's open end
    aside, values past the last upper bound are a gap to infinity, reported as (upper, upper)."""
    ordered = sorted(bands, key=lambda band: band.lower)
    gaps: list[tuple[Decimal, Decimal]] = []
    reached = ZERO
    for band in ordered:
        if band.lower > reached:
            gaps.append((reached, band.lower))
        if band.upper is None:
            return gaps
        reached = max(reached, band.upper)
    if ordered:
        gaps.append((reached, reached))
    return gaps


def bands_summary(bands: Sequence[Band], kind: str, currency: str, *, between: str = "; ") -> str:
    """The bands in words: ``0–2 kg: €4.90; 2–5 kg: €6.90; 10 kg and more: €12.90`` (weight)
    or ``€0.00–€20.00: €6.90; €20.00 and more: €0.00`` (subtotal)."""

    def bound(value: Decimal) -> str:
        return f"{value.normalize():f}" if kind == WEIGHT else _money(value, currency)

    unit = " kg" if kind == WEIGHT else ""
    parts = []
    for band in sorted(bands, key=lambda band: band.lower):
        if band.upper is None:
            where = f"{bound(band.lower)}{unit} and more"
        else:
            where = f"{bound(band.lower)}–{bound(band.upper)}{unit}"
        parts.append(f"{where}: {_money(band.price, currency)}")
    return between.join(parts)


def add_business_days(day: datetime.date, count: int) -> datetime.date:
    """``count`` working days (Monday to Friday) after ``day``."""
    while count > 0:
        day += datetime.timedelta(days=1)
        if day.weekday() < 5:
            count -= 1
    return day


def kg_text(value: Decimal) -> str:
    return f"{value.normalize():f} kg"


def _money(value: Decimal, currency: str) -> str:
    return money_format(value, currency)


def _exclusion_reason(rate: RateSpec, cart: Cart, currency: str) -> str | None:
    """Why ``rate`` cannot ship ``cart``, or None (a turned-off service aside)."""
    for line in cart.lines:
        tagged = sorted(line.tags & rate.excluded_tags)
        if tagged:
            return f"not for items tagged “{tagged[0]}” ({line.sku})"
        for category_id, category_name in rate.excluded_categories:
            if category_id in line.category_ids:
                return f"not for items in “{category_name}” ({line.sku})"
    weight, subtotal = cart.weight_kg, cart.subtotal
    if rate.max_weight is not None and weight > rate.max_weight:
        return f"cart weight {kg_text(weight)} is over its {kg_text(rate.max_weight)} limit"
    if rate.min_weight is not None and weight < rate.min_weight:
        return f"cart weight {kg_text(weight)} is under its {kg_text(rate.min_weight)} minimum"
    if rate.max_subtotal is not None and subtotal > rate.max_subtotal:
        return (
            f"subtotal {_money(subtotal, currency)} is over its "
            f"{_money(rate.max_subtotal, currency)} limit"
        )
    if rate.min_subtotal is not None and subtotal < rate.min_subtotal:
        return (
            f"subtotal {_money(subtotal, currency)} is under its "
            f"{_money(rate.min_subtotal, currency)} minimum"
        )
    if rate.kind == WEIGHT and band_for(rate.bands, weight) is None:
        return f"no weight band covers a cart of {kg_text(weight)}"
    if (
        rate.kind == SUBTOTAL
        and band_for(rate.bands, subtotal) is None
        and not is_free_by_threshold(rate, cart)
    ):
        return f"no subtotal band covers {_money(subtotal, currency)}"
    return None


def is_free_by_threshold(rate: RateSpec, cart: Cart) -> bool:
    """The subtotal reached the rate's free-shipping threshold: free, whatever its bands say
    (a threshold past the last subtotal band still gives free shipping above it)."""
    return rate.free_over is not None and cart.subtotal >= rate.free_over


def rate_price(rate: RateSpec, cart: Cart, currency: str) -> tuple[Decimal, bool]:
    """The rate's price for ``cart`` (which it can ship) and whether it is free."""
    if is_free_by_threshold(rate, cart):
        return money_rounded(ZERO, currency), True
    if rate.kind == WEIGHT:
        base = band_for(rate.bands, cart.weight_kg).price  # type: ignore[union-attr]
    elif rate.kind == SUBTOTAL:
        base = band_for(rate.bands, cart.subtotal).price  # type: ignore[union-attr]
    elif rate.kind == PER_ITEM:
        base = rate.price * cart.item_count
    else:
        base = rate.price
    price = money_rounded(base + rate.handling_fee, currency)
    return price, price == ZERO


def shipping_quote(
    config: ShippingConfig,
    cart: Cart,
    destination: Destination,
    *,
    today: datetime.date | None = None,
) -> ShippingQuote:
    """Every rate of the destination's zone as an option with its price and delivery dates
    (when ``today`` is given), or as an exclusion with its reason. Options by price."""
    currency = config.currency
    zone = zone_for(config, destination)
    if zone is None:
        where = country_name(destination.country)
        return ShippingQuote(
            zone=None,
            zone_level="",
            options=(),
            excluded=(Exclusion("Shipping", f"The store does not ship to {where}."),),
            subtotal=cart.subtotal,
            weight_kg=cart.weight_kg,
            currency=currency,
        )
    options: list[ShippingOption] = []
    excluded: list[Exclusion] = []
    for rate in zone.rates:
        if not rate.service.is_active:
            reason = f"{rate.name}: its service {rate.service.label} is turned off"
            excluded.append(Exclusion(rate.name, reason, is_turned_off=True))
            continue
        reason = _exclusion_reason(rate, cart, currency)
        if reason is not None:
            excluded.append(Exclusion(rate.name, f"{rate.name}: {reason}"))
            continue
        price, is_free = rate_price(rate, cart, currency)
        service = rate.service
        options.append(
            ShippingOption(
                rate_id=rate.id,
                name=rate.name,
                carrier=service.carrier,
                service=service.name,
                service_code=service.code,
                price=price,
                currency=currency,
                days_min=service.days_min,
                days_max=service.days_max,
                earliest=add_business_days(today, service.days_min) if today else None,
                latest=add_business_days(today, service.days_max) if today else None,
                is_free=is_free,
            )
        )
    options.sort(key=lambda option: (option.price, option.days_max, option.name))
    return ShippingQuote(
        zone=zone.name,
        zone_level=LEVEL_LABELS[zone.level],
        options=tuple(options),
        excluded=tuple(excluded),
        subtotal=cart.subtotal,
        weight_kg=cart.weight_kg,
        currency=currency,
    )


@dataclass(frozen=True)
class Coverage:
    """Which countries the store ships to. ``shipped``: the countries a zone covers whole
    (countries only: no regions, no postal codes to include; exclusions are carve-outs) with
    a rate on a turned-on service; None when a rest-of-world zone with such a rate takes every
    country no other zone holds. ``partial``: countries only region or postal-code zones cover."""

    shipped: frozenset[str] | None
    partial: frozenset[str] = frozenset()


def _offers_something(zone: ZoneSpec) -> bool:
    return any(rate.service.is_active for rate in zone.rates)


def coverage_of(config: ShippingConfig) -> Coverage:
    offering = [zone for zone in config.zones if _offers_something(zone)]
    if any(zone.level == WORLD for zone in offering):
        return Coverage(shipped=None)
    whole = frozenset(code for zone in offering if zone.level == COUNTRY for code in zone.countries)
    part = frozenset(code for zone in offering if zone.level < COUNTRY for code in zone.countries)
    return Coverage(shipped=whole, partial=part - whole)


def countries_shipped(config: ShippingConfig) -> frozenset[str] | None:
    """The countries shipped to whole (``coverage_of``); None: every country."""
    return coverage_of(config).shipped


# --- zones that can never apply -----------------------------------------------------------------
def rule_within(rule: PostalRule, outer: PostalRule) -> bool:
    """Whether every postal code ``rule`` matches, ``outer`` matches too."""
    if rule.kind == "exact":
        return outer.matches(rule.value)
    if rule.kind == "prefix":
        return outer.kind == "prefix" and rule.value.startswith(outer.value)
    low, high = (f"{n:0{rule.width}d}" for n in (rule.low, rule.high))
    if outer.kind == "range":
        return outer.width == rule.width and outer.low <= rule.low and rule.high <= outer.high
    if outer.kind == "prefix":  # fixed-width digits: the codes between low and high share it
        return low.startswith(outer.value) and high.startswith(outer.value)
    return low == high == outer.value


def _takes_all_of(earlier: ZoneSpec, country: str, region: str | None, rule) -> bool:
    """Whether ``earlier`` holds every destination in ``country`` (``region``, ``rule``: a
    part of it, or None for all)."""
    if earlier.countries and country not in earlier.countries:
        return False
    if earlier.postal_exclude:
        return False
    if earlier.regions and (region is None or region not in earlier.regions):
        return False
    if earlier.postal_include:
        return rule is not None and any(
            rule_within(rule, outer) for outer in earlier.postal_include
        )
    return True


def shadowed_zones(config: ShippingConfig) -> dict[int, tuple[str, ...]]:
    """Zones no destination can fall into, each with the names of the zones that come first
    for all of it: zone → ("DACH",). A zone is shadowed when, for each part of it (a country,
    a region of it, a postal rule), a zone ahead of it in the order ``zone_for`` follows holds
    that whole part."""
    found: dict[int, tuple[str, ...]] = {}
    for index, zone in enumerate(config.zones):
        earlier = config.zones[:index]  # rest-of-world zones come last: only they precede one
        parts = [
            (country, region, rule)
            for country in (sorted(zone.countries) or [""])
            for region in (sorted(zone.regions) or [None])
            for rule in (zone.postal_include or (None,))
        ]
        firsts: set[int] = set()
        for country, region, rule in parts:
            first = next(
                (i for i, e in enumerate(earlier) if _takes_all_of(e, country, region, rule)),
                None,
            )
            if first is None:
                break
            firsts.add(first)
        else:
            found[zone.id] = tuple(earlier[i].name for i in sorted(firsts))
    return found


def postal_code_problem(config: ShippingConfig, destination: Destination) -> str | None:
    """A postal code in the wrong shape for its country's rules: the zones of a country whose
    postal rules are all digits (``10115``, ``10000-19999``) take digit codes only."""
    code = destination.postal_code.strip()
    if not code:
        return None
    if len(code) > 16 or not all(ch.isalnum() or ch in " -" for ch in code):
        return "A postal code has at most 16 letters, digits, spaces or hyphens."
    rules = [
        rule
        for zone in config.by_country.get(destination.country, ())
        for rule in (*zone.postal_include, *zone.postal_exclude)
    ]
    if rules and all(rule.is_numeric for rule in rules) and not postal_normalized(code).isdigit():
        return (
            f"“{code}” is not a postal code of {country_name(destination.country)}: "
            f"its postal codes are digits, e.g. {rules[0].example}."
        )
    return None
