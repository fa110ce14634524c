import zoneinfo
from collections.abc import Callable
from functools import cache

from django import forms
from django.core.validators import URLValidator
from django.forms.renderers import TemplatesSetting
from django.http import HttpRequest, HttpResponse
from django.utils.functional import lazy

from apps.core.exceptions import DomainError
from apps.core.handles import STORE_HANDLE_MAX_LENGTH, store_handle
from apps.core.htmx import redirect_with_error, redirect_with_message
from apps.core.models import (
    ABANDONMENT_WINDOW_MAX,
    ABANDONMENT_WINDOW_MESSAGE,
    ABANDONMENT_WINDOW_MIN,
    STORE_SETTINGS_FIELDS,
    Store,
)
from apps.core.money import country_choices, currency_choices
from apps.core.portal import uses_sentences


def uses_help(subject: str, before: str = "") -> str:
    """A store setting's help: what it is (``before``), then what the areas that exist do with
    it (``portal.register_use``), read when the form renders, so it grows as areas land."""
    return lazy(lambda: f"{before} {uses_sentences(subject)}".strip(), str)()


class PortalFormRenderer(TemplatesSetting):
    """Every form renders fields the same way: label above, help under, errors inline."""

    form_template_name = "components/form.html"
    field_template_name = "components/field.html"


@cache
def timezone_choices() -> list[tuple[str, str]]:
    names = sorted(name for name in zoneinfo.available_timezones() if "/" in name or name == "UTC")
    return [(name, name.replace("_", " ")) for name in names]


class CodeChoiceField(forms.ChoiceField):
    """A choice of ISO codes; a code typed by hand (an old client, the API) is upper-cased."""

    def to_python(self, value):
        return super().to_python(value).strip().upper()


class StoreFieldsMixin(forms.Form):
    """Store fields shared by the create and settings forms: currency and country chosen from
    the ISO lists (Babel, django-countries), shown with their names."""

    currency = CodeChoiceField(
        choices=currency_choices,
        initial="EUR",
        help_text=uses_help("currency"),
        error_messages={
            "invalid_choice": "%(value)s is not a currency code; "
            "choose the store's currency from the list."
        },
    )
    country = CodeChoiceField(
        choices=country_choices,
        initial="DE",
        help_text="The store's home country.",
        error_messages={
            "invalid_choice": "%(value)s is not a country code; "
            "choose the store's country from the list."
        },
    )


TIMEZONE_WIDGET = forms.Select(choices=timezone_choices)


ORIGIN_MAX_LENGTH = Store._meta.get_field("allowed_origins").base_field.max_length


class StoreSettingsForm(StoreFieldsMixin, forms.ModelForm):
    abandonment_window_minutes = forms.IntegerField(
        label="Abandonment window (minutes)",
        min_value=ABANDONMENT_WINDOW_MIN,
        max_value=ABANDONMENT_WINDOW_MAX,
        error_messages={
            "min_value": ABANDONMENT_WINDOW_MESSAGE,
            "max_value": ABANDONMENT_WINDOW_MESSAGE,
        },
        help_text=uses_help(
            "abandonment_window_minutes",
            "How long a shopper's cart may stay idle, with no purchase, before it counts as "
            "abandoned: from 5 minutes to 7 days (10,080 minutes).",
        ),
    )
    allowed_origins = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=uses_help(
            "allowed_origins",
            "Your storefront's addresses, one per line, e.g. https://shop.example.",
        ),
    )

    class Meta:
        model = Store
        fields = list(STORE_SETTINGS_FIELDS)
        labels = {
            "abandonment_window_minutes": "Abandonment window (minutes)",
            "timezone": "Time zone",
        }
        help_texts = {"timezone": uses_help("timezone")}
        widgets = {"timezone": TIMEZONE_WIDGET}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance and not self.is_bound:
            self.initial["allowed_origins"] = "\n".join(self.instance.allowed_origins)

    def clean_allowed_origins(self):
        origins = []
        validate = URLValidator(schemes=["http", "https"])
        for line in self.cleaned_data["allowed_origins"].splitlines():
            origin = line.strip().rstrip("/")
            if not origin:
                continue
            if len(origin) > ORIGIN_MAX_LENGTH:
                raise forms.ValidationError(
                    f"An origin has at most {ORIGIN_MAX_LENGTH} characters; "
                    f"this one has {len(origin)}."
                )
            try:
                validate(origin)
            except forms.ValidationError as error:
                raise forms.ValidationError(
                    f"{origin} is not an origin; write it like https://shop.example."
                ) from error
            origins.append(origin)
        return origins


class StoreCreateForm(StoreFieldsMixin, forms.ModelForm):
    handle = forms.CharField(
        max_length=STORE_HANDLE_MAX_LENGTH + 10,  # a longer one gets the rule's own message
        help_text="The store's part of every address in the portal: with acme-shop, its pages "
        "are at /store/acme-shop/. 3 to 50 lowercase letters, digits and hyphens. "
        "Cannot be changed later.",
    )

    class Meta:
        model = Store
        fields = ["name", "handle", "currency", "timezone", "country"]
        labels = {"timezone": "Time zone"}
        help_texts = {"timezone": uses_help("timezone")}
        widgets = {"timezone": TIMEZONE_WIDGET}

    def clean_handle(self) -> str:
        try:
            return store_handle(self.cleaned_data["handle"])
        except DomainError as error:
            raise forms.ValidationError(error.message) from None

    def validate_unique(self) -> None:
        """Whether the handle is taken is ``store_create``'s to say: it compares without regard
        to case, which the model's unique check does not."""


def form_save(request: HttpRequest, form: forms.Form, save: Callable) -> HttpResponse | None:
    """The end of a form's POST: when the form is valid, ``save(cleaned_data)`` writes through
    a service and returns ``(url, message)``; a service's refusal lands on the form. The
    redirect with the message, or None: render the form again, with every error."""
    if not form.is_valid():
        return None
    try:
        url, message = save(form.cleaned_data)
    except DomainError as error:
        form_error_apply(error, form)
        return None
    return redirect_with_message(request, url, message)


def delete_and_return(request: HttpRequest, delete: Callable, url: str, message: str):
    """The end of a delete's POST: ``delete()`` through a service, then back to ``url`` with
    ``message``, or with the service's refusal as an error toast."""
    try:
        delete()
    except DomainError as error:
        return redirect_with_error(request, url, error)
    return redirect_with_message(request, url, message)


def form_error_apply(error: DomainError, form: forms.Form) -> None:
    """A service's refusal shown on the field it names (the form's top when it names none or
    a field the form does not have); each of a ``DomainErrors``' refusals, a message the form
    shows already left out."""
    for one in getattr(error, "errors", None) or [error]:
        field = one.field if one.field in form.fields else None
        shown = form.errors.get(field or "__all__", [])
        if one.message not in shown:
            form.add_error(field, one.message)


class RuleForm(forms.Form):
    """A form whose fields are checked by an area's pure input rules, every problem of a save
    at once: ``rules`` (field → function raising ``DomainError``) check each field, then
    ``checks`` (``((field, …), function)``) the rules between fields, given the fields' checked
    values, for every check whose fields are all fine. The service checks them all again when
    it writes. A form whose rules need the store's currency reads ``self.currency``."""

    rules: dict = {}
    checks: tuple = ()

    def __init__(self, *args, currency: str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.currency = currency

    def get_rules(self) -> dict:
        return self.rules

    def get_checks(self) -> tuple:
        return self.checks

    def _refused(self, error: DomainError, default: str | None) -> None:
        for one in getattr(error, "errors", None) or [error]:
            field = one.field if one.field in self.fields else default
            self.add_error(field, one.message)

    def clean(self):
        cleaned = super().clean()
        values = dict(cleaned)
        for name, rule in self.get_rules().items():
            if name in self.errors or name not in cleaned:
                continue
            try:
                values[name] = rule(cleaned[name])
            except DomainError as error:
                self.add_error(name, error.message)
        for names, check in self.get_checks():
            if any(name in self.errors or name not in cleaned for name in names):
                continue
            try:
                check(*(values[name] for name in names))
            except DomainError as error:
                self._refused(error, names[-1])
        return cleaned
