from csp.constants import UNSAFE_INLINE
from csp.decorators import csp_update
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from apps.api import views

v1 = (
    [
        path("", views.ApiRootView.as_view(), name="root"),
        path("store/", views.StoreView.as_view(), name="store"),
        path("", include("apps.catalog.api_urls")),
        path("", include("apps.orders.api_urls")),
    ],
    "api",
)

urlpatterns = [
    path("v1/", include(v1)),
    path("schema/", SpectacularAPIView.as_view(permission_classes=[]), name="schema"),
    path(
        "docs/",
        # Swagger UI injects <style> elements; scripts stay 'self'-only
        csp_update({"style-src": [UNSAFE_INLINE]})(
            SpectacularSwaggerSplitView.as_view(url_name="schema", permission_classes=[])
        ),
        name="swagger-ui",
    ),
]
