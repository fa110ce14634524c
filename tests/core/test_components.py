"""The shared pieces every table uses: status badge, relative time, pagination."""

import datetime

import pytest
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.utils import timezone

from apps.core.tables import Column, TableQuery


@pytest.mark.parametrize(
    ("status", "tone"),
    [
        ("active", "success"),
        ("draft", "info"),
        ("failed", "critical"),
        ("low", "warning"),
        ("archived", "neutral"),
        ("", "neutral"),
    ],
)
def test_badge_colour_follows_the_status_and_always_says_it_in_words(status, tone):
    html = render_to_string("components/badge.html", {"status": status, "label": "Words"})

    assert html.strip() == (
        f'<span class="badge badge-{tone}"><span class="badge-mark" aria-hidden="true"></span>'
        "Words</span>"
    )


def test_badge_takes_an_explicit_tone():
    html = render_to_string("components/badge.html", {"tone": "critical", "label": "Out of stock"})

    assert 'class="badge badge-critical"' in html
    assert "Out of stock" in html


def test_relative_time_carries_the_exact_time():
    when = timezone.now() - datetime.timedelta(hours=3)

    html = render_to_string("components/reltime.html", {"value": when})

    assert html.startswith(f'<time datetime="{when.isoformat()}" title="')
    assert html.endswith(">3\xa0hours ago</time>")


def test_relative_time_of_nothing_is_a_dash():
    assert render_to_string("components/reltime.html", {"value": None}) == (
        '<span class="muted">—</span>'
    )


@pytest.mark.django_db
def test_pagination_of_a_capped_count_says_more_than(store):
    from apps.core.models import Store

    request = RequestFactory().get("/x/", {"page": "2"})
    table = TableQuery(
        request=request,
        queryset=Store.objects.all(),
        columns=[Column("name", "Name", "name")],
        per_page=25,
    )

    capped = render_to_string(
        "components/pagination.html",
        {"table": table, "target": "t", "capped": True, "cap": 10000},
    )
    plain = render_to_string("components/pagination.html", {"table": table, "target": "t"})

    assert "of more than 10,000" in capped
    assert "Page 1</span>" in capped
    assert "1–1 of 1" in plain
    assert "Page 1 of 1" in plain


def test_a_toolbar_without_dates_keeps_its_search_button_for_no_script_only(
    store, owner, client_for
):
    from tests.catalog.factories import ProductFactory

    ProductFactory(store=store, title="Tee")

    page = client_for(owner).get("/store/alpha/catalog/").content.decode()

    toolbar = page[page.index('<form class="table-toolbar"') :]
    toolbar = toolbar[: toolbar.index("</form>")]
    assert '<noscript><button type="submit" class="button">Search</button></noscript>' in toolbar
    assert "Apply" not in toolbar
