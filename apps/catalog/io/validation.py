"""One row of text in, one typed staging row (or the reasons it's refused) out. Pure Python.

Each cell is checked by the same rules as the product form and the API (``apps.catalog.inputs``),
so a value gets the same verdict and message whichever way it arrives.

Checks that need other rows or the database (duplicate SKUs, a SKU that belongs to another
product, conflicting titles for one handle) run in SQL over the staged rows, in ``bulk``.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from apps.catalog import inputs
from apps.catalog.io.columns import COLUMN_NAMES, OPTION_COLUMNS
from apps.core.exceptions import DomainError

TRUE_WORDS = {"true", "yes", "y", "1", "t", "shopify"}
FALSE_WORDS = {"false", "no", "n", "0", "f"}
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


def parse_bool(text: str, *, what: str) -> bool:
    lowered = text.lower()
    if lowered in TRUE_WORDS:
        return True
    if lowered in FALSE_WORDS:
        return False
    raise CellError(f"{what} “{text}” must be true or false.")


class RowValidator:
    """Checks rows of one file against its column mapping and the store's categories.

    ``mapping`` is ``{file header: catalog column}``; ``categories`` is
    ``{category_key(path): category id}``. Keeps no state between rows.
    """

    def __init__(
        self,
        *,
        headers: Sequence[str],
        mapping: dict[str, str],
        categories: dict,
        currency: str | None = None,
    ):
        self.categories = categories
        self.currency = currency  # the store's: amounts get no more decimals than it has
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
                ("tags", inputs.tags),
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
            except DomainError as error:
                errors.append(RowError(row, column, error.message))
        options = self._options(row, cells, errors)
        price = values.get("price")
        compare_at = values.get("compare_at_price")
        try:
            inputs.compare_at_price_checked(
                price=price, compare_at_price=compare_at, currency=self.currency
            )
        except DomainError as error:
            errors.append(RowError(row, "compare_at_price", error.message))
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
    @staticmethod
    def _title(text: str) -> str:
        return inputs.line(text, field="title", label="title")

    @staticmethod
    def _vendor(text: str) -> str:
        return inputs.line(text, field="vendor", label="vendor")

    @staticmethod
    def _seo_title(text: str) -> str:
        return inputs.line(text, field="seo_title", label="SEO title")

    @staticmethod
    def _seo_description(text: str) -> str:
        return inputs.line(text, field="seo_description", label="SEO description")

    @staticmethod
    def _barcode(text: str) -> str:
        return inputs.barcode(text)

    @staticmethod
    def _low_stock_threshold(text: str) -> int:
        return inputs.count(
            text, field="low_stock_threshold", label="low stock threshold", default=5
        )

    def _compare_at_price(self, text: str) -> Decimal | None:
        return inputs.money(
            text,
            field="compare_at_price",
            label="compare-at price",
            required=False,
            currency=self.currency,
        )

    def _cost(self, text: str) -> Decimal | None:
        return inputs.money(
            text, field="cost", label="cost", required=False, currency=self.currency
        )

    @staticmethod
    def _weight(text: str) -> Decimal | None:
        return inputs.weight(text)

    @staticmethod
    def _stock_quantity(text: str) -> int:
        return inputs.count(text, field="stock_quantity", label="stock", default=0)

    @staticmethod
    def _track_inventory(text: str) -> bool:
        return parse_bool(text, what="Track inventory") if text else True

    @staticmethod
    def _handle(text: str) -> str:
        return inputs.handle(text)

    @staticmethod
    def _status(text: str) -> str:
        return inputs.status(text) if text else "draft"

    def _category(self, text: str) -> int | None:
        if not text:
            return None
        category_id = self.categories.get(category_key(text))
        if category_id is None:
            raise CellError(
                f"Unknown category “{text}”. Create it first on the categories page, or "
                "write the path of an existing one, parents first, joined by “ > ”."
            )
        return category_id

    @staticmethod
    def _sku(text: str) -> str:
        return inputs.sku(text)

    def _price(self, text: str) -> Decimal:
        return inputs.money(text, field="price", label="price", currency=self.currency)

    @staticmethod
    def _weight_unit(text: str) -> str:
        return inputs.weight_unit(text) if text else "g"

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
