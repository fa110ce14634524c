from django.urls import path

from apps.catalog.api import categories, images, products, stock, variants

urlpatterns = [
    path("products/", products.ProductListView.as_view(), name="product-list"),
    path("products/<int:product_id>/", products.ProductDetailView.as_view(), name="product-detail"),
    path(
        "products/<int:product_id>/images/",
        images.ProductImageListView.as_view(),
        name="product-image-list",
    ),
    path(
        "products/<int:product_id>/images/<int:image_id>/",
        images.ProductImageDetailView.as_view(),
        name="product-image-detail",
    ),
    path("variants/", variants.VariantListView.as_view(), name="variant-list"),
    path("variants/<int:variant_id>/", variants.VariantDetailView.as_view(), name="variant-detail"),
    path(
        "variants/<int:variant_id>/stock-adjustments/",
        stock.VariantStockView.as_view(),
        name="variant-stock-adjustments",
    ),
    path("categories/", categories.CategoryListView.as_view(), name="category-list"),
    path(
        "categories/<int:category_id>/",
        categories.CategoryDetailView.as_view(),
        name="category-detail",
    ),
]
