"""The one place that turns ``/store/<handle>/…`` into a store the user may act on.

``store_view(perm)`` wraps every store-scoped view: it requires a login, resolves the handle
to one of the user's memberships (another store, or a store that does not exist, is a 404 —
never a 403 that would reveal it exists), checks the role's permission (403 on the user's own
store), and puts ``request.store`` and ``request.membership`` in place for the view.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone

from apps.accounts.roles import Perm, role_has

SESSION_LAST_STORE = "last_store_handle"


def store_view(perm: Perm) -> Callable:
    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @login_required
        @wraps(view)
        def wrapper(request: HttpRequest, handle: str, *args, **kwargs) -> HttpResponse:
            from apps.accounts.selectors import membership_for_handle

            membership = membership_for_handle(user=request.user, handle=handle)
            if membership is None:
                raise Http404("No such store.")
            request.store = membership.store
            request.membership = membership
            if not role_has(membership.role, perm):
                raise PermissionDenied("Your role does not give access to this page.")
            if request.session.get(SESSION_LAST_STORE) != handle:
                request.session[SESSION_LAST_STORE] = handle
            # dates on the page read in the store's own time zone; the thread's next request
            # (another store, an error page) starts from UTC again
            timezone.activate(membership.store.tzinfo)
            try:
                response = view(request, *args, **kwargs)
                if hasattr(response, "render") and not getattr(response, "is_rendered", True):
                    response.render()
                return response
            finally:
                timezone.deactivate()

        wrapper.store_permission = perm
        return wrapper

    return decorator


def can(request: HttpRequest, perm: Perm) -> bool:
    membership = getattr(request, "membership", None)
    return membership is not None and role_has(membership.role, perm)
