from django.urls import path

from apps.catalog import views

app_name = "catalog"

urlpatterns = [
    path("", views.product_list, name="product-list"),
    path("products/new/", views.product_create, name="product-create"),
    path("products/bulk/", views.product_bulk, name="product-bulk"),
    path("products/bulk/<int:bulk_job_id>/", views.bulk_job_detail, name="bulk-job-detail"),
    path("products/<int:product_id>/", views.product_update, name="product-update"),
    path("products/<int:product_id>/delete/", views.product_delete, name="product-delete"),
    path("products/<int:product_id>/images/", views.image_add, name="image-add"),
    path(
        "products/<int:product_id>/images/<int:image_id>/",
        views.image_update,
        name="image-update",
    ),
    path(
        "products/<int:product_id>/images/<int:image_id>/move/",
        views.image_move,
        name="image-move",
    ),
    path(
        "products/<int:product_id>/images/<int:image_id>/delete/",
        views.image_delete,
        name="image-delete",
    ),
    path("variants/<int:variant_id>/", views.variant_detail, name="variant-detail"),
    path("low-stock/", views.low_stock_list, name="low-stock-list"),
    path("categories/", views.category_list, name="category-list"),
    path("categories/new/", views.category_create, name="category-create"),
    path("categories/<int:category_id>/", views.category_update, name="category-update"),
    path("categories/<int:category_id>/move/", views.category_move, name="category-move"),
    path("categories/<int:category_id>/parent/", views.category_parent, name="category-parent"),
    path("categories/<int:category_id>/delete/", views.category_delete, name="category-delete"),
]
