"""Per-store configs kept in each process, checked against one version number per store.

The storefront's checkout reads the store's shipping and payment config (the engines' plain
data, a few hundred KB pickled for a store with many zones) several times a request. Reading it
from the shared cache each time cost an unpickle per read; now each process keeps the built
config in memory, keyed by the store and the store's config *version*, a short token kept in
the shared cache (Redis in production, so every process sees a bump at once):

- a read asks the shared cache for the version — once per request: within a request the answer
  is remembered (``request_started`` / ``request_finished`` scope it) — and returns the
  in-process copy when it was built for that version;
- otherwise it takes the copy other processes stored in the shared cache under that version
  (one unpickle), or builds it from the database and stores it there;
- every write that changes what a config holds calls ``config_version_bump``: a new random token,
  so the next read anywhere rebuilds. Writers bump right away and again when their transaction
  commits (a read between the two may have built from the rows before the commit).

A version that vanished from the shared cache (cleared, evicted) is replaced by a new token:
every process then rebuilds once, never serves a stale copy.
"""

from __future__ import annotations

import threading
import uuid
from collections import OrderedDict
from collections.abc import Callable
from typing import Any, TypeVar

from django.core.cache import cache
from django.core.signals import request_finished, request_started

T = TypeVar("T")

LOCAL_MAX_ENTRIES = 512  # (kind, store) pairs kept per process, least recently used dropped

_lock = threading.Lock()
_local: OrderedDict[tuple[str, int], tuple[str, Any]] = OrderedDict()
_request = threading.local()  # .versions: {store_id: token} while a request runs, else None


def _version_key(store_id: int) -> str:
    return f"storeconfig:version:{store_id}"


def _new_token() -> str:
    return uuid.uuid4().hex[:16]


def _request_versions() -> dict[int, str] | None:
    return getattr(_request, "versions", None)


def _request_begins(**_kwargs) -> None:
    _request.versions = {}


def _request_ends(**_kwargs) -> None:
    _request.versions = None


request_started.connect(_request_begins, dispatch_uid="configcache-request-started")
request_finished.connect(_request_ends, dispatch_uid="configcache-request-finished")


def config_version(store_id: int) -> str:
    """The store's config version (one GET on the shared cache, once per request)."""
    versions = _request_versions()
    if versions is not None and store_id in versions:
        return versions[store_id]
    key = _version_key(store_id)
    token = cache.get(key)
    if token is None:
        cache.add(key, _new_token(), None)
        token = cache.get(key)
    if versions is not None:
        versions[store_id] = token
    return token


def config_version_bump(store_id: int) -> None:
    """Every write that changes a store's shipping or payment config (or what they show of the
    catalog) calls this: the next read in any process rebuilds."""
    token = _new_token()
    cache.set(_version_key(store_id), token, None)
    versions = _request_versions()
    if versions is not None:
        versions[store_id] = token


def store_config(
    kind: str,
    store_id: int,
    build: Callable[[], T],
    *,
    timeout: int,
    usable: Callable[[T], bool] = lambda _config: True,
) -> T:
    """The store's ``kind`` config for the current version: from this process's memory, else
    from the shared cache, else ``build()`` (stored in both). ``usable`` refuses a copy built
    for other circumstances (e.g. another currency) and rebuilds."""
    version = config_version(store_id)
    local_key = (kind, store_id)
    with _lock:
        entry = _local.get(local_key)
        if entry is not None:
            _local.move_to_end(local_key)
    if entry is not None and entry[0] == version and usable(entry[1]):
        return entry[1]
    shared_key = f"storeconfig:{kind}:{store_id}:{version}"
    config = cache.get(shared_key)
    if config is None or not usable(config):
        config = build()
        cache.set(shared_key, config, timeout)
    with _lock:
        _local[local_key] = (version, config)
        _local.move_to_end(local_key)
        while len(_local) > LOCAL_MAX_ENTRIES:
            _local.popitem(last=False)
    return config


def local_forget_all() -> None:
    """Empty this process's copies (tests use it to stand for another process)."""
    with _lock:
        _local.clear()
