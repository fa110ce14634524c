"""Create store: the handle's help reads as a sentence while the handle is still empty — no
markup-like placeholder that the page swallows ("/store//.")."""

import html
import re

HANDLE_HELP = re.compile(r'<p class="help" id="id_handle_helptext">(.*?)</p>', re.S)


def test_the_handle_help_reads_whole_before_a_handle_is_typed(owner, client_for):
    response = client_for(owner).get("/stores/new/")

    markup = HANDLE_HELP.search(response.content.decode()).group(1)
    assert "<" not in markup  # nothing the browser would take for a tag and hide
    assert html.unescape(markup) == (
        "The store's part of every address in the portal: with acme-shop, its pages are at "
        "/store/acme-shop/. 3 to 50 lowercase letters, digits and hyphens. "
        "Cannot be changed later."
    )
    assert "//" not in html.unescape(markup)
