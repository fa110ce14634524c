"""Images by URL from an import: only public addresses, bounded size, results on the job."""

from __future__ import annotations

import http.server
import io
import socket
import threading

import pytest
from PIL import Image

from apps.catalog import services
from apps.catalog.models import ImageFetchJob, ImportJob, ImportStatus, ProductImage
from apps.catalog.services import image_fetch
from apps.catalog.services.image_fetch import ImageFetchError, check_host, fetch_image
from apps.core.jobs import job_run
from tests.catalog.factories import ProductFactory
from tests.catalog.io_factories import media_root, upload  # noqa: F401
from tests.catalog.test_import_formats import sample


def resolver_for(*addresses):
    def resolve(host, port, *args, **kwargs):
        return [
            (socket.AF_INET6 if ":" in a else socket.AF_INET, socket.SOCK_STREAM, 6, "", (a, port))
            for a in addresses
        ]

    return resolve


@pytest.mark.parametrize(
    "address",
    [
        "127.0.0.1",
        "10.1.2.3",
        "172.16.0.5",
        "192.168.1.1",
        "169.254.169.254",
        "224.0.0.1",
        "240.0.0.1",
        "0.0.0.0",  # noqa: S104 - an address to refuse, not one to bind
        "100.64.0.1",
        "::1",
        "fe80::1",
        "fd00::1",
        "::ffff:127.0.0.1",
    ],
)
def test_non_public_addresses_are_refused(address):
    with pytest.raises(ImageFetchError) as caught:
        check_host("images.example", 443, resolver=resolver_for(address))

    assert (
        str(caught.value) == f"images.example resolves to {address}, which isn't a public address."
    )


def test_every_resolved_address_must_be_public():
    with pytest.raises(ImageFetchError):
        check_host("images.example", 443, resolver=resolver_for("93.184.216.34", "10.0.0.1"))

    assert check_host("images.example", 443, resolver=resolver_for("93.184.216.34")) == [
        "93.184.216.34"
    ]


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("ftp://example.com/a.jpg", "Only http and https image addresses can be fetched."),
        ("file:///etc/passwd", "Only http and https image addresses can be fetched."),
        ("http:///a.jpg", "The image address has no host."),
    ],
)
def test_only_http_urls_with_a_host(url, message):
    with pytest.raises(ImageFetchError) as caught:
        fetch_image(url, resolver=resolver_for("93.184.216.34"))

    assert str(caught.value) == message


def png(size=(20, 10)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (10, 120, 200)).save(out, format="PNG")
    return out.getvalue()


@pytest.fixture
def local_server():
    routes: dict[str, tuple[int, dict, bytes]] = {}

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802
            status, headers, body = routes.get(self.path, (404, {}, b"missing"))
            self.send_response(status)
            for key, value in headers.items():
                self.send_header(key, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", routes
    server.shutdown()
    server.server_close()


def test_loopback_is_refused_unless_the_test_setting_allows_it(local_server, settings):
    base, routes = local_server
    routes["/a.png"] = (200, {"Content-Type": "image/png"}, png())
    settings.CATALOG_IMAGE_FETCH_ALLOW_LOOPBACK = False
    with pytest.raises(ImageFetchError) as caught:
        fetch_image(f"{base}/a.png")
    assert str(caught.value) == "127.0.0.1 resolves to 127.0.0.1, which isn't a public address."

    settings.CATALOG_IMAGE_FETCH_ALLOW_LOOPBACK = True
    assert fetch_image(f"{base}/a.png") == png()


def test_a_redirect_to_a_private_address_is_refused(local_server, settings):
    base, routes = local_server
    settings.CATALOG_IMAGE_FETCH_ALLOW_LOOPBACK = True
    routes["/go"] = (302, {"Location": "http://169.254.169.254/latest/meta-data/"}, b"")

    with pytest.raises(ImageFetchError) as caught:
        fetch_image(f"{base}/go")

    assert str(caught.value) == (
        "169.254.169.254 resolves to 169.254.169.254, which isn't a public address."
    )


def test_size_and_status_are_bounded(local_server, settings, monkeypatch):
    base, routes = local_server
    settings.CATALOG_IMAGE_FETCH_ALLOW_LOOPBACK = True
    routes["/big.png"] = (200, {}, b"x" * 2048)
    routes["/gone.png"] = (404, {}, b"")
    with pytest.raises(ImageFetchError) as caught:
        fetch_image(f"{base}/big.png", max_bytes=1024)
    assert str(caught.value) == "The image is larger than 1 KB."

    with pytest.raises(ImageFetchError) as caught:
        fetch_image(f"{base}/gone.png")
    assert str(caught.value) == "The server answered 404."


@pytest.mark.usefixtures("media_root")
def test_the_job_fetches_its_images_and_lists_failures(
    store, owner, local_server, settings, monkeypatch
):
    def resolve(host, port, *args):
        if host != "127.0.0.1":  # no real name is resolved in a test
            raise socket.gaierror("no network in tests")
        return resolver_for("127.0.0.1")(host, port)

    monkeypatch.setattr(image_fetch, "RESOLVER", resolve)
    base, routes = local_server
    settings.CATALOG_IMAGE_FETCH = True
    settings.CATALOG_IMAGE_FETCH_ALLOW_LOOPBACK = True
    routes["/shirt.png"] = (200, {"Content-Type": "image/png"}, png())
    routes["/not-image.png"] = (200, {}, b"hello")
    text = sample("shopify_sample.csv").decode()
    text = text.replace(
        "https://burst.shopifycdn.com/photos/ocean-blue-shirt.jpg", f"{base}/shirt.png"
    ).replace(
        "https://burst.shopifycdn.com/photos/ocean-blue-shirt-back.jpg", f"{base}/not-image.png"
    )
    job = services.import_job_create(store=store, actor=owner, upload=upload(text.encode()))
    job = services.import_job_configure(store=store, job=job, mapping=job.mapping, mode="skip")
    services.import_job_start(store=store, job=job, actor=owner)
    job.refresh_from_db()
    assert job.status == ImportStatus.DONE

    fetch = ImageFetchJob.objects.get(import_job=job)
    count = len(job.summary["images"])
    assert (fetch.status, fetch.total, fetch.requested_by) == ("queued", count, owner)

    assert job_run(label="catalog.ImageFetchJob", job_id=fetch.pk) == "done"
    assert job_run(label="catalog.ImageFetchJob", job_id=fetch.pk) is None  # twice: no-op

    fetch.refresh_from_db()
    assert (fetch.processed, fetch.total) == (count, count)
    job.refresh_from_db()
    statuses = [(i["url"].rsplit("/", 1)[1], i["status"], i["note"]) for i in job.summary["images"]]
    assert statuses[0] == ("shirt.png", "added", "")
    assert statuses[1] == (
        "not-image.png",
        "failed",
        "This file is not an image we can read; upload a JPEG, PNG, WebP or GIF.",
    )
    assert statuses[2][1] == "failed"
    assert statuses[2][2].startswith("Couldn't reach burst.shopifycdn.com")
    images = list(ProductImage.objects.for_store(store))
    assert [(i.product.handle, i.alt_text) for i in images] == [
        ("ocean-blue-shirt", "Ocean blue shirt")
    ]


@pytest.mark.usefixtures("media_root")
def test_the_import_result_shows_the_image_fetch_progress_and_can_cancel_it(
    store, owner, client_for, settings
):
    settings.CATALOG_IMAGE_FETCH = True
    job = services.import_job_create(
        store=store, actor=owner, upload=upload(sample("shopify_sample.csv"))
    )
    job = services.import_job_configure(store=store, job=job, mapping=job.mapping, mode="skip")
    services.import_job_start(store=store, job=job, actor=owner)
    fetch = ImageFetchJob.objects.get(import_job=job)
    client = client_for(owner)
    images_url = f"/store/{store.handle}/catalog/imports/{job.pk}/images/"

    page = client.get(f"/store/{store.handle}/catalog/imports/{job.pk}/").text
    fragment = client.get(images_url, headers={"HX-Request": "true"}).text

    assert f'hx-get="{images_url}"' in page
    assert "Waiting for a worker to start" in fragment
    assert f'action="{images_url}cancel/"' in fragment
    response = client.post(f"{images_url}cancel/")
    assert response.status_code == 302
    fetch.refresh_from_db()
    assert fetch.status == "cancelled"
    assert job_run(label="catalog.ImageFetchJob", job_id=fetch.pk) is None
    assert not ProductImage.objects.for_store(store).exists()
    assert "Cancelled" in client.get(images_url, headers={"HX-Request": "true"}).text


def test_another_stores_image_fetch_is_not_found(store, owner, client_for, other_store):
    job = ImportJob.objects.create(store=other_store, original_name="b.csv", file_format="csv")
    ImageFetchJob.objects.create(store=other_store, import_job=job, total=1)
    client = client_for(owner)

    base = f"/store/{other_store.handle}/catalog/imports/{job.pk}/images/"
    mine = f"/store/{store.handle}/catalog/imports/{job.pk}/images/"
    assert client.get(base).status_code == 404
    assert client.get(mine).status_code == 404
    assert client.post(mine + "cancel/").status_code == 404
    assert ImageFetchJob.objects.get(import_job=job).status == "queued"


@pytest.fixture
def queued_images(store, owner, monkeypatch):
    """An import with two images waiting, and a fake network that counts what it fetches."""
    ProductFactory(store=store, handle="shirt")
    import_job = ImportJob.objects.create(
        store=store,
        original_name="products.csv",
        file_format="csv",
        status=ImportStatus.DONE,
        summary={
            "images": [
                {"handle": "shirt", "url": f"https://images.test/{name}.png", "status": "queued"}
                for name in ("front", "back")
            ]
        },
    )
    fetched = []

    def fake_fetch(url, **kwargs):
        fetched.append(url.rsplit("/", 1)[1])
        return png()

    monkeypatch.setattr(image_fetch, "fetch_image", fake_fetch)
    fetch = ImageFetchJob.objects.create(
        store=store, import_job=import_job, total=2, requested_by=owner
    )
    return import_job, fetch, fetched


def set_image_status(import_job, index, status):
    row = ImportJob.objects.get(pk=import_job.pk)
    row.summary["images"][index].update(status=status, note="")
    ImportJob.objects.filter(pk=row.pk).update(summary=row.summary)


@pytest.mark.usefixtures("media_root")
def test_a_second_delivery_does_not_add_an_image_the_first_one_added(queued_images):
    import_job, fetch, fetched = queued_images
    job = ImageFetchJob.objects.select_related("import_job", "store").get(pk=fetch.pk)
    assert job.import_job.summary["images"][0]["status"] == "queued"  # as this delivery read it
    image_fetch.image_fetch_job_run(job=ImageFetchJob.objects.get(pk=fetch.pk))  # another one
    ImageFetchJob.objects.filter(pk=fetch.pk).update(status="running")

    image_fetch.image_fetch_job_run(job=job)

    assert fetched == ["front.png", "back.png"]
    assert ProductImage.objects.filter(product__handle="shirt").count() == 2


@pytest.mark.usefixtures("media_root")
def test_an_image_a_lost_delivery_was_fetching_is_listed_as_failed_not_added_twice(
    queued_images,
):
    import_job, fetch, fetched = queued_images
    set_image_status(import_job, 0, "fetching")  # the worker died during this fetch

    image_fetch.image_fetch_job_run(job=ImageFetchJob.objects.get(pk=fetch.pk))

    assert fetched == ["back.png"]
    import_job.refresh_from_db()
    first, second = import_job.summary["images"]
    assert (first["status"], first["note"]) == (
        "failed",
        "The fetch stopped before it finished; add this image on the product's page.",
    )
    assert second["status"] == "added"
