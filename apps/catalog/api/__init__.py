"""Catalog admin API: products, variants (with stock adjustments), categories and images.

One module per resource: ``products``, ``variants``, ``stock``, ``categories``, ``images``;
``common`` holds the base view and pagination. ``apps.catalog.api_urls`` routes them.

Explicit input and output serializers; every write calls ``apps.catalog.services`` and every
list calls ``apps.catalog.selectors``, so the API applies the same rules, audit and filters as
the pages. Errors are 400 ``{"errors": {"<field>": ["…"]}, "code": "invalid"}`` where the field
is the input's name (``variants[1].sku`` for a nested row).
"""

from apps.catalog.api.categories import (
    CategoryCreateSerializer,
    CategoryDetailView,
    CategoryInputSerializer,
    CategoryListView,
    CategoryOutputSerializer,
)
from apps.catalog.api.common import CatalogApiView, CategoryOrder, NewestFirst
from apps.catalog.api.images import (
    ImageOutputSerializer,
    ImageUploadSerializer,
    ProductImageDetailView,
    ProductImageListView,
)
from apps.catalog.api.products import (
    PRODUCT_FILTERS,
    ProductCreateSerializer,
    ProductDetailView,
    ProductInputSerializer,
    ProductListView,
    ProductOutputSerializer,
)
from apps.catalog.api.stock import (
    MovementOutputSerializer,
    StockAdjustmentSerializer,
    VariantStockView,
)
from apps.catalog.api.variants import (
    VariantCreateSerializer,
    VariantDetailView,
    VariantInputSerializer,
    VariantListView,
    VariantOutputSerializer,
)

__all__ = [
    "PRODUCT_FILTERS",
    "CatalogApiView",
    "CategoryCreateSerializer",
    "CategoryDetailView",
    "CategoryInputSerializer",
    "CategoryListView",
    "CategoryOrder",
    "CategoryOutputSerializer",
    "ImageOutputSerializer",
    "ImageUploadSerializer",
    "MovementOutputSerializer",
    "NewestFirst",
    "ProductCreateSerializer",
    "ProductDetailView",
    "ProductImageDetailView",
    "ProductImageListView",
    "ProductInputSerializer",
    "ProductListView",
    "ProductOutputSerializer",
    "StockAdjustmentSerializer",
    "VariantCreateSerializer",
    "VariantDetailView",
    "VariantInputSerializer",
    "VariantListView",
    "VariantOutputSerializer",
    "VariantStockView",
]
