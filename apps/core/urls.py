from django.urls import path

from apps.core import views

app_name = "core"

urlpatterns = [
    path("", views.root, name="root"),
    path("health/", views.health, name="health"),
    path("stores/", views.store_switch, name="store-switch"),
    path("store/<slug:handle>/", views.home, name="home"),
    path("store/<slug:handle>/search/", views.search, name="search"),
]
