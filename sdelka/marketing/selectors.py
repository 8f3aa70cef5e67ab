"""Reads of the marketing app: channels (a shared catalog), events and what hangs on them.

Channels and events are shared by everyone (marketers keep them, everyone reads them); the partners and
deals shown beside them always go through ``partner_scope`` / ``deal_scope``.
"""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet, Sum

from sdelka.core.tree import TreeNode, build_tree
from sdelka.marketing.choices import ParticipantStatus
from sdelka.marketing.models import (
    AdChannel,
    MarketingEvent,
    MarketingEventExpense,
    MarketingEventParticipant,
)


def ad_channel_list() -> QuerySet[AdChannel]:
    return AdChannel.objects.all()


def ad_channel_tree(*, user) -> list[TreeNode]:
    """Every channel with the number of partners (that the user sees) whose first interest came through it."""
    from sdelka.partners.models import Partner
    from sdelka.partners.selectors import partner_scope

    counts = dict(
        Partner.objects.filter(partner_scope(user), primary_interest_channel__isnull=False)
        .values_list("primary_interest_channel")
        .annotate(n=Count("id"))
        .order_by()
    )
    return build_tree(AdChannel.objects.all(), counts)


def marketing_event_list() -> QuerySet[MarketingEvent]:
    return MarketingEvent.objects.select_related("responsible", "channel").prefetch_related("segments")


def marketing_event_list_with_totals() -> QuerySet[MarketingEvent]:
    """Events with their number of participants and the sum of their expenses (subqueries, no joins)."""
    from django.db.models import OuterRef, Subquery, Value
    from django.db.models.functions import Coalesce

    participants = (
        MarketingEventParticipant.objects.filter(event=OuterRef("pk"))
        .order_by()
        .values("event")
        .annotate(n=Count("id"))
        .values("n")
    )
    expenses = (
        MarketingEventExpense.objects.filter(event=OuterRef("pk"))
        .order_by()
        .values("event")
        .annotate(total=Sum("amount"))
        .values("total")
    )
    from django.db.models import DecimalField, IntegerField

    return marketing_event_list().annotate(
        participant_count=Coalesce(Subquery(participants, output_field=IntegerField()), Value(0)),
        expense_total=Coalesce(
            Subquery(expenses, output_field=DecimalField(max_digits=15, decimal_places=2)),
            Value(0, output_field=DecimalField(max_digits=15, decimal_places=2)),
        ),
    )


def marketing_event_get(*, pk) -> MarketingEvent:
    return marketing_event_list_with_totals().get(pk=pk)


def event_participants(*, user, event: MarketingEvent) -> QuerySet[MarketingEventParticipant]:
    """The event's participants whose partner the user sees (another team's are not named)."""
    from sdelka.partners.selectors import partner_scope

    return (
        event.participants.filter(partner_scope(user, prefix="partner__"))
        .select_related("partner", "contact")
        .order_by("partner__name", "contact__name", "id")
    )


def event_participant_counts(*, event: MarketingEvent) -> dict[str, int]:
    counts = dict(event.participants.values_list("status").annotate(n=Count("id")).order_by())
    return {status: counts.get(status, 0) for status in ParticipantStatus.values}


def event_expenses(*, event: MarketingEvent) -> QuerySet[MarketingEventExpense]:
    return event.expenses.order_by("date", "id")


def event_deals(*, user, event: MarketingEvent):
    """Deals (that the user sees) whose primary interest source is the event."""
    from sdelka.deals.selectors import deal_list

    return deal_list(user=user).filter(primary_interest_source_event=event).order_by("-start_date", "-id")


def event_interactions(*, user, event: MarketingEvent):
    """Interactions (that the user sees) whose subject is the event."""
    from sdelka.interactions import subjects
    from sdelka.interactions.selectors import interaction_list

    content_type = subjects.content_type_of("marketingevent")
    return (
        interaction_list(user=user)
        .filter(subject_type=content_type, subject_id=event.pk)
        .order_by("-starts_at", "-id")
    )


def events_in_month(*, year: int, month: int) -> QuerySet[MarketingEvent]:
    """Events that take place (at least one day) in the month."""
    import calendar
    from datetime import date

    first = date(year, month, 1)
    last = date(year, month, calendar.monthrange(year, month)[1])
    return (
        marketing_event_list()
        .filter(Q(start_date__lte=last) & Q(end_date__gte=first))
        .order_by("start_date", "id")
    )
