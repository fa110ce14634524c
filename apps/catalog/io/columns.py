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
    CatalogColumn(
        "compare_at_price",
        "Compare-at price",
        "At least the price, or empty. A lower one is an error in this format; from a Shopify "
        "or WooCommerce export it is left out with a warning.",
    ),
    CatalogColumn("cost", "Cost", ""),
    CatalogColumn("weight", "Weight", ""),
    CatalogColumn("weight_unit", "Weight unit", "g, kg, lb or oz."),
    CatalogColumn("barcode", "Barcode", ""),
    CatalogColumn("stock_quantity", "Stock", "Units on hand."),
    CatalogColumn("track_inventory", "Track inventory", "true or false."),
)

COLUMN_NAMES: tuple[str, ...] = tuple(column.name for column in COLUMNS)
COLUMNS_BY_NAME: dict[str, CatalogColumn] = {column.name: column for column in COLUMNS}

# Columns an import understands but an export doesn't write: what other shops' exports carry
# (Shopify, WooCommerce). ``io.formats`` turns them into the columns above, row by row.
SOURCE_COLUMNS: tuple[CatalogColumn, ...] = (
    CatalogColumn("image_src", "Image URL", "Fetched after the import (http/https)."),
    CatalogColumn("image_position", "Image position", "1 for the main image."),
    CatalogColumn("image_alt_text", "Image alt text", ""),
    CatalogColumn("variant_image", "Variant image URL", "Added to the product's images."),
    CatalogColumn("published", "Published", "false → draft when no status is given."),
    CatalogColumn("product_type", "Product type", "Added to the product's tags."),
    CatalogColumn("sale_price", "Sale price", "Becomes the price; the price the compare-at."),
    CatalogColumn("weight_grams", "Weight in grams", "Converted to the weight unit."),
    CatalogColumn("source_type", "WooCommerce type", "simple, variable or variation."),
    CatalogColumn("source_id", "WooCommerce ID", "What variations' Parent refers to."),
    CatalogColumn("parent", "WooCommerce parent", "id:123 or the parent's SKU."),
    CatalogColumn(
        "short_description",
        "Short description",
        "Put first in the description, as its opening paragraph.",
    ),
)
MAPPABLE_COLUMNS: tuple[CatalogColumn, ...] = COLUMNS + SOURCE_COLUMNS
MAPPABLE_BY_NAME: dict[str, CatalogColumn] = {column.name: column for column in MAPPABLE_COLUMNS}
SOURCE_COLUMN_NAMES: frozenset[str] = frozenset(column.name for column in SOURCE_COLUMNS)
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


# Which shop wrote the file, from the headers only that shop writes.
SOURCE_LABELS = {
    "portal": "Merchant Portal product file",
    "shopify": "Shopify product export",
    "woocommerce": "WooCommerce product export",
}
SHOPIFY_MARKERS = frozenset({"handle", "variant_sku", "variant_price", "body_html", "option1_name"})
WOOCOMMERCE_MARKERS = frozenset(
    {
        "regular_price",
        "sale_price",
        "attribute_1_name",
        "parent",
        "in_stock",
        "visibility_in_catalog",
    }
)
SOURCE_ALIASES: dict[str, dict[str, str]] = {
    "shopify": {
        "type": "product_type",
        "published": "published",
        "variant_grams": "weight_grams",
        "image_src": "image_src",
        "image_position": "image_position",
        "image_alt_text": "image_alt_text",
        "variant_image": "variant_image",
        "seo_title": "seo_title",
        "seo_description": "seo_description",
    },
    "woocommerce": {
        "id": "source_id",
        "type": "source_type",
        "name": "title",
        "published": "published",
        "short_description": "short_description",
        "regular_price": "price",
        "sale_price": "sale_price",
        "categories": "category",
        "images": "image_src",
        "parent": "parent",
        "weight_kg": "weight",
        "weight_g": "weight",
        "weight_lbs": "weight",
        "weight_oz": "weight",
        "low_stock_amount": "low_stock_threshold",
        "gtin_upc_ean_or_isbn": "barcode",
        "attribute_1_name": "option1_name",
        "attribute_1_value_s": "option1_value",
        "attribute_2_name": "option2_name",
        "attribute_2_value_s": "option2_value",
        "attribute_3_name": "option3_name",
        "attribute_3_value_s": "option3_value",
    },
}
# columns of those exports that have no place here, and why (shown on the dry-run page)
SHOPIFY_IGNORED = {
    "option1_linked_to": "Linked metafield options aren't supported: the option values are used.",
    "variant_inventory_policy": (
        "Selling when out of stock isn't a setting here: tracked stock stops at zero."
    ),
    "variant_fulfillment_service": "Fulfilment services aren't supported.",
    "variant_requires_shipping": "Not imported: every variant is treated as shipped.",
    "variant_taxable": "Taxes are set per store, not per variant.",
    "variant_tax_code": "Taxes are set per store, not per variant.",
    "gift_card": "Gift cards aren't supported: it is imported as a product.",
}
WOOCOMMERCE_IGNORED = {
    "in_stock": "Stock status follows the Stock column.",
    "backorders_allowed": "Selling when out of stock isn't a setting here.",
}
PREFIX_IGNORED = (
    ("price_", "Per-market prices aren't imported: the variant's price is used in every market."),
    ("compare_at_price_", "Per-market prices aren't imported: the variant's price is used."),
    ("included_", "Markets aren't supported: products are sold in every market."),
    ("google_shopping_", "Google Shopping fields aren't supported."),
)


def detect_source(headers: list[str]) -> str:
    """``"shopify"``, ``"woocommerce"`` or ``"portal"`` (this portal's own columns)."""
    keys = {normalise_header(header) for header in headers}
    if len(keys & SHOPIFY_MARKERS) >= 3:
        return "shopify"
    if len(keys & WOOCOMMERCE_MARKERS) >= 2 and "name" in keys:
        return "woocommerce"
    return "portal"


def ignored_reason(source: str, header: str) -> str:
    """Why a column of another shop's export isn't imported (empty when it isn't known)."""
    key = normalise_header(header)
    known = {"shopify": SHOPIFY_IGNORED, "woocommerce": WOOCOMMERCE_IGNORED}.get(source, {})
    if key in known:
        return known[key]
    if source == "portal":
        return ""
    for prefix, reason in PREFIX_IGNORED:
        if key.startswith(prefix):
            return reason
    return "Not a column of this portal's catalog."


def normalise_header(header: str) -> str:
    """``"Option1 Name"`` → ``option1_name``; ``"Body (HTML)"`` → ``body_html``."""
    text = re.sub(r"[^0-9a-z]+", "_", header.strip().lower())
    return text.strip("_")


def auto_map(headers: list[str]) -> dict[str, str]:
    """``{file header: catalog column}`` for headers that name a column; the first one wins."""
    mapping: dict[str, str] = {}
    taken: set[str] = set()
    source_aliases = SOURCE_ALIASES.get(detect_source(headers), {})
    # "Option 1 name" is Shopify's "Option1 Name": spaces, underscores and case don't count
    loose: dict[str, str] = {}
    for names in (ALIASES, {name: name for name in COLUMNS_BY_NAME}, source_aliases):
        loose.update({key.replace("_", ""): column for key, column in names.items()})
    for header in headers:
        key = normalise_header(header)
        column = source_aliases.get(key) or (key if key in COLUMNS_BY_NAME else ALIASES.get(key))
        column = column or loose.get(key.replace("_", ""))
        if column and column not in taken:
            mapping[header] = column
            taken.add(column)
    return mapping


def missing_required(mapping: dict[str, str], source: str = "portal") -> list[str]:
    mapped = set(mapping.values())
    # a WooCommerce export has no handle (made from the name) and may leave SKUs empty
    optional = {"handle", "sku"} if source == "woocommerce" else set()
    return [name for name in REQUIRED_COLUMNS if name not in mapped and name not in optional]


# the required columns as each shop's export writes their headers
SOURCE_HEADERS: dict[str, dict[str, str]] = {
    "shopify": {
        "handle": "Handle",
        "title": "Title",
        "sku": "Variant SKU",
        "price": "Variant Price",
    },
    "woocommerce": {"title": "Name", "price": "Regular price"},
}


def source_required_headers(source: str) -> list[str]:
    """The headers an export of ``source`` must have, by ``missing_required``'s own rule."""
    return [SOURCE_HEADERS[source][name] for name in missing_required({}, source)]


# columns an import fills from another one the file gives (a Shopify file's weight comes from
# its grams): a problem with the first is the second's file column when the first has none
DERIVED_FROM: dict[str, tuple[str, ...]] = {"weight": ("weight_grams",)}


def column_header(column: str, mapping: dict[str, str]) -> str:
    """What the merchant calls ``column``: the header of the file column they matched to it
    (``"Selling price"`` for ``price``), else the catalog column's label, else ``column``."""
    headers = {name: header for header, name in mapping.items() if name}
    for name in (column, *DERIVED_FROM.get(column, ())):
        if name in headers:
            return headers[name]
    found = MAPPABLE_BY_NAME.get(column)
    return found.label if found else column


def ignored_headers(headers: list[str], mapping: dict[str, str]) -> list[str]:
    return [header for header in headers if not mapping.get(header)]
