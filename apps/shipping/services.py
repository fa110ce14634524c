"""Shipping writes: carriers, services, zones and rates. Each checks its input with
``inputs``, writes the audit entry with the diff, and forgets the store's cached config."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Max

from apps.audit.services import audit_record, changes_between
from apps.catalog.selectors import category_list
from apps.core.exceptions import DomainError, ErrorCollector, NotFound, too_long_message
from apps.core.models import Store
from apps.shipping import engine, inputs
from apps.shipping.models import Carrier, CarrierService, Rate, RateKind, Zone
from apps.shipping.selectors import shipping_config_forget

CARRIER_FIELDS = ("name",)
SERVICE_FIELDS = ("name", "code", "days_min", "days_max", "tracking_url_template", "is_active")
ZONE_FIELDS = ("name", "countries", "regions", "postal_include", "postal_exclude", "position")
RATE_FIELDS = (
    "name",
    "service",
    "kind",
    "price",
    "bands",
    "free_over",
    "min_weight",
    "max_weight",
    "min_subtotal",
    "max_subtotal",
    "excluded_tags",
    "handling_fee",
    "position",
)


def _snapshot(obj, fields: Iterable[str]) -> dict[str, Any]:
    return {name: getattr(obj, name) for name in fields}


def _changed(store: Store) -> None:
    shipping_config_forget(store)
    transaction.on_commit(lambda: shipping_config_forget(store))


def _line(value: Any, *, field: str, label: str, limit: int = 80) -> str:
    text = " ".join(str(value or "").split())
    if not text:
        raise DomainError(f"Enter a {label}.", field=field)
    if len(text) > limit:
        raise DomainError(too_long_message(label, limit=limit, entered=len(text)), field=field)
    return text


def _save(obj, *, unique_message: str, unique_field: str = "name") -> None:
    try:
        with transaction.atomic():
            obj.save()
    except IntegrityError:
        raise DomainError(unique_message, field=unique_field) from None


def _record(store, actor, action, obj, before: dict, fields) -> None:
    changes = changes_between(before, _snapshot(obj, fields))
    if changes:
        audit_record(store=store, actor=actor, action=action, target=obj, changes=changes)


def _deleted(store: Store, actor, noun: str, obj, changes: dict) -> None:
    """Audit the deletion (with what identified the object), delete it, forget the config."""
    audit_record(store=store, actor=actor, action=f"{noun}.deleted", target=obj, changes=changes)
    obj.delete()
    _changed(store)


def _own(store: Store, obj, label: str):
    if obj is None or obj.store_id != store.pk:
        raise NotFound(f"This {label} does not exist in this store.", field=label)
    return obj


# --- carriers ---------------------------------------------------------------------------------
def _carrier_name_taken(name: str) -> str:
    return f"There is already a carrier named “{name}”."


@transaction.atomic
def carrier_create(*, store: Store, actor, name: str) -> Carrier:
    carrier = Carrier(store=store, name=_line(name, field="name", label="name"))
    _save(carrier, unique_message=_carrier_name_taken(carrier.name))
    audit_record(
        store=store, actor=actor, action="carrier.created", target=carrier,
        changes={"name": [None, carrier.name]},
    )  # fmt: skip
    _changed(store)
    return carrier


@transaction.atomic
def carrier_update(*, store: Store, actor, carrier: Carrier, name: str) -> Carrier:
    _own(store, carrier, "carrier")
    before = _snapshot(carrier, CARRIER_FIELDS)
    carrier.name = _line(name, field="name", label="name")
    _save(carrier, unique_message=_carrier_name_taken(carrier.name))
    _record(store, actor, "carrier.updated", carrier, before, CARRIER_FIELDS)
    _changed(store)
    return carrier


@transaction.atomic
def carrier_delete(*, store: Store, actor, carrier: Carrier) -> None:
    _own(store, carrier, "carrier")
    if Rate.objects.for_store(store).filter(service__carrier=carrier).exists():
        raise DomainError(
            f"“{carrier.name}” can't be deleted while rates use its services; delete or move "
            "those rates first.",
            field="carrier",
        )
    _deleted(store, actor, "carrier", carrier, {"name": [carrier.name, None]})


# --- services ---------------------------------------------------------------------------------
def _service_values(
    *, name, code, days_min, days_max, tracking_url_template="", is_active=True
) -> dict:
    found = ErrorCollector()
    values = {
        "name": found.run(_line, name, field="name", label="name"),
        "code": found.run(inputs.code, code),
        "tracking_url_template": found.run(inputs.tracking_url_template, tracking_url_template),
        "is_active": bool(is_active),
    }
    days = found.run(inputs.delivery_days, days_min, days_max)
    found.raise_any()
    values["days_min"], values["days_max"] = days
    return values


def _code_taken(code: str) -> str:
    return f"Another service already uses the code “{code}”."


@transaction.atomic
def service_create(*, store: Store, actor, carrier: Carrier, **values) -> CarrierService:
    _own(store, carrier, "carrier")
    service = CarrierService(store=store, carrier=carrier, **_service_values(**values))
    _save(service, unique_message=_code_taken(service.code), unique_field="code")
    audit_record(
        store=store, actor=actor, action="service.created", target=service,
        changes=changes_between({}, _snapshot(service, SERVICE_FIELDS)),
    )  # fmt: skip
    _changed(store)
    return service


@transaction.atomic
def service_update(*, store: Store, actor, service: CarrierService, **values) -> CarrierService:
    _own(store, service, "service")
    before = _snapshot(service, SERVICE_FIELDS)
    for name, value in _service_values(**values).items():
        setattr(service, name, value)
    _save(service, unique_message=_code_taken(service.code), unique_field="code")
    _record(store, actor, "service.updated", service, before, SERVICE_FIELDS)
    _changed(store)
    return service


@transaction.atomic
def service_delete(*, store: Store, actor, service: CarrierService) -> None:
    _own(store, service, "service")
    used = service.rates.count()
    if used:
        raise DomainError(
            f"“{service}” can't be deleted while {used} rate(s) use it; delete those rates or "
            "turn the service off instead.",
            field="service",
        )
    _deleted(store, actor, "service", service, {"code": [service.code, None]})


# --- zones ------------------------------------------------------------------------------------
def _zone_values(
    *, name, countries=(), regions=(), postal_include=(), postal_exclude=(), position=None
) -> dict:
    found = ErrorCollector()
    values = {
        "name": found.run(_line, name, field="name", label="name"),
        "countries": found.run(inputs.country_list, countries),
        "regions": found.run(inputs.region_list, regions),
        "postal_include": found.run(inputs.postal_rules, postal_include, field="postal_include"),
        "postal_exclude": found.run(inputs.postal_rules, postal_exclude, field="postal_exclude"),
    }
    if not found.failed("countries", "regions", "postal_include"):
        found.run(
            inputs.zone_scope, values["countries"], values["regions"], values["postal_include"]
        )
    if position is not None and str(position).strip() != "":
        values["position"] = found.run(_position, position)
    found.raise_any()
    return values


def _position(value) -> int:
    try:
        return max(0, int(str(value).strip()))
    except (TypeError, ValueError):
        raise DomainError("The position is a whole number, e.g. 0.", field="position") from None


def _zone_name_taken(name: str) -> str:
    return f"There is already a zone named “{name}”."


@transaction.atomic
def zone_create(*, store: Store, actor, **values) -> Zone:
    cleaned = _zone_values(**values)
    if "position" not in cleaned:
        last = Zone.objects.for_store(store).aggregate(last=Max("position"))["last"]
        cleaned["position"] = 0 if last is None else last + 1
    zone = Zone(store=store, **cleaned)
    _save(zone, unique_message=_zone_name_taken(zone.name))
    audit_record(
        store=store, actor=actor, action="zone.created", target=zone,
        changes=changes_between({}, _snapshot(zone, ZONE_FIELDS)),
    )  # fmt: skip
    _changed(store)
    return zone


@transaction.atomic
def zone_update(*, store: Store, actor, zone: Zone, **values) -> Zone:
    _own(store, zone, "zone")
    before = _snapshot(zone, ZONE_FIELDS)
    for name, value in _zone_values(**values).items():
        setattr(zone, name, value)
    _save(zone, unique_message=_zone_name_taken(zone.name))
    _record(store, actor, "zone.updated", zone, before, ZONE_FIELDS)
    _changed(store)
    return zone


@transaction.atomic
def zone_delete(*, store: Store, actor, zone: Zone) -> None:
    _own(store, zone, "zone")
    rate_count = zone.rates.count()
    _deleted(store, actor, "zone", zone, {"name": [zone.name, None], "rates": [rate_count, 0]})


# --- rates ------------------------------------------------------------------------------------
def _categories(store: Store, value) -> list:
    """The store's categories with these ids (or these categories), all of them or a refusal."""
    ids = []
    for item in value or ():
        try:
            ids.append(int(getattr(item, "pk", item)))
        except (TypeError, ValueError):
            raise DomainError(
                "Pick categories from the list.", field="excluded_categories"
            ) from None
    found = list(category_list(store=store).filter(pk__in=ids))
    if len(found) != len(set(ids)):
        raise DomainError("Pick categories from the list.", field="excluded_categories")
    return found


RATE_AMOUNTS = inputs.RATE_AMOUNTS


def _rate_values(
    store: Store,
    *,
    service,
    kind=RateKind.FLAT,
    name="",
    bands="",
    excluded_tags=(),
    position=None,
    **amounts,
) -> dict:
    unknown = set(amounts) - set(RATE_AMOUNTS)
    if unknown:
        raise TypeError(f"unknown rate fields: {sorted(unknown)}")
    found = ErrorCollector()
    if not isinstance(service, CarrierService) or service.store_id != store.pk:
        found.add("Pick a carrier service from the list.", field="service")
        service = None
    if kind not in RateKind.values:
        found.add("Pick how the rate is priced.", field="kind")
        kind = RateKind.FLAT
    currency = store.currency
    values = {
        field: found.run(
            inputs.amount,
            amounts.get(field),
            field=field,
            label=label,
            maximum=maximum,
            currency=currency,
        )
        for field, (label, maximum) in RATE_AMOUNTS.items()
        if field != "price"
    }
    values["price"] = found.run(
        inputs.rate_price, amounts.get("price"), kind=kind, currency=currency
    )
    values["handling_fee"] = values["handling_fee"] or Decimal("0.00")
    if isinstance(bands, list | tuple):
        band_list = list(bands)
    else:
        band_list = found.run(inputs.rate_bands, bands, kind=kind, currency=currency) or []
    name = " ".join(str(name or "").split()) or (str(service.name) if service else "")
    if len(name) > 80:
        found.add("The name is longer than 80 characters.", field="name")
    for low, high, label, unit in (
        ("min_weight", "max_weight", "weight", {"kg": True}),
        ("min_subtotal", "max_subtotal", "subtotal", {"currency": currency}),
    ):
        if not found.failed(low, high):
            found.run(inputs.limits, values[low], values[high], field=high, label=label, **unit)
    if position not in (None, ""):
        position = found.run(_position, position)
    found.raise_any()
    return {
        **values,
        "name": name,
        "service": service,
        "kind": kind,
        "bands": inputs.bands_to_json(band_list),
        "excluded_tags": sorted({tag.lower() for tag in inputs.items(excluded_tags)}),
        **({} if position in (None, "") else {"position": position}),
    }


def _rate_snapshot(rate: Rate, currency: str) -> dict:
    """The rate as the audit log compares it: the service by name, the bands in words in the
    store's currency ("0–2 kg: €4.90; 2–5 kg: €6.90"), the categories by name."""
    snapshot = _snapshot(rate, RATE_FIELDS)
    snapshot["service"] = str(rate.service)
    bands = inputs.bands_from_json(rate.bands)
    snapshot["bands"] = engine.bands_summary(bands, rate.kind, currency) if bands else ""
    snapshot["excluded_categories"] = sorted(c.name for c in rate.excluded_categories.all())
    return snapshot


def _rate_name_taken(name: str) -> str:
    return f"This zone already has a rate named “{name}”."


@transaction.atomic
def rate_create(*, store: Store, actor, zone: Zone, excluded_categories=(), **values) -> Rate:
    _own(store, zone, "zone")
    cleaned = _rate_values(store, **values)
    if not values.get("position"):  # a new rate goes last in its zone
        last = zone.rates.aggregate(last=Max("position"))["last"]
        cleaned["position"] = 0 if last is None else last + 1
    categories = _categories(store, excluded_categories)
    rate = Rate(store=store, zone=zone, **cleaned)
    _save(rate, unique_message=_rate_name_taken(rate.name))
    rate.excluded_categories.set(categories)
    audit_record(
        store=store, actor=actor, action="rate.created", target=rate,
        changes=changes_between({}, _rate_snapshot(rate, store.currency)),
    )  # fmt: skip
    _changed(store)
    return rate


@transaction.atomic
def rate_update(*, store: Store, actor, rate: Rate, excluded_categories=(), **values) -> Rate:
    _own(store, rate, "rate")
    before = _rate_snapshot(rate, store.currency)
    for name, value in _rate_values(store, **values).items():
        setattr(rate, name, value)
    _save(rate, unique_message=_rate_name_taken(rate.name))
    rate.excluded_categories.set(_categories(store, excluded_categories))
    changes = changes_between(before, _rate_snapshot(rate, store.currency))
    if changes:
        audit_record(store=store, actor=actor, action="rate.updated", target=rate, changes=changes)
    _changed(store)
    return rate


@transaction.atomic
def rate_delete(*, store: Store, actor, rate: Rate) -> None:
    _own(store, rate, "rate")
    _deleted(
        store, actor, "rate", rate, {"name": [rate.name, None], "zone": [rate.zone.name, None]}
    )


# the checks of a zone's and a rate's values, by the name the CSV import (apps/shipping/io) calls
zone_values_check = _zone_values
rate_values_check = _rate_values
