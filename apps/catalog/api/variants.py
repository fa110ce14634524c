"""Variants: list (by product, SKU/barcode, low stock), create, read, change, delete."""

from __future__ import annotations

from functools import partial

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from apps.api.errors import field_error_response, invalid_response
from apps.api.fields import RuleField
from apps.catalog import inputs, selectors, services
from apps.catalog.api.common import CatalogApiView, _money, _validated
from apps.catalog.models import Product, Variant
from apps.catalog.services import VARIANT_FIELDS


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
