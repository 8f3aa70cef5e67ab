"""Mass mailings over the API: drafts (CRUD), the preview, a test letter, sending, cancelling and the
recipients' results. Everyone reads; marketers and administrators change, send and cancel."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from sdelka.accounts.permissions import CHANGE, VIEW
from sdelka.core.api.fields import ScopedPrimaryKeyField
from sdelka.core.api.serializers import ServiceModelSerializer
from sdelka.core.api.viewsets import HistoryMixin, ServiceViewSet
from sdelka.marketing import mailing_selectors as selectors
from sdelka.marketing import mailings as services
from sdelka.marketing.mailing_models import Mailing, MailingRecipient, MailingRecipientStatus
from sdelka.partners import selectors as partner_selectors
from sdelka.partners.models import ContactPerson


class MailingSerializer(ServiceModelSerializer):
    class Meta:
        model = Mailing
        fields = [
            "id",
            "name",
            "email_template",
            "segment",
            "status",
            "created_by",
            "created_at",
            "started_at",
            "finished_at",
            "total_count",
            "sent_count",
            "failed_count",
            "skipped_count",
        ]
        read_only_fields = [
            "status",
            "created_by",
            "created_at",
            "started_at",
            "finished_at",
            "total_count",
            "sent_count",
            "failed_count",
            "skipped_count",
        ]


class RecipientChoiceSerializer(serializers.Serializer):
    contact = ScopedPrimaryKeyField(
        queryset=ContactPerson.objects.all(),
        select=partner_selectors.contact_person_list,
        required=False,
        allow_null=True,
        help_text=_("The contact person whose letter to show; the first recipient when not given."),
    )


class PreviewSerializer(serializers.Serializer):
    partner = serializers.IntegerField(source="partner.pk")
    contact = serializers.IntegerField(source="contact.pk")
    email = serializers.EmailField()
    subject = serializers.CharField()
    body = serializers.CharField()


class TestSentSerializer(serializers.Serializer):
    email = serializers.EmailField(help_text=_("The caller's address the test letter went to."))


class RecipientSerializer(serializers.ModelSerializer):
    class Meta:
        model = MailingRecipient
        fields = ["id", "partner", "contact", "email", "status", "error", "interaction", "sent_at"]


class MailingViewSet(HistoryMixin, ServiceViewSet):
    """Mailings of an e-mail template to the contact persons of a segment's partners (the first e-mail of
    each, one letter per distinct address). Only a draft is changed or deleted.

    ``send`` takes the snapshot of the recipients (unsubscribed addresses are skipped) and hands the
    mailing to the worker, which sends it in batches and records every letter as an outgoing e-mail
    interaction; a worker stopped mid-way never sends anyone a letter twice. ``cancel`` stops the letters
    not yet sent.
    """

    queryset = Mailing.objects.none()
    serializer_class = MailingSerializer
    permission_resource = "mailing"
    action_rights = {"preview": VIEW, "recipients": VIEW, "test": CHANGE, "send": CHANGE, "cancel": CHANGE}
    search_fields = ["name"]
    ordering_fields = ["name", "created_at", "started_at", "id"]
    filterset_fields = ["status", "segment", "email_template"]

    def select(self, *, user):
        return selectors.mailing_list().order_by("-created_at", "-id")

    def create_record(self, *, actor, data):
        return services.mailing_create(actor=actor, data=data)

    def update_record(self, instance, *, actor, data):
        return services.mailing_update(actor=actor, mailing=instance, data=data)

    def delete_record(self, instance, *, actor):
        services.mailing_delete(actor=actor, mailing=instance)

    def _contact(self, request: Request):
        given = RecipientChoiceSerializer(data=request.data, context=self.get_serializer_context())
        given.is_valid(raise_exception=True)
        return given.validated_data.get("contact")

    @extend_schema(
        summary="The letter one recipient gets",
        description="Filled in for the chosen contact person (one the caller sees); 204 when nobody in "
        "the segment has an e-mail address.",
        request=RecipientChoiceSerializer,
        responses={200: PreviewSerializer, 204: None},
    )
    @action(detail=True, methods=["post"], filter_backends=[], pagination_class=None)
    def preview(self, request: Request, pk=None) -> Response:
        mailing = self.get_object()
        preview = services.mailing_preview(mailing=mailing, contact=self._contact(request), user=request.user)
        if preview is None:
            return Response(status=204)
        return Response(PreviewSerializer(preview).data)

    @extend_schema(
        summary="Send the preview letter to the caller's own address",
        description="Sent now through the site's mail settings and recorded nowhere; 400 when the caller "
        "has no e-mail address or the mail server refuses it.",
        request=RecipientChoiceSerializer,
        responses=TestSentSerializer,
    )
    @action(detail=True, methods=["post"], filter_backends=[], pagination_class=None)
    def test(self, request: Request, pk=None) -> Response:
        mailing = self.get_object()
        address = services.mailing_test_send(
            actor=request.user, mailing=mailing, contact=self._contact(request)
        )
        return Response({"email": address})

    @extend_schema(summary="Start sending a draft", request=None, responses=MailingSerializer)
    @action(detail=True, methods=["post"], filter_backends=[], pagination_class=None)
    def send(self, request: Request, pk=None) -> Response:
        mailing = services.mailing_start(actor=request.user, mailing=self.get_object())
        return Response(MailingSerializer(self.reread(mailing)).data)

    @extend_schema(
        summary="Cancel: the letters not yet sent are not sent", request=None, responses=MailingSerializer
    )
    @action(detail=True, methods=["post"], filter_backends=[], pagination_class=None)
    def cancel(self, request: Request, pk=None) -> Response:
        mailing = services.mailing_cancel(actor=request.user, mailing=self.get_object())
        return Response(MailingSerializer(self.reread(mailing)).data)

    @extend_schema(
        summary="Each recipient's result",
        description="Rows of the partners the caller sees: sent, failed with the reason, skipped as "
        "unsubscribed, cancelled, or unknown (its worker stopped while sending; never sent again).",
        parameters=[
            OpenApiParameter("status", enum=MailingRecipientStatus.values, required=False),
        ],
        responses=RecipientSerializer(many=True),
    )
    @action(detail=True, methods=["get"], filter_backends=[])
    def recipients(self, request: Request, pk=None) -> Response:
        mailing = self.get_object()
        status = request.query_params.get("status", "")
        if status and status not in MailingRecipientStatus.values:
            raise serializers.ValidationError({"status": _("Unknown status.")})
        rows = selectors.mailing_recipient_list(user=request.user, mailing=mailing, status=status)
        page = self.paginate_queryset(rows)
        return self.get_paginated_response(RecipientSerializer(page, many=True).data)
