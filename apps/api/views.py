from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.reverse import reverse
from rest_framework.views import APIView

from apps.core.models import Store


class StoreSerializer(serializers.ModelSerializer):
    class Meta:
        model = Store
        fields = [
            "handle",
            "name",
            "currency",
            "timezone",
            "country",
            "publishable_key",
            "allowed_origins",
            "abandonment_window_minutes",
        ]
        read_only_fields = fields


class ApiRootView(APIView):
    """The admin API's entry point: the store you are acting for and the resources."""

    @extend_schema(
        responses=inline_serializer(
            "ApiRoot",
            {"store": serializers.CharField(), "resources": serializers.DictField()},
        )
    )
    def get(self, request: Request) -> Response:
        return Response(
            {
                "store": request.store.handle,
                "resources": {
                    "store": reverse("api:store", request=request),
                    "schema": reverse("schema", request=request),
                    "docs": reverse("swagger-ui", request=request),
                },
            }
        )


class StoreView(APIView):
    """The store the request acts for."""

    @extend_schema(responses=StoreSerializer)
    def get(self, request: Request) -> Response:
        return Response(StoreSerializer(request.store).data)
