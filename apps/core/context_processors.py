from django.conf import settings

from apps.core.navigation import navigation_for


def portal(request):
    """The frame around every page: the store, the user's other stores, the sidebar."""
    context = {"site_debug": settings.DEBUG}
    store = getattr(request, "store", None)
    membership = getattr(request, "membership", None)
    if store is None or membership is None:
        return context
    match = getattr(request, "resolver_match", None)
    view_name = match.view_name if match else ""
    from apps.accounts.selectors import membership_list_for_user

    context.update(
        {
            "store": store,
            "membership": membership,
            "nav_links": navigation_for(store=store, role=membership.role, view_name=view_name),
            "user_memberships": membership_list_for_user(user=request.user),
        }
    )
    return context
