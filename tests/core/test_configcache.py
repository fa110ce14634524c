"""apps/core/configcache.py on its own: copies per process, a version per store in the shared
cache, read once per request."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.core.signals import request_finished, request_started

from apps.core import configcache


@pytest.fixture(autouse=True)
def fresh():
    cache.clear()
    configcache.local_forget_all()
    yield
    cache.clear()
    configcache.local_forget_all()


class Builds:
    def __init__(self):
        self.count = 0

    def __call__(self):
        self.count += 1
        return {"built": self.count}


def test_a_config_is_built_once_until_the_version_changes():
    build = Builds()

    first = configcache.store_config("shipping", 1, build, timeout=60)
    assert configcache.store_config("shipping", 1, build, timeout=60) is first
    assert build.count == 1

    configcache.config_version_bump(1)

    assert configcache.store_config("shipping", 1, build, timeout=60) == {"built": 2}


def test_another_process_takes_the_shared_copy_instead_of_building():
    build = Builds()
    configcache.store_config("shipping", 1, build, timeout=60)
    configcache.local_forget_all()  # another process: nothing in memory, same shared cache

    assert configcache.store_config("shipping", 1, build, timeout=60) == {"built": 1}
    assert build.count == 1


def test_a_copy_that_is_not_usable_is_rebuilt():
    build = Builds()
    configcache.store_config("shipping", 1, build, timeout=60)

    config = configcache.store_config(
        "shipping", 1, build, timeout=60, usable=lambda c: c["built"] > 1
    )

    assert config == {"built": 2}


def test_stores_and_kinds_are_kept_apart():
    configcache.store_config("shipping", 1, lambda: "s1", timeout=60)
    configcache.store_config("payments", 1, lambda: "p1", timeout=60)
    configcache.store_config("shipping", 2, lambda: "s2", timeout=60)
    configcache.config_version_bump(2)

    assert configcache.store_config("shipping", 1, lambda: "new", timeout=60) == "s1"
    assert configcache.store_config("payments", 1, lambda: "new", timeout=60) == "p1"
    assert configcache.store_config("shipping", 2, lambda: "new", timeout=60) == "new"


def test_the_process_keeps_a_bounded_number_of_copies(monkeypatch):
    monkeypatch.setattr(configcache, "LOCAL_MAX_ENTRIES", 3)
    for store_id in range(5):
        configcache.store_config("shipping", store_id, lambda: "x", timeout=60)

    assert len(configcache._local) == 3


def test_within_a_request_the_version_is_read_once_and_a_bump_is_seen():
    request_started.send(sender=None)
    try:
        before = configcache.config_version(1)
        cache.set("storeconfig:version:1", "changed elsewhere", None)
        assert configcache.config_version(1) == before  # read once per request

        configcache.config_version_bump(1)  # a write in this request
        assert configcache.config_version(1) != before
    finally:
        request_finished.send(sender=None)

    cache.set("storeconfig:version:1", "changed elsewhere", None)
    assert configcache.config_version(1) == "changed elsewhere"  # the next request sees it
