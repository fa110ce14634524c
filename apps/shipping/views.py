"""Shipping pages: zones (with coverage), a zone's rates (with band gaps), carriers and their
services. Thin: forms check, services write, selectors read."""

from __future__ import annotations

from functools import partial

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from apps.catalog.selectors import category_choices
from apps.core.forms import delete_and_return, form_save
from apps.core.htmx import render_page
from apps.core.tables import Column, TableQuery
from apps.core.tenancy import store_view
from apps.shipping import engine, inputs, selectors, services
from apps.shipping.forms import CarrierForm, RateForm, ServiceForm, ZoneForm
from apps.shipping.models import Rate, Zone
from apps.shipping.permissions import MANAGE_SHIPPING

ZONE_COLUMNS = [
    Column("name", "Zone", "name"),
    Column("where", "Covers"),
    Column("rates", "Rates", "rate_count", numeric=True),
    Column("position", "Order", "position", numeric=True),
]


def shipping_url(name: str, request: HttpRequest, **kwargs) -> str:
    return reverse(f"shipping:{name}", kwargs={"handle": request.store.handle, **kwargs})


def _zone_search(queryset, q):
    code = q.strip().upper()
    if len(code) == 2 and code.isalpha():
        return queryset.filter(name__icontains=q) | queryset.filter(countries__contains=[code])
    return queryset.filter(name__icontains=q)


# --- zones ------------------------------------------------------------------------------------
@store_view(MANAGE_SHIPPING)
def zone_list(request: HttpRequest) -> HttpResponse:
    table = TableQuery(
        request=request,
        queryset=selectors.zone_list(store=request.store),
        columns=ZONE_COLUMNS,
        search=_zone_search,
        default_sort="position",
    )
    context = {
        "table": table,
        "coverage": selectors.coverage(store=request.store),
        "shadowed": selectors.shadowed_zones(store=request.store),
    }
    return render_page(request, "shipping/zone_list.html", context, partial="zone-table")


def _zone_initial(zone: Zone) -> dict:
    return {
        "name": zone.name,
        "countries": ", ".join(zone.countries),
        "regions": ", ".join(zone.regions),
        "postal_include": ", ".join(zone.postal_include),
        "postal_exclude": ", ".join(zone.postal_exclude),
        "position": zone.position,
    }


def _zone_form_page(request, form, zone=None, status=200) -> HttpResponse:
    context = {"form": form, "zone": zone}
    return render_page(request, "shipping/zone_form.html", context, status=status)


def _zone_save(request: HttpRequest, zone: Zone | None) -> HttpResponse:
    form = ZoneForm(request.POST)
    common = {"store": request.store, "actor": request.user}

    def save(values):
        if zone is None:
            saved = services.zone_create(**common, **values)
            message = f"Zone “{saved.name}” added. Now add its rates."
        else:
            saved = services.zone_update(**common, zone=zone, **values)
            message = f"Zone “{saved.name}” saved."
        return shipping_url("zone-detail", request, zone_id=saved.pk), message

    return form_save(request, form, save) or _zone_form_page(request, form, zone, status=400)


@store_view(MANAGE_SHIPPING)
@require_http_methods(["GET", "POST"])
def zone_create(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        return _zone_save(request, None)
    return _zone_form_page(request, ZoneForm())


@store_view(MANAGE_SHIPPING)
@require_http_methods(["GET", "POST"])
def zone_update(request: HttpRequest, zone_id: int) -> HttpResponse:
    zone = selectors.zone_get(store=request.store, zone_id=zone_id)
    if request.method == "POST":
        return _zone_save(request, zone)
    return _zone_form_page(request, ZoneForm(initial=_zone_initial(zone)), zone)


@store_view(MANAGE_SHIPPING)
def zone_detail(request: HttpRequest, zone_id: int) -> HttpResponse:
    zone = selectors.zone_get(store=request.store, zone_id=zone_id)
    rates = list(selectors.rate_list(store=request.store, zone=zone))
    context = {
        "zone": zone,
        "rates": rates,
        "band_warnings": selectors.rate_band_warnings(rates, currency=request.store.currency),
        "shadowed_by": selectors.shadowed_zones(store=request.store).get(zone.pk, ""),
        "band_text": {
            rate.pk: engine.bands_summary(
                inputs.bands_from_json(rate.bands), rate.kind, request.store.currency, between="\n"
            )
            for rate in rates
        },
    }
    return render_page(request, "shipping/zone_detail.html", context)


@store_view(MANAGE_SHIPPING)
@require_POST
def zone_delete(request: HttpRequest, zone_id: int) -> HttpResponse:
    zone = selectors.zone_get(store=request.store, zone_id=zone_id)
    return delete_and_return(
        request,
        partial(services.zone_delete, store=request.store, actor=request.user, zone=zone),
        shipping_url("zone-list", request),
        f"Zone “{zone.name}” deleted.",
    )


# --- rates ------------------------------------------------------------------------------------
def _bands_text(rate: Rate) -> str:
    return inputs.bands_to_text(inputs.bands_from_json(rate.bands))


def _rate_form(request: HttpRequest, data=None, initial=None) -> RateForm:
    return RateForm(
        data,
        initial=initial,
        currency=request.store.currency,
        service_choices=selectors.service_choices(store=request.store),
        category_choices=category_choices(store=request.store),
    )


def _decimal_text(value) -> str:
    return "" if value is None else f"{value:f}"


def _rate_initial(rate: Rate) -> dict:
    return {
        "name": rate.name,
        "service": str(rate.service_id),
        "kind": rate.kind,
        "price": _decimal_text(rate.price),
        "bands": _bands_text(rate),
        "free_over": _decimal_text(rate.free_over),
        "handling_fee": _decimal_text(rate.handling_fee),
        "min_weight": _decimal_text(rate.min_weight),
        "max_weight": _decimal_text(rate.max_weight),
        "min_subtotal": _decimal_text(rate.min_subtotal),
        "max_subtotal": _decimal_text(rate.max_subtotal),
        "excluded_tags": ", ".join(rate.excluded_tags),
        "excluded_categories": [str(c.pk) for c in rate.excluded_categories.all()],
        "position": rate.position,
    }


def _rate_page(request, form, zone, rate=None, status=200) -> HttpResponse:
    context = {"form": form, "zone": zone, "rate": rate}
    return render_page(request, "shipping/rate_form.html", context, status=status)


def _rate_save(request: HttpRequest, zone: Zone, rate: Rate | None) -> HttpResponse:
    form = _rate_form(request, request.POST)
    common = {"store": request.store, "actor": request.user}

    def save(values):
        values = dict(values)
        values["service"] = selectors.service_get(
            store=request.store, service_id=int(values["service"])
        )
        if rate is None:
            saved = services.rate_create(**common, zone=zone, **values)
            message = f"Rate “{saved.name}” added to {zone.name}."
        else:
            saved = services.rate_update(**common, rate=rate, **values)
            message = f"Rate “{saved.name}” saved."
        return shipping_url("zone-detail", request, zone_id=zone.pk), message

    return form_save(request, form, save) or _rate_page(request, form, zone, rate, status=400)


@store_view(MANAGE_SHIPPING)
@require_http_methods(["GET", "POST"])
def rate_create(request: HttpRequest, zone_id: int) -> HttpResponse:
    zone = selectors.zone_get(store=request.store, zone_id=zone_id)
    if request.method == "POST":
        return _rate_save(request, zone, None)
    return _rate_page(request, _rate_form(request, initial={"kind": "flat"}), zone)


@store_view(MANAGE_SHIPPING)
@require_http_methods(["GET", "POST"])
def rate_update(request: HttpRequest, zone_id: int, rate_id: int) -> HttpResponse:
    zone = selectors.zone_get(store=request.store, zone_id=zone_id)
    rate = selectors.rate_get(store=request.store, zone=zone, rate_id=rate_id)
    if request.method == "POST":
        return _rate_save(request, zone, rate)
    return _rate_page(request, _rate_form(request, initial=_rate_initial(rate)), zone, rate)


@store_view(MANAGE_SHIPPING)
@require_POST
def rate_delete(request: HttpRequest, zone_id: int, rate_id: int) -> HttpResponse:
    zone = selectors.zone_get(store=request.store, zone_id=zone_id)
    rate = selectors.rate_get(store=request.store, zone=zone, rate_id=rate_id)
    return delete_and_return(
        request,
        partial(services.rate_delete, store=request.store, actor=request.user, rate=rate),
        shipping_url("zone-detail", request, zone_id=zone.pk),
        f"Rate “{rate.name}” deleted.",
    )


# --- carriers and services --------------------------------------------------------------------
def _carrier_page(request, form=None, status=200) -> HttpResponse:
    q = request.GET.get("q", "").strip()
    carriers = selectors.carrier_list(store=request.store)
    if q:
        carriers = (
            carriers.filter(name__icontains=q)
            | carriers.filter(services__name__icontains=q)
            | carriers.filter(services__code__icontains=q.lower())
        )
        carriers = carriers.distinct()
    context = {"carriers": carriers, "form": form or CarrierForm(), "q": q}
    return render_page(
        request, "shipping/carrier_list.html", context, partial="carrier-table", status=status
    )


@store_view(MANAGE_SHIPPING)
@require_http_methods(["GET", "POST"])
def carrier_list(request: HttpRequest) -> HttpResponse:
    if request.method == "GET":
        return _carrier_page(request)
    form = CarrierForm(request.POST)

    def save(values):
        carrier = services.carrier_create(
            store=request.store, actor=request.user, name=values["name"]
        )
        return (
            shipping_url("service-create", request, carrier_id=carrier.pk),
            f"Carrier “{carrier.name}” added. Now add its first service.",
        )

    return form_save(request, form, save) or _carrier_page(request, form, status=400)


@store_view(MANAGE_SHIPPING)
@require_POST
def carrier_delete(request: HttpRequest, carrier_id: int) -> HttpResponse:
    carrier = selectors.carrier_get(store=request.store, carrier_id=carrier_id)
    return delete_and_return(
        request,
        partial(services.carrier_delete, store=request.store, actor=request.user, carrier=carrier),
        shipping_url("carrier-list", request),
        f"Carrier “{carrier.name}” deleted.",
    )


def _service_page(request, form, carrier, service=None, status=200) -> HttpResponse:
    context = {"form": form, "carrier": carrier, "service": service}
    return render_page(request, "shipping/service_form.html", context, status=status)


@store_view(MANAGE_SHIPPING)
@require_http_methods(["GET", "POST"])
def service_create(request: HttpRequest, carrier_id: int) -> HttpResponse:
    carrier = selectors.carrier_get(store=request.store, carrier_id=carrier_id)
    if request.method == "GET":
        form = ServiceForm(initial={"days_min": 2, "days_max": 4, "is_active": True})
        return _service_page(request, form, carrier)
    form = ServiceForm(request.POST)

    def save(values):
        service = services.service_create(
            store=request.store, actor=request.user, carrier=carrier, **values
        )
        return shipping_url("carrier-list", request), f"Service “{service}” added."

    return form_save(request, form, save) or _service_page(request, form, carrier, status=400)


@store_view(MANAGE_SHIPPING)
@require_http_methods(["GET", "POST"])
def service_update(request: HttpRequest, service_id: int) -> HttpResponse:
    service = selectors.service_get(store=request.store, service_id=service_id)
    if request.method == "GET":
        initial = {name: getattr(service, name) for name in services.SERVICE_FIELDS}
        return _service_page(request, ServiceForm(initial=initial), service.carrier, service)
    form = ServiceForm(request.POST)

    def save(values):
        services.service_update(store=request.store, actor=request.user, service=service, **values)
        return shipping_url("carrier-list", request), f"Service “{service}” saved."

    return form_save(request, form, save) or _service_page(
        request, form, service.carrier, service, status=400
    )


@store_view(MANAGE_SHIPPING)
@require_POST
def service_delete(request: HttpRequest, service_id: int) -> HttpResponse:
    service = selectors.service_get(store=request.store, service_id=service_id)
    return delete_and_return(
        request,
        partial(services.service_delete, store=request.store, actor=request.user, service=service),
        shipping_url("carrier-list", request),
        f"Service “{service}” deleted.",
    )
