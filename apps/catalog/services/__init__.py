"""Catalog writes, one module per responsibility: ``categories``, ``products``, ``variants``,
``stock``, ``images``, ``bulk`` (bulk actions and their background jobs), ``imports`` (import
jobs), ``exports`` (export jobs) and ``jobs`` (what those jobs share: cancel). ``common`` holds
the input checks they share.

Every function takes ``store=`` first and ``actor=`` (the user, an API key principal or a label
such as "import"), owns its transaction, checks the business rules and raises ``DomainError``
naming the field at fault, and records an audit entry. Views, the API, the importer and the demo
seeder all come through here; this package exposes each module's public functions.
"""

from apps.catalog.services.bulk import (
    AUDIT_BATCH,
    BULK_ACTIONS,
    BULK_CHUNK,
    BULK_IDS_MAX,
    BULK_INLINE_MAX,
    BulkConfirm,
    BulkOptions,
    BulkResult,
    bulk_job_create,
    bulk_job_run,
    bulk_options_check,
    bulk_price_check,
    bulk_start,
    products_bulk_update,
)
from apps.catalog.services.categories import (
    category_change,
    category_create,
    category_delete,
    category_move,
)
from apps.catalog.services.common import (
    CENT,
    MAX_PRICE,
    MAX_TAGS,
    PRODUCT_FIELDS,
    VARIANT_FIELDS,
    clean_tags,
)
from apps.catalog.services.exports import (
    EXPORT_FORMATS,
    XLSX_INLINE_MAX,
    ExportNow,
    export_job_create,
    export_job_run,
    export_needs_job,
    export_start,
    export_variant_count,
)
from apps.catalog.services.images import (
    IMAGE_FORMATS,
    IMAGE_MAX_BYTES,
    THUMBNAIL_SIZE,
    image_add,
    image_delete,
    image_move,
    image_reorder,
    image_update,
)
from apps.catalog.services.imports import (
    CONFIGURABLE_STATUSES,
    INLINE_MAX_ROWS,
    PROGRESS_EVERY,
    STATISTICS_REFRESH_ROWS,
    catalog_rows_load,
    catalog_statistics_refresh,
    import_job_configure,
    import_job_create,
    import_job_run,
    import_job_run_refusal,
    import_job_start,
    import_job_validate,
    import_job_work,
)
from apps.catalog.services.jobs import catalog_job_cancel
from apps.catalog.services.products import (
    product_create,
    product_delete,
    product_save_with_variants,
    product_update,
)
from apps.catalog.services.stock import (
    stock_adjust,
    stock_set,
)
from apps.catalog.services.variants import (
    variant_create,
    variant_delete,
    variant_update,
)

__all__ = [
    "AUDIT_BATCH",
    "BULK_ACTIONS",
    "BULK_CHUNK",
    "BULK_IDS_MAX",
    "BULK_INLINE_MAX",
    "BulkConfirm",
    "BulkOptions",
    "BulkResult",
    "CENT",
    "EXPORT_FORMATS",
    "ExportNow",
    "IMAGE_FORMATS",
    "IMAGE_MAX_BYTES",
    "CONFIGURABLE_STATUSES",
    "INLINE_MAX_ROWS",
    "MAX_PRICE",
    "MAX_TAGS",
    "PRODUCT_FIELDS",
    "PROGRESS_EVERY",
    "STATISTICS_REFRESH_ROWS",
    "THUMBNAIL_SIZE",
    "VARIANT_FIELDS",
    "XLSX_INLINE_MAX",
    "bulk_job_create",
    "bulk_job_run",
    "bulk_options_check",
    "bulk_price_check",
    "bulk_start",
    "catalog_job_cancel",
    "catalog_rows_load",
    "catalog_statistics_refresh",
    "category_change",
    "category_create",
    "category_delete",
    "category_move",
    "clean_tags",
    "export_job_create",
    "export_job_run",
    "export_needs_job",
    "export_start",
    "export_variant_count",
    "image_add",
    "image_delete",
    "image_move",
    "image_reorder",
    "image_update",
    "import_job_configure",
    "import_job_create",
    "import_job_run",
    "import_job_run_refusal",
    "import_job_start",
    "import_job_validate",
    "import_job_work",
    "product_create",
    "product_delete",
    "product_save_with_variants",
    "product_update",
    "products_bulk_update",
    "stock_adjust",
    "stock_set",
    "variant_create",
    "variant_delete",
    "variant_update",
]
