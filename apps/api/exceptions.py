from rest_framework.views import exception_handler as drf_exception_handler

from apps.api.errors import domain_error_response
from apps.core.exceptions import DomainError


def exception_handler(exc, context):
    """Domain errors become 400s naming the field and a code; the rest is DRF's usual."""
    if isinstance(exc, DomainError):
        return domain_error_response(exc)
    return drf_exception_handler(exc, context)
