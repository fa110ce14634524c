from django.urls import path

from apps.storefront import api

app_name = "storefront-api"

urlpatterns = [
    path("shipping/quote", api.shipping_quote, name="shipping-quote"),
    path("payment-methods", api.payment_methods, name="payment-methods"),
]
