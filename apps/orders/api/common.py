"""What the orders API's views share: permission by method, cursor pagination."""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.pagination import CursorPagination
from rest_framework.views import APIView

BAD_CURSOR = (
    "This cursor is not one the list gave out: start from the first page (no cursor) and "
    "follow the next and previous links."
)


class NewestFirst(CursorPagination):
    """Newest first by cursor. A cursor that is not one the list gave out (cut, edited, from
    another list) is a 400 naming it, never a 404 for the whole list or a 500."""

    ordering = ("-placed_at", "-id")
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200

    def paginate_queryset(self, queryset, request, view=None):
        try:
            return super().paginate_queryset(queryset, request, view)
        except (NotFound, DjangoValidationError, ValueError, TypeError, OverflowError):
            if not request.query_params.get(self.cursor_query_param):
                raise
            raise ValidationError({self.cursor_query_param: [BAD_CURSOR]}) from None


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
