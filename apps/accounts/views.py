import logging

from axes.helpers import get_client_ip_address
from axes.utils import reset as axes_reset
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import PasswordChangeForm
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.cache import add_never_cache_headers
from django.views.decorators.http import require_http_methods, require_POST

from apps.accounts import selectors, services
from apps.accounts.forms import (
    AcceptExistingAccountForm,
    AcceptNewAccountForm,
    ApiKeyForm,
    InviteForm,
    LoginForm,
    PasswordResetForm,
    ProfileForm,
    RoleForm,
)
from apps.accounts.models import User
from apps.accounts.portal import api_key_purpose
from apps.core import demo
from apps.core.exceptions import DomainError
from apps.core.htmx import redirect_with_error, redirect_with_message, render_page
from apps.core.portal import ROLE_DESCRIPTIONS
from apps.core.roles import Perm, Role
from apps.core.tenancy import store_view

logger = logging.getLogger(__name__)


class LoginView(auth_views.LoginView):
    form_class = LoginForm
    template_name = "accounts/login.html"
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["demo_logins"] = _demo_logins()
        return context


def _demo_logins() -> dict | None:
    """The demo store's logins, for the login page: in dev, once the demo is loaded; never in
    production (not even with DEBUG switched on)."""
    if settings.PRODUCTION or not settings.DEBUG:
        return None
    if not demo.demo_loaded():
        return None
    return {
        "password": demo.DEMO_PASSWORD,
        "logins": [{"email": email, "role": role} for email, _name, role in demo.DEMO_LOGINS],
    }


# --- staff ----------------------------------------------------------------------------------------
def _staff_context(request, invite_form=None):
    store = request.store
    return {
        "memberships": selectors.membership_list(store=store),
        "invitations": selectors.invitation_list_pending(store=store),
        "invite_form": invite_form or InviteForm(),
        "roles": Role.choices,
        "role_descriptions": ROLE_DESCRIPTIONS,
    }


@store_view(Perm.MANAGE_STAFF)
def staff_list(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/staff_list.html", _staff_context(request))


@store_view(Perm.MANAGE_STAFF)
@require_POST
def staff_invite(request: HttpRequest) -> HttpResponse:
    form = InviteForm(request.POST)
    if form.is_valid():
        try:
            invitation, _token = services.invitation_create(
                store=request.store, invited_by=request.user, **form.cleaned_data
            )
        except DomainError as error:
            form.add_error(error.field, error.message)
        else:
            url = reverse("accounts:staff-list", kwargs={"handle": request.store.handle})
            return redirect_with_message(
                request, url, f"Invitation sent to {invitation.email}. The link works once."
            )
    return render_page(
        request,
        "accounts/staff_list.html",
        _staff_context(request, invite_form=form),
        partial="invite-form",
        status=200 if request.htmx else 400,
    )


@store_view(Perm.MANAGE_STAFF)
@require_POST
def staff_change_role(request: HttpRequest, membership_id: int) -> HttpResponse:
    membership = selectors.membership_get(store=request.store, membership_id=membership_id)
    form = RoleForm(request.POST)
    url = reverse("accounts:staff-list", kwargs={"handle": request.store.handle})
    if not form.is_valid():
        messages.error(request, "Choose one of the roles: owner, manager or support.")
        return redirect(url)
    try:
        services.membership_change_role(
            store=request.store,
            actor=request.user,
            membership=membership,
            role=form.cleaned_data["role"],
        )
    except DomainError as error:
        return redirect_with_error(request, url, error)
    if membership.user_id == request.user.id and form.cleaned_data["role"] != Role.OWNER:
        # an owner who stepped down may no longer see the staff page
        url = reverse("core:home", kwargs={"handle": request.store.handle})
    return redirect_with_message(
        request, url, f"{membership.user} is now {Role(form.cleaned_data['role']).label.lower()}."
    )


@store_view(Perm.MANAGE_STAFF)
@require_POST
def staff_remove(request: HttpRequest, membership_id: int) -> HttpResponse:
    membership = selectors.membership_get(store=request.store, membership_id=membership_id)
    url = reverse("accounts:staff-list", kwargs={"handle": request.store.handle})
    try:
        services.membership_remove(store=request.store, actor=request.user, membership=membership)
    except DomainError as error:
        return redirect_with_error(request, url, error)
    if membership.user_id == request.user.id:
        return redirect_with_message(request, reverse("core:root"), "You left the store.")
    return redirect_with_message(request, url, f"{membership.user} was removed from the staff.")


@store_view(Perm.MANAGE_STAFF)
@require_POST
def invitation_revoke(request: HttpRequest, invitation_id: int) -> HttpResponse:
    invitation = selectors.invitation_pending_get(store=request.store, invitation_id=invitation_id)
    services.invitation_revoke(store=request.store, actor=request.user, invitation=invitation)
    url = reverse("accounts:staff-list", kwargs={"handle": request.store.handle})
    return redirect_with_message(request, url, f"Invitation for {invitation.email} withdrawn.")


# --- accepting an invitation ----------------------------------------------------------------------
@require_http_methods(["GET", "POST"])
def invitation_accept(request: HttpRequest, token: str) -> HttpResponse:
    try:
        invitation = services.invitation_check(token=token)
    except DomainError as error:
        return render(
            request, "accounts/invitation_invalid.html", {"message": error.message}, status=410
        )
    user = request.user if request.user.is_authenticated else None
    existing = User.objects.filter(email__iexact=invitation.email).exists()
    form_class = AcceptExistingAccountForm if existing and user is None else AcceptNewAccountForm
    form = None
    if user is None:
        kwargs = {"email": invitation.email}
        if form_class is AcceptExistingAccountForm:
            kwargs["request"] = request  # the password check is a login attempt (django-axes)
        form = form_class(request.POST or None, **kwargs)
    error_message = None
    if request.method == "POST" and (form is None or form.is_valid()):
        if isinstance(form, AcceptExistingAccountForm):
            accept_as = {"user": form.user}
        else:
            accept_as = {"user": user, **(form.cleaned_data if form else {})}
        try:
            membership = services.invitation_accept(token=token, **accept_as)
        except DomainError as error:
            if form is not None and error.field:
                form.add_error(error.field, error.message)
            else:
                error_message = error.message
        else:
            if user is None:
                login(
                    request,
                    membership.user,
                    backend="django.contrib.auth.backends.ModelBackend",
                )
            url = reverse("core:home", kwargs={"handle": membership.store.handle})
            return redirect_with_message(request, url, f"Welcome to {membership.store.name}!")
    return render(
        request,
        "accounts/invitation_accept.html",
        {
            "invitation": invitation,
            "form": form,
            "existing": existing,
            "error_message": error_message,
            "role_description": ROLE_DESCRIPTIONS[invitation.role],
        },
    )


# --- API keys -------------------------------------------------------------------------------------
@store_view(Perm.MANAGE_API_KEYS)
@require_http_methods(["GET", "POST"])
def api_key_list(request: HttpRequest) -> HttpResponse:
    form = ApiKeyForm(request.POST or None)
    # a new key travels from the POST to the next GET in the session, and is shown there once:
    # post/redirect/get, so reloading the page neither re-creates nor re-shows it
    session_key = f"new_api_key:{request.store.id}"
    new_key = request.session.pop(session_key, None) if request.method == "GET" else None
    if request.method == "POST" and form.is_valid():
        try:
            api_key, raw = services.api_key_create(
                store=request.store, actor=request.user, name=form.cleaned_data["name"]
            )
        except DomainError as error:
            form.add_error(error.field, error.message)
        else:
            request.session[session_key] = raw
            url = reverse("accounts:api-key-list", kwargs={"handle": request.store.handle})
            return redirect_with_message(
                request, url, f"API key “{api_key.name}” created. Copy it now."
            )
    response = render(
        request,
        "accounts/apikey_list.html",
        {
            "form": form,
            "new_key": new_key,
            "api_keys": selectors.api_key_list(store=request.store),
            "api_key_purpose": api_key_purpose(),
        },
        status=400 if request.method == "POST" and form.errors else 200,
    )
    if new_key:
        add_never_cache_headers(response)  # no-store: no copy of the key in any cache
    return response


@store_view(Perm.MANAGE_API_KEYS)
@require_POST
def api_key_revoke(request: HttpRequest, api_key_id: int) -> HttpResponse:
    api_key = selectors.api_key_get(store=request.store, api_key_id=api_key_id)
    services.api_key_revoke(store=request.store, actor=request.user, api_key=api_key)
    url = reverse("accounts:api-key-list", kwargs={"handle": request.store.handle})
    return redirect_with_message(
        request, url, f"API key “{api_key.name}” revoked; requests using it now fail."
    )


# --- profile --------------------------------------------------------------------------------------
@login_required
@require_http_methods(["GET", "POST"])
def profile(request: HttpRequest) -> HttpResponse:
    profile_form = ProfileForm(
        request.POST if "save_profile" in request.POST else None, instance=request.user
    )
    password_form = PasswordChangeForm(
        request.user, request.POST if "change_password" in request.POST else None
    )
    if "save_profile" in request.POST and profile_form.is_valid():
        services.account_update(user=request.user, full_name=profile_form.cleaned_data["full_name"])
        return redirect_with_message(request, reverse("accounts:profile"), "Profile saved.")
    if "change_password" in request.POST and password_form.is_valid():
        user = password_form.save()
        update_session_auth_hash(request, user)
        return redirect_with_message(request, reverse("accounts:profile"), "Password changed.")
    return render(
        request,
        "accounts/profile.html",
        {"profile_form": profile_form, "password_form": password_form},
    )


class PasswordResetView(auth_views.PasswordResetView):
    form_class = PasswordResetForm

    def form_valid(self, form):
        allowed = services.password_reset_allowed(
            email=form.cleaned_data["email"], address=get_client_ip_address(self.request)
        )
        if not allowed:
            # the same "sent" page as always: the limit must not tell whether the account exists
            logger.warning("password reset limit reached; nothing sent")
            return HttpResponseRedirect(self.get_success_url())
        # links from the public address, not from the request's Host header
        self.extra_email_context = {"site_url": settings.SITE_URL.rstrip("/")}
        return super().form_valid(form)


password_reset = PasswordResetView.as_view(
    template_name="accounts/password_reset.html",
    email_template_name="accounts/password_reset_email.txt",
    subject_template_name="accounts/password_reset_subject.txt",
    success_url=reverse_lazy("accounts:password-reset-done"),
)
password_reset_done = auth_views.PasswordResetDoneView.as_view(
    template_name="accounts/password_reset_done.html"
)


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    def form_valid(self, form):
        response = super().form_valid(form)
        # the emailed link proved who it is: the login pause of that account ends with it
        axes_reset(username=form.user.email)
        return response


password_reset_confirm = PasswordResetConfirmView.as_view(
    template_name="accounts/password_reset_confirm.html",
    success_url=reverse_lazy("accounts:password-reset-complete"),
)
password_reset_complete = auth_views.PasswordResetCompleteView.as_view(
    template_name="accounts/password_reset_complete.html"
)
