from django.urls import path

from apps.catalog import views_io

app_name = "catalog-io"

urlpatterns = [
    path("imports/", views_io.import_list, name="import-list"),
    path("imports/new/", views_io.import_upload, name="import-upload"),
    path("imports/<int:job_id>/", views_io.import_detail, name="import-detail"),
    path("imports/<int:job_id>/mapping/", views_io.import_mapping, name="import-mapping"),
    path("imports/<int:job_id>/run/", views_io.import_run, name="import-run"),
    path("imports/<int:job_id>/errors.csv", views_io.import_errors, name="import-errors"),
    path("export/", views_io.product_export, name="product-export"),
    # ?task=<Celery task id>: a task is no store row, so it travels as a query parameter
    path("export/progress/", views_io.export_progress, name="export-progress"),
    path("export/download/", views_io.export_download, name="export-download"),
]
