from django import forms
from django.contrib.auth import authenticate, password_validation
from django.contrib.auth import forms as auth_forms
from django.contrib.auth.forms import AuthenticationForm
from django.template.loader import render_to_string
from django.utils.functional import lazy

from apps.accounts import services
from apps.accounts.models import User
from apps.core.portal import ROLE_DESCRIPTIONS
from apps.core.roles import Role

# the length of ``User.email`` and ``Invitation.email`` (EmailField's 254): every email a form
# takes stops there, with words rather than a database error
EMAIL_MAX_LENGTH = 254
EMAIL_TOO_LONG = {
    "max_length": "An email address has at most %(limit_value)d characters; "
    "this one has %(show_value)d."
}


def email_field(**kwargs) -> forms.EmailField:
    """An email, its length checked by the server (no input of the portal has a browser
    ``maxlength``: ``apps.core.forms.PortalBoundField``)."""
    return forms.EmailField(max_length=EMAIL_MAX_LENGTH, error_messages=EMAIL_TOO_LONG, **kwargs)


class LoginForm(AuthenticationForm):
    username = email_field(
        label="Email",
        widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"}),
    )
    error_messages = {
        "invalid_login": (
            "That email and password don't match an account. Check both and try again; "
            "after 5 failed attempts in a row, logging in is paused for an hour."
        ),
        "inactive": "This account is disabled. Ask your store owner.",
    }

    def clean_username(self):
        return self.cleaned_data["username"].lower()


def _role_help() -> str:
    return " ".join(f"{Role(value).label}: {text}" for value, text in ROLE_DESCRIPTIONS.items())


class InviteForm(forms.Form):
    email = email_field(widget=forms.EmailInput(attrs={"autocomplete": "off"}))
    role = forms.ChoiceField(
        choices=Role.choices, initial=Role.SUPPORT, help_text=lazy(_role_help, str)()
    )


class RoleForm(forms.Form):
    role = forms.ChoiceField(choices=Role.choices)


class AcceptNewAccountForm(forms.Form):
    full_name = forms.CharField(label="Your name", max_length=150)
    password = forms.CharField(
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validation.password_validators_help_text_html(),
    )

    def __init__(self, *args, email: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.email = email

    def clean_password(self):
        password = self.cleaned_data["password"]
        candidate = User(email=self.email, full_name=self.data.get("full_name", ""))
        password_validation.validate_password(password, candidate)
        return password


class AcceptExistingAccountForm(forms.Form):
    """The invitee's existing login: a login attempt like any other, so django-axes counts a
    wrong password and refuses a paused account (``authenticate`` with the request)."""

    password = forms.CharField(
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        help_text="Your account already exists: confirm it's you with its password.",
    )

    def __init__(self, *args, request, email: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.request = request
        self.email = email.lower()
        self.user = None

    def clean(self):
        password = self.cleaned_data.get("password")
        if password:
            self.user = authenticate(self.request, username=self.email, password=password)
            if self.user is None:
                raise forms.ValidationError(
                    {"password": "An account with this email already exists: enter its password."}
                )
        return self.cleaned_data


class ApiKeyForm(forms.Form):
    name = forms.CharField(
        max_length=100,
        help_text="Where the key is used, e.g. “ERP sync” — so you know which to revoke later.",
    )


class PasswordResetForm(auth_forms.PasswordResetForm):
    """Django's reset form, with the email queued for Celery after the commit."""

    email = email_field(label="Email", widget=forms.EmailInput(attrs={"autocomplete": "email"}))

    def send_mail(
        self,
        subject_template_name,
        email_template_name,
        context,
        from_email,
        to_email,
        html_email_template_name=None,
    ):
        subject = "".join(render_to_string(subject_template_name, context).splitlines())
        body = render_to_string(email_template_name, context)
        services.password_reset_email_queue(to=to_email, subject=subject, body=body)


class ProfileForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["full_name"]
        labels = {"full_name": "Name"}
