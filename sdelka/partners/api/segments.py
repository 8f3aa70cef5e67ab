"""Segments over the API: CRUD with the rules as JSON (a bad rule → 400 naming the condition), the members
(those the caller sees), "evaluate now", and adding/removing partners of a manual segment."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from sdelka.accounts.permissions import CHANGE, VIEW
from sdelka.core.api.fields import IdListField
from sdelka.core.api.serializers import ErrorSerializer, ServiceModelSerializer
from sdelka.core.api.viewsets import HistoryMixin, ServiceViewSet
from sdelka.core.services import ensure_role_can
from sdelka.partners import selectors as partner_selectors
from sdelka.partners.api.serializers import PartnerSerializer
from sdelka.partners.models import Partner, Segment
from sdelka.partners.segments import selectors, services


class SegmentSerializer(ServiceModelSerializer):
    rules = serializers.JSONField(
        required=False,
        help_text=_(
            "A list of conditions {field, operator, value}; a bad one is refused naming its number. "
            "A manual segment has none."
        ),
    )
    partners = IdListField(
        write_only=True,
        required=False,
        help_text=_("On creating a manual segment: ids of its first partners (ones you see)."),
    )

    class Meta:
        model = Segment
        fields = [
            "id",
            "name",
            "description",
            "kind",
            "match",
            "rules",
            "partners",
            "member_count",
            "evaluated_at",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["member_count", "evaluated_at", "created_at", "updated_at"]

    def validate_partners(self, ids: list[int]) -> list[Partner]:
        return _visible_partners(self.context["request"].user, ids)


def _visible_partners(user, ids: list[int]) -> list[Partner]:
    found = {
        p.pk: p for p in partner_selectors.partner_list(user=user).prefetch_related(None).filter(pk__in=ids)
    }
    missing = [str(pk) for pk in dict.fromkeys(ids) if pk not in found]
    if missing:
        raise serializers.ValidationError(
            _("Not found: there are no partners with ids %(ids)s.") % {"ids": ", ".join(missing)}
        )
    return list(found.values())


class SegmentMembersChangeSerializer(serializers.Serializer):
    add = IdListField(required=False, help_text=_("Ids of partners to add."))
    remove = IdListField(required=False, help_text=_("Ids of partners to remove."))

    def validate_add(self, ids):
        return _visible_partners(self.context["request"].user, ids)

    def validate_remove(self, ids):
        return _visible_partners(self.context["request"].user, ids)

    def validate(self, attrs):
        if not attrs.get("add") and not attrs.get("remove"):
            raise serializers.ValidationError(_("Give the partners to add or to remove."))
        return attrs


class SegmentMembersChangedSerializer(serializers.Serializer):
    added = serializers.IntegerField()
    removed = serializers.IntegerField()
    member_count = serializers.IntegerField()


class EvaluatedSerializer(serializers.Serializer):
    member_count = serializers.IntegerField()
    evaluated_at = serializers.DateTimeField()


class SegmentViewSet(HistoryMixin, ServiceViewSet):
    """Named sets of partners: a list kept by hand, or the partners meeting rules (re-evaluated hourly)."""

    queryset = Segment.objects.none()
    serializer_class = SegmentSerializer
    permission_resource = "segment"
    action_rights = {"members": VIEW, "evaluate": CHANGE}
    search_fields = ["name", "description"]
    ordering_fields = ["name", "member_count", "evaluated_at", "created_at", "id"]

    def select(self, *, user):
        return selectors.segment_list()

    def create_record(self, *, actor, data):
        partners = data.pop("partners", [])
        return services.segment_create(actor=actor, data=data, partners=partners)

    def update_record(self, instance, *, actor, data):
        if "partners" in data:
            raise serializers.ValidationError(
                {"partners": [_("Change the members with POST …/members/ (add, remove).")]}
            )
        return services.segment_update(actor=actor, segment=instance, data=data)

    def delete_record(self, instance, *, actor):
        services.segment_delete(actor=actor, segment=instance)

    @extend_schema(
        methods=["GET"],
        summary="Members of the segment you can see",
        responses=PartnerSerializer(many=True),
    )
    @extend_schema(
        methods=["POST"],
        summary="Add or remove partners of a manual segment",
        request=SegmentMembersChangeSerializer,
        responses={
            200: SegmentMembersChangedSerializer,
            400: OpenApiResponse(ErrorSerializer, description="Unknown partners, or a segment by rules."),
        },
    )
    @action(detail=True, methods=["get", "post"], filter_backends=[])
    def members(self, request: Request, pk=None) -> Response:
        segment = self.get_object()
        if request.method == "POST":
            ensure_role_can(request.user, "change", "segment")  # before the ids are looked at
            given = SegmentMembersChangeSerializer(data=request.data, context=self.get_serializer_context())
            given.is_valid(raise_exception=True)
            added = removed = 0
            if given.validated_data.get("add"):
                added = services.segment_add_partners(
                    actor=request.user, segment=segment, partners=given.validated_data["add"]
                )
            if given.validated_data.get("remove"):
                removed = services.segment_remove_partners(
                    actor=request.user, segment=segment, partners=given.validated_data["remove"]
                )
            return Response({"added": added, "removed": removed, "member_count": segment.member_count})
        members = selectors.segment_members(user=request.user, segment=segment).order_by("name", "pk")
        page = self.paginate_queryset(members)
        context = self.get_serializer_context()
        if page is not None:
            return self.get_paginated_response(PartnerSerializer(page, many=True, context=context).data)
        return Response(PartnerSerializer(members, many=True, context=context).data)

    @extend_schema(
        summary="Evaluate a rule segment now",
        request=None,
        responses={
            200: EvaluatedSerializer,
            400: OpenApiResponse(ErrorSerializer, description="A manual segment."),
        },
    )
    @action(detail=True, methods=["post"], filter_backends=[], pagination_class=None)
    def evaluate(self, request: Request, pk=None) -> Response:
        segment = self.get_object()
        services.segment_evaluate_now(actor=request.user, segment=segment)
        return Response({"member_count": segment.member_count, "evaluated_at": segment.evaluated_at})
