"""Serializer bases shared by every app's API, and the shapes of history entries and errors."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from sdelka.core.api.fields import PrimaryKeyField, StrictCharField


class ServiceModelSerializer(serializers.ModelSerializer):
    """A model serializer that only *validates* input (types, lengths, choices, ids); it never saves.

    The view hands ``validated_data`` to a service, which applies the domain rules and writes.
    Strings are strict (a number is not a name) and related ids answer "not found" when unknown.
    """

    serializer_field_mapping = {
        **serializers.ModelSerializer.serializer_field_mapping,
        models.CharField: StrictCharField,
        models.TextField: StrictCharField,
    }
    serializer_related_field = PrimaryKeyField

    def create(self, validated_data):  # pragma: no cover - a programming error, not a user's
        raise NotImplementedError("Writes go through services: see ServiceViewSet.perform_create.")

    def update(self, instance, validated_data):  # pragma: no cover
        raise NotImplementedError("Writes go through services: see ServiceViewSet.perform_update.")


class HistoryValueField(serializers.JSONField):
    """A value as ``history_for`` gives it, in the API's JSON: money as a decimal string, dates in ISO."""

    def to_representation(self, value):
        if isinstance(value, Decimal):
            return str(value)
        if isinstance(value, date):  # datetimes too
            return value.isoformat()
        return super().to_representation(value)


class FieldChangeSerializer(serializers.Serializer):
    field = serializers.CharField(help_text=_("Field name, as in the API."))
    label = serializers.CharField(help_text=_("Field name, as the pages show it."))
    old = HistoryValueField(allow_null=True, help_text=_("Value before the change (shown as text)."))
    new = HistoryValueField(allow_null=True, help_text=_("Value after the change (shown as text)."))


class HistoryEntrySerializer(serializers.Serializer):
    """One entry of ``sdelka.core.history.history_for``."""

    id = serializers.IntegerField()
    at = serializers.DateTimeField()
    user = serializers.IntegerField(source="user_id", allow_null=True, help_text=_("Who changed it."))
    user_name = serializers.CharField()
    change_type = serializers.CharField(help_text=_("“+” created, “~” changed, “-” deleted."))
    change_label = serializers.CharField()
    changes = FieldChangeSerializer(many=True)


class MovedSerializer(serializers.Serializer):
    moved = serializers.IntegerField(help_text=_("How many records changed their group."))


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField()
