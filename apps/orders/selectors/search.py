"""Support search: orders and customers by order number, email, phone, name, postal code,
tracking number, payment reference or SKU — exact, partial, or with a typo (pg_trgm).

Every text field searched has a trigram GIN index (migrations), so each condition — ``ILIKE
'%q%'`` for a part, ``q <% field`` (word similarity) for a typo — is an index scan, and the
conditions are OR-ed into one bitmap. Ranking, best first:

1. an exact order number, email, tracking number, payment reference, external id or phone;
2. an exact postal code or SKU (many orders share one);
3. a part of a field (``smith@exa``), the closer the part to the whole the higher;
4. a near miss (``jon.smiht@example.com``), by word similarity;

ties go to the most recent order.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.contrib.postgres.search import TrigramWordSimilarity
from django.db import connection
from django.db.models import Case, F, FloatField, Q, Value, When
from django.db.models.functions import Greatest

from apps.catalog.selectors import ILike
from apps.core.exceptions import DomainError
from apps.core.models import Store
from apps.customers import inputs as customer_inputs
from apps.customers.models import Customer
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


def _sku_order_ids(*, store: Store, query: Query) -> list[int]:
    lines = OrderLine.objects.filter(store=store).filter(
        Q(sku__iexact=query.text) | Q(ILike("sku", query.pattern))
        if len(query.text) >= 3
        else Q(sku__iexact=query.text)
    )
    return list(lines.order_by().values_list("order_id", flat=True).distinct()[:SKU_ORDERS_MAX])


def order_search_condition(*, store: Store, query: str) -> Q:
    """The orders matching ``query`` (the list's search box and the global search)."""
    parsed = query_parse(query)
    condition = Q(external_id=parsed.text) | Q(customer_email=parsed.lower)
    condition |= Q(tracking_number=parsed.text) | Q(payment_reference=parsed.text)
    if parsed.number is not None:
        condition |= Q(number=parsed.number)
    if parsed.phone:
        condition |= Q(customer_phone=parsed.phone)
    if len(parsed.text) >= 3:
        for name in ORDER_TEXT_FIELDS:
            condition |= Q(ILike(name, parsed.pattern))
            condition |= Q(**{f"{name}__trigram_word_similar": parsed.text})
    else:
        condition |= Q(ship_postal_code=parsed.text)
    sku_orders = _sku_order_ids(store=store, query=parsed)
    if sku_orders:
        condition |= Q(pk__in=sku_orders)
    return condition


def _score(parsed: Query, fields: tuple[str, ...], exact: list[Q], good: list[Q]) -> Greatest:
    cases = [When(q, then=Value(3.0)) for q in exact] + [When(q, then=Value(2.5)) for q in good]
    parts = [Case(*cases, default=Value(0.0), output_field=FloatField())]
    if len(parsed.text) >= 3:
        for name in fields:
            similarity = TrigramWordSimilarity(Value(parsed.text), name)
            parts.append(
                Case(
                    When(ILike(name, parsed.pattern), then=Value(1.0) + similarity),
                    default=similarity,
                    output_field=FloatField(),
                )
            )
    return Greatest(*parts) if len(parts) > 1 else parts[0]


def order_search(*, store: Store, query: str, limit: int = 10) -> list[Order]:
    """The best ``limit`` orders for ``query``, each with its ``score``."""
    parsed = query_parse(query)
    if not parsed.text:
        return []
    _similarity_threshold()
    exact = [Q(external_id=parsed.text), Q(customer_email=parsed.lower)]
    exact += [Q(tracking_number=parsed.text), Q(payment_reference=parsed.text)]
    if parsed.number is not None:
        exact.append(Q(number=parsed.number))
    if parsed.phone:
        exact.append(Q(customer_phone=parsed.phone))
    good = [Q(ship_postal_code=parsed.text)]
    sku_orders = _sku_order_ids(store=store, query=parsed)
    if sku_orders:
        good.append(Q(pk__in=sku_orders))
    return list(
        Order.objects.for_store(store)
        .filter(order_search_condition(store=store, query=query))
        .annotate(score=_score(parsed, ORDER_TEXT_FIELDS, exact, good))
        .order_by("-score", F("placed_at").desc(), "-id")[:limit]
    )


def customer_search_condition(*, query: str) -> Q:
    parsed = query_parse(query)
    condition = Q(email=parsed.lower)
    if parsed.phone:
        condition |= Q(phone=parsed.phone)
    if len(parsed.text) >= 3:
        for name in CUSTOMER_TEXT_FIELDS:
            condition |= Q(ILike(name, parsed.pattern))
            condition |= Q(**{f"{name}__trigram_word_similar": parsed.text})
    return condition


def customer_search(*, store: Store, query: str, limit: int = 10) -> list[Customer]:
    """The best ``limit`` customers for ``query`` (email, name, phone), each with ``score``."""
    parsed = query_parse(query)
    if not parsed.text:
        return []
    _similarity_threshold()
    exact = [Q(email=parsed.lower)] + ([Q(phone=parsed.phone)] if parsed.phone else [])
    return list(
        Customer.objects.for_store(store)
        .filter(customer_search_condition(query=query))
        .annotate(score=_score(parsed, CUSTOMER_TEXT_FIELDS, exact, []))
        .order_by("-score", F("last_order_at").desc(nulls_last=True), "-id")[:limit]
    )
