"""Large demo order histories (``seed_demo --scale medium|large``): 50,000 orders from 20,000
customers, or 1,000,000 orders from 400,000 customers — the benchmark's size.

Rows are generated here and written with PostgreSQL's COPY (customers straight into their
table; orders and lines into temporary staging tables, then moved with one ``INSERT … SELECT``
each that joins the customers and orders by their natural keys), the timeline's placed / paid /
shipped / delivered events made by SQL from the orders, and the customers' figures computed in
one UPDATE. Every row says what the services would have written (totals = lines − discount +
shipping, amounts paid, snapshots of shipping and payment), without an audit entry per order.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.db import connection
from django.utils import timezone

from apps.catalog.models import Variant
from apps.core.money import currency_decimals, money_format
from apps.orders.demo import CHANNELS, CITIES, FIRST_NAMES, LAST_NAMES, PAYMENTS, SHIPPING, STREETS

SIZES = {"medium": (50_000, 20_000), "large": (1_000_000, 400_000)}
BULK_NUMBER_START = 100_000  # bulk orders are #100000 on, after the quick demo's
DAYS = 730
PROGRESS_EVERY = 20_000


def _sql_text(value: str) -> str:
    """A SQL string literal for a query run with parameters (``%`` doubled)."""
    return "'" + value.replace("'", "''").replace("%", "%%") + "'"


def money_sql(column: str, currency: str) -> str:
    """A SQL expression (for a query run with parameters) writing the amount ``column`` as
    ``money_format`` does ("€1,234.50",
    "¥1,235"): the currency's symbol and spacing taken from Babel once, the digits by
    ``to_char`` (rounded half up, grouped by thousands, the currency's decimals)."""
    decimals = currency_decimals(currency)
    sample = Decimal("1234567.25")
    digits = f"{sample.quantize(Decimal(1).scaleb(-decimals)):,}"
    written = money_format(sample, currency)
    prefix, found, suffix = written.partition(digits)
    if not found:  # a locale writing digits otherwise: the plain amount and the code
        return f"({column}::text || ' ' || {_sql_text(currency)})"
    pattern = "FM999,999,999,999,990" + ("." + "0" * decimals if decimals else "")
    return (
        f"({_sql_text(prefix)} || to_char({column}, {_sql_text(pattern)}) || {_sql_text(suffix)})"
    )


def _copy(cursor, sql: str, rows) -> None:
    with cursor.cursor.copy(sql) as copy:
        for row in rows:
            copy.write_row(row)


def _customers(rng, count: int, store_id: int, now):
    for index in range(count):
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        email = f"{first}.{last}.{index}@bulk.example".lower()
        phone = f"+4917{index:09d}"
        yield (store_id, email, phone, first, last, f"{first} {last}", 0, Decimal("0"), now, now)


def _orders(rng, *, orders: int, customers: int, store_id: int, variants: list, now, progress):
    """(order row, its lines) for the staging tables."""
    start = now - timedelta(days=DAYS)
    step = timedelta(days=DAYS) / orders
    for index in range(orders):
        number = BULK_NUMBER_START + index
        customer = rng.randrange(customers)
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        email = f"{first}.{last}.{customer}@bulk.example".lower()  # may differ: matched below
        country, city, postal = rng.choice(CITIES)
        channel, source = rng.choice(CHANNELS)
        shipping = rng.choice(SHIPPING) if channel != "pos" else None
        payment = rng.choice(PAYMENTS)
        placed = start + step * index
        lines = []
        subtotal = Decimal("0")
        for position in range(rng.choice((1, 1, 1, 2, 2, 3))):
            sku, name, title, price = rng.choice(variants)
            quantity = rng.choice((1, 1, 1, 2, 3))
            total = price * quantity
            subtotal += total
            lines.append((number, position, sku, name, title, quantity, price, total))
        discount = (subtotal * Decimal("0.1")).quantize(Decimal("0.01")) if index % 7 == 0 else 0
        shipping_price = Decimal(shipping["price"]) if shipping else Decimal("0")
        total = subtotal - discount + shipping_price
        age = (now - placed).days
        status = "delivered" if age > 5 else ("shipped" if age > 1 else "paid")
        if index % 29 == 0:
            status = "cancelled"
        if not shipping and status in ("shipped", "delivered"):
            status = "delivered"
        tracking = f"{shipping['carrier']}{number:012d}" if shipping and status != "paid" else ""
        yield (
            number, f"BULK-{number}", channel, source, status, placed, customer, email,
            f"{first} {last}", subtotal, discount, shipping_price, total,
            total if status != "cancelled" else Decimal("0"),
            f"{first} {last}", f"{rng.choice(STREETS)} {rng.randint(1, 120)}", city, postal,
            country if shipping else "",
            shipping["service"] if shipping else "", shipping["name"] if shipping else "",
            shipping["carrier"] if shipping else "",
            shipping["tracking_url_template"] if shipping else "",
            shipping["delivery_estimate"] if shipping else "", tracking,
            payment["method"], payment["name"], f"{payment['method'].upper()}-{number:010d}",
            Decimal(payment["fee"]),
        ), lines  # fmt: skip
        if index % PROGRESS_EVERY == 0:
            progress(index)


STAGE_ORDERS = """
CREATE TEMP TABLE stage_order (
    number int, external_id text, channel text, source text, status text, placed_at timestamptz,
    customer_index int, customer_email text, customer_name text, subtotal numeric,
    discount_total numeric, shipping_price numeric, total numeric, amount_paid numeric,
    ship_name text, ship_line1 text, ship_city text, ship_postal_code text, ship_country text,
    shipping_service_code text, shipping_service_name text, shipping_carrier text,
    tracking_url_template text, delivery_estimate text, tracking_number text,
    payment_method_code text, payment_method_name text, payment_reference text,
    payment_fee numeric
) ON COMMIT DROP;
CREATE TEMP TABLE stage_line (
    number int, position int, sku text, product_name text, variant_title text, quantity int,
    unit_price numeric, total numeric
) ON COMMIT DROP;
"""

MOVE_ORDERS = """
INSERT INTO orders_order (
    store_id, number, external_id, ingest_payload, channel, source, status, currency, placed_at,
    cart_id, customer_id, customer_email, customer_phone, customer_name, subtotal,
    discount_total, shipping_price, total, amount_paid, amount_refunded, ship_name, ship_line1,
    ship_line2, ship_city, ship_region, ship_postal_code, ship_country, shipping_service_code,
    shipping_service_name, shipping_carrier, tracking_url_template, delivery_estimate,
    tracking_number, payment_method_code, payment_method_name, payment_reference, payment_fee,
    created_at, updated_at
)
SELECT %(store)s, s.number, s.external_id, '{}'::jsonb, s.channel, s.source, s.status,
       %(currency)s, s.placed_at, '', c.id, c.email, c.phone, c.full_name, s.subtotal,
       s.discount_total, s.shipping_price, s.total, s.amount_paid, 0, c.full_name, s.ship_line1,
       '', s.ship_city, '', s.ship_postal_code, s.ship_country, s.shipping_service_code,
       s.shipping_service_name, s.shipping_carrier, s.tracking_url_template,
       s.delivery_estimate, s.tracking_number, s.payment_method_code, s.payment_method_name,
       s.payment_reference, s.payment_fee, now(), now()
FROM stage_order s
JOIN customers_customer c
  ON c.store_id = %(store)s AND c.phone = '+4917' || lpad(s.customer_index::text, 9, '0')
"""

MOVE_LINES = """
INSERT INTO orders_orderline (
    store_id, order_id, position, sku, product_name, variant_title, image_url, quantity,
    unit_price, total, quantity_returned, amount_refunded, created_at, updated_at
)
SELECT %(store)s, o.id, l.position, l.sku, l.product_name, l.variant_title, '', l.quantity,
       l.unit_price, l.total, 0, 0, now(), now()
FROM stage_line l JOIN orders_order o ON o.store_id = %(store)s AND o.number = l.number
"""

EVENTS = """
INSERT INTO orders_orderevent (
    store_id, order_id, kind, message, actor_id, actor_label, occurred_at, data, created_at,
    updated_at
)
SELECT o.store_id, o.id, e.kind, e.message, NULL, e.actor, o.placed_at + e.after, '{}'::jsonb,
       now(), now()
FROM orders_order o
CROSS JOIN LATERAL (VALUES
    ('placed', 'Placed on the ' || o.channel || '.', 'storefront', interval '0', true),
    ('paid', 'Paid ' || {paid} || '.', 'storefront', interval '0',
     o.status <> 'cancelled'),
    ('cancelled', '', 'Sam Support', interval '2 hours', o.status = 'cancelled'),
    ('shipped', 'Shipped with ' || o.shipping_carrier || ', tracking number '
     || o.tracking_number || '.', 'Olivia Owner', interval '1 day',
     o.status IN ('shipped', 'delivered') AND o.tracking_number <> ''),
    ('delivered', '', 'Olivia Owner', interval '3 days', o.status = 'delivered')
) AS e(kind, message, actor, after, wanted)
WHERE o.store_id = %(store)s AND o.number >= %(first)s AND e.wanted
"""

STATS = """
UPDATE customers_customer c SET order_count = s.n, total_spent = s.spent,
       first_order_at = s.first_at, last_order_at = s.last_at
FROM (
    SELECT customer_id, count(*) AS n, sum(total - amount_refunded) AS spent,
           min(placed_at) AS first_at, max(placed_at) AS last_at
    FROM orders_order WHERE store_id = %(store)s AND status <> 'cancelled'
    GROUP BY customer_id
) s
WHERE c.id = s.customer_id AND c.store_id = %(store)s
"""


BATCH = 50_000  # orders staged per COPY (their lines right after), so memory stays flat


def _stage(cursor, batch: list) -> None:
    _copy(cursor, "COPY stage_order FROM STDIN", (row for row, _lines in batch))
    _copy(cursor, "COPY stage_line FROM STDIN", (line for _row, lines in batch for line in lines))


def seed(context) -> None:
    size = SIZES.get(context.scale)
    if not size:
        return
    orders, customers = size
    store = context.stores["main"]
    rng = context.rng
    now = timezone.now()
    variants = [
        (sku, title, " / ".join(str(v) for v in options.values()), price)
        for sku, title, options, price in Variant.objects.for_store(store)
        .order_by("id")
        .values_list("sku", "product__title", "option_values", "price")[:2000]
    ]
    if not variants:
        return
    label = "orders (bulk)"
    context.progress.step(label, 0, orders)
    with connection.cursor() as cursor:
        _copy(
            cursor,
            "COPY customers_customer (store_id, email, phone, first_name, last_name, full_name, "
            "order_count, total_spent, created_at, updated_at) FROM STDIN",
            _customers(rng, customers, store.pk, now),
        )
        cursor.execute(STAGE_ORDERS)
        batch: list = []
        for item in _orders(
            rng, orders=orders, customers=customers, store_id=store.pk, variants=variants,
            now=now, progress=lambda done: context.progress.step(label, done, orders),
        ):  # fmt: skip
            batch.append(item)
            if len(batch) >= BATCH:
                _stage(cursor, batch)
                batch = []
        _stage(cursor, batch)
        parameters = {"store": store.pk, "currency": store.currency, "first": BULK_NUMBER_START}
        cursor.execute(MOVE_ORDERS, parameters)
        cursor.execute(MOVE_LINES, parameters)
        cursor.execute(EVENTS.replace("{paid}", money_sql("o.total", store.currency)), parameters)
        cursor.execute(STATS, parameters)
        cursor.execute("ANALYZE orders_order; ANALYZE orders_orderline; ANALYZE customers_customer")
    context.progress.step(label, orders, orders)
