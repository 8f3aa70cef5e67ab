"""The primary interest's source in the API: ``{"source_type": "partner", "id": 12}`` or null."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from sdelka.core.api.fields import MAX_ID, PrimaryKeyField
from sdelka.marketing.choices import SourceType
from sdelka.marketing.models import AdChannel


class SourceSerializer(serializers.Serializer):
    source_type = serializers.ChoiceField(
        choices=SourceType.choices, help_text=_("The channel's source type.")
    )
    id = serializers.IntegerField(min_value=1, max_value=MAX_ID)


@extend_schema_field(SourceSerializer(allow_null=True))
class PrimaryInterestSourceField(serializers.Field):
    """The source as a typed reference; a record the caller cannot see is "not found".

    Read from the stored ids only, so a list of partners or deals costs no query per record.
    """

    default_error_messages = {
        "invalid": _('Expected {"source_type": …, "id": …} or null.'),
        "not_found": _("Not found: there is no {type} with id {pk}."),
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("source", "*")
        kwargs.setdefault("required", False)
        kwargs.setdefault("allow_null", True)
        kwargs.setdefault(
            "help_text",
            _("The source of the primary interest: a record of the channel's source type, or null."),
        )
        super().__init__(**kwargs)

    def validate_empty_values(self, data):
        if data is None:
            return True, {"primary_interest_source": None}
        return super().validate_empty_values(data)

    def to_internal_value(self, data):
        from sdelka.marketing.forms import source_queryset

        given = SourceSerializer(data=data)
        if not isinstance(data, dict) or not given.is_valid():
            errors = given.errors if isinstance(data, dict) else None
            raise serializers.ValidationError(errors or self.error_messages["invalid"])
        source_type, pk = given.validated_data["source_type"], given.validated_data["id"]
        request = self.context.get("request")
        if request is None:
            raise serializers.ValidationError(self.error_messages["invalid"])
        record = source_queryset(source_type, user=request.user).filter(pk=pk).first()
        if record is None:
            self.fail("not_found", type=SourceType(source_type).label.lower(), pk=pk)
        return {"primary_interest_source": record}

    def to_representation(self, instance):
        from sdelka.marketing.interest import SOURCE_FIELDS

        for source_type, field in SOURCE_FIELDS.items():
            pk = getattr(instance, f"{field}_id", None)
            if pk:
                return {"source_type": source_type, "id": pk}
        return None


def primary_interest_channel_field() -> PrimaryKeyField:
    return PrimaryKeyField(
        queryset=AdChannel.objects.all(),
        allow_null=True,
        required=False,
        help_text=_("The advertising channel of the primary interest."),
    )
