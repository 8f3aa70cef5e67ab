"""The web-to-lead settings over the API: forms (``lead-forms``), UTM mappings (``utm-mappings``) and the
read-only log of requests (``lead-submissions``). Marketers keep and read them; other roles get 403."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import mixins, serializers, viewsets
from rest_framework.permissions import IsAuthenticated

from sdelka.accounts.models import User
from sdelka.core.api.fields import PrimaryKeyField
from sdelka.core.api.permissions import RolePermission
from sdelka.core.api.serializers import ServiceModelSerializer
from sdelka.core.api.viewsets import HistoryMixin, ServiceViewSet
from sdelka.deals.models import DealKind
from sdelka.marketing import weblead as services
from sdelka.marketing import weblead_selectors as selectors
from sdelka.marketing.models import AdChannel, MarketingEvent
from sdelka.marketing.weblead_models import LeadForm, LeadSubmission, UtmMapping


class LeadFormSerializer(ServiceModelSerializer):
    deal_kind = PrimaryKeyField(queryset=DealKind.objects.all())
    manager = PrimaryKeyField(
        queryset=User.objects.all(), help_text=_("New clients and their deals go to them.")
    )
    default_channel = PrimaryKeyField(queryset=AdChannel.objects.all(), allow_null=True, required=False)
    token = serializers.CharField(read_only=True, help_text=_("The public page is /lead/{token}/."))
    submission_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = LeadForm
        fields = [
            "id",
            "name",
            "token",
            "active",
            "deal_kind",
            "manager",
            "default_channel",
            "title",
            "consent_text",
            "thank_you_text",
            "allowed_origins",
            "submission_count",
            "created_at",
            "updated_at",
        ]


class UtmMappingSerializer(ServiceModelSerializer):
    form = PrimaryKeyField(
        queryset=LeadForm.objects.all(), allow_null=True, required=False, help_text=_("null: every form.")
    )
    channel = PrimaryKeyField(queryset=AdChannel.objects.all())
    event = PrimaryKeyField(queryset=MarketingEvent.objects.all(), allow_null=True, required=False)

    class Meta:
        model = UtmMapping
        fields = ["id", "form", "utm_source", "utm_medium", "utm_campaign", "channel", "event"]
        # The service refuses a duplicate, ignoring case; DRF's own check would make ``form`` required.
        validators: list = []


class LeadSubmissionSerializer(serializers.ModelSerializer):
    data = serializers.DictField(
        child=serializers.CharField(), help_text=_("What the visitor sent, with the visit's UTM tags.")
    )

    class Meta:
        model = LeadSubmission
        fields = ["id", "form", "created_at", "ip_address", "data", "outcome", "partner", "contact", "deal"]
        read_only_fields = fields


class LeadFormViewSet(HistoryMixin, ServiceViewSet):
    """Public request forms: each has its page at /lead/{token}/. A form that has received requests is not
    deleted (400): switch it off (``active: false``) to keep its log."""

    queryset = LeadForm.objects.none()
    serializer_class = LeadFormSerializer
    permission_resource = services.RESOURCE
    filterset_fields = ["active", "manager", "deal_kind"]
    search_fields = ["name"]
    ordering_fields = ["name", "created_at", "id"]

    def select(self, *, user):
        return selectors.lead_form_list().order_by("name", "id")

    def create_record(self, *, actor, data):
        return services.lead_form_create(actor=actor, data=data)

    def update_record(self, instance, *, actor, data):
        return services.lead_form_update(actor=actor, form=instance, data=data)

    def delete_record(self, instance, *, actor):
        services.lead_form_delete(actor=actor, form=instance)


class UtmMappingViewSet(ServiceViewSet):
    """Which channel (and event) a visit's UTM tags mean; blank values match anything, the most specific
    matching mapping wins."""

    queryset = UtmMapping.objects.none()
    serializer_class = UtmMappingSerializer
    permission_resource = services.RESOURCE
    filterset_fields = ["form", "channel"]
    ordering_fields = ["id"]

    def select(self, *, user):
        return selectors.utm_mapping_list().order_by("id")

    def create_record(self, *, actor, data):
        return services.utm_mapping_create(actor=actor, data=data)

    def update_record(self, instance, *, actor, data):
        return services.utm_mapping_update(actor=actor, mapping=instance, data=data)

    def delete_record(self, instance, *, actor):
        services.utm_mapping_delete(actor=actor, mapping=instance)


class LeadSubmissionViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """The log of requests sent through the forms: created a client, matched an existing one, or spam."""

    queryset = LeadSubmission.objects.none()
    serializer_class = LeadSubmissionSerializer
    permission_classes = [IsAuthenticated, RolePermission]
    permission_resource = services.RESOURCE
    filterset_fields = ["form", "outcome", "partner"]
    ordering_fields = ["created_at", "id"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return self.queryset
        return LeadSubmission.objects.order_by("-created_at", "-id")


def register(router) -> None:
    """The web-to-lead resources, on the marketing API's router."""
    router.register("lead-forms", LeadFormViewSet, basename="lead-forms")
    router.register("utm-mappings", UtmMappingViewSet, basename="utm-mappings")
    router.register("lead-submissions", LeadSubmissionViewSet, basename="lead-submissions")
