"""A variant's stock: its history of movements and new stock adjustments."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from apps.api.errors import invalid_response
from apps.catalog import inputs, selectors, services
from apps.catalog.api.common import CatalogApiView, _validated
from apps.catalog.models import InventoryMovement, InventoryReason


class MovementOutputSerializer(serializers.ModelSerializer):
    actor = serializers.SerializerMethodField()

    class Meta:
        model = InventoryMovement
        fields = [
            "id",
            "variant",
            "delta",
            "quantity_after",
            "reason",
            "note",
            "actor",
            "created_at",
        ]
        read_only_fields = fields

    def get_actor(self, obj) -> str | None:
        return obj.actor.email if obj.actor else None


class StockAdjustmentSerializer(serializers.Serializer):
    delta = serializers.IntegerField()
    reason = serializers.ChoiceField(choices=InventoryReason.choices)
    note = serializers.CharField(
        max_length=inputs.TEXT_LIMITS["note"], required=False, allow_blank=True
    )


class VariantStockView(CatalogApiView):
    """The variant's stock history (GET) and a new stock adjustment (POST)."""

    @extend_schema(responses=MovementOutputSerializer(many=True))
    def get(self, request: Request, variant_id: int) -> Response:
        variant = selectors.variant_get(store=request.store, variant_id=variant_id)
        queryset = selectors.variant_movements(store=request.store, variant=variant)
        return self.paginate(request, queryset, MovementOutputSerializer)

    @extend_schema(request=StockAdjustmentSerializer, responses={201: MovementOutputSerializer})
    def post(self, request: Request, variant_id: int) -> Response:
        variant = selectors.variant_get(store=request.store, variant_id=variant_id)
        serializer = StockAdjustmentSerializer(data=request.data)
        data = _validated(serializer)
        if data is None:
            return invalid_response(serializer)
        movement = services.stock_adjust(
            store=request.store, actor=request.user, variant=variant, **data
        )
        return Response(MovementOutputSerializer(movement).data, status=status.HTTP_201_CREATED)
