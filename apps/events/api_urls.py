"""The analytics figures in the admin API, under ``/api/v1/``."""

from django.urls import path

from apps.events import api

urlpatterns = [
    path("analytics/summary", api.AnalyticsSummaryView.as_view(), name="analytics-summary"),
    path("analytics/funnel", api.AnalyticsFunnelView.as_view(), name="analytics-funnel"),
]
