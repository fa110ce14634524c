"""Product images: upload with a thumbnail, alt text, order, delete.

An upload is refused before it is decoded when it has more than ``IMAGE_MAX_PIXELS`` pixels
(the size is read from the file's header), so a small file that unpacks to gigabytes cannot
exhaust memory; an animation counts every frame. Every upload is then re-encoded from its pixels
alone, in its own format (JPEG and WebP at quality 90), so nothing of the file's metadata reaches
the public image or its thumbnail: no EXIF (camera, GPS position), XMP, PNG text chunks, JPEG or
GIF comments, or colour profile (the pixels are converted to sRGB first, and the orientation
EXIF recorded is applied to them). An animated GIF, PNG or WebP keeps its frames, their timing
and its loop count.
"""

from __future__ import annotations

import io
import os
import warnings
from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.text import slugify
from PIL import Image, ImageCms, ImageOps, ImageSequence, UnidentifiedImageError

from apps.audit.services import audit_record
from apps.catalog import inputs
from apps.catalog.models import (
    Product,
    ProductImage,
)
from apps.catalog.services.common import _lock_product
from apps.core.exceptions import DomainError, NotFound
from apps.core.models import Store

IMAGE_MAX_BYTES = 10 * 1024 * 1024
IMAGE_FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp", "GIF": "gif"}
THUMBNAIL_SIZE = (320, 320)


def _delete_files(image: ProductImage) -> None:
    for file in (image.image, image.thumbnail):
        if file:
            file.delete(save=False)


def _megapixels(pixels: int) -> str:
    value = pixels / 1_000_000
    if value == int(value):
        return f"{value:,.0f}"
    return f"{value:,.1f}" if value >= 0.1 else f"{value:.2g}"


def _pixel_limit_message(width: int | None, height: int | None) -> str:
    shown = _megapixels(settings.IMAGE_MAX_PIXELS)
    what = f"This image is {width:,} × {height:,} pixels" if width else "This image is too large"
    return f"{what}; the limit is {shown} megapixels. Resize it and try again."


def _check_pixels(data: bytes) -> None:
    """Refuse an image over ``IMAGE_MAX_PIXELS`` from its header alone (nothing decoded)."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as probe:
                width, height = probe.size
    except Image.DecompressionBombError:
        raise DomainError(_pixel_limit_message(None, None), field="image") from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        return  # not an image: the full read below says so
    if width * height > settings.IMAGE_MAX_PIXELS:
        raise DomainError(_pixel_limit_message(width, height), field="image")


SRGB = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB"))
# what each format is written with; nothing of the upload's own metadata is passed on
SAVE_OPTIONS: dict[str, dict[str, Any]] = {
    "JPEG": {"quality": 90},
    "WEBP": {"quality": 90},
    "PNG": {},
    "GIF": {},
}


def _in_srgb(picture: Image.Image, icc: bytes) -> Image.Image:
    """The pixels converted from their embedded colour profile to sRGB (the web's default), so
    the profile can be dropped without the colours shifting; unchanged if it cannot be read."""
    try:
        source = ImageCms.ImageCmsProfile(io.BytesIO(icc))
        converted = ImageCms.profileToProfile(picture, source, SRGB, outputMode=picture.mode)
    except (ImageCms.PyCMSError, OSError, ValueError, TypeError):
        return picture
    return converted or picture


def _clean_frame(frame: Image.Image) -> Image.Image:
    """A copy of one frame's pixels, upright, in sRGB, carrying none of the file's metadata
    (EXIF, XMP, text chunks, comments, colour profile): only its transparency is kept."""
    upright = ImageOps.exif_transpose(frame)  # always a copy
    icc = frame.info.get("icc_profile")
    if icc and upright.mode in ("RGB", "RGBA"):
        upright = _in_srgb(upright, icc)
    upright.info = {k: frame.info[k] for k in ("transparency",) if k in frame.info}
    return upright


def _check_frames(picture: Image.Image) -> int:
    """The number of frames; an animation is held whole while it is re-encoded, so the pixel
    limit counts every frame."""
    frames = getattr(picture, "n_frames", 1)
    width, height = picture.size
    if frames > 1 and frames * width * height > settings.IMAGE_MAX_PIXELS:
        raise DomainError(
            f"This animation has {frames:,} frames of {width:,} × {height:,} pixels "
            f"({_megapixels(frames * width * height)} megapixels in all); the limit is "
            f"{_megapixels(settings.IMAGE_MAX_PIXELS)} megapixels. Shorten or shrink it and "
            "try again.",
            field="image",
        )
    return frames


def _reencoded(picture: Image.Image) -> tuple[bytes, Image.Image]:
    """The image written anew in its own format from its pixels alone (orientation applied,
    every frame and its timing kept for an animation), and its clean first frame."""
    fmt = picture.format
    if _check_frames(picture) == 1:
        frames = [_clean_frame(picture)]
        durations: list[int] = []
    else:
        frames, durations = [], []
        for frame in ImageSequence.Iterator(picture):
            durations.append(int(frame.info.get("duration") or 0))
            frames.append(_clean_frame(frame))
    options = dict(SAVE_OPTIONS[fmt])
    if len(frames) > 1:
        options.update(save_all=True, append_images=frames[1:], duration=durations)
        if picture.info.get("loop") is not None or fmt != "GIF":
            options["loop"] = picture.info.get("loop", 0)
    out = io.BytesIO()
    frames[0].save(out, format=fmt, **options)
    return out.getvalue(), frames[0]


def _read_image(upload) -> tuple[bytes, str, Any]:
    size = getattr(upload, "size", None)
    if size is not None and size > IMAGE_MAX_BYTES:
        raise DomainError(
            f"The image is {size / 1024 / 1024:.1f} MB; the limit is "
            f"{IMAGE_MAX_BYTES // 1024 // 1024} MB.",
            field="image",
        )
    data = upload.read()
    if len(data) > IMAGE_MAX_BYTES:
        raise DomainError(
            f"The image is larger than {IMAGE_MAX_BYTES // 1024 // 1024} MB.", field="image"
        )
    _check_pixels(data)
    try:
        with Image.open(io.BytesIO(data)) as probe:
            probe.verify()
        picture = Image.open(io.BytesIO(data))
        picture.load()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise DomainError(
            "This file is not an image we can read; upload a JPEG, PNG, WebP or GIF.",
            field="image",
        ) from None
    if picture.format not in IMAGE_FORMATS:
        raise DomainError(
            f"{picture.format} images are not supported; upload a JPEG, PNG, WebP or GIF.",
            field="image",
        )
    extension = IMAGE_FORMATS[picture.format]
    data, picture = _reencoded(picture)
    return data, extension, picture


def _thumbnail(picture) -> tuple[bytes, str]:
    thumb = picture.copy()
    if thumb.mode not in ("RGB", "RGBA"):
        alpha = "transparency" in thumb.info or thumb.mode in ("LA", "PA")
        thumb = thumb.convert("RGBA" if alpha else "RGB")
    thumb.thumbnail(THUMBNAIL_SIZE)
    out = io.BytesIO()
    thumb.save(out, format="PNG" if thumb.mode == "RGBA" else "JPEG", quality=85)
    return out.getvalue(), ("png" if thumb.mode == "RGBA" else "jpg")


@transaction.atomic
def image_add(*, store: Store, actor, product: Product, upload, alt_text: str = "") -> ProductImage:
    """Attach an uploaded image (JPEG/PNG/WebP/GIF, up to 10 MB) and make its thumbnail."""
    product = _lock_product(store, product)
    alt_text = inputs.line(alt_text, field="alt_text", label="alt text")
    data, extension, picture = _read_image(upload)
    thumb_data, thumb_extension = _thumbnail(picture)
    stem = slugify(os.path.splitext(getattr(upload, "name", "") or "")[0])[:60] or "image"
    position = ProductImage.objects.for_store(store).filter(product=product).count()
    image = ProductImage(store=store, product=product, alt_text=alt_text, position=position)
    image.image.save(f"{stem}.{extension}", ContentFile(data), save=False)
    image.thumbnail.save(f"{stem}-thumb.{thumb_extension}", ContentFile(thumb_data), save=False)
    image.save()
    audit_record(
        store=store,
        actor=actor,
        action="product.image_added",
        target=product,
        changes={"image": [None, image.image.name]},
    )
    return image


def _image_for(store: Store, product: Product, image: ProductImage | int) -> ProductImage:
    pk = image.pk if isinstance(image, ProductImage) else image
    found = ProductImage.objects.for_store(store).filter(product=product, pk=pk).first()
    if found is None:
        raise NotFound("This image does not exist on this product.", field="image")
    return found


@transaction.atomic
def image_update(
    *, store: Store, actor, product: Product, image: ProductImage | int, alt_text: str
) -> ProductImage:
    image = _image_for(store, product, image)
    alt_text = inputs.line(alt_text, field="alt_text", label="alt text")
    if alt_text != image.alt_text:
        old = image.alt_text
        image.alt_text = alt_text
        image.save(update_fields=["alt_text", "updated_at"])
        audit_record(
            store=store,
            actor=actor,
            action="product.image_updated",
            target=product,
            changes={"alt_text": [old, alt_text]},
        )
    return image


@transaction.atomic
def image_reorder(*, store: Store, actor, product: Product, image_ids: Sequence[int]) -> None:
    """Put the product's images in the order of ``image_ids`` (every image, once)."""
    product = _lock_product(store, product)
    images = {i.pk: i for i in ProductImage.objects.for_store(store).filter(product=product)}
    try:
        ordered_ids = [int(pk) for pk in image_ids]
    except (TypeError, ValueError):
        raise DomainError("The image order lists an unknown image.", field="image_ids") from None
    if sorted(ordered_ids) != sorted(images):
        raise DomainError(
            "The new order must list each of the product's images exactly once.",
            field="image_ids",
        )
    before = [i.pk for i in sorted(images.values(), key=lambda i: (i.position, i.pk))]
    for position, pk in enumerate(ordered_ids):
        images[pk].position = position
    ProductImage.objects.bulk_update(images.values(), ["position"])
    if before != ordered_ids:
        audit_record(
            store=store,
            actor=actor,
            action="product.images_reordered",
            target=product,
            changes={"images": [before, ordered_ids]},
        )


@transaction.atomic
def image_move(
    *, store: Store, actor, product: Product, image: ProductImage | int, direction: str
) -> None:
    """Move one image a place earlier (``up``) or later (``down``)."""
    image = _image_for(store, product, image)
    ids = list(
        ProductImage.objects.for_store(store)
        .filter(product=product)
        .order_by("position", "id")
        .values_list("pk", flat=True)
    )
    index = ids.index(image.pk)
    target = index - 1 if direction == "up" else index + 1
    if direction not in {"up", "down"} or not 0 <= target < len(ids):
        return
    ids[index], ids[target] = ids[target], ids[index]
    image_reorder(store=store, actor=actor, product=product, image_ids=ids)


@transaction.atomic
def image_delete(*, store: Store, actor, product: Product, image: ProductImage | int) -> None:
    image = _image_for(store, product, image)
    audit_record(
        store=store,
        actor=actor,
        action="product.image_removed",
        target=product,
        changes={"image": [image.image.name, None]},
    )
    image.delete()
    transaction.on_commit(lambda: _delete_files(image))
    remaining = list(
        ProductImage.objects.for_store(store).filter(product=product).order_by("position", "id")
    )
    for position, other in enumerate(remaining):
        other.position = position
    ProductImage.objects.bulk_update(remaining, ["position"])
