"""The events endpoint of the storefront API, under ``/api/storefront/v1/``."""

from django.urls import path

from apps.events import api

app_name = "events-api"

urlpatterns = [path("events", api.events, name="events")]
