"""Other shops' product exports → rows in this portal's file format. Pure Python.

``SourceRows`` sits between the reader and ``RowValidator``: it reads a Shopify or WooCommerce
export as the shop wrote it and yields rows with this portal's columns (``COLUMN_NAMES``
order), one per variant. On the way it collects what doesn't fit a variant row: images by URL
(fetched after the import), warnings (listed on the dry run and the result), the categories the
file needs that the store doesn't have, and the rows it refuses.

Shopify (help.shopify.com, "Using CSV files to import and export products"): the rows of one
handle form one product; option names and product fields are on its first row only; a row with
only a handle and an image adds an image; ``Variant Grams`` is always in grams whatever
``Variant Weight Unit`` says; ``Type`` (the merchant's own product type) is added to the tags.

WooCommerce (the built-in product CSV exporter): ``Type`` is simple, variable or variation; a
variable product's row holds the product, each variation row (``Parent`` = ``id:123`` or the
parent's SKU) a variant; ``Sale price`` is the price and ``Regular price`` the compare-at;
``Short description`` is the description's first paragraph; handles are made from the name;
``Categories`` lists ``A > B, C`` (the first one is kept).
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Iterator, Sequence
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from html.parser import HTMLParser

from django.utils.text import slugify

from apps.catalog.io.columns import (
    COLUMN_NAMES,
    MAPPABLE_BY_NAME,
    SOURCE_COLUMN_NAMES,
    normalise_header,
)
from apps.catalog.io.validation import RowError, category_key
from apps.core.money import money_format

IMAGE_LIMIT = 250
SHOWN_WARNINGS = 200
WEIGHT_QUANTUM = Decimal("0.001")  # Variant.weight has 3 decimal places
GRAMS_PER_UNIT = {
    "g": Decimal(1),
    "kg": Decimal(1000),
    "lb": Decimal("453.59237"),
    "oz": Decimal("28.349523125"),
}
WOO_WEIGHT_UNITS = {"weight_kg": "kg", "weight_g": "g", "weight_lbs": "lb", "weight_oz": "oz"}
WOO_UNSUPPORTED = {
    "grouped": "WooCommerce grouped products can't be imported; import its products.",
    "external": "WooCommerce external (affiliate) products can't be imported.",
}
VARIANT_COLUMNS = (
    "sku",
    "price",
    "compare_at_price",
    "weight",
    "barcode",
    "stock_quantity",
    "option1_value",
    "option2_value",
    "option3_value",
)
BLOCK_TAGS = {"p", "div", "section", "article", "h1", "h2", "h3", "h4", "h5", "h6", "table", "tr"}
SKIPPED_TAGS = {"script", "style", "head", "title", "template"}


class _TextParser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping = 0

    def handle_starttag(self, tag, attrs):
        if tag in SKIPPED_TAGS:
            self.skipping += 1
        elif tag == "br":
            self.parts.append("\n")
        elif tag == "li":
            self.parts.append("\n• ")
        elif tag in BLOCK_TAGS or tag in {"ul", "ol"}:
            self.parts.append("\n\n")

    def handle_endtag(self, tag):
        if tag in SKIPPED_TAGS:
            self.skipping = max(self.skipping - 1, 0)
        elif tag in BLOCK_TAGS or tag in {"ul", "ol"}:
            self.parts.append("\n\n")

    def handle_data(self, data):
        if not self.skipping:
            self.parts.append(re.sub(r"\s+", " ", data))


def html_to_text(text: str) -> str:
    """``Body (HTML)`` → the plain text the description field holds (scripts and styles go)."""
    if "<" not in text and "&" not in text:
        return text.strip()
    parser = _TextParser()
    parser.feed(text)
    parser.close()
    joined = html.unescape("".join(parser.parts))
    lines = [line.strip() for line in joined.split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def _decimal(text: str) -> Decimal | None:
    try:
        value = Decimal(text.replace(" ", ""))
    except InvalidOperation:
        return None
    return value if value.is_finite() else None


def split_categories(text: str) -> list[str]:
    """WooCommerce's ``"A > B, C"`` → ``["A > B", "C"]`` (``\\,`` is a comma in a name)."""
    parts = re.split(r"(?<!\\),", text)
    return [" ".join(p.replace("\\,", ",").split()) for p in parts if p.strip()]


class SourceRows:
    """One export file's rows in the portal's format; see the module docstring.

    ``mapping`` is the job's ``{file header: column}``; ``categories`` the validator's
    ``{category_key(path): id}`` (the same dict: a new path gets a stand-in id below zero, so
    rows using it check out, and ``fake_ids`` says which); call ``rows()`` once.
    """

    def __init__(
        self,
        *,
        source: str,
        headers: Sequence[str],
        mapping: dict[str, str],
        create_categories: bool = True,
        currency: str = "EUR",
    ):
        self.source = source
        self.currency = currency  # the store's: amounts in warnings are written in it
        self.create_categories = create_categories
        self.categories: dict[str, int] = {}
        self.index: dict[str, int] = {}
        for position, header in enumerate(headers):
            column = mapping.get(header)
            if column in MAPPABLE_BY_NAME and column not in self.index:
                self.index[column] = position
        mapped = set(self.index)
        self.weight_unit = ""
        if "weight" in self.index and source == "woocommerce":
            self.weight_unit = WOO_WEIGHT_UNITS.get(
                normalise_header(headers[self.index["weight"]]), ""
            )
        out = {name for name in mapped if name in COLUMN_NAMES}
        derived = {
            "sale_price": {"price", "compare_at_price"},
            "weight_grams": {"weight", "weight_unit"},
            "published": {"status"},
            "product_type": {"tags"},
            "short_description": {"description"},
        }
        for column, columns in derived.items():
            if column in mapped:
                out |= columns
        if self.weight_unit:
            out.add("weight_unit")
        if source == "woocommerce":
            out |= {"handle", "sku", "track_inventory"}
        if source in {"shopify", "woocommerce"}:
            out.add("sku")
        self.headers = list(COLUMN_NAMES)
        self.mapping = {name: name for name in COLUMN_NAMES if name in out}
        self.rows_in = 0
        self.errors: list[RowError] = []
        self.warnings: list[dict] = []  # of rows imported, once checked
        self.skipped_warnings: list[dict] = []  # of rows skipped for their errors
        self.warning_count = 0
        self.images: list[dict] = []
        self._image_keys: set[tuple[str, str]] = set()
        self._image_limit_noted = False
        self.new_categories: dict[str, str] = {}  # key → path as written
        self.fake_ids: dict[str, int] = {}
        self._missing_categories: set[str] = set()
        # Shopify: the product being read (rows of one handle follow each other)
        self._handle = ""
        self._option_names = ["", "", ""]
        # WooCommerce: variable products by "id:N" and by SKU; handles taken, by product id
        self._parents: dict[str, dict] = {}
        self._handles: dict[str, str] = {}
        # WooCommerce rows whose price is the "Sale price" (and compare-at the "Regular price")
        self._sale_rows: set[int] = set()

    def attach(self, categories: dict[str, int]) -> None:
        self.categories = categories

    # --- output ------------------------------------------------------------------------------
    def checked(self, *, staged_categories: set[int], skipped_rows: set[int]) -> None:
        """After the whole file is checked: keep only the new categories that rows to import
        use (with their parents), and set apart the warnings of rows that are skipped."""
        keep = {key for key, fake in self.fake_ids.items() if fake in staged_categories}
        keep |= {
            category_key(" > ".join(self.new_categories[key].split(" > ")[:depth]))
            for key in keep
            for depth in range(1, self.new_categories[key].count(" > ") + 1)
        }
        for key in set(self.fake_ids) - keep:
            del self.fake_ids[key], self.new_categories[key]
        self.skipped_warnings = [w for w in self.warnings if w["row"] in skipped_rows]
        self.warnings = [w for w in self.warnings if w["row"] not in skipped_rows]

    def summary(self) -> dict:
        return {
            "warnings": self.warnings,
            "skipped_warnings": self.skipped_warnings,
            "warning_count": self.warning_count,
            "warnings_left_out": self.warning_count
            - len(self.warnings)
            - len(self.skipped_warnings),
            "new_categories": sorted(self.new_categories.values(), key=category_key),
            "images": self.images,
        }

    def renamed(self, error: RowError) -> RowError:
        """A validator's error on a row whose price came from WooCommerce's "Sale price" (and
        compare-at from its "Regular price"), named as the file names them."""
        if error.row not in self._sale_rows:
            return error
        if error.column == "price":
            message = re.sub(r"\b([Tt]he) price\b", r"\1 sale price", error.message)
            return RowError(error.row, "sale_price", message)
        if error.column == "compare_at_price":
            message = error.message.replace("compare-at price", "regular price")
            message = re.sub(r"\b([Tt]he) price\b", r"\1 sale price", message)
            return RowError(error.row, "price", message)
        return error

    def _warn(self, row: int, column: str, message: str) -> None:
        self.warning_count += 1
        if len(self.warnings) < SHOWN_WARNINGS:
            self.warnings.append({"row": row, "column": column, "message": message})

    def rows(self, rows: Iterable[tuple[int, Sequence[str]]]) -> Iterator[tuple[int, list[str]]]:
        convert = self._woocommerce if self.source == "woocommerce" else self._shopify
        for row_number, cells in rows:
            self.rows_in += 1
            width = len(cells)
            values = {
                column: cells[position] if position < width else ""
                for column, position in self.index.items()
            }
            out = convert(row_number, values)
            if out is not None:
                yield row_number, [out.get(name, "") for name in COLUMN_NAMES]

    # --- Shopify -----------------------------------------------------------------------------
    def _shopify(self, row: int, values: dict) -> dict | None:
        handle = values.get("handle", "")
        if handle != self._handle:
            self._handle = handle
            self._option_names = ["", "", ""]
        for n in range(3):
            name = values.get(f"option{n + 1}_name", "")
            if name:
                self._option_names[n] = name
            elif values.get(f"option{n + 1}_value"):
                values[f"option{n + 1}_name"] = self._option_names[n]
        self._image(row, handle, values.get("image_src", ""), values)
        self._image(row, handle, values.get("variant_image", ""), {})
        has_variant = any(values.get(column) for column in (*VARIANT_COLUMNS, "weight_grams"))
        if not has_variant and not values.get("title"):
            if not values.get("image_src") and not values.get("variant_image"):
                self._warn(row, "handle", "The row has no variant and no image: skipped.")
            return None
        if "track_inventory" in values:  # Shopify's tracker: "shopify" tracks, blank does not
            values["track_inventory"] = "true" if values["track_inventory"].strip() else "false"
        if values.get("option1_name") == "Title" and values.get("option1_value") == "Default Title":
            values["option1_name"] = values["option1_value"] = ""
        if "description" in values:
            values["description"] = html_to_text(values["description"])
        if not values.get("status") and values.get("published", "").lower() in {"false", "no", "0"}:
            values["status"] = "draft"
        elif not values.get("status") and values.get("published"):
            values["status"] = "active"
        self._product_type(row, values)
        self._grams(values)
        self._compare_at(row, values)
        self._category(row, values, values.get("category", ""))
        self._sku(row, handle, values)
        return values

    # --- WooCommerce -------------------------------------------------------------------------
    def _woocommerce(self, row: int, values: dict) -> dict | None:
        kinds = {kind.strip().lower() for kind in values.get("source_type", "").split(",")}
        for kind, message in WOO_UNSUPPORTED.items():
            if kind in kinds:
                self.errors.append(RowError(row, "source_type", message))
                return None
        if self.weight_unit and values.get("weight"):
            values["weight_unit"] = self.weight_unit
        published = values.get("published", "")
        if published:
            values["status"] = "active" if published == "1" else "draft"
        # the short description (the shop's summary) is the description's first paragraph
        parts = (values.get("short_description", ""), values.get("description", ""))
        values["description"] = "\n\n".join(filter(None, map(html_to_text, parts)))
        if "variation" in kinds:
            return self._woo_variation(row, values)
        values["handle"] = self._woo_handle(values)
        self._woo_categories(row, values)
        for url in split_categories(values.get("image_src", "")):
            self._image(row, values["handle"], url, {})
        if "variable" in kinds:
            parent = {
                k: values.get(k, "")
                for k in (
                    "handle",
                    "title",
                    "description",
                    "status",
                    "category",
                    "tags",
                    "vendor",
                    "weight",
                    "weight_unit",
                    "seo_title",
                    "seo_description",
                    "low_stock_threshold",
                )
            }
            if values.get("source_id"):
                self._parents[f"id:{values['source_id']}"] = parent
            if values.get("sku"):
                self._parents[values["sku"]] = parent
            return None
        names = [values.get(f"option{n}_name", "") for n in (1, 2, 3)]
        for n, name in enumerate(names, start=1):
            if name:
                value = values.get(f"option{n}_value", "")
                self._warn(
                    row,
                    f"option{n}_name",
                    f"Attribute “{name}: {value}” of a simple product isn't imported.",
                )
            values[f"option{n}_name"] = values[f"option{n}_value"] = ""
        return self._woo_variant(row, values)

    def _woo_variation(self, row: int, values: dict) -> dict | None:
        reference = values.get("parent", "")
        parent = self._parents.get(reference)
        if parent is None:
            self.errors.append(
                RowError(
                    row,
                    "parent",
                    f"Parent “{reference}” isn't a variable product earlier in the file.",
                )
            )
            return None
        has_weight = bool(values.get("weight"))
        for key, value in parent.items():
            if key not in {"weight", "weight_unit"} or not has_weight:
                values[key] = value
        for url in split_categories(values.get("image_src", "")):
            self._image(row, parent["handle"], url, {})
        return self._woo_variant(row, values)

    def _woo_variant(self, row: int, values: dict) -> dict:
        sale = values.get("sale_price", "")
        if sale:
            values["compare_at_price"] = values.get("price", "")
            values["price"] = sale
            self._sale_rows.add(row)
        if not values.get("stock_quantity"):
            values["track_inventory"] = "false"
        self._compare_at(row, values)
        self._sku(row, values["handle"], values)
        return values

    def _woo_handle(self, values: dict) -> str:
        key = values.get("source_id") or values.get("sku") or values.get("title", "")
        if key in self._handles:
            return self._handles[key]
        base = slugify(values.get("title", ""))[:240] or f"product-{slugify(key) or 'x'}"
        handle, taken = base, set(self._handles.values())
        if handle in taken:
            handle = f"{base}-{slugify(key)}"
        self._handles[key] = handle
        return handle

    def _woo_categories(self, row: int, values: dict) -> None:
        paths = [p for p in split_categories(values.get("category", "")) if p != "Uncategorized"]
        if len(paths) > 1:
            left_out = ", ".join(f"“{p}”" for p in paths[1:])
            self._warn(
                row, "category", f"Only the first category is kept: {left_out} was left out."
            )
        values["category"] = paths[0] if paths else ""
        self._category(row, values, values["category"])

    # --- shared ------------------------------------------------------------------------------
    def _image(self, row: int, handle: str, url: str, values: dict) -> None:
        url = url.strip()
        if not url or not handle or (handle, url) in self._image_keys:
            return
        if not url.lower().startswith(("http://", "https://")):
            self._warn(row, "image_src", f"Image “{url[:80]}” isn't an http(s) address: skipped.")
            return
        if len(self.images) >= IMAGE_LIMIT:
            if not self._image_limit_noted:
                self._image_limit_noted = True
                self._warn(
                    row,
                    "image_src",
                    f"Only {IMAGE_LIMIT} images are fetched per import: the images from this "
                    "row on were left out. Add them on the product pages.",
                )
            return
        self._image_keys.add((handle, url))
        position_text = values.get("image_position", "")
        taken = sum(1 for image in self.images if image["handle"] == handle)
        position = int(position_text) if position_text.isdigit() else taken + 1
        self.images.append(
            {
                "row": row,
                "handle": handle,
                "url": url,
                "position": position,
                "alt": values.get("image_alt_text", "")[:255],
                "status": "pending",
                "note": "",
            }
        )

    def _product_type(self, row: int, values: dict) -> None:
        kind = values.get("product_type", "").strip()
        if not kind:
            return
        if len(kind) > 50:
            self._warn(
                row, "product_type", f"Type “{kind[:20]}…” is over 50 characters: not added."
            )
            return
        tags = [tag.strip() for tag in values.get("tags", "").split(",") if tag.strip()]
        if kind not in tags:
            tags.append(kind)
        values["tags"] = ", ".join(tags)

    def _grams(self, values: dict) -> None:
        grams_text = values.get("weight_grams", "")
        if not grams_text or values.get("weight"):
            return
        grams = _decimal(grams_text)
        unit = (values.get("weight_unit") or "g").lower()
        if grams is None or grams < 0 or unit not in GRAMS_PER_UNIT:
            values["weight"] = grams_text  # the validator says what is wrong
            return
        weight = (grams / GRAMS_PER_UNIT[unit]).quantize(WEIGHT_QUANTUM, rounding=ROUND_HALF_UP)
        values["weight"] = str(weight)
        values["weight_unit"] = unit

    def _compare_at(self, row: int, values: dict) -> None:
        price = _decimal(values.get("price", ""))
        compare_at = _decimal(values.get("compare_at_price", ""))
        if price is not None and compare_at is not None and compare_at < price:
            values["compare_at_price"] = ""
            if row in self._sale_rows:
                self._warn(
                    row,
                    "price",
                    f"Regular price {money_format(compare_at, self.currency)} is below the sale "
                    f"price {money_format(price, self.currency)}: the sale price is used, without "
                    "a sale badge.",
                )
                return
            self._warn(
                row,
                "compare_at_price",
                f"Compare-at price {money_format(compare_at, self.currency)} is below the price "
                f"{money_format(price, self.currency)}: it was left out, so the sale badge will "
                "not show.",
            )

    def _category(self, row: int, values: dict, path: str) -> None:
        path = " > ".join(" ".join(part.split()) for part in path.split(">")) if path else ""
        key = category_key(path) if path else ""
        if not key or key in self.categories:
            return
        if not self.create_categories:
            values["category"] = ""
            if key not in self._missing_categories:
                self._missing_categories.add(key)
                self._warn(
                    row,
                    "category",
                    f"Category “{path}” doesn't exist and creating categories was unticked: "
                    "the product has no category.",
                )
            return
        names = path.split(" > ")
        for depth in range(1, len(names) + 1):
            prefix = " > ".join(names[:depth])
            prefix_key = category_key(prefix)
            if prefix_key not in self.categories:
                fake = -(len(self.fake_ids) + 1)
                self.fake_ids[prefix_key] = fake
                self.categories[prefix_key] = fake
                self.new_categories[prefix_key] = prefix

    def _sku(self, row: int, handle: str, values: dict) -> None:
        if values.get("sku") or not handle:
            return
        options = [values.get(f"option{n}_value", "") for n in (1, 2, 3)]
        sku = "-".join([handle, *(slugify(o) for o in options if o)])[:64]
        values["sku"] = sku
        self._warn(row, "sku", f"No SKU: “{sku}” was made from the handle and options.")


def needs_source_rows(source: str, mapping: dict[str, str]) -> bool:
    """Whether the file's rows go through ``SourceRows`` (another shop's export)."""
    return source in {"shopify", "woocommerce"} or bool(SOURCE_COLUMN_NAMES & set(mapping.values()))
