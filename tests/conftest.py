"""Shared test set-up: PostgreSQL (embedded unless DATABASE_URL), a test Redis, factories."""

from __future__ import annotations

import os
import shutil
import tempfile

# Playwright's sync API runs an event loop in the test thread; Django must allow ORM calls there.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

import pytest  # noqa: E402
from django.test import Client  # noqa: E402

from tests.factories import MembershipFactory, StoreFactory, UserFactory  # noqa: E402

TEST_PASSWORD = "correct-horse-battery"

_redis_process = None
_private_root = tempfile.mkdtemp(prefix="private-test-")  # removed when the run ends


def pytest_configure(config):
    from django.conf import settings

    # fast hashing in tests; Argon2 itself is covered by a dedicated test
    settings.PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.MD5PasswordHasher",
        "django.contrib.auth.hashers.Argon2PasswordHasher",
    ]
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        # private files (imports, exports) of the run go to a folder of its own
        "private": {
            **settings.STORAGES["private"],
            "OPTIONS": {"location": _private_root},
        },
    }
    settings.CONTENT_SECURITY_POLICY = settings.CONTENT_SECURITY_POLICY  # keep CSP on in tests
    if settings.CELERY_BROKER_IS_EMBEDDED and not hasattr(config, "workerinput"):
        _start_test_redis(settings)


def _start_test_redis(settings):
    """A Redis of the tests' own (not the dev runner's), so queued tasks never leak into it."""
    global _redis_process
    import subprocess

    from apps.core import embedded
    from merchant_portal.celery import app

    socket = _test_redis_socket()
    _redis_process = embedded.redis_start(
        socket, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    url = embedded.redis_url(socket)
    # Celery prefers this variable over app.conf (settings exported the dev Redis into it)
    os.environ["CELERY_BROKER_URL"] = url
    settings.CELERY_BROKER_URL = url
    settings.CELERY_RESULT_BACKEND = url
    app.conf.update(broker_url=url, result_backend=url)


def _test_redis_socket():
    from apps.core import embedded

    # one per test run, so parallel runs (and the dev runner) never share a queue
    return embedded.DATA_DIR / f"redis-test-{os.getpid()}.sock"


def pytest_unconfigure(config):
    shutil.rmtree(_private_root, ignore_errors=True)
    if _redis_process is not None:
        from apps.core import embedded

        embedded.redis_stop(_redis_process, _test_redis_socket())


# --- common fixtures -----------------------------------------------------------------------------
@pytest.fixture
def store(db):
    return StoreFactory(handle="alpha", name="Alpha Goods")


@pytest.fixture
def other_store(db):
    return StoreFactory(handle="bravo", name="Bravo Supplies")


@pytest.fixture
def make_member(db):
    def make(store, role="owner", **user_fields):
        user = UserFactory(**user_fields)
        MembershipFactory(user=user, store=store, role=role)
        return user

    return make


@pytest.fixture
def owner(store, make_member):
    return make_member(store, "owner", email="owner@alpha.test", full_name="Ada Owner")


@pytest.fixture
def manager(store, make_member):
    return make_member(store, "manager", email="manager@alpha.test")


@pytest.fixture
def support(store, make_member):
    return make_member(store, "support", email="support@alpha.test")


@pytest.fixture
def client_for():
    """``client_for(user)``: a test client logged in as ``user``."""

    def make(user):
        client = Client()
        client.force_login(user)
        return client

    return make


@pytest.fixture
def celery_eager():
    """Run queued Celery tasks in-process, for tests that check outcomes, not the broker."""
    from merchant_portal.celery import app

    app.conf.task_always_eager = True
    app.conf.task_eager_propagates = True
    yield app
    app.conf.task_always_eager = False
    app.conf.task_eager_propagates = False
