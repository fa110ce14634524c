"""An area publishes its API through its portal.py: apps/api names no feature app."""

from pathlib import Path

import pytest
from django.urls import Resolver404, URLResolver, reverse
from django.urls.resolvers import RoutePattern

from apps.api import urls as api_urls
from apps.core import portal
from apps.core.portal import ApiUrls, contributions


def _resolver() -> URLResolver:
    return URLResolver(RoutePattern(""), api_urls.v1_patterns())


def test_the_catalog_publishes_its_api_routes_through_its_portal_module():
    assert "apps.catalog.api_urls" in [item.module for item in contributions(ApiUrls)]
    assert reverse("api:product-list") == "/api/v1/products/"


def test_a_new_areas_api_module_is_routed_without_editing_apps_api():
    item = portal.register(ApiUrls("tests.api.widgets_api_urls", order=20))
    try:
        match = _resolver().resolve("widgets/")
    finally:
        portal.unregister(item)

    assert match.url_name == "widget-list"
    with pytest.raises(Resolver404):
        _resolver().resolve("widgets/")


def test_apps_api_names_no_feature_app():
    source = Path(api_urls.__file__).read_text()

    assert "apps.catalog" not in source
