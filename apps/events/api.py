"""``POST /api/storefront/v1/events``: a batch of behaviour events (shapes in DESIGN.md). Key,
CORS, rate limit and the body bound come from ``storefront.access.storefront_endpoint``."""

from __future__ import annotations

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, JsonResponse

from apps.events.ingest import BatchRefused, batch_ingest
from apps.storefront.access import (
    error_response,
    json_body,
    problems_response,
    storefront_endpoint,
    unavailable_response,
)


@storefront_endpoint(methods=("POST",), max_body=settings.EVENTS_MAX_BODY_BYTES)
def events(request: HttpRequest) -> JsonResponse:
    if len(request.body) > settings.EVENTS_MAX_BODY_BYTES:  # a body sent without its length
        return error_response(
            f"The request body is larger than {settings.EVENTS_MAX_BODY_BYTES:,} bytes.",
            code="too_large",
            status=413,
        )
    payload, error = json_body(request)
    if error:
        return error
    try:
        result = batch_ingest(request.store, payload)
    except BatchRefused as refused:
        return problems_response({refused.field: [refused.message]})
    except (OperationalError, InterfaceError):
        return unavailable_response()
    return JsonResponse(result.as_json())
