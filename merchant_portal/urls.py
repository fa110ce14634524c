from django.conf import settings
from django.conf.urls.static import static
from django.urls import include, path

urlpatterns = [
    path("", include("apps.core.urls")),
    path("", include("apps.accounts.urls")),
    path("store/<slug:handle>/audit/", include("apps.audit.urls")),
    path("store/<slug:handle>/catalog/", include("apps.catalog.urls")),
    path("store/<slug:handle>/orders/", include("apps.orders.urls")),
    path("store/<slug:handle>/customers/", include("apps.orders.customer_urls")),
    path(
        "store/<slug:handle>/customers/<int:customer_id>/storefront/",
        include("apps.events.panel_urls"),
    ),
    path("store/<slug:handle>/payments/", include("apps.payments.urls")),
    path("store/<slug:handle>/shipping/simulator/", include("apps.storefront.urls")),
    path("store/<slug:handle>/shipping/", include("apps.shipping.urls")),
    path("api/storefront/v1/", include("apps.storefront.api_urls")),
    path("api/storefront/v1/", include("apps.events.storefront_urls")),
    path("api/", include("apps.api.urls")),
]

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
