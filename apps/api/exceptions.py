"""Every error of the admin API in one shape (see ``apps.api.errors``):
``{"errors": {<field or "non_field_errors">: ["message"]}, "code": "<code>"}``.

Validation 400 (``invalid``, with the fields), domain errors 400 (the error's code), malformed
JSON 400 (``parse_error``), 401 (``not_authenticated`` / ``authentication_failed``, with
``WWW-Authenticate``), 403 (``permission_denied``), 404 (``not_found``), 405, 415, throttled
429 (``throttled``, with ``Retry-After``) and a body over ``DATA_UPLOAD_MAX_MEMORY_SIZE`` 413
(``too_large``). A request body over the portal's own limit is refused as 413 before the API
sees it (``apps.core.limits``), and an error Django answers itself under ``/api/`` (an unknown
address, a server error) is reshaped by ``ApiErrorShapeMiddleware`` — all in the same shape.
"""

from __future__ import annotations

from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.http import HttpRequest, HttpResponse, JsonResponse
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from apps.api.errors import domain_error_response, error_body, errors_flatten
from apps.core.exceptions import DomainError

TOO_LARGE_MESSAGE = "The request body is too large."

# Django's own error responses under /api/ (no DRF view answered): status → code and message
DJANGO_ERRORS = {
    400: ("bad_request", "Bad request."),
    403: ("permission_denied", "You do not have permission to perform this action."),
    404: ("not_found", "Not found."),
    405: ("method_not_allowed", "Method not allowed."),
    413: ("too_large", TOO_LARGE_MESSAGE),
    500: ("server_error", "Server error."),
}


def exception_handler(exc, context):
    """Domain errors become 400s naming the field and a code; every other error the same
    shape with DRF's status, headers and message."""
    if isinstance(exc, DomainError):
        return domain_error_response(exc)
    if isinstance(exc, RequestDataTooBig):
        return Response(
            error_body(TOO_LARGE_MESSAGE, code="too_large"),
            status=status.HTTP_413_REQUEST_ENTITY_TOO_LARGE,
        )
    if isinstance(exc, TooManyFieldsSent | TooManyFilesSent):
        return Response(
            error_body("The request has too many fields.", code="too_many_fields"),
            status=status.HTTP_400_BAD_REQUEST,
        )
    response = drf_exception_handler(exc, context)
    if response is None:
        return None  # a server error: Django's 500, reshaped by the middleware
    if isinstance(exc, exceptions.ValidationError):
        response.data = {"errors": errors_flatten(response.data), "code": "invalid"}
    else:
        detail = response.data.get("detail") if isinstance(response.data, dict) else None
        code = getattr(detail, "code", None) or getattr(exc, "default_code", "error")
        message = str(detail) if detail is not None else str(exc)
        response.data = error_body(message, code=code)
    return response


class ApiErrorShapeMiddleware:
    """An error response under ``/api/`` that is not JSON (Django's own 404 for an unknown
    address, its 400/403/500 pages) comes back in the API's error shape."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if (
            request.path.startswith("/api/")
            and response.status_code >= 400
            and not response.get("Content-Type", "").startswith("application/json")
        ):
            code, message = DJANGO_ERRORS.get(response.status_code, ("error", "Error."))
            shaped = JsonResponse(error_body(message, code=code), status=response.status_code)
            for header in ("Allow", "Retry-After", "WWW-Authenticate"):
                if header in response:
                    shaped[header] = response[header]
            return shaped
        return response
