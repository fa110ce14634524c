"""Catalog forms: validation and shaping only; saving goes through ``apps.catalog.services``."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from functools import partial
from typing import Any

from django import forms

from apps.catalog import inputs
from apps.catalog.models import InventoryReason, ProductStatus, WeightUnit
from apps.catalog.rules import PRICE_MODES
from apps.catalog.services import BULK_ACTIONS, IMAGE_MAX_BYTES, BulkOptions
from apps.core.exceptions import DomainError
from apps.core.forms import form_error_apply
from apps.core.money import currency_decimals


class RuleField(forms.CharField):
    """A text input checked by a rule of ``apps.catalog.inputs``: the same verdict and message
    as the API and the import give for the same value. The rule also decides whether an empty
    value is allowed (and what it becomes)."""

    def __init__(self, rule: Callable[[Any], Any], **kwargs):
        self.rule = rule
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def clean(self, value):
        text = super().clean(value)
        try:
            return self.rule(text)
        except DomainError as error:
            raise forms.ValidationError(error.message, code=error.code) from None


class RuleChoiceField(forms.ChoiceField):
    """A select whose value is checked by a rule of ``apps.catalog.inputs``."""

    def __init__(self, rule: Callable[[Any], Any], **kwargs):
        self.rule = rule
        super().__init__(**kwargs)

    def validate(self, value) -> None:
        forms.Field.validate(self, value)  # the rule, not the choice list, judges the value

    def clean(self, value):
        text = super().clean(value)
        try:
            return self.rule(text)
        except DomainError as error:
            raise forms.ValidationError(error.message, code=error.code) from None


def _optional_handle(value: str) -> str:
    return inputs.handle(value) if value else ""


def _money_field(label: str, *, required: bool = False, help_text: str = "") -> forms.Field:
    return RuleField(
        partial(inputs.money, label=label.lower(), required=required),
        required=required,
        error_messages={"required": f"Enter the {label.lower()}, e.g. 19.90."},
        label=label,
        help_text=help_text,
        widget=forms.NumberInput(attrs={"step": "0.01", "min": "0", "inputmode": "decimal"}),
    )


class ProductForm(forms.Form):
    title = RuleField(
        partial(inputs.line, field="title", label="title"),
        required=True,
        error_messages={"required": "Enter a title for the product."},
    )
    handle = RuleField(
        _optional_handle,
        help_text="The product's address in your storefront, e.g. linen-shirt. "
        "Made from the title when empty.",
    )
    description = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 5}))
    status = RuleChoiceField(
        inputs.status, choices=ProductStatus.choices, initial=ProductStatus.DRAFT
    )
    category = forms.TypedChoiceField(
        required=False,
        coerce=int,
        empty_value=None,
        error_messages={"invalid_choice": "This category does not exist in this store; pick one."},
    )
    vendor = RuleField(
        partial(inputs.line, field="vendor", label="vendor"),
    )
    tags = forms.CharField(
        required=False, help_text="Separate tags with commas, e.g. summer, linen, bestseller."
    )
    option1_name = forms.CharField(
        label="First option",
        max_length=inputs.TEXT_LIMITS["option_name"],
        required=False,
        help_text="e.g. Size",
    )
    option2_name = forms.CharField(
        label="Second option",
        max_length=inputs.TEXT_LIMITS["option_name"],
        required=False,
        help_text="e.g. Colour",
    )
    low_stock_threshold = RuleField(
        partial(inputs.count, field="low_stock_threshold", label="low stock threshold", default=5),
        initial=5,
        label="Low-stock threshold",
        help_text="A variant at or below this many units shows as low stock.",
        widget=forms.NumberInput(attrs={"min": "0", "step": "1"}),
    )
    seo_title = RuleField(
        partial(inputs.line, field="seo_title", label="SEO title"),
        label="SEO title",
        help_text="Shown in search results; up to 70 characters. The title is used when empty.",
    )
    seo_description = RuleField(
        partial(inputs.line, field="seo_description", label="SEO description"),
        label="SEO description",
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Up to 320 characters.",
    )

    def __init__(self, *args, category_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = [("", "No category"), *category_choices]

    def show_read_only(self) -> None:
        """For people who may read but not edit (support): the values, without editing hints."""
        for field in self.fields.values():
            field.disabled, field.help_text = True, ""

    def clean_tags(self) -> list[str]:
        try:
            return inputs.tags(self.cleaned_data["tags"])
        except DomainError as error:
            raise forms.ValidationError(error.message) from None

    def product_fields(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("option1_name", None)
        data.pop("option2_name", None)
        return data

    def option_names(self) -> list[str]:
        names = (self.cleaned_data.get("option1_name"), self.cleaned_data.get("option2_name"))
        return [name for name in names if name]


MONEY_FIELDS = (
    ("price", "price", True),
    ("compare_at_price", "compare-at price", False),
    ("cost", "cost", False),
)


class VariantForm(forms.Form):
    id = forms.IntegerField(required=False, widget=forms.HiddenInput)
    option1 = forms.CharField(
        label="Option 1", max_length=inputs.TEXT_LIMITS["option_value"], required=False
    )
    option2 = forms.CharField(
        label="Option 2", max_length=inputs.TEXT_LIMITS["option_value"], required=False
    )
    sku = RuleField(inputs.sku, label="SKU")
    price = _money_field("Price", required=True)
    compare_at_price = _money_field("Compare-at price")
    cost = _money_field("Cost")
    stock_quantity = RuleField(
        partial(inputs.count, field="stock_quantity", label="stock", default=0),
        label="Stock",
        initial=0,
        widget=forms.NumberInput(attrs={"min": "0", "step": "1"}),
    )
    track_inventory = forms.BooleanField(label="Track stock", required=False, initial=True)
    weight = RuleField(
        inputs.weight,
        widget=forms.NumberInput(attrs={"step": "0.001", "min": "0", "inputmode": "decimal"}),
    )
    weight_unit = RuleChoiceField(
        inputs.weight_unit, label="Unit", choices=WeightUnit.choices, initial="g"
    )
    barcode = RuleField(
        inputs.barcode,
        label="Barcode (GTIN)",
        help_text="8, 12, 13 or 14 digits (EAN, UPC), or your own code with letters.",
    )

    def __init__(self, *args, currency: str | None = None, **kwargs):
        """``currency``: the store's, so that its prices get its decimals (a yen price is whole)
        with the row's other errors, and the inputs step by its smallest unit."""
        super().__init__(*args, **kwargs)
        self.currency = currency
        if currency:
            unit = Decimal(1).scaleb(-min(currency_decimals(currency), 2))
            for name, label, required in MONEY_FIELDS:
                field = self.fields[name]
                field.rule = partial(
                    inputs.money, label=label, required=required, currency=currency
                )
                field.widget.attrs["step"] = str(unit)
                if isinstance(self.initial.get(name), Decimal):  # 1235.00 yen shows as 1235
                    self.initial[name] = self.initial[name].quantize(unit)

    def clean(self):
        cleaned = super().clean()
        try:
            inputs.compare_at_price_checked(
                price=cleaned.get("price"),
                compare_at_price=cleaned.get("compare_at_price"),
                currency=self.currency,
            )
        except DomainError as error:
            self.add_error("compare_at_price", error.message)
        return cleaned


class BaseVariantFormSet(forms.BaseFormSet):
    default_error_messages = {
        **forms.BaseFormSet.default_error_messages,
        # Django's own ("Please submit at least 1 form.") speaks of forms, not of variants
        "too_few_forms": "Add at least one variant (a SKU and a price).",
    }

    def clean(self):
        # runs even when some rows have errors, so that a repeated SKU shows with them
        seen: dict[str, int] = {}
        for form in self.forms:
            if self.can_delete and self._should_delete_form(form):
                continue
            sku = (getattr(form, "cleaned_data", {}).get("sku") or "").strip()
            if not sku:
                continue
            if sku in seen:
                form.add_error("sku", f"The SKU {sku} is used by another row of this product.")
            seen[sku] = 1

    def rows(self, option_names: list[str]) -> list[dict]:
        """The rows for ``product_save_with_variants``, in form order (index = form index)."""
        rows = []
        for form in self.forms:
            data = form.cleaned_data
            if not data:
                rows.append({"delete": True})
                continue
            options = {}
            for index, name in enumerate(option_names[:2], start=1):
                value = (data.get(f"option{index}") or "").strip()
                if value:
                    options[name] = value
            row = {
                "id": data.get("id"),
                "delete": bool(data.get("DELETE")),
                "sku": data.get("sku"),
                "option_values": options,
                "price": data.get("price"),
                "compare_at_price": data.get("compare_at_price"),
                "cost": data.get("cost"),
                "weight": data.get("weight"),
                "weight_unit": data.get("weight_unit") or WeightUnit.GRAM,
                "barcode": data.get("barcode") or "",
                "track_inventory": bool(data.get("track_inventory")),
                "stock_quantity": data.get("stock_quantity") or 0,
            }
            rows.append(row)
        return rows


VariantFormSet = forms.formset_factory(
    VariantForm,
    formset=BaseVariantFormSet,
    extra=0,
    min_num=1,
    validate_min=True,
    # the page adds rows up to the limit; the services refuse a product that would grow past it
    max_num=inputs.MAX_VARIANTS_PER_PRODUCT,
    can_delete=True,
)


def apply_domain_error(error: DomainError, form: forms.Form, formset=None) -> None:
    """Show a service's error on the field it names (``variants[i].sku`` → row i's SKU)."""
    field = error.field or None
    if field and field.startswith("variants[") and formset is not None:
        index_text, _, name = field[len("variants[") :].partition("].")
        try:
            row = formset.forms[int(index_text)]
        except (ValueError, IndexError):
            form.add_error(None, error.message)
            return
        row.add_error(name if name in row.fields else None, error.message)
        return
    form_error_apply(error, form)


class StockAdjustForm(forms.Form):
    delta = forms.IntegerField(
        label="Change",
        help_text="Units to add (e.g. 12) or remove (e.g. -3).",
        error_messages={"required": "Enter how many units to add or remove."},
    )
    reason = forms.ChoiceField(choices=InventoryReason.choices)
    note = forms.CharField(max_length=inputs.TEXT_LIMITS["note"], required=False)

    def clean_delta(self):
        delta = self.cleaned_data["delta"]
        if delta == 0:
            raise forms.ValidationError("Enter a change other than 0.")
        return delta


class CategoryForm(forms.Form):
    name = forms.CharField(max_length=inputs.TEXT_LIMITS["category_name"])
    parent = forms.TypedChoiceField(required=False, coerce=int, empty_value=None, label="Parent")

    def __init__(self, *args, category_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parent"].choices = [("", "None (top level)"), *category_choices]


class CategoryParentForm(forms.Form):
    parent = forms.TypedChoiceField(
        required=False, coerce=int, empty_value=None, label="Move under"
    )

    def __init__(self, *args, category_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parent"].choices = [("", "Top level"), *category_choices]


class ImageUploadForm(forms.Form):
    image = forms.FileField(
        help_text=f"JPEG, PNG, WebP or GIF, up to {IMAGE_MAX_BYTES // 1024 // 1024} MB.",
        widget=forms.ClearableFileInput(
            attrs={"accept": "image/jpeg,image/png,image/webp,image/gif"}
        ),
        error_messages={"required": "Choose an image file to upload."},
    )
    alt_text = RuleField(
        partial(inputs.line, field="alt_text", label="alt text"),
        label="Alt text",
        help_text="Describes the image for people using screen readers.",
    )


class ImageAltForm(forms.Form):
    alt_text = RuleField(partial(inputs.line, field="alt_text", label="alt text"), label="Alt text")


class IdListField(forms.TypedMultipleChoiceField):
    """Product ids from checkboxes; whether each is the store's is checked by the query."""

    def valid_value(self, value) -> bool:
        return str(value).isdigit()


class BulkActionForm(forms.Form):
    action = forms.ChoiceField(
        choices=[("", "Choose an action"), *BULK_ACTIONS.items()],
        error_messages={"required": "Choose an action to apply."},
    )
    scope = forms.ChoiceField(
        choices=[("selected", "Selected products"), ("all", "All matching the filter")],
        initial="selected",
        required=False,
    )
    ids = IdListField(required=False, coerce=int)
    category = forms.TypedChoiceField(required=False, coerce=int, empty_value=None)
    tag = forms.CharField(max_length=inputs.MAX_TAG_LENGTH, required=False)
    mode = forms.ChoiceField(choices=list(PRICE_MODES.items()), required=False)
    # parsed only: how many decimals and digits a change may have is the bulk service's
    # verdict (``inputs.price_change``: a yen amount is whole), so no limit here
    value = forms.DecimalField(
        required=False,
        label="Change",
        error_messages={"invalid": "Enter the price change as a number, e.g. 10 or -5."},
    )
    # issued by the server on the confirmation step (a signed summary of what will change);
    # nothing a link or a crafted POST can make up
    confirmation = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, category_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = [("", "No category"), *category_choices]

    def clean(self):
        """Parsing only: whether the selection and the options make a valid action is the bulk
        service's verdict (``services.bulk_start``), the same for the page and a job."""
        cleaned = super().clean()
        cleaned["scope"] = cleaned.get("scope") or "selected"
        return cleaned

    def options(self) -> BulkOptions:
        """The chosen action with only the argument it uses (valid forms only)."""
        data = self.cleaned_data
        action = data["action"]
        return BulkOptions(
            action=action,
            category=data.get("category") if action == "set_category" else None,
            tag=(data.get("tag") or "").strip() if action in {"add_tag", "remove_tag"} else "",
            mode=(data.get("mode") or "") if action == "adjust_price" else "",
            value=data.get("value") if action == "adjust_price" else None,
        )
