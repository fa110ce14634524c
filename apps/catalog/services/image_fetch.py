"""Images given by URL in an import (Shopify ``Image Src``, WooCommerce ``Images``), fetched in
the background after the import and added to their products.

A file could name any address, so a fetch goes only to the public internet: http(s) only; the
host is resolved once and every address it resolves to must be public (no loopback, private,
link-local, shared, multicast, reserved or unspecified address, IPv4-mapped ones included); the
connection goes to that checked address (so a second DNS answer can't point elsewhere); each
redirect is checked the same way; size, count and time are bounded. Each image's outcome is kept
on the import's summary (``images``: status ``added`` or ``failed`` with a note); the fetching
is a platform job (``ImageFetchJob``) with progress and cancel.
"""

from __future__ import annotations

import http.client
import ipaddress
import socket
import ssl
import time
from urllib.parse import urljoin, urlsplit

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction

from apps.catalog.models import ImageFetchJob, ImportJob, Product
from apps.catalog.services.images import IMAGE_MAX_BYTES, image_add
from apps.core.exceptions import DomainError
from apps.core.jobs import job_enqueue, job_finish, job_progress_save, job_step_held

TIMEOUT_SECONDS = 10  # per connect / read
DEADLINE_SECONDS = 30  # per image, redirects included
MAX_REDIRECTS = 3
CHUNK = 64 * 1024
RESOLVER = socket.getaddrinfo  # tests swap it for a stub: no test resolves a real name


class ImageFetchError(Exception):
    pass


def _allow_loopback() -> bool:
    # test-only: lets tests fetch from a local http.server; never set it in a deployment
    return bool(getattr(settings, "CATALOG_IMAGE_FETCH_ALLOW_LOOPBACK", False))


def _is_public(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        address = address.ipv4_mapped
    if _allow_loopback() and address.is_loopback:
        return True
    return address.is_global and not (
        address.is_loopback
        or address.is_private
        or address.is_link_local
        or address.is_multicast
        or address.is_reserved
        or address.is_unspecified
    )


def check_host(host: str, port: int, *, resolver=None) -> list[str]:
    """The host's addresses, when every one of them is public; else ``ImageFetchError``."""
    resolve = resolver or RESOLVER
    try:
        infos = resolve(host, port, 0, socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError, OSError):
        raise ImageFetchError(f"Couldn't reach {host}: the name doesn't resolve.") from None
    addresses: list[str] = []
    for info in infos:
        text = info[4][0].split("%", 1)[0]
        address = ipaddress.ip_address(text)
        if not _is_public(address):
            raise ImageFetchError(f"{host} resolves to {text}, which isn't a public address.")
        if text not in addresses:
            addresses.append(text)
    if not addresses:
        raise ImageFetchError(f"Couldn't reach {host}: the name doesn't resolve.")
    return addresses


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    """HTTPS to a checked address, with the certificate checked for the host name."""

    def __init__(self, address: str, host: str, port: int, timeout: float):
        super().__init__(host, port, timeout=timeout, context=ssl.create_default_context())
        self._address = address

    def connect(self):
        sock = socket.create_connection((self._address, self.port), self.timeout)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)


def _kilobytes(size: int) -> str:
    return f"{size // (1024 * 1024)} MB" if size >= 1024 * 1024 else f"{size // 1024} KB"


def fetch_image(url: str, *, resolver=None, max_bytes: int = IMAGE_MAX_BYTES) -> bytes:
    """The bytes at ``url`` (following up to 3 checked redirects); ``ImageFetchError`` if not."""
    deadline = time.monotonic() + DEADLINE_SECONDS
    for _hop in range(MAX_REDIRECTS + 1):
        parts = urlsplit(url)
        if parts.scheme not in {"http", "https"}:
            raise ImageFetchError("Only http and https image addresses can be fetched.")
        host = parts.hostname
        if not host:
            raise ImageFetchError("The image address has no host.")
        try:
            port = parts.port or (443 if parts.scheme == "https" else 80)
        except ValueError:
            raise ImageFetchError("The image address has a bad port.") from None
        address = check_host(host, port, resolver=resolver)[0]
        path = parts.path or "/"
        if parts.query:
            path += "?" + parts.query
        timeout = max(min(TIMEOUT_SECONDS, deadline - time.monotonic()), 0.1)
        if parts.scheme == "https":
            connection = _PinnedHTTPSConnection(address, host, port, timeout)
        else:
            connection = http.client.HTTPConnection(address, port, timeout=timeout)
        try:
            connection.putrequest("GET", path, skip_host=True, skip_accept_encoding=True)
            connection.putheader("Host", parts.netloc.rsplit("@", 1)[-1])
            connection.putheader("User-Agent", "MerchantPortal-ImageImport/1.0")
            connection.putheader("Accept", "image/*")
            connection.endheaders()
            response = connection.getresponse()
            if response.status in {301, 302, 303, 307, 308}:
                location = response.getheader("Location", "")
                if not location:
                    raise ImageFetchError(f"The server answered {response.status} with no address.")
                url = urljoin(url, location)
                continue
            if response.status != 200:
                raise ImageFetchError(f"The server answered {response.status}.")
            length = response.getheader("Content-Length", "")
            if length.isdigit() and int(length) > max_bytes:
                raise ImageFetchError(f"The image is larger than {_kilobytes(max_bytes)}.")
            data = bytearray()
            while chunk := response.read(CHUNK):
                data += chunk
                if len(data) > max_bytes:
                    raise ImageFetchError(f"The image is larger than {_kilobytes(max_bytes)}.")
                if time.monotonic() > deadline:
                    raise ImageFetchError("The download took too long.")
            return bytes(data)
        except (OSError, http.client.HTTPException) as error:
            raise ImageFetchError(f"Couldn't reach {host}: {type(error).__name__}.") from None
        finally:
            connection.close()
    raise ImageFetchError("Too many redirects.")


def image_fetch_job_create(*, import_job: ImportJob, requested_by) -> ImageFetchJob:
    """Inside the import's transaction: the job that fetches its queued images once it commits."""
    job = ImageFetchJob.objects.create(
        store=import_job.store,
        import_job=import_job,
        total=len(import_job.summary.get("images", [])),
        requested_by=requested_by,
    )
    job_enqueue(job)
    return job


FETCH_INTERRUPTED = "The fetch stopped before it finished; add this image on the product's page."


def image_fetch_job_run(*, job: ImageFetchJob) -> ImageFetchJob:
    """Fetch the import's queued images one by one and add them to their products, saving each
    outcome and the progress as it goes (so Cancel stops it between two images).

    Safe when the job is delivered twice: each image is fetched while this delivery holds the
    job's step (``job_step_held``), and only when the import's row, read again under its lock,
    still shows it waiting; it is marked "fetching" (committed) before the network call. An
    image found "fetching" was being fetched by a delivery that died: it may have been added,
    so it is listed as failed rather than added twice."""
    import_job = job.import_job
    actor = job.requested_by or "import"
    total = len(import_job.summary.get("images", []))
    for index in range(total):
        with job_step_held(job):
            image = _image_claim(import_job.pk, index)
            if image is not None:
                outcome = _image_fetch_one(store=job.store, actor=actor, image=image)
                _image_record(import_job.pk, index, outcome)
        job_progress_save(job, processed=index + 1, total=total)
    return job_finish(job)


@transaction.atomic
def _image_claim(import_job_id: int, index: int) -> dict | None:
    """The image at ``index`` when it still waits, now marked "fetching"; else None."""
    locked = ImportJob.objects.select_for_update().get(pk=import_job_id)
    image = locked.summary["images"][index]
    status = image.get("status")
    if status == "fetching":
        image.update(status="failed", note=FETCH_INTERRUPTED)
    elif status in {"queued", "pending"}:
        image["status"] = "fetching"
    else:
        return None
    ImportJob.objects.filter(pk=import_job_id).update(summary=locked.summary)
    return dict(image) if image["status"] == "fetching" else None


@transaction.atomic
def _image_record(import_job_id: int, index: int, outcome: dict) -> None:
    locked = ImportJob.objects.select_for_update().get(pk=import_job_id)
    locked.summary["images"][index].update(outcome)
    ImportJob.objects.filter(pk=import_job_id).update(summary=locked.summary)


def _image_fetch_one(*, store, actor, image: dict) -> dict:
    product = Product.objects.for_store(store).filter(handle=image["handle"]).first()
    try:
        if product is None:
            raise ImageFetchError("The product wasn't imported.")
        data = fetch_image(image["url"])
        name = urlsplit(image["url"]).path.rsplit("/", 1)[-1] or "image"
        image_add(
            store=store,
            actor=actor,
            product=product,
            upload=ContentFile(data, name=name),
            alt_text=image.get("alt", ""),
        )
    except (ImageFetchError, DomainError) as error:
        message = error.message if isinstance(error, DomainError) else str(error)
        return {"status": "failed", "note": message}
    return {"status": "added", "note": ""}
