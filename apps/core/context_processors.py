from django.conf import settings

from apps.core.navigation import navigation_for
from apps.core.tenancy import store_memberships


def portal(request):
    """The frame around every page: the store, the user's other stores, the sidebar."""
    context = {"site_debug": settings.DEBUG}
    store = getattr(request, "store", None)
    membership = getattr(request, "membership", None)
    if store is None or membership is None:
        return context
    match = getattr(request, "resolver_match", None)
    view_name = match.view_name if match else ""
    context.update(
        {
            "store": store,
            "membership": membership,
            "nav_links": navigation_for(store=store, role=request.role, view_name=view_name),
            "user_memberships": store_memberships(request.user),
        }
    )
    return context
