"""Categories: list (by parent), create, read, rename or move, delete."""

from __future__ import annotations

from django.db.models import Count
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from apps.api.errors import invalid_response
from apps.catalog import inputs, selectors, services
from apps.catalog.api.common import CatalogApiView, CategoryOrder, _validated
from apps.catalog.models import Category


class CategoryOutputSerializer(serializers.ModelSerializer):
    product_count = serializers.IntegerField(read_only=True, default=None)

    class Meta:
        model = Category
        fields = ["id", "name", "slug", "parent", "position", "product_count"]
        read_only_fields = fields


class CategoryInputSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=inputs.TEXT_LIMITS["category_name"], required=False)
    parent = serializers.IntegerField(required=False, allow_null=True)


class CategoryCreateSerializer(CategoryInputSerializer):
    name = serializers.CharField(max_length=inputs.TEXT_LIMITS["category_name"])


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
