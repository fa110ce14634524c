"""The order and customer pages' forms: validation of the shape only; the rules (what status
may follow, how much may be refunded) are the services' and come back as ``DomainError``
placed on the field they name (``apply_domain_error``)."""

from __future__ import annotations

from django import forms

from apps.core.exceptions import DomainError
from apps.customers.inputs import TEXT_LIMITS as CUSTOMER_LIMITS
from apps.orders import rules
from apps.orders.inputs import TEXT_LIMITS
from apps.orders.models import Order


class StatusForm(forms.Form):
    status = forms.ChoiceField(label="New status", choices=[])
    tracking_number = forms.CharField(
        label="Tracking number",
        required=False,
        max_length=rules.MAX_TRACKING_LENGTH,
        help_text="Needed to ship; the customer's tracking link is made from it.",
    )

    def __init__(self, *args, order: Order, **kwargs):
        super().__init__(*args, **kwargs)
        # every status is accepted here; the rules say which may follow (and why not)
        self.fields["status"].choices = [
            (code, rules.ACTION_LABELS.get(code, label))
            for code, label in rules.STATUS_LABELS.items()
        ]
        self.order = order


class TrackingForm(forms.Form):
    tracking_number = forms.CharField(
        label="New tracking number", max_length=rules.MAX_TRACKING_LENGTH
    )


class NoteForm(forms.Form):
    body = forms.CharField(
        label="Internal note",
        max_length=CUSTOMER_LIMITS["note"],
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Only staff see notes.",
    )


class RefundForm(forms.Form):
    """Per line: the amount refunded and the items returned; plus shipping and a reason."""

    shipping_amount = forms.DecimalField(
        label="Shipping refund", required=False, min_value=0, max_digits=14, decimal_places=2
    )
    reason = forms.CharField(label="Reason", required=False, max_length=TEXT_LIMITS["reason"])

    def __init__(self, *args, order: Order, **kwargs):
        super().__init__(*args, **kwargs)
        self.order = order
        self.line_fields = []
        for line in order.lines.all():
            amount = f"line_{line.pk}_amount"
            quantity = f"line_{line.pk}_quantity"
            self.fields[amount] = forms.DecimalField(
                label=f"Refund for {line.sku}",
                required=False,
                min_value=0,
                max_digits=14,
                decimal_places=2,
            )
            self.fields[quantity] = forms.IntegerField(
                label=f"Returned items of {line.sku}", required=False, min_value=0
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

    first_name = forms.CharField(
        label="First name", required=False, max_length=CUSTOMER_LIMITS["first_name"]
    )
    last_name = forms.CharField(
        label="Last name", required=False, max_length=CUSTOMER_LIMITS["last_name"]
    )
    email = forms.CharField(label="Email", required=False, max_length=254)
    phone = forms.CharField(
        label="Phone", required=False, max_length=32, help_text="e.g. +49 30 1234567"
    )

    FIELD_NAMES = {"customer.email": "email", "customer.phone": "phone"}


def apply_domain_error(form: forms.Form, error: DomainError, field: str | None = None) -> None:
    """The service's refusal next to the field it names (the form's top when none fits)."""
    name = field if field is not None else error.field
    form.add_error(name if name in form.fields else None, error.message)
