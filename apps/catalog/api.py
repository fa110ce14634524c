"""Catalog admin API: products, variants (with stock adjustments) and categories.

Explicit input and output serializers; every write calls ``apps.catalog.services`` and every
list calls ``apps.catalog.selectors``, so the API applies the same rules, audit and filters as
the pages. Errors are 400 ``{"errors": {"<field>": ["…"]}, "code": "invalid"}`` where the field
is the input's name (``variants[1].sku`` for a nested row).
"""

from __future__ import annotations

from functools import partial

from django.db.models import Count, QuerySet
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.pagination import CursorPagination
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.api.errors import field_error_response, invalid_response
from apps.api.fields import RuleField, RuleListField
from apps.catalog import inputs, selectors, services
from apps.catalog.models import (
    Category,
    InventoryMovement,
    InventoryReason,
    Product,
    ProductImage,
    ProductStatus,
    Variant,
)
from apps.catalog.permissions import MANAGE_CATALOG
from apps.catalog.services import VARIANT_FIELDS
from apps.core.uploads import upload_was_stopped


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
            *VARIANT_FIELDS,
            "stock_quantity",
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
# Input fields are checked by ``apps.catalog.inputs``, the rules the product form and the import
# use, so a value gets the same verdict and message on every path.
def _money(label: str, *, required: bool = False) -> RuleField:
    return RuleField(
        partial(inputs.money, label=label, required=True),
        required=required,
        allow_null=not required,
        help_text=f'The {label} as a decimal string, e.g. "19.90".',
    )


class VariantInputSerializer(serializers.Serializer):
    """A variant's fields: exactly ``VARIANT_FIELDS`` plus the opening ``stock_quantity``."""

    sku = RuleField(inputs.sku, required=False)
    option_values = serializers.DictField(child=serializers.CharField(), required=False)
    price = _money("price")
    compare_at_price = _money("compare-at price")
    cost = _money("cost")
    weight = RuleField(inputs.weight, required=False, allow_null=True)
    weight_unit = RuleField(inputs.weight_unit, required=False, help_text="g, kg, lb or oz")
    barcode = RuleField(
        inputs.barcode,
        required=False,
        help_text="A GTIN (8, 12, 13 or 14 digits with a valid check digit) or an internal "
        "code with letters.",
    )
    track_inventory = serializers.BooleanField(required=False)
    position = RuleField(
        partial(inputs.count, field="position", label="position"),
        schema_type="integer",
        required=False,
    )
    stock_quantity = RuleField(
        partial(inputs.count, field="stock_quantity", label="stock"),
        schema_type="integer",
        required=False,
        help_text="Opening stock, on create only; later use stock-adjustments.",
    )


class VariantCreateSerializer(VariantInputSerializer):
    product = serializers.IntegerField()
    sku = RuleField(inputs.sku)
    price = _money("price", required=True)


def _optional_handle(value) -> str:
    return inputs.handle(value) if value not in (None, "") else ""


class ProductInputSerializer(serializers.Serializer):
    title = RuleField(partial(inputs.line, field="title", label="title"), required=False)
    handle = RuleField(_optional_handle, required=False, help_text="e.g. linen-shirt")
    description = serializers.CharField(required=False, allow_blank=True)
    status = RuleField(inputs.status, required=False, help_text="draft, active or archived")
    category = serializers.IntegerField(required=False, allow_null=True)
    tags = RuleListField(inputs.tags, required=False, help_text="Up to 50 tags.")
    vendor = RuleField(partial(inputs.line, field="vendor", label="vendor"), required=False)
    seo_title = RuleField(
        partial(inputs.line, field="seo_title", label="SEO title"), required=False
    )
    seo_description = RuleField(
        partial(inputs.line, field="seo_description", label="SEO description"), required=False
    )
    low_stock_threshold = RuleField(
        partial(inputs.count, field="low_stock_threshold", label="low stock threshold"),
        schema_type="integer",
        required=False,
    )


class ProductCreateSerializer(ProductInputSerializer):
    title = RuleField(
        partial(
            inputs.line,
            field="title",
            label="title",
            required=True,
            required_message="Enter a title.",
        )
    )
    variants = VariantInputSerializer(many=True, required=False)


class StockAdjustmentSerializer(serializers.Serializer):
    delta = serializers.IntegerField()
    reason = serializers.ChoiceField(choices=InventoryReason.choices)
    note = serializers.CharField(
        max_length=inputs.TEXT_LIMITS["note"], required=False, allow_blank=True
    )


class CategoryInputSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=inputs.TEXT_LIMITS["category_name"], required=False)
    parent = serializers.IntegerField(required=False, allow_null=True)


class CategoryCreateSerializer(CategoryInputSerializer):
    name = serializers.CharField(max_length=inputs.TEXT_LIMITS["category_name"])


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
    required_perm = MANAGE_CATALOG
    pagination_class = NewestFirst

    def paginate(self, request: Request, queryset: QuerySet, serializer_class) -> Response:
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(queryset, request, view=self)
        data = serializer_class(page, many=True, context={"request": request}).data
        return paginator.get_paginated_response(data)


# --- products -------------------------------------------------------------------------------------
PRODUCT_FILTERS = [
    OpenApiParameter("q", str, description="Search title, SKU, vendor, exact tag"),
    OpenApiParameter("status", str, enum=ProductStatus.values),
    OpenApiParameter("category", str, description="Category id (subcategories included) or none"),
    OpenApiParameter("vendor", str),
    OpenApiParameter("stock", str, enum=list(inputs.STOCK_LABELS)),
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
        rows = request.data.get("variants") if isinstance(request.data, dict) else None
        if isinstance(rows, list):
            inputs.variant_count(len(rows))  # before checking thousands of rows one by one
        serializer = ProductCreateSerializer(data=request.data)
        data = _validated(serializer)
        if data is None:
            return invalid_response(serializer)
        data = dict(data)
        variants = [dict(row) for row in data.pop("variants", [])]
        product = services.product_create(
            store=request.store, actor=request.user, variants=variants, **data
        )
        return Response(
            ProductOutputSerializer(
                selectors.product_get(store=request.store, product_id=product.pk),
                context={"request": request},
            ).data,
            status=status.HTTP_201_CREATED,
        )


class ProductDetailView(CatalogApiView):
    """Read, change (PATCH/PUT with the fields to change) or delete one product."""

    @extend_schema(responses=ProductOutputSerializer)
    def get(self, request: Request, product_id: int) -> Response:
        product = selectors.product_get(store=request.store, product_id=product_id)
        return Response(ProductOutputSerializer(product, context={"request": request}).data)

    @extend_schema(request=ProductInputSerializer, responses=ProductOutputSerializer)
    def patch(self, request: Request, product_id: int) -> Response:
        product = selectors.product_get(store=request.store, product_id=product_id)
        serializer = ProductInputSerializer(data=request.data)
        data = _validated(serializer)
        if data is None:
            return invalid_response(serializer)
        services.product_update(store=request.store, actor=request.user, product=product, **data)
        return self.get(request, product_id)

    put = patch

    @extend_schema(responses={204: None})
    def delete(self, request: Request, product_id: int) -> Response:
        product = selectors.product_get(store=request.store, product_id=product_id)
        services.product_delete(store=request.store, actor=request.user, product=product)
        return Response(status=status.HTTP_204_NO_CONTENT)


class ImageUploadSerializer(serializers.Serializer):
    image = serializers.FileField(help_text="JPEG, PNG, WebP or GIF, up to 10 MB.")
    alt_text = serializers.CharField(
        max_length=inputs.TEXT_LIMITS["alt_text"], required=False, allow_blank=True
    )


class ProductImageListView(CatalogApiView):
    """Upload an image to a product (multipart); the thumbnail is made on upload."""

    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(request=ImageUploadSerializer, responses={201: ImageOutputSerializer})
    def post(self, request: Request, product_id: int) -> Response:
        product = selectors.product_get(store=request.store, product_id=product_id)
        serializer = ImageUploadSerializer(data=request.data)
        if upload_was_stopped(request):  # the body passed the request limit while it was read
            return field_error_response(
                "image",
                f"The image is larger than {services.IMAGE_MAX_BYTES // 1024 // 1024} MB.",
                code="too_large",
                status=status.HTTP_413_REQUEST_ENTITY_TOO_LARGE,
            )
        data = _validated(serializer)
        if data is None:
            return invalid_response(serializer)
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
        product = selectors.product_get(store=request.store, product_id=product_id)
        services.image_delete(
            store=request.store, actor=request.user, product=product, image=image_id
        )
        return Response(status=status.HTTP_204_NO_CONTENT)


# --- variants -------------------------------------------------------------------------------------
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
            return invalid_response(serializer)
        data = dict(data)
        product = Product.objects.for_store(request.store).filter(pk=data.pop("product")).first()
        if product is None:
            return field_error_response("product", "No such product in this store.")
        variant = services.variant_create(
            store=request.store, actor=request.user, product=product, **data
        )
        return Response(VariantOutputSerializer(variant).data, status=status.HTTP_201_CREATED)


class VariantDetailView(CatalogApiView):
    """Read, change or delete one variant. Stock changes go through stock-adjustments."""

    @extend_schema(responses=VariantOutputSerializer)
    def get(self, request: Request, variant_id: int) -> Response:
        return Response(
            VariantOutputSerializer(
                selectors.variant_get(store=request.store, variant_id=variant_id)
            ).data
        )

    @extend_schema(request=VariantInputSerializer, responses=VariantOutputSerializer)
    def patch(self, request: Request, variant_id: int) -> Response:
        variant = selectors.variant_get(store=request.store, variant_id=variant_id)
        serializer = VariantInputSerializer(data=request.data)
        data = _validated(serializer)
        if data is None:
            return invalid_response(serializer)
        variant = services.variant_update(
            store=request.store, actor=request.user, variant=variant, **data
        )
        return Response(VariantOutputSerializer(variant).data)

    put = patch

    @extend_schema(responses={204: None})
    def delete(self, request: Request, variant_id: int) -> Response:
        variant = selectors.variant_get(store=request.store, variant_id=variant_id)
        services.variant_delete(store=request.store, actor=request.user, variant=variant)
        return Response(status=status.HTTP_204_NO_CONTENT)


class VariantStockView(CatalogApiView):
    """The variant's stock history (GET) and a new stock adjustment (POST)."""

    @extend_schema(responses=MovementOutputSerializer(many=True))
    def get(self, request: Request, variant_id: int) -> Response:
        variant = selectors.variant_get(store=request.store, variant_id=variant_id)
        queryset = selectors.variant_movements(store=request.store, variant=variant)
        return self.paginate(request, queryset, MovementOutputSerializer)

    @extend_schema(request=StockAdjustmentSerializer, responses={201: MovementOutputSerializer})
    def post(self, request: Request, variant_id: int) -> Response:
        variant = selectors.variant_get(store=request.store, variant_id=variant_id)
        serializer = StockAdjustmentSerializer(data=request.data)
        data = _validated(serializer)
        if data is None:
            return invalid_response(serializer)
        movement = services.stock_adjust(
            store=request.store, actor=request.user, variant=variant, **data
        )
        return Response(MovementOutputSerializer(movement).data, status=status.HTTP_201_CREATED)


# --- categories -----------------------------------------------------------------------------------
class CategoryListView(CatalogApiView):
    """List (``parent``: an id or ``none`` for top level) and create categories."""

    pagination_class = CategoryOrder

    @extend_schema(
        parameters=[OpenApiParameter("parent", str)],
        responses=CategoryOutputSerializer(many=True),
    )
    def get(self, request: Request) -> Response:
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
            return invalid_response(serializer)
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
        return Response(
            CategoryOutputSerializer(
                selectors.category_get(store=request.store, category_id=category_id)
            ).data
        )

    @extend_schema(request=CategoryInputSerializer, responses=CategoryOutputSerializer)
    def patch(self, request: Request, category_id: int) -> Response:
        category = selectors.category_get(store=request.store, category_id=category_id)
        serializer = CategoryInputSerializer(data=request.data)
        data = _validated(serializer)
        if data is None:
            return invalid_response(serializer)
        category = services.category_change(
            store=request.store,
            actor=request.user,
            category=category,
            **{key: data[key] for key in ("name", "parent") if key in data},
        )
        return Response(CategoryOutputSerializer(category).data)

    put = patch

    @extend_schema(responses={204: None})
    def delete(self, request: Request, category_id: int) -> Response:
        category = selectors.category_get(store=request.store, category_id=category_id)
        services.category_delete(store=request.store, actor=request.user, category=category)
        return Response(status=status.HTTP_204_NO_CONTENT)
