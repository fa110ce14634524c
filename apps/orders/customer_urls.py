"""The Customers area's pages; they live in the orders app because they show orders."""

from django.urls import path

from apps.orders.views import customers

app_name = "customers"

urlpatterns = [
    path("", customers.customer_list, name="customer-list"),
    path("<int:customer_id>/", customers.customer_detail, name="customer-detail"),
    path("<int:customer_id>/notes/", customers.customer_note, name="customer-note"),
    path("<int:customer_id>/contact/", customers.customer_contact, name="customer-contact"),
    path("<int:customer_id>/merge/", customers.customer_merge, name="customer-merge"),
]
