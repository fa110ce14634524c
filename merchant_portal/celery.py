"""The Celery application. Settings come from Django settings under the CELERY_ prefix."""

import os

from celery import Celery, Task

from apps.core.origin import TASK, running_as

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "merchant_portal.settings")


class PortalTask(Task):
    """Every task of the portal: what it writes says it came from a background job (an audit
    entry without a client address shows "Background job")."""

    def __call__(self, *args, **kwargs):
        with running_as(TASK, self.name):
            return super().__call__(*args, **kwargs)


app = Celery("merchant_portal", task_cls=PortalTask)
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
