"""The form pattern's responses in apps/core/htmx.py."""

from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.signed_cookies import SessionStore
from django.test import RequestFactory

from apps.core.exceptions import DomainError
from apps.core.htmx import redirect_with_error


def _request():
    request = RequestFactory().post("/x/")
    request.session = SessionStore()
    request._messages = FallbackStorage(request)
    request.htmx = False
    return request


def test_redirect_with_error_shows_the_domain_errors_message_on_the_next_page():
    request = _request()

    response = redirect_with_error(request, "/back/", DomainError("The last owner cannot leave."))

    assert (response.status_code, response["Location"]) == (302, "/back/")
    assert [(m.level_tag, m.message) for m in get_messages(request)] == [
        ("error", "The last owner cannot leave.")
    ]


def test_redirect_with_error_takes_plain_words_too():
    request = _request()

    redirect_with_error(request, "/back/", "Nothing was selected.")

    assert [m.message for m in get_messages(request)] == ["Nothing was selected."]
