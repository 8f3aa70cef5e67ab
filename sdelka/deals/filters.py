"""Filters of the deal list, shared by the list page (later) and the API."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from sdelka.accounts.models import User
from sdelka.core.tree import subtree_filter
from sdelka.deals.models import Deal, DealKind, Stage
from sdelka.marketing.models import AdChannel, MarketingEvent
from sdelka.partners.models import Partner


class DealFilter(django_filters.FilterSet):
    kind = django_filters.ModelChoiceFilter(label=_("Deal kind"), queryset=DealKind.objects.all())
    stage = django_filters.ModelChoiceFilter(label=_("Stage"), queryset=Stage.objects.all())
    manager = django_filters.ModelChoiceFilter(label=_("Manager"), queryset=User.objects.all())
    partner = django_filters.ModelChoiceFilter(label=_("Client"), queryset=Partner.objects.all())
    start_date_from = django_filters.DateFilter(
        label=_("Started on or after"), field_name="start_date", lookup_expr="gte"
    )
    start_date_to = django_filters.DateFilter(
        label=_("Started on or before"), field_name="start_date", lookup_expr="lte"
    )

    primary_interest_channel = django_filters.ModelChoiceFilter(
        label=_("Primary interest channel (with subchannels)"),
        queryset=AdChannel.objects.all(),
        method="filter_channel",
    )
    primary_interest_event = django_filters.ModelChoiceFilter(
        label=_("Primary interest source: marketing event"),
        queryset=MarketingEvent.objects.all(),
        field_name="primary_interest_source_event",
    )

    class Meta:
        model = Deal
        fields = ["status", "closed", "currency"]

    def filter_channel(self, queryset, name, channel):
        if channel is None:
            return queryset
        return queryset.filter(subtree_filter(channel, field="primary_interest_channel"))
