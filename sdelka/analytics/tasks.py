"""Background jobs of analytics, run by the worker (django-tasks)."""

from __future__ import annotations

from django_tasks import task


@task()
def classify_all_periods(job_id: int) -> int:
    """ "Classify all periods": replace the stored classes of every closed period; the periods stored."""
    from sdelka.analytics.services.classification import classification_job_run

    return classification_job_run(job_id=job_id).done
