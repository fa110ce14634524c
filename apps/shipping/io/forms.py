"""The zones-and-rates import's upload form (validation only; the services do the work)."""

from __future__ import annotations

from django import forms

from apps.core.tabular import MAX_UPLOAD_BYTES
from apps.core.uploads import human_size
from apps.shipping.models import ShippingImportMode


class ShippingImportForm(forms.Form):
    file = forms.FileField(
        label="Zones and rates file",
        help_text=(
            f"CSV (UTF-8) or Excel .xlsx, up to {human_size(MAX_UPLOAD_BYTES)}: an export of "
            "your zones, edited. One row per rate; the first row names the columns."
        ),
        error_messages={"required": "Choose the file to import."},
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx,text/csv"}),
    )
    mode = forms.ChoiceField(
        label="Zones and rates the file doesn't have",
        choices=ShippingImportMode.choices,
        initial=ShippingImportMode.MERGE,
        widget=forms.RadioSelect,
        help_text="Nothing is written until you have seen the check and clicked Import.",
        error_messages={"required": "Choose merge or replace all."},
    )
