"""What every catalog API view shares: the base view (permission, cursor pagination), the
orderings, the money field and the "validated or None" step."""

from __future__ import annotations

from functools import partial

from django.db.models import QuerySet
from rest_framework import serializers
from rest_framework.pagination import CursorPagination
from rest_framework.permissions import SAFE_METHODS
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.api.fields import RuleField
from apps.catalog import inputs
from apps.catalog.permissions import MANAGE_CATALOG, VIEW_CATALOG


def _validated(serializer: serializers.Serializer) -> dict | None:
    return serializer.validated_data if serializer.is_valid() else None


# Input fields are checked by ``apps.catalog.inputs``, the rules the product form and the import
# use, so a value gets the same verdict and message on every path.
def _money(label: str, *, required: bool = False) -> RuleField:
    return RuleField(
        partial(inputs.money, label=label, required=True),
        required=required,
        allow_null=not required,
        help_text=f'The {label} as a decimal string, e.g. "19.90".',
    )


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
    pagination_class = NewestFirst

    @property
    def required_perm(self) -> str:
        """Reads need what the catalog's pages need to be read (support answers stock
        questions), writes what they need to change it: the API follows the role's pages."""
        return VIEW_CATALOG if self.request.method in SAFE_METHODS else MANAGE_CATALOG

    def paginate(self, request: Request, queryset: QuerySet, serializer_class) -> Response:
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(queryset, request, view=self)
        data = serializer_class(page, many=True, context={"request": request}).data
        return paginator.get_paginated_response(data)
