"""The admin API's error shape, in one place: ``{"errors": {field: [message]}, "code"}``.

``field`` is the input's path, the way a client wrote it: ``title``, ``variants[2].sku``,
``non_field_errors`` for the request as a whole. Serializer errors and domain errors raised by
services come out the same way, so a client handles one shape.
"""

from __future__ import annotations

from rest_framework import serializers, status
from rest_framework.response import Response

from apps.core.exceptions import DomainError

NON_FIELD = "non_field_errors"


def errors_flatten(errors, prefix: str = "") -> dict[str, list[str]]:
    """DRF's nested error dict → ``{"variants[1].price": ["…"]}``."""
    flat: dict[str, list[str]] = {}
    if isinstance(errors, dict):
        for key, value in errors.items():
            if isinstance(key, int) or str(key).isdigit():
                name = f"{prefix}[{key}]"
            elif key == NON_FIELD:
                name = prefix
            else:
                name = f"{prefix}.{key}" if prefix else str(key)
            flat.update(errors_flatten(value, name))
    elif isinstance(errors, list):
        if all(isinstance(item, str) for item in errors):
            flat[prefix or NON_FIELD] = [str(item) for item in errors]
        else:
            for index, item in enumerate(errors):
                if item:
                    flat.update(errors_flatten(item, f"{prefix}[{index}]"))
    else:
        flat[prefix or NON_FIELD] = [str(errors)]
    return flat


def invalid_response(serializer: serializers.Serializer) -> Response:
    """The 400 for a serializer that did not validate."""
    return Response(
        {"errors": errors_flatten(serializer.errors), "code": "invalid"},
        status=status.HTTP_400_BAD_REQUEST,
    )


def domain_error_response(error: DomainError) -> Response:
    """The 400 for a service's ``DomainError``, naming its field and code."""
    return Response(
        {"errors": {error.field or NON_FIELD: [error.message]}, "code": error.code},
        status=status.HTTP_400_BAD_REQUEST,
    )


def error_body(message: str, *, code: str, field: str = NON_FIELD) -> dict:
    """The shape of every API error: one message on one field (the request's by default)."""
    return {"errors": {field: [message]}, "code": code}


def field_error_response(
    field: str, message: str, *, code: str = "invalid", status: int = status.HTTP_400_BAD_REQUEST
) -> Response:
    return Response(error_body(message, code=code, field=field), status=status)
