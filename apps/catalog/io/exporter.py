"""The catalog as a file, in the import's columns, one row per variant.

CSV comes straight out of PostgreSQL (``COPY (SELECT …) TO STDOUT``) in blocks, so a 300k-row
export streams with flat memory; its text cells pass through ``apps.core.csv``'s formula guard
(in SQL, ``guarded_select``), so a title like ``=HYPERLINK(…)`` opens as text in a spreadsheet.
XLSX is written row by row from a server-side cursor with xlsxwriter's ``constant_memory`` mode
into a temporary file, then sent; its text cells are written as strings (``write_string``),
never as formulas.
"""

from __future__ import annotations

import codecs
import tempfile
from collections.abc import Callable, Iterator

import xlsxwriter
from django.db import connection
from django.db.models import QuerySet

from apps.catalog.io.columns import COLUMN_NAMES, COLUMNS_BY_NAME
from apps.catalog.models import Product
from apps.core.csv import sql_guard
from apps.core.money import currency_decimals

EXPORT_SELECT = """
WITH RECURSIVE category_path (id, path) AS (
    SELECT id, name::text FROM catalog_category WHERE store_id = %s AND parent_id IS NULL
    UNION ALL
    SELECT c.id, cp.path || ' > ' || c.name FROM catalog_category c
    JOIN category_path cp ON c.parent_id = cp.id
)
SELECT p.handle, p.title, p.description, p.status, cp.path AS category,
       array_to_string(p.tags, ', ') AS tags, p.vendor, p.seo_title, p.seo_description,
       p.low_stock_threshold, v.sku,
       o.names[1], o.vals[1], o.names[2], o.vals[2], o.names[3], o.vals[3],
       round(v.price, {decimals}), round(v.compare_at_price, {decimals}),
       round(v.cost, {decimals}), v.weight, v.weight_unit, v.barcode,
       v.stock_quantity, CASE WHEN v.track_inventory THEN 'true' ELSE 'false' END
FROM catalog_variant v
JOIN catalog_product p ON p.id = v.product_id
LEFT JOIN category_path cp ON cp.id = p.category_id
LEFT JOIN LATERAL (
    SELECT array_agg(e.key ORDER BY e.ord) AS names, array_agg(e.value ORDER BY e.ord) AS vals
    FROM jsonb_each_text(v.option_values) WITH ORDINALITY AS e(key, value, ord)
) o ON true
WHERE v.store_id = %s AND p.store_id = %s AND v.product_id IN ({products})
ORDER BY p.handle, v.position, v.id
"""
NUMERIC_COLUMNS = {
    "low_stock_threshold",
    "price",
    "compare_at_price",
    "cost",
    "weight",
    "stock_quantity",
}


def export_query(*, store, products: QuerySet[Product]) -> tuple[str, list]:
    """The SELECT behind every export: the variants of ``products`` (a filtered queryset)."""
    product_sql, product_params = (
        products.filter(store=store).order_by().values("pk").query.sql_with_params()
    )
    # amounts with the currency's decimals: a yen price is written 1500, not 1500.00
    decimals = int(min(currency_decimals(store.currency), 2))
    sql = EXPORT_SELECT.format(products=product_sql, decimals=decimals)
    return sql, [store.id, store.id, store.id, *product_params]


def guarded_select(sql: str) -> str:
    """``sql`` (the export's SELECT, columns in ``COLUMN_NAMES`` order) with every text column
    passed through the CSV formula guard; numbers are left as they are."""
    names = [f"c{index}" for index in range(len(COLUMN_NAMES))]
    cells = ", ".join(
        name if column in NUMERIC_COLUMNS else sql_guard(name)
        for name, column in zip(names, COLUMN_NAMES, strict=True)
    )
    return f"SELECT {cells} FROM ({sql}) AS export_rows ({', '.join(names)})"  # noqa: S608


def export_filename(*, store, file_format: str, when) -> str:
    return f"{store.handle}-products-{when:%Y%m%d-%H%M}.{file_format}"


CSV_BLOCK_BYTES = 256 * 1024
CSV_PRODUCTS_PER_COPY = 2000  # with progress: one COPY per this many products


def export_csv_chunks(
    *, store, products: QuerySet[Product], progress: Callable[[int], None] | None = None
) -> Iterator[bytes]:
    """The CSV file in blocks as PostgreSQL writes them; UTF-8 with a BOM so Excel reads it.

    Given ``progress`` (a background export), the products are copied in batches of
    ``CSV_PRODUCTS_PER_COPY`` in the same order, and ``progress(rows)`` is called between two
    batches with the variants written so far (the connection is busy during a COPY); it may
    raise to stop, e.g. ``JobCancelled``."""
    yield codecs.BOM_UTF8
    yield (",".join(COLUMN_NAMES) + "\r\n").encode()
    if progress is None:
        yield from _copy_blocks(store=store, products=products)
        return
    ids = list(products.filter(store=store).order_by("handle").values_list("pk", flat=True))
    rows = CsvRecordCounter()
    for start in range(0, len(ids), CSV_PRODUCTS_PER_COPY):
        batch = Product.objects.filter(pk__in=ids[start : start + CSV_PRODUCTS_PER_COPY])
        for block in _copy_blocks(store=store, products=batch):
            rows.add(block)
            yield block
        progress(rows.records)


def _copy_blocks(*, store, products: QuerySet[Product]) -> Iterator[bytes]:
    """The export's rows of ``products`` as CSV, straight from PostgreSQL's COPY, in blocks."""
    sql, params = export_query(store=store, products=products)
    copy_sql = f"COPY ({guarded_select(sql)}) TO STDOUT WITH (FORMAT csv)"
    # the psycopg cursor itself: Django's DEBUG wrapper takes no COPY parameters
    with connection.cursor() as cursor, cursor.cursor.copy(copy_sql, params) as copy:
        pending = bytearray()
        for block in copy:
            pending += block
            if len(pending) >= CSV_BLOCK_BYTES:
                yield bytes(pending)
                pending.clear()
        if pending:
            yield bytes(pending)


class CsvRecordCounter:
    """Counts the records of a CSV read in blocks: line ends outside quoted cells (a cell may
    hold line breaks; ``""`` inside quotes toggles twice, so it changes nothing)."""

    def __init__(self) -> None:
        self.records = 0
        self.in_quotes = False

    def add(self, block: bytes | bytearray) -> int:
        for index, part in enumerate(bytes(block).split(b'"')):
            if index:
                self.in_quotes = not self.in_quotes
            if not self.in_quotes:
                self.records += part.count(b"\n")
        return self.records


def export_xlsx_file(
    *,
    store,
    products: QuerySet[Product],
    progress: Callable[[int], None] | None = None,
    total: int = 0,
) -> tempfile._TemporaryFileWrapper:
    """Write the workbook to a temporary file (deleted on close), positioned at its start."""
    sql, params = export_query(store=store, products=products)
    target = tempfile.NamedTemporaryFile(suffix=".xlsx")  # noqa: SIM115 - the caller closes it
    workbook = xlsxwriter.Workbook(
        target.name, {"constant_memory": True, "strings_to_numbers": False}
    )
    sheet = workbook.add_worksheet("Products")
    bold = workbook.add_format({"bold": True})
    decimals = min(currency_decimals(store.currency), 2)
    money = workbook.add_format({"num_format": f"0.{'0' * decimals}" if decimals else "0"})
    sheet.freeze_panes(1, 0)
    numeric = [name in NUMERIC_COLUMNS for name in COLUMN_NAMES]
    for column, name in enumerate(COLUMN_NAMES):
        sheet.write_string(0, column, name, bold)
        width = 12 if numeric[column] else max(14, len(COLUMNS_BY_NAME[name].label) + 2)
        sheet.set_column(column, column, width, money if name.endswith(("price", "cost")) else None)
    write_string = sheet.write_string
    write_number = sheet.write_number
    row_index = 0
    # outside a transaction Django declares the server-side cursor WITH HOLD: the progress a
    # background export writes between batches is committed, so its progress page sees it
    with connection.chunked_cursor() as cursor:
        cursor.execute(sql, params)
        while batch := cursor.fetchmany(5000):
            for row in batch:
                row_index += 1
                for column, value in enumerate(row):
                    if value is None or value == "":
                        continue
                    if numeric[column]:
                        write_number(row_index, column, float(value))
                    else:
                        write_string(row_index, column, str(value))
            if progress:
                progress(row_index)
    workbook.close()
    target.seek(0)
    return target
