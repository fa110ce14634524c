"""One row of text in, one typed staging row (or the reasons it's refused) out. Pure Python.

Checks that need other rows or the database (duplicate SKUs, a SKU that belongs to another
product, conflicting titles for one handle) run in SQL over the staged rows, in ``bulk``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from apps.catalog.io.columns import COLUMN_NAMES, OPTION_COLUMNS

HANDLE_PATTERN = re.compile(r"^[-a-zA-Z0-9_]+$")
STATUSES = {"draft": "draft", "active": "active", "archived": "archived"}
WEIGHT_UNITS = {"g", "kg", "lb", "oz"}
TRUE_WORDS = {"true", "yes", "y", "1", "t", "shopify"}
FALSE_WORDS = {"false", "no", "n", "0", "f"}
MAX_LENGTHS = {
    "handle": 255,
    "title": 255,
    "vendor": 120,
    "seo_title": 70,
    "seo_description": 320,
    "sku": 64,
    "barcode": 64,
}
MAX_MONEY = Decimal("9999999999.99")
MAX_WEIGHT = Decimal("9999999.999")
MAX_INTEGER = 2_000_000_000
QUANTUM = {2: Decimal("0.01"), 3: Decimal("0.001")}

# the staging table's columns, in the order ``RowValidator.validate`` returns them
STAGE_COLUMNS: tuple[str, ...] = (
    "row_number",
    "handle",
    "title",
    "description",
    "status",
    "category_id",
    "tags",
    "vendor",
    "seo_title",
    "seo_description",
    "low_stock_threshold",
    "sku",
    "option_values",
    "price",
    "compare_at_price",
    "cost",
    "weight",
    "weight_unit",
    "barcode",
    "stock_quantity",
    "track_inventory",
)


@dataclass(frozen=True)
class RowError:
    row: int
    column: str
    message: str

    def as_dict(self) -> dict:
        return {"row": self.row, "column": self.column, "message": self.message}


class CellError(Exception):
    pass


def category_key(path: str) -> str:
    """``" Apparel >shirts "`` → ``"apparel > shirts"``: how category paths are compared."""
    parts = [" ".join(part.split()).lower() for part in path.split(">")]
    return " > ".join(parts)


def parse_decimal(text: str, *, places: int, maximum: Decimal, what: str) -> Decimal:
    try:
        value = Decimal(text)
    except InvalidOperation:
        cleaned = text.replace(" ", "")
        try:
            value = Decimal(cleaned)
        except InvalidOperation:
            hint = " Use a dot for decimals, e.g. 19.90." if "," in cleaned else ""
            raise CellError(f"{what} “{text}” is not a number.{hint}") from None
    if not value.is_finite():
        raise CellError(f"{what} “{text}” is not a number.")
    if value < 0:
        raise CellError(f"{what} can't be negative (got {text}).")
    if value > maximum:
        raise CellError(f"{what} {text} is too large.")
    exponent = value.as_tuple().exponent
    if exponent < -places and value != value.quantize(QUANTUM[places]):
        raise CellError(f"{what} {text} has more than {places} decimals.")
    return value.quantize(QUANTUM[places]) if exponent != -places else value


def parse_count(text: str, *, what: str) -> int:
    cleaned = text.replace(" ", "")
    if cleaned.endswith(".0"):
        cleaned = cleaned[:-2]
    try:
        value = int(cleaned)
    except ValueError:
        raise CellError(f"{what} “{text}” is not a whole number.") from None
    if value < 0:
        raise CellError(f"{what} can't be negative (got {text}).")
    if value > MAX_INTEGER:
        raise CellError(f"{what} {text} is too large.")
    return value


def parse_bool(text: str, *, what: str) -> bool:
    lowered = text.lower()
    if lowered in TRUE_WORDS:
        return True
    if lowered in FALSE_WORDS:
        return False
    raise CellError(f"{what} “{text}” must be true or false.")


def parse_tags(text: str) -> list[str]:
    tags: list[str] = []
    for raw in text.split(","):
        tag = raw.strip()
        if not tag:
            continue
        if len(tag) > 50:
            raise CellError(f"The tag “{tag[:20]}…” is longer than 50 characters.")
        if tag not in tags:
            tags.append(tag)
    return tags


class RowValidator:
    """Checks rows of one file against its column mapping and the store's categories.

    ``mapping`` is ``{file header: catalog column}``; ``categories`` is
    ``{category_key(path): category id}``. Keeps no state between rows.
    """

    def __init__(self, *, headers: Sequence[str], mapping: dict[str, str], categories: dict):
        self.categories = categories
        self.index: dict[str, int] = {}
        for position, header in enumerate(headers):
            column = mapping.get(header)
            if column in COLUMN_NAMES and column not in self.index:
                self.index[column] = position
        self.mapped = frozenset(self.index)
        self.option_positions = [
            (name, self.index.get(name), value, self.index.get(value))
            for name, value in OPTION_COLUMNS
        ]
        self._json_cache: dict[tuple, str] = {}
        # (column, position in the row or None, parser) in the order the row is checked
        self.plan = [
            (column, self.index.get(column), parser)
            for column, parser in (
                ("handle", self._handle),
                ("title", self._title),
                ("description", str),
                ("status", self._status),
                ("category", self._category),
                ("tags", parse_tags),
                ("vendor", self._vendor),
                ("seo_title", self._seo_title),
                ("seo_description", self._seo_description),
                ("low_stock_threshold", self._low_stock_threshold),
                ("sku", self._sku),
                ("price", self._price),
                ("compare_at_price", self._compare_at_price),
                ("cost", self._cost),
                ("weight", self._weight),
                ("weight_unit", self._weight_unit),
                ("barcode", self._barcode),
                ("stock_quantity", self._stock_quantity),
                ("track_inventory", self._track_inventory),
            )
        ]

    def validate(self, row: int, cells: Sequence[str]) -> tuple[tuple | None, list[RowError]]:
        errors: list[RowError] = []
        values: dict = {}
        width = len(cells)
        for column, position, parser in self.plan:
            text = cells[position] if position is not None and position < width else ""
            try:
                values[column] = parser(text)
            except CellError as error:
                errors.append(RowError(row, column, str(error)))
        options = self._options(row, cells, errors)
        price = values.get("price")
        compare_at = values.get("compare_at_price")
        if price is not None and compare_at is not None and compare_at < price:
            errors.append(
                RowError(
                    row,
                    "compare_at_price",
                    f"Compare-at price {compare_at} is below the price {price}.",
                )
            )
        if errors:
            return None, errors
        staged = (
            row,
            values["handle"],
            values["title"],
            values["description"],
            values["status"],
            values["category"],
            values["tags"],
            values["vendor"],
            values["seo_title"],
            values["seo_description"],
            values["low_stock_threshold"],
            values["sku"],
            self._options_json(options),
            price,
            compare_at,
            values["cost"],
            values["weight"],
            values["weight_unit"],
            values["barcode"],
            values["stock_quantity"],
            values["track_inventory"],
        )
        return staged, []

    # --- one parser per column ---------------------------------------------------------------
    def _title(self, text: str) -> str:
        return self._text(text, "title", "Title")

    def _vendor(self, text: str) -> str:
        return self._text(text, "vendor", "Vendor")

    def _seo_title(self, text: str) -> str:
        return self._text(text, "seo_title", "SEO title")

    def _seo_description(self, text: str) -> str:
        return self._text(text, "seo_description", "SEO description")

    def _barcode(self, text: str) -> str:
        return self._text(text, "barcode", "Barcode")

    @staticmethod
    def _low_stock_threshold(text: str) -> int:
        return parse_count(text, what="Low stock threshold") if text else 5

    @staticmethod
    def _compare_at_price(text: str) -> Decimal | None:
        return (
            parse_decimal(text, places=2, maximum=MAX_MONEY, what="Compare-at price")
            if text
            else None
        )

    @staticmethod
    def _cost(text: str) -> Decimal | None:
        return parse_decimal(text, places=2, maximum=MAX_MONEY, what="Cost") if text else None

    @staticmethod
    def _weight(text: str) -> Decimal | None:
        return parse_decimal(text, places=3, maximum=MAX_WEIGHT, what="Weight") if text else None

    @staticmethod
    def _stock_quantity(text: str) -> int:
        return parse_count(text, what="Stock") if text else 0

    @staticmethod
    def _track_inventory(text: str) -> bool:
        return parse_bool(text, what="Track inventory") if text else True

    @staticmethod
    def _text(text: str, column: str, label: str) -> str:
        limit = MAX_LENGTHS.get(column)
        if limit and len(text) > limit:
            raise CellError(f"{label} is {len(text)} characters long; the limit is {limit}.")
        return text

    def _handle(self, text: str) -> str:
        if not text:
            raise CellError("Handle is required.")
        if len(text) > MAX_LENGTHS["handle"]:
            raise CellError(f"Handle is longer than {MAX_LENGTHS['handle']} characters.")
        if not HANDLE_PATTERN.match(text):
            raise CellError(
                f"Handle “{text[:60]}” may only hold letters, digits, hyphens and underscores "
                "(e.g. linen-shirt)."
            )
        return text

    @staticmethod
    def _status(text: str) -> str:
        if not text:
            return "draft"
        status = STATUSES.get(text.lower())
        if status is None:
            raise CellError(f"Status “{text}” must be draft, active or archived.")
        return status

    def _category(self, text: str) -> int | None:
        if not text:
            return None
        category_id = self.categories.get(category_key(text))
        if category_id is None:
            raise CellError(
                f"Unknown category “{text}”. Create it first, or use an existing path "
                "such as “Apparel > Shirts”."
            )
        return category_id

    def _sku(self, text: str) -> str:
        if not text:
            raise CellError("SKU is required.")
        return self._text(text, "sku", "SKU")

    @staticmethod
    def _price(text: str) -> Decimal:
        if not text:
            raise CellError("Price is required.")
        return parse_decimal(text, places=2, maximum=MAX_MONEY, what="Price")

    @staticmethod
    def _money(text: str, what: str) -> Decimal | None:
        if not text:
            return None
        return parse_decimal(text, places=2, maximum=MAX_MONEY, what=what)

    @staticmethod
    def _weight_unit(text: str) -> str:
        if not text:
            return "g"
        unit = text.lower()
        if unit not in WEIGHT_UNITS:
            raise CellError(f"Weight unit “{text}” must be g, kg, lb or oz.")
        return unit

    def _options(self, row: int, cells: Sequence[str], errors: list[RowError]) -> dict:
        options: dict[str, str] = {}
        width = len(cells)
        for name_column, name_at, value_column, value_at in self.option_positions:
            name = cells[name_at] if name_at is not None and name_at < width else ""
            value = cells[value_at] if value_at is not None and value_at < width else ""
            if not name and not value:
                continue
            if not name:
                errors.append(RowError(row, name_column, f"Option value “{value}” has no name."))
            elif not value:
                errors.append(RowError(row, value_column, f"Option “{name}” has no value."))
            elif name in options:
                errors.append(RowError(row, name_column, f"Option “{name}” appears twice."))
            else:
                options[name] = value
        return options

    def _options_json(self, options: dict) -> str:
        """The options as JSON; most files repeat a few combinations, so those are cached."""
        key = tuple(options.items())
        text = self._json_cache.get(key)
        if text is None:
            text = json.dumps(options, ensure_ascii=False)
            if len(self._json_cache) < 20_000:
                self._json_cache[key] = text
        return text
