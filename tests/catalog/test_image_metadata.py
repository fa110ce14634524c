"""Every uploaded image is re-encoded: no XMP, text chunk, comment, ICC profile or EXIF of the
upload survives in the public image or its thumbnail, whether it came through the product page
or the API. Format, orientation and (for a GIF) the animation's frames are kept."""

from __future__ import annotations

import io
import struct

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image, ImageCms, ImageSequence
from PIL.PngImagePlugin import PngInfo

from apps.accounts import services as account_services
from apps.catalog.models import ProductImage
from tests.catalog.factories import ProductFactory

pytestmark = pytest.mark.django_db

SECRET = "GPS 52.52N 13.40E home address"
XMP = (
    '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF '
    'xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
    '<rdf:Description xmlns:exif="http://ns.adobe.com/exif/1.0/" '
    f'exif:GPSLatitude="52,31.2N" exif:GPSLongitude="13,24.0E" exif:UserComment="{SECRET}"/>'
    "</rdf:RDF></x:xmpmeta>"
).encode()
# what must not be found anywhere in a stored file
TELLTALES = (b"GPSLatitude", b"52.52N", b"home address", b"xmpmeta", b"ACME Camera")


def _icc_with_text() -> bytes:
    """A real sRGB profile whose description carries the secret."""
    profile = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB"))
    return profile.tobytes() + SECRET.encode()


def _exif() -> Image.Exif:
    exif = Image.Exif()
    exif[0x010F] = "ACME Camera"
    exif[0x8825] = {1: "N", 2: (52.0, 31.0, 0.0), 3: "E", 4: (13.0, 24.0, 0.0)}
    return exif


def _jpeg_with_xmp() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (40, 30), (10, 120, 200)).save(out, format="JPEG", xmp=XMP)
    return out.getvalue()


def _jpeg_with_comment() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (40, 30), (10, 120, 200)).save(out, format="JPEG", comment=SECRET)
    return out.getvalue()


def _jpeg_with_icc() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (40, 30), (10, 120, 200)).save(
        out, format="JPEG", icc_profile=_icc_with_text()
    )
    return out.getvalue()


def _png_with_text() -> bytes:
    info = PngInfo()
    info.add_text("Location", SECRET)  # tEXt
    info.add_itxt("Comment", SECRET, lang="en", tkey="Comment")  # iTXt
    info.add_text("Where", SECRET, zip=True)  # zTXt
    out = io.BytesIO()
    Image.new("RGBA", (40, 30), (10, 120, 200, 128)).save(
        out, format="PNG", pnginfo=info, icc_profile=_icc_with_text(), exif=_exif()
    )
    return out.getvalue()


def _webp_with_metadata() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (40, 30), (10, 120, 200)).save(
        out, format="WEBP", xmp=XMP, exif=_exif(), icc_profile=_icc_with_text()
    )
    return out.getvalue()


def _animated_gif_with_comment() -> bytes:
    frames = [Image.new("P", (40, 30), index) for index in (1, 2, 3)]
    for frame in frames:
        frame.putpalette([0, 0, 0, 255, 0, 0, 0, 255, 0, 0, 0, 255] + [0] * (256 * 3 - 12))
    out = io.BytesIO()
    frames[0].save(
        out,
        format="GIF",
        save_all=True,
        append_images=frames[1:],
        duration=[100, 200, 300],
        loop=0,
        comment=SECRET,
    )
    return out.getvalue()


UPLOADS = {
    "jpeg-xmp": ("photo.jpg", "image/jpeg", _jpeg_with_xmp, "JPEG"),
    "jpeg-comment": ("photo.jpg", "image/jpeg", _jpeg_with_comment, "JPEG"),
    "jpeg-icc": ("photo.jpg", "image/jpeg", _jpeg_with_icc, "JPEG"),
    "png-text-icc-exif": ("shot.png", "image/png", _png_with_text, "PNG"),
    "webp-xmp-exif-icc": ("shot.webp", "image/webp", _webp_with_metadata, "WEBP"),
    "gif-animated-comment": ("spin.gif", "image/gif", _animated_gif_with_comment, "GIF"),
}


def _upload_by_page(store, owner, product, upload) -> None:
    client = Client()
    client.force_login(owner)
    response = client.post(
        f"/store/{store.handle}/catalog/products/{product.pk}/images/", {"image": upload}
    )
    assert response.status_code == 302, response.content[:500]


def _upload_by_api(store, owner, product, upload) -> None:
    _key, raw = account_services.api_key_create(store=store, actor=owner, name="ERP")
    response = Client(HTTP_AUTHORIZATION=f"Bearer {raw}").post(
        f"/api/v1/products/{product.pk}/images/", {"image": upload}
    )
    assert response.status_code == 201, response.content[:500]


def _png_chunks(data: bytes) -> list[bytes]:
    chunks, at = [], 8
    while at < len(data):
        (length,) = struct.unpack(">I", data[at : at + 4])
        chunks.append(data[at + 4 : at + 8])
        at += 12 + length
    return chunks


def _jpeg_markers(data: bytes) -> list[int]:
    """The segment markers before the image data (APPn, COM, …)."""
    markers, at = [], 2
    while at < len(data) and data[at] == 0xFF:
        marker = data[at + 1]
        if marker == 0xDA:  # start of scan: the rest is image data
            break
        (length,) = struct.unpack(">H", data[at + 2 : at + 4])
        markers.append(marker)
        at += 2 + length
    return markers


def _assert_clean(data: bytes, fmt: str) -> Image.Image:
    for telltale in TELLTALES:
        assert telltale not in data, telltale
    picture = Image.open(io.BytesIO(data))
    assert picture.format == fmt
    assert not set(picture.info) & {"exif", "xmp", "XML:com.adobe.xmp", "icc_profile", "comment"}
    assert dict(picture.getexif()) == {}
    if fmt == "JPEG":
        allowed = {0xE0, 0xEE, 0xDB, 0xC0, 0xC1, 0xC2, 0xC4, 0xDD}  # JFIF, Adobe, tables, frame
        assert set(_jpeg_markers(data)) <= allowed, [hex(m) for m in _jpeg_markers(data)]
    if fmt == "PNG":
        assert set(_png_chunks(data)) <= {b"IHDR", b"PLTE", b"tRNS", b"IDAT", b"IEND"}
    return picture


@pytest.mark.parametrize("upload_by", [_upload_by_page, _upload_by_api], ids=["page", "api"])
@pytest.mark.parametrize("case", list(UPLOADS))
def test_an_uploaded_image_keeps_none_of_its_metadata(store, owner, upload_by, case):
    name, content_type, make, fmt = UPLOADS[case]
    original = make()
    assert any(telltale in original for telltale in TELLTALES)  # the upload does carry it
    product = ProductFactory(store=store)

    upload_by(store, owner, product, SimpleUploadedFile(name, original, content_type))

    image = ProductImage.objects.get(product=product)
    with image.image.open("rb") as handle:
        stored = _assert_clean(handle.read(), fmt)
    with image.thumbnail.open("rb") as handle:
        _assert_clean(handle.read(), "PNG" if image.thumbnail.name.endswith(".png") else "JPEG")
    assert stored.size == (40, 30)
    if fmt == "PNG":
        assert stored.mode == "RGBA"  # transparency kept
        assert stored.getpixel((0, 0)) == (10, 120, 200, 128)


def test_an_animated_gif_keeps_its_frames_and_timing(store, owner):
    product = ProductFactory(store=store)

    _upload_by_api(
        store,
        owner,
        product,
        SimpleUploadedFile("spin.gif", _animated_gif_with_comment(), "image/gif"),
    )

    with ProductImage.objects.get(product=product).image.open("rb") as handle:
        stored = Image.open(io.BytesIO(handle.read()))
        frames = [
            (frame.convert("RGB").getpixel((0, 0)), frame.info.get("duration"))
            for frame in ImageSequence.Iterator(stored)
        ]
    assert frames == [((255, 0, 0), 100), ((0, 255, 0), 200), ((0, 0, 255), 300)]
    assert stored.info.get("loop") == 0


def test_a_re_encoded_jpeg_keeps_its_look(store, owner):
    """Re-encoding at a reasonable quality: the colours stay close to the upload's."""
    product = ProductFactory(store=store)
    picture = Image.linear_gradient("L").resize((120, 80)).convert("RGB")
    out = io.BytesIO()
    picture.save(out, format="JPEG", quality=95, comment=SECRET)

    _upload_by_page(store, owner, product, SimpleUploadedFile("g.jpg", out.getvalue()))

    with ProductImage.objects.get(product=product).image.open("rb") as handle:
        stored = Image.open(io.BytesIO(handle.read())).convert("RGB")
    worst = max(
        abs(a - b)
        for x, y in ((10, 10), (60, 40), (110, 70))
        for a, b in zip(stored.getpixel((x, y)), picture.getpixel((x, y)), strict=True)
    )
    assert worst <= 8


def test_an_animation_counts_every_frame_against_the_pixel_limit(store, owner, settings):
    """Each frame of an animation is held while it is re-encoded: 3 × 1,200 pixels > 3,000."""
    settings.IMAGE_MAX_PIXELS = 3_000
    product = ProductFactory(store=store)
    client = Client()
    client.force_login(owner)

    response = client.post(
        f"/store/{store.handle}/catalog/products/{product.pk}/images/",
        {"image": SimpleUploadedFile("spin.gif", _animated_gif_with_comment(), "image/gif")},
    )

    assert response.status_code == 400
    assert response.context["image_form"].errors["image"] == [
        "This animation has 3 frames of 40 × 30 pixels (0.0036 megapixels in all); the limit "
        "is 0.003 megapixels. Shorten or shrink it and try again."
    ]
    assert not ProductImage.objects.exists()
