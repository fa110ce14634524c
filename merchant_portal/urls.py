from django.urls import include, path

urlpatterns = [
    path("", include("apps.core.urls")),
    path("", include("apps.accounts.urls")),
    path("store/<slug:handle>/audit/", include("apps.audit.urls")),
    path("api/", include("apps.api.urls")),
]
