"""Demo orders and customers for the main demo store, through the order ingest (the path the
admin API takes): about 150 orders over the last 90 days from ~70 customers on every channel,
some repeat buyers, then status changes, refunds, returns and notes through the services.
Deterministic through ``context.rng``; quick at every scale (``demo_bulk`` adds the volume)."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from apps.catalog.models import Variant
from apps.core.demo import DemoContext
from apps.orders import services
from apps.orders.models import Order

ORDERS = 150
CUSTOMERS = 70
FIRST_NAMES = (
    "Ada", "Ben", "Clara", "David", "Elif", "Finn", "Greta", "Hugo", "Ines", "Jonas", "Kira",
    "Luca", "Mia", "Noah", "Olga", "Paul", "Rosa", "Sven", "Tara", "Umar", "Vera", "Wim",
)  # fmt: skip
LAST_NAMES = (
    "Schmidt", "Müller", "Fischer", "Weber", "Meyer", "Wagner", "Becker", "Hoffmann", "Novak",
    "Rossi", "Dubois", "Jansen", "Larsen", "Kowalski", "Silva", "Smith", "Okafor", "Yilmaz",
)  # fmt: skip
CITIES = (
    ("DE", "Berlin", "10115"), ("DE", "Hamburg", "20095"), ("DE", "München", "80331"),
    ("DE", "Köln", "50667"), ("AT", "Wien", "1010"), ("NL", "Amsterdam", "1012"),
    ("FR", "Paris", "75001"), ("DK", "København", "1050"), ("CH", "Zürich", "8001"),
)  # fmt: skip
STREETS = ("Hauptstraße", "Bahnhofstraße", "Gartenweg", "Lindenallee", "Marktplatz", "Ringstraße")
CHANNELS = (("web", ""), ("web", ""), ("web", ""), ("app", ""), ("marketplace", "Zalando"),
            ("marketplace", "Amazon"), ("pos", "Berlin store"), ("phone", ""))  # fmt: skip
SHIPPING = (
    {"service": "dhl-standard", "name": "DHL Paket", "carrier": "DHL", "price": "4.90",
     "tracking_url_template": "https://www.dhl.de/de/privatkunden/pakete-empfangen/verfolgen.html?piececode={tracking_number}",
     "delivery_estimate": "2–3 days"},
    {"service": "dhl-express", "name": "DHL Express", "carrier": "DHL", "price": "12.90",
     "tracking_url_template": "https://www.dhl.de/de/privatkunden/pakete-empfangen/verfolgen.html?piececode={tracking_number}",
     "delivery_estimate": "next day"},
    {"service": "ups-standard", "name": "UPS Standard", "carrier": "UPS", "price": "6.50",
     "tracking_url_template": "https://www.ups.com/track?tracknum={tracking_number}",
     "delivery_estimate": "3–5 days"},
)  # fmt: skip
PAYMENTS = (
    {"method": "card", "name": "Credit card", "fee": "0.35"},
    {"method": "paypal", "name": "PayPal", "fee": "0.49"},
    {"method": "klarna", "name": "Klarna invoice", "fee": "0.00"},
    {"method": "sepa", "name": "SEPA direct debit", "fee": "0.00"},
)  # fmt: skip


def _people(rng, count: int) -> list[dict]:
    people = []
    for index in range(count):
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        country, city, postal = rng.choice(CITIES)
        local = f"{first}.{last}".lower().replace("ü", "ue").replace("ö", "oe")
        people.append(
            {
                "customer": {
                    "email": f"{local}{index}@example.com",
                    "first_name": first,
                    "last_name": last,
                    "phone": f"+49 30 {rng.randint(1000000, 9999999)}",
                },
                "address": {
                    "name": f"{first} {last}",
                    "line1": f"{rng.choice(STREETS)} {rng.randint(1, 120)}",
                    "city": city,
                    "postal_code": postal,
                    "country": country,
                },
            }
        )
    return people


def order_body(rng, *, number: int, person: dict, variants: list, placed_at) -> dict:
    """One demo order in the admin API's shape."""
    channel, source = rng.choice(CHANNELS)
    lines = []
    for variant in rng.sample(variants, k=rng.choice((1, 1, 1, 2, 2, 3))):
        lines.append(
            {"sku": variant.sku, "quantity": rng.choice((1, 1, 1, 2, 3)),
             "unit_price": str(variant.price)}
        )  # fmt: skip
    shipping = dict(rng.choice(SHIPPING)) if channel != "pos" else {}
    payment = dict(rng.choice(PAYMENTS))
    payment["reference"] = f"{payment['method'].upper()}-{rng.randint(10**9, 10**10 - 1)}"
    subtotal = sum(Decimal(line["unit_price"]) * line["quantity"] for line in lines)
    discount = (subtotal * Decimal("0.1")).quantize(Decimal("0.01")) if rng.random() < 0.15 else 0
    return {
        "external_id": f"DEMO-{number:06d}",
        "channel": channel,
        "source": source,
        "placed_at": placed_at.isoformat(),
        "customer": person["customer"],
        "shipping_address": person["address"] if channel != "pos" else None,
        "lines": lines,
        "shipping": shipping,
        "payment": payment,
        "discount_total": str(discount),
    }


def seed(context: DemoContext) -> None:
    store = context.stores["main"]
    owner = context.users["owner"]
    support = context.users.get("support", owner)
    rng = context.rng
    variants = list(Variant.objects.for_store(store).order_by("id")[:400])
    if not variants:
        return
    people = _people(rng, CUSTOMERS)
    now = timezone.now()
    for number in range(1, ORDERS + 1):
        person = rng.choice(people[: max(10, number // 2)])  # early customers buy again
        placed_at = now - timedelta(days=90) + timedelta(minutes=number * 860)
        services.order_ingest(
            store=store,
            actor="storefront",
            data=order_body(
                rng, number=number, person=person, variants=variants, placed_at=placed_at
            ),
        )
        if number % 25 == 0:
            context.progress.step("orders", number, ORDERS)
    # what happened next: most shipped and delivered, some cancelled, refunded or returned
    for order in Order.objects.for_store(store).order_by("placed_at"):
        age = (now - order.placed_at).days
        roll = rng.random()
        if roll < 0.05:
            services.order_status_change(
                store=store, actor=support, order=order, status="cancelled"
            )
            continue
        if age < 2 or order.shipping_service_code == "":
            continue
        tracking = f"{order.shipping_carrier or 'TRK'}{rng.randint(10**11, 10**12 - 1)}"
        services.order_status_change(
            store=store, actor=owner, order=order, status="shipped", tracking_number=tracking
        )
        if age > 5:
            services.order_status_change(store=store, actor=owner, order=order, status="delivered")
        if roll > 0.93 and age > 5:
            line = order.lines.first()
            amount = min(line.unit_price, order.amount_paid)
            services.order_refund(
                store=store, actor=support, order=order,
                lines=[{"line": line.pk, "amount": str(amount), "quantity": 1}],
                reason="Too small",
            )  # fmt: skip
        if 0.85 < roll < 0.88:
            services.order_note_add(
                store=store, actor=support, order=order,
                body="Customer called: asked to leave the parcel with the neighbour.",
            )  # fmt: skip
    context.progress.step("orders", ORDERS, ORDERS)
