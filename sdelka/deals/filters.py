"""Filters of the deal list, shared by the list page (later) and the API."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from sdelka.accounts.models import User
from sdelka.deals.models import Deal, DealKind, Stage
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

    class Meta:
        model = Deal
        fields = ["status", "closed", "currency"]
