import pytest


@pytest.fixture(autouse=True)
def celery_eager():
    """Queued tasks (the invitation email) run in-process, so mail.outbox sees them."""
    from merchant_portal.celery import app

    app.conf.task_always_eager = True
    app.conf.task_eager_propagates = True
    yield app
    app.conf.task_always_eager = False
    app.conf.task_eager_propagates = False
