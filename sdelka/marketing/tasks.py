"""Background tasks of marketing (Django's task API, run by ``manage.py worker``): thin calls of services."""

from __future__ import annotations

from django_tasks import task


@task()
def send_mailing(mailing_id: int) -> str:
    """Send a started mailing in batches until nobody is left waiting; see ``sdelka.marketing.mailings``."""
    from sdelka.marketing.mailings import mailing_run

    return mailing_run(mailing_id=mailing_id)
