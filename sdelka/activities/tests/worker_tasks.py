"""Tasks used only by the worker tests."""

from __future__ import annotations

from django_tasks import task

from sdelka.activities.models import WorkerHeartbeat


@task()
def always_fails(message: str) -> None:
    raise RuntimeError(message)


@task()
def leaves_a_mark(name: str) -> str:
    from django.utils import timezone

    WorkerHeartbeat.objects.create(name=name, started_at=timezone.now(), last_seen=timezone.now())
    return name
