import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from apps.accounts import services as account_services


@pytest.fixture
def tight_rate(settings):
    from rest_framework.settings import api_settings
    from rest_framework.throttling import SimpleRateThrottle

    rates = {**settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "api_key": "2/min"}
    original = SimpleRateThrottle.THROTTLE_RATES
    SimpleRateThrottle.THROTTLE_RATES = rates
    cache.clear()
    yield
    SimpleRateThrottle.THROTTLE_RATES = original
    cache.clear()
    api_settings.reload()


def test_each_api_key_is_rate_limited_on_its_own(store, owner, tight_rate):
    _key, first = account_services.api_key_create(store=store, actor=owner, name="one")
    _key, second = account_services.api_key_create(store=store, actor=owner, name="two")
    client = APIClient()

    statuses = [
        client.get("/api/v1/", HTTP_AUTHORIZATION=f"Bearer {first}").status_code for _ in range(3)
    ]
    other = client.get("/api/v1/", HTTP_AUTHORIZATION=f"Bearer {second}")

    assert statuses == [200, 200, 429]
    assert other.status_code == 200


def test_a_throttled_request_is_a_429_in_the_error_shape_with_retry_after(store, owner, tight_rate):
    _key, raw = account_services.api_key_create(store=store, actor=owner, name="one")
    client = APIClient()
    for _ in range(2):
        client.get("/api/v1/", HTTP_AUTHORIZATION=f"Bearer {raw}")

    response = client.get("/api/v1/", HTTP_AUTHORIZATION=f"Bearer {raw}")

    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    body = response.json()
    assert set(body) == {"errors", "code"}
    assert body["code"] == "throttled"
    assert body["errors"]["non_field_errors"][0].startswith("Request was throttled.")
