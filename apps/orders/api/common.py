"""What the orders API's views share: permission by method, cursor pagination."""

from __future__ import annotations

from rest_framework.pagination import CursorPagination
from rest_framework.views import APIView


class NewestFirst(CursorPagination):
    ordering = ("-placed_at", "-id")
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200


class CustomerOrder(NewestFirst):
    ordering = ("-id",)


class ByMethodPermission(APIView):
    """``required_perm`` by the request's method (``permissions`` maps method → permission)."""

    permissions: dict[str, str] = {}

    @property
    def required_perm(self) -> str:
        return self.permissions.get(self.request.method, self.permissions["GET"])

    def paginate(self, request, queryset, serializer_class, pagination_class):
        paginator = pagination_class()
        page = paginator.paginate_queryset(queryset, request, view=self)
        return paginator.get_paginated_response(serializer_class(page, many=True).data)
