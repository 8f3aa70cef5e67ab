"""Filters of the partner lists, shared by the list page and the API."""

from __future__ import annotations

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from sdelka.accounts.models import User
from sdelka.core.tree import subtree_filter
from sdelka.core.validators import digits_only
from sdelka.marketing.models import AdChannel
from sdelka.partners.models import ContactPerson, Counterparty, Individual, Partner, PartnerGroup


class PartnerFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="filter_search")
    group = django_filters.ModelChoiceFilter(
        label=_("Group"), queryset=PartnerGroup.objects.all(), method="filter_group"
    )
    include_subgroups = django_filters.BooleanFilter(label=_("With subgroups"), method="filter_noop")
    without_group = django_filters.BooleanFilter(label=_("Without a group"), method="filter_without_group")
    manager = django_filters.ModelChoiceFilter(label=_("Manager"), queryset=User.objects.all())
    unassigned = django_filters.BooleanFilter(
        label=_("Without a manager"), field_name="manager", lookup_expr="isnull"
    )
    tag = django_filters.CharFilter(
        label=_("Tag"), field_name="tags__name", lookup_expr="iexact", distinct=True
    )
    region = django_filters.CharFilter(label=_("Region"), lookup_expr="icontains")
    primary_interest_channel = django_filters.ModelChoiceFilter(
        label=_("Primary interest channel (with subchannels)"),
        queryset=AdChannel.objects.all(),
        method="filter_channel",
    )

    class Meta:
        model = Partner
        fields = ["kind", "is_client", "is_supplier", "is_competitor", "is_other"]

    def filter_search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        # Counterparties are searched on their own, not joined: a join would test every partner once per
        # counterparty, and on SQLite each test is a Unicode-aware LIKE in Python.
        by_counterparty = Counterparty.objects.filter(
            Q(inn=value) | Q(bin=value) | Q(name__icontains=value)
        ).values("partner_id")
        condition = Q(name__icontains=value) | Q(emails__icontains=value) | Q(pk__in=by_counterparty)
        if len(digits_only(value)) >= 5:
            condition |= Q(phones__icontains=value)
        return queryset.filter(condition)

    def filter_group(self, queryset, name, group):
        if group is None:
            return queryset
        include = self.form.cleaned_data.get("include_subgroups")
        return queryset.filter(subtree_filter(group, include_subgroups=include is not False))

    def filter_without_group(self, queryset, name, value):
        return queryset.filter(group__isnull=True) if value else queryset

    def filter_channel(self, queryset, name, channel):
        if channel is None:
            return queryset
        return queryset.filter(subtree_filter(channel, field="primary_interest_channel"))

    def filter_noop(self, queryset, name, value):
        return queryset


class CounterpartyFilter(django_filters.FilterSet):
    class Meta:
        model = Counterparty
        fields = ["partner", "country", "legal_form", "inn", "kpp", "bin"]


class ContactPersonFilter(django_filters.FilterSet):
    class Meta:
        model = ContactPerson
        fields = ["partner"]


class IndividualFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="filter_search")

    class Meta:
        model = Individual
        fields = ["gender"]

    def filter_search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(name__icontains=value) | Q(inn=value) | Q(phones__icontains=value) | Q(emails__icontains=value)
        )
