"""Global search (the top bar): each app registers a provider (``apps.core.portal``).

A provider takes the store, the query and a limit, and returns ``SearchHit``s, best first; the
page groups them by provider, for the roles with the provider's permission. A provider that
ranks its hits gives each a ``score`` (higher is better): the group holding the best hit comes
first (Enter in the top bar opens the first hit), the others keep their order.
"""

from __future__ import annotations

from dataclasses import dataclass

from apps.core.models import Store
from apps.core.portal import SearchProvider, contributions
from apps.core.roles import role_has


@dataclass(frozen=True)
class SearchHit:
    title: str
    subtitle: str
    url: str
    score: float = 0.0


@dataclass(frozen=True)
class SearchGroup:
    label: str
    hits: list[SearchHit]


MIN_QUERY_LENGTH = 2


def global_search(*, store: Store, role: str, query: str, limit: int = 5) -> list[SearchGroup]:
    query = query.strip()
    if len(query) < MIN_QUERY_LENGTH:
        return []
    groups = []
    for provider in contributions(SearchProvider):
        if role_has(role, provider.perm):
            hits = provider.search(store=store, query=query, limit=limit)
            if hits:
                groups.append(SearchGroup(provider.label, hits))
    # the group with the best hit first; equal groups keep the providers' order (stable sort)
    return sorted(groups, key=lambda group: -max(hit.score for hit in group.hits))
