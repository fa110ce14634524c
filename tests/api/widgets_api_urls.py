"""A later area's API routes, as its ``api_urls.py`` would publish them (used by the tests)."""

from django.http import JsonResponse
from django.urls import path


def widget_list(request):
    return JsonResponse({"results": []})


urlpatterns = [path("widgets/", widget_list, name="widget-list")]
