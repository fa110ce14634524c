import zoneinfo
from functools import cache

from django import forms
from django.forms.renderers import TemplatesSetting

from apps.core.models import Store


class PortalFormRenderer(TemplatesSetting):
    """Every form renders fields the same way: label above, help under, errors inline."""

    form_template_name = "components/form.html"
    field_template_name = "components/field.html"


@cache
def timezone_choices() -> list[tuple[str, str]]:
    names = sorted(name for name in zoneinfo.available_timezones() if "/" in name or name == "UTC")
    return [(name, name.replace("_", " ")) for name in names]


class StoreFieldsMixin:
    """Store fields shared by the create and settings forms: codes upper-cased, zone chosen."""

    def clean_currency(self):
        return self.cleaned_data["currency"].upper()

    def clean_country(self):
        return self.cleaned_data["country"].upper()


TIMEZONE_WIDGET = forms.Select(choices=timezone_choices)
SHORT_CODE = {
    "currency": forms.TextInput(
        attrs={"maxlength": 3, "size": 4, "class": "input-short", "autocapitalize": "characters"}
    ),
    "country": forms.TextInput(
        attrs={"maxlength": 2, "size": 3, "class": "input-short", "autocapitalize": "characters"}
    ),
}


class StoreSettingsForm(StoreFieldsMixin, forms.ModelForm):
    allowed_origins = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="One origin per line, e.g. https://shop.example. Used for the storefront API.",
    )

    class Meta:
        model = Store
        fields = [
            "name",
            "currency",
            "timezone",
            "country",
            "abandonment_window_minutes",
            "allowed_origins",
        ]
        labels = {
            "abandonment_window_minutes": "Abandonment window (minutes)",
            "timezone": "Time zone",
        }
        help_texts = {
            "currency": "ISO 4217 code, e.g. EUR. Prices and reports use it.",
            "country": "ISO 3166 code of the store's home country, e.g. DE.",
            "timezone": "Days in reports and dashboards start at midnight in this zone.",
        }
        widgets = {"timezone": TIMEZONE_WIDGET, **SHORT_CODE}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance and not self.is_bound:
            self.initial["allowed_origins"] = "\n".join(self.instance.allowed_origins)

    def clean_allowed_origins(self):
        from django.core.validators import URLValidator

        origins = []
        validate = URLValidator(schemes=["http", "https"])
        for line in self.cleaned_data["allowed_origins"].splitlines():
            origin = line.strip().rstrip("/")
            if not origin:
                continue
            try:
                validate(origin)
            except forms.ValidationError as error:
                raise forms.ValidationError(
                    f"{origin} is not an origin; write it like https://shop.example."
                ) from error
            origins.append(origin)
        return origins


class StoreCreateForm(StoreFieldsMixin, forms.ModelForm):
    class Meta:
        model = Store
        fields = ["name", "handle", "currency", "timezone", "country"]
        labels = {"timezone": "Time zone"}
        help_texts = {"handle": "Appears in addresses: /store/<handle>/. Cannot be changed later."}
        widgets = {"timezone": TIMEZONE_WIDGET, **SHORT_CODE}
