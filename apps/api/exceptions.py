from rest_framework.views import exception_handler as drf_exception_handler

from apps.core.exceptions import DomainError


def exception_handler(exc, context):
    """Domain errors become 400s naming the field and a code; the rest is DRF's usual."""
    if isinstance(exc, DomainError):
        from rest_framework.response import Response

        field = exc.field or "non_field_errors"
        return Response({"errors": {field: [exc.message]}, "code": exc.code}, status=400)
    return drf_exception_handler(exc, context)
