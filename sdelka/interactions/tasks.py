"""Background jobs of interactions, run by the worker (django-tasks)."""

from __future__ import annotations

from django_tasks import task


@task()
def send_interaction_email(interaction_id: int) -> str:
    """Send one queued outgoing e-mail; its interaction records the result (sent, or failed with the reason)."""
    from sdelka.interactions.services import interaction_email_deliver

    return interaction_email_deliver(interaction_id=interaction_id)
