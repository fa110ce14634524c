from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache

from apps.core.health import health_report
from apps.core.htmx import render_page
from apps.core.roles import Perm
from apps.core.search import MIN_QUERY_LENGTH, global_search
from apps.core.setup_guide import setup_guide_for
from apps.core.tenancy import SESSION_LAST_STORE, store_memberships, store_view


@login_required
def root(request: HttpRequest) -> HttpResponse:
    """Send the user to their store: the last one used, the only one, or the switcher."""
    memberships = list(store_memberships(request.user))
    handles = [m.store.handle for m in memberships]
    last = request.session.get(SESSION_LAST_STORE)
    if last in handles:
        return redirect("core:home", handle=last)
    if len(memberships) == 1:
        return redirect("core:home", handle=handles[0])
    return redirect("core:store-switch")


@login_required
def store_switch(request: HttpRequest) -> HttpResponse:
    memberships = store_memberships(request.user)
    return render(request, "core/store_switch.html", {"memberships": memberships})


@store_view(Perm.VIEW_HOME)
def home(request: HttpRequest) -> HttpResponse:
    """The setup steps the role can act on; without any, links to the role's areas."""
    steps = setup_guide_for(store=request.store, role=request.role)
    done = sum(1 for state in steps if state.done)
    return render(
        request,
        "core/home.html",
        {"steps": steps, "steps_done": done, "steps_total": len(steps)},
    )


@store_view(Perm.VIEW_HOME)
def search(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()
    groups = global_search(store=request.store, role=request.role, query=query)
    context = {"query": query, "groups": groups, "min_length": MIN_QUERY_LENGTH}
    return render_page(request, "core/search.html", context, partial="search-results")


@never_cache
def health(request: HttpRequest) -> HttpResponse:
    """The load balancer's check (JSON, in milliseconds: healthy and the checks). The workers'
    host names (JSON ``?detail=1``, the HTML page) are shown to the portal's logged-in staff
    only (``is_staff``), never to anonymous callers or merchants."""
    report = health_report()
    status = 200 if report.healthy else 503
    is_staff = request.user.is_authenticated and request.user.is_staff
    if "application/json" in request.headers.get("Accept", ""):
        detail = is_staff and request.GET.get("detail") == "1"
        return JsonResponse(report.as_json(detail=detail), status=status)
    context = {
        "report": report,
        "checks": report.checks,
        "healthy": report.healthy,
        "worker_names": report.worker_names if is_staff else (),
    }
    return render(request, "core/health.html", context, status=status)
