"""Input and output of the partners API. Serializers check types, lengths, choices and ids; services the rules."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from sdelka.accounts.models import User
from sdelka.core.api.fields import (
    EmailListField,
    IdListField,
    PhoneListField,
    PrimaryKeyField,
    ScopedPrimaryKeyField,
    StringListField,
)
from sdelka.core.api.groups import CatalogGroupSerializer
from sdelka.core.api.serializers import ServiceModelSerializer
from sdelka.marketing.api.fields import PrimaryInterestSourceField, primary_interest_channel_field
from sdelka.partners import selectors
from sdelka.partners.models import ContactPerson, Counterparty, Individual, Partner, PartnerGroup


def _visible_partner_field(**kwargs) -> ScopedPrimaryKeyField:
    """A partner id the caller can see; another team's partner is "not found"."""
    return ScopedPrimaryKeyField(queryset=Partner.objects.all(), select=selectors.partner_list, **kwargs)


class PartnerSerializer(ServiceModelSerializer):
    group = PrimaryKeyField(queryset=PartnerGroup.objects.all(), allow_null=True, required=False)
    manager = PrimaryKeyField(
        queryset=User.objects.all(),
        allow_null=True,
        required=False,
        help_text=_("The responsible manager; the caller when not given on creation."),
    )
    phones = PhoneListField(required=False)
    emails = EmailListField(required=False)
    tags = StringListField(item_max_length=50, required=False)
    primary_interest_channel = primary_interest_channel_field()
    primary_interest_source = PrimaryInterestSourceField()

    class Meta:
        model = Partner
        fields = [
            "id",
            "name",
            "kind",
            "is_client",
            "is_supplier",
            "is_competitor",
            "is_other",
            "group",
            "manager",
            "phones",
            "emails",
            "address",
            "region",
            "website",
            "comment",
            "tags",
            "primary_interest_channel",
            "primary_interest_source",
            "created_at",
            "updated_at",
        ]


class PartnersMoveSerializer(serializers.Serializer):
    partners = IdListField(help_text=_("Ids of the partners to move."))
    group = PrimaryKeyField(
        queryset=PartnerGroup.objects.all(), allow_null=True, help_text=_("The group; null: no group.")
    )

    def validate_partners(self, ids: list[int]) -> list[Partner]:
        """Every id must be a partner the caller sees; the ones that are not are named."""
        user = self.context["request"].user
        found = {partner.pk: partner for partner in selectors.partner_list(user=user).filter(pk__in=ids)}
        missing = [str(pk) for pk in dict.fromkeys(ids) if pk not in found]
        if missing:
            raise serializers.ValidationError(
                _("Not found: there are no partners with ids %(ids)s.") % {"ids": ", ".join(missing)}
            )
        return list(found.values())


class CounterpartySerializer(ServiceModelSerializer):
    partner = _visible_partner_field()
    allow_duplicate = serializers.BooleanField(
        write_only=True,
        default=False,
        help_text=_("Create it even when a counterparty with the same INN or BIN exists."),
    )

    class Meta:
        model = Counterparty
        fields = [
            "id",
            "partner",
            "name",
            "full_name",
            "legal_form",
            "country",
            "inn",
            "kpp",
            "ogrn",
            "bin",
            "tax_number",
            "legal_address",
            "bank_name",
            "bik",
            "bank_account",
            "correspondent_account",
            "allow_duplicate",
        ]


class DuplicateSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    partner = serializers.IntegerField(
        required=False, help_text=_("Given only when the caller sees the counterparty's partner.")
    )


class CounterpartyErrorSerializer(serializers.Serializer):
    """A refused counterparty: messages by field name, and the counterparties with the same tax id."""

    inn = serializers.ListField(child=serializers.CharField(), required=False)
    bin = serializers.ListField(child=serializers.CharField(), required=False)
    duplicates = DuplicateSerializer(many=True, required=False)


class ContactPersonSerializer(ServiceModelSerializer):
    partner = _visible_partner_field()
    phones = PhoneListField(required=False)
    emails = EmailListField(required=False)

    class Meta:
        model = ContactPerson
        fields = ["id", "partner", "name", "position", "phones", "emails", "birthday", "comment"]


class IndividualSerializer(ServiceModelSerializer):
    phones = PhoneListField(required=False)
    emails = EmailListField(required=False)

    class Meta:
        model = Individual
        fields = ["id", "name", "gender", "birthday", "inn", "phones", "emails", "address", "comment"]


class PartnerGroupSerializer(CatalogGroupSerializer):
    class Meta(CatalogGroupSerializer.Meta):
        model = PartnerGroup
