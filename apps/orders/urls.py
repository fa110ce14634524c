from django.urls import path

from apps.orders.views import exports, orders

app_name = "orders"

urlpatterns = [
    path("", orders.order_list, name="order-list"),
    path("export/", exports.order_export, name="order-export"),
    path("exports/<int:order_export_id>/", exports.export_detail, name="export-detail"),
    path("exports/<int:order_export_id>/download", exports.export_download, name="export-download"),
    path("exports/<int:order_export_id>/cancel/", exports.export_cancel, name="export-cancel"),
    path("by-id/<int:order_id>/", orders.order_by_id, name="order-by-id"),
    path("<int:number>/", orders.order_detail, name="order-detail"),
    path("<int:number>/status/", orders.order_status, name="order-status"),
    path("<int:number>/notes/", orders.order_note, name="order-note"),
    path("<int:number>/tracking/", orders.order_tracking, name="order-tracking"),
    path("<int:number>/refunds/", orders.order_refund, name="order-refund"),
]
