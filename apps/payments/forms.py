"""Payment method form: validation only, by the rules in ``inputs`` (the services write)."""

from __future__ import annotations

from functools import partial

from django import forms

from apps.core.forms import RuleForm
from apps.core.inputs import money as money_input
from apps.payments import inputs
from apps.payments.models import MethodKind
from apps.shipping import inputs as shipping_inputs

DECIMAL = forms.TextInput(attrs={"inputmode": "decimal"})


AMOUNTS = {
    "fee_fixed": "fixed fee",
    "fee_cap": "fee cap",
    "min_total": "minimum order total",
    "max_total": "maximum order total",
}


class PaymentMethodForm(RuleForm):
    kind = forms.ChoiceField(choices=MethodKind.choices)
    display_name = forms.CharField(
        label="Name shoppers see", max_length=80,
        error_messages={"required": "Enter the name shoppers see, e.g. Credit card."},
    )  # fmt: skip
    code = forms.CharField(
        max_length=40,
        help_text="Orders and the storefront API name the method by it, e.g. card.",
        error_messages={"required": "Enter a code, e.g. card."},
    )
    gateway = forms.CharField(
        max_length=60, required=False, help_text="For cards and wallets: e.g. Stripe, Adyen."
    )
    gateway_secret = forms.CharField(
        label="Gateway credentials",
        required=False,
        max_length=inputs.MAX_SECRET_LENGTH,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "new-password"}),
        help_text="Write-only: stored, never shown again. Leave empty to keep the stored one.",
    )
    instructions = forms.CharField(
        label="Instructions for shoppers",
        required=False,
        max_length=inputs.MAX_INSTRUCTIONS,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Shown at checkout, e.g. your bank details for transfers.",
    )
    is_enabled = forms.BooleanField(label="Enabled", required=False)
    test_mode = forms.BooleanField(label="Test mode (no real charges)", required=False)
    fee_fixed = forms.CharField(label="Fixed fee", required=False, widget=DECIMAL)
    fee_percent = forms.CharField(
        label="Percent fee", required=False, widget=DECIMAL, help_text="0 to 100, e.g. 2.9."
    )
    fee_cap = forms.CharField(
        label="Fee cap", required=False, widget=DECIMAL, help_text="Optional: the most a fee is."
    )
    min_total = forms.CharField(label="Minimum order total", required=False, widget=DECIMAL)
    max_total = forms.CharField(label="Maximum order total", required=False, widget=DECIMAL)
    countries = forms.CharField(
        label="Only in countries",
        required=False,
        max_length=2000,
        help_text="Optional: two-letter codes separated by commas, e.g. DE, AT. Empty: everywhere.",
    )
    shipping_service_codes = forms.MultipleChoiceField(
        label="Only with shipping services",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Optional: e.g. cash on delivery only with your own couriers. None ticked: any.",
    )
    sort_order = forms.IntegerField(
        required=False, min_value=0, max_value=100000, initial=0,
        help_text="Lower numbers show first at checkout.",
    )  # fmt: skip
    rules = {
        "code": shipping_inputs.code,
        "fee_percent": inputs.percent,
        "countries": shipping_inputs.country_list,
        "instructions": inputs.instructions,
    }
    checks = ((("kind", "gateway"), inputs.gateway),)

    def get_rules(self) -> dict:
        """The amounts in the store's currency (``self.currency``)."""
        amounts = {
            field: partial(
                money_input, field=field, label=label, required=False, currency=self.currency
            )
            for field, label in AMOUNTS.items()
        }
        return {**self.rules, **amounts}

    def get_checks(self) -> tuple:
        totals = partial(
            shipping_inputs.limits, field="max_total", label="order total", currency=self.currency
        )
        return (*self.checks, (("min_total", "max_total"), totals))

    def __init__(self, *args, service_choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["shipping_service_codes"].choices = service_choices
