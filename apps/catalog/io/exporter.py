"""The catalog as a file, in the import's columns, one row per variant.

CSV comes straight out of PostgreSQL (``COPY (SELECT …) TO STDOUT``) in blocks, so a 300k-row
export streams with flat memory. XLSX is written row by row from a server-side cursor with
xlsxwriter's ``constant_memory`` mode into a temporary file, then sent.
"""

from __future__ import annotations

import codecs
import tempfile
from collections.abc import Callable, Iterator
from datetime import timedelta

from django.db import connection, transaction
from django.db.models import QuerySet

from apps.catalog.io.columns import COLUMN_NAMES, COLUMNS_BY_NAME
from apps.catalog.models import Product

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
       v.price, v.compare_at_price, v.cost, v.weight, v.weight_unit, v.barcode,
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
    sql = EXPORT_SELECT.format(products=product_sql)
    return sql, [store.id, store.id, store.id, *product_params]


def export_filename(*, store, file_format: str, when) -> str:
    return f"{store.handle}-products-{when:%Y%m%d-%H%M}.{file_format}"


def export_csv_chunks(*, store, products: QuerySet[Product]) -> Iterator[bytes]:
    """The CSV file in blocks as PostgreSQL writes them; UTF-8 with a BOM so Excel reads it."""
    sql, params = export_query(store=store, products=products)
    yield codecs.BOM_UTF8
    with connection.cursor() as cursor:
        header = ",".join(COLUMN_NAMES) + "\r\n"
        yield header.encode()
        copy_sql = f"COPY ({sql}) TO STDOUT WITH (FORMAT csv)"
        # the psycopg cursor itself: Django's DEBUG wrapper takes no COPY parameters
        with cursor.cursor.copy(copy_sql, params) as copy:
            pending = bytearray()
            for block in copy:
                pending += block
                if len(pending) >= 256 * 1024:
                    yield bytes(pending)
                    pending.clear()
            if pending:
                yield bytes(pending)


def export_xlsx_file(
    *,
    store,
    products: QuerySet[Product],
    progress: Callable[[int], None] | None = None,
    total: int = 0,
) -> tempfile._TemporaryFileWrapper:
    """Write the workbook to a temporary file (deleted on close), positioned at its start."""
    import xlsxwriter

    sql, params = export_query(store=store, products=products)
    target = tempfile.NamedTemporaryFile(suffix=".xlsx")  # noqa: SIM115 - the caller closes it
    workbook = xlsxwriter.Workbook(
        target.name, {"constant_memory": True, "strings_to_numbers": False}
    )
    sheet = workbook.add_worksheet("Products")
    bold = workbook.add_format({"bold": True})
    money = workbook.add_format({"num_format": "0.00"})
    sheet.freeze_panes(1, 0)
    numeric = [name in NUMERIC_COLUMNS for name in COLUMN_NAMES]
    for column, name in enumerate(COLUMN_NAMES):
        sheet.write_string(0, column, name, bold)
        width = 12 if numeric[column] else max(14, len(COLUMNS_BY_NAME[name].label) + 2)
        sheet.set_column(column, column, width, money if name.endswith(("price", "cost")) else None)
    write_string = sheet.write_string
    write_number = sheet.write_number
    row_index = 0
    with transaction.atomic(), connection.chunked_cursor() as cursor:
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


def export_storage_name(*, store_id: int, key: str, file_format: str) -> str:
    return f"stores/{store_id}/exports/{key}.{file_format}"


def export_to_storage(
    *,
    store_id: int,
    params: dict,
    file_format: str,
    key: str,
    progress: Callable[[int, int], None] | None = None,
) -> dict:
    """Write a (large) export into media storage; returns what the download needs."""
    from django.core.files import File
    from django.core.files.storage import default_storage
    from django.utils import timezone

    from apps.catalog.models import Variant
    from apps.catalog.selectors import product_filter
    from apps.core.models import Store

    store = Store.objects.get(pk=store_id)
    products = product_filter(store=store, params=params)
    total = Variant.objects.for_store(store).filter(product__in=products).count()
    name = export_storage_name(store_id=store_id, key=key, file_format=file_format)
    if progress:
        progress(0, total)
    if file_format == "xlsx":
        workbook = export_xlsx_file(
            store=store,
            products=products,
            progress=(lambda done: progress(done, total)) if progress else None,
        )
    else:
        workbook = tempfile.TemporaryFile()  # noqa: SIM115 - closed below
        for chunk in export_csv_chunks(store=store, products=products):
            workbook.write(chunk)
        workbook.seek(0)
    with workbook:
        if default_storage.exists(name):
            default_storage.delete(name)
        default_storage.save(name, File(workbook))
    return {
        "store_id": store_id,
        "name": name,
        "filename": export_filename(
            store=store, file_format=file_format, when=timezone.localtime()
        ),
        "rows": total,
        "done": total,
        "total": total,
    }


def export_files_delete_old(*, older_than: timedelta) -> int:
    """Delete built export files older than ``older_than`` (their links expire with them)."""
    from django.core.files.storage import default_storage
    from django.utils import timezone

    cutoff = timezone.now() - older_than
    deleted = 0
    if not default_storage.exists("stores"):
        return 0
    store_folders, _files = default_storage.listdir("stores")
    for folder in store_folders:
        exports = f"stores/{folder}/exports"
        if not default_storage.exists(exports):
            continue
        for name in default_storage.listdir(exports)[1]:
            path = f"{exports}/{name}"
            if default_storage.get_modified_time(path) < cutoff:
                default_storage.delete(path)
                deleted += 1
    return deleted
