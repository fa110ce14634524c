"""The variant grid marks only the input that has an error: that input is ``aria-invalid``,
styled as an error and described by its message next to it; the inputs sharing its cell or its
row stay unmarked."""

from html.parser import HTMLParser

import pytest

from tests.catalog.test_views import BASE, _form_data

pytestmark = pytest.mark.django_db


class _Row(HTMLParser):
    """The controls of the first variant row: for each, whether it (or a box around it) is
    marked as erroring, what describes it, and the ids and texts of the row's elements."""

    def __init__(self):
        super().__init__()
        self.depth = 0
        self.in_row = False
        self.marked_boxes: list[bool] = []
        self.controls: dict[str, dict] = {}
        self.texts: dict[str, str] = {}
        self._text_of: str | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "tr" and "data-variant-row" in attrs and not self.controls and not self.in_row:
            self.in_row = True
        if not self.in_row or tag in ("input", "br"):
            if self.in_row and tag == "input":
                self._control(attrs)
            return
        if tag == "select":
            self._control(attrs)
        self.marked_boxes.append("has-error" in (attrs.get("class") or "").split())
        if attrs.get("id"):
            self._text_of = attrs["id"]
            self.texts[attrs["id"]] = ""

    def _control(self, attrs):
        name = attrs.get("name") or ""
        if attrs.get("type") in ("hidden", "checkbox") or not name:
            return
        self.controls[name.split("-")[-1]] = {
            "marked": attrs.get("aria-invalid") == "true" or any(self.marked_boxes),
            "invalid": attrs.get("aria-invalid") == "true",
            "describedby": (attrs.get("aria-describedby") or "").split(),
        }

    def handle_endtag(self, tag):
        if not self.in_row or tag in ("input", "br"):
            return
        if tag == "tr":
            self.in_row = False
            return
        if self.marked_boxes:
            self.marked_boxes.pop()
        self._text_of = None

    def handle_data(self, data):
        if self._text_of:
            self.texts[self._text_of] += data


def _first_row(page: str) -> _Row:
    parser = _Row()
    parser.feed(page)
    return parser


@pytest.mark.parametrize(
    ("posted", "field", "message"),
    [
        ({"variants-0-weight": "abc"}, "weight", "The weight must be a number like 0.25."),
        ({"variants-0-price": "-3"}, "price", "The price cannot be negative."),
        ({"variants-0-barcode": "12345678"}, "barcode", "check digit"),
        ({"variants-0-cost": "1.234"}, "cost", "The cost has more than two decimals"),
        ({"variants-0-sku": ""}, "sku", "Enter a SKU."),
    ],
)
def test_only_the_input_with_the_error_is_marked_and_its_message_describes_it(
    store, owner, client_for, posted, field, message
):
    response = client_for(owner).post(BASE + "products/new/", _form_data(**posted))

    assert response.status_code == 400
    row = _first_row(response.text)
    marked = sorted(name for name, control in row.controls.items() if control["marked"])
    assert marked == [field]
    control = row.controls[field]
    assert control["invalid"]
    described = " ".join(row.texts.get(ref, "") for ref in control["describedby"])
    assert message in described
