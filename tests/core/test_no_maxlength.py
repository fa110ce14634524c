"""No input of the portal carries a browser ``maxlength``: the browser would cut a longer text
(a pasted one, silently) before the server could say what the limit is. The server names it,
with how many characters were entered, and keeps what was typed."""

import pytest
from django import forms

from apps.core.forms import PortalFormRenderer
from tests.catalog.factories import CategoryFactory, VariantFactory
from tests.orders.helpers import make_order

pytestmark = pytest.mark.django_db


def test_a_form_rendered_by_the_portal_has_no_maxlength_but_keeps_its_limit():
    class NoteForm(forms.Form):
        note = forms.CharField(max_length=10)
        body = forms.CharField(max_length=20, widget=forms.Textarea)

    form = NoteForm(renderer=PortalFormRenderer())

    html = str(form)
    assert "maxlength" not in html
    bound = NoteForm({"note": "x" * 11, "body": "y"}, renderer=PortalFormRenderer())
    assert not bound.is_valid() and "note" in bound.errors


@pytest.mark.parametrize(
    "path",
    [
        "catalog/products/new/",
        "catalog/products/{product}/",
        "catalog/categories/",
        "catalog/",
        "settings/",
        "settings/staff/",
        "settings/api-keys/",
        "payments/new/",
        "shipping/zones/new/",
        "shipping/carriers/",
        "shipping/simulator/",
        "orders/{order}/",
        "customers/{customer}/",
    ],
)
def test_no_page_puts_a_maxlength_on_an_input(store, owner, client_for, path):
    variant = VariantFactory(product__store=store, product__title="Mug", sku="MUG-1")
    CategoryFactory(store=store, name="Kitchen")
    order = make_order(store)
    url = "/store/alpha/" + path.format(
        product=variant.product_id, order=order.number, customer=order.customer_id
    )

    page = client_for(owner).get(url)

    assert page.status_code == 200
    assert "maxlength" not in page.text


def test_a_long_title_is_refused_naming_the_limit_and_what_was_entered(store, owner, client_for):
    from tests.catalog.test_views import BASE, _form_data

    title = "T" * 300
    response = client_for(owner).post(BASE + "products/new/", _form_data(title=title))

    assert response.status_code == 400
    assert response.context["form"].errors["title"] == [
        "The title can be at most 255 characters; you entered 300."
    ]
    assert f'value="{title}"' in response.text
