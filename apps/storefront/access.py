"""The storefront API's front door, in one place for every storefront endpoint (quotes and
payment methods today, event ingestion and overlays later): ``@storefront_endpoint(...)``.

- **Key.** The store's publishable key in the ``X-Store-Key`` header names the store (401
  without a known key). The key → store look-up is cached for ``STOREFRONT_KEY_CACHE_SECONDS``.
- **CORS.** A request with an ``Origin`` the store does not list in its allowed origins is
  refused (403); an allowed one gets ``Access-Control-Allow-Origin`` with that origin. A
  preflight (``OPTIONS``, which carries no key) is answered for origins some store allows.
- **Rate limit.** ``STOREFRONT_RATE`` requests per key (e.g. ``1200/min``) in fixed windows
  counted in the cache (Redis in production, so every process shares the count); past it a
  429 with ``Retry-After``.
- **Database down.** A request that cannot reach the database answers 503 with
  ``Retry-After`` (``unavailable_response``), so a storefront retries later.
- **Body size.** A body over the endpoint's bound (``STOREFRONT_MAX_BODY_BYTES`` unless the
  endpoint sets its own) is a 413 before it is read.
- **JSON.** ``json_body`` answers 400 ``parse_error`` for a body that is not JSON or nests
  deeper than ``MAX_JSON_DEPTH`` levels.

Every error is the admin API's shape: ``{"errors": {field: [message]}, "code": …}``.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt

from apps.core.models import Store

KEY_HEADER = "X-Store-Key"
MAX_JSON_DEPTH = 32  # a quote body nests 3 levels; events and overlays stay well under this
RETRY_AFTER_SECONDS = 30  # when the database is unreachable
NON_FIELD = "non_field_errors"
PERIODS = {"s": 1, "sec": 1, "second": 1, "m": 60, "min": 60, "minute": 60, "h": 3600, "hour": 3600}


def error_response(message: str, *, code: str, status: int, field: str = NON_FIELD) -> JsonResponse:
    return JsonResponse({"errors": {field: [message]}, "code": code}, status=status)


def unavailable_response() -> JsonResponse:
    response = error_response(
        f"The service is briefly unavailable; nothing was stored. Try again in "
        f"{RETRY_AFTER_SECONDS} seconds.",
        code="unavailable",
        status=503,
    )
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def problems_response(errors: dict[str, list[str]]) -> JsonResponse:
    return JsonResponse({"errors": errors, "code": "invalid"}, status=400)


def rate_parse(text: str) -> tuple[int, int]:
    """``"1200/min"`` → (1200, 60)."""
    count, _, period = str(text).partition("/")
    return int(count), PERIODS[period.strip().lower()]


def store_for_key(key: str) -> Store | None:
    if not key or len(key) > 64:
        return None
    cache_key = "storefront:key:" + hashlib.sha256(key.encode()).hexdigest()
    store = cache.get(cache_key)
    if store is None:
        store = Store.objects.filter(publishable_key=key).first()
        if store is None:
            return None
        cache.set(cache_key, store, settings.STOREFRONT_KEY_CACHE_SECONDS)
    return store


def origin_allowed_anywhere(origin: str) -> bool:
    cache_key = "storefront:origin:" + hashlib.sha256(origin.encode()).hexdigest()
    allowed = cache.get(cache_key)
    if allowed is None:
        allowed = Store.objects.filter(allowed_origins__contains=[origin]).exists()
        cache.set(cache_key, allowed, settings.STOREFRONT_KEY_CACHE_SECONDS)
    return allowed


def throttle_wait(store: Store) -> int:
    """Seconds until the key may call again (0: go ahead); counts this call."""
    limit, period = rate_parse(settings.STOREFRONT_RATE)
    now = time.time()
    window = int(now // period)
    key = f"storefront:rate:{store.pk}:{window}"
    cache.add(key, 0, period + 1)
    try:
        count = cache.incr(key)
    except ValueError:  # evicted between add and incr
        cache.set(key, 1, period + 1)
        count = 1
    if count > limit:
        return max(1, int((window + 1) * period - now) + 1)
    return 0


def _cors(response: HttpResponse, origin: str, methods: tuple[str, ...]) -> HttpResponse:
    if origin:
        response["Access-Control-Allow-Origin"] = origin
        response["Access-Control-Allow-Methods"] = ", ".join((*methods, "OPTIONS"))
        response["Access-Control-Allow-Headers"] = f"Content-Type, {KEY_HEADER}"
        response["Access-Control-Max-Age"] = "600"
    response["Vary"] = "Origin"
    return response


def storefront_endpoint(*, methods: tuple[str, ...], max_body: int | None = None) -> Callable:
    """Wrap a storefront API view: key, CORS, rate limit, body bound (see the module)."""

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @csrf_exempt
        @wraps(view)
        def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            origin = request.headers.get("Origin", "")
            if request.method == "OPTIONS":
                allowed = origin and origin_allowed_anywhere(origin)
                return _cors(HttpResponse(status=204), origin if allowed else "", methods)
            if request.method not in methods:
                response = error_response(
                    "Method not allowed.", code="method_not_allowed", status=405
                )
                response["Allow"] = ", ".join((*methods, "OPTIONS"))
                return response
            try:
                store = store_for_key(request.headers.get(KEY_HEADER, "").strip())
            except (OperationalError, InterfaceError):
                return unavailable_response()
            if store is None:
                return error_response(
                    f"Send the store's publishable key in the {KEY_HEADER} header.",
                    code="not_authenticated",
                    status=401,
                )
            if origin and origin not in store.allowed_origins:
                return error_response(
                    f"The origin {origin[:200]} is not one of the store's allowed origins.",
                    code="origin_not_allowed",
                    status=403,
                )
            wait = throttle_wait(store)
            if wait:
                response = error_response(
                    f"Too many requests; try again in {wait} seconds.", code="throttled", status=429
                )
                response["Retry-After"] = str(wait)
                return _cors(response, origin, methods)
            bound = max_body or settings.STOREFRONT_MAX_BODY_BYTES
            try:
                length = int(request.META.get("CONTENT_LENGTH") or 0)
            except ValueError:
                length = 0
            if length > bound:
                response = error_response(
                    f"The request body is larger than {bound:,} bytes.",
                    code="too_large",
                    status=413,
                )
                return _cors(response, origin, methods)
            request.store = store
            return _cors(view(request, *args, **kwargs), origin, methods)

        return wrapper

    return decorator


def json_depth_exceeds(value, limit: int) -> bool:
    """Whether ``value`` nests lists and objects deeper than ``limit`` levels (iterative, so
    a deep value cannot exhaust the stack here)."""
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        children = (
            item.values() if isinstance(item, dict) else item if isinstance(item, list) else ()
        )
        for child in children:
            if isinstance(child, dict | list):
                if depth + 1 > limit:
                    return True
                stack.append((child, depth + 1))
    return False


def json_body(request: HttpRequest):
    """The request's JSON body, or an error response (400 in the error shape): not JSON, or
    nested deeper than ``MAX_JSON_DEPTH`` levels (a body nested thousands deep would exhaust
    the parser's recursion)."""
    too_deep = error_response(
        f"The body nests deeper than {MAX_JSON_DEPTH} levels.", code="parse_error", status=400
    )
    try:
        payload = json.loads(request.body or b"null")
    except RecursionError:
        return None, too_deep
    except (ValueError, UnicodeDecodeError):
        return None, error_response("The body is not valid JSON.", code="parse_error", status=400)
    if isinstance(payload, dict | list) and json_depth_exceeds(payload, MAX_JSON_DEPTH):
        return None, too_deep
    return payload, None
