"""Request size limits: a body over ``MAX_REQUEST_BYTES`` is refused from its Content-Length
before anything reads it (413: a page in the portal's look, or the API's error shape), and an
upload whose bytes pass the limit anyway (a chunked body, a Content-Length that lies) is stopped
by the first upload handler, so nothing past the limit reaches the disk."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.files.uploadhandler import StopUpload, TemporaryFileUploadHandler
from django.test import Client, RequestFactory

from apps.accounts import services as account_services
from apps.catalog.models import ImportJob, ProductImage
from apps.core.uploads import (
    RequestSizeLimitMiddleware,
    RequestSizeLimitUploadHandler,
    upload_was_stopped,
)
from tests.catalog.factories import ProductFactory
from tests.catalog.io_factories import media_root  # noqa: F401

LIMIT = 100_000


@pytest.fixture
def small_limit(settings, tmp_path):
    """A 100 kB limit; every upload goes to a temporary file in ``tmp_path``."""
    settings.MAX_REQUEST_BYTES = LIMIT
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 0
    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path)
    return tmp_path


@pytest.fixture
def written(monkeypatch):
    """Bytes the temporary-file upload handler wrote to disk, in a one-item list."""
    total = [0]
    original = TemporaryFileUploadHandler.receive_data_chunk

    def counting(self, raw_data, start):
        total[0] += len(raw_data)
        return original(self, raw_data, start)

    monkeypatch.setattr(TemporaryFileUploadHandler, "receive_data_chunk", counting)
    return total


def _csrf_post(user, store, url: str, files: dict):
    """Post as a browser does, with the CSRF check on: the CSRF middleware reads the form."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    client.get(_import_url(store))  # sets the CSRF cookie
    token = client.cookies["csrftoken"].value
    return client.post(url, {"csrfmiddlewaretoken": token, **files})


def _import_url(store) -> str:
    return f"/store/{store.handle}/catalog/imports/new/"


# --- the middleware: refused from the Content-Length ------------------------------------------
@pytest.mark.django_db
def test_an_upload_over_the_limit_is_a_413_page_and_nothing_is_written(
    store, owner, small_limit, written
):
    big = SimpleUploadedFile("big.csv", b"handle,title\n" + b"a,b\n" * 60_000, "text/csv")

    response = _csrf_post(owner, store, _import_url(store), {"file": big})

    assert response.status_code == 413
    page = response.content.decode()
    assert "<h1>File too large</h1>" in page
    assert "The upload is 234.6 KB; the portal accepts at most 97.7 KB at a time." in page
    assert 'class="card auth-card"' in page  # the portal's look
    assert written == [0]
    assert list(small_limit.iterdir()) == []
    assert ImportJob.objects.count() == 0


@pytest.mark.django_db
def test_an_api_body_over_the_limit_is_a_413_in_the_api_error_shape(store, owner, small_limit):
    _key, raw = account_services.api_key_create(store=store, actor=owner, name="ERP")
    product = ProductFactory(store=store)

    response = Client().post(
        f"/api/v1/products/{product.pk}/images/",
        {"image": SimpleUploadedFile("big.png", b"x" * 200_000, "image/png")},
        HTTP_AUTHORIZATION=f"Bearer {raw}",
    )

    assert response.status_code == 413
    assert response.json() == {
        "errors": {
            "non_field_errors": [
                "The request body is 195.4 KB; the portal accepts at most 97.7 KB at a time."
            ]
        },
        "code": "too_large",
    }


def test_the_middleware_answers_without_reading_the_body(settings):
    settings.MAX_REQUEST_BYTES = LIMIT

    class Unreadable(io.RawIOBase):
        def read(self, *args):
            raise AssertionError("the body was read")

    request = RequestFactory().post("/api/v1/products/", content_type="application/json")
    request.META["CONTENT_LENGTH"] = str(600 * 1024 * 1024)
    request.META["wsgi.input"] = Unreadable()
    request._stream = Unreadable()
    middleware = RequestSizeLimitMiddleware(lambda request: pytest.fail("view reached"))

    response = middleware(request)

    assert response.status_code == 413
    assert response["Content-Type"] == "application/json"


def test_the_middleware_lets_a_body_at_the_limit_through(settings, rf):
    settings.MAX_REQUEST_BYTES = LIMIT
    request = rf.post("/x/", data=b"x" * LIMIT, content_type="application/octet-stream")

    response = RequestSizeLimitMiddleware(lambda request: "passed")(request)

    assert response == "passed"


def test_the_default_limit_is_the_import_limit_plus_a_small_margin():
    from django.conf import settings

    from apps.core.tabular import MAX_UPLOAD_BYTES

    assert MAX_UPLOAD_BYTES == settings.IMPORT_MAX_UPLOAD_BYTES == 50 * 1024 * 1024
    assert settings.MAX_REQUEST_BYTES == MAX_UPLOAD_BYTES + 64 * 1024
    assert settings.FILE_UPLOAD_HANDLERS[0] == "apps.core.uploads.RequestSizeLimitUploadHandler"


# --- the upload handler: the bytes received --------------------------------------------------
def test_the_upload_handler_stops_the_upload_once_the_bytes_pass_the_limit(settings, rf):
    settings.MAX_REQUEST_BYTES = LIMIT
    request = rf.post("/x/")
    handler = RequestSizeLimitUploadHandler(request)
    handler.new_file("file", "big.csv", "text/csv", None)
    chunk = b"x" * 40_000

    passed = [handler.receive_data_chunk(chunk, 0), handler.receive_data_chunk(chunk, 40_000)]
    with pytest.raises(StopUpload) as stopped:
        handler.receive_data_chunk(chunk, 80_000)

    assert passed == [chunk, chunk]  # handed on to Django's handlers below the limit
    assert stopped.value.connection_reset is True
    assert upload_was_stopped(request)
    assert not upload_was_stopped(rf.post("/x/"))


def test_the_upload_handler_counts_every_file_of_the_request(settings, rf):
    settings.MAX_REQUEST_BYTES = LIMIT
    handler = RequestSizeLimitUploadHandler(rf.post("/x/"))
    handler.new_file("first", "a.png", "image/png", None)
    handler.receive_data_chunk(b"x" * 60_000, 0)
    handler.new_file("second", "b.png", "image/png", None)

    with pytest.raises(StopUpload):
        handler.receive_data_chunk(b"x" * 60_000, 0)


@pytest.fixture
def without_the_middleware(settings):
    """As when the body's length is not known up front (chunked) or is not what it says."""
    settings.MIDDLEWARE = [
        name
        for name in settings.MIDDLEWARE
        if name != "apps.core.uploads.RequestSizeLimitMiddleware"
    ]


@pytest.mark.django_db
@pytest.mark.usefixtures("without_the_middleware")
def test_an_import_stopped_by_the_upload_handler_is_reported_as_too_large(
    store, owner, small_limit, written
):
    big = SimpleUploadedFile("big.csv", b"handle,title\n" + b"a,b\n" * 60_000, "text/csv")

    response = _csrf_post(owner, store, _import_url(store), {"file": big})

    assert response.status_code == 400
    assert (
        "The file is larger than the limit of 50.0 MB. Split it into smaller files."
        in response.content.decode()
    )
    assert written[0] <= LIMIT
    assert ImportJob.objects.count() == 0


@pytest.mark.django_db
@pytest.mark.usefixtures("without_the_middleware", "media_root")
def test_an_image_stopped_by_the_upload_handler_is_reported_as_too_large(
    store, owner, small_limit, written
):
    product = ProductFactory(store=store)
    big = SimpleUploadedFile("big.png", b"x" * 200_000, "image/png")

    url = f"/store/{store.handle}/catalog/products/{product.pk}/images/"
    response = _csrf_post(owner, store, url, {"image": big})

    assert response.status_code == 400
    assert "The image is larger than 10 MB." in response.content.decode()
    assert written[0] <= LIMIT
    assert ProductImage.objects.count() == 0


@pytest.mark.django_db
@pytest.mark.usefixtures("without_the_middleware", "media_root")
def test_an_api_image_stopped_by_the_upload_handler_is_a_413_naming_the_field(
    store, owner, small_limit
):
    _key, raw = account_services.api_key_create(store=store, actor=owner, name="ERP")
    product = ProductFactory(store=store)

    response = Client().post(
        f"/api/v1/products/{product.pk}/images/",
        {"image": SimpleUploadedFile("big.png", b"x" * 200_000, "image/png")},
        HTTP_AUTHORIZATION=f"Bearer {raw}",
    )

    assert response.status_code == 413
    assert response.json() == {
        "errors": {"image": ["The image is larger than 10 MB."]},
        "code": "too_large",
    }
    assert ProductImage.objects.count() == 0


# --- over real HTTP ---------------------------------------------------------------------------
@pytest.mark.django_db(transaction=True)
def test_a_real_request_claiming_600_mb_is_answered_413_before_its_body_is_sent(live_server):
    import socket
    from urllib.parse import urlsplit

    address = urlsplit(live_server.url)
    with socket.create_connection((address.hostname, address.port), timeout=5) as connection:
        connection.sendall(
            b"POST /store/alpha/catalog/imports/new/ HTTP/1.1\r\n"
            b"Host: " + address.netloc.encode() + b"\r\n"
            b"Content-Type: multipart/form-data; boundary=x\r\n"
            b"Content-Length: " + str(600 * 1024 * 1024).encode() + b"\r\n\r\n"
            b"--x\r\n"  # and nothing more: the answer must not wait for the body
        )
        status_line = connection.makefile("rb").readline()

    assert status_line.startswith(b"HTTP/1.1 413")
