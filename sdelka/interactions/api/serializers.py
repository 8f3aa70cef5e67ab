"""Input and output of the interactions API. Serializers check types, lengths, choices and ids; services the rules."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from sdelka.accounts.models import User
from sdelka.core.api.fields import MAX_ID, EmailListField, PrimaryKeyField, ScopedPrimaryKeyField
from sdelka.core.api.serializers import ServiceModelSerializer
from sdelka.documents import selectors as document_selectors
from sdelka.documents.models import Quote
from sdelka.interactions import subjects
from sdelka.interactions.models import Interaction
from sdelka.partners import selectors as partner_selectors
from sdelka.partners.models import ContactPerson, Partner


def _quotes(*, user):
    return document_selectors.document_list(Quote, user=user)


class InteractionSerializer(ServiceModelSerializer):
    """An interaction. ``subject_type`` + ``subject_id`` name what it is about (a deal, a document or another
    interaction); the partner may be left out when the subject has one."""

    partner = ScopedPrimaryKeyField(
        queryset=Partner.objects.all(),
        select=partner_selectors.partner_list,
        required=False,
        help_text=_("Required unless the subject gives it."),
    )
    contacts = ScopedPrimaryKeyField(
        queryset=ContactPerson.objects.all(),
        select=partner_selectors.contact_person_list,
        many=True,
        required=False,
        help_text=_("Contact persons of the partner."),
    )
    responsible = PrimaryKeyField(
        queryset=User.objects.all(), required=False, help_text=_("The caller when not given.")
    )
    subject_type = serializers.ChoiceField(
        choices=subjects.subject_choices(),
        required=False,
        allow_null=True,
        help_text=_("What the subject is."),
    )
    subject_id = serializers.IntegerField(min_value=1, max_value=MAX_ID, required=False, allow_null=True)
    subject_name = serializers.SerializerMethodField()
    deal = serializers.PrimaryKeyRelatedField(read_only=True, help_text=_("The deal the subject belongs to."))
    email_to = EmailListField(required=False)
    email_cc = EmailListField(required=False)
    attached_quote = ScopedPrimaryKeyField(
        queryset=Quote.objects.all(), select=_quotes, required=False, allow_null=True
    )
    partner_name = serializers.CharField(source="partner.name", read_only=True)

    class Meta:
        model = Interaction
        fields = [
            "id",
            "kind",
            "direction",
            "starts_at",
            "ends_at",
            "place",
            "duration_seconds",
            "topic",
            "text",
            "partner",
            "partner_name",
            "contacts",
            "responsible",
            "subject_type",
            "subject_id",
            "subject_name",
            "deal",
            "status",
            "reviewed",
            "review_after",
            "email_from",
            "email_to",
            "email_cc",
            "email_status",
            "email_error",
            "email_sent_at",
            "attached_quote",
            "attachment_language",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["email_error", "email_sent_at", "created_at", "updated_at"]
        extra_kwargs = {"starts_at": {"required": False}}

    def to_representation(self, instance):
        data = super().to_representation(instance)
        data["subject_type"] = subjects.key_of_content_type(instance.subject_type_id)
        return data

    def get_subject_name(self, instance) -> str | None:
        return str(instance.subject) if instance.subject_id and instance.subject else None

    def validate(self, attrs):
        attrs = super().validate(attrs)
        has_type, has_id = "subject_type" in attrs, "subject_id" in attrs
        if has_type or has_id:
            key, pk = attrs.pop("subject_type", None), attrs.pop("subject_id", None)
            if key is None and pk is None:
                attrs["subject"] = None
            elif key is None or pk is None:
                raise serializers.ValidationError(
                    {"subject_id": _("Give both the subject's type and its id, or neither.")}
                )
            else:
                found = subjects.find_subject(user=self.context["request"].user, key=key, pk=pk)
                if found is None:
                    raise serializers.ValidationError({"subject_id": _("The subject is not found.")})
                attrs["subject"] = found
        return attrs


class ReviewedSerializer(serializers.Serializer):
    reviewed = serializers.BooleanField(
        default=True, help_text=_("False puts it back in the list to review.")
    )
