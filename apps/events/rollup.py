"""Folding new raw events into sessions, carts, purchases and the hourly/daily rollups.

One run (``refresh``) in one transaction, one run at a time (an advisory lock):

1. The new events are those stored by the transactions that ended since the last run: ids
   from the watermark up to the current snapshot's ``xmax``, plus those still running at the
   last run, minus those running now (kept pending for the next run). So every event whose
   transaction has ended is folded exactly once, whatever its ``occurred_at`` — an event for
   last week, arriving today, updates last week's figures — and a long transaction elsewhere
   on the server holds nothing back. (The watermark is the ingestion order, not event time.)
2. Sessions, carts, cart items and purchases are folded from them with commutative merges
   (earliest first event, latest price, net quantities, OR of flags), so the order in which
   events arrive does not change the result.
3. Every store-local hour that a touched session, cart or purchase belonged to before or after
   the fold, and the hours of carts whose abandonment moment passed since the last run, are
   recomputed from sessions, carts and purchases; their days are summed again from the hours.

The definitions (DESIGN.md, "Analytics"):
- a session counts on the store-local hour/day of its first event, with its dimensions;
- a cart counts from its first ``add_to_cart``, with its first event's dimensions; its items are
  the SKUs whose added minus removed quantity is positive, at their latest ``add_to_cart``
  price (ties: the higher price);
- a cart is purchased when a purchase carrying its id came within the store's abandonment window
  after its last activity (any event of the cart but a purchase); abandoned when no purchase
  came within that window and the window has passed; recovered when abandoned and purchased
  later (recovered carts count among the abandoned ones);
- orders and revenue: one per purchase event's ``order_id``, on the hour of its first event.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db import connection, transaction
from django.utils import timezone

from apps.events.models import FIGURES, RollupState

LOCK_KEY = 0x65766E74  # "evnt": one refresh at a time
STATE = "default"

_FRESH = """
CREATE TEMP TABLE rollup_fresh ON COMMIT DROP AS
SELECT e.store_id, e.event_id, e.occurred_at, e.type, e.visitor_id, e.session_id, e.cart_id,
       e.customer_email, e.url, e.device, e.channel, e.country, e.properties, s.timezone AS tz
FROM events_event e JOIN core_store s ON s.id = e.store_id
WHERE (e.ingest_txid >= %(lo)s AND e.ingest_txid < %(hi)s OR e.ingest_txid = ANY(%(pending)s))
  AND e.ingest_txid <> ALL(%(running)s)
"""

# the store-local hour of a moment, kept as a naive local time stored "as if UTC"
_LOCAL_HOUR = "(date_trunc('hour', {at} AT TIME ZONE {tz}) AT TIME ZONE 'UTC')"

_AFFECTED_BEFORE = """
CREATE TEMP TABLE rollup_hours ON COMMIT DROP AS
SELECT x.store_id, x.local_hour AS hour FROM events_session x
  JOIN (SELECT DISTINCT store_id, session_id FROM rollup_fresh) f USING (store_id, session_id)
UNION SELECT x.store_id, x.local_hour FROM events_cart x
  JOIN (SELECT DISTINCT store_id, cart_id FROM rollup_fresh WHERE cart_id <> '') f
  USING (store_id, cart_id) WHERE x.local_hour IS NOT NULL
UNION SELECT x.store_id, x.local_hour FROM events_purchase x
  JOIN (SELECT DISTINCT store_id, properties->>'order_id' AS order_ref FROM rollup_fresh
        WHERE type = 'purchase') f USING (store_id, order_ref)
"""


def _earliest_wins(alias: str, columns: tuple[str, ...]) -> str:
    """``ON CONFLICT … SET`` items that keep each column's value from the earliest event seen,
    the row's own or the new batch's (late events may be older than what is folded in)."""
    return ",\n".join(
        f"    {column} = CASE WHEN (EXCLUDED.first_at, EXCLUDED.first_event_id)\n"
        f"        < ({alias}.first_at, {alias}.first_event_id)"
        f" THEN EXCLUDED.{column} ELSE {alias}.{column} END"
        for column in columns
    ).lstrip()


_SESSION_FROM_FIRST_EVENT = (
    "visitor_id",
    "device",
    "channel",
    "country",
    "landing_page",
    "local_hour",
    "first_event_id",
)
_CART_FROM_FIRST_EVENT = ("session_id", "device", "channel", "country", "first_event_id")

_SESSIONS = f"""
WITH agg AS (
    SELECT store_id, session_id, max(occurred_at) AS last_at, count(*) AS events,
           bool_or(type = 'product_view') AS product_view,
           bool_or(type = 'add_to_cart') AS add_to_cart,
           bool_or(type = 'checkout_started') AS checkout_started,
           bool_or(type = 'purchase') AS purchase
    FROM rollup_fresh GROUP BY store_id, session_id
), first AS (
    SELECT DISTINCT ON (store_id, session_id) store_id, session_id, visitor_id, occurred_at,
           event_id, device, channel, country, url, tz
    FROM rollup_fresh ORDER BY store_id, session_id, occurred_at, event_id
)
INSERT INTO events_session AS s (
    store_id, session_id, visitor_id, first_at, first_event_id, last_at, local_hour, device,
    channel, country, landing_page, events, product_view, add_to_cart, checkout_started, purchase)
SELECT f.store_id, f.session_id, f.visitor_id, f.occurred_at, f.event_id, a.last_at,
       {_LOCAL_HOUR.format(at="f.occurred_at", tz="f.tz")}, f.device, f.channel, f.country,
       CASE WHEN f.url = '' THEN '' ELSE left(coalesce(nullif(split_part(split_part(
           regexp_replace(f.url, '^[a-zA-Z][a-zA-Z0-9+.-]*://[^/?#]*', ''), '#', 1), '?', 1),
           ''), '/'), 512) END,
       a.events, a.product_view, a.add_to_cart, a.checkout_started, a.purchase
FROM agg a JOIN first f USING (store_id, session_id)
ON CONFLICT (store_id, session_id) DO UPDATE SET
    {_earliest_wins("s", _SESSION_FROM_FIRST_EVENT)},
    first_at = LEAST(s.first_at, EXCLUDED.first_at),
    last_at = GREATEST(s.last_at, EXCLUDED.last_at),
    events = s.events + EXCLUDED.events,
    product_view = s.product_view OR EXCLUDED.product_view,
    add_to_cart = s.add_to_cart OR EXCLUDED.add_to_cart,
    checkout_started = s.checkout_started OR EXCLUDED.checkout_started,
    purchase = s.purchase OR EXCLUDED.purchase
"""  # noqa: S608 - built from this module's constants

_CART_ITEMS = """
WITH moves AS (
    SELECT store_id, cart_id, properties->>'sku' AS sku,
           sum(CASE WHEN type = 'add_to_cart' THEN 1 ELSE -1 END
               * (properties->>'quantity')::int) AS quantity
    FROM rollup_fresh WHERE type IN ('add_to_cart', 'remove_from_cart')
    GROUP BY 1, 2, 3
), prices AS (
    SELECT DISTINCT ON (store_id, cart_id, sku) store_id, cart_id, properties->>'sku' AS sku,
           (properties->>'price')::numeric AS price, occurred_at AS price_at
    FROM rollup_fresh WHERE type = 'add_to_cart'
    ORDER BY store_id, cart_id, sku, occurred_at DESC, (properties->>'price')::numeric DESC
)
INSERT INTO events_cartitem AS i (store_id, cart_id, sku, quantity, price, price_at)
SELECT m.store_id, m.cart_id, m.sku, m.quantity, coalesce(p.price, 0),
       CASE WHEN p.price IS NULL THEN '-infinity'::timestamptz ELSE p.price_at END
FROM moves m LEFT JOIN prices p USING (store_id, cart_id, sku)
ON CONFLICT (store_id, cart_id, sku) DO UPDATE SET
    quantity = i.quantity + EXCLUDED.quantity,
    price = CASE WHEN (EXCLUDED.price_at, EXCLUDED.price) > (i.price_at, i.price)
        THEN EXCLUDED.price ELSE i.price END,
    price_at = GREATEST(i.price_at, EXCLUDED.price_at)
"""

_CARTS = f"""
WITH agg AS (
    SELECT store_id, cart_id,
           min(occurred_at) FILTER (WHERE type = 'add_to_cart') AS first_added_at,
           max(occurred_at) FILTER (WHERE type <> 'purchase') AS last_activity_at,
           max(CASE WHEN type = 'checkout_started' THEN 1
                    WHEN type = 'checkout_step' AND properties->>'step' = 'shipping' THEN 2
                    WHEN type = 'checkout_step' AND properties->>'step' = 'payment' THEN 3
                    ELSE 0 END) AS checkout_step
    FROM rollup_fresh WHERE cart_id <> '' GROUP BY store_id, cart_id
), first AS (
    SELECT DISTINCT ON (store_id, cart_id) store_id, cart_id, session_id, occurred_at, event_id,
           device, channel, country, tz
    FROM rollup_fresh WHERE cart_id <> ''
    ORDER BY store_id, cart_id, occurred_at, event_id
), bought AS (
    SELECT DISTINCT ON (store_id, cart_id) store_id, cart_id, occurred_at AS purchased_at,
           properties->>'order_id' AS order_ref, (properties->>'total')::numeric AS total
    FROM rollup_fresh WHERE cart_id <> '' AND type = 'purchase'
    ORDER BY store_id, cart_id, occurred_at, properties->>'order_id'
), email AS (
    SELECT DISTINCT ON (store_id, cart_id) store_id, cart_id, customer_email, occurred_at
    FROM rollup_fresh WHERE cart_id <> '' AND customer_email <> ''
    ORDER BY store_id, cart_id, occurred_at DESC, customer_email DESC
)
INSERT INTO events_cart AS c (
    store_id, cart_id, session_id, first_at, first_event_id, first_added_at, local_hour,
    last_activity_at, purchased_at, purchase_total, order_ref, checkout_step, customer_email,
    customer_email_at, device, channel, country, value, items)
SELECT f.store_id, f.cart_id, f.session_id, f.occurred_at, f.event_id, a.first_added_at,
       {_LOCAL_HOUR.format(at="a.first_added_at", tz="f.tz")}, a.last_activity_at,
       b.purchased_at, b.total, coalesce(b.order_ref, ''), a.checkout_step,
       coalesce(m.customer_email, ''), m.occurred_at, f.device, f.channel, f.country, 0, 0
FROM agg a JOIN first f USING (store_id, cart_id)
LEFT JOIN bought b USING (store_id, cart_id) LEFT JOIN email m USING (store_id, cart_id)
ON CONFLICT (store_id, cart_id) DO UPDATE SET
    {_earliest_wins("c", _CART_FROM_FIRST_EVENT)},
    first_at = LEAST(c.first_at, EXCLUDED.first_at),
    local_hour = CASE WHEN c.first_added_at IS NULL
        OR EXCLUDED.first_added_at < c.first_added_at
        THEN coalesce(EXCLUDED.local_hour, c.local_hour) ELSE c.local_hour END,
    first_added_at = LEAST(c.first_added_at, EXCLUDED.first_added_at),
    last_activity_at = GREATEST(c.last_activity_at, EXCLUDED.last_activity_at),
    purchase_total = CASE WHEN c.purchased_at IS NULL
        OR (EXCLUDED.purchased_at, EXCLUDED.order_ref) < (c.purchased_at, c.order_ref)
        THEN coalesce(EXCLUDED.purchase_total, c.purchase_total) ELSE c.purchase_total END,
    order_ref = CASE WHEN c.purchased_at IS NULL
        OR (EXCLUDED.purchased_at, EXCLUDED.order_ref) < (c.purchased_at, c.order_ref)
        THEN coalesce(nullif(EXCLUDED.order_ref, ''), c.order_ref) ELSE c.order_ref END,
    purchased_at = LEAST(c.purchased_at, EXCLUDED.purchased_at),
    checkout_step = GREATEST(c.checkout_step, EXCLUDED.checkout_step),
    customer_email = CASE WHEN c.customer_email_at IS NULL
        OR (EXCLUDED.customer_email_at, EXCLUDED.customer_email)
           > (c.customer_email_at, c.customer_email)
        THEN coalesce(nullif(EXCLUDED.customer_email, ''), c.customer_email)
        ELSE c.customer_email END,
    customer_email_at = GREATEST(c.customer_email_at, EXCLUDED.customer_email_at)
"""  # noqa: S608 - built from this module's constants

_CART_VALUES = """
UPDATE events_cart c SET value = t.value, items = t.items
FROM (
    SELECT i.store_id, i.cart_id,
           coalesce(sum(i.quantity * i.price) FILTER (WHERE i.quantity > 0), 0) AS value,
           coalesce(sum(i.quantity) FILTER (WHERE i.quantity > 0), 0) AS items
    FROM events_cartitem i
    JOIN (SELECT DISTINCT store_id, cart_id FROM rollup_fresh
          WHERE type IN ('add_to_cart', 'remove_from_cart')) f USING (store_id, cart_id)
    GROUP BY i.store_id, i.cart_id
) t
WHERE c.store_id = t.store_id AND c.cart_id = t.cart_id
"""

_PURCHASES = f"""
INSERT INTO events_purchase AS p (
    store_id, order_ref, event_id, occurred_at, local_hour, total, currency, session_id, cart_id,
    device, channel, country)
SELECT DISTINCT ON (store_id, properties->>'order_id') store_id, properties->>'order_id',
       event_id, occurred_at, {_LOCAL_HOUR.format(at="occurred_at", tz="tz")},
       (properties->>'total')::numeric, properties->>'currency', session_id, cart_id, device,
       channel, country
FROM rollup_fresh WHERE type = 'purchase'
ORDER BY store_id, properties->>'order_id', occurred_at, event_id
ON CONFLICT (store_id, order_ref) DO UPDATE SET
    event_id = EXCLUDED.event_id, occurred_at = EXCLUDED.occurred_at,
    local_hour = EXCLUDED.local_hour, total = EXCLUDED.total, currency = EXCLUDED.currency,
    session_id = EXCLUDED.session_id, cart_id = EXCLUDED.cart_id, device = EXCLUDED.device,
    channel = EXCLUDED.channel, country = EXCLUDED.country
WHERE (EXCLUDED.occurred_at, EXCLUDED.event_id) < (p.occurred_at, p.event_id)
"""  # noqa: S608 - built from this module's constants

# a purchase links to the store's order with that external id, once the order exists
_PURCHASE_LINKS = """
UPDATE events_purchase p SET order_id = o.id FROM orders_order o
WHERE p.order_id IS NULL AND o.store_id = p.store_id AND o.external_id = p.order_ref
"""

_AFFECTED_AFTER = """
INSERT INTO rollup_hours
SELECT x.store_id, x.local_hour FROM events_session x
  JOIN (SELECT DISTINCT store_id, session_id FROM rollup_fresh) f USING (store_id, session_id)
UNION SELECT x.store_id, x.local_hour FROM events_cart x
  JOIN (SELECT DISTINCT store_id, cart_id FROM rollup_fresh WHERE cart_id <> '') f
  USING (store_id, cart_id) WHERE x.local_hour IS NOT NULL
UNION SELECT x.store_id, x.local_hour FROM events_purchase x
  JOIN (SELECT DISTINCT store_id, properties->>'order_id' AS order_ref FROM rollup_fresh
        WHERE type = 'purchase') f USING (store_id, order_ref)
UNION
-- carts whose abandonment moment passed since the last run, store by store
SELECT s.id, c.local_hour FROM core_store s CROSS JOIN LATERAL (
    SELECT local_hour FROM events_cart c
    WHERE c.store_id = s.id AND c.local_hour IS NOT NULL AND c.purchased_at IS NULL
      AND c.last_activity_at >= %(checked)s - make_interval(mins => s.abandonment_window_minutes)
      AND c.last_activity_at < %(now)s - make_interval(mins => s.abandonment_window_minutes)
) c
"""

# a cart's state at %(now)s, with ``w`` its store's abandonment window
_DEADLINE = "(c.last_activity_at + make_interval(mins => st.abandonment_window_minutes))"
_RECOVERED = f"coalesce(c.purchased_at > {_DEADLINE}, false)"
_ABANDONED = f"(c.purchased_at IS NULL AND {_DEADLINE} <= %(now)s OR {_RECOVERED})"

_HOURS = f"""
INSERT INTO events_hourrollup (store_id, hour, device, channel, country, {", ".join(FIGURES)})
SELECT store_id, hour, device, channel, country, sum(sessions), sum(product_view_sessions),
       sum(add_to_cart_sessions), sum(checkout_sessions), sum(purchase_sessions), sum(carts),
       sum(purchased_carts), sum(abandoned_carts), sum(abandoned_value), sum(recovered_carts),
       sum(recovered_revenue), sum(orders), sum(revenue)
FROM (
    SELECT s.store_id, s.local_hour AS hour, s.device, s.channel, s.country, 1 AS sessions,
           s.product_view::int AS product_view_sessions,
           s.add_to_cart::int AS add_to_cart_sessions,
           s.checkout_started::int AS checkout_sessions, s.purchase::int AS purchase_sessions,
           0 AS carts, 0 AS purchased_carts, 0 AS abandoned_carts, 0 AS abandoned_value,
           0 AS recovered_carts, 0 AS recovered_revenue, 0 AS orders, 0 AS revenue
    FROM events_session s JOIN rollup_hours_distinct h
      ON h.store_id = s.store_id AND h.hour = s.local_hour
    UNION ALL
    SELECT c.store_id, c.local_hour, c.device, c.channel, c.country, 0, 0, 0, 0, 0, 1,
           (c.purchased_at IS NOT NULL AND NOT {_ABANDONED})::int,
           ({_ABANDONED})::int,
           CASE WHEN {_ABANDONED} THEN c.value ELSE 0 END,
           ({_RECOVERED})::int,
           CASE WHEN {_RECOVERED} THEN c.purchase_total ELSE 0 END, 0, 0
    FROM events_cart c JOIN core_store st ON st.id = c.store_id
    JOIN rollup_hours_distinct h ON h.store_id = c.store_id AND h.hour = c.local_hour
    UNION ALL
    SELECT p.store_id, p.local_hour, p.device, p.channel, p.country, 0, 0, 0, 0, 0, 0, 0, 0, 0,
           0, 0, 1, p.total
    FROM events_purchase p JOIN rollup_hours_distinct h
      ON h.store_id = p.store_id AND h.hour = p.local_hour
) figures
GROUP BY store_id, hour, device, channel, country
"""  # noqa: S608 - built from this module's constants

_DAYS = f"""
INSERT INTO events_dayrollup (store_id, day, device, channel, country, {", ".join(FIGURES)})
SELECT r.store_id, (r.hour AT TIME ZONE 'UTC')::date, r.device, r.channel, r.country,
       {", ".join(f"sum(r.{name})" for name in FIGURES)}
FROM events_hourrollup r JOIN rollup_days d
  ON d.store_id = r.store_id AND r.hour >= d.day::timestamp AT TIME ZONE 'UTC'
 AND r.hour < (d.day + 1)::timestamp AT TIME ZONE 'UTC'
GROUP BY 1, 2, 3, 4, 5
"""  # noqa: S608 - built from this module's constants

_LANDING = """
INSERT INTO events_landingpagedayrollup (store_id, day, landing_page, sessions, purchase_sessions)
SELECT s.store_id, (s.local_hour AT TIME ZONE 'UTC')::date, s.landing_page, count(*),
       count(*) FILTER (WHERE s.purchase)
FROM events_session s JOIN rollup_days d
  ON d.store_id = s.store_id AND s.local_hour >= d.day::timestamp AT TIME ZONE 'UTC'
 AND s.local_hour < (d.day + 1)::timestamp AT TIME ZONE 'UTC'
GROUP BY 1, 2, 3
"""


@dataclass(frozen=True)
class RefreshResult:
    events: int  # raw events folded
    hours: int  # store-hours recomputed
    days: int  # store-days recomputed


def refresh(*, now: datetime.datetime | None = None) -> RefreshResult:
    """Fold every event stored since the last run into the rollups (see the module)."""
    now = now or timezone.now()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [LOCK_KEY])
        # before this transaction takes an id of its own: every id below xmax has ended, but
        # those listed as running
        cursor.execute(
            "SELECT pg_snapshot_xmax(s)::text::bigint, "
            "array(SELECT x::text::bigint FROM pg_snapshot_xip(s) AS x) "
            "FROM pg_current_snapshot() AS s"
        )
        hi, running = cursor.fetchone()
        state, _created = RollupState.objects.select_for_update().get_or_create(name=STATE)
        lo = state.txid_done
        hi = max(hi, lo)
        params = {
            "lo": lo,
            "hi": hi,
            "pending": state.txid_pending,
            "running": running,
            "now": now,
            "checked": state.checked_until or datetime.datetime(1970, 1, 1, tzinfo=datetime.UTC),
        }
        cursor.execute(_FRESH, params)
        cursor.execute("SELECT count(*) FROM rollup_fresh")
        events = cursor.fetchone()[0]
        cursor.execute(_AFFECTED_BEFORE)
        if events:
            cursor.execute(_SESSIONS)
            cursor.execute(_CART_ITEMS)
            cursor.execute(_CARTS)
            cursor.execute(_CART_VALUES)
            cursor.execute(_PURCHASES)
        cursor.execute(_PURCHASE_LINKS)
        cursor.execute(_AFFECTED_AFTER, params)
        cursor.execute(
            "CREATE TEMP TABLE rollup_hours_distinct ON COMMIT DROP AS "
            "SELECT DISTINCT store_id, hour FROM rollup_hours"
        )
        cursor.execute("SELECT count(*) FROM rollup_hours_distinct")
        hours = cursor.fetchone()[0]
        cursor.execute(
            "DELETE FROM events_hourrollup r USING rollup_hours_distinct h "
            "WHERE r.store_id = h.store_id AND r.hour = h.hour"
        )
        cursor.execute(_HOURS, params)
        cursor.execute(
            "CREATE TEMP TABLE rollup_days ON COMMIT DROP AS "
            "SELECT DISTINCT store_id, (hour AT TIME ZONE 'UTC')::date AS day "
            "FROM rollup_hours_distinct"
        )
        cursor.execute("SELECT count(*) FROM rollup_days")
        days = cursor.fetchone()[0]
        cursor.execute(
            "DELETE FROM events_dayrollup r USING rollup_days d "
            "WHERE r.store_id = d.store_id AND r.day = d.day"
        )
        cursor.execute(_DAYS)
        cursor.execute(
            "DELETE FROM events_landingpagedayrollup r USING rollup_days d "
            "WHERE r.store_id = d.store_id AND r.day = d.day"
        )
        cursor.execute(_LANDING)
        for table in ("rollup_fresh", "rollup_hours", "rollup_hours_distinct", "rollup_days"):
            cursor.execute(f"DROP TABLE {table}")  # noqa: S608 - our own names
        state.txid_done = hi
        # running transactions that may still store events below the watermark
        state.txid_pending = sorted(
            txid for txid in running if txid in state.txid_pending or lo <= txid < hi
        )
        state.checked_until = now
        state.refreshed_at = now
        state.save()
    return RefreshResult(events=events, hours=hours, days=days)
