"""Reads of tasks, always through the user's scope, and the records a task may be about (its subject).

A task is seen by its assignee and its author, by the head of either (their team's tasks) and by
administrators. A task outside the scope is indistinguishable from a missing one (404).
"""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.contrib.contenttypes.models import ContentType
from django.db.models import Case, Count, Model, Q, QuerySet, Value, When
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sdelka.accounts.choices import Role
from sdelka.accounts.models import User
from sdelka.accounts.selectors import covered_user_ids
from sdelka.activities.models import OPEN_STATUSES, Task

#: what a task may be about: key → (app label, model name, its title)
SUBJECT_TYPES: dict[str, tuple[str, str, object]] = {
    "deal": ("deals", "deal", _("Deal")),
    "partner": ("partners", "partner", _("Partner")),
    "claim": ("claims", "claim", _("Customer claim")),
    "interaction": ("interactions", "interaction", _("Interaction")),
}


def task_covered_user_ids(user: User) -> QuerySet | None:
    """Whose tasks ``user`` sees: their own; a head their team's; an administrator everyone's.

    A marketer sees everyone's deals but only their own to-dos: tasks are personal work, not sales data.
    """
    if user.effective_role == Role.MARKETER:
        return User.objects.filter(pk=user.pk).values("pk")
    return covered_user_ids(user)


def task_scope(user: User) -> Q:
    covered = task_covered_user_ids(user)
    if covered is None:
        return Q()
    return Q(assignee__in=covered) | Q(author__in=covered)


def task_list(*, user: User) -> QuerySet[Task]:
    return (
        Task.objects.filter(task_scope(user))
        .select_related("assignee", "author", "subject_type", "process_stage")
        .prefetch_related("subject")
    )


def task_get(*, user: User, pk) -> Task:
    return task_list(user=user).get(pk=pk)


def open_tasks(tasks: QuerySet[Task]) -> QuerySet[Task]:
    return tasks.filter(status__in=OPEN_STATUSES)


def end_of_today() -> datetime:
    return timezone.make_aware(datetime.combine(timezone.localdate() + timedelta(days=1), time.min))


def urgent_task_count(*, user: User) -> int:
    """The user's own open tasks that are overdue or due today: the number beside "Tasks" in the navigation."""
    return Task.objects.filter(assignee=user, status__in=OPEN_STATUSES, due_at__lt=end_of_today()).count()


def team_task_summary(*, user: User) -> QuerySet:
    """Per assignee in the user's scope: open tasks and how many of them are overdue (one grouped query)."""
    now = timezone.now()
    return (
        open_tasks(Task.objects.filter(task_scope(user)))
        .values("assignee", "assignee__username", "assignee__first_name", "assignee__last_name")
        .annotate(open=Count("id"), overdue=Count("id", filter=Q(due_at__lt=now)))
        .order_by("assignee__last_name", "assignee__first_name", "assignee__username")
    )


# --- subjects ----------------------------------------------------------------------------------------------


def subject_key(model_or_type) -> str | None:
    """The key of ``SUBJECT_TYPES`` for a model instance or a ContentType; None for anything else."""
    if isinstance(model_or_type, ContentType):
        label = (model_or_type.app_label, model_or_type.model)
    else:
        label = (model_or_type._meta.app_label, model_or_type._meta.model_name)
    for key, (app_label, model_name, _title) in SUBJECT_TYPES.items():
        if (app_label, model_name) == label:
            return key
    return None


def subject_content_type(key: str) -> ContentType | None:
    app_label, model_name, _title = SUBJECT_TYPES[key]
    try:
        return ContentType.objects.get_by_natural_key(app_label, model_name)
    except ContentType.DoesNotExist:
        return None


def visible_subjects(key: str, *, user: User) -> QuerySet | None:
    """The records of a subject type that ``user`` may see (their app's scope); None for an unknown type."""
    if key == "deal":
        from sdelka.deals.selectors import deal_list

        return deal_list(user=user)
    if key == "partner":
        from sdelka.partners.selectors import partner_list

        return partner_list(user=user)
    if key == "claim":
        from sdelka.claims.selectors import claim_list

        return claim_list(user=user)
    if key == "interaction":
        try:
            from sdelka.interactions.selectors import interaction_list
        except ImportError:  # the interactions app brings its selectors with its pages
            return None
        return interaction_list(user=user)
    return None


def subject_get(key: str, pk, *, user: User) -> Model:
    """The record ``key``/``pk`` if the user sees it; ``LookupError`` when unknown or outside the scope."""
    records = visible_subjects(key, user=user) if key in SUBJECT_TYPES else None
    if records is None:
        raise LookupError(key)
    found = records.filter(pk=pk).first()
    if found is None:
        raise LookupError(pk)
    return found


def record_tasks(*, user: User, record) -> QuerySet[Task]:
    """The tasks about ``record`` (a deal, partner…) the user sees: open ones first, by due time."""
    content_type = ContentType.objects.get_for_model(record)
    return (
        task_list(user=user)
        .filter(subject_type=content_type, subject_id=record.pk)
        .annotate(is_closed=Case(When(status__in=OPEN_STATUSES, then=Value(0)), default=Value(1)))
        .order_by("is_closed", "due_at", "id")
    )
