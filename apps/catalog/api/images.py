"""Product images: upload (multipart; the thumbnail is made on upload) and delete."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from apps.api.errors import field_error_response, invalid_response
from apps.catalog import inputs, selectors, services
from apps.catalog.api.common import CatalogApiView, _validated
from apps.catalog.models import ProductImage
from apps.core.uploads import upload_was_stopped


class ImageOutputSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()
    thumbnail_url = serializers.SerializerMethodField()

    class Meta:
        model = ProductImage
        fields = ["id", "url", "thumbnail_url", "alt_text", "position"]

    def _absolute(self, file) -> str | None:
        if not file:
            return None
        request = self.context.get("request")
        return request.build_absolute_uri(file.url) if request else file.url

    def get_url(self, obj) -> str | None:
        return self._absolute(obj.image)

    def get_thumbnail_url(self, obj) -> str | None:
        return self._absolute(obj.thumbnail)


class ImageUploadSerializer(serializers.Serializer):
    image = serializers.FileField(help_text="JPEG, PNG, WebP or GIF, up to 10 MB.")
    alt_text = serializers.CharField(
        max_length=inputs.TEXT_LIMITS["alt_text"], required=False, allow_blank=True
    )


class ProductImageListView(CatalogApiView):
    """Upload an image to a product (multipart); the thumbnail is made on upload."""

    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(request=ImageUploadSerializer, responses={201: ImageOutputSerializer})
    def post(self, request: Request, product_id: int) -> Response:
        product = selectors.product_get(store=request.store, product_id=product_id)
        serializer = ImageUploadSerializer(data=request.data)
        if upload_was_stopped(request):  # the body passed the request limit while it was read
            return field_error_response(
                "image",
                f"The image is larger than {services.IMAGE_MAX_BYTES // 1024 // 1024} MB.",
                code="too_large",
                status=status.HTTP_413_REQUEST_ENTITY_TOO_LARGE,
            )
        data = _validated(serializer)
        if data is None:
            return invalid_response(serializer)
        image = services.image_add(
            store=request.store,
            actor=request.user,
            product=product,
            upload=data["image"],
            alt_text=data.get("alt_text", ""),
        )
        return Response(
            ImageOutputSerializer(image, context={"request": request}).data,
            status=status.HTTP_201_CREATED,
        )


class ProductImageDetailView(CatalogApiView):
    """Remove one image of a product."""

    @extend_schema(responses={204: None})
    def delete(self, request: Request, product_id: int, image_id: int) -> Response:
        product = selectors.product_get(store=request.store, product_id=product_id)
        services.image_delete(
            store=request.store, actor=request.user, product=product, image=image_id
        )
        return Response(status=status.HTTP_204_NO_CONTENT)
