"""The store's zones and rates as CSV, one row per rate (a zone without rates: one row), in the
columns the import reads (``format``), every cell through the formula guard."""

from __future__ import annotations

import codecs
import io

from django.utils import timezone

from apps.core.csv import guarded_writer
from apps.core.models import Store
from apps.shipping.io import format as fmt
from apps.shipping.io.plan import shipping_tables_load


def shipping_export_rows(*, store: Store) -> list[list[str]]:
    """The header and the rows, zones in their order, rates in theirs."""
    tables = shipping_tables_load(store=store)
    zones = sorted(tables.zones.values(), key=lambda zone: (zone.position, zone.name))
    rows = [list(fmt.COLUMN_NAMES)]
    for zone in zones:
        zone_cells = fmt.zone_cells(zone)
        rates = sorted(tables.zone_rates(zone.name), key=lambda rate: (rate.position, rate.name))
        for rate in rates or [None]:
            rate_cells = (
                fmt.rate_cells(rate, currency=tables.currency, categories=tables.rate_paths(rate))
                if rate is not None
                else fmt.EMPTY_RATE
            )
            cells = {**zone_cells, **rate_cells}
            rows.append([cells[name] for name in fmt.COLUMN_NAMES])
    return rows


def shipping_export_csv(*, store: Store) -> bytes:
    """The file: UTF-8 with a byte-order mark (spreadsheets then read it as UTF-8)."""
    out = io.StringIO()
    guarded_writer(out).writerows(shipping_export_rows(store=store))
    return codecs.BOM_UTF8 + out.getvalue().encode("utf-8")


def shipping_export_filename(*, store: Store) -> str:
    return f"{store.handle}-shipping-zones-{timezone.localdate():%Y-%m-%d}.csv"
