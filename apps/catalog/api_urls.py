from django.urls import path

from apps.catalog import api

urlpatterns = [
    path("products/", api.ProductListView.as_view(), name="product-list"),
    path("products/<int:product_id>/", api.ProductDetailView.as_view(), name="product-detail"),
    path(
        "products/<int:product_id>/images/",
        api.ProductImageListView.as_view(),
        name="product-image-list",
    ),
    path(
        "products/<int:product_id>/images/<int:image_id>/",
        api.ProductImageDetailView.as_view(),
        name="product-image-detail",
    ),
    path("variants/", api.VariantListView.as_view(), name="variant-list"),
    path("variants/<int:variant_id>/", api.VariantDetailView.as_view(), name="variant-detail"),
    path(
        "variants/<int:variant_id>/stock-adjustments/",
        api.VariantStockView.as_view(),
        name="variant-stock-adjustments",
    ),
    path("categories/", api.CategoryListView.as_view(), name="category-list"),
    path("categories/<int:category_id>/", api.CategoryDetailView.as_view(), name="category-detail"),
]
