"""Filters of the interaction list, shared by the list page and the API."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from sdelka.accounts.models import User
from sdelka.core.filters import yes_no_any
from sdelka.deals.models import Deal
from sdelka.interactions.choices import Direction, EmailStatus, InteractionKind, PlannedStatus
from sdelka.interactions.models import Interaction
from sdelka.interactions.subjects import SUBJECT_TYPES, content_type_of, subject_choices
from sdelka.partners.models import Partner


class InteractionFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=InteractionKind.choices)
    direction = django_filters.ChoiceFilter(label=_("Direction"), choices=Direction.choices)
    status = django_filters.ChoiceFilter(label=_("Status"), choices=PlannedStatus.choices)
    email_status = django_filters.ChoiceFilter(label=_("Sending status"), choices=EmailStatus.choices)
    partner = django_filters.ModelChoiceFilter(label=_("Partner"), queryset=Partner.objects.all())
    deal = django_filters.ModelChoiceFilter(label=_("Deal"), queryset=Deal.objects.all())
    responsible = django_filters.ModelChoiceFilter(label=_("Responsible"), queryset=User.objects.all())
    subject_type = django_filters.ChoiceFilter(
        label=_("Subject type"), choices=subject_choices, method="filter_subject_type"
    )
    subject_id = django_filters.NumberFilter(label=_("Subject id"), min_value=1, max_value=2**63 - 1)
    date_from = django_filters.DateFilter(
        label=_("Date from"), field_name="starts_at", lookup_expr="date__gte"
    )
    date_to = django_filters.DateFilter(label=_("Date to"), field_name="starts_at", lookup_expr="date__lte")
    reviewed = django_filters.BooleanFilter(label=_("Reviewed"), widget=yes_no_any())

    class Meta:
        model = Interaction
        fields: list[str] = []

    def filter_subject_type(self, queryset, name, value):
        if value in SUBJECT_TYPES:
            return queryset.filter(subject_type=content_type_of(value))
        return queryset
