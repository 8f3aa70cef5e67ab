"""What the partner-groups and product-groups endpoints share: the serializer, item counts, rename/move."""

from __future__ import annotations

from django.db import transaction
from django.db.models import F, Func, IntegerField, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from sdelka.core.api.serializers import ServiceModelSerializer
from sdelka.core.api.viewsets import HistoryMixin, ServiceViewSet


def _count(items: QuerySet) -> Coalesce:
    """A correlated ``SELECT COUNT(id)`` over ``items`` (no GROUP BY: one row for every group)."""
    counted = (
        items.order_by()
        .annotate(counted=Func(F("pk"), function="COUNT", output_field=IntegerField()))
        .values("counted")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def with_item_counts(groups: QuerySet, items: QuerySet) -> QuerySet:
    """Annotate each group with ``item_count`` (its own items) and ``total_count`` (with subgroups).

    ``items`` is what the caller can see, so the counts never include another team's records; counting
    happens in the database in the same query as the groups.
    """
    return groups.annotate(
        item_count=_count(items.filter(group=OuterRef("pk"))),
        total_count=_count(items.filter(group__path__startswith=OuterRef("path"))),
    )


class CatalogGroupSerializer(ServiceModelSerializer):
    path = serializers.CharField(read_only=True, help_text=_("Ids from the top group down: “/3/17/”."))
    depth = serializers.IntegerField(read_only=True, help_text=_("0 for a top-level group."))
    item_count = serializers.IntegerField(read_only=True, help_text=_("Items in this group itself."))
    total_count = serializers.IntegerField(read_only=True, help_text=_("Items here and in all subgroups."))

    class Meta:
        fields = ["id", "name", "parent", "path", "depth", "item_count", "total_count"]
        extra_kwargs = {"parent": {"required": False, "allow_null": True}}


class CatalogGroupViewSet(HistoryMixin, ServiceViewSet):
    """A group is created with a name and a parent; changing ``parent`` moves it with its subtree."""

    search_fields = ["name"]
    ordering_fields = ["name", "path", "id"]
    filterset_fields = ["parent"]

    def group_rename(self, group, *, actor, name: str):
        raise NotImplementedError

    def group_move(self, group, *, actor, parent):
        raise NotImplementedError

    def update_record(self, instance, *, actor, data: dict):
        with transaction.atomic():
            if "name" in data and data["name"] != instance.name:
                instance = self.group_rename(instance, actor=actor, name=data["name"])
            if "parent" in data and data["parent"] != instance.parent:
                instance = self.group_move(instance, actor=actor, parent=data["parent"])
        return instance
