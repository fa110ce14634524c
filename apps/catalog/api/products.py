"""Products: list (filters, search, cursor pagination), create with variants, read, change,
delete."""

from __future__ import annotations

from functools import partial

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from apps.api.errors import invalid_response
from apps.api.fields import RuleField, RuleListField
from apps.catalog import inputs, selectors, services
from apps.catalog.api.common import CatalogApiView, _validated
from apps.catalog.api.images import ImageOutputSerializer
from apps.catalog.api.variants import VariantInputSerializer, VariantOutputSerializer
from apps.catalog.models import Product, ProductStatus


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
