"""One store resolver for pages and the admin API: same store, same role, same 404."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import Http404, HttpResponse
from django.test import RequestFactory
from rest_framework.request import Request
from rest_framework.views import APIView

import apps
from apps.accounts import services as account_services
from apps.api.authentication import ApiKeyAuthentication
from apps.api.permissions import HasStoreAccess
from apps.core.roles import Perm
from apps.core.tenancy import StoreNotNamed, resolve_store, store_view


def _page_request(user, path="/"):
    request = RequestFactory().get(path)
    request.user = user
    request.session = {}
    return request


def _api_request(user=None, **headers):
    django_request = RequestFactory().get("/api/v1/store/", **headers)
    if user is not None:
        django_request.user = user
    authenticators = [ApiKeyAuthentication()] if user is None else []
    request = Request(django_request, authenticators=authenticators)
    if user is not None:
        request.user = user
    return request


class _StoreApiView(APIView):
    required_perm = Perm.USE_API


# --- the same 404 for another store's handle ------------------------------------------------------
def test_another_stores_page_and_api_are_404_without_naming_it(
    store, other_store, owner, client_for
):
    client = client_for(owner)

    page = client.get("/store/bravo/")
    api = client.get("/api/v1/store/", HTTP_X_STORE="bravo")

    assert (page.status_code, api.status_code) == (404, 404)
    for response in (page, api):
        assert b"Bravo" not in response.content
        assert b"bravo" not in response.content


def test_a_store_that_does_not_exist_is_the_same_404(store, owner, client_for):
    client = client_for(owner)

    page = client.get("/store/nowhere/")
    api = client.get("/api/v1/store/", HTTP_X_STORE="nowhere")

    assert (page.status_code, api.status_code) == (404, 404)
    assert api.json() == client.get("/api/v1/store/", HTTP_X_STORE="bravo").json()


# --- the same request attributes -----------------------------------------------------------------
def test_a_page_gets_store_membership_and_role(store, support):
    seen = {}

    @store_view(Perm.VIEW_HOME)
    def page(request):
        seen.update(store=request.store, role=request.role, membership=request.membership)
        return HttpResponse("ok")

    page(_page_request(support), handle="alpha")

    assert seen["store"] == store
    assert seen["role"] == "support"
    assert (seen["membership"].user, seen["membership"].role) == (support, "support")


def test_an_api_session_request_gets_the_same_attributes(store, support):
    request = _api_request(support, HTTP_X_STORE="alpha")

    assert HasStoreAccess().has_permission(request, _StoreApiView())

    assert request.store == store
    assert request.role == "support"
    assert (request.membership.user, request.membership.role) == (support, "support")


def test_an_api_key_acts_as_owner_of_its_store_with_no_membership(store, owner):
    _key, raw = account_services.api_key_create(store=store, actor=owner, name="ERP")
    request = _api_request(HTTP_AUTHORIZATION=f"Bearer {raw}")

    assert HasStoreAccess().has_permission(request, _StoreApiView())
    assert (request.store, request.role, request.membership) == (store, "owner", None)


def test_resolve_store_takes_the_handle_from_the_x_store_header_or_the_store_parameter(
    store, manager
):
    by_header = resolve_store(_with_header(manager, "alpha"))
    by_parameter = resolve_store(_page_request(manager, "/?store=alpha"))

    assert (by_header.store, by_header.role) == (store, "manager")
    assert (by_parameter.store, by_parameter.role) == (store, "manager")


def _with_header(user, handle):
    request = RequestFactory().get("/", HTTP_X_STORE=handle)
    request.user = user
    return request


def test_resolve_store_without_a_handle_says_so(store, manager):
    with pytest.raises(StoreNotNamed):
        resolve_store(_page_request(manager))


def test_resolve_store_refuses_an_anonymous_user(store):
    with pytest.raises(Http404):
        resolve_store(_page_request(AnonymousUser()), handle="alpha")


# --- an API key with a store named --------------------------------------------------------------
@pytest.fixture
def api_key_client(store, owner, client):
    _key, raw = account_services.api_key_create(store=store, actor=owner, name="ERP")
    client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {raw}"
    return client


def test_an_api_key_naming_another_store_is_the_same_404(other_store, api_key_client):
    by_header = api_key_client.get("/api/v1/store/", HTTP_X_STORE="bravo")
    by_parameter = api_key_client.get("/api/v1/store/?store=bravo")
    nowhere = api_key_client.get("/api/v1/store/", HTTP_X_STORE="nowhere")

    assert [r.status_code for r in (by_header, by_parameter, nowhere)] == [404, 404, 404]
    assert by_header.json() == by_parameter.json() == nowhere.json()
    assert b"bravo" not in by_header.content.lower()


def test_an_api_key_naming_its_own_store_gets_it(store, api_key_client):
    by_header = api_key_client.get("/api/v1/store/", HTTP_X_STORE="alpha")
    by_parameter = api_key_client.get("/api/v1/store/?store=alpha")
    in_capitals = api_key_client.get("/api/v1/store/", HTTP_X_STORE="ALPHA")  # handles ignore case

    assert (by_header.status_code, by_parameter.status_code, in_capitals.status_code) == (
        200,
        200,
        200,
    )
    assert by_header.json()["handle"] == by_parameter.json()["handle"] == "alpha"


def test_resolve_store_with_an_api_key_refuses_another_stores_handle(store, other_store, owner):
    key, _raw = account_services.api_key_create(store=store, actor=owner, name="ERP")

    with pytest.raises(Http404):
        resolve_store(_with_header(None, "bravo"), api_key=key)
    assert resolve_store(_with_header(None, "alpha"), api_key=key).store == store


def test_only_the_store_resolver_looks_a_membership_up_by_the_stores_handle():
    """One store resolver: no second lookup a later view could use instead of resolve_store."""
    root = Path(apps.__file__).parent
    lookups = sorted(
        path.relative_to(root.parent).as_posix()
        for path in root.rglob("*.py")
        if "migrations" not in path.parts and "store__handle" in path.read_text()
    )

    assert lookups == ["apps/core/tenancy.py"]
