"""Global search (the top bar): each app registers a provider (``apps.core.portal``).

A provider takes the store, the query and a limit, and returns ``SearchHit``s, best first; the
page groups them by provider, for the roles with the provider's permission. A provider that
ranks its hits gives each a ``score`` (higher is better): the group holding the best hit comes
first (Enter in the top bar opens the first hit), the others keep their order. A group shows
``limit`` hits; when there are more and the provider names its list (``more_url_name``), the
group links to that list searched for the same words.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from django.urls import reverse

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
    more_url: str = ""  # set when the group holds more than it shows: its list, searched


MIN_QUERY_LENGTH = 2


def global_search(*, store: Store, role: str, query: str, limit: int = 5) -> list[SearchGroup]:
    query = query.strip()
    if len(query) < MIN_QUERY_LENGTH:
        return []
    groups = []
    for provider in contributions(SearchProvider):
        if role_has(role, provider.perm):
            hits = provider.search(store=store, query=query, limit=limit + 1)
            more_url = ""
            if len(hits) > limit and provider.more_url_name:
                url = reverse(provider.more_url_name, kwargs={"handle": store.handle})
                more_url = f"{url}?{urlencode({'q': query})}"
            if hits:
                groups.append(SearchGroup(provider.label, hits[:limit], more_url))
    # the group with the best hit first; equal groups keep the providers' order (stable sort)
    return sorted(groups, key=lambda group: -max(hit.score for hit in group.hits))
