"""Writes of in-app notifications: making one (with an e-mail copy queued on commit), marking them read,
and sending the e-mail copy (run by the worker)."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from sdelka.activities.models import EmailStatus, Notification
from sdelka.core.services import ensure_role_can


def notification_create(
    *,
    user,
    text: str,
    link: str = "",
    target_type_id: int | None = None,
    target_id: int | None = None,
    reminder=None,
    by_email: bool = False,
) -> Notification:
    """A notice to ``user``; with ``by_email`` a copy is sent by the worker once this transaction commits."""
    notification = Notification.objects.create(
        user=user,
        text=text[:1000],
        link=link,
        target_type_id=target_type_id,
        target_id=target_id,
        reminder=reminder,
        email_status=EmailStatus.QUEUED if by_email else EmailStatus.NONE,
    )
    if by_email:
        from sdelka.activities.tasks import send_notification_email

        transaction.on_commit(lambda: send_notification_email.enqueue(notification.pk))
    return notification


def _ensure_owner(actor, notification: Notification) -> None:
    if notification.user_id != actor.pk:
        raise PermissionDenied(_("This is another user's notification."))


def notification_mark_read(*, actor, notification: Notification) -> Notification:
    ensure_role_can(actor, "change", "notification")
    _ensure_owner(actor, notification)
    if notification.read_at is None:
        notification.read_at = timezone.now()
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(
            read_at=notification.read_at
        )
    return notification


def notifications_mark_read(*, actor, ids=None) -> int:
    """Mark the actor's unread notices read (only ``ids`` among them if given); how many were unread."""
    ensure_role_can(actor, "change", "notification")
    unread = Notification.objects.filter(user=actor, read_at__isnull=True)
    if ids is not None:
        unread = unread.filter(pk__in=list(ids))
    return unread.update(read_at=timezone.now())


def notification_send_email(*, notification_id: int) -> str:
    """Send the e-mail copy of a notice to its user's address and record the outcome on the notice.

    A failed send is recorded and raised, so the worker tries again; a user without an address is a
    failure no retry can mend, so it is recorded and not raised.
    """
    notification = Notification.objects.select_related("user").get(pk=notification_id)
    if notification.email_status == EmailStatus.SENT:
        return EmailStatus.SENT
    user = notification.user
    if not user.email:
        _record_email(notification, EmailStatus.FAILED, _("The user has no e-mail address."))
        return EmailStatus.FAILED
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("Reminder: %(text)s") % {"text": notification.text[:150]}
        body = notification.text
        base_url = getattr(settings, "SDELKA_SITE_URL", "").rstrip("/")
        if notification.link and base_url:
            body += "\n\n" + base_url + notification.link
    try:
        send_mail(subject, body, None, [user.email])
    except Exception as error:
        _record_email(notification, EmailStatus.FAILED, f"{type(error).__name__}: {error}")
        raise
    _record_email(notification, EmailStatus.SENT, "")
    return EmailStatus.SENT


def _record_email(notification: Notification, status: str, error: str) -> None:
    Notification.objects.filter(pk=notification.pk).update(email_status=status, email_error=error)
