"""The checkout simulator's pages, under /store/<handle>/shipping/simulator/ (the Shipping
area's tab: it previews what the storefront API answers)."""

from django.urls import path

from apps.storefront import views

app_name = "storefront"

urlpatterns = [
    path("", views.simulator, name="simulator"),
    path("skus/", views.sku_options, name="simulator-skus"),
]
