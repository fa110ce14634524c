import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _tasks_in_process(celery_eager):
    """Queued tasks (the invitation email) run in-process, so mail.outbox sees them."""
    return celery_eager


@pytest.fixture(autouse=True)
def _empty_cache():
    """Rate-limit counters (password reset) live in the cache: each test starts at zero."""
    cache.clear()
    yield
    cache.clear()
