"""Reads every app shares: one store-scoped object or 404, ``ILike`` (a search that uses the
trigram indexes) and ``with_count_cap`` (a list's count that stops at a cap)."""

from __future__ import annotations

from typing import TypeVar

from django.db.models import BooleanField, F, Func, Model, QuerySet, Value
from django.http import Http404

M = TypeVar("M", bound=Model)


def object_get(queryset: QuerySet[M], *, not_found: str, **lookup) -> M:
    """The one object of a store-scoped ``queryset`` matching ``lookup``, or ``Http404`` with
    ``not_found`` ("No such product."): another store's id and a missing id look the same.
    Every ``<entity>_get(*, store, <entity>_id)`` selector answers through here."""
    found = queryset.filter(**lookup).first()
    if found is None:
        raise Http404(not_found)
    return found


class ILike(Func):
    """``column ILIKE pattern``: unlike ``icontains`` (``UPPER(col) LIKE``) it uses trigram GIN."""

    arity = 2
    arg_joiner = " ILIKE "
    template = "(%(expressions)s)"
    output_field = BooleanField()

    def __init__(self, column: str, pattern: str):
        super().__init__(F(column), Value(pattern))


class CappedCountQuerySet(QuerySet):
    """A queryset whose ``count()`` stops at ``count_cap + 1``.

    Counting every product that matches a stock filter, or a million orders, costs more than
    the page; the list only needs to know there are "more than 10,000".
    """

    count_cap: int | None = None

    def _clone(self):
        clone = super()._clone()
        clone.count_cap = self.count_cap
        return clone

    def count(self) -> int:
        if self.count_cap is None or self._result_cache is not None:
            return super().count()
        return QuerySet.count(self.order_by().values("pk")[: self.count_cap + 1])


def with_count_cap(queryset: QuerySet, cap: int) -> QuerySet:
    """``queryset`` whose ``count()`` stops at ``cap + 1`` (the product and order lists)."""
    capped = CappedCountQuerySet(
        model=queryset.model, query=queryset.query.chain(), using=queryset.db
    )
    capped.count_cap = cap
    return capped
