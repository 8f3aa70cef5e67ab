"""Output serializers of the funnel, manager performance and KPI dashboard endpoints (read-only)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from sdelka.analytics.selectors.dashboard import DashboardScope


def _money(help_text: str = "", **kwargs) -> serializers.DecimalField:
    return serializers.DecimalField(
        max_digits=20, decimal_places=2, read_only=True, help_text=help_text, **kwargs
    )


def _percent(help_text: str = "") -> serializers.DecimalField:
    return serializers.DecimalField(
        max_digits=6, decimal_places=1, read_only=True, allow_null=True, help_text=help_text
    )


def _days(help_text: str = "") -> serializers.DecimalField:
    return serializers.DecimalField(
        max_digits=9, decimal_places=1, read_only=True, allow_null=True, help_text=help_text
    )


class PeriodSerializer(serializers.Serializer):
    date_from = serializers.DateField(source="start", read_only=True)
    date_to = serializers.DateField(source="end", read_only=True)


# --- funnel ------------------------------------------------------------------------------------------------


class FunnelStageSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(read_only=True)
    order = serializers.IntegerField(read_only=True)
    probability = serializers.IntegerField(read_only=True)
    reached = serializers.IntegerField(
        read_only=True, help_text=_("Deals that reached this stage or a later one.")
    )
    conversion = _percent(_("Of the deals that reached the previous stage (the first: of all), %."))
    conversion_from_start = _percent(_("Of the deals that reached the first stage, %."))
    average_days = _days(_("Average of the completed stays in the stage, days."))
    stays = serializers.IntegerField(
        read_only=True, help_text=_("Completed stays the average is taken over.")
    )
    in_progress = serializers.IntegerField(read_only=True)
    amount = _money(_("Expected amount of the deals in progress at the stage, base currency."))
    weighted_amount = _money(_("The same weighted by each deal's probability."))


class LostReasonRowSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True, allow_null=True)
    name = serializers.CharField(read_only=True)
    deals = serializers.IntegerField(read_only=True)
    share = _percent()


class FunnelPipelineRowSerializer(serializers.Serializer):
    stage_id = serializers.IntegerField(read_only=True, allow_null=True)
    stage = serializers.CharField(read_only=True)
    currency = serializers.CharField(read_only=True)
    deals = serializers.IntegerField(read_only=True)
    amount = _money()
    weighted_amount = _money()


class FunnelKindSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk", read_only=True)
    name = serializers.CharField(read_only=True)


class FunnelSerializer(serializers.Serializer):
    kind = FunnelKindSerializer(read_only=True)
    manager = serializers.IntegerField(source="manager.pk", read_only=True, allow_null=True)
    period = PeriodSerializer(read_only=True)
    currency = serializers.CharField(read_only=True, help_text=_("The base currency."))
    deals = serializers.IntegerField(read_only=True, help_text=_("Deals of the kind started in the period."))
    in_progress = serializers.IntegerField(read_only=True)
    won = serializers.IntegerField(read_only=True)
    lost = serializers.IntegerField(read_only=True)
    win_rate = _percent(_("Won of won and lost, %."))
    conversion_to_won = _percent(_("Won of all the deals started, %."))
    pipeline_amount = _money(_("Deals in progress, base currency."))
    weighted_amount = _money()
    stages = FunnelStageSerializer(many=True, read_only=True)
    lost_reasons = LostReasonRowSerializer(many=True, read_only=True)
    pipeline = FunnelPipelineRowSerializer(
        many=True, read_only=True, help_text=_("Deals in progress by stage and currency.")
    )


# --- managers ----------------------------------------------------------------------------------------------


class ManagerRowSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(read_only=True)
    in_progress = serializers.IntegerField(read_only=True)
    won = serializers.IntegerField(read_only=True, help_text=_("Deals won within the period."))
    lost = serializers.IntegerField(read_only=True, help_text=_("Deals lost within the period."))
    win_rate = _percent()
    revenue = _money()
    gross_profit = _money()
    average_deal = _money(allow_null=True)
    average_cycle_days = _days()
    interactions = serializers.IntegerField(read_only=True)
    overdue_tasks = serializers.IntegerField(read_only=True)
    claims = serializers.IntegerField(read_only=True)


class ManagerTotalsSerializer(ManagerRowSerializer):
    id = None
    name = None


class ManagerPerformanceSerializer(serializers.Serializer):
    period = PeriodSerializer(read_only=True)
    currency = serializers.CharField(read_only=True)
    sort = serializers.CharField(read_only=True)
    results = ManagerRowSerializer(source="rows", many=True, read_only=True)
    totals = ManagerTotalsSerializer(read_only=True)


# --- dashboard ---------------------------------------------------------------------------------------------


class MonthRowSerializer(serializers.Serializer):
    month = serializers.DateField(read_only=True)
    revenue = _money()
    gross_profit = _money()
    new_clients = serializers.IntegerField(read_only=True)


class PipelineStageRowSerializer(serializers.Serializer):
    kind = serializers.CharField(read_only=True)
    stage = serializers.CharField(read_only=True)
    order = serializers.IntegerField(read_only=True)
    currency = serializers.CharField(read_only=True)
    deals = serializers.IntegerField(read_only=True)
    amount = _money()
    weighted_amount = _money()


class TopClientRowSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(read_only=True)
    revenue = _money()
    gross_profit = _money()
    share = _percent()


class OverdueRowSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(read_only=True)
    tasks = serializers.IntegerField(read_only=True)


class OverdueTaskSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    title = serializers.CharField(read_only=True)
    assignee = serializers.CharField(read_only=True)
    due_at = serializers.DateTimeField(read_only=True)


class DashboardSerializer(serializers.Serializer):
    scope = serializers.ChoiceField(choices=DashboardScope.choices, read_only=True)
    period = PeriodSerializer(read_only=True)
    currency = serializers.CharField(read_only=True)
    revenue = _money()
    gross_profit = _money()
    new_clients = serializers.IntegerField(read_only=True)
    pipeline_amount = _money()
    weighted_amount = _money()
    overdue_total = serializers.IntegerField(read_only=True)
    months = MonthRowSerializer(many=True, read_only=True)
    pipeline = PipelineStageRowSerializer(many=True, read_only=True)
    top_clients = TopClientRowSerializer(many=True, read_only=True)
    overdue_by_assignee = OverdueRowSerializer(many=True, read_only=True)
    overdue_tasks = OverdueTaskSerializer(many=True, read_only=True)
