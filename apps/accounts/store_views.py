"""Creating a store (its creator becomes the owner) and the store's settings page.

Both write through ``apps.accounts.services`` (a membership, an audit entry), which is why they
live here and not in core.
"""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from apps.accounts import services
from apps.core.exceptions import DomainError
from apps.core.forms import StoreCreateForm, StoreSettingsForm
from apps.core.htmx import redirect_with_message, render_page
from apps.core.portal import uses_sentences
from apps.core.roles import Perm
from apps.core.tenancy import store_view


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
    return render_page(request, "accounts/store_form.html", {"form": form}, partial="store-form")


@store_view(Perm.MANAGE_SETTINGS)
@require_http_methods(["GET", "POST"])
def store_settings(request: HttpRequest) -> HttpResponse:
    store = request.store
    form = StoreSettingsForm(request.POST or None, instance=store)
    if request.method == "POST" and form.is_valid():
        try:
            services.store_update(store=store, actor=request.user, **form.cleaned_data)
        except DomainError as error:
            form.add_error(error.field, error.message)
        else:
            url = reverse("accounts:store-settings", kwargs={"handle": store.handle})
            return redirect_with_message(request, url, "Store settings saved.")
    if request.method == "POST":
        store.refresh_from_db()  # the form's validation touched the instance
    return render_page(
        request,
        "accounts/store_settings.html",
        {"form": form, "publishable_key_help": uses_sentences("publishable_key")},
        partial="settings-form",
    )
