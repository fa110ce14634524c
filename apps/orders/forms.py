"""The order and customer pages' forms: they only carry what was typed. Every check is the
rules' (``apps.core.inputs``, ``apps.customers.inputs``, ``apps.orders.rules``), run by the
services the API calls too, so a value gets the same verdict and message on a page as in the
API; a refusal comes back as ``DomainError`` placed on the field it names
(``apply_domain_error``). ``maxlength`` on an input is only the browser's hint."""

from __future__ import annotations

from django import forms

from apps.core.exceptions import DomainError
from apps.customers.inputs import MAX_EMAIL_LENGTH, MAX_PHONE_LENGTH
from apps.customers.inputs import TEXT_LIMITS as CUSTOMER_LIMITS
from apps.orders import rules
from apps.orders.inputs import TEXT_LIMITS
from apps.orders.models import Order


def text_field(label: str, *, limit: int | None = None, **kwargs) -> forms.CharField:
    """A text input the rules check (never required here: the rule says what is missing)."""
    widget = kwargs.pop("widget", forms.TextInput())
    if limit:
        widget.attrs.setdefault("maxlength", str(limit))
    return forms.CharField(label=label, required=False, widget=widget, **kwargs)


def number_field(label: str, *, inputmode: str = "decimal") -> forms.CharField:
    """An amount or count as typed ("1,5" stays "1,5"): a text input (a number input hands the
    server nothing for "1,5"), with the phone's decimal keypad; ``apps.core.inputs`` and
    ``apps.orders.inputs.typed_amount`` read it."""
    return forms.CharField(
        label=label,
        required=False,
        strip=True,
        widget=forms.TextInput(attrs={"inputmode": inputmode, "autocomplete": "off"}),
    )


class StatusForm(forms.Form):
    # any text is carried to the rules (``rules.transition_check``), which name the order's
    # status and its allowed next steps; a choice field would answer in Django's words
    status = text_field("New status")
    tracking_number = text_field(
        "Tracking number",
        limit=rules.MAX_TRACKING_LENGTH,
        help_text="Needed to ship; the customer's tracking link is made from it.",
    )

    def __init__(self, *args, order: Order, **kwargs):
        super().__init__(*args, **kwargs)
        self.order = order


class TrackingForm(forms.Form):
    tracking_number = text_field("New tracking number", limit=rules.MAX_TRACKING_LENGTH)


class NoteForm(forms.Form):
    body = text_field(
        "Internal note",
        limit=CUSTOMER_LIMITS["note"],
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Only staff see notes.",
    )


class RefundForm(forms.Form):
    """Per line: the amount refunded and the items returned; plus shipping and a reason."""

    shipping_amount = number_field("Shipping refund")
    reason = text_field("Reason", limit=TEXT_LIMITS["reason"])

    def __init__(self, *args, order: Order, **kwargs):
        super().__init__(*args, **kwargs)
        self.order = order
        # the confirm dialog adds up the amounts it is about to refund (static/js/orders.js)
        self.fields["shipping_amount"].widget.attrs["data-refund-amount"] = ""
        self.line_fields = []
        for line in order.lines.all():
            amount = f"line_{line.pk}_amount"
            quantity = f"line_{line.pk}_quantity"
            self.fields[amount] = number_field(f"Refund for {line.sku}")
            self.fields[quantity] = number_field(
                f"Returned items of {line.sku}", inputmode="numeric"
            )
            self.line_fields.append((line, self[amount], self[quantity]))

    def line_rows(self) -> list[dict]:
        return [
            {
                "line": line.pk,
                "amount": self.cleaned_data.get(f"line_{line.pk}_amount"),
                "quantity": self.cleaned_data.get(f"line_{line.pk}_quantity"),
            }
            for line in self.order.lines.all()
        ]

    def field_for(self, error_field: str | None) -> str | None:
        """``lines[2].amount`` → the form field of the third line's amount."""
        if not error_field or not error_field.startswith("lines["):
            return error_field if error_field in self.fields else None
        index = int(error_field[6 : error_field.index("]")])
        lines = list(self.order.lines.all())
        suffix = "quantity" if error_field.endswith("quantity") else "amount"
        return f"line_{lines[index].pk}_{suffix}" if index < len(lines) else None


class ContactForm(forms.Form):
    """A customer's contact details; ``apps.customers.inputs`` checks them in the service."""

    first_name = text_field("First name", limit=CUSTOMER_LIMITS["first_name"])
    last_name = text_field("Last name", limit=CUSTOMER_LIMITS["last_name"])
    email = text_field("Email", widget=forms.EmailInput(attrs={"maxlength": MAX_EMAIL_LENGTH}))
    phone = text_field(
        "Phone",
        widget=forms.TextInput(attrs={"maxlength": MAX_PHONE_LENGTH * 2, "inputmode": "tel"}),
        help_text="e.g. +49 30 1234567",
    )

    FIELD_NAMES = {
        f"customer.{name}": name for name in ("email", "phone", "first_name", "last_name")
    }


def apply_domain_error(form: forms.Form, error: DomainError, field: str | None = None) -> None:
    """The service's refusal next to the field it names (the form's top when none fits)."""
    name = field if field is not None else error.field
    form.add_error(name if name in form.fields else None, error.message)
