"""Every page has its own <title>: "Products · Alpha Goods · Merchant Portal"."""

import html
import re

from django.urls import URLPattern, URLResolver, get_resolver

TITLE = re.compile(r"<title>(.*?)</title>", re.S)

# pages that answer something other than an HTML page of their own
NOT_PAGES = {
    "",  # the root redirects to the last store
    "logout/",
    "store/<slug:handle>/catalog/imports/<int:job_id>/errors.csv",
    # a fragment of the import's result page (a plain visit is sent to that page)
    "store/<slug:handle>/catalog/imports/<int:job_id>/images/",
    # the checkout simulator's SKU suggestions (options for a datalist)
    "store/<slug:handle>/shipping/simulator/skus/",
}


def _routes(resolver=None, prefix=""):
    for entry in (resolver or get_resolver()).url_patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            if route.startswith("api/"):
                continue  # the REST API answers JSON, and its docs are a third-party page
            yield from _routes(entry, route)
        elif isinstance(entry, URLPattern):
            yield route


def _fill(route, values):
    def replace(match):
        name = match.group(2)
        return str(values[name])

    return re.sub(r"<(?:(\w+):)?(\w+)>", replace, route).replace("^", "").replace("$", "")


FILES = ("/file", ".csv", "download/")  # downloads, not pages
EXPECTED_TITLE = re.compile(r"^(?P<page>[^·]+?) · (Alpha Goods · )?Merchant Portal$")


def test_every_page_has_a_title_of_its_own(owner, values, client_for):
    client = client_for(owner)
    checked, titles = [], {}
    for route in _routes():
        if route in NOT_PAGES or route.startswith("media/") or route.endswith(FILES):
            continue
        jobs = ("<int:bulk_job_id>", "<int:export_id>", "<int:order_export_id>", "<uidb64>")
        if any(name in route for name in jobs):
            continue  # need a job or a reset link of their own; covered by their app's tests
        url = "/" + _fill(route, values)
        response = client.get(url)
        if response.status_code in (301, 302, 405) or "<int:image_id>" in route:
            continue  # POST-only actions and redirects have no page
        assert response.status_code == 200, (url, response.status_code)
        found = TITLE.search(response.content.decode())
        assert found, f"{url} has no <title>"
        title = html.unescape(" ".join(found.group(1).split()))
        match = EXPECTED_TITLE.match(title)
        assert match, f"{url} has the title {title!r}"
        assert match.group("page") not in ("", "Merchant Portal"), url
        titles[url] = title
        checked.append(url)

    assert titles["/store/alpha/catalog/"] == "Products · Alpha Goods · Merchant Portal"
    assert titles["/store/alpha/audit/"] == "Audit log · Alpha Goods · Merchant Portal"
    assert titles["/account/"] == "Your profile · Merchant Portal"
    assert len(checked) >= 20


def test_no_template_has_a_comment_over_several_lines():
    """``{# … #}`` ends at the line's end: over several lines it is printed on the page."""
    from pathlib import Path

    from django.conf import settings

    broken = [
        f"{path.relative_to(settings.BASE_DIR)}:{number}"
        for path in sorted(Path(settings.BASE_DIR, "templates").rglob("*.html"))
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if "{#" in line and "#}" not in line.split("{#", 1)[1]
    ]

    assert broken == []
