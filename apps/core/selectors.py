"""Reads every app shares."""

from __future__ import annotations

from typing import TypeVar

from django.db.models import Model, QuerySet
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
