"""The base of the portal's own management commands."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from apps.core.origin import COMMAND, running_as


class PortalCommand(BaseCommand):
    """A management command whose writes say they came from it: an audit entry it writes shows
    "Management command (<its name>)" where a request's would show the client's address."""

    def execute(self, *args, **options):
        name = type(self).__module__.rsplit(".", 1)[-1]
        with running_as(COMMAND, name):
            return super().execute(*args, **options)
