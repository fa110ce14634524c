import pytest


@pytest.fixture(autouse=True)
def _tasks_in_process(celery_eager):
    """Queued tasks (the invitation email) run in-process, so mail.outbox sees them."""
    return celery_eager
