"""E-mail templates over the API: CRUD (people who answer for outreach edit, everyone reads) and a preview."""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from sdelka.accounts.permissions import VIEW
from sdelka.claims.models import Claim
from sdelka.claims.selectors import claim_list
from sdelka.core.api.fields import ScopedPrimaryKeyField, StrictCharField
from sdelka.core.api.serializers import ErrorSerializer, ServiceModelSerializer
from sdelka.core.api.viewsets import HistoryMixin, ServiceViewSet
from sdelka.deals.models import Deal
from sdelka.deals.selectors import deal_list
from sdelka.documents.models import Quote
from sdelka.documents.selectors import document_list
from sdelka.interactions import email_templates, letters
from sdelka.interactions.models import EmailTemplate
from sdelka.partners import selectors as partner_selectors
from sdelka.partners.models import ContactPerson, Partner


def _quotes(*, user):
    return document_list(Quote, user=user)


class EmailTemplateSerializer(ServiceModelSerializer):
    language = serializers.ChoiceField(choices=settings.LANGUAGES, required=False)
    placeholders = serializers.SerializerMethodField()

    class Meta:
        model = EmailTemplate
        fields = ["id", "name", "subject", "body", "language", "is_active", "placeholders", "created_at"]
        read_only_fields = ["created_at"]

    def get_placeholders(self, template) -> list[str]:
        """The placeholders the template uses."""
        return letters.placeholders_used(f"{template.subject}\n{template.body}")


class TemplatePreviewSerializer(serializers.Serializer):
    subject = StrictCharField(max_length=255)
    body = StrictCharField(allow_blank=True)
    language = serializers.ChoiceField(choices=settings.LANGUAGES, required=False)
    deal = ScopedPrimaryKeyField(
        queryset=Deal.objects.all(), select=deal_list, required=False, allow_null=True
    )
    quote = ScopedPrimaryKeyField(
        queryset=Quote.objects.all(), select=_quotes, required=False, allow_null=True
    )
    claim = ScopedPrimaryKeyField(
        queryset=Claim.objects.all(), select=claim_list, required=False, allow_null=True
    )
    partner = ScopedPrimaryKeyField(
        queryset=Partner.objects.all(), select=partner_selectors.partner_list, required=False, allow_null=True
    )
    contact = ScopedPrimaryKeyField(
        queryset=ContactPerson.objects.all(),
        select=partner_selectors.contact_person_list,
        required=False,
        allow_null=True,
        help_text=_("Records to fill the placeholders from; with none, your latest deal."),
    )


class LetterSerializer(serializers.Serializer):
    subject = serializers.CharField()
    body = serializers.CharField()


class EmailTemplateViewSet(HistoryMixin, ServiceViewSet):
    """Letters with placeholders such as ``{{ partner.name }}`` for mailing rules and mailings.

    A template with an unknown or unclosed placeholder is refused (400) with the placeholder named.
    """

    queryset = EmailTemplate.objects.none()
    serializer_class = EmailTemplateSerializer
    permission_resource = "email_template"
    action_rights = {"preview": VIEW}
    search_fields = ["name", "subject"]
    ordering_fields = ["name", "created_at", "id"]

    def select(self, *, user):
        return EmailTemplate.objects.all()

    def create_record(self, *, actor, data):
        return email_templates.email_template_create(actor=actor, data=data)

    def update_record(self, instance, *, actor, data):
        return email_templates.email_template_update(actor=actor, template=instance, data=data)

    def delete_record(self, instance, *, actor):
        email_templates.email_template_delete(actor=actor, template=instance)

    @extend_schema(
        summary="The letter a template makes, filled from records you see",
        request=TemplatePreviewSerializer,
        responses={
            200: LetterSerializer,
            400: OpenApiResponse(ErrorSerializer, description="A bad placeholder, named."),
        },
    )
    @action(detail=False, methods=["post"], filter_backends=[], pagination_class=None)
    def preview(self, request: Request) -> Response:
        given = TemplatePreviewSerializer(data=request.data, context=self.get_serializer_context())
        given.is_valid(raise_exception=True)
        data = given.validated_data
        context = email_templates.preview_context(
            user=request.user,
            **{name: data.get(name) for name in ("deal", "quote", "claim", "contact", "partner")},
        )
        subject, body = email_templates.email_template_preview(
            subject=data["subject"],
            body=data["body"],
            language=data.get("language") or request.LANGUAGE_CODE,
            context=context,
        )
        return Response({"subject": subject, "body": body})
