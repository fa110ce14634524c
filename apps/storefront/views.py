"""The checkout simulator: the storefront's quote and payment methods for a cart and a
destination picked on the page, with every exclusion's reason. A GET form, so a simulation
is shareable by its URL; the same ``checkout`` functions as the storefront API."""

from __future__ import annotations

from dataclasses import dataclass

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from apps.catalog.selectors import sku_suggestions
from apps.core.money import country_choices
from apps.core.tenancy import store_view
from apps.shipping.permissions import MANAGE_SHIPPING
from apps.storefront import checkout

MIN_ROWS = 3
MAX_ROWS = checkout.MAX_LINES


@dataclass(frozen=True)
class Row:
    index: int
    sku: str
    quantity: str
    errors: tuple[str, ...] = ()


def _sent(request: HttpRequest) -> list[tuple[str, str]]:
    """The (SKU, quantity) rows as the page sent them, blank ones included."""
    skus = request.GET.getlist("sku")[:MAX_ROWS]
    quantities = request.GET.getlist("qty")[:MAX_ROWS]
    return [
        (sku.strip()[:64], (quantities[i] if i < len(quantities) else "1").strip()[:12])
        for i, sku in enumerate(skus)
    ]


def _rows(sent: list[tuple[str, str]], errors: dict[str, list[str]], filled: list[int]):
    """The rows to show: the sent ones with their errors (the quote numbers only the filled
    rows: its item k is the page's row filled[k]), then blank rows to add more."""
    row_errors: dict[int, list[str]] = {}
    for key, messages in errors.items():
        if key.startswith("items[") and "]" in key:
            k = int(key[6 : key.index("]")])
            if k < len(filled):
                row_errors.setdefault(filled[k], []).extend(messages)
    kept = [(sku, quantity) for sku, quantity in sent if sku]
    rows = [
        Row(i, sku, quantity, tuple(row_errors.get(filled[i], ())))
        for i, (sku, quantity) in enumerate(kept)
    ]
    while len(rows) < max(MIN_ROWS, len(kept) + 1) and len(rows) < MAX_ROWS:
        rows.append(Row(len(rows), "", "1"))
    return rows


def _with(request: HttpRequest, **changes: str) -> str:
    params = request.GET.copy()
    for key, value in changes.items():
        params[key] = value
    return f"{request.path}?{params.urlencode()}"


@store_view(MANAGE_SHIPPING)
def simulator(request: HttpRequest) -> HttpResponse:
    store = request.store
    submitted = "country" in request.GET
    context: dict = {"countries": country_choices(), "submitted": submitted}
    errors: dict[str, list[str]] = {}
    sent = _sent(request)
    filled = [i for i, (sku, _quantity) in enumerate(sent) if sku]
    if submitted:
        items = [{"sku": sent[i][0], "quantity": sent[i][1]} for i in filled]
        payload = {
            "items": items,
            "destination": {
                "country": request.GET.get("country", ""),
                "region": request.GET.get("region", ""),
                "postal_code": request.GET.get("postal_code", ""),
            },
        }
        today = timezone.localdate(timezone=store.tzinfo)  # the store's day, as the API
        quote, problems = checkout.shipping_quote(store, payload, today=today)
        errors = problems.errors
        if quote is not None:
            chosen_code = request.GET.get("service", "")
            codes = [option.service_code for option in quote.options]
            chosen = next(
                (o for o in quote.options if o.service_code == chosen_code),
                quote.options[0] if quote.options else None,
            )
            total = quote.subtotal + (chosen.price if chosen else 0)
            context.update(
                quote=quote,
                chosen=chosen,
                total=total,
                service_codes=codes,
                payments=checkout.payment_methods(
                    store,
                    country=payload["destination"]["country"].strip().upper(),
                    total=total,
                    service_code=chosen.service_code if chosen else "",
                ),
                today=today,
                choose_urls={code: _with(request, service=code) for code in codes},
            )
    context.update(
        rows=_rows(sent, errors, filled),
        values={k: request.GET.get(k, "") for k in ("country", "region", "postal_code")},
        errors=errors,
        field_errors={
            name: errors.get(f"destination.{name}", [])
            for name in ("country", "region", "postal_code")
        },
        other_errors=[
            message
            for key, messages in errors.items()
            if not key.startswith(("items[", "destination."))
            for message in messages
        ],
    )
    return render(request, "storefront/simulator.html", context, status=400 if errors else 200)


@store_view(MANAGE_SHIPPING)
def sku_options(request: HttpRequest) -> HttpResponse:
    """Up to 20 SKUs matching what is typed, as the SKU fields' suggestions."""
    q = (request.GET.get("sku") or request.GET.get("q", "")).strip()[:64]
    variants = sku_suggestions(store=request.store, q=q)
    return render(request, "storefront/sku_options.html", {"variants": variants})
