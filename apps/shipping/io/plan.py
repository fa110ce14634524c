"""What importing a zones-and-rates file would do: every bad row with its column and reason, and
the zones and rates to add, change and (replace all) delete. The dry run shows the plan; the run
builds it again and applies it (``plan_apply``) in one transaction, only when no row is bad.

Every value is checked by the same functions as the zone and rate forms and services
(``services.zone_values_check`` / ``rate_values_check`` over ``inputs``); a row gets every
problem of its cells at once (a cell at fault is set aside and the check runs again).

Matching: a zone by its name; a rate by its zone and carrier service. When a zone holds several
rates of one service (in the file or in the store), the rate's name tells them apart. Other rows
add zones and rates. ``merge`` keeps what the file does not name; ``replace`` deletes it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from django.db.models import Max

from apps.catalog.selectors import category_choices, category_list
from apps.core.exceptions import DomainError
from apps.core.models import Store
from apps.core.tabular import ImportFileError
from apps.shipping import inputs, services
from apps.shipping.io import format as fmt
from apps.shipping.models import CarrierService, Rate, RateKind, Zone

MERGE, REPLACE = "merge", "replace"
MAX_ROWS = 20_000
MAX_ERRORS_KEPT = 1_000
PROGRESS_EVERY = 500
CREATE_BATCH = 500
# bulk_update writes one CASE per column over its batch: small batches keep that cheap
UPDATE_BATCH = 100
KIND_WORDS = {
    **{value: value for value in RateKind.values},
    **{str(label).lower(): value for value, label in RateKind.choices},
    "per item": RateKind.PER_ITEM,
    "per-item": RateKind.PER_ITEM,
}
KIND_MESSAGE = "Write how the rate is priced: flat, weight, subtotal or per_item."
BAND_LINE = re.compile(r"^Line (\d+):")


# --- the store's shipping as the import reads it ------------------------------------------------
@dataclass
class ShippingTables:
    currency: str
    zones: dict[str, Zone]  # by name
    rates: dict[int, list[Rate]]  # zone id → its rates (with their service)
    rate_categories: dict[int, list[int]]  # rate id → the ids of the categories it excludes
    services: dict[str, CarrierService]  # by code
    categories: dict[str, Any]  # the catalog's categories by path key (``home › kitchen``)
    paths: dict[int, str]  # category id → path

    def zone_rates(self, name: str) -> list[Rate]:
        zone = self.zones.get(name)
        return self.rates.get(zone.pk, []) if zone else []

    def rate_paths(self, rate: Rate) -> list[str]:
        """The paths of the categories the rate excludes (``Home > Kitchen``)."""
        return sorted(self.paths[pk] for pk in self.rate_categories.get(rate.pk, ()))


def shipping_tables_load(*, store: Store) -> ShippingTables:
    """The store's zones, rates, services and categories: a few queries by store, whatever
    their number (no list of ids sent back)."""
    rates: dict[int, list[Rate]] = {}
    for rate in Rate.objects.for_store(store).select_related("service"):
        rates.setdefault(rate.zone_id, []).append(rate)
    rate_categories: dict[int, list[int]] = {}
    links = Rate.excluded_categories.through.objects.filter(rate__store=store)
    for rate_id, category_id in links.values_list("rate_id", "category_id"):
        rate_categories.setdefault(rate_id, []).append(category_id)
    categories = {c.pk: c for c in category_list(store=store)}
    # the catalog export's way of writing a path: "Home > Kitchen"
    paths = {int(pk): path.replace(" › ", " > ") for pk, path in category_choices(store=store)}
    return ShippingTables(
        currency=store.currency,
        zones={zone.name: zone for zone in Zone.objects.for_store(store)},
        rates=rates,
        rate_categories=rate_categories,
        services={s.code: s for s in CarrierService.objects.for_store(store)},
        categories={fmt.category_path_key(path): categories[pk] for pk, path in paths.items()},
        paths=paths,
    )


# --- the plan -----------------------------------------------------------------------------------
@dataclass
class ZonePlan:
    name: str
    row: int  # its first row
    cells: dict[str, str]
    values: dict[str, Any] | None  # None: its cells have errors
    existing: Zone | None

    @cached_property
    def changed(self) -> bool:
        if self.existing is None or self.values is None:
            return True
        return any(getattr(self.existing, key) != value for key, value in self.values.items())


@dataclass
class RatePlan:
    row: int
    zone: str
    service: CarrierService
    cells: dict[str, str]  # the rate's cells the file has
    existing: Rate | None = None
    existing_categories: frozenset[int] = frozenset()
    values: dict[str, Any] | None = None
    categories: list[Any] = field(default_factory=list)  # the categories it excludes

    @property
    def name(self) -> str:
        return self.values["name"] if self.values else ""

    @cached_property
    def changed(self) -> bool:
        rate = self.existing
        if rate is None or self.values is None:
            return True
        for key, value in self.values.items():
            if key == "bands":
                if inputs.bands_from_json(rate.bands) != inputs.bands_from_json(value):
                    return True
            elif key == "service":
                if rate.service_id != value.pk:
                    return True
            elif getattr(rate, key) != value:
                return True
        return self.existing_categories != {c.pk for c in self.categories}


@dataclass
class ImportPlan:
    mode: str
    headers: dict[str, str]  # column → the file's header for it
    ignored: list[str]
    rows: int = 0
    errors: list[dict] = field(default_factory=list)
    error_count: int = 0
    error_rows: set[int] = field(default_factory=set)
    zones: dict[str, ZonePlan] = field(default_factory=dict)
    rates: list[RatePlan] = field(default_factory=list)
    zones_deleted: list[Zone] = field(default_factory=list)
    rates_deleted: list[Rate] = field(default_factory=list)  # of the zones the file keeps
    rates_of_deleted_zones: int = 0

    def error(self, row: int, column: str, message: str) -> None:
        self.error_count += 1
        self.error_rows.add(row)
        if len(self.errors) < MAX_ERRORS_KEPT:
            header = self.headers.get(column, column)
            self.errors.append({"row": row, "column": header, "message": message})

    def counts(self) -> dict[str, int]:
        zones = list(self.zones.values())
        return {
            "rows": self.rows,
            "zones_created": sum(1 for z in zones if z.existing is None),
            "zones_updated": sum(1 for z in zones if z.existing is not None and z.changed),
            "zones_unchanged": sum(1 for z in zones if z.existing is not None and not z.changed),
            "zones_deleted": len(self.zones_deleted),
            "rates_created": sum(1 for r in self.rates if r.existing is None),
            "rates_updated": sum(1 for r in self.rates if r.existing is not None and r.changed),
            "rates_unchanged": sum(
                1 for r in self.rates if r.existing is not None and not r.changed
            ),
            "rates_deleted": len(self.rates_deleted) + self.rates_of_deleted_zones,
            "error_rows": len(self.error_rows),
            "error_count": self.error_count,
        }

    def summary(self) -> dict:
        counts = self.counts()
        return {
            **counts,
            "unchanged": counts["zones_unchanged"] + counts["rates_unchanged"],
            "mode": self.mode,
            "errors": sorted(self.errors, key=lambda e: e["row"]),
            "ignored_columns": self.ignored,
        }


def header_columns(headers: list[str]) -> tuple[dict[str, int], dict[str, str], list[str]]:
    """The file's columns: column → index, column → the file's header, the headers ignored."""
    indexes: dict[str, int] = {}
    names: dict[str, str] = {}
    ignored: list[str] = []
    for index, header in enumerate(headers):
        key = fmt.column_key(header)
        if key not in fmt.COLUMN_NAMES:
            if header.strip():
                ignored.append(header)
            continue
        if key in indexes:
            raise ImportFileError(
                f"The column “{header}” appears more than once; each column may appear once."
            )
        indexes[key] = index
        names[key] = header
    missing = [name for name in fmt.REQUIRED_COLUMNS if name not in indexes]
    if missing:
        shown = ", ".join(f"“{h[:30]}”" for h in headers[:5] if h) or "none"
        raise ImportFileError(
            "This doesn't look like a file of shipping zones: it has no “zone” column "
            f"(found {shown}). Export your zones to get a file with every column."
        )
    return indexes, names, ignored


# --- checking one row's cells -------------------------------------------------------------------
def _message(error: DomainError) -> str:
    if error.field == "kind":
        return KIND_MESSAGE
    if error.field == "bands":
        return BAND_LINE.sub(lambda m: f"Band {m.group(1)}:", error.message, count=1)
    return error.message


def _errors_of(check: Callable[..., dict], values: dict[str, Any]) -> tuple[dict | None, list]:
    try:
        return check(**values), []
    except DomainError as error:
        return None, list(getattr(error, "errors", None) or [error])


def _checked(
    check: Callable[..., dict], values: dict[str, Any], columns: dict[str, str]
) -> tuple[dict | None, list[tuple[str, str]]]:
    """``check(**values)`` with every field's error (the services report them all at once).
    A rate whose kind is unknown is checked again as its likeliest kind, so that its bands and
    price get the verdicts they would have. ``columns``: field → file column."""
    cleaned, errors = _errors_of(check, values)
    kind_errors = [error for error in errors if error.field == "kind"]
    if kind_errors and "kind" in values:
        _cleaned, again = _errors_of(check, {**values, "kind": _likely_kind(values)})
        errors = kind_errors + [error for error in again if error.field != "kind"]
    problems = [(columns.get(e.field or "", e.field or ""), _message(e)) for e in errors]
    return (None if problems else cleaned), problems


def _likely_kind(values: dict[str, Any]) -> str:
    return RateKind.WEIGHT if str(values.get("bands") or "").strip() else RateKind.FLAT


def _zone_check(cells: dict[str, str]) -> tuple[dict | None, list[tuple[str, str]]]:
    values = {
        "name": cells["zone"],
        "countries": cells["countries"],
        "regions": cells["regions"],
        "postal_include": cells["postal_include"],
        "postal_exclude": cells["postal_exclude"],
        "position": cells["zone_position"],
    }
    return _checked(services.zone_values_check, values, fmt.ZONE_FIELD_COLUMNS)


def _rate_check(store: Store, rate: RatePlan, cells: dict[str, str]):
    kind_text = cells["kind"].strip()
    values = {
        "service": rate.service,
        "kind": KIND_WORDS.get(kind_text.lower(), kind_text) if kind_text else RateKind.FLAT,
        "name": cells["rate"],
        "bands": fmt.bands_text(cells["bands"]),
        "excluded_tags": cells["excluded_tags"],
        "position": cells["rate_position"],
        **{name: cells[name] for name in fmt.MONEY_COLUMNS + fmt.WEIGHT_COLUMNS},
    }

    def check(**values):
        return services.rate_values_check(store, **values)

    return _checked(check, values, fmt.RATE_FIELD_COLUMNS)


# --- building the plan --------------------------------------------------------------------------
def plan_build(
    *,
    store: Store,
    headers: list[str],
    rows: Iterable[tuple[int, list[str]]],
    mode: str,
    progress: Callable[[int], None] | None = None,
    tables: ShippingTables | None = None,
) -> ImportPlan:
    """Read and check every row against the store's zones and rates; writes nothing.

    Raises ``ImportFileError`` for a file that can't be read as zones and rates at all."""
    indexes, names, ignored = header_columns(headers)
    tables = tables or shipping_tables_load(store=store)
    plan = ImportPlan(mode=mode, headers=names, ignored=ignored)
    pending: list[RatePlan] = []
    for count, (row_number, cells) in enumerate(rows, start=1):
        if count > MAX_ROWS:
            raise ImportFileError(
                f"The file has more than {MAX_ROWS:,} rows; an import reads at most that many. "
                "Split it into smaller files."
            )
        plan.rows = count
        given = {
            name: (cells[index].strip() if index < len(cells) else "")
            for name, index in indexes.items()
        }
        zone = _zone_row(plan, tables, row_number, given)
        if zone is not None:
            rate = _rate_row(plan, tables, row_number, zone, given)
            if rate is not None:
                pending.append(rate)
        if progress and count % PROGRESS_EVERY == 0:
            progress(count)
    _rates_match(plan, tables, pending)
    for rate in pending:
        _rate_values(plan, store, tables, rate)
    _names_check(plan, tables)
    if mode == REPLACE:
        kept = {rate.existing.pk for rate in plan.rates if rate.existing is not None}
        for name, zone in tables.zones.items():
            if name not in plan.zones:
                plan.zones_deleted.append(zone)
                plan.rates_of_deleted_zones += len(tables.zone_rates(name))
            else:
                plan.rates_deleted.extend(r for r in tables.zone_rates(name) if r.pk not in kept)
    if progress:
        progress(plan.rows)
    return plan


def _zone_row(plan: ImportPlan, tables: ShippingTables, row: int, given: dict) -> str | None:
    """Check the row's zone columns; the zone's name, or None when it has none."""
    name = " ".join(given.get("zone", "").split())
    if not name:
        plan.error(row, "zone", "Enter the zone's name; rows with the same name are one zone.")
        return None
    existing = tables.zones.get(name)
    fallback = fmt.zone_cells(existing) if existing else {}
    cells = {col: given.get(col, fallback.get(col, "")) for col in fmt.ZONE_COLUMN_NAMES}
    first = plan.zones.get(name)
    if first is None:
        values, problems = _zone_check(cells)
        for column, message in problems:
            plan.error(row, column, message)
        plan.zones[name] = ZonePlan(name, row, cells, values, existing)
        return name
    if cells == first.cells:
        return name
    values, problems = _zone_check(cells)
    for column, message in problems:
        plan.error(row, column, message)
    if values is not None and first.values is not None:
        for column, key in (
            ("countries", "countries"),
            ("regions", "regions"),
            ("postal_include", "postal_include"),
            ("postal_exclude", "postal_exclude"),
            ("zone_position", "position"),
        ):
            if values.get(key) != first.values.get(key):
                plan.error(
                    row,
                    column,
                    f"The zone “{name}” has other {plan.headers.get(column, column)} on row "
                    f"{first.row}; write a zone's columns the same on each of its rows.",
                )
    return name


def _rate_row(
    plan: ImportPlan, tables: ShippingTables, row: int, zone: str, given: dict
) -> RatePlan | None:
    cells = {col: given[col] for col in fmt.RATE_COLUMN_NAMES if col in given}
    if not any(cells.values()):
        return None  # a zone without rates
    code_text = cells.get("service", "")
    if not code_text:
        plan.error(
            row,
            "service",
            "Enter the code of the rate's carrier service, e.g. dhl-express, or leave every "
            "rate column empty for a zone without rates.",
        )
        return None
    try:
        code = inputs.code(code_text, field="service", label="service code")
    except DomainError as error:
        plan.error(row, "service", error.message)
        return None
    service = tables.services.get(code)
    if service is None:
        known = ", ".join(sorted(tables.services)[:5]) or "none yet"
        plan.error(
            row,
            "service",
            f"No carrier service has the code “{code}”. Add it under Shipping → Carriers, "
            f"or use one of the store's codes ({known}).",
        )
        return None
    return RatePlan(row=row, zone=zone, service=service, cells=cells)


def _rates_match(plan: ImportPlan, tables: ShippingTables, pending: list[RatePlan]) -> None:
    """Each row's existing rate: the zone's one rate of its service, else the one of that
    service with the row's name."""
    groups: dict[tuple[str, int], list[RatePlan]] = {}
    for rate in pending:
        groups.setdefault((rate.zone, rate.service.pk), []).append(rate)
    for (zone, service_id), rows in groups.items():
        candidates = [r for r in tables.zone_rates(zone) if r.service_id == service_id]
        if len(rows) == 1 and len(candidates) == 1:
            rows[0].existing = candidates[0]
        else:
            by_name = {rate.name: rate for rate in candidates}
            for rate in rows:
                name = " ".join(rate.cells.get("rate", "").split()) or rate.service.name
                rate.existing = by_name.pop(name, None)
        for rate in rows:
            if rate.existing is not None:
                ids = tables.rate_categories.get(rate.existing.pk, ())
                rate.existing_categories = frozenset(ids)


def _rate_values(plan: ImportPlan, store: Store, tables: ShippingTables, rate: RatePlan) -> None:
    fallback = (
        fmt.rate_cells(
            rate.existing, currency=tables.currency, categories=tables.rate_paths(rate.existing)
        )
        if rate.existing is not None
        else fmt.EMPTY_RATE
    )
    cells = {col: rate.cells.get(col, fallback[col]) for col in fmt.RATE_COLUMN_NAMES}
    values, problems = _rate_check(store, rate, cells)
    for path in fmt.category_paths(cells["excluded_categories"]):
        category = tables.categories.get(fmt.category_path_key(path))
        if category is None:
            problems.append(
                (
                    "excluded_categories",
                    f"No category “{path[:60]}”: write its path as the Categories page shows "
                    "it, e.g. Home > Kitchen, separated by semicolons.",
                )
            )
        elif category not in rate.categories:
            rate.categories.append(category)
    for column, message in problems:
        plan.error(rate.row, column, message)
    if not problems:
        rate.values = values
        plan.rates.append(rate)


def _names_check(plan: ImportPlan, tables: ShippingTables) -> None:
    """A zone's rates need different names, those the file keeps (merge) included."""
    taken: dict[tuple[str, str], int] = {}
    for rate in plan.rates:
        key = (rate.zone, rate.name)
        if key in taken:
            plan.error(
                rate.row,
                "rate",
                f"Row {taken[key]} already names a rate “{rate.name}” in the zone “{rate.zone}”; "
                "a zone's rates need different names.",
            )
        else:
            taken[key] = rate.row
    if plan.mode == MERGE:
        _kept_names_check(plan, tables)
    plan.rates = [rate for rate in plan.rates if rate.row not in plan.error_rows]


def _kept_names_check(plan: ImportPlan, tables: ShippingTables) -> None:
    updated = {rate.existing.pk for rate in plan.rates if rate.existing is not None}
    for rate in plan.rates:
        clash = next(
            (
                other
                for other in tables.zone_rates(rate.zone)
                if other.name == rate.name and other.pk not in updated
            ),
            None,
        )
        if clash is not None and clash != rate.existing:
            plan.error(
                rate.row,
                "rate",
                f"The zone “{rate.zone}” already has a rate “{rate.name}” ({clash.service.code}) "
                "that this row doesn't update; give the row another name, or choose Replace all.",
            )


# --- applying it --------------------------------------------------------------------------------
def plan_apply(plan: ImportPlan, *, store: Store) -> None:
    """Write the plan (the caller holds the transaction); only a plan with no bad row. Read
    its counts and summary first: the zones and rates it updates change as it writes."""
    if plan.error_count:
        raise ValueError("a plan with errors is never applied")
    Rate.objects.filter(pk__in=[rate.pk for rate in plan.rates_deleted]).delete()
    Zone.objects.filter(pk__in=[zone.pk for zone in plan.zones_deleted]).delete()
    zones = _zones_write(plan, store)
    _rates_write(plan, store, zones)


def _zones_write(plan: ImportPlan, store: Store) -> dict[str, Zone]:
    last = Zone.objects.for_store(store).aggregate(last=Max("position"))["last"]
    position = 0 if last is None else last + 1
    written: dict[str, Zone] = {}
    changed, created = [], []
    for zone_plan in plan.zones.values():
        zone = zone_plan.existing
        if zone is None:
            values = dict(zone_plan.values)
            if "position" not in values:
                values["position"], position = position, position + 1
            zone = Zone(store=store, **values)
            created.append(zone)
        elif zone_plan.changed:
            for key, value in zone_plan.values.items():
                setattr(zone, key, value)
            changed.append(zone)
        written[zone_plan.name] = zone
    Zone.objects.bulk_update(changed, services.ZONE_FIELDS, batch_size=UPDATE_BATCH)
    Zone.objects.bulk_create(created, batch_size=CREATE_BATCH)
    return written


RATE_WRITE_FIELDS = tuple(
    name for name in services.RATE_FIELDS if name not in ("excluded_categories",)
)


def _rates_write(plan: ImportPlan, store: Store, zones: dict[str, Zone]) -> None:
    changed = [rate for rate in plan.rates if rate.existing is not None and rate.changed]
    created = [rate for rate in plan.rates if rate.existing is None]
    # a rename may take a name another rate of the zone gives up in the same import
    renamed = [r.existing for r in changed if r.existing.name != r.values["name"]]
    for rate in renamed:
        rate.name = f"\u2060import {rate.pk}"
    Rate.objects.bulk_update(renamed, ["name"], batch_size=UPDATE_BATCH)
    for rate_plan in changed:
        for key, value in rate_plan.values.items():
            setattr(rate_plan.existing, key, value)
    Rate.objects.bulk_update(
        [r.existing for r in changed], RATE_WRITE_FIELDS, batch_size=UPDATE_BATCH
    )
    last_positions = dict(
        Rate.objects.for_store(store)
        .values_list("zone")
        .annotate(last=Max("position"))
        .values_list("zone", "last")
    )
    new_rates = []
    for rate_plan in created:
        zone = zones[rate_plan.zone]
        values = dict(rate_plan.values)
        last = last_positions.get(zone.pk, -1)
        if "position" not in values:
            values["position"] = last + 1
        last_positions[zone.pk] = max(last, values["position"])
        new_rates.append(Rate(store=store, zone=zone, **values))
    Rate.objects.bulk_create(new_rates, batch_size=CREATE_BATCH)
    through = Rate.excluded_categories.through
    through.objects.filter(rate_id__in=[r.existing.pk for r in changed]).delete()
    written = [(r.existing, r.categories) for r in changed] + [
        (rate, r.categories) for rate, r in zip(new_rates, created, strict=True)
    ]
    through.objects.bulk_create(
        [
            through(rate_id=rate.pk, category_id=category.pk)
            for rate, categories in written
            for category in categories
        ],
        batch_size=1000,
    )
