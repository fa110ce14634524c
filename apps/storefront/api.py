"""The storefront API's checkout endpoints (shapes in DESIGN.md): shipping quotes and payment
methods. Key, CORS, rate limit and body bound come from ``access.storefront_endpoint``."""

from __future__ import annotations

from django.http import HttpRequest, JsonResponse
from django.utils import timezone

from apps.storefront import checkout
from apps.storefront.access import json_body, problems_response, storefront_endpoint


def _money(value) -> str:
    return f"{value:f}"


@storefront_endpoint(methods=("POST",))
def shipping_quote(request: HttpRequest) -> JsonResponse:
    payload, error = json_body(request)
    if error:
        return error
    today = timezone.localdate(timezone=request.store.tzinfo)
    quote, problems = checkout.shipping_quote(request.store, payload, today=today)
    if problems:
        return problems_response(problems.errors)
    return JsonResponse(
        {
            "options": [
                {
                    "carrier": option.carrier,
                    "service": option.service_code,
                    "name": option.name,
                    "price": _money(option.price),
                    "currency": option.currency,
                    "delivery_days": [option.days_min, option.days_max],
                }
                for option in quote.options
            ],
            "excluded": [{"name": e.name, "reason": e.reason} for e in quote.shopper_exclusions],
        }
    )


@storefront_endpoint(methods=("GET",))
def payment_methods(request: HttpRequest) -> JsonResponse:
    answer, problems = checkout.payment_query(request.store, request.GET)
    if problems:
        return problems_response(problems.errors)
    return JsonResponse(
        {
            "methods": [
                {
                    "code": method.code,
                    "name": method.name,
                    "kind": method.kind,
                    "fee": _money(method.fee),
                    "currency": method.currency,
                    "instructions": method.instructions,
                    "test_mode": method.test_mode,
                }
                for method in answer.methods
            ],
            "excluded": [{"name": e.name, "reason": e.reason} for e in answer.shopper_exclusions],
        }
    )
