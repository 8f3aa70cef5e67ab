"""Filters of the claim list, shared by the page and the API."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from sdelka.accounts.models import User
from sdelka.catalog.models import Product
from sdelka.claims.choices import ClaimResult, ClaimStatus
from sdelka.claims.models import Claim
from sdelka.claims.selectors import overdue_q
from sdelka.core.filters import yes_no_any
from sdelka.partners.models import Partner


class ClaimFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(label=_("Status"), choices=ClaimStatus.choices)
    result = django_filters.ChoiceFilter(label=_("Result"), choices=ClaimResult.choices)
    partner = django_filters.ModelChoiceFilter(label=_("Partner"), queryset=Partner.objects.all())
    product = django_filters.ModelChoiceFilter(
        label=_("Product"), queryset=Product.objects.all(), field_name="products", distinct=True
    )
    responsible = django_filters.ModelChoiceFilter(label=_("Responsible"), queryset=User.objects.all())
    overdue = django_filters.BooleanFilter(label=_("Overdue"), method="filter_overdue", widget=yes_no_any())
    registered_from = django_filters.DateFilter(
        label=_("Registered on or after"), field_name="registered_at", lookup_expr="date__gte"
    )
    registered_to = django_filters.DateFilter(
        label=_("Registered on or before"), field_name="registered_at", lookup_expr="date__lte"
    )

    class Meta:
        model = Claim
        fields: list[str] = []

    def filter_overdue(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.filter(overdue_q()) if value else queryset.exclude(overdue_q())
