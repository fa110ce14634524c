"""Shipping forms: validation only, by the rules in ``inputs`` (the services write)."""

from __future__ import annotations

from functools import partial

from django import forms

from apps.core.forms import RuleForm
from apps.shipping import inputs
from apps.shipping.models import RateKind

TEXTAREA = {"rows": 3}


class CarrierForm(forms.Form):
    name = forms.CharField(
        max_length=80,
        help_text="e.g. DHL, UPS, or your own couriers.",
        error_messages={"required": "Enter a name."},
    )


class ServiceForm(RuleForm):
    name = forms.CharField(
        max_length=80, help_text="What shoppers see, e.g. Express.",
        error_messages={"required": "Enter a name."},
    )  # fmt: skip
    code = forms.CharField(
        max_length=40,
        help_text="Orders and the storefront API name the service by it, e.g. dhl-express.",
        error_messages={"required": "Enter a code, e.g. dhl-express."},
    )
    days_min = forms.IntegerField(
        label="Fastest delivery (business days)", min_value=0, max_value=inputs.MAX_DAYS,
        error_messages={"required": "Enter the fastest delivery in business days, e.g. 2."},
    )  # fmt: skip
    days_max = forms.IntegerField(
        label="Slowest delivery (business days)", min_value=0, max_value=inputs.MAX_DAYS,
        error_messages={"required": "Enter the slowest delivery in business days, e.g. 4."},
    )  # fmt: skip
    tracking_url_template = forms.CharField(
        label="Tracking URL",
        max_length=500,
        required=False,
        help_text="Orders link to it: put {tracking_number} where the number goes, e.g. "
        "https://track.example/?id={tracking_number}.",
    )
    is_active = forms.BooleanField(label="Active (offered at checkout)", required=False)
    rules = {"code": inputs.code, "tracking_url_template": inputs.tracking_url_template}
    checks = ((("days_min", "days_max"), inputs.delivery_days),)


class ZoneForm(RuleForm):
    name = forms.CharField(max_length=80, error_messages={"required": "Enter a name."})
    countries = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs=TEXTAREA),
        help_text="Two-letter country codes, separated by commas, e.g. DE, AT, CH. "
        "Leave empty for the rest of the world.",
    )
    regions = forms.CharField(
        required=False,
        max_length=2000,
        help_text="Optional: region codes within those countries, e.g. BE, BY.",
    )
    postal_include = forms.CharField(
        label="Postal codes included",
        required=False,
        widget=forms.Textarea(attrs=TEXTAREA),
        help_text="Optional: codes (10115; a code with a hyphen without it: 00-950 as 00950), "
        "prefixes ending in one * (SW1*) or ranges of digits with ends of one length "
        "(10000-19999), separated by commas or lines. Only these codes fall into the zone.",
    )
    postal_exclude = forms.CharField(
        label="Postal codes excluded",
        required=False,
        widget=forms.Textarea(attrs=TEXTAREA),
        help_text="Optional: codes taken out of the zone, written the same way.",
    )
    position = forms.IntegerField(
        required=False, min_value=0, max_value=100000,
        help_text="Between zones of the same kind, the lower number is chosen first.",
    )  # fmt: skip
    rules = {
        "countries": inputs.country_list,
        "regions": inputs.region_list,
        "postal_include": lambda v: inputs.postal_rules(v, field="postal_include"),
        "postal_exclude": lambda v: inputs.postal_rules(v, field="postal_exclude"),
    }
    checks = ((("countries", "regions", "postal_include"), inputs.zone_scope),)


class RateForm(RuleForm):
    name = forms.CharField(
        max_length=80, required=False,
        help_text="What shoppers see; the service's name when left empty.",
    )  # fmt: skip
    service = forms.ChoiceField(
        label="Carrier service", error_messages={"required": "Pick a carrier service."}
    )
    kind = forms.ChoiceField(label="Priced", choices=RateKind.choices)
    price = forms.CharField(
        required=False,
        help_text="The flat price, or the price per item.",
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )
    bands = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="For weight (kg) or subtotal bands, one per line: from-to: price, e.g. "
        "0-2: 4.90 then 2-5: 6.90; 10-: 12.90 for 10 and over. A band holds its lower "
        "bound, not its upper one.",
    )
    free_over = forms.CharField(
        label="Free shipping from", required=False,
        help_text="Optional: a subtotal from which this rate costs nothing.",
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )  # fmt: skip
    handling_fee = forms.CharField(
        required=False, widget=forms.TextInput(attrs={"inputmode": "decimal"}),
        help_text="Optional: added to the price.",
    )  # fmt: skip
    min_weight = forms.CharField(label="Minimum weight (kg)", required=False)
    max_weight = forms.CharField(label="Maximum weight (kg)", required=False)
    min_subtotal = forms.CharField(label="Minimum subtotal", required=False)
    max_subtotal = forms.CharField(label="Maximum subtotal", required=False)
    excluded_tags = forms.CharField(
        label="Not for products tagged", required=False, max_length=2000,
        help_text="Optional: tags separated by commas, e.g. oversized.",
    )  # fmt: skip
    excluded_categories = forms.MultipleChoiceField(
        label="Not for categories", required=False, widget=forms.CheckboxSelectMultiple,
        help_text="Optional: products in these categories (or below them) can't use this rate.",
    )  # fmt: skip
    position = forms.IntegerField(required=False, min_value=0, max_value=100000, initial=0)

    def get_rules(self) -> dict:
        """The amounts in the store's currency (``self.currency``)."""
        return {
            field: partial(
                inputs.amount, field=field, label=label, maximum=maximum, currency=self.currency
            )
            for field, (label, maximum) in inputs.RATE_AMOUNTS.items()
            if field != "price"
        }

    def get_checks(self) -> tuple:
        """The price and the bands by the kind of rate, in the store's currency."""
        currency = self.currency
        weights = partial(inputs.limits, field="max_weight", label="weight", kg=True)
        subtotals = partial(
            inputs.limits, field="max_subtotal", label="subtotal", currency=currency
        )
        return (
            (("min_weight", "max_weight"), weights),
            (("min_subtotal", "max_subtotal"), subtotals),
            (("kind", "price"), lambda kind, v: inputs.rate_price(v, kind=kind, currency=currency)),
            (("kind", "bands"), lambda kind, v: inputs.rate_bands(v, kind=kind, currency=currency)),
        )

    def __init__(self, *args, service_choices, category_choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["service"].choices = [("", "Choose a service")] + list(service_choices)
        self.fields["excluded_categories"].choices = category_choices
