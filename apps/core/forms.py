from django import forms
from django.forms.renderers import TemplatesSetting

from apps.core.models import Store


class PortalFormRenderer(TemplatesSetting):
    """Every form renders fields the same way: label above, help under, errors inline."""

    form_template_name = "components/form.html"
    field_template_name = "components/field.html"


class StoreSettingsForm(forms.ModelForm):
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
        labels = {"abandonment_window_minutes": "Abandonment window (minutes)"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance and not self.is_bound:
            self.initial["allowed_origins"] = "\n".join(self.instance.allowed_origins)

    def clean_currency(self):
        return self.cleaned_data["currency"].upper()

    def clean_country(self):
        return self.cleaned_data["country"].upper()

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


class StoreCreateForm(forms.ModelForm):
    class Meta:
        model = Store
        fields = ["name", "handle", "currency", "timezone", "country"]
        help_texts = {"handle": "Appears in addresses: /store/<handle>/. Cannot be changed later."}

    def clean_currency(self):
        return self.cleaned_data["currency"].upper()

    def clean_country(self):
        return self.cleaned_data["country"].upper()
