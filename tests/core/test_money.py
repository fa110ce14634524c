"""Money in the store's currency (Babel's rules per currency) and the ISO lists behind the
store's currency and country."""

from decimal import Decimal

import pytest
from django.template import Context, Template

from apps.core.forms import StoreCreateForm, StoreSettingsForm
from apps.core.money import country_choices, currency_choices, money_format


# --- money_format --------------------------------------------------------------------------------
def test_money_format_rounds_yen_to_whole_units_half_up():
    assert money_format(Decimal("1234.5"), "JPY") == "¥1,235"


def test_money_format_shows_euro_with_two_decimals():
    assert money_format(Decimal("1234.5"), "EUR") == "€1,234.50"
    assert money_format(Decimal("10"), "EUR") == "€10.00"


def test_money_format_follows_the_locale():
    assert money_format(Decimal("1234.56"), "EUR", locale="de_DE") == "1.234,56\xa0€"


def test_money_format_keeps_the_sign_and_accepts_text_and_floats():
    assert money_format("-19.9", "GBP") == "-£19.90"
    assert money_format(19.9, "USD") == "$19.90"


def test_money_format_of_nothing_is_empty_and_of_garbage_is_the_text():
    assert money_format(None, "EUR") == ""
    assert money_format("", "EUR") == ""
    assert money_format("n/a", "EUR") == "n/a"


def test_money_format_of_an_unknown_code_falls_back_to_the_code():
    assert money_format(Decimal("10"), "ZZZ") == "ZZZ10.00"


@pytest.mark.parametrize("library", ["portal", "catalog"])
def test_money_filter_is_the_same_everywhere(library):
    template = Template(
        "{% load " + library + " %}{{ yen|money:'JPY' }} {{ euro|money:'EUR' }} {{ none|money }}"
    )

    text = template.render(Context({"yen": Decimal("1234.5"), "euro": Decimal("3.1")}))

    assert text == "¥1,235 €3.10 "


# --- the ISO lists -------------------------------------------------------------------------------
def test_currency_choices_are_current_iso_codes_with_names():
    choices = dict(currency_choices())

    assert choices["EUR"] == "EUR — Euro"
    assert choices["JPY"] == "JPY — Japanese Yen"
    assert "ZZZ" not in choices
    assert "XAU" not in choices  # gold is no currency a shop sells in
    assert "DEM" not in choices  # nor a withdrawn one


def test_country_choices_are_iso_countries_with_names():
    choices = dict(country_choices())

    assert choices["DE"] == "Germany"
    assert choices["GB"] == "United Kingdom"
    assert "XX" not in choices


# --- the store forms -----------------------------------------------------------------------------
def _settings_data(**changes):
    return {
        "name": "Alpha Goods",
        "currency": "EUR",
        "timezone": "Europe/Berlin",
        "country": "DE",
        "abandonment_window_minutes": 60,
        "allowed_origins": "",
        **changes,
    }


def test_store_settings_form_refuses_an_unknown_currency_and_country(store):
    form = StoreSettingsForm(data=_settings_data(currency="ZZZ", country="XX"), instance=store)

    assert not form.is_valid()
    assert form.errors == {
        "currency": ["ZZZ is not a currency code; choose the store's currency from the list."],
        "country": ["XX is not a country code; choose the store's country from the list."],
    }
    store.refresh_from_db()
    assert (store.currency, store.country) == ("EUR", "DE")


def test_store_settings_form_offers_selects_with_names(store):
    form = StoreSettingsForm(instance=store)

    html = str(form["currency"]) + str(form["country"])

    assert '<select name="currency"' in html
    assert '<option value="EUR" selected>EUR — Euro</option>' in html
    assert '<select name="country"' in html
    assert '<option value="DE" selected>Germany</option>' in html


def test_store_settings_form_accepts_a_listed_currency_and_country(store):
    form = StoreSettingsForm(data=_settings_data(currency="JPY", country="JP"), instance=store)

    assert form.is_valid(), form.errors
    assert (form.cleaned_data["currency"], form.cleaned_data["country"]) == ("JPY", "JP")


def test_store_create_form_refuses_an_unknown_currency(db):
    form = StoreCreateForm(
        data={
            "name": "New",
            "handle": "new",
            "currency": "ZZZ",
            "timezone": "UTC",
            "country": "DE",
        }
    )

    assert not form.is_valid()
    assert form.errors["currency"] == [
        "ZZZ is not a currency code; choose the store's currency from the list."
    ]


def test_store_model_validation_refuses_unknown_codes(store):
    from django.core.exceptions import ValidationError

    store.currency, store.country = "ZZZ", "XX"

    with pytest.raises(ValidationError) as error:
        store.full_clean()

    assert error.value.message_dict == {
        "currency": ["ZZZ is not an ISO 4217 currency code in use, e.g. EUR."],
        "country": ["XX is not an ISO 3166 country code, e.g. DE."],
    }
