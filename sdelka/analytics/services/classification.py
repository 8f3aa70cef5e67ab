"""Storing the classes of closed periods (the history a report of class dynamics reads).

A stored period is the company-wide classification (every partner, every product) with the settings of the
moment it was stored. The worker stores the last closed period of each type daily; "classify all periods"
(after the settings changed) replaces every stored period, as a job whose progress the settings page shows.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sdelka.analytics.choices import Criterion, JobStatus, PeriodType, Subject
from sdelka.analytics.models import ClassificationJob, ClassificationResult, ClassifiedPeriod
from sdelka.analytics.periods import Period, closed_periods, last_closed
from sdelka.analytics.selectors.classification import ROW_FIELDS, Boundaries, classification_compute
from sdelka.analytics.services.settings import (
    can_change_classification_settings,
    classification_settings_get,
)
from sdelka.documents.bulk import insert_rows
from sdelka.documents.models import SalesFact

# ClassificationResult's columns: its period, then ClassificationRow's fields in their order.
RESULT_COLUMNS = ("period_id", *ROW_FIELDS)


@transaction.atomic
def classification_store(
    *, subject: str, criterion: str, period: Period, boundaries: Boundaries | None = None
) -> ClassifiedPeriod:
    """Compute the company-wide classes of a closed ``period`` and store them, replacing what was stored."""
    if not period.is_closed(timezone.localdate()):
        raise ValidationError(_("The period is not closed yet: only closed periods are classified."))
    boundaries = boundaries or Boundaries.of(classification_settings_get())
    rows = classification_compute(subject=subject, criterion=criterion, period=period, boundaries=boundaries)
    ClassifiedPeriod.objects.filter(
        subject=subject, criterion=criterion, period_type=period.type, period_start=period.start
    ).delete()
    stored = ClassifiedPeriod.objects.create(
        subject=subject,
        criterion=criterion,
        period_type=period.type,
        period_start=period.start,
        classified_at=timezone.now(),
        rows=len(rows),
    )
    # Straight from the computed values (COPY on PostgreSQL): a year of a mid-size company's clients is
    # ~100 000 rows, and making a model object of each took longer than computing them.
    period_id = stored.pk
    insert_rows(
        ClassificationResult,
        RESULT_COLUMNS,
        [(period_id, subject_id, name[:255], *rest) for subject_id, name, *rest in rows.values()],
    )
    return stored


def _every_combination():
    for subject in Subject.values:
        for criterion in Criterion.values:
            yield subject, criterion


def classification_store_last_closed(*, today: date) -> int:
    """Store the last closed period of every type, for both subjects and every criterion (the daily job)."""
    boundaries = Boundaries.of(classification_settings_get())
    stored = 0
    for period_type in PeriodType.values:
        period = last_closed(period_type, today)
        for subject, criterion in _every_combination():
            classification_store(subject=subject, criterion=criterion, period=period, boundaries=boundaries)
            stored += 1
    return stored


def classification_store_all(*, today: date, progress: Callable[[int, int], None] | None = None) -> int:
    """Replace every stored period by the classes of every closed period since the first sale, with the
    current settings; ``progress(done, total)`` is told after each period. Returns the periods stored."""
    first = SalesFact.objects.order_by("date").values_list("date", flat=True).first()
    ClassifiedPeriod.objects.all().delete()
    if first is None:
        if progress:
            progress(0, 0)
        return 0
    boundaries = Boundaries.of(classification_settings_get())
    work = [
        (subject, criterion, period)
        for period_type in PeriodType.values
        for period in closed_periods(period_type, first_day=first, today=today)
        for subject, criterion in _every_combination()
    ]
    if progress:
        progress(0, len(work))
    for done, (subject, criterion, period) in enumerate(work, start=1):
        classification_store(subject=subject, criterion=criterion, period=period, boundaries=boundaries)
        if progress:
            progress(done, len(work))
    return len(work)


def classification_all_request(*, actor) -> ClassificationJob:
    """Queue "classify all periods" for the worker (administrators); a run already waiting is reused."""
    if not can_change_classification_settings(actor):
        raise PermissionDenied(_("Your role does not allow this action."))
    with transaction.atomic():
        pending = ClassificationJob.objects.filter(status__in=[JobStatus.QUEUED, JobStatus.RUNNING]).first()
        if pending is not None:
            return pending
        job = ClassificationJob.objects.create(requested_by=actor)

        def enqueue() -> None:
            from sdelka.analytics.tasks import classify_all_periods

            classify_all_periods.enqueue(job_id=job.pk)

        transaction.on_commit(enqueue)
    return job


def classification_job_run(*, job_id: int, today: date | None = None) -> ClassificationJob:
    """Run a queued "classify all periods" job, recording its progress on the job's row."""
    job = ClassificationJob.objects.get(pk=job_id)
    if job.status == JobStatus.DONE:
        return job
    ClassificationJob.objects.filter(pk=job.pk).update(status=JobStatus.RUNNING, done=0, error="")

    def progress(done: int, total: int) -> None:
        ClassificationJob.objects.filter(pk=job.pk).update(done=done, total=total)

    try:
        classification_store_all(today=today or timezone.localdate(), progress=progress)
    except Exception as error:
        ClassificationJob.objects.filter(pk=job.pk).update(
            status=JobStatus.FAILED, error=str(error), finished_at=timezone.now()
        )
        raise
    ClassificationJob.objects.filter(pk=job.pk).update(status=JobStatus.DONE, finished_at=timezone.now())
    job.refresh_from_db()
    return job
