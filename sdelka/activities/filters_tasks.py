"""Filters of the task lists, shared by the "My tasks" page and the API."""

from __future__ import annotations

from datetime import timedelta

import django_filters
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sdelka.accounts.models import User
from sdelka.activities.models import OPEN_STATUSES, Task, TaskPriority, TaskStatus
from sdelka.activities.selectors.tasks import SUBJECT_TYPES, end_of_today, subject_content_type
from sdelka.core.filters import yes_no_any

DUE_PERIODS = [
    ("overdue", _("Overdue")),
    ("today", _("Due today")),
    ("week", _("Due within 7 days")),
    ("later", _("Due later")),
]
STATE_CHOICES = [("open", _("Open")), *TaskStatus.choices]


class TaskFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(label=_("Status"), choices=STATE_CHOICES, method="filter_status")
    priority = django_filters.ChoiceFilter(label=_("Priority"), choices=TaskPriority.choices)
    assignee = django_filters.ModelChoiceFilter(label=_("Assignee"), queryset=User.objects.all())
    due = django_filters.ChoiceFilter(label=_("Due"), choices=DUE_PERIODS, method="filter_due")
    due_from = django_filters.DateFilter(
        label=_("Due on or after"), field_name="due_at", lookup_expr="date__gte"
    )
    due_to = django_filters.DateFilter(
        label=_("Due on or before"), field_name="due_at", lookup_expr="date__lte"
    )
    subject_type = django_filters.ChoiceFilter(
        label=_("About"),
        choices=[(key, title) for key, (_app, _model, title) in SUBJECT_TYPES.items()],
        method="filter_subject_type",
    )
    process = django_filters.BooleanFilter(
        label=_("Steps of a deal's process"),
        field_name="process_stage",
        lookup_expr="isnull",
        exclude=True,
        widget=yes_no_any(yes=_("Only them"), no=_("Without them")),
    )

    class Meta:
        model = Task
        fields: list[str] = []

    def filter_status(self, queryset, name, value):
        if value == "open":
            return queryset.filter(status__in=OPEN_STATUSES)
        return queryset.filter(status=value)

    def filter_due(self, queryset, name, value):
        now, tomorrow = timezone.now(), end_of_today()
        if value == "overdue":
            return queryset.filter(status__in=OPEN_STATUSES, due_at__lt=now)
        if value == "today":
            return queryset.filter(due_at__gte=tomorrow - timedelta(days=1), due_at__lt=tomorrow)
        if value == "week":
            return queryset.filter(due_at__gte=now, due_at__lt=tomorrow + timedelta(days=6))
        return queryset.filter(due_at__gte=tomorrow + timedelta(days=6))

    def filter_subject_type(self, queryset, name, value):
        content_type = subject_content_type(value)
        if content_type is None:
            return queryset.none()
        return queryset.filter(Q(subject_type=content_type))
