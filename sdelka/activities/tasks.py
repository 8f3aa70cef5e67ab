"""Background tasks of the app (Django's task API, run by ``manage.py worker``). Each is a thin call of a
service, so that what the worker does is tested like everything else."""

from __future__ import annotations

from django_tasks import task

from sdelka.activities.services.notifications import notification_send_email


@task()
def send_notification_email(notification_id: int) -> str:
    return notification_send_email(notification_id=notification_id)
