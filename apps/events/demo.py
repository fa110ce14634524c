"""Demo storefront behaviour for the main demo store, through the ingestion code path (the
validation and COPY the events endpoint uses): about 2,500 sessions over the last 90 days in the
store's timezone — browsing, carts, checkouts reaching the shipping and payment steps (with the
destination and the shipping price quoted), purchases carrying the demo's web and app orders'
external ids, about 70% of carts abandoned, a few recovered a day later, a few carts with a
known customer's email, and a few live sessions in the last 30 minutes — then folded into the
rollups by ``refresh_analytics``' code. Deterministic through ``context.rng``; a few seconds."""

from __future__ import annotations

import datetime
import uuid
from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone

from apps.core.demo import DemoContext
from apps.events import ingest, rollup
from apps.events.rules import BATCH_MAX
from apps.orders.models import Order, OrderLine

BROWSING_SESSIONS = 2_000
ABANDONED_CARTS = 230
LIVE_SESSIONS = 8
DAYS = 90
SHOP = "https://shop.demo.example"
DEVICES = (("mobile", 55), ("desktop", 35), ("tablet", 8), ("other", 2))
CHANNELS = (
    ("direct", "", "", 25),
    ("organic_search", "", "https://www.google.com/", 30),
    ("paid_search", "google", "https://www.google.com/", 15),
    ("social", "instagram", "https://l.instagram.com/", 12),
    ("email", "newsletter", "", 10),
    ("referral", "", "https://www.blog-about-tea.example/best-mugs", 8),
)
COUNTRIES = (
    ("DE", "10115", 45), ("AT", "1010", 12), ("CH", "8001", 8), ("NL", "1012", 8),
    ("FR", "75001", 8), ("DK", "1050", 5), ("PL", "00-001", 5), ("US", "10001", 5),
    ("GB", "SW1A 1AA", 4),
)  # fmt: skip
NO_RATE = {"US", "GB"}  # the demo ships to neither: their checkouts see no shipping rate
LANDINGS = ("/", "/", "/collections/new", "/collections/sale", "/blog/gift-guide", None)
SHIPPING = (("dhl-standard", "4.90"), ("dhl-express", "12.90"), ("ups-standard", "6.50"))
HOURS = [1, 1, 0, 0, 0, 1, 2, 4, 6, 7, 8, 8, 9, 8, 8, 8, 9, 10, 12, 14, 14, 12, 8, 4]


@dataclass(frozen=True)
class _Product:
    sku: str
    price: Decimal


def _pick(rng, weighted):
    return rng.choices(weighted, weights=[row[-1] for row in weighted])[0]


class _Builder:
    def __init__(self, context: DemoContext, store, variants, now):
        self.rng = context.rng
        self.store = store
        self.variants = variants
        self.now = now
        self.events: list[dict] = []
        self.serial = 0

    def _id(self, prefix: str) -> str:
        self.serial += 1
        return f"{prefix}-{self.serial:06d}"

    def random_start(self) -> datetime.datetime:
        """A moment in the last 90 days, busier in the store's evenings."""
        today = self.now.astimezone(self.store.tzinfo).date()
        day = today - datetime.timedelta(days=self.rng.randrange(DAYS))
        hour = self.rng.choices(range(24), weights=HOURS)[0]
        start = datetime.datetime.combine(day, datetime.time(hour), tzinfo=self.store.tzinfo)
        start += datetime.timedelta(seconds=self.rng.randrange(3600))
        return min(start, self.now - datetime.timedelta(hours=2))

    def session(self, start: datetime.datetime, *, visitor: str | None = None, country=None):
        rng = self.rng
        device = _pick(rng, DEVICES)[0]
        channel, utm_source, referrer, _w = _pick(rng, CHANNELS)
        country = country or _pick(rng, COUNTRIES)
        landing = rng.choice(LANDINGS)
        if landing is None:
            landing = f"/products/{rng.choice(self.variants).sku.lower()}"
        query = f"?utm_source={utm_source}&utm_medium={channel}" if utm_source else ""
        return {
            "session_id": self._id("s"),
            "visitor_id": visitor or self._id("v"),
            "device": device,
            "channel": channel,
            "country": country[0],
            "_postal": country[1],
            "_at": start,
            "_landing": f"{SHOP}{landing}{query}",
            "_referrer": referrer,
            "_utm": utm_source,
        }

    def add(self, session: dict, kind: str, *, seconds=(20, 90), **extra) -> None:
        session["_at"] += datetime.timedelta(seconds=self.rng.randint(*seconds))
        body = {
            "event_id": str(uuid.UUID(int=self.rng.getrandbits(128), version=4)),
            "type": kind,
            "occurred_at": min(session["_at"], self.now).isoformat(),
            **{k: v for k, v in session.items() if not k.startswith("_")},
        }
        body.update(extra)
        self.events.append(body)

    def browse(self, session: dict, *, views: int) -> list:
        self.add(
            session,
            "page_view",
            seconds=(0, 0),
            url=session["_landing"],
            referrer=session["_referrer"],
            utm_source=session["_utm"],
        )
        seen = []
        for _ in range(views):
            variant = self.rng.choice(self.variants)
            seen.append(variant)
            self.add(session, "product_view", url=f"{SHOP}/products/{variant.sku.lower()}")
        return seen

    def cart(self, session: dict, seen: list, cart_id: str, email: str = "") -> None:
        for variant in seen[: self.rng.choice((1, 1, 2, 3))]:
            self.add(
                session,
                "add_to_cart",
                cart_id=cart_id,
                customer_email=email,
                properties={
                    "sku": variant.sku,
                    "quantity": self.rng.choice((1, 1, 1, 2)),
                    "price": str(variant.price),
                },
            )
        if len(seen) > 1 and self.rng.random() < 0.1:
            self.add(
                session,
                "remove_from_cart",
                cart_id=cart_id,
                properties={"sku": seen[0].sku, "quantity": 1},
            )

    def checkout(self, session: dict, cart_id: str, *, reach: int, email: str = "") -> None:
        """Checkout steps up to ``reach`` (1 started, 2 shipping, 3 payment)."""
        self.add(session, "checkout_started", cart_id=cart_id, customer_email=email)
        if reach >= 2:
            country = session["country"]
            props: dict = {
                "step": "shipping",
                "destination": {"country": country, "postal_code": session["_postal"]},
            }
            if country not in NO_RATE:
                service, price = self.rng.choice(SHIPPING)
                props.update(shipping_service=service, shipping_price=price)
            self.add(
                session, "checkout_step", cart_id=cart_id, customer_email=email, properties=props
            )
        if reach >= 3:
            self.add(
                session,
                "checkout_step",
                cart_id=cart_id,
                customer_email=email,
                properties={"step": "payment"},
            )


def seed(context: DemoContext) -> None:
    store = context.stores["main"]
    # the products the demo's orders sold (events reach the catalog only through orders)
    variants = [
        _Product(sku, price)
        for sku, price in OrderLine.objects.for_store(store)
        .order_by("sku", "-unit_price")
        .distinct("sku")
        .values_list("sku", "unit_price")[:200]
    ]
    if not variants:
        return
    rng = context.rng
    now = timezone.now()
    build = _Builder(context, store, variants, now)
    orders = list(
        Order.objects.for_store(store)
        .filter(
            external_id__startswith="DEMO-",  # the small demo's orders, not the bulk ones
            channel__in=("web", "app"),
            placed_at__gte=now - datetime.timedelta(days=DAYS),
        )
        .order_by("placed_at")
        .values("external_id", "total", "currency", "placed_at", "customer_email")
    )
    emails = [order["customer_email"] for order in orders if order["customer_email"]]

    for _ in range(BROWSING_SESSIONS):
        session = build.session(build.random_start())
        build.browse(session, views=rng.choice((0, 0, 1, 1, 2, 3, 4)))

    for index in range(ABANDONED_CARTS):
        session = build.session(build.random_start())
        seen = build.browse(session, views=rng.choice((1, 2, 3)))
        email = rng.choice(emails) if emails and index % 12 == 0 else ""
        cart_id = build._id("cart")
        build.cart(session, seen, cart_id, email)
        reach = rng.choices((0, 1, 2, 3), weights=(45, 20, 25, 10))[0]
        if reach:
            build.checkout(session, cart_id, reach=reach, email=email)

    for index, order in enumerate(orders):
        # the order's session ends in its purchase; every tenth cart was left a day before
        placed = order["placed_at"]
        recovered = index % 10 == 3
        cart_id = build._id("cart")
        start = placed - datetime.timedelta(minutes=rng.randint(4, 25))
        session = build.session(start - datetime.timedelta(days=1) if recovered else start)
        seen = build.browse(session, views=rng.choice((1, 2, 3)))
        build.cart(session, seen, cart_id, order["customer_email"])
        if recovered:
            build.checkout(session, cart_id, reach=2, email=order["customer_email"])
            session = build.session(start, visitor=session["visitor_id"])
            build.browse(session, views=0)  # back from the reminder email: straight to buy
        else:
            build.checkout(session, cart_id, reach=3, email=order["customer_email"])
        session["_at"] = max(session["_at"], placed - datetime.timedelta(seconds=30))
        build.add(
            session,
            "purchase",
            seconds=(5, 25),
            cart_id=cart_id,
            customer_email=order["customer_email"],
            properties={
                "order_id": order["external_id"],
                "total": str(Decimal(order["total"])),
                "currency": order["currency"],
            },
        )

    for index in range(LIVE_SESSIONS):  # shoppers on the site right now
        session = build.session(now - datetime.timedelta(minutes=rng.randint(3, 28)))
        seen = build.browse(session, views=rng.choice((1, 2, 3)))
        if index % 2 == 0:
            cart_id = build._id("cart")
            build.cart(session, seen, cart_id)
            if index % 4 == 0:
                build.checkout(session, cart_id, reach=1)

    total = len(build.events)
    for start in range(0, total, BATCH_MAX):
        result = ingest.batch_ingest(
            store, {"events": build.events[start : start + BATCH_MAX]}, now=now
        )
        if result.rejected:
            raise ValueError(f"demo events refused: {result.rejected[:3]}")
        context.progress.step("storefront events", min(start + BATCH_MAX, total), total)
    rollup.refresh(now=now)
