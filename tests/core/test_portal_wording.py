"""The portal's words promise only what exists: the setup guide, the API keys page and the
store settings say what the areas that are there do, and grow as an area registers its use
(``portal.register_use``) — never orders, reports or dashboards before those areas land."""

from __future__ import annotations

import html
import re

from apps.core.portal import Use
from tests.core.test_page_titles import FILES, NOT_PAGES, _fill, _routes

# areas UI.md plans that are not built yet; no page may speak of them as if they were
NOT_BUILT = re.compile(
    r"\b(reports?|analytics|dashboards?|overlays?|tracking snippet"
    r"|conversion|revenue)\b",
    re.I,
)
TAG = re.compile(r"<[^>]+>")


def _text(response) -> str:
    """What the page says: its visible text, without the sidebar (which names only what the
    role may open) and without scripts or the markup's attributes."""
    page = response.content.decode()
    page = re.sub(r"<aside class=\"sidebar\".*?</aside>", "", page, flags=re.S)
    page = re.sub(r"<(script|style|option)\b.*?</\1>", "", page, flags=re.S)
    return html.unescape(" ".join(TAG.sub(" ", page).split()))


def _help(response, field: str) -> str:
    found = re.search(
        rf'<p class="help" id="id_{field}_helptext">(.*?)</p>', response.content.decode()
    )
    assert found, f"no help under {field}"
    return html.unescape(found.group(1))


def test_home_says_what_an_api_key_reaches(owner, client_for):
    text = _text(client_for(owner).get("/store/alpha/"))

    assert (
        "Create an API key so your ERP or scripts can read and change orders, products, "
        "variants, categories, images and stock through the admin API." in text
    )


def test_the_api_key_step_grows_with_the_areas_that_register_a_use(owner, client_for, contribute):
    contribute(Use("api", "widgets", order=90))

    text = _text(client_for(owner).get("/store/alpha/"))

    assert "read and change orders, products, variants, categories, images, stock and widgets" in (
        text
    )


def test_the_api_keys_page_names_what_a_key_reaches(owner, client_for):
    text = _text(client_for(owner).get("/store/alpha/settings/api-keys/"))

    assert (
        "No API keys yet. Create an API key so your ERP or scripts can read and change "
        "orders, products, variants, categories, images and stock through the admin API." in text
    )


def test_store_settings_explain_each_setting_by_what_uses_it_today(owner, client_for):
    response = client_for(owner).get("/store/alpha/settings/")

    assert _help(response, "currency") == (
        "Product prices are entered and shown in it, with its own decimals."
    )
    assert _help(response, "timezone") == "Dates and times on the store's pages are shown in it."
    assert _help(response, "abandonment_window_minutes") == (
        "How long a shopper's cart may stay idle, with no purchase, before it counts as "
        "abandoned: from 5 minutes to 7 days (10,080 minutes). Abandoned-cart figures count a "
        "cart abandoned this long after its last activity."
    )
    assert _help(response, "allowed_origins") == (
        "Your storefront's addresses, one per line, e.g. https://shop.example. "
        "The storefront API (shipping quotes, payment methods) answers browsers only from these."
    )
    text = _text(response)
    assert (
        "Publishable: it names your store and grants no admin access. Your storefront sends it "
        "in X-Store-Key to ask for shipping quotes and payment methods." in text
    )


def test_a_setting_help_grows_when_an_area_registers_its_use(owner, client_for, contribute):
    contribute(Use("timezone", "Report days start at midnight in it.", order=90))
    contribute(Use("abandonment_window_minutes", "Abandoned carts are counted with it.", order=80))

    response = client_for(owner).get("/store/alpha/settings/")

    assert _help(response, "timezone") == (
        "Dates and times on the store's pages are shown in it. Report days start at midnight in it."
    )
    assert _help(response, "abandonment_window_minutes").endswith(
        "after its last activity. Abandoned carts are counted with it."
    )


def test_create_store_explains_currency_and_time_zone_the_same_way(owner, client_for):
    response = client_for(owner).get("/stores/new/")

    assert _help(response, "currency") == (
        "Product prices are entered and shown in it, with its own decimals."
    )
    assert _help(response, "timezone") == "Dates and times on the store's pages are shown in it."


def test_no_page_speaks_of_areas_that_are_not_built(owner, values, client_for):
    client = client_for(owner)
    checked = []
    for route in _routes():
        if route in NOT_PAGES or route.startswith("media/") or route.endswith(FILES):
            continue
        if any(
            name in route
            for name in (
                "<int:bulk_job_id>",
                "<int:export_id>",
                "<int:order_export_id>",
                "<uidb64>",
            )
        ):
            continue
        url = "/" + _fill(route, values)
        response = client.get(url)
        if response.status_code != 200 or "<int:image_id>" in route:
            continue
        found = NOT_BUILT.findall(_text(response))
        assert found == [], f"{url} speaks of {found}"
        checked.append(url)
    assert len(checked) >= 20
