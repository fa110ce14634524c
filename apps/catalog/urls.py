from django.urls import path

from apps.catalog.views import bulk, categories, exports, images, imports, products, stock

app_name = "catalog"

urlpatterns = [
    path("", products.product_list, name="product-list"),
    path("products/new/", products.product_create, name="product-create"),
    path("products/bulk/", bulk.product_bulk, name="product-bulk"),
    path("products/bulk/<int:bulk_job_id>/", bulk.bulk_job_detail, name="bulk-job-detail"),
    path(
        "products/bulk/<int:bulk_job_id>/cancel/",
        bulk.bulk_job_cancel,
        name="bulk-job-cancel",
    ),
    path("products/<int:product_id>/", products.product_update, name="product-update"),
    path("products/<int:product_id>/delete/", products.product_delete, name="product-delete"),
    path("products/<int:product_id>/images/", images.image_add, name="image-add"),
    path(
        "products/<int:product_id>/images/<int:image_id>/",
        images.image_update,
        name="image-update",
    ),
    path(
        "products/<int:product_id>/images/<int:image_id>/move/",
        images.image_move,
        name="image-move",
    ),
    path(
        "products/<int:product_id>/images/<int:image_id>/delete/",
        images.image_delete,
        name="image-delete",
    ),
    path("variants/<int:variant_id>/", stock.variant_detail, name="variant-detail"),
    path("low-stock/", stock.low_stock_list, name="low-stock-list"),
    path("categories/", categories.category_list, name="category-list"),
    path("categories/new/", categories.category_create, name="category-create"),
    path("categories/<int:category_id>/", categories.category_update, name="category-update"),
    path("categories/<int:category_id>/move/", categories.category_move, name="category-move"),
    path(
        "categories/<int:category_id>/parent/", categories.category_parent, name="category-parent"
    ),
    path(
        "categories/<int:category_id>/delete/", categories.category_delete, name="category-delete"
    ),
    path("imports/", imports.import_list, name="import-list"),
    path("imports/new/", imports.import_upload, name="import-upload"),
    path("imports/<int:job_id>/", imports.import_detail, name="import-detail"),
    path("imports/<int:job_id>/mapping/", imports.import_mapping, name="import-mapping"),
    path("imports/<int:job_id>/run/", imports.import_run, name="import-run"),
    path("imports/<int:job_id>/errors.csv", imports.import_errors, name="import-errors"),
    path("imports/<int:job_id>/file", imports.import_file, name="import-file"),
    path("imports/<int:job_id>/cancel/", imports.import_cancel, name="import-cancel"),
    path("imports/<int:job_id>/images/", imports.import_images, name="import-images"),
    path(
        "imports/<int:job_id>/images/cancel/",
        imports.import_images_cancel,
        name="import-images-cancel",
    ),
    path("export/", exports.product_export, name="product-export"),
    path("exports/<int:export_id>/", exports.export_detail, name="export-detail"),
    path("exports/<int:export_id>/download", exports.export_download, name="export-download"),
    path("exports/<int:export_id>/cancel/", exports.export_cancel, name="export-cancel"),
]
