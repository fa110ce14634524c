from django.urls import path

from apps.orders import api

urlpatterns = [
    path("orders/", api.OrderListView.as_view(), name="order-list"),
    path("orders/<int:order_id>/", api.OrderDetailView.as_view(), name="order-detail"),
    path("orders/<int:order_id>/refunds/", api.OrderRefundView.as_view(), name="order-refunds"),
    path("customers/", api.CustomerListView.as_view(), name="customer-list"),
    path("customers/<int:customer_id>/", api.CustomerDetailView.as_view(), name="customer-detail"),
]
