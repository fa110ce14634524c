"""Catalog admin API: products, variants (with stock adjustments) and categories.

Explicit input and output serializers; every write calls ``apps.catalog.services`` and every
list calls ``apps.catalog.selectors``, so the API applies the same rules, audit and filters as
the pages. Errors are 400 ``{"errors": {"<field>": ["…"]}, "code": "invalid"}`` where the field
is the input's name (``variants[1].sku`` for a nested row).
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.pagination import CursorPagination
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.accounts.roles import Perm
from apps.catalog import selectors, services
from apps.catalog.models import (
    Category,
    InventoryMovement,
    InventoryReason,
    Product,
    ProductImage,
    ProductStatus,
    Variant,
    WeightUnit,
)


# --- errors ---------------------------------------------------------------------------------------
def _flatten(errors, prefix: str = "") -> dict[str, list[str]]:
    """DRF's nested error dict → ``{"variants[1].price": ["…"]}``."""
    flat: dict[str, list[str]] = {}
    if isinstance(errors, dict):
        for key, value in errors.items():
            if isinstance(key, int) or str(key).isdigit():
                name = f"{prefix}[{key}]"
            elif key == "non_field_errors":
                name = prefix
            else:
                name = f"{prefix}.{key}" if prefix else str(key)
            flat.update(_flatten(value, name))
    elif isinstance(errors, list):
        if all(isinstance(item, str) for item in errors):
            flat[prefix or "non_field_errors"] = [str(item) for item in errors]
        else:
            for index, item in enumerate(errors):
                if item:
                    flat.update(_flatten(item, f"{prefix}[{index}]"))
    else:
        flat[prefix or "non_field_errors"] = [str(errors)]
    return flat


def _invalid(serializer: serializers.Serializer) -> Response:
    return Response(
        {"errors": _flatten(serializer.errors), "code": "invalid"},
        status=status.HTTP_400_BAD_REQUEST,
    )


def _validated(serializer: serializers.Serializer) -> dict | None:
    return serializer.validated_data if serializer.is_valid() else None


# --- output serializers ---------------------------------------------------------------------------
class ImageOutputSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()
    thumbnail_url = serializers.SerializerMethodField()

    class Meta:
        model = ProductImage
        fields = ["id", "url", "thumbnail_url", "alt_text", "position"]

    def _absolute(self, file) -> str | None:
        if not file:
            return None
        request = self.context.get("request")
        return request.build_absolute_uri(file.url) if request else file.url

    def get_url(self, obj) -> str | None:
        return self._absolute(obj.image)

    def get_thumbnail_url(self, obj) -> str | None:
        return self._absolute(obj.thumbnail)


class VariantOutputSerializer(serializers.ModelSerializer):
    class Meta:
        model = Variant
        fields = [
            "id",
            "product",
            "sku",
            "option_values",
            "price",
            "compare_at_price",
            "cost",
            "weight",
            "weight_unit",
            "barcode",
            "stock_quantity",
            "track_inventory",
            "position",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class ProductOutputSerializer(serializers.ModelSerializer):
    variants = VariantOutputSerializer(many=True, read_only=True)
    images = ImageOutputSerializer(many=True, read_only=True)
    category_name = serializers.CharField(source="category.name", default=None, read_only=True)

    class Meta:
        model = Product
        fields = [
            "id",
            "title",
            "handle",
            "description",
            "status",
            "category",
            "category_name",
            "tags",
            "vendor",
            "seo_title",
            "seo_description",
            "low_stock_threshold",
            "variants",
            "images",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class CategoryOutputSerializer(serializers.ModelSerializer):
    product_count = serializers.IntegerField(read_only=True, default=None)

    class Meta:
        model = Category
        fields = ["id", "name", "slug", "parent", "position", "product_count"]
        read_only_fields = fields


class MovementOutputSerializer(serializers.ModelSerializer):
    actor = serializers.SerializerMethodField()

    class Meta:
        model = InventoryMovement
        fields = [
            "id",
            "variant",
            "delta",
            "quantity_after",
            "reason",
            "note",
            "actor",
            "created_at",
        ]
        read_only_fields = fields

    def get_actor(self, obj) -> str | None:
        return obj.actor.email if obj.actor else None


# --- input serializers ----------------------------------------------------------------------------
class VariantInputSerializer(serializers.Serializer):
    sku = serializers.CharField(max_length=64, required=False)
    option_values = serializers.DictField(child=serializers.CharField(), required=False)
    price = serializers.DecimalField(max_digits=12, decimal_places=2, required=False)
    compare_at_price = serializers.DecimalField(
        max_digits=12, decimal_places=2, required=False, allow_null=True
    )
    cost = serializers.DecimalField(
        max_digits=12, decimal_places=2, required=False, allow_null=True
    )
    weight = serializers.DecimalField(
        max_digits=10, decimal_places=3, required=False, allow_null=True
    )
    weight_unit = serializers.ChoiceField(choices=WeightUnit.choices, required=False)
    barcode = serializers.CharField(max_length=64, required=False, allow_blank=True)
    track_inventory = serializers.BooleanField(required=False)
    position = serializers.IntegerField(required=False, min_value=0)
    stock_quantity = serializers.IntegerField(
        required=False, help_text="Opening stock, on create only; later use stock-adjustments."
    )


class VariantCreateSerializer(VariantInputSerializer):
    product = serializers.IntegerField()
    sku = serializers.CharField(max_length=64)
    price = serializers.DecimalField(max_digits=12, decimal_places=2)


class ProductInputSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=255, required=False)
    handle = serializers.CharField(max_length=255, required=False, allow_blank=True)
    description = serializers.CharField(required=False, allow_blank=True)
    status = serializers.ChoiceField(choices=ProductStatus.choices, required=False)
    category = serializers.IntegerField(required=False, allow_null=True)
    tags = serializers.ListField(
        child=serializers.CharField(max_length=50), required=False, max_length=50
    )
    vendor = serializers.CharField(max_length=120, required=False, allow_blank=True)
    seo_title = serializers.CharField(max_length=70, required=False, allow_blank=True)
    seo_description = serializers.CharField(max_length=320, required=False, allow_blank=True)
    low_stock_threshold = serializers.IntegerField(required=False)


class ProductCreateSerializer(ProductInputSerializer):
    title = serializers.CharField(max_length=255)
    variants = VariantInputSerializer(many=True, required=False)


class StockAdjustmentSerializer(serializers.Serializer):
    delta = serializers.IntegerField()
    reason = serializers.ChoiceField(choices=InventoryReason.choices)
    note = serializers.CharField(max_length=255, required=False, allow_blank=True)


class CategoryInputSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=120, required=False)
    parent = serializers.IntegerField(required=False, allow_null=True)


class CategoryCreateSerializer(CategoryInputSerializer):
    name = serializers.CharField(max_length=120)


# --- pagination -----------------------------------------------------------------------------------
class NewestFirst(CursorPagination):
    ordering = "-id"
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200


class CategoryOrder(CursorPagination):
    ordering = ("id",)
    page_size = 200
    page_size_query_param = "page_size"
    max_page_size = 500


class CatalogApiView(APIView):
    required_perm = Perm.MANAGE_CATALOG
    pagination_class = NewestFirst

    def paginate(self, request: Request, queryset: QuerySet, serializer_class) -> Response:
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(queryset, request, view=self)
        data = serializer_class(page, many=True, context={"request": request}).data
        return paginator.get_paginated_response(data)


def _product_or_404(request: Request, product_id: int) -> Product:
    product = selectors.product_detail_queryset(store=request.store).filter(pk=product_id).first()
    if product is None:
        raise Http404("No such product.")
    return product


# --- products -------------------------------------------------------------------------------------
PRODUCT_FILTERS = [
    OpenApiParameter("q", str, description="Search title, SKU, vendor, exact tag"),
    OpenApiParameter("status", str, enum=ProductStatus.values),
    OpenApiParameter("category", str, description="Category id (subcategories included) or none"),
    OpenApiParameter("vendor", str),
    OpenApiParameter("stock", str, enum=["in", "low", "out"]),
]


class ProductListView(CatalogApiView):
    """List (filter, search, cursor pagination) and create products."""

    @extend_schema(parameters=PRODUCT_FILTERS, responses=ProductOutputSerializer(many=True))
    def get(self, request: Request) -> Response:
        filtered = selectors.product_filter(store=request.store, params=request.query_params)
        queryset = selectors.product_detail_queryset(store=request.store).filter(
            pk__in=filtered.order_by().values("pk")
        )
        return self.paginate(request, queryset, ProductOutputSerializer)

    @extend_schema(request=ProductCreateSerializer, responses={201: ProductOutputSerializer})
    def post(self, request: Request) -> Response:
        serializer = ProductCreateSerializer(data=request.data)
        data = _validated(serializer)
        if data is None:
            return _invalid(serializer)
        data = dict(data)
        variants = [dict(row) for row in data.pop("variants", [])]
        product = services.product_create(
            store=request.store, actor=request.user, variants=variants, **data
        )
        return Response(
            ProductOutputSerializer(
                _product_or_404(request, product.pk), context={"request": request}
            ).data,
            status=status.HTTP_201_CREATED,
        )


class ProductDetailView(CatalogApiView):
    """Read, change (PATCH/PUT with the fields to change) or delete one product."""

    @extend_schema(responses=ProductOutputSerializer)
    def get(self, request: Request, product_id: int) -> Response:
        product = _product_or_404(request, product_id)
        return Response(ProductOutputSerializer(product, context={"request": request}).data)

    @extend_schema(request=ProductInputSerializer, responses=ProductOutputSerializer)
    def patch(self, request: Request, product_id: int) -> Response:
        product = _product_or_404(request, product_id)
        serializer = ProductInputSerializer(data=request.data)
        data = _validated(serializer)
        if data is None:
            return _invalid(serializer)
        services.product_update(store=request.store, actor=request.user, product=product, **data)
        return self.get(request, product_id)

    put = patch

    @extend_schema(responses={204: None})
    def delete(self, request: Request, product_id: int) -> Response:
        product = _product_or_404(request, product_id)
        services.product_delete(store=request.store, actor=request.user, product=product)
        return Response(status=status.HTTP_204_NO_CONTENT)


class ImageUploadSerializer(serializers.Serializer):
    image = serializers.FileField(help_text="JPEG, PNG, WebP or GIF, up to 10 MB.")
    alt_text = serializers.CharField(max_length=255, required=False, allow_blank=True)


class ProductImageListView(CatalogApiView):
    """Upload an image to a product (multipart); the thumbnail is made on upload."""

    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(request=ImageUploadSerializer, responses={201: ImageOutputSerializer})
    def post(self, request: Request, product_id: int) -> Response:
        product = _product_or_404(request, product_id)
        serializer = ImageUploadSerializer(data=request.data)
        data = _validated(serializer)
        if data is None:
            return _invalid(serializer)
        image = services.image_add(
            store=request.store,
            actor=request.user,
            product=product,
            upload=data["image"],
            alt_text=data.get("alt_text", ""),
        )
        return Response(
            ImageOutputSerializer(image, context={"request": request}).data,
            status=status.HTTP_201_CREATED,
        )


class ProductImageDetailView(CatalogApiView):
    """Remove one image of a product."""

    @extend_schema(responses={204: None})
    def delete(self, request: Request, product_id: int, image_id: int) -> Response:
        product = _product_or_404(request, product_id)
        services.image_delete(
            store=request.store, actor=request.user, product=product, image=image_id
        )
        return Response(status=status.HTTP_204_NO_CONTENT)


# --- variants -------------------------------------------------------------------------------------
def _variant_or_404(request: Request, variant_id: int) -> Variant:
    variant = Variant.objects.for_store(request.store).filter(pk=variant_id).first()
    if variant is None:
        raise Http404("No such variant.")
    return variant


class VariantListView(CatalogApiView):
    """List (``product``, ``q`` on SKU/barcode, ``low_stock=true``) and create variants."""

    @extend_schema(
        parameters=[
            OpenApiParameter("product", int),
            OpenApiParameter("q", str, description="SKU contains, or exact barcode"),
            OpenApiParameter("low_stock", bool),
        ],
        responses=VariantOutputSerializer(many=True),
    )
    def get(self, request: Request) -> Response:
        params = request.query_params
        if params.get("low_stock") in {"true", "1"}:
            queryset = selectors.low_stock_variants(store=request.store)
            queryset = queryset.filter(
                pk__in=selectors.variant_list(store=request.store, params=params).values("pk")
            )
        else:
            queryset = selectors.variant_list(store=request.store, params=params)
        return self.paginate(request, queryset, VariantOutputSerializer)

    @extend_schema(request=VariantCreateSerializer, responses={201: VariantOutputSerializer})
    def post(self, request: Request) -> Response:
        serializer = VariantCreateSerializer(data=request.data)
        data = _validated(serializer)
        if data is None:
            return _invalid(serializer)
        data = dict(data)
        product = Product.objects.for_store(request.store).filter(pk=data.pop("product")).first()
        if product is None:
            return Response(
                {"errors": {"product": ["No such product in this store."]}, "code": "invalid"},
                status=status.HTTP_400_BAD_REQUEST,
            )
        variant = services.variant_create(
            store=request.store, actor=request.user, product=product, **data
        )
        return Response(VariantOutputSerializer(variant).data, status=status.HTTP_201_CREATED)


class VariantDetailView(CatalogApiView):
    """Read, change or delete one variant. Stock changes go through stock-adjustments."""

    @extend_schema(responses=VariantOutputSerializer)
    def get(self, request: Request, variant_id: int) -> Response:
        return Response(VariantOutputSerializer(_variant_or_404(request, variant_id)).data)

    @extend_schema(request=VariantInputSerializer, responses=VariantOutputSerializer)
    def patch(self, request: Request, variant_id: int) -> Response:
        variant = _variant_or_404(request, variant_id)
        serializer = VariantInputSerializer(data=request.data)
        data = _validated(serializer)
        if data is None:
            return _invalid(serializer)
        variant = services.variant_update(
            store=request.store, actor=request.user, variant=variant, **data
        )
        return Response(VariantOutputSerializer(variant).data)

    put = patch

    @extend_schema(responses={204: None})
    def delete(self, request: Request, variant_id: int) -> Response:
        variant = _variant_or_404(request, variant_id)
        services.variant_delete(store=request.store, actor=request.user, variant=variant)
        return Response(status=status.HTTP_204_NO_CONTENT)


class VariantStockView(CatalogApiView):
    """The variant's stock history (GET) and a new stock adjustment (POST)."""

    @extend_schema(responses=MovementOutputSerializer(many=True))
    def get(self, request: Request, variant_id: int) -> Response:
        variant = _variant_or_404(request, variant_id)
        queryset = selectors.variant_movements(store=request.store, variant=variant)
        return self.paginate(request, queryset, MovementOutputSerializer)

    @extend_schema(request=StockAdjustmentSerializer, responses={201: MovementOutputSerializer})
    def post(self, request: Request, variant_id: int) -> Response:
        variant = _variant_or_404(request, variant_id)
        serializer = StockAdjustmentSerializer(data=request.data)
        data = _validated(serializer)
        if data is None:
            return _invalid(serializer)
        movement = services.stock_adjust(
            store=request.store, actor=request.user, variant=variant, **data
        )
        return Response(MovementOutputSerializer(movement).data, status=status.HTTP_201_CREATED)


# --- categories -----------------------------------------------------------------------------------
def _category_or_404(request: Request, category_id: int) -> Category:
    category = selectors.category_get(store=request.store, category_id=category_id)
    if category is None:
        raise Http404("No such category.")
    return category


class CategoryListView(CatalogApiView):
    """List (``parent``: an id or ``none`` for top level) and create categories."""

    pagination_class = CategoryOrder

    @extend_schema(
        parameters=[OpenApiParameter("parent", str)],
        responses=CategoryOutputSerializer(many=True),
    )
    def get(self, request: Request) -> Response:
        from django.db.models import Count

        queryset = selectors.category_list(store=request.store).annotate(
            product_count=Count("products")
        )
        parent = request.query_params.get("parent")
        if parent == "none":
            queryset = queryset.filter(parent__isnull=True)
        elif parent:
            try:
                queryset = queryset.filter(parent_id=int(parent))
            except ValueError:
                queryset = queryset.none()
        return self.paginate(request, queryset, CategoryOutputSerializer)

    @extend_schema(request=CategoryCreateSerializer, responses={201: CategoryOutputSerializer})
    def post(self, request: Request) -> Response:
        serializer = CategoryCreateSerializer(data=request.data)
        data = _validated(serializer)
        if data is None:
            return _invalid(serializer)
        category = services.category_create(
            store=request.store,
            actor=request.user,
            name=data["name"],
            parent=data.get("parent"),
        )
        return Response(CategoryOutputSerializer(category).data, status=status.HTTP_201_CREATED)


class CategoryDetailView(CatalogApiView):
    """Read, rename / move under another parent (PATCH), or delete a category."""

    @extend_schema(responses=CategoryOutputSerializer)
    def get(self, request: Request, category_id: int) -> Response:
        return Response(CategoryOutputSerializer(_category_or_404(request, category_id)).data)

    @extend_schema(request=CategoryInputSerializer, responses=CategoryOutputSerializer)
    def patch(self, request: Request, category_id: int) -> Response:
        category = _category_or_404(request, category_id)
        serializer = CategoryInputSerializer(data=request.data)
        data = _validated(serializer)
        if data is None:
            return _invalid(serializer)
        if "name" in data:
            category = services.category_update(
                store=request.store, actor=request.user, category=category, name=data["name"]
            )
        if "parent" in data:
            category = services.category_set_parent(
                store=request.store, actor=request.user, category=category, parent=data["parent"]
            )
        return Response(CategoryOutputSerializer(category).data)

    put = patch

    @extend_schema(responses={204: None})
    def delete(self, request: Request, category_id: int) -> Response:
        category = _category_or_404(request, category_id)
        services.category_delete(store=request.store, actor=request.user, category=category)
        return Response(status=status.HTTP_204_NO_CONTENT)
