"""Tasks ("задача"): a to-do for a user with a due time, optionally about a record (its *subject*).

A task whose ``process_stage`` is set is a step of a typical sale's business process: it was created when its
deal entered that stage, and completing it moves the deal on (``sdelka.activities.process``). Every write goes
through ``sdelka.activities.services.tasks``.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from sdelka.core.models import TimeStampedModel


class TaskPriority(models.TextChoices):
    LOW = "low", pgettext_lazy("priority", "Low")
    NORMAL = "normal", pgettext_lazy("priority", "Normal")
    HIGH = "high", pgettext_lazy("priority", "High")


class TaskStatus(models.TextChoices):
    NEW = "new", pgettext_lazy("task status", "New")
    IN_PROGRESS = "in_progress", pgettext_lazy("task status", "In progress")
    DONE = "done", pgettext_lazy("task status", "Done")
    CANCELLED = "cancelled", pgettext_lazy("task status", "Cancelled")


OPEN_STATUSES = (TaskStatus.NEW, TaskStatus.IN_PROGRESS)


class Task(TimeStampedModel):
    """A to-do of ``assignee`` set by ``author`` (empty when the business process set it), due at ``due_at``.

    ``subject`` is a generic reference so a task can be about a deal, a partner, a claim or an interaction;
    which models are allowed, and that the user sees the record, is checked by the services.
    """

    title = models.CharField(_("title"), max_length=255)
    description = models.TextField(_("description"), blank=True)
    assignee = models.ForeignKey(
        # Users are deactivated, not deleted; a deleted user's to-dos have no one to do them.
        settings.AUTH_USER_MODEL,
        verbose_name=_("assignee"),
        on_delete=models.CASCADE,
        related_name="tasks",
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="authored_tasks",
    )
    due_at = models.DateTimeField(_("due"), db_index=True)
    priority = models.CharField(
        _("priority"), max_length=10, choices=TaskPriority.choices, default=TaskPriority.NORMAL
    )
    status = models.CharField(
        _("status"), max_length=20, choices=TaskStatus.choices, default=TaskStatus.NEW, db_index=True
    )
    subject_type = models.ForeignKey(
        ContentType,
        verbose_name=_("subject type"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    subject_id = models.PositiveBigIntegerField(_("subject id"), null=True, blank=True)
    subject = GenericForeignKey("subject_type", "subject_id")
    process_stage = models.ForeignKey(
        "deals.Stage",
        verbose_name=_("stage of the business process"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="tasks",
        editable=False,
    )
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True, editable=False)
    result = models.TextField(_("result"), blank=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["due_at", "id"]
        verbose_name = _("task")
        verbose_name_plural = _("tasks")
        indexes = [
            models.Index(fields=["assignee", "status", "due_at"]),
            models.Index(fields=["subject_type", "subject_id"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(subject_type__isnull=True, subject_id__isnull=True)
                | models.Q(subject_type__isnull=False, subject_id__isnull=False),
                name="task_subject_complete",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def is_overdue(self) -> bool:
        """Open and past its due time; a done or cancelled task is never overdue."""
        return self.is_open and self.due_at < timezone.now()
