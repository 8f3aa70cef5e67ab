"""A reminder («Напоминание»): a notice to its owner about a record, at a time or relative to a date of it."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from sdelka.core.models import TimeStampedModel


class ReminderTiming(models.TextChoices):
    FIXED = "fixed", _("At a fixed time")
    RELATIVE = "relative", _("Relative to a date of the record")


class ReminderRepeat(models.TextChoices):
    NONE = "none", pgettext_lazy("repeat", "Once")
    DAILY = "daily", _("Every day")
    WEEKLY = "weekly", _("Every week")
    MONTHLY = "monthly", _("Every month")
    YEARLY = "yearly", _("Every year")


class ReminderStatus(models.TextChoices):
    ACTIVE = "active", pgettext_lazy("reminder", "Active")
    DONE = "done", pgettext_lazy("reminder", "Done")


class Reminder(TimeStampedModel):
    """A reminder of one user about one record (a partner, a contact person, a deal…).

    ``next_fire_at`` is the only thing the worker reads to find due reminders; the services keep it right.
    A worker claims a due reminder by an UPDATE conditioned on the ``next_fire_at`` it read, so with several
    workers exactly one fires it. A relative reminder keeps ``anchor_date``, the record's date its due time
    was computed from, so that a changed date is noticed and the due time computed again.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="reminders"
    )
    target_type = models.ForeignKey(ContentType, verbose_name=_("record type"), on_delete=models.CASCADE)
    target_id = models.PositiveBigIntegerField(_("record"))
    target = GenericForeignKey("target_type", "target_id")
    text = models.CharField(_("text"), max_length=500)
    timing = models.CharField(_("when"), max_length=10, choices=ReminderTiming, default=ReminderTiming.FIXED)
    remind_at = models.DateTimeField(_("remind at"), null=True, blank=True)
    date_field = models.CharField(_("date of the record"), max_length=50, blank=True)
    offset_days = models.IntegerField(
        _("days from the date"), default=0, help_text=_("Negative: before the date; for example −1.")
    )
    at_time = models.TimeField(_("at"), default=datetime.time(9, 0))
    repeat = models.CharField(_("repeat"), max_length=10, choices=ReminderRepeat, default=ReminderRepeat.NONE)
    by_email = models.BooleanField(_("also by e-mail"), default=False)
    status = models.CharField(
        _("status"), max_length=10, choices=ReminderStatus, default=ReminderStatus.ACTIVE
    )
    next_fire_at = models.DateTimeField(_("next reminder"), null=True, blank=True)
    last_fired_at = models.DateTimeField(_("last reminded"), null=True, blank=True)
    anchor_date = models.DateField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")
        ordering = ["next_fire_at", "id"]
        indexes = [
            models.Index(fields=["status", "next_fire_at"], name="reminder_due_idx"),
            models.Index(fields=["target_type", "target_id"], name="reminder_target_idx"),
        ]

    def __str__(self) -> str:
        return self.text

    @property
    def is_relative(self) -> bool:
        return self.timing == ReminderTiming.RELATIVE
