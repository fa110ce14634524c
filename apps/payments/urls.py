from django.urls import path

from apps.payments import views

app_name = "payments"

urlpatterns = [
    path("", views.method_list, name="method-list"),
    path("new/", views.method_create, name="method-create"),
    path("<int:method_id>/", views.method_update, name="method-update"),
    path(
        "<int:method_id>/credentials/clear/", views.method_secret_clear, name="method-secret-clear"
    ),
    path("<int:method_id>/delete/", views.method_delete, name="method-delete"),
]
