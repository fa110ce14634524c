"""Forms of the import and export pages (validation only; the services do the work)."""

from __future__ import annotations

from django import forms

from apps.catalog.io.columns import COLUMNS, SOURCE_COLUMNS
from apps.catalog.models import ImportMode
from apps.catalog.services.imports import mapping_clash
from apps.core.tabular import MAX_UPLOAD_BYTES
from apps.core.uploads import human_size

COLUMN_CHOICES = [
    ("", "Don't import"),
    *[(c.name, c.label) for c in COLUMNS],
    ("From other shops' exports", [(c.name, c.label) for c in SOURCE_COLUMNS]),
]


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label="Product file",
        help_text=(
            f"CSV (UTF-8) or Excel .xlsx, up to {human_size(MAX_UPLOAD_BYTES)}. One row per "
            "variant; the first row names the columns."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx,text/csv"}),
    )


class ImportMappingForm(forms.Form):
    mode = forms.ChoiceField(
        label="Rows with errors",
        choices=ImportMode.choices,
        widget=forms.RadioSelect,
        help_text="All or nothing writes no row at all while any row has an error.",
    )
    create_categories = forms.BooleanField(
        label="Create the categories the file names that don't exist yet",
        required=False,
        initial=True,
        help_text="Unticked, products whose category doesn't exist are imported without one.",
    )

    def __init__(self, *args, headers: list[str], mapping: dict[str, str], **kwargs):
        super().__init__(*args, **kwargs)
        self.headers = headers
        for index, header in enumerate(headers):
            self.fields[f"column_{index}"] = forms.ChoiceField(
                label=header or f"Column {index + 1}",
                choices=COLUMN_CHOICES,
                required=False,
                initial=mapping.get(header, ""),
            )

    def clean(self):
        cleaned = super().clean()
        clash = mapping_clash(self.mapping())
        if clash:
            raise forms.ValidationError(clash)
        return cleaned

    def mapping(self) -> dict[str, str]:
        return {
            header: self.cleaned_data.get(f"column_{index}") or ""
            for index, header in enumerate(self.headers)
        }

    def column_fields(self):
        return [self[f"column_{index}"] for index in range(len(self.headers))]


class ExportForm(forms.Form):
    format = forms.ChoiceField(
        label="File format",
        choices=[("csv", "CSV (UTF-8), fastest"), ("xlsx", "Excel (.xlsx)")],
        widget=forms.RadioSelect,
        initial="csv",
    )
