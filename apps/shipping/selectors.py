"""Shipping reads: the lists behind the pages, the engine's config (cached per store), and
the snapshot orders take of a service."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from urllib.parse import quote

from django.db.models import Count, Prefetch, QuerySet
from django.utils.functional import cached_property

from apps.core import configcache
from apps.core.models import Store
from apps.core.money import country_choices, money_format
from apps.core.selectors import object_get
from apps.shipping import engine, inputs
from apps.shipping.models import Carrier, CarrierService, Rate, Zone

CONFIG_CACHE_SECONDS = 60 * 60


# --- pages ------------------------------------------------------------------------------------
def carrier_list(*, store: Store) -> QuerySet[Carrier]:
    return (
        Carrier.objects.for_store(store)
        .prefetch_related(
            Prefetch(
                "services",
                queryset=CarrierService.objects.annotate(rate_count=Count("rates")).order_by(
                    "name"
                ),
            )
        )
        .order_by("name")
    )


def carrier_get(*, store: Store, carrier_id: int) -> Carrier:
    return object_get(Carrier.objects.for_store(store), not_found="No such carrier.", pk=carrier_id)


def service_list(*, store: Store) -> QuerySet[CarrierService]:
    return CarrierService.objects.for_store(store).select_related("carrier")


def service_get(*, store: Store, service_id: int) -> CarrierService:
    return object_get(
        service_list(store=store), not_found="No such carrier service.", pk=service_id
    )


def service_names(*, store: Store) -> dict[str, str]:
    """Each service's code → its name as shoppers and owners read it ("DHL Express")."""
    return shipping_config(store=store).service_names


def service_choices(*, store: Store) -> list[tuple[str, str]]:
    return [(str(s.pk), f"{s} ({s.code})") for s in service_list(store=store)]


def zone_list(*, store: Store) -> QuerySet[Zone]:
    return Zone.objects.for_store(store).annotate(rate_count=Count("rates"))


def zone_get(*, store: Store, zone_id: int) -> Zone:
    return object_get(Zone.objects.for_store(store), not_found="No such zone.", pk=zone_id)


def rate_list(*, store: Store, zone: Zone) -> QuerySet[Rate]:
    return (
        Rate.objects.for_store(store)
        .filter(zone=zone)
        .select_related("service__carrier")
        .prefetch_related("excluded_categories")
    )


def rate_get(*, store: Store, zone: Zone, rate_id: int) -> Rate:
    return object_get(rate_list(store=store, zone=zone), not_found="No such rate.", pk=rate_id)


@dataclass(frozen=True)
class BandGapWarning:
    rate: str
    text: str


def _amount_text(value: Decimal, unit: str) -> str:
    """``2`` → ``2 kg`` for weights; in the store's currency (``unit``) for subtotals."""
    return engine.kg_text(value) if unit == "kg" else money_format(value, unit)


def rate_band_warnings(rates, *, currency: str = "EUR") -> list[BandGapWarning]:
    """Each banded rate's gaps, in words: "Standard: carts from 2 kg up to 3 kg get no price
    from this rate". A subtotal rate is free from its free-shipping threshold on, so its gaps
    stop there; a threshold past the last band says so ("free shipping starts at €50.00 but
    the subtotal bands stop at €40.00")."""
    warnings = []
    for rate in rates:
        if rate.kind not in (engine.WEIGHT, engine.SUBTOTAL) or not rate.bands:
            continue
        is_weight = rate.kind == engine.WEIGHT
        unit = "kg" if is_weight else currency
        noun = "carts" if is_weight else "subtotals"
        free = None if is_weight else rate.free_over
        texts = []
        for low, high in engine.band_gaps(inputs.bands_from_json(rate.bands)):
            if free is not None and low >= free:
                continue  # free from the threshold on: no price needed
            if low == high and free is not None:
                texts.append(
                    f"free shipping starts at {_amount_text(free, unit)} but the subtotal bands "
                    f"stop at {_amount_text(low, unit)}: {noun} from {_amount_text(low, unit)} "
                    f"up to {_amount_text(free, unit)} get no price"
                )
            elif low == high:
                texts.append(f"{noun} of {_amount_text(low, unit)} and more get no price")
            else:
                high = min(high, free) if free is not None else high
                texts.append(
                    f"{noun} from {_amount_text(low, unit)} up to {_amount_text(high, unit)} "
                    "get no price"
                )
        warnings.extend(
            BandGapWarning(rate.name, f"{rate.name}: {text} from this rate.") for text in texts
        )
    return warnings


# --- the engine's config, cached per store ------------------------------------------------------
def shipping_config_forget(store: Store) -> None:
    """Every write to the store's carriers, services, zones or rates calls this: a new config
    version, so every process rebuilds on its next read (apps/core/configcache.py)."""
    configcache.config_version_bump(store.pk)


def _service_spec(service: CarrierService) -> engine.ServiceSpec:
    return engine.ServiceSpec(
        code=service.code,
        carrier=service.carrier.name,
        name=service.name,
        days_min=service.days_min,
        days_max=service.days_max,
        is_active=service.is_active,
    )


def _rate_spec(rate: Rate, service: engine.ServiceSpec) -> engine.RateSpec:
    return engine.RateSpec(
        id=rate.pk,
        name=rate.name,
        service=service,
        kind=rate.kind,
        price=rate.price,
        bands=inputs.bands_from_json(rate.bands),
        free_over=rate.free_over,
        min_weight=rate.min_weight,
        max_weight=rate.max_weight,
        min_subtotal=rate.min_subtotal,
        max_subtotal=rate.max_subtotal,
        excluded_tags=frozenset(tag.lower() for tag in rate.excluded_tags),
        excluded_categories=tuple((c.pk, c.name) for c in rate.excluded_categories.all()),
        handling_fee=rate.handling_fee,
    )


def shipping_config_build(*, store: Store) -> engine.ShippingConfig:
    """The store's zones and rates as the engine's plain data (four queries)."""
    services = {s.pk: _service_spec(s) for s in service_list(store=store)}
    rates_by_zone: dict[int, list[engine.RateSpec]] = {}
    rates = Rate.objects.for_store(store).prefetch_related("excluded_categories")
    for rate in rates.order_by("position", "name", "pk"):
        rates_by_zone.setdefault(rate.zone_id, []).append(
            _rate_spec(rate, services[rate.service_id])
        )
    zones = [
        engine.ZoneSpec(
            id=zone.pk,
            name=zone.name,
            countries=frozenset(zone.countries),
            regions=frozenset(zone.regions),
            postal_include=tuple(inputs.postal_rule(text) for text in zone.postal_include),
            postal_exclude=tuple(inputs.postal_rule(text) for text in zone.postal_exclude),
            rates=tuple(rates_by_zone.get(zone.pk, ())),
            position=zone.position,
        )
        for zone in Zone.objects.for_store(store).order_by("position", "name")
    ]
    return engine.ShippingConfig.build(
        currency=store.currency, zones=zones, services=services.values()
    )


def shipping_config(*, store: Store) -> engine.ShippingConfig:
    """The cached config (built on the first read after a change): the process's own copy while
    the store's config version is unchanged, so a read costs one small cache GET per request."""
    return configcache.store_config(
        "shipping",
        store.pk,
        lambda: shipping_config_build(store=store),
        timeout=CONFIG_CACHE_SECONDS,
        usable=lambda config: config.currency == store.currency,
    )


# --- what the zones page says about coverage ---------------------------------------------------
@dataclass(frozen=True)
class Coverage:
    shipped: frozenset[str] | None  # None: a rest-of-world zone with rates covers the rest
    partial: frozenset[str] = frozenset()  # only region or postal-code zones cover them

    @cached_property
    def unshipped_names(self) -> list[str]:
        """Countries no zone covers at all (not even a part of them)."""
        if self.shipped is None:
            return []
        covered = self.shipped | self.partial
        return [name for code, name in country_choices() if code not in covered]

    @cached_property
    def partial_names(self) -> list[str]:
        if self.shipped is None:
            return []
        return [name for code, name in country_choices() if code in self.partial]


def coverage(*, store: Store) -> Coverage:
    """Which countries the store ships to, by ``engine.coverage_of``: only a zone taking the
    whole country (or the rest of the world) with a rate on a turned-on service covers it."""
    found = engine.coverage_of(shipping_config(store=store))
    return Coverage(found.shipped, found.partial)


def shadowed_zones(*, store: Store) -> dict[int, str]:
    """Zone id → which zones come first for all of it, as words ("“DACH” comes first",
    "“Germany” and “Austria” come first"), for zones no destination can fall into."""
    return {
        zone_id: _names(names)
        for zone_id, names in engine.shadowed_zones(shipping_config(store=store)).items()
    }


def _names(names: tuple[str, ...]) -> str:
    quoted = [f"“{name}”" for name in names]
    if len(quoted) == 1:
        return f"{quoted[0]} comes first"
    return ", ".join(quoted[:-1]) + f" and {quoted[-1]} come first"


# --- for orders: the service as it was when the order was placed --------------------------------
@dataclass(frozen=True)
class OrderService:
    code: str
    carrier_name: str
    service_name: str
    tracking_url_template: str
    days_min: int
    days_max: int

    def tracking_url(self, tracking_number: str) -> str:
        if not self.tracking_url_template or not tracking_number:
            return ""
        return self.tracking_url_template.replace(
            inputs.TRACKING_PLACEHOLDER, quote(tracking_number.strip(), safe="")
        )


def service_for_order(*, store: Store, code: str) -> OrderService | None:
    """The store's carrier service with ``code`` as plain data an order keeps (a snapshot, so
    later edits to the service never change a placed order), or None."""
    service = service_list(store=store).filter(code=str(code or "").strip().lower()).first()
    if service is None:
        return None
    return OrderService(
        code=service.code,
        carrier_name=service.carrier.name,
        service_name=service.name,
        tracking_url_template=service.tracking_url_template,
        days_min=service.days_min,
        days_max=service.days_max,
    )
