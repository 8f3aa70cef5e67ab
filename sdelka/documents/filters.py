"""Filters of the contract list, shared by the pages and the API."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from sdelka.core.filters import IdFilter
from sdelka.documents.models import Contract, DealExpense


class ContractFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="filter_search")
    partner = IdFilter(label=_("Partner"), field_name="counterparty__partner")
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


class DocumentFilter(django_filters.FilterSet):
    """Filters of any document list (quotes, orders, sales, supplier orders); ``Meta.model`` set per type."""

    q = django_filters.CharFilter(label=_("Search"), method="filter_search")
    status = django_filters.CharFilter(label=_("Status"))
    partner = IdFilter(label=_("Partner"), field_name="partner")
    deal = IdFilter(label=_("Deal"), field_name="deal")
    manager = IdFilter(label=_("Manager"), field_name="manager")
    date_from = django_filters.DateFilter(label=_("Date from"), field_name="date", lookup_expr="gte")
    date_to = django_filters.DateFilter(label=_("Date to"), field_name="date", lookup_expr="lte")

    def filter_search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(number__icontains=value) | Q(partner__name__icontains=value))


def document_filter_for(model) -> type[DocumentFilter]:
    meta = type("Meta", (), {"model": model, "fields": ["currency"]})
    return type(f"{model.__name__}Filter", (DocumentFilter,), {"Meta": meta})


class ExpenseFilter(django_filters.FilterSet):
    date_from = django_filters.DateFilter(label=_("Date from"), field_name="date", lookup_expr="gte")
    date_to = django_filters.DateFilter(label=_("Date to"), field_name="date", lookup_expr="lte")
    deal = IdFilter(label=_("Deal"), field_name="deal")

    class Meta:
        model = DealExpense
        fields = ["kind"]
