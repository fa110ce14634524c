"""The one place that decides which store a request acts for, and with which role.

``resolve_store(request, …)`` serves pages and the admin API alike:

- a logged-in user and a store handle, from the URL (pages: ``/store/<handle>/…``) or from the
  ``X-Store`` header / ``store=<handle>`` parameter (the API's session requests): the user's
  membership of that store gives the role;
- an API key: the key's own store, as owner; a store named as well (header or parameter) must
  be that store, any other is the same 404.

Either way the request gets ``request.store``, ``request.membership`` (``None`` for an API key)
and ``request.role``. Another store, or a store that does not exist, is a 404 — never a 403
that would reveal it exists — and the 404 names no store.

``store_view(perm)`` wraps every store page: login required, ``resolve_store`` with the URL's
handle, then the role's permission (403 on the user's own store).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any, Protocol

from django.apps import apps as django_apps
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone

from apps.core.models import Store
from apps.core.roles import Role, role_has

SESSION_LAST_STORE = "last_store_handle"
STORE_HEADER = "X-Store"
STORE_PARAMETER = "store"


class StoreNotNamed(Exception):
    """A session request to the API named no store (neither header nor parameter)."""


class ApiKeyLike(Protocol):
    store: Store


@dataclass(frozen=True)
class StoreAccess:
    store: Store
    role: str
    membership: models.Model | None  # the user's Membership; None for an API key


def store_memberships(user: Any) -> models.QuerySet:
    """The user's memberships with their stores, by store name.

    The membership model is named by ``settings.PORTAL_MEMBERSHIP_MODEL`` (as Django names
    its user model by ``AUTH_USER_MODEL``): a model with ``user``, ``store`` and ``role``
    fields. Core reads it by that name and imports no app."""
    membership_model = django_apps.get_model(settings.PORTAL_MEMBERSHIP_MODEL)
    return (
        membership_model.objects.filter(user=user)
        .select_related("store", "user")
        .order_by("store__name")
    )


def _membership(user: Any, handle: str) -> models.Model | None:
    if not (user and user.is_authenticated):
        return None
    return store_memberships(user).filter(store__handle=handle).first()


def _api_key_role(api_key: ApiKeyLike) -> str:
    # API key scopes go here: today every key acts as the store's owner
    return Role.OWNER


def resolve_store(
    request: HttpRequest, *, handle: str | None = None, api_key: ApiKeyLike | None = None
) -> StoreAccess:
    handle = handle or request.headers.get(STORE_HEADER) or request.GET.get(STORE_PARAMETER)
    if api_key is not None:
        if handle and handle.lower() != api_key.store.handle.lower():  # handles ignore case
            raise Http404("No such store.")
        access = StoreAccess(store=api_key.store, role=_api_key_role(api_key), membership=None)
    else:
        if not handle:
            raise StoreNotNamed(
                f"Name the store with the {STORE_HEADER} header or a "
                f"{STORE_PARAMETER}=<handle> parameter."
            )
        membership = _membership(getattr(request, "user", None), handle)
        if membership is None:
            raise Http404("No such store.")
        access = StoreAccess(store=membership.store, role=membership.role, membership=membership)
    request.store = access.store
    request.membership = access.membership
    request.role = access.role
    return access


def store_view(perm: str) -> Callable:
    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @login_required
        @wraps(view)
        def wrapper(request: HttpRequest, handle: str, *args, **kwargs) -> HttpResponse:
            access = resolve_store(request, handle=handle)
            if not role_has(access.role, perm):
                raise PermissionDenied("Your role does not give access to this page.")
            if request.session.get(SESSION_LAST_STORE) != handle:
                request.session[SESSION_LAST_STORE] = handle
            # dates on the page read in the store's own time zone; the thread's next request
            # (another store, an error page) starts from UTC again
            timezone.activate(access.store.tzinfo)
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


def can(request: HttpRequest, perm: str) -> bool:
    role = getattr(request, "role", None)
    return role is not None and role_has(role, perm)
