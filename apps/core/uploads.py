"""Request size limits: a body larger than the portal accepts is never written to disk.

Django's own limits act too late for uploads: ``CsrfViewMiddleware`` reads ``request.POST``,
which spools every uploaded file to a temporary file before any view can look at its size. So:

- ``RequestSizeLimitMiddleware`` (placed before ``CsrfViewMiddleware``) answers 413 from the
  ``Content-Length`` header alone, without reading the body, when it is over
  ``MAX_REQUEST_BYTES`` (by default the import limit plus a small margin): a page in the portal's
  look, or under ``/api/`` the API's error shape
  ``{"errors": {"non_field_errors": ["…"]}, "code": "too_large"}``.
- ``RequestSizeLimitUploadHandler`` (first in ``FILE_UPLOAD_HANDLERS``) counts the bytes of the
  files actually received and stops the upload (``StopUpload(connection_reset=True)``) once they
  pass the same limit: a body whose length was not known up front, or not what it said. The
  file is then left out of ``request.FILES`` and ``upload_was_stopped(request)`` is true, so a
  view can say the file was too large instead of missing.
"""

from __future__ import annotations

from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.loader import render_to_string

STOPPED_ATTRIBUTE = "upload_stopped"


def max_request_bytes() -> int:
    return settings.MAX_REQUEST_BYTES


def human_size(size: int) -> str:
    """A byte count as people read it ("1.5 KB", "50.0 MB"): every message of the portal."""
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):.1f} MB"
    if size >= 1024:
        return f"{size / 1024:.1f} KB"
    return f"{size} bytes"


def _content_length(request: HttpRequest) -> int | None:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return None  # malformed: Django's request handling deals with it


def too_large_response(request: HttpRequest, *, size: int, limit: int) -> HttpResponse:
    if request.path.startswith("/api/"):
        message = (
            f"The request body is {human_size(size)}; the portal accepts at most "
            f"{human_size(limit)} at a time."
        )
        return JsonResponse(
            {"errors": {"non_field_errors": [message]}, "code": "too_large"}, status=413
        )
    # rendered without the request: no session or user is loaded for a refused request
    page = render_to_string("413.html", {"size": human_size(size), "limit": human_size(limit)})
    return HttpResponse(page, status=413)


class RequestSizeLimitMiddleware:
    """413 for a request whose Content-Length is over ``MAX_REQUEST_BYTES``; the body is not
    read."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        length = _content_length(request)
        limit = max_request_bytes()
        if length is not None and length > limit:
            return too_large_response(request, size=length, limit=limit)
        return self.get_response(request)


class RequestSizeLimitUploadHandler(FileUploadHandler):
    """Stops an upload once the bytes of its files pass ``MAX_REQUEST_BYTES``; Django's
    handlers after it have then written no more than that."""

    def __init__(self, request: HttpRequest | None = None):
        super().__init__(request)
        self.limit = max_request_bytes()
        self.received = 0

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        self.received += len(raw_data)
        if self.received > self.limit:
            if self.request is not None:
                setattr(self.request, STOPPED_ATTRIBUTE, True)
            raise StopUpload(connection_reset=True)
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None  # the file is built by the handlers after this one


def upload_was_stopped(request: HttpRequest) -> bool:
    """True when ``RequestSizeLimitUploadHandler`` stopped this request's upload (read
    ``request.POST`` / ``request.FILES`` first); the file is then missing from
    ``request.FILES``."""
    return bool(getattr(request, STOPPED_ATTRIBUTE, False))
