"""The customer page's storefront panels on their own, for their paging links:
``/store/<handle>/customers/<id>/storefront/…``."""

from django.urls import path

from apps.events import views

app_name = "storefront-panels"

urlpatterns = [
    path("carts/", views.customer_carts, name="customer-carts"),
    path("activity/", views.customer_activity, name="customer-activity"),
]
