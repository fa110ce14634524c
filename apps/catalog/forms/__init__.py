"""Catalog forms (validation only; services do the work): product pages and import/export pages."""

from apps.catalog.forms.imports import (
    COLUMN_CHOICES,
    ExportForm,
    ImportMappingForm,
    ImportUploadForm,
)
from apps.catalog.forms.products import (
    BaseVariantFormSet,
    BulkActionForm,
    CategoryForm,
    CategoryParentForm,
    IdListField,
    ImageAltForm,
    ImageUploadForm,
    ProductForm,
    StockAdjustForm,
    VariantForm,
    VariantFormSet,
    apply_domain_error,
)

__all__ = [
    "BaseVariantFormSet",
    "BulkActionForm",
    "COLUMN_CHOICES",
    "CategoryForm",
    "CategoryParentForm",
    "ExportForm",
    "IdListField",
    "ImageAltForm",
    "ImageUploadForm",
    "ImportMappingForm",
    "ImportUploadForm",
    "ProductForm",
    "StockAdjustForm",
    "VariantForm",
    "VariantFormSet",
    "apply_domain_error",
]
