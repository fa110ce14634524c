"""The request's client address, for the audit entries written while it is served.

``AuditContextMiddleware`` sets it for each request (finding the client behind the proxies
counted by ``AXES_PROXY_COUNT``, the same way the login throttle does), and ``audit_record``
reads it, so no view has to pass it along. Outside a request (tasks, commands) it is None.
"""

from __future__ import annotations

from contextvars import ContextVar

from axes.helpers import get_client_ip_address

client_address: ContextVar[str | None] = ContextVar("audit_client_address", default=None)


def request_client_address(request) -> str | None:
    return get_client_ip_address(request) or None


class AuditContextMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = client_address.set(request_client_address(request))
        try:
            return self.get_response(request)
        finally:
            client_address.reset(token)
