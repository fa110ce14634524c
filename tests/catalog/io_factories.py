"""Helpers for the import/export tests: CSV text in the catalog format, uploads, categories."""

from __future__ import annotations

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from apps.catalog.io.columns import COLUMN_NAMES
from apps.catalog.models import Category

HEADER = list(COLUMN_NAMES)


def row(**values) -> dict:
    """A valid row for a new product; override any column."""
    base = {
        "handle": "linen-shirt",
        "title": "Linen shirt",
        "description": "Breathable linen.",
        "status": "active",
        "category": "",
        "tags": "summer, linen",
        "vendor": "Acme",
        "seo_title": "",
        "seo_description": "",
        "low_stock_threshold": "5",
        "sku": "LS-M",
        "option1_name": "Size",
        "option1_value": "M",
        "option2_name": "",
        "option2_value": "",
        "option3_name": "",
        "option3_value": "",
        "price": "49.00",
        "compare_at_price": "",
        "cost": "20.00",
        "weight": "0.250",
        "weight_unit": "kg",
        "barcode": "",
        "stock_quantity": "10",
        "track_inventory": "true",
    }
    base.update(values)
    return base


def csv_bytes(rows: list[dict], header: list[str] | None = None, *, bom: bool = False) -> bytes:
    header = header or HEADER
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    for item in rows:
        writer.writerow([item.get(name, "") for name in header])
    data = out.getvalue().encode()
    return (b"\xef\xbb\xbf" + data) if bom else data


def upload(data: bytes, name: str = "products.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="text/csv")


def cells(item: dict, header: list[str] | None = None) -> list[str]:
    return [item.get(name, "") for name in (header or HEADER)]


@pytest.fixture
def media_root(settings, tmp_path):
    """Public media and private files (imports, exports) in the test's own folders."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGES = {
        **settings.STORAGES,
        "private": {**settings.STORAGES["private"], "OPTIONS": {"location": tmp_path / "private"}},
    }
    return settings.MEDIA_ROOT


def make_shirts(store) -> Category:
    """The category path "Apparel > Shirts"; returns Shirts."""
    apparel = Category.objects.create(store=store, name="Apparel", slug="apparel")
    return Category.objects.create(store=store, name="Shirts", slug="shirts", parent=apparel)
