"""Filters of the product list, shared by the list page and the API."""

from __future__ import annotations

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from sdelka.catalog.models import Product, ProductGroup
from sdelka.core.tree import subtree_filter


class ProductFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="filter_search")
    group = django_filters.ModelChoiceFilter(
        label=_("Group"), queryset=ProductGroup.objects.all(), method="filter_group"
    )
    include_subgroups = django_filters.BooleanFilter(label=_("With subgroups"), method="filter_noop")
    without_group = django_filters.BooleanFilter(label=_("Without a group"), method="filter_without_group")
    price_min = django_filters.NumberFilter(label=_("Price from"), field_name="price", lookup_expr="gte")
    price_max = django_filters.NumberFilter(label=_("Price to"), field_name="price", lookup_expr="lte")

    class Meta:
        model = Product
        fields = ["kind", "unit", "vat_rate", "active"]

    def filter_search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(name__icontains=value) | Q(sku__icontains=value))

    def filter_group(self, queryset, name, group):
        if group is None:
            return queryset
        include = self.form.cleaned_data.get("include_subgroups")
        return queryset.filter(subtree_filter(group, include_subgroups=include is not False))

    def filter_without_group(self, queryset, name, value):
        return queryset.filter(group__isnull=True) if value else queryset

    def filter_noop(self, queryset, name, value):
        return queryset
