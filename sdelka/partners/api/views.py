"""Partners, counterparties, contact persons, individuals and partner groups over the API."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from sdelka.accounts.permissions import CHANGE
from sdelka.core.api.groups import CatalogGroupViewSet, with_item_counts
from sdelka.core.api.serializers import MovedSerializer
from sdelka.core.api.viewsets import HistoryMixin, ServiceViewSet
from sdelka.partners import selectors, services
from sdelka.partners.filters import ContactPersonFilter, CounterpartyFilter, IndividualFilter, PartnerFilter
from sdelka.partners.models import ContactPerson, Counterparty, Individual, Partner, PartnerGroup

from .serializers import (
    ContactPersonSerializer,
    CounterpartyErrorSerializer,
    CounterpartySerializer,
    IndividualSerializer,
    PartnerGroupSerializer,
    PartnerSerializer,
    PartnersMoveSerializer,
)


def _visible_partners(request):
    """The partner filter of related lists offers only the caller's partners (another's is "not found")."""
    if request is None or not request.user.is_authenticated:
        return Partner.objects.none()
    return selectors.partner_list(user=request.user)


class ScopedCounterpartyFilter(CounterpartyFilter):
    partner = filters.ModelChoiceFilter(queryset=_visible_partners, label=_("Partner"))


class ScopedContactPersonFilter(ContactPersonFilter):
    partner = filters.ModelChoiceFilter(queryset=_visible_partners, label=_("Partner"))


class PartnerViewSet(HistoryMixin, ServiceViewSet):
    """Partners (clients, suppliers, competitors…) the caller is responsible for, or all for a marketer/admin.

    Filter with the list page's filters (``group`` with ``include_subgroups``, ``manager``, ``tag``, ``q``…),
    ``search`` by name, region or address, and ``ordering``.
    """

    queryset = Partner.objects.none()
    serializer_class = PartnerSerializer
    permission_resource = "partner"
    action_rights = {"move_to_group": CHANGE}
    filterset_class = PartnerFilter
    search_fields = ["name", "region", "address"]
    ordering_fields = ["name", "region", "created_at", "updated_at", "id"]

    def select(self, *, user):
        return selectors.partner_list(user=user)

    def create_record(self, *, actor, data):
        data.setdefault("manager", actor)
        return services.partner_create(actor=actor, data=data)

    def update_record(self, instance, *, actor, data):
        return services.partner_update(actor=actor, partner=instance, data=data)

    def delete_record(self, instance, *, actor):
        services.partner_delete(actor=actor, partner=instance)

    @extend_schema(
        summary="Move partners to a group",
        description="Puts each listed partner into the group (null: out of every group).",
        request=PartnersMoveSerializer,
        responses=MovedSerializer,
    )
    @action(
        detail=False,
        methods=["post"],
        url_path="move-to-group",
        pagination_class=None,
        filter_backends=[],
        serializer_class=PartnersMoveSerializer,
    )
    def move_to_group(self, request: Request) -> Response:
        given = self.get_serializer(data=request.data)
        given.is_valid(raise_exception=True)
        moved = services.partners_move_to_group(
            actor=request.user, partners=given.validated_data["partners"], group=given.validated_data["group"]
        )
        return Response(MovedSerializer({"moved": moved}).data)


@extend_schema_view(
    create=extend_schema(
        responses={
            201: CounterpartySerializer,
            400: OpenApiResponse(
                CounterpartyErrorSerializer,
                description="Messages by field name; a tax id that exists already adds `duplicates`.",
            ),
        }
    )
)
class CounterpartyViewSet(HistoryMixin, ServiceViewSet):
    """Legal entities of the caller's partners. A second counterparty with the same INN/BIN needs
    ``allow_duplicate: true``; without it the answer is 400 with the ``duplicates`` found."""

    queryset = Counterparty.objects.none()
    serializer_class = CounterpartySerializer
    permission_resource = "counterparty"
    filterset_class = ScopedCounterpartyFilter
    search_fields = ["name", "full_name", "inn", "bin", "tax_number"]
    ordering_fields = ["name", "inn", "created_at", "id"]

    def select(self, *, user):
        return selectors.counterparty_list(user=user)

    def create_record(self, *, actor, data):
        allow_duplicate = data.pop("allow_duplicate", False)
        return services.counterparty_create(actor=actor, data=data, allow_duplicate=allow_duplicate)

    def update_record(self, instance, *, actor, data):
        data.pop("allow_duplicate", None)
        return services.counterparty_update(actor=actor, counterparty=instance, data=data)

    def delete_record(self, instance, *, actor):
        services.counterparty_delete(actor=actor, counterparty=instance)

    def describe_duplicates(self, existing) -> list[dict]:
        """Duplicates may be another team's: their partner is told only when the caller sees it."""
        visible = set(
            selectors.partner_list(user=self.request.user)
            .filter(pk__in=[record.partner_id for record in existing])
            .values_list("pk", flat=True)
        )
        described = []
        for record in existing:
            item = {"id": record.pk, "name": record.name}
            if record.partner_id in visible:
                item["partner"] = record.partner_id
            described.append(item)
        return described


class ContactPersonViewSet(HistoryMixin, ServiceViewSet):
    """Contact persons of the caller's partners."""

    queryset = ContactPerson.objects.none()
    serializer_class = ContactPersonSerializer
    permission_resource = "contact"
    filterset_class = ScopedContactPersonFilter
    search_fields = ["name", "position"]
    ordering_fields = ["name", "position", "birthday", "created_at", "id"]

    def select(self, *, user):
        return selectors.contact_person_list(user=user)

    def create_record(self, *, actor, data):
        return services.contact_person_create(actor=actor, data=data)

    def update_record(self, instance, *, actor, data):
        return services.contact_person_update(actor=actor, contact=instance, data=data)

    def delete_record(self, instance, *, actor):
        services.contact_person_delete(actor=actor, contact=instance)


class IndividualViewSet(HistoryMixin, ServiceViewSet):
    """Private persons known to the company."""

    queryset = Individual.objects.none()
    serializer_class = IndividualSerializer
    permission_resource = "individual"
    filterset_class = IndividualFilter
    search_fields = ["name", "inn"]
    ordering_fields = ["name", "birthday", "created_at", "id"]

    def select(self, *, user):
        return selectors.individual_list(user=user)

    def create_record(self, *, actor, data):
        return services.individual_create(actor=actor, data=data)

    def update_record(self, instance, *, actor, data):
        return services.individual_update(actor=actor, individual=instance, data=data)

    def delete_record(self, instance, *, actor):
        services.individual_delete(actor=actor, individual=instance)


class PartnerGroupViewSet(CatalogGroupViewSet):
    """Groups of the partners catalog, with the number of the caller's partners in each.

    Changing ``parent`` moves the group with its subgroups; a move into its own subgroup is refused.
    """

    queryset = PartnerGroup.objects.none()
    serializer_class = PartnerGroupSerializer
    permission_resource = "partner_group"

    def select(self, *, user):
        return with_item_counts(selectors.partner_group_list(), selectors.partner_list(user=user))

    def create_record(self, *, actor, data):
        return services.partner_group_create(actor=actor, name=data["name"], parent=data.get("parent"))

    def group_rename(self, group, *, actor, name):
        return services.partner_group_rename(actor=actor, group=group, name=name)

    def group_move(self, group, *, actor, parent):
        return services.partner_group_move(actor=actor, group=group, parent=parent)

    def delete_record(self, instance, *, actor):
        services.partner_group_delete(actor=actor, group=instance)
