"""How the admin API knows its store.

- A secret API key (``Authorization: Bearer mp_sk_…``): the key's own store, with owner rights;
  an ``X-Store`` header or ``store=`` parameter naming another store is a 404.
- A logged-in session: the store named by the ``X-Store`` header or ``store=<handle>``
  parameter, checked against the user's memberships (another store is a 404).
"""

from __future__ import annotations

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions

from apps.accounts.services import API_KEY_PREFIX, api_key_authenticate


class ApiKeyUser:
    """The principal of a request made with an API key."""

    is_authenticated = True
    is_anonymous = False
    is_active = True
    pk = None
    id = None

    def __init__(self, api_key):
        self.api_key = api_key
        self.email = f"api-key:{api_key.name}"

    def __str__(self) -> str:
        return f"API key “{self.api_key.name}”"


class ApiKeyAuthentication(authentication.BaseAuthentication):
    keyword = "Bearer"

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).decode(errors="replace")
        if not header:
            return None
        scheme, _, raw = header.partition(" ")
        # the scheme is case-insensitive (RFC 9110 §11.1)
        if scheme.lower() != self.keyword.lower() or not raw.strip().startswith(API_KEY_PREFIX):
            return None
        api_key = api_key_authenticate(raw=raw.strip())
        if api_key is None:
            raise exceptions.AuthenticationFailed("Invalid or revoked API key.")
        return ApiKeyUser(api_key), api_key

    def authenticate_header(self, request):
        return self.keyword


class ApiKeyAuthenticationScheme(OpenApiAuthenticationExtension):
    target_class = ApiKeyAuthentication
    name = "apiKey"

    def get_security_definition(self, auto_schema):
        return {"type": "http", "scheme": "bearer", "description": "A store's secret API key."}
