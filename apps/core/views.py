from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from apps.accounts.roles import Perm
from apps.accounts.selectors import membership_list_for_user
from apps.core import services
from apps.core.exceptions import DomainError
from apps.core.forms import StoreCreateForm, StoreSettingsForm
from apps.core.health import health_checks
from apps.core.htmx import redirect_with_message, render_page
from apps.core.search import MIN_QUERY_LENGTH, global_search
from apps.core.setup_guide import setup_guide_for
from apps.core.tenancy import SESSION_LAST_STORE, store_view


@login_required
def root(request: HttpRequest) -> HttpResponse:
    """Send the user to their store: the last one used, the only one, or the switcher."""
    memberships = list(membership_list_for_user(user=request.user))
    handles = [m.store.handle for m in memberships]
    last = request.session.get(SESSION_LAST_STORE)
    if last in handles:
        return redirect("core:home", handle=last)
    if len(memberships) == 1:
        return redirect("core:home", handle=handles[0])
    return redirect("core:store-switch")


@login_required
def store_switch(request: HttpRequest) -> HttpResponse:
    memberships = membership_list_for_user(user=request.user)
    return render(request, "core/store_switch.html", {"memberships": memberships})


@login_required
@require_http_methods(["GET", "POST"])
def store_create(request: HttpRequest) -> HttpResponse:
    form = StoreCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            store = services.store_create(owner=request.user, **form.cleaned_data)
        except DomainError as error:
            form.add_error(error.field, error.message)
        else:
            url = reverse("core:home", kwargs={"handle": store.handle})
            return redirect_with_message(request, url, f"Store {store.name} created.")
    return render_page(request, "core/store_form.html", {"form": form}, partial="store-form")


@store_view(Perm.VIEW_HOME)
def home(request: HttpRequest) -> HttpResponse:
    steps = setup_guide_for(store=request.store, role=request.membership.role)
    done = sum(1 for state in steps if state.done)
    return render(
        request,
        "core/home.html",
        {"steps": steps, "steps_done": done, "steps_total": len(steps)},
    )


@store_view(Perm.MANAGE_SETTINGS)
@require_http_methods(["GET", "POST"])
def settings_view(request: HttpRequest) -> HttpResponse:
    store = request.store
    form = StoreSettingsForm(request.POST or None, instance=store)
    if request.method == "POST" and form.is_valid():
        services.store_update(store=store, actor=request.user, **form.cleaned_data)
        url = reverse("core:settings", kwargs={"handle": store.handle})
        return redirect_with_message(request, url, "Store settings saved.")
    if request.method == "POST":
        store.refresh_from_db()  # the form's validation touched the instance
    return render_page(request, "core/settings.html", {"form": form}, partial="settings-form")


@store_view(Perm.VIEW_HOME)
def search(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()
    groups = global_search(store=request.store, role=request.membership.role, query=query)
    context = {"query": query, "groups": groups, "min_length": MIN_QUERY_LENGTH}
    return render_page(request, "core/search.html", context, partial="search-results")


@never_cache
def health(request: HttpRequest) -> HttpResponse:
    checks = health_checks()
    healthy = all(check.ok for check in checks if check.name != "workers")
    status = 200 if healthy else 503
    if "application/json" in request.headers.get("Accept", ""):
        return JsonResponse(
            {"healthy": healthy, "checks": [check.__dict__ for check in checks]}, status=status
        )
    return render(
        request, "core/health.html", {"checks": checks, "healthy": healthy}, status=status
    )
