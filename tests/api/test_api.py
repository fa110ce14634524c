"""The admin REST API: how a request finds its store, who may use it, and the docs."""

import json
import re

import pytest
from django.test import Client

from apps.accounts import services


@pytest.fixture
def api_key(store, owner):
    _api_key, raw = services.api_key_create(store=store, actor=owner, name="ERP sync")
    return raw


def _bearer(raw):
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


NOT_FOUND = {"errors": {"non_field_errors": ["No such store."]}, "code": "not_found"}


# --- API key -----------------------------------------------------------------------------------
def test_api_root_with_an_api_key_names_the_keys_store(api_key):
    response = Client().get("/api/v1/", **_bearer(api_key))

    assert response.status_code == 200
    assert response.json() == {
        "store": "alpha",
        "resources": {
            "store": "http://testserver/api/v1/store/",
            "schema": "http://testserver/api/schema/",
            "docs": "http://testserver/api/docs/",
        },
    }


def test_store_endpoint_with_an_api_key_returns_the_store(store, api_key):
    response = Client().get("/api/v1/store/", **_bearer(api_key))

    assert response.status_code == 200
    assert response.json() == {
        "handle": "alpha",
        "name": "Alpha Goods",
        "currency": "EUR",
        "timezone": "Europe/Berlin",
        "country": "DE",
        "publishable_key": store.publishable_key,
        "allowed_origins": [],
        "abandonment_window_minutes": 60,
    }


def test_an_api_key_with_an_x_store_header_naming_another_store_is_a_404(api_key, other_store):
    response = Client().get("/api/v1/store/", HTTP_X_STORE="bravo", **_bearer(api_key))

    assert response.status_code == 404


def test_a_revoked_api_key_is_refused_with_401(store, owner):
    key, raw = services.api_key_create(store=store, actor=owner, name="ERP sync")
    services.api_key_revoke(store=store, actor=owner, api_key=key)

    response = Client().get("/api/v1/store/", **_bearer(raw))

    assert response.status_code == 401
    assert response.json() == {
        "errors": {"non_field_errors": ["Invalid or revoked API key."]},
        "code": "authentication_failed",
    }
    assert response["WWW-Authenticate"] == "Bearer"


def test_a_forged_api_key_with_a_real_prefix_is_refused_with_401(store, owner):
    key, _raw = services.api_key_create(store=store, actor=owner, name="ERP sync")

    response = Client().get("/api/v1/store/", **_bearer(f"mp_sk_{key.prefix}_{'x' * 43}"))

    assert response.status_code == 401


def test_the_bearer_scheme_is_case_insensitive(api_key):
    response = Client().get("/api/v1/", HTTP_AUTHORIZATION=f"bearer {api_key}")

    assert response.status_code == 200
    assert response.json()["store"] == "alpha"


def test_no_credentials_is_refused_with_401(store):
    response = Client().get("/api/v1/store/")

    assert response.status_code == 401
    assert response.json() == {
        "errors": {"non_field_errors": ["Authentication credentials were not provided."]},
        "code": "not_authenticated",
    }


# --- session -------------------------------------------------------------------------------------
def test_session_with_the_x_store_header(store, owner, client_for):
    response = client_for(owner).get("/api/v1/store/", HTTP_X_STORE="alpha")

    assert response.status_code == 200
    assert response.json()["handle"] == "alpha"


def test_session_with_the_store_parameter(store, manager, client_for):
    response = client_for(manager).get("/api/v1/", {"store": "alpha"})

    assert response.status_code == 200
    assert response.json()["store"] == "alpha"


def test_session_naming_another_store_is_not_found(store, owner, other_store, client_for):
    client = client_for(owner)

    another = client.get("/api/v1/store/", HTTP_X_STORE="bravo")
    missing = client.get("/api/v1/store/", {"store": "no-such-store"})

    assert (another.status_code, missing.status_code) == (404, 404)
    assert another.json() == missing.json() == NOT_FOUND


def test_session_naming_no_store_is_a_400_that_says_how(store, owner, client_for):
    response = client_for(owner).get("/api/v1/store/")

    assert response.status_code == 400
    assert response.json() == {
        "errors": {
            "store": ["Name the store with the X-Store header or a store=<handle> parameter."]
        },
        "code": "invalid",
    }


def test_support_reads_the_catalog_through_the_api_but_cannot_change_it(store, support, client_for):
    client = client_for(support)

    assert client.get("/api/v1/products/", HTTP_X_STORE="alpha").status_code == 200
    response = client.post(
        "/api/v1/products/", {"title": "x"}, content_type="application/json", HTTP_X_STORE="alpha"
    )

    assert response.status_code == 403
    assert response.json() == {
        "errors": {"non_field_errors": ["Your role does not allow this."]},
        "code": "permission_denied",
    }


def test_session_writes_need_the_csrf_token(store, owner):
    client = Client(enforce_csrf_checks=True)
    client.force_login(owner)

    response = client.post("/api/v1/store/", {}, HTTP_X_STORE="alpha")

    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"
    assert "CSRF" in response.json()["errors"]["non_field_errors"][0]


# --- schema and docs -----------------------------------------------------------------------------
def test_schema_is_openapi_3_and_describes_the_endpoints(db):
    response = Client().get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")

    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    assert schema["info"]["title"] == "Merchant Portal API"
    assert "/api/v1/" in schema["paths"]
    assert "/api/v1/store/" in schema["paths"]
    assert schema["components"]["securitySchemes"]["apiKey"] == {
        "type": "http",
        "scheme": "bearer",
        "description": "A store's secret API key.",
    }


def test_docs_render_swagger_ui_from_local_static_files(db):
    response = Client().get("/api/docs/")

    assert response.status_code == 200
    page = response.content.decode()
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in page
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui.css" in page
    for cdn in ["cdn.", "jsdelivr", "unpkg", "cdnjs", "googleapis"]:
        assert cdn not in page
    assert not re.search(r"<script>\s*\S", page), "inline script would break the CSP"
    script = re.search(r'<script src="(/api/docs/\?script=[^"]*)"', page)
    assert script, page
    script_response = Client().get(script.group(1).replace("&amp;", "&"))
    assert script_response.status_code == 200
    assert b"SwaggerUIBundle" in script_response.content


# --- errors and permissions of the views to come ------------------------------------------------
def test_a_domain_error_becomes_a_400_naming_the_field():
    from apps.api.exceptions import exception_handler
    from apps.core.exceptions import DomainError, NotFound

    named = exception_handler(DomainError("The handle is taken.", field="handle"), {})
    unnamed = exception_handler(NotFound("No such product."), {})

    assert (named.status_code, named.data) == (
        400,
        {"errors": {"handle": ["The handle is taken."]}, "code": "invalid"},
    )
    assert (unnamed.status_code, unnamed.data) == (
        400,
        {"errors": {"non_field_errors": ["No such product."]}, "code": "not_found"},
    )


def test_a_view_requiring_an_owner_permission_refuses_a_manager_but_not_a_key(
    store, owner, manager
):
    from rest_framework.response import Response
    from rest_framework.test import APIRequestFactory, force_authenticate
    from rest_framework.views import APIView

    from apps.api.authentication import ApiKeyUser
    from apps.core.roles import Perm

    class SettingsView(APIView):
        required_perm = Perm.MANAGE_SETTINGS

        def get(self, request):
            return Response({"store": request.store.handle})

    key, _raw = services.api_key_create(store=store, actor=owner, name="ERP sync")
    factory = APIRequestFactory()
    as_manager = factory.get("/x/", HTTP_X_STORE="alpha")
    force_authenticate(as_manager, user=manager)
    as_key = factory.get("/x/")
    force_authenticate(as_key, user=ApiKeyUser(key), token=key)

    assert SettingsView.as_view()(as_manager).status_code == 403
    response = SettingsView.as_view()(as_key)
    assert (response.status_code, response.data) == (200, {"store": "alpha"})


# --- one error shape for every error of /api/ ------------------------------------------------
def test_malformed_json_is_a_400_in_the_error_shape(api_key):
    response = Client().post(
        "/api/v1/products/", data="{nope", content_type="application/json", **_bearer(api_key)
    )

    assert response.status_code == 400
    body = response.json()
    assert set(body) == {"errors", "code"}
    assert body["code"] == "parse_error"
    assert body["errors"]["non_field_errors"][0].startswith("JSON parse error")


def test_a_json_body_over_the_memory_limit_is_a_413_in_the_error_shape(api_key, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    body = '{"title": "' + "x" * 2000 + '"}'

    response = Client().post(
        "/api/v1/products/", data=body, content_type="application/json", **_bearer(api_key)
    )

    assert response.status_code == 413
    assert response.json() == {
        "errors": {"non_field_errors": ["The request body is too large."]},
        "code": "too_large",
    }


def test_an_unknown_api_address_is_a_404_in_the_error_shape(api_key):
    response = Client().get("/api/v1/no-such-thing/", **_bearer(api_key))

    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json() == {
        "errors": {"non_field_errors": ["Not found."]},
        "code": "not_found",
    }


def test_a_method_not_allowed_is_a_405_in_the_error_shape(api_key):
    response = Client().delete("/api/v1/store/", **_bearer(api_key))

    assert response.status_code == 405
    assert response.json() == {
        "errors": {"non_field_errors": ['Method "DELETE" not allowed.']},
        "code": "method_not_allowed",
    }


def test_a_validation_error_keeps_its_field_in_the_error_shape(api_key):
    from rest_framework.exceptions import ValidationError

    from apps.api.exceptions import exception_handler

    response = exception_handler(ValidationError({"variants": [{}, {"sku": ["Taken."]}]}), {})

    assert (response.status_code, response.data) == (
        400,
        {"errors": {"variants[1].sku": ["Taken."]}, "code": "invalid"},
    )


def test_a_server_error_under_the_api_comes_back_in_the_error_shape(rf):
    from django.http import HttpResponse, HttpResponseServerError

    from apps.api.exceptions import ApiErrorShapeMiddleware

    html_500 = ApiErrorShapeMiddleware(lambda request: HttpResponseServerError("<h1>oops</h1>"))
    page = ApiErrorShapeMiddleware(lambda request: HttpResponse("<h1>ok</h1>", status=404))

    api_response = html_500(rf.get("/api/v1/store/"))
    page_response = page(rf.get("/store/alpha/nope/"))

    assert api_response.status_code == 500
    assert json.loads(api_response.content) == {
        "errors": {"non_field_errors": ["Server error."]},
        "code": "server_error",
    }
    assert page_response.content == b"<h1>ok</h1>"  # pages keep their HTML
