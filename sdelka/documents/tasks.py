"""Background jobs of documents, run by the worker (django-tasks)."""

from __future__ import annotations

from django_tasks import task


@task()
def run_sales_import(import_id: int) -> str:
    """Import an uploaded sales-history file; the job's row shows the progress and the outcome."""
    from sdelka.documents.models import ImportStatus, SalesImport
    from sdelka.documents.sales_import import sales_import_run

    job = SalesImport.objects.filter(pk=import_id).first()
    if job is None or job.status != ImportStatus.QUEUED:
        return job.status if job else "missing"  # a retry of a job that already ran does not run it again
    return sales_import_run(job).status
