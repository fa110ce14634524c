"""``POST /api/storefront/v1/events``: a batch of behaviour events (shapes in DESIGN.md). Key,
CORS, rate limit and the body bound come from ``storefront.access.storefront_endpoint``.

``GET /api/v1/analytics/summary`` and ``/funnel``: the figures of a range of store-local days,
read from the daily rollups, for owners and managers."""

from __future__ import annotations

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, JsonResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.core.exceptions import DomainError
from apps.core.money import money_plain
from apps.events import selectors
from apps.events.ingest import BatchRefused, batch_ingest
from apps.events.permissions import VIEW_ANALYTICS
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


# --- the admin API: /api/v1/analytics/… -----------------------------------------------------------
ANALYTICS_PARAMETERS = [
    OpenApiParameter("start", str, description="First store-local day, YYYY-MM-DD"),
    OpenApiParameter("end", str, description="Last store-local day (included), YYYY-MM-DD"),
    OpenApiParameter("device", str, description="desktop, mobile, tablet or other"),
    OpenApiParameter("channel", str, description="The events' channel, e.g. email"),
    OpenApiParameter("country", str, description="Two-letter country code"),
]


class AnalyticsView(APIView):
    required_perm = VIEW_ANALYTICS

    def query(self, request: Request) -> selectors.AnalyticsQuery:
        query, errors = selectors.analytics_query_read(request.store, request.query_params)
        if errors:
            field, messages = next(iter(errors.items()))
            raise DomainError(messages[0], field=field)
        return query

    def envelope(self, query: selectors.AnalyticsQuery) -> dict:
        refreshed = selectors.refreshed_at()
        return {
            "start": query.start.isoformat(),
            "end": query.end.isoformat(),
            "currency": self.request.store.currency,
            "updated_at": refreshed.isoformat() if refreshed else None,
        }


class AnalyticsSummaryView(AnalyticsView):
    @extend_schema(parameters=ANALYTICS_PARAMETERS, responses=OpenApiTypes.OBJECT)
    def get(self, request: Request) -> Response:
        query = self.query(request)
        summary = selectors.analytics_summary(store=request.store, query=query)
        currency = request.store.currency
        for name in ("revenue", "average_order_value", "abandoned_value", "recovered_revenue"):
            if summary[name] is not None:
                summary[name] = money_plain(summary[name], currency)
        return Response({**self.envelope(query), **summary})


class AnalyticsFunnelView(AnalyticsView):
    @extend_schema(parameters=ANALYTICS_PARAMETERS, responses=OpenApiTypes.OBJECT)
    def get(self, request: Request) -> Response:
        query = self.query(request)
        steps = selectors.analytics_funnel(store=request.store, query=query)
        return Response({**self.envelope(query), "steps": steps})
