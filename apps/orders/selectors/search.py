"""Support search: orders and customers by order number, email, phone, name, postal code,
tracking number, payment reference or SKU — exact, partial, or with a typo (pg_trgm).

Three tiers; the first that finds anything answers, so a precise query (a whole email, a
tracking number) never pays for the fuzzy ones:

1. exact values — order number, email, tracking number, payment reference, external id, phone,
   postal code, SKU — through b-tree indexes;
2. a part of a field (``smith@exa``): ``ILIKE '%q%'`` through the trigram GIN indexes;
3. a near miss (``jon.smiht@example.com``, ``Lovelase``): word similarity (``q <% field``) on
   the customers' emails and names, through their trigram indexes; the orders of the closest
   50 customers (one index probe each).

Within a tier the best match comes first: an exact email, number or tracking number before a
shared postal code; a part that is most of the field before a small part; ties go to the most
recent order.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.contrib.postgres.search import TrigramWordSimilarity
from django.db import connection
from django.db.models import Case, F, FloatField, Q, Value, When
from django.db.models.functions import Greatest

from apps.core.exceptions import DomainError
from apps.core.models import Store
from apps.core.selectors import ILike
from apps.customers import inputs as customer_inputs
from apps.customers.models import AliasKind, Customer, CustomerAlias
from apps.orders.models import Order, OrderLine

ORDER_TEXT_FIELDS = (
    "customer_email",
    "customer_name",
    "customer_phone",
    "ship_postal_code",
    "tracking_number",
    "payment_reference",
)
CUSTOMER_TEXT_FIELDS = ("email", "full_name", "phone")
EXACT_FIELDS = ("customer_email", "tracking_number", "payment_reference", "external_id")
WORD_SIMILARITY_THRESHOLD = 0.5  # pg_trgm's default (0.6) misses one-letter typos in a word
SKU_ORDERS_MAX = 200
MIN_PARTIAL = 3  # shorter queries match exact values only
MIN_FUZZY = 4  # near misses from four characters on
_NUMBER = re.compile(r"^#?\s*(\d{1,9})$")


@dataclass(frozen=True)
class Query:
    text: str  # folded spaces
    lower: str
    number: int | None  # "#1001" / "1001"
    phone: str  # normalised, when the query reads as a phone number
    pattern: str  # ILIKE '%…%'


def query_parse(raw: str) -> Query:
    text = " ".join(raw.split())[:200]
    match = _NUMBER.match(text)
    try:
        phone = customer_inputs.phone(text) if re.fullmatch(r"[+\d\s().\-/]{6,}", text) else ""
    except DomainError:
        phone = ""
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return Query(
        text=text,
        lower=text.lower(),
        number=int(match.group(1)) if match else None,
        phone=phone,
        pattern=f"%{escaped}%",
    )


def _similarity_threshold() -> None:
    """Word similarity's threshold for this connection (``<%`` reads it)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT set_config('pg_trgm.word_similarity_threshold', %s, false)",
            [str(WORD_SIMILARITY_THRESHOLD)],
        )


def _sku_order_ids(*, store: Store, query: Query, partial: bool) -> list[int]:
    """Orders with a line of this SKU (or a part of one). No DISTINCT in SQL: with one,
    PostgreSQL walks every line in order-id order hoping to meet the SKU early (a second on a
    million orders) instead of reading the SKU index; the few repeats are dropped here."""
    lines = OrderLine.objects.filter(store=store)
    condition = Q(sku__in={query.text, query.text.upper()})
    if partial:
        condition = Q(ILike("sku", query.pattern))
    ids = lines.filter(condition).order_by().values_list("order_id", flat=True)
    return list(dict.fromkeys(ids[: SKU_ORDERS_MAX * 5]))[:SKU_ORDERS_MAX]


def _order_exact(*, store: Store, query: Query) -> Q:
    """Exact values, each read through a b-tree (or equality on a trigram) index."""
    condition = Q(external_id=query.text) | Q(customer_email=query.lower)
    condition |= Q(tracking_number=query.text) | Q(payment_reference=query.text)
    condition |= Q(ship_postal_code=query.text)
    if query.number is not None:
        condition |= Q(number=query.number)
    if query.phone:
        condition |= Q(customer_phone=query.phone)
    sku_orders = _sku_order_ids(store=store, query=query, partial=False)
    if sku_orders:
        condition |= Q(pk__in=sku_orders)
    return condition


def _order_partial(*, store: Store, query: Query) -> Q:
    """A part of a field: ``ILIKE '%q%'`` through the trigram indexes (every trigram of the
    query must be there, so a longer query reads fewer rows)."""
    condition = Q(pk__in=[])
    for name in ORDER_TEXT_FIELDS:
        condition |= Q(ILike(name, query.pattern))
    sku_orders = _sku_order_ids(store=store, query=query, partial=True)
    if sku_orders:
        condition |= Q(pk__in=sku_orders)
    return condition


def order_search_condition(*, store: Store, query: str) -> Q:
    """The orders matching ``query`` exactly or in part (the order list's search box; the
    ranked support search adds near misses)."""
    parsed = query_parse(query)
    condition = _order_exact(store=store, query=parsed)
    if len(parsed.text) >= MIN_PARTIAL:
        condition |= _order_partial(store=store, query=parsed)
    return condition


def _score(parsed: Query, fields: tuple[str, ...], exact: list[Q]) -> Greatest:
    """Exact values 3, a part 1 + how much of the field it is, a near miss its similarity."""
    parts = [Case(*[When(q, then=Value(3.0)) for q in exact], default=Value(0.0),
                  output_field=FloatField())]  # fmt: skip
    for name in fields:
        similarity = TrigramWordSimilarity(Value(parsed.text), name)
        parts.append(
            Case(
                When(ILike(name, parsed.pattern), then=Value(1.0) + similarity),
                default=similarity,
                output_field=FloatField(),
            )
        )
    return Greatest(*parts)


def _tiers(queryset, tiers, *, score, order_by, limit: int) -> list:
    """Exact matches, else parts, else near misses: the first tier that finds anything
    answers, so a precise query (a whole email, a tracking number) never pays for the fuzzy
    ones, and a near miss is only looked for when nothing matches as typed."""
    for condition in tiers:
        if callable(condition):  # a tier that costs a query of its own to build
            condition = condition()
        if condition is None:
            continue
        rows = list(
            queryset.filter(condition).annotate(score=score).order_by("-score", *order_by)[:limit]
        )
        if rows:
            return rows
    return []


def order_search(*, store: Store, query: str, limit: int = 10) -> list[Order]:
    """The best ``limit`` orders for ``query``, each with its ``score``."""
    parsed = query_parse(query)
    if not parsed.text:
        return []
    long_enough = len(parsed.text) >= MIN_PARTIAL
    exact = [Q(external_id=parsed.text), Q(customer_email=parsed.lower),
             Q(tracking_number=parsed.text), Q(payment_reference=parsed.text)]  # fmt: skip
    if parsed.number is not None:
        exact.append(Q(number=parsed.number))
    if parsed.phone:
        exact.append(Q(customer_phone=parsed.phone))
    return _tiers(
        Order.objects.for_store(store),
        [
            _order_exact(store=store, query=parsed),
            _order_partial(store=store, query=parsed) if long_enough else None,
            # near misses: the orders of the customers whose email or name is close (the
            # customers are fewer than the orders, and each is one index probe away)
            lambda: _customer_typo_orders(store=store, query=parsed),
        ],
        score=_score(parsed, ORDER_TEXT_FIELDS, exact),
        order_by=(F("placed_at").desc(), "-id"),
        limit=limit,
    )


CUSTOMERS_FOR_NEAR_MISSES = 50


def _customer_typo(query: Query) -> Q | None:
    if len(query.text) < MIN_FUZZY:
        return None
    _similarity_threshold()
    return Q(email__trigram_word_similar=query.text) | Q(full_name__trigram_word_similar=query.text)


def _customer_typo_orders(*, store: Store, query: Query) -> Q | None:
    typo = _customer_typo(query)
    if typo is None:
        return None
    closest = Greatest(
        TrigramWordSimilarity(Value(query.text), "email"),
        TrigramWordSimilarity(Value(query.text), "full_name"),
    )
    ids = list(
        Customer.objects.for_store(store)
        .filter(typo)
        .annotate(closeness=closest)
        .order_by("-closeness", "-id")
        .values_list("pk", flat=True)[:CUSTOMERS_FOR_NEAR_MISSES]
    )
    return Q(customer_id__in=ids) if ids else None


def _alias_exact(query: Query) -> Q:
    """Customers with this email or phone kept from a merged duplicate (``CustomerAlias``)."""
    condition = Q(kind=AliasKind.EMAIL, value=query.lower)
    if query.phone:
        condition |= Q(kind=AliasKind.PHONE, value=query.phone)
    return Q(pk__in=CustomerAlias.objects.filter(condition).values("customer_id"))


def _alias_partial(query: Query) -> Q:
    """A part of a merged duplicate's email or phone (aliases are few: merges only)."""
    return Q(
        pk__in=CustomerAlias.objects.filter(ILike("value", query.pattern)).values("customer_id")
    )


def customer_search_condition(*, query: str) -> Q:
    """Customers matching ``query`` exactly (email, phone) or in part (email, name, phone),
    the emails and phones of merged duplicates included."""
    parsed = query_parse(query)
    condition = Q(email=parsed.lower) | _alias_exact(parsed)
    if parsed.phone:
        condition |= Q(phone=parsed.phone)
    if len(parsed.text) >= MIN_PARTIAL:
        for name in CUSTOMER_TEXT_FIELDS:
            condition |= Q(ILike(name, parsed.pattern))
        condition |= _alias_partial(parsed)
    return condition


def customer_search(*, store: Store, query: str, limit: int = 10) -> list[Customer]:
    """The best ``limit`` customers for ``query`` (email, name, phone), each with ``score``."""
    parsed = query_parse(query)
    if not parsed.text:
        return []
    exact = [Q(email=parsed.lower), _alias_exact(parsed)]
    if parsed.phone:
        exact.append(Q(phone=parsed.phone))
    partial = None
    if len(parsed.text) >= MIN_PARTIAL:
        partial = _alias_partial(parsed)
        for name in CUSTOMER_TEXT_FIELDS:
            partial |= Q(ILike(name, parsed.pattern))
    typo = _customer_typo(parsed)
    exact_condition = Q(pk__in=[])
    for condition in exact:
        exact_condition |= condition
    return _tiers(
        Customer.objects.for_store(store),
        [exact_condition, partial, typo],
        score=_score(parsed, CUSTOMER_TEXT_FIELDS, exact),
        order_by=(F("last_order_at").desc(nulls_last=True), "-id"),
        limit=limit,
    )
