"""Global search (the top bar): every area contributes a provider, shown to roles that may use it.

A provider takes the store, the query and a limit, and returns ``SearchHit``s; the page groups
them by area. Later areas (orders, customers) add their provider to SEARCH_PROVIDERS.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from importlib import import_module

from apps.accounts.roles import Perm, role_has
from apps.core.models import Store


@dataclass(frozen=True)
class SearchHit:
    title: str
    subtitle: str
    url: str


@dataclass(frozen=True)
class SearchProvider:
    label: str
    perm: Perm
    function: str  # "module:function"

    def run(self, *, store: Store, query: str, limit: int) -> list[SearchHit]:
        module, _, name = self.function.partition(":")
        search: Callable[..., list[SearchHit]] = getattr(import_module(module), name)
        return search(store=store, query=query, limit=limit)


@dataclass(frozen=True)
class SearchGroup:
    label: str
    hits: list[SearchHit]


SEARCH_PROVIDERS: list[SearchProvider] = [
    SearchProvider("Products", Perm.MANAGE_CATALOG, "apps.catalog.search:product_hits"),
    SearchProvider("Staff", Perm.MANAGE_STAFF, "apps.accounts.selectors:staff_search"),
]

MIN_QUERY_LENGTH = 2


def global_search(*, store: Store, role: str, query: str, limit: int = 5) -> list[SearchGroup]:
    query = query.strip()
    if len(query) < MIN_QUERY_LENGTH:
        return []
    groups = []
    for provider in SEARCH_PROVIDERS:
        if role_has(role, provider.perm):
            hits = provider.run(store=store, query=query, limit=limit)
            if hits:
                groups.append(SearchGroup(provider.label, hits))
    return groups
