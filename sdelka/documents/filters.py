"""Filters of the contract list, shared by the pages and the API."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from sdelka.documents.models import Contract


class ContractFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="filter_search")
    partner = django_filters.NumberFilter(label=_("Partner"), field_name="counterparty__partner")
    date_from = django_filters.DateFilter(label=_("Date from"), field_name="date", lookup_expr="gte")
    date_to = django_filters.DateFilter(label=_("Date to"), field_name="date", lookup_expr="lte")

    class Meta:
        model = Contract
        fields = ["counterparty", "status", "currency"]

    def filter_search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(number__icontains=value) | Q(subject__icontains=value) | Q(counterparty__name__icontains=value)
        )
