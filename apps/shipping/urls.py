from django.urls import path

from apps.shipping import io_views, views

app_name = "shipping"

urlpatterns = [
    path("", views.zone_list, name="zone-list"),
    path("zones/new/", views.zone_create, name="zone-create"),
    path("zones/export.csv", io_views.zone_export, name="zone-export"),
    path("imports/new/", io_views.import_upload, name="import-upload"),
    path("imports/<int:import_id>/", io_views.import_detail, name="import-detail"),
    path("imports/<int:import_id>/run/", io_views.import_run, name="import-run"),
    path("imports/<int:import_id>/cancel/", io_views.import_cancel, name="import-cancel"),
    path("imports/<int:import_id>/file", io_views.import_file, name="import-file"),
    path("zones/<int:zone_id>/", views.zone_detail, name="zone-detail"),
    path("zones/<int:zone_id>/edit/", views.zone_update, name="zone-update"),
    path("zones/<int:zone_id>/delete/", views.zone_delete, name="zone-delete"),
    path("zones/<int:zone_id>/rates/new/", views.rate_create, name="rate-create"),
    path("zones/<int:zone_id>/rates/<int:rate_id>/", views.rate_update, name="rate-update"),
    path("zones/<int:zone_id>/rates/<int:rate_id>/delete/", views.rate_delete, name="rate-delete"),
    path("carriers/", views.carrier_list, name="carrier-list"),
    path("carriers/<int:carrier_id>/delete/", views.carrier_delete, name="carrier-delete"),
    path("carriers/<int:carrier_id>/services/new/", views.service_create, name="service-create"),
    path("services/<int:service_id>/", views.service_update, name="service-update"),
    path("services/<int:service_id>/delete/", views.service_delete, name="service-delete"),
]
