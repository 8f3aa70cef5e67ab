"""The background worker's state, kept in the database so that every web process and worker shares it."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class WorkerHeartbeat(models.Model):
    """One row per running worker, touched every few seconds; pages warn when none is fresh."""

    name = models.CharField(_("worker"), max_length=100, unique=True)
    started_at = models.DateTimeField(_("started"))
    last_seen = models.DateTimeField(_("last seen"), db_index=True)

    class Meta:
        verbose_name = _("worker heartbeat")
        verbose_name_plural = _("worker heartbeats")

    def __str__(self) -> str:
        return self.name


class PeriodicJobState(models.Model):
    """When a periodic job last ran, one row per job.

    ``last_slot`` is the start of the interval the job last ran for; a worker runs the job only when its
    UPDATE moving ``last_slot`` forward changed the row, so two workers never run the same slot.
    """

    name = models.CharField(_("job"), max_length=100, unique=True)
    last_slot = models.DateTimeField(_("last slot"), null=True, blank=True)
    last_started_at = models.DateTimeField(_("last started"), null=True, blank=True)
    last_finished_at = models.DateTimeField(_("last finished"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    failures = models.PositiveIntegerField(_("failures"), default=0)

    class Meta:
        verbose_name = _("periodic job")
        verbose_name_plural = _("periodic jobs")

    def __str__(self) -> str:
        return self.name


class TaskFailure(models.Model):
    """One failed attempt of a queued task, with its error: the record that survives a later success."""

    task_result_id = models.CharField(max_length=64, db_index=True)
    task_path = models.CharField(_("task"), max_length=300)
    attempt = models.PositiveIntegerField(_("attempt"))
    will_retry = models.BooleanField(_("will be retried"))
    exception_class = models.CharField(_("error"), max_length=300)
    traceback = models.TextField(_("traceback"))
    failed_at = models.DateTimeField(_("failed at"), auto_now_add=True)

    class Meta:
        verbose_name = _("failed task attempt")
        verbose_name_plural = _("failed task attempts")
        ordering = ["-failed_at", "-id"]

    def __str__(self) -> str:
        return f"{self.task_path} #{self.attempt}"
