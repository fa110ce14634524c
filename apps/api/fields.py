"""Serializer fields shared by the API's resources."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from rest_framework import serializers

from apps.core.exceptions import DomainError


class RuleField(serializers.Field):
    """An input checked by a pure rule function (value in, cleaned value out, ``DomainError``
    when refused), so the API gives the same verdict and message as the pages and imports."""

    def __init__(self, rule: Callable[[Any], Any], *, schema_type: str = "string", **kwargs):
        self.rule = rule
        self.schema_type = schema_type  # the OpenAPI type the schema shows
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        if isinstance(data, dict | list) and not getattr(self, "accepts_lists", False):
            raise serializers.ValidationError("Send a single value, not a list or an object.")
        try:
            return self.rule(data)
        except DomainError as error:
            raise serializers.ValidationError(error.message, code=error.code) from None

    def to_representation(self, value):
        return value


class RuleListField(RuleField):
    """A list input (e.g. tags) checked as a whole by a rule; a string is not a list."""

    accepts_lists = True

    def to_internal_value(self, data):
        if not isinstance(data, list):
            raise serializers.ValidationError("Send a list of strings.")
        return super().to_internal_value(data)


class RuleFieldSchema(OpenApiSerializerFieldExtension):
    """How the OpenAPI schema shows a rule field: its declared type (a list of strings for
    ``RuleListField``)."""

    target_class = RuleField
    match_subclasses = True

    def map_serializer_field(self, auto_schema, direction):
        if isinstance(self.target, RuleListField):
            return {"type": "array", "items": {"type": "string"}}
        return {"type": self.target.schema_type}
