"""The audit log's date range applies from the page: Enter in a date, the Apply button, or
leaving a changed date (Tab); the address carries the range."""

import re

import pytest
from playwright.sync_api import Page, expect

from apps.accounts import services as account_services
from tests.e2e.conftest import login
from tests.factories import MembershipFactory, StoreFactory, UserFactory


@pytest.fixture
def audit_page(new_page) -> Page:
    owner = UserFactory(email="olivia@shop.test", full_name="Olivia Owner")
    store = StoreFactory(handle="acme", name="Acme")
    MembershipFactory(user=owner, store=store, role="owner")
    account_services.api_key_create(store=store, actor=owner, name="ERP")
    page = new_page(1400, 900)
    login(page, owner.email)
    page.goto("/store/acme/audit/")
    expect(page.get_by_text("Olivia Owner created the API key")).to_be_visible()
    return page


def test_enter_in_the_from_date_applies_it(audit_page):
    page = audit_page

    page.get_by_label("From", exact=True).fill("2099-01-01")
    page.get_by_label("From", exact=True).press("Enter")

    expect(page.get_by_text("No entries match these filters.")).to_be_visible()
    expect(page).to_have_url(re.compile(r"[?&]from=2099-01-01"))


def test_the_apply_button_applies_the_dates(audit_page):
    page = audit_page

    page.get_by_label("To", exact=True).fill("2000-01-31")
    page.get_by_role("button", name="Apply").click()

    expect(page.get_by_text("No entries match these filters.")).to_be_visible()
    expect(page).to_have_url(re.compile(r"[?&]to=2000-01-31"))


def test_a_changed_date_applies_on_its_own(audit_page):
    page = audit_page

    page.get_by_label("From", exact=True).fill("2099-01-01")
    page.get_by_label("From", exact=True).press("Tab")

    expect(page.get_by_text("No entries match these filters.")).to_be_visible()
    expect(page).to_have_url(re.compile(r"[?&]from=2099-01-01"))
    # and back: clearing the chip shows the entry again
    page.get_by_role("link", name=re.compile("From: 1 Jan 2099")).click()
    expect(page.get_by_text("Olivia Owner created the API key")).to_be_visible()


def test_a_reversed_range_is_said_by_the_dates_and_clears_once_fixed(audit_page):
    page = audit_page
    error = page.locator("#audit-table-date-error")

    page.get_by_label("From", exact=True).fill("2099-03-05")
    page.get_by_label("To", exact=True).fill("2099-03-01")
    page.get_by_role("button", name="Apply").click()

    expect(error).to_be_visible()
    expect(error).to_contain_text("“From” (5 Mar 2099) is after “To” (1 Mar 2099)")
    expect(page.get_by_label("From", exact=True)).to_have_value("2099-03-05")
    expect(page.get_by_label("To", exact=True)).to_have_value("2099-03-01")
    expect(page.get_by_text("No entries match these filters.")).to_have_count(0)
    expect(page.get_by_text("Olivia Owner created the API key")).to_be_visible()

    page.get_by_label("To", exact=True).fill("2099-03-31")
    page.get_by_role("button", name="Apply").click()

    expect(error).to_be_hidden()
    expect(page.get_by_text("No entries match these filters.")).to_be_visible()
