"""The zones-and-rates CSV: its columns, and how a zone and a rate are written in its cells.

One row per rate, the zone's columns repeated on each of its rows; a zone without rates is one
row with the rate's columns empty. The cells are what a person types in the zone and rate
forms, on one line each so that a spreadsheet shows them whole:

- lists (countries, regions, postal rules, tags) separated by commas: ``DE, AT, CH``;
- bands separated by semicolons, each ``from-to: price``: ``0-2: 4.90; 2-10: 7.90; 10-: 12.90``;
- categories by their path, separated by semicolons: ``Home > Kitchen; Garden``;
- amounts with the store currency's decimals (``4.90``; a yen price ``500``), weights in kg.

The export writes these cells (``zone_cells``, ``rate_cells``) and the import reads them back
with the forms' own rules; a column missing from an imported file keeps, for a zone or rate the
file updates, the cell the export would write for it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from apps.core.money import money_plain
from apps.shipping import inputs
from apps.shipping.models import Rate, RateKind, Zone


@dataclass(frozen=True)
class ShippingColumn:
    name: str
    help: str
    example: str = ""


ZONE_COLUMNS = (
    ShippingColumn("zone", "The zone's name; rows with the same name are one zone.", "Germany"),
    ShippingColumn(
        "countries", "Two-letter codes separated by commas; empty: rest of world.", "DE, AT"
    ),
    ShippingColumn("regions", "Optional region codes within those countries.", "BY, BE"),
    ShippingColumn(
        "postal_include",
        "Optional postal rules, separated by commas: a code, a prefix or a range of digits.",
        "10115, SW1*, 10000-19999",
    ),
    ShippingColumn("postal_exclude", "Optional postal rules taken out of the zone.", "10117"),
    ShippingColumn("zone_position", "Optional: between zones of one kind, lower comes first.", "0"),
)
RATE_COLUMNS = (
    ShippingColumn(
        "service",
        "The carrier service's code (Shipping → Carriers); empty for a zone without rates.",
        "dhl-standard",
    ),
    ShippingColumn("rate", "The rate's name; empty: the service's name.", "Standard"),
    ShippingColumn("kind", "flat, weight, subtotal or per_item; empty: flat.", "weight"),
    ShippingColumn("price", "The flat price or the price per item.", "4.90"),
    ShippingColumn(
        "bands",
        "Weight (kg) or subtotal bands separated by semicolons, each from-to: price; "
        "a band holds its lower bound, not its upper one; 10-: for 10 and over.",
        "0-2: 4.90; 2-10: 7.90",
    ),
    ShippingColumn("free_over", "Optional: the subtotal from which the rate is free.", "50.00"),
    ShippingColumn("handling_fee", "Optional: added to the price.", "1.00"),
    ShippingColumn("min_weight", "Optional, in kg.", ""),
    ShippingColumn("max_weight", "Optional, in kg.", "30"),
    ShippingColumn("min_subtotal", "Optional.", ""),
    ShippingColumn("max_subtotal", "Optional.", ""),
    ShippingColumn("excluded_tags", "Optional: product tags separated by commas.", "oversized"),
    ShippingColumn(
        "excluded_categories",
        "Optional: category paths (Parent > Child) separated by semicolons.",
        "Furniture > Sofas",
    ),
    ShippingColumn("rate_position", "Optional: the rate's place in its zone.", "0"),
)
COLUMNS = ZONE_COLUMNS + RATE_COLUMNS
COLUMN_NAMES = tuple(column.name for column in COLUMNS)
ZONE_COLUMN_NAMES = tuple(column.name for column in ZONE_COLUMNS)
RATE_COLUMN_NAMES = tuple(column.name for column in RATE_COLUMNS)
REQUIRED_COLUMNS = ("zone",)

# the error's field (the names the services and forms use) → the file's column
ZONE_FIELD_COLUMNS = {"name": "zone", "position": "zone_position"}
RATE_FIELD_COLUMNS = {"name": "rate", "position": "rate_position", "service": "service"}
# the rate's amounts: money, in the currency's decimals, and weights in kg
MONEY_COLUMNS = ("price", "free_over", "handling_fee", "min_subtotal", "max_subtotal")
WEIGHT_COLUMNS = ("min_weight", "max_weight")

BAND_SEPARATOR = re.compile(r"[;\n]")
CATEGORY_SEPARATOR = re.compile(r"[;\n]")
PATH_SEPARATOR = re.compile(r"\s*[›>]\s*")


def column_key(header: str) -> str:
    """A header as the import matches it: ``Postal include`` → ``postal_include``."""
    return "_".join(header.strip().lower().replace("-", " ").split())


# --- cells of the export ----------------------------------------------------------------------
def _money(value: Decimal | None, currency: str) -> str:
    return "" if value is None else money_plain(value, currency)


def _weight(value: Decimal | None) -> str:
    return "" if value is None else f"{value.normalize():f}"


def bands_cell(rate: Rate, currency: str) -> str:
    """``0-2: 4.90; 2-10: 7.90``: the rate form's band lines on one line."""
    return "; ".join(
        f"{inputs.band_text(band)}: {money_plain(band.price, currency)}"
        for band in inputs.bands_from_json(rate.bands)
    )


def bands_text(cell: str) -> str:
    """The bands cell as the rate form's text, one band per line."""
    return "\n".join(part.strip() for part in BAND_SEPARATOR.split(cell) if part.strip())


def category_path_key(path: str) -> str:
    """``home > kitchen`` and ``Home › Kitchen`` are one category path."""
    return " › ".join(part.lower() for part in PATH_SEPARATOR.split(path.strip()) if part)


def category_paths(cell: str) -> list[str]:
    return [part.strip() for part in CATEGORY_SEPARATOR.split(cell) if part.strip()]


def zone_cells(zone: Zone) -> dict[str, str]:
    return {
        "zone": zone.name,
        "countries": ", ".join(zone.countries),
        "regions": ", ".join(zone.regions),
        "postal_include": ", ".join(zone.postal_include),
        "postal_exclude": ", ".join(zone.postal_exclude),
        "zone_position": str(zone.position),
    }


def rate_cells(rate: Rate, *, currency: str, categories: list[str]) -> dict[str, str]:
    """The rate's cells; ``categories``: the paths of those it excludes (``Home > Kitchen``)."""
    banded = rate.kind in (RateKind.WEIGHT, RateKind.SUBTOTAL)
    return {
        "service": rate.service.code,
        "rate": rate.name,
        "kind": rate.kind,
        "price": "" if banded else _money(rate.price, currency),
        "bands": bands_cell(rate, currency) if banded else "",
        "free_over": _money(rate.free_over, currency),
        "handling_fee": _money(rate.handling_fee, currency) if rate.handling_fee else "",
        "min_weight": _weight(rate.min_weight),
        "max_weight": _weight(rate.max_weight),
        "min_subtotal": _money(rate.min_subtotal, currency),
        "max_subtotal": _money(rate.max_subtotal, currency),
        "excluded_tags": ", ".join(rate.excluded_tags),
        "excluded_categories": "; ".join(categories),
        "rate_position": str(rate.position),
    }


EMPTY_RATE = dict.fromkeys(RATE_COLUMN_NAMES, "")
