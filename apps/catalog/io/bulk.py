"""The bulk path shared by the import and the large demo: stage with COPY, check in SQL, upsert.

1. ``stage(rows)``: each row is checked on its own (``RowValidator``) and the good ones are
   copied into a temporary table in batches (``COPY … FROM STDIN``), the errors into another;
   memory stays the size of one batch whatever the file's size.
2. ``check()``: the checks that need other rows or the catalog run as SQL over the staged rows
   (duplicate SKUs, one handle used for two products, a SKU of another product, more variants
   than a product may have, …); the rows they refuse move to the errors table.
3. ``summary()``: what would be created and updated — the dry run stops here.
4. ``apply()``: one transaction upserts products then variants (``INSERT … ON CONFLICT``) and
   records every stock change as an InventoryMovement, all in SQL.

Temporary tables live on the connection, so steps 1–3 run outside a transaction (progress
updates are committed as they happen) and only step 4 writes to the catalog, atomically.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field

from django.db import connection, transaction

from apps.catalog import inputs
from apps.catalog.io.validation import STAGE_COLUMNS, RowError, RowValidator, category_key
from apps.catalog.models import Category

BATCH_SIZE = 5000
SAMPLE_ERRORS = 200

STAGE_TABLE_SQL = """
CREATE TEMPORARY TABLE import_stage (
    row_number integer PRIMARY KEY,
    handle varchar(255) NOT NULL,
    title varchar(255) NOT NULL,
    description text NOT NULL,
    status varchar(16) NOT NULL,
    category_id bigint,
    tags varchar(50)[] NOT NULL,
    vendor varchar(120) NOT NULL,
    seo_title varchar(70) NOT NULL,
    seo_description varchar(320) NOT NULL,
    low_stock_threshold integer NOT NULL,
    sku varchar(64) NOT NULL,
    option_values jsonb NOT NULL,
    price numeric(12, 2) NOT NULL,
    compare_at_price numeric(12, 2),
    cost numeric(12, 2),
    weight numeric(10, 3),
    weight_unit varchar(2) NOT NULL,
    barcode varchar(64) NOT NULL,
    stock_quantity integer NOT NULL,
    track_inventory boolean NOT NULL
)
"""
ERROR_TABLE_SQL = """
CREATE TEMPORARY TABLE import_errors (
    row_number integer NOT NULL,
    column_name text NOT NULL,
    message text NOT NULL
)
"""

# catalog column → product table column, for the product columns an import may update
PRODUCT_UPDATE_COLUMNS = {
    "title": "title",
    "description": "description",
    "status": "status",
    "category": "category_id",
    "tags": "tags",
    "vendor": "vendor",
    "seo_title": "seo_title",
    "seo_description": "seo_description",
    "low_stock_threshold": "low_stock_threshold",
}
VARIANT_UPDATE_COLUMNS = {
    "price": "price",
    "compare_at_price": "compare_at_price",
    "cost": "cost",
    "weight": "weight",
    "weight_unit": "weight_unit",
    "barcode": "barcode",
    "stock_quantity": "stock_quantity",
    "track_inventory": "track_inventory",
}
OPTION_CATALOG_COLUMNS = {f"option{n}_{part}" for n in (1, 2, 3) for part in ("name", "value")}


@dataclass
class ImportSummary:
    rows: int = 0
    valid_rows: int = 0
    products_created: int = 0
    products_updated: int = 0
    variants_created: int = 0
    variants_updated: int = 0
    error_rows: int = 0
    error_count: int = 0
    errors: list[dict] = field(default_factory=list)
    stock_movements: int = 0
    applied: bool = False

    def as_dict(self) -> dict:
        return {
            "rows": self.rows,
            "valid_rows": self.valid_rows,
            "products_created": self.products_created,
            "products_updated": self.products_updated,
            "variants_created": self.variants_created,
            "variants_updated": self.variants_updated,
            "error_rows": self.error_rows,
            "error_count": self.error_count,
            "errors": self.errors,
            "stock_movements": self.stock_movements,
            "applied": self.applied,
        }


def category_paths(*, store) -> dict[str, int]:
    """``{category_key("Apparel > Shirts"): id}`` for every category of the store."""
    rows = list(Category.objects.for_store(store).values_list("id", "name", "parent_id"))
    by_id = {row[0]: row for row in rows}
    paths: dict[str, int] = {}
    for category_id, _name, _parent in rows:
        names: list[str] = []
        current = by_id.get(category_id)
        seen: set[int] = set()
        while current is not None and current[0] not in seen:
            seen.add(current[0])
            names.append(current[1])
            current = by_id.get(current[2])
        paths[category_key(" > ".join(reversed(names)))] = category_id
    return paths


class BulkImport:
    """One staged import on the current database connection; use it as a context manager."""

    def __init__(self, *, store, headers: Sequence[str], mapping: dict[str, str]):
        self.store = store
        self.mapping = dict(mapping)
        self.mapped = frozenset(value for value in mapping.values() if value)
        self.validator = RowValidator(
            headers=headers,
            mapping=self.mapping,
            categories=category_paths(store=store),
            currency=store.currency,
        )
        self.rows_read = 0

    def __enter__(self) -> BulkImport:
        with connection.cursor() as cursor:
            cursor.execute("DROP TABLE IF EXISTS import_stage, import_errors")
            cursor.execute(STAGE_TABLE_SQL)
            cursor.execute(ERROR_TABLE_SQL)
        return self

    def __exit__(self, *exc_info) -> None:
        if connection.connection is None:
            return
        try:
            with connection.cursor() as cursor:
                cursor.execute("DROP TABLE IF EXISTS import_stage, import_errors")
        except Exception:  # noqa: S110 - the connection is going away anyway
            pass

    # --- 1. stage --------------------------------------------------------------------------
    def stage(
        self,
        rows: Iterable[tuple[int, Sequence[str]]],
        *,
        progress: Callable[[int], None] | None = None,
        renamed: Callable[[RowError], RowError] | None = None,
    ) -> None:
        """``renamed`` names an error as the file does (a converted row's source column)."""
        staged: list[tuple] = []
        errors: list[RowError] = []
        validate = self.validator.validate
        for row_number, cells in rows:
            self.rows_read += 1
            good, bad = validate(row_number, cells)
            if good is not None:
                staged.append(good)
            elif renamed is not None:
                errors.extend(map(renamed, bad))
            else:
                errors.extend(bad)
            if len(staged) + len(errors) >= BATCH_SIZE:
                self._copy(staged, errors)
                staged, errors = [], []
                if progress:
                    progress(self.rows_read)
        self._copy(staged, errors)
        if progress:
            progress(self.rows_read)
        with connection.cursor() as cursor:
            cursor.execute("CREATE INDEX ON import_stage (sku)")
            cursor.execute("CREATE INDEX ON import_stage (handle, row_number)")
            cursor.execute("ANALYZE import_stage")

    @staticmethod
    def _copy(staged: list[tuple], errors: list[RowError]) -> None:
        with connection.cursor() as cursor:
            if staged:
                columns = ", ".join(STAGE_COLUMNS)
                with cursor.copy(f"COPY import_stage ({columns}) FROM STDIN") as copy:  # noqa: S608
                    for row in staged:
                        copy.write_row(row)
            if errors:
                with cursor.copy(
                    "COPY import_errors (row_number, column_name, message) FROM STDIN"
                ) as copy:
                    for error in errors:
                        copy.write_row((error.row, error.column, error.message))

    def record_errors(self, errors: list[RowError]) -> None:
        """Rows refused before staging (by ``io.formats``), as if the validator had."""
        self._copy([], errors)

    def set_categories(self, category_ids: dict[int, int]) -> None:
        """Swap the stand-in ids of categories the import creates for their real ids."""
        if not category_ids:
            return
        with connection.cursor() as cursor:
            cursor.executemany(
                "UPDATE import_stage SET category_id = %s WHERE category_id = %s",
                [(real, fake) for fake, real in category_ids.items()],
            )

    def staged_categories(self) -> set[int]:
        """The category ids of the rows still staged (after ``check``, the rows to import)."""
        with connection.cursor() as cursor:
            cursor.execute("SELECT DISTINCT category_id FROM import_stage WHERE category_id < 0")
            return {category_id for (category_id,) in cursor.fetchall()}

    def refused_rows(self, rows: Iterable[int]) -> set[int]:
        """Which of ``rows`` (row numbers) have errors, so are skipped."""
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT DISTINCT row_number FROM import_errors WHERE row_number = ANY(%s)",
                [sorted(set(rows))],
            )
            return {row for (row,) in cursor.fetchall()}

    # --- 2. checks across rows and against the catalog -----------------------------------------
    def check(self) -> None:
        store_id = self.store.id
        with connection.cursor() as cursor:
            # the same SKU twice in the file: the first row keeps it
            self._refuse(
                cursor,
                """
                SELECT s.row_number, 'sku',
                       'SKU “' || s.sku || '” is already used on row ' || f.first_row || '.'
                FROM import_stage s
                JOIN (SELECT sku, min(row_number) AS first_row FROM import_stage GROUP BY sku) f
                  ON f.sku = s.sku AND s.row_number > f.first_row
                """,
                [],
            )
            # one handle used for two different products (two different titles)
            self._refuse(
                cursor,
                """
                SELECT s.row_number, 'handle',
                       'Handle “' || s.handle || '” is already used on row ' || f.row_number
                       || ' for “' || f.title || '”. Give this product its own handle, or the '
                       || 'same title if it is a variant of that product.'
                FROM import_stage s
                JOIN (SELECT DISTINCT ON (handle) handle, row_number, title FROM import_stage
                      WHERE title <> '' ORDER BY handle, row_number) f
                  ON f.handle = s.handle AND s.title <> '' AND s.title <> f.title
                """,
                [],
            )
            # a product needs a title on one of its rows
            self._refuse(
                cursor,
                """
                SELECT s.row_number, 'title',
                       'Title is required: no row of product “' || s.handle || '” has one.'
                FROM import_stage s
                WHERE NOT EXISTS (SELECT 1 FROM import_stage t
                                  WHERE t.handle = s.handle AND t.title <> '')
                """,
                [],
            )
            # two variants of one product with the same options
            if self.mapped & OPTION_CATALOG_COLUMNS:
                self._refuse(
                    cursor,
                    """
                    SELECT s.row_number, 'option1_value',
                           'Same options as row ' || f.first_row || ' of product “'
                           || s.handle || '”: each variant needs its own option values.'
                    FROM import_stage s
                    JOIN (SELECT handle, option_values, min(row_number) AS first_row
                          FROM import_stage GROUP BY handle, option_values) f
                      ON f.handle = s.handle AND f.option_values = s.option_values
                     AND s.row_number > f.first_row
                    """,
                    [],
                )
            # a SKU that belongs to another product of the store
            self._refuse(
                cursor,
                """
                SELECT s.row_number, 'sku',
                       'SKU “' || s.sku || '” already belongs to another product (“'
                       || p.handle || '”).'
                FROM import_stage s
                JOIN catalog_variant v ON v.store_id = %s AND v.sku = s.sku
                JOIN catalog_product p ON p.id = v.product_id
                WHERE p.handle <> s.handle
                """,
                [store_id],
            )
            if "compare_at_price" not in self.mapped:
                self._refuse(
                    cursor,
                    """
                    SELECT s.row_number, 'price',
                           'Price ' || s.price || ' is above this variant''s compare-at price '
                           || v.compare_at_price || '. Add a compare_at_price column or '
                           || 'lower the price.'
                    FROM import_stage s
                    JOIN catalog_variant v ON v.store_id = %s AND v.sku = s.sku
                    WHERE v.compare_at_price < s.price
                    """,
                    [store_id],
                )

            # more variants than a product may have: the rows of new variants past the limit,
            # counting those the product already has (last, so refused rows do not count)
            self._refuse(
                cursor,
                """
                SELECT n.row_number, 'handle', replace(%s, '{count}', (n.have + n.added)::text)
                FROM (
                    SELECT s.row_number, COALESCE(e.have, 0) AS have,
                           row_number() OVER (PARTITION BY s.handle ORDER BY s.row_number) AS rank,
                           count(*) OVER (PARTITION BY s.handle) AS added
                    FROM import_stage s
                    LEFT JOIN (SELECT p.handle, count(*) AS have
                               FROM catalog_product p
                               JOIN catalog_variant v ON v.product_id = p.id
                               WHERE p.store_id = %s
                                 AND p.handle IN (SELECT handle FROM import_stage)
                               GROUP BY p.handle) e ON e.handle = s.handle
                    WHERE NOT EXISTS (SELECT 1 FROM catalog_variant v
                                      WHERE v.store_id = %s AND v.sku = s.sku)
                ) n
                WHERE n.have + n.rank > %s
                """,
                [
                    inputs.VARIANT_LIMIT_MESSAGE.format(
                        limit=inputs.MAX_VARIANTS_PER_PRODUCT, count="{count}"
                    ),
                    store_id,
                    store_id,
                    inputs.MAX_VARIANTS_PER_PRODUCT,
                ],
            )

    @staticmethod
    def _refuse(cursor, select_sql: str, params: list) -> None:
        cursor.execute(
            f"INSERT INTO import_errors (row_number, column_name, message) {select_sql}",  # noqa: S608
            params,
        )
        if cursor.rowcount:
            cursor.execute(
                "DELETE FROM import_stage s USING import_errors e WHERE e.row_number = s.row_number"
            )

    # --- 3. what the run would do -------------------------------------------------------------
    def summary(self) -> ImportSummary:
        store_id = self.store.id
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*), count(v.id) FROM import_stage s "
                "LEFT JOIN catalog_variant v ON v.store_id = %s AND v.sku = s.sku",
                [store_id],
            )
            valid_rows, variants_existing = cursor.fetchone()
            cursor.execute(
                "SELECT count(*), count(p.id) FROM (SELECT DISTINCT handle FROM import_stage) s "
                "LEFT JOIN catalog_product p ON p.store_id = %s AND p.handle = s.handle",
                [store_id],
            )
            products, products_existing = cursor.fetchone()
            cursor.execute("SELECT count(*), count(DISTINCT row_number) FROM import_errors")
            error_count, error_rows = cursor.fetchone()
            cursor.execute(
                "SELECT row_number, column_name, message FROM import_errors "
                "ORDER BY row_number, column_name LIMIT %s",
                [SAMPLE_ERRORS],
            )
            errors = [
                {"row": row, "column": column, "message": message}
                for row, column, message in cursor.fetchall()
            ]
        return ImportSummary(
            rows=self.rows_read,
            valid_rows=valid_rows,
            products_created=products - products_existing,
            products_updated=products_existing,
            variants_created=valid_rows - variants_existing,
            variants_updated=variants_existing,
            error_rows=error_rows,
            error_count=error_count,
            errors=errors,
        )

    # --- 4. write --------------------------------------------------------------------------
    def apply(self, *, actor=None, note: str = "") -> int:
        """Upsert the staged rows; returns the number of stock movements recorded.

        Call inside ``transaction.atomic()`` together with whatever else must commit with it.
        """
        store_id = self.store.id
        actor_id = actor.pk if actor is not None and getattr(actor, "pk", None) else None
        product_updates = [
            PRODUCT_UPDATE_COLUMNS[name] for name in PRODUCT_UPDATE_COLUMNS if name in self.mapped
        ]
        variant_updates = [
            VARIANT_UPDATE_COLUMNS[name] for name in VARIANT_UPDATE_COLUMNS if name in self.mapped
        ]
        if self.mapped & OPTION_CATALOG_COLUMNS:
            variant_updates.append("option_values")
        product_set = ", ".join(
            ["updated_at = now()"] + [f"{c} = EXCLUDED.{c}" for c in product_updates]
        )
        variant_set = ", ".join(
            ["updated_at = now()"] + [f"{c} = EXCLUDED.{c}" for c in variant_updates]
        )
        assert transaction.get_connection().in_atomic_block
        with connection.cursor() as cursor:
            cursor.execute(
                f"""
                INSERT INTO catalog_product (store_id, created_at, updated_at, handle, title,
                    description, status, category_id, tags, vendor, seo_title, seo_description,
                    low_stock_threshold)
                SELECT %s, now(), now(), handle, title, description, status, category_id, tags,
                       vendor, seo_title, seo_description, low_stock_threshold
                FROM (SELECT DISTINCT ON (handle) * FROM import_stage WHERE title <> ''
                      ORDER BY handle, row_number) first_rows
                ON CONFLICT (store_id, handle) DO UPDATE SET {product_set}
                """,  # noqa: S608 - column names come from the constants above
                [store_id],
            )
            cursor.execute(
                f"""
                WITH old AS (
                    SELECT v.sku, v.stock_quantity FROM catalog_variant v
                    JOIN import_stage s ON s.sku = v.sku WHERE v.store_id = %s
                ), upserted AS (
                    INSERT INTO catalog_variant (store_id, created_at, updated_at, product_id, sku,
                        option_values, price, compare_at_price, cost, weight, weight_unit, barcode,
                        stock_quantity, track_inventory, position)
                    SELECT %s, now(), now(), p.id, s.sku, s.option_values, s.price,
                           s.compare_at_price, s.cost, s.weight, s.weight_unit, s.barcode,
                           s.stock_quantity, s.track_inventory,
                           row_number() OVER (PARTITION BY s.handle ORDER BY s.row_number) - 1
                    FROM import_stage s
                    JOIN catalog_product p ON p.store_id = %s AND p.handle = s.handle
                    ON CONFLICT (store_id, sku) DO UPDATE SET {variant_set}
                    RETURNING id, sku, stock_quantity
                )
                INSERT INTO catalog_inventorymovement (store_id, created_at, updated_at,
                    variant_id, delta, quantity_after, reason, note, actor_id)
                SELECT %s, now(), now(), u.id, u.stock_quantity - COALESCE(o.stock_quantity, 0),
                       u.stock_quantity, 'import', %s, %s
                FROM upserted u LEFT JOIN old o ON o.sku = u.sku
                WHERE u.stock_quantity <> COALESCE(o.stock_quantity, 0)
                """,  # noqa: S608 - column names come from the constants above
                [store_id, store_id, store_id, store_id, note[:255], actor_id],
            )
            return cursor.rowcount

    # --- errors, row by row ----------------------------------------------------------------
    def error_rows(self) -> Iterator[tuple[int, list[tuple[str, str]]]]:
        """``(row number, [(column, message), …])`` in row order, read with a server-side
        cursor."""
        with transaction.atomic(), connection.chunked_cursor() as cursor:
            cursor.execute(
                "SELECT row_number, json_agg(json_build_array(column_name, message) "
                "ORDER BY column_name) FROM import_errors GROUP BY row_number ORDER BY row_number"
            )
            while batch := cursor.fetchmany(2000):
                yield from batch
