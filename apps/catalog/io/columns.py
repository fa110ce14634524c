"""The catalog file format: one row per variant, product columns repeated on each row.

Import and export use the same columns, so an export can be edited and imported again.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class CatalogColumn:
    name: str
    label: str
    help: str
    is_required: bool = False
    is_product_field: bool = False


COLUMNS: tuple[CatalogColumn, ...] = (
    CatalogColumn("handle", "Handle", "The product's address name, e.g. linen-shirt.", True, True),
    CatalogColumn("title", "Title", "Needed on at least one row of each product.", True, True),
    CatalogColumn("description", "Description", "", False, True),
    CatalogColumn("status", "Status", "draft, active or archived.", False, True),
    CatalogColumn("category", "Category", "A path such as Apparel > Shirts.", False, True),
    CatalogColumn("tags", "Tags", "Comma separated.", False, True),
    CatalogColumn("vendor", "Vendor", "", False, True),
    CatalogColumn("seo_title", "SEO title", "", False, True),
    CatalogColumn("seo_description", "SEO description", "", False, True),
    CatalogColumn("low_stock_threshold", "Low stock threshold", "", False, True),
    CatalogColumn("sku", "SKU", "Unique per store; the key of each variant.", True),
    CatalogColumn("option1_name", "Option 1 name", "e.g. Size"),
    CatalogColumn("option1_value", "Option 1 value", "e.g. M"),
    CatalogColumn("option2_name", "Option 2 name", ""),
    CatalogColumn("option2_value", "Option 2 value", ""),
    CatalogColumn("option3_name", "Option 3 name", ""),
    CatalogColumn("option3_value", "Option 3 value", ""),
    CatalogColumn("price", "Price", "e.g. 19.90", True),
    CatalogColumn("compare_at_price", "Compare-at price", "Not below the price."),
    CatalogColumn("cost", "Cost", ""),
    CatalogColumn("weight", "Weight", ""),
    CatalogColumn("weight_unit", "Weight unit", "g, kg, lb or oz."),
    CatalogColumn("barcode", "Barcode", ""),
    CatalogColumn("stock_quantity", "Stock", "Units on hand."),
    CatalogColumn("track_inventory", "Track inventory", "true or false."),
)

COLUMN_NAMES: tuple[str, ...] = tuple(column.name for column in COLUMNS)
COLUMNS_BY_NAME: dict[str, CatalogColumn] = {column.name: column for column in COLUMNS}
REQUIRED_COLUMNS: tuple[str, ...] = tuple(c.name for c in COLUMNS if c.is_required)
OPTION_COLUMNS: tuple[tuple[str, str], ...] = (
    ("option1_name", "option1_value"),
    ("option2_name", "option2_value"),
    ("option3_name", "option3_value"),
)

# Headers other tools write (Shopify's product CSV, spreadsheets people make by hand).
ALIASES: dict[str, str] = {
    "url_handle": "handle",
    "product_handle": "handle",
    "name": "title",
    "product_title": "title",
    "body_html": "description",
    "body": "description",
    "product_category": "category",
    "type": "category",
    "variant_sku": "sku",
    "variant_price": "price",
    "variant_compare_at_price": "compare_at_price",
    "compare_price": "compare_at_price",
    "cost_per_item": "cost",
    "variant_grams": "weight",
    "variant_weight": "weight",
    "variant_weight_unit": "weight_unit",
    "variant_barcode": "barcode",
    "ean": "barcode",
    "gtin": "barcode",
    "upc": "barcode",
    "variant_inventory_qty": "stock_quantity",
    "inventory_quantity": "stock_quantity",
    "stock": "stock_quantity",
    "quantity": "stock_quantity",
    "qty": "stock_quantity",
    "variant_inventory_tracker": "track_inventory",
    "seo_title_tag": "seo_title",
    "seo_meta_description": "seo_description",
    "low_stock": "low_stock_threshold",
}


def normalise_header(header: str) -> str:
    """``"Option1 Name"`` → ``option1_name``; ``"Body (HTML)"`` → ``body_html``."""
    text = re.sub(r"[^0-9a-z]+", "_", header.strip().lower())
    return text.strip("_")


def auto_map(headers: list[str]) -> dict[str, str]:
    """``{file header: catalog column}`` for headers that name a column; the first one wins."""
    mapping: dict[str, str] = {}
    taken: set[str] = set()
    for header in headers:
        key = normalise_header(header)
        column = key if key in COLUMNS_BY_NAME else ALIASES.get(key)
        if column and column not in taken:
            mapping[header] = column
            taken.add(column)
    return mapping


def missing_required(mapping: dict[str, str]) -> list[str]:
    mapped = set(mapping.values())
    return [name for name in REQUIRED_COLUMNS if name not in mapped]


def ignored_headers(headers: list[str], mapping: dict[str, str]) -> list[str]:
    return [header for header in headers if not mapping.get(header)]
